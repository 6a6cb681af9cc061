import Foundation
import QuotewireIndex
import QuotewireKafka
import QuotewireModels

/// Turns one partition's records into one shard batch: upserts, deletes, and the records
/// that cannot be decoded (for the dead-letter topic). Pure.
enum ShardBatchBuilder {
    struct Rejected {
        var message: KafkaMessage
        var reason: String
    }

    struct Prepared {
        var batch: IndexBatch
        var rejected: [Rejected]
        var nextOffset: Int64
    }

    static func build(_ records: [KafkaMessage], topic: String, partition: Int32, seenAt: Date) -> Prepared {
        var operations: [IndexOperation] = []
        operations.reserveCapacity(records.count)
        var rejected: [Rejected] = []
        var next: Int64 = 0
        for record in records {
            next = max(next, record.offset + 1)
            guard let value = record.value else {
                if let id = record.keyString, !id.isEmpty {
                    operations.append(.delete(articleId: id, offset: record.offset))
                } else {
                    rejected.append(Rejected(message: record, reason: "a tombstone without a key names no article"))
                }
                continue
            }
            do {
                let article = try WireCoding.decode(ParsedArticle.self, from: value)
                guard !article.articleId.isEmpty else {
                    rejected.append(Rejected(message: record, reason: "the parsed article has an empty articleId"))
                    continue
                }
                // The key routes the record to its partition and shard, and a tombstone finds
                // the article by it: a record keyed otherwise would be stored where its delete
                // never arrives.
                guard record.keyString == article.articleId else {
                    rejected.append(Rejected(message: record, reason: "the record key \(String(reflecting: String((record.keyString ?? "").prefix(64)))) is not the article id \(article.articleId)"))
                    continue
                }
                operations.append(.upsert(article, seenAt: seenAt, offset: record.offset))
            } catch {
                rejected.append(Rejected(message: record, reason: "\(error)"))
            }
        }
        let batch = IndexBatch(operations: operations, topic: topic, partition: Int(partition), nextOffset: next)
        return Prepared(batch: batch, rejected: rejected, nextOffset: next)
    }
}
