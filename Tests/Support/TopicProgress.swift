import Foundation
import GRDB
import QuotewireIndex
import QuotewireKafka

/// The events that "none twice" and "nothing more" checks wait for, instead of a pause: a topic
/// read to its end, and an indexer that has indexed a topic up to that end (second copies
/// included), as the offsets stored in its shards say.
public enum TopicProgress {
    /// The offset after the last record of each partition of `topic`, found by reading it from
    /// the start: the local broker reports a partition's end as the first offset of its last
    /// record batch plus one, short of the records after it. Call it once the topic is final.
    public static func ends(
        of topic: String, partitions: Int = 3, brokers: String, within limit: Duration = .seconds(60)
    ) async throws -> [Int: Int64] {
        var configuration = ConsumerConfiguration(brokers: brokers, groupID: nil)
        configuration.batchSize = 1_000
        let consumer = try KafkaConsumer(configuration: configuration, logger: TestBroker.logger)
        var reported: [Int: Int64] = [:]
        for partition in 0..<partitions {
            reported[partition] = try await consumer.watermarks(of: TopicPartition(topic: topic, partition: Int32(partition))).high
        }
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
            (TopicPartition(topic: topic, partition: Int32($0)), KafkaOffset.beginning)
        }))
        var ends: [Int: Int64] = [:]
        let deadline = ContinuousClock.now + limit
        // Past the reported ends until a poll brings nothing: the rest of the last batch comes
        // in the same fetch as its first record.
        var drained = false
        while !drained, ContinuousClock.now < deadline {
            let messages = try await consumer.poll()
            for message in messages { ends[Int(message.partition)] = message.offset + 1 }
            drained = messages.isEmpty && reported.allSatisfy { ends[$0.key, default: 0] >= $0.value }
        }
        await consumer.close()
        guard drained else {
            throw ProgressError(description: "\(topic) was not read to its reported ends \(reported) within \(limit): \(ends)")
        }
        return Dictionary(uniqueKeysWithValues: (0..<partitions).map { ($0, ends[$0, default: 0]) })
    }

    /// How many records `topic` holds (all partitions start at offset 0 here: nothing expires).
    public static func count(of topic: String, partitions: Int = 3, brokers: String) async throws -> Int64 {
        try await ends(of: topic, partitions: partitions, brokers: brokers).values.reduce(0, +)
    }

    /// The next offset of `topic` each shard of the index folder stored (nil: none yet), by partition.
    public static func indexedOffsets(indexPath: String, topic: String, partitions: Int = 3) throws -> [Int: Int64?] {
        let shards = try IndexFolder(path: indexPath).shardFiles()
        var offsets: [Int: Int64?] = [:]
        for partition in 0..<partitions {
            guard let url = shards[partition] else {
                offsets[partition] = .some(nil)
                continue
            }
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            offsets[partition] = try queue.read { db in
                try Int64.fetchOne(db, sql: "SELECT nextOffset FROM consumed_offset WHERE topic = ? AND partition = ?",
                                   arguments: [topic, partition])
            }
            try queue.close()
        }
        return offsets
    }

    /// Waits until the indexer writing `indexPath` has indexed `topic` up to `ends` (each shard
    /// stored a next offset at or past its partition's end), or throws with what it reached.
    public static func waitUntilIndexed(
        _ topic: String, through ends: [Int: Int64], indexPath: String, within limit: Duration = .seconds(120)
    ) async throws {
        let deadline = ContinuousClock.now + limit
        var reached: [Int: Int64?] = [:]
        while true {
            reached = (try? indexedOffsets(indexPath: indexPath, topic: topic, partitions: ends.count)) ?? [:]
            let done = ends.allSatisfy { partition, end in
                end == 0 || (reached[partition].flatMap { $0 }).map { $0 >= end } == true
            }
            if done { return }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProgressError(description: "the index at \(indexPath) reached \(reached.sorted { $0.key < $1.key }) of \(topic), not its ends \(ends.sorted { $0.key < $1.key }) within \(limit)")
    }

    /// Reads `topic` to its end once it is final and waits until the index holds all of it.
    public static func waitUntilIndexedToTheEnd(
        of topic: String, brokers: String, indexPath: String, within limit: Duration = .seconds(120)
    ) async throws {
        let ends = try await ends(of: topic, brokers: brokers)
        try await waitUntilIndexed(topic, through: ends, indexPath: indexPath, within: limit)
    }

    public struct ProgressError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }
}
