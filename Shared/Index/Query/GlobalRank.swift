import Foundation
import GRDB
import GRDBSQLite

// Relevance on the whole index's statistics.
//
// FTS5's bm25() scores a row with its own table's figures: how many rows the shard holds, their
// average length, and how many of them contain each phrase. With the index cut into shards those
// figures differ from shard to shard, so the same article would score differently in another
// shard and scores of two shards do not compare. A search therefore runs in two steps: each shard
// reports its figures for the query (``TermStatistics``), they are added up, and every shard
// ranks its rows with ``RankFunction`` fed the sums (``RankStatistics``): the bm25 of the whole
// index, the same wherever a shard lives and however many there are.

/// One FTS5 table's figures for the phrases of a query.
public struct TermStatistics: Codable, Sendable, Equatable {
    /// Rows in the table.
    public var rows: Int64
    /// Tokens in all its rows and columns.
    public var tokens: Int64
    /// For each phrase of the query's FTS5 pattern, in pattern order: rows containing it.
    public var phraseRows: [Int64]

    public init(rows: Int64, tokens: Int64, phraseRows: [Int64]) {
        self.rows = rows
        self.tokens = tokens
        self.phraseRows = phraseRows
    }

    /// The sums over shards.
    static func + (lhs: TermStatistics, rhs: TermStatistics) -> TermStatistics {
        TermStatistics(rows: lhs.rows + rhs.rows, tokens: lhs.tokens + rhs.tokens,
                       phraseRows: zip(lhs.phraseRows, rhs.phraseRows).map { $0 + $1 })
    }

    /// A table's figures: its row and token totals from FTS5's averages record, and a count of
    /// the rows matching each phrase alone (what bm25() counts with `xQueryPhrase`).
    static func read(_ db: Database, table: String, phrases: [String]) throws -> TermStatistics {
        let averages = try Data.fetchOne(db, sql: "SELECT block FROM \(table)_data WHERE id = 1") ?? Data()
        let totals = SQLiteVarint.decodeAll(averages)
        let rows = totals.first ?? 0
        let tokens = totals.dropFirst().reduce(0, +)
        let statement = try db.cachedStatement(sql: "SELECT count(*) FROM \(table) WHERE \(table) MATCH ?")
        let phraseRows = try phrases.map { try Int64.fetchOne(statement, arguments: [$0]) ?? 0 }
        return TermStatistics(rows: rows, tokens: tokens, phraseRows: phraseRows)
    }
}

/// The figures a shard ranks with: the whole index's average row length and each phrase's
/// inverse document frequency, computed as FTS5's bm25() computes them from its own table.
public struct RankStatistics: Codable, Sendable, Equatable {
    public var averageLength: Double
    public var idf: [Double]

    /// FTS5's bm25: `idf = ln((N - n + 0.5) / (n + 0.5))`, at least 1e-6.
    init(_ totals: TermStatistics) {
        let rows = Double(totals.rows)
        averageLength = totals.rows > 0 ? Double(totals.tokens) / rows : 1
        idf = totals.phraseRows.map { hits in
            let value = log((rows - Double(hits) + 0.5) / (Double(hits) + 0.5))
            return value > 0 ? value : 1e-6
        }
    }

    /// The text handed to ``RankFunction`` as its first argument.
    var argument: String {
        ([averageLength] + idf).map { String($0) }.joined(separator: " ")
    }
}

/// `quotewire_bm25(fts_table, statistics, weight...)`: FTS5's bm25 with the figures of
/// ``RankStatistics`` (given as its ``RankStatistics/argument`` text) instead of the table's
/// own; lower is better, as with bm25(). With a table's own figures it equals bm25().
enum RankFunction {
    static let name = "quotewire_bm25"
    private static let k1 = 1.2
    private static let b = 0.75

    /// Registers the function on a connection (each connection needs it once).
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        guard let create = api.pointee.xCreateFunction else { return }
        _ = create(UnsafeMutablePointer(mutating: api), name, nil, rank, nil)
    }

    /// The statistics and column weights of a statement, parsed once and kept as FTS5
    /// auxiliary data, with the per-phrase scratch space every row reuses (one statement's
    /// rows are ranked one after another, never at once).
    private final class Parsed {
        let averageLength: Double
        let idf: [Double]
        let weights: [Double]
        var frequency: [Double]

        init?(_ text: String, weights: [Double]) {
            let values = text.split(separator: " ").compactMap { Double($0) }
            guard let first = values.first, first > 0 else { return nil }
            averageLength = first
            idf = Array(values.dropFirst())
            self.weights = weights
            frequency = [Double](repeating: 0, count: idf.count)
        }
    }

    private static let rank: fts5_extension_function = { api, fts, context, count, values in
        guard let api = api?.pointee, let values, count >= 1,
              let xInstCount = api.xInstCount, let xInst = api.xInst, let xColumnSize = api.xColumnSize,
              let xPhraseCount = api.xPhraseCount, let xGetAuxdata = api.xGetAuxdata, let xSetAuxdata = api.xSetAuxdata
        else {
            sqlite3_result_error(context, "\(RankFunction.name): bad call", -1)
            return
        }
        let parsed: Parsed
        if let kept = xGetAuxdata(fts, 0) {
            parsed = Unmanaged<Parsed>.fromOpaque(kept).takeUnretainedValue()
        } else {
            let weights = (1..<Int(count)).map { sqlite3_value_double(values[$0]) }
            guard let text = sqlite3_value_text(values[0]), let made = Parsed(String(cString: text), weights: weights) else {
                sqlite3_result_error(context, "\(RankFunction.name): unreadable statistics", -1)
                return
            }
            parsed = made
            _ = xSetAuxdata(fts, Unmanaged.passRetained(made).toOpaque()) { pointer in
                if let pointer { Unmanaged<Parsed>.fromOpaque(pointer).release() }
            }
        }
        let phrases = Int(xPhraseCount(fts))
        guard phrases == parsed.idf.count else {
            sqlite3_result_error(context, "\(RankFunction.name): \(parsed.idf.count) phrases given, the query has \(phrases)", -1)
            return
        }
        var instances: Int32 = 0
        _ = xInstCount(fts, &instances)
        var length: Int32 = 0
        _ = xColumnSize(fts, -1, &length)
        let norm = RankFunction.k1 * (1 - RankFunction.b + RankFunction.b * Double(length) / parsed.averageLength)
        let score = parsed.idf.withUnsafeBufferPointer { idf in
            parsed.weights.withUnsafeBufferPointer { weights in
                parsed.frequency.withUnsafeMutableBufferPointer { frequency in
                    for phrase in 0..<phrases { frequency[phrase] = 0 }
                    for index in 0..<instances {
                        var phrase: Int32 = 0
                        var column: Int32 = 0
                        var offset: Int32 = 0
                        guard xInst(fts, index, &phrase, &column, &offset) == SQLITE_OK, Int(phrase) < phrases else { continue }
                        frequency[Int(phrase)] += Int(column) < weights.count ? weights[Int(column)] : 1
                    }
                    var score = 0.0
                    for phrase in 0..<phrases {
                        let f = frequency[phrase]
                        score += idf[phrase] * (f * (RankFunction.k1 + 1)) / (f + norm)
                    }
                    return score
                }
            }
        }
        sqlite3_result_double(context, -score)
    }
}

/// SQLite's variable-length integers (1 to 9 bytes, big-endian, 7 bits a byte but the ninth),
/// as FTS5 writes its averages record.
enum SQLiteVarint {
    static func decodeAll(_ data: Data) -> [Int64] {
        let bytes = [UInt8](data)
        var values: [Int64] = []
        var index = 0
        while index < bytes.count {
            var value: UInt64 = 0
            var length = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                length += 1
                if length == 9 {
                    value = (value << 8) | UInt64(byte)
                    break
                }
                value = (value << 7) | UInt64(byte & 0x7F)
                if byte < 0x80 { break }
            }
            values.append(Int64(bitPattern: value))
        }
        return values
    }
}

/// A query's figures per kind of hit: in one shard (``TermStatistics`` each) or summed.
public struct SearchTermStatistics: Codable, Sendable, Equatable {
    public var article: TermStatistics?
    public var quotation: TermStatistics?

    /// One shard's figures for the kinds of hit `plan` searches.
    static func read(_ db: Database, plan: SearchPlan) throws -> SearchTermStatistics {
        let phrases = plan.query.phrasePatterns
        var statistics = SearchTermStatistics()
        for type in plan.types {
            let figures = try TermStatistics.read(db, table: SearchPlan.table(type).fts, phrases: phrases)
            if type == .article { statistics.article = figures } else { statistics.quotation = figures }
        }
        return statistics
    }

    /// The shards' figures added up.
    init(summing shards: [SearchTermStatistics]) {
        func sum(_ parts: [TermStatistics]) -> TermStatistics? {
            guard let first = parts.first else { return nil }
            return parts.dropFirst().reduce(first, +)
        }
        article = sum(shards.compactMap(\.article))
        quotation = sum(shards.compactMap(\.quotation))
    }

    init() {}
}

/// What every shard ranks a search's hits with: the index's figures per kind of hit.
public struct SearchRanking: Codable, Sendable, Equatable {
    public var article: RankStatistics?
    public var quotation: RankStatistics?

    init(_ totals: SearchTermStatistics) {
        article = totals.article.map(RankStatistics.init)
        quotation = totals.quotation.map(RankStatistics.init)
    }

    subscript(type: SearchHitType) -> RankStatistics? {
        type == .article ? article : quotation
    }
}
