import Foundation
import Logging
import QuotewireKafka
import QuotewireModels
import Testing

/// What must become of one poison record on a topic: a dead letter with these words in its reason.
struct ExpectedLetter {
    var label: String
    var topic: String
    var partition: Int32
    var offset: Int64
    var stage: String
    var words: [String]
}

/// A record on a topic that the test later fixes and replays.
struct FixableRecord {
    var articleId: String
    var partition: Int32
    var offset: Int64
    var fixedValue: Data
}

/// `quotewire dlq list --json` entries.
struct DeadLetterListing: Decodable {
    struct Entry: Decodable {
        var partition: Int32
        var offset: Int64
        var stage: String?
        var sourceTopic: String?
        var sourcePartition: Int32?
        var sourceOffset: Int64?
        var error: String?
        var key: String?
        var size: Int?
    }
    var messages: [Entry]
}

/// One run of poison and good articles through a pipeline, and what became of each.
final class PoisonRun {
    let pipeline: Pipeline
    let files: URL
    private(set) var goodIDs: [String] = []
    /// Accepted poison, by label (`entry/kind`), with its article id.
    private(set) var acceptedIDs: [String: String] = [:]
    private(set) var expectedLetters: [ExpectedLetter] = []
    private(set) var fixable: FixableRecord?
    private var counter = 0
    private var producerInstance: KafkaProducer?

    init(pipeline: Pipeline) {
        self.pipeline = pipeline
        files = pipeline.folder.appendingPathComponent("poison-files")
    }

    static var logger: Logger {
        var logger = Logger(label: "poison-test")
        logger.logLevel = .critical
        return logger
    }

    func producer() throws -> KafkaProducer {
        if let producerInstance { return producerInstance }
        var configuration = ProducerConfiguration(brokers: Pipeline.brokers)
        configuration.deliveryTimeout = .seconds(20)
        let made = try KafkaProducer(configuration: configuration, logger: Self.logger)
        producerInstance = made
        return made
    }

    func close() async {
        await producerInstance?.close(timeout: .seconds(5))
        producerInstance = nil
    }

    private func nextTag(_ what: String) -> String {
        counter += 1
        return "\(what)-\(counter)-\(pipeline.suffix)"
    }

    // MARK: Good articles

    func sendGood(through entry: PoisonEntry) async throws {
        let tag = nextTag("good-\(entry.rawValue)")
        let text = """
            Harbour Ledger - Good news \(tag)

            "We will finish the quay by spring," said harbour master Ines Kowal about \(tag).
            """
        switch entry {
        case .ingest:
            let (status, body) = try await pipeline.ingest(Data(text.utf8), contentType: "text/plain")
            #expect(status == 202, "good \(tag) through ingest: \(status) \(String(decoding: body, as: UTF8.self))")
            if let id = Self.acceptedID(body) { goodIDs.append(id) }
        case .publish:
            let file = files.appendingPathComponent("\(tag).txt")
            try Data(text.utf8).write(to: file)
            let result = try await pipeline.run(["publish", "--topic", pipeline.raw, "--brokers", Pipeline.brokers, file.path])
            #expect(result.status == 0, "good \(tag) through publish: \(result.errors)")
            if let id = Self.publishedID(result.output, file: file.path) { goodIDs.append(id) }
        case .raw:
            let article = RawArticle.make(body: text, source: "Harbour Ledger")
            _ = try await produce(raw: article.articleId, try WireCoding.encoder().encode(article))
            goodIDs.append(article.articleId)
        case .parsed:
            let article = Self.parsedArticle(id: ArticleID.derive(url: nil, body: text), paragraph: text,
                                             quotation: "We will finish the quay by spring,")
            _ = try await produce(parsed: article.articleId, try WireCoding.encoder().encode(article))
            goodIDs.append(article.articleId)
        }
    }

    // MARK: Poison

    func send(_ poison: Poison, through entry: PoisonEntry) async throws {
        let tag = nextTag("\(entry.rawValue)-\(poison.rawValue)")
        let label = "\(entry.rawValue)/\(poison.rawValue)"
        switch entry {
        case .ingest: try await ingest(poison, tag: tag, label: label)
        case .publish: try await publish(poison, tag: tag, label: label)
        case .raw: try await raw(poison, tag: tag, label: label)
        case .parsed: try await parsed(poison, tag: tag, label: label)
        }
    }

    /// HTTP ingest: refused with a 4xx and a JSON error that says why, or accepted (202).
    private func ingest(_ poison: Poison, tag: String, label: String) async throws {
        guard let body = poison.submission(tag: tag) else { return }
        let contentType = poison.isJSON ? "application/json" : "text/plain"
        let started = ContinuousClock.now
        let (status, answer) = try await pipeline.ingest(body, contentType: contentType)
        let text = String(decoding: answer.prefix(2_000), as: UTF8.self)
        if let refusal = Self.refusal(poison) {
            #expect(status == refusal.status, "\(label): \(status) \(text)")
            let message = (try? JSONDecoder().decode(IngestErrorBody.self, from: answer))?.error.message ?? ""
            #expect(message.localizedCaseInsensitiveContains(refusal.words), "\(label): the error \"\(text)\" should say \(refusal.words)")
            if poison == .fiftyMegabytes {
                #expect(ContinuousClock.now - started < .seconds(30), "50 MB is refused at the door, not read and parsed")
            }
        } else {
            #expect(status == 202, "\(label): \(status) \(text)")
            if let id = Self.acceptedID(answer) { acceptedIDs[label] = id }
        }
    }

    /// `quotewire publish`: a non-zero exit naming the file and the reason, or exit 0 with the id.
    private func publish(_ poison: Poison, tag: String, label: String) async throws {
        guard let body = poison.submission(tag: tag) else { return }
        let file = files.appendingPathComponent("\(tag).\(poison.isJSON ? "json" : "txt")")
        try body.write(to: file)
        defer { if poison == .fiftyMegabytes { try? FileManager.default.removeItem(at: file) } }
        let result = try await pipeline.run(["publish", "--topic", pipeline.raw, "--brokers", Pipeline.brokers, file.path])
        if let refusal = Self.refusal(poison) {
            #expect(result.status == 1, "\(label): exit \(result.status)")
            let line = result.errors.split(separator: "\n").first { $0.contains(file.path) } ?? ""
            #expect(!line.isEmpty, "\(label): standard error names the file: \(result.errors)")
            #expect(line.localizedCaseInsensitiveContains(refusal.words), "\(label): \"\(line)\" should say \(refusal.words)")
            #expect(result.output.isEmpty, "\(label): nothing published: \(result.output)")
            if poison == .fiftyMegabytes {
                // The same through standard input: refused once past the limit, not read whole.
                let piped = try await pipeline.run(["publish", "--topic", pipeline.raw, "--brokers", Pipeline.brokers, "-"],
                                                   standardInput: file)
                #expect(piped.status == 1 && piped.output.isEmpty, "\(label) on standard input: exit \(piped.status)")
                #expect(piped.errors.contains("-: standard input is more than"), "\(label) on standard input: \(piped.errors)")
            }
        } else {
            #expect(result.status == 0, "\(label): exit \(result.status): \(result.errors)")
            if let id = Self.publishedID(result.output, file: file.path) { acceptedIDs[label] = id }
        }
    }

    /// The refusal at the door (HTTP status, words of the message) of the kinds ingest and publish refuse.
    static func refusal(_ poison: Poison) -> (status: Int, words: String)? {
        switch poison {
        case .invalidUTF8, .binary: (400, "UTF-8")
        case .empty: (400, "empty")
        case .fiftyMegabytes: (413, "limit")
        case .truncatedJSON, .deepJSON, .loneSurrogate: (400, "JSON")
        default: nil
        }
    }

    /// Straight onto the raw topic: the parser dead-letters what it cannot read; odd text is parsed.
    private func raw(_ poison: Poison, tag: String, label: String) async throws {
        let encoder = WireCoding.encoder()
        let said = "\"We will rebuild the harbour,\" said Mayor Ana Lopes (\(tag))."
        func letter(_ key: String?, _ value: Data?, _ words: [String]) async throws {
            let report = try await produce(raw: key, value)
            expectedLetters.append(ExpectedLetter(label: label, topic: pipeline.raw, partition: report.partition,
                                                  offset: report.offset, stage: "parser", words: words))
        }
        switch poison {
        case .invalidUTF8:
            let article = RawArticle.make(body: "MARKER \(said)")
            let value = try Self.replacing("MARKER", in: try encoder.encode(article), with: [0xC3, 0x28, 0xFF])
            try await letter(article.articleId, value, ["RawArticle", "not UTF-8"])
        case .empty:
            try await letter(tag, Data(), ["RawArticle", "empty"])
        case .fiftyMegabytes:
            try await expectProducerRefusal(topic: pipeline.raw, label: label)
        case .binary:
            try await letter(tag, PoisonTexts.binary, ["RawArticle", "not UTF-8"])
        case .truncatedJSON:
            let article = RawArticle.make(body: said, source: "Harbour Ledger")
            let whole = try encoder.encode(article)
            let report = try await produce(raw: article.articleId, whole.prefix(whole.count / 2))
            expectedLetters.append(ExpectedLetter(label: label, topic: pipeline.raw, partition: report.partition,
                                                  offset: report.offset, stage: "parser", words: ["RawArticle", "JSON", "cut short"]))
            fixable = FixableRecord(articleId: article.articleId, partition: report.partition, offset: report.offset, fixedValue: whole)
        case .unknownSchemaVersion:
            var article = RawArticle.make(body: said)
            article.schemaVersion = 99
            try await letter(article.articleId, try encoder.encode(article), ["schemaVersion 99"])
        case .loneSurrogate:
            let article = RawArticle.make(body: "MARKER \(said)")
            let value = try Self.replacing("MARKER", in: try encoder.encode(article), with: Array(#"\ud800"#.utf8))
            try await letter(article.articleId, value, ["RawArticle", "JSON"])
        case .deepJSON:
            try await letter(tag, PoisonTexts.deepJSON, ["RawArticle", "nested 100000 deep"])
        case .keyMismatch:
            let article = RawArticle.make(body: said)
            try await letter(String(repeating: "0", count: 32), try encoder.encode(article), ["not the article id"])
        case .keylessTombstone:
            try await letter(nil, nil, ["tombstone without a key"])
        case .nulBytes, .megabyteQuotation, .quoteMarks, .nestedQuotes, .controlCharacters, .mixedLineEndings, .rightToLeft:
            let article = RawArticle.make(body: poison.text(tag: tag) ?? said)
            _ = try await produce(raw: article.articleId, try encoder.encode(article))
            acceptedIDs[label] = article.articleId
        }
    }

    /// Straight onto the parsed topic: the indexer dead-letters what it cannot read; odd text is indexed.
    private func parsed(_ poison: Poison, tag: String, label: String) async throws {
        let encoder = WireCoding.encoder()
        let id = ArticleID.derive(url: nil, body: tag)
        let plain = Self.parsedArticle(id: id, paragraph: "The mayor spoke (\(tag)).", quotation: "We will rebuild the harbour,")
        func letter(_ key: String?, _ value: Data?, _ words: [String]) async throws {
            let report = try await produce(parsed: key, value)
            expectedLetters.append(ExpectedLetter(label: label, topic: pipeline.parsed, partition: report.partition,
                                                  offset: report.offset, stage: "indexer", words: words))
        }
        switch poison {
        case .invalidUTF8:
            var article = plain
            article.paragraphs = ["MARKER"]
            try await letter(id, try Self.replacing("MARKER", in: try encoder.encode(article), with: [0xC3, 0x28, 0xFF]), ["ParsedArticle", "not UTF-8"])
        case .empty:
            try await letter(id, Data(), ["ParsedArticle", "empty"])
        case .fiftyMegabytes:
            try await expectProducerRefusal(topic: pipeline.parsed, label: label)
        case .binary:
            try await letter(id, PoisonTexts.binary, ["ParsedArticle", "not UTF-8"])
        case .truncatedJSON:
            let whole = try encoder.encode(plain)
            try await letter(id, whole.prefix(whole.count / 2), ["ParsedArticle", "cut short"])
        case .unknownSchemaVersion:
            var article = plain
            article.schemaVersion = 99
            try await letter(id, try encoder.encode(article), ["schemaVersion 99"])
        case .loneSurrogate:
            var article = plain
            article.paragraphs = ["MARKER"]
            try await letter(id, try Self.replacing("MARKER", in: try encoder.encode(article), with: Array(#"\udc00"#.utf8)), ["ParsedArticle", "JSON"])
        case .deepJSON:
            try await letter(id, PoisonTexts.deepJSON, ["ParsedArticle", "nested 100000 deep"])
        case .keyMismatch:
            // The record key decides the partition and so the shard: a key that is not the
            // article id would put the article in the wrong shard, out of reach of its deletes.
            // Fails until the indexer checks it (Services/IndexerService/ShardBatchBuilder.swift:
            // reject a record whose key is not the decoded article's id, as the parser does);
            // the exact-count expectation above fails with it (the article is indexed instead).
            try await letter(String(repeating: "0", count: 32), try encoder.encode(plain), ["not the article id"])
        case .keylessTombstone:
            try await letter(nil, nil, ["tombstone without a key"])
        case .nulBytes, .megabyteQuotation, .quoteMarks, .nestedQuotes, .controlCharacters, .mixedLineEndings, .rightToLeft:
            let text = poison.text(tag: tag) ?? ""
            var article = plain
            article.headline = String(text.prefix(200))
            article.paragraphs = text.components(separatedBy: "\n\n")
            let quoted = poison == .megabyteQuotation
                ? String(repeating: "we will rebuild every quay of this harbour ", count: 25_000) : text
            article.quotations = [Quotation(text: quoted, speaker: "Ana Lopes", speakerMention: "Lopes", speakerRole: "mayor",
                                            cue: "said", kind: .direct, start: 0, end: quoted.unicodeScalars.count)]
            if poison == .mixedLineEndings { article.quotations[0].text = "We will rebuild the harbour," }
            if poison == .rightToLeft { article.quotations[0].text = "\u{202E}We will keep the lights on,\u{202C}" }
            _ = try await produce(parsed: id, try encoder.encode(article))
            acceptedIDs[label] = id
        }
    }

    func checkParsed(_ label: String, _ article: ParsedArticle) {
        guard let kind = Poison(rawValue: String(label.split(separator: "/").last ?? "")) else { return }
        if let problem = kind.check(article) { Issue.record("\(label): \(problem)") }
    }

    private func expectProducerRefusal(topic: String, label: String) async throws {
        let message = OutgoingMessage(topic: topic, key: Data(label.utf8), value: PoisonTexts.fiftyMegabytes)
        do {
            _ = try await producer().send(message)
            Issue.record("\(label): a 50 MB record was accepted by the producer")
        } catch let error as KafkaError {
            #expect(error.name.contains("MSG_SIZE_TOO_LARGE"), "\(label): \(error)")
        }
    }

    // MARK: Dead letters and replay

    /// Polls `quotewire dlq list --json` until it shows `count` letters (or a minute passed) and
    /// returns what it shows then. Call it once the pipeline settled (``Pipeline/waitUntilSettled(within:)``):
    /// no letter comes after, so one too many shows.
    func waitForDeadLetters(_ count: Int) async throws -> [DeadLetterListing.Entry] {
        let deadline = ContinuousClock.now + .seconds(60)
        var entries: [DeadLetterListing.Entry] = []
        repeat {
            let listed = try await pipeline.run(["dlq", "list", "--json", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers])
            #expect(listed.status == 0, "dlq list: \(listed.errors)")
            entries = (try? JSONDecoder().decode(DeadLetterListing.self, from: Data(listed.output.utf8)))?.messages ?? []
            if entries.count >= count { break }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        return entries
    }

    /// A letter as the indexer writes it when its shard was busy: the bytes are a good parsed article.
    func deadLetterWithATransientCause() async throws -> (report: DeliveryReport, articleId: String) {
        let text = "Harbour Ledger - Replayed \(pipeline.suffix)"
        let article = Self.parsedArticle(id: ArticleID.derive(url: nil, body: text), paragraph: text,
                                         quotation: "We will try again,")
        let headers = [
            KafkaHeader(name: DeadLetterHeader.error, string: "the shard was locked by another writer (database is locked)"),
            KafkaHeader(name: DeadLetterHeader.stage, string: "indexer"),
            KafkaHeader(name: DeadLetterHeader.sourceTopic, string: pipeline.parsed),
            KafkaHeader(name: DeadLetterHeader.sourcePartition, string: "0"),
            KafkaHeader(name: DeadLetterHeader.sourceOffset, string: "0"),
        ]
        let report = try await producer().send(OutgoingMessage(
            topic: pipeline.dlq, key: article.articleId, value: try WireCoding.encoder().encode(article), headers: headers))
        return (report, article.articleId)
    }

    // MARK: Helpers

    private func produce(raw key: String?, _ value: Data?) async throws -> DeliveryReport {
        try await producer().send(OutgoingMessage(topic: pipeline.raw, key: key.map { Data($0.utf8) }, value: value))
    }

    private func produce(parsed key: String?, _ value: Data?) async throws -> DeliveryReport {
        try await producer().send(OutgoingMessage(topic: pipeline.parsed, key: key.map { Data($0.utf8) }, value: value))
    }

    static func parsedArticle(id: String, paragraph: String, quotation: String) -> ParsedArticle {
        ParsedArticle(
            articleId: id, source: "Harbour Ledger", headline: String(paragraph.prefix(80)), receivedAt: Date(),
            paragraphs: [paragraph],
            quotations: [Quotation(text: quotation, speaker: "Ines Kowal", speakerMention: "Kowal", speakerRole: "harbour master",
                                   cue: "said", kind: .direct, start: 0, end: quotation.unicodeScalars.count)])
    }

    /// `data` with the first occurrence of `marker` replaced by `bytes`.
    static func replacing(_ marker: String, in data: Data, with bytes: [UInt8]) throws -> Data {
        let range = try #require(data.range(of: Data(marker.utf8)), "the marker is in the encoded record")
        var copy = data
        copy.replaceSubrange(range, with: bytes)
        return copy
    }

    static func acceptedID(_ body: Data) -> String? {
        (try? JSONDecoder().decode([String: String].self, from: body))?["articleId"]
    }

    /// The id `quotewire publish` printed for `file` (`ID  FILE`).
    static func publishedID(_ output: String, file: String) -> String? {
        output.split(separator: "\n").first { $0.hasSuffix(file) }.flatMap { $0.split(separator: " ").first.map(String.init) }
    }
}

/// Ingest's `{"error":{"status","message"}}`.
struct IngestErrorBody: Decodable {
    struct Detail: Decodable {
        var status: Int
        var message: String
    }
    var error: Detail
}
