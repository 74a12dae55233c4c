import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

@Suite("Shipped profiles vn-level1 … vn-level5")
struct ShippedProfilesTests {
    let profiles: [Profile]

    init() throws {
        let loader = ProfileLoader(searchPaths: [Repository.profiles])
        profiles = try (1...5).map { try loader.load("vn-level\($0)") }
    }

    @Test("each level extends the one below, carries a version; the top level holds every rule of the catalogue")
    func chain() {
        for (index, profile) in profiles.enumerated() {
            #expect(profile.id == "vn-level\(index + 1)")
            #expect(profile.version >= 1)
            #expect(profile.ancestry == (0..<index).reversed().map { "vn-level\($0 + 1)" })
            #expect(Set(profile.ruleIDs).isSubset(of: RuleRegistry.all.map { $0.descriptor.id }))
        }
        // The top level checks every rule of the catalogue; lower levels may leave some out.
        #expect(Set(profiles[4].ruleIDs) == Set(RuleRegistry.all.map { $0.descriptor.id }))
    }

    @Test("no level is weaker than the one below: no requirement relaxed, no parameter loosened")
    func monotone() throws {
        for (lower, higher) in zip(profiles, profiles.dropFirst()) {
            for id in lower.ruleIDs {
                let below = try #require(lower.rules[id])
                let above = try #require(higher.rules[id], "\(higher.id) drops \(id)")
                if below.requirement == .required {
                    #expect(above.requirement == .required, "\(higher.id) relaxes \(id)")
                }
                let specs = try #require(RuleRegistry.rule(id)).descriptor.parameters
                for spec in specs {
                    let a = try #require(above.parameters.values[spec.name])
                    let b = try #require(below.parameters.values[spec.name])
                    #expect(spec.isAtLeastAsStrict(a, as: b), "\(higher.id) loosens \(id).\(spec.name): \(a) < \(b)")
                }
            }
        }
    }

    @Test(
        "levels differ where the evidence says: broken suites, IPv6 and published information alike at every level, old TLS from 2, transport security from 3, TLS 1.2 still the floor at 5"
    )
    func semantics() {
        #expect(profiles[0].rules["tls.min-version"]?.requirement == .recommended)
        #expect(profiles[1].rules["tls.min-version"]?.requirement == .required)
        #expect(profiles[1].rules["tls.weak-ciphers"]?.requirement == .recommended)
        #expect(profiles[2].rules["tls.weak-ciphers"]?.requirement == .recommended)
        // The law's scope, not the level: the same requirement everywhere
        for id in ["tls.broken-ciphers", "ipv6.available", "content.mandatory-info"] {
            #expect(Set(profiles.map { $0.rules[id]?.requirement }) == [.required], "\(id)")
        }
        // No source requires forward secrecy; only session cookies become required
        #expect(Set(profiles.map { $0.rules["tls.forward-secrecy"]?.requirement }) == [.recommended])
        #expect(Set(profiles.map { $0.rules["cookies.other-flags"]?.requirement }) == [.recommended])
        #expect(profiles[2].rules["cookies.secure-flags"]?.requirement == .required)
        #expect(profiles[2].rules["headers.hsts"]?.requirement == .required)
        #expect(profiles[2].rules["cert.expiry-soon"]?.parameters.values["warn_days"] == .integer(45))
        // TT 39/2017 makes TLS 1.2 mandatory: level 5 keeps it as floor and recommends TLS 1.3
        #expect(profiles[4].rules["tls.min-version"]?.parameters.values["minimum"] == .string("1.2"))
        #expect(profiles[4].rules["tls.tls13-offered"]?.requirement == .recommended)
    }

    /// `docs/legal-basis.md`'s table rows: key → confidence.
    static func legalBasis() throws -> [String: Confidence] {
        let text = try String(
            contentsOf: Repository.root.appendingPathComponent("docs/legal-basis.md"), encoding: .utf8)
        var keys: [String: Confidence] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let last = cells.last, last.hasPrefix("`"), last.hasSuffix("`") else { continue }
            let key = String(cells[0].dropFirst().dropLast())
            if let confidence = Confidence(rawValue: String(last.dropFirst().dropLast())) { keys[key] = confidence }
        }
        return keys
    }

    @Test(
        "every citation rests on keys of docs/legal-basis.md and claims no more than the weakest of them; unread parts say so"
    )
    func confidenceLadder() throws {
        let basis = try Self.legalBasis()
        #expect(basis.count >= 30)
        for profile in profiles {
            for id in profile.ruleIDs {
                let rule = try #require(profile.rules[id])
                let place = "\(profile.id) \(id)"
                #expect(!rule.basis.isEmpty, "\(place): no basis")
                let parts = try rule.basis.map { key in
                    try #require(basis[key], "\(place): \(key) is not in docs/legal-basis.md")
                }
                let claimed = try #require(
                    rule.confidence.flatMap(Confidence.init(rawValue:)), "\(place): no confidence")
                let weakest = try #require(parts.min { $0.strength < $1.strength })
                #expect(
                    claimed.strength <= weakest.strength,
                    "\(place): \(claimed.rawValue) claims more than \(weakest.rawValue)")
                if parts.contains(.unverified) {
                    #expect(rule.source.contains("(nội dung chưa xác minh)"), "\(place): unread part not marked")
                    #expect(
                        rule.sourceEN?.contains("(text not yet verified)") == true,
                        "\(place): unread part not marked (en)")
                }
                if parts.contains(.toolDefault) {
                    #expect(
                        rule.source.contains("mặc định của công cụ") || rule.source.contains("Mặc định của công cụ"))
                }
                // The citation points at the project's own words, never at a file users do not have
                #expect(!rule.source.contains(".md") && !(rule.sourceEN ?? "").contains(".md"), "\(place)")
                #expect(!rule.source.contains("trước 01/7/2026"), "\(place): the transition is not a date")
            }
        }
    }

    @Test("each level lists what an outside scan cannot verify, growing with the level")
    func unverifiable() {
        for (lower, higher) in zip(profiles, profiles.dropFirst()) {
            #expect(higher.unverifiable.count > lower.unverifiable.count)
            #expect(Array(higher.unverifiable.prefix(lower.unverifiable.count)) == lower.unverifiable)
        }
        #expect(profiles[1].unverifiable.contains { $0.vi.contains("WAF") })
    }

    @Test("every rule entry written in a level's own file has a requirement, a source and a confidence")
    func citations() throws {
        for profile in profiles {
            let file = profile.id + ".yaml"
            for (id, rule) in profile.rules where rule.origin.values.contains(file) {
                #expect(rule.origin["requirement"] == file, "\(file): \(id) has no requirement")
                #expect(rule.origin["source"] == file, "\(file): \(id) has no source")
                #expect(rule.origin["confidence"] == file, "\(file): \(id) has no confidence")
            }
            for rule in profile.rules.values where rule.requirement == .required {
                #expect(!rule.source.isEmpty && rule.confidence != nil)
            }
            // Rules resting on no Vietnamese text say so; tool defaults are labelled as such
            for rule in profile.rules.values where rule.confidence == "tool default" {
                #expect(rule.source.contains("công cụ"))
            }
        }
    }
}
