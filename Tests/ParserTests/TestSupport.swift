import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// Paths and helpers shared by the parser tests.
enum TestSupport {
    /// The repository root (two folders above this file's folder).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared` beside the repository: the reference page and the Wikinews CSVs live there.
    static let shared: URL = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let referencePage = shared.appendingPathComponent("samples/volkswacht-rutte-odesa.txt")
    static let wikinewsFolder = shared.appendingPathComponent("bench/wikinews")

    /// In CI (`CI=true`) a missing shared file is a failure; elsewhere the test is skipped.
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func sharedFileExists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Shared data is present, or we are in CI (where its absence must fail, not skip).
    static var referencePageAvailableOrCI: Bool { inCI || sharedFileExists(referencePage) }
    static var wikinewsAvailableOrCI: Bool {
        inCI || sharedFileExists(wikinewsFolder.appendingPathComponent("wikinews_2019.csv"))
    }

    static func parse(_ text: String) -> ParsedArticle {
        QuoteParser().parse(text, articleId: "test")
    }

    /// The text at `start..<end` (Unicode-scalar offsets) of `text`.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        guard start >= 0, end <= scalars.count, start <= end else { return "<out of range>" }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<end])
        return String(s)
    }

    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureError.missing(name)
        }
        return url
    }

    enum FixtureError: Error { case missing(String) }
}

extension ParsedArticle {
    /// The quotation whose text starts with `prefix`.
    func quotation(_ prefix: String) -> Quotation? {
        quotations.first { $0.text.hasPrefix(prefix) }
    }
}
