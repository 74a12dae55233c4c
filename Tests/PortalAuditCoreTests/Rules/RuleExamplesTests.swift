import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// One rule example, type-erased so every rule's examples run in one parameterised test.
struct ExampleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let name: String
    let status: FindingStatus
    let code: String
    let judge: @Sendable () throws -> RuleOutcome

    var testDescription: String { "\(rule): \(name) → \(status.rawValue)/\(code)" }
}

private func cases<R: Rule>(_ rule: R.Type) -> [ExampleCase] {
    rule.examples.map { example in
        ExampleCase(
            rule: rule.descriptor.id, name: example.name, status: example.status, code: example.code.rawValue
        ) {
            var parameters = try rule.parameters(rule.descriptor.defaultParameters)
            example.adjust(&parameters)
            return RuleOutcome(rule.judge(example.observation, parameters, ExampleFacts.context))
        }
    }
}

/// Parameters shaped as the HSTS rule's, for the decoder tests.
private struct HSTSParameters: Decodable {
    var minMaxAge: Int

    enum CodingKeys: String, CodingKey {
        case minMaxAge = "min_max_age"
    }
}

let everyExample: [ExampleCase] = RuleRegistry.all.flatMap { cases($0) }

@Suite("Rule examples")
struct RuleExamplesTests {
    @Test("every rule judges its own examples", arguments: everyExample)
    func judges(_ example: ExampleCase) throws {
        // Given a rule's example: the exemplary observation changed by one fact, parameters from the defaults
        // When the rule judges it
        let outcome = try example.judge()
        // Then status and code are the example's, and the evidence stays small
        #expect(outcome.status == example.status)
        #expect(outcome.resultCode == example.code)
        #expect(outcome.evidence.values.allSatisfy { $0.count <= 256 })
    }

    @Test("every rule has a pass, a fail and an inconclusive example")
    func coverage() {
        for rule in RuleRegistry.all {
            let examples = everyExample.filter { $0.rule == rule.descriptor.id }
            for status in [FindingStatus.pass, .fail, .inconclusive] {
                #expect(examples.contains { $0.status == status }, "\(rule.descriptor.id) has no \(status) example")
            }
        }
    }

    @Test("every rule's defaults decode into its parameters, and the exemplary observation fails no rule")
    func exemplaryPasses() {
        for rule in RuleRegistry.all {
            let outcome = rule.evaluate(
                ExampleFacts.exemplary(), rule.descriptor.defaultParameters, ExampleFacts.context)
            #expect(outcome.status == .pass, "\(rule.descriptor.id): \(outcome.resultCode) \(outcome.evidence)")
        }
    }

    @Test("a descriptor's parameter that the rule's Parameters does not read, or the reverse, is an error")
    func parameterMismatch() throws {
        // Given the HSTS rule, whose Parameters reads min_max_age
        let rule = try #require(RuleRegistry.rule("headers.hsts"))
        // When the values carry a misspelt name beside the right one, or only the misspelt one
        let extra = RuleParameters(["min_max_age": .integer(1), "min_maxage": .integer(1)])
        let misspelt = RuleParameters(["min_maxage": .integer(1)])
        // Then decoding names the parameter, and the evaluation says so instead of passing anything
        #expect(throws: ParameterDecoder.Mismatch.self) {
            _ = try ParameterDecoder.decode(HSTSParameters.self, from: extra.values)
        }
        let outcome = rule.evaluate(ExampleFacts.exemplary(), misspelt, ExampleFacts.context)
        #expect(outcome.resultCode == RuleOutcome.invalidParametersCode)
        #expect(outcome.evidence["error"]?.contains("min_max_age") == true)
        // And a string where an integer is expected is a type mismatch
        #expect(throws: DecodingError.self) {
            _ = try ParameterDecoder.decode(HSTSParameters.self, from: ["min_max_age": .string("1y")])
        }
    }

    @Test("rule descriptors are complete: id form, unique ids, both languages in NFC, citations, advice hints")
    func descriptors() {
        let ids = RuleRegistry.all.map { $0.descriptor.id }
        #expect(Set(ids).count == ids.count)
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            #expect(d.id.range(of: #"^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$"#, options: .regularExpression) != nil)
            #expect(d.id.hasPrefix(d.area.rawValue + "."))
            for text in [d.title, d.rationale, d.advice] {
                #expect(!text.vi.isEmpty && !text.en.isEmpty)
                #expect(text.vi == text.vi.precomposedStringWithCanonicalMapping, "\(d.id) Vietnamese text is not NFC")
            }
            #expect(!d.citations.isEmpty)
            #expect(d.advice.en.contains("nginx") && (d.advice.en.contains("Apache") || d.advice.en.contains("IIS")))
            #expect(rule.resultCodes.contains("ok") && rule.resultCodes.contains("missing-facts"))
        }
    }

    @Test("every rule file under Sources/PortalAuditCore/Rules is registered, in its area's folder")
    func registry() throws {
        // Given the rule types the source tree declares, one per file named after it
        let folder = Repository.root.appendingPathComponent("Sources/PortalAuditCore/Rules")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var declared: [String: String] = [:]
        for case let file as URL in files
        where file.lastPathComponent.hasSuffix("Rule.swift")
            && file.deletingLastPathComponent().standardized != folder.standardized
        {
            let text = try String(contentsOf: file, encoding: .utf8)
            let name = file.deletingPathExtension().lastPathComponent
            #expect(text.contains("struct \(name): Rule {"), "\(file.lastPathComponent) does not declare \(name)")
            declared[name] = file.deletingLastPathComponent().lastPathComponent
        }
        // Then the registry holds exactly those types, each in the folder of its area
        let registered = RuleRegistry.all.map { String(describing: $0) }
        #expect(
            Set(registered) == Set(declared.keys),
            "unregistered: \(Set(declared.keys).subtracting(registered).sorted())")
        #expect(registered.count == declared.count)
        for rule in RuleRegistry.all {
            let folderName = declared[String(describing: rule)]?.lowercased()
            let area = rule.descriptor.area
            #expect(
                folderName == (area == .certificate ? "certificate" : area.rawValue), "\(rule) is not in Rules/\(area)")
        }
    }
}
