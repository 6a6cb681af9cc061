import ChildProcesses
import ArgumentParser
import Foundation
import Logging
import QuotewireKafka

/// `quotewire-bench kafka`: produce and consume throughput of the Kafka module against
/// librdkafka's own `rdkafka_performance`, on the same broker, in the same run.
struct KafkaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Produce/consume throughput of QuotewireKafka vs rdkafka_performance (prints figures).")

    @Option(help: "Brokers.") var brokers = "127.0.0.1:9092"
    @Option(help: "Messages per run.") var messages = 200_000
    @Option(help: "Message size in bytes.") var size = 2_048
    @Option(help: "Partitions of the benchmark topics.") var partitions = 3
    @Option(help: "Path of librdkafka's rdkafka_performance.") var rdkafkaPerformance = "tools/bin/rdkafka_performance"
    @Option(help: "Runs of each measurement; the best is reported.") var runs = 3

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: brokers), logger: logger)
        var rows: [(String, Double, Double)] = []
        var ours = (produce: 0.0, consume: 0.0)
        var raw = (produce: 0.0, consume: 0.0)
        for run in 1...runs {
            let topic = "bench-swift-\(UUID().uuidString.prefix(8))"
            try await admin.createTopics([TopicSpecification(name: topic, partitions: partitions)])
            let produced = try await produceWithModule(topic: topic, logger: logger)
            let consumed = try await consumeWithModule(topic: topic, logger: logger)
            try await admin.deleteTopics([topic])

            let rawTopic = "bench-raw-\(UUID().uuidString.prefix(8))"
            try await admin.createTopics([TopicSpecification(name: rawTopic, partitions: partitions)])
            let rawProduced = try runTool(["-P", "-t", rawTopic, "-s", "\(size)", "-c", "\(messages)", "-a", "-1",
                                           "-X", "enable.idempotence=true", "-X", "linger.ms=5"])
            let rawConsumed = try runTool(["-C", "-t", rawTopic, "-o", "beginning", "-c", "\(messages)"]
                                          + (0..<partitions).flatMap { ["-p", "\($0)"] })
            try await admin.deleteTopics([rawTopic])
            print(String(format: "run %d: module produce %.0f msg/s, consume %.0f msg/s; rdkafka_performance produce %.0f msg/s, consume %.0f msg/s",
                         run, produced, consumed, rawProduced, rawConsumed))
            ours = (max(ours.produce, produced), max(ours.consume, consumed))
            raw = (max(raw.produce, rawProduced), max(raw.consume, rawConsumed))
        }
        rows.append(("produce", ours.produce, raw.produce))
        rows.append(("consume", ours.consume, raw.consume))
        print("")
        print("| \(size)-byte messages, \(messages) per run, \(partitions) partitions, best of \(runs) | QuotewireKafka msg/s | rdkafka_performance msg/s | ratio |")
        print("| --- | --- | --- | --- |")
        for (name, module, librdkafka) in rows {
            print(String(format: "| %@ | %.0f | %.0f | %.2f |", name, module, librdkafka, module / max(librdkafka, 1)))
        }
    }

    /// Sends every message with the module (all in flight in chunks) and returns messages/s.
    func produceWithModule(topic: String, logger: Logger) async throws -> Double {
        var configuration = ProducerConfiguration(brokers: brokers)
        configuration.queueCapacity = 100_000
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let chunk = 20_000
        let start = ContinuousClock.now
        var sent = 0
        while sent < messages {
            let count = min(chunk, messages - sent)
            let batch = (0..<count).map { _ in OutgoingMessage(topic: topic, key: nil, value: payload) }
            for result in await producer.send(batch) { _ = try result.get() }
            sent += count
        }
        let elapsed = ContinuousClock.now - start
        await producer.close(timeout: .seconds(10))
        return Double(messages) / elapsed.seconds
    }

    /// Reads every message back with the module and returns messages/s (from the first record).
    func consumeWithModule(topic: String, logger: Logger) async throws -> Double {
        var configuration = ConsumerConfiguration(brokers: brokers, groupID: nil)
        configuration.batchSize = 1_000
        configuration.prefetchKilobytes = 64 * 1024
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
            (TopicPartition(topic: topic, partition: Int32($0)), KafkaOffset.beginning)
        }))
        var received = 0
        var bytes = 0
        var start: ContinuousClock.Instant?
        for try await batch in consumer.batches {
            if start == nil { start = ContinuousClock.now }
            received += batch.count
            bytes += batch.reduce(0) { $0 + ($1.value?.count ?? 0) }
            if received >= messages { break }
        }
        let elapsed = ContinuousClock.now - (start ?? ContinuousClock.now)
        await consumer.close()
        guard bytes >= messages * size else { throw ValidationError("consumed \(bytes) bytes, expected \(messages * size)") }
        return Double(received) / elapsed.seconds
    }

    /// Runs rdkafka_performance and returns the msgs/s of its final summary line.
    func runTool(_ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rdkafkaPerformance)
        process.arguments = ["-b", brokers, "-q"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.runTiedToThisProcess()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").last(where: { $0.contains("msgs/s") }),
              let range = line.range(of: #"([0-9]+) msgs/s"#, options: .regularExpression),
              let value = Double(line[range].split(separator: " ")[0])
        else {
            throw ValidationError("no throughput in rdkafka_performance output:\n\(output)")
        }
        return value
    }
}
