import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's own security headers: it is a security tool and passes its own `check`.
///
/// Pages load only their stylesheet from the server itself and no script at all; a handler that needs
/// another policy (a downloaded report's inline styles) sets its own `Content-Security-Policy`.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = Response(
                status: error.status, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: (error.body ?? error.status.reasonPhrase) + "\n")))
        }
        let fields: [(HTTPField.Name, String)] = [
            (.contentSecurityPolicy, Self.policy),
            (.xContentTypeOptions, "nosniff"),
            (.xFrameOptions, "DENY"),
            (.referrerPolicy, "no-referrer"),
            (.permissionsPolicy, "camera=(), microphone=(), geolocation=(), payment=()"),
            (.crossOriginOpenerPolicy, "same-origin"),
            (.crossOriginResourcePolicy, "same-origin"),
            (.cacheControl, "no-store"),
        ]
        for (name, value) in fields where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}

/// The token of `--token-file`: `Authorization: Bearer TOKEN`, or basic auth with the token as the
/// password (what a browser asks for), compared in constant time.
struct AccessToken: Sendable {
    let token: [UInt8]

    init(_ token: String) { self.token = Array(token.utf8) }

    /// Whether the `Authorization` value `header` carries the token.
    func accepts(_ header: String) -> Bool {
        if header.hasPrefix("Bearer ") {
            return Self.equal(Array(header.utf8.dropFirst("Bearer ".utf8.count)), token)
        }
        if header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst("Basic ".count))),
            let colon = data.firstIndex(of: UInt8(ascii: ":"))
        {
            return Self.equal(Array(data[data.index(after: colon)...]), token)
        }
        return false
    }

    /// Equality whose time depends only on the lengths, never on where the bytes differ.
    static func equal(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices {
            difference |= expected[index] ^ (index < given.count ? given[index] : ~expected[index])
        }
        return difference == 0
    }
}

/// Answers 401 to a request without the access token.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AccessToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let header = request.headers[.authorization], token.accepts(header) {
            return try await next(request, context)
        }
        return Response(
            status: .unauthorized,
            headers: [
                .wwwAuthenticate: "Basic realm=\"portal-audit\", charset=\"UTF-8\"",
                .contentType: "text/plain; charset=utf-8",
            ],
            body: .init(byteBuffer: ByteBuffer(string: "a token is required (Authorization: Bearer, or basic auth)\n")))
    }
}

/// Without a token, only requests addressed to the server by its own address: a page elsewhere that points a
/// name of its own at 127.0.0.1 (DNS rebinding) sends its name as `Host` and is answered 421, so it cannot
/// read the history through the officer's browser. Names that are this machine's loopback (`localhost`)
/// count as its address.
struct HostMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The host names accepted (lower case, IPv6 without brackets).
    let hosts: Set<String>

    init(listening address: ListenAddress) {
        let bare = address.host.lowercased()
        hosts = address.isLoopback ? ["127.0.0.1", "::1", "localhost", bare] : [bare]
    }

    /// The host of a `Host` value (`name`, `name:port`, `[v6]`, `[v6]:port`), lower case, without brackets.
    static func name(_ value: String) -> String {
        let text = value.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<end])
        }
        return String(text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let host = request.head.authority ?? ""
        if hosts.contains(Self.name(host)) { return try await next(request, context) }
        return Response(
            status: .misdirectedRequest, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string:
                        "this dashboard answers to its own address only (\(hosts.sorted().joined(separator: ", "))); "
                        + "to reach it by a name, serve it with --token-file\n")))
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let permissionsPolicy = Self("Permissions-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    static let crossOriginResourcePolicy = Self("Cross-Origin-Resource-Policy")!
    static let serverTiming = Self("Server-Timing")!
}

/// Everything here is read-only: GET, and HEAD answered as GET without the body (monitors and
/// `portal-audit check` may ask HEAD); any other method is 405 with `Allow`. Behind a token
/// (`reportPosts`), a run's report is made on demand by POST, and only by POST.
struct ReadOnlyMiddleware<Context: RequestContext>: RouterMiddleware {
    let reportPosts: Bool

    /// `/runs/ID/report.FORMAT`.
    static func isReport(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0].isEmpty && parts[1] == "runs" && !parts[2].isEmpty
            && parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber) && parts[3].hasPrefix("report.")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if reportPosts && Self.isReport(request.uri.path) {
            if request.method == .post { return try await next(request, context) }
            return Response(
                status: .methodNotAllowed, headers: [.allow: "POST", .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "a report is made on demand by POST (the page's buttons)\n"))
            )
        }
        if request.method == .get { return try await next(request, context) }
        guard request.method == .head else {
            return Response(
                status: .methodNotAllowed, headers: [.allow: "GET, HEAD", .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "read-only: GET or HEAD\n")))
        }
        var head = request.head
        head.method = .get
        var response = try await next(Request(head: head, body: request.body), context)
        response.body = ResponseBody()
        return response
    }
}

/// `Server-Timing: app;dur=MS`: how long the server took, for the benchmark and a browser's tools.
struct TimingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        response.headers[.serverTiming] = "app;dur=" + String(format: "%.2f", ms)
        return response
    }
}
