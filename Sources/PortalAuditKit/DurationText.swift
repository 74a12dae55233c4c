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
}
