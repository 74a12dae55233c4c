import CCurl
import CCurlShim
import Foundation

/// A `curl_multi` loop on its own thread behind an async API.
///
/// SAFETY: the multi handle and every easy handle in it are touched only by the driver thread.
/// Other threads only append to `inbox`/`cancelled` under `lock` and call `curl_multi_wakeup`, the
/// one multi call libcurl allows from another thread. Continuations are resumed exactly once, on
/// the driver thread, after the transfer's result was collected.
final class MultiDriver: @unchecked Sendable {
    private struct Job {
        enum Completion {
            case transfer(CheckedContinuation<TransferResult, Never>)
            /// A raw exchange: connect only, then send the hello and read the answer on this thread.
            case exchange(RawExchange, CheckedContinuation<RawExchangeResult, Never>)
        }
        let id: UInt64
        let transfer: EasyTransfer
        let completion: Completion
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var inbox: [Job] = []
    private var cancelled: Set<UInt64> = []
    /// Jobs given an id and not finished: only these can be cancelled (a cancellation arriving after its job
    /// finished would otherwise stay in `cancelled` for the life of the process).
    private var live: Set<UInt64> = []
    private var nextID: UInt64 = 0
    /// A new size for the idle-connection cache, applied by the driver thread on its next round.
    private var resizedCache: Int?
    /// Driver-thread state.
    private var active: [UnsafeMutableRawPointer: Job] = [:]
    /// Driver-thread state: raw exchanges connected and out of the multi handle, sending or reading.
    private var exchanging: [Job] = []

    /// - Parameter maxConnects: idle connections the multi handle keeps for reuse (each holds a descriptor).
    init(maxConnects: Int) {
        guard let multi = curl_multi_init() else {
            preconditionFailure("curl_multi_init failed: libcurl is unusable")
        }
        self.multi = multi
        _ = pa_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnects)
        let thread = Thread { [self] in self.loop() }
        thread.name = "portal-audit.curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    func run(_ transfer: EasyTransfer) async -> TransferResult {
        let id = nextJobID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferResult, Never>) in
                submit(Job(id: id, transfer: transfer, completion: .transfer(continuation)))
            }
        } onCancel: {
            cancel(id)
        }
    }

    func run(_ exchange: RawExchange) async -> RawExchangeResult {
        let id = nextJobID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<RawExchangeResult, Never>) in
                submit(Job(id: id, transfer: exchange.transfer, completion: .exchange(exchange, continuation)))
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Resizes the idle-connection cache (`CURLMOPT_MAXCONNECTS`); the driver thread applies it.
    func keepIdle(_ connections: Int) {
        lock.withLock { resizedCache = connections }
        curl_multi_wakeup(multi)
    }

    private func nextJobID() -> UInt64 {
        lock.withLock {
            nextID += 1
            live.insert(nextID)
            return nextID
        }
    }

    private func submit(_ job: Job) {
        lock.withLock { inbox.append(job) }
        curl_multi_wakeup(multi)
    }

    /// Cancels job `id` if it has not finished.
    func cancel(_ id: UInt64) {
        let pending = lock.withLock { live.contains(id) && cancelled.insert(id).inserted }
        if pending { curl_multi_wakeup(multi) }
    }

    /// Cancellations waiting for the driver thread.
    var pendingCancellations: Int { lock.withLock { cancelled.count } }

    private func loop() {
        var running: Int32 = 0
        while true {
            let (incoming, cancel, resize) = lock.withLock { () -> ([Job], Set<UInt64>, Int?) in
                let batch = inbox
                inbox.removeAll(keepingCapacity: true)
                defer { resizedCache = nil }
                return (batch, cancelled, resizedCache)
            }
            if let resize { _ = pa_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, resize) }
            for job in incoming {
                if cancel.contains(job.id) {
                    finish(job, code: CURLE_ABORTED_BY_CALLBACK, cancelled: true)
                    continue
                }
                if curl_multi_add_handle(multi, job.transfer.handle) == CURLM_OK {
                    active[job.transfer.handle] = job
                } else {
                    finish(job, code: CURLE_FAILED_INIT, cancelled: false)
                }
            }
            if !cancel.isEmpty {
                for (handle, job) in active where cancel.contains(job.id) {
                    curl_multi_remove_handle(multi, handle)
                    active[handle] = nil
                    finish(job, code: CURLE_ABORTED_BY_CALLBACK, cancelled: true)
                }
                for job in exchanging where cancel.contains(job.id) {
                    curl_multi_remove_handle(multi, job.transfer.handle)
                    finish(job, code: CURLE_ABORTED_BY_CALLBACK, cancelled: true)
                }
                exchanging.removeAll { cancel.contains($0.id) }
            }
            curl_multi_perform(multi, &running)
            var pending: Int32 = 0
            while let message = curl_multi_info_read(multi, &pending) {
                var easy: UnsafeMutableRawPointer?
                var result = CURLE_OK
                if pa_multi_done(message, &easy, &result) == 1, let easy, let job = active[easy] {
                    active[easy] = nil
                    if case .exchange(let exchange, _) = job.completion, result == CURLE_OK {
                        // Connected: the handle stays in the multi handle (curl_easy_send finds its connection
                        // through it) and the hello goes out from here.
                        exchange.connectResult = job.transfer.collect(code: result, cancelled: false)
                        exchange.socket = pa_active_socket(easy)
                        exchange.ready = true
                        exchanging.append(job)
                    } else {
                        curl_multi_remove_handle(multi, easy)
                        finish(job, code: result, cancelled: false)
                    }
                }
            }
            stepExchanges()
            // Exchanges in the same order as `exchanging`: poll marks the ones whose socket has something to
            // do, and only those (and the ones past their deadline) are stepped next time.
            var waits = exchanging.map { job -> curl_waitfd in
                guard case .exchange(let exchange, _) = job.completion, exchange.socket >= 0 else {
                    return curl_waitfd(fd: -1, events: 0, revents: 0)
                }
                let events = CURL_WAIT_POLLIN | (exchange.sent < exchange.hello.count ? CURL_WAIT_POLLOUT : 0)
                return curl_waitfd(fd: exchange.socket, events: Int16(events), revents: 0)
            }
            let idle = active.isEmpty && exchanging.isEmpty
            let timeout = exchanging.isEmpty ? (idle ? 1_000 : 100) : 10
            waits.withUnsafeMutableBufferPointer { buffer in
                _ = curl_multi_poll(multi, buffer.baseAddress, UInt32(buffer.count), Int32(timeout), nil)
            }
            for (job, wait) in zip(exchanging, waits) where wait.revents != 0 {
                if case .exchange(let exchange, _) = job.completion { exchange.ready = true }
            }
        }
    }

    /// Advances every raw exchange without blocking; finishes those that are over.
    private func stepExchanges() {
        guard !exchanging.isEmpty else { return }
        let now = ContinuousClock.now
        var still: [Job] = []
        for job in exchanging {
            guard case .exchange(let exchange, let continuation) = job.completion else { continue }
            guard exchange.ready || now >= exchange.deadline else {
                still.append(job)
                continue
            }
            exchange.ready = false
            if exchange.step() {
                curl_multi_remove_handle(multi, exchange.transfer.handle)
                exchange.transfer.cleanup()
                continuation.resume(returning: exchange.result())
            } else {
                still.append(job)
            }
        }
        exchanging = still
    }

    private func finish(_ job: Job, code: CURLcode, cancelled wasCancelled: Bool) {
        lock.withLock {
            _ = cancelled.remove(job.id)
            _ = live.remove(job.id)
        }
        switch job.completion {
        case .transfer(let continuation):
            let result = job.transfer.collect(code: code, cancelled: wasCancelled)
            job.transfer.cleanup()
            continuation.resume(returning: result)
        case .exchange(let exchange, let continuation):
            if exchange.connectResult == nil {
                let connect = job.transfer.collect(code: code, cancelled: wasCancelled)
                exchange.connectResult = connect
                exchange.failure = connect.failure
            } else if wasCancelled {
                exchange.failure = TransferFailure(kind: .cancelled, curlCode: 42, message: "cancelled")
            }
            job.transfer.cleanup()
            continuation.resume(returning: exchange.result())
        }
    }
}
