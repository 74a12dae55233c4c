import FuzzSupport
import PortalAuditCore

/// Header lines, cookies (parsed and redacted) and HSTS values of arbitrary text.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for field in HeaderLines.fields(lines) {
        if let cookie = CookieParser.parse(field.value) {
            let redacted = CookieParser.redacted(field.value)
            if !redacted.hasPrefix(cookie.name + "=…") { fatalError("redaction kept more than the name: \(redacted)") }
        }
        _ = HSTSHeader(parsing: field.value)
    }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
