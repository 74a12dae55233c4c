/// A text in both report languages.
public struct LocalizedText: Codable, Sendable, Equatable, Hashable {
    public var vi: String
    public var en: String

    public init(en: String, vi: String) {
        self.en = en
        self.vi = vi
    }

    /// The text in `language`.
    public func callAsFunction(_ language: Language) -> String {
        switch language {
        case .vi: vi
        case .en: en
        }
    }
}

/// A report language.
public enum Language: String, Codable, Sendable, CaseIterable {
    /// Vietnamese, the default.
    case vi
    /// English.
    case en
}
