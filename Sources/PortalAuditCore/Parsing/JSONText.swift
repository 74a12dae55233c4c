import Foundation

/// Values read out of JSON a page embeds (JSON-LD), without parsing it: a hostile page's JSON need not be
/// valid, and the few keys wanted are found in one pass.
enum JSONText {
    /// The string values of `key` in JSON text, and the strings of a list given as its value, read in one
    /// pass (each value at most 128 bytes).
    static func strings(of key: String, in script: ArraySlice<UInt8>, limit: Int) -> [String] {
        let needle = Array("\"\(key)\"".utf8)
        var out: [String] = []
        var i = script.startIndex
        let quote = UInt8(ascii: "\"")
        func string(at start: Int) -> (String, Int)? {
            guard start < script.endIndex, script[start] == quote else { return nil }
            let end = script[(start + 1)...].prefix(128).firstIndex(of: quote) ?? (start + 1)
            return (String(decoding: script[(start + 1)..<end], as: UTF8.self), end + 1)
        }
        while i < script.endIndex, out.count < limit {
            guard script[i] == quote, HTMLScanner.hasPrefix(script, at: i, needle) else {
                i += 1
                continue
            }
            var j = i + needle.count
            while j < script.endIndex, script[j] == 0x20 || script[j] == UInt8(ascii: ":") { j += 1 }
            if j < script.endIndex, script[j] == UInt8(ascii: "[") {
                j += 1
                while out.count < limit {
                    while j < script.endIndex, script[j] == 0x20 || script[j] == UInt8(ascii: ",") { j += 1 }
                    guard let (value, after) = string(at: j) else { break }
                    out.append(value)
                    j = after
                }
            } else if let (value, after) = string(at: j) {
                out.append(value)
                j = after
            }
            i = max(j, i + 1)
        }
        return out
    }
}
