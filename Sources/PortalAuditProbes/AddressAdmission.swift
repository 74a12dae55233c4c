import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Admits at most a few sites at once per resolved address, across the whole fleet: commune portals
/// often share one hosting IP, and thirty of them probed together would look like an attack on it.
actor AddressAdmission {
    private var inUse: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Waits until fewer than `limit` sites hold `address`, then holds it.
    func acquire(_ address: String, limit: Int) async {
        if inUse[address, default: 0] < limit {
            inUse[address, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiting[address, default: []].append($0) }
    }

    /// Gives `address` back: the next waiting site takes it over.
    func release(_ address: String) {
        if var queue = waiting[address], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[address] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            let count = inUse[address, default: 1] - 1
            inUse[address] = count > 0 ? count : nil
        }
    }
}

/// Name lookups (`getaddrinfo`) on a thread of their own, never on the cooperative pool, bounded in time.
enum AddressResolver {
    private static let queue = DispatchQueue(label: "portal-audit.resolve", attributes: .concurrent)

    /// The addresses of `host` (IPv4 first, then IPv6, each once), or none when it does not resolve
    /// within `timeoutMS` (the lookup is then abandoned, and curl reports the name's failure itself).
    static func resolve(_ host: String, timeoutMS: Int) async -> [String] {
        let once = Once()
        return await withCheckedContinuation { continuation in
            queue.async {
                let addresses = lookup(host)
                if once.claim() { continuation.resume(returning: addresses) }
            }
            queue.asyncAfter(deadline: .now() + .milliseconds(max(1, timeoutMS))) {
                if once.claim() { continuation.resume(returning: []) }
            }
        }
    }

    private static func lookup(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var v4: [String] = []
        var v6: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            if let address = entry.pointee.ai_addr {
                if entry.pointee.ai_family == AF_INET {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                        var raw = sin.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
                    }
                    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if !v4.contains(text) { v4.append(text) }
                } else if entry.pointee.ai_family == AF_INET6 {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                        var raw = sin6.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
                    }
                    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if !v6.contains(text) { v6.append(text) }
                }
            }
            node = entry.pointee.ai_next
        }
        return Array((v4 + v6).prefix(8))
    }

    /// A flag set once, by whichever of two racing callbacks comes first.
    private final class Once: Sendable {
        private let done = Mutex(false)

        func claim() -> Bool {
            done.withLock { done in
                if done { return false }
                done = true
                return true
            }
        }
    }
}

/// Parsing of site content on threads of its own: a page's CPU never blocks the cooperative pool,
/// where the other portals' probes and the history writes run.
enum ParseWorker {
    private static let queue = DispatchQueue(label: "portal-audit.parse", attributes: .concurrent)

    /// Runs `body` on the parse queue and returns its value.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
