import CLibPQ
import Foundation
import PortalAuditStore
import Synchronization

/// One libpq connection. Used from one thread at a time (its slot's queue): libpq's calls block, and they
/// block that thread only, never Swift's cooperative pool, so a slow database does not stall the probes.
final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects with libpq's own settings: `keywords`/`values` hold the caller's defaults first, then
    /// `dbname` (the address, expanded by libpq), then what overrides the address (a password file).
    init(keywords: [String], values: [String]) throws(PostgresFailure) {
        let cKeywords = keywords.map { strdup($0) }
        let cValues = values.map { strdup($0) }
        defer {
            cKeywords.forEach { free($0) }
            cValues.forEach { free($0) }
        }
        let keywordPointers = cKeywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = cValues.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresFailure(message: "libpq could not allocate a connection", transient: false)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let failure = PostgresFailure(connecting: handle)
            PQfinish(handle)
            throw failure
        }
        self.handle = handle
        // The server's notices ("relation … already exists, skipping") are not the user's business.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // The forms the rows are read in, whatever the server's or the role's defaults.
        _ = try run("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET bytea_output = 'hex'", [])
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is still usable (a restart of the server breaks it).
    var isUsable: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's version as a number (150018 for 15.18).
    var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Whether the connection is encrypted.
    var usesTLS: Bool { PQsslInUse(handle) == 1 }

    /// The settings libpq used (defaults, environment, service file and address resolved).
    var settings: [String: String] {
        var out: [String: String] = [:]
        guard let options = PQconninfo(handle) else { return out }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { out[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        out["password"] = nil
        return out
    }

    /// Runs one statement (`?` placeholders already numbered) and returns its rows.
    func run(_ sql: String, _ arguments: [SQLValue]) throws(PostgresFailure) -> [SQLRow] {
        var types: [Oid] = []
        var formats: [Int32] = []
        var lengths: [Int32] = []
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        defer { buffers.forEach { free($0) } }
        for argument in arguments {
            let (type, bytes, binary) = Self.encode(argument)
            types.append(type)
            formats.append(binary ? 1 : 0)
            guard let bytes else {
                lengths.append(0)
                buffers.append(nil)
                continue
            }
            // malloc'd, as `free` above lets go of it; NUL-terminated for the values sent as text.
            let raw: UnsafeMutableRawPointer = malloc(bytes.count + 1)
            bytes.withUnsafeBytes { source in
                if let base = source.baseAddress { raw.copyMemory(from: base, byteCount: source.count) }
            }
            let buffer = raw.bindMemory(to: CChar.self, capacity: bytes.count + 1)
            buffer[bytes.count] = 0
            lengths.append(Int32(bytes.count))
            buffers.append(buffer)
        }
        let pointers = buffers.map { $0.map { UnsafePointer($0) } }
        let result: OpaquePointer? =
            arguments.isEmpty
            ? PQexec(handle, sql)
            : PQexecParams(handle, sql, Int32(arguments.count), types, pointers, lengths, formats, 0)
        guard let result else { throw PostgresFailure(connection: handle) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: return []
        case PGRES_TUPLES_OK: return Self.rows(result)
        default: throw PostgresFailure(result: result, connection: handle)
        }
    }

    // MARK: values

    private static let int8: Oid = 20
    private static let float8: Oid = 701
    private static let text: Oid = 25
    private static let bytea: Oid = 17
    private static let timestamptz: Oid = 1184
    private static let bool: Oid = 16

    /// A value as libpq sends it: its type, its bytes (`nil` for NULL), and whether they are binary.
    static func encode(_ value: SQLValue) -> (Oid, [UInt8]?, Bool) {
        switch value {
        case .null: return (0, nil, false)
        case .integer(let integer): return (int8, Array(String(integer).utf8), false)
        case .real(let real):
            let text = real.isNaN ? "NaN" : real.isInfinite ? (real < 0 ? "-Infinity" : "Infinity") : "\(real)"
            return (float8, Array(text.utf8), false)
        case .text(let string): return (text, Array(string.utf8), false)
        case .blob(let data): return (bytea, Array(data), true)
        case .date(let date): return (timestamptz, Array(Moment.text(date).utf8), false)
        case .bool(let flag): return (bool, Array((flag ? "true" : "false").utf8), false)
        }
    }

    private static func rows(_ result: OpaquePointer) -> [SQLRow] {
        let columns = Int32(PQnfields(result))
        let names = (0..<columns).map { String(cString: PQfname(result, $0)) }
        let types = (0..<columns).map { PQftype(result, $0) }
        return (0..<PQntuples(result)).map { row in
            let values = (0..<columns).map { column -> SQLValue in
                guard PQgetisnull(result, row, column) == 0, let cell = PQgetvalue(result, row, column) else {
                    return .null
                }
                let count = Int(PQgetlength(result, row, column))
                let bytes = UnsafeBufferPointer(
                    start: UnsafeRawPointer(cell).assumingMemoryBound(to: UInt8.self), count: count)
                return decode(bytes, type: types[Int(column)])
            }
            return SQLRow(names: names, values: values, parseDate: { _ in nil })
        }
    }

    /// A cell in text form, by its column's type (every type the schema uses).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, type: Oid) -> SQLValue {
        let text = String(decoding: bytes, as: UTF8.self)
        switch type {
        case 20, 21, 23: return Int64(text).map { .integer($0) } ?? .null
        case 700, 701, 1700: return Double(text).map { .real($0) } ?? .null
        case 16: return .bool(text == "t")
        case 17: return Hex.bytea(bytes).map { .blob($0) } ?? .null
        case 1114, 1184: return Moment.parse(text).map { .date($0) } ?? .null
        default: return .text(text)
        }
    }
}

/// `bytea` in PostgreSQL's hex output (`\x0a1b…`).
enum Hex {
    static func bytea(_ bytes: UnsafeBufferPointer<UInt8>) -> Data? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0
        else { return nil }
        var data = Data(capacity: (bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A moment as PostgreSQL reads and writes it in the session's ISO form, in UTC, to the microsecond.
enum Moment {
    /// `2026-12-06 08:15:00.123456+00`, rounded to the microsecond (a time read from SQLite, in
    /// milliseconds, must come back the same).
    static func text(_ date: Date) -> String {
        let sinceEpoch = date.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800))
        let micros = Int64((sinceEpoch * 1_000_000).rounded()) + 946_684_800 * 1_000_000
        var seconds = time_t(micros.quotientFloor(1_000_000))
        let fraction = micros - Int64(seconds) * 1_000_000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: some BinaryInteger, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        // Year 0 and before are written as PostgreSQL reads them: 1 BC, 2 BC, … (`Date.distantPast` is 1 AD).
        let year = Int(parts.tm_year) + 1900
        let era = year <= 0 ? " BC" : ""
        return "\(padded(year <= 0 ? 1 - year : year, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2)) "
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(fraction, 6))+00\(era)"
    }

    /// Reads `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]` (the offset `+00` under `TimeZone = 'UTC'`).
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<from + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if digits < 6 { micros = micros * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = number(index + 1, 2) else { return nil }
            let minutes =
                index + 3 < bytes.count && bytes[index + 3] == UInt8(ascii: ":") ? number(index + 4, 2) ?? 0 : 0
            offset = sign * (hours * 3600 + minutes * 60)
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        if text.hasSuffix(" BC") { parts.tm_year = Int32(1 - year - 1900) }
        // From microseconds since PostgreSQL's epoch (2000-01-01), as its binary form is read: a moment
        // written and read back is the same `Date`, to the last bit.
        let seconds = Int64(timegm(&parts)) - Int64(offset) - 946_684_800
        return Date(
            timeIntervalSinceReferenceDate: -31_622_400 + Double(seconds * 1_000_000 + Int64(micros)) / 1_000_000)
    }
}

extension Int64 {
    fileprivate func quotientFloor(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}

/// A PostgreSQL failure said in full, and whether waiting can cure it (the server away or restarting).
public struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The server's SQLSTATE, when the server answered.
    public var sqlState: String?
    /// A failure that waiting can cure: no connection, a connection lost, the server shutting down or starting.
    public var isTransient: Bool

    init(message: String, transient: Bool) {
        description = message
        sqlState = nil
        isTransient = transient
    }

    /// A connection that could not be made: libpq's words, with what to do about the common causes.
    init(connecting handle: OpaquePointer) {
        var text = Self.message(handle)
        var transient = true
        if PQconnectionNeedsPassword(handle) == 1 {
            text += " — the server asks for a password: set PGPASSWORD, --db-password-file or ~/.pgpass"
            transient = false
        } else if text.contains("password authentication failed") || text.contains("authentication failed") {
            text += " — the password was refused: check the user and PGPASSWORD, --db-password-file or ~/.pgpass"
            transient = false
        } else if text.contains("certificate") || text.contains("SSL") || text.contains("sslmode") {
            text += " — TLS to the database failed (sslmode, sslrootcert=FILE names the CA to trust)"
            transient = false
        } else if text.contains("does not exist") || text.contains("no pg_hba.conf entry") {
            transient = false
        }
        self.init(message: "cannot connect to PostgreSQL: \(text)", transient: transient)
    }

    /// A statement that got no result: the connection is gone.
    init(connection handle: OpaquePointer) {
        self.init(message: "PostgreSQL: \(Self.message(handle))", transient: PQstatus(handle) != CONNECTION_OK)
    }

    /// A statement the server refused.
    init(result: OpaquePointer, connection handle: OpaquePointer) {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) }
        }
        let state = field("C")
        var text = "PostgreSQL: \(field("M") ?? Self.message(handle))"
        if let state { text += " (SQLSTATE \(state))" }
        if let detail = field("D") { text += ": \(detail)" }
        if state == "53100" { text += " — the database server's disk is full: free space there, then resume" }
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection exceptions.
        let transient =
            PQstatus(handle) != CONNECTION_OK || (state.map { $0.hasPrefix("57P") || $0.hasPrefix("08") } ?? false)
        self.init(message: text, transient: transient)
        sqlState = state
    }

    private static func message(_ handle: OpaquePointer) -> String {
        guard let raw = PQerrorMessage(handle) else { return "unknown error" }
        return String(cString: raw).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// The connections of one history: at most `capacity`, each with its own serial queue (so at most that
/// many threads ever block in libpq), opened when first needed and opened again when the server dropped
/// them.
final class ConnectionPool: Sendable {
    final class Slot: @unchecked Sendable {
        let queue: DispatchQueue
        /// Touched only on `queue`.
        var connection: PostgresConnection?

        init(_ index: Int) { queue = DispatchQueue(label: "portal-audit.postgres.\(index)") }
    }

    private struct State {
        var idle: [Slot]
        var waiting: [CheckedContinuation<Slot, Never>] = []
    }

    private let state: Mutex<State>
    private let slots: [Slot]
    private let open: @Sendable () throws(PostgresFailure) -> PostgresConnection

    init(capacity: Int, open: @escaping @Sendable () throws(PostgresFailure) -> PostgresConnection) {
        slots = (0..<max(1, capacity)).map(Slot.init)
        state = Mutex(State(idle: slots))
        self.open = open
    }

    /// Runs `body` on a connection of its own, off Swift's cooperative threads.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let slot = await acquire()
        defer { release(slot) }
        let open = self.open
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                continuation.resume(
                    with: Result {
                        let connection: PostgresConnection
                        if let current = slot.connection, current.isUsable {
                            connection = current
                        } else {
                            slot.connection = nil
                            connection = try open()
                            slot.connection = connection
                        }
                        return try body(connection)
                    })
            }
        }
    }

    private func acquire() async -> Slot {
        await withCheckedContinuation { continuation in
            let slot = state.withLock { state -> Slot? in
                if let slot = state.idle.popLast() { return slot }
                state.waiting.append(continuation)
                return nil
            }
            if let slot { continuation.resume(returning: slot) }
        }
    }

    private func release(_ slot: Slot) {
        let waiter = state.withLock { state -> CheckedContinuation<Slot, Never>? in
            if state.waiting.isEmpty {
                state.idle.append(slot)
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.resume(returning: slot)
    }

    /// Closes every connection (waiting for the work on each to end).
    func close() async {
        for slot in slots {
            await withCheckedContinuation { continuation in
                slot.queue.async {
                    slot.connection = nil
                    continuation.resume()
                }
            }
        }
    }
}
