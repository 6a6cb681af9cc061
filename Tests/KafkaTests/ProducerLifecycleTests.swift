import Foundation
@testable import QuotewireKafka
import QuotewireTestNeeds
import Testing

/// The producer's state machine against the real broker: sends racing `close`, sends after
/// it, and back-pressure from a tiny librdkafka queue.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ProducerLifecycleTests {
    /// Producers created, each closed while sends race it.
    static let rounds = 250
    /// Sends racing each close: 4 × 250 = 1,000 races in all.
    static let sendsPerRound = 4

    /// Every send racing `close` either is flushed by it or is refused at once; none hangs (the
    /// suite's time limit fails the test if one does) and nothing is left queued.
    @Test(.needs(.broker)) func sendsRacingCloseCompleteOrFailButNeverHang() async throws {
        try await TestBroker.withTopic(partitions: 2) { topic in
            var delivered = 0
            var refused = 0
            var unexpected: [KafkaError] = []
            for round in 0..<Self.rounds {
                let producer = try TestBroker.producer()
                let outcomes = await withTaskGroup(of: [Result<DeliveryReport, KafkaError>].self) { group in
                    // Lets the close start before, among or after the sends, depending on the round:
                    // on odd rounds it is started first (on a loaded machine sends started first
                    // all finish before it, and the refusing side of the race is never seen).
                    let close: @Sendable () async -> [Result<DeliveryReport, KafkaError>] = {
                        for _ in 0..<(round % 6) { await Task.yield() }
                        await producer.close(timeout: .seconds(15))
                        return []
                    }
                    if !round.isMultiple(of: 2) { group.addTask(operation: close) }
                    for send in 0..<Self.sendsPerRound {
                        group.addTask {
                            let value = Data("\(round)-\(send)".utf8)
                            if send.isMultiple(of: 2) {
                                return await producer.send([OutgoingMessage(topic: topic, key: "k\(send)", value: value)])
                            }
                            do throws(KafkaError) {
                                return [.success(try await producer.send(OutgoingMessage(topic: topic, key: "k\(send)", value: value)))]
                            } catch {
                                return [.failure(error)]
                            }
                        }
                    }
                    if round.isMultiple(of: 2) { group.addTask(operation: close) }
                    return await group.reduce(into: []) { $0 += $1 }
                }
                #expect(producer.outstanding == 0, "round \(round): nothing left queued after close")
                for outcome in outcomes {
                    switch outcome {
                    case .success:
                        delivered += 1
                    case .failure(let error) where error.name == "_STATE" && error.reason == "the producer is closed":
                        refused += 1
                    case .failure(let error):
                        unexpected.append(error)
                    }
                }
            }
            #expect(unexpected.isEmpty, "failures other than a refusal: \(unexpected.prefix(5))")
            #expect(delivered + refused + unexpected.count == Self.rounds * Self.sendsPerRound)
            // Both sides of the race were seen, or the test proved nothing.
            #expect(delivered > 0, "delivered \(delivered), refused \(refused)")
            #expect(refused > 0, "delivered \(delivered), refused \(refused)")
        }
    }

    @Test func aSendAfterCloseFailsAtOnceWithAClearError() async throws {
        let producer = try TestBroker.producer()
        await producer.close(timeout: .seconds(5))
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(OutgoingMessage(topic: "after-close", key: "k", value: Data("v".utf8)))
        }
        let batch = await producer.send((0..<3).map { OutgoingMessage(topic: "after-close", key: "k", value: Data("\($0)".utf8)) })
        #expect(ContinuousClock.now - started < .milliseconds(500), "refused at once")
        #expect(error?.name == "_STATE")
        #expect(error?.reason == "the producer is closed")
        #expect(error?.context == "produce to after-close")
        #expect(error?.isRetriable == false)
        #expect(batch.count == 3)
        #expect(batch.allSatisfy { result in
            if case .failure(let error) = result { error.name == "_STATE" } else { false }
        })
        await producer.close(timeout: .seconds(1))  // a second close returns at once
    }

    /// With room for 4 records in librdkafka's queue, 2,000 records sent by 4 concurrent sends
    /// keep finding it full; each waits for delivery reports to free room, and all arrive once.
    @Test(.needs(.broker)) func aTinyQueueWaitsForDeliveriesAndLosesNothing() async throws {
        try await TestBroker.withTopic(partitions: 2) { topic in
            var configuration = ProducerConfiguration(brokers: TestBroker.brokers)
            configuration.queueCapacity = 4
            let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
            let results = await withTaskGroup(of: [Result<DeliveryReport, KafkaError>].self) { group in
                for sender in 0..<4 {
                    group.addTask {
                        await producer.send((0..<500).map { i in
                            OutgoingMessage(topic: topic, key: "key-\(i % 13)", value: Data("\(sender)-\(i)".utf8))
                        })
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            await producer.close(timeout: .seconds(5))
            let failures = results.compactMap { result -> KafkaError? in
                if case .failure(let error) = result { error } else { nil }
            }
            #expect(results.count == 2_000)
            #expect(failures.isEmpty, "\(failures.prefix(5))")

            let consumer = try TestBroker.assignedConsumer(topic: topic, partitions: 2)
            let received = try await collect(consumer, count: 2_000)
            await consumer.close()
            let values = Set(received.map { String(decoding: $0.value ?? Data(), as: UTF8.self) })
            #expect(received.count == 2_000)
            #expect(values.count == 2_000, "every record exactly once")
        }
    }

    /// A send waiting for room in a full queue (no broker answers, so no report frees it) does
    /// not hold `close` up: the close purges what is queued and the waiting records give up.
    @Test func closeEndsASendWaitingForQueueRoom() async throws {
        var configuration = ProducerConfiguration(brokers: "127.0.0.1:1")
        configuration.queueCapacity = 2
        configuration.deliveryTimeout = .seconds(60)
        let producer = try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
        let sending = Task {
            await producer.send((0..<10).map { OutgoingMessage(topic: "nowhere", key: "k", value: Data("\($0)".utf8)) })
        }
        // Two records fill the queue and the third waits for room (librdkafka's own queue length
        // also counts events such as a refused connection, so it is no sign of that).
        #expect(await eventually(within: .seconds(5)) { producer.sendsWaitingForRoom == 1 }, "a send waits for room")
        #expect(producer.outstanding >= 2)
        let started = ContinuousClock.now
        await producer.close(timeout: .milliseconds(100))
        let results = await sending.value
        #expect(ContinuousClock.now - started < .seconds(5), "closed in \(ContinuousClock.now - started)")
        let names = results.map { result in
            switch result {
            case .success: "delivered"
            case .failure(let error): error.name
            }
        }
        #expect(names.prefix(2).allSatisfy { $0 == "_PURGE_QUEUE" }, "\(names)")
        #expect(names.dropFirst(2).allSatisfy { $0 == "_STATE" }, "\(names)")
    }
}
