import ArgumentParser
import Foundation
import QuotewireKafka
import QuotewireModels

/// `quotewire dlq replay OFFSET…|--all [--partition P]`: re-publishes dead-lettered messages'
/// original bytes (key, value, and the headers that are not quotewire's own) to the topic
/// named by their `quotewire-source-topic` header.
///
/// Offsets are per partition: without `--partition`, an offset found in more than one
/// partition is refused as ambiguous. Nothing is sent unless every offset asked for exists.
///
/// A message that was bad in itself (truncated JSON, a wrong field) is replayed once fixed:
/// `--value-file FILE` sends that file's bytes in place of the dead-lettered value, with the
/// same key and headers, for exactly one offset.
struct DLQReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publish dead-lettered messages to the topic they came from.")

    @Argument(help: "Offsets in the dead-letter topic, as `dlq list` shows them.")
    var offsets: [Int64] = []

    @Flag(help: "Replay every message (of --partition, or of all partitions).")
    var all = false

    @Option(help: "The dead-letter partition the offsets refer to.")
    var partition: Int32?

    @Option(help: "Send this file's bytes as the value instead of the dead-lettered ones (one offset only): replay a message once fixed.")
    var valueFile: String?

    @OptionGroup var options: DLQOptions

    func validate() throws {
        guard all != !offsets.isEmpty else { throw ValidationError("give offsets or --all, not both or neither") }
        guard offsets.allSatisfy({ $0 >= 0 }) else { throw ValidationError("offsets are not negative") }
        if valueFile != nil, all || offsets.count != 1 {
            throw ValidationError("--value-file replaces the value of one message: give exactly one offset")
        }
    }

    /// The fixed value from `--value-file`, refused when it cannot be read or is larger than a message may be.
    private func replacementValue() throws(BrokerCommandError) -> Data? {
        guard let valueFile else { return nil }
        let size = ((try? FileManager.default.attributesOfItem(atPath: valueFile))?[.size] as? NSNumber)?.intValue
        if let size, size > WireLimits.maxMessageBytes {
            throw BrokerCommandError(.usage, "\(valueFile): the file is \(size) bytes; a message is at most \(WireLimits.maxMessageBytes)")
        }
        guard let data = FileManager.default.contents(atPath: valueFile) else {
            throw BrokerCommandError(.usage, "\(valueFile): cannot read the file")
        }
        return data
    }

    func run() async throws {
        try await BrokerCommandError.reporting { () async throws(BrokerCommandError) in
            let replacement = try replacementValue()
            let chosen = try await select()
            guard !chosen.isEmpty else {
                Terminal.out("nothing to replay")
                return
            }
            var records: [(KafkaMessage, OutgoingMessage)] = []
            var failures: [String] = []
            for message in chosen {
                guard let target = message.header(DeadLetterHeader.sourceTopic)?.stringValue, !target.isEmpty else {
                    failures.append("\(message.partition):\(message.offset): no \(DeadLetterHeader.sourceTopic) header")
                    continue
                }
                let headers = message.headers.filter { !$0.name.hasPrefix("quotewire-") }
                records.append((message, OutgoingMessage(topic: target, key: message.key, value: replacement ?? message.value,
                                                         headers: headers)))
            }
            if !records.isEmpty {
                let producer = try options.broker.producer()
                let results = await producer.send(records.map(\.1))
                await producer.close(timeout: .seconds(5))
                for ((original, record), result) in zip(records, results) {
                    switch result {
                    case .success(let report):
                        Terminal.out("replayed \(original.partition):\(original.offset) -> \(TerminalText.safe(record.topic))[\(report.partition)]@\(report.offset)")
                    case .failure(let error):
                        failures.append("\(original.partition):\(original.offset): not replayed: \(error.reason) (\(error.name))")
                    }
                }
            }
            guard failures.isEmpty else {
                failures.forEach { Terminal.error($0) }
                throw BrokerCommandError(.partial, "\(failures.count) of \(chosen.count) messages were not replayed")
            }
        }
    }

    /// The dead-lettered records asked for.
    private func select() async throws(BrokerCommandError) -> [KafkaMessage] {
        let topic = options.topic
        let count = try await options.broker.partitionCount(of: topic)
        let reader = TopicRangeReader(broker: options.broker, topic: topic)
        var ranges = try await reader.watermarks(partitions: count)
        if let partition {
            guard ranges[partition] != nil else {
                throw BrokerCommandError(.usage, "\(topic) has no partition \(partition) (it has \(count))")
            }
            ranges = ranges.filter { $0.key == partition }
        }
        if all {
            return try await reader.read(ranges)
        }
        let wanted = Set(offsets)
        guard let lowest = wanted.min(), let highest = wanted.max() else { return [] }
        let narrowed = ranges.mapValues { range -> Range<Int64> in
            let lower = max(range.lowerBound, lowest)
            return lower..<max(lower, min(range.upperBound, highest + 1))
        }
        let messages = try await reader.read(narrowed).filter { wanted.contains($0.offset) }
        let byOffset = Dictionary(grouping: messages, by: \.offset)
        let missing = wanted.filter { byOffset[$0] == nil }.sorted()
        guard missing.isEmpty else {
            throw BrokerCommandError(.usage, "not in \(topic)\(partition.map { " partition \($0)" } ?? ""): offset \(missing.map(String.init).joined(separator: ", "))")
        }
        let ambiguous = byOffset.filter { $0.value.count > 1 }.keys.sorted()
        guard ambiguous.isEmpty else {
            let detail = ambiguous.map { offset in
                "\(offset) (partitions \(byOffset[offset, default: []].map { String($0.partition) }.joined(separator: ", ")))"
            }.joined(separator: "; ")
            throw BrokerCommandError(.usage, "ambiguous offsets, say which --partition: \(detail)")
        }
        return messages
    }
}
