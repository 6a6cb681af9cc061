import QuotewireKafka
import QuotewireModels

/// Dead-lettering: the original record, unchanged, to `articles.dlq` with headers saying
/// why, where from and which stage gave up.
public enum DeadLetter {
    public static func message(for original: KafkaMessage, error: String, stage: String,
                               topic: String = Topics.deadLetter) -> OutgoingMessage {
        var headers = original.headers.filter { !$0.name.hasPrefix("quotewire-") }
        headers.append(KafkaHeader(name: DeadLetterHeader.error, string: String(error.prefix(4000))))
        headers.append(KafkaHeader(name: DeadLetterHeader.stage, string: stage))
        headers.append(KafkaHeader(name: DeadLetterHeader.sourceTopic, string: original.topic))
        headers.append(KafkaHeader(name: DeadLetterHeader.sourcePartition, string: String(original.partition)))
        headers.append(KafkaHeader(name: DeadLetterHeader.sourceOffset, string: String(original.offset)))
        return OutgoingMessage(topic: topic, key: original.key, value: original.value, headers: headers)
    }
}
