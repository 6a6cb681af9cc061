import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport
import Synchronization

/// The indexer stage as a lifecycle `Service`: consumes `quotes.parsed` in its group and
/// writes each partition's records into that partition's shard, in batches bounded by
/// count and time. Each batch is one transaction that also records the offset it consumed
/// through, so a crash at any instant neither loses nor duplicates an article; on every
/// assignment a partition resumes from the offset its shard stored.
///
/// Every partition is written on its own: a batch starts as soon as that partition has
/// enough records and its previous batch committed, while polling goes on, so the shards
/// are written in parallel and fetching and decoding overlap the writes. At most one batch
/// per partition is in flight; a partition is revoked only after its batch committed.
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
        self.shards = ShardRegistry(folder: IndexFolder(path: configuration.indexPath), configuration: configuration.writer, consumer: configuration.consumer)
    }

    /// Whether the stage has joined its group and is consuming.
    public var isReady: Bool { readiness.isSet }

    public func run() async throws {
        ProcessMemory.limitArenas()
        let advertiser = configuration.advertising.map { NodeAdvertiser(settings: $0, topic: configuration.topic, logger: self.logger) }
        try await TopicSetup.waitForBroker(
            brokers: configuration.brokers,
            topics: [TopicSetup.articles(configuration.topic), TopicSetup.deadLetters(configuration.deadLetterTopic)]
                + (advertiser.map { [TopicSetup.nodes($0.settings.nodesTopic)] } ?? []),
            logger: logger)
        var consumerConfiguration = configuration.consumer
        consumerConfiguration.groupID = configuration.groupID
        let (shards, logger) = (self.shards, self.logger)
        let inFlight = WritesInFlight()
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration, logger: logger,
            rebalance: RebalanceHandler(
                assigned: { partitions, lookup in
                    let starts = shards.startOffsets(for: partitions, lookup: lookup, logger: logger)
                    advertiser?.assigned(starts, lookup: lookup)
                    return starts
                },
                revoked: { partitions in
                    // Queries stop reading them first; the new owner resumes from the offset
                    // the shard stored: let the batch in flight commit.
                    let numbers = partitions.map(\.partition)
                    advertiser?.revoked(numbers.map(Int.init))
                    inFlight.waitUntilIdle(numbers)
                    shards.close(numbers.map(Int.init))
                }))
        let producer = try KafkaProducer(configuration: configuration.producer, logger: logger)
        let brokers = configuration.brokers
        let advertising = advertiser.map { advertiser in Task { await advertiser.run(producer: producer, brokers: brokers) } }
        try consumer.subscribe([configuration.topic])
        readiness.set()
        logger.info("consuming", metadata: [
            "topic": "\(configuration.topic)", "group": "\(configuration.groupID)", "index": "\(configuration.indexPath)",
        ])

        do {
            try await withThrowingDiscardingTaskGroup { group in
                var completed = inFlight.completions.makeAsyncIterator()
                var pending = PendingRecords()
                let (maxRecords, maxDelay) = (configuration.maxBatchRecords, configuration.maxBatchDelay)
                func startWrites(_ partitions: [Int32]) {
                    for partition in partitions where inFlight.begin(partition) {
                        let records = RecordHandoff(pending.take(partition, upTo: maxRecords))
                        group.addTask {
                            defer { inFlight.end(partition) }
                            let next = try await self.write(records.take(), partition: partition, producer: producer,
                                                            consumer: consumer)
                            advertiser?.indexed(partition: Int(partition), through: next)
                        }
                    }
                }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    // As many records waiting as a full batch per partition: take no more until a write ends.
                    if pending.count >= maxRecords * max(1, consumer.assignment.count) {
                        _ = await completed.next()
                        startWrites(pending.full(maxRecords))
                        continue
                    }
                    let records = try await consumer.poll()
                    // Records of partitions revoked during that poll belong to their new owner now.
                    pending.keepOnly(consumer.assignment)
                    pending.append(records)
                    metrics.consumed(configuration.topic, count: records.count)
                    startWrites(pending.due(maxRecords: maxRecords, maxDelay: maxDelay, idle: records.isEmpty))
                }
                // Shutting down: write what was consumed, each partition after its batch in flight.
                while !Task.isCancelled, !pending.isEmpty {
                    startWrites(pending.partitions)
                    if !pending.isEmpty { _ = await completed.next() }
                }
            }
        } catch {
            logger.error("indexer failed", metadata: ["error": "\(error)"])
            await shutDown(consumer: consumer, producer: producer, advertiser: advertiser, advertising: advertising)
            throw error
        }
        await shutDown(consumer: consumer, producer: producer, advertiser: advertiser, advertising: advertising)
    }

    private func shutDown(consumer: KafkaConsumer, producer: KafkaProducer, advertiser: NodeAdvertiser?,
                          advertising: Task<Void, Never>?) async {
        readiness.clear()
        if let advertiser, let advertising {
            // Queries stop asking this node before it goes.
            advertising.cancel()
            await advertising.value
            await advertiser.advertise(producer: producer, leaving: true)
        }
        await StageDrain.drain(consumer: consumer, producer: producer, timeout: configuration.drainTimeout, logger: logger)
        shards.closeAll()
        logger.info("stopped")
    }

    /// Writes one batch of a partition's records into its shard, dead letters first, and
    /// returns the offset the shard now resumes from.
    @discardableResult
    func write(_ records: consuming [KafkaMessage], partition: Int32, producer: KafkaProducer, consumer: KafkaConsumer) async throws
        -> Int64
    {
        let started = ContinuousClock.now
        let topic = configuration.topic
        let count = records.count
        let prepared = ShardBatchBuilder.build(records, topic: topic, partition: partition, seenAt: Date())
        _ = consume records  // the raw copies are not needed while the shard writes
        if !prepared.rejected.isEmpty {
            // Dead letters first: once the shard records the offset, these records are never read again.
            let letters = prepared.rejected.map {
                DeadLetter.message(for: $0.message, error: $0.reason, stage: "indexer", topic: configuration.deadLetterTopic)
            }
            for (letter, result) in zip(prepared.rejected, await producer.send(letters)) {
                logger.warning("dead-lettered", metadata: [
                    "partition": "\(partition)", "offset": "\(letter.message.offset)", "reason": "\(letter.reason)",
                ])
                _ = try result.get()
            }
            metrics.deadLettered(topic, count: prepared.rejected.count)
        }
        try await shards.writer(for: Int(partition)).apply(prepared.batch)
        // The shards hold the truth; the group's committed offsets only show lag to operators.
        let tp = TopicPartition(topic: topic, partition: partition)
        if consumer.assignment.contains(tp) { try? consumer.storeOffsets([tp: prepared.nextOffset]) }
        metrics.batchDuration(ContinuousClock.now - started)
        ProcessMemory.releaseFreePages()
        logger.debug("batch written", metadata: ["partition": "\(partition)", "records": "\(count)"])
        return prepared.nextOffset
    }
}

/// Hands a batch's records to its write task so that the task's closure does not keep
/// them: once decoded, the raw copies are freed while the shard writes.
final class RecordHandoff: Sendable {
    private let records: Mutex<[KafkaMessage]>

    init(_ records: [KafkaMessage]) { self.records = Mutex(records) }

    func take() -> [KafkaMessage] {
        records.withLock { held in
            let taken = held
            held = []
            return taken
        }
    }
}

/// The partitions whose batch is being written, at most one each. The rebalance hook waits
/// on them from the consumer's thread; the poll loop awaits `completions`.
final class WritesInFlight: @unchecked Sendable {
    // `busy` and `waits` are guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var busy: Set<Int32> = []
    private var waits = 0
    /// Yields whenever a write ends (at most one signal kept while nobody waits).
    let completions: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init() {
        (completions, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Marks `partition` busy; false when a write of it is already in flight.
    func begin(_ partition: Int32) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return busy.insert(partition).inserted
    }

    func end(_ partition: Int32) {
        condition.lock()
        busy.remove(partition)
        condition.broadcast()
        condition.unlock()
        signal.yield()
    }

    /// Blocks the calling thread until none of `partitions` is being written.
    func waitUntilIdle(_ partitions: [Int32]) {
        condition.lock()
        defer { condition.unlock() }
        while partitions.contains(where: busy.contains) {
            waits += 1
            condition.wait()
        }
    }

    /// How many times a caller of ``waitUntilIdle(_:)`` found a partition busy and began to wait
    /// (again after each ended write that did not free it): what a test of the revocation sees.
    var waitsBegun: Int {
        condition.lock()
        defer { condition.unlock() }
        return waits
    }
}

/// Records waiting to be written, by partition, each with the time its oldest arrived.
struct PendingRecords {
    private var byPartition: [Int32: (records: [KafkaMessage], since: ContinuousClock.Instant)] = [:]

    var count: Int { byPartition.values.reduce(0) { $0 + $1.records.count } }

    var isEmpty: Bool { byPartition.isEmpty }
    var partitions: [Int32] { Array(byPartition.keys) }

    mutating func append(_ records: [KafkaMessage]) {
        guard !records.isEmpty else { return }
        let now = ContinuousClock.now
        for record in records { byPartition[record.partition, default: ([], now)].records.append(record) }
    }

    mutating func keepOnly(_ assignment: Set<TopicPartition>) {
        let owned = Set(assignment.map(\.partition))
        byPartition = byPartition.filter { owned.contains($0.key) }
    }

    /// Partitions holding at least a full batch.
    func full(_ maxRecords: Int) -> [Int32] {
        byPartition.compactMap { $0.value.records.count >= maxRecords ? $0.key : nil }
    }

    /// Partitions whose batch should be written now: full, or their oldest record waited
    /// `maxDelay`, or nothing more arrived (`idle`).
    func due(maxRecords: Int, maxDelay: Duration, idle: Bool) -> [Int32] {
        let now = ContinuousClock.now
        return byPartition.compactMap { partition, pending in
            idle || pending.records.count >= maxRecords || now - pending.since >= maxDelay ? partition : nil
        }
    }

    /// Removes and returns the oldest `maxRecords` records of `partition`; the rest wait on.
    mutating func take(_ partition: Int32, upTo maxRecords: Int) -> [KafkaMessage] {
        guard let pending = byPartition[partition] else { return [] }
        guard pending.records.count > maxRecords else {
            byPartition[partition] = nil
            return pending.records
        }
        byPartition[partition] = (Array(pending.records[maxRecords...]), pending.since)
        return Array(pending.records[..<maxRecords])
    }
}
