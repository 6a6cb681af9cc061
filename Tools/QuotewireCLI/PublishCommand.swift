import ArgumentParser
import ArticleIntake
import Foundation
import QuotewireKafka
import QuotewireModels

/// `quotewire publish FILE…|DIR…|-`: publishes raw articles straight to `articles.raw` and
/// prints each article id with its input's name.
///
/// Inputs are read in order and sent in chunks while they are read, a few chunks in flight at
/// once; what is shown along the way is ``PublishReport``'s. A bad input (a file, or a line of
/// a JSON-lines input) fails alone: it is reported, the rest are published, and the command
/// exits 1.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish articles (files, folders, or - for standard input) to articles.raw.",
        discussion: """
            Inputs: .html/.htm files are sent as HTML, .json files in the JSON form \
            {"text"|"html", "url", "source", "publishedAt", "id"}, .jsonl/.ndjson files as one \
            such object per line (named FILE:LINE), anything else as plain text, or as HTML when \
            its content is a page (a "text" field too). A page is read in the charset its \
            byte-order mark or <meta> names, and sent as UTF-8. With --jsonl \
            every input (files, -, and the files found in folders) is read as JSON lines. An \
            "id" (at most \(ArticleSubmission.maxIDBytes) bytes, no white space or control \
            characters) replaces the id derived from the URL or text. Folders are walked \
            recursively in name order; hidden files and folders are skipped.

            Output: "ID  NAME" on standard output for each article the broker acknowledged, in \
            input order. Failures ("NAME: reason", NAME being FILE or FILE:LINE) go to standard \
            error as they are known; the other articles are still published and the exit status \
            is 1. When standard error is a terminal it shows a progress line (sent, acknowledged, \
            articles per second, failures). At the end a summary line goes to standard error: \
            "published N of M articles in T s (R/s); F failed". --quiet prints no ids, no \
            progress line and no summary: only the failures.
            """)

    @Argument(help: "Files, folders, or - for standard input.")
    var inputs: [String]

    @Option(help: "The article's canonical URL (one input only: it decides the article id).")
    var url: String?

    @Option(help: "The publication the articles come from.")
    var source: String?

    @Option(help: "When the articles were published (ISO 8601, like 2026-01-02T03:04:05Z).")
    var publishedAt: String?

    @Flag(help: "Read standard input as HTML (files go by their extension).")
    var html = false

    @Flag(help: "Read every input (files, -, files in folders) as JSON lines, one article in the JSON form per line.")
    var jsonl = false

    @Flag(help: "Print only failures: no ids, no progress line, no summary.")
    var quiet = false

    @Option(help: .hidden)
    var topic: String = Topics.articlesRaw

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give files, folders, or - for standard input") }
        if let publishedAt, PublishedDate.parse(publishedAt) == nil {
            throw ValidationError("--published-at must be an ISO 8601 date-time like 2026-01-02T03:04:05Z")
        }
        if url != nil, inputs.count != 1 || FileManager.default.isDirectory(inputs[0]) || jsonl || Self.isJSONLines(inputs[0]) {
            throw ValidationError("--url applies to one article; give one file or -")
        }
        if html && jsonl {
            throw ValidationError("--html reads standard input as one page and --jsonl every input as JSON lines; give one")
        }
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be read once")
        }
    }

    /// One input read: the record to send (and the article id it carries), or why there is none.
    enum Item: Sendable {
        case record(name: String, id: String, message: OutgoingMessage)
        case refused(name: String, reason: String)

        /// The record to send; nil for a refused input.
        var message: OutgoingMessage? {
            if case .record(_, _, let message) = self { message } else { nil }
        }

        /// The failure to report for a refused input; nil for a record.
        var refusal: PublishOutcome? {
            if case .refused(let name, let reason) = self { .failed(name: name, reason: reason) } else { nil }
        }
    }

    func run() async throws {
        let report = PublishReport(quiet: quiet)
        try await BrokerCommandError.reporting { () async throws(BrokerCommandError) in
            var sender: ChunkSender?
            var chunk: [Item] = []
            func flush() async throws(BrokerCommandError) {
                guard !chunk.isEmpty else { return }
                if sender == nil, chunk.contains(where: { $0.message != nil }) {
                    _ = try await broker.partitionCounts()  // fail fast, with one clear line, when the broker is away
                    sender = ChunkSender(producer: try broker.producer(), report: report)
                }
                if let sender {
                    await sender.send(chunk)
                } else {
                    // Nothing sent yet, so nothing in flight to keep in order with: refusals are reported at once.
                    report.settle(chunk.compactMap(\.refusal))
                }
                chunk.removeAll(keepingCapacity: true)
            }
            try await forEachItem { item async throws(BrokerCommandError) in
                chunk.append(item)
                if chunk.count >= Self.chunkSize { try await flush() }
            }
            try await flush()
            await sender?.finish()
            report.finish()
            guard report.settled > 0 else { throw BrokerCommandError(.usage, "no files to publish") }
            guard report.failed == 0 else {
                throw BrokerCommandError(.partial, "\(report.failed) of \(report.settled) articles failed")
            }
        }
    }

    /// Records built and sent per chunk: a large dump is sent while it is still being read,
    /// and only a few chunks are held in memory at once.
    static let chunkSize = 500

    /// Reads every input, in order, into checked raw articles and their records, handing each
    /// to `body` as soon as it is built (JSON-lines inputs are read line by line).
    func forEachItem(_ body: (Item) async throws(BrokerCommandError) -> Void) async throws(BrokerCommandError) {
        for input in inputs {
            if input == "-" && jsonl {
                switch readStandardInput(limit: nil) {
                case .success(let data): try await forEachLine(of: data, named: "-", body)
                case .failure(let error): try await body(.refused(name: "-", reason: error.message))
                }
            } else if input == "-" {
                let form: ArticleSubmission.Form = html ? .html : .text
                switch readStandardInput(limit: WireLimits.maxArticleBytes) {
                case .success(let data): try await body(build(data, form: form, named: "-"))
                case .failure(let error): try await body(.refused(name: "-", reason: error.message))
                }
            } else if FileManager.default.isDirectory(input) {
                for entry in FolderWalk.entries(under: input) {
                    switch entry {
                    case .file(let path): try await forEachItem(inFile: path, body)
                    case .unreadable(let path, let reason): try await body(.refused(name: path, reason: reason))
                    }
                }
            } else {
                try await forEachItem(inFile: input, body)
            }
        }
    }

    /// The file's lines when it holds JSON lines (by `--jsonl` or its extension), else the file as one article.
    private func forEachItem(inFile path: String, _ body: (Item) async throws(BrokerCommandError) -> Void) async throws(BrokerCommandError) {
        if jsonl || Self.isJSONLines(path) {
            try await forEachJSONLine(path, body)
        } else {
            try await body(readFile(path))
        }
    }

    private func readFile(_ path: String) -> Item {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > WireLimits.maxArticleBytes {
            return .refused(name: path, reason: "the file is \(size) bytes; the limit is \(WireLimits.maxArticleBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .refused(name: path, reason: "cannot read the file")
        }
        return build(data, form: ArticleSubmission.form(ofFileNamed: path), named: path)
    }

    /// Whether a file holds JSON lines (by its extension).
    static func isJSONLines(_ path: String) -> Bool {
        ["jsonl", "ndjson"].contains((path as NSString).pathExtension.lowercased())
    }

    /// One item per non-blank line of a JSON-lines file; each line is checked on its own, so one
    /// bad line fails alone. The file is mapped, not copied.
    private func forEachJSONLine(_ path: String, _ body: (Item) async throws(BrokerCommandError) -> Void) async throws(BrokerCommandError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            try await body(.refused(name: path, reason: "cannot read the file: \(error.localizedDescription)"))
            return
        }
        try await forEachLine(of: data, named: path, body)
    }

    private func forEachLine(of data: Data, named name: String, _ body: (Item) async throws(BrokerCommandError) -> Void) async throws(BrokerCommandError) {
        // Line bounds first, over the raw bytes (indexing a Data byte by byte costs an
        // exclusivity check per byte); then each line is built and handed over on its own.
        let lines: [(number: Int, range: Range<Int>)] = data.withUnsafeBytes { raw in
            var lines: [(number: Int, range: Range<Int>)] = []
            guard let base = raw.baseAddress else { return lines }
            var start = 0
            var number = 0
            while start < raw.count {
                let end = memchr(base + start, 0x0A, raw.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                number += 1
                if raw[start..<end].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                    lines.append((number, start..<end))
                }
                start = end + 1
            }
            return lines
        }
        if lines.isEmpty {
            try await body(.refused(name: name, reason: "no JSON lines in the input"))
        }
        for line in lines {
            let item = data.withUnsafeBytes { raw in
                build(UnsafeRawBufferPointer(rebasing: raw[line.range]), form: .json, named: "\(name):\(line.number)")
            }
            try await body(item)
        }
    }

    /// Standard input, read no further than one byte past `limit` (when there is one): a
    /// larger article is refused without being held in memory whole.
    private func readStandardInput(limit: Int?) -> Result<Data, BrokerCommandError> {
        var data = Data()
        do {
            while limit.map({ data.count <= $0 }) ?? true,
                  let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
                data.append(chunk)
            }
        } catch {
            return .failure(BrokerCommandError(.usage, "cannot read standard input: \(error.localizedDescription)"))
        }
        if let limit, data.count > limit {
            return .failure(BrokerCommandError(.usage, "standard input is more than \(limit) bytes; the limit is \(limit)"))
        }
        return .success(data)
    }

    /// The record for one article, or why there is none. A JSON article's own `id` is honoured.
    private func build(_ data: some Collection<UInt8>, form: ArticleSubmission.Form, named name: String) -> Item {
        var submission = ArticleSubmission(form: form, url: url, source: source, publishedAt: publishedAt)
        submission.acceptsID = true
        do {
            let article = try submission.article(from: data, receivedAt: Date())
            return .record(name: name, id: article.articleId, message: try ArticleRecord.message(for: article, topic: topic))
        } catch {
            return .refused(name: name, reason: error.message)
        }
    }
}

/// Sends chunks of records with a few in flight at once, and hands each chunk's outcomes, in
/// input order, to the report as the chunk is acknowledged.
private final class ChunkSender {
    private let producer: KafkaProducer
    private let report: PublishReport
    private var inFlight: [Task<[PublishOutcome], Never>] = []
    /// Chunks in flight: enough to keep the producer's batches full while the next chunk is built.
    private static let window = 4

    init(producer: KafkaProducer, report: PublishReport) {
        self.producer = producer
        self.report = report
    }

    /// Starts sending the records of `items` (refused items keep their place in the order);
    /// settles the oldest chunks while too many are in flight.
    func send(_ items: [PublishCommand.Item]) async {
        let producer = self.producer
        let messages = items.compactMap(\.message)
        report.sending(messages.count)
        inFlight.append(Task {
            // Bound to a local before the value is built: Swift 6.3.1 at -O drops a store
            // into a task's result made before an `await` in the same expression (issue 18).
            let deliveries = await producer.send(messages)
            var next = deliveries.makeIterator()
            return items.map { item in
                switch item {
                case .refused(let name, let reason):
                    return .failed(name: name, reason: reason)
                case .record(let name, let id, _):
                    switch next.next() {
                    case .success?: return .published(name: name, id: id)
                    case .failure(let error)?: return .failed(name: name, reason: "not published: \(error.reason) (\(error.name))")
                    case nil: return .failed(name: name, reason: "not published: no delivery report")
                    }
                }
            }
        })
        while inFlight.count >= Self.window {
            report.settle(await inFlight.removeFirst().value)
        }
    }

    /// Waits for every chunk, then closes the producer.
    func finish() async {
        while !inFlight.isEmpty {
            report.settle(await inFlight.removeFirst().value)
        }
        await producer.close(timeout: .seconds(5))
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
