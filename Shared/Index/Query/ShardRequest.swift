import Foundation
import GRDB
import QuotewireModels

/// One question put to a set of shards: the unit of work every query is made of.
///
/// A query (search, quotations, speakers, ...) asks each shard for its part with a
/// `ShardRequest`, then merges the parts (``ShardGatherer``). The shards may be open in this
/// process or held by another node; the request and its ``ShardResult`` are Codable so they
/// cross the wire between query services (`POST /internal/v1/shards`) unchanged.
public enum ShardRequest: Codable, Sendable, Equatable {
    /// A shard's figures for the phrases of a search (``GlobalRank``).
    case termStatistics(query: String)
    /// A shard's best `window` hits of a search (``SearchQuery`` text), in `sort` order, ranked
    /// with the whole index's figures when `ranking` is given.
    case search(query: String, sort: SearchSort, window: Int, ranking: SearchRanking?)
    /// A shard's facet counts of a search.
    case facets(query: String, sort: SearchSort)
    /// Snippets of hits, each answered by the shard of its partition.
    case snippets(query: String, rows: [SnippetRow])
    /// A shard's first quotations of a list.
    case quotations(QuotationFilter)
    /// Every speaker a shard has quoted, with counts.
    case speakers
    /// One speaker's counts in a shard (key folded, ``SpeakerName/fold(_:)``), if it quoted them.
    case speaker(folded: String)
    /// A shard's latest market quotes of a symbol.
    case ticker(symbol: String, since: Double, limit: Int)
    /// One article, if the shard holds it.
    case article(id: String)

    /// What the request does, for error messages.
    var purpose: String {
        switch self {
        case .termStatistics: "count the query's terms"
        case .search: "search"
        case .facets: "count facets"
        case .snippets: "make snippets"
        case .quotations: "list quotations"
        case .speakers: "list speakers"
        case .speaker: "describe a speaker"
        case .ticker: "list market quotes"
        case .article: "read an article"
        }
    }

    /// Checks the sizes a peer may ask for: what a client's request could lead to, no more.
    /// - Throws: ``IndexError`` `.invalidArgument` for a window, limit or row list out of bounds.
    public func validate() throws(IndexError) {
        let ok = switch self {
        case let .search(_, _, window, _): (1...(SearchCursor.maximumOffset + QueryLimits.search.maximum + 1)).contains(window)
        case let .snippets(_, rows): rows.count <= QueryLimits.search.maximum
        case let .quotations(filter): (1...(QueryLimits.quotations.maximum + 1)).contains(filter.limit)
        case let .ticker(_, _, limit): (1...QueryLimits.tickers.maximum).contains(limit)
        case .termStatistics, .facets, .speakers, .speaker, .article: true
        }
        guard ok else { throw IndexError(.invalidArgument, "the shard request asks for more than a query can") }
    }

    /// Answers the request from one shard.
    func answer(_ db: Database, partition: Int) throws -> ShardResult {
        switch self {
        case let .termStatistics(text):
            return .termStatistics(try SearchTermStatistics.read(db, plan: SearchPlan(query: SearchQuery(text), sort: .relevance)))
        case let .search(text, sort, window, ranking):
            return .hits(try SearchPlan(query: SearchQuery(text), sort: sort, ranking: ranking).hits(db, window: window))
        case let .facets(text, sort):
            return .facets(try SearchPlan(query: SearchQuery(text), sort: sort).facetCounts(db))
        case let .snippets(text, rows):
            let query = try SearchQuery(text)
            let words = MatchWords(query)
            return .snippets(try rows.filter { $0.partition == partition }.map {
                try IndexReader.snippet(db, type: $0.type, rowID: $0.rowID, query: query, words: words)
            })
        case let .quotations(filter):
            return .quotations(try filter.rows(db, partition: partition))
        case .speakers:
            return .speakers(try SpeakerRow.all(db))
        case let .speaker(folded):
            return .speaker(try SpeakerCounts.read(db, folded: folded))
        case let .ticker(symbol, since, limit):
            return .ticker(try TickerRow.latest(db, symbol: symbol, since: since, limit: limit))
        case let .article(id):
            return .article(try IndexReader.loadArticle(id, db))
        }
    }
}

/// A shard's part of an answer; its case matches the ``ShardRequest`` it answers.
public enum ShardResult: Codable, Sendable, Equatable {
    case termStatistics(SearchTermStatistics)
    case hits([RankedHit])
    case facets(SearchFacets.Counts)
    case snippets([String])
    case quotations([QuotationRow])
    case speakers([SpeakerRow])
    case speaker(SpeakerCounts?)
    case ticker([TickerRow])
    case article(StoredArticle?)
}

/// One shard's answer.
public struct PartitionAnswer: Codable, Sendable, Equatable {
    public var partition: Int
    public var result: ShardResult

    public init(partition: Int, result: ShardResult) {
        self.partition = partition
        self.result = result
    }
}

/// The answers of the shards that answered, in partition order, and the partitions that did
/// not (no node serves them, or their node did not answer in time).
public struct GatheredAnswers: Codable, Sendable, Equatable {
    public var answers: [PartitionAnswer]
    public var missing: [Int]

    public init(answers: [PartitionAnswer], missing: [Int]) {
        self.answers = answers.sorted { $0.partition < $1.partition }
        self.missing = missing.sorted()
    }

    /// Each answer's payload, taken out by `extract`.
    /// - Throws: ``IndexError`` `.database` when a shard answered with another kind of result.
    func each<T>(_ purpose: String, _ extract: (ShardResult) -> T?) throws(IndexError) -> [(partition: Int, value: T)] {
        var out: [(partition: Int, value: T)] = []
        out.reserveCapacity(answers.count)
        for answer in answers {
            guard let value = extract(answer.result) else {
                throw IndexError(.database, "a shard answered \(purpose) with something else", partition: answer.partition)
            }
            out.append((answer.partition, value))
        }
        return out
    }
}

/// A search hit in a shard, with what orders it among the hits of other shards.
public struct RankedHit: Codable, Sendable, Equatable {
    public var hit: SearchHit
    public var rowID: Int64
    /// Published, else received, else indexed: the sort time of the row.
    public var time: Double
}

/// A hit whose snippet is wanted: its shard, kind and row.
public struct SnippetRow: Codable, Sendable, Equatable {
    public var partition: Int
    public var type: SearchHitType
    public var rowID: Int64
}

/// A quotation in a shard with its place in the list order.
public struct QuotationRow: Codable, Sendable, Equatable {
    public var item: QuotationItem
    public var time: Double
    public var rowID: Int64
}

/// A speaker row of a shard: the speaker's total there and one of their mentions.
public struct SpeakerRow: Codable, Sendable, Equatable {
    public var name: String
    public var folded: String
    public var quotations: Int
    public var mention: String?
    public var mentionCount: Int

    static func all(_ db: Database) throws -> [SpeakerRow] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.name, s.foldedName, s.quotations, m.mention, m.quotations AS mentionCount
            FROM speaker s LEFT JOIN speaker_mention m ON m.sid = s.sid
            WHERE s.quotations > 0
            """)).map { row in
            SpeakerRow(name: row["name"], folded: row["foldedName"], quotations: row["quotations"],
                       mention: row["mention"], mentionCount: row["mentionCount"] ?? 0)
        }
    }
}

/// A market quote of a shard with its row, which orders quotes seen at the same time.
public struct TickerRow: Codable, Sendable, Equatable {
    public var quote: TickerQuote
    public var rowID: Int64

    static func latest(_ db: Database, symbol: String, since: Double, limit: Int) throws -> [TickerRow] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT m.mid, m.price, m.changePercent, m.currency, m.exchange, m.seenAt, a.articleId
            FROM market_quote m JOIN article a ON a.rid = m.article
            WHERE m.symbol = ? AND m.seenAt >= ?
            ORDER BY m.seenAt DESC, m.mid DESC LIMIT ?
            """), arguments: [symbol, since, limit]).map { row in
            TickerRow(
                quote: TickerQuote(price: row["price"], changePercent: row["changePercent"], currency: row["currency"],
                                   exchange: row["exchange"], articleId: row["articleId"],
                                   seenAt: Date(timeIntervalSince1970: row["seenAt"])),
                rowID: row["mid"])
        }
    }
}

/// The parameters of a quotation list as each shard applies them.
public struct QuotationFilter: Codable, Sendable, Equatable {
    /// The speaker filter, folded (``SpeakerName/fold(_:)``).
    var speaker: String?
    /// True when `speaker` is the whole key (one speaker's list), not a part of one.
    var exactSpeaker: Bool? = nil
    /// The FTS5 pattern of the text filter.
    var pattern: String?
    var since: Double?
    /// Where the previous page ended.
    var after: QuotationCursor?
    /// Rows each shard returns: the page and one more.
    var limit: Int

    func rows(_ db: Database, partition: Int) throws -> [QuotationRow] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible & Sendable] = []
        if let speaker {
            conditions.append(exactSpeaker == true ? "q.sid IN (SELECT sid FROM speaker WHERE foldedName = ?)"
                : "q.sid IN (SELECT sid FROM speaker WHERE instr(foldedName, ?) > 0)")
            arguments.append(speaker)
        }
        if let pattern {
            conditions.append("q.qid IN (SELECT rowid FROM quotation_fts WHERE quotation_fts MATCH ?)")
            arguments.append(pattern)
        }
        if let since {
            conditions.append("q.sortTime >= ?")
            arguments.append(since)
        }
        if let after {
            // After the cursor in (time DESC, partition, qid DESC): an earlier time, or the same
            // time and a later place; the bound of qid for that depends on this shard's partition.
            conditions.append("(q.sortTime < ? OR (q.sortTime = ? AND q.qid < ?))")
            arguments += [after.time, after.time,
                          partition > after.partition ? Int64.max : partition == after.partition ? after.rowID : 0]
        }
        arguments.append(limit)
        let sql = """
            SELECT q.qid, q.ordinal, q.text, q.speaker, q.speakerMention, q.speakerRole, q.kind, q.sortTime,
                   a.articleId, a.headline, a.source, a.publishedAt, a.receivedAt
            FROM quotation q JOIN article a ON a.rid = q.article
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY q.sortTime DESC, q.qid DESC LIMIT ?
            """
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)).map { row in
            let item = QuotationItem(
                text: row["text"], speaker: row["speaker"], speakerMention: row["speakerMention"],
                speakerRole: row["speakerRole"], kind: QuotationKind(rawValue: row["kind"] ?? "") ?? .direct,
                articleId: row["articleId"], headline: IndexReader.nonEmpty(row["headline"]), source: row["source"],
                publishedAt: IndexReader.date(row["publishedAt"]), receivedAt: IndexReader.date(row["receivedAt"]),
                quotationId: QuotationID(articleId: row["articleId"], ordinal: row["ordinal"]).description)
            return QuotationRow(item: item, time: row["sortTime"], rowID: row["qid"])
        }
    }
}
