import Foundation

/// Reads raw response header lines (status line first) into fields: names lower-cased and cut at 128
/// bytes, values trimmed and cut at 8 KiB, lines without a colon or a name dropped. Linear.
public enum HeaderLines {
    /// The fields of `lines` (the first line, the status line, is skipped).
    public static func fields(_ lines: [String]) -> [HeaderField] {
        lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            return HeaderField(name: String(name.prefix(128)), value: String(value.prefix(8192)))
        }
    }
}
