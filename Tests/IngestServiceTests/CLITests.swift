import Foundation
import QuotewireKafka
import QuotewireModels
import ServiceSupport
import Testing

/// The `quotewire` broker commands, run as the built binary against topics of their own.
@Suite(.timeLimit(.minutes(3)))
struct CLITests {
    @Test func publishPrintsIdsNamesFailuresAndExitsNonZero() async throws {
        try await IngestTestBroker.withTopics(["cli-publish"]) { topics in
            let topic = topics[0]
            let folder = try ScratchFolder()
            try folder.write("a.txt", "\"We will rebuild,\" said Mayor Ana Lopes. \(UUID())")
            try folder.write("b.html", "<p>Page \(UUID())</p>")
            try folder.write("c.txt", "  \n ")
            try folder.write("d.txt", Data([0x41, 0xC0, 0xAF]))
            let result = try await CLIRunner.run(["publish", "--topic", topic, folder.url.path])
            #expect(result.status == 1, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(result.stdout)")
            let printed = Dictionary(uniqueKeysWithValues: lines.compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return parts.count == 2 ? ((parts[1] as NSString).lastPathComponent, parts[0]) : nil
            })
            #expect(result.stderr.contains("c.txt") && result.stderr.contains("empty"), "\(result.stderr)")
            #expect(result.stderr.contains("d.txt") && result.stderr.contains("UTF-8"), "\(result.stderr)")
            #expect(result.stderr.contains("2 of 4"))

            let byID = try IngestTestBroker.articles(in: try await IngestTestBroker.read(topic: topic, count: 2))
            let text = try #require(byID[printed["a.txt"] ?? ""])
            #expect(text.contentType == .plainText)
            #expect(try #require(byID[printed["b.html"] ?? ""]).contentType == .html)
            #expect(text.articleId == ArticleID.derive(url: nil, body: text.body))
        }
    }

    @Test func publishOfAJSONLinesFileSendsOneArticlePerLineAndNamesBadLines() async throws {
        try await IngestTestBroker.withTopics(["cli-jsonl"]) { topics in
            let topic = topics[0]
            let folder = try ScratchFolder()
            let url = "https://example.org/jsonl/\(UUID())"
            try folder.write("batch.jsonl", """
                {"text": "\\"Lines are cheap,\\" said Ines Varga. \(UUID())", "source": "lines"}

                {"html": "<p>A page \(UUID())</p>", "url": "\(url)"}
                {"text": 
                {"html": "<p>x</p>", "text": "both"}

                """)
            let result = try await CLIRunner.run(["publish", "--topic", topic, folder.path("batch.jsonl")])
            #expect(result.status == 1, "\(result)")
            let printed = result.stdout.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).map(String.init) }
            #expect(printed.map { ($0.last ?? "").trimmingCharacters(in: .whitespaces) }
                == [folder.path("batch.jsonl") + ":1", folder.path("batch.jsonl") + ":3"], "\(result.stdout)")
            #expect(result.stderr.contains("batch.jsonl:4") && result.stderr.contains("not a valid article JSON"), "\(result.stderr)")
            #expect(result.stderr.contains("batch.jsonl:5") && result.stderr.contains("not both"), "\(result.stderr)")
            #expect(result.stderr.contains("2 of 4"), "\(result.stderr)")

            let byID = try IngestTestBroker.articles(in: try await IngestTestBroker.read(topic: topic, count: 2))
            #expect(byID.count == 2)
            #expect(byID[ArticleID.derive(url: url, body: "")]?.contentType == .html)
            #expect(byID.values.contains { $0.source == "lines" && $0.contentType == .plainText })
        }
    }

    @Test func publishFromStandardInputWithURLAndDelete() async throws {
        try await IngestTestBroker.withTopics(["cli-delete"]) { topics in
            let topic = topics[0]
            let url = "https://example.org/cli/\(UUID())"
            let published = try await CLIRunner.run(
                ["publish", "--topic", topic, "--url", url, "--source", "CLI", "--published-at", "2026-02-03T04:05:06Z", "-"],
                stdin: Data("Some words from standard input.".utf8))
            #expect(published.status == 0, "\(published)")
            let id = ArticleID.derive(url: url, body: "")
            #expect(published.stdout == "\(id)  -\n")

            let deleted = try await CLIRunner.run(["delete", "--topic", topic, id])
            #expect(deleted.status == 0, "\(deleted)")
            #expect(deleted.stdout.contains("deleted \(id)"))

            let messages = try await IngestTestBroker.read(topic: topic, count: 2)
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.keyString == id })
            #expect(messages.filter(\.isTombstone).count == 1)
            let article = try #require(try IngestTestBroker.articles(in: messages.filter { !$0.isTombstone })[id])
            #expect(article.source == "CLI" && article.url == url)
            #expect(article.publishedAt == Date(timeIntervalSince1970: 1_770_091_506))

            let refused = try await CLIRunner.run(["delete", "--topic", topic, "not-an-id"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("not an article id"))
        }
    }

    @Test func dlqListAndReplay() async throws {
        try await IngestTestBroker.withTopics(["cli-dlq", "cli-source"]) { topics in
            let (dlq, source) = (topics[0], topics[1])
            let original = KafkaMessage(
                topic: source, partition: 2, offset: 41, key: Data("k-\(UUID())".utf8), value: Data("{not json".utf8),
                headers: [KafkaHeader(name: "trace", string: "t-1")])
            var producerConfiguration = ProducerConfiguration(brokers: IngestTestBroker.brokers)
            producerConfiguration.deliveryTimeout = .seconds(10)
            let producer = try KafkaProducer(configuration: producerConfiguration, logger: IngestTestBroker.logger)
            let report = try await producer.send(DeadLetter.message(for: original, error: "not a RawArticle", stage: "parser", topic: dlq))
            await producer.close(timeout: .seconds(5))

            let listed = try await CLIRunner.run(["dlq", "list", "--topic", dlq, "--json"])
            #expect(listed.status == 0, "\(listed)")
            let object = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
            let entries = try #require(object?["messages"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["stage"] as? String == "parser")
            #expect(entries.first?["sourceTopic"] as? String == source)
            #expect(entries.first?["sourceOffset"] as? Int == 41)
            #expect(entries.first?["sourcePartition"] as? Int == 2)
            #expect(entries.first?["error"] as? String == "not a RawArticle")
            #expect(entries.first?["size"] as? Int == 9)
            #expect(entries.first?["offset"] as? Int == Int(report.offset))

            let table = try await CLIRunner.run(["dlq", "list", "--topic", dlq])
            #expect(table.stdout.contains("\(source)[2]@41"), "\(table.stdout)")

            let missing = try await CLIRunner.run(["dlq", "replay", "--topic", dlq, "--partition", String(report.partition), "9999"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("9999"))

            let replayed = try await CLIRunner.run(
                ["dlq", "replay", "--topic", dlq, "--partition", String(report.partition), String(report.offset)])
            #expect(replayed.status == 0, "\(replayed)")
            #expect(replayed.stdout.contains("replayed \(report.partition):\(report.offset) -> \(source)"))

            let back = try await IngestTestBroker.read(topic: source, count: 1)
            try #require(back.count == 1)
            #expect(back[0].key == original.key)
            #expect(back[0].value == original.value)
            #expect(back[0].header("trace")?.stringValue == "t-1")
            #expect(!back[0].headers.contains { $0.name.hasPrefix("quotewire-") })
        }
    }

    @Test func quotesFollowPrintsQuotationsAsTheyArrive() async throws {
        try await IngestTestBroker.withTopics(["cli-follow"]) { topics in
            let article = ParsedArticle(
                articleId: "0123456789abcdef0123456789abcdef", source: nil, headline: "Harbour plans",
                receivedAt: Date(), paragraphs: ["…"],
                quotations: [
                    Quotation(text: "We will rebuild the harbour,", speaker: "Ana Lopes", speakerMention: "Lopes", speakerRole: "mayor",
                              cue: "said", kind: .direct, start: 1, end: 29),
                    Quotation(text: "not easy", speaker: nil, speakerMention: nil, speakerRole: nil, cue: nil, kind: .partial,
                              start: 40, end: 48),
                ],
                marketQuotes: [])
            let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: IngestTestBroker.brokers),
                                             logger: IngestTestBroker.logger)
            try await producer.send(OutgoingMessage(topic: topics[0], key: article.articleId, value: try WireCoding.encoder().encode(article)))
            try await producer.send(OutgoingMessage(topic: topics[0], key: "gone", value: nil))
            await producer.close(timeout: .seconds(5))

            let text = try await CLIRunner.run(["quotes", "--follow", "--from-beginning", "--follow-topic", topics[0]],
                                               stopAfter: .seconds(6))
            #expect(text.stdout == "Ana Lopes — We will rebuild the harbour,\n? — not easy\n", "\(text)")

            let json = try await CLIRunner.run(["quotes", "--follow", "--from-beginning", "--json", "--follow-topic", topics[0]],
                                               stopAfter: .seconds(6))
            let lines = json.stdout.split(separator: "\n")
            #expect(lines.count == 2, "\(json)")
            let first = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any]
            #expect(first?["articleId"] as? String == article.articleId)
            #expect(first?["headline"] as? String == "Harbour plans")
            #expect(first?["speaker"] as? String == "Ana Lopes")
            let second = try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any]
            #expect(second?["speaker"] is NSNull)

            let fromEnd = try await CLIRunner.run(["quotes", "--follow", "--follow-topic", topics[0]], stopAfter: .seconds(4))
            #expect(fromEnd.stdout.isEmpty, "from the end by default: nothing new arrived")
        }
    }

    @Test func anUnreachableBrokerIsReportedQuickly() async throws {
        let folder = try ScratchFolder()
        try folder.write("a.txt", "Words.")
        let started = ContinuousClock.now
        let result = try await CLIRunner.run(["publish", "--timeout", "2", folder.path("a.txt")], brokers: "127.0.0.1:1")
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("cannot reach the Kafka broker at 127.0.0.1:1"), "\(result.stderr)")
        #expect(ContinuousClock.now - started < .seconds(15))

        let list = try await CLIRunner.run(["dlq", "list", "--timeout", "2"], brokers: "127.0.0.1:1")
        #expect(list.status == 3)
    }
}
