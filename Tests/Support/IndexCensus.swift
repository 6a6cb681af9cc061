import Foundation
import GRDB
import QuotewireIndex
import QuotewireModels

/// A check that the index holds each published article once, for tests that claim "none
/// twice": it counts, per article, what a second copy would change, across every shard.
///
/// Counting article rows alone proves nothing (a shard keeps `articleId` unique and the
/// writer replaces an article, so a copy written twice into one shard leaves one row). So
/// per article it counts: article rows in all shards (a copy in a second shard is two), its
/// rows in the `article_fts` index, its quotation rows against the quotations published, and
/// per speaker the stored quotation count against the published quotations and the rows.
/// FTS5's own `integrity-check` (which needs a writable connection, though it writes nothing) catches a second index
/// entry under one row id, which no row count shows.
public enum IndexCensus {
    /// What was published: the speaker of each quotation, per article id.
    public struct Published: Sendable {
        /// Article id → the speaker of each of its quotations (nil: no speaker).
        public var articles: [String: [String?]]
        /// The quotations' speakers of articles not in `articles` that may be in the index too
        /// (a submission whose answer was lost may still have been published); nil: none may.
        public var others: [String?]?

        public init(articles: [String: [String?]], others: [String?]? = nil) {
            self.articles = articles
            self.others = others
        }

        /// What `articles` publish.
        public init(_ articles: [ParsedArticle]) {
            var map: [String: [String?]] = [:]
            for article in articles { map[article.articleId] = article.quotations.map(\.speaker) }
            self.init(articles: map)
        }
    }

    /// What disagrees between the index folder at `indexPath` and `published`, one sentence
    /// each; empty when every published article is there once with its quotations once.
    /// Call it when no process writes the folder.
    public static func problems(indexPath: String, published: Published) throws -> [String] {
        var found = Counts()
        var problems: [String] = []
        for (partition, url) in try IndexFolder(path: indexPath).shardFiles().sorted(by: { $0.key < $1.key }) {
            let queue = try DatabaseQueue(path: url.path)
            // No transaction: a failed check must not roll anything back, and nothing is written.
            try queue.inDatabase { db in
                try found.add(db)
                for table in ["article_fts", "quotation_fts"] {
                    do {
                        try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('integrity-check', 1)")
                    } catch {
                        problems.append("shard \(partition): \(table) does not match its rows (\(error))")
                    }
                }
            }
            try queue.close()
        }

        var expectedSpeakers: [String: Int] = [:]
        let ids = Set(published.articles.keys).union(published.others == nil ? [] : Array(found.articleRows.keys))
        for id in ids.sorted() {
            guard let speakers = published.articles[id] ?? published.others else { continue }
            let rows = found.articleRows[id, default: 0]
            if rows != 1 { problems.append("\(id): \(rows) article rows, published once") }
            let ftsRows = found.ftsRows[id, default: 0]
            if ftsRows != 1 { problems.append("\(id): \(ftsRows) article_fts rows, published once") }
            let quotations = found.quotationRows[id, default: 0]
            if quotations != speakers.count {
                problems.append("\(id): \(quotations) quotation rows, published with \(speakers.count)")
            }
            for speaker in speakers.compactMap({ $0.flatMap(SpeakerName.canonical) }) {
                expectedSpeakers[SpeakerName.fold(speaker), default: 0] += 1
            }
        }
        for id in Set(found.articleRows.keys).subtracting(ids).sorted() {
            problems.append("\(id): in the index, never published")
        }
        if found.orphans > 0 { problems.append("\(found.orphans) full-text or quotation rows belong to no article") }
        for key in Set(expectedSpeakers.keys).union(found.speakerCounts.keys).sorted() {
            let expected = expectedSpeakers[key, default: 0]
            let stored = found.speakerCounts[key, default: 0]
            let rows = found.speakerRows[key, default: 0]
            if stored != expected || rows != expected {
                problems.append("speaker \(key): count \(stored) over \(rows) quotation rows, published \(expected)")
            }
        }
        return problems
    }

    /// The counts of every shard read so far, keyed by article id or folded speaker name.
    private struct Counts {
        var articleRows: [String: Int] = [:]
        var ftsRows: [String: Int] = [:]
        var quotationRows: [String: Int] = [:]
        var speakerCounts: [String: Int] = [:]
        var speakerRows: [String: Int] = [:]
        var orphans = 0

        mutating func add(_ db: Database) throws {
            func sum(_ sql: String, into counts: inout [String: Int]) throws {
                for row in try Row.fetchAll(db, sql: sql) { counts[row[0] as String, default: 0] += row[1] as Int }
            }
            try sum("SELECT articleId, count(*) FROM article GROUP BY articleId", into: &articleRows)
            // The FTS5 table reads through to `article`; its docsize table has a row per indexed document.
            try sum("SELECT a.articleId, count(*) FROM article_fts_docsize d JOIN article a ON a.rid = d.id GROUP BY a.articleId",
                    into: &ftsRows)
            try sum("SELECT a.articleId, count(*) FROM quotation q JOIN article a ON a.rid = q.article GROUP BY a.articleId",
                    into: &quotationRows)
            try sum("SELECT foldedName, quotations FROM speaker", into: &speakerCounts)
            try sum("SELECT s.foldedName, count(*) FROM quotation q JOIN speaker s ON s.sid = q.sid GROUP BY s.foldedName",
                    into: &speakerRows)
            orphans += try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM article_fts_docsize WHERE id NOT IN (SELECT rid FROM article))
                     + (SELECT count(*) FROM quotation WHERE article NOT IN (SELECT rid FROM article))
                     + (SELECT count(*) FROM quotation_fts_docsize WHERE id NOT IN (SELECT qid FROM quotation))
                """) ?? 0
        }
    }
}
