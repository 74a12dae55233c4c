import Foundation
import FuzzSupport
import PortalAuditCore

/// The profile loader on arbitrary YAML, with the shipped profiles to extend.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = NSTemporaryDirectory() + "fuzz-profile-\(getpid()).yaml"
    guard FileManager.default.createFile(atPath: path, contents: Data(UnsafeBufferPointer(start: data, count: size)))
    else { return 0 }
    let shipped = ProcessInfo.processInfo.environment["PORTAL_AUDIT_PROFILES"] ?? "Profiles"
    do {
        _ = try ProfileLoader(searchPaths: [shipped]).load(path)
    } catch {
        if error.issues.isEmpty { fatalError("a profile refused without saying why") }
    }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
