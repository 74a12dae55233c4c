import CurlClient
import Foundation
import PortalAuditCore
import RawTLS

/// Protocol versions and cipher suites, asked with raw ClientHellos (the `RawTLS` engine) over TCP
/// connections libcurl opens: SSLv3 to TLS 1.3 each offered alone with every suite of that version, then
/// per accepted version either every accepted suite by iterative removal (`enumerateSuites`) or one hello
/// per class (broken suites by removal, then CBC, static key exchange and DHE). One connection at a time;
/// nothing is judged here, and no handshake is completed.
struct TLSProbe: AreaProbe {
    static let kind = ProbeKind.tls

    /// What the probe found, and the raw Certificate message of a TLS ≤ 1.2 hello (the chain a legacy-only
    /// server sends, for when the verdict handshake cannot be made).
    struct Facts: Sendable {
        var tls: TLSFacts?
        var certificates: [[UInt8]]
    }

    /// One answer to one hello.
    enum Answer: Equatable {
        case chose(CipherSuite, ServerFlight)
        /// An alert, another version, or a close after connecting: the server does not accept the offer.
        case refused
        /// Nothing could be told (no connection, a timeout, not TLS).
        case unknown
    }

    func run(_ context: ProbeContext) async -> ProbeRun<Facts> {
        var session = Session(context: context)
        var versions: [TLSVersion: VersionSupport] = [:]
        var accepted: [TLSVersion] = []
        var certificates: [[UInt8]] = []
        var suites: [AcceptedSuite] = []
        // Each version alone, a few hellos at once: on a real network the round trips are the cost.
        let answers = await session.askAll(
            TLSVersion.allCases.reversed().map { Session.Question(version: $0, suites: Self.offer($0)) })
        for (version, answer) in zip(TLSVersion.allCases.reversed(), answers) {
            switch answer {
            case .chose(let suite, let flight):
                versions[version] = .accepted
                accepted.append(version)
                if certificates.isEmpty && !flight.certificates.isEmpty { certificates = flight.certificates }
                if !context.options.enumerateSuites { suites.append(Self.accepted(suite, version, flight)) }
            case .refused: versions[version] = .rejected
            case .unknown: versions[version] = .error
            }
        }
        guard versions.values.contains(.accepted) || versions.values.contains(.rejected) else {
            return ProbeRun(facts: Facts(tls: nil, certificates: []), results: session.results)
        }
        var preference: Bool?
        if context.options.enumerateSuites {
            for version in accepted {
                let (found, order) = await session.enumerate(version, Self.offer(version))
                suites += found
                if preference == nil, order.count >= 2 {
                    // Offer the accepted suites in reverse: a server that still picks its first choice
                    // follows its own order.
                    if case .chose(let suite, _) = await session.ask(version, order.reversed()) {
                        preference = suite == order[0]
                    }
                }
            }
        } else {
            for version in accepted where version < .tls13 {
                suites += await session.classes(version)
            }
        }
        var groups: [String]?
        if context.options.enumerateSuites, let version = accepted.first(where: { $0 == .tls13 || $0 == .tls12 }) {
            groups = await session.groups(version)
        }
        var unique: [AcceptedSuite] = []
        for suite in suites where !unique.contains(suite) { unique.append(suite) }
        let staticKX = unique.contains { !SuiteClass.staticKeyExchange.isDisjoint(with: $0.classes) }
        let smallestDH = unique.compactMap(\.dhBits).min()
        var facts = TLSFacts(
            versions: versions, suites: unique, coverage: context.options.enumerateSuites ? .complete : .byClass,
            serverPreference: preference, staticRSAAccepted: staticKX, dheMinBits: smallestDH)
        facts.groups = groups
        return ProbeRun(facts: Facts(tls: facts, certificates: certificates), results: session.results)
    }

    /// Every known suite that `version` can negotiate.
    static func offer(_ version: TLSVersion) -> [CipherSuite] {
        switch version {
        case .tls13: CipherSuite.tls13
        case .tls12: CipherSuite.legacy
        default: CipherSuite.legacy.filter { !$0.needsTLS12 }
        }
    }

    static func accepted(_ suite: CipherSuite, _ version: TLSVersion, _ flight: ServerFlight) -> AcceptedSuite {
        var dhBits: Int?
        var group: String?
        switch flight.keyExchange {
        case .dh(let bits): dhBits = bits
        case .ecdh(let code): group = NamedGroup.name(code)
        case .rsa, nil: break
        }
        if let share = flight.hello?.keyShareGroup { group = NamedGroup.name(share) }
        let order: [SuiteClass] = SuiteClass.allCases
        return AcceptedSuite(
            version: version, name: suite.name, classes: order.filter { suite.classes.contains($0) }, dhBits: dhBits,
            group: group)
    }

    static func mergeNegotiated(_ facts: TLSFacts?, _ handshake: HandshakeFacts?) -> TLSFacts? {
        guard var facts else { return nil }
        facts.negotiatedVersion = handshake.flatMap { TLSVersion(name: $0.version) }
        facts.negotiatedCipher = handshake?.cipherStandardName ?? handshake?.cipher
        facts.alpn = handshake?.alpn
        return facts
    }

    /// The hellos of one site, one at a time, within its budget.
    struct Session {
        let context: ProbeContext
        var results: [TransferResult] = []
        /// Set when the first connection could not be made (refused, no route, no name).
        var unreachable = false

        init(context: ProbeContext) { self.context = context }

        /// Offers `suites` at `version` alone.
        mutating func ask(_ version: TLSVersion, _ suites: [CipherSuite]) async -> Answer {
            let asked = await Self.ask(context, Question(version: version, suites: suites))
            results += asked.results
            return asked.answer
        }

        /// One hello to send: a version alone, the suites and the groups it offers.
        struct Question: Sendable {
            var version: TLSVersion
            var suites: [CipherSuite]
            var groups: [NamedGroup] = NamedGroup.allCases.sorted { $0 == .x25519 && $1 != .x25519 }
        }

        /// Asks each question, `tlsHellosAtOnce` at a time, answers in the order asked. When nothing listens
        /// (the first connection refused), the questions not yet asked are not sent.
        mutating func askAll(_ questions: [Question]) async -> [Answer] {
            let width = context.options.tlsHellosAtOnce
            var answers: [Answer] = []
            var start = 0
            while start < questions.count {
                if unreachable {
                    answers += Array(repeating: .unknown, count: questions.count - start)
                    break
                }
                let wave = Array(questions[start..<min(questions.count, start + width)])
                let context = self.context
                let asked = await withTaskGroup(of: (Int, Asked).self) { group in
                    for (index, question) in wave.enumerated() {
                        group.addTask { (index, await Self.ask(context, question)) }
                    }
                    var out: [(Int, Asked)] = []
                    for await item in group { out.append(item) }
                    return out.sorted { $0.0 < $1.0 }.map(\.1)
                }
                for item in asked {
                    results += item.results
                    answers.append(item.answer)
                    if item.unreachable { unreachable = true }
                }
                start += width
            }
            return answers
        }

        /// The ECDHE groups `version` accepts, each offered alone with the version's ECDHE suites.
        mutating func groups(_ version: TLSVersion) async -> [String] {
            let suites = version == .tls13 ? CipherSuite.tls13 : TLSProbe.offer(version).filter { $0.is(.ecdhe) }
            let answers = await askAll(
                NamedGroup.allCases.map { Question(version: version, suites: suites, groups: [$0]) })
            return zip(NamedGroup.allCases, answers).compactMap { named, answer in
                guard case .chose(_, let flight) = answer else { return nil }
                // The server must have used the group it was offered (its key exchange or retry names it).
                let used: UInt16? =
                    if case .ecdh(let code) = flight.keyExchange { code } else { flight.hello?.keyShareGroup }
                return used == named.rawValue ? NamedGroup.name(named.rawValue) : nil
            }
        }

        /// One question's answer, the transfers it took, and whether nothing listens there.
        struct Asked: Sendable {
            var answer: Answer
            var results: [TransferResult]
            var unreachable: Bool
        }

        static func ask(_ context: ProbeContext, _ question: Question) async -> Asked {
            let (version, suites, groups) = (question.version, question.suites, question.groups)
            guard !suites.isEmpty, context.budget.remainingMS() > 0 else {
                return Asked(answer: .unknown, results: [], unreachable: false)
            }
            let target = context.target
            let url = Target.url(scheme: "http", host: target.host, port: target.httpsPort, path: "/")
            var random = SystemRandomNumberGenerator()
            // TLS 1.3 sends an x25519 share when x25519 is offered, none otherwise (the server then names its
            // group in a HelloRetryRequest).
            let share = version == .tls13 && groups.contains(.x25519)
            let hello = ClientHello(
                version: version, suites: suites, serverName: target.host, groups: groups,
                random: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) },
                keyShare: share ? (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) } : [])
            var asked = Asked(answer: .unknown, results: [], unreachable: false)
            // A stall or a receive error after connecting is retried once: a busy server is not recorded as
            // refusing what it accepts.
            for attempt in 0..<2 where context.budget.remainingMS() > 0 {
                let request = context.request(url, host: target.host, port: target.httpsPort)
                let exchange = await context.runtime.exchange(request, hello: hello.bytes)
                asked.results.append(exchange.transferResult)
                asked.answer = answer(exchange, version: version, offered: suites)
                if exchange.connections == 0, let kind = exchange.failure?.kind, kind == .connect || kind == .dns {
                    asked.unreachable = true
                    break
                }
                // A close before any byte (no alert) may be a busy server as well as a refusal: ask once more.
                let silentClose = exchange.closed && exchange.flight.hello == nil && exchange.flight.alert == nil
                if (asked.answer != .unknown && !silentClose) || attempt == 1 || exchange.flightError != nil { break }
            }
            return asked
        }

        static func answer(_ exchange: RawExchangeResult, version: TLSVersion, offered: [CipherSuite]) -> Answer {
            let flight = exchange.flight
            if let hello = flight.hello {
                // A server that answers an SSLv3 hello with TLS 1.2 (or any other version) has not accepted it.
                guard hello.version == version.wire,
                    let suite = offered.first(where: { $0.code == hello.cipherSuite })
                else { return .refused }
                return .chose(suite, flight)
            }
            if flight.alert != nil { return .refused }
            if exchange.flightError != nil { return .unknown }
            if exchange.connections > 0 && exchange.closed { return .refused }
            return .unknown
        }

        /// Every accepted suite of `version`, by removal: offer all, take the chosen one out, repeat until
        /// refused. Also returns the suites in the order the server chose them.
        mutating func enumerate(_ version: TLSVersion, _ offer: [CipherSuite]) async -> (
            [AcceptedSuite], [CipherSuite]
        ) {
            var remaining = offer
            var found: [AcceptedSuite] = []
            var order: [CipherSuite] = []
            while !remaining.isEmpty, case .chose(let suite, let flight) = await ask(version, remaining) {
                found.append(TLSProbe.accepted(suite, version, flight))
                order.append(suite)
                remaining.removeAll { $0 == suite }
            }
            return (found, order)
        }

        /// Per class, whether `version` accepts it: broken suites by removal (each one named), then one hello
        /// each for CBC, static key exchange and DHE (its group size), skipping a class already seen.
        mutating func classes(_ version: TLSVersion) async -> [AcceptedSuite] {
            let offer = TLSProbe.offer(version)
            let broken = offer.filter { !$0.classes.isDisjoint(with: SuiteClass.broken) }
            var (found, _) = await enumerate(version, broken)
            let sound = offer.filter { $0.classes.isDisjoint(with: SuiteClass.broken) }
            let questions: [(SuiteClass, [CipherSuite])] = [
                (.cbc, sound.filter { $0.is(.cbc) }),
                (.staticRSA, sound.filter { $0.is(.staticRSA) || $0.is(.staticDH) }),
                (.dhe, sound.filter { $0.is(.dhe) }),
            ].filter { question in !found.contains { $0.classes.contains(question.0) } }
            let answers = await askAll(questions.map { Question(version: version, suites: $0.1) })
            for answer in answers {
                if case .chose(let suite, let flight) = answer {
                    found.append(TLSProbe.accepted(suite, version, flight))
                }
            }
            return found
        }
    }
}
