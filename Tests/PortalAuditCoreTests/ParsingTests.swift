import Foundation
import PortalAuditCore
import Testing

@Suite("Parsing")
struct ParsingTests {
    @Test(
        "targets: hosts and URLs as users type them",
        arguments: [
            ("xa-abc.tinh.gov.vn", "https://xa-abc.tinh.gov.vn/", 443, 80),
            ("https://XA-ABC.tinh.gov.vn:8443/portal", "https://xa-abc.tinh.gov.vn:8443/portal", 8443, 80),
            ("http://xa-abc.tinh.gov.vn:8080/", "https://xa-abc.tinh.gov.vn/", 443, 8080),
            ("https://[::1]:18401/", "https://[::1]:18401/", 18401, 80),
        ])
    func targets(text: String, url: String, httpsPort: Int, httpPort: Int) throws {
        let target = try #require(Target.parse(text))
        #expect(target.url == url)
        #expect(target.httpsPort == httpsPort)
        #expect(target.httpPort == httpPort)
    }

    @Test(
        "unusable targets are rejected",
        arguments: [
            "", "ftp://host/", "https://", "https://exa mple.vn/", "https://host:99999/", "https://user@host/",
            "-bad-.vn",
            "https://ho$t.vn/",
        ])
    func badTargets(text: String) {
        #expect(Target.parse(text) == nil)
    }

    @Test("--http-port overrides the redirect port")
    func httpPort() throws {
        let target = try #require(Target.parse("https://a.gov.vn:18401/", httpPort: 18451))
        #expect(target.httpURL == "http://a.gov.vn:18451/")
    }

    @Test(
        "Set-Cookie flags are read, values never kept",
        arguments: [
            ("PHPSESSID=abc; path=/", CookieFacts(name: "PHPSESSID", secure: false, httpOnly: false, sameSite: nil)),
            (
                "sid=1; Secure; HttpOnly; SameSite=strict",
                CookieFacts(name: "sid", secure: true, httpOnly: true, sameSite: "Strict")
            ),
            ("a=b;secure;samesite=None", CookieFacts(name: "a", secure: true, httpOnly: false, sameSite: "None")),
        ])
    func cookies(header: String, expected: CookieFacts) {
        #expect(CookieParser.parse(header) == expected)
    }

    @Test("a Set-Cookie without a name is ignored")
    func namelessCookie() {
        #expect(CookieParser.parse("=value") == nil)
        #expect(CookieParser.parse("garbage") == nil)
    }

    @Test(
        "HSTS values",
        arguments: [
            ("max-age=31536000; includeSubDomains", 31_536_000, true),
            ("max-age=\"600\"", 600, false),
            ("MAX-AGE=0;preload", 0, false),
        ])
    func hsts(value: String, maxAge: Int, include: Bool) throws {
        let parsed = try #require(HSTSHeader(parsing: value))
        #expect(parsed.maxAge == maxAge)
        #expect(parsed.includeSubDomains == include)
    }

    @Test("malformed HSTS is nil", arguments: ["includeSubDomains", "max-age=-1", "max-age=1; max-age=2", "max-age"])
    func badHSTS(value: String) {
        #expect(HSTSHeader(parsing: value) == nil)
    }

    @Test("SHA-256 matches the FIPS 180-4 vectors")
    func sha256() {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

@Suite("Mixed content")
struct MixedContentTests {
    @Test("active and passive http:// loads are told apart; https, relative, protocol-relative and feeds are not")
    func kinds() {
        let page = Array(
            """
            <SCRIPT SRC=http://a.vn/x.js></SCRIPT><script src="https://a.vn/y.js"></script>
            <script src="//a.vn/z.js"></script><iframe src='http://b.vn/f'></iframe>
            <link rel="alternate" href="http://a.vn/rss"><link rel="shortcut icon" href="http://a.vn/i.ico">
            <img src="/local.png"><img src="HTTP://c.vn/p.jpg"><!-- <script src="http://d.vn/c.js"> -->
            <form action="http://e.vn/post"><object data="http://f.vn/o.swf"></object>
            """.utf8)
        let found = MixedContent.find(in: page)
        #expect(
            found.active == [
                "script http://a.vn/x.js", "iframe http://b.vn/f", "form http://e.vn/post", "object http://f.vn/o.swf",
            ])
        #expect(found.passive == ["link http://a.vn/i.ico", "img HTTP://c.vn/p.jpg"])
    }

    @Test("a hostile page (unclosed tags, a megabyte attribute) is bounded and listed at most 20 times")
    func hostile() {
        var page = Array(String(repeating: "<img src=http://x.vn/a.jpg>", count: 5_000).utf8)
        page += Array("<script src=\"http://".utf8) + Array(repeating: UInt8(ascii: "a"), count: 1 << 20)
        let found = MixedContent.find(in: page)
        #expect(found.passive.count == 1)
        #expect(found.active.count <= 1)
        #expect(found.active.allSatisfy { $0.count <= 210 })
    }
}
