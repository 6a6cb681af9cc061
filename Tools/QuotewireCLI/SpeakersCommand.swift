import ArgumentParser
import Foundation
import QuotewireIndex

/// `quotewire speakers`: speakers with their quotation counts.
struct SpeakersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakers", abstract: "Speakers with their quotation counts, most quoted first.")

    @Option(help: "Speakers to show (1-1000, default 100).")
    var limit: Int?

    @OptionGroup var options: QueryClientOptions

    func run() async throws {
        let limit = limit
        try await options.run(Self.listing) { backend, _ async throws(QueryCommandError) in
            try await backend.speakers(limit: limit)
        }
    }

    static let listing = Listing<SpeakerList, SpeakerItem>(
        table: { list in
            var table = TablePrinter(headers: ["QUOTATIONS", "SPEAKER", "ALSO CALLED"], rightAligned: [0])
            for speaker in list.speakers {
                let others = speaker.mentions.filter { $0 != speaker.name }.prefix(4).joined(separator: ", ")
                table.add([String(speaker.quotations), speaker.name, others])
            }
            return list.speakers.isEmpty ? "no speakers" : table.render()
        },
        items: \.speakers,
        csvHeader: ["name", "quotations", "mentions"],
        csvRow: { [$0.name, String($0.quotations), $0.mentions.joined(separator: "; ")] },
        joined: { $0.first ?? SpeakerList(speakers: []) })
}
