import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
        /// Which loopback addresses the name is pinned to.
        public var pins: Pins = .both

        /// How a lab name is pinned.
        public enum Pins: Sendable {
            /// 127.0.0.1 and ::1 (the lab serves both).
            case both
            /// 127.0.0.1 only.
            case ipv4Only
        }

        public var url: String { "https://\(host):\(httpsPort)/" }
        /// `--resolve` entries pinning both ports.
        public var resolve: [String] {
            let addresses = pins == .both ? "127.0.0.1,[::1]" : "127.0.0.1"
            return ["\(host):\(httpsPort):\(addresses)", "\(host):\(httpPort):\(addresses)"]
        }
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
        let result = try Command.runBlocking(
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
            return Portal(
                name: f[0], host: f[1], httpsPort: https, httpPort: http, expectedVerdict: f[4], decidingRule: f[5])
        }
    }
}

/// A lab that could not be started.
public struct LabError: Error, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}

/// Runs programs with posix_spawn and waitpid on their own pid.
///
/// Not Foundation's `Process`: with several test suites launching programs in parallel, its exit
/// monitoring on Linux was seen to miss a child's exit (the child a zombie, `waitUntilExit` waiting forever).
public enum Command {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var seconds: Double
    }

    /// A started program whose output goes to files.
    public struct Running: Sendable {
        public var pid: pid_t
        var folder: URL

        /// Waits for the program on a thread of its own (never blocking Swift's cooperative pool, which
        /// the probes under test need) and returns its exit status (128 + signal when killed).
        public func wait() async -> Int32 {
            let pid = pid
            return await withCheckedContinuation { continuation in
                let waiter = Thread { continuation.resume(returning: Running.reap(pid)) }
                waiter.start()
            }
        }

        /// Blocks until the program exits (for lab setup outside tests).
        func waitBlocking() -> Int32 { Running.reap(pid) }

        private static func reap(_ pid: pid_t) -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }

        /// Sends `signal` to the program.
        public func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

        /// What the program wrote to stderr so far (for a test's failure message).
        public var stderrSoFar: String { output("err") }

        /// What the program wrote to stdout so far (a server's chosen port).
        public var stdoutSoFar: String { output("out") }

        func output(_ name: String) -> String {
            String(decoding: (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
        }
    }

    /// Starts `executable` with `arguments`, extra `environment` and optional standard input.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil
    ) throws -> Running {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let input = folder.appendingPathComponent("in")
        try Data((stdin ?? "").utf8).write(to: input)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input.path, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, folder.appendingPathComponent("out").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(
            &actions, 2, folder.appendingPathComponent("err").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map {
            "\($0.key)=\($0.value)"
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw LabError(message: "cannot start \(executable): error \(rc)") }
        return Running(pid: pid, folder: folder)
    }

    /// Runs `executable` with `arguments` (and extra environment) to completion.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil
    ) async throws -> Result {
        let start = Date()
        let running = try Command.start(executable, arguments, environment: environment, stdin: stdin)
        let status = await running.wait()
        defer { try? FileManager.default.removeItem(at: running.folder) }
        return Result(
            status: status, stdout: running.output("out"), stderr: running.output("err"),
            seconds: Date().timeIntervalSince(start))
    }

    /// Writes an executable file from a child process. A file this process opens for writing would be
    /// inherited by other suites' children spawned meanwhile, and running it would fail with "Text file busy".
    public static func writeExecutable(_ path: String, copying source: String? = nil, text: String = "") async throws {
        let result =
            if let source {
                try await run("/bin/sh", ["-c", "cp \"$1\" \"$2\" && chmod 755 \"$2\"", "sh", source, path])
            } else {
                try await run("/bin/sh", ["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh", path], stdin: text)
            }
        guard result.status == 0 else { throw LabError(message: "cannot write \(path): \(result.stderr)") }
    }

    /// Runs a short program to completion, blocking (lab setup only, never inside a test body).
    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Result {
        let start = Date()
        let running = try Command.start(executable, arguments)
        let status = running.waitBlocking()
        defer { try? FileManager.default.removeItem(at: running.folder) }
        return Result(
            status: status, stdout: running.output("out"), stderr: running.output("err"),
            seconds: Date().timeIntervalSince(start))
    }
}
extension Lab {
    /// A generated fleet: its inventory and each portal's expected verdict.
    public struct Fleet: Sendable {
        public var inventory: String
        public var expected: [String: String]
        public var cases: [String: String]

        /// The site budget of a scan that asks for many portals at once on the test machine: six times
        /// the default. The expected verdicts are the portals' own and hold with either budget; with 128 portals
        /// in flight on two cores shared with the other suites, a portal that takes 3.4 s alone took 21 s, and
        /// the test would judge this machine's load, not the portal.
        ///
        /// For the same reason such a scan is judged with the home page allowed 30 s instead of 3 before
        /// `availability.response-time` fails: under that load an exemplary portal's page took over 3 s and
        /// the portal warned (the rule itself is tested alone, on the `slow` case and in its examples).
        public static var crowdedBudget: [String] { ["--timeout", "60", "--profile", crowdedProfile] }

        /// vn-level2 with the response-time limit of a crowded lab (written once into the lab's folder): for a
        /// scan that checks exemplary portals' verdicts while other suites load the same two cores.
        public static let crowdedProfile: String = {
            let path = directory + "/crowded-level2.yaml"
            try? """
            schema: 1
            id: crowded-level2
            extends: vn-level2
            rules:
              availability.response-time:
                { requirement: recommended, params: { max_ms: 30000 }, source: "lab: 128 portals in flight on two cores" }
            """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }()

        /// The verdicts of a crowded scan (`crowdedProfile`) that asks a silent portal once (`--confirm-after 0`,
        /// so that no test waits for a confirmation in real time): a "down" portal is then not judged
        /// (incomplete), never down, and the slow portal's 5 s answer is within the crowded lab's 30 s (pass, where
        /// vn-level2's 3 s make it warn). The confirmation itself is tested on Kit's test clock
        /// (ScanTests.confirmedOutage).
        public var expectedAskedOnce: [String: String] {
            Dictionary(
                uniqueKeysWithValues: expected.map { url, verdict in
                    switch cases[url] {
                    case "down": (url, "incomplete")
                    case "slow": (url, "pass")
                    default: (url, verdict)
                    }
                })
        }
    }

    private static let fleetLock = NSLock()

    /// The portals the lab fleet serves while the tests run: every suite scans the first `count` of them.
    public static let fleetServed = 1_000

    /// The first `count` portals of the lab fleet with `seed` (started, serving `fleetServed`, if it is not).
    public static func fleet(_ count: Int, seed: Int) throws -> Fleet {
        _ = try portals()
        // Suites run in parallel: two starting the fleet at once would race for its ports.
        try fleetLock.withLock {
            _ = try script(["fleet", String(count), String(seed), String(max(count, fleetServed))])
        }
        let text = try String(contentsOfFile: directory + "/fleet/expected-\(count).tsv", encoding: .utf8)
        var expected: [String: String] = [:]
        var cases: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 3 else { continue }
            expected[f[0]] = f[2]
            cases[f[0]] = f[1]
        }
        return Fleet(inventory: directory + "/fleet/inventory-\(count).yaml", expected: expected, cases: cases)
    }
}

/// Whether `condition` holds within `seconds` (asked every 100 ms; its errors count as "not yet").
public func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// `portal-audit serve` over `database` on a free loopback port: the process and the dashboard's overview page,
/// as curl fetched it (the caller stops the process).
public func dashboardOverview(database: String, environment: [String: String]) async throws -> (
    Command.Running, String
) {
    let serve = try Command.start(
        Repository.binary, ["serve", "--db", database, "--listen", "127.0.0.1:0"], environment: environment)
    for _ in 0..<300 {
        if let range = serve.stderrSoFar.range(of: #"serving http://[^ ]+/"#, options: .regularExpression) {
            let page = try await Command.run(
                "/usr/bin/curl",
                ["-s", "--max-time", "30", String(serve.stderrSoFar[range].dropFirst("serving ".count))])
            return (serve, page.stdout)
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    serve.kill(SIGKILL)
    throw LabError(message: "serve did not start: \(serve.stderrSoFar)")
}
