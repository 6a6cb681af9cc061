import ArgumentParser

/// The `quotewire` command: offline parsing, publishing, and queries against the index.
@main
struct Quotewire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire",
        abstract: "Who said what, and market quotes, from news pages.",
        subcommands: [
            ParseCommand.self,
            SearchCommand.self,
            QuotesCommand.self,
            SpeakersCommand.self,
            TickersCommand.self,
            PublishCommand.self,
            DeleteCommand.self,
            DLQCommand.self,
        ]
    )
}
