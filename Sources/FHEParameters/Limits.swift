/// Every bound the code assumes, in one place. Each is checked where outside data or a user's
/// request meets it, with an error naming it; the C kernels mirror the last two
/// (`CTFHE_MAX_GLWE_DIMENSION`, `CTFHE_MAX_THREADS` in `ctfhe.h`, kept equal by a test).
///
/// | bound | value | why |
/// |---|---|---|
/// | `maximumLookupBitWidth` | 10 | the widest TLU input the compiler emits, one PBS: N ≤ 2^16, keys of about 9 GiB at 10 bits |
/// | `maximumWideLookupBitWidth` | 16 | a lookup wider than one PBS (or of 9–10 bits, by choice) is a WoP-PBS (`ServerKey.wideLookup`): 2^16-entry tables, one GGSW per input bit |
/// | `defaultLookupBitWidth` | 8 | the width ML models round their accumulators to by default: keys stay under 2 GiB |
/// | `maximumEncryptedBitWidth` | 32 | an encrypted levelled value (a sum) no parameter set decrypts beyond |
/// | `maximumClearTableBitWidth` | 16 | a Swift function on a clear value is written as a table of 2^w entries |
/// | `maximumProgramLookupBitWidth` | 16 | a lookup of a program read from elsewhere: bounds its tables |
/// | `maximumIntegerBitWidth` | 62 | register types: encodings mod 2^(w+1) fit a 64-bit word with room |
/// | `maximumTensorElements`, `maximumTensorRank` | 2^24, 8 | a register, a tensor read from elsewhere |
/// | `maximumRegisters`, `maximumInstructions`, `maximumArguments` | 2^20, 2^20, 1024 | a program read from elsewhere |
/// | `messageBits` | 1…16 | a message the PBS decodes: at most log2(N) − 1 bits |
/// | `optimizerBits` | 1…10 | lookups the optimizer searches parameters for |
/// | `lweDimensions`, `glweDimensions`, `polynomialSizes` | 1…2^14, 1…16, 2^8…2^17 | parameter sets the kernels run |
/// | `maximumThreadCount` | 4096 | threads of one batch |
public enum Limits {
    public static let maximumLookupBitWidth = 10
    public static let maximumWideLookupBitWidth = 16
    public static let defaultLookupBitWidth = 8
    public static let maximumEncryptedBitWidth = 32
    public static let maximumClearTableBitWidth = 16
    public static let maximumProgramLookupBitWidth = 16
    public static let maximumIntegerBitWidth = 62
    public static let maximumTensorElements = 1 << 24
    public static let maximumTensorRank = 8
    public static let maximumRegisters = 1 << 20
    public static let maximumInstructions = 1 << 20
    public static let maximumArguments = 1024
    public static let messageBits = 1...16
    public static let optimizerBits = 1...10
    public static let lweDimensions = 1...(1 << 14)
    public static let glweDimensions = 1...16
    public static let polynomialSizes = 256...(1 << 17)
    public static let maximumThreadCount = 4096
}
