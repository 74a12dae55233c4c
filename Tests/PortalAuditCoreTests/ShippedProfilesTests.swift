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
        "levels differ where the evidence says: broken suites fail everywhere, old TLS from 2, transport security from 3, TLS 1.3 at 5"
    )
    func semantics() {
        #expect(profiles[0].rules["tls.min-version"]?.requirement == .recommended)
        #expect(profiles[1].rules["tls.min-version"]?.requirement == .required)
        #expect(profiles[1].rules["tls.weak-ciphers"]?.requirement == .recommended)
        #expect(profiles[2].rules["tls.weak-ciphers"]?.requirement == .recommended)
        for profile in profiles { #expect(profile.rules["tls.broken-ciphers"]?.requirement == .required) }
        #expect(profiles[2].rules["headers.hsts"]?.requirement == .required)
        #expect(profiles[2].rules["cert.expiry-soon"]?.parameters.values["warn_days"] == .integer(45))
        #expect(profiles[4].rules["tls.min-version"]?.parameters.values["minimum"] == .string("1.3"))
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
