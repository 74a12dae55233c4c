import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditProbes
import PortalAuditStore
import Synchronization

/// What `portal-audit monitor` needs.
public struct MonitorRequest: Sendable {
    public var scan: ScanRequest
    /// Seconds between two availability samples of one portal.
    public var uptimeEvery: Double
    /// Seconds between two full scans.
    public var scanEvery: Double
    public var alertsFile: String?
    public var metricsFile: String?

    public init(
        scan: ScanRequest, uptimeEvery: Double = 300, scanEvery: Double = 86_400, alertsFile: String? = nil,
        metricsFile: String? = nil
    ) {
        self.scan = scan
        self.uptimeEvery = uptimeEvery
        self.scanEvery = scanEvery
        self.alertsFile = alertsFile
        self.metricsFile = metricsFile
    }
}

/// Watches a fleet: availability samples spread over each interval, a full scan on schedule, alerts on
/// state changes, Prometheus metrics; everything into the same history. Resumes its schedule from history.
public struct MonitorRunner: Sendable {
    /// Failed samples in a row that confirm a portal is down (docs/uptime.md).
    /// How long availability samples are kept: the 30-day uptime window and a day more.
    public static let sampleRetention: TimeInterval = 31 * 86_400

    public struct Prepared: Sendable {
        public var scan: FleetScanner.Prepared
        public var request: MonitorRequest
        public var alerts: AlertSender?
        /// The open incidents and the outages held until the round ends.
        let desk: Desk
    }

    /// The incident desk, shared by the samples of a round.
    final class Desk: Sendable {
        let state: Mutex<IncidentDesk>
        /// Portals of an incident gone down or back this round, for their units: one message per unit and
        /// round, not one per portal.
        let unitNotes = Mutex<[(kind: Alert.Kind, url: String, name: String?, at: Date)]>([])

        init(_ desk: IncidentDesk) { state = Mutex(desk) }
    }

    let scanner: FleetScanner
    let runtime: CurlRuntime

    public init(scanner: FleetScanner = FleetScanner()) {
        self.scanner = scanner
        self.runtime = .shared
    }

    /// Validates everything before any traffic.
    public func prepare(_ request: MonitorRequest) async throws -> Prepared {
        var issues: [InputIssue] = []
        if !(1...86_400).contains(request.uptimeEvery) {
            issues.append(
                InputIssue(
                    file: "<command line>", field: "--uptime-every", problem: "expected a duration from 1s to 24h"))
        }
        // From 10 s: a portal watched closely during an incident (a scan starts only once the previous ended).
        if !(10...(30 * 86_400)).contains(request.scanEvery) {
            issues.append(
                InputIssue(
                    file: "<command line>", field: "--scan-every", problem: "expected a duration from 10s to 30d")
            )
        }
        var alerts: AlertConfig?
        if let file = request.alertsFile {
            do { alerts = try AlertConfig.load(file) } catch { issues.append(contentsOf: error.issues) }
        }
        var scan = request.scan
        scan.resume = true
        let prepared: FleetScanner.Prepared
        do {
            prepared = try await scanner.prepare(scan, checkLease: false)
        } catch let error as InputIssues {
            throw InputIssues(issues + error.issues)
        }
        if !issues.isEmpty { throw InputIssues(issues) }
        return Prepared(
            scan: prepared, request: request,
            alerts: alerts.map { AlertSender(config: $0, resolve: request.scan.probe.resolve) },
            desk: Desk(IncidentDesk(minPortals: alerts?.incidentMinPortals ?? 3)))
    }

    /// Runs until the calling task is cancelled (SIGTERM, SIGINT). Nothing finished is lost.
    public func run(_ prepared: Prepared, log: @escaping @Sendable (String) -> Void) async {
        await restoreIncidents(prepared, log: log)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await sampleForever(prepared, log: log) }
            group.addTask { await scanForever(prepared, log: log) }
            group.addTask { await deliverForever(prepared, log: log) }
            group.addTask { await digestForever(prepared, log: log) }
        }
    }

    // MARK: availability

    private func sampleForever(_ prepared: Prepared, log: @escaping @Sendable (String) -> Void) async {
        let clock = scanner.clock
        let interval = prepared.request.uptimeEvery
        let targets = prepared.scan.inventory.targets
        let store = prepared.scan.store
        var round = clock.now()
        while !Task.isCancelled {
            let (up, down) = await withTaskGroup(of: Bool?.self) { group in
                var inFlight = 0
                var counts = (up: 0, down: 0)
                func count(_ result: Bool??) {
                    if case let .some(.some(up)) = result {
                        if up { counts.up += 1 } else { counts.down += 1 }
                    }
                }
                for (index, target) in targets.enumerated() {
                    // Spread the samples over the interval: never the whole fleet at once.
                    let slot = round.addingTimeInterval(interval * Double(index) / Double(max(1, targets.count)))
                    do { try await clock.sleep(until: slot) } catch { break }
                    if inFlight >= 64 {
                        count(await group.next())
                        inFlight -= 1
                    }
                    group.addTask { await sampleOnce(target, prepared: prepared, store: store, log: log) }
                    inFlight += 1
                }
                for await result in group { count(result) }
                return counts
            }
            // Our own reach first: a cut network holds every outage alert and its time is unmonitored.
            if await !cutOff(prepared, roundStart: round, up: up, down: down, log: log) {
                await flushIncidents(prepared, log: log)
                await tellUnits(prepared, log: log)
                await escalate(prepared, log: log)
            }
            if let metrics = prepared.request.metricsFile {
                do {
                    try await MetricsWriter.write(to: metrics, targets: targets, store: store, now: clock.now())
                } catch {
                    log("monitor: cannot write metrics to \(metrics): \(error)")
                }
            }
            // Keep what the 30-day uptime needs (and a day more); older samples only cost space and time.
            do {
                try await store.pruneSamples(before: clock.now().addingTimeInterval(-Self.sampleRetention))
            } catch {
                log("monitor: cannot prune old samples: \(error)")
            }
            round = round.addingTimeInterval(interval)
            // Behind by more than a round (the machine slept, a round overran): the next round starts now,
            // not a burst of the rounds missed.
            let now = clock.now()
            if round < now.addingTimeInterval(-interval) { round = now }
            do { try await clock.sleep(until: round) } catch { return }
        }
    }

    /// One light request (`AvailabilitySampler`): status, time, a sanity check of the body. Saves it, then
    /// updates the alert state.
    /// Whether it was up (`nil`: cancelled).
    @discardableResult
    private func sampleOnce(_ target: Target, prepared: Prepared, store: AuditStore, log: @Sendable (String) -> Void)
        async -> Bool?
    {
        let sampler = AvailabilitySampler(runtime: runtime, options: prepared.request.scan.probe)
        let timeout = Int(min(10, max(1, prepared.request.uptimeEvery * 0.8)) * 1_000)
        guard let sample = await sampler.sample(target, timeoutMS: timeout) else { return nil }
        do {
            try await store.saveSample(url: target.url, sample)
            try await updateAvailability(target, sample: sample, prepared: prepared, store: store, log: log)
        } catch {
            log("monitor: \(error)")
        }
        return sample.up
    }

    /// The availability state machine of one portal: one alert per transition, a reminder at most daily.
    private func updateAvailability(
        _ target: Target, sample: UptimeSample, prepared: Prepared, store: AuditStore, log: @Sendable (String) -> Void
    ) async throws {
        let now = sample.at
        var state =
            try await store.alertState(url: target.url, kind: .availability)
            ?? AuditStore.AlertState(state: .up, since: now, lastSent: nil)
        var alert: Alert?
        if state.state == .up && !sample.up {
            let window = now.addingTimeInterval(
                -prepared.request.uptimeEvery * Double(AvailabilityPolicy.confirmations + 2))
            let recent = try await store.samples(url: target.url, since: window).suffix(
                AvailabilityPolicy.confirmations)
            if recent.count == AvailabilityPolicy.confirmations, recent.allSatisfy({ !$0.up }), let first = recent.first
            {
                // Held until the round ends (`flushIncidents`): announced alone or as part of an incident.
                state = AuditStore.AlertState(state: .down, since: first.at, lastSent: nil)
                prepared.desk.state.withLock {
                    $0.down(
                        url: target.url, name: target.name, since: first.at, address: sample.address, confirmed: now)
                }
            }
        } else if state.state == .down && sample.up {
            let seconds = Int(now.timeIntervalSince(state.since).rounded())
            let up = Alert(
                kind: .up, url: target.url, name: target.name, at: now, detail: "outage: \(seconds) s",
                outageSeconds: seconds)
            switch prepared.desk.state.withLock({ $0.up(url: target.url, at: now) }) {
            case nil:
                alert = up
            case let incident?:
                // Its incident's province alerts (when it was the last one back), and its unit's own line.
                if state.lastSent != nil {
                    prepared.desk.unitNotes.withLock { $0.append((.up, target.url, target.name, now)) }
                }
                for closed in incident { await deliver(closed, prepared: prepared, log: log) }
                try await saveIncidents(prepared)
            }
            state = AuditStore.AlertState(state: .up, since: now, lastSent: now)
        } else if state.state == .down, state.lastSent != nil,
            !prepared.desk.state.withLock({ $0.inIncident(target.url) }),
            let config = prepared.alerts?.config,
            now.timeIntervalSince(state.lastSent ?? state.since) >= Double(config.reminderHours) * 3_600
        {
            alert = Alert(
                kind: .stillDown, url: target.url, name: target.name, at: now,
                detail: "down since \(ISO8601DateFormatter().string(from: state.since))")
            state.lastSent = now
        }
        try await store.setAlertState(url: target.url, kind: .availability, state)
        if let alert { await deliver(alert, prepared: prepared, log: log) }
    }

    /// Keeps `alert`'s messages in the history (the province's channels unless `province` is false, and the
    /// portal's unit by e-mail); `deliverForever` sends them. Sampling never waits on a mail server.
    private func deliver(_ alert: Alert, prepared: Prepared, log: @Sendable (String) -> Void, province: Bool = true)
        async
    {
        if province { log("monitor: \(alert.subject) — \(alert.detail)") }
        guard let sender = prepared.alerts else { return }
        let unit = prepared.scan.inventory.targets.first { $0.url == alert.url }?.unitRecipients ?? []
        do {
            try await prepared.scan.store.enqueueAlerts(sender.messages(alert, unit: unit, province: province))
        } catch {
            log("monitor: alert not kept: \(error)")
        }
    }

    // MARK: our own reach

    /// Whether the monitor's own network is the likely cause of this round's failures: `self_share` of the
    /// fleet down at once and every canary unreachable (with no canary, a fleet of ten or more all down). On
    /// the first such round one alert says so; while it lasts the round's samples are forgotten (unmonitored
    /// time, not downtime) and outages stay held; the first round after, the interval is recorded and the
    /// outages still wait that round out (it was sampled partly before the reach came back).
    private func cutOff(
        _ prepared: Prepared, roundStart: Date, up: Int, down: Int, log: @Sendable (String) -> Void
    ) async -> Bool {
        guard let sender = prepared.alerts else { return false }
        let config = sender.config
        let store = prepared.scan.store
        let sampled = up + down
        var cut = false
        if sampled > 0, Double(down) / Double(sampled) >= config.selfShare {
            if config.canaries.isEmpty {
                cut = down == sampled && sampled >= 10
            } else {
                var reached = false
                for canary in config.canaries where !reached {
                    var request = TransferRequest(
                        url: canary, resolve: prepared.request.scan.probe.resolve, verification: .record(host: ""),
                        connectTimeoutMS: 5_000, timeoutMS: 5_000, maxBodyBytes: 16 << 10)
                    // The operator's own destination, as configured.
                    request.egress = nil
                    reached = await runtime.perform(request).responseCode > 0
                }
                cut = !reached
            }
        }
        do {
            let offline = try await store.monitorState("cut-off").flatMap { try? Date($0, strategy: .iso8601) }
            if cut {
                let start = offline ?? roundStart
                if offline == nil {
                    try await store.setMonitorState("cut-off", start.formatted(.iso8601), at: scanner.clock.now())
                    await deliver(
                        Alert(
                            kind: .monitorCutOff, url: "monitor:self", name: nil, at: start,
                            detail:
                                "\(down)/\(sampled) cổng không phản hồi cùng lúc và không tới được máy đối chứng (canary) / portals down at once and no canary reachable: \(config.canaries.joined(separator: ", ")); cảnh báo từng cổng tạm giữ / per-portal alerts held"
                        ), prepared: prepared, log: log)
                }
                try await store.deleteSamples(from: start)
                return true
            }
            if let offline {
                var intervals = try await Self.unmonitored(store)
                intervals.append(Unmonitored(start: offline, end: roundStart))
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                try await store.setMonitorState(
                    "unmonitored", String(decoding: try encoder.encode(intervals.suffix(500)), as: UTF8.self),
                    at: scanner.clock.now())
                try await store.setMonitorState("cut-off", "", at: scanner.clock.now())
                log("monitor: reach restored; unmonitored from \(offline.formatted(.iso8601))")
                // This round was sampled partly before the reach came back: its outages wait one more round.
                return true
            }
        } catch {
            log("monitor: \(error)")
        }
        return false
    }

    /// A stretch of time the monitor could not see the portals (its own network was cut).
    public struct Unmonitored: Codable, Sendable, Equatable {
        public var start: Date
        public var end: Date
    }

    /// The unmonitored stretches recorded in `store`, oldest first.
    public static func unmonitored(_ store: AuditStore) async throws -> [Unmonitored] {
        guard let text = try await store.monitorState("unmonitored"), !text.isEmpty else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([Unmonitored].self, from: Data(text.utf8))
    }

    /// The round's incident notes for the units: one message per unit (recipients) and kind, listing its
    /// portals that went down with an incident or came back from one.
    private func tellUnits(_ prepared: Prepared, log: @Sendable (String) -> Void) async {
        let notes = prepared.desk.unitNotes.withLock { notes in
            defer { notes = [] }
            return notes
        }
        guard !notes.isEmpty else { return }
        let recipients = Dictionary(
            prepared.scan.inventory.targets.map { ($0.url, $0.unitRecipients) }, uniquingKeysWith: { first, _ in first }
        )
        var groups: [String: [(kind: Alert.Kind, url: String, name: String?, at: Date)]] = [:]
        var order: [String] = []
        for note in notes {
            let key = note.kind.rawValue + " " + (recipients[note.url] ?? []).joined(separator: ",")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(note)
        }
        for key in order {
            guard let group = groups[key], let first = group.first, !(recipients[first.url] ?? []).isEmpty else {
                continue
            }
            let names = group.map { $0.name ?? $0.url }
            let detail =
                (first.kind == .down
                    ? "Trong một sự cố chung của máy chủ / part of a shared incident: "
                    : "Hoạt động trở lại / back up: ") + names.joined(separator: "; ")
            await deliver(
                Alert(
                    kind: first.kind, url: first.url,
                    name: group.count == 1
                        ? first.name : "\(group.count) cổng / portals: \(names.prefix(3).joined(separator: ", "))…",
                    at: first.at, detail: detail), prepared: prepared, log: log, province: false)
        }
    }

    // MARK: digests

    /// Every `digest.every`, one e-mail per recipient (the province's list, each unit) over the latest finished
    /// scan against the one of the previous digest; the first period starts when the monitor does. The time and
    /// run of the last digest are kept in `monitorState`: a restart neither repeats nor skips one.
    private func digestForever(_ prepared: Prepared, log: @escaping @Sendable (String) -> Void) async {
        guard let sender = prepared.alerts, let digest = sender.config.digest, let email = sender.config.email else {
            return
        }
        let store = prepared.scan.store
        let key = FleetScanner.key(prepared.request.scan.inventory)
        while !Task.isCancelled {
            do {
                let now = scanner.clock.now()
                let kept = (try await store.monitorState("digest") ?? "").split(separator: " ")
                let last = kept.first.flatMap { try? Date(String($0), strategy: .iso8601) }
                let lastRun = kept.count > 1 ? Int64(kept[1]) : nil
                if let last, now.timeIntervalSince(last) >= digest.every,
                    let run = try await store.lastFinishedRun(inventory: key)
                {
                    var previous: [String: Verdict] = [:]
                    if let lastRun {
                        for site in try await store.results(run: lastRun) { previous[site.target.url] = site.verdict }
                    }
                    let units = Dictionary(
                        prepared.scan.inventory.targets.map { ($0.url, $0.unitRecipients) },
                        uniquingKeysWith: { first, _ in first })
                    let letters = DigestBuilder.letters(
                        results: try await store.results(run: run.id), previous: previous, province: email.to,
                        units: units, dashboard: digest.dashboard, at: now)
                    try await store.enqueueAlerts(
                        letters.map { letter in
                            AuditStore.OutboxMessage(
                                createdAt: now, channel: "email", destination: letter.to.joined(separator: ","),
                                event: Alert.Kind.digest.rawValue, portal: letter.alert.url,
                                subject: AlertSender.printable(letter.alert.subject),
                                body: String(
                                    decoding: AlertSender.message(letter.alert, from: email.from, to: letter.to),
                                    as: UTF8.self))
                        })
                    log("monitor: \(letters.count) digests of run \(run.id) kept for delivery")
                    try await store.setMonitorState("digest", "\(now.formatted(.iso8601)) \(run.id)", at: now)
                } else if last == nil {
                    try await store.setMonitorState("digest", now.formatted(.iso8601), at: now)
                }
            } catch {
                log("monitor: digest: \(error)")
            }
            do { try await scanner.clock.sleep(.seconds(min(60, max(1, digest.every / 4)))) } catch { return }
        }
    }

    // MARK: escalation

    /// What stays open past `escalation.after_hours` — an incident, a portal announced down alone, or a required
    /// criterion failed by every scan since — goes once to the escalation channel; what closes is forgotten (kept in `monitorState`: a restart sends
    /// nothing twice).
    private func escalate(_ prepared: Prepared, log: @Sendable (String) -> Void) async {
        guard let sender = prepared.alerts, let escalation = sender.config.escalation else { return }
        let store = prepared.scan.store
        let now = scanner.clock.now()
        let after = escalation.afterHours * 3_600
        do {
            var open: [String: (since: Date, name: String?, detail: String)] = [:]
            for incident in prepared.desk.state.withLock({ Array($0.open.values) }) {
                open["incident:\(incident.key)"] = (
                    incident.openedAt, IncidentDesk.title(incident, count: incident.down), IncidentDesk.detail(incident)
                )
            }
            let names = Dictionary(
                prepared.scan.inventory.targets.map { ($0.url, $0.name) }, uniquingKeysWith: { first, _ in first })
            // (a portal down now is escalated as an outage, not as a failing scan)
            var downNow = Set<String>()
            for (url, state) in try await store.alertStates(kind: .availability) where state.state == .down {
                downNow.insert(url)
                guard state.lastSent != nil, !prepared.desk.state.withLock({ $0.inIncident(url) }) else { continue }
                open[url] = (state.since, names[url] ?? nil, "down since \(state.since.formatted(.iso8601))")
            }
            // A required failure the scans have found without a break since then.
            for (url, since) in try await Self.failingSince(store) where !downNow.contains(url) {
                open["failing:" + url] = (
                    since, names[url] ?? nil, "không đạt tiêu chí bắt buộc / failing a required criterion: \(url)"
                )
            }
            let sent = Set(
                (try await store.monitorState("escalated") ?? "").split(separator: "\n").map(String.init))
            var kept = sent.filter { open[$0] != nil }
            for (key, item) in open.sorted(by: { $0.key < $1.key })
            where !sent.contains(key) && now.timeIntervalSince(item.since) >= after {
                let alert = Alert(
                    kind: .escalated, url: key, name: item.name, at: now,
                    detail: "Mở từ / open since \(item.since.formatted(.iso8601)): \(item.detail)")
                log("monitor: \(alert.subject) — \(alert.detail)")
                try await store.enqueueAlerts(sender.escalationMessages(alert))
                kept.insert(key)
            }
            if kept != sent {
                try await store.setMonitorState("escalated", kept.sorted().joined(separator: "\n"), at: now)
            }
        } catch {
            log("monitor: escalation: \(error)")
        }
    }

    /// The portals failing a required criterion in every scan since the date kept for them.
    static func failingSince(_ store: AuditStore) async throws -> [String: Date] {
        var out: [String: Date] = [:]
        for line in (try await store.monitorState("failing-since") ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let date = try? Date(String(parts[0]), strategy: .iso8601) {
                out[String(parts[1])] = date
            }
        }
        return out
    }

    // MARK: incidents

    /// A round's end: the outages confirmed within the last sampling window announced, one incident per network
    /// where enough portals share one (their units still hear of their own portal), the others one by one.
    private func flushIncidents(_ prepared: Prepared, log: @Sendable (String) -> Void) async {
        let now = scanner.clock.now()
        let (incidents, alone, joined) = prepared.desk.state.withLock { desk in
            let before = Set(desk.open.values.flatMap { $0.members.map(\.url) })
            let (incidents, alone) = desk.flush(at: now, window: prepared.request.uptimeEvery)
            let after = desk.open.values.flatMap { $0.members.filter { !before.contains($0.url) } }
            return (incidents, alone, after)
        }
        guard !incidents.isEmpty || !alone.isEmpty || !joined.isEmpty else { return }
        let store = prepared.scan.store
        for alert in incidents { await deliver(alert, prepared: prepared, log: log) }
        prepared.desk.unitNotes.withLock { notes in
            for member in joined { notes.append((.down, member.url, member.name, member.since)) }
        }
        for held in alone {
            await deliver(
                Alert(kind: .down, url: held.url, name: held.name, at: held.since, detail: "cause: down"),
                prepared: prepared, log: log)
        }
        do {
            for url in joined.map(\.url) + alone.map(\.url) {
                if var state = try await store.alertState(url: url, kind: .availability), state.state == .down {
                    state.lastSent = now
                    try await store.setAlertState(url: url, kind: .availability, state)
                }
            }
            try await saveIncidents(prepared)
        } catch {
            log("monitor: \(error)")
        }
    }

    private func saveIncidents(_ prepared: Prepared) async throws {
        let desk = prepared.desk.state.withLock { $0 }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        try await prepared.scan.store.setMonitorState(
            "incidents", String(decoding: try encoder.encode(desk), as: UTF8.self), at: scanner.clock.now())
    }

    /// The open incidents of a monitor that stopped, and the outages it confirmed but had not announced yet.
    private func restoreIncidents(_ prepared: Prepared, log: @Sendable (String) -> Void) async {
        let store = prepared.scan.store
        do {
            if let text = try await store.monitorState("incidents") {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                var desk = try decoder.decode(IncidentDesk.self, from: Data(text.utf8))
                desk.minPortals = prepared.desk.state.withLock { $0.minPortals }
                prepared.desk.state.withLock { $0 = desk }
            }
            let names = Dictionary(
                prepared.scan.inventory.targets.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
            for (url, state) in try await store.alertStates(kind: .availability)
            where state.state == .down && state.lastSent == nil {
                guard let target = names[url] else { continue }
                prepared.desk.state.withLock {
                    $0.down(
                        url: url, name: target.name, since: state.since,
                        address: target.address?.split(separator: ",").first.map(String.init))
                }
            }
        } catch {
            log("monitor: cannot restore the open incidents: \(error)")
        }
    }

    /// Delivers the kept messages, each destination's oldest first, every half second: a message that fails is
    /// tried again after `retry_seconds`, doubling up to an hour, its destination's later messages waiting
    /// behind it (in order); a message is marked delivered once its destination accepted it, so a restart does
    /// not send it again.
    private func deliverForever(_ prepared: Prepared, log: @escaping @Sendable (String) -> Void) async {
        guard let sender = prepared.alerts else { return }
        let store = prepared.scan.store
        while !Task.isCancelled {
            do {
                for message in try await store.dueAlerts(now: scanner.clock.now()) {
                    if let problem = await sender.deliver(message) {
                        let wait = min(
                            3_600, Double(sender.config.retrySeconds) * Double(1 << min(message.attempts, 12)))
                        try await store.alertFailed(
                            id: message.id, error: problem, next: scanner.clock.now().addingTimeInterval(wait))
                        log(
                            "monitor: alert \(message.id) not delivered (attempt \(message.attempts + 1)), again in \(Int(wait)) s: \(problem)"
                        )
                    } else {
                        try await store.alertDelivered(id: message.id, at: scanner.clock.now())
                    }
                }
            } catch {
                log("monitor: alerts: \(error)")
            }
            do { try await Task.sleep(for: .milliseconds(500)) } catch { return }
        }
    }

    // MARK: scans

    private func scanForever(_ prepared: Prepared, log: @escaping @Sendable (String) -> Void) async {
        let clock = scanner.clock
        let store = prepared.scan.store
        let key = FleetScanner.key(prepared.request.scan.inventory)
        while !Task.isCancelled {
            // Resume the schedule from history: an unfinished run now, else one scan-interval after the last start.
            var wait = 0.0
            do {
                if try await store.unfinishedRun(inventory: key) == nil,
                    let last = try await store.lastRunStart(inventory: key)
                {
                    wait = max(0, last.addingTimeInterval(prepared.request.scanEvery).timeIntervalSince(clock.now()))
                }
            } catch {
                log("monitor: cannot read the scan schedule from history: \(error)")
                wait = 60
            }
            if wait > 0 {
                do { try await clock.sleep(.milliseconds(Int(wait * 1_000))) } catch { return }
            }
            do {
                let fresh = try await scanner.prepare(prepared.scan.request, store: store)
                if let run = fresh.resumeRun {
                    log("monitor: resuming scan run \(run.id) (\(run.done)/\(run.planned) done)")
                }
                let summary = try await scanner.scan(fresh) { _ in }
                log(
                    "monitor: scan run \(summary.runID) \(summary.interrupted ? "interrupted" : "finished"): \(summary.scanned) portals scanned"
                )
                if summary.interrupted { return }
                await scanAlerts(run: summary.runID, prepared: prepared, log: log)
            } catch let conflict as RunLeaseConflict {
                // The nightly timer (or an officer) is scanning this run: it finishes it, not us.
                log("monitor: \(conflict); trying again in a minute")
                do { try await clock.sleep(.seconds(60)) } catch { return }
            } catch let issues as InputIssues {
                log("monitor: \(issues.issues.map(\.description).joined(separator: "; ")); trying again in a minute")
                do { try await clock.sleep(.seconds(60)) } catch { return }
            } catch {
                log("monitor: scan failed: \(error)")
                do { try await clock.sleep(.seconds(60)) } catch { return }
            }
        }
    }

    /// Certificate-expiry and verdict-worse alerts after a scan, each once per state change.
    private func scanAlerts(run: Int64, prepared: Prepared, log: @Sendable (String) -> Void) async {
        let store = prepared.scan.store
        do {
            try await scanAlerts(run: run, store: store, prepared: prepared, log: log)
        } catch {
            log("monitor: no alerts after scan run \(run): \(error)")
        }
    }

    private func scanAlerts(run: Int64, store: AuditStore, prepared: Prepared, log: @Sendable (String) -> Void)
        async throws
    {
        let results = try await store.results(run: run)
        let previous = try await store.previousResults(run: run)
        // Since when each portal has failed a required criterion without a break, for escalation.
        let failingSince = try await Self.failingSince(store)
        var failing: [String: Date] = [:]
        for site in results where site.verdict == .fail {
            failing[site.target.url] = failingSince[site.target.url] ?? scanner.clock.now()
        }
        try await store.setMonitorState(
            "failing-since",
            failing.sorted { $0.key < $1.key }.map { "\($0.value.formatted(.iso8601)) \($0.key)" }.joined(
                separator: "\n"),
            at: scanner.clock.now())
        for site in results {
            let url = site.target.url
            if let before = previous[url], site.verdict.rank < before.verdict.rank {
                await deliver(
                    Alert(
                        kind: .verdictWorse, url: url, name: site.target.name, at: scanner.clock.now(),
                        detail: "\(before.verdict.rawValue) → \(site.verdict.rawValue)"), prepared: prepared, log: log)
            }
            try await defacementAlert(site, store: store, prepared: prepared, log: log)
            // Only a scan finding identifiers in a document reads the previous scan's documents.
            if let before = previous[url], !Self.documentsWithIdentifiers(site).isEmpty,
                let (earlier, _) = try await store.result(run: before.runID, url: url)
            {
                await personalDataAlert(site, before: earlier, prepared: prepared, log: log)
            }
            // The profile's judgement decides: cert.expiry-soon's window, or an already expired certificate.
            if let leaf = site.observation.certificate?.leaf {
                let expiring = site.findings.contains {
                    ($0.rule == "cert.expiry-soon" || $0.rule == "cert.not-expired") && $0.status == .fail
                }
                let state = try await store.alertState(url: url, kind: .certificate)
                if expiring && state?.state != .expiring {
                    try await store.setAlertState(
                        url: url, kind: .certificate,
                        AuditStore.AlertState(
                            state: .expiring, since: scanner.clock.now(), lastSent: scanner.clock.now()))
                    await deliver(
                        Alert(
                            kind: .certExpiring, url: url, name: site.target.name, at: scanner.clock.now(),
                            detail: "not after \(ISO8601DateFormatter().string(from: leaf.notAfter))"),
                        prepared: prepared, log: log)
                } else if !expiring && state?.state == .expiring {
                    try await store.setAlertState(
                        url: url, kind: .certificate,
                        AuditStore.AlertState(state: .ok, since: scanner.clock.now(), lastSent: nil))
                }
            }
        }
    }
}

extension MonitorRunner {
    /// A defaced home page (content.defacement failed) alerts once, for a person to confirm; the state
    /// clears when a scan finds the page as before.
    fileprivate func defacementAlert(
        _ site: SiteResult, store: AuditStore, prepared: Prepared, log: @Sendable (String) -> Void
    ) async throws {
        guard let finding = site.findings.first(where: { $0.rule == "content.defacement" }) else { return }
        let url = site.target.url
        let state = try await store.alertState(url: url, kind: .content)
        if finding.status == .fail && state?.state != .defaced {
            try await store.setAlertState(
                url: url, kind: .content,
                AuditStore.AlertState(state: .defaced, since: scanner.clock.now(), lastSent: scanner.clock.now()))
            let detail = finding.evidence.keys.sorted().map { "\($0): \(finding.evidence[$0] ?? "")" }
            await deliver(
                Alert(
                    kind: .defaced, url: url, name: site.target.name, at: scanner.clock.now(),
                    detail: "\(finding.resultCode); " + detail.joined(separator: "; ")),
                prepared: prepared, log: log)
        } else if finding.status == .pass && state?.state == .defaced {
            try await store.setAlertState(
                url: url, kind: .content, AuditStore.AlertState(state: .ok, since: scanner.clock.now(), lastSent: nil))
        }
    }
}

extension MonitorRunner {
    /// The documents of `site` holding identifiers (or identifiers under black boxes).
    static func documentsWithIdentifiers(_ site: SiteResult) -> [DocumentFacts] {
        (site.observation.content?.privacy?.documents ?? []).filter {
            ($0.personal.map { $0.ids + $0.cmnd } ?? 0) > 0 || $0.hidden > 0
        }
    }

    /// A document with identifiers that the previous scan's documents did not hold alerts once, with its
    /// address, counts and masked samples; a previous scan that did not read documents sets no baseline.
    fileprivate func personalDataAlert(
        _ site: SiteResult, before: SiteResult, prepared: Prepared, log: @Sendable (String) -> Void
    ) async {
        guard before.observation.content?.privacy != nil else { return }
        let known = Set(Self.documentsWithIdentifiers(before).map(\.url))
        let new = Self.documentsWithIdentifiers(site).filter { !known.contains($0.url) }
        guard !new.isEmpty else { return }
        let detail = new.prefix(5).map { document in
            let facts = document.personal ?? PersonalDataFacts()
            let samples = facts.samples.filter { $0.count == 12 || $0.count == 9 }.prefix(3).joined(separator: ", ")
            return "\(document.url): \(facts.ids + facts.cmnd) số định danh/identifiers"
                + (document.hidden > 0 ? ", \(document.hidden) dưới ô đen/under black boxes" : "")
                + (samples.isEmpty ? "" : " (\(samples))")
        }
        await deliver(
            Alert(
                kind: .personalData, url: site.target.url, name: site.target.name, at: scanner.clock.now(),
                detail: detail.joined(separator: "; ")), prepared: prepared, log: log)
    }
}

/// Prometheus text-format metrics for node_exporter's textfile collector, written atomically.
public enum MetricsWriter {
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    public static func write(to path: String, targets: [Target], store: AuditStore, now: Date) async throws {
        var up =
            "# HELP portal_audit_up Whether the portal answered its last availability sample.\n# TYPE portal_audit_up gauge\n"
        var time =
            "# HELP portal_audit_response_seconds Time of the last availability sample.\n# TYPE portal_audit_response_seconds gauge\n"
        var ratio =
            "# HELP portal_audit_uptime_ratio Share of up samples over 24 h, a lone failed sample counted as up (docs/uptime.md).\n# TYPE portal_audit_uptime_ratio gauge\n"
        let summary = try await store.metricsSummary(since: now.addingTimeInterval(-86_400))
        for target in targets {
            guard let facts = summary[target.url] else { continue }
            let labels = "url=\"\(label(target.url))\""
            up += "portal_audit_up{\(labels)} \(facts.up ? 1 : 0)\n"
            if let ms = facts.totalMS { time += "portal_audit_response_seconds{\(labels)} \(ms / 1_000)\n" }
            ratio += "portal_audit_uptime_ratio{\(labels),window=\"24h\"} \(facts.ratio)\n"
        }
        try ReportWriter.atomicWrite(up + time + ratio, to: path)
    }
}
