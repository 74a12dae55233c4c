import PortalAuditCore
import Testing

@Suite("Availability policy (one definition of up)")
struct AvailabilityPolicyTests {
    @Test(
        "an answer serves the portal when 2xx or 3xx, a 200 with a body",
        arguments: [
            (200, 1_000, nil), (200, nil, nil), (204, 0, nil), (301, 0, nil), (302, nil, nil),
            (200, 0, AvailabilityPolicy.Problem.emptyPage), (403, 500, .clientError), (404, 0, .clientError),
            (500, 100, .serverError), (503, nil, .serverError),
        ] as [(Int, Int?, AvailabilityPolicy.Problem?)])
    func problem(_ status: Int, _ bytes: Int?, _ problem: AvailabilityPolicy.Problem?) {
        #expect(AvailabilityPolicy.problem(status: status, bodyBytes: bytes) == problem)
        #expect(AvailabilityPolicy.serves(status: status, bodyBytes: bytes) == (problem == nil))
    }

    @Test("HTTPS counts as not offered only when nothing listens or TLS is broken")
    func httpsNotServed() {
        #expect(AvailabilityPolicy.httpsNotServed(ProbeFailure(kind: .connect, message: "refused")))
        #expect(AvailabilityPolicy.httpsNotServed(ProbeFailure(kind: .tls, message: "alert")))
        #expect(!AvailabilityPolicy.httpsNotServed(ProbeFailure(kind: .timeout, message: "slow")))
        #expect(!AvailabilityPolicy.httpsNotServed(nil))
    }

    @Test("outages need the confirmation count of consecutive failed samples, wherever they are counted")
    func confirmation() {
        let start = ExampleFacts.now
        func samples(_ pattern: String) -> [UptimeSample] {
            pattern.enumerated().map { index, c in
                UptimeSample(
                    at: start.addingTimeInterval(Double(index) * 300), up: c == "u", status: c == "u" ? 200 : nil,
                    totalMS: 1, cause: c == "u" ? nil : "connect")
            }
        }
        #expect(AvailabilityPolicy.confirmations == 2)
        #expect(UptimeAccounting.outages(samples("uuduu")).isEmpty)
        #expect(UptimeAccounting.outages(samples("uudduu")).count == 1)
    }
}
