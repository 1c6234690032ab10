// `import FHEOptimizer` brings the parameter types, the security curve and the noise model with it.
@_exported import FHEParameters
