import Foundation
import GRDB
import QuotewireModels

/// The baseline every index benchmark compares against: one process, one FTS5 table with
/// default options over headline + body, default pragmas, `batch`-row transactions.
enum PlainFTS5 {
    /// Inserts every article into a new table at `path` and returns the insert time
    /// (table creation excluded).
    static func insert(_ articles: [ParsedArticle], path: String, batch: Int) throws -> Duration {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE VIRTUAL TABLE docs USING fts5(headline, body)") }
        let start = ContinuousClock.now
        var index = 0
        while index < articles.count {
            let end = min(index + batch, articles.count)
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO docs (headline, body) VALUES (?, ?)")
                for article in articles[index..<end] {
                    try insert.execute(arguments: [article.headline ?? "", article.paragraphs.joined(separator: "\n\n")])
                }
            }
            index = end
        }
        let elapsed = ContinuousClock.now - start
        try queue.close()
        return elapsed
    }
}
