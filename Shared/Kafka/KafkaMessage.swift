import Foundation

/// A topic and one of its partitions.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// One Kafka record header. A header may carry no value.
public struct KafkaHeader: Hashable, Sendable {
    public var name: String
    public var value: Data?

    public init(name: String, value: Data?) {
        self.name = name
        self.value = value
    }

    public init(name: String, string: String) {
        self.init(name: name, value: Data(string.utf8))
    }

    /// The value read as UTF-8, or nil when absent or not text.
    public var stringValue: String? {
        value.flatMap { String(data: $0, encoding: .utf8) }
    }
}

/// A consumed record, copied out of librdkafka: it owns its bytes.
public struct KafkaMessage: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The key, or nil when the record has none.
    public var key: Data?
    /// The value, or nil for a tombstone (a null value).
    public var value: Data?
    public var headers: [KafkaHeader]
    /// The record's timestamp, when the broker or producer set one.
    public var timestamp: Date?

    public init(
        topic: String, partition: Int32, offset: Int64, key: Data?, value: Data?,
        headers: [KafkaHeader] = [], timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// The key read as UTF-8.
    public var keyString: String? { key.flatMap { String(data: $0, encoding: .utf8) } }

    /// Whether this record deletes its key (a null value).
    public var isTombstone: Bool { value == nil }

    /// The first header with this name.
    public func header(_ name: String) -> KafkaHeader? { headers.first { $0.name == name } }
}

/// A record to produce.
public struct OutgoingMessage: Sendable, Equatable {
    public var topic: String
    /// An explicit partition, or nil to let the partitioner choose from the key
    /// (murmur2, as the Java client does, so every client agrees).
    public var partition: Int32?
    public var key: Data?
    /// The value, or nil to produce a tombstone.
    public var value: Data?
    public var headers: [KafkaHeader]

    public init(topic: String, partition: Int32? = nil, key: Data?, value: Data?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(topic: String, key: String, value: Data?, headers: [KafkaHeader] = []) {
        self.init(topic: topic, key: Data(key.utf8), value: value, headers: headers)
    }
}

/// Where the broker stored a produced record.
public struct DeliveryReport: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

/// Where to start reading a partition.
public enum KafkaOffset: Sendable, Equatable {
    case beginning
    case end
    /// The group's committed offset, else `auto.offset.reset`.
    case stored
    case exactly(Int64)
}
