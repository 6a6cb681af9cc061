import Foundation
import QuotewireModels

/// Puts a ``ShardRequest`` to the shards of the index and returns their answers.
///
/// ``IndexReader`` answers from the shards open in this process; a cluster gatherer (the query
/// service's) answers from its own node's shards and asks the nodes that hold the others. The
/// queries below (search, quotations, speakers, tickers, articles) are written once, over
/// this protocol: each asks the shards for its part and merges the parts the same way
/// wherever the shards live, so any node answers as one node holding every shard would.
public protocol ShardGatherer: Sendable {
    /// The answers of `partitions` (every partition of the index when nil) to `request`.
    /// Partitions that cannot answer are listed in ``GatheredAnswers/missing``, not thrown.
    func gather(_ request: ShardRequest, from partitions: Set<Int>?) async throws(IndexError) -> GatheredAnswers
}

extension ShardGatherer {
    /// Full-text search over articles (headline weighted above body) and quotations
    /// (text above speaker) across every shard, in the language of ``SearchQuery``.
    ///
    /// Relevance is bm25 on the whole index's figures (``GlobalRank``), so hits of several
    /// shards compare, and a hit scores the same whichever node holds its shard.
    ///
    /// - Parameters:
    ///   - text: the query (words, phrases, prefixes, AND/OR/NOT, parentheses, field filters).
    ///   - limit: results per page (``QueryLimits/search``).
    ///   - cursor: the `nextCursor` of the previous page, for the same query and sort.
    ///   - sort: ``SearchSort/relevance`` (bm25) by default; a query of filters alone has
    ///     nothing to rank by and goes newest first unless `oldest` is asked for.
    ///   - facets: also count every result by speaker, outlet and day.
    /// - Throws: ``IndexError`` `.invalidQuery` for a malformed query, `.invalidArgument` for
    ///   a bad limit or cursor.
    public func search(
        _ text: String, limit: Int? = nil, cursor: String? = nil, sort: SearchSort? = nil, facets: Bool = false
    ) async throws(IndexError) -> SearchPage {
        let query = try SearchQuery(text)
        let requested = sort ?? .relevance
        let sort = query.expression == nil && requested == .relevance ? .newest : requested
        let limit = try QueryLimits.search.validate(limit)
        let offset = try cursor.map { (c: String) throws(IndexError) in
            try SearchCursor(decoding: c, for: query, sort: sort).offset
        } ?? 0
        // Facets count every result whatever the ranking: they are gathered beside the rest.
        async let facetAnswers: GatheredAnswers? = facets ? gather(.facets(query: text, sort: sort), from: nil) : nil
        // Scores on the whole index's figures: every shard's are added up first (``GlobalRank``).
        var missing = Set<Int>()
        var ranking: SearchRanking?
        if query.pattern != nil {
            let counted = try await gather(.termStatistics(query: text), from: nil)
            missing.formUnion(counted.missing)
            ranking = SearchRanking(SearchTermStatistics(summing: try counted.each("count the query's terms") {
                if case let .termStatistics(t) = $0 { t } else { nil }
            }.map(\.value)))
        }
        let plan = SearchPlan(query: query, sort: sort, ranking: ranking)
        // Every shard returns its best `window` of each kind; the merged page is a slice.
        let window = offset + limit + 1
        let gathered = try await gather(.search(query: text, sort: sort, window: window, ranking: ranking), from: nil)
        missing.formUnion(gathered.missing)
        var hits = try gathered.each("search") { if case let .hits(h) = $0 { h } else { nil } }
            .flatMap { part in part.value.map { ($0, part.partition) } }
        hits.sort { lhs, rhs in plan.precedes(lhs.0, lhs.1, rhs.0, rhs.1) }
        var page = Array(hits.dropFirst(offset).prefix(limit))
        // Snippets for the page only, each from its own shard.
        let rows = page.map { SnippetRow(partition: $0.1, type: $0.0.hit.type, rowID: $0.0.rowID) }
        if !rows.isEmpty {
            let snippets = try await gather(.snippets(query: text, rows: rows), from: Set(rows.map(\.partition)))
            missing.formUnion(snippets.missing)
            for part in try snippets.each("make snippets", { if case let .snippets(s) = $0 { s } else { nil } }) {
                let indices = page.indices.filter { page[$0].1 == part.partition }
                for (index, snippet) in zip(indices, part.value) { page[index].0.hit.snippet = snippet }
            }
        }
        var counted: SearchFacets?
        let counts: GatheredAnswers?
        do {
            counts = try await facetAnswers
        } catch let error as IndexError {
            throw error
        } catch {
            throw IndexError(.database, "cannot count facets", underlying: "\(error)")
        }
        if let counts {
            missing.formUnion(counts.missing)
            counted = SearchFacets(merging: try counts.each("count facets") { if case let .facets(c) = $0 { c } else { nil } }
                .map(\.value))
        }
        let more = hits.count > offset + limit && offset + limit <= SearchCursor.maximumOffset
        var result = SearchPage(
            results: page.map(\.0.hit),
            nextCursor: more ? SearchCursor(offset: offset + limit, query: query, sort: sort).encoded : nil,
            facets: counted)
        result.markPartial(missing)
        return result
    }

    /// Quotations, newest first (the article's `publishedAt`, else `receivedAt`), a page at a time.
    ///
    /// - Parameters:
    ///   - speaker: a name or any part of it, case- and diacritic-insensitive ("rutte").
    ///   - exactSpeaker: take `speaker` as the whole name (one speaker's quotations), not a part.
    ///   - text: optional search over the quotation: words, phrases, prefixes, AND/OR/NOT and
    ///     parentheses as in ``SearchQuery`` (its field filters belong to ``search(_:limit:cursor:sort:facets:)``).
    ///   - since: only quotations from articles at or after this time.
    ///   - limit: ``QueryLimits/quotations``.
    ///   - cursor: the `nextCursor` of the previous page, for the same parameters.
    public func quotations(
        speaker: String? = nil, exactSpeaker: Bool = false, text: String? = nil, since: Date? = nil, limit: Int? = nil,
        cursor: String? = nil
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
        let key = folded.map { exactSpeaker ? "=" + $0 : $0 }
        let fingerprint = SearchCursor.fingerprint(of: [key ?? "", pattern ?? "", since.map { "\($0.timeIntervalSince1970)" } ?? ""]
            .joined(separator: "|"))
        let after = try cursor.map { (c: String) throws(IndexError) in try QuotationCursor(decoding: c, fingerprint: fingerprint) }
        let filter = QuotationFilter(speaker: folded, exactSpeaker: exactSpeaker && folded != nil ? true : nil, pattern: pattern,
                                     since: since?.timeIntervalSince1970, after: after, limit: limit + 1)
        let gathered = try await gather(.quotations(filter), from: nil)
        let merged = try gathered.each("list quotations") { if case let .quotations(q) = $0 { q } else { nil } }
            .flatMap { part in part.value.map { (row: $0, partition: part.partition) } }
            .sorted { lhs, rhs in
                if lhs.row.time != rhs.row.time { return lhs.row.time > rhs.row.time }
                if lhs.partition != rhs.partition { return lhs.partition < rhs.partition }
                return lhs.row.rowID > rhs.row.rowID
            }
        let page = merged.prefix(limit)
        let next = merged.count > limit ? page.last.map {
            QuotationCursor(time: $0.row.time, partition: $0.partition, rowID: $0.row.rowID, fingerprint: fingerprint).encoded
        } : nil
        var list = QuotationList(quotations: page.map(\.row.item), nextCursor: next)
        list.markPartial(gathered.missing)
        return list
    }

    /// Speakers with their quotation counts over every shard, most quoted first. A speaker
    /// quoted in several shards is one entry: counts add up by canonical name (folded).
    public func speakers(limit: Int? = nil) async throws(IndexError) -> SpeakerList {
        let limit = try QueryLimits.speakers.validate(limit)
        let gathered = try await gather(.speakers, from: nil)
        var byKey: [String: (name: String, quotations: Int, mentions: [String: Int])] = [:]
        for part in try gathered.each("list speakers", { if case let .speakers(s) = $0 { s } else { nil } }) {
            var counted: Set<String> = []
            for row in part.value {
                var entry = byKey[row.folded] ?? (row.name, 0, [:])
                // A speaker's total appears on each of its mention rows: count it once per shard.
                if counted.insert(row.folded).inserted { entry.quotations += row.quotations }
                if let mention = row.mention { entry.mentions[mention, default: 0] += row.mentionCount }
                // The canonical name is the fullest any shard knows.
                if row.name.count > entry.name.count { entry.name = row.name }
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
        var list = SpeakerList(speakers: Array(speakers.prefix(limit)))
        list.markPartial(gathered.missing)
        return list
    }

    /// One speaker by name (any spelling that folds to their key: "mark rutte", "Mark Rutte"):
    /// their aliases, roles, outlets and quotations per day, over every shard.
    /// - Throws: ``IndexError`` `.notFound` when no shard has quoted them, `.unavailable` when
    ///   none of the shards that answered has and some did not answer, `.invalidArgument` for a
    ///   name that is empty or too long.
    public func speaker(_ name: String) async throws(IndexError) -> SpeakerProfile {
        guard name.unicodeScalars.count <= QueryLimits.maximumSpeakerLength else {
            throw IndexError(.invalidArgument, "a speaker's name is at most \(QueryLimits.maximumSpeakerLength) characters")
        }
        let folded = SpeakerName.fold(name)
        guard folded.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw IndexError(.invalidArgument, "a speaker's name must contain a letter or digit")
        }
        let gathered = try await gather(.speaker(folded: folded), from: nil)
        let parts = try gathered.each("describe a speaker") { (result: ShardResult) -> SpeakerCounts?? in
            if case let .speaker(counts) = result { .some(counts) } else { nil }
        }
        guard var profile = SpeakerProfile(merging: parts.compactMap(\.value)) else {
            if !gathered.missing.isEmpty {
                throw IndexError(.unavailable, "no shard that answered has quoted \(name); partitions \(gathered.missing) did not answer")
            }
            throw IndexError(.notFound, "no speaker named \(name)")
        }
        profile.markPartial(gathered.missing)
        return profile
    }

    /// The market quotes seen for `symbol`: the latest `limit`, returned oldest first.
    public func ticker(_ symbol: String, since: Date? = nil, limit: Int? = nil) async throws(IndexError) -> TickerHistory {
        let symbol = try IndexReader.validateSymbol(symbol)
        let limit = try QueryLimits.tickers.validate(limit)
        let since = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let gathered = try await gather(.ticker(symbol: symbol, since: since, limit: limit), from: nil)
        let latest = try gathered.each("list market quotes") { if case let .ticker(t) = $0 { t } else { nil } }
            .flatMap { part in part.value.map { (row: $0, partition: part.partition) } }
            .sorted { lhs, rhs in
                if lhs.row.quote.seenAt != rhs.row.quote.seenAt { return lhs.row.quote.seenAt > rhs.row.quote.seenAt }
                if lhs.partition != rhs.partition { return lhs.partition < rhs.partition }
                return lhs.row.rowID > rhs.row.rowID
            }
            .prefix(limit)
        var history = TickerHistory(symbol: symbol, quotes: latest.reversed().map(\.row.quote))
        history.markPartial(gathered.missing)
        return history
    }

    /// One article by id, with its quotations and market quotes.
    /// - Throws: ``IndexError`` `.notFound` when no shard holds it, `.unavailable` when none
    ///   of the shards that answered holds it and some did not answer.
    public func article(id: String) async throws(IndexError) -> StoredArticle {
        let id = try IndexReader.validateArticleID(id)
        let gathered = try await gather(.article(id: id), from: nil)
        let found = try gathered.each("read an article") { (result: ShardResult) -> StoredArticle?? in
            if case let .article(article) = result { .some(article) } else { nil }
        }
        guard let article = found.compactMap(\.value).max(by: { $0.seenAt < $1.seenAt }) else {
            if !gathered.missing.isEmpty {
                throw IndexError(.unavailable, "no shard that answered holds article \(id); partitions \(gathered.missing) did not answer")
            }
            throw IndexError(.notFound, "no article with id \(id)")
        }
        return article
    }
}
