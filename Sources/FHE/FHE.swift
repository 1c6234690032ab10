// The umbrella module: `import FHE` brings in every public module of swift-fhe.
@_exported import FHEParameters
@_exported import TFHE
@_exported import FHEOptimizer
@_exported import FHEProgram
@_exported import FHECompiler
@_exported import FHERuntime
@_exported import FHEDeployment
@_exported import FHEML
