import Foundation

/// Paths of the repository the tests run in.
public enum Repository {
    /// The folder that holds Package.swift.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The shipped profiles.
    public static var profiles: String { root.appendingPathComponent("Profiles").path }
}

extension Repository {
    /// The built `portal-audit` executable beside the test bundle (same build folder).
    public static var binary: String {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let argument = CommandLine.arguments.first {
            var folder = URL(fileURLWithPath: argument).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("portal-audit"))
                folder.deleteLastPathComponent()
            }
        }
        candidates.append(root.appendingPathComponent(".build/debug/portal-audit"))
        return candidates.first { fm.isExecutableFile(atPath: $0.path) }?.path ?? candidates.last?.path
            ?? "portal-audit"
    }
}

extension Repository {
    /// The cases of a conformance corpus (`Tests/Conformance/NAME`), empty when the file cannot be read (the
    /// corpus tests then fail on their count).
    public static func conformance<Case: Decodable>(_ name: String, as _: Case.Type) -> [Case] {
        let file = root.appendingPathComponent("Tests/Conformance/" + name)
        guard let data = try? Data(contentsOf: file) else { return [] }
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }
}
