// `import FHEDeployment` brings the program contract (`Tensor`, `Program`, `ServerArtifact`'s contents) with it.
@_exported import FHEProgram
