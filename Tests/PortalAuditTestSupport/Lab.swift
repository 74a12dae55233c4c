import Foundation

/// The loopback portal lab (`scripts/lab`), started once per test process.
public enum Lab {
    /// One lab portal.
    public struct Portal: Sendable {
        public var name: String
        public var host: String
        public var httpsPort: Int
        public var httpPort: Int
        public var expectedVerdict: String
        public var decidingRule: String

        public var url: String { "https://\(host):\(httpsPort)/" }
        /// `--resolve` entries pinning both ports to 127.0.0.1.
        public var resolve: [String] { ["\(host):\(httpsPort):127.0.0.1", "\(host):\(httpPort):127.0.0.1"] }
        public var testDescription: String { name }
    }

    /// The lab's state folder.
    public static let directory: String = {
        ProcessInfo.processInfo.environment["PORTAL_AUDIT_LAB_DIR"]
            ?? Repository.root.appendingPathComponent("lab-run").path
    }()

    /// The lab CA to pass as `--ca-file`.
    public static var caFile: String { directory + "/pki/ca.pem" }

    /// Starts the lab if needed (idempotent) and returns its portals.
    public static func portals() throws -> [Portal] {
        try started.get()
    }

    /// The portal named `name`.
    public static func portal(_ name: String) throws -> Portal {
        guard let portal = try portals().first(where: { $0.name == name }) else {
            throw LabError(message: "no lab case named \(name)")
        }
        return portal
    }

    /// Runs `scripts/lab ARGS` and returns its standard output.
    @discardableResult
    public static func script(_ arguments: [String]) throws -> String {
        let result = try Command.run(
            "/bin/bash", [Repository.root.appendingPathComponent("scripts/lab").path] + arguments)
        guard result.status == 0 else {
            throw LabError(message: "scripts/lab \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
    }

    private static let started: Result<[Portal], Error> = Result {
        try script(["start"])
        let table = try script(["cases"])
        return table.split(separator: "\n").compactMap { line -> Portal? in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 6, let https = Int(f[2]), let http = Int(f[3]) else { return nil }
            return Portal(name: f[0], host: f[1], httpsPort: https, httpPort: http, expectedVerdict: f[4], decidingRule: f[5])
        }
    }
}

/// A lab that could not be started.
public struct LabError: Error, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}

/// Runs a program and collects its output.
public enum Command {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var seconds: Double
    }

    /// Runs `executable` with `arguments` (and extra environment) to completion.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        // Output goes to files, not pipes: a large output can never block the child.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        let start = Date()
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }
}

extension Lab {
    /// A generated fleet: its inventory and each portal's expected verdict.
    public struct Fleet: Sendable {
        public var inventory: String
        public var expected: [String: String]
        public var cases: [String: String]
    }

    /// Starts (or resizes) the lab fleet to `count` portals with `seed`.
    public static func fleet(_ count: Int, seed: Int) throws -> Fleet {
        _ = try portals()
        try script(["fleet", String(count), String(seed)])
        let text = try String(contentsOfFile: directory + "/fleet/expected.tsv", encoding: .utf8)
        var expected: [String: String] = [:]
        var cases: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 3 else { continue }
            expected[f[0]] = f[2]
            cases[f[0]] = f[1]
        }
        return Fleet(inventory: directory + "/fleet/inventory.yaml", expected: expected, cases: cases)
    }
}
