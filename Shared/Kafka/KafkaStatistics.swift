import Foundation

/// The part of librdkafka's statistics (`statistics.interval.ms`, see librdkafka's
/// STATISTICS.md) that operators look at: per-partition consumer lag, the producer's
/// queue, and each broker connection's state and round-trip time.
///
/// librdkafka emits the full JSON document on the client's own thread; this type keeps
/// only these figures, so a handler can turn them into metrics cheaply.
public struct KafkaStatistics: Sendable, Equatable {
    /// One partition as the client sees it.
    public struct Partition: Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        /// Records between the partition's end and the group's committed offset; nil when
        /// librdkafka does not know it (the partition is not assigned to this consumer).
        public var consumerLag: Int64?

        public init(topic: String, partition: Int32, consumerLag: Int64?) {
            self.topic = topic
            self.partition = partition
            self.consumerLag = consumerLag
        }
    }

    /// One broker connection.
    public struct Broker: Sendable, Equatable {
        /// `host:port/nodeid`, as librdkafka names it.
        public var name: String
        /// Whether the connection is up (`state == "UP"`).
        public var isUp: Bool
        /// The average request round-trip time over the last interval, when there was a request.
        public var averageRoundTrip: Duration?

        public init(name: String, isUp: Bool, averageRoundTrip: Duration?) {
            self.name = name
            self.isUp = isUp
            self.averageRoundTrip = averageRoundTrip
        }
    }

    /// The client's name (`client.id` plus a number, e.g. `quotewire-parser#consumer-1`).
    public var clientName: String
    /// `producer` or `consumer`.
    public var clientType: String
    /// Records waiting in the producer's queue or in flight (`msg_cnt`).
    public var queuedMessages: Int64
    public var partitions: [Partition]
    /// Real broker connections only (librdkafka's internal queue and its logical
    /// coordinator handles are left out).
    public var brokers: [Broker]

    /// Reads the figures from librdkafka's statistics JSON.
    /// - Throws: ``KafkaError`` (`client`) when the document is not the JSON librdkafka writes.
    public init(json: Data) throws(KafkaError) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: json)
        } catch {
            throw KafkaError.client("read librdkafka statistics", "\(error)")
        }
        clientName = document.name
        clientType = document.type
        queuedMessages = document.msg_cnt ?? 0
        partitions = (document.topics ?? [:]).values.flatMap { topic in
            (topic.partitions ?? [:]).values.compactMap { partition -> Partition? in
                guard partition.partition >= 0 else { return nil }  // -1: librdkafka's unassigned placeholder
                let lag = partition.consumer_lag.flatMap { $0 >= 0 ? $0 : nil }
                return Partition(topic: topic.topic, partition: partition.partition, consumerLag: lag)
            }
        }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        brokers = (document.brokers ?? [:]).values.compactMap { broker -> Broker? in
            guard (broker.nodeid ?? -1) >= 0, broker.source != "logical", broker.source != "internal" else { return nil }
            let rtt = broker.rtt?.avg.flatMap { $0 > 0 ? Duration.microseconds($0) : nil }
            return Broker(name: broker.name, isUp: broker.state == "UP", averageRoundTrip: rtt)
        }.sorted { $0.name < $1.name }
    }

    // The JSON as librdkafka writes it (snake_case names, partitions keyed by number).
    private struct Document: Decodable {
        var name: String
        var type: String
        var msg_cnt: Int64?
        var brokers: [String: BrokerDocument]?
        var topics: [String: TopicDocument]?
    }

    private struct BrokerDocument: Decodable {
        var name: String
        var nodeid: Int32?
        /// `configured`, `learned`, `internal` or `logical` (the group coordinator's handle).
        var source: String?
        var state: String?
        var rtt: Window?
    }

    private struct Window: Decodable {
        var avg: Int64?
    }

    private struct TopicDocument: Decodable {
        var topic: String
        var partitions: [String: PartitionDocument]?
    }

    private struct PartitionDocument: Decodable {
        var partition: Int32
        var consumer_lag: Int64?
    }
}

/// Asks a client for librdkafka's statistics every `interval` and hands each report to
/// `handler`, on the client's own polling thread (keep the handler quick).
public struct StatisticsReporting: Sendable {
    public var interval: Duration
    public var handler: @Sendable (KafkaStatistics) -> Void

    public init(every interval: Duration, handler: @escaping @Sendable (KafkaStatistics) -> Void) {
        self.interval = interval
        self.handler = handler
    }
}
