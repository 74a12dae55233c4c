import CCurlShim
import Foundation
import PortalAuditCore

/// Certificates outside a handshake: read from DER (a raw Certificate message, an AIA download) and
/// verified as a chain against the shared trust store, with OpenSSL.
public enum Certificates {
    /// The summary of one DER certificate, or `nil` when the bytes are not one.
    public static func summary(der: [UInt8]) -> CertificateSummary? {
        var cert = pa_cert()
        let rc = der.withUnsafeBufferPointer { pa_cert_from_der($0.baseAddress, $0.count, &cert) }
        guard rc == 0 else { return nil }
        defer { pa_cert_release(&cert) }
        return summary(cert)
    }

    /// Verifies `chain` (leaf first, the rest untrusted intermediates in any order) for `host`, at
    /// security level 0, and returns every error as (code, depth); `nil` when the leaf cannot be read.
    public static func verify(chain: [[UInt8]], host: String) -> [(code: Int, depth: Int)]? {
        guard !chain.isEmpty, pa_trust_store_build() == 0 else { return nil }
        var codes = [Int32](repeating: 0, count: 16)
        var depths = [Int32](repeating: 0, count: 16)
        let lengths = chain.map(\.count)
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let count: Int32 = withPointers(chain) { pointers in
            lengths.withUnsafeBufferPointer { lens in
                pa_verify_chain(pointers, lens.baseAddress, Int32(chain.count), bare, &codes, &depths, 16)
            }
        }
        guard count >= 0 else { return nil }
        return (0..<Int(count)).map { (Int(codes[$0]), Int(depths[$0])) }
    }

    /// A revocation answer: good, revoked (and when), unknown to the responder, or unreadable.
    public enum Status: Sendable, Equatable {
        case good
        case revoked(Date?)
        case unknown
        /// Not a readable, correctly signed, current document.
        case unusable
    }

    /// The status of `leaf` in an OCSP response signed by `issuer` (or its delegate, or a trusted responder).
    public static func ocspStatus(_ response: [UInt8], leaf: [UInt8], issuer: [UInt8]) -> Status {
        // The shared trust store (built once per process) is what a delegated responder chains to.
        guard pa_trust_store_build() == 0 else { return .unusable }
        return status(of: leaf, issuer: issuer, in: response, pa_ocsp_status)
    }

    /// The status of `leaf` in a CRL (DER or PEM) signed by `issuer`.
    public static func crlStatus(_ crl: [UInt8], leaf: [UInt8], issuer: [UInt8]) -> Status {
        RevocationList(crl)?.status(leaf: leaf, issuer: issuer) ?? .unusable
    }

    /// The shims' revocation checks share one shape: (document, leaf, issuer, revocation time) → code.
    private typealias RevocationCheck = (
        UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<Int64>?
    ) -> Int32

    private static func status(of leaf: [UInt8], issuer: [UInt8], in document: [UInt8], _ check: RevocationCheck)
        -> Status
    {
        var when: Int64 = 0
        let rc = document.withUnsafeBufferPointer { d in
            leaf.withUnsafeBufferPointer { l in
                issuer.withUnsafeBufferPointer { i in
                    check(d.baseAddress, d.count, l.baseAddress, l.count, i.baseAddress, i.count, &when)
                }
            }
        }
        return status(rc, when)
    }

    static func status(_ rc: Int32, _ when: Int64) -> Status {
        switch rc {
        case 0: .good
        case 1: .revoked(when > 0 ? Date(timeIntervalSince1970: TimeInterval(when)) : nil)
        case 2: .unknown
        default: .unusable
        }
    }

    /// An OCSP request (DER) for `leaf` issued by `issuer`.
    public static func ocspRequest(leaf: [UInt8], issuer: [UInt8]) -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        let length = leaf.withUnsafeBufferPointer { l in
            issuer.withUnsafeBufferPointer { i in pa_ocsp_request(l.baseAddress, l.count, i.baseAddress, i.count, &out)
            }
        }
        return owned(out, length)
    }

    /// The issuer of `leaf` in the shared trust store (DER), when the store holds it.
    public static func storeIssuer(of leaf: [UInt8]) -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        let length = leaf.withUnsafeBufferPointer { pa_store_issuer($0.baseAddress, $0.count, &out) }
        return owned(out, length)
    }

    private static func owned(_ pointer: UnsafeMutablePointer<UInt8>?, _ length: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        defer { free(pointer) }
        return length > 0 ? Array(UnsafeBufferPointer(start: pointer, count: length)) : nil
    }

    /// Calls `body` with a C array of pointers to each byte array (valid only inside `body`).
    private static func withPointers<R>(
        _ arrays: [[UInt8]], _ body: (UnsafePointer<UnsafePointer<UInt8>?>) -> R
    ) -> R {
        let copies = arrays.map { bytes -> UnsafeMutablePointer<UInt8> in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        defer { copies.forEach { $0.deallocate() } }
        let pointers: [UnsafePointer<UInt8>?] = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    static func summary(_ c: pa_cert) -> CertificateSummary {
        func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? { pointer.map { String(cString: $0) } }
        return CertificateSummary(
            subject: string(c.subject) ?? "",
            issuer: string(c.issuer) ?? "",
            subjectAltNames: (string(c.sans) ?? "").split(separator: ",").map(String.init),
            keyType: string(c.key_type) ?? "unknown",
            keyBits: Int(c.key_bits),
            signatureAlgorithm: string(c.sig_alg) ?? "unknown",
            notBefore: Date(timeIntervalSince1970: TimeInterval(c.not_before)),
            notAfter: Date(timeIntervalSince1970: TimeInterval(c.not_after)),
            selfIssued: c.self_issued != 0,
            caIssuersURL: string(c.ca_issuers), ocspURL: string(c.ocsp), crlURL: string(c.crl),
            serial: string(c.serial))
    }

    static func der(_ c: pa_cert) -> [UInt8] {
        guard let der = c.der, c.der_len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: der, count: c.der_len))
    }
}
