import Foundation
import QuotewireKafka
import QuotewireTestNeeds
import Testing

/// `KafkaConsumer.peek`: what the broker answers for an offset, read by a handle of its own.
@Suite(.needs(.broker), .serialized, .timeLimit(.minutes(2))) struct PeekTests {
    @Test func answersTheRecordAtAnOffsetInsideABatchAndTheEndAfterIt() async throws {
        try await TestBroker.withTopic(partitions: 2) { topic in
            // One produce with linger: the 20 records share a batch (Tansu 0.6.0 then reports
            // the partition's end as 1, the batch's base offset + 1).
            var configuration = ProducerConfiguration(brokers: TestBroker.brokers)
            configuration.linger = .milliseconds(300)
            let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
            let sent = (0..<20).map { OutgoingMessage(topic: topic, partition: 0, key: Data("k\($0)".utf8), value: Data("\($0)".utf8)) }
            for result in await producer.send(sent) { _ = try result.get() }
            await producer.close(timeout: .seconds(5))

            let p0 = TopicPartition(topic: topic, partition: 0)
            let p1 = TopicPartition(topic: topic, partition: 1)
            let consumer = ConsumerConfiguration(brokers: TestBroker.brokers, groupID: nil)
            let inside = try await Self.peek([p0: 19, p1: 0], consumer)
            #expect(inside[p0] == .record(offset: 19), "the last record of the batch is read, whatever end is reported")
            #expect(inside[p1] == .endOfPartition, "an empty partition ends at 0")
            #expect(try await Self.peek([p0: 0], consumer)[p0] == .record(offset: 0))
            #expect(try await Self.peek([p0: 20], consumer)[p0] == .endOfPartition)

            // Past the end: Kafka answers out of range; Tansu answers empty fetches.
            let started = ContinuousClock.now
            let past = try await Self.peek([p0: 25], consumer, within: .seconds(2))[p0]
            #expect(past == .outOfRange || past == .noAnswer, "\(String(describing: past))")
            #expect(ContinuousClock.now - started < .seconds(10), "peek keeps to its time")
        }
    }

    /// Off the cooperative pool, as the call blocks its thread.
    static func peek(_ offsets: [TopicPartition: Int64], _ configuration: ConsumerConfiguration,
                     within limit: Duration = .seconds(10)) async throws -> [TopicPartition: PeekResult] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { () throws(KafkaError) in
                    try KafkaConsumer.peek(at: offsets, configuration: configuration, within: limit, logger: TestBroker.logger)
                })
            }
        }
    }
}
