import Logging
import QuotewireKafka
import Synchronization

/// The end of a consuming stage: flush what it produced, commit the offsets it stored,
/// leave the group. Shared by every stage so they all drain the same way.
///
/// The whole drain is bounded: it ends by `stopAt + timeout + leaveBudget` (`stopAt`: when the
/// stage was told to stop), the flush taking at most `timeout` of that and committing and leaving
/// the group what is left, at least ``minimumLeave``. A stage therefore exits within
/// `--drain-seconds` plus ``leaveBudget`` and the time to exit, whatever the broker does. A broker that does not answer (stopped, or unreachable) leaves the
/// commit unfinished: the stage says so and exits, and the next start reads again from the last
/// committed offsets, so nothing is lost (the parser's output is keyed by article id, and the
/// indexer keeps its own offsets in SQLite with the rows).
public enum StageDrain {
    /// What the drain may take past `--drain-seconds` for committing and leaving the group.
    public static let leaveBudget: Duration = .seconds(2)
    /// The least time committing and leaving the group get, however late the drain starts.
    static let minimumLeave: Duration = .seconds(1)

    /// - Parameter stopAt: when the stage was told to stop (now when not given).
    public static func drain(
        consumer: KafkaConsumer, producer: KafkaProducer, timeout: Duration, stopAt: ContinuousClock.Instant? = nil,
        logger: Logger
    ) async {
        logger.info("draining")
        let deadline = (stopAt ?? .now) + timeout + leaveBudget
        await producer.close(timeout: max(.zero, min(timeout, deadline - leaveBudget - .now)))
        let budget = max(minimumLeave, deadline - .now)
        // A broker that does not answer blocks librdkafka's calls; they are left to run out.
        let left: Void? = await Deadline.run(within: budget, cancelLate: false) {
            do {
                try await consumer.commit()
            } catch {
                logger.warning("final commit failed", metadata: ["error": "\(error)"])
            }
            await consumer.close()
        }
        if left == nil {
            let partitions = consumer.assignment.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            logger.warning("the broker did not answer the final commit in time; leaving without it: offsets stored since the last commit will be read again on the next start", metadata: [
                "waited": "\(budget)",
                "partitions": "\(partitions.map { "\($0.topic)[\($0.partition)]" })",
            ])
        }
    }
}

/// When a stage was told to stop: marked once by its graceful-shutdown handler, read by its drain.
public final class StopRequest: Sendable {
    private let instant = Mutex<ContinuousClock.Instant?>(nil)

    public init() {}

    /// Records now, unless a time is recorded already.
    public func mark() { instant.withLock { $0 = $0 ?? .now } }

    public var at: ContinuousClock.Instant? { instant.withLock { $0 } }
}
