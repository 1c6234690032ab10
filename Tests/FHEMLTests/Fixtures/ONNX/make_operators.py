# Small ONNX graphs, one or a few operators each, for NetworkTests.swift's operator coverage,
# built with onnx.helper (onnx 1.23) and evaluated by onnx's reference evaluator on seeded random
# inputs. Writes operators/NAME.onnx and operators/NAME.json ({"inputs": [...], "outputs": [...]},
# each row flattened without the batch dimension). Run from this folder: python3 make_operators.py
# (needs numpy and onnx; the package itself never runs Python)
import json
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

rng = np.random.default_rng(0)


def const(name, values, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def weights(name, *shape):
    return const(name, rng.normal(0, 0.5, shape))


def save(name, nodes, input_shape, initializers, opset=17, samples=24, low=-2.0, high=2.0, reference_opset=None):
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1] + input_shape)],
        [helper.make_value_info("y", helper.make_tensor_type_proto(TensorProto.FLOAT, None))], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, f"operators/{name}.onnx")
    # QuantizeLinear and DequantizeLinear of opset 17 mean what they mean in opset 19 (per tensor),
    # the first the reference evaluator implements.
    reference = onnx.ModelProto()
    reference.CopyFrom(model)
    if reference_opset:
        reference.opset_import[0].version = reference_opset
    evaluator = ReferenceEvaluator(reference)
    inputs = rng.uniform(low, high, [samples] + input_shape).astype(np.float32)
    outputs = [evaluator.run(None, {"x": row[None]})[0].reshape(-1).tolist() for row in inputs]
    with open(f"operators/{name}.json", "w") as file:
        json.dump({"inputs": inputs.reshape(samples, -1).tolist(), "outputs": outputs}, file)


N = helper.make_node

save("gemm", [N("Gemm", ["x", "w", "c"], ["h"], alpha=0.5, beta=2.0, transB=1), N("Relu", ["h"], ["y"])],
     [4], [weights("w", 3, 4), weights("c", 3)])
save("matmul_add_sigmoid", [N("MatMul", ["x", "w"], ["h"]), N("Add", ["h", "b"], ["a"]), N("Sigmoid", ["a"], ["y"])],
     [4], [weights("w", 4, 3), weights("b", 3)])
save("sub_mul_div_tanh", [N("Sub", ["x", "m"], ["s"]), N("Mul", ["s", "k"], ["p"]), N("Div", ["p", "d"], ["q"]),
                          N("Gemm", ["q", "w"], ["h"]), N("Tanh", ["h"], ["y"])],
     [4], [weights("m", 4), const("k", 1.5), const("d", [0.5, 2.0, 1.0, 4.0]), weights("w", 4, 3)])
for op, attributes in [("LeakyRelu", {"alpha": 0.1}), ("Elu", {"alpha": 0.8}), ("Selu", {}), ("HardSigmoid", {"alpha": 0.3}),
                       ("Softplus", {})]:
    save(op.lower(), [N("Gemm", ["x", "w"], ["h"]), N(op, ["h"], ["a"], **attributes), N("Gemm", ["a", "v"], ["y"])],
         [4], [weights("w", 4, 5), weights("v", 5, 2)])
save("clip", [N("Gemm", ["x", "w"], ["h"]), N("Clip", ["h", "lo", "hi"], ["a"]), N("Gemm", ["a", "v"], ["y"])],
     [4], [weights("w", 4, 5), const("lo", -0.5), const("hi", 0.8), weights("v", 5, 2)])
save("conv_groups_strides", [N("Conv", ["x", "w", "b"], ["c"], group=2, strides=[2, 2], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
                             N("Relu", ["c"], ["r"]), N("Flatten", ["r"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [2, 6, 6], [weights("w", 4, 1, 3, 3), weights("b", 4), weights("v", 36, 3)])
save("conv_dilations_global_pool", [N("Conv", ["x", "w"], ["c"], dilations=[2, 2], pads=[2, 1, 2, 1]), N("Relu", ["c"], ["r"]),
                                    N("GlobalAveragePool", ["r"], ["g"]), N("Flatten", ["g"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [2, 5, 5], [weights("w", 3, 2, 3, 3), weights("v", 3, 2)])
save("average_pool_pads", [N("Conv", ["x", "w"], ["c"]), N("Relu", ["c"], ["r"]),
                           N("AveragePool", ["r"], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0),
                           N("Flatten", ["p"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [1, 6, 6], [weights("w", 2, 1, 1, 1), weights("v", 18, 2)])
save("max_pool", [N("Conv", ["x", "w"], ["c"]), N("Relu", ["c"], ["r"]),
                  N("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 1, 1]),
                  N("Flatten", ["p"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [1, 5, 5], [weights("w", 2, 1, 3, 3), weights("v", 8, 2)])
save("reshape_transpose_squeeze", [N("Reshape", ["x", "shape"], ["a"]), N("Transpose", ["a"], ["t"], perm=[0, 2, 1]),
                                   N("Unsqueeze", ["t", "axes"], ["u"]), N("Squeeze", ["u", "axes"], ["s"]),
                                   N("Flatten", ["s"], ["f"]), N("Gemm", ["f", "w"], ["h"]), N("Relu", ["h"], ["y"])],
     [2, 3], [const("shape", [1, 3, 2], np.int64), const("axes", [1], np.int64), weights("w", 6, 3)])
save("concat", [N("Gemm", ["x", "a"], ["p"]), N("Relu", ["p"], ["r"]), N("Gemm", ["x", "b"], ["q"]), N("Sigmoid", ["q"], ["s"]),
                N("Concat", ["r", "s"], ["c"], axis=1), N("Gemm", ["c", "v"], ["y"])],
     [4], [weights("a", 4, 3), weights("b", 4, 2), weights("v", 5, 2)])
save("pad_conv", [N("Pad", ["x", "pads"], ["p"]), N("Conv", ["p", "w"], ["c"]), N("Relu", ["c"], ["r"]),
                  N("Flatten", ["r"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [1, 4, 4], [const("pads", [0, 0, 1, 1, 0, 0, 1, 1], np.int64), weights("w", 2, 1, 3, 3), weights("v", 32, 2)])
save("batch_normalization", [N("Conv", ["x", "w"], ["c"]), N("BatchNormalization", ["c", "g", "b", "m", "s"], ["n"]),
                             N("Relu", ["n"], ["r"]), N("BatchNormalization", ["r", "g", "b", "m", "s"], ["n2"]),
                             N("Flatten", ["n2"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [1, 4, 4], [weights("w", 2, 1, 3, 3), const("g", [1.5, 0.5]), const("b", [0.1, -0.2]), const("m", [0.2, -0.1]),
                 const("s", [0.5, 2.0]), weights("v", 8, 2)])
save("identity_constant", [N("Constant", [], ["w"], value=weights("w", 4, 3)), N("Identity", ["x"], ["i"]),
                           N("MatMul", ["i", "w"], ["h"]), N("Relu", ["h"], ["y"])], [4], [])
save("quantize_dequantize", [N("QuantizeLinear", ["x", "sx", "zx"], ["qx"]), N("DequantizeLinear", ["qx", "sx", "zx"], ["dx"]),
                             N("QuantizeLinear", ["w", "sw", "zw"], ["qw"]), N("DequantizeLinear", ["qw", "sw", "zw"], ["dw"]),
                             N("MatMul", ["dx", "dw"], ["h"]), N("Relu", ["h"], ["r"]),
                             N("QuantizeLinear", ["r", "sr", "zr"], ["qr"]), N("DequantizeLinear", ["qr", "sr", "zr"], ["y"])],
     [4], [const("sx", 0.25), const("zx", 8, np.uint8), weights("w", 4, 3), const("sw", 0.1), const("zw", 0, np.int8),
           const("sr", 0.2), const("zr", 0, np.uint8)], reference_opset=19)
save("reduce_mean_sum", [N("Conv", ["x", "w"], ["c"]), N("Relu", ["c"], ["r"]), N("ReduceMean", ["r"], ["m"], axes=[2, 3], keepdims=0),
                         N("ReduceSum", ["r", "axes"], ["s"], keepdims=0), N("Flatten", ["s"], ["f"]), N("Concat", ["m", "f"], ["c2"], axis=1),
                         N("Gemm", ["c2", "v"], ["y"])],
     [1, 3, 3], [weights("w", 2, 1, 2, 2), const("axes", [1], np.int64), weights("v", 6, 2)])
save("expand", [N("Gemm", ["x", "w"], ["h"]), N("Relu", ["h"], ["r"]), N("Unsqueeze", ["r", "axes"], ["u"]),
                N("Expand", ["u", "shape"], ["e"]), N("Flatten", ["e"], ["f"]), N("Gemm", ["f", "v"], ["y"])],
     [4], [weights("w", 4, 3), const("axes", [1], np.int64), const("shape", [1, 2, 3], np.int64), weights("v", 6, 2)])
for op in ["Softmax", "LogSoftmax", "ReduceMax"]:
    extra = {"keepdims": 0} if op == "ReduceMax" else {}
    save(op.lower() + "_output", [N("Gemm", ["x", "w"], ["h"]), N(op, ["h"], ["y"], **extra)], [4], [weights("w", 4, 3)],
         opset=17)
