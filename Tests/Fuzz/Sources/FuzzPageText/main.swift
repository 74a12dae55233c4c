import Foundation
import FuzzSupport
import PortalAuditCore

/// Page text, title, feed links, mandatory information, mixed content, gambling spam, the sample's links
/// (anchors, search form, sitemap, robots.txt), the defacement fingerprint and the software fingerprint of
/// arbitrary bytes.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = PageText.text(of: bytes, limit: 512 << 10)
    _ = HTMLTitle.extract(bytes)
    _ = PageText.feedLinks(in: bytes)
    let footer = MandatoryInfo.footer(of: bytes[...])
    _ = MandatoryInfo.check(footer: footer, contactPage: bytes, page: bytes[...])
    _ = MandatoryInfo.contactLink(in: bytes[...])
    if EmailAddresses.find(in: text).count > 16 || PhoneNumbers.find(in: text).count > 16 {
        fatalError("more addresses than the cap")
    }
    _ = VietnameseDates.structuredDates(in: bytes[...], now: Date())
    let mixed = MixedContent.find(in: bytes)
    if mixed.active.count > 20 || mixed.passive.count > 20 { fatalError("more than the cap listed") }
    let spam = SpamScan.scan(bytes, host: "xa-a.thanhhoa.gov.vn")
    if spam.hits.count > 12 || spam.injected != (spam.score >= SpamScan.threshold || spam.forwarded == true) {
        fatalError("spam facts inconsistent")
    }
    let anchors = PageLinks.anchors(in: bytes[...])
    if anchors.count > 400 { fatalError("more anchors than the cap") }
    _ = PageLinks.searchForm(in: bytes[...])
    if Sitemap.entries(in: bytes[...], limit: 50).entries.count > 50 { fatalError("more entries than the cap") }
    let robots = RobotsRules(String(decoding: bytes, as: UTF8.self), agent: "portal-audit")
    _ = robots.allows("/tin-tuc/" + String(decoding: bytes.prefix(64), as: UTF8.self))
    let fingerprint = PageFingerprint.of(title: HTMLTitle.extract(bytes), text: text, links: anchors, host: "xa-a.vn")
    if fingerprint.sketch.count > TextSketch.size || fingerprint.outbound.count > 50 { fatalError("sketch over cap") }
    _ = SoftwareFingerprint.identify(headers: [], body: bytes[...])
    _ = SoftwareFingerprint.feedGenerator(bytes[...])
    _ = SoftwareFingerprint.joomlaManifest(bytes[...])
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
