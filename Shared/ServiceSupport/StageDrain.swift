import Logging
import QuotewireKafka

/// The end of a consuming stage: flush what it produced, commit the offsets it stored,
/// leave the group. Shared by every stage so they all drain the same way.
public enum StageDrain {
    public static func drain(consumer: KafkaConsumer, producer: KafkaProducer, timeout: Duration, logger: Logger) async {
        logger.info("draining")
        await producer.close(timeout: timeout)
        do {
            try await consumer.commit()
        } catch {
            logger.warning("final commit failed", metadata: ["error": "\(error)"])
        }
        await consumer.close()
    }
}
