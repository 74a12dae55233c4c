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
    /// after, serves the file named by its argument at `/crl` (after 300 ms), and tells on `/count` how many
    /// requests each path got.
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
                    if self.path in ("/doc", "/crl"):
                        time.sleep(0.3)
                    if self.path == "/flaky" and counts[self.path] == 1:
                        self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers(); return
                    body = open(sys.argv[1], "rb").read() if self.path == "/crl" else b"DOC " + self.path.encode()
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
        let (process, base, context) = try await Self.serve()
        defer { process.kill(SIGKILL) }
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

    @Test("a CRL asked for by many portals at once is fetched once and parsed once, and answers for each leaf")
    func crlParsedOnce() async throws {
        let (process, base, context) = try await Self.serve()
        defer { process.kill(SIGKILL) }
        let cache = DocumentCache()
        let pem = { (name: String) in
            DocumentCache.certificateDER(
                Array(try Data(contentsOf: URL(fileURLWithPath: "\(Lab.directory)/pki/\(name).pem"))))
        }
        let issuer = try #require(try pem("ca"))
        let leaves = try ["revoked-crl", "exemplary"].map { try #require(try pem($0)) }
        // Eight portals under the lab CA ask for its CRL at once
        let statuses = await withTaskGroup(of: (Int, Certificates.Status?).self) { group in
            for index in 0..<8 {
                group.addTask {
                    let (list, _, _) = await cache.revocationList(
                        base + "/crl", context: context, cap: 1 << 20, timeoutMS: 5_000)
                    return (index, list?.status(leaf: leaves[index % 2], issuer: issuer))
                }
            }
            var out: [Int: Certificates.Status?] = [:]
            for await (index, status) in group { out[index] = status }
            return out
        }
        // Then one request and one parse served all eight: the revoked leaf is revoked, the other good
        for (index, status) in statuses {
            if index % 2 == 0 {
                guard case .revoked = status else {
                    Issue.record("leaf \(index): \(String(describing: status))"); continue
                }
            } else {
                #expect(status == .good)
            }
        }
        #expect(await cache.parses == 1)
        let counts = try await Command.run("/usr/bin/curl", ["-s", base + "/count"])
        #expect(counts.stdout == "{\"/crl\": 1}")
    }

    /// The server above, started with the lab's CRL, its address, and a probe context allowed to reach it.
    static func serve() async throws -> (Command.Running, String, ProbeContext) {
        let process = try Command.start(
            "/usr/bin/env", ["python3", "-c", Self.server, "\(Lab.directory)/pki/lab.crl"])
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
        return (process, base, context)
    }
}
