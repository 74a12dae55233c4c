import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditProbes
import PortalAuditStore
import PortalAuditTestSupport
import Synchronization
import Testing

@Suite("A run's lease", .timeLimit(.minutes(2)))
struct LeaseTests {
    @Test("a scanner whose lease another one took over notices it at its heartbeat and stops, keeping what it saved")
    func lostLease() async throws {
        // Given three lab portals, the second one slow, scanned one at a time on a test clock
        let portals = try ["exemplary", "slow", "insecure-cookies"].map(Lab.portal)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lease-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("h.sqlite").path
        let clock = TestClock()
        let (inventory, scanner) = try labScan(portals, in: folder, clock: clock)
        let prepared = try await scanner.prepare(
            ScanRequest(
                inventory: inventory, concurrency: 1, database: database,
                probe: ProbeOptions(confirmOutagesAfterSeconds: 0), caFile: Lab.caFile))
        let saved = Mutex<[String]>([])
        let scan = Task {
            try await scanner.scan(prepared) { event in saved.withLock { $0.append(event.site.target.url) } }
        }
        // When, the first portal saved and the slow one in flight, another scanner takes the run over (it
        // judges any heartbeat stale) and this one's next heartbeat comes
        #expect(try await eventually(60) { saved.withLock { $0.count } == 1 && clock.pending.contains(10) })
        let store = try AuditStore(path: database)
        let other = RunLease(holder: "other-scanner", host: "elsewhere", pid: 1)
        let holder = try await store.claim(
            run: 1, for: other, staleAfter: 0, isAlive: { _ in true })
        #expect(holder == nil)
        clock.advance(by: 10)
        // Then it stops with the reason, without saving the slow portal or the third
        await #expect(throws: RunLeaseLost.self) { try await scan.value }
        #expect(saved.withLock { $0 } == [portals[0].url])
        #expect(try await store.results(run: 1).map(\.target.url) == [portals[0].url])
        // And it leaves the run to the scanner that took it: not closed, its lease untouched
        #expect(try await store.run(1)?.status == .running)
        #expect(
            try await store.liveHolder(
                run: 1, other: RunLease(holder: "third", host: "x", pid: 2), staleAfter: 7_200, isAlive: { _ in true }
            )?.host == "elsewhere")
    }

    @Test("a scanner whose clock is an hour ahead takes no portal that another live scanner holds")
    func skewedClock() async throws {
        // Given a shared run of four lab portals, the first two claimed a moment ago by a scanner elsewhere
        let portals = try ["exemplary", "insecure-cookies", "no-headers", "http-only"].map(Lab.portal)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skew-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("h.sqlite").path
        let ahead = KitClock(now: { Date().addingTimeInterval(3_600) }, sleep: { try await Task.sleep(for: $0) })
        let (inventory, scanner) = try labScan(portals, in: folder, clock: ahead)
        let store = try AuditStore(path: database)
        let profile = try ProfileLoader(searchPaths: [Repository.profiles]).load("vn-level2").reference.label
        let run = try await store.startRun(inventory: inventory, profile: profile, planned: 4, at: Date())
        try await store.offer(portals.map(\.url), run: run, at: Date())
        let elsewhere = "elsewhere 1 a"
        #expect(try await store.claimPortals(run: run, holder: elsewhere, limit: 2, staleAfter: 30).count == 2)
        // When a scanner whose clock is an hour ahead joins it
        let prepared = try await scanner.prepare(
            ScanRequest(
                inventory: inventory, concurrency: 1, database: database,
                probe: ProbeOptions(confirmOutagesAfterSeconds: 0), caFile: Lab.caFile, join: run))
        let saved = Mutex<[String]>([])
        let scan = Task {
            try await scanner.scan(prepared) { event in saved.withLock { $0.append(event.site.target.url) } }
        }
        // Then it scans the two portals nobody holds, and not the two held elsewhere (their heartbeat is a
        // moment old on the database's clock, however old it looks on the joiner's)
        #expect(try await eventually(60) { saved.withLock { $0.count } == 2 })
        #expect(saved.withLock { $0 } == [portals[2].url, portals[3].url])
        // And once the other scanner lets them go, it scans them too and the run ends
        try await store.releaseClaims(run: run, holder: elsewhere)
        _ = try await scan.value
        #expect(saved.withLock { $0 } == [portals[2], portals[3], portals[0], portals[1]].map(\.url))
        #expect(try await store.run(run)?.status == .finished)
    }
}
