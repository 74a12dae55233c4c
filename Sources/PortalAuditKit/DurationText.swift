/// Durations as people write them on the command line: `30s`, `5m`, `2h`, `24h`, `7d`, `1.5h`.
public enum DurationText {
    static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]

    /// The number of seconds `text` names, or `nil` when it is not a positive number followed by one unit.
    public static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()), value > 0,
            value.isFinite
        else { return nil }
        return value * factor
    }

    /// `seconds` in the largest unit that writes it whole, days only from two: 300 → `5m`, 86400 → `24h`,
    /// 604800 → `7d`, 90 → `90s`.
    public static func text(_ seconds: Double) -> String {
        for (unit, factor) in [("d", 86_400.0), ("h", 3_600), ("m", 60)] where seconds >= (unit == "d" ? 2 : 1) * factor
        {
            let value = seconds / factor
            if value == value.rounded() { return "\(Int(value))\(unit)" }
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
