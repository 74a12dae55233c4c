import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

@testable import PortalAuditProbes

/// The run's cache of certificate documents (AIA issuers, CRLs): a thousand portals under one CA ask for the
/// same URL at once.
@Suite("The CRL and AIA document cache")
struct DocumentCacheTests {
    /// A loopback server that answers `/doc` after 300 ms, fails `/flaky` the first time (500) and answers it
    /// after, and tells on `/count` how many requests each path got.
    static let server = """
        import http.server, json, sys, time
        counts = {}
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self):
                if self.path == "/count":
                    body = json.dumps(counts).encode()
                else:
                    counts[self.path] = counts.get(self.path, 0) + 1
                    if self.path == "/doc":
                        time.sleep(0.3)
                    if self.path == "/flaky" and counts[self.path] == 1:
                        self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers(); return
                    body = b"DOC " + self.path.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    @Test("concurrent asks for one URL make one request; a failure is not kept, a document is")
    func collapseAndRetry() async throws {
        let process = try Command.start("/usr/bin/env", ["python3", "-c", Self.server])
        defer { process.kill(SIGKILL) }
        var port = 0
        #expect(
            try await eventually(10) {
                port = Int(process.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                return port > 0
            })
        let base = "http://127.0.0.1:\(port)"
        let target = Target(url: base + "/", host: "127.0.0.1", httpsPort: port, httpPort: port, path: "/")
        let options = ProbeOptions()
        let context = ProbeContext(
            runtime: .shared, options: options, target: target, pins: NamePins(entries: []),
            budget: Budget(deadline: .now + .seconds(20), options: options),
            egress: EgressPolicy(allowed: [try #require(EgressPolicy.Endpoint("127.0.0.1", port: port))]))
        let cache = DocumentCache()
        // Eight portals ask for the same CRL at once: one request is made, all get the document
        let bodies = await withTaskGroup(of: [UInt8]?.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await cache.document(base + "/doc", context: context, cap: 1 << 16, timeoutMS: 5_000).0
                }
            }
            var out: [[UInt8]?] = []
            for await body in group { out.append(body) }
            return out
        }
        #expect(bodies.allSatisfy { $0 == Array("DOC /doc".utf8) })
        // A failed fetch is the asking portal's: the next portal asks again and gets the document, kept after
        #expect(await cache.document(base + "/flaky", context: context, cap: 1 << 16, timeoutMS: 5_000).0 == nil)
        #expect(await cache.document(base + "/flaky", context: context, cap: 1 << 16, timeoutMS: 5_000).0 != nil)
        #expect(await cache.document(base + "/flaky", context: context, cap: 1 << 16, timeoutMS: 5_000).1.isEmpty)
        let counts = try await Command.run("/usr/bin/curl", ["-s", base + "/count"])
        let asked = try #require(try JSONSerialization.jsonObject(with: Data(counts.stdout.utf8)) as? [String: Int])
        #expect(asked == ["/doc": 1, "/flaky": 2])
    }
}
