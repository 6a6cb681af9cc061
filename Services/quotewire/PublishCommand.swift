import ArgumentParser
import ArticleIntake
import Foundation
import QuotewireKafka
import QuotewireModels

/// `quotewire publish FILE…|DIR|-`: publishes raw articles straight to `articles.raw` and
/// prints each article id with its file name.
///
/// `.html`/`.htm` files are sent as HTML (kept as they are), `.json` files in the ingest JSON
/// form (`{"text"|"html", "url", "source", "publishedAt"}`), `.jsonl`/`.ndjson` files as one
/// article in that form per line (named `FILE:LINE`), anything else as plain text. A folder
/// means its visible files, not its subfolders. Every send is in flight at once; the command
/// exits non-zero naming each file (or line) that failed and why.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish articles (files, a folder, or - for standard input) to articles.raw.")

    @Argument(help: "Files, a folder, or - for standard input.")
    var inputs: [String]

    @Option(help: "The article's canonical URL (one input only: it decides the article id).")
    var url: String?

    @Option(help: "The publication the articles come from.")
    var source: String?

    @Option(help: "When the articles were published (ISO 8601, like 2026-01-02T03:04:05Z).")
    var publishedAt: String?

    @Flag(help: "Read standard input as HTML (files go by their extension).")
    var html = false

    @Flag(help: "Read standard input as JSON lines, one article in the JSON form per line.")
    var jsonl = false

    @Option(help: .hidden)
    var topic: String = Topics.articlesRaw

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give files, a folder, or - for standard input") }
        if let publishedAt, PublishedDate.parse(publishedAt) == nil {
            throw ValidationError("--published-at must be an ISO 8601 date-time like 2026-01-02T03:04:05Z")
        }
        if url != nil, inputs.count != 1 || FileManager.default.isDirectory(inputs[0]) || jsonl || Self.isJSONLines(inputs[0]) {
            throw ValidationError("--url applies to one article; give one file or -")
        }
        if html && jsonl {
            throw ValidationError("--html and --jsonl both describe standard input; give one")
        }
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be read once")
        }
    }

    /// One input's fate: the record to send, or why there is none.
    struct Item {
        var name: String
        var result: Result<(RawArticle, OutgoingMessage), BrokerCommandError>
    }

    func run() async throws {
        try await BrokerCommandError.reporting { () async throws(BrokerCommandError) in
            var sender: ChunkSender?
            var failures: [(String, String)] = []
            var items = 0
            var chunk: [(String, String, OutgoingMessage)] = []
            func flush() async throws(BrokerCommandError) {
                guard !chunk.isEmpty else { return }
                if sender == nil {
                    _ = try await broker.partitionCounts()  // fail fast, with one clear line, when the broker is away
                    sender = ChunkSender(producer: try broker.producer())
                }
                for failure in await sender?.send(chunk) ?? [] { failures.append(failure) }
                chunk.removeAll(keepingCapacity: true)
            }
            try await forEachItem { item async throws(BrokerCommandError) in
                items += 1
                switch item.result {
                case .success(let (article, message)): chunk.append((item.name, article.articleId, message))
                case .failure(let error): failures.append((item.name, error.message))
                }
                if chunk.count >= Self.chunkSize { try await flush() }
            }
            try await flush()
            if let sender { failures += await sender.finish() }
            guard items > 0 else { throw BrokerCommandError(.usage, "no files to publish") }
            guard failures.isEmpty else {
                for (name, reason) in failures {
                    Terminal.error("\(name): \(reason)")
                }
                throw BrokerCommandError(.partial, "\(failures.count) of \(items) articles failed")
            }
        }
    }

    /// Records built and sent per chunk: a large dump is sent while it is still being read,
    /// and only a few chunks are held in memory at once.
    static let chunkSize = 500

    /// Reads every input, in order, into checked raw articles and their records, handing each
    /// to `body` as soon as it is built (JSON-lines files are read line by line).
    func forEachItem(_ body: (Item) async throws(BrokerCommandError) -> Void) async throws(BrokerCommandError) {
        for input in inputs {
            if input == "-" && jsonl {
                switch readStandardInput(limit: nil) {
                case .success(let data): try await forEachLine(of: data, named: "-", body)
                case .failure(let error): try await body(Item(name: "-", result: .failure(error)))
                }
            } else if input == "-" {
                let form: ArticleSubmission.Form = html ? .html : .text
                try await body(Item(name: "-", result: readStandardInput(limit: WireLimits.maxArticleBytes).flatMap { build($0, form: form) }))
            } else if Self.isJSONLines(input) {
                try await forEachJSONLine(input, body)
            } else if FileManager.default.isDirectory(input) {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: input).filter { !$0.hasPrefix(".") }.sorted()
                } catch {
                    try await body(Item(name: input, result: .failure(BrokerCommandError(.usage, "cannot list the folder: \(error.localizedDescription)"))))
                    continue
                }
                for name in names {
                    let path = (input as NSString).appendingPathComponent(name)
                    guard !FileManager.default.isDirectory(path) else { continue }
                    if Self.isJSONLines(path) {
                        try await forEachJSONLine(path, body)
                    } else {
                        try await body(readFile(path))
                    }
                }
            } else {
                try await body(readFile(input))
            }
        }
    }

    private func readFile(_ path: String) -> Item {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > WireLimits.maxArticleBytes {
            return Item(name: path, result: .failure(BrokerCommandError(
                .usage, "the file is \(size) bytes; the limit is \(WireLimits.maxArticleBytes)")))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Item(name: path, result: .failure(BrokerCommandError(.usage, "cannot read the file")))
        }
        return Item(name: path, result: build(data, form: ArticleSubmission.form(ofFileNamed: path)))
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
            try await body(Item(name: path, result: .failure(BrokerCommandError(.usage, "cannot read the file: \(error.localizedDescription)"))))
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
            try await body(Item(name: name, result: .failure(BrokerCommandError(.usage, "no JSON lines in the file"))))
        }
        for line in lines {
            let result = data.withUnsafeBytes { raw in
                build(UnsafeRawBufferPointer(rebasing: raw[line.range]), form: .json)
            }
            try await body(Item(name: "\(name):\(line.number)", result: result))
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

    private func build(_ data: some Collection<UInt8>, form: ArticleSubmission.Form) -> Result<(RawArticle, OutgoingMessage), BrokerCommandError> {
        let submission = ArticleSubmission(form: form, url: url, source: source, publishedAt: publishedAt)
        do {
            let article = try submission.article(from: data, receivedAt: Date())
            return .success((article, try ArticleRecord.message(for: article, topic: topic)))
        } catch {
            return .failure(BrokerCommandError(.usage, error.message))
        }
    }
}

/// Sends chunks of records with a few in flight at once, prints each published article
/// (`ID  NAME`, in input order) as its chunk is acknowledged, and draws a progress line on a
/// terminal. Returns the records that failed, by name.
private final class ChunkSender {
    private let producer: KafkaProducer
    private var inFlight: [Task<[(String, String, Result<DeliveryReport, KafkaError>)], Never>] = []
    private let showProgress = Terminal.stdoutIsTerminal
    private var sent = 0
    private var done = 0
    /// Chunks in flight: enough to keep the producer's batches full while the next chunk is built.
    private static let window = 4

    init(producer: KafkaProducer) {
        self.producer = producer
    }

    /// Starts sending `records` (name, article id, message); returns the failures of chunks
    /// that finished meanwhile.
    func send(_ records: [(String, String, OutgoingMessage)]) async -> [(String, String)] {
        let producer = self.producer
        sent += records.count
        inFlight.append(Task {
            // Bound to a local before the value is built: Swift 6.3.1 at -O drops a store
            // into a task's result made before an `await` in the same expression (issue 18).
            let outcomes = await producer.send(records.map(\.2))
            return zip(records, outcomes).map { ($0.0, $0.1, $1) }
        })
        var failures: [(String, String)] = []
        while inFlight.count >= Self.window {
            failures += await collectOldest()
        }
        return failures
    }

    /// Waits for every chunk, closes the producer, clears the progress line.
    func finish() async -> [(String, String)] {
        var failures: [(String, String)] = []
        while !inFlight.isEmpty {
            failures += await collectOldest()
        }
        await producer.close(timeout: .seconds(5))
        if showProgress {
            FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
        }
        return failures
    }

    private func collectOldest() async -> [(String, String)] {
        let outcomes = await inFlight.removeFirst().value
        var failures: [(String, String)] = []
        var lines = ""
        for (name, id, outcome) in outcomes {
            switch outcome {
            case .success: lines += "\(id)  \(name)\n"
            case .failure(let error): failures.append((name, "not published: \(error.reason) (\(error.name))"))
            }
        }
        done += outcomes.count
        if showProgress { lines = "\r\u{1B}[K" + lines }
        FileHandle.standardOutput.write(Data(lines.utf8))
        if showProgress {
            FileHandle.standardOutput.write(Data("published \(done) of \(sent) read so far".utf8))
        }
        return failures
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
