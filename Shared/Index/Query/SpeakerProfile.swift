import Foundation
import GRDB

/// One speaker as the whole index knows them: the name, how often and how articles refer to
/// them, the roles they were given, the outlets that quoted them and their quotations per day.
public struct SpeakerProfile: Codable, Sendable, Equatable, PartialAnswer {
    /// The canonical (fullest) name.
    public var name: String
    /// Quotations attributed to them.
    public var quotations: Int
    /// The ways articles referred to them, most frequent first.
    public var aliases: [SearchFacets.Count]
    /// The titles and appositions given with their quotations ("NATO chief"), most frequent first.
    public var roles: [SearchFacets.Count]
    /// The outlets of the articles quoting them, most frequent first.
    public var outlets: [SearchFacets.Count]
    /// Quotations per day (`YYYY-MM-DD`, UTC, of the article's published else received time),
    /// oldest first: the latest ``SearchFacets/maximumDays`` days that have any.
    public var days: [SearchFacets.Count]
    public var partial: Bool?
    public var missingPartitions: [Int]?

    /// How many aliases, roles and outlets are listed (the most frequent).
    public static let maximumValues = 20

    public init(name: String, quotations: Int, aliases: [SearchFacets.Count], roles: [SearchFacets.Count],
                outlets: [SearchFacets.Count], days: [SearchFacets.Count]) {
        self.name = name
        self.quotations = quotations
        self.aliases = aliases
        self.roles = roles
        self.outlets = outlets
        self.days = days
    }

    /// The shards' counts added up; nil when no shard knows the speaker.
    init?(merging shards: [SpeakerCounts]) {
        guard var all = shards.first else { return nil }
        for shard in shards.dropFirst() {
            all.quotations += shard.quotations
            all.aliases.merge(shard.aliases, uniquingKeysWith: +)
            all.roles.merge(shard.roles, uniquingKeysWith: +)
            all.outlets.merge(shard.outlets, uniquingKeysWith: +)
            all.days.merge(shard.days, uniquingKeysWith: +)
            if shard.name.count > all.name.count { all.name = shard.name }
        }
        func top(_ counts: [String: Int]) -> [SearchFacets.Count] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(Self.maximumValues).map { SearchFacets.Count(value: $0.key, count: $0.value) }
        }
        let days = all.days.sorted { $0.key > $1.key }.prefix(SearchFacets.maximumDays).reversed().map { day, count in
            SearchFacets.Count(value: SearchFacets.dayText(day), count: count)
        }
        self.init(name: all.name, quotations: all.quotations, aliases: top(all.aliases), roles: top(all.roles),
                  outlets: top(all.outlets), days: days)
    }
}

/// One shard's counts for a speaker (``ShardRequest/speaker(folded:)``).
public struct SpeakerCounts: Codable, Sendable, Equatable {
    var name: String
    var quotations: Int
    var aliases: [String: Int] = [:]
    var roles: [String: Int] = [:]
    var outlets: [String: Int] = [:]
    /// By days since 1970-01-01.
    var days: [Int64: Int] = [:]

    /// The speaker whose key is `folded`, or nil when the shard has not quoted them.
    static func read(_ db: Database, folded: String) throws -> SpeakerCounts? {
        guard let speaker = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT sid, name, quotations FROM speaker WHERE foldedName = ? AND quotations > 0"),
            arguments: [folded])
        else { return nil }
        let sid: Int64 = speaker["sid"]
        var counts = SpeakerCounts(name: speaker["name"], quotations: speaker["quotations"])
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT mention, quotations FROM speaker_mention WHERE sid = ?"),
                                    arguments: [sid]) {
            counts.aliases[row["mention"], default: 0] += row["quotations"] as Int
        }
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT q.speakerRole AS role, a.source AS source, CAST(q.sortTime / 86400 AS INTEGER) AS day, count(*) AS n
            FROM quotation q JOIN article a ON a.rid = q.article
            WHERE q.sid = ? GROUP BY 1, 2, 3
            """), arguments: [sid])
        while let row = try rows.next() {
            let n: Int = row["n"]
            if let role: String = row["role"], !role.isEmpty { counts.roles[role, default: 0] += n }
            if let source: String = row["source"], !source.isEmpty { counts.outlets[source, default: 0] += n }
            counts.days[row["day"] as Int64, default: 0] += n
        }
        return counts
    }
}
