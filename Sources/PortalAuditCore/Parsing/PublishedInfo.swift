import Foundation

/// What a state agency's portal must show about who runs it (Luật Tiếp cận thông tin Điều 19.1; NĐ 224/2026
/// Điều 9; TT 32/2017 Điều 16), read where a portal states it: the home page's footer, and its contact page.
/// An article's text is not read: a news story quoting somebody's phone is not the portal's contact.
///
/// Each item needs its value, not only its label: a form's "Điện thoại" field, an "Email" heading or a
/// phone number of a purchased template's country is no contact. One pass over each block of text, no
/// regular expression; the region is capped by the HTML scanner.
public enum MandatoryInfo {
    /// Items the law asks for; their absence fails `content.mandatory-info`.
    public static let required = ["agency", "address", "phone", "email"]
    /// Items recommended: the person responsible (TT 32/2017, force unverified), the information contact point
    /// (đầu mối cung cấp thông tin, Luật TCTT Đ19.1) and the list of information to be published (Đ19.1.g).
    public static let recommended = ["responsible", "info-contact-point", "disclosure-list"]

    /// Where an item was found.
    public enum Place: String, Sendable, Codable {
        /// The home page's footer (a `<footer>`, an element whose id or class names a footer, or, when the page
        /// marks none, the end of the page).
        case footer
        /// The page the home page links as "Liên hệ" (contact).
        case contactPage = "contact-page"
        /// Anywhere on the home page (only the list of information to be published: a menu link).
        case page
    }

    /// One item found: which, where, and the words that showed it (a label, never the value: no personal
    /// data is kept).
    public struct Found: Sendable, Equatable, Codable {
        public var item: String
        public var place: Place
        public var label: String

        public init(item: String, place: Place, label: String) {
            self.item = item
            self.place = place
            self.label = label
        }
    }

    /// The region of a home page where it states who runs it: the elements it marks as its footer, or the
    /// last 24 KiB of the page when it marks none.
    public static func footer(of body: ArraySlice<UInt8>) -> [UInt8] {
        let marked = HTMLScanner.elements(in: body, maxElements: 24, maxBytes: 64 << 10) { name, attributes in
            if name == "footer" || name == "address" { return true }
            let names = ((attributes["id"] ?? "") + " " + (attributes["class"] ?? "")).lowercased()
            return regionNames.contains { names.contains($0) }
        }
        if marked.isEmpty { return Array(body.suffix(24 << 10)) }
        var out: [UInt8] = []
        for element in marked where out.count < 256 << 10 {
            out += Array("<div>".utf8) + element.content + Array("</div>".utf8)
        }
        return out
    }

    /// The items `html` shows, read as the `place` it is.
    public static func read(_ html: ArraySlice<UInt8>, place: Place) -> [Found] {
        // A footer or a contact page states its items in its first 64 KiB of text and 500 blocks.
        let text = HTMLScanner.visibleText(html, limit: 64 << 10, blockBreaks: true)
        let blocks = text.split(separator: "\n").prefix(500).map(Block.init)
        var found: [String: Found] = [:]
        func note(_ item: String, _ label: String) {
            if found[item] == nil { found[item] = Found(item: item, place: place, label: label) }
        }
        let links = HTMLScanner.tags(named: "a", in: html, maxTags: 512)
        for (index, block) in blocks.enumerated() {
            if let label = agency(block) { note("agency", label) }
            if let label = address(block) { note("address", label) }
            // A bare number counts in a footer (icons stand for labels there); a longer page's needs its label.
            let phoneLabel = block.label(phoneLabels)
            if phoneLabel != nil || place == .footer, !PhoneNumbers.find(in: block.text).isEmpty {
                note("phone", phoneLabel ?? "số điện thoại")
            }
            if EmailAddresses.find(in: block.text).contains(where: EmailAddresses.isAgencyLike) {
                note("email", block.label(emailLabels) ?? "địa chỉ thư điện tử")
            }
            if let label = responsible(block) { note("responsible", label) }
            if let label = block.label(contactPointLabels) {
                let next = index + 1 < blocks.count ? blocks[index + 1].text : ""
                let value = block.text + " " + next
                if !PhoneNumbers.find(in: value).isEmpty || !EmailAddresses.find(in: value).isEmpty {
                    note("info-contact-point", label)
                }
            }
            if let label = block.label(disclosureLabels) { note("disclosure-list", label) }
        }
        // Links: `tel:` and `mailto:` targets, and addresses Cloudflare hides (`data-cfemail`, `#…` after
        // `/cdn-cgi/l/email-protection`).
        for link in links {
            let href = link["href"] ?? ""
            let lower = href.lowercased()
            if lower.hasPrefix("tel:"), !PhoneNumbers.find(in: String(href.dropFirst(4))).isEmpty {
                note("phone", "tel:")
            }
            if lower.hasPrefix("mailto:"), EmailAddresses.find(in: href).contains(where: EmailAddresses.isAgencyLike) {
                note("email", "mailto:")
            }
            if let hash = lower.range(of: "/cdn-cgi/l/email-protection#"),
                let decoded = EmailAddresses.cloudflare(String(lower[hash.upperBound...])),
                EmailAddresses.isAgencyLike(decoded)
            {
                note("email", "email-protection")
            }
        }
        for span in HTMLScanner.tags(named: "span", in: html, maxTags: 256) {
            if let hex = span["data-cfemail"], let decoded = EmailAddresses.cloudflare(hex),
                EmailAddresses.isAgencyLike(decoded)
            {
                note("email", "email-protection")
            }
        }
        let order = required + recommended
        return order.compactMap { found[$0] }
    }

    /// The items a home page and its contact page show together, the footer's first; `page`: the whole home
    /// page (for the list of information to be published, a menu link).
    public static func check(footer: [UInt8], contactPage: [UInt8]? = nil, page: ArraySlice<UInt8>? = nil)
        -> (found: [Found], missing: [String])
    {
        var found = read(footer[...], place: .footer)
        if let contactPage {
            for item in read(contactPage[...], place: .contactPage)
            where !found.contains(where: { $0.item == item.item }) {
                found.append(item)
            }
        }
        // The list of information to be published: a link anywhere on the page (its menu), looked for in the
        // page's folded text.
        if let page, !found.contains(where: { $0.item == "disclosure-list" }) {
            let folded = PageText.foldedBytes(HTMLScanner.visibleText(page, limit: 256 << 10))[...]
            if let label = disclosureLabels.first(where: {
                HTMLScanner.find(Array($0.utf8), in: folded, from: folded.startIndex, caseInsensitive: false) != nil
            }) {
                found.append(Found(item: "disclosure-list", place: .page, label: disclosureNames[label] ?? label))
            }
        }
        let ids = Set(found.map(\.item))
        return (found, (required + recommended).filter { !ids.contains($0) })
    }

    /// The target of the home page's "Liên hệ" (contact) link: the first link whose text is a contact
    /// heading of at most five words.
    public static func contactLink(in body: ArraySlice<UInt8>) -> String? {
        for anchor in HTMLScanner.elements(in: body, maxElements: 512, maxBytes: 512, where: { name, _ in name == "a" })
        {
            let text = PageText.folded(HTMLScanner.visibleText(anchor.content)).lowercased()
            let words = text.split(whereSeparator: { !$0.isLetter }).map(String.init)
            guard (1...5).contains(words.count), let href = anchor.attributes["href"], !href.hasPrefix("#") else {
                continue
            }
            let phrase = words.joined(separator: " ")
            if phrase.hasPrefix("lien he") || phrase.hasPrefix("thong tin lien he") || phrase.hasPrefix("contact") {
                return href
            }
        }
        return nil
    }

    // MARK: - Blocks and labels

    /// A line of text (a block of the page): as written, lower-cased, and folded.
    struct Block {
        var text: String
        var lower: String
        /// The text folded (`PageText.foldedBytes`: one character per character), as bytes to search.
        var folded: [UInt8]
        /// The lower-cased words between single spaces, a space at each end (`" số 7 đường a "`).
        var words: String

        init(_ line: Substring) {
            text = String(line.prefix(1_000))
            lower = text.lowercased().replacingOccurrences(of: "uỷ", with: "ủy")
            folded = PageText.foldedBytes(lower)
            words = Self.words(of: lower)
        }

        static func words(of text: String) -> String {
            " " + text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ") + " "
        }

        /// Where `label` (folded) is in the block, in characters (a folded character's first byte each).
        func find(_ label: String) -> Range<Int>? {
            let needle = Array(label.utf8)
            guard let at = HTMLScanner.find(needle, in: folded[...], from: 0, caseInsensitive: false) else {
                return nil
            }
            let start = folded[..<at].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            return start..<(start + needle.count)
        }

        /// The first of `labels` (folded) the block holds, as the block writes it.
        func label(_ labels: [String]) -> String? {
            for label in labels {
                if let range = find(label) { return original(range) }
            }
            return nil
        }

        /// The text's characters at `range` (character offsets).
        func original(_ range: Range<Int>) -> String {
            guard let from = text.index(text.startIndex, offsetBy: range.lowerBound, limitedBy: text.endIndex),
                let to = text.index(from, offsetBy: range.count, limitedBy: text.endIndex)
            else { return "" }
            return String(text[from..<to])
        }

        /// What follows the first of `labels` in the block, after a colon within 40 characters when there is one.
        func value(after labels: [String]) -> (label: String, value: Substring)? {
            for label in labels {
                guard let range = find(label),
                    let start = text.index(text.startIndex, offsetBy: range.upperBound, limitedBy: text.endIndex)
                else { continue }
                var rest = text[start...]
                if let colon = rest.prefix(40).firstIndex(of: ":") { rest = rest[rest.index(after: colon)...] }
                return (original(range), rest.drop { $0 == " " || $0 == "*" || $0 == "(" || $0 == ")" })
            }
            return nil
        }
    }

    /// Ids and classes of the elements where a portal states who runs it: its footer, its copyright line, its
    /// contact block.
    static let regionNames = [
        "footer", "copyright", "ban-quyen", "banquyen", "contact", "address", "lienhe", "lien-he", "lien_he",
    ]
    static let agencyLabels = [
        "co quan chu quan", "don vi chu quan", "co quan quan ly", "chu quan:", "ban quyen thuoc", "ban quyen cua",
        "ban quyen noi dung thuoc",
    ]
    /// Words a body's name starts with (lower case, with diacritics: `sở` is no `số`).
    static let bodies = [
        "ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "sở", "bộ", "cục", "tổng cục", "chi cục", "trung tâm",
        "văn phòng", "ban quản lý", "tỉnh ủy", "huyện ủy", "thành ủy", "đảng ủy", "công an", "viện kiểm sát",
        "vksnd", "tòa án", "ủy ban",
    ]
    /// What may stand before a body's name at the head of a footer (`© CỔNG THÔNG TIN ĐIỆN TỬ SỞ …`).
    static let namePrefixes = [
        "©", "®", "(c)", "-", "–", "bản quyền", "cổng thông tin điện tử", "trang thông tin điện tử",
        "cổng thông tin", "trang tin điện tử",
    ]
    static let addressLabels = ["dia chi lien he", "dia chi", "tru so"]
    /// An address label that names something else (`Địa chỉ thư điện tử`, `Địa chỉ email`).
    static let notAddress = [
        "dia chi thu dien tu", "dia chi email", "dia chi e-mail", "dia chi website", "dia chi trang",
    ]
    static let addressWords = [
        "đường", "phố", "phường", "xã", "quận", "huyện", "tỉnh", "thành phố", "tp", "thị trấn", "thị xã", "thôn",
        "ấp", "khu phố", "tổ",
    ]
    static let phoneLabels = ["so dien thoai", "dien thoai", "duong day nong", "hotline", "dt:", "tel", "fax"]
    static let emailLabels = ["thu dien tu", "hom thu", "e-mail", "email"]
    static let responsibleLabels = [
        "nguoi chiu trach nhiem", "chiu trach nhiem", "truong ban ban bien tap", "truong ban bien tap",
        "tong bien tap", "tong giam doc",
    ]
    static let contactPointLabels = [
        "dau moi cung cap thong tin", "dau moi tiep nhan yeu cau cung cap thong tin", "bo phan cung cap thong tin",
        "dau moi tiep can thong tin",
    ]
    /// The disclosure labels as a reader writes them (the page's own words are not kept: it is read folded).
    static let disclosureNames = [
        "danh muc thong tin phai duoc cong khai": "Danh mục thông tin phải được công khai",
        "danh muc thong tin phai cong khai": "Danh mục thông tin phải công khai",
        "danh muc thong tin cong khai": "Danh mục thông tin công khai",
    ]
    static let disclosureLabels = [
        "danh muc thong tin phai duoc cong khai", "danh muc thong tin phai cong khai", "danh muc thong tin cong khai",
    ]
    /// Words a name of a body or a title starts with: what follows "Chịu trách nhiệm:" is then no person.
    static let notPerson: Set<String> = [
        "ban", "cục", "sở", "ủy", "uỷ", "ubnd", "trung", "văn", "cổng", "bộ", "phòng", "công", "viện", "tòa", "hội",
        "chi", "báo", "tạp", "đài", "trường", "bệnh", "giám", "phó", "chánh", "trưởng", "chủ", "bí", "tổng", "thủ",
        "vksnd", "tand", "hđnd", "các", "lãnh",
    ]
    static let honorifics: Set<String> = ["ông", "bà", "đồng", "chí", "đ/c", "ts.", "ths.", "pgs.", "gs.", "ts", "ths"]

    /// The governing body: a label with its value, or a block that opens with a body's name.
    static func agency(_ block: Block) -> String? {
        if let (label, value) = block.value(after: agencyLabels), value.contains(where: \.isLetter) { return label }
        var head = block.lower[...].drop { $0 == " " }
        // Numbering (`I.`, `1.`) and the portal's own name before the body's.
        if let dot = head.prefix(5).firstIndex(of: "."), head[..<dot].allSatisfy({ $0.isNumber || "ivx".contains($0) })
        {
            head = head[head.index(after: dot)...].drop { $0 == " " }
        }
        var stripped = true
        while stripped {
            stripped = false
            for prefix in namePrefixes where head.hasPrefix(prefix) {
                head = head.dropFirst(prefix.count).drop { $0 == " " || $0 == ":" }
                stripped = true
            }
        }
        guard block.text.split(separator: " ").count <= 20 else { return nil }
        for body in bodies where head.hasPrefix(body + " ") && !head.hasPrefix("bộ phận") {
            return body
        }
        return nil
    }

    /// The address: a label with a value that reads as a place, or an unlabelled line of a house number and a
    /// street, or of two administrative units (`Thị trấn Nhơn Hoà, Huyện Chư Pưh, Tỉnh Gia Lai`).
    static func address(_ block: Block) -> String? {
        if block.label(notAddress) == nil, let (label, value) = block.value(after: addressLabels) {
            let place = value.prefix(160).lowercased()
            let words = Block.words(of: place)
            if place.contains(where: \.isNumber) || addressWords.contains(where: { words.contains(" " + $0 + " ") }) {
                return label
            }
        }
        guard block.label(addressLabels) == nil, block.text.count <= 200 else { return nil }
        let units = addressWords.filter { block.words.contains(" " + $0 + " ") }.count
        // A house number (`126 Hàng Trống`, `Số 1686 đường …`), not a list's numbering (`1. …`).
        let first = block.lower.split(separator: " ").first ?? ""
        let numbered =
            (first.first?.isNumber == true && !first.hasSuffix(".") && !first.hasSuffix(")"))
            || (first == "số" && block.words.dropFirst(4).first?.isNumber == true)
        return (numbered && units >= 1) || units >= 3 ? "địa chỉ" : nil
    }

    /// The person responsible: a label followed by a person's name (two to five capitalised words, not a
    /// body's name nor a title).
    static func responsible(_ block: Block) -> String? {
        guard let (label, value) = block.value(after: responsibleLabels) else { return nil }
        // The name ends at the first punctuation (`Phan Tấn Linh, Giám đốc Sở …`).
        let head = value.prefix(80).prefix { !",-–;(.|/".contains($0) }
        var words = head.split(separator: " ").prefix(8)[...]
        while let first = words.first, honorifics.contains(first.lowercased()) { words = words.dropFirst() }
        guard let first = words.first, !notPerson.contains(first.lowercased()) else { return nil }
        let name = words.prefix { $0.first?.isUppercase == true && $0.allSatisfy(\.isLetter) }
        return (2...5).contains(name.count) ? label : nil
    }
}

/// Phone numbers in text, as Vietnamese agencies write them: `(+84.236) 3.893.777`, `0209.3872.652`,
/// `028 3851 5859`, `069-47811`, `1900 1234`. A number must start with `+84`, `0` (not `00`, an international
/// prefix) or `1800`/`1900` and hold 8 to 12 digits; digits joined by `/` (a licence, a date) are no phone.
public enum PhoneNumbers {
    public static func find(in text: String, limit: Int = 16) -> [String] {
        var out: [String] = []
        var digits: [UInt8] = []
        var groups: [Int] = []
        var plus = false
        var separators = 0
        // Digits right after a `/` belong to a licence or a date (`48/GP-BVHTT`, `18/02/2003`).
        var skipping = false
        func reset() {
            digits.removeAll(keepingCapacity: true)
            groups.removeAll(keepingCapacity: true)
            plus = false
            separators = 0
        }
        func flush() {
            defer { reset() }
            // A date written with dots or dashes (`01.07.2018`) is no phone.
            if groups.count == 3, groups[2] == 4, groups[0] <= 2, groups[1] <= 2 { return }
            var number = digits
            if plus, number.starts(with: Array("84".utf8)) { number = Array("0".utf8) + number.dropFirst(2) }
            let text = String(decoding: number, as: UTF8.self)
            let national = text.hasPrefix("0") && !text.hasPrefix("00")
            let service = text.hasPrefix("1800") || text.hasPrefix("1900")
            if national || service, (8...12).contains(number.count) { out.append(text) }
        }
        for character in text.prefix(100_000) where out.count < limit {
            if let ascii = character.asciiValue, ascii >= 48, ascii <= 57 {
                if skipping { continue }
                if separators > 0 || groups.isEmpty { groups.append(0) }
                groups[groups.count - 1] += 1
                digits.append(ascii)
                separators = 0
                continue
            }
            skipping = false
            if character == "/" {
                reset()
                skipping = true
            } else if character == "+" && digits.isEmpty {
                plus = true
            } else if !digits.isEmpty || plus, " .-()".contains(character), separators < 2 {
                separators += 1
            } else if !digits.isEmpty {
                flush()
            } else {
                reset()
            }
        }
        if !digits.isEmpty { flush() }
        return out
    }
}

/// E-mail addresses in text, found from each `@` in one pass (the local part read back at most 64 bytes).
public enum EmailAddresses {
    public static func find(in text: String, limit: Int = 16) -> [String] {
        let bytes = Array(text.utf8.prefix(256 << 10))
        func isLocal(_ b: UInt8) -> Bool {
            (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 46 || b == 95 || b == 45
                || b == 43
        }
        func isDomain(_ b: UInt8) -> Bool {
            (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 46 || b == 45
        }
        var out: [String] = []
        var i = 0
        while i < bytes.count, out.count < limit {
            guard bytes[i] == UInt8(ascii: "@") else {
                i += 1
                continue
            }
            var start = i
            while start > max(0, i - 64), isLocal(bytes[start - 1]) { start -= 1 }
            var end = i + 1
            while end < bytes.count, end - i < 256, isDomain(bytes[end]) { end += 1 }
            while end > i + 1, bytes[end - 1] == 46 || bytes[end - 1] == 45 { end -= 1 }
            let domain = bytes[(i + 1)..<end]
            if start < i, let dot = domain.lastIndex(of: 46), dot > i + 1, end - dot >= 3,
                bytes[(dot + 1)..<end].allSatisfy({ ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 })
            {
                out.append(String(decoding: bytes[start..<end], as: UTF8.self).lowercased())
            }
            i = end
        }
        return out
    }

    /// Public mail services a commune may use for its official address.
    static let publicServices: Set<String> = [
        "gmail.com", "yahoo.com", "yahoo.com.vn", "outlook.com", "hotmail.com", "outlook.com.vn",
    ]

    /// An address an agency in Việt Nam may use: under `.vn`, or at a public mail service (a purchased
    /// template's `info@homealarms.com` is not the agency's).
    public static func isAgencyLike(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...].lowercased()
        return domain.hasSuffix(".vn") || publicServices.contains(domain)
    }

    /// The address Cloudflare's e-mail protection hides in `hex` (the first byte is the key each following
    /// byte is XOR-ed with); `nil` when it is not one.
    public static func cloudflare(_ hex: String) -> String? {
        let digits = Array(hex.utf8.prefix(512))
        guard digits.count >= 4, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        let decoded = bytes.dropFirst().map { $0 ^ bytes[0] }
        let address = String(decoding: decoded, as: UTF8.self)
        return find(in: address).first
    }
}
