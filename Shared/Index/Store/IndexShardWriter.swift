import Foundation
import GRDB
import QuotewireModels

/// Tuning for a shard writer.
public struct IndexWriterConfiguration: Sendable {
    /// SQLite page cache per shard, in KiB (default 2 MiB: with three shards written at
    /// once, their FTS5 buffers, batches and prefetch, the indexer stays under 100 MB;
    /// 4 MiB wrote about 5% faster and peaked at 98-100 MB, 16 MiB no faster than 4).
    public var cacheKiB: Int = 2 * 1024
    /// Memory-mapped I/O window per shard, in bytes (default 0: pages the writer reads
    /// come through the page cache, so they count against its bound).
    public var mmapBytes: Int = 0
    /// How long a write waits for a lock held by another process before failing.
    public var busyTimeout: TimeInterval = 10

    /// Called after each operation of a batch with its index; throwing aborts the batch.
    /// Only for tests that simulate a crash in the middle of a batch.
    var afterOperation: (@Sendable (Int) throws -> Void)?

    public init() {}
}

/// The writer of one shard (one partition): applies batches atomically, records offsets.
///
/// Open it with ``open(folder:partition:configuration:)``. Each ``apply(_:)`` is one
/// SQLite transaction holding the batch's rows *and* its offsets, so a crash at any
/// point leaves either the whole batch or nothing, and replaying from
/// ``storedOffset(topic:partition:)`` neither loses nor duplicates an article.
///
/// Durability: WAL with `synchronous=NORMAL`. A commit survives a process crash; a power
/// loss may roll back the last commits, but never corrupts the file, and because the
/// offsets roll back with the rows, the indexer simply reads those messages again.
/// (`synchronous=OFF` would risk corruption on power loss, so it is not used.)
public final class IndexShardWriter: Sendable {
    /// The partition this shard holds.
    public let partition: Int
    /// The shard file.
    public let url: URL
    private let queue: DatabaseQueue
    private let configuration: IndexWriterConfiguration

    private init(partition: Int, url: URL, queue: DatabaseQueue, configuration: IndexWriterConfiguration) {
        self.partition = partition
        self.url = url
        self.queue = queue
        self.configuration = configuration
    }

    /// Opens the shard of `partition` in `folder`, creating the folder, the file and the
    /// schema as needed, and migrating an older schema.
    /// - Throws: ``IndexError`` `.unavailable` when the file cannot be opened,
    ///   `.incompatibleSchema` when it was written by a newer build.
    public static func open(
        folder: IndexFolder, partition: Int, configuration: IndexWriterConfiguration = IndexWriterConfiguration()
    ) throws(IndexError) -> IndexShardWriter {
        guard partition >= 0 else {
            throw IndexError(.invalidArgument, "a partition is never negative", partition: partition)
        }
        try folder.create()
        let url = folder.shardURL(partition: partition)
        var config = Configuration()
        config.label = "quotewire-shard-\(partition)"
        config.journalMode = .wal
        config.foreignKeysEnabled = false
        config.busyMode = .timeout(configuration.busyTimeout)
        let cacheKiB = configuration.cacheKiB
        let mmapBytes = configuration.mmapBytes
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            try db.execute(sql: "PRAGMA mmap_size = \(mmapBytes)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA journal_size_limit = \(64 * 1024 * 1024)")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: config)
        } catch {
            throw .wrap(error, .unavailable, "cannot open the shard for writing", path: url.path, partition: partition)
        }
        do {
            let version = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            guard version <= IndexSchema.version else {
                throw IndexError(
                    .incompatibleSchema, "shard schema \(version) is newer than this build's \(IndexSchema.version)",
                    path: url.path, partition: partition)
            }
            try IndexSchema.migrator().migrate(queue)
            try queue.write { db in
                // Every migration has run: the shard is at this build's version, whichever ran last.
                try db.execute(sql: "PRAGMA user_version = \(IndexSchema.version)")
                try db.execute(
                    sql: "INSERT OR IGNORE INTO shard_meta (key, value) VALUES ('partition', ?), ('createdAt', ?)",
                    arguments: [String(partition), ISO8601DateFormatter().string(from: Date())])
            }
        } catch {
            throw .wrap(error, .incompatibleSchema, "cannot prepare the shard schema", path: url.path, partition: partition)
        }
        return IndexShardWriter(partition: partition, url: url, queue: queue, configuration: configuration)
    }

    /// Applies `batch` in one transaction: its operations in order, then its offsets.
    ///
    /// Runs on the shard's own serial queue (never blocking the caller's thread); writers
    /// of different shards run in parallel.
    /// - Throws: ``IndexError`` `.database` when SQLite fails; nothing of the batch is stored.
    public func apply(_ batch: IndexBatch) async throws(IndexError) {
        let hook = configuration.afterOperation
        let partition = partition
        do {
            try await queue.write { db in try ShardStatements.apply(batch, in: db, afterOperation: hook) }
        } catch {
            throw .wrap(error, .database, "cannot apply a batch of \(batch.operations.count) operations",
                        path: url.path, partition: partition)
        }
    }

    /// The next offset recorded for (topic, partition), or nil when none was stored yet.
    public func storedOffset(topic: String, partition: Int) throws(IndexError) -> Int64? {
        do {
            return try queue.read { db in
                try Int64.fetchOne(
                    db, sql: "SELECT nextOffset FROM consumed_offset WHERE topic = ? AND partition = ?",
                    arguments: [topic, partition])
            }
        } catch {
            throw .wrap(error, .database, "cannot read the stored offset", path: url.path, partition: self.partition)
        }
    }

    /// Row counts of this shard.
    public func counts() throws(IndexError) -> IndexCounts {
        do {
            return try queue.read { db in try ShardStatements.counts(db) }
        } catch {
            throw .wrap(error, .database, "cannot count rows", path: url.path, partition: partition)
        }
    }

    /// Merges the FTS5 b-trees (`optimize`); worth running after a bulk load or rebuild.
    public func optimize() throws(IndexError) {
        do {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO article_fts (article_fts) VALUES ('optimize')")
                try db.execute(sql: "INSERT INTO quotation_fts (quotation_fts) VALUES ('optimize')")
            }
        } catch {
            throw .wrap(error, .database, "cannot optimize the full-text indexes", path: url.path, partition: partition)
        }
    }

    /// Checkpoints the WAL and closes the file; the writer cannot be used afterwards.
    public func close() throws(IndexError) {
        do {
            try queue.close()
        } catch {
            throw .wrap(error, .database, "cannot close the shard", path: url.path, partition: partition)
        }
    }

    /// Closes the shard and moves its file aside to a kept, timestamped name (see
    /// ``IndexFolder/moveShardAside(partition:now:)``). Open a new writer to start anew.
    /// - Returns: where the file now is.
    @discardableResult
    public func closeAndMoveAside(now: Date = Date()) throws(IndexError) -> URL? {
        try close()
        return try IndexFolder(url: url.deletingLastPathComponent()).moveShardAside(partition: partition, now: now)
    }
}
