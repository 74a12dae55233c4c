import Foundation
import Testing

@testable import PortalAuditKit

/// What a portal sends can reach an alert: its name, its address, the evidence of a defacement (link hosts
/// decoded from `%0A`). None of it may add a line to the e-mail or to the webhook's message.
@Suite("Alert bodies: nothing a portal sends adds a line")
struct AlertBodyTests {
    static let hostile = Alert(
        kind: .defaced, url: "https://xa.gov.vn/\r\nBcc: all@example.org", name: "Xã Yên Thái\nBcc: all@example.org",
        at: Date(timeIntervalSince1970: 1_796_000_000),
        detail: "replaced; links: evil.example\n.\r\nMAIL FROM:<a@example.org>\u{85}\u{2028}\u{7F}\u{0}end")

    @Test("the e-mail: every line ends in CRLF, no bare CR or LF, no early end of DATA, no added header")
    func email() {
        let text = String(
            decoding: AlertSender.message(Self.hostile, from: "a@example.org", to: ["b@example.org"]), as: UTF8.self)
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "a bare LF at \(index)") }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "a bare CR at \(index)") }
        }
        #expect(!text.contains("\r\n.\r\n"))
        #expect(!text.contains("\r\nBcc:"))
        #expect(!text.contains("\r\nMAIL FROM"))
        #expect(
            !text.unicodeScalars.contains {
                $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0 || $0.value == 0x7F
            })
        #expect(text.contains("evil.example\u{FFFD}.\u{FFFD}\u{FFFD}MAIL FROM"))
    }

    @Test("the webhook: no control character in any text it posts")
    func webhook() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(AlertSender.json(Self.hostile))) as? [String: Any])
        for key in ["url", "name", "detail", "subject"] {
            let text = try #require(object[key] as? String, "\(key)")
            #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(key): \(text)")
        }
    }
}
