import Foundation

/// OpenSSL verification error codes the certificate rules tell apart.
enum X509Code {
    static let notYetValid = 9
    static let expired = 10
    static let selfSignedLeaf = 18
    static let selfSignedInChain = 19
    static let hostnameMismatch = 62
    /// The issuer is neither sent nor in the store (a missing intermediate, or an unknown CA).
    static let missingIssuer: Set<Int> = [2, 20, 21]
    /// OpenSSL's security level on key size and digest (66 leaf key, 67 CA key, 68 CA digest): strength
    /// is `cert.key-strength`'s question, never a reason to call the chain untrusted.
    static let strength: Set<Int> = [66, 67, 68]
    /// Errors about dates, the host name or strength; every other code is a chain-of-trust problem.
    static let notChain: Set<Int> = [9, 10, 13, 14, 62, 63, 64, 66, 67, 68]
}

extension CertificateFacts {
    func has(_ code: Int) -> Bool { verifyErrors.contains { $0.code == code } }
}

/// ISO 8601 (UTC) for evidence.
func iso(_ date: Date) -> String {
    date.formatted(.iso8601)
}
