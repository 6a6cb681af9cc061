import Foundation

/// Reading the `publishedAt` a submitter gives: an ISO 8601 date-time with a zone
/// (`2026-01-02T03:04:05Z`, `2026-01-02T03:04:05.250+01:00`) or a plain date (`2026-01-02`,
/// taken as midnight UTC).
public enum PublishedDate {
    /// The date, or nil when `text` is none of the accepted forms.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let styles: [Date.ISO8601FormatStyle] = [
            .iso8601,
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
            Date.ISO8601FormatStyle().year().month().day(),
        ]
        for style in styles {
            if let date = try? style.parse(trimmed) { return date }
        }
        return nil
    }

    /// The refusal for a `publishedAt` that could not be read.
    static func error(_ text: String) -> SubmissionError {
        SubmissionError(.invalidField,
                        "publishedAt must be an ISO 8601 date-time with a zone, like 2026-01-02T03:04:05Z (got \"\(text.prefix(80))\")")
    }
}
