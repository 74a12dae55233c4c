import Foundation

/// Reads the `<title>` of an HTML page leniently: bytes decoded as UTF-8 with replacement, tags and
/// control characters dropped, the common entities decoded, whitespace collapsed, 300 characters at most.
public enum HTMLTitle {
    /// The page's title, or `nil` when it has none. Looks at the first 256 KiB, in linear time.
    public static func extract(_ body: [UInt8]) -> String? {
        HTMLScanner.title(body.prefix(256 << 10))
    }
}
