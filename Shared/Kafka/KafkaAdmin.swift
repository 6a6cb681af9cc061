import CRDKafka
import Logging

/// A topic to create.
public struct TopicSpecification: Sendable, Equatable {
    public var name: String
    public var partitions: Int
    /// Replicas per partition; -1 takes the broker's default.
    public var replicationFactor: Int
    /// Topic configuration, like `cleanup.policy=compact` or `max.message.bytes`.
    public var config: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = -1, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

/// Topic administration: create missing topics, delete topics, read partition counts.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let timeoutMs: Int32

    public init(configuration: AdminConfiguration, logger: Logger) throws(KafkaError) {
        client = try RDKafkaClient(
            kind: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties,
            context: ClientContext(logger: logger),
            label: "admin"
        )
        timeoutMs = Int32(clamping: configuration.timeout.milliseconds)
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are.
    public func createTopics(_ topics: [TopicSpecification]) async throws(KafkaError) {
        guard !topics.isEmpty else { return }
        let timeout = timeoutMs
        try await client.blocking { rk throws(KafkaError) in
            var errorBuffer = [CChar](repeating: 0, count: 512)
            // The NewTopic handles are ours for the whole request (librdkafka copies what it
            // sends) and destroyed when this block ends, on every path.
            var handles: [OpaquePointer?] = []
            defer { handles.forEach { rd_kafka_NewTopic_destroy($0) } }
            for spec in topics {
                guard let handle = rd_kafka_NewTopic_new(
                    spec.name, Int32(clamping: spec.partitions), Int32(clamping: spec.replicationFactor),
                    &errorBuffer, errorBuffer.count)
                else {
                    throw KafkaError.client("create topic \(spec.name)", String(cBuffer: errorBuffer))
                }
                handles.append(handle)
                for (key, value) in spec.config.sorted(by: { $0.key < $1.key }) {
                    let err = rd_kafka_NewTopic_set_config(handle, key, value)
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        throw KafkaError(code: err, context: "create topic \(spec.name): config \(key)")
                    }
                }
            }
            try Self.run(rk, timeout: timeout, operation: RD_KAFKA_ADMIN_OP_CREATETOPICS, context: "create topics",
                         ignoring: [RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS]) { options, queue in
                rd_kafka_CreateTopics(rk, &handles, handles.count, options, queue)
            } results: { event in
                var count = 0
                let result = rd_kafka_event_CreateTopics_result(event)
                let items = rd_kafka_CreateTopics_result_topics(result, &count)
                return (0..<count).compactMap { items?[$0] }
            }
        }
    }

    /// Deletes topics; ones that do not exist are ignored.
    public func deleteTopics(_ names: [String]) async throws(KafkaError) {
        guard !names.isEmpty else { return }
        let timeout = timeoutMs
        try await client.blocking { rk throws(KafkaError) in
            // Ours until the block ends, like the NewTopic handles above.
            var handles: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
            defer { handles.forEach { rd_kafka_DeleteTopic_destroy($0) } }
            try Self.run(rk, timeout: timeout, operation: RD_KAFKA_ADMIN_OP_DELETETOPICS, context: "delete topics",
                         ignoring: [RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART]) { options, queue in
                rd_kafka_DeleteTopics(rk, &handles, handles.count, options, queue)
            } results: { event in
                var count = 0
                let result = rd_kafka_event_DeleteTopics_result(event)
                let items = rd_kafka_DeleteTopics_result_topics(result, &count)
                return (0..<count).compactMap { items?[$0] }
            }
        }
    }

    /// The partition count of every topic the broker knows.
    public func partitionCounts() async throws(KafkaError) -> [String: Int] {
        let timeout = timeoutMs
        return try await client.blocking { rk throws(KafkaError) in
            // librdkafka allocates the metadata for us; read, copied into Swift values, and
            // destroyed before the block returns.
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(rk, 1, nil, &metadata, timeout)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                throw KafkaError(code: err, context: "read cluster metadata")
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            var counts: [String: Int] = [:]
            for i in 0..<Int(metadata.pointee.topic_cnt) {
                guard let topic = metadata.pointee.topics?[i], topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
                counts[String(cString: topic.topic)] = Int(topic.partition_cnt)
            }
            return counts
        }
    }

    /// Sends one admin request and waits for its result event; fails on the first topic error
    /// not in `ignoring`.
    private static func run(
        _ rk: OpaquePointer,
        timeout: Int32,
        operation: rd_kafka_admin_op_t,
        context: String,
        ignoring: [rd_kafka_resp_err_t],
        request: (OpaquePointer?, OpaquePointer?) -> Void,
        results: (OpaquePointer) -> [OpaquePointer]
    ) throws(KafkaError) {
        // The result queue, the options and the result event are ours and destroyed on every
        // path by the `defer`s; the topic results point into the event, so they are read
        // (names and texts copied) before it is destroyed.
        guard let queue = rd_kafka_queue_new(rk) else { throw KafkaError.client(context, "no result queue") }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout, &errorBuffer, errorBuffer.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout, &errorBuffer, errorBuffer.count)
        request(options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeout &+ 1000) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT, context: context)
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: err, context: context, reason: rd_kafka_event_error_string(event).map { String(cString: $0) })
        }
        for item in results(event) {
            let code = rd_kafka_topic_result_error(item)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR && !ignoring.contains(code) {
                let name = String(cString: rd_kafka_topic_result_name(item))
                throw KafkaError(
                    code: code, context: "\(context): \(name)",
                    reason: rd_kafka_topic_result_error_string(item).map { String(cString: $0) })
            }
        }
    }
}
