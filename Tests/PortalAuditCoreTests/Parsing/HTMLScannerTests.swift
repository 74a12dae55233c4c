import Foundation
import PortalAuditCore
import Testing

@Suite("Hostile HTML is read in one pass, as a browser shows it")
struct HTMLScannerTests {
    private func text(_ html: String) -> String { PageText.text(of: Array(html.utf8)) }

    @Test("multi-line scripts, styles and comments are not page text, in any case")
    func rawTextBlocks() {
        // Given a page whose only date and e-mail sit in a multi-line script, a style and a comment
        let html = """
            <p>Giới thiệu</p><script type="text/javascript">
              var d = "01/12/2026"; var e = "email: a@b.vn";
            </SCRIPT ><STYLE>
              /* 30/11/2026 */ body { color: red }
            </style><!-- Email: c@d.vn
            --><p>Bản quyền</p>
            """
        // When its visible text is read
        let visible = text(html)
        // Then none of them counts
        #expect(visible == "Giới thiệu Bản quyền")
        #expect(VietnameseDates.dates(in: visible, now: Date()).isEmpty)
        #expect(EmailAddresses.find(in: visible).isEmpty)
    }

    @Test("an unclosed script or tag hides the rest; a lone < is text; entities are decoded")
    func edges() {
        #expect(text("<p>a</p><script>x = 1; <p>b</p>") == "a")
        #expect(text("a <b c=\"1\" b") == "a")
        #expect(
            text("1 < 2 &amp;&amp; 3 &gt; 2&nbsp;ok &#273;&#x1EA1;i &bogus; &") == "1 < 2 && 3 > 2 ok đại &bogus; &")
        #expect(text("<p>Tin\n\n  tức</p>") == "Tin tức")
    }

    @Test("a title of 200,000 '<' and a title with markup are read, cut at 300 characters")
    func titles() throws {
        let bomb = "<html><head><title>Cổng " + String(repeating: "<", count: 200_000) + "</title></head></html>"
        let title = try #require(HTMLTitle.extract(Array(bomb.utf8)))
        #expect(title.hasPrefix("Cổng <<<") && title.hasSuffix("…") && title.count == 301)
        #expect(HTMLTitle.extract(Array("<TITLE>a <b>&quot;x&quot;</b>\u{7}</TITLE>".utf8)) == "a \"x\"")
        #expect(HTMLTitle.extract(Array("<title></title>".utf8)) == nil)
        #expect(HTMLTitle.extract(Array("<title>never closed".utf8)) == nil)
    }

    @Test("feed links are read from <link> tags, quoted or not, never from scripts or comments")
    func feedLinks() {
        let html = """
            <!-- <link rel="alternate" type="application/rss+xml" href="/comment.xml"> -->
            <script>document.write('<link type="application/rss+xml" href="/script.xml">')</script>
            <LINK REL=alternate TYPE=application/rss+xml HREF=/rss.xml>
            <link rel="alternate" type='application/atom+xml' href='/atom?a=1&amp;b=2'>
            <link rel="stylesheet" href="/style.css">
            """
        #expect(PageText.feedLinks(in: Array(html.utf8)) == ["/rss.xml", "/atom?a=1&b=2"])
    }

    @Test("e-mail addresses are told from look-alikes without a regular expression")
    func email() {
        #expect(!EmailAddresses.find(in: "lien he: ubnd.xa@thanhhoa.gov.vn").isEmpty)
        #expect(!EmailAddresses.find(in: "a@b.vn").isEmpty)
        #expect(EmailAddresses.find(in: "@b.vn").isEmpty)
        #expect(EmailAddresses.find(in: "a@b.v").isEmpty)
        #expect(EmailAddresses.find(in: "a@.vn").isEmpty)
        #expect(EmailAddresses.find(in: "a@b1.2c").isEmpty)
        #expect(EmailAddresses.find(in: String(repeating: "a", count: 1 << 20) + "@x").isEmpty)
        #expect(EmailAddresses.find(in: String(repeating: "a@", count: 1 << 18)).isEmpty)
    }

    @Test("feed and sitemap dates are parsed by hand: ISO 8601 and RFC 822 with zones")
    func feedDates() {
        func iso(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
        #expect(VietnameseDates.parseFeedDate("2023-11-29") == iso("2023-11-29T00:00:00Z"))
        #expect(VietnameseDates.parseFeedDate(" 2023-11-29T08:00:00+07:00 ") == iso("2023-11-29T01:00:00Z"))
        #expect(VietnameseDates.parseFeedDate("2023-11-29T08:00:00.123Z") == iso("2023-11-29T08:00:00Z"))
        #expect(VietnameseDates.parseFeedDate("Wed, 05 Dec 2018 21:29:00 +0700") == iso("2018-12-05T14:29:00Z"))
        #expect(VietnameseDates.parseFeedDate("Wed, 21 Oct 2015 07:28:00 GMT") == iso("2015-10-21T07:28:00Z"))
        #expect(VietnameseDates.parseFeedDate("5 Dec 2018 21:29 -0500") == iso("2018-12-06T02:29:00Z"))
        for bad in [
            "2026-13-45", "2026-02-30", "31/02/2026", "5.925", "2023-11-29T08:00:00", "Wed, 05 Foo 2018 21:29:00 +0700",
            "",
        ] {
            #expect(VietnameseDates.parseFeedDate(bad) == nil, "\(bad)")
        }
    }

    @Test("a cookie is kept by name and flags only")
    func redactedCookie() {
        #expect(
            CookieParser.redacted("PHPSESSID=abc123; path=/; Secure; HttpOnly; SameSite=lax")
                == "PHPSESSID=…; Secure; HttpOnly; SameSite=Lax")
        #expect(CookieParser.redacted("lb=10.1.2.3:8080; Domain=x.gov.vn") == "lb=…")
        #expect(CookieParser.redacted("no-equals-sign") == "…")
    }
}

@Suite("Redirect scope: no hop into a more private network than the portal's own")
struct AddressScopeTests {
    @Test(
        "addresses are classed",
        arguments: [
            ("203.113.131.1", AddressScope.public), ("8.8.8.8", .public), ("2402:800::1", .public),
            ("2001:db8::1", .reserved), ("2001::1", .reserved), ("ff02::1", .reserved), ("3fff::1", .public),
            ("224.0.0.1", .reserved), ("255.255.255.255", .reserved), ("240.1.2.3", .reserved),
            ("192.0.2.7", .reserved), ("198.51.100.7", .reserved), ("203.0.113.7", .reserved),
            ("198.18.0.1", .reserved), ("192.88.99.1", .reserved), ("192.0.0.8", .reserved),
            ("64:ff9b::10.0.0.1", .private), ("64:ff9b::a9fe:a9fe", .linkLocal), ("64:ff9b::8.8.8.8", .public),
            ("2002:0a00:0001::1", .private), ("2002:a9fe:a9fe::", .linkLocal), ("2002:0808:0808::1", .public),
            ("10.0.0.5", .private), ("172.16.0.1", .private), ("172.31.255.255", .private), ("172.32.0.1", .public),
            ("192.168.1.1", .private), ("100.64.0.1", .private), ("fd12:3456::1", .private),
            ("169.254.169.254", .linkLocal), ("fe80::1%eth0", .linkLocal),
            ("127.0.0.1", .loopback), ("127.8.9.10", .loopback), ("::1", .loopback), ("[::1]", .loopback),
            ("0.0.0.0", .loopback), ("::ffff:10.1.2.3", .private), ("::ffff:127.0.0.1", .loopback),
        ])
    func scope(_ address: String, _ expected: AddressScope) {
        #expect(AddressScope.of(address) == expected)
    }

    @Test("names and malformed text are not addresses")
    func notAddresses() {
        for text in ["xa-abc.gov.vn", "256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9", "::1::2", "12345::", ""] {
            #expect(AddressScope.of(text) == nil, "\(text)")
        }
    }

    @Test("a hop may stay in its scope or go more public, never more private")
    func permits() {
        #expect(RedirectScope.permits(from: .public, to: .public))
        #expect(!RedirectScope.permits(from: .public, to: .private))
        #expect(!RedirectScope.permits(from: .public, to: .linkLocal))
        #expect(!RedirectScope.permits(from: .public, to: .loopback))
        #expect(!RedirectScope.permits(from: nil, to: .private))
        #expect(RedirectScope.permits(from: .private, to: .private))
        #expect(!RedirectScope.permits(from: .private, to: .loopback))
        #expect(RedirectScope.permits(from: .loopback, to: .loopback))
        #expect(RedirectScope.permits(from: .loopback, to: .public))
    }

    @Test(
        "egress: the portal's own endpoints, else public unicast on 80 and 443 only",
        arguments: [
            ("10.77.0.10", 443, true), ("10.77.0.10", 80, true), ("10.77.0.10", 8443, false),
            ("::ffff:10.77.0.10", 443, true), ("10.77.0.20", 80, false), ("169.254.169.254", 80, false),
            ("127.0.0.1", 443, false), ("0.0.0.0", 80, false), ("fd77::20", 80, false), ("[fd77::10]", 8080, true),
            ("203.113.131.1", 443, true), ("203.113.131.1", 80, true), ("203.113.131.1", 8080, false),
            ("2402:800::1", 443, true), ("64:ff9b::a9fe:a9fe", 80, false), ("2002:0a00:0001::1", 443, false),
            ("224.0.0.1", 80, false), ("not an address", 80, false),
        ])
    func egress(_ address: String, _ port: Int, _ permitted: Bool) throws {
        let own = try #require(EgressPolicy.Endpoint("10.77.0.10", port: 443))
        let other = try #require(EgressPolicy.Endpoint("10.77.0.10", port: 80))
        let intranet = try #require(EgressPolicy.Endpoint("fd77::10", port: 8080))
        let policy = EgressPolicy(allowed: [own, other, intranet])
        #expect(policy.permits(address: address, port: port) == permitted)
    }

    @Test("an endpoint's text is the address the socket guard parses")
    func endpointText() {
        #expect(EgressPolicy.Endpoint("::ffff:10.1.2.3", port: 80)?.text == "10.1.2.3")
        #expect(EgressPolicy.Endpoint("[fd77::10]", port: 80)?.text == "fd77:0:0:0:0:0:0:10")
        #expect(EgressPolicy.Endpoint("10.1.2.3", port: 0) == nil)
        #expect(EgressPolicy.Endpoint("portal.gov.vn", port: 443) == nil)
    }
}
