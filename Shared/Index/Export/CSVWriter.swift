/// Rows of CSV as RFC 4180 describes it, for exports a spreadsheet or `csv` module reads back
/// as they were: every row ends in CRLF, and a field holding a double quote, a comma, a CR or
/// an LF is put in double quotes with its own double quotes doubled. Other text, non-ASCII
/// included, is written as it is (the output is UTF-8, without a byte order mark).
///
/// Exports carry text from the articles, which anyone can write, and a spreadsheet runs a
/// cell that starts with `=`, `+`, `-` or `@` (or a tab or CR before one) as a formula. So, as
/// OWASP's advice on CSV injection has it, such a field gets a `'` in front, which makes the
/// spreadsheet show it as text; a plain number (`-0.35`, `1e-3`) is left as it is. The CLI's
/// `--format csv` and the web page's export both write through here.
///
/// ```swift
/// var out = CSVWriter.row(["speaker", "text"])        // the header row first
/// for quotation in quotations { out += CSVWriter.row([quotation.speaker ?? "", quotation.text]) }
/// ```
public enum CSVWriter {
    /// The line ending of every row.
    public static let lineEnding = "\r\n"

    /// One row: the fields, escaped where needed, separated by commas, ending in CRLF.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineEnding
    }

    /// A header row followed by `rows`, as one text.
    public static func table(header: [String], rows: some Sequence<[String]>) -> String {
        rows.reduce(into: row(header)) { text, fields in text += row(fields) }
    }

    /// One field: neutralised when a spreadsheet would take it for a formula, then as it is,
    /// or in double quotes with its double quotes doubled when it holds a character that would
    /// otherwise end or split it.
    public static func field(_ value: String) -> String {
        let value = neutralised(value)
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

    /// `value` with a `'` in front when it starts with a character that opens a formula
    /// (`=`, `+`, `-`, `@`, tab, CR) and is not a plain number.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.utf8.first, formulaStarts.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    /// `-12`, `-0.35`, `-1e-3`: an optional minus, digits, an optional fraction and exponent.
    static func isPlainNumber(_ value: String) -> Bool {
        var bytes = value.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard digits() > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
