import Foundation
import PortalAuditCore
import Testing

@Suite("What a portal announces it runs, against the end-of-life table")
struct SoftwareFingerprintTests {
    private func identify(_ html: String, _ headers: [(String, String)] = []) -> [SoftwareComponent] {
        SoftwareFingerprint.identify(
            headers: headers.map { HeaderField(name: $0.0, value: $0.1) }, body: Array(html.utf8)[...])
    }

    @Test(
        "generators, core assets and headers name a product and, when they say it, a version",
        arguments: [
            ("<meta name=\"generator\" content=\"WordPress 6.4.2\">", [], "wordpress", "6.4.2"),
            ("<script src=\"/wp-includes/js/jquery.js?ver=4.9.8\"></script>", [], "wordpress", "4.9.8"),
            ("<meta name=generator content=\"Joomla! - Open Source Content Management\">", [], "joomla", nil),
            ("<meta name=\"Generator\" content=\"Drupal 7 (https://www.drupal.org)\">", [], "drupal", "7"),
            ("", [("server", "Apache/2.2.15 (CentOS)")], "apache", "2.2.15"),
            ("", [("server", "Microsoft-IIS/7.5")], "iis", "7.5"),
            ("", [("x-powered-by", "PHP/5.6.40")], "php", "5.6.40"),
            ("", [("x-generator", "Drupal 9 (https://www.drupal.org)")], "drupal", "9"),
        ] as [(String, [(String, String)], String, String?)])
    func identified(_ html: String, _ headers: [(String, String)], _ product: String, _ version: String?) {
        let found = identify(html, headers)
        #expect(found.first?.product == product && found.first?.version == version, "\(found)")
    }

    @Test("a plugin's ?ver= is not the core's; a product is listed once, the first version kept")
    func plugins() {
        let html = """
            <link href="/wp-content/plugins/x/style.css?ver=2.1"><meta name="generator" content="WordPress 6.1">
            <script src="/wp-includes/js/a.js?ver=6.1"></script>
            """
        #expect(identify(html).map(\.version) == ["6.1"])
        #expect(identify("<link href=\"/wp-content/plugins/x/style.css?ver=2.1\">").isEmpty)
    }

    @Test("the table: branches by longest prefix, anything below the oldest branch, a current release unknown")
    func lifecycle() throws {
        let table = SoftwareLifecycle.shipped
        let day: (String) -> String? = { version in
            let php = table.products["php"]
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
            return php?.endOfLife(version).map(formatter.string)
        }
        #expect(day("7.4.33") == "2022-11-28")
        #expect(day("8.2.10") == "2026-12-31")
        #expect(day("5.4.45") == "2015-09-03")
        #expect(day("8.4.1") == nil)
        #expect(table.products["wordpress"]?.endOfLife("4.6.29") != nil)
        #expect(table.products["wordpress"]?.endOfLife("6.7") == nil)
        #expect(table.products["joomla"]?.endOfLife("3.9.28") != nil)
        // A broken table names every problem with its product
        let broken = """
            checked: x
            products:
              a:
                name: A
                source: s
                confidence: secondary
                branches: [{ branch: "1", eol: 2020-13-01 }, { branch: "x", eol: 2020-01-01 }]
            """
        do {
            _ = try SoftwareLifecycle.parse(broken)
            Issue.record("a broken table parsed")
        } catch {
            #expect(error.issues.count == 2)
            #expect(error.issues.allSatisfy { $0.field.hasPrefix("products.a.branches") })
        }
    }
}
