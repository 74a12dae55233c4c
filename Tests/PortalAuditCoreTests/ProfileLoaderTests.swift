import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

@Suite("Profile loading")
struct ProfileLoaderTests {
    /// Writes `files` into a fresh folder and returns a loader over it plus the shipped profiles.
    private func loader(_ files: [String: String]) throws -> (ProfileLoader, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return (ProfileLoader(searchPaths: [folder.path, Repository.profiles]), folder.path)
    }

    @Test("vn-level2 loads, its rules are from the catalogue, every required rule cites a source")
    func shipped() throws {
        let profile = try ProfileLoader(searchPaths: [Repository.profiles]).load("vn-level2")
        #expect(profile.id == "vn-level2")
        #expect(profile.reference.label == "vn-level2@6")
        #expect(Set(profile.ruleIDs).isSubset(of: RuleRegistry.all.map { $0.descriptor.id }))
        #expect(profile.rules["headers.permissions-policy"] == nil, "recommended from level 3 only")
        #expect(profile.rules.values.allSatisfy { !$0.source.isEmpty && $0.confidence != nil })
        #expect(profile.rules["tls.min-version"]?.requirement == .required)
        #expect(profile.digest.hasPrefix("sha256:") && profile.digest.count == 71)
    }

    @Test("extends inherits, overrides parameters and requirement, and records where each value came from")
    func extends() throws {
        let (loader, _) = try loader([
            "strict.yaml": """
            schema: 1
            id: strict
            extends: vn-level2
            rules:
              headers.hsts: { requirement: required, params: { min_max_age: 63072000 }, source: "Mozilla 6.0" }
            """
        ])
        let profile = try loader.load("strict")
        let base = try loader.load("vn-level2")
        #expect(profile.ancestry == ["vn-level2", "vn-level1"])
        #expect(profile.title == base.title)
        #expect(profile.rules["headers.hsts"]?.requirement == .required)
        #expect(profile.rules["headers.hsts"]?.parameters.values["min_max_age"] == .integer(63_072_000))
        #expect(profile.rules["headers.hsts"]?.origin["params.min_max_age"] == "strict.yaml")
        #expect(profile.rules["tls.min-version"] == base.rules["tls.min-version"])
        #expect(profile.digest != base.digest)
    }

    @Test("a bad profile reports every problem with file, line, column and field")
    func everyProblem() throws {
        let (loader, folder) = try loader([
            "bad.yaml": """
            schema: 1
            id: bad
            extends: vn-level2
            colour: blue
            rules:
              tls.min-versoin: { requirement: required, source: "x" }
              headers.hsts: { requirement: mandatory, params: { min_max_age: "long" } }
              cert.expiry-soon: { requirement: recommended, params: { warn_days: 9999, days: 3 } }
              headers.csp: { requirement: required, source: "" }
            """
        ])
        let error = #expect(throws: InputIssues.self) { try loader.load("bad") }
        let issues = error?.issues ?? []
        let text = issues.map(\.description)
        let file = folder + "/bad.yaml"
        #expect(
            text.contains(
                "\(file):4:1: error: colour: unknown key (allowed: extends, grading, id, rules, schema, title, unverifiable, version)"
            ))
        #expect(
            text.contains("\(file):6:3: error: rules.tls.min-versoin: unknown rule id (did you mean tls.min-version?)"))
        #expect(
            text.contains {
                $0.hasPrefix("\(file):7:32: error: rules.headers.hsts.requirement: expected required or recommended")
            })
        #expect(
            text.contains {
                $0.hasPrefix("\(file):7:66: error: rules.headers.hsts.params.min_max_age: expected an integer")
            })
        #expect(
            text.contains {
                $0.hasPrefix(
                    "\(file):8:70: error: rules.cert.expiry-soon.params.warn_days: expected an integer in 1…365")
            })
        #expect(
            text.contains { $0.hasPrefix("\(file):8:76: error: rules.cert.expiry-soon.params.days: unknown parameter") }
        )
        #expect(text.contains { $0.contains("rules.headers.csp.source: expected a non-empty citation") })
        #expect(issues.count == 7)
    }

    @Test("a cycle in extends is an error, not a hang")
    func cycle() throws {
        let (loader, _) = try loader([
            "a.yaml": "schema: 1\nid: a\nextends: b\nrules: {}\n",
            "b.yaml": "schema: 1\nid: b\nextends: a\nrules: {}\n",
        ])
        let error = #expect(throws: InputIssues.self) { try loader.load("a") }
        #expect(error?.issues.first?.problem.contains("cycle in extends") == true)
    }

    @Test("a base-60 number that overflows is a located error, not a crash (found by the profile fuzzer)")
    func sexagesimal() throws {
        let huge = Array(repeating: "99", count: 16).joined(separator: ":")
        let (loader, _) = try loader([
            "sixty.yaml": "schema: \(huge)\nid: sixty\nversion: 1:30\ntitle: {vi: a, en: b}\nrules: {}\n"
        ])
        let error = #expect(throws: InputIssues.self) { try loader.load("sixty") }
        let problems = error?.issues.map(\.description) ?? []
        #expect(problems.contains { $0.contains(":1:9:") && $0.contains("expected an integer, found '\(huge)'") })
        #expect(problems.contains { $0.contains(":3:") && $0.contains("version") }, "\(problems)")
    }

    @Test("schema, YAML syntax, unknown base and missing profile are reported")
    func otherErrors() throws {
        let (loader, _) = try loader([
            "future.yaml": "schema: 9\nid: future\ntitle: {vi: a, en: b}\nrules: {}\n",
            "broken.yaml": "schema: 1\nid: [unclosed\n",
            "orphan.yaml": "schema: 1\nid: orphan\nextends: nowhere\n",
        ])
        let future = #expect(throws: InputIssues.self) { try loader.load("future") }
        #expect(future?.issues.first?.description.contains("supported: 1…1") == true)
        let broken = #expect(throws: InputIssues.self) { try loader.load("broken") }
        #expect(broken?.issues.first?.problem.hasPrefix("not valid YAML") == true)
        #expect(broken?.issues.first?.line != nil)
        let orphan = #expect(throws: InputIssues.self) { try loader.load("orphan") }
        #expect(orphan?.issues.first?.description.contains("3:10: error: extends: unknown profile 'nowhere'") == true)
        let missing = #expect(throws: InputIssues.self) { try loader.load("vn-level9") }
        #expect(missing?.issues.first?.problem.hasPrefix("no such profile") == true)
    }
}
