import Foundation
import GRDB

/// The order of search results.
public enum SearchSort: String, Sendable, Codable, CaseIterable {
    /// Best bm25 match first.
    case relevance
    /// Latest published (else received) first.
    case newest
    /// Earliest published (else received) first.
    case oldest
}

/// A ``SearchQuery`` as SQL over one shard: which rows of each kind match, in which order,
/// and how they are counted for facets. The query's text is bound, never pasted.
struct SearchPlan: Sendable {
    let query: SearchQuery
    let sort: SearchSort
    /// The whole index's figures to rank with (``GlobalRank``); nil ranks by each shard's
    /// own (FTS5's bm25()).
    var ranking: SearchRanking? = nil

    /// The kinds of hit the query asks for.
    var types: [SearchHitType] {
        query.filters.type.map { [$0] } ?? [.article, .quotation]
    }

    /// The FTS5 table of a kind of hit and its column weights (title or text above the rest).
    static func table(_ type: SearchHitType) -> (fts: String, weights: String) {
        type == .article ? ("article_fts", "4.0, 1.0") : ("quotation_fts", "2.0, 1.0")
    }

    /// The `FROM … WHERE …` of one kind of hit, and its arguments. Article rows are `a`,
    /// quotation rows `q` (joined to their article `a`); with no ``ranking`` FTS5's `rank` is
    /// the shard's bm25.
    private func source(_ type: SearchHitType)
        -> (sql: String, arguments: [any DatabaseValueConvertible & Sendable], rowID: String, time: String)
    {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible & Sendable] = []
        let (fts, weights) = Self.table(type)
        let (table, rowID, time) = type == .article ? ("article a", "a.rid", "a.sortTime") : ("quotation q", "q.qid", "q.sortTime")
        var from = table
        if let pattern = query.pattern {
            from = "\(fts) JOIN \(table) ON \(rowID) = \(fts).rowid"
            conditions.append("\(fts) MATCH ?")
            if ranking == nil { conditions.append("rank MATCH 'bm25(\(weights))'") }
            arguments.append(pattern)
        }
        if type == .quotation { from += " JOIN article a ON a.rid = q.article" }
        let filters = query.filters
        if !filters.speakers.isEmpty {
            let speakers = "SELECT sid FROM speaker WHERE "
                + Array(repeating: "instr(foldedName, ?) > 0", count: filters.speakers.count).joined(separator: " OR ")
            conditions.append(type == .quotation
                ? "q.sid IN (\(speakers))"
                : "EXISTS (SELECT 1 FROM quotation s WHERE s.article = a.rid AND s.sid IN (\(speakers)))")
            arguments += filters.speakers
        }
        if !filters.sources.isEmpty {
            conditions.append("(" + Array(repeating: "a.source = ? COLLATE NOCASE", count: filters.sources.count)
                .joined(separator: " OR ") + ")")
            arguments += filters.sources
        }
        if !filters.tickers.isEmpty {
            let marks = Array(repeating: "?", count: filters.tickers.count).joined(separator: ", ")
            conditions.append("EXISTS (SELECT 1 FROM market_quote m WHERE m.article = a.rid AND m.symbol IN (\(marks)))")
            arguments += filters.tickers
        }
        if let since = filters.since {
            conditions.append("\(time) >= ?")
            arguments.append(since.timeIntervalSince1970)
        }
        if let until = filters.until {
            conditions.append("\(time) < ?")
            arguments.append(until.timeIntervalSince1970)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return ("FROM " + from + whereClause, arguments, rowID, time)
    }

    /// The best `window` hits of each kind in one shard, in the plan's order.
    func hits(_ db: Database, window: Int) throws -> [RankedHit] {
        var hits: [RankedHit] = []
        for type in types {
            let (from, arguments, rowID, time) = source(type)
            let order = switch sort {
            case .relevance where query.pattern != nil: "hitRank, \(rowID)"
            case .relevance, .newest: "\(time) DESC, \(rowID) DESC"
            case .oldest: "\(time), \(rowID)"
            }
            var rank = query.pattern == nil ? "0.0" : "rank"
            var rankArguments: [any DatabaseValueConvertible & Sendable] = []
            if query.pattern != nil, let statistics = ranking?[type] {
                let (fts, weights) = Self.table(type)
                rank = "\(RankFunction.name)(\(fts), ?, \(weights))"
                rankArguments = [statistics.argument]
            }
            let columns = type == .article
                ? "a.articleId, a.headline, a.source, a.publishedAt, a.receivedAt"
                : "q.text, q.speaker, q.ordinal, a.articleId, a.headline, a.source, a.publishedAt, a.receivedAt"
            let sql = "SELECT \(rowID) AS hitRow, \(time) AS hitTime, \(rank) AS hitRank, \(columns) \(from) ORDER BY \(order) LIMIT ?"
            let bound = StatementArguments(rankArguments + arguments + [window])
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: bound) {
                let hit = SearchHit(
                    type: type, articleId: row["articleId"], headline: IndexReader.nonEmpty(row["headline"]),
                    snippet: "", score: -(row["hitRank"] as Double? ?? 0),
                    text: type == .quotation ? row["text"] : nil, speaker: type == .quotation ? row["speaker"] : nil,
                    source: row["source"], publishedAt: IndexReader.date(row["publishedAt"]),
                    receivedAt: IndexReader.date(row["receivedAt"]),
                    quotationId: type == .quotation ? QuotationID(articleId: row["articleId"], ordinal: row["ordinal"]).description : nil)
                hits.append(RankedHit(hit: hit, rowID: row["hitRow"], time: row["hitTime"]))
            }
        }
        return hits
    }

    /// Whether hit `lhs` (from partition `ls`) comes before `rhs` (from partition `rs`) in the merged
    /// results: the plan's key, then articles before quotations, then partition, then row.
    func precedes(_ lhs: RankedHit, _ ls: Int, _ rhs: RankedHit, _ rs: Int) -> Bool {
        switch sort {
        case .relevance where query.pattern != nil:
            if lhs.hit.score != rhs.hit.score { return lhs.hit.score > rhs.hit.score }
        case .relevance, .newest:
            if lhs.time != rhs.time { return lhs.time > rhs.time }
        case .oldest:
            if lhs.time != rhs.time { return lhs.time < rhs.time }
        }
        if lhs.hit.type != rhs.hit.type { return lhs.hit.type == .article }
        if ls != rs { return ls < rs }
        return sort == .oldest || sort == .relevance && query.pattern != nil ? lhs.rowID < rhs.rowID : lhs.rowID > rhs.rowID
    }

    /// Every matching row of the shard counted by outlet, day and (quotations) speaker.
    func facetCounts(_ db: Database) throws -> SearchFacets.Counts {
        var counts = SearchFacets.Counts()
        for type in types {
            let (from, arguments, _, time) = source(type)
            let speaker = type == .quotation ? "q.speaker" : "NULL"
            let sql = """
                SELECT a.source AS source, CAST(\(time) / 86400 AS INTEGER) AS day, \(speaker) AS speaker, count(*) AS n
                \(from) GROUP BY 1, 2, 3
                """
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
                let n: Int = row["n"]
                counts.total += n
                if let source: String = row["source"], !source.isEmpty { counts.sources[source, default: 0] += n }
                if let speaker: String = row["speaker"], !speaker.isEmpty { counts.speakers[speaker, default: 0] += n }
                counts.days[row["day"] as Int64, default: 0] += n
            }
        }
        return counts
    }
}

/// How the results of a search spread over speakers, outlets and days (all of them, not just
/// the page).
public struct SearchFacets: Codable, Sendable, Equatable {
    /// One value and how many results carry it.
    public struct Count: Codable, Sendable, Equatable {
        public var value: String
        public var count: Int

        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// How many speakers and outlets are listed (the most frequent), and days (the latest).
    public static let maximumValues = 20
    public static let maximumDays = 100

    /// Results in all.
    public var total: Int
    /// Quotations per speaker, most first (unattributed ones are not counted).
    public var speakers: [Count]
    /// Results per outlet, most first.
    public var sources: [Count]
    /// Results per day (`YYYY-MM-DD`, UTC, of the published else received time), oldest first.
    public var days: [Count]

    public init(total: Int, speakers: [Count], sources: [Count], days: [Count]) {
        self.total = total
        self.speakers = speakers
        self.sources = sources
        self.days = days
    }

    /// One shard's raw counts.
    public struct Counts: Codable, Sendable, Equatable {
        var total = 0
        var speakers: [String: Int] = [:]
        var sources: [String: Int] = [:]
        /// By days since 1970-01-01.
        var days: [Int64: Int] = [:]
    }

    /// The shards' counts added up and cut to the listed sizes.
    init(merging shards: [Counts]) {
        var all = Counts()
        for shard in shards {
            all.total += shard.total
            all.speakers.merge(shard.speakers, uniquingKeysWith: +)
            all.sources.merge(shard.sources, uniquingKeysWith: +)
            all.days.merge(shard.days, uniquingKeysWith: +)
        }
        func top(_ counts: [String: Int]) -> [Count] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(Self.maximumValues).map { Count(value: $0.key, count: $0.value) }
        }
        let days = all.days.sorted { $0.key > $1.key }.prefix(Self.maximumDays).reversed().map { day, count in
            Count(value: Self.dayText(day), count: count)
        }
        self.init(total: all.total, speakers: top(all.speakers), sources: top(all.sources), days: days)
    }

    static func dayText(_ day: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(day) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.year ?? 1970)-\(two(parts.month))-\(two(parts.day))"
    }
}
