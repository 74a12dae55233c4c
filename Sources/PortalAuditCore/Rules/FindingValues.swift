import Foundation

/// A finding's evidence as its sentence reads it: site data as sent, dates and numbers written the way each
/// report language writes them. Sentences never show an evidence key.
public struct FindingValues: Sendable {
    public let evidence: [String: String]

    public init(_ evidence: [String: String]) { self.evidence = evidence }

    /// The value of `key` as the evidence holds it; "…" when the evidence has none.
    public subscript(_ key: String) -> String { evidence[key].flatMap { $0.isEmpty ? nil : $0 } ?? "…" }

    /// Whether the evidence has a non-empty `key`.
    public func has(_ key: String) -> Bool { !(evidence[key] ?? "").isEmpty }

    /// A comma-separated value as "a, b, c".
    public func list(_ key: String) -> String {
        guard let value = evidence[key], !value.isEmpty else { return "…" }
        return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
    }

    /// How many items a comma-separated value lists.
    public func count(_ key: String) -> Int {
        (evidence[key] ?? "").split(separator: ",").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .count
    }

    /// An ISO 8601 instant as a day in Vietnam time: "02/12/2026" (vi), "2 Dec 2026" (en).
    public func date(_ key: String) -> LocalizedText {
        guard let date = evidence[key].flatMap(Self.instant) else { return LocalizedText(en: self[key], vi: self[key]) }
        return Self.day(date)
    }

    /// An ISO 8601 instant with its time: "02/12/2026 08:15 (giờ Việt Nam)" / "2 Dec 2026 08:15 (Vietnam time)".
    public func dateTime(_ key: String) -> LocalizedText {
        guard let date = evidence[key].flatMap(Self.instant) else { return LocalizedText(en: self[key], vi: self[key]) }
        return Self.dateTime(date)
    }

    /// A whole number with the language's grouping: 1.234 (vi), 1,234 (en); as sent when it is no number.
    public func number(_ key: String) -> LocalizedText {
        guard let value = evidence[key].flatMap({ Int($0) }) else { return LocalizedText(en: self[key], vi: self[key]) }
        return Self.number(value)
    }

    /// 1.234 (vi), 1,234 (en).
    public static func number(_ value: Int) -> LocalizedText {
        let digits = String(abs(value))
        var groups: [String] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(String(digits[start..<end]), at: 0)
            end = start
        }
        let sign = value < 0 ? "-" : ""
        return LocalizedText(
            en: sign + groups.joined(separator: ","), vi: sign + groups.joined(separator: "."))
    }

    /// "02/12/2026" (vi), "2 Dec 2026" (en), Vietnam time.
    public static func day(_ date: Date) -> LocalizedText {
        let c = components(date)
        return LocalizedText(
            en: "\(c.day ?? 0) \(months[max(0, min(11, (c.month ?? 1) - 1))]) \(c.year ?? 0)",
            vi: String(format: "%02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0))
    }

    /// "02/12/2026 08:15 (giờ Việt Nam)" / "2 Dec 2026 08:15 (Vietnam time, UTC+7)".
    public static func dateTime(_ date: Date) -> LocalizedText {
        let c = components(date)
        let time = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        let day = day(date)
        return LocalizedText(
            en: "\(day.en) \(time) (Vietnam time, UTC+7)", vi: "\(day.vi) \(time) (giờ Việt Nam)")
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// An ISO 8601 instant, with or without fractional seconds.
    static func instant(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
