import FHEProgram
extension Operation {
    /// The parameter name of an input node.
    var inputName: String {
        if case let .input(_, name) = self { return name }
        return name
    }
}
