import Foundation
import PortalAuditTestSupport
import Testing

@testable import PortalAuditServer

@Suite("serve: addresses, tokens, query strings and the embedded templates")
struct ServerPartsTests {
    @Test(
        "listen addresses parse, and only loopback ones may go without a token",
        arguments: [
            ("127.0.0.1:8080", "127.0.0.1", 8080, true), ("[::1]:0", "::1", 0, true),
            ("localhost:9000", "localhost", 9000, true), ("127.9.8.7:80", "127.9.8.7", 80, true),
            ("0.0.0.0:8080", "0.0.0.0", 8080, false), ("[::]:8080", "::", 8080, false),
            ("portal.example:443", "portal.example", 443, false),
            ("127.0.0.1.nip.io:80", "127.0.0.1.nip.io", 80, false),
        ])
    func listen(text: String, host: String, port: Int, loopback: Bool) throws {
        let address = try ListenAddress.parse(text).get()
        #expect(address.host == host && address.port == port)
        #expect(address.isLoopback == loopback)
        let (_, problems) = ServeConfiguration.validate(listen: address, tokenFile: nil)
        #expect(problems.isEmpty == loopback)
    }

    @Test(
        "malformed addresses are refused with what is wrong",
        arguments: ["8080", "::1:80", "[::1]80", ":80", "a:b", "a:70000"])
    func badListen(text: String) {
        #expect(throws: ServeError.self) { try ListenAddress.parse(text).get() }
    }

    @Test("the token comparison accepts only the token, whatever its length")
    func tokenEquality() {
        let token = Array("0123456789abcdef".utf8)
        #expect(AccessToken.equal(token, token))
        #expect(!AccessToken.equal(Array("0123456789abcdeF".utf8), token))
        #expect(!AccessToken.equal(Array("0123456789abcde".utf8), token))
        #expect(!AccessToken.equal(Array("0123456789abcdef0".utf8), token))
        #expect(!AccessToken.equal([], token))
        let middleware = AccessToken("0123456789abcdef")
        #expect(middleware.accepts("Bearer 0123456789abcdef"))
        #expect(middleware.accepts("Basic " + Data("officer:0123456789abcdef".utf8).base64EncodedString()))
        #expect(!middleware.accepts("Basic " + Data("0123456789abcdef".utf8).base64EncodedString()))
        #expect(!middleware.accepts("bearer 0123456789abcdef"))
    }

    @Test("query strings: '+' is a space, %XX decoded, the first of a repeated name kept, bad numbers refused")
    func queryStrings() throws {
        let query = QueryParameters("q=X%C3%A3+Y%C3%AAn&q=second&url=https%3A%2F%2Fa.gov.vn%2F&page=3&empty=&plus=%2B")
        #expect(query["q"] == "Xã Yên")
        #expect(query["url"] == "https://a.gov.vn/")
        #expect(query["plus"] == "+")
        #expect(try query.page() == 3)
        #expect(try query.integer("empty", in: 1...9) == nil)
        #expect(throws: (any Error).self) { try QueryParameters("page=0").page() }
        #expect(throws: (any Error).self) { try QueryParameters("page=1e3").page() }
        #expect(throws: (any Error).self) { try QueryParameters("verdict=maybe").portalQuery() }
        #expect(throws: (any Error).self) { try QueryParameters("order=sideways").portalQuery() }
        let filter = try QueryParameters("verdict=fail&sort=unit&order=desc&unit=X%C3%A3+A").portalQuery()
        #expect(filter.verdict == .fail && filter.sort == .unit && filter.descending && filter.unit == "Xã A")
    }

    @Test("the embedded templates are the files in Sources/PortalAuditServer/Templates (run scripts/embed-profiles)")
    func embeddedTemplates() throws {
        let folder = Repository.root.appendingPathComponent("Sources/PortalAuditServer/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == EmbeddedTemplates.files.keys.sorted())
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(EmbeddedTemplates.files[name] == text, "\(name) differs: run bash scripts/embed-profiles")
        }
    }

    @Test("templates write every value escaped: none uses {{{raw}}} or {{& raw}}")
    func templatesEscape() {
        for (name, text) in EmbeddedTemplates.files where name.hasSuffix(".mustache") {
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name)")
            #expect(!text.contains("<script"), "\(name): the dashboard runs no script")
            #expect(!text.contains("style=\""), "\(name): inline styles break the CSP")
        }
    }

    @Test(
        "on-demand reports: one made at a time, a bounded queue, more told to come back; a caller who leaves stops waiting"
    )
    func reportQueue() async throws {
        let gate = Downloads.Gate(queue: 2)
        // The first report is made at once; two more wait their turn
        #expect(await gate.enter())
        let second = Task { await gate.enter() }
        #expect(try await eventually(10) { await gate.waitingCount == 1 })
        let third = Task { await gate.enter() }
        #expect(try await eventually(10) { await gate.waitingCount == 2 })
        // A fourth finds the queue full and is answered at once
        #expect(await gate.enter() == false)
        // The third's client leaves: it stops waiting, and its place is free
        third.cancel()
        #expect(await third.value == false)
        #expect(await gate.waitingCount == 1)
        // The first done, the second's turn comes; then the gate is free
        await gate.leave()
        #expect(await second.value)
        await gate.leave()
        #expect(await gate.enter())
        await gate.leave()
    }
}
