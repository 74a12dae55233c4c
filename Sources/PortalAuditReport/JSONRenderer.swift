import Foundation
import PortalAuditCore

/// Renders a report as the versioned JSON contract (DESIGN §8): sorted keys, ISO 8601 UTC dates.
public enum JSONRenderer {
    /// The JSON text of `document`, ending with a newline.
    public static func render(_ document: ReportDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(document)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a report back (for re-grading and tests).
    public static func decode(_ text: String) throws -> ReportDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ReportDocument.self, from: Data(text.utf8))
    }
}
