import Foundation
import PortalAuditTestSupport
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

@Suite("portal-audit report in a real browser", .serialized, .timeLimit(.minutes(3)))
struct ReportCommandTests {
    /// Scans every lab case (the hostile one included) and writes every report format.
    private func reports() async throws -> (folder: URL, names: [String: String], files: [String]) {
        let portals = try Lab.portals()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var yaml = "defaults: { province: \"Tỉnh Thanh Hóa\", level: 2, address: \"127.0.0.1,::1\" }\nportals:\n"
        var names: [String: String] = [:]
        // Numbered, not named after the lab's cases: a case's name ("self-signed") is a result code too, and the
        // reports must show no result code
        for (index, portal) in portals.enumerated() {
            let name = "Cổng thử nghiệm số \(index + 1)"
            names[portal.url] = name
            yaml +=
                "  - url: \(portal.url)\n    http_port: \(portal.httpPort)\n    name: \"\(name)\"\n    commune: \"Xã số \(index + 1)\"\n"
        }
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try yaml.write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("h.sqlite").path
        let out = folder.appendingPathComponent("out").path
        let scan = try await Command.run(
            Repository.binary,
            [
                "scan", inventory, "--db", database, "--ca-file", Lab.caFile, "--confirm-after", "0", "--out", out,
                "--format", "html",
                "--format", "pdf", "--format", "csv", "--format", "json", "--format", "md", "--unit",
                "Sở Khoa học và Công nghệ tỉnh Thanh Hóa", "--place", "Thanh Hóa",
            ],
            environment: environment)
        #expect(scan.status == 1, "\(scan.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        return (URL(fileURLWithPath: out), names, files)
    }

    private func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw LabError(message: "chromium is not installed (scripts/setup installs it)")
    }

    @Test("HTML renders in headless Chromium: screenshot, PDF with the summary and every verdict, hostile script inert")
    func browser() async throws {
        let (out, names, files) = try await reports()
        #expect(
            files.filter { !$0.hasPrefix(".") }.map { ($0 as NSString).pathExtension }.sorted() == [
                "csv", "html", "json", "md", "pdf",
            ])
        #expect(!files.contains { $0.hasSuffix(".tmp") })
        let html = out.appendingPathComponent(try #require(files.first { $0.hasSuffix(".html") }))
        let chrome = try chromium()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chrome-\(UUID().uuidString)").path
        let flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile)",
        ]
        // The page as the browser built it: the hostile portal's script never ran
        let dom = try await Command.run(chrome, flags + ["--dump-dom", html.absoluteString])
        #expect(dom.status == 0)
        #expect(dom.stdout.contains("<body"))
        #expect(!dom.stdout.contains("data-pwned=\"1\""))
        #expect(dom.stdout.contains("&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;"))
        // A screenshot
        let shot = out.appendingPathComponent("screen.png")
        let screenshot = try await Command.run(
            chrome, flags + ["--screenshot=\(shot.path)", "--window-size=1200,1600", html.absoluteString])
        #expect(screenshot.status == 0)
        let png = try Data(contentsOf: shot)
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // The PDF's text holds the Vietnamese summary line and each portal's verdict in its section
        let pdf = out.appendingPathComponent(try #require(files.first { $0.hasSuffix(".pdf") })).path
        let text = try await Command.run("/usr/bin/pdftotext", [pdf, "-"])
        #expect(text.status == 0)
        let flat = text.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("Trong số \(names.count) cổng/trang được kiểm tra"))
        #expect(flat.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(flat.contains("Thanh Hóa, ngày"))
        // The form's body font (Liberation Serif, metric-compatible with Times New Roman), and page numbers
        // from page 2 only, at the top
        // — one serif family only: no letter of the lab's hostile, Vietnamese and English text falls back to
        // another face (fonts-liberation 1.07 printed ơ, ư, ạ… in DejaVu Sans)
        let fonts = try await Command.run("/usr/bin/pdffonts", [pdf])
        let faces = fonts.stdout.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: " ").first }
        #expect(!faces.isEmpty && faces.allSatisfy { $0.contains("+LiberationSerif") }, "\(fonts.stdout)")
        func firstLine(page: Int) async throws -> String {
            let text = try await Command.run(
                "/usr/bin/pdftotext", ["-f", "\(page)", "-l", "\(page)", "-layout", pdf, "-"])
            return text.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { !$0.isEmpty } ?? ""
        }
        #expect(try await firstLine(page: 2) == "2")
        #expect(try await firstLine(page: 1) != "1")
        let json = try String(
            contentsOf: out.appendingPathComponent(try #require(files.first { $0.hasSuffix(".json") })), encoding: .utf8
        )
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let verdictWords = [
            "pass": "Đạt", "warn": "Đạt, có cảnh báo", "incomplete": "Chưa đủ căn cứ", "fail": "Không đạt",
        ]
        for site in try #require(document["sites"] as? [[String: Any]]) {
            let url = (site["target"] as? [String: Any])?["url"] as? String ?? ""
            let name = try #require(names[url])
            let verdict = try #require(verdictWords[site["verdict"] as? String ?? ""])
            // Each portal is in the PDF (table cells break names anywhere: compared without spaces), and its
            // line in Phụ lục I (the last mention of its name in the page) carries its verdict
            let squeezed = flat.filter { !$0.isWhitespace && $0 != "-" }
            #expect(squeezed.contains(name.filter { !$0.isWhitespace && $0 != "-" }), "\(name) not in the PDF")
            let line = try #require(dom.stdout.range(of: name + "<", options: .backwards), "no line for \(name)")
            #expect(dom.stdout[line.upperBound...].prefix(600).contains(verdict), "\(name): \(verdict)")
        }
    }

    @Test("no result code, rule id, evidence key or English label in any format of the Vietnamese report")
    func vietnameseOnly() async throws {
        let (out, _, files) = try await reports()
        func read(_ suffix: String) throws -> String {
            try String(
                contentsOf: out.appendingPathComponent(try #require(files.first { $0.hasSuffix(suffix) })),
                encoding: .utf8)
        }
        // What the JSON holds and the reports must not: result codes, rule ids, evidence keys
        let json = try read(".json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var forbidden: Set<String> = []
        for site in try #require(document["sites"] as? [[String: Any]]) {
            for finding in try #require(site["findings"] as? [[String: Any]]) {
                let code = finding["result_code"] as? String ?? ""
                if code.contains("-") { forbidden.insert(code) }
                forbidden.insert(finding["rule"] as? String ?? "")
                for key in (finding["evidence"] as? [String: String] ?? [:]).keys where key.contains("_") {
                    forbidden.insert(key)
                }
            }
        }
        #expect(forbidden.count > 40)
        // The page's text (no markup, no style sheet), the CSV, the Markdown and the PDF's text
        let html = try read(".html")
        let style = try #require(html.range(of: "</style>"))
        var text = ""
        var inTag = false
        for character in html[style.upperBound...] {
            if character == "<" {
                inTag = true
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                text.append(character)
            }
        }
        let pdf = out.appendingPathComponent(try #require(files.first { $0.hasSuffix(".pdf") })).path
        let pdfText = try await Command.run("/usr/bin/pdftotext", [pdf, "-"]).stdout
        let english = [
            "not authorised", "no answer", "International yardstick", "tool default", "(verified", "secondary",
            "unverified", "confidence", "Evidence", "Basis:", "Fix:", "judged by", "the certificate", "Pass", "Fail",
            "Incomplete", "Criteria", "observed",
        ]
        for (format, body) in [("html", text), ("csv", try read(".csv")), ("md", try read(".md")), ("pdf", pdfText)] {
            let tokens = Set(
                body.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }.map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
                })
            let found = forbidden.intersection(tokens)
            #expect(found.isEmpty, "\(format): \(found.sorted())")
            for phrase in english { #expect(!body.contains(phrase), "\(format): “\(phrase)”") }
        }
    }

    @Test("JSON validates against the schema; CSV opens with the right columns and Vietnamese intact")
    func dataFormats() async throws {
        let (out, names, files) = try await reports()
        let json = out.appendingPathComponent(try #require(files.first { $0.hasSuffix(".json") })).path
        let validation = try await Command.run(
            "/usr/bin/env", ["python3", Repository.root.appendingPathComponent("scripts/validate-json").path, json])
        #expect(validation.status == 0, "\(validation.stderr)")
        let csv = out.appendingPathComponent(try #require(files.first { $0.hasSuffix(".csv") })).path
        let check = try await Command.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import csv, sys
                rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
                print(len(rows)); print("|".join(rows[0].keys())); print("\\n".join(r["Tên cổng"] + "=" + r["Kết luận"] for r in rows))
                """, csv,
            ])
        #expect(check.status == 0, "\(check.stderr)")
        let lines = check.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == String(names.count))
        #expect(
            lines.dropFirst().first?.hasPrefix(
                "Địa chỉ|Tên cổng|Tỉnh/thành phố|Quận/huyện (trước 2025)|Xã/phường/đặc khu|Cấp độ|Bộ tiêu chí|Kết luận|Xếp loại|Nguyên nhân xếp loại"
            ) == true)
        let portals = try Lab.portals()
        let url = { (name: String) in portals.first { $0.name == name }?.url ?? "" }
        #expect(lines.contains("\(names[url("expired")] ?? "?")=Không đạt"))
        #expect(lines.contains { $0.hasPrefix("\(names[url("exemplary")] ?? "?")=Đạt") })
    }

    @Test("a PDF without Chromium says how to install it")
    func noChromium() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "empty-\(UUID().uuidString).sqlite"
        ).path
        let portal = try Lab.portal("exemplary")
        let inventory = FileManager.default.temporaryDirectory.appendingPathComponent("one-\(UUID().uuidString).yaml")
            .path
        try "portals:\n  - url: \(portal.url)\n    http_port: \(portal.httpPort)\n    address: 127.0.0.1\n".write(
            toFile: inventory, atomically: true, encoding: .utf8)
        _ = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile], environment: environment)
        var bare = environment
        bare["PATH"] = "/nonexistent"
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nopdf-\(UUID().uuidString)").path
        let result = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "pdf", "--out", out], environment: bare)
        #expect(result.status == 70)
        #expect(result.stderr.contains("apt-get install chromium"))
    }
}
