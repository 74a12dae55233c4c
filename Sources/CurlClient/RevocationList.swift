import CCurlShim
import Foundation
import Synchronization

/// A CRL read once and asked about many certificates: a run's portals under one CA share its list (several
/// MiB for a national CA), so it is parsed once, its signature checked once per issuer, and each portal's
/// leaf looked up in it.
public final class RevocationList: Sendable {
    /// The parsed list (OpenSSL's `X509_CRL`), read-only after `init`: lookups run on any thread.
    private nonisolated(unsafe) let list: UnsafeMutableRawPointer
    /// Whether each issuer (by its DER) signed this list.
    private let verified = Mutex<[[UInt8]: Bool]>([:])

    /// The list in `document` (DER or PEM), or `nil` when it is not one.
    public init?(_ document: [UInt8]) {
        guard let list = document.withUnsafeBufferPointer({ pa_crl_parse($0.baseAddress, $0.count) }) else {
            return nil
        }
        self.list = list
    }

    deinit { pa_crl_free(list) }

    /// The status of `leaf` issued by `issuer`: `unusable` when `issuer` did not sign the list or the leaf, or
    /// the list is out of date.
    public func status(leaf: [UInt8], issuer: [UInt8]) -> Certificates.Status {
        let signed =
            verified.withLock { $0[issuer] }
            ?? {
                let answer = issuer.withUnsafeBufferPointer { pa_crl_verified(list, $0.baseAddress, $0.count) } == 1
                verified.withLock { $0[issuer] = answer }
                return answer
            }()
        guard signed else { return .unusable }
        var when: Int64 = 0
        let rc = leaf.withUnsafeBufferPointer { l in
            issuer.withUnsafeBufferPointer { i in
                pa_crl_lookup(list, l.baseAddress, l.count, i.baseAddress, i.count, &when)
            }
        }
        return Certificates.status(rc, when)
    }
}
