import Yams

extension Node {
    /// The node as a plain decimal integer (`30`, `-5`), or `nil`.
    ///
    /// Yams's `int` also reads YAML 1.1's base 60 (`1:30` is 90) and traps on one that overflows
    /// (`99:99:…:99`, found by the profile fuzzer): a user's file is read with this instead, so such a
    /// value is a located error, never a crash.
    public var decimalInteger: Int? {
        guard let scalar, scalar.style == .plain else { return nil }
        return Int(scalar.string)
    }
}
