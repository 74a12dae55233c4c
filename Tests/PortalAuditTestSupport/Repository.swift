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
