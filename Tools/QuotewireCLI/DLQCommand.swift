import ArgumentParser
import QuotewireModels

/// `quotewire dlq list|replay`: inspect and re-publish dead-lettered messages.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect and re-publish dead-lettered messages (articles.dlq).",
        subcommands: [DLQListCommand.self, DLQReplayCommand.self])
}

/// The options both `dlq` subcommands take.
struct DLQOptions: ParsableArguments {
    @Option(help: .hidden)
    var topic: String = Topics.deadLetter

    @OptionGroup var broker: BrokerOptions
}
