import Foundation
import HTTPTypes
import Hummingbird
import PortalAuditCore
import PortalAuditStore

/// `/api/v1/`: the history as JSON, in the report's snake_case shapes (docs/openapi.yaml describes it).
struct API: Sendable {
    let store: AuditStore
    let pages: Pages

    struct RunJSON: Encodable {
        var id: Int64
        var startedAt: Date
        var finishedAt: Date?
        var status: String
        var inventory: String
        var profile: String
        var planned: Int
        var done: Int
        var summary: VerdictSummary

        init(_ run: RunSummary, summary: VerdictSummary) {
            id = run.id
            startedAt = run.startedAt
            finishedAt = run.finishedAt
            status = run.status.rawValue
            inventory = run.inventory
            profile = run.profile
            planned = run.planned
            done = run.done
            self.summary = summary
        }

        enum CodingKeys: String, CodingKey {
            case id, status, inventory, profile, planned, done, summary
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    struct RunList: Encodable {
        var total: Int
        var page: Int
        var perPage: Int
        var runs: [RunJSON]

        enum CodingKeys: String, CodingKey {
            case total, page, runs
            case perPage = "per_page"
        }
    }

    struct UnitJSON: Encodable {
        var province: String?
        var district: String?
        var commune: String?
        var summary: VerdictSummary
    }

    struct RunDetail: Encodable {
        var run: RunJSON
        var units: [UnitJSON]
        /// Rule id → how many portals of the run failed it.
        var failures: [String: Int]
    }

    struct PortalList: Encodable {
        var runID: Int64
        var total: Int
        var page: Int
        var perPage: Int
        var portals: [PortalRow]

        enum CodingKeys: String, CodingKey {
            case total, page, portals
            case runID = "run_id"
            case perPage = "per_page"
        }
    }

    struct UptimeJSON: Encodable {
        var window: String
        var percent: Double?
    }

    struct OutageJSON: Encodable {
        var start: Date
        var end: Date?
        var cause: String
    }

    struct PortalDetail: Encodable {
        var url: String
        var runID: Int64
        var history: [PortalRow]
        var uptime: [UptimeJSON]
        var outages: [OutageJSON]
        var result: SiteResult
        var previousRunID: Int64?

        enum CodingKeys: String, CodingKey {
            case url, history, uptime, outages, result
            case runID = "run_id"
            case previousRunID = "previous_run_id"
        }
    }

    struct RuleJSON: Encodable {
        var id: String
        var area: String
        var title: LocalizedText
        var failing: Int
    }

    struct RuleList: Encodable {
        var runID: Int64?
        var rules: [RuleJSON]

        enum CodingKeys: String, CodingKey {
            case rules
            case runID = "run_id"
        }
    }

    struct RuleDetail: Encodable {
        var rule: RuleJSON
        var runID: Int64
        var total: Int
        var page: Int
        var perPage: Int
        var portals: [PortalRow]

        enum CodingKeys: String, CodingKey {
            case rule, total, page, portals
            case runID = "run_id"
            case perPage = "per_page"
        }
    }

    struct ErrorJSON: Encodable {
        var error: String
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// The handler's answer, or its 400/404 as `{"error": …}`.
    static func answer(_ make: () async throws -> Response?) async throws -> Response {
        do {
            if let response = try await make() { return response }
            return try json(ErrorJSON(error: "not found"), status: .notFound)
        } catch let error as HTTPError {
            return try json(ErrorJSON(error: error.body ?? error.status.reasonPhrase), status: error.status)
        } catch {
            return try json(ErrorJSON(error: "\(error)"), status: .internalServerError)
        }
    }

    func perPage(_ query: QueryParameters) throws -> Int {
        Int(try query.integer("per_page", in: 1...500) ?? Int64(pages.pageSize))
    }

    func register(_ group: RouterGroup<BasicRequestContext>) {
        group.get("/runs") { request, _ in
            try await Self.answer {
                let query = QueryParameters(request.uri.query, strict: true)
                let (page, size) = (try query.page(), try perPage(query))
                let (total, runs) = try await store.runs(offset: (page - 1) * size, limit: size)
                let counts = try await store.verdictCounts(runs: runs.map(\.id))
                return try Self.json(
                    RunList(
                        total: total, page: page, perPage: size,
                        runs: runs.map { RunJSON($0, summary: counts[$0.id] ?? VerdictSummary()) }))
            }
        }
        group.get("/runs/:id") { _, context in
            try await Self.answer {
                guard let run = try await store.run(try DashboardServer.runID(context)) else { return nil }
                let counts = try await store.verdictCounts(runs: [run.id])
                let units = try await store.unitCounts(run: run.id).map {
                    UnitJSON(province: $0.province, district: $0.district, commune: $0.commune, summary: $0.counts)
                }
                return try Self.json(
                    RunDetail(
                        run: RunJSON(run, summary: counts[run.id] ?? VerdictSummary()), units: units,
                        failures: try await store.failureCounts(run: run.id)))
            }
        }
        group.get("/runs/:id/portals") { request, context in
            try await Self.answer {
                let query = QueryParameters(request.uri.query, strict: true)
                var filter = try query.portalQuery()
                let (page, size) = (try query.page(), try perPage(query))
                guard let run = try await store.run(try DashboardServer.runID(context)) else { return nil }
                filter.offset = (page - 1) * size
                filter.limit = size
                let (total, rows) = try await store.portals(run: run.id, filter)
                return try Self.json(PortalList(runID: run.id, total: total, page: page, perPage: size, portals: rows))
            }
        }
        group.get("/portal") { request, _ in
            try await Self.answer {
                let query = QueryParameters(request.uri.query, strict: true)
                guard let url = query["url"], !url.isEmpty else {
                    throw HTTPError(.badRequest, message: "url: the portal's URL is required")
                }
                let run = try query.integer("run", in: 1...Int64.max)
                guard let view = try await pages.portalView(url: url, run: run, now: Date()) else { return nil }
                return try Self.json(
                    PortalDetail(
                        url: url, runID: view.run, history: view.history,
                        uptime: view.uptime.map { UptimeJSON(window: $0.label, percent: $0.percent) },
                        outages: view.outages.map { OutageJSON(start: $0.start, end: $0.end, cause: $0.cause) },
                        result: view.result, previousRunID: view.previous?.run))
            }
        }
        group.get("/rules") { request, _ in
            try await Self.answer { try await rules(QueryParameters(request.uri.query, strict: true)) }
        }
        group.get("/rules/:id") { request, context in
            try await Self.answer {
                let query = QueryParameters(request.uri.query, strict: true)
                let (page, size) = (try query.page(), try perPage(query))
                let requested = try query.integer("run", in: 1...Int64.max)
                guard let descriptor = RuleRegistry.rule(context.parameters.get("id") ?? "")?.descriptor,
                    let run = try await store.run(requested)
                else { return nil }
                let (total, rows) = try await store.portals(
                    run: run.id, PortalQuery(rule: descriptor.id, sort: .url, offset: (page - 1) * size, limit: size))
                return try Self.json(
                    RuleDetail(
                        rule: RuleJSON(
                            id: descriptor.id, area: descriptor.area.rawValue, title: descriptor.title, failing: total),
                        runID: run.id, total: total, page: page, perPage: size, portals: rows))
            }
        }
    }

    /// The catalogue with how many portals of the run (the latest by default) fail each rule.
    func rules(_ query: QueryParameters) async throws -> Response? {
        let requested = try query.integer("run", in: 1...Int64.max)
        let run = try await store.run(requested)
        if requested != nil && run == nil { return nil }
        let failures: [String: Int] = try await failureCounts(run)
        let rules = RuleRegistry.all.map { $0.descriptor }.map { descriptor in
            RuleJSON(
                id: descriptor.id, area: descriptor.area.rawValue, title: descriptor.title,
                failing: failures[descriptor.id] ?? 0)
        }
        return try Self.json(RuleList(runID: run?.id, rules: rules))
    }

    func failureCounts(_ run: RunSummary?) async throws -> [String: Int] {
        guard let run else { return [:] }
        return try await store.failureCounts(run: run.id)
    }
}
