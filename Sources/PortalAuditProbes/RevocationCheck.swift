import CurlClient
import Foundation
import PortalAuditCore

/// Whether the leaf is revoked: the OCSP response the server stapled, else the CRL at the leaf's
/// distribution point (cached per run), else the OCSP responder of its AIA. Nothing is judged here: an
/// answer that cannot be had is `unavailable`, and the rule makes it inconclusive, never a pass.
enum RevocationCheck {
    static let crlCap = 4 << 20
    static let timeoutMS = 4_000

    static func run(
        _ certificate: CertificateFacts, leaf: [UInt8]?, issuer: [UInt8]?, staple: [UInt8]?, context: ProbeContext,
        documents: DocumentCache
    ) async -> (RevocationFacts, [TransferResult]) {
        let crlURL = certificate.leaf?.crlURL.flatMap { DocumentCache.fetchable($0, context: context) ? $0 : nil }
        let ocspURL = certificate.leaf?.ocspURL.flatMap { DocumentCache.fetchable($0, context: context) ? $0 : nil }
        guard staple != nil || crlURL != nil || ocspURL != nil else { return (RevocationFacts(status: .noSource), []) }
        guard let leaf, let issuer else {
            return (RevocationFacts(status: .unavailable, detail: "the issuer's certificate is not known"), [])
        }
        var notes: [String] = []
        if let staple {
            if let facts = facts(Certificates.ocspStatus(staple, leaf: leaf, issuer: issuer), .ocspStapled, url: nil) {
                return (facts, [])
            }
            notes.append("the stapled response is not usable")
        }
        // A CRL or OCSP address is fetched only for a chain that is trusted (as served, or completed through
        // AIA): an untrusted certificate's addresses are whatever its maker chose.
        let trusted =
            certificate.verifyErrors.isEmpty
            || (certificate.completion.map { $0.failure == nil && $0.verifyErrors.isEmpty } ?? false)
        guard trusted else {
            notes.append("not asked: certificate addresses are fetched only for a trusted chain")
            return (RevocationFacts(status: .unavailable, detail: notes.joined(separator: "; ")), [])
        }
        var results: [TransferResult] = []
        if let crlURL, context.budget.remainingMS() > 0 {
            let (list, fetched, fetches) = await documents.revocationList(
                crlURL, context: context, cap: crlCap, timeoutMS: timeoutMS)
            results += fetches
            if let list, let facts = facts(list.status(leaf: leaf, issuer: issuer), .crl, url: crlURL) {
                return (facts, results)
            }
            notes.append(
                fetched ? "the CRL is not usable" : "the CRL could not be fetched" + DocumentCache.refusal(fetches))
        }
        if let ocspURL, context.budget.remainingMS() > 0,
            let body = Certificates.ocspRequest(leaf: leaf, issuer: issuer),
            var request = context.fetch(ocspURL, cap: 64 << 10, timeoutMS: timeoutMS)
        {
            request.payload = .post(body: body, contentType: "application/ocsp-request")
            request.reuseConnection = false
            let result = await context.perform(request)
            results.append(result)
            if result.responseCode == 200,
                let facts = facts(Certificates.ocspStatus(result.body, leaf: leaf, issuer: issuer), .ocsp, url: ocspURL)
            {
                return (facts, results)
            }
            notes.append("the OCSP responder gave no usable answer" + DocumentCache.refusal([result]))
        }
        return (
            RevocationFacts(status: .unavailable, url: crlURL ?? ocspURL, detail: notes.joined(separator: "; ")),
            results
        )
    }

    private static func facts(_ status: Certificates.Status, _ method: RevocationFacts.Method, url: String?)
        -> RevocationFacts?
    {
        switch status {
        case .good: RevocationFacts(status: .good, method: method, url: url)
        case .revoked(let when): RevocationFacts(status: .revoked, method: method, url: url, revokedAt: when)
        case .unknown: RevocationFacts(status: .unknown, method: method, url: url)
        case .unusable: nil
        }
    }
}
