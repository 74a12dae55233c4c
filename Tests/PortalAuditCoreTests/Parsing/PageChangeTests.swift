import Foundation
import PortalAuditCore
import Testing

@Suite("A home page against the previous scan's: sketches, signatures, changes")
struct PageChangeTests {
    let news = """
        Ủy ban nhân dân xã tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số, lịch tiếp công dân của Chủ tịch,
        thông báo tuyển dụng viên chức, kế hoạch phòng chống thiên tai trong mùa mưa bão năm nay.
        """

    @Test("the sketch is stable across processes and compares texts without keeping them")
    func sketch() {
        // FNV-1a, not Swift's per-process seeded Hasher: a history written yesterday still compares
        #expect(TextSketch.sketch("một hai ba") == [TextSketch.sketch("Một  hai, ba!")].first)
        #expect(TextSketch.similarity(TextSketch.sketch(news), TextSketch.sketch(news)) == 100)
        let other = "Best prices on replica watches, free shipping worldwide on every order, discount codes every day."
        #expect(TextSketch.similarity(TextSketch.sketch(news), TextSketch.sketch(other)) == 0)
        // The day's news changes one sentence: most of the page is shared
        let next = news + " Thông báo lịch cắt điện ngày mai."
        #expect(TextSketch.similarity(TextSketch.sketch(news), TextSketch.sketch(next)) >= 50)
        #expect(TextSketch.similarity([], []) == 100)
        #expect(TextSketch.sketch(news).count == TextSketch.size)
    }

    @Test(
        "defacers' signatures: any in the title, only 'hacked by' or 'defaced by' in the text",
        arguments: [
            ("Hacked by Lab Team", "", ["hacked by", "hacked"]),
            ("H4CK3D BY L4B T34M", "", ["hacked by", "hacked"]),
            ("Cổng thông tin điện tử xã A", "Trang bị hacked by nhóm X", ["hacked by"]),
            ("Cổng thông tin điện tử xã A", "Cảnh báo hacker giả danh cán bộ; website owned by UBND", []),
            ("Trang bị hack", "", ["bi hack"]),
            ("Cổng thông tin điện tử xã A", "", []),
        ] as [(String, String, [String])])
    func marks(_ title: String, _ text: String, _ expected: [String]) {
        #expect(DefacementMarks.find(title: title, text: text) == expected)
    }

    @Test("the change: titles, similarity and the domains linked for the first time")
    func change() {
        let before = PageFingerprint.of(
            title: "Xã A", text: news, links: ["https://chinhphu.vn/", "/tin-tuc", "https://xa-a.gov.vn/lien-he"],
            host: "xa-a.gov.vn")
        #expect(before.outbound == ["chinhphu.vn"])
        let after = PageFingerprint.of(
            title: "Cheap watches", text: "replica watches free shipping worldwide",
            links: ["https://shop-a.example/", "https://chinhphu.vn/", "https://shop-b.example/x"], host: "xa-a.gov.vn")
        let at = Date(timeIntervalSince1970: 1_796_000_000)
        let change = PageChange.between(before, at: at, and: after)
        #expect(change.previousTitle == "Xã A" && change.title == "Cheap watches")
        #expect(change.similarity == 0)
        #expect(change.newOutbound == ["shop-a.example", "shop-b.example"] && change.previousOutbound == 1)
        #expect(change.previousObservedAt == at)
    }
}
