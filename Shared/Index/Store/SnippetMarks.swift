import QuotewireModels

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
        // Checked eight bytes at a time: every article's body and quotations pass here.
        let marked = text.utf8.withContiguousStorageIfAvailable(containsMark) ?? text.utf8.contains { $0 == 0x02 || $0 == 0x03 }
        guard marked else { return text }
        return String(decoding: text.utf8.map { $0 == 0x02 || $0 == 0x03 ? 0x20 : $0 }, as: UTF8.self)
    }

    private static func containsMark(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if let base = b.baseAddress {
            while i + 8 <= b.count {
                let x = ByteWords.word(base, i)
                if ByteWords.equalBytes(x, 0x02) | ByteWords.equalBytes(x, 0x03) != 0 { return true }
                i += 8
            }
        }
        while i < b.count {
            if b[i] == 0x02 || b[i] == 0x03 { return true }
            i += 1
        }
        return false
    }

    static func scrubbed(_ text: String?) -> String? {
        text.map(scrubbed)
    }
}
