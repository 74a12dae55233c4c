import Foundation

/// Fails when a TLS version below the profile's minimum is accepted.
struct MinimumVersionRule: Rule {
    struct Parameters: RuleParameterSet {
        /// The lowest version allowed; the profile writes its number.
        enum Minimum: String, Decodable, Sendable, CaseIterable {
            case tls12 = "1.2"
            case tls13 = "1.3"
        }

        var minimum: Minimum

        enum CodingKeys: String, CodingKey {
            case minimum
        }
    }

    enum Code: String, RuleCode {
        case ok
        case oldVersionsAccepted = "old-versions-accepted"
        case missingFacts = "missing-facts"
    }

    static let order = TLSVersion.allCases

    static let descriptor = RuleDescriptor(
        id: "tls.min-version", area: .tls,
        title: LocalizedText(en: "Only TLS 1.2 or newer is accepted", vi: "Chỉ chấp nhận TLS 1.2 trở lên"),
        rationale: LocalizedText(
            en:
                "TLS 1.0 and 1.1 are deprecated (RFC 8996) and lack modern protections; Vietnamese texts mandate TLS 1.2 and the international yardsticks require the old versions off.",
            vi:
                "TLS 1.0 và 1.1 đã bị loại bỏ (RFC 8996), thiếu cơ chế bảo vệ hiện đại; văn bản Việt Nam bắt buộc TLS 1.2 và các chuẩn quốc tế yêu cầu tắt phiên bản cũ."
        ),
        advice: LocalizedText(
            en:
                "Turn off TLS 1.0/1.1 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: disable TLS 1.0/1.1 under SCHANNEL\\Protocols in the registry or with IIS Crypto).",
            vi:
                "Tắt TLS 1.0/1.1 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: tắt TLS 1.0/1.1 trong registry SCHANNEL\\Protocols hoặc bằng IIS Crypto)."
        ),
        citations: ["RFC 8996", "Mozilla Server Side TLS 6.0 (intermediate)", "OWASP ASVS 4.0.3 V9.1.3"],
        defaultSeverity: .high,
        parameters: [
            ParameterSpec(
                name: "minimum", kind: .choice(Parameters.Minimum.allCases.map(\.rawValue)),
                defaultValue: .string(Parameters.Minimum.tls12.rawValue),
                meaning: LocalizedText(en: "Lowest TLS version allowed", vi: "Phiên bản TLS thấp nhất được phép"))
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let tls = observation.tls else { return .missingFacts("tls") }
        let minimum = TLSVersion(rawValue: "TLSv" + parameters.minimum.rawValue)
        let below = order.prefix { $0 != minimum }
        let old = below.filter { tls.versions[$0] == .accepted }
        let evidence = ["accepted": acceptedVersions(tls)]
        if !old.isEmpty {
            return .fail(
                .oldVersionsAccepted,
                evidence.merging(["too_old": old.map(\.rawValue).joined(separator: ",")]) { a, _ in a })
        }
        // (SSLv3 is `not_testable` in histories written before the raw TLS engine: not asked, not unknown.)
        let unknown = below.filter { tls.versions[$0] != .rejected && tls.versions[$0] != .notTestable }
        if !unknown.isEmpty {
            return .missingFacts("tls.versions", ["untested": unknown.map(\.rawValue).joined(separator: ",")])
        }
        return .pass(.ok, evidence)
    }

    /// The versions accepted, oldest first, comma-separated (evidence).
    static func acceptedVersions(_ tls: TLSFacts) -> String {
        order.filter { tls.versions[$0] == .accepted }.map(\.rawValue).joined(separator: ",")
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            values.has("accepted")
                ? LocalizedText(
                    en: "The server accepts only \(versionNames(values.list("accepted"))).",
                    vi: "Máy chủ chỉ chấp nhận \(versionNames(values.list("accepted"))).")
                : LocalizedText(
                    en: "The server accepts no TLS version below the minimum.",
                    vi: "Máy chủ không chấp nhận phiên bản TLS cũ nào.")
        case .oldVersionsAccepted:
            LocalizedText(
                en: "The server still accepts \(versionNames(values.list("too_old"))).",
                vi: "Máy chủ còn chấp nhận \(versionNames(values.list("too_old"))).")
        case .missingFacts:
            values.has("untested")
                ? LocalizedText(
                    en: "Whether the server accepts \(versionNames(values.list("untested"))) could not be tested.",
                    vi: "Chưa kiểm tra được máy chủ có chấp nhận \(versionNames(values.list("untested"))) hay không.")
                : LocalizedText(
                    en: "The TLS versions were not probed, so the minimum version could not be checked.",
                    vi: "Không có kết quả dò phiên bản TLS nên chưa kiểm tra được phiên bản tối thiểu.")
        }
    }

    /// Version names as sentences write them: "TLSv1.0, TLSv1.1" → "TLS 1.0, TLS 1.1", "SSLv3" → "SSL 3.0".
    static func versionNames(_ text: String) -> String {
        text.replacingOccurrences(of: "TLSv", with: "TLS ").replacingOccurrences(of: "SSLv3", with: "SSL 3.0")
    }

    static let examples: [RuleExample<Self>] = [
        .init("1.2 and 1.3 only", .pass, .ok),
        .init("1.0 accepted", .fail, .oldVersionsAccepted) { $0.tls?.versions[.tls10] = .accepted },
        .init("SSLv3 beside TLS 1.2", .fail, .oldVersionsAccepted) { $0.tls?.versions[.ssl3] = .accepted },
        .init("a history that could not offer SSLv3", .pass, .ok) { $0.tls?.versions[.ssl3] = .notTestable },
        .init("1.2 accepted under a 1.3 minimum", .fail, .oldVersionsAccepted, parameters: { $0.minimum = .tls13 }),
        .init("1.1 untested", .inconclusive, .missingFacts) { $0.tls?.versions[.tls11] = .error },
        .init("no tls facts", .inconclusive, .missingFacts) { $0.tls = nil },
    ]
}
