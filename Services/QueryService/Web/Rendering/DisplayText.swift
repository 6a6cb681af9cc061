import Foundation
import QuotewireIndex

/// Dates and numbers as the pages show them.
enum DisplayText {
    /// `2026-01-02 12:00 UTC`, or nil when unknown.
    static func date(_ date: Date?) -> String? {
        guard let date else { return nil }
        let text = date.formatted(iso8601)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// ISO 8601, for `<time datetime>`.
    static func iso(_ date: Date?) -> String? {
        date.map { $0.formatted(iso8601) }
    }

    /// One format style for every date (a value: no formatter is made per date).
    private static let iso8601 = Date.ISO8601FormatStyle()

    /// A price as the article gave it, up to four decimals, no trailing zeros past two.
    static func price(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0"), let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 3 {
            text.removeLast()
        }
        return text
    }

    /// `+0.44%`, `-1.20%`, or empty.
    static func change(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return (value > 0 ? "+" : "") + String(format: "%.2f", value) + "%"
    }

    /// `1 result`, `2,345 results`.
    static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(number(n)) \(n == 1 ? singular : plural)"
    }

    /// `2,345`.
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// The partial-answer notice of a page made of `answers`: which partitions are missing,
    /// and why that can be; nil when every answer is whole.
    static func partialNotice(_ answers: [any PartialAnswer]) -> String? {
        let missing = Set(answers.filter { $0.partial == true }.flatMap { $0.missingPartitions ?? [] }).sorted()
        guard answers.contains(where: { $0.partial == true }) else { return nil }
        let list = missing.map(String.init).joined(separator: ", ")
        return "Partition\(missing.count == 1 ? "" : "s") \(list) of the index did not answer (their node is down, late or moving), so what \(missing.count == 1 ? "it holds" : "they hold") is missing here."
    }
}
