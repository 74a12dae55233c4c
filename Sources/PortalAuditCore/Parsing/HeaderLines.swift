import Foundation

/// Reads raw response header lines (status line first) into fields: names lower-cased and cut at 128
/// bytes, values trimmed and cut at 8 KiB, lines without a colon or a name dropped. Linear.
public enum HeaderLines {
    /// The fields of `lines` (the first line, the status line, is skipped).
    public static func fields(_ lines: [String]) -> [HeaderField] {
        lines.dropFirst().compactMap { line in
            let bytes = line.utf8
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let name = trimmed(bytes[..<colon].prefix(256)).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            guard !name.isEmpty else { return nil }
            let value = trimmed(bytes[bytes.index(after: colon)...].prefix(8192 + 64))
            return HeaderField(
                name: String(String(decoding: name, as: UTF8.self).prefix(128)),
                value: String(String(decoding: value, as: UTF8.self).prefix(8192)))
        }
    }

    private static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }
}
