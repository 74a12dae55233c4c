import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport
import PortalAuditStore

/// `portal-audit serve`: the dashboard pages and `/api/v1/` over one history database, read-only.
public enum DashboardServer {
    /// Serves until the task is cancelled (or SIGINT/SIGTERM with `signals`), calling `onListening` with
    /// the bound address once the port is open (the one given, or the one the system chose for port 0).
    public static func run(
        _ configuration: ServeConfiguration, handleSignals: Bool,
        onListening: @escaping @Sendable (ListenAddress) -> Void
    ) async throws {
        let history = HistoryDatabase(configuration.database, password: configuration.databasePassword)
        let store = try await history.open(create: false)
        do {
            try await serve(configuration, store: store, handleSignals: handleSignals, onListening: onListening)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }

    private static func serve(
        _ configuration: ServeConfiguration, store: AuditStore, handleSignals: Bool,
        onListening: @escaping @Sendable (ListenAddress) -> Void
    ) async throws {
        let router = try makeRouter(configuration, store: store)
        var logger = Logger(label: "portal-audit.serve")
        logger.logLevel = .warning
        let host = configuration.listen.host == "localhost" ? "127.0.0.1" : configuration.listen.host
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(host, port: configuration.listen.port)),
            onServerRunning: { channel in
                onListening(ListenAddress(host: host, port: channel.localAddress?.port ?? configuration.listen.port))
            },
            logger: logger)
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    /// The router with every page, the API and the middleware: what `run` serves and tests call.
    static func makeRouter(_ configuration: ServeConfiguration, store: AuditStore) throws -> Router<BasicRequestContext>
    {
        let pages = try Pages(
            store: store, language: configuration.language, pageSize: configuration.pageSize,
            postDownloads: configuration.token != nil)
        let api = API(store: store, pages: pages)
        let router = Router()
        router.add(middleware: TimingMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ReadOnlyMiddleware(reportPosts: configuration.token != nil))
        if let token = configuration.token {
            router.add(middleware: TokenMiddleware(token: AccessToken(token)))
        } else {
            router.add(middleware: HostMiddleware(listening: configuration.listen))
        }
        let css = EmbeddedTemplates.files["dashboard.css"] ?? ""
        router.get("/static/dashboard.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: css)))
        }
        router.get("/") { request, _ in
            let query = QueryParameters(request.uri.query)
            return try await html(pages) {
                try await pages.overview(run: try query.integer("run", in: 1...Int64.max))
            }
        }
        router.get("/runs") { request, _ in
            let query = QueryParameters(request.uri.query)
            return try await html(pages) { try await pages.runsPage(page: try query.page()) }
        }
        router.get("/runs/:id") { request, context in
            let query = QueryParameters(request.uri.query)
            let id = try runID(context)
            return try await html(pages) {
                try await pages.runPage(run: id, query: try query.portalQuery(), page: try query.page())
            }
        }
        // A run's reports: GET on loopback without a token, POST behind one (ReadOnlyMiddleware says which).
        let report: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, context in
            try await Downloads.report(
                file: context.parameters.get("file") ?? "", run: try runID(context), store: store,
                language: configuration.language)
        }
        router.get("/runs/:id/:file", use: report)
        router.post("/runs/:id/:file", use: report)
        router.get("/portal") { request, _ in
            let query = QueryParameters(request.uri.query)
            guard let url = query["url"], !url.isEmpty else {
                throw HTTPError(.badRequest, message: "url: the portal's URL is required")
            }
            let run = try query.integer("run", in: 1...Int64.max)
            return try await html(pages) { try await pages.portalPage(url: url, run: run, now: Date()) }
        }
        router.get("/rules") { request, _ in
            let query = QueryParameters(request.uri.query)
            return try await html(pages) { try await pages.rulesPage(run: try query.integer("run", in: 1...Int64.max)) }
        }
        router.get("/rules/:id") { request, context in
            let query = QueryParameters(request.uri.query)
            let id = context.parameters.get("id") ?? ""
            return try await html(pages) {
                try await pages.rulePage(
                    id: id, run: try query.integer("run", in: 1...Int64.max), page: try query.page())
            }
        }
        api.register(router.group("/api/v1"))
        return router
    }

    static func runID(_ context: BasicRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw HTTPError(.badRequest, message: "id: a run number is expected")
        }
        return id
    }

    /// A page, or the "not found" page when `make` finds nothing to show.
    static func html(_ pages: Pages, _ make: () async throws -> String?) async throws -> Response {
        let status: HTTPResponse.Status
        let text: String
        do {
            if let page = try await make() {
                (status, text) = (.ok, page)
            } else {
                let w = pages.words
                (status, text) = (
                    .notFound,
                    pages.errorPage(
                        title: w.t("Not found", "Không tìm thấy"),
                        message: w.t(
                            "The history holds no such run, portal or rule.",
                            "Lịch sử không có lần quét, cổng hoặc tiêu chí này.")
                    )
                )
            }
        } catch let error as HTTPError {
            (status, text) = (
                error.status, pages.errorPage(title: error.status.reasonPhrase, message: error.body ?? "")
            )
        } catch {
            // The history could not be read (a locked or damaged file): say so, as a page.
            (status, text) = (
                .internalServerError,
                pages.errorPage(title: HTTPResponse.Status.internalServerError.reasonPhrase, message: "\(error)")
            )
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A query string's parameters: `+` is a space, `%XX` decoded, the first of a repeated name kept.
struct QueryParameters {
    private var values: [String: String] = [:]
    /// Whether an empty number or choice is an error (the API) rather than "not given" (a page's form,
    /// which sends every field, empty or not).
    var strict = false

    init(_ query: String?, strict: Bool = false) {
        self.strict = strict
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// Parameter `name` as a whole number in `range`; absent or empty is `nil`, anything else is a 400.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = values[name], !text.isEmpty || strict else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw HTTPError(
                .badRequest, message: "\(name): expected a whole number from \(range.lowerBound), found '\(text)'")
        }
        return value
    }

    func page() throws -> Int { Int(try integer("page", in: 1...1_000_000) ?? 1) }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let text = values[name], !text.isEmpty || strict else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw HTTPError(.badRequest, message: "\(name): expected one of \(allowed), found '\(text)'")
        }
        return value
    }

    /// The filters and order of a run's portal list.
    func portalQuery() throws -> PortalQuery {
        let order = values["order"] ?? (strict ? "asc" : "")
        guard (strict ? ["asc", "desc"] : ["", "asc", "desc"]).contains(order) else {
            throw HTTPError(.badRequest, message: "order: expected asc or desc, found '\(order)'")
        }
        func text(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } }
        return PortalQuery(
            verdict: try choice("verdict", Verdict.self), unit: text("unit"), rule: text("rule"), text: text("q"),
            sort: try choice("sort", PortalSort.self) ?? .verdict, descending: order == "desc")
    }
}
