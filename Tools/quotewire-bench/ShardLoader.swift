import Foundation
import QuotewireIndex
import QuotewireModels

/// Writes articles into a sharded folder the way the indexer does: routed by id, one
/// writer per shard, shards in parallel, each batch one transaction with its offset.
enum ShardLoader {
    static func write(
        _ articles: [ParsedArticle], into folder: IndexFolder, shards: Int, batch: Int, firstOffset: [Int64]? = nil
    ) async throws -> Duration {
        var perShard = Array(repeating: [ParsedArticle](), count: shards)
        for article in articles { perShard[partition(of: article.articleId, shards)].append(article) }
        let writers = try (0..<shards).map { try IndexShardWriter.open(folder: folder, partition: $0) }
        let offsets = try writers.enumerated().map { partition, writer in
            try writer.storedOffset(topic: Topics.quotesParsed, partition: partition) ?? 0
        }
        let seenAt = Date()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (partition, writer) in writers.enumerated() {
                let mine = perShard[partition]
                var offset = offsets[partition]
                group.addTask {
                    var index = 0
                    while index < mine.count {
                        let end = min(index + batch, mine.count)
                        var operations: [IndexOperation] = []
                        operations.reserveCapacity(end - index)
                        for article in mine[index..<end] {
                            operations.append(.upsert(article, seenAt: seenAt, offset: offset))
                            offset += 1
                        }
                        try await writer.apply(IndexBatch(operations: operations, topic: Topics.quotesParsed,
                                                          partition: partition, nextOffset: offset))
                        index = end
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        for writer in writers { try writer.close() }
        return elapsed
    }

    /// A stable partition for an id (FNV-1a), standing in for Kafka's key hashing.
    static func partition(of id: String, _ count: Int) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash % UInt32(count))
    }
}
