import Foundation

/// How a search hit is exported, the same by the CLI (`quotewire search --format csv`) and by
/// the web page's export link: one CSV row (through ``CSVWriter``) or one JSON line (the hit
/// as the API answers it, through ``JSONLinesWriter``).
extension SearchHit {
    /// The CSV columns.
    public static let csvHeader = ["type", "articleId", "source", "date", "speaker", "score", "headline", "text"]

    /// The CSV fields: dates in ISO 8601 UTC, an article's text its snippet as plain text.
    public var csvFields: [String] {
        [type.rawValue, articleId, source ?? "", ExportText.date(publishedAt ?? receivedAt), speaker ?? "", String(score),
         headline ?? "", text ?? ExportText.plain(snippet)]
    }
}

/// Text for exports and terminals.
public enum ExportText {
    /// An ISO 8601 time in UTC, empty when unknown.
    public static func date(_ date: Date?) -> String {
        date.map { ISO8601DateFormatter().string(from: $0) } ?? ""
    }

    /// A snippet (HTML-escaped text with `<mark>` around matches) as plain text, matches in brackets.
    public static func plain(_ snippet: String) -> String {
        snippet.replacingOccurrences(of: "<mark>", with: "[").replacingOccurrences(of: "</mark>", with: "]")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
