# The reference results of TrainingTests.swift, computed with scikit-learn 1.9.1 on the bundled
# datasets (Sources/FHEML/Datasets/Data). Run: python3 make_references.py (needs scikit-learn).
import numpy as np
from sklearn.linear_model import LinearRegression, Ridge, LogisticRegression

data = "../../../Sources/FHEML/Datasets/Data/"
iris = np.loadtxt(data + "iris.csv", delimiter=",", skiprows=1)
x, y = iris[:, :3], iris[:, 3]          # petal width from the other three measurements
print("ols", LinearRegression().fit(x, y).coef_.tolist(), LinearRegression().fit(x, y).intercept_)
ridge = Ridge(alpha=10.0).fit(x, y)
print("ridge", ridge.coef_.tolist(), ridge.intercept_)

features, labels = iris[:, :4], iris[:, 4].astype(int)
standard = (features - features.mean(axis=0)) / features.std(axis=0)
binary = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(standard, (labels == 2).astype(int))
print("binary", binary.coef_.ravel().tolist(), binary.intercept_.tolist())
multi = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(standard, labels)
print("multinomial", multi.coef_.tolist(), multi.intercept_.tolist())
