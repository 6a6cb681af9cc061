import ArgumentParser
import Foundation
import QuotewireModels

/// `quotewire dlq list [--json] [--limit N] [--partition P]`: the newest dead-lettered
/// messages, oldest first, with why and where from.
struct DLQListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show dead-lettered messages: offset, partition, stage, source, error, key, size.")

    @Flag(help: "Print one JSON document: {\"messages\": [...]}.")
    var json = false

    @Option(help: "Show at most this many, the newest (default 100).")
    var limit: Int = 100

    @Option(help: "Only this partition of the dead-letter topic.")
    var partition: Int32?

    @OptionGroup var options: DLQOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    struct Listing: Encodable {
        var messages: [DeadLetterEntry]
    }

    func run() async throws {
        try await BrokerCommandError.reporting { () async throws(BrokerCommandError) in
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
            let newest = ranges.mapValues { max($0.lowerBound, $0.upperBound - Int64(limit))..<$0.upperBound }
            let messages = try await reader.read(newest)
            let entries = messages.map(DeadLetterEntry.init)
                .sorted { ($0.timestamp ?? .distantPast, $0.partition, $0.offset) < ($1.timestamp ?? .distantPast, $1.partition, $1.offset) }
                .suffix(limit)
            if json {
                let encoder = WireCoding.encoder()
                encoder.outputFormatting.insert(.prettyPrinted)
                encoder.outputFormatting.insert(.sortedKeys)
                let data = (try? encoder.encode(Listing(messages: Array(entries)))) ?? Data("{\"messages\":[]}".utf8)
                Terminal.out(String(decoding: data, as: UTF8.self))
                return
            }
            guard !entries.isEmpty else {
                Terminal.out("no dead-lettered messages")
                return
            }
            var table = TablePrinter(headers: ["PARTITION", "OFFSET", "STAGE", "SOURCE", "KEY", "SIZE", "ERROR"],
                                     rightAligned: [0, 1, 5])
            for entry in entries {
                table.add([
                    String(entry.partition), String(entry.offset), entry.stage ?? "?", entry.source,
                    TablePrinter.clip(entry.key ?? "", 34), entry.size.map(String.init) ?? "null",
                    TablePrinter.clip(entry.error ?? "", 80),
                ])
            }
            Terminal.out(table.render())
        }
    }
}
