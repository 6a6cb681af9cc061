import ArgumentParser

/// `quotewire-bench`: benchmark commands that print figures, and test-data seeding.
@main
struct QuotewireBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-bench",
        abstract: "Quotewire benchmarks (they print figures) and test-data seeding.",
        subcommands: [IndexBenchmark.self, QueryBenchmark.self, SeedCommand.self, KafkaBenchmark.self,
                      IndexerBenchmark.self, PipelineBenchmark.self, VersusBenchmark.self, SoakBenchmark.self, SnippetBenchmark.self,
                      ClusterBenchmark.self, WebBenchmark.self, HTMLBenchmark.self, HTMLQuotationsBenchmark.self])
}
