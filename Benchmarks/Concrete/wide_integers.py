"""Concrete 2.11's figures for the wide-integer circuits of RuntimeBenchmarks (issue 14), for the
side-by-side table in Benchmarks/README.md. Not part of the build: `pip install concrete-python==2.11.0`,
then `python3 Benchmarks/Concrete/wide_integers.py [name ...]`. Each circuit: compile, keygen,
then the median of the runs (encrypt and decrypt excluded), PBS count and key sizes."""
import random
import statistics
import sys
import time

import numpy as np
from concrete import fhe


def pairs(bits):
    top = (1 << bits) - 1
    edges = [(0, 0), (0, top), (top, 0), (top, top)]
    return edges + [(random.randint(0, top), random.randint(0, top)) for _ in range(60)]


def square_modulo(modulus):
    return lambda x: fhe.univariate(lambda v: (v * v) % modulus)(x)


CIRCUITS = {
    "lt_uint8": (lambda x, y: x < y, pairs(8), (200, 201)),
    "lt_uint16": (lambda x, y: x < y, pairs(16), (40000, 39999)),
    "min_uint8": (lambda x, y: np.minimum(x, y), pairs(8), (200, 13)),
    "mul_uint8": (lambda x, y: x * y, pairs(8), (200, 13)),
    "tlu9": (square_modulo(509), list(range(512)), (300,)),
    "tlu10": (square_modulo(1021), list(range(1024)), (700,)),
    "tlu12": (square_modulo(4093), list(range(4096)), (3000,)),
    "tlu16": (square_modulo(65521), [0, 65535] + [random.randint(0, 65535) for _ in range(200)], (50000,)),
}


def measure(name):
    function, inputset, arguments = CIRCUITS[name]
    if len(arguments) == 2:
        compiler = fhe.Compiler(lambda x, y: function(x, y), {"x": "encrypted", "y": "encrypted"})
    else:
        compiler = fhe.Compiler(lambda x: function(x), {"x": "encrypted"})
    start = time.perf_counter()
    circuit = compiler.compile(inputset)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    circuit.keygen(force=True)
    keygen_s = time.perf_counter() - start
    encrypted = circuit.encrypt(*arguments)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        result = circuit.run(encrypted)
        runs.append(time.perf_counter() - start)
    value = circuit.decrypt(result)
    print(f"{name}: run {statistics.median(runs):.3f} s (runs {', '.join(f'{r:.3f}' for r in runs)}), keygen {keygen_s:.2f} s, "
          f"compile {compile_s:.2f} s, PBS {circuit.programmable_bootstrap_count}, "
          f"bootstrap keys {circuit.size_of_bootstrap_keys} B, keyswitch keys {circuit.size_of_keyswitch_keys} B, "
          f"result {value}", flush=True)


if __name__ == "__main__":
    for name in sys.argv[1:] or CIRCUITS:
        try:
            measure(name)
        except Exception as error:  # a circuit Concrete refuses: say so and go on
            print(f"{name}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}", flush=True)
