# The ONNX fixtures of NetworkTests.swift, trained with PyTorch 2.13 (CPU) on the bundled
# datasets (Sources/FHEML/Datasets/Data, see its ATTRIBUTION.md) and exported with
# torch.onnx.export (TorchScript exporter, opset 17). Run from this folder:
#   python3 make_onnx.py       (needs torch and onnx; the package itself never runs Python)
# Every model is seeded, so a rerun gives the same files.
import numpy as np
import torch
from torch import nn

DATA = "../../../../Sources/FHEML/Datasets/Data/"


def load(name, header=True):
    table = np.loadtxt(DATA + name, delimiter=",", skiprows=1 if header else 0)
    return table[:, :-1].astype(np.float32), table[:, -1].astype(np.int64)


def train(model, x, y, epochs, lr=0.01, weight_decay=0.0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    x, y = torch.tensor(x), torch.tensor(y)
    generator = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for batch in torch.randperm(len(x), generator=generator).split(32):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
    return model.eval()


def accuracy(model, x, y):
    with torch.no_grad():
        return float((model(torch.tensor(x)).argmax(1).numpy() == y).mean())


def export(model, shape, path):
    torch.onnx.export(model, torch.zeros(1, *shape), path, input_names=["x"], output_names=["y"],
                      opset_version=17, dynamo=False)


class Standardized(nn.Module):
    """A network on raw features, standardised inside the graph (ONNX Sub and Div)."""

    def __init__(self, x, body):
        super().__init__()
        self.register_buffer("mean", torch.tensor(x.mean(axis=0)))
        self.register_buffer("std", torch.tensor(x.std(axis=0)))
        self.body = body

    def forward(self, x):
        return self.body((x - self.mean) / self.std)


class FakeQuantized(nn.Module):
    """Quantization-aware training by fake quantization (exported as QuantizeLinear and
    DequantizeLinear): a 4-bit input on [-3, 3], unsigned activations and symmetric weights of
    `bits` bits, straight-through gradients, scales from the ranges seen in training."""

    def __init__(self, features, hidden, classes, bits):
        super().__init__()
        self.first, self.second = nn.Linear(features, hidden), nn.Linear(hidden, classes)
        self.levels = 2 ** bits - 1
        self.register_buffer("ranges", torch.ones(2))

    def activation(self, x, index):
        if self.training:
            self.ranges[index] = 0.9 * self.ranges[index] + 0.1 * x.detach().max()
        top = float(self.ranges[index])
        return torch.fake_quantize_per_tensor_affine(x.clamp(0, top), top / self.levels, 0, 0, 255)

    def weight(self, w):
        scale = float(w.detach().abs().max()) / (self.levels // 2)
        return torch.fake_quantize_per_tensor_affine(w, scale, 0, -128, 127)

    def forward(self, x):
        x = torch.fake_quantize_per_tensor_affine(x.clamp(-3, 3), 6 / 15, 8, 0, 255)   # 4-bit input
        x = torch.relu(nn.functional.linear(x, self.weight(self.first.weight), self.first.bias))
        x = self.activation(x, 0)
        return nn.functional.linear(x, self.weight(self.second.weight), self.second.bias)


torch.manual_seed(0)
x, y = load("breast_cancer.csv")
mlp = train(Standardized(x, nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 2))), x, y, epochs=30)
print("mlp on breast cancer: training accuracy", accuracy(mlp, x, y))
export(mlp, [30], "mlp_breast_cancer.onnx")

torch.manual_seed(0)
standard = (x - x.mean(axis=0)) / x.std(axis=0)
qat = FakeQuantized(30, 16, 2, bits=3).train()
qat = train(qat, standard, y, epochs=30)
print("qat mlp on breast cancer (standardised rows): training accuracy", accuracy(qat, standard, y))
export(qat, [30], "qat_mlp_breast_cancer.onnx")

torch.manual_seed(0)
pixels, digits = load("digits.csv", header=False)
images = (pixels / 16).reshape(-1, 1, 8, 8)
cnn = train(nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(36, 10)),
            images, digits, epochs=20)
print("cnn on digits: training accuracy", accuracy(cnn, images, digits))
export(cnn, [1, 8, 8], "cnn_digits.onnx")
