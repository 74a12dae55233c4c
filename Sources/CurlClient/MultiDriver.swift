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
        let id: UInt64
        let transfer: EasyTransfer
        let continuation: CheckedContinuation<TransferResult, Never>
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var inbox: [Job] = []
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 0
    /// Driver-thread state.
    private var active: [UnsafeMutableRawPointer: Job] = [:]

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
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferResult, Never>) in
                lock.withLock { inbox.append(Job(id: id, transfer: transfer, continuation: continuation)) }
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            lock.withLock { _ = cancelled.insert(id) }
            curl_multi_wakeup(multi)
        }
    }

    private func loop() {
        var running: Int32 = 0
        while true {
            let (incoming, cancel) = lock.withLock { () -> ([Job], Set<UInt64>) in
                let batch = inbox
                inbox.removeAll(keepingCapacity: true)
                return (batch, cancelled)
            }
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
            }
            curl_multi_perform(multi, &running)
            var pending: Int32 = 0
            while let message = curl_multi_info_read(multi, &pending) {
                var easy: UnsafeMutableRawPointer?
                var result = CURLE_OK
                if pa_multi_done(message, &easy, &result) == 1, let easy, let job = active[easy] {
                    curl_multi_remove_handle(multi, easy)
                    active[easy] = nil
                    finish(job, code: result, cancelled: false)
                }
            }
            curl_multi_poll(multi, nil, 0, active.isEmpty ? 1_000 : 100, nil)
        }
    }

    private func finish(_ job: Job, code: CURLcode, cancelled wasCancelled: Bool) {
        lock.withLock { _ = cancelled.remove(job.id) }
        let result = job.transfer.collect(code: code, cancelled: wasCancelled)
        job.transfer.cleanup()
        job.continuation.resume(returning: result)
    }
}
