import Foundation

/// How speaker names are compared: case- and diacritic-insensitive, whitespace collapsed.
public enum SpeakerName {
    /// The name as stored: trimmed, inner whitespace collapsed; nil when nothing is left.
    public static func canonical(_ name: String) -> String? {
        let collapsed = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    /// The comparison key: canonical, lower-cased, without diacritics ("Zelensky" ≡ "zelenský").
    public static func fold(_ name: String) -> String {
        let canonical = canonical(name) ?? ""
        return canonical.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}
