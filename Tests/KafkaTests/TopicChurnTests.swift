import Foundation
import QuotewireKafka
import QuotewireTestNeeds
import Testing

/// Topics deleted under clients that are still fetching from them, round after round.
///
/// librdkafka 2.8 turns the leader hints of a Fetch reply into a metadata update; for a topic
/// the broker has just deleted, the reply names it by an all-zero id, and the unpatched library
/// looked that topic up by a NULL name (SIGSEGV in `rd_kafka_metadata_cache_find`). The suite used
/// to die of it about once in eight runs, right after tests deleted their topics;
/// `scripts/patch-librdkafka.py` fixes it in the build `scripts/setup.sh` installs. This test makes
/// the situation on purpose: several consumers fetch a topic, it is deleted under them, they go on
/// polling, then close, while other rounds open and close clients beside them. A crash kills the
/// test process, so the test fails; it also checks each round's records arrived whole.
@Suite(.needs(.broker, .time), .serialized, .timeLimit(.minutes(8))) struct TopicChurnTests {
    /// Rounds in all (`QUOTEWIRE_CHURN_ROUNDS`, default 200), run `concurrent` at a time.
    static let rounds = Int(ProcessInfo.processInfo.environment["QUOTEWIRE_CHURN_ROUNDS"] ?? "") ?? 200
    static let concurrent = 8

    @Test func clientsSurviveTopicsDeletedUnderThemWhileOthersOpenAndClose() async throws {
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: TestBroker.brokers), logger: TestBroker.logger)
        var finished = 0
        var next = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            func start() {
                let round = next
                next += 1
                group.addTask { try await Self.round(round, admin: admin) }
            }
            while next < min(Self.concurrent, Self.rounds) { start() }
            while let received = try await group.next() {
                #expect(received == Self.recordsPerRound, "a round lost records before its topic was deleted")
                finished += 1
                if next < Self.rounds { start() }
            }
        }
        #expect(finished == Self.rounds)
    }

    static let recordsPerRound = 6

    /// One round: a topic of three partitions, two consumers reading it, a producer writing to it;
    /// the topic is deleted while both consumers still poll; then every client closes. Returns how
    /// many records the first consumer had before the deletion.
    static func round(_ round: Int, admin: KafkaAdmin) async throws -> Int {
        let topic = TestBroker.uniqueName("churn-\(round)")
        try await admin.createTopics([TopicSpecification(name: topic, partitions: 3)])
        let producer = try TestBroker.producer(timeout: .seconds(10))
        let consumers = try (0..<2).map { _ in try TestBroker.assignedConsumer(topic: topic, partitions: 3) }
        let messages = (0..<recordsPerRound).map {
            OutgoingMessage(topic: topic, key: "k\($0)", value: Data("round \(round) record \($0)".utf8))
        }
        for report in await producer.send(messages) { _ = try report.get() }
        await producer.close(timeout: .seconds(5))
        let received = try await collect(consumers[0], count: recordsPerRound, within: .seconds(30))

        // Both consumers keep fetching while the topic goes away under them.
        let polling = Task {
            let until = ContinuousClock.now + .milliseconds(600)
            while ContinuousClock.now < until {
                for consumer in consumers { _ = try? await consumer.poll() }
            }
        }
        try await admin.deleteTopics([topic])
        await polling.value
        for consumer in consumers { await consumer.close() }
        return received.count
    }
}
