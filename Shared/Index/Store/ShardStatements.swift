import Foundation
import GRDB
import QuotewireModels

/// The SQL of the write path, on cached prepared statements of the writer connection.
enum ShardStatements {
    /// Paragraphs are stored as one body text, separated by a blank line.
    static let paragraphSeparator = "\n\n"

    static func apply(
        _ batch: IndexBatch, in db: Database, afterOperation: (@Sendable (Int) throws -> Void)?
    ) throws {
        for (index, operation) in batch.operations.enumerated() {
            switch operation {
            case .upsert(let article, let seenAt, let offset):
                try upsert(article, seenAt: seenAt, offset: offset, in: db)
            case .delete(let articleId, _):
                if let rid = try articleRowID(articleId, in: db) { try remove(rid: rid, in: db) }
            }
            try afterOperation?(index)
        }
        let now = Date().timeIntervalSince1970
        let record = try db.cachedStatement(sql: """
            INSERT INTO consumed_offset (topic, partition, nextOffset, updatedAt) VALUES (?, ?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE SET nextOffset = excluded.nextOffset, updatedAt = excluded.updatedAt
            """)
        for offset in batch.offsets {
            try record.execute(arguments: [offset.topic, offset.partition, offset.nextOffset, now])
        }
    }

    static func articleRowID(_ articleId: String, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT rid FROM article WHERE articleId = ?"), arguments: [articleId])
    }

    static func upsert(_ article: ParsedArticle, seenAt: Date, offset: Int64, in db: Database) throws {
        if let rid = try articleRowID(article.articleId, in: db) { try remove(rid: rid, in: db) }
        let seen = seenAt.timeIntervalSince1970
        let sortTime = (article.publishedAt ?? article.receivedAt)?.timeIntervalSince1970 ?? seen
        let headings = String(decoding: try JSONEncoder().encode(article.headings), as: UTF8.self)
        let insertArticle = try db.cachedStatement(sql: """
            INSERT INTO article (articleId, schemaVersion, source, headline, byline, caption, photoCredit, headings,
                url, publishedAt, receivedAt, seenAt, sortTime, body, kafkaOffset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let articleArguments: StatementArguments = [
            article.articleId, article.schemaVersion, article.source, article.headline ?? "", article.byline,
            article.caption, article.photoCredit, headings, article.url,
            article.publishedAt?.timeIntervalSince1970, article.receivedAt?.timeIntervalSince1970, seen, sortTime,
            article.paragraphs.joined(separator: paragraphSeparator), offset,
        ]
        try insertArticle.execute(arguments: articleArguments)
        let rid = db.lastInsertedRowID

        if !article.quotations.isEmpty {
            let insertQuotation = try db.cachedStatement(sql: """
                INSERT INTO quotation (article, ordinal, text, speaker, sid, speakerMention, speakerRole, cue, kind,
                    startOffset, endOffset, sortTime)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (ordinal, quotation) in article.quotations.enumerated() {
                let speaker = quotation.speaker.flatMap(SpeakerName.canonical)
                var sid: Int64?
                if let speaker {
                    sid = try countSpeaker(speaker, mention: quotation.speakerMention, in: db)
                }
                let arguments: StatementArguments = [
                    rid, ordinal, quotation.text, speaker, sid, quotation.speakerMention, quotation.speakerRole,
                    quotation.cue, quotation.kind.rawValue, quotation.start, quotation.end, sortTime,
                ]
                try insertQuotation.execute(arguments: arguments)
            }
        }
        if !article.marketQuotes.isEmpty {
            let insertQuote = try db.cachedStatement(sql: """
                INSERT INTO market_quote (article, symbol, changePercent, price, currency, exchange, seenAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for quote in article.marketQuotes {
                let arguments: StatementArguments = [
                    rid, quote.symbol.uppercased(), quote.changePercent, quote.price, quote.currency, quote.exchange,
                    sortTime,
                ]
                try insertQuote.execute(arguments: arguments)
            }
        }
    }

    /// Adds one quotation to a speaker's counts (and its mention's); returns the speaker's row id.
    private static func countSpeaker(_ name: String, mention: String?, in db: Database) throws -> Int64? {
        let upsertSpeaker = try db.cachedStatement(sql: """
            INSERT INTO speaker (name, foldedName, quotations) VALUES (?, ?, 1)
            ON CONFLICT (foldedName) DO UPDATE SET quotations = quotations + 1
            RETURNING sid
            """)
        guard let sid = try Int64.fetchOne(upsertSpeaker, arguments: [name, SpeakerName.fold(name)]) else { return nil }
        if let mention, !mention.isEmpty {
            let upsertMention = try db.cachedStatement(sql: """
                INSERT INTO speaker_mention (sid, mention, quotations) VALUES (?, ?, 1)
                ON CONFLICT (sid, mention) DO UPDATE SET quotations = quotations + 1
                """)
            try upsertMention.execute(arguments: [sid, mention])
        }
        return sid
    }

    /// Removes an article, its quotations and market quotes, and its share of the speaker counts.
    static func remove(rid: Int64, in db: Database) throws {
        let quoted = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT sid, speakerMention FROM quotation WHERE article = ? AND sid IS NOT NULL"),
            arguments: [rid])
        if !quoted.isEmpty {
            var perSpeaker: [Int64: Int] = [:]
            var perMention: [MentionKey: Int] = [:]
            for row in quoted {
                let sid: Int64 = row["sid"]
                perSpeaker[sid, default: 0] += 1
                if let mention: String = row["speakerMention"], !mention.isEmpty {
                    perMention[MentionKey(sid: sid, mention: mention), default: 0] += 1
                }
            }
            let lowerSpeaker = try db.cachedStatement(sql: "UPDATE speaker SET quotations = quotations - ? WHERE sid = ?")
            let dropSpeaker = try db.cachedStatement(sql: "DELETE FROM speaker WHERE sid = ? AND quotations <= 0")
            let lowerMention = try db.cachedStatement(
                sql: "UPDATE speaker_mention SET quotations = quotations - ? WHERE sid = ? AND mention = ?")
            let dropMention = try db.cachedStatement(
                sql: "DELETE FROM speaker_mention WHERE sid = ? AND mention = ? AND quotations <= 0")
            for (key, count) in perMention {
                try lowerMention.execute(arguments: [count, key.sid, key.mention])
                try dropMention.execute(arguments: [key.sid, key.mention])
            }
            for (sid, count) in perSpeaker {
                try lowerSpeaker.execute(arguments: [count, sid])
                try dropSpeaker.execute(arguments: [sid])
            }
        }
        try db.cachedStatement(sql: "DELETE FROM quotation WHERE article = ?").execute(arguments: [rid])
        try db.cachedStatement(sql: "DELETE FROM market_quote WHERE article = ?").execute(arguments: [rid])
        try db.cachedStatement(sql: "DELETE FROM article WHERE rid = ?").execute(arguments: [rid])
    }

    static func counts(_ db: Database) throws -> IndexCounts {
        IndexCounts(
            articles: try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0,
            quotations: try Int.fetchOne(db, sql: "SELECT count(*) FROM quotation") ?? 0,
            speakers: try Int.fetchOne(db, sql: "SELECT count(*) FROM speaker") ?? 0,
            marketQuotes: try Int.fetchOne(db, sql: "SELECT count(*) FROM market_quote") ?? 0)
    }

    private struct MentionKey: Hashable {
        var sid: Int64
        var mention: String
    }
}
