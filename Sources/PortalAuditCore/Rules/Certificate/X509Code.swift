import Foundation

/// OpenSSL verification error codes the certificate rules tell apart.
enum X509Code {
    static let notYetValid = 9
    static let expired = 10
    static let selfSignedLeaf = 18
    static let selfSignedInChain = 19
    static let hostnameMismatch = 62
    /// Errors about dates or the host name; every other code is a chain-of-trust problem.
    static let notChain: Set<Int> = [9, 10, 13, 14, 62, 63, 64]
}

extension CertificateFacts {
    func has(_ code: Int) -> Bool { verifyErrors.contains { $0.code == code } }
}

/// ISO 8601 (UTC) for evidence.
func iso(_ date: Date) -> String {
    date.formatted(.iso8601)
}
