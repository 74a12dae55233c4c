import FuzzSupport
import RawTLS

/// A server's first flight, as arbitrary bytes arriving in arbitrary chunks (the first byte sets the chunk
/// size): the reader never traps, stays within its bounds and reads the same flight however it is split.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let chunk = Int(first % 64) + 1
    var split = FlightReader()
    var index = 1
    while index < bytes.count {
        split.feed(Array(bytes[index..<min(bytes.count, index + chunk)]))
        index += chunk
    }
    var whole = FlightReader()
    whole.feed(Array(bytes.dropFirst()))
    if split.flight != whole.flight || split.error != whole.error {
        fatalError("the flight depends on how it was split")
    }
    let kept = whole.flight.certificates.reduce(0) { $0 + $1.count }
    if kept > FlightReader.maxHandshakeBytes { fatalError("kept \(kept) certificate bytes") }
    return 0
}

// libFuzzer's driver runs the harness (SwiftPM gives the executable its own main).
runFuzzer { data, size in fuzz(data, size) }
