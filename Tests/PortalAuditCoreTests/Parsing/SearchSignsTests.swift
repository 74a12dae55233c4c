import Foundation
import PortalAuditCore
import Testing

@Suite("Search-engine hijacking signs on a page")
struct SearchSignsTests {
    private func bytes(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

    @Test("verification tokens of every engine's meta tag, cleaned; junk values and other metas are not tokens")
    func tokens() {
        let html = """
            <meta name="google-site-verification" content=" Xq3n0aKf9bLmT2uVwYz1cD4eF5gH6iJ7kL8mN9oP0qR ">
            <META NAME="msvalidate.01" CONTENT="0A1B2C3D4E5F60718293A4B5C6D7E8F9">
            <meta name="yandex-verification" content="4f6c1e2d9a8b7c6d">
            <meta name="google-site-verification" content="<script>alert(1)</script>">
            <meta name="description" content="Cổng thông tin điện tử xã A">
            """
        #expect(
            SearchSigns.verificationTokens(in: bytes(html)) == [
                "google:Xq3n0aKf9bLmT2uVwYz1cD4eF5gH6iJ7kL8mN9oP0qR", "bing:0A1B2C3D4E5F60718293A4B5C6D7E8F9",
                "yandex:4f6c1e2d9a8b7c6d",
            ])
        #expect(
            SearchSigns.bingTokens(in: bytes("<?xml version=\"1.0\"?><users><user>0A1B2C3D4E5F</user></users>"))
                == ["bing:0A1B2C3D4E5F"])
    }

    @Test("JSON-LD types, single or listed, with or without the schema.org prefix")
    func types() {
        let html = """
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",
            "aggregateRating":{"@type": "AggregateRating","ratingValue":"4.9"},
            "offers":{"@type":["Offer", "https://schema.org/Thing"]}}</script>
            <script type="application/ld+json">{"@type":"GovernmentOrganization","name":"UBND xã A"}</script>
            """
        let found = SearchSigns.structuredTypes(in: bytes(html))
        #expect(found == ["Product", "AggregateRating", "Offer", "Thing", "GovernmentOrganization"])
        let facts = SearchFacts(verification: [], types: found, siteNames: [])
        #expect(facts.commerce == ["Product", "AggregateRating", "Offer"])
    }

    @Test(
        "a site name is unlike the inventory's when the words that say whose it is differ",
        arguments: [
            ("Cổng TTĐT xã An Bình", "Cổng thông tin điện tử xã An Bình", false),
            ("UBND XA AN BINH", "Cổng thông tin điện tử xã An Bình", false),
            ("Nhà cái uy tín Kubet", "Cổng thông tin điện tử xã An Bình", true),
            ("Cổng thông tin điện tử", "Cổng thông tin điện tử xã An Bình", false),
        ])
    func names(_ shown: String, _ declared: String, _ differ: Bool) {
        #expect(SearchSigns.namesDiffer(shown: shown, declared: declared) == differ)
    }

    @Test("sitemap entries on other hosts are counted, the portal's own and its subdomains are not")
    func offHost() {
        let urls = [
            "https://xa-a.tinh.gov.vn/tin/1.html", "/tin/2.html", "https://www.xa-a.tinh.gov.vn/3.html",
            "https://kubet.example/xa-a/1.html", "https://kubet.example/xa-a/2.html",
        ]
        let found = SearchSigns.offHost(urls, host: "xa-a.tinh.gov.vn")
        #expect(
            found.count == 2
                && found.samples == ["https://kubet.example/xa-a/1.html", "https://kubet.example/xa-a/2.html"])
    }

    @Test("hostile input is bounded: a megabyte of @type keys and verification metas")
    func bounded() {
        let script = "<script>" + String(repeating: "\"@type\":[\"Product\",", count: 60_000) + "</script>"
        #expect(SearchSigns.structuredTypes(in: bytes(script)).count <= 16)
        let metas = String(
            repeating: "<meta name=\"google-site-verification\" content=\"abcd1234\">", count: 20_000)
        #expect(SearchSigns.verificationTokens(in: bytes(metas)) == ["google:abcd1234"])
    }
}
