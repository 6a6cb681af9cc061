import Foundation

/// Settings for a producer. Defaults suit the pipeline: every send waits for all
/// in-sync replicas (`acks=all`) and the producer is idempotent.
public struct ProducerConfiguration: Sendable {
    /// Bootstrap brokers, `host:port[,host:port…]`.
    public var brokers: String
    public var clientID: String = "quotewire"
    /// How long a send may take, retries included, before it fails (`message.timeout.ms`).
    public var deliveryTimeout: Duration = .seconds(30)
    /// How long to wait to fill a batch (`linger.ms`).
    public var linger: Duration = .milliseconds(5)
    /// The largest record this producer sends (`message.max.bytes`).
    public var maxMessageBytes: Int = 10 * 1024 * 1024
    /// How many records may wait in librdkafka's queue; a send waits while it is full.
    public var queueCapacity: Int = 100_000
    /// How often the delivery-report thread polls librdkafka.
    public var pollInterval: Duration = .milliseconds(50)
    /// librdkafka's statistics, when wanted (`statistics.interval.ms`); off by default.
    public var statistics: StatisticsReporting?
    /// Raw librdkafka properties applied last, for what this type does not model.
    public var properties: [String: String] = [:]

    public init(brokers: String) {
        self.brokers = brokers
    }

    var librdkafkaProperties: [String: String] {
        var p: [String: String] = [
            "bootstrap.servers": brokers,
            "client.id": clientID,
            "acks": "all",
            "enable.idempotence": "true",
            "partitioner": "murmur2_random",
            "message.timeout.ms": String(deliveryTimeout.milliseconds),
            "linger.ms": String(linger.milliseconds),
            "message.max.bytes": String(maxMessageBytes),
            "queue.buffering.max.messages": String(queueCapacity),
        ]
        if let statistics {
            p["statistics.interval.ms"] = String(max(1, statistics.interval.milliseconds))
        }
        p.merge(properties) { _, raw in raw }
        return p
    }
}

/// Settings for a consumer. Offsets are stored only when the caller says a message
/// is done (`enable.auto.offset.store=false`) and committed in the background and on
/// every partition revocation.
public struct ConsumerConfiguration: Sendable {
    public var brokers: String
    public var clientID: String = "quotewire"
    /// The consumer group; nil for a consumer that only reads assigned partitions
    /// and never commits.
    public var groupID: String?
    /// Where to start when the group has no committed offset.
    public var startFromBeginning: Bool = true
    /// `session.timeout.ms`: how long the group waits for a silent member.
    public var sessionTimeout: Duration = .seconds(6)
    /// `max.poll.interval.ms`: the longest gap between polls before the member is dropped.
    public var maxPollInterval: Duration = .seconds(10)
    /// How many KB librdkafka may prefetch per partition (`queued.max.messages.kbytes`);
    /// this bounds the consumer's memory.
    public var prefetchKilobytes: Int = 4096
    /// The most records handed over per poll of librdkafka.
    public var batchSize: Int = 500
    /// How long one poll waits for records.
    public var pollTimeout: Duration = .milliseconds(100)
    /// librdkafka's statistics, when wanted (`statistics.interval.ms`); off by default.
    /// Consumer reports carry each assigned partition's lag; they arrive while polling.
    public var statistics: StatisticsReporting?
    /// Raw librdkafka properties applied last.
    public var properties: [String: String] = [:]

    public init(brokers: String, groupID: String?) {
        self.brokers = brokers
        self.groupID = groupID
    }

    var librdkafkaProperties: [String: String] {
        var p: [String: String] = [
            "bootstrap.servers": brokers,
            "client.id": clientID,
            "enable.auto.offset.store": "false",
            "enable.auto.commit": "true",
            "auto.commit.interval.ms": "1000",
            "auto.offset.reset": startFromBeginning ? "earliest" : "latest",
            "session.timeout.ms": String(sessionTimeout.milliseconds),
            "heartbeat.interval.ms": String(max(100, sessionTimeout.milliseconds / 3)),
            "max.poll.interval.ms": String(maxPollInterval.milliseconds),
            "queued.max.messages.kbytes": String(prefetchKilobytes),
            "fetch.max.bytes": String(max(1024 * 1024, prefetchKilobytes * 1024)),
            // A partition whose prefetch was full is fetched again this soon after, not a
            // second later (librdkafka's default): a small prefetch that the stage empties
            // quickly would otherwise leave it waiting (the indexer was 20-30% slower).
            "fetch.queue.backoff.ms": "10",
        ]
        if let groupID {
            p["group.id"] = groupID
        } else {
            // librdkafka's consumer API needs a group id even for manual assignment; a private
            // one that never commits leaves every real group's offsets alone.
            p["group.id"] = "quotewire-reader-\(UUID().uuidString.lowercased())"
            p["enable.auto.commit"] = "false"
        }
        if let statistics {
            p["statistics.interval.ms"] = String(max(1, statistics.interval.milliseconds))
        }
        p.merge(properties) { _, raw in raw }
        return p
    }
}

/// Settings for topic administration.
public struct AdminConfiguration: Sendable {
    public var brokers: String
    public var clientID: String = "quotewire-admin"
    /// How long an admin request may take.
    public var timeout: Duration = .seconds(15)
    public var properties: [String: String] = [:]

    public init(brokers: String) {
        self.brokers = brokers
    }

    var librdkafkaProperties: [String: String] {
        var p = ["bootstrap.servers": brokers, "client.id": clientID]
        p.merge(properties) { _, raw in raw }
        return p
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, at least zero.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return max(0, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
