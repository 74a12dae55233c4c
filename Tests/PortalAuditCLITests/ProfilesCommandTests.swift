import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

private func portalAudit(_ arguments: [String]) async throws -> Command.Result {
    try await Command.run(
        Repository.binary, arguments,
        environment: ["PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1"])
}

@Suite("portal-audit profiles", .timeLimit(.minutes(1)))
struct ProfilesCommandTests {
    @Test("the built-in profiles are the files in Profiles/, byte for byte")
    func embeddedMatchFiles() throws {
        let folder = Repository.root.appendingPathComponent("Profiles")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(ShippedProfiles.texts.keys))
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(
                ShippedProfiles.texts[String(file.dropLast(5))] == text,
                "\(file) drifted: run bash scripts/embed-profiles")
        }
        // The lexicons, the end-of-life tables and the privacy data, the same way
        for (subfolder, embedded) in [
            ("lexicon", ShippedProfiles.lexicons), ("eol", ShippedProfiles.lifecycles),
            ("privacy", ShippedProfiles.privacy),
        ] {
            let path = folder.appendingPathComponent(subfolder)
            let names = try FileManager.default.contentsOfDirectory(atPath: path.path).filter { $0.hasSuffix(".yaml") }
            #expect(Set(names.map { String($0.dropLast(5)) }) == Set(embedded.keys), "\(subfolder)")
            for file in names {
                let text = try String(contentsOf: path.appendingPathComponent(file), encoding: .utf8)
                #expect(
                    embedded[String(file.dropLast(5))] == text,
                    "\(subfolder)/\(file) drifted: run bash scripts/embed-profiles")
            }
        }
    }

    @Test("a binary copied alone to another folder, with no environment, lists and loads the five levels")
    func binaryAlone() async throws {
        // Given the binary copied to an empty folder, run from there without PORTAL_AUDIT_PROFILES
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await Command.writeExecutable(
            folder.appendingPathComponent("portal-audit").path, copying: Repository.binary)
        let script = "cd '\(folder.path)' && env -u PORTAL_AUDIT_PROFILES ./portal-audit"
        // When it lists and shows profiles
        let list = try await Command.run("/bin/sh", ["-c", script + " profiles list --lang en"])
        let show = try await Command.run("/bin/sh", ["-c", script + " profiles show vn-level5 --lang en"])
        // Then the five built-in levels are there, vn-level5 resolved through its extends chain
        #expect(list.status == 0, "\(list.stderr)")
        for level in 1...5 { #expect(list.stdout.contains("vn-level\(level)@")) }
        #expect(show.status == 0 && show.stdout.contains("vn-level5@"), "\(show.stderr)")
        // And a local folder given with --profiles-dir is searched first (a local profile extending a built-in one)
        try "schema: 1\nid: so-x\nversion: 1\nextends: vn-level2\ntitle: { vi: \"Sở X\", en: \"Dept X\" }\nrules: {}\n"
            .write(to: folder.appendingPathComponent("so-x.yaml"), atomically: true, encoding: .utf8)
        let local = try await Command.run(
            "/bin/sh",
            ["-c", script + " check https://127.0.0.1:1/ --profile so-x --profiles-dir '\(folder.path)' --timeout 1"],
            environment: ["PORTAL_AUDIT_LOOPBACK_ONLY": "1"])
        #expect(local.stdout.contains("so-x@1"), "\(local.stdout) \(local.stderr)")
    }

    @Test("docs/rules.md is what the generator prints")
    func rulesDocument() async throws {
        let generated = try await portalAudit(["profiles", "doc"])
        #expect(generated.status == 0)
        let committed = try String(contentsOf: Repository.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(generated.stdout == committed, "docs/rules.md drifted: run `portal-audit profiles doc > docs/rules.md`")
    }

    @Test("list shows the five levels with id@version")
    func list() async throws {
        let result = try await portalAudit(["profiles", "list", "--lang", "en"])
        #expect(result.status == 0)
        for (level, version) in [(1, 8), (2, 6), (3, 7), (4, 7), (5, 7)] {
            #expect(result.stdout.contains("vn-level\(level)@\(version)"))
        }
        #expect(result.stdout.contains("vn-level3@7 extends vn-level2"))
    }

    @Test("show prints the effective rules and where each value came from")
    func show() async throws {
        let result = try await portalAudit(["profiles", "show", "vn-level3", "--lang", "en"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("extends: vn-level2 → vn-level1"))
        #expect(result.stdout.contains("warn_days=45 ← vn-level3.yaml"))
        #expect(result.stdout.contains("requirement: required ← vn-level2.yaml"))
    }

    @Test("explain shows the Vietnamese text and both regimes' citations")
    func explain() async throws {
        let result = try await portalAudit(["profiles", "explain", "tls.min-version", "--lang", "vi"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Chỉ chấp nhận TLS 1.2 trở lên"))
        #expect(result.stdout.contains("TCVN 14423:2026"))
        #expect(result.stdout.contains("văn bản trước đây (còn áp dụng trong giai đoạn chuyển tiếp): TT 12/2022"))
        // TLS 1.2 stays the floor at level 5; the unread annex makes the citation "chưa xác minh"
        #expect(result.stdout.contains("vn-level5@7: bắt buộc (minimum=1.2)"))
        #expect(result.stdout.contains("độ tin cậy: chưa xác minh — docs/legal-basis.md: tcvn-14423-2026-l2"))
        #expect(!result.stdout.contains("REGULATIONS"))
        let unknown = try await portalAudit(["profiles", "explain", "tls.nothing"])
        #expect(unknown.status == 64)
    }

    @Test("validate lists every problem of a broken profile with positions, exit 64")
    func validate() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml")
            .path
        try """
        schema: 1
        id: broken
        extends: vn-level2
        rules:
          tls.min-versoin: { requirement: required, source: "x" }
          headers.hsts: { requirement: recommended, params: { min_max_age: -5 }, sorce: "typo" }
          headers.csp: { requirement: required }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await portalAudit(["profiles", "validate", path])
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.contains { $0.hasPrefix("\(path):5:3: error: rules.tls.min-versoin: unknown rule id") })
        #expect(lines.contains { $0.hasPrefix("\(path):6:68: error: rules.headers.hsts.params.min_max_age") })
        #expect(lines.contains { $0.hasPrefix("\(path):6:74: error: rules.headers.hsts.sorce: unknown key") })
        #expect(
            lines.contains {
                $0.hasPrefix("\(path):7:3: error: rules.headers.csp.source: a required rule needs a source")
            })
        let good = try await portalAudit(["profiles", "validate", Repository.profiles + "/vn-level4.yaml"])
        #expect(good.status == 0)
    }
}
