import FuzzSupport
import PortalAuditCore

/// A robots.txt (the bytes before the first NUL) against the paths after it (one per line), all on one
/// matching budget: an answer given within the budget is the answer given without it, and a spent budget
/// answers nothing (undecided) rather than a guess.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let rules = RobotsRules(String(decoding: parts[0], as: UTF8.self), agent: "portal-audit")
    let paths =
        parts.count > 1 ? parts[1].split(separator: 10).prefix(2_000).map { String(decoding: $0, as: UTF8.self) } : []
    var budget = RobotsBudget(bytes: 1 << 20)
    var spent = false
    for path in paths {
        let answer = rules.allows(path, budget: &budget)
        if budget.remaining < 0 { fatalError("the budget went below zero") }
        if let answer {
            if spent { fatalError("an answer after the budget was spent") }
            if answer != rules.allows(path) { fatalError("the budget changed an answer for \(path)") }
        } else {
            spent = true
        }
    }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
