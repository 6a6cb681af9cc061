import Foundation
import GRDB

extension IndexReader {
    /// Full-text search over articles (headline weighted above body) and quotations
    /// (text above speaker), ranked by bm25 across every shard.
    ///
    /// - Parameters:
    ///   - text: user text; see ``FTSQuery`` for what it may contain.
    ///   - limit: results per page (``QueryLimits/search``).
    ///   - cursor: the `nextCursor` of the previous page, for the same text.
    /// - Throws: ``IndexError`` `.invalidQuery` for unusable text, `.invalidArgument` for
    ///   a bad limit or cursor.
    public func search(_ text: String, limit: Int? = nil, cursor: String? = nil) async throws(IndexError) -> SearchPage {
        let query = try FTSQuery(text)
        let limit = try QueryLimits.search.validate(limit)
        let offset = try cursor.map { (c: String) throws(IndexError) in try SearchCursor(decoding: c, for: query).offset } ?? 0
        let pattern = query.pattern
        // Every shard returns its best `window` of each kind; the merged page is a slice.
        let window = offset + limit + 1
        let perShard = try await eachShard("search") { db in
            try Self.searchShard(db, pattern: pattern, window: window)
        }
        var hits = perShard.enumerated().flatMap { shardIndex, rows in rows.map { ($0, shardIndex) } }
        hits.sort { lhs, rhs in
            if lhs.0.hit.score != rhs.0.hit.score { return lhs.0.hit.score > rhs.0.hit.score }
            if lhs.0.hit.type != rhs.0.hit.type { return lhs.0.hit.type == .article }
            if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
            return lhs.0.rowID < rhs.0.rowID
        }
        let page = hits.dropFirst(offset).prefix(limit).map(\.0.hit)
        let more = hits.count > offset + limit && offset + limit <= SearchCursor.maximumOffset
        return SearchPage(
            results: Array(page),
            nextCursor: more ? SearchCursor(offset: offset + limit, query: query).encoded : nil)
    }

    struct RankedHit: Sendable {
        var hit: SearchHit
        var rowID: Int64
    }

    private static func searchShard(_ db: Database, pattern: String, window: Int) throws -> [RankedHit] {
        var hits: [RankedHit] = []
        let articles = try db.cachedStatement(sql: """
            SELECT article_fts.rowid AS rid, a.articleId, a.headline, a.source, a.publishedAt, a.receivedAt,
                   snippet(article_fts, -1, char(2), char(3), '…', 24) AS snippet, rank
            FROM article_fts JOIN article a ON a.rid = article_fts.rowid
            WHERE article_fts MATCH ? AND rank MATCH 'bm25(4.0, 1.0)'
            ORDER BY rank LIMIT ?
            """)
        for row in try Row.fetchAll(articles, arguments: [pattern, window]) {
            let hit = SearchHit(
                type: .article, articleId: row["articleId"], headline: nonEmpty(row["headline"]),
                snippet: highlight(row["snippet"] ?? ""), score: -(row["rank"] as Double? ?? 0),
                source: row["source"], publishedAt: date(row["publishedAt"]), receivedAt: date(row["receivedAt"]))
            hits.append(RankedHit(hit: hit, rowID: row["rid"]))
        }
        let quotations = try db.cachedStatement(sql: """
            SELECT quotation_fts.rowid AS qid, q.text, q.speaker, a.articleId, a.headline, a.source,
                   a.publishedAt, a.receivedAt,
                   snippet(quotation_fts, -1, char(2), char(3), '…', 24) AS snippet, rank
            FROM quotation_fts JOIN quotation q ON q.qid = quotation_fts.rowid JOIN article a ON a.rid = q.article
            WHERE quotation_fts MATCH ? AND rank MATCH 'bm25(2.0, 1.0)'
            ORDER BY rank LIMIT ?
            """)
        for row in try Row.fetchAll(quotations, arguments: [pattern, window]) {
            let hit = SearchHit(
                type: .quotation, articleId: row["articleId"], headline: nonEmpty(row["headline"]),
                snippet: highlight(row["snippet"] ?? ""), score: -(row["rank"] as Double? ?? 0),
                text: row["text"], speaker: row["speaker"], source: row["source"],
                publishedAt: date(row["publishedAt"]), receivedAt: date(row["receivedAt"]))
            hits.append(RankedHit(hit: hit, rowID: row["qid"]))
        }
        return hits
    }

    /// Escapes `&`, `<`, `>` and turns SQLite's match marks (``SnippetMarks``) into `<mark>`…`</mark>`.
    static func highlight(_ raw: String) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count + 32)
        for character in raw {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case SnippetMarks.open: out += "<mark>"
            case SnippetMarks.close: out += "</mark>"
            default: out.append(character)
            }
        }
        return out
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func date(_ seconds: Double?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: $0) }
    }
}
