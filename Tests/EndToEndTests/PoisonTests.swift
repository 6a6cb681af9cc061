import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import Testing

/// Poison through every entry point of the running pipeline (the four service processes on
/// the real broker): HTTP ingest, `quotewire publish`, records produced straight onto the raw
/// topic and straight onto the parsed topic. Each kind of bad input is refused at the door
/// with a clear error, lands on the dead-letter topic with its reason, or (odd but valid text)
/// comes out parsed and indexed; the good articles sent between the poison ones are all
/// indexed. `quotewire dlq list` then shows every dead letter and why, and `quotewire dlq
/// replay` sends chosen letters back once fixed.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PoisonTests {
    @Test func everyPoisonIsRefusedDeadLetteredOrParsedAndTheGoodArticlesAroundItAreIndexed() async throws {
        let pipeline = try await Pipeline()
        let run = PoisonRun(pipeline: pipeline)
        defer { try? FileManager.default.removeItem(at: run.files) }
        do {
            try await exercise(pipeline, run)
        } catch {
            // A failed `#require` must not leave the four services running.
            await run.close()
            _ = try? await pipeline.stop()
            throw error
        }
        await run.close()
        let statuses = try await pipeline.stop()
        #expect(statuses.allSatisfy { $0 == 0 }, "no service crashed on the poison and each stops cleanly: \(statuses)")
    }

    func exercise(_ pipeline: Pipeline, _ run: PoisonRun) async throws {
        try FileManager.default.createDirectory(at: run.files, withIntermediateDirectories: true)
        for entry in PoisonEntry.allCases {
            for poison in Poison.allCases {
                try await run.sendGood(through: entry)
                try await run.send(poison, through: entry)
            }
            try await run.sendGood(through: entry)
        }

        // Everything accepted ends up in the index: the good articles and the odd-but-valid poison.
        let expected = run.goodIDs.count + run.acceptedIDs.count
        let indexed = await pipeline.waitForIndexed(expected, within: .seconds(180))
        let reader = IndexReader(folder: IndexFolder(path: pipeline.indexPath))
        var missingGood: [String] = []
        for id in run.goodIDs where (try? await reader.article(id: id)) == nil { missingGood.append(id) }
        #expect(missingGood.isEmpty, "good articles not indexed: \(missingGood); logs in \(pipeline.folder.path)")
        for (label, id) in run.acceptedIDs.sorted(by: { $0.key < $1.key }) {
            let stored = try? await reader.article(id: id)
            #expect(stored != nil, "\(label) was accepted but is not indexed")
            if let stored { run.checkParsed(label, stored.article) }
        }
        try await Task.sleep(for: .seconds(1))
        #expect(await pipeline.indexedCount() == expected,
                "exactly the good articles and the accepted poison are indexed (\(indexed) seen, \(expected) expected)")

        // Printed for people, the hostile text cannot steer the terminal: no escape sequences,
        // backspaces or bidirectional overrides reach it (the JSON output keeps the text as it is).
        for arguments in [["quotes", "--speaker", "Ana Lopes", "--limit", "500"], ["search", "Kowal", "--limit", "100"]] {
            let printed = try await pipeline.run(arguments + ["--server", pipeline.server])
            #expect(printed.status == 0, "\(arguments): \(printed.errors)")
            let unsafe = printed.output.unicodeScalars.filter {
                ($0.properties.generalCategory == .control && $0 != "\n") || (0x202A...0x202E).contains($0.value)
                    || (0x2066...0x2069).contains($0.value)
            }
            #expect(unsafe.isEmpty, "\(arguments) printed control characters \(unsafe.map { String($0.value, radix: 16) })")
            if arguments[0] == "quotes" {
                #expect(printed.output.contains("\u{FFFD}"), "\(arguments) shows where they were: \(printed.output.prefix(500))")
            }
        }

        // A search matching the megabyte quotation (the same words 17,500 times) answers in time.
        // Known issue in Shared/Index: SQLite's snippet() is quadratic in a document's matches,
        // so this search keeps a reader busy for minutes and the query service cuts it off (503
        // after its query timeout). Fix: build snippets from a bounded window of the stored text
        // (or cap the text put into the FTS tables). Remove `withKnownIssue` once fixed.
        let searchStarted = ContinuousClock.now
        let crowded = try await pipeline.run(["search", "quay", "--limit", "1", "--json", "--server", pipeline.server])
        let searchTook = ContinuousClock.now - searchStarted
        #expect(searchTook < .seconds(20), "answered or cut off within the query timeout, not after \(searchTook)")
        withKnownIssue("FTS5 snippet() over a document with thousands of matches takes minutes") {
            #expect(crowded.status == 0 && searchTook < .seconds(5), "\(crowded.errors)")
        }

        // `quotewire dlq list --json`: every dead letter with its stage and reason, nothing else.
        let letters = try await run.waitForDeadLetters(run.expectedLetters.count)
        #expect(letters.count == run.expectedLetters.count,
                "dead letters: \(letters.map { "\($0.sourceTopic ?? "?")@\($0.sourceOffset ?? -1): \($0.error ?? "")" })")
        for expected in run.expectedLetters {
            let letter = letters.first {
                $0.sourceTopic == expected.topic && $0.sourcePartition == expected.partition && $0.sourceOffset == expected.offset
            }
            #expect(letter != nil, "\(expected.label) is not in the dead-letter topic")
            guard let letter else { continue }
            #expect(letter.stage == expected.stage, "\(expected.label) was dead-lettered by \(letter.stage ?? "?")")
            let reason = letter.error ?? ""
            #expect(expected.words.allSatisfy { reason.localizedCaseInsensitiveContains($0) },
                    "\(expected.label): the reason \"\(reason.prefix(300))\" should mention \(expected.words)")
            #expect(reason.count <= 600, "\(expected.label): a reason is a line, not \(reason.count) characters")
        }

        // The table names the source and the reason.
        let table = try await pipeline.run(["dlq", "list", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers])
        #expect(table.status == 0, "\(table.errors)")
        #expect(table.output.contains("ERROR") && table.output.contains("\(pipeline.raw)[") && table.output.contains("\(pipeline.parsed)["))
        #expect(table.output.contains("schemaVersion 99"), "\(table.output)")

        // Replay once fixed: the truncated raw article, its value replaced by the complete JSON.
        let beforeReplays = await pipeline.indexedCount()
        let truncated = try #require(run.fixable)
        let letter = try #require(letters.first { $0.sourceTopic == pipeline.raw && $0.sourceOffset == truncated.offset
                && $0.sourcePartition == truncated.partition })
        let fixedFile = run.files.appendingPathComponent("fixed.json")
        try truncated.fixedValue.write(to: fixedFile)
        let replayed = try await pipeline.run([
            "dlq", "replay", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers,
            "--partition", String(letter.partition), "--value-file", fixedFile.path, String(letter.offset),
        ])
        #expect(replayed.status == 0, "\(replayed.errors)")
        #expect(replayed.output.contains("replayed \(letter.partition):\(letter.offset) -> \(pipeline.raw)"), "\(replayed.output)")

        // Replay as it is: a letter whose cause was passing (its bytes are a valid parsed article).
        let transient = try await run.deadLetterWithATransientCause()
        let again = try await pipeline.run([
            "dlq", "replay", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers,
            "--partition", String(transient.report.partition), String(transient.report.offset),
        ])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("-> \(pipeline.parsed)"), "\(again.output)")

        #expect(await pipeline.waitForIndexed(beforeReplays + 2, within: .seconds(60)) == beforeReplays + 2)
        #expect((try? await reader.article(id: truncated.articleId)) != nil, "the fixed article is indexed after its replay")
        #expect((try? await reader.article(id: transient.articleId)) != nil, "the replayed letter is indexed")
        let after = try await run.waitForDeadLetters(letters.count + 1)
        #expect(after.count == letters.count + 1, "replays add no dead letters")
    }
}

/// The ways into the pipeline.
enum PoisonEntry: String, CaseIterable, Sendable {
    case ingest, publish, raw, parsed
}

/// The kinds of bad input.
enum Poison: String, CaseIterable, Sendable {
    case invalidUTF8 = "invalid-utf8"
    case empty
    case fiftyMegabytes = "50mb"
    case binary
    case nulBytes = "nul-bytes"
    case truncatedJSON = "truncated-json"
    case unknownSchemaVersion = "unknown-schema-version"
    case megabyteQuotation = "1mb-quotation"
    case quoteMarks = "100k-quote-marks"
    case nestedQuotes = "nested-quotes"
    case controlCharacters = "control-characters"
    case mixedLineEndings = "mixed-line-endings"
    case rightToLeft = "right-to-left"
    case loneSurrogate = "lone-surrogate-escape"
    case deepJSON = "deeply-nested-json"
    case keyMismatch = "key-not-article-id"
    case keylessTombstone = "keyless-tombstone"

    /// Whether the submitted form is the JSON one.
    var isJSON: Bool { [.truncatedJSON, .unknownSchemaVersion, .loneSurrogate, .deepJSON].contains(self) }

    /// What a submitter sends (HTTP body, file): nil where the kind exists only on a topic.
    func submission(tag: String) -> Data? {
        let said = "\"We will rebuild the harbour,\" said Mayor Ana Lopes (\(tag))."
        switch self {
        case .invalidUTF8: return Data(said.utf8) + Data([0xC3, 0x28, 0xFF, 0xFE]) + Data(" More words.".utf8)
        case .empty: return Data()
        case .fiftyMegabytes: return PoisonTexts.fiftyMegabytes
        case .binary: return PoisonTexts.binary
        case .truncatedJSON: return Data(#"{"text": "We will rebuild the harbour, said Ana Lopes (\#(tag)), and then"#.utf8)
        case .unknownSchemaVersion:
            // The submission form has no schemaVersion: the field is ignored, the article made in the current version.
            return Data(#"{"schemaVersion": 99, "text": "\"We will rebuild,\" said Mayor Ana Lopes (\#(tag))."}"#.utf8)
        case .loneSurrogate: return Data(#"{"text": "\ud800 We will rebuild (\#(tag)), said Ana Lopes."}"#.utf8)
        case .deepJSON: return PoisonTexts.deepJSON
        case .keyMismatch, .keylessTombstone: return nil
        default: return text(tag: tag).map { Data($0.utf8) }
        }
    }

    /// The odd-but-valid article text of the kinds that must come out parsed.
    func text(tag: String) -> String? {
        switch self {
        case .nulBytes:
            return "Harbour Ledger - Nul \(tag)\n\n\"We will\u{0} rebuild the harbour,\" said Mayor Ana\u{0} Lopes.\u{0}\u{0}"
        case .megabyteQuotation:
            let speech = String(repeating: "we will rebuild every quay and every crane of this harbour ", count: 17_500)
            return "Harbour Ledger - Long speech \(tag)\n\n\"\(speech)in time,\" said Mayor Ana Lopes.\n"
        case .quoteMarks:
            let marks = ["\"", "“", "”", "'", "‘", "’", "«", "»", "„"]
            let storm = (0..<100_000).map { marks[$0 % marks.count] }.joined(separator: " ")
            return "Harbour Ledger - Quote storm \(tag)\n\n\(storm)\n\n\"We will rebuild,\" said Mayor Ana Lopes."
        case .nestedQuotes:
            let depth = 5_000
            let opens = (0..<depth).map { $0 % 2 == 0 ? "“" : "‘" }.joined()
            let closes = (0..<depth).reversed().map { $0 % 2 == 0 ? "”" : "’" }.joined()
            return "Harbour Ledger - Nested \(tag)\n\n\(opens)We will rebuild the harbour,\(closes) said Mayor Ana Lopes."
        case .controlCharacters:
            return "Harbour Ledger - Controls \(tag)\u{7}\n\n\"We will\u{1}\u{2} rebuild\u{1B}[31m the harbour,\u{8}\" said Mayor\u{7F} Ana Lopes.\u{85}\u{9B}\u{B}\u{C}\u{1F}"
        case .mixedLineEndings:
            return "Harbour Ledger - Line endings \(tag)\r\n\r\n\"We will rebuild the harbour,\" said Mayor Ana Lopes.\r\rThe council met on Monday.\n\r\nIt approved the plan.\u{2028}Work starts soon.\u{85}The end.\r"
        case .rightToLeft:
            return "חדשות הנמל - \(tag)\n\n\u{202E}\"We will keep the lights on,\"\u{202C} said engineer Dana Levi.\n\n\u{200F}המועצה התכנסה ביום שני. «נבנה מחדש את הנמל» אמר ראש העיר.\u{2067}مرحبا\u{2069}"
        default:
            return nil
        }
    }

    /// Whether the article, once accepted, reads as expected.
    func check(_ article: ParsedArticle) -> String? {
        let texts = article.quotations.map(\.text)
        switch self {
        case .megabyteQuotation:
            return texts.contains { $0.utf8.count >= 1_000_000 } ? nil : "no quotation of a megabyte: \(texts.map(\.count))"
        case .mixedLineEndings:
            let found = article.quotations.contains { $0.text == "We will rebuild the harbour," && $0.speaker == "Ana Lopes" }
            return found ? nil : "the quotation and its speaker were not found: \(article.quotations)"
        case .rightToLeft:
            let found = article.quotations.contains { $0.text.contains("We will keep the lights on") }
            return found ? nil : "the quotation was not found: \(texts)"
        default:
            return article.paragraphs.isEmpty && texts.isEmpty ? "nothing came out of it" : nil
        }
    }
}

/// Large inputs, made once.
enum PoisonTexts {
    /// 50 MB of text: refused at every door.
    static let fiftyMegabytes = Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
    /// A PNG signature and every byte value.
    static let binary = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data((0..<4_096).map { UInt8($0 % 256) })
    /// 100,000 nested JSON arrays.
    static let deepJSON = Data(repeating: UInt8(ascii: "["), count: 100_000)
}

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

    /// Polls `quotewire dlq list --json` until it shows `count` letters (or a minute passed).
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
        try await Task.sleep(for: .seconds(1))
        let listed = try await pipeline.run(["dlq", "list", "--json", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers])
        return (try? JSONDecoder().decode(DeadLetterListing.self, from: Data(listed.output.utf8)))?.messages ?? entries
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

extension Pipeline {
    /// Runs the `quotewire` command and returns its status, standard output and standard
    /// error (through files, so neither can fill a pipe and stall the command). The wait
    /// does not hold a thread of the cooperative pool.
    func run(_ arguments: [String], standardInput: URL? = nil) async throws -> (status: Int32, output: String, errors: String) {
        let scratch = folder.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (outURL, errURL) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"))
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = Self.bin.appendingPathComponent("quotewire")
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        let input = try standardInput.map { try FileHandle(forReadingFrom: $0) }
        defer { try? input?.close() }
        process.standardInput = input ?? FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status,
                String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }
}
