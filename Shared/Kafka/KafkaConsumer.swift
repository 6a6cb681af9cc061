import CRDKafka
import Dispatch
import Foundation
import Logging
import Synchronization

/// A consumer whose records arrive as an `AsyncSequence` of ``KafkaMessage`` values.
///
/// Offsets are stored only when the caller says a record is done (``storeOffset(of:)``);
/// stored offsets are committed in the background, on ``commit()``, before partitions are
/// revoked, and on ``close()``. Records are fetched in bounded batches by a blocking call
/// on the consumer's own dispatch queue, only when the sequence asks for more: librdkafka's
/// bounded prefetch queue is the only buffer, and the back-pressure.
public final class KafkaConsumer: @unchecked Sendable {
    private let client: RDKafkaClient
    private let tracker: AssignmentTracker
    /// The consumer queue, captured by every poll so it outlives the calls made on it.
    private let consumerQueue: ConsumerQueue
    private let batchSize: Int
    private let pollTimeoutMs: Int32
    private let closed = Atomic<Bool>(false)

    /// - Parameter rebalance: hooks for partition assignment and revocation (group consumers).
    public init(configuration: ConsumerConfiguration, logger: Logger, rebalance: RebalanceHandler? = nil) throws(KafkaError) {
        let tracker = AssignmentTracker()
        let hooks = ConsumerHooks(handler: rebalance, tracker: tracker)
        let client = try RDKafkaClient(
            kind: RD_KAFKA_CONSUMER,
            properties: configuration.librdkafkaProperties,
            context: ClientContext(logger: logger, consumerHooks: hooks, statistics: configuration.statistics?.handler),
            label: "consumer"
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
        rd_kafka_poll_set_consumer(client.pointer)
        guard let queue = rd_kafka_queue_get_consumer(client.pointer) else {
            throw KafkaError.client("create consumer", "no consumer queue")
        }
        self.client = client
        self.tracker = tracker
        self.consumerQueue = ConsumerQueue(queue, of: client)
        self.batchSize = max(1, configuration.batchSize)
        self.pollTimeoutMs = Int32(clamping: max(1, configuration.pollTimeout.milliseconds))
    }

    /// Joins the group and follows these topics. Partitions arrive through rebalances.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        guard let list = TopicPartitionList.make(topics.map { (TopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA), 0) }) else {
            throw KafkaError.client("subscribe", "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_subscribe(client.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: err, context: "subscribe to \(topics)")
        }
    }

    /// Reads exactly these partitions from these offsets, without group membership.
    public func assign(_ partitions: [TopicPartition: KafkaOffset]) throws(KafkaError) {
        let entries = partitions.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { ($0.key, $0.value.rawValue) }
        guard let list = TopicPartitionList.make(entries) else {
            throw KafkaError.client("assign", "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_assign(client.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: err, context: "assign \(entries.map(\.0))")
        }
        tracker.replace(with: entries.map(\.0))
    }

    /// The partitions this consumer reads now.
    public var assignment: Set<TopicPartition> { tracker.partitions }

    /// The records, in order within each partition. The sequence ends when the consumer is
    /// closed or the task is cancelled; it throws on a fatal client error.
    public var messages: KafkaMessages { KafkaMessages(consumer: self) }

    /// The records in the bounded batches librdkafka hands over (at most
    /// `ConsumerConfiguration.batchSize`), for stages that work a batch at a time.
    /// Never yields an empty batch; ends like ``messages``.
    public var batches: KafkaBatches { KafkaBatches(consumer: self) }

    /// Marks a record done: the group's committed offset will move past it.
    public func storeOffset(of message: KafkaMessage) throws(KafkaError) {
        try storeOffsets([message.topicPartition: message.offset + 1])
    }

    /// Marks records done up to (not including) each given next offset.
    public func storeOffsets(_ next: [TopicPartition: Int64]) throws(KafkaError) {
        guard !next.isEmpty else { return }
        guard let list = TopicPartitionList.make(next.map { ($0.key, $0.value) }) else {
            throw KafkaError.client("store offsets", "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_offsets_store(client.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: err, context: "store offsets \(next)")
        }
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws(KafkaError) {
        try await client.blocking { rk throws(KafkaError) in
            let err = rd_kafka_commit(rk, nil, 0)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
                throw KafkaError(code: err, context: "commit offsets")
            }
        }
    }

    /// The low and high watermarks of a partition: its first offset and the offset the
    /// next record will get.
    public func watermarks(of partition: TopicPartition, timeout: Duration = .seconds(5)) async throws(KafkaError) -> (low: Int64, high: Int64) {
        let rk = SendablePointer(client.pointer)
        let result: Result<(Int64, Int64), KafkaError> = await withCheckedContinuation { continuation in
            // `client` is captured and kept alive around the call, so `rk` stays valid.
            DispatchQueue.global().async { [client] in
                withExtendedLifetime(client) {
                    continuation.resume(returning: Result { () throws(KafkaError) in
                        try PartitionLookup(rk: rk.pointer).watermarks(of: partition, timeout: timeout)
                    })
                }
            }
        }
        let (low, high) = try result.get()
        return (low, high)
    }

    /// Leaves the group (revoking partitions, which commits stored offsets) and ends the
    /// message sequence. Safe to call more than once.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = try? await client.blocking { rk in
            rd_kafka_consumer_close(rk)
        }
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }
    var generation: UInt64 { tracker.generation }

    /// Waits at most the poll timeout for records and returns what arrived (possibly none),
    /// at most `batchSize`. For loops that must also act when nothing arrives (flushing on a
    /// timer); otherwise iterate ``messages`` or ``batches``.
    public func poll() async throws(KafkaError) -> [KafkaMessage] {
        try await pollTagged().messages
    }

    /// One bounded batch from librdkafka, copied out, and the assignment generation it belongs to.
    func pollTagged() async throws(KafkaError) -> (messages: [KafkaMessage], generation: UInt64) {
        let queue = consumerQueue
        let (batchSize, timeout, tracker) = (self.batchSize, self.pollTimeoutMs, self.tracker)
        return try await client.blocking { rk throws(KafkaError) in
            // Each record returned is ours until `rd_kafka_message_destroy` (the `defer` below);
            // its payload, key, headers and topic name are copied out before that.
            var raw = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: batchSize)
            let count = rd_kafka_consume_batch_queue(queue.pointer, timeout, &raw, batchSize)
            var copied: [KafkaMessage] = []
            copied.reserveCapacity(max(0, count))
            var lastError: KafkaError?
            var topicCache = TopicNameCache()
            for i in 0..<max(0, count) {
                guard let message = raw[i] else { continue }
                defer { rd_kafka_message_destroy(message) }
                let err = message.pointee.err
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    copied.append(KafkaMessage(copying: message, topics: &topicCache))
                } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    lastError = KafkaError(code: err, context: "consume")
                }
            }
            if let fatal = RDKafkaClient.fatalError(rk, context: "consume") {
                throw fatal
            }
            if let lastError, copied.isEmpty {
                // Brokers going away and coming back are reported here; librdkafka retries.
                ClientContext.from(rk)?.logger.warning("consumer error", metadata: ["error": "\(lastError)"])
            }
            return (copied, tracker.generation)
        }
    }
}

/// What reading a partition from an offset found first (``KafkaConsumer/peek(at:configuration:within:logger:)``).
public enum PeekResult: Sendable, Equatable {
    /// A record at or after the offset read from (the first one there may be gone by compaction).
    case record(offset: Int64)
    /// The broker answered that the partition ends at that offset: no record there yet.
    case endOfPartition
    /// The broker answered that the partition holds no such offset (`OFFSET_OUT_OF_RANGE`).
    case outOfRange
    /// No answer in the time given: a broker slow or away, or one that answers an offset past the
    /// partition's end with empty fetches (Tansu 0.6.0 does) rather than out of range.
    case noAnswer
}

extension KafkaConsumer {
    /// Reads each partition from the given offset and returns what came first: a record, the
    /// partition's end, or the broker's word that the offset is out of range.
    ///
    /// It uses a consumer handle of its own, destroyed before it returns: one that joins no
    /// group, commits nothing and never moves to another offset (`auto.offset.reset=error`), so
    /// the answer is about exactly that offset. It blocks the calling thread for up to `limit`
    /// plus the handle's set-up and close, which a rebalance hook may do (it runs on the consumer's
    /// own thread); an async caller should call it off the cooperative pool.
    /// - Parameter configuration: where the brokers are and how to reach them; its group,
    ///   statistics and offset-reset settings are not used.
    public static func peek(
        at offsets: [TopicPartition: Int64], configuration: ConsumerConfiguration, within limit: Duration, logger: Logger
    ) throws(KafkaError) -> [TopicPartition: PeekResult] {
        guard !offsets.isEmpty else { return [:] }
        var configuration = configuration
        configuration.groupID = nil
        configuration.statistics = nil
        var properties = configuration.librdkafkaProperties
        properties["auto.offset.reset"] = "error"
        properties["enable.partition.eof"] = "true"
        let client = try RDKafkaClient(kind: RD_KAFKA_CONSUMER, properties: properties, context: ClientContext(logger: logger), label: "peek")
        rd_kafka_poll_set_consumer(client.pointer)
        // Closed before `client` (and with it the handle) goes at the end of this call.
        defer { _ = rd_kafka_consumer_close(client.pointer) }
        guard let list = TopicPartitionList.make(offsets.map { ($0.key, $0.value) }) else {
            throw KafkaError.client("peek", "cannot allocate a partition list")
        }
        let assigned = rd_kafka_assign(client.pointer, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard assigned == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: assigned, context: "assign \(offsets.keys.sorted { $0.description < $1.description }) to peek")
        }

        var found: [TopicPartition: PeekResult] = [:]
        let deadline = ContinuousClock.now + limit
        while found.count < offsets.count {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            // Ours until `rd_kafka_message_destroy`; only numbers and the topic name are read from it.
            guard let message = rd_kafka_consumer_poll(client.pointer, Int32(clamping: max(1, left.milliseconds))) else { continue }
            defer { rd_kafka_message_destroy(message) }
            let m = message.pointee
            guard let rkt = m.rkt else {
                // Not about a partition (a broker away, say): librdkafka keeps trying until the deadline.
                logger.debug("peek: client error", metadata: ["error": "\(KafkaError(code: m.err, context: "peek"))"])
                continue
            }
            let tp = TopicPartition(topic: String(cString: rd_kafka_topic_name(rkt)), partition: m.partition)
            guard offsets[tp] != nil, found[tp] == nil else { continue }
            switch m.err {
            case RD_KAFKA_RESP_ERR_NO_ERROR: found[tp] = .record(offset: m.offset)
            case RD_KAFKA_RESP_ERR__PARTITION_EOF: found[tp] = .endOfPartition
            case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE: found[tp] = .outOfRange
            default:
                logger.debug("peek: partition error", metadata: ["partition": "\(tp)", "error": "\(KafkaError(code: m.err, context: "peek"))"])
            }
        }
        if let fatal = client.fatalError(context: "peek") {
            throw fatal
        }
        for tp in offsets.keys where found[tp] == nil {
            found[tp] = .noAnswer
        }
        return found
    }
}

/// An async sequence over a consumer's records.
public struct KafkaMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaMessage
    public typealias Failure = KafkaError
    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> Iterator {
        Iterator(consumer: consumer)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        var buffer: [KafkaMessage] = []
        var index = 0
        var generation: UInt64 = 0

        public mutating func next() async throws(KafkaError) -> KafkaMessage? {
            while true {
                if consumer.isClosed || Task.isCancelled { return nil }
                if index < buffer.count {
                    if generation == consumer.generation {
                        index += 1
                        return buffer[index - 1]
                    }
                    buffer.removeAll(keepingCapacity: true)  // fetched before a revocation
                    index = 0
                }
                (buffer, generation) = try await consumer.pollTagged()
                index = 0
            }
        }
    }
}

/// An async sequence over a consumer's records, a bounded batch at a time.
public struct KafkaBatches: AsyncSequence, Sendable {
    public typealias Element = [KafkaMessage]
    public typealias Failure = KafkaError
    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> Iterator {
        Iterator(consumer: consumer)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer

        public mutating func next() async throws(KafkaError) -> [KafkaMessage]? {
            while !consumer.isClosed && !Task.isCancelled {
                let batch = try await consumer.poll()
                if !batch.isEmpty { return batch }
            }
            return nil
        }
    }
}

/// The consumer's `rd_kafka_queue_t`: owned (from `rd_kafka_queue_get_consumer`) and destroyed
/// in `deinit`, which runs before the client's because this object holds the client.
final class ConsumerQueue: @unchecked Sendable {
    let pointer: OpaquePointer
    private let client: RDKafkaClient

    init(_ pointer: OpaquePointer, of client: RDKafkaClient) {
        self.pointer = pointer
        self.client = client
    }

    deinit {
        rd_kafka_queue_destroy(pointer)
    }
}

/// A C pointer carried across a queue hop; it owns nothing. Whoever makes one keeps the owner
/// of the pointee (an ``RDKafkaClient``) alive in the same closure.
struct SendablePointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

/// Remembers the last topic handle's name so each record does not decode it again.
/// Lives for one poll only: librdkafka's topic handles stay valid while a record holds them.
struct TopicNameCache {
    var handle: OpaquePointer?
    var name = ""

    mutating func name(of handle: OpaquePointer?) -> String {
        guard let handle else { return "" }
        if handle != self.handle {
            self.handle = handle
            self.name = String(cString: rd_kafka_topic_name(handle))
        }
        return name
    }
}

extension KafkaMessage {
    /// Copies a record's bytes out of librdkafka; the record may be destroyed afterwards.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>, topics: inout TopicNameCache) {
        let m = message.pointee
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            let count = rd_kafka_header_cnt(list)
            headers.reserveCapacity(count)
            for index in 0..<count {
                var name: UnsafePointer<CChar>?
                var value: UnsafeRawPointer?
                var size = 0
                if rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let name {
                    headers.append(KafkaHeader(name: String(cString: name), value: value.map { Data(bytes: $0, count: size) }))
                }
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let millis = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: topics.name(of: m.rkt),
            partition: m.partition,
            offset: m.offset,
            key: m.key.map { Data(bytes: $0, count: m.key_len) },
            value: m.payload.map { Data(bytes: $0, count: m.len) },
            headers: headers,
            timestamp: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || millis < 0
                ? nil : Date(timeIntervalSince1970: Double(millis) / 1000)
        )
    }
}
