import Foundation
import PortalAuditCore
import Synchronization

/// A document a portal links (PDF, DOCX, XLSX, ODT, ODS) read for personal data, every cost capped: the
/// format told by its first bytes, PDF text through poppler's `pdftotext` run as a child process under
/// `prlimit` (CPU, memory, file size, a wall-clock limit, no shell), Office and OpenDocument text through
/// their zipped XML (`ZipArchive`'s caps).
enum DocumentReader {
    /// What reading gave: the format, the rows of each page (one page for a zipped document), or why
    /// nothing was read; and the identifiers a black box covers but the text layer still holds.
    struct Outcome: Sendable {
        var format: DocumentFormat
        var pages: [[[String]]] = []
        var status: DocumentReadStatus
        var reason: String?
        var hidden = 0
    }

    /// What a document showed, without its text: the format, how reading went, its pages, its personal data
    /// counted and masked, the pages showing it, the identifiers under black boxes.
    struct Reading: Sendable {
        var format: DocumentFormat
        var status: DocumentReadStatus
        var reason: String?
        var pageCount: Int?
        var personal: PersonalDataFacts?
        var personalPages: [Int] = []
        var hidden = 0
    }

    /// Readings of the documents this process has read, by the SHA-256 of their bytes: a provincial
    /// document mirrored on a hundred commune sites is read once (what is kept holds no identifier).
    static let readings = Mutex<[String: Reading]>([:])
    static let readingsCap = 1_024

    /// `bytes` read (or its reading when the same bytes were read before in this process), its personal data
    /// counted page by page for a PDF.
    static func reading(_ bytes: [UInt8], seconds: Double, year: Int) async -> Reading {
        let digest = await ParseWorker.run { SHA256.hex(of: bytes) }
        if let known = readings.withLock({ $0[digest] }) { return known }
        let outcome = await read(bytes, seconds: seconds)
        var reading = Reading(
            format: outcome.format, status: outcome.status, reason: outcome.reason,
            pageCount: outcome.format == .pdf && outcome.status == .read ? outcome.pages.count : nil,
            hidden: outcome.hidden)
        if outcome.status == .read {
            let pages = outcome.pages
            let paged = outcome.format == .pdf
            let (whole, shown) = await ParseWorker.run {
                let whole = PersonalData.scan(rows: Array(pages.joined(separator: [[]])), year: year)
                let shown =
                    paged
                    ? pages.indices.filter { !PersonalData.scan(rows: pages[$0], year: year).isEmpty }.prefix(20)
                        .map { $0 + 1 } : []
                return (whole, shown)
            }
            reading.personal = whole.isEmpty ? nil : whole
            reading.personalPages = whole.isEmpty ? [] : Array(shown)
        }
        // A reading cut short by the time left to this site is not the document's: it is not kept.
        if outcome.status == .read || outcome.status == .noText || outcome.format != .pdf {
            readings.withLock { known in
                if known.count >= readingsCap { known.removeAll() }
                known[digest] = reading
            }
        }
        return reading
    }

    /// The format of `bytes` by its first bytes (a server's Content-Type and a link's extension are not
    /// trusted), the zip's parts telling DOCX from XLSX, ODT and ODS.
    static func sniff(_ bytes: [UInt8]) -> DocumentFormat {
        let head = bytes.prefix(1_024)
        if let at = head.firstRange(of: Array("%PDF-".utf8)), at.lowerBound < 1_024 { return .pdf }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .legacyOffice }
        if ZipArchive.looksLikeZip(head[...]), let archive = try? ZipArchive(bytes),
            let format = OfficeText.format(of: archive)
        {
            switch format {
            case .docx: return .docx
            case .xlsx: return .xlsx
            case .odt: return .odt
            case .ods: return .ods
            }
        }
        return .other
    }

    /// Reads `bytes` (already within the download cap) within `seconds`.
    static func read(_ bytes: [UInt8], seconds: Double) async -> Outcome {
        let format = sniff(bytes)
        switch format {
        case .pdf:
            return await ParseWorker.run { pdf(bytes, seconds: seconds) }
        case .docx, .xlsx, .odt, .ods:
            return await ParseWorker.run {
                do {
                    var archive = try ZipArchive(bytes)
                    guard let office = OfficeText.format(of: archive) else {
                        return Outcome(format: format, status: .unreadable, reason: "không nhận ra nội dung tệp nén")
                    }
                    return Outcome(
                        format: format, pages: [try OfficeText.rows(&archive, format: office)], status: .read)
                } catch let failure as ZipArchive.Failure {
                    return Outcome(format: format, status: .unreadable, reason: failure.description)
                } catch {
                    return Outcome(format: format, status: .unreadable, reason: "\(error)")
                }
            }
        case .legacyOffice:
            return Outcome(format: format, status: .unsupported, reason: "định dạng Office cũ (.doc, .xls)")
        case .other:
            return Outcome(
                format: format, status: .unsupported, reason: "không phải tài liệu PDF, Office hay OpenDocument")
        }
    }

    /// The limits `pdftotext` and `pdftoppm` run under: address space, CPU seconds, bytes written, files.
    static let limits = ["--as=\(768 << 20)", "--cpu=10", "--fsize=\(16 << 20)", "--nofile=64"]
    /// The pages of a PDF read at most.
    static let maxPages = 200

    static func pdf(_ bytes: [UInt8], seconds: Double) -> Outcome {
        guard let pdftotext = executable("pdftotext") else {
            return Outcome(
                format: .pdf, status: .unsupported,
                reason: "thiếu pdftotext (apt-get install poppler-utils)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "portal-audit-doc-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            return Outcome(format: .pdf, status: .unreadable, reason: "không tạo được thư mục tạm")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.pdf").path
        let output = folder.appendingPathComponent("out.txt").path
        guard FileManager.default.createFile(atPath: input, contents: Data(bytes)) else {
            return Outcome(format: .pdf, status: .unreadable, reason: "không ghi được tệp tạm")
        }
        let deadline = Date().addingTimeInterval(max(1, seconds))
        guard
            run(pdftotext, ["-layout", "-enc", "UTF-8", "-q", "-l", String(maxPages), input, output], until: deadline),
            let data = FileManager.default.contents(atPath: output)
        else {
            return Outcome(
                format: .pdf, status: .unreadable,
                reason: "pdftotext không đọc được tệp trong giới hạn thời gian và bộ nhớ")
        }
        let text = String(decoding: data, as: UTF8.self)
        var pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        // Each page ends with a form feed: the last "page" after it is empty.
        if pages.count > 1, pages.last?.isEmpty == true { pages.removeLast() }
        let printable = text.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
        // A scanned PDF holds images, no text layer: it is counted, never guessed at.
        guard printable >= 16 * pages.count else {
            return Outcome(format: .pdf, status: .noText, reason: "không có lớp văn bản (bản quét)")
        }
        var outcome = Outcome(format: .pdf, pages: pages.map(PersonalData.rows(text:)), status: .read)
        outcome.hidden = hiddenIdentifiers(input: input, pages: outcome.pages, folder: folder, until: deadline)
        return outcome
    }

    /// Identifiers whose words sit under a dark box on the rendered page (a "blacked-out" list whose text
    /// layer still holds the numbers): for the first three pages showing identifiers, each word of 9–12
    /// digits located by `pdftotext -bbox`, its box's mean grey read from a 36 dpi `pdftoppm` rendering.
    static func hiddenIdentifiers(input: String, pages: [[[String]]], folder: URL, until deadline: Date) -> Int {
        guard let pdftotext = executable("pdftotext"), let pdftoppm = executable("pdftoppm") else { return 0 }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let shown = pages.indices.filter { PersonalData.scan(rows: pages[$0], year: year).ids > 0 }
        var hidden = 0
        for index in shown.prefix(3) where Date() < deadline {
            let page = String(index + 1)
            let boxes = folder.appendingPathComponent("bbox-\(page).html").path
            let image = folder.appendingPathComponent("page-\(page)").path
            guard run(pdftotext, ["-bbox", "-q", "-f", page, "-l", page, input, boxes], until: deadline),
                run(
                    pdftoppm, ["-gray", "-r", "36", "-q", "-f", page, "-l", page, "-singlefile", input, image],
                    until: deadline),
                let words = FileManager.default.contents(atPath: boxes),
                let pixels = FileManager.default.contents(atPath: image + ".pgm"),
                let raster = Greymap([UInt8](pixels))
            else { continue }
            for word in PDFWords.numbers(in: [UInt8](words), year: year) where raster.mean(word, dpi: 36) < 64 {
                hidden += 1
            }
        }
        return hidden
    }

    /// The path of `name` on `PATH`, if installed.
    static func executable(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return path.map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile)
    }

    /// Runs `tool arguments` under `prlimit` (no shell), killed at `deadline`: whether it exited 0.
    static func run(_ tool: String, _ arguments: [String], until deadline: Date) -> Bool {
        let process = Process()
        if let prlimit = executable("prlimit") {
            process.executableURL = URL(fileURLWithPath: prlimit)
            process.arguments = limits + ["--", tool] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return process.terminationStatus == 0
    }
}

/// The words of `pdftotext -bbox` output that are identifiers (12 digits valid by structure, or 9 digits),
/// with their boxes in points.
enum PDFWords {
    struct Word: Equatable {
        var xMin, yMin, xMax, yMax: Double
    }

    static func numbers(in html: [UInt8], year: Int) -> [Word] {
        var out: [Word] = []
        var i = 0
        let open = Array("<word ".utf8)
        while i < html.count, out.count < 500 {
            guard let start = html[i...].firstRange(of: open) else { break }
            guard let close = html[start.upperBound...].firstIndex(of: UInt8(ascii: ">")),
                let end = html[close...].firstRange(of: Array("</word>".utf8))
            else { break }
            let attributes = String(decoding: html[start.upperBound..<close], as: UTF8.self)
            let text = html[(close + 1)..<end.lowerBound].filter { $0 >= 48 && $0 <= 57 }
            i = end.upperBound
            let digits = String(decoding: text, as: UTF8.self)
            guard digits.count == 9 || PersonalData.isPersonalID(digits, year: year) else { continue }
            func value(_ key: String) -> Double? {
                guard let range = attributes.range(of: key + "=\"") else { return nil }
                return Double(attributes[range.upperBound...].prefix { $0 != "\"" })
            }
            if let xMin = value("xMin"), let yMin = value("yMin"), let xMax = value("xMax"), let yMax = value("yMax") {
                out.append(Word(xMin: xMin, yMin: yMin, xMax: xMax, yMax: yMax))
            }
        }
        return out
    }
}

/// A binary PGM (P5, 8-bit) image, as `pdftoppm -gray` writes it.
struct Greymap {
    var width: Int
    var height: Int
    var pixels: ArraySlice<UInt8>

    init?(_ bytes: [UInt8]) {
        // "P5" whitespace width whitespace height whitespace maxval one-whitespace data.
        var fields: [Int] = []
        var i = 2
        guard bytes.starts(with: Array("P5".utf8)) else { return nil }
        while fields.count < 3, i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 {
                i += 1
            }
            var value = 0
            var seen = false
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57, value < 1 << 20 {
                value = value * 10 + Int(bytes[i]) - 48
                seen = true
                i += 1
            }
            guard seen else { return nil }
            fields.append(value)
        }
        guard fields.count == 3, fields[2] == 255, i < bytes.count else { return nil }
        width = fields[0]
        height = fields[1]
        pixels = bytes[(i + 1)...]
        guard pixels.count >= width * height else { return nil }
    }

    /// The mean grey (0 black, 255 white) of the box of `word` (points) at `dpi`.
    func mean(_ word: PDFWords.Word, dpi: Double) -> Double {
        let scale = dpi / 72
        let x0 = max(0, Int(word.xMin * scale)), x1 = min(width, Int((word.xMax * scale).rounded(.up)))
        let y0 = max(0, Int(word.yMin * scale)), y1 = min(height, Int((word.yMax * scale).rounded(.up)))
        guard x1 > x0, y1 > y0 else { return 255 }
        var sum = 0
        let base = pixels.startIndex
        for y in y0..<y1 {
            for x in x0..<x1 { sum += Int(pixels[base + y * width + x]) }
        }
        return Double(sum) / Double((x1 - x0) * (y1 - y0))
    }
}
