import CZlib

/// A zip archive (an Office or OpenDocument file) read from memory with every cost capped: the central
/// directory's entries, each entry's inflated size, the inflated bytes over the whole archive, and the ratio
/// of inflated to stored bytes. A zip bomb stops at its caps; nothing is trusted from a header that the
/// inflated bytes do not confirm.
public struct ZipArchive: Sendable {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        var method: Int
        var storedSize: Int
        var localHeader: Int
    }

    /// The caps: at most `entries` entries listed, `entryBytes` inflated from one entry, `totalBytes` over the
    /// archive, and `ratio` times an entry's stored bytes (XML compresses 5–20 times; a bomb, thousands).
    public struct Caps: Sendable {
        public var entries = 4_096
        public var entryBytes = 32 << 20
        public var totalBytes = 64 << 20
        public var ratio = 200

        public init() {}
    }

    public let entries: [Entry]
    private let bytes: [UInt8]
    private let caps: Caps
    /// Bytes inflated so far, against `caps.totalBytes`.
    private var inflated = 0

    /// Whether `bytes` open like a zip archive (a local file header).
    public static func looksLikeZip(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    public init(_ bytes: [UInt8], caps: Caps = Caps()) throws(Failure) {
        self.bytes = bytes
        self.caps = caps
        // The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
        let floor = max(0, bytes.count - (65_535 + 22))
        var end = bytes.count - 22
        while end >= floor
            && !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 5 && bytes[end + 3] == 6)
        {
            end -= 1
        }
        guard end >= floor, end >= 0 else { throw Failure(description: "no zip directory (truncated or damaged)") }
        let count = Self.u16(bytes, end + 10)
        let directory = Self.u32(bytes, end + 16)
        guard count <= caps.entries else {
            throw Failure(description: "\(count) entries in the archive (at most \(caps.entries) are read)")
        }
        var entries: [Entry] = []
        var at = directory
        for _ in 0..<count {
            guard at + 46 <= bytes.count, Self.u32(bytes, at) == 0x0201_4B50 else {
                throw Failure(description: "damaged zip directory")
            }
            let nameLength = Self.u16(bytes, at + 28)
            let extra = Self.u16(bytes, at + 30)
            let comment = Self.u16(bytes, at + 32)
            guard at + 46 + nameLength <= bytes.count else { throw Failure(description: "damaged zip directory") }
            entries.append(
                Entry(
                    name: String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                    method: Self.u16(bytes, at + 10), storedSize: Self.u32(bytes, at + 20),
                    localHeader: Self.u32(bytes, at + 42)))
            at += 46 + nameLength + extra + comment
        }
        self.entries = entries
    }

    /// The inflated bytes of the entry named `name` (`nil`: no such entry), within the caps.
    public mutating func read(_ name: String) throws(Failure) -> [UInt8]? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        let at = entry.localHeader
        guard at + 30 <= bytes.count, Self.u32(bytes, at) == 0x0403_4B50 else {
            throw Failure(description: "damaged entry \(name)")
        }
        let start = at + 30 + Self.u16(bytes, at + 26) + Self.u16(bytes, at + 28)
        guard start <= bytes.count else { throw Failure(description: "damaged entry \(name)") }
        let stored = bytes[start..<min(bytes.count, start + entry.storedSize)]
        let limit = min(
            caps.entryBytes, caps.totalBytes - inflated,
            max(1 << 16, stored.count.multipliedReportingOverflow(by: caps.ratio).partialValue))
        let out: [UInt8]
        switch entry.method {
        case 0:
            guard stored.count <= limit else { throw Failure(description: "\(name) is larger than its caps") }
            out = Array(stored)
        case 8: out = try Self.inflateRaw(stored, limit: limit, name: name)
        default: throw Failure(description: "\(name): compression method \(entry.method) is not read")
        }
        inflated += out.count
        return out
    }

    /// A raw deflate stream inflated into at most `limit` bytes: more is a bomb or damage, and an error.
    static func inflateRaw(_ input: ArraySlice<UInt8>, limit: Int, name: String) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let input = Array(input)
        var status = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                out.append(contentsOf: chunk.prefix(produced))
                if produced == 0 && status == Z_OK && stream.avail_in == 0 { status = Z_BUF_ERROR }
            } while status == Z_OK && out.count <= limit
        }
        if out.count > limit {
            throw Failure(description: "\(name) inflates past \(limit >> 10) KiB (a zip bomb or an oversized part)")
        }
        guard status == Z_STREAM_END else { throw Failure(description: "\(name): damaged deflate data (\(status))") }
        return out
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> Int {
        at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : 0
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> Int {
        at + 4 <= bytes.count
            ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 : 0
    }
}
