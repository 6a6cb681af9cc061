import Logging
import QuotewireKafka
import Synchronization

/// The end of a consuming stage: flush what it produced, commit the offsets it stored,
/// leave the group. Shared by every stage so they all drain the same way.
///
/// The whole drain is bounded: the flush by `timeout`, committing and leaving the group by
/// ``leaveBudget`` after it, so a stage exits within `--drain-seconds` plus a few seconds
/// whatever the broker does. A broker that does not answer (stopped, or unreachable) leaves the
/// commit unfinished: the stage says so and exits, and the next start reads again from the last
/// committed offsets, so nothing is lost (the parser's output is keyed by article id, and the
/// indexer keeps its own offsets in SQLite with the rows).
public enum StageDrain {
    /// How long committing and leaving the group may take after the flush.
    public static let leaveBudget: Duration = .seconds(3)

    public static func drain(consumer: KafkaConsumer, producer: KafkaProducer, timeout: Duration, logger: Logger) async {
        logger.info("draining")
        await producer.close(timeout: timeout)
        let left = await finish(within: leaveBudget) {
            do {
                try await consumer.commit()
            } catch {
                logger.warning("final commit failed", metadata: ["error": "\(error)"])
            }
            await consumer.close()
        }
        if !left {
            let partitions = consumer.assignment.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            logger.warning("the broker did not answer the final commit in time; leaving without it: offsets stored since the last commit will be read again on the next start", metadata: [
                "waited": "\(leaveBudget)",
                "partitions": "\(partitions.map { "\($0.topic)[\($0.partition)]" })",
            ])
        }
    }

    /// Runs `work` and waits for it at most `limit`. Returns whether it finished; when it did
    /// not, it goes on in the background (a blocking librdkafka call cannot be interrupted) and
    /// the caller carries on without it.
    static func finish(within limit: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        let outcome = FirstOutcome()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Task {
                await work()
                if outcome.claim() { continuation.resume(returning: true) }
            }
            Task {
                try? await Task.sleep(for: limit)
                if outcome.claim() { continuation.resume(returning: false) }
            }
        }
    }
}

/// Lets exactly one of two racers resume a continuation.
private final class FirstOutcome: Sendable {
    private let taken = Atomic<Bool>(false)

    func claim() -> Bool { !taken.exchange(true, ordering: .acquiringAndReleasing) }
}
