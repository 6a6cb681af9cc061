import Foundation
import QuotewireKafka
import QuotewireTestNeeds
import Testing

@Suite(.needs(.broker), .serialized, .timeLimit(.minutes(3))) struct ProduceConsumeTests {
    @Test func tenThousandMessagesAreEachConsumedOnceInPartitionOrder() async throws {
        try await TestBroker.withTopic(partitions: 3) { topic in
            let producer = try TestBroker.producer()
            let messages = (0..<10_000).map { i in
                OutgoingMessage(topic: topic, key: "key-\(i % 97)", value: Data("\(i)".utf8))
            }
            let reports = await producer.send(messages)
            let delivered = try reports.map { try $0.get() }
            #expect(Set(delivered.map(\.partition)) == [0, 1, 2])
            await producer.close(timeout: .seconds(5))

            // What the producer sent to each partition, in the order the broker stored it.
            var sentOrder: [Int32: [String]] = [:]
            for (report, message) in zip(delivered, messages).sorted(by: { $0.0.offset < $1.0.offset }) {
                sentOrder[report.partition, default: []].append(String(decoding: message.value ?? Data(), as: UTF8.self))
            }

            let consumer = try TestBroker.assignedConsumer(topic: topic, partitions: 3)
            let received = try await collect(consumer, count: 10_000)
            await consumer.close()

            #expect(received.count == 10_000)
            let values = received.map { String(decoding: $0.value ?? Data(), as: UTF8.self) }
            #expect(Set(values).count == 10_000, "every message exactly once")
            for partition in Int32(0)..<3 {
                let inPartition = received.filter { $0.partition == partition }
                #expect(inPartition.map(\.offset) == inPartition.map(\.offset).sorted())
                #expect(inPartition.map { String(decoding: $0.value ?? Data(), as: UTF8.self) } == sentOrder[partition] ?? [])
            }
            // One key always lands on one partition.
            let partitionsByKey = Dictionary(grouping: received, by: { $0.keyString ?? "" }).mapValues { Set($0.map(\.partition)) }
            #expect(partitionsByKey.values.allSatisfy { $0.count == 1 })
        }
    }

    @Test func tombstonesAndHeadersRoundTripIntact() async throws {
        try await TestBroker.withTopic(partitions: 1) { topic in
            let producer = try TestBroker.producer()
            let binary = Data([0, 255, 10, 13, 0x80])
            let headers = [
                KafkaHeader(name: "quotewire-error", string: "bad \"input\" ü"),
                KafkaHeader(name: "binary", value: binary),
                KafkaHeader(name: "empty", value: Data()),
                KafkaHeader(name: "null", value: nil),
            ]
            try await producer.send(OutgoingMessage(topic: topic, key: "a", value: Data("v".utf8), headers: headers))
            try await producer.send(OutgoingMessage(topic: topic, key: "a", value: nil))
            try await producer.send(OutgoingMessage(topic: topic, key: nil, value: Data()))
            await producer.close(timeout: .seconds(5))

            let consumer = try TestBroker.assignedConsumer(topic: topic, partitions: 1)
            let received = try await collect(consumer, count: 3)
            await consumer.close()
            try #require(received.count == 3)
            #expect(received[0].headers == headers)
            #expect(received[0].header("quotewire-error")?.stringValue == "bad \"input\" ü")
            #expect(received[0].value == Data("v".utf8))
            #expect(received[1].isTombstone)
            #expect(received[1].keyString == "a")
            #expect(received[1].headers.isEmpty)
            #expect(received[2].key == nil)
            #expect(received[2].value == Data(), "an empty value is not a tombstone")
            #expect(received.allSatisfy { $0.timestamp != nil })
        }
    }

    @Test func producingToAMissingBrokerFailsWithinTheTimeout() async throws {
        var configuration = ProducerConfiguration(brokers: "127.0.0.1:1")
        configuration.deliveryTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(OutgoingMessage(topic: "nowhere", key: "k", value: Data("v".utf8)))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(10), "failed after \(elapsed), not within the 2 s timeout")
        #expect(error?.name == "_MSG_TIMED_OUT")
        #expect(error?.isRetriable == true)
        #expect(error?.description.contains("produce to nowhere") == true)
        await producer.close(timeout: .milliseconds(100))
    }

    @Test func badConfigurationIsATypedError() {
        var configuration = ProducerConfiguration(brokers: TestBroker.brokers)
        configuration.properties["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        }
        #expect(error?.reason.contains("no.such.property") == true)
    }
}
