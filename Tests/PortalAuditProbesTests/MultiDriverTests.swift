import Testing

@testable import CurlClient

@Suite("The transfer driver")
struct MultiDriverTests {
    @Test("a cancellation that arrives after its transfer finished is not kept")
    func lateCancellation() async throws {
        _ = CurlRuntime.shared  // libcurl and OpenSSL initialised once, as the program does
        let driver = MultiDriver(maxConnects: 4)
        // Given a transfer that has finished (a closed loopback port refuses at once)
        let transfer = try EasyTransfer(TransferRequest(url: "http://127.0.0.1:9/", connectTimeoutMS: 1_000))
        let result = await driver.run(transfer)
        #expect(result.failure != nil)
        // When its task is cancelled only now (the race between a finishing transfer and a cancelled site),
        // and an id never issued is cancelled too
        driver.cancel(1)
        driver.cancel(4_242)
        // Then nothing waits for the driver thread: no id is kept for the life of the process
        #expect(driver.pendingCancellations == 0)
    }
}
