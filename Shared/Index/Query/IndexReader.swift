import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tuning for an index reader.
public struct IndexReaderConfiguration: Sendable {
    /// How often the folder is checked for new, replaced or removed shards (and a
    /// repointed symlink). Zero checks on every query.
    public var refreshInterval: Duration = .milliseconds(500)
    /// Concurrent read connections per shard.
    public var maximumReadersPerShard: Int = 4
    /// SQLite page cache per connection, in KiB.
    public var cacheKiB: Int = 16 * 1024

    public init() {}
}

/// Reads every shard of an index folder, read-only, and merges their results.
///
/// Shards that appear in the folder, shards replaced under the same name (moved aside
/// and started anew), and a symlinked folder repointed by a rebuild are picked up
/// without a restart, at most ``IndexReaderConfiguration/refreshInterval`` later.
/// A shard still being created (schema not yet complete) is skipped until it is.
public final class IndexReader: Sendable {
    /// The folder as configured.
    public let folder: IndexFolder
    let configuration: IndexReaderConfiguration
    private let state = Mutex(State())

    struct State {
        var resolvedPath: String?
        var shards: [Int: Shard] = [:]
        var lastRefresh: ContinuousClock.Instant?
        var lastProblem: IndexError?
    }

    /// One open shard: its partition, file identity and read-only pool.
    struct Shard: Sendable {
        var partition: Int
        var path: String
        var device: UInt64
        var inode: UInt64
        var pool: DatabasePool
    }

    /// Creates a reader; files are opened on first use.
    public init(folder: IndexFolder, configuration: IndexReaderConfiguration = IndexReaderConfiguration()) {
        self.folder = folder
        self.configuration = configuration
    }

    /// The shards to query now, ordered by partition, refreshing the set when due.
    /// - Throws: ``IndexError`` `.unavailable` when the folder cannot be read.
    func currentShards() throws(IndexError) -> [Shard] {
        let now = ContinuousClock.now
        let interval = configuration.refreshInterval
        let result: Result<[Shard], IndexError> = state.withLock { state in
            if let last = state.lastRefresh, now - last < interval, state.resolvedPath != nil {
                return .success(state.shards.values.sorted { $0.partition < $1.partition })
            }
            do throws(IndexError) {
                try refresh(&state)
                state.lastRefresh = now
                return .success(state.shards.values.sorted { $0.partition < $1.partition })
            } catch {
                state.lastRefresh = nil
                state.resolvedPath = nil
                state.shards = [:]
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The partitions whose shards are open now.
    public func openPartitions() throws(IndexError) -> [Int] {
        try currentShards().map(\.partition)
    }

    private func refresh(_ state: inout State) throws(IndexError) {
        guard let resolved = Self.realPath(folder.url.path) else {
            throw IndexError(.unavailable, "the index folder does not exist", path: folder.url.path)
        }
        let files = try IndexFolder(url: URL(fileURLWithPath: resolved)).shardFiles()
        if state.resolvedPath != resolved {
            state.shards = [:]
            state.resolvedPath = resolved
        }
        var next: [Int: Shard] = [:]
        for (partition, url) in files {
            var info = stat()
            guard stat(url.path, &info) == 0 else { continue }
            let device = UInt64(info.st_dev)
            let inode = UInt64(info.st_ino)
            if let open = state.shards[partition], open.device == device, open.inode == inode {
                next[partition] = open
                continue
            }
            do throws(IndexError) {
                let pool = try openPool(url.path, partition: partition)
                next[partition] = Shard(partition: partition, path: url.path, device: device, inode: inode, pool: pool)
            } catch {
                // Not ready yet (being created) or unreadable: try again on the next refresh.
                state.lastProblem = error
            }
        }
        state.shards = next
    }

    private func openPool(_ path: String, partition: Int) throws(IndexError) -> DatabasePool {
        var config = Configuration()
        config.readonly = true
        config.label = "quotewire-shard-\(partition)-read"
        config.maximumReaderCount = configuration.maximumReadersPerShard
        config.busyMode = .timeout(5)
        let cacheKiB = configuration.cacheKiB
        config.prepareDatabase { db in
            RankFunction.register(db)
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            try db.execute(sql: "PRAGMA mmap_size = \(256 * 1024 * 1024)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            let version = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            guard version == IndexSchema.version else {
                throw IndexError(.incompatibleSchema, "shard schema \(version) is not \(IndexSchema.version)",
                                 path: path, partition: partition)
            }
            return pool
        } catch {
            throw .wrap(error, .unavailable, "cannot open the shard read-only", path: path, partition: partition)
        }
    }

    static func realPath(_ path: String) -> String? {
        // `realpath` mallocs the result for us: copied into a String, then freed here.
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Runs `body` on every shard in parallel and returns the results in partition order.
    func eachShard<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(IndexError) -> [T] {
        try await eachShard(of: try currentShards(), what) { _, db in try body(db) }
    }

    /// Runs `body` with each shard's partition and database, in parallel, and returns the
    /// results in the order of `shards`.
    func eachShard<T: Sendable>(
        of shards: [Shard], _ what: String, _ body: @escaping @Sendable (Int, Database) throws -> T
    ) async throws(IndexError) -> [T] {
        if shards.count == 1, let only = shards.first {
            return [try await read(only, what) { db in try body(only.partition, db) }]
        }
        do {
            return try await withThrowingTaskGroup(of: (Int, T).self) { group in
                for (index, shard) in shards.enumerated() {
                    group.addTask {
                        // The read is bound before the tuple is built: Swift 6.3.1 at -O can lose a
                        // part of a task's result stored before an `await` in the same expression.
                        let result = try await self.read(shard, what) { db in try body(shard.partition, db) }
                        return (index, result)
                    }
                }
                var results: [(Int, T)] = []
                results.reserveCapacity(shards.count)
                for try await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
        } catch {
            throw .wrap(error, .database, "cannot \(what)")
        }
    }

    func read<T: Sendable>(
        _ shard: Shard, _ what: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(IndexError) -> T {
        do {
            return try await shard.pool.read(body)
        } catch {
            throw .wrap(error, .database, "cannot \(what)", path: shard.path, partition: shard.partition)
        }
    }

    /// Row counts over every shard (speakers are counted per shard, so a speaker quoted
    /// in two shards counts twice).
    public func counts() async throws(IndexError) -> IndexCounts {
        try await eachShard("count rows") { db in try ShardStatements.counts(db) }.reduce(IndexCounts(), +)
    }
}

extension IndexReader: ShardGatherer {
    /// Answers from the shards open in this folder: all of them, or those of `partitions`
    /// (the others of `partitions` are missing).
    public func gather(_ request: ShardRequest, from partitions: Set<Int>?) async throws(IndexError) -> GatheredAnswers {
        var shards = try currentShards()
        var missing: [Int] = []
        if let partitions {
            shards = shards.filter { partitions.contains($0.partition) }
            missing = Array(partitions.subtracting(shards.map(\.partition)))
        }
        let results = try await eachShard(of: shards, request.purpose) { partition, db in
            try request.answer(db, partition: partition)
        }
        return GatheredAnswers(
            answers: zip(shards, results).map { PartitionAnswer(partition: $0.partition, result: $1) }, missing: missing)
    }
}
