import CRDKafka

/// Conversions between Swift values and `rd_kafka_topic_partition_list_t`.
enum TopicPartitionList {
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// A new list the caller must free with `rd_kafka_topic_partition_list_destroy`.
    static func make(_ entries: [(TopicPartition, Int64)]) -> Pointer? {
        guard let list = rd_kafka_topic_partition_list_new(Int32(clamping: entries.count)) else { return nil }
        for (tp, offset) in entries {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition)?.pointee.offset = offset
        }
        return list
    }

    /// Copies a list out; `list` stays the caller's (or librdkafka's, in a rebalance), and
    /// its topic names are copied into Swift strings, so nothing here points into it later.
    static func read(_ list: Pointer) -> [(TopicPartition, Int64)] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elems = list.pointee.elems else { return [] }
        return (0..<count).map { i in
            let e = elems[i]
            return (TopicPartition(topic: String(cString: e.topic), partition: e.partition), e.offset)
        }
    }
}

extension KafkaOffset {
    var rawValue: Int64 {
        switch self {
        case .beginning: Int64(RD_KAFKA_OFFSET_BEGINNING)
        case .end: Int64(RD_KAFKA_OFFSET_END)
        case .stored: Int64(RD_KAFKA_OFFSET_STORED)
        case .exactly(let offset): offset
        }
    }
}
