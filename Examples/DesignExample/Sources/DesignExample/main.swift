// The example of DESIGN.md §5, as written, between the lines that give it a server file and
// check its results.
import Foundation
let serverURL = FileManager.default.temporaryDirectory.appendingPathComponent("design-example-\(UUID().uuidString).fhe")
defer { try? FileManager.default.removeItem(at: serverURL) }

import FHE

// Trace and compile. Parameters are named and ordered; the closure receives one Tracer per parameter.
let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in
    let (x, y) = (args[0], args[1])
    return (x * x + y) % 13
}
let circuit = try compiler.compile(inputset: [[3, 1], [15, 2], [0, 0]])   // [[Tensor]]: one Tensor per parameter
print(circuit.graph)                  // the op-graph, each node with its type, bit-width and bounds
circuit.statistics.programmableBootstrapCount

// The virtual library: the same computation in the clear, TLUs included.
let y0 = try circuit.simulate(7, 2)   // → Tensor

// FHE in one process.
try circuit.keygen()
let encrypted = try circuit.encrypt(7, 2)
let result = try circuit.run(encrypted)
let y1 = try circuit.decrypt(result)  // → Tensor
let y2 = try circuit.encryptRunDecrypt(7, 2)

// Deployment: the server never sees a secret key.
try circuit.server.save(to: serverURL)
let server = try Server.load(from: serverURL)
let client = Client(specs: try ClientSpecs(serialized: server.clientSpecs.serialized()))
try client.keygen()
let keys = try EvaluationKeys(serialized: client.evaluationKeys.serialized())
let arguments = try EncryptedArguments(serialized: client.encrypt(7, 2).serialized())
let output = try server.run(arguments, evaluationKeys: keys)
let y3 = try client.decrypt(try EncryptedResult(serialized: output.serialized()))

// The client keeps its secret keys between sessions; no server API accepts them.
let saved = try client.keys.serialized()
let sameClient = Client(specs: client.specs, keys: try ClientKeys(serialized: saved))

let results = [y0, y1, y2, y3, try sameClient.decrypt(output)]
print("(7·7 + 2) mod 13: simulate, FHE, encryptRunDecrypt, server, saved client keys → \(results)")
guard results.allSatisfy({ $0 == 12 }) else {
    print("the example gave a wrong result")
    exit(1)
}
