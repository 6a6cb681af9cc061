import CRDKafka
import Logging
import NIOConcurrencyHelpers

/// Hooks a consumer calls when the group moves partitions. They run synchronously on
/// the consumer's poll thread, inside the rebalance, and hold up the poll: they may wait
/// for work on those partitions to finish (the indexer waits for a batch in flight), but
/// not for anything the poll itself must deliver.
public struct RebalanceHandler: Sendable {
    /// Partitions given to this member; returns where to start reading each one
    /// (absent: the group's committed offset, else `auto.offset.reset`). The lookup answers
    /// questions about the partitions (their watermarks) from inside the rebalance.
    public var assigned: @Sendable ([TopicPartition], PartitionLookup) -> [TopicPartition: KafkaOffset]
    /// Partitions about to be taken away. Stored offsets are committed right after this returns.
    public var revoked: @Sendable ([TopicPartition]) -> Void

    public init(
        assigned: @escaping @Sendable ([TopicPartition], PartitionLookup) -> [TopicPartition: KafkaOffset] = { _, _ in [:] },
        revoked: @escaping @Sendable ([TopicPartition]) -> Void = { _ in }
    ) {
        self.assigned = assigned
        self.revoked = revoked
    }
}

/// Questions a rebalance hook may ask about partitions. Its calls block; they run on the
/// consumer's own thread, inside the rebalance. Valid only during the hook.
public struct PartitionLookup {
    /// Borrowed: the consumer's handle, alive for the hook's duration (or, from
    /// ``KafkaConsumer/watermarks(of:timeout:)``, while that call holds the client).
    let rk: OpaquePointer

    /// The first offset of a partition and the offset its next record will get.
    public func watermarks(of partition: TopicPartition, timeout: Duration = .seconds(5)) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(
            rk, partition.topic, partition.partition, &low, &high, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: err, context: "query watermarks of \(partition)")
        }
        return (low, high)
    }
}

/// The consumer's current assignment and a generation that changes whenever
/// partitions are taken away, so prefetched records of revoked partitions are dropped.
final class AssignmentTracker: Sendable {
    private struct State {
        var partitions: Set<TopicPartition> = []
        var generation: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    var generation: UInt64 { state.withLockedValue { $0.generation } }
    var partitions: Set<TopicPartition> { state.withLockedValue { $0.partitions } }

    func add(_ partitions: [TopicPartition]) {
        state.withLockedValue { $0.partitions.formUnion(partitions) }
    }

    func remove(_ partitions: [TopicPartition]) {
        state.withLockedValue {
            $0.partitions.subtract(partitions)
            $0.generation &+= 1
        }
    }

    func replace(with partitions: [TopicPartition]) {
        state.withLockedValue {
            $0.partitions = Set(partitions)
            $0.generation &+= 1
        }
    }
}

/// The consumer's context for the C rebalance callback.
final class ConsumerHooks: Sendable {
    let handler: RebalanceHandler?
    let tracker: AssignmentTracker

    init(handler: RebalanceHandler?, tracker: AssignmentTracker) {
        self.handler = handler
        self.tracker = tracker
    }
}

/// Runs on the thread that polls the consumer queue (inside `rd_kafka_consume_batch_queue`
/// or `rd_kafka_consumer_close`). `list` is librdkafka's and valid only during the call: it is
/// read into Swift values, start offsets are written into it in place, and it is handed back
/// to `rd_kafka_assign`/`incremental_assign` before the callback returns.
let rebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { rk, err, list, _ in
    guard let rk, let list, let context = ClientContext.from(rk), let hooks = context.consumerHooks else { return }
    let partitions = TopicPartitionList.read(list).map(\.0)
    let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        let starts = hooks.handler?.assigned(partitions, PartitionLookup(rk: rk)) ?? [:]
        if !starts.isEmpty, let elems = list.pointee.elems {
            for i in 0..<Int(list.pointee.cnt) {
                let tp = TopicPartition(topic: String(cString: elems[i].topic), partition: elems[i].partition)
                if let start = starts[tp] { elems[i].offset = start.rawValue }
            }
        }
        hooks.tracker.add(partitions)
        context.logger.info("partitions assigned", metadata: ["kafka.partitions": "\(partitions)"])
        if cooperative {
            if let error = rd_kafka_incremental_assign(rk, list) {
                context.logger.error("incremental assign failed", metadata: ["error": "\(KafkaError(consuming: error, context: "assign"))"])
            }
        } else {
            let code = rd_kafka_assign(rk, list)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                context.logger.error("assign failed", metadata: ["error": "\(KafkaError(code: code, context: "assign"))"])
            }
        }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        hooks.handler?.revoked(partitions)
        let code = rd_kafka_commit(rk, nil, 0)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            context.logger.warning("commit on revocation failed", metadata: ["error": "\(KafkaError(code: code, context: "commit"))"])
        }
        hooks.tracker.remove(partitions)
        context.logger.info("partitions revoked", metadata: ["kafka.partitions": "\(partitions)"])
        if cooperative {
            if let error = rd_kafka_incremental_unassign(rk, list) {
                context.logger.error("incremental unassign failed", metadata: ["error": "\(KafkaError(consuming: error, context: "unassign"))"])
            }
        } else {
            _ = rd_kafka_assign(rk, nil)
        }
    default:
        context.logger.error("rebalance error", metadata: ["error": "\(KafkaError(code: err, context: "rebalance"))"])
        hooks.tracker.replace(with: [])
        _ = rd_kafka_assign(rk, nil)
    }
}
