import Foundation
import FuzzSupport
import PortalAuditCore

/// The inventory reader on arbitrary files: YAML, or CSV when the first byte is odd.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let csv = (bytes.first ?? 0) & 1 == 1
    let path = NSTemporaryDirectory() + "fuzz-inventory-\(getpid())." + (csv ? "csv" : "yaml")
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { return 0 }
    do {
        _ = try Inventory.load(path)
    } catch {
        if error.issues.isEmpty { fatalError("an inventory refused without saying why") }
    }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
