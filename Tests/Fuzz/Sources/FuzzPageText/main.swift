import FuzzSupport
import PortalAuditCore

/// Page text, title, feed links, mandatory information, mixed content and gambling spam of arbitrary bytes.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = PageText.text(of: bytes, limit: 512 << 10)
    _ = HTMLTitle.extract(bytes)
    _ = PageText.feedLinks(in: bytes)
    _ = MandatoryInfo.check(text)
    _ = MandatoryInfo.containsEmailAddress(String(decoding: bytes, as: UTF8.self))
    let mixed = MixedContent.find(in: bytes)
    if mixed.active.count > 20 || mixed.passive.count > 20 { fatalError("more than the cap listed") }
    let spam = SpamScan.scan(bytes, host: "xa-a.thanhhoa.gov.vn")
    if spam.hits.count > 12 || spam.injected != (spam.score >= SpamScan.threshold) {
        fatalError("spam facts inconsistent")
    }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
