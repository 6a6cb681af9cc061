import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels

/// `quotewire-indexer --rebuild`: replays `quotes.parsed` from the beginning into a new
/// index generation and swaps it in atomically (the index path is a symlink repointed with
/// rename(2)); the previous generation is kept. Stop the indexer service first: it writes
/// to the generation it opened.
public struct IndexRebuilder: Sendable {
    let configuration: IndexerServiceConfiguration
    let logger: Logger

    public init(configuration: IndexerServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Rebuilds and returns the new generation's folder.
    @discardableResult
    public func run() async throws -> URL {
        let topic = configuration.topic
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: configuration.brokers), logger: logger)
        guard let partitions = try await admin.partitionCounts()[topic] else {
            throw IndexError(.unavailable, "the topic \(topic) does not exist on \(configuration.brokers)")
        }
        var consumerConfiguration = configuration.consumer
        consumerConfiguration.groupID = nil
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        var remaining: [Int32: Int64] = [:]  // partition -> end offset to reach
        for partition in 0..<Int32(partitions) {
            let (_, high) = try await consumer.watermarks(of: TopicPartition(topic: topic, partition: partition))
            if high > 0 { remaining[partition] = high }
        }
        let folder = IndexFolder(path: configuration.indexPath)
        let generation = try folder.makeGeneration()
        let shards = ShardRegistry(folder: generation, configuration: configuration.writer, consumer: consumerConfiguration)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<Int32(partitions)).map {
            (TopicPartition(topic: topic, partition: $0), KafkaOffset.beginning)
        }))
        logger.info("rebuilding", metadata: ["into": "\(generation.url.path)", "records": "\(remaining.values.reduce(0, +))"])
        var indexed = 0
        // Read past the reported ends until a poll comes back empty: Tansu reports a partition's
        // end as the first offset of its last batch plus one, and the rest of that batch follows.
        var drained = false
        while !remaining.isEmpty || !drained {
            try Task.checkCancellation()
            let records = try await consumer.poll()
            drained = remaining.isEmpty && records.isEmpty
            let byPartition = Dictionary(grouping: records, by: \.partition)
            for (partition, batch) in byPartition {
                let prepared = ShardBatchBuilder.build(batch, topic: topic, partition: partition, seenAt: Date())
                for rejected in prepared.rejected {
                    logger.warning("skipping an undecodable record (it was dead-lettered when first indexed)", metadata: [
                        "partition": "\(partition)", "offset": "\(rejected.message.offset)", "reason": "\(rejected.reason)",
                    ])
                }
                try await shards.writer(for: Int(partition)).apply(prepared.batch)
                indexed += batch.count
                if let end = remaining[partition], prepared.nextOffset >= end {
                    remaining[partition] = nil
                }
            }
        }
        await consumer.close()
        shards.closeAll()
        let previous = try folder.swapIn(generation)
        logger.info("rebuilt and swapped in", metadata: [
            "records": "\(indexed)", "generation": "\(generation.url.path)", "previous": "\(previous?.path ?? "-")",
        ])
        return generation.url
    }
}
