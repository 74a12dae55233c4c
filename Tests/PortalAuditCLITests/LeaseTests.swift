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
        // When, the first portal saved and the slow one in flight, another scanner takes the run over (this
        // one's heartbeat looks an hour old to it) and this one's next heartbeat comes
        #expect(try await eventually(60) { saved.withLock { $0.count } == 1 && clock.pending.contains(10) })
        let store = try AuditStore(path: database)
        let other = RunLease(holder: "other-scanner", host: "elsewhere", pid: 1)
        let holder = try await store.claim(
            run: 1, for: other, now: clock.now().addingTimeInterval(3_600), staleAfter: 30, isAlive: { _ in true })
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
                run: 1, other: RunLease(holder: "third", host: "x", pid: 2), now: clock.now(), staleAfter: 7_200,
                isAlive: { _ in true })?.host == "elsewhere")
    }
}
