import Foundation
import NIOConcurrencyHelpers
import QuotewireKafka
import QuotewireTestNeeds
import Testing

@Suite(.needs(.broker), .serialized, .timeLimit(.minutes(3))) struct ConsumerGroupTests {
    @Test func aNewMemberResumesAfterTheLastCommittedMessage() async throws {
        try await TestBroker.withTopic(partitions: 1) { topic in
            let producer = try TestBroker.producer()
            let sent = (0..<100).map { OutgoingMessage(topic: topic, key: "k", value: Data("\($0)".utf8)) }
            _ = try await producer.send(sent).map { try $0.get() }
            await producer.close(timeout: .seconds(5))

            let group = TestBroker.uniqueName("group")
            let first = try TestBroker.groupConsumer(group: group)
            try first.subscribe([topic])
            let processed = try await collect(first, count: 40) { message in
                try first.storeOffset(of: message)
            }
            try await first.commit()
            await first.close()
            #expect(processed.map(\.offset) == Array(0..<40))

            let second = try TestBroker.groupConsumer(group: group)
            try second.subscribe([topic])
            let rest = try await collect(second, count: 60) { try second.storeOffset(of: $0) }
            await second.close()
            #expect(rest.first?.offset == 40, "resumes at message N+1")
            #expect(rest.map(\.offset) == Array(40..<100), "nothing lost, nothing repeated")
        }
    }

    @Test func twoMembersSharePartitionsAndOneTakesOverWhenTheOtherLeaves() async throws {
        try await TestBroker.withTopic(partitions: 4) { topic in
            let group = TestBroker.uniqueName("group")
            let revokedFromA = NIOLockedValueBox<[TopicPartition]>([])
            let a = try TestBroker.groupConsumer(group: group, rebalance: RebalanceHandler(revoked: { partitions in
                revokedFromA.withLockedValue { $0.append(contentsOf: partitions) }
            }))
            let b = try TestBroker.groupConsumer(group: group)
            try a.subscribe([topic])
            try b.subscribe([topic])

            // Both members poll (which is how they join and receive their partitions) and
            // process what they get, storing each offset once it is processed.
            let seen = Tally()
            let fromA = MessageLog()
            let fromB = MessageLog()
            let aTask = Task { [a] in
                for try await message in a.messages {
                    seen.record(message)
                    fromA.append(message)
                    try a.storeOffset(of: message)
                }
            }
            let bTask = Task { [b] in
                for try await message in b.messages {
                    seen.record(message)
                    fromB.append(message)
                    try b.storeOffset(of: message)
                }
            }
            #expect(await eventually(within: .seconds(60)) {
                a.assignment.count + b.assignment.count == 4 && !a.assignment.isEmpty && !b.assignment.isEmpty
            }, "both members got partitions: a=\(a.assignment) b=\(b.assignment)")
            let ownedByA = a.assignment

            let producer = try TestBroker.producer()
            _ = try await producer.send((0..<200).map {
                OutgoingMessage(topic: topic, partition: Int32($0 % 4), key: nil, value: Data("\($0)".utf8))
            }).map { try $0.get() }
            #expect(await eventually { seen.distinct == 200 })
            #expect(Set(fromA.messages.map(\.topicPartition)) == ownedByA, "A processed its own partitions")

            // A leaves: its partitions are revoked (stored offsets committed) and B takes them over.
            aTask.cancel()
            try await aTask.value
            await a.close()
            #expect(Set(revokedFromA.withLockedValue { $0 }).isSuperset(of: ownedByA), "A's partitions were revoked on leaving")

            _ = try await producer.send((200..<400).map {
                OutgoingMessage(topic: topic, partition: Int32($0 % 4), key: nil, value: Data("\($0)".utf8))
            }).map { try $0.get() }
            await producer.close(timeout: .seconds(5))
            #expect(await eventually(within: .seconds(60)) { seen.distinct == 400 })
            bTask.cancel()
            try await bTask.value
            await b.close()

            let counts = seen.counts
            #expect(counts.count == 400, "nothing lost: \(counts.count) of 400")
            #expect(counts.values.allSatisfy { $0 == 1 }, "nothing processed twice")
            let bLate = fromB.messages.filter { Int(String(decoding: $0.value ?? Data(), as: UTF8.self)) ?? 0 >= 200 }
            #expect(Set(bLate.map(\.topicPartition)).isSuperset(of: ownedByA), "B took over A's partitions")
        }
    }
}

/// Records processed by one member, across tasks.
final class MessageLog: Sendable {
    private let state = NIOLockedValueBox<[KafkaMessage]>([])
    func append(_ message: KafkaMessage) { state.withLockedValue { $0.append(message) } }
    var messages: [KafkaMessage] { state.withLockedValue { $0 } }
}

/// How many times each record value was processed, across tasks.
final class Tally: Sendable {
    private let state = NIOLockedValueBox<[String: Int]>([:])

    func record(_ message: KafkaMessage) {
        state.withLockedValue { $0[String(decoding: message.value ?? Data(), as: UTF8.self), default: 0] += 1 }
    }

    var distinct: Int { state.withLockedValue { $0.count } }
    var counts: [String: Int] { state.withLockedValue { $0 } }
}
