import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport

/// The indexer stage as a lifecycle `Service`: consumes `quotes.parsed` in its group and
/// writes each partition's records into that partition's shard, in batches bounded by
/// count and time. Each batch is one transaction that also records the offset it consumed
/// through, so a crash at any instant neither loses nor duplicates an article; on every
/// assignment a partition resumes from the offset its shard stored. Shards of different
/// partitions are written in parallel.
public final class IndexerPipeline: Service {
    let configuration: IndexerServiceConfiguration
    let metrics: PipelineMetrics
    let logger: Logger
    let shards: ShardRegistry
    private let readiness = ReadinessFlag()

    public init(configuration: IndexerServiceConfiguration, metrics: PipelineMetrics, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.shards = ShardRegistry(folder: IndexFolder(path: configuration.indexPath), configuration: configuration.writer)
    }

    /// Whether the stage has joined its group and is consuming.
    public var isReady: Bool { readiness.isSet }

    public func run() async throws {
        ProcessMemory.limitArenas()
        try await TopicSetup.waitForBroker(
            brokers: configuration.brokers, topics: TopicSetup.pipelineTopics(), logger: logger)
        var consumerConfiguration = configuration.consumer
        consumerConfiguration.groupID = configuration.groupID
        let (shards, logger) = (self.shards, self.logger)
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration, logger: logger,
            rebalance: RebalanceHandler(
                assigned: { partitions, lookup in shards.startOffsets(for: partitions, lookup: lookup, logger: logger) },
                revoked: { partitions in shards.close(partitions.map { Int($0.partition) }) }))
        let producer = try KafkaProducer(configuration: configuration.producer, logger: logger)
        try consumer.subscribe([configuration.topic])
        readiness.set()
        logger.info("consuming", metadata: [
            "topic": "\(configuration.topic)", "group": "\(configuration.groupID)", "index": "\(configuration.indexPath)",
        ])

        var pending = PendingRecords()
        do {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let records = try await consumer.poll()
                // Records of partitions revoked during that poll belong to their new owner now.
                pending.keepOnly(consumer.assignment)
                pending.append(records)
                metrics.consumed(configuration.topic, count: records.count)
                if pending.count >= configuration.maxBatchRecords
                    || (pending.count > 0 && (records.isEmpty || pending.age >= configuration.maxBatchDelay))
                {
                    try await write(pending.take(), producer: producer, consumer: consumer)
                }
            }
            if pending.count > 0 {
                try await write(pending.take(), producer: producer, consumer: consumer)
            }
        } catch {
            logger.error("indexer failed", metadata: ["error": "\(error)"])
            await shutDown(consumer: consumer, producer: producer)
            throw error
        }
        await shutDown(consumer: consumer, producer: producer)
    }

    private func shutDown(consumer: KafkaConsumer, producer: KafkaProducer) async {
        readiness.clear()
        await StageDrain.drain(consumer: consumer, producer: producer, timeout: configuration.drainTimeout, logger: logger)
        shards.closeAll()
        logger.info("stopped")
    }

    /// Writes one batch: each partition's records into its shard, the shards in parallel.
    func write(_ byPartition: [Int32: [KafkaMessage]], producer: KafkaProducer, consumer: KafkaConsumer) async throws {
        let started = ContinuousClock.now
        let (shards, topic, metrics, logger) = (self.shards, configuration.topic, self.metrics, self.logger)
        let deadLetterTopic = configuration.deadLetterTopic
        let next = try await withThrowingTaskGroup(of: (TopicPartition, Int64).self) { group in
            for (partition, records) in byPartition {
                group.addTask {
                    let prepared = ShardBatchBuilder.build(records, topic: topic, partition: partition, seenAt: Date())
                    if !prepared.rejected.isEmpty {
                        // Dead letters first: once the shard records the offset, these records are never read again.
                        let letters = prepared.rejected.map { DeadLetter.message(for: $0.message, error: $0.reason, stage: "indexer", topic: deadLetterTopic) }
                        for (letter, result) in zip(prepared.rejected, await producer.send(letters)) {
                            logger.warning("dead-lettered", metadata: [
                                "partition": "\(partition)", "offset": "\(letter.message.offset)", "reason": "\(letter.reason)",
                            ])
                            _ = try result.get()
                        }
                        metrics.deadLettered(topic, count: prepared.rejected.count)
                    }
                    try await shards.writer(for: Int(partition)).apply(prepared.batch)
                    return (TopicPartition(topic: topic, partition: partition), prepared.nextOffset)
                }
            }
            var next: [TopicPartition: Int64] = [:]
            for try await (tp, offset) in group { next[tp] = offset }
            return next
        }
        // The shards hold the truth; the group's committed offsets only show lag to operators.
        try? consumer.storeOffsets(next.filter { consumer.assignment.contains($0.key) })
        metrics.batchDuration(ContinuousClock.now - started)
        ProcessMemory.releaseFreePages()
        logger.debug("batch written", metadata: ["records": "\(byPartition.values.map(\.count).reduce(0, +))"])
    }
}

/// Records waiting to be written, by partition, with the time the oldest arrived.
struct PendingRecords {
    private(set) var byPartition: [Int32: [KafkaMessage]] = [:]
    private(set) var count = 0
    private var since: ContinuousClock.Instant?

    var age: Duration { since.map { ContinuousClock.now - $0 } ?? .zero }

    mutating func append(_ records: [KafkaMessage]) {
        guard !records.isEmpty else { return }
        if since == nil { since = ContinuousClock.now }
        for record in records { byPartition[record.partition, default: []].append(record) }
        count += records.count
    }

    mutating func keepOnly(_ assignment: Set<TopicPartition>) {
        let owned = Set(assignment.map(\.partition))
        for partition in byPartition.keys where !owned.contains(partition) {
            count -= byPartition.removeValue(forKey: partition)?.count ?? 0
        }
        if count == 0 { since = nil }
    }

    mutating func take() -> [Int32: [KafkaMessage]] {
        defer { byPartition = [:]; count = 0; since = nil }
        return byPartition
    }
}
