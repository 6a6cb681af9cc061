import Foundation
import GRDB
import QuotewireIndex

#if canImport(Glibc)
import Glibc
#endif

/// Read-only views of the shard files a running indexer writes: article counts and
/// newly indexed article ids. Shard files may not exist yet, or exist without their
/// schema; such shards count as empty until they can be read. Use it from one task at a time.
final class ShardWatcher: @unchecked Sendable {
    let folder: IndexFolder
    private var queues: [Int: DatabaseQueue] = [:]
    private var lastRid: [Int: Int64] = [:]

    init(folder: IndexFolder) {
        self.folder = folder
    }

    private func queue(_ partition: Int, _ url: URL) -> DatabaseQueue? {
        if let queue = queues[partition] { return queue }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(1)
        guard let queue = try? DatabaseQueue(path: url.path, configuration: configuration) else { return nil }
        queues[partition] = queue
        return queue
    }

    private func shards() -> [(Int, URL)] {
        ((try? folder.shardFiles()) ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Rows in the article table over all shards.
    func count() -> Int {
        var total = 0
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            do {
                total += try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0 }
            } catch {
                queues[partition] = nil  // not ready yet (no schema); reopen next time
            }
        }
        return total
    }

    /// Remembers the current last row of each shard, so ``newArticleIds()`` reports only later rows.
    func markCurrent() {
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            lastRid[partition] = (try? queue.read { db in try Int64.fetchOne(db, sql: "SELECT max(rid) FROM article") }) ?? 0
        }
    }

    /// Article ids indexed since the last call (or ``markCurrent()``).
    func newArticleIds() -> [String] {
        var ids: [String] = []
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            let after = lastRid[partition] ?? 0
            do {
                let rows = try queue.read { db in
                    try Row.fetchAll(db, sql: "SELECT rid, articleId FROM article WHERE rid > ? ORDER BY rid", arguments: [after])
                }
                for row in rows {
                    ids.append(row["articleId"])
                    lastRid[partition] = row["rid"]
                }
            } catch {
                queues[partition] = nil
            }
        }
        return ids
    }

    /// Every article id in the shards.
    func allArticleIds() -> Set<String> {
        var ids = Set<String>()
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            let rows = (try? queue.read { db in try String.fetchAll(db, sql: "SELECT articleId FROM article") }) ?? []
            ids.formUnion(rows)
        }
        return ids
    }

    func close() {
        for queue in queues.values { try? queue.close() }
        queues = [:]
    }
}
