import ArgumentParser
import ArticleIntake
import QuotewireKafka
import QuotewireModels

/// `quotewire delete ID…`: publishes a tombstone (a null value) for each article id to
/// `articles.raw`; the parser passes it on and the indexer removes the article.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete articles: publish a tombstone for each id to articles.raw.")

    @Argument(help: "Article ids (32 hex characters, as publish printed them).")
    var ids: [String]

    @Option(help: .hidden)
    var topic: String = Topics.articlesRaw

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give at least one article id") }
        for id in ids where !ArticleRecord.isArticleID(id) {
            throw ValidationError("\(id) is not an article id (32 lower-case hex characters)")
        }
    }

    func run() async throws {
        try await BrokerCommandError.reporting { () async throws(BrokerCommandError) in
            let unique = ids.reduce(into: [String]()) { list, id in if !list.contains(id) { list.append(id) } }
            _ = try await broker.partitionCounts()
            let producer = try broker.producer()
            let results = await producer.send(unique.map { ArticleRecord.tombstone(articleId: $0, topic: topic) })
            await producer.close(timeout: .seconds(5))
            var failed = 0
            for (id, result) in zip(unique, results) {
                switch result {
                case .success: Terminal.out("deleted \(id)")
                case .failure(let error):
                    failed += 1
                    Terminal.error("\(id): not deleted: \(error.reason) (\(error.name))")
                }
            }
            if failed > 0 {
                throw BrokerCommandError(.partial, "\(failed) of \(unique.count) deletions failed")
            }
        }
    }
}
