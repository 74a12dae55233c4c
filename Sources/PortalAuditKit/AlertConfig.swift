import Foundation
import PortalAuditCore
import Yams

/// Where alerts go and when: a YAML file, every problem located as file:line:column.
///
/// ```yaml
/// webhook: { url: "https://chat.tinh.gov.vn/hooks/abc" }
/// email: { smtp: "smtp://mail.tinh.gov.vn:587", from: "giamsat@tinh.gov.vn", to: ["it@tinh.gov.vn"], starttls: true }
/// reminder_hours: 24
/// retry_seconds: 60
/// incident_min_portals: 3
/// canaries: ["https://tinh.gov.vn/", "https://dns.google/"]   # always reachable from the monitor
/// self_share: 0.5
/// escalation: { after_hours: 4, to: ["lanhdao@tinh.gov.vn"], webhook: "https://…" }   # once, when still open
/// digest: { every: daily, dashboard: "https://giamsat.tinh.gov.vn" }   # each recipient its own portals
/// ```
///
/// Each portal's alerts also go by e-mail to its unit (`alerts_to:` and the addresses in `contact:` in the
/// inventory), through the same mail server, in messages holding that portal only.
public struct AlertConfig: Sendable, Equatable {
    public struct Email: Sendable, Equatable {
        public var smtp: String
        public var from: String
        public var to: [String]
        /// Refuse to send without STARTTLS (default true).
        public var starttls: Bool
    }

    public var webhook: String?
    public var email: Email?
    /// While a portal stays down, remind at most this often.
    public var reminderHours: Int
    /// The first wait before a message that could not be delivered is tried again; each later wait doubles,
    /// up to an hour.
    public var retrySeconds: Int
    /// Portals of one network confirmed down in one sampling round that make one incident, not as many alerts.
    public var incidentMinPortals: Int
    /// Addresses the monitor should always reach (the province's own portal, a resolver's web page): when
    /// they fail with `selfShare` of the fleet at once, the monitor's own network is the likely cause.
    public var canaries: [String] = []
    /// The share of the fleet down in one round that makes the monitor check its own reach.
    public var selfShare: Double = 0.5

    /// A second channel told once of what stays open too long: an incident, or a portal announced down.
    public struct Escalation: Sendable, Equatable {
        public var afterHours: Double
        public var webhook: String?
        /// Addresses sent through the same mail server as `email`.
        public var to: [String]
    }
    public var escalation: Escalation?

    /// A digest per recipient (the province's list, each unit) every `every` seconds: its portals failing,
    /// worse and better since the previous digest, each finding with its fix.
    public struct Digest: Sendable, Equatable {
        public var every: Double
        /// The dashboard's address, for a link to each portal's page (`serve` running).
        public var dashboard: String?
    }
    public var digest: Digest?

    public init(
        webhook: String? = nil, email: Email? = nil, reminderHours: Int = 24, retrySeconds: Int = 60,
        incidentMinPortals: Int = 3
    ) {
        self.webhook = webhook
        self.email = email
        self.reminderHours = reminderHours
        self.retrySeconds = retrySeconds
        self.incidentMinPortals = incidentMinPortals
    }

    /// Reads and checks `path`.
    ///
    /// - Throws: `InputIssues` listing every problem.
    public static func load(_ path: String) throws(InputIssues) -> AlertConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputIssues([InputIssue(file: path, field: "", problem: "cannot read the alerts file")])
        }
        var issues: [InputIssue] = []
        func issue(_ node: Node?, _ field: String, _ problem: String) {
            issues.append(
                InputIssue(
                    file: path, line: node?.mark?.line, column: node?.mark?.column, field: field, problem: problem))
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) else {
                throw InputIssues([InputIssue(file: path, field: "", problem: "the file is empty")])
            }
            root = node
        } catch let error as InputIssues {
            throw error
        } catch {
            throw InputIssues([InputIssue(file: path, field: "", problem: "not valid YAML: \(error)")])
        }
        guard let mapping = root.mapping else {
            throw InputIssues([
                InputIssue(
                    file: path, line: 1, column: 1, field: "", problem: "expected a mapping with webhook and/or email")
            ])
        }
        var config = AlertConfig()
        func url(_ node: Node, _ field: String, schemes: [String]) -> String? {
            guard let text = node.scalar?.string, let scheme = URLComponents(string: text)?.scheme?.lowercased(),
                schemes.contains(scheme), URLComponents(string: text)?.host?.isEmpty == false
            else {
                issue(
                    node, field,
                    "expected a \(schemes.joined(separator: " or ")) URL, found '\(node.scalar?.string ?? "?")'")
                return nil
            }
            return text
        }
        for (key, value) in mapping {
            switch key.string {
            case "webhook":
                guard let map = value.mapping else {
                    issue(value, "webhook", "expected { url: … }")
                    continue
                }
                for (k, v) in map {
                    if k.string == "url" {
                        config.webhook = url(v, "webhook.url", schemes: ["http", "https"])
                    } else {
                        issue(k, "webhook.\(k.string ?? "?")", "unknown key (allowed: url)")
                    }
                }
                if config.webhook == nil && !map.contains(where: { $0.key.string == "url" }) {
                    issue(value, "webhook.url", "missing")
                }
            case "email":
                guard let map = value.mapping else {
                    issue(value, "email", "expected { smtp, from, to, starttls }")
                    continue
                }
                var smtp: String?
                var from: String?
                var to: [String] = []
                var starttls = true
                for (k, v) in map {
                    let field = "email.\(k.string ?? "?")"
                    switch k.string {
                    case "smtp": smtp = url(v, field, schemes: ["smtp", "smtps"])
                    case "from":
                        if let text = v.scalar?.string, text.contains("@") {
                            from = text
                        } else {
                            issue(v, field, "expected an e-mail address")
                        }
                    case "to":
                        let items = v.sequence.map { Array($0) } ?? [v]
                        for item in items {
                            if let text = item.scalar?.string, text.contains("@") {
                                to.append(text)
                            } else {
                                issue(item, field, "expected an e-mail address")
                            }
                        }
                    case "starttls":
                        if let flag = v.bool { starttls = flag } else { issue(v, field, "expected true or false") }
                    default: issue(k, field, "unknown key (allowed: from, smtp, starttls, to)")
                    }
                }
                for (name, present) in [("smtp", smtp != nil), ("from", from != nil), ("to", !to.isEmpty)]
                where !present {
                    if !map.contains(where: { $0.key.string == name }) { issue(value, "email.\(name)", "missing") }
                }
                if let smtp, let from, !to.isEmpty {
                    config.email = Email(smtp: smtp, from: from, to: to, starttls: starttls)
                }
            case "cert_expiry_days":
                // Certificate alerts follow the profile's expiry window, the same one the reports judge by.
                issue(
                    key, "cert_expiry_days",
                    "no longer read: certificate alerts follow the profile's cert.expiry-soon warn_days; remove this line"
                )
            case "reminder_hours":
                if let hours = value.decimalInteger, (1...720).contains(hours) {
                    config.reminderHours = hours
                } else {
                    issue(value, "reminder_hours", "expected an integer in 1…720")
                }
            case "escalation":
                guard let map = value.mapping else {
                    issue(value, "escalation", "expected { after_hours, webhook, to }")
                    continue
                }
                var escalation = Escalation(afterHours: 4, webhook: nil, to: [])
                for (k, v) in map {
                    let field = "escalation.\(k.string ?? "?")"
                    switch k.string {
                    case "after_hours":
                        if let text = v.scalar?.string, let hours = Double(text), hours > 0, hours <= 720 {
                            escalation.afterHours = hours
                        } else {
                            issue(v, field, "expected a number of hours, more than 0 and at most 720")
                        }
                    case "webhook": escalation.webhook = url(v, field, schemes: ["http", "https"])
                    case "to":
                        for item in v.sequence.map({ Array($0) }) ?? [v] {
                            if let text = item.scalar?.string, Target.isEmailAddress(text) {
                                escalation.to.append(text)
                            } else {
                                issue(item, field, "expected an e-mail address")
                            }
                        }
                    default: issue(k, field, "unknown key (allowed: after_hours, to, webhook)")
                    }
                }
                if escalation.webhook == nil && escalation.to.isEmpty
                    && !map.contains(where: { ["webhook", "to"].contains($0.key.string ?? "") })
                {
                    issue(value, "escalation", "needs a webhook or a to: list")
                }
                config.escalation = escalation
            case "digest":
                guard let map = value.mapping else {
                    issue(value, "digest", "expected { every, dashboard }")
                    continue
                }
                var digest = Digest(every: 86_400, dashboard: nil)
                for (k, v) in map {
                    let field = "digest.\(k.string ?? "?")"
                    switch k.string {
                    case "every":
                        let text = v.scalar?.string ?? ""
                        if let seconds = text == "daily"
                            ? 86_400 : text == "weekly" ? 604_800 : DurationText.seconds(text),
                            seconds >= 1, seconds <= 31 * 86_400
                        {
                            digest.every = seconds
                        } else {
                            issue(v, field, "expected daily, weekly or a duration such as 24h, found '\(text)'")
                        }
                    case "dashboard": digest.dashboard = url(v, field, schemes: ["http", "https"])
                    default: issue(k, field, "unknown key (allowed: dashboard, every)")
                    }
                }
                config.digest = digest
            case "canaries":
                let items = value.sequence.map { Array($0) } ?? [value]
                for item in items {
                    if let text = url(item, "canaries", schemes: ["http", "https"]) { config.canaries.append(text) }
                }
            case "self_share":
                if let text = value.scalar?.string, let share = Double(text), share > 0, share <= 1 {
                    config.selfShare = share
                } else {
                    issue(value, "self_share", "expected a share of the fleet between 0 and 1, e.g. 0.5")
                }
            case "incident_min_portals":
                if let count = value.decimalInteger, (2...100_000).contains(count) {
                    config.incidentMinPortals = count
                } else {
                    issue(value, "incident_min_portals", "expected an integer from 2")
                }
            case "retry_seconds":
                if let seconds = value.decimalInteger, (1...3_600).contains(seconds) {
                    config.retrySeconds = seconds
                } else {
                    issue(value, "retry_seconds", "expected an integer in 1…3600")
                }
            default:
                issue(
                    key, key.string ?? "?",
                    "unknown key (allowed: canaries, digest, email, escalation, incident_min_portals, reminder_hours, retry_seconds, self_share, webhook)"
                )
            }
        }
        if !issues.isEmpty { throw InputIssues(issues) }
        return config
    }
}

/// One alert: a state change of one portal.
public struct Alert: Sendable, Equatable {
    /// What changed.
    public enum Kind: String, Sendable {
        /// Confirmed down (two failed samples in a row).
        case down
        /// Back up after an outage.
        case up
        /// Still down: the daily reminder.
        case stillDown = "still-down"
        /// The certificate expires within the configured days.
        case certExpiring = "cert-expiring"
        /// The verdict is worse than at the previous scan.
        case verdictWorse = "verdict-worse"
        /// The home page carries a defacer's signature, or was replaced since the previous scan.
        case defaced
        /// A document read by this scan holds personal identification numbers that the previous scan's
        /// documents did not (counts and masked samples only).
        case personalData = "personal-data"
        /// Portals of one network confirmed down together: one incident (`IncidentDesk`).
        case incidentOpen = "incident-open"
        /// The incident doubled since it was last announced.
        case incidentGrew = "incident-grew"
        /// Its last portal is back.
        case incidentClosed = "incident-closed"
        /// Much of the fleet and every canary failed at once: the monitor's own network is the likely cause;
        /// per-portal alerts are held and the time is unmonitored.
        case monitorCutOff = "monitor-cut-off"
        /// Still open after `escalation.after_hours`: sent once to the second channel.
        case escalated
        /// A recipient's portals since the previous digest.
        case digest
    }

    public var kind: Kind
    public var url: String
    public var name: String?
    public var at: Date
    public var detail: String
    /// Outage length, for `up`.
    public var outageSeconds: Int?

    /// One-line subject, Vietnamese then English.
    public var subject: String {
        let label: String =
            switch kind {
            case .down: "NGỪNG HOẠT ĐỘNG / DOWN"
            case .up: "HOẠT ĐỘNG TRỞ LẠI / BACK UP"
            case .stillDown: "VẪN NGỪNG HOẠT ĐỘNG / STILL DOWN"
            case .certExpiring: "CHỨNG THƯ SỐ SẮP HẾT HẠN / CERTIFICATE EXPIRING"
            case .verdictWorse: "KẾT QUẢ KÉM ĐI / VERDICT WORSE"
            case .defaced: "TRANG CHỦ BỊ THAY ĐỔI TRÁI PHÉP? / HOME PAGE DEFACED?"
            case .personalData: "TÀI LIỆU MỚI CÓ SỐ ĐỊNH DANH / NEW DOCUMENT WITH IDENTIFIERS"
            case .incidentOpen: "SỰ CỐ / INCIDENT"
            case .incidentGrew: "SỰ CỐ LAN RỘNG / INCIDENT GROWING"
            case .incidentClosed: "SỰ CỐ ĐÃ KẾT THÚC / INCIDENT CLOSED"
            case .monitorCutOff: "MẤT KẾT NỐI TỪ MÁY GIÁM SÁT / MONITOR CUT OFF"
            case .escalated: "CHƯA KHẮC PHỤC, CHUYỂN CẤP TRÊN / STILL OPEN, ESCALATED"
            case .digest: ""
            }
        // A digest's subject is its counts: "[portal-audit] Xã Yên Thái: 1 không đạt, 1 kém đi, 2 tốt lên".
        return label.isEmpty ? "[portal-audit] \(name ?? url)" : "[portal-audit] \(label): \(name ?? url)"
    }
}
