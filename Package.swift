// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "quotewire",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quotewire", targets: ["quotewire"]),
        .executable(name: "quotewire-query", targets: ["quotewire-query"]),
        .executable(name: "quotewire-bench", targets: ["quotewire-bench"]),
        .executable(name: "quotewire-parser", targets: ["quotewire-parser"]),
        .executable(name: "quotewire-indexer", targets: ["quotewire-indexer"]),
        .executable(name: "quotewire-ingest", targets: ["quotewire-ingest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: Shared libraries

        /// Wire types: Codable messages, topic names, the JSON configuration. No I/O.
        .target(
            name: "QuotewireModels",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/Models",
            swiftSettings: swiftSettings
        ),
        /// librdkafka's C API (>= 2.8), found through pkg-config.
        .systemLibrary(
            name: "CRDKafka",
            path: "Shared/CRDKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        /// libxml2's HTML parser (the parser under lxml), found through pkg-config.
        .systemLibrary(
            name: "CLibXML2",
            path: "Shared/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        /// Child processes the kernel kills when the process that started them ends (tests, benchmarks).
        .target(name: "ChildProcesses", path: "Shared/ChildProcesses", swiftSettings: swiftSettings),
        /// glibc's malloc controls (arena cap, trim), which the Glibc module does not export.
        .target(name: "CMalloc", path: "Shared/CMalloc"),
        /// A small Swift layer over librdkafka: producer, consumer, admin.
        .target(
            name: "QuotewireKafka",
            dependencies: [
                "CRDKafka", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Shared/Kafka",
            swiftSettings: swiftSettings
        ),
        /// Text in, `ParsedArticle` out: structure, quotations, speakers, market quotes.
        .target(
            name: "QuoteParser",
            dependencies: ["QuotewireModels"],
            path: "Shared/Parser",
            exclude: ["Lexicons"],
            swiftSettings: swiftSettings,
            plugins: ["LexiconEmbedder"]
        ),
        /// Embeds a target's `Lexicons/*.txt` word lists as string constants, checking each is sorted and deduplicated.
        .plugin(name: "LexiconEmbedder", capability: .buildTool(), dependencies: ["lexicon-embed"], path: "Plugins/LexiconEmbedder"),
        .executableTarget(name: "lexicon-embed", path: "Tools/lexicon-embed", swiftSettings: swiftSettings),
        /// HTML in, the article out: charset, libxml2's tree, the body's paragraphs and the page's metadata.
        .target(
            name: "PageExtraction",
            dependencies: ["QuotewireModels", "CLibXML2"],
            path: "Shared/PageExtraction",
            swiftSettings: swiftSettings
        ),

        /// The index: a folder of SQLite FTS5 shards, one per partition; writer, reader, query translator.
        .target(
            name: "QuotewireIndex",
            dependencies: [
                "QuotewireModels", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Shared/Index",
            swiftSettings: swiftSettings
        ),
        /// What the HTTP services share: the JSON error body and its middleware, JSON responses,
        /// bearer tokens, the 405 check, and the `/healthz`, `/readyz`, `/metrics` routes.
        .target(
            name: "HTTPSupport",
            dependencies: [
                "QuotewireModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/HTTPSupport",
            swiftSettings: swiftSettings
        ),
        /// The query HTTP API (Hummingbird): routes, index error mapping, metrics, OpenAPI document;
        /// and in `Web/`, the index's web pages on a port of their own (swift-mustache templates
        /// and assets compiled in, security headers, sign-in, the search's export).
        .target(
            name: "QueryService",
            dependencies: [
                "HTTPSupport", "QuotewireIndex", "QuotewireKafka", "QuotewireModels", "ServiceSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/QueryService",
            resources: [.copy("openapi.json"), .embedInCode("Web/Assets")],
            swiftSettings: swiftSettings
        ),

        /// What every service process shares: flags, logging, metrics, health server, topic set-up,
        /// dead-lettering, the allocator's limits.
        .target(
            name: "ServiceSupport",
            dependencies: [
                "HTTPSupport", "QuotewireKafka", "QuotewireModels", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceSupport",
            swiftSettings: swiftSettings
        ),
        /// The parser stage: articles.raw in, quotes.parsed out.
        .target(
            name: "ParserService",
            dependencies: [
                "QuoteParser", "PageExtraction", "QuotewireKafka", "QuotewireModels", "ServiceSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/ParserService",
            swiftSettings: swiftSettings
        ),

        /// The indexer stage: quotes.parsed in, index shards out.
        .target(
            name: "IndexerService",
            dependencies: [
                "QuotewireIndex", "QuotewireKafka", "QuotewireModels", "ServiceSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/IndexerService",
            swiftSettings: swiftSettings
        ),

        /// Checking submitted articles (size, UTF-8, JSON form) and the records that carry them; used by ingest and the CLI.
        .target(
            name: "ArticleIntake",
            dependencies: ["QuotewireModels", "QuotewireKafka", "PageExtraction"],
            path: "Shared/Intake",
            swiftSettings: swiftSettings
        ),
        /// The ingest HTTP API (Hummingbird) and folder mode: articles in, articles.raw out.
        .target(
            name: "IngestService",
            dependencies: [
                "ArticleIntake", "HTTPSupport", "QuotewireKafka", "QuotewireModels", "ServiceSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/IngestService",
            swiftSettings: swiftSettings
        ),

        // MARK: Executables

        .executableTarget(
            name: "quotewire-ingest",
            dependencies: [
                "IngestService", "QuotewireModels", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/quotewire-ingest",
            swiftSettings: swiftSettings
        ),

        /// The `quotewire` command line: its commands, query backends and printers.
        .target(
            name: "QuotewireCLI",
            dependencies: [
                "QuotewireModels", "QuoteParser", "PageExtraction",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "QuotewireIndex",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "ArticleIntake", "QuotewireKafka", "ServiceSupport", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/QuotewireCLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quotewire",
            dependencies: ["QuotewireCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/quotewire",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quotewire-parser",
            dependencies: [
                "ParserService", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/quotewire-parser",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quotewire-indexer",
            dependencies: [
                "IndexerService", "QuotewireIndex", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/quotewire-indexer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quotewire-query",
            dependencies: [
                "QueryService", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/quotewire-query",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quotewire-bench",
            dependencies: [
                "ChildProcesses", "QuotewireKafka",
                "QuotewireIndex", "QueryService", "QuotewireModels", "QuoteParser", "PageExtraction", "ServiceSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/quotewire-bench",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests

        .testTarget(
            name: "IngestServiceTests",
            dependencies: [
                "IngestService", "ArticleIntake", "QuotewireKafka", "QuotewireModels", "ServiceSupport", "QuotewireTestSupport",
                "QuotewireTestNeeds",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/IngestServiceTests",
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "CLITests",
            dependencies: [
                "QuotewireCLI", "QuotewireIndex", "QuotewireKafka", "QuotewireModels", "QuotewireTestSupport", "QuotewireTestNeeds",
                "ServiceSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CLITests",
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "HTTPSupportTests",
            dependencies: [
                "HTTPSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/HTTPSupportTests",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "ModelsTests", dependencies: ["QuotewireModels"], path: "Tests/ModelsTests",
                    swiftSettings: swiftSettings),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "QuotewireKafka", "CRDKafka", "QuotewireTestNeeds", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/KafkaTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ParserTests", dependencies: ["QuoteParser", "QuotewireModels"], path: "Tests/ParserTests",
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "PageExtractionTests", dependencies: ["PageExtraction", "QuoteParser", "QuotewireModels"],
                    path: "Tests/PageExtractionTests", resources: [.copy("Pages")], swiftSettings: swiftSettings),
        .testTarget(
            name: "ParserServiceTests",
            dependencies: ["ParserService", "QuotewireKafka", "QuotewireModels", "QuotewireTestNeeds", "ServiceSupport",
                           .product(name: "Logging", package: "swift-log")],
            path: "Tests/ParserServiceTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IndexerServiceTests",
            dependencies: ["ChildProcesses", "IndexerService", "QuotewireIndex", "QuotewireKafka", "QuotewireModels", "QuotewireTestSupport",
                           "QuotewireTestNeeds", "ServiceSupport",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            path: "Tests/IndexerServiceTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ChildProcesses", "QuotewireIndex", "QuotewireKafka", "QuotewireModels", "QuotewireTestSupport", "QuotewireTestNeeds",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            path: "Tests/EndToEndTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IndexTests",
            dependencies: ["QuotewireIndex", "QuotewireModels", "QuotewireTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/IndexTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QueryServiceTests",
            dependencies: [
                "QueryService", "QuotewireIndex", "QuotewireModels", "QuotewireTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/QueryServiceTests",
            swiftSettings: swiftSettings
        ),

        /// The trait that says what a test needs beyond its own process (a broker, processes, time), by which a run chooses.
        .target(name: "QuotewireTestNeeds", path: "Tests/Needs", swiftSettings: swiftSettings),

        /// What more than one test target needs: HTTP written byte for byte on a socket, commands
        /// run to their end, the test broker's topics, scratch folders, and the index census that
        /// finds an article stored twice.
        .target(
            name: "QuotewireTestSupport",
            dependencies: [
                "ChildProcesses", "QuotewireIndex", "QuotewireKafka", "QuotewireModels",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),

        /// Children started through ChildProcesses die with their process (the probe is the process killed).
        .testTarget(name: "ChildProcessesTests", dependencies: ["ChildProcesses", "QuotewireTestNeeds"], path: "Tests/ChildProcessesTests",
                    swiftSettings: swiftSettings),
        /// Started by ChildProcessesTests: a process whose child must die with it.
        .executableTarget(name: "child-process-probe", dependencies: ["ChildProcesses"], path: "Tests/ChildProcessProbe",
                          swiftSettings: swiftSettings),

        // MARK: Fuzzing (scripts/fuzz.sh; Tests/Fuzz/README.md)

        /// What must hold for any input to the parser and to the query translator; shared by the fuzzer and the regression test.
        .target(
            name: "QuotewireFuzzProperties",
            dependencies: [
                "QuoteParser", "PageExtraction", "QuotewireModels", "QuotewireIndex", .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Tests/Fuzz/Properties",
            swiftSettings: swiftSettings
        ),
        /// A declaration of libFuzzer's `LLVMFuzzerRunDriver` (the fuzz build's entry point calls it).
        .target(name: "CLibFuzzer", path: "Tests/Fuzz/CLibFuzzer"),
        /// Built with `-sanitize=fuzzer,address -DFUZZING`: the libFuzzer target; otherwise a replayer of saved inputs.
        .executableTarget(
            name: "quotewire-fuzz",
            dependencies: ["QuotewireFuzzProperties", "CLibFuzzer"],
            path: "Tests/Fuzz/Runner",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["QuotewireFuzzProperties"],
            path: "Tests/Fuzz/RegressionTests",
            swiftSettings: swiftSettings
        ),
    ]
)

// The sanitizer stages of `make test` (scripts/test-sanitizers.sh) run the Kafka module's tests
// alone, so they build it and its tests alone: `QUOTEWIRE_PACKAGE_SUBSET=kafka` keeps these targets
// (and every dependency declared, so that the resolved versions stay those of the whole package).
if Context.environment["QUOTEWIRE_PACKAGE_SUBSET"] == "kafka" {
    let kafka: Set<String> = ["CRDKafka", "QuotewireKafka", "KafkaTests", "QuotewireTestNeeds"]
    package.targets.removeAll { !kafka.contains($0.name) }
    package.products = []
}
