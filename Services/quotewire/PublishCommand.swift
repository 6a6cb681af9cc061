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
            let items = try collectItems()
            let ready = items.compactMap { item in (try? item.result.get()).map { (item.name, $0.0, $0.1) } }
            var failures = items.compactMap { item -> (String, String)? in
                if case .failure(let error) = item.result { return (item.name, error.message) }
                return nil
            }
            var published: [(String, String)] = []
            if !ready.isEmpty {
                _ = try await broker.partitionCounts()  // fail fast, with one clear line, when the broker is away
                let outcomes = try await send(ready.map(\.2))
                for ((name, article, _), outcome) in zip(ready, outcomes) {
                    switch outcome {
                    case .success: published.append((article.articleId, name))
                    case .failure(let error): failures.append((name, "not published: \(error.reason) (\(error.name))"))
                    }
                }
            }
            for (id, name) in published {
                Terminal.out("\(id)  \(name)")
            }
            guard failures.isEmpty else {
                for (name, reason) in failures {
                    Terminal.error("\(name): \(reason)")
                }
                throw BrokerCommandError(.partial, "\(failures.count) of \(items.count) articles failed")
            }
        }
    }

    /// Reads every input into a checked raw article and its record.
    func collectItems() throws(BrokerCommandError) -> [Item] {
        var items: [Item] = []
        for input in inputs {
            if input == "-" && jsonl {
                switch readStandardInput(limit: nil) {
                case .success(let data): items += lines(of: data, named: "-")
                case .failure(let error): items.append(Item(name: "-", result: .failure(error)))
                }
            } else if input == "-" {
                let form: ArticleSubmission.Form = html ? .html : .text
                items.append(Item(name: "-", result: readStandardInput(limit: WireLimits.maxArticleBytes).flatMap { build($0, form: form) }))
            } else if Self.isJSONLines(input) {
                items += readJSONLines(input)
            } else if FileManager.default.isDirectory(input) {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: input).filter { !$0.hasPrefix(".") }.sorted()
                } catch {
                    items.append(Item(name: input, result: .failure(BrokerCommandError(.usage, "cannot list the folder: \(error.localizedDescription)"))))
                    continue
                }
                for name in names {
                    let path = (input as NSString).appendingPathComponent(name)
                    guard !FileManager.default.isDirectory(path) else { continue }
                    if Self.isJSONLines(path) {
                        items += readJSONLines(path)
                    } else {
                        items.append(readFile(path))
                    }
                }
            } else {
                items.append(readFile(input))
            }
        }
        guard !items.isEmpty else { throw BrokerCommandError(.usage, "no files to publish") }
        return items
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
    private func readJSONLines(_ path: String) -> [Item] {
        do {
            return lines(of: try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped), named: path)
        } catch {
            return [Item(name: path, result: .failure(BrokerCommandError(.usage, "cannot read the file: \(error.localizedDescription)")))]
        }
    }

    private func lines(of data: Data, named name: String) -> [Item] {
        var items: [Item] = []
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }) else { continue }
            items.append(Item(name: "\(name):\(number)", result: build(Data(line), form: .json)))
        }
        if items.isEmpty {
            items.append(Item(name: name, result: .failure(BrokerCommandError(.usage, "no JSON lines in the file"))))
        }
        return items
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

    private func build(_ data: Data, form: ArticleSubmission.Form) -> Result<(RawArticle, OutgoingMessage), BrokerCommandError> {
        let submission = ArticleSubmission(form: form, url: url, source: source, publishedAt: publishedAt)
        do {
            let article = try submission.article(from: data, receivedAt: Date())
            return .success((article, try ArticleRecord.message(for: article, topic: topic)))
        } catch {
            return .failure(BrokerCommandError(.usage, error.message))
        }
    }

    /// Sends every record at once, in batches of `KafkaProducer.send(_:)` (one delivery wait
    /// per batch, not one task per record); on a terminal, with many records, draws a progress
    /// line as batches finish. Returns each record's outcome, in order.
    private func send(_ messages: [OutgoingMessage]) async throws(BrokerCommandError) -> [Result<DeliveryReport, KafkaError>] {
        let producer = try broker.producer()
        let showProgress = Terminal.stdoutIsTerminal && messages.count >= 10
        let batchSize = max(1, messages.count / 100)
        let results = await withTaskGroup(of: SentBatch.self) { group in
            for start in stride(from: 0, to: messages.count, by: batchSize) {
                let batch = Array(messages[start..<min(start + batchSize, messages.count)])
                group.addTask {
                    // Bound to a local before the value is built: Swift 6.3.1 at -O drops a store
                    // into a task's result made before an `await` in the same expression (issue 18).
                    let outcomes = await producer.send(batch)
                    return SentBatch(start: start, outcomes: outcomes)
                }
            }
            var batches: [SentBatch] = []
            var done = 0
            for await sent in group {
                batches.append(sent)
                done += sent.outcomes.count
                if showProgress {
                    FileHandle.standardOutput.write(Data("\rpublishing \(done)/\(messages.count)".utf8))
                }
            }
            if showProgress {
                FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
            }
            return batches.sorted { $0.start < $1.start }.flatMap(\.outcomes)
        }
        await producer.close(timeout: .seconds(5))
        return results
    }

    /// The outcomes of one batch, and where the batch starts among all records.
    private struct SentBatch: Sendable {
        var start: Int
        var outcomes: [Result<DeliveryReport, KafkaError>]
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
