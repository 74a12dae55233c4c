import Foundation

/// The time Kit runs on, given by its caller: every "now" written to history and every wait — an outage's
/// confirmation, the monitor's intervals, a lease's heartbeat, a shared run's polling — goes through it.
/// Commands use `system`; tests give a clock they advance themselves, so no test waits real seconds for a
/// confirmation.
public struct KitClock: Sendable {
    /// The current moment.
    public var now: @Sendable () -> Date
    /// Waits `duration` (throws `CancellationError` when the task is cancelled).
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system's wall clock and `Task.sleep`.
    public static let system = KitClock(now: { Date() }, sleep: { try await Task.sleep(for: $0) })

    /// Waits until `moment` (at once when it has passed).
    public func sleep(until moment: Date) async throws {
        let left = moment.timeIntervalSince(now())
        if left > 0 { try await sleep(.milliseconds(Int64((left * 1_000).rounded(.up)))) }
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
