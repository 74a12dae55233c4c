import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditStore

/// Delivers alerts by webhook (JSON POST) and e-mail (SMTP with STARTTLS), both through libcurl.
public struct AlertSender: Sendable {
    public var config: AlertConfig
    let runtime: CurlRuntime
    let resolve: [String]

    public init(config: AlertConfig, resolve: [String] = [], runtime: CurlRuntime = .shared) {
        self.config = config
        self.resolve = resolve
        self.runtime = runtime
    }

    /// `text` with every control character (C0, DEL, C1, and the Unicode line and paragraph separators)
    /// replaced by U+FFFD: a portal's name, address or evidence cannot add a line to an e-mail (a bare LF,
    /// or `\r\n.\r\n` ending the message early in SMTP) or to a chat message a webhook posts.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isControl(scalar) ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// The webhook's JSON body (sorted keys, ISO 8601 dates), every text printable.
    static func json(_ alert: Alert) -> [UInt8] {
        struct Body: Encodable {
            var event: String
            var url: String
            var name: String?
            var at: Date
            var detail: String
            var subject: String
            var outageSeconds: Int?

            enum CodingKeys: String, CodingKey {
                case event, url, name, at, detail, subject
                case outageSeconds = "outage_seconds"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let body = Body(
            event: alert.kind.rawValue, url: printable(alert.url), name: alert.name.map(printable), at: alert.at,
            detail: printable(alert.detail), subject: printable(alert.subject), outageSeconds: alert.outageSeconds)
        return Array((try? encoder.encode(body)) ?? Data("{}".utf8))
    }

    /// The e-mail (RFC 5322, UTF-8 subject encoded per RFC 2047); every line ends in CRLF, and no text from a
    /// portal adds one.
    static func message(_ alert: Alert, from: String, to: [String]) -> [UInt8] {
        let subject = "=?UTF-8?B?" + Data(printable(alert.subject).utf8).base64EncodedString() + "?="
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var text = "From: <\(from)>\r\nTo: \(to.map { "<\($0)>" }.joined(separator: ", "))\r\nSubject: \(subject)\r\n"
        text += "Date: \(formatter.string(from: alert.at))\r\nMIME-Version: 1.0\r\n"
        text +=
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nX-Portal-Audit-Event: \(alert.kind.rawValue)\r\n\r\n"
        if alert.kind == .digest {
            // A digest's lines, each made printable on its own.
            text += "\(printable(alert.subject))\r\n\r\n"
            text +=
                alert.detail.split(separator: "\n", omittingEmptySubsequences: false).map {
                    printable(String($0))
                }.joined(separator: "\r\n") + "\r\n"
            return Array(text.utf8)
        }
        text +=
            "\(printable(alert.subject))\r\n\r\nCổng/Portal: \(printable(alert.url))\r\n\(printable(alert.detail))\r\n"
        if let seconds = alert.outageSeconds { text += "Thời gian gián đoạn / outage: \(seconds) s\r\n" }
        return Array(text.utf8)
    }

    /// The messages `alert` makes: the province's webhook and e-mail (unless `province` is false: a portal of
    /// an incident the province hears of as one), and one e-mail to `unit` (the portal's own recipients) when
    /// the mail server is configured. Kept in the history, then delivered.
    public func messages(_ alert: Alert, unit: [String] = [], province: Bool = true) -> [AuditStore.OutboxMessage] {
        var out: [AuditStore.OutboxMessage] = []
        func message(_ channel: String, _ destination: String, _ body: [UInt8]) -> AuditStore.OutboxMessage {
            AuditStore.OutboxMessage(
                createdAt: alert.at, channel: channel, destination: destination, event: alert.kind.rawValue,
                portal: alert.url, subject: Self.printable(alert.subject), body: String(decoding: body, as: UTF8.self))
        }
        if province, let webhook = config.webhook { out.append(message("webhook", webhook, Self.json(alert))) }
        if let email = config.email {
            if province {
                out.append(
                    message(
                        "email", email.to.joined(separator: ","), Self.message(alert, from: email.from, to: email.to)))
            }
            let own = unit.filter { !email.to.contains($0) }
            if !own.isEmpty {
                out.append(
                    message("email", own.joined(separator: ","), Self.message(alert, from: email.from, to: own)))
            }
        }
        return out
    }

    /// The messages `alert` makes on the escalation channel (its webhook, its addresses through the mail
    /// server).
    public func escalationMessages(_ alert: Alert) -> [AuditStore.OutboxMessage] {
        guard let escalation = config.escalation else { return [] }
        var out: [AuditStore.OutboxMessage] = []
        func message(_ channel: String, _ destination: String, _ body: [UInt8]) -> AuditStore.OutboxMessage {
            AuditStore.OutboxMessage(
                createdAt: alert.at, channel: channel, destination: destination, event: alert.kind.rawValue,
                portal: alert.url, subject: Self.printable(alert.subject), body: String(decoding: body, as: UTF8.self))
        }
        if let webhook = escalation.webhook { out.append(message("webhook", webhook, Self.json(alert))) }
        if let email = config.email, !escalation.to.isEmpty {
            out.append(
                message(
                    "email", escalation.to.joined(separator: ","),
                    Self.message(alert, from: email.from, to: escalation.to)))
        }
        return out
    }

    /// Delivers one kept message; `nil` when it went through, else the problem.
    public func deliver(_ message: AuditStore.OutboxMessage) async -> String? {
        switch message.channel {
        case "webhook":
            var request = TransferRequest(
                url: message.destination, resolve: resolve, verification: .strict, timeoutMS: 10_000)
            // The operator's own destination, as configured: the egress policy is for what portals send.
            request.egress = nil
            request.payload = .post(body: Array(message.body.utf8), contentType: "application/json")
            let result = await runtime.perform(request)
            if let failure = result.failure { return "webhook: \(failure.message)" }
            return (200..<300).contains(result.responseCode) ? nil : "webhook: HTTP \(result.responseCode)"
        case "email":
            guard let email = config.email else { return "e-mail: no mail server configured any more" }
            var request = TransferRequest(url: email.smtp, resolve: resolve, verification: .strict, timeoutMS: 20_000)
            request.egress = nil
            request.payload = .mail(
                from: email.from, to: message.destination.split(separator: ",").map(String.init),
                message: Array(message.body.utf8), requireTLS: email.starttls)
            let result = await runtime.perform(request)
            return result.failure.map { "e-mail: \($0.message)" }
        default:
            return "unknown channel \(message.channel)"
        }
    }
}
