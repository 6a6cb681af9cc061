/// The characters FTS5's `snippet()` is told to put around a match, which the reader turns
/// into `<mark>` and `</mark>`. Text in the full-text indexes must not contain them, or a
/// stray one would open or close a highlight: the writer stores a space in their place
/// (one byte for one, so quotation offsets into the text still hold).
enum SnippetMarks {
    static let open: Character = "\u{2}"
    static let close: Character = "\u{3}"

    /// `text` with every U+0002 and U+0003 replaced by a space. In UTF-8 these bytes only
    /// ever stand for those two characters, so a byte scan is exact.
    static func scrubbed(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x02 || $0 == 0x03 }) else { return text }
        return String(decoding: text.utf8.map { $0 == 0x02 || $0 == 0x03 ? 0x20 : $0 }, as: UTF8.self)
    }

    static func scrubbed(_ text: String?) -> String? {
        text.map(scrubbed)
    }
}
