import Foundation
import PortalAuditKit
import Testing

@Suite("doctor: secret files only their owner reads")
struct DoctorSecretsTests {
    @Test(
        "a secret another user may read or write is a warning with its fix; 600 and 640-less modes are fine",
        arguments: [(0o600, false), (0o400, false), (0o640, false), (0o644, true), (0o604, true), (0o602, true)])
    func modes(_ mode: Int, _ warned: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try "token-0123456789abcdef\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        chmod(path, mode_t(mode))
        let checks = Doctor.secretFiles([path, path + ".absent"])
        #expect(checks.count == 1)
        #expect((checks.first?.outcome == .warning) == warned, "\(checks)")
        if warned { #expect(checks.first?.detail.contains("chmod 600 \(path)") == true) }
    }
}
