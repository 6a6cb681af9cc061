/// Prints rows as an aligned, plain-text table for people.
///
/// Columns are as wide as their widest cell (counted in characters); a column listed
/// in `rightAligned` is padded on the left (numbers). Newlines in cells become spaces, and
/// control characters that could steer the terminal (see ``TerminalText``) become U+FFFD.
struct TablePrinter {
    var headers: [String]
    var rightAligned: Set<Int> = []
    var rows: [[String]] = []

    init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) {
        rows.append(row.map { TerminalText.safe($0.split(whereSeparator: \.isNewline).joined(separator: " ")) })
    }

    /// The table as text, one line per row after the header and a rule.
    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, width) in widths.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let padding = String(repeating: " ", count: max(0, width - cell.count))
                let isLast = index == widths.count - 1
                parts.append(rightAligned.contains(index) ? padding + cell : (isLast ? cell : cell + padding))
            }
            return parts.joined(separator: "  ")
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    /// Shortens `text` to `limit` characters with an ellipsis.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(0, limit - 1))) + "…"
    }
}

/// Text from articles and dead letters made safe to print on a terminal: control characters
/// (escape sequences that recolour, retitle or clear the screen, backspaces, bells) and the
/// bidirectional overrides and isolates that reorder what follows them become U+FFFD, so a
/// hostile article cannot rewrite what an operator sees. Tabs become spaces.
enum TerminalText {
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                out.append(" ")
            } else {
                out.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }
}
