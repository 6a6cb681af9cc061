/// Rows of CSV as RFC 4180 describes it, for exports a spreadsheet or `csv` module reads back
/// as they were: every row ends in CRLF, and a field holding a double quote, a comma, a CR or
/// an LF is put in double quotes with its own double quotes doubled. Other text, non-ASCII
/// included, is written as it is (the output is UTF-8, without a byte order mark).
///
/// ```swift
/// var out = CSVWriter.row(["speaker", "text"])        // the header row first
/// for quotation in quotations { out += CSVWriter.row([quotation.speaker ?? "", quotation.text]) }
/// ```
enum CSVWriter {
    /// The line ending of every row.
    static let lineEnding = "\r\n"

    /// One row: the fields, escaped where needed, separated by commas, ending in CRLF.
    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineEnding
    }

    /// A header row followed by `rows`, as one text.
    static func table(header: [String], rows: some Sequence<[String]>) -> String {
        rows.reduce(into: row(header)) { text, fields in text += row(fields) }
    }

    /// One field: as it is, or in double quotes with its double quotes doubled when it holds
    /// a character that would otherwise end or split it.
    static func field(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { byte in
            byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else { return value }
        // Scalar by scalar: a quote followed by a combining mark is one Character, and must
        // still be doubled.
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
