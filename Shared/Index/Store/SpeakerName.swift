import Foundation

/// How speaker names are compared: case- and diacritic-insensitive, whitespace collapsed, doubled
/// letters read as one (transliterations differ there: "Zelenskyy" and "Zelensky" are one person).
public enum SpeakerName {
    /// The name as stored: trimmed, inner whitespace and control characters collapsed to
    /// one space (so no snippet mark, ``SnippetMarks``, gets into the index); nil when
    /// nothing is left.
    public static func canonical(_ name: String) -> String? {
        // Most names are ASCII: their separators are the bytes up to the space and DEL, so a
        // pass over the bytes does what the Character-wise split below does.
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return asciiCanonical(name.utf8) }
        let collapsed = name.split { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }
            .joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    /// ``canonical(_:)`` of ASCII text.
    private static func asciiCanonical(_ bytes: String.UTF8View) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for c in bytes {
            if c <= 0x20 || c == 0x7F {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20) }
            pendingSpace = false
            out.append(c)
        }
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }

    /// The comparison key: canonical, lower-cased, without diacritics, a doubled letter as one
    /// ("Zelenskyy" ≡ "zelenský" ≡ "Zelensky"). A search for part of a name folds the same way, so it
    /// still finds the name.
    public static func fold(_ name: String) -> String {
        let canonical = canonical(name) ?? ""
        let folded = canonical.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var previous: Character?
        for c in folded {
            if c == previous, c.isLetter { continue }
            out.append(c)
            previous = c
        }
        return out
    }

    /// Function words that open a mention only because it opens a sentence ("He said", "The
    /// spokeswoman added"): their capital is not part of the alias.
    private static let sentenceInitialWords: Set<String> = [
        "a", "an", "he", "her", "his", "i", "it", "its", "our", "she", "that", "the", "their", "they", "this", "we",
    ]

    /// How a mention is kept among a speaker's aliases: canonical, and without the capital that a
    /// function word gets at a sentence start, so "He" and "he" are one alias.
    public static func alias(_ mention: String) -> String? {
        guard let canonical = canonical(mention) else { return nil }
        guard let first = canonical.first, first.isUppercase else { return canonical }
        let word = canonical.prefix { $0 != " " }
        guard sentenceInitialWords.contains(word.lowercased()) else { return canonical }
        return first.lowercased() + canonical.dropFirst()
    }
}
