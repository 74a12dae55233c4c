import Foundation

/// Groups confirmed outages into incidents by the network the portals share (the address they answer on, its
/// /24, or /48 for IPv6): the portals confirmed down within one sampling window on one network, when there
/// are at least `minPortals` of them, open one incident, announced once, again each time it doubles, and once
/// when its last portal is back (with each portal's outage). A portal back alone closes its own line only.
/// Fewer portals are announced one by one, as before. Pure: the monitor feeds it and delivers what it says.
public struct IncidentDesk: Sendable, Equatable, Codable {
    public struct Member: Sendable, Equatable, Codable {
        public var url: String
        public var name: String?
        public var since: Date
        public var until: Date?
    }

    public struct Incident: Sendable, Equatable, Codable {
        /// The network: `203.0.113.0/24`, `2001:db8:1::/48`.
        public var key: String
        /// The one address every member answered on, when they share one.
        public var address: String?
        public var openedAt: Date
        /// How many portals the last announcement counted.
        public var announced: Int
        public var members: [Member]

        var down: Int { members.filter { $0.until == nil }.count }
        /// "máy chủ 203.0.113.7" or "mạng 203.0.113.0/24".
        var place: (vi: String, en: String) {
            address.map { ("máy chủ \($0)", "server \($0)") } ?? ("mạng \(key)", "network \(key)")
        }
    }

    /// A portal confirmed down at `confirmed`, held for one sampling window (its network's other portals,
    /// sampled at other moments of the round, are confirmed within it).
    public struct Held: Sendable, Equatable, Codable {
        public var url: String
        public var name: String?
        public var since: Date
        public var address: String?
        public var confirmed: Date
    }

    public var minPortals: Int
    public private(set) var open: [String: Incident] = [:]
    public private(set) var held: [Held] = []

    public init(minPortals: Int = 3) {
        self.minPortals = minPortals
    }

    /// The network of `address`: its /24 for IPv4, /48 for IPv6; `nil` for none (a name that did not resolve
    /// is announced alone).
    public static func network(_ address: String?) -> String? {
        guard let address, !address.isEmpty else { return nil }
        if address.contains(":") {
            var groups = address.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if let gap = groups.firstIndex(of: ""), address.contains("::") {
                let filled = max(0, 8 - groups.filter { !$0.isEmpty }.count)
                groups.replaceSubrange(gap...gap, with: Array(repeating: "0", count: filled))
                groups = groups.filter { !$0.isEmpty }
            }
            guard groups.count >= 3 else { return nil }
            return groups.prefix(3).map { String(Int($0, radix: 16) ?? 0, radix: 16) }.joined(separator: ":") + "::/48"
        }
        let octets = address.split(separator: ".")
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return nil }
        return octets.prefix(3).joined(separator: ".") + ".0/24"
    }

    /// Whether `url` is down in an open incident.
    public func inIncident(_ url: String) -> Bool {
        open.values.contains { $0.members.contains { $0.url == url && $0.until == nil } }
    }

    /// A portal confirmed down at `confirmed` (down since `since`), on `address`: held for one window.
    public mutating func down(url: String, name: String?, since: Date, address: String?, confirmed: Date? = nil) {
        guard !held.contains(where: { $0.url == url }), !inIncident(url) else { return }
        held.append(Held(url: url, name: name, since: since, address: address, confirmed: confirmed ?? since))
    }

    /// What a portal back up at `at` makes: `nil` when it was announced alone (the caller sends its own "up"),
    /// else the incident alerts (none while other portals of its incident are still down; none when it was
    /// still held: back within the round, never announced).
    public mutating func up(url: String, at: Date) -> [Alert]? {
        if let index = held.firstIndex(where: { $0.url == url }) {
            held.remove(at: index)
            return []
        }
        guard
            var (key, incident) = open.first(where: { $0.value.members.contains { $0.url == url && $0.until == nil } })
        else { return nil }
        for index in incident.members.indices where incident.members[index].url == url {
            incident.members[index].until = at
        }
        guard incident.down == 0 else {
            open[key] = incident
            return []
        }
        open[key] = nil
        key = incident.key
        let lines = incident.members.map { member in
            let seconds = Int((member.until ?? at).timeIntervalSince(member.since).rounded())
            return "\(member.name ?? member.url): \(Self.length(seconds))"
        }
        return [
            Alert(
                kind: .incidentClosed, url: "incident:\(key)",
                name: Self.title(incident, count: incident.members.count),
                at: at,
                detail:
                    "Đã hoạt động trở lại / back up: \(incident.members.count) cổng; thời gian gián đoạn / outage — "
                    + lines.joined(separator: "; "))
        ]
    }

    /// A round's end at `at`: held outages of a network with an open incident join it (announced again when it
    /// doubles); `minPortals` or more held on one network open an incident as soon as the oldest has been held
    /// for `window` (the sampling interval: its network's portals sampled at other moments of the round are
    /// confirmed within it); those held that long with too few companions are returned, to announce alone.
    public mutating func flush(at: Date, window: TimeInterval = 0) -> (incidents: [Alert], alone: [Held]) {
        var alerts: [Alert] = []
        var alone: [Held] = []
        let groups = Dictionary(grouping: held) { Self.network($0.address) ?? "" }
        var kept: [Held] = []
        for key in groups.keys.sorted() {
            let group = groups[key] ?? []
            let ripe = group.filter { at.timeIntervalSince($0.confirmed) >= window }
            guard !key.isEmpty else {
                alone += ripe
                kept += group.filter { !ripe.contains($0) }
                continue
            }
            if var incident = open[key] {
                incident.members += group.map { Member(url: $0.url, name: $0.name, since: $0.since) }
                if incident.address != nil, group.contains(where: { $0.address != incident.address }) {
                    incident.address = nil
                }
                if incident.down >= 2 * incident.announced {
                    incident.announced = incident.down
                    alerts.append(
                        Alert(
                            kind: .incidentGrew, url: "incident:\(key)",
                            name: Self.title(incident, count: incident.down),
                            at: at, detail: Self.detail(incident)))
                }
                open[key] = incident
            } else if group.count >= minPortals, !ripe.isEmpty {
                let addresses = Set(group.compactMap(\.address))
                let incident = Incident(
                    key: key, address: addresses.count == 1 ? addresses.first : nil,
                    openedAt: group.map(\.since).min() ?? at, announced: group.count,
                    members: group.map { Member(url: $0.url, name: $0.name, since: $0.since) })
                open[key] = incident
                alerts.append(
                    Alert(
                        kind: .incidentOpen, url: "incident:\(key)", name: Self.title(incident, count: group.count),
                        at: at, detail: Self.detail(incident)))
            } else {
                alone += ripe
                kept += group.filter { !ripe.contains($0) }
            }
        }
        held = kept
        return (alerts, alone)
    }

    /// "124 cổng trên máy chủ 203.0.113.7 ngừng phản hồi từ 08:15 (124 portals on server 203.0.113.7 down
    /// since 08:15)", the time in Việt Nam.
    public static func title(_ incident: Incident, count: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "HH:mm dd/MM/yyyy"
        let since = formatter.string(from: incident.openedAt)
        return
            "\(count) cổng trên \(incident.place.vi) ngừng phản hồi từ \(since) (\(count) portals on \(incident.place.en) down since \(since))"
    }

    /// An outage's length: `45s`, `3m20s`, `2h05m`.
    static func length(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3_600 { return "\(s / 60)m" + (s % 60 == 0 ? "" : String(format: "%02ds", s % 60)) }
        return "\(s / 3_600)h" + String(format: "%02dm", (s % 3_600) / 60)
    }

    /// The portals down, at most 50 named.
    static func detail(_ incident: Incident) -> String {
        let down = incident.members.filter { $0.until == nil }
        let named = down.prefix(50).map { $0.name ?? $0.url }.joined(separator: "; ")
        return "Cổng đang ngừng / portals down: \(named)" + (down.count > 50 ? "; … (\(down.count - 50) more)" : "")
    }
}
