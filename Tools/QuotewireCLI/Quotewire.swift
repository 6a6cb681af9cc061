import ArgumentParser

/// The `quotewire` command: offline parsing, publishing, and queries against the index.
/// The executable runs ``execute(_:)``; tests run the same commands in-process (``Console``).
public struct Quotewire: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
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

extension Quotewire {
    /// Parses `arguments` (nil: the process's own) and runs the command they name. The
    /// executable calls this and exits with the error's code; tests call it in-process.
    public static func execute(_ arguments: [String]? = nil) async throws {
        var command = try parseAsRoot(arguments)
        if var asynchronous = command as? any AsyncParsableCommand {
            try await asynchronous.run()
        } else {
            try command.run()
        }
    }
}
