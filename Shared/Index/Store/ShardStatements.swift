import Foundation
import GRDB
import QuotewireModels

/// The SQL of the write path, on cached prepared statements of the writer connection.
///
/// Written for FTS5's cost model: FTS5 keeps the terms of a transaction in memory and
/// writes them out as one segment at commit, but it must also write them out whenever
/// SQLite opens a statement savepoint, which it does for every statement that runs
/// triggers or is an `ON CONFLICT … DO UPDATE`. Such a statement between two FTS5 inserts
/// turns one segment per batch into one per row, and the merges that follow cost more
/// than everything else. So the store keeps the FTS5 tables in step itself, with plain
/// single-row inserts, and gathers the speaker counts of a batch in memory to write them
/// after the last full-text row (``BatchWriter``).
enum ShardStatements {
    /// Paragraphs are stored as one body text, separated by a blank line.
    static let paragraphSeparator = "\n\n"

    static func apply(
        _ batch: IndexBatch, in db: Database, afterOperation: (@Sendable (Int) throws -> Void)?
    ) throws {
        var writer = try BatchWriter(db: db, batch: batch)
        for (index, operation) in batch.operations.enumerated() {
            switch operation {
            case .upsert(let article, let seenAt, let offset):
                try writer.upsert(article, seenAt: seenAt, offset: offset)
            case .delete(let articleId, _):
                try writer.delete(articleId)
            }
            try afterOperation?(index)
        }
        try writer.finish(offsets: batch.offsets)
    }

    static func counts(_ db: Database) throws -> IndexCounts {
        IndexCounts(
            articles: try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0,
            quotations: try Int.fetchOne(db, sql: "SELECT count(*) FROM quotation") ?? 0,
            speakers: try Int.fetchOne(db, sql: "SELECT count(*) FROM speaker") ?? 0,
            marketQuotes: try Int.fetchOne(db, sql: "SELECT count(*) FROM market_quote") ?? 0)
    }

    /// A speaker and one of their aliases, as `speaker_mention` keys them.
    struct MentionKey: Hashable {
        var sid: Int64
        var mention: String
    }
}

/// The state of one batch inside its transaction.
///
/// Speakers are looked up (and new ones inserted with a zero count) before the first
/// row is written; quotation counts per speaker and per mention are summed while the
/// operations run and written by ``finish(offsets:)``.
private struct BatchWriter {
    let db: Database
    /// Speaker name as quoted (canonical) → row id, for every speaker the batch's upserts
    /// name. Names that fold alike share the row.
    private var speakerIDs: [String: Int64] = [:]
    private var speakerDeltas: [Int64: Int] = [:]
    private var mentionDeltas: [ShardStatements.MentionKey: Int] = [:]
    private let headingsEncoder = JSONEncoder()

    init(db: Database, batch: IndexBatch) throws {
        self.db = db
        try resolveSpeakers(of: batch)
    }

    /// Finds or creates the speaker row of every speaker the batch's upserts quote.
    private mutating func resolveSpeakers(of batch: IndexBatch) throws {
        let find = try db.cachedStatement(sql: "SELECT sid FROM speaker WHERE foldedName = ?")
        let create = try db.cachedStatement(sql: "INSERT INTO speaker (name, foldedName, quotations) VALUES (?, ?, 0)")
        var byFolded: [String: Int64] = [:]
        for case .upsert(let article, _, _) in batch.operations {
            for quotation in article.quotations {
                guard let speaker = quotation.speaker.flatMap(SpeakerName.canonical), speakerIDs[speaker] == nil
                else { continue }
                let folded = SpeakerName.fold(speaker)
                if let sid = byFolded[folded] {
                    speakerIDs[speaker] = sid
                } else if let sid = try Int64.fetchOne(find, arguments: [folded]) {
                    (byFolded[folded], speakerIDs[speaker]) = (sid, sid)
                } else {
                    try create.execute(arguments: [speaker, folded])
                    (byFolded[folded], speakerIDs[speaker]) = (db.lastInsertedRowID, db.lastInsertedRowID)
                }
            }
        }
    }

    mutating func upsert(_ article: ParsedArticle, seenAt: Date, offset: Int64) throws {
        if let rid = try articleRowID(article.articleId) { try remove(rid: rid) }
        let seen = seenAt.timeIntervalSince1970
        let sortTime = (article.publishedAt ?? article.receivedAt)?.timeIntervalSince1970 ?? seen
        // What goes into the full-text indexes (and the rows they are built from) carries no snippet marks.
        let headline = SnippetMarks.scrubbed(article.headline ?? "")
        let body = SnippetMarks.scrubbed(article.paragraphs.joined(separator: ShardStatements.paragraphSeparator))
        let headings = String(decoding: try headingsEncoder.encode(article.headings), as: UTF8.self)
        var insertArticle = try bound("""
            INSERT INTO article (articleId, schemaVersion, source, headline, byline, caption, photoCredit, headings,
                url, publishedAt, receivedAt, seenAt, sortTime, body, kafkaOffset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertArticle.bind(article.articleId)
        insertArticle.bind(article.schemaVersion)
        insertArticle.bind(article.source)
        insertArticle.bind(headline)
        insertArticle.bind(article.byline)
        insertArticle.bind(article.caption)
        insertArticle.bind(article.photoCredit)
        insertArticle.bind(headings)
        insertArticle.bind(article.url)
        insertArticle.bind(article.publishedAt?.timeIntervalSince1970)
        insertArticle.bind(article.receivedAt?.timeIntervalSince1970)
        insertArticle.bind(seen)
        insertArticle.bind(sortTime)
        insertArticle.bind(body)
        insertArticle.bind(offset)
        let rid = try insertArticle.run()
        var indexArticle = try bound("INSERT INTO article_fts (rowid, headline, body) VALUES (?, ?, ?)")
        indexArticle.bind(rid)
        indexArticle.bind(headline)
        indexArticle.bind(body)
        try indexArticle.run()

        if !article.quotations.isEmpty {
            var insertQuotation = try bound("""
                INSERT INTO quotation (article, ordinal, text, speaker, sid, speakerMention, speakerRole, cue, kind,
                    startOffset, endOffset, sortTime, attribution)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var indexQuotation = try bound("INSERT INTO quotation_fts (rowid, text, speaker) VALUES (?, ?, ?)")
            for (ordinal, quotation) in article.quotations.enumerated() {
                let speaker = quotation.speaker.flatMap(SpeakerName.canonical)
                let text = SnippetMarks.scrubbed(quotation.text)
                let sid = speaker.flatMap { speakerIDs[$0] }
                if let sid { count(sid: sid, mention: quotation.speakerMention, by: 1) }
                insertQuotation.bind(rid)
                insertQuotation.bind(ordinal)
                insertQuotation.bind(text)
                insertQuotation.bind(speaker)
                insertQuotation.bind(sid)
                insertQuotation.bind(quotation.speakerMention)
                insertQuotation.bind(quotation.speakerRole)
                insertQuotation.bind(quotation.cue)
                insertQuotation.bind(quotation.kind.rawValue)
                insertQuotation.bind(quotation.start)
                insertQuotation.bind(quotation.end)
                insertQuotation.bind(sortTime)
                insertQuotation.bind(quotation.attribution)
                let qid = try insertQuotation.run()
                indexQuotation.bind(qid)
                indexQuotation.bind(text)
                indexQuotation.bind(speaker)
                try indexQuotation.run()
            }
        }
        if !article.marketQuotes.isEmpty {
            var insertQuote = try bound("""
                INSERT INTO market_quote (article, symbol, changePercent, price, currency, exchange, seenAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for quote in article.marketQuotes {
                insertQuote.bind(rid)
                insertQuote.bind(quote.symbol.uppercased())
                insertQuote.bind(quote.changePercent)
                insertQuote.bind(quote.price)
                insertQuote.bind(quote.currency)
                insertQuote.bind(quote.exchange)
                insertQuote.bind(sortTime)
                try insertQuote.run()
            }
        }
    }

    mutating func delete(_ articleId: String) throws {
        if let rid = try articleRowID(articleId) { try remove(rid: rid) }
    }

    /// Writes the batch's speaker and mention counts (dropping those that reach zero),
    /// then the offsets.
    func finish(offsets: [ConsumedOffset]) throws {
        if !mentionDeltas.isEmpty {
            let addMention = try db.cachedStatement(sql: """
                INSERT INTO speaker_mention (sid, mention, quotations) VALUES (?, ?, ?)
                ON CONFLICT (sid, mention) DO UPDATE SET quotations = quotations + excluded.quotations
                """)
            let dropMention = try db.cachedStatement(
                sql: "DELETE FROM speaker_mention WHERE sid = ? AND mention = ? AND quotations <= 0")
            for (key, delta) in mentionDeltas {
                if delta != 0 { try addMention.execute(arguments: [key.sid, key.mention, delta]) }
                if delta <= 0 { try dropMention.execute(arguments: [key.sid, key.mention]) }
            }
        }
        let addSpeaker = try db.cachedStatement(sql: "UPDATE speaker SET quotations = quotations + ? WHERE sid = ?")
        let dropSpeaker = try db.cachedStatement(sql: "DELETE FROM speaker WHERE sid = ? AND quotations <= 0")
        for (sid, delta) in speakerDeltas {
            if delta != 0 { try addSpeaker.execute(arguments: [delta, sid]) }
            if delta <= 0 { try dropSpeaker.execute(arguments: [sid]) }
        }
        let now = Date().timeIntervalSince1970
        let record = try db.cachedStatement(sql: """
            INSERT INTO consumed_offset (topic, partition, nextOffset, updatedAt) VALUES (?, ?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE SET nextOffset = excluded.nextOffset, updatedAt = excluded.updatedAt
            """)
        for offset in offsets {
            try record.execute(arguments: [offset.topic, offset.partition, offset.nextOffset, now])
        }
    }

    private func bound(_ sql: String) throws -> BoundStatement {
        BoundStatement(try db.cachedStatement(sql: sql), in: db)
    }

    private func articleRowID(_ articleId: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT rid FROM article WHERE articleId = ?"), arguments: [articleId])
    }

    private mutating func count(sid: Int64, mention: String?, by delta: Int) {
        speakerDeltas[sid, default: 0] += delta
        if let alias = mention.flatMap(SpeakerName.alias) { mentionDeltas[ShardStatements.MentionKey(sid: sid, mention: alias), default: 0] += delta }
    }

    /// Removes an article, its quotations and market quotes, their full-text rows, and
    /// its share of the speaker counts.
    private mutating func remove(rid: Int64) throws {
        let quoted = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT sid, speakerMention FROM quotation WHERE article = ? AND sid IS NOT NULL"),
            arguments: [rid])
        for row in quoted {
            count(sid: row["sid"], mention: row["speakerMention"], by: -1)
        }
        try db.cachedStatement(sql: """
            INSERT INTO quotation_fts (quotation_fts, rowid, text, speaker)
            SELECT 'delete', qid, text, speaker FROM quotation WHERE article = ?
            """).execute(arguments: [rid])
        try db.cachedStatement(sql: """
            INSERT INTO article_fts (article_fts, rowid, headline, body)
            SELECT 'delete', rid, headline, body FROM article WHERE rid = ?
            """).execute(arguments: [rid])
        try db.cachedStatement(sql: "DELETE FROM quotation WHERE article = ?").execute(arguments: [rid])
        try db.cachedStatement(sql: "DELETE FROM market_quote WHERE article = ?").execute(arguments: [rid])
        try db.cachedStatement(sql: "DELETE FROM article WHERE rid = ?").execute(arguments: [rid])
    }
}
