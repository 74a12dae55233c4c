import Foundation
import Synchronization

/// A clock a test moves itself: `now` stands still until `advance(by:)`, and a sleep ends once the clock
/// has been advanced past its deadline (or at once, with `advancesOnSleep`, by moving the clock there).
/// Kit takes it as its `KitClock` (`KitClock(now: clock.now, sleep: clock.sleep)`), so an outage's
/// 30-second confirmation costs a test no real time.
public final class TestClock: Sendable {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
        var slept: [TimeInterval] = []
    }

    private let state: Mutex<State>
    private let advancesOnSleep: Bool

    /// - Parameter advancesOnSleep: every sleep moves the clock by its duration and returns at once (for
    ///   code with one waiter at a time, such as a check's confirmation).
    public init(start: Date = Date(timeIntervalSince1970: 1_796_083_200), advancesOnSleep: Bool = false) {
        state = Mutex(State(now: start))
        self.advancesOnSleep = advancesOnSleep
    }

    /// The clock's moment.
    @Sendable public func now() -> Date { state.withLock { $0.now } }

    /// Every sleep asked for so far, in seconds, in order.
    public var slept: [TimeInterval] { state.withLock { $0.slept } }

    /// The pending sleeps' deadlines, in seconds from now, soonest first.
    public var pending: [TimeInterval] {
        state.withLock { state in state.sleepers.values.map { $0.deadline.timeIntervalSince(state.now) }.sorted() }
    }

    /// Waits until the clock reaches `now + duration`.
    @Sendable public func sleep(_ duration: Duration) async throws {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if advancesOnSleep {
            state.withLock {
                $0.slept.append(seconds)
                $0.now = $0.now.addingTimeInterval(max(0, seconds))
            }
            try Task.checkCancellation()
            return
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.slept.append(seconds)
            return state.nextID
        }
        guard seconds > 0 else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(
                        deadline: state.now.addingTimeInterval(seconds), continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock by `seconds` and ends every sleep whose deadline it reached.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(seconds)
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in ready.keys { state.sleepers[id] = nil }
            return Array(ready.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
