import Foundation
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import ServiceSupport
import Testing

/// The `quotewire` broker commands, run as the built binary against topics of their own.
@Suite(.needs(.processes), .timeLimit(.minutes(3)))
struct CLITests {
    @Test(.needs(.broker)) func publishPrintsIdsNamesFailuresAndExitsNonZero() async throws {
        try await TestBroker.withTopics(["cli-publish"]) { topics in
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

            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 2))
            let text = try #require(byID[printed["a.txt"] ?? ""])
            #expect(text.contentType == .plainText)
            #expect(try #require(byID[printed["b.html"] ?? ""]).contentType == .html)
            #expect(text.articleId == ArticleID.derive(url: nil, body: text.body))
        }
    }

    @Test(.needs(.broker)) func publishOfAJSONLinesFileSendsOneArticlePerLineAndNamesBadLines() async throws {
        try await TestBroker.withTopics(["cli-jsonl"]) { topics in
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

            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 2))
            #expect(byID.count == 2)
            #expect(byID[ArticleID.derive(url: url, body: "")]?.contentType == .html)
            #expect(byID.values.contains { $0.source == "lines" && $0.contentType == .plainText })
        }
    }

    @Test(.needs(.broker)) func publishJSONLinesSkipsBadLinesNamingThemAndSummarises() async throws {
        try await TestBroker.withTopics(["cli-bulk"]) { topics in
            let topic = topics[0]
            let folder = try ScratchFolder()
            let explicitID = "dump-\(UUID().uuidString.lowercased())"
            try folder.write("dump.txt", """
                {"text": "\\"Bulk is fine,\\" said Ola Berg. \(UUID())"}
                {"text": "no closing quote
                {"text": "Carries its own id. \(UUID())", "id": "\(explicitID)", "source": "dump"}

                {"text": "A bad id.", "id": "two words"}
                {"html": "<p>Last \(UUID())</p>"}
                """)
            let path = folder.path("dump.txt")
            let result = try await CLIRunner.run(["publish", "--jsonl", "--topic", topic, path])
            #expect(result.status == 1, "\(result)")
            #expect(Self.names(result.stdout) == ["\(path):1", "\(path):3", "\(path):6"], "\(result.stdout)")
            #expect(result.stdout.contains("\(explicitID)  \(path):3\n"), "an explicit id replaces the derived one")
            #expect(result.stderr.contains("\(path):2: the body is not a valid article JSON object"), "\(result.stderr)")
            #expect(result.stderr.contains("\(path):5: id must not contain white space"), "\(result.stderr)")
            #expect(result.stderr.contains("published 3 of 5 articles in "), "\(result.stderr)")
            #expect(result.stderr.contains("; 2 failed\n"), "\(result.stderr)")
            #expect(result.stderr.contains("quotewire: 2 of 5 articles failed"), "\(result.stderr)")
            #expect(!result.stderr.contains("\r") && !result.stderr.contains("acknowledged"), "no progress line off a terminal")

            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 3))
            #expect(byID.count == 3)
            #expect(byID[explicitID]?.source == "dump")
        }
    }

    @Test(.needs(.broker)) func publishJSONLinesFromStandardInput() async throws {
        try await TestBroker.withTopics(["cli-stdin-lines"]) { topics in
            let topic = topics[0]
            let lines = """
                {"text": "First from a pipe. \(UUID())"}
                {"html": "<p>Second from a pipe. \(UUID())</p>", "source": "pipe"}

                """
            let result = try await CLIRunner.run(["publish", "--jsonl", "--topic", topic, "-"], stdin: Data(lines.utf8))
            #expect(result.status == 0, "\(result)")
            #expect(Self.names(result.stdout) == ["-:1", "-:2"], "\(result.stdout)")
            #expect(result.stderr.hasPrefix("published 2 of 2 articles in ") && !result.stderr.contains("failed"), "\(result.stderr)")

            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 2))
            #expect(byID.values.contains { $0.source == "pipe" && $0.contentType == .html })
        }
    }

    @Test(.needs(.broker)) func publishWalksFoldersRecursivelyInNameOrderSkippingHiddenOnes() async throws {
        try await TestBroker.withTopics(["cli-tree"]) { topics in
            let topic = topics[0]
            let folder = try ScratchFolder()
            for sub in ["a/deeper", ".git", "a/.cache"] {
                try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            try folder.write("b.txt", "Top level. \(UUID())")
            try folder.write("a/one.html", "<p>One level down. \(UUID())</p>")
            try folder.write("a/deeper/two.json", #"{"text": "Two levels down. \#(UUID())"}"#)
            try folder.write("a/deeper/lines.jsonl", "{\"text\": \"Line one. \(UUID())\"}\n{\"text\": \"Line two. \(UUID())\"}\n")
            try folder.write("a/.hidden.txt", "Hidden file.")
            try folder.write("a/.cache/c.txt", "In a hidden folder.")
            try folder.write(".git/config", "Hidden folder at the top.")
            try FileManager.default.createSymbolicLink(atPath: folder.path("a/loop"), withDestinationPath: folder.url.path)

            let result = try await CLIRunner.run(["publish", "--topic", topic, folder.url.path])
            #expect(result.status == 0, "\(result)")
            let root = folder.url.path + "/"
            #expect(Self.names(result.stdout).map { $0.hasPrefix(root) ? String($0.dropFirst(root.count)) : $0 }
                == ["a/deeper/lines.jsonl:1", "a/deeper/lines.jsonl:2", "a/deeper/two.json", "a/one.html", "b.txt"],
                "\(result.stdout)")
            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 5))
            #expect(byID.count == 5)

            // With --jsonl a folder's files are all JSON lines, whatever their names; --quiet
            // leaves only the failures.
            let dump = try ScratchFolder()
            try FileManager.default.createDirectory(at: dump.url.appendingPathComponent("2026"), withIntermediateDirectories: true)
            try dump.write("2026/part.txt", "{\"text\": \"Quiet one. \(UUID())\"}\nnot json\n{\"text\": \"Quiet two. \(UUID())\"}\n")
            let quiet = try await CLIRunner.run(["publish", "--jsonl", "--quiet", "--topic", topic, dump.url.path])
            #expect(quiet.status == 1, "\(quiet)")
            #expect(quiet.stdout.isEmpty, "\(quiet.stdout)")
            let part = dump.path("2026/part.txt")
            #expect(quiet.stderr.hasPrefix("\(part):2: the body is not a valid article JSON object"), "\(quiet.stderr)")
            #expect(!quiet.stderr.contains("published"), "no summary with --quiet: \(quiet.stderr)")
            #expect(quiet.stderr.hasSuffix("quotewire: 1 of 3 articles failed\n"), "\(quiet.stderr)")
            #expect(try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 7)).count == 7)
        }
    }

    @Test(.needs(.broker)) func aProgressLineIsDrawnOnATerminalAndNotWithQuiet() async throws {
        try await TestBroker.withTopics(["cli-progress"]) { topics in
            let topic = topics[0]
            let folder = try ScratchFolder()
            try folder.write("batch.jsonl", (1...3).map { #"{"text": "Progress \#($0). \#(UUID())"}"# }.joined(separator: "\n"))
            let shown = try await CLIRunner.runOnATerminal(["publish", "--topic", topic, folder.path("batch.jsonl")])
            #expect(shown.status == 0, "\(shown)")
            #expect(shown.stdout.contains("\r\u{1B}[Ksent 3, acknowledged "), "\(shown.stdout.debugDescription)")
            #expect(shown.stdout.contains("  \(folder.path("batch.jsonl")):3\r\n"), "the ids still reach standard output")
            #expect(shown.stdout.contains("\r\u{1B}[Kpublished 3 of 3 articles in "), "the line is erased before the summary")

            try folder.write("bad.jsonl", "{\"text\": \"Fine. \(UUID())\"}\n[1]\n")
            let quiet = try await CLIRunner.runOnATerminal(["publish", "--quiet", "--topic", topic, folder.path("bad.jsonl")])
            #expect(quiet.status == 1, "\(quiet)")
            #expect(!quiet.stdout.contains("\u{1B}[K") && !quiet.stdout.contains("published"), "\(quiet.stdout.debugDescription)")
            #expect(quiet.stdout.contains("\(folder.path("bad.jsonl")):2: "), "\(quiet.stdout.debugDescription)")
        }
    }

    /// The NAME of each `ID  NAME` line.
    private static func names(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map { line in
            line.split(separator: "  ", maxSplits: 1).last.map(String.init) ?? ""
        }
    }

    @Test(.needs(.broker)) func publishFromStandardInputWithURLAndDelete() async throws {
        try await TestBroker.withTopics(["cli-delete"]) { topics in
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

            let messages = try await TestBroker.read(topic: topic, count: 2)
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.keyString == id })
            #expect(messages.filter(\.isTombstone).count == 1)
            let article = try #require(try TestBroker.rawArticles(in: messages.filter { !$0.isTombstone })[id])
            #expect(article.source == "CLI" && article.url == url)
            #expect(article.publishedAt == Date(timeIntervalSince1970: 1_770_091_506))

            let refused = try await CLIRunner.run(["delete", "--topic", topic, "not-an-id"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("not an article id"))
        }
    }

    @Test(.needs(.broker)) func dlqListAndReplay() async throws {
        try await TestBroker.withTopics(["cli-dlq", "cli-source"]) { topics in
            let (dlq, source) = (topics[0], topics[1])
            let original = KafkaMessage(
                topic: source, partition: 2, offset: 41, key: Data("k-\(UUID())".utf8), value: Data("{not json".utf8),
                headers: [KafkaHeader(name: "trace", string: "t-1")])
            var producerConfiguration = ProducerConfiguration(brokers: TestBroker.brokers)
            producerConfiguration.deliveryTimeout = .seconds(10)
            let producer = try KafkaProducer(configuration: producerConfiguration, logger: TestBroker.logger)
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

            let back = try await TestBroker.read(topic: source, count: 1)
            try #require(back.count == 1)
            #expect(back[0].key == original.key)
            #expect(back[0].value == original.value)
            #expect(back[0].header("trace")?.stringValue == "t-1")
            #expect(!back[0].headers.contains { $0.name.hasPrefix("quotewire-") })
        }
    }

    /// On a one-partition topic, so that a record shown means every record before it was read:
    /// a marker quotation published after the rest shows that the followers read past the
    /// deleted article without printing it, and a follower from the end shows only the markers
    /// published while it runs.
    @Test(.needs(.broker)) func quotesFollowPrintsQuotationsAsTheyArrive() async throws {
        try await TestBroker.withTopics(["cli-follow"], partitions: 1) { topics in
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
            let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: TestBroker.brokers),
                                             logger: TestBroker.logger)
            func publishMarker(_ n: Int) async throws {
                let marker = ParsedArticle(
                    articleId: String(format: "%032x", n), source: nil, headline: "Marker \(n)", receivedAt: Date(), paragraphs: ["…"],
                    quotations: [Quotation(text: "Marker \(n)", speaker: "Test Marker", speakerMention: nil, speakerRole: nil,
                                           cue: nil, kind: .direct, start: 0, end: 8)],
                    marketQuotes: [])
                try await producer.send(OutgoingMessage(topic: topics[0], key: marker.articleId,
                                                        value: try WireCoding.encoder().encode(marker)))
            }
            try await producer.send(OutgoingMessage(topic: topics[0], key: article.articleId, value: try WireCoding.encoder().encode(article)))
            try await producer.send(OutgoingMessage(topic: topics[0], key: "gone", value: nil))
            try await publishMarker(1)

            let text = try CLIRunner.start(["quotes", "--follow", "--from-beginning", "--follow-topic", topics[0]])
            let json = try CLIRunner.start(["quotes", "--follow", "--from-beginning", "--json", "--follow-topic", topics[0]])
            #expect(await text.waitForOutput { $0.contains("Marker 1") }, "the text follower reaches the marker: \(text.errors)")
            #expect(await json.waitForOutput { $0.contains("Marker 1") }, "the JSON follower reaches the marker: \(json.errors)")
            let shown = await text.stop()
            #expect(shown.output == "Ana Lopes — We will rebuild the harbour,\n? — not easy\nTest Marker — Marker 1\n", "\(shown)")

            let lines = await json.stop().output.split(separator: "\n")
            #expect(lines.count == 3, "\(lines)")
            let first = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any]
            #expect(first?["articleId"] as? String == article.articleId)
            #expect(first?["headline"] as? String == "Harbour plans")
            #expect(first?["speaker"] as? String == "Ana Lopes")
            let second = try JSONSerialization.jsonObject(with: Data((lines.dropFirst().first ?? "").utf8)) as? [String: Any]
            #expect(second?["speaker"] is NSNull)

            // From the end by default: markers go out until the follower shows one, and it shows
            // nothing published before it started.
            let fromEnd = try CLIRunner.start(["quotes", "--follow", "--follow-topic", topics[0]])
            var marker = 2
            while !(await fromEnd.waitForOutput(within: .milliseconds(500), until: { $0.contains("Test Marker") })), marker < 60 {
                try await publishMarker(marker)
                marker += 1
            }
            let followed = await fromEnd.stop().output
            await producer.close(timeout: .seconds(5))
            #expect(followed.contains("Test Marker"), "the follower from the end shows what arrives while it runs")
            #expect(!followed.contains("Ana Lopes") && !followed.contains("not easy") && !followed.contains("Marker 1\n"),
                    "from the end: nothing published before it started: \(followed)")
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
