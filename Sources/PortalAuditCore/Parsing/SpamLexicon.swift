import Foundation
import Yams

/// The words of gambling and betting spam (`Profiles/lexicon/gambling-vi.yaml`), folded once for matching:
/// lower case, no diacritics, look-alike letters mapped (`SpamText.tokens`).
public struct SpamLexicon: Sendable, Equatable {
    /// A phrase of the lexicon: as written, and as the matcher's tokens.
    public struct Phrase: Sendable, Equatable {
        public var text: String
        public var tokens: [String]
        /// The tokens run together (`nhacai`): what letters spaced apart, or a host name, spell.
        public var joined: String { tokens.joined() }
    }

    public var id: String
    public var version: Int
    /// Terms that name gambling on their own.
    public var strong: [Phrase]
    /// Terms counted only beside a strong term or a gambling link.
    public var weak: [Phrase]
    /// Brands of spam links, matched as words and inside link hosts.
    public var brands: [Phrase]
    /// Lawful or news context (a story about a betting ring, the state lottery).
    public var context: [Phrase]

    /// The lexicon that ships with the tool.
    public static let shipped: SpamLexicon = {
        guard let text = ShippedProfiles.lexicons["gambling-vi"], let lexicon = try? parse(text) else {
            preconditionFailure("the shipped lexicon gambling-vi does not parse (a test checks it)")
        }
        return lexicon
    }()

    /// Reads a lexicon file: every problem of the file at once.
    public static func parse(_ text: String, file: String = "gambling-vi.yaml") throws(InputIssues) -> SpamLexicon {
        var issues: [InputIssue] = []
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw InputIssues([InputIssue(file: file, field: "", problem: "not valid YAML: \(error)")])
        }
        guard let map = node?.mapping else {
            throw InputIssues([InputIssue(file: file, field: "", problem: "expected a mapping")])
        }
        func phrases(_ key: String) -> [Phrase] {
            guard let list = map[key]?.sequence else {
                issues.append(InputIssue(file: file, line: 1, column: 1, field: key, problem: "expected a list"))
                return []
            }
            var out: [Phrase] = []
            for item in list {
                let text = item.scalar?.string ?? ""
                let tokens = SpamText.tokens(text)
                if tokens.isEmpty {
                    issues.append(
                        InputIssue(
                            file: file, line: item.mark?.line, column: item.mark?.column, field: key,
                            problem: "expected a phrase with letters, found '\(text)'"))
                } else {
                    out.append(Phrase(text: text, tokens: tokens))
                }
            }
            return out
        }
        let lexicon = SpamLexicon(
            id: map["id"]?.scalar?.string ?? "", version: map["version"]?.decimalInteger ?? 0,
            strong: phrases("strong"),
            weak: phrases("weak"), brands: phrases("brands"), context: phrases("context"))
        if lexicon.id.isEmpty { issues.append(InputIssue(file: file, field: "id", problem: "missing")) }
        if !issues.isEmpty { throw InputIssues(issues) }
        return lexicon
    }
}

/// The matcher's view of text: tokens folded so that the ways spam hides a word read the same.
public enum SpamText {
    /// Look-alike letters spam uses to dodge filters: Cyrillic and Greek capitals' lower-case twins, and
    /// symbols standing for letters.
    static let lookAlikes: [UInt32: Character] = [
        0x430: "a", 0x435: "e", 0x43E: "o", 0x440: "p", 0x441: "c", 0x443: "y", 0x445: "x", 0x456: "i",
        0x43A: "k", 0x43C: "m", 0x442: "t", 0x3B1: "a", 0x3BF: "o", 0x3B5: "e", 0x3B9: "i", 0x3BD: "v",
        0x40: "a", 0x24: "s",
    ]

    /// Digits read as letters inside a word of letters (`c4sino`, `n0 hu`); words that are mostly digits
    /// (`188bet`, `2026`) keep them.
    static let leet: [Character: Character] = ["0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"]

    /// Lower-case words without diacritics; look-alikes mapped; a run of three or more single letters
    /// (`n h à c á i`, `n.h.a.c.a.i`) becomes one word. At most `limit` words.
    public static func tokens(_ text: String, limit: Int = 200_000) -> [String] {
        var words: [String] = []
        // Whether each word is one letter (a piece of a spaced-out run).
        var single: [Bool] = []
        // The word being read, as UTF-8, its scalars and letters.
        var current: [UInt8] = []
        var scalars = 0
        var letters = 0
        var digits = false
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(decoding: current, as: UTF8.self)
            words.append(digits ? unLeet(word) : word)
            single.append(scalars == 1 && letters == 1)
            current.removeAll(keepingCapacity: true)
            scalars = 0
            letters = 0
            digits = false
        }
        // Scalars, not Characters: folding leaves Vietnamese text ASCII, and the ASCII path needs no Unicode
        // property lookups nor table lookups (the scan reads every sampled page).
        for scalar in PageText.folded(text).unicodeScalars {
            if words.count >= limit { break }
            let v = scalar.value
            if (v >= 97 && v <= 122) || (v >= 65 && v <= 90) {
                current.append(UInt8(v))
                scalars += 1
                letters += 1
                continue
            }
            if v >= 48 && v <= 57 {
                current.append(UInt8(v))
                scalars += 1
                digits = true
                continue
            }
            // The ASCII look-alikes are `@` and `$`; other ASCII bytes end a word.
            let twin = v < 0x80 && v != 0x40 && v != 0x24 ? nil : lookAlikes[v]
            if let twin {
                current.append(contentsOf: twin.utf8)
                scalars += 1
                letters += 1
            } else if v >= 0x80,
                scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                    || scalar.properties.generalCategory == .nonspacingMark
            {
                current.append(contentsOf: String(scalar).utf8)
                scalars += 1
                if scalar.properties.numericType != nil {
                    digits = true
                } else if scalar.properties.isAlphabetic {
                    letters += 1
                }
            } else {
                flush()
            }
        }
        flush()
        var out: [String] = []
        out.reserveCapacity(words.count)
        var run: [String] = []
        func endRun() {
            if run.count >= 3 { out.append(run.joined()) } else { out.append(contentsOf: run) }
            run = []
        }
        for (word, isSingle) in zip(words, single) {
            if isSingle {
                run.append(word)
            } else {
                endRun()
                out.append(word)
            }
        }
        endRun()
        return out
    }

    /// Syllables whose diacritics no Vietnamese word has: two tone marks (`ngườì`), the tone off the vowel
    /// that carries the vowel's own mark (`chơị`, `gìống`), or on the `u` of `qu` or the `i` of `gi` before
    /// another vowel (`qúa`, `gìa`). Spam scrambles its words so to slip past filters; careful text does not.
    /// At most the first `limit` characters are read.
    public static func scrambledSyllables(in text: String, limit: Int = 65_536) -> Int {
        struct Vowel {
            var quality = false
            var tone = false
            /// The `u` of `qu`, or the `i` of a word-initial `gi`: a consonant's letter, never toned before a vowel.
            var glide = false
        }
        var count = 0
        var vowels: [Vowel] = []
        var tones = 0
        var previous: UInt32 = 0
        var letters = 0
        func endWord() {
            if tones >= 2 {
                count += 1
            } else if tones == 1, let toned = vowels.firstIndex(where: \.tone) {
                let offQuality = vowels.contains(where: \.quality) && !vowels[toned].quality
                if offQuality || (vowels[toned].glide && toned + 1 < vowels.count) { count += 1 }
            }
            vowels.removeAll(keepingCapacity: true)
            tones = 0
            previous = 0
            letters = 0
        }
        /// A letter, with the marks a precomposed one carries; anything else ends the word.
        func letter(_ value: UInt32, quality: Bool = false, tone: Bool = false) {
            let lower = value >= 65 && value <= 90 ? value + 32 : value
            guard (lower >= 97 && lower <= 122) || lower == 0x111 || lower == 0x110 else {
                endWord()
                return
            }
            if lower == 97 || lower == 101 || lower == 105 || lower == 111 || lower == 117 || lower == 121 {
                let glide = (lower == 117 && previous == 113) || (lower == 105 && previous == 103 && letters == 1)
                vowels.append(Vowel(quality: quality, tone: tone, glide: glide))
                if tone { tones += 1 }
            }
            previous = lower
            letters += 1
        }
        var read = 0
        for scalar in text.unicodeScalars {
            read += 1
            if read > limit { break }
            let v = scalar.value
            switch v {
            case 0x300, 0x301, 0x303, 0x309, 0x323:
                guard !vowels.isEmpty else { continue }
                tones += 1
                vowels[vowels.count - 1].tone = true
            case 0x302, 0x306, 0x31B:
                if !vowels.isEmpty { vowels[vowels.count - 1].quality = true }
            default:
                // A precomposed Vietnamese letter: its base letter and marks from the table.
                if v >= 0xC0, let precomposed = vietnameseLetters[v] {
                    letter(precomposed.base, quality: precomposed.quality, tone: precomposed.tone)
                } else {
                    letter(v)
                }
            }
        }
        endWord()
        return count
    }

    /// The precomposed letters of Vietnamese (Latin-1, Latin Extended-A/B, U+1EA0–1EF9): each one's base
    /// letter, whether it carries a vowel's own mark (circumflex, breve, horn) and a tone; made once from
    /// their canonical decompositions, so that reading text costs one lookup per letter.
    static let vietnameseLetters: [UInt32: (base: UInt32, quality: Bool, tone: Bool)] = {
        var table: [UInt32: (base: UInt32, quality: Bool, tone: Bool)] = [:]
        for value in Array(UInt32(0xC0)...0x1B0) + Array(UInt32(0x1EA0)...0x1EF9) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let parts = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
            guard parts.count > 1, let base = parts.first, base < 0x80 else { continue }
            let marks = parts.dropFirst()
            table[value] = (
                base, marks.contains { [0x302, 0x306, 0x31B].contains($0) },
                marks.contains { [0x300, 0x301, 0x303, 0x309, 0x323].contains($0) }
            )
        }
        return table
    }()

    /// `c4sino` → `casino`: digits inside a word that is mostly letters.
    static func unLeet(_ word: String) -> String {
        let digits = word.filter(\.isNumber).count
        guard digits > 0, digits * 2 < word.count else { return word }
        return String(word.map { leet[$0] ?? $0 })
    }
}
