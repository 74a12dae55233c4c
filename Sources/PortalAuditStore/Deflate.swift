import CZlib
import Foundation

/// zlib compression of the history's blobs. A blob is one format byte, the 4-byte big-endian length of
/// the original, then the deflate stream. Format 2 deflates against `HistoryDictionary.v2`, which turns
/// a 14 KiB result into about 0.5 KiB (1.8 KiB with format 1's dictionary, still read).
enum Deflate {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    enum Format: UInt8 {
        /// zlib with the preset dictionary `HistoryDictionary.v1` (blobs written before 2026-12-06).
        case dictionaryV1 = 1
        /// zlib with the preset dictionary `HistoryDictionary.v2`.
        case dictionaryV2 = 2

        var dictionary: [UInt8] {
            switch self {
            case .dictionaryV1: HistoryDictionary.v1
            case .dictionaryV2: HistoryDictionary.v2
            }
        }
    }

    /// The largest blob the history inflates: a stored result is a few KiB; anything larger is damage.
    static let inflateLimit = 16 << 20

    static func compress(_ data: Data, format: Format = .dictionaryV2) throws(Failure) -> Data {
        var stream = z_stream()
        guard deflateInit_(&stream, Z_BEST_COMPRESSION, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw Failure(description: "zlib deflateInit failed")
        }
        defer { deflateEnd(&stream) }
        let dictionary = format.dictionary
        let set = dictionary.withUnsafeBufferPointer { deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
        guard set == Z_OK else { throw Failure(description: "zlib deflateSetDictionary failed (\(set))") }
        let input = [UInt8](data)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib deflate failed (\(status))") }
        let length = UInt32(input.count)
        var blob = Data([
            format.rawValue, UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff),
            UInt8(length & 0xff),
        ])
        blob.append(contentsOf: output.prefix(Int(stream.total_out)))
        return blob
    }

    static func decompress(_ blob: Data) throws(Failure) -> Data {
        let bytes = [UInt8](blob)
        guard bytes.count >= 5, let format = Format(rawValue: bytes[0]) else {
            throw Failure(description: "not a history blob (unknown format \(bytes.first.map(String.init) ?? "-"))")
        }
        let length = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
        guard length <= inflateLimit else { throw Failure(description: "blob claims \(length) bytes") }
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(length, 1))
        let dictionary = format.dictionary
        let status = bytes.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + 5)
                stream.avail_in = uInt(source.count - 5)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                var status = inflate(&stream, Z_FINISH)
                if status == Z_NEED_DICT {
                    let set = dictionary.withUnsafeBufferPointer {
                        inflateSetDictionary(&stream, $0.baseAddress, uInt($0.count))
                    }
                    guard set == Z_OK else { return set }
                    status = inflate(&stream, Z_FINISH)
                }
                return status
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == length else {
            throw Failure(description: "zlib inflate failed (\(status))")
        }
        return Data(output.prefix(length))
    }
}
