import CurlClient
import Foundation
import PortalAuditCore

/// Protocol versions and cipher suites: one handshake per version offered alone at `@SECLEVEL=0`, then per
/// accepted version ≤ 1.2 one handshake offering only weak suites, and one static-RSA and one DHE
/// handshake at the highest such version. One connection at a time; the group size is recorded, never
/// judged here.
struct TLSProbe: AreaProbe {
    static let kind = ProbeKind.tls
    /// Weak suites: everything without AEAD, static RSA, NULL and anonymous (TLS ≤ 1.2).
    static let weakCipherList = "kRSA:aNULL:eNULL:SHA1:SHA256:SHA384:MD5:@SECLEVEL=0"
    static let staticRSAList = "kRSA:@SECLEVEL=0"
    static let dheList = "kDHE:@SECLEVEL=0"
    static let enumerationList = "ALL:COMPLEMENTOFALL:@SECLEVEL=0"

    func run(_ context: ProbeContext) async -> ProbeRun<TLSFacts?> {
        let budget = context.budget
        var results: [TransferResult] = []
        var versions: [String: VersionSupport] = ["SSLv3": .notTestable]
        var accepted: [TransferRequest.TLSVersion] = []
        for version in TransferRequest.TLSVersion.allCases {
            guard budget.remainingMS() > 0 else {
                versions[version.rawValue] = .error
                continue
            }
            let result = await enumerate(
                handshake(context, version: version, ciphers: nil), context: context, into: &results)
            results.append(result)
            versions[version.rawValue] = Self.support(result)
            if versions[version.rawValue] == .accepted { accepted.append(version) }
            if let failure = result.failure, failure.kind == .connect || failure.kind == .dns {
                // Nothing listens: every other version would fail the same way.
                for other in TransferRequest.TLSVersion.allCases where versions[other.rawValue] == nil {
                    versions[other.rawValue] = .error
                }
                break
            }
        }
        guard versions.values.contains(.accepted) || versions.values.contains(.rejected) else {
            return ProbeRun(facts: nil, results: results)
        }

        var weak: [WeakSuite] = []
        var staticRSA: Bool? = accepted.contains(where: { $0 <= .tls12 }) ? nil : false
        var dheBits: Int?
        let legacy = accepted.filter { $0 <= .tls12 }
        for version in legacy where budget.remainingMS() > 0 {
            let result = await enumerate(
                handshake(context, version: version, ciphers: Self.weakCipherList),
                context: context, into: &results)
            if let facts = result.handshake {
                let reasons = Self.weakReasons(facts)
                weak.append(
                    WeakSuite(
                        version: version.rawValue, cipher: facts.cipher, reasons: reasons, dhBits: Self.dhBits(facts)))
                if reasons.contains("static-rsa") { staticRSA = true }
            }
        }
        if let highest = legacy.last {
            if staticRSA == nil, budget.remainingMS() > 0 {
                let result = await enumerate(
                    handshake(context, version: highest, ciphers: Self.staticRSAList),
                    context: context, into: &results)
                if let facts = result.handshake {
                    staticRSA = true
                    if !weak.contains(where: { $0.cipher == facts.cipher && $0.version == highest.rawValue }) {
                        weak.append(
                            WeakSuite(
                                version: highest.rawValue, cipher: facts.cipher, reasons: Self.weakReasons(facts),
                                dhBits: Self.dhBits(facts)))
                    }
                } else if Self.support(result) == .rejected {
                    staticRSA = false
                }
            }
            if budget.remainingMS() > 0 {
                let result = await enumerate(
                    handshake(context, version: highest, ciphers: Self.dheList),
                    context: context, into: &results)
                // The group size is a fact; whether it is too small is the profile's `min_dh_bits`.
                if let facts = result.handshake, let bits = Self.dhBits(facts) { dheBits = bits }
            }
        }
        let facts = TLSFacts(versions: versions, weakSuites: weak, staticRSAAccepted: staticRSA, dheMinBits: dheBits)
        return ProbeRun(facts: facts, results: results)
    }

    /// One enumeration handshake. A refusal the server states (a TLS alert) is an answer; anything else
    /// that broke the handshake after the TCP connect (a reset, a stall) is retried once, so a busy
    /// server is not recorded as refusing what it accepts.
    private func enumerate(_ request: TransferRequest, context: ProbeContext, into results: inout [TransferResult])
        async -> TransferResult
    {
        let budget = context.budget
        var request = request
        let first = await context.perform(request)
        results.append(first)
        guard first.handshake == nil, first.connections > 0, let failure = first.failure,
            !Self.isStatedRefusal(failure), budget.remainingMS() > 0
        else { return first }
        request.connectTimeoutMS = budget.connectMS()
        request.timeoutMS = max(1, budget.remainingMS())
        let second = await context.perform(request)
        results.append(second)
        return second
    }

    /// Whether a failed handshake is the server saying no (an alert, no shared cipher or version).
    static func isStatedRefusal(_ failure: TransferFailure) -> Bool {
        guard failure.kind == .tls else { return false }
        let message = failure.message.lowercased()
        return [
            "alert", "no cipher", "no shared cipher", "unsupported protocol", "no protocols available",
            "wrong version number",
        ]
        .contains { message.contains($0) }
    }

    static func support(_ result: TransferResult) -> VersionSupport {
        if result.handshake != nil && (result.failure == nil || result.failure?.kind == .http) { return .accepted }
        guard let failure = result.failure else { return result.handshake != nil ? .accepted : .error }
        switch failure.kind {
        case .tls: return .rejected
        case .http, .other:
            // A server that drops the connection on an unwanted ClientHello (RST/EOF after connect).
            return result.connections > 0 ? .rejected : .error
        default: return .error
        }
    }

    static func weakReasons(_ facts: HandshakeFacts) -> [String] {
        var reasons: [String] = []
        let name = facts.cipher.uppercased()
        if facts.keyExchange == "kx-rsa" { reasons.append("static-rsa") }
        if name.contains("NULL") { reasons.append("null") }
        if name.hasPrefix("ADH") || name.hasPrefix("AECDH") { reasons.append("anonymous") }
        if !facts.cipherIsAEAD && !name.contains("NULL") { reasons.append("cbc") }
        if name.hasSuffix("-SHA") || name == "SHA" { reasons.append("sha1-mac") }
        return reasons.isEmpty ? ["weak"] : reasons
    }

    static func dhBits(_ facts: HandshakeFacts) -> Int? {
        guard facts.keyExchange == "kx-dhe", let bits = facts.ephemeralKeyBits else { return nil }
        return bits
    }

    static func mergeNegotiated(_ facts: TLSFacts?, _ handshake: HandshakeFacts?) -> TLSFacts? {
        guard var facts else { return nil }
        facts.negotiatedVersion = handshake.map { $0.version == "TLSv1" ? "TLSv1.0" : $0.version }
        facts.negotiatedCipher = handshake?.cipherStandardName ?? handshake?.cipher
        facts.alpn = handshake?.alpn
        return facts
    }

    /// A handshake-only request offering `version` alone (and `ciphers`, below TLS 1.3).
    private func handshake(_ context: ProbeContext, version: TransferRequest.TLSVersion, ciphers: String?)
        -> TransferRequest
    {
        let target = context.target
        let root = Target.url(scheme: "https", host: target.host, port: target.httpsPort, path: "/")
        var request = context.request(root, host: target.host, port: target.httpsPort)
        request.mode = .handshakeOnly
        request.tlsVersion = version
        if version == .tls13 {
            request.tls13Ciphers =
                "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"
        } else {
            request.cipherList = ciphers ?? Self.enumerationList
        }
        return request
    }
}
