import Foundation
import QuotewireKafka
import QuotewireModels

/// A dead-lettered record as `quotewire dlq list` shows it.
struct DeadLetterEntry: Encodable {
    var partition: Int32
    var offset: Int64
    var stage: String?
    var sourceTopic: String?
    var sourcePartition: Int32?
    var sourceOffset: Int64?
    var error: String?
    var key: String?
    /// The value's size in bytes; nil for a tombstone.
    var size: Int?
    var timestamp: Date?

    init(_ message: KafkaMessage) {
        partition = message.partition
        offset = message.offset
        stage = message.header(DeadLetterHeader.stage)?.stringValue
        sourceTopic = message.header(DeadLetterHeader.sourceTopic)?.stringValue
        sourcePartition = message.header(DeadLetterHeader.sourcePartition)?.stringValue.flatMap { Int32($0) }
        sourceOffset = message.header(DeadLetterHeader.sourceOffset)?.stringValue.flatMap { Int64($0) }
        error = message.header(DeadLetterHeader.error)?.stringValue
        key = message.key.map { String(data: $0, encoding: .utf8) ?? "<\($0.count) bytes>" }
        size = message.value?.count
        timestamp = message.timestamp
    }

    enum CodingKeys: String, CodingKey {
        case partition, offset, stage, sourceTopic, sourcePartition, sourceOffset, error, key, size, timestamp
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(partition, forKey: .partition)
        try c.encode(offset, forKey: .offset)
        try c.encode(stage, forKey: .stage)
        try c.encode(sourceTopic, forKey: .sourceTopic)
        try c.encode(sourcePartition, forKey: .sourcePartition)
        try c.encode(sourceOffset, forKey: .sourceOffset)
        try c.encode(error, forKey: .error)
        try c.encode(key, forKey: .key)
        try c.encode(size, forKey: .size)
        try c.encode(timestamp, forKey: .timestamp)
    }

    /// Where the record came from, `topic[partition]@offset`.
    var source: String {
        guard let sourceTopic else { return "?" }
        return "\(sourceTopic)[\(sourcePartition.map(String.init) ?? "?")]@\(sourceOffset.map(String.init) ?? "?")"
    }
}
