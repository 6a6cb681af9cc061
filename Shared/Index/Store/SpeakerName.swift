import Foundation

/// How speaker names are compared: case- and diacritic-insensitive, whitespace collapsed.
public enum SpeakerName {
    /// The name as stored: trimmed, inner whitespace and control characters collapsed to
    /// one space (so no snippet mark, ``SnippetMarks``, gets into the index); nil when
    /// nothing is left.
    public static func canonical(_ name: String) -> String? {
        let collapsed = name.split { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }
            .joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    /// The comparison key: canonical, lower-cased, without diacritics ("Zelensky" ≡ "zelenský").
    public static func fold(_ name: String) -> String {
        let canonical = canonical(name) ?? ""
        return canonical.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}
