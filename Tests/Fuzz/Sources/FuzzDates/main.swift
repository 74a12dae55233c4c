import Foundation
import FuzzSupport
import PortalAuditCore

/// Vietnamese dates in arbitrary text (as decoded from a page).
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01
    for date in VietnameseDates.dates(in: text, now: now) where date > now.addingTimeInterval(86_400) {
        fatalError("a date after now: \(date)")
    }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
