import CurlClient
import Foundation
import PortalAuditTestSupport
import Testing

/// A server chooses what it sends after its leaf. A revoked certificate's server that sends a made-up issuer
/// of the same name, and an OCSP response or CRL that this made-up issuer signed, must not make the
/// certificate look good.
@Suite("Revocation documents are checked against the leaf's real issuer")
struct RevocationForgeryTests {
    /// A lab CA, a "CA" of the same name with another key, a leaf of the first, revoked; the genuine OCSP
    /// response and CRL (revoked, signed by the CA) and forged ones (good, signed by the impostor).
    static let script = #"""
        set -e
        cd "$1"
        key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
        ext="-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign"
        openssl req -x509 $key -days 30 -subj "/CN=Lab CA" $ext -keyout ca.key -out ca.pem 2>/dev/null
        openssl req -x509 $key -days 30 -subj "/CN=Lab CA" $ext -keyout fake.key -out fake.pem 2>/dev/null
        openssl req $key -subj "/CN=xa.gov.vn" -keyout leaf.key -out leaf.csr 2>/dev/null
        openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out leaf.pem 2>/dev/null
        serial=$(openssl x509 -in leaf.pem -noout -serial | cut -d= -f2)
        end=$(date -u -d "+30 days" +%y%m%d%H%M%SZ)
        revoked=$(date -u -d "-1 day" +%y%m%d%H%M%SZ)
        printf 'R\t%s\t%s\t%s\tunknown\t/CN=xa.gov.vn\n' "$end" "$revoked" "$serial" >revoked.txt
        printf 'V\t%s\t\t%s\tunknown\t/CN=xa.gov.vn\n' "$end" "$serial" >good.txt
        for who in ca fake; do
            index=revoked.txt; [ $who = fake ] && index=good.txt
            openssl ocsp -index $index -rsigner $who.pem -rkey $who.key -CA $who.pem -issuer $who.pem -cert leaf.pem \
                -respout ocsp-$who.der -ndays 1 >/dev/null 2>&1
            printf '[ca]\ndefault_ca=x\n[x]\ndatabase=%s\ndefault_md=sha256\ndefault_crl_days=1\n' $index >$who.cnf
            openssl ca -gencrl -config $who.cnf -cert $who.pem -keyfile $who.key -out crl-$who.pem 2>/dev/null
        done
        for f in ca fake leaf; do openssl x509 -in $f.pem -outform DER -out $f.der; done
        """#

    @Test("a forged issuer's OCSP response or CRL is unusable; the genuine ones say revoked")
    func forgedIssuer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forgery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try await Command.run("/bin/bash", ["-c", Self.script, "forgery", folder.path])
        #expect(made.status == 0, "\(made.stderr)")
        func bytes(_ name: String) throws -> [UInt8] {
            Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        let leaf = try bytes("leaf.der")
        // The genuine documents, checked against the real issuer: revoked
        if case .revoked = Certificates.ocspStatus(try bytes("ocsp-ca.der"), leaf: leaf, issuer: try bytes("ca.der")) {
        } else {
            Issue.record("the genuine OCSP response should say revoked")
        }
        if case .revoked = Certificates.crlStatus(try bytes("crl-ca.pem"), leaf: leaf, issuer: try bytes("ca.der")) {
        } else {
            Issue.record("the genuine CRL should say revoked")
        }
        // The forged ones, checked against the impostor the server sent as the leaf's issuer: not good
        #expect(
            Certificates.ocspStatus(try bytes("ocsp-fake.der"), leaf: leaf, issuer: try bytes("fake.der")) == .unusable)
        #expect(
            Certificates.crlStatus(try bytes("crl-fake.pem"), leaf: leaf, issuer: try bytes("fake.der")) == .unusable)
    }
}
