import Foundation
import GRDB
import QuotewireModels

extension IndexReader {
    /// Quotations, newest first (the article's `publishedAt`, else `receivedAt`), a page at a time.
    ///
    /// - Parameters:
    ///   - speaker: a name or any part of it, case- and diacritic-insensitive ("rutte").
    ///   - text: optional search over the quotation: words, phrases, prefixes, AND/OR/NOT and
    ///     parentheses as in ``SearchQuery`` (its field filters belong to ``search(_:limit:cursor:sort:facets:)``).
    ///   - since: only quotations from articles at or after this time.
    ///   - limit: ``QueryLimits/quotations``.
    ///   - cursor: the `nextCursor` of the previous page, for the same parameters.
    public func quotations(
        speaker: String? = nil, text: String? = nil, since: Date? = nil, limit: Int? = nil, cursor: String? = nil
    ) async throws(IndexError) -> QuotationList {
        let limit = try QueryLimits.quotations.validate(limit)
        var folded: String?
        if let speaker {
            guard speaker.unicodeScalars.count <= QueryLimits.maximumSpeakerLength else {
                throw IndexError(.invalidArgument, "speaker must be at most \(QueryLimits.maximumSpeakerLength) characters")
            }
            let key = SpeakerName.fold(speaker)
            guard key.contains(where: { $0.isLetter || $0.isNumber }) else {
                throw IndexError(.invalidArgument, "speaker must contain a letter or digit")
            }
            folded = key
        }
        let pattern = try text.map { (t: String) throws(IndexError) -> String in
            let query = try SearchQuery(t)
            guard query.filters.isEmpty, let pattern = query.pattern else {
                throw IndexError(.invalidQuery, "q takes words to search for here; filter with the speaker and since parameters")
            }
            return pattern
        }
        let fingerprint = SearchCursor.fingerprint(of: [folded ?? "", pattern ?? "", since.map { "\($0.timeIntervalSince1970)" } ?? ""]
            .joined(separator: "|"))
        let after = try cursor.map { (c: String) throws(IndexError) in try QuotationCursor(decoding: c, fingerprint: fingerprint) }
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible & Sendable] = []
        if let folded {
            conditions.append("q.sid IN (SELECT sid FROM speaker WHERE instr(foldedName, ?) > 0)")
            arguments.append(folded)
        }
        if let pattern {
            conditions.append("q.qid IN (SELECT rowid FROM quotation_fts WHERE quotation_fts MATCH ?)")
            arguments.append(pattern)
        }
        if let since {
            conditions.append("q.sortTime >= ?")
            arguments.append(since.timeIntervalSince1970)
        }
        if let after {
            // After the cursor in (time DESC, partition, qid DESC): an earlier time, or the same
            // time and a later place; the bound of qid for that depends on the shard's partition.
            conditions.append("(q.sortTime < ? OR (q.sortTime = ? AND q.qid < ?))")
            arguments += [after.time, after.time]
        }
        let sql = """
            SELECT q.qid, q.text, q.speaker, q.speakerMention, q.speakerRole, q.kind, q.sortTime,
                   a.articleId, a.headline, a.source, a.publishedAt, a.receivedAt
            FROM quotation q JOIN article a ON a.rid = q.article
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY q.sortTime DESC, q.qid DESC LIMIT ?
            """
        let fixed = arguments
        let perShard = try await eachShard(of: try currentShards(), "list quotations") { partition, db in
            var bound = fixed
            if let after {
                bound.append(partition > after.partition ? Int64.max : partition == after.partition ? after.rowID : 0)
            }
            bound.append(limit + 1)
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(bound)).map { row in
                let item = QuotationItem(
                    text: row["text"], speaker: row["speaker"], speakerMention: row["speakerMention"],
                    speakerRole: row["speakerRole"], kind: QuotationKind(rawValue: row["kind"] ?? "") ?? .direct,
                    articleId: row["articleId"], headline: Self.nonEmpty(row["headline"]), source: row["source"],
                    publishedAt: Self.date(row["publishedAt"]), receivedAt: Self.date(row["receivedAt"]))
                return SortedItem(item: item, time: row["sortTime"], rowID: row["qid"], partition: partition)
            }
        }
        let merged = perShard.joined().sorted { lhs, rhs in
            if lhs.time != rhs.time { return lhs.time > rhs.time }
            if lhs.partition != rhs.partition { return lhs.partition < rhs.partition }
            return lhs.rowID > rhs.rowID
        }
        let page = merged.prefix(limit)
        let next = merged.count > limit ? page.last.map {
            QuotationCursor(time: $0.time, partition: $0.partition, rowID: $0.rowID, fingerprint: fingerprint).encoded
        } : nil
        return QuotationList(quotations: page.map(\.item), nextCursor: next)
    }

    private struct SortedItem: Sendable {
        var item: QuotationItem
        var time: Double
        var rowID: Int64
        var partition: Int
    }

    /// Speakers with their quotation counts over every shard, most quoted first.
    public func speakers(limit: Int? = nil) async throws(IndexError) -> SpeakerList {
        let limit = try QueryLimits.speakers.validate(limit)
        let perShard = try await eachShard("list speakers") { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.name, s.foldedName, s.quotations, m.mention, m.quotations AS mentionCount
                FROM speaker s LEFT JOIN speaker_mention m ON m.sid = s.sid
                WHERE s.quotations > 0
                """)).map { row in
                SpeakerRow(name: row["name"], folded: row["foldedName"], quotations: row["quotations"],
                           mention: row["mention"], mentionCount: row["mentionCount"] ?? 0)
            }
        }
        var byKey: [String: (name: String, quotations: Int, mentions: [String: Int])] = [:]
        var countedPerShard: Set<String> = []
        for (shardIndex, rows) in perShard.enumerated() {
            for row in rows {
                var entry = byKey[row.folded] ?? (row.name, 0, [:])
                // A speaker's total appears on each of its mention rows: count it once per shard.
                if countedPerShard.insert("\(shardIndex)\u{0}\(row.folded)").inserted { entry.quotations += row.quotations }
                if let mention = row.mention { entry.mentions[mention, default: 0] += row.mentionCount }
                byKey[row.folded] = entry
            }
        }
        let speakers = byKey.values
            .map { entry in
                SpeakerItem(
                    name: entry.name, quotations: entry.quotations,
                    mentions: entry.mentions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                        .map(\.key))
            }
            .sorted { $0.quotations != $1.quotations ? $0.quotations > $1.quotations : $0.name < $1.name }
        return SpeakerList(speakers: Array(speakers.prefix(limit)))
    }

    private struct SpeakerRow: Sendable {
        var name: String
        var folded: String
        var quotations: Int
        var mention: String?
        var mentionCount: Int
    }

    /// Checks a ticker symbol and returns it upper-cased: 1–16 of `A-Z 0-9 . - ^ = _`.
    public static func validateSymbol(_ symbol: String) throws(IndexError) -> String {
        let upper = symbol.uppercased()
        guard (1...16).contains(upper.count),
              upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-^=_".contains($0)) })
        else { throw IndexError(.invalidArgument, "a symbol is 1 to 16 letters, digits or . - ^ = _") }
        return upper
    }

    /// The market quotes seen for `symbol`: the latest `limit`, returned oldest first.
    public func ticker(_ symbol: String, since: Date? = nil, limit: Int? = nil) async throws(IndexError) -> TickerHistory {
        let symbol = try Self.validateSymbol(symbol)
        let limit = try QueryLimits.tickers.validate(limit)
        let since = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let perShard = try await eachShard("list market quotes") { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT m.mid, m.price, m.changePercent, m.currency, m.exchange, m.seenAt, a.articleId
                FROM market_quote m JOIN article a ON a.rid = m.article
                WHERE m.symbol = ? AND m.seenAt >= ?
                ORDER BY m.seenAt DESC, m.mid DESC LIMIT ?
                """), arguments: [symbol, since, limit]).map { row in
                (TickerQuote(price: row["price"], changePercent: row["changePercent"], currency: row["currency"],
                             exchange: row["exchange"], articleId: row["articleId"],
                             seenAt: Date(timeIntervalSince1970: row["seenAt"])), row["mid"] as Int64)
            }
        }
        let latest = perShard.enumerated()
            .flatMap { shardIndex, rows in rows.map { ($0.0, $0.1, shardIndex) } }
            .sorted { lhs, rhs in
                if lhs.0.seenAt != rhs.0.seenAt { return lhs.0.seenAt > rhs.0.seenAt }
                if lhs.2 != rhs.2 { return lhs.2 < rhs.2 }
                return lhs.1 > rhs.1
            }
            .prefix(limit)
        return TickerHistory(symbol: symbol, quotes: latest.reversed().map(\.0))
    }

    /// Checks an article id: 1–200 of `A-Z a-z 0-9 _ - . :`, and no `..`.
    public static func validateArticleID(_ id: String) throws(IndexError) -> String {
        guard (1...200).contains(id.count), !id.contains(".."),
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.:".contains($0)) })
        else { throw IndexError(.invalidArgument, "an article id is 1 to 200 letters, digits or _ - . :") }
        return id
    }

    /// One article by id, with its quotations and market quotes.
    /// - Throws: ``IndexError`` `.notFound` when no shard holds it.
    public func article(id: String) async throws(IndexError) -> StoredArticle {
        let id = try Self.validateArticleID(id)
        let found = try await eachShard("read an article") { db in try Self.loadArticle(id, db) }
        guard let article = found.compactMap({ $0 }).max(by: { $0.seenAt < $1.seenAt }) else {
            throw IndexError(.notFound, "no article with id \(id)")
        }
        return article
    }

    private static func loadArticle(_ id: String, _ db: Database) throws -> StoredArticle? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM article WHERE articleId = ?"),
                                         arguments: [id])
        else { return nil }
        let rid: Int64 = row["rid"]
        let quotations = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT text, speaker, speakerMention, speakerRole, cue, kind, startOffset, endOffset
            FROM quotation WHERE article = ? ORDER BY ordinal
            """), arguments: [rid]).map { q in
            Quotation(text: q["text"], speaker: q["speaker"], speakerMention: q["speakerMention"],
                      speakerRole: q["speakerRole"], cue: q["cue"],
                      kind: QuotationKind(rawValue: q["kind"] ?? "") ?? .direct,
                      start: q["startOffset"], end: q["endOffset"])
        }
        let quotes = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT symbol, changePercent, price, currency, exchange FROM market_quote WHERE article = ? ORDER BY mid
            """), arguments: [rid]).map { m in
            MarketQuote(symbol: m["symbol"], changePercent: m["changePercent"], price: m["price"],
                        currency: m["currency"], exchange: m["exchange"])
        }
        let headingsJSON: String = row["headings"] ?? "[]"
        let headings = (try? JSONDecoder().decode([String].self, from: Data(headingsJSON.utf8))) ?? []
        let body: String = row["body"] ?? ""
        let article = ParsedArticle(
            schemaVersion: row["schemaVersion"], articleId: row["articleId"], source: row["source"],
            headline: nonEmpty(row["headline"]), byline: row["byline"], caption: row["caption"],
            photoCredit: row["photoCredit"], headings: headings, url: row["url"],
            publishedAt: date(row["publishedAt"]), receivedAt: date(row["receivedAt"]),
            paragraphs: body.isEmpty ? [] : body.components(separatedBy: ShardStatements.paragraphSeparator),
            quotations: quotations, marketQuotes: quotes)
        return StoredArticle(article: article, seenAt: Date(timeIntervalSince1970: row["seenAt"]))
    }
}
