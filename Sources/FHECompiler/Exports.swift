// `import FHECompiler` brings the program contract (`Tensor`, `Program`) with it.
@_exported import FHEProgram
