import ChildProcesses
import Foundation
import QuoteParser
import QuotewireModels

/// The benchmark corpus: `{"id","text"}` lines from `make_corpus.py`, parsed into articles.
enum BenchCorpus {
    struct Line: Decodable {
        var id: String
        var text: String
    }

    /// Generates the corpus with the shared script unless `path` already exists.
    static func ensure(_ path: String, total: Int) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let shared = ProcessInfo.processInfo.environment["QUOTEWIRE_SHARED"] ?? "../shared"
        process.arguments = ["python3", shared + "/bench/make_corpus.py", "--total", String(total), "--out", path]
        try process.runTiedToThisProcess()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("make_corpus.py failed with status \(process.terminationStatus)")
        }
    }

    /// The corpus lines, the first `limit` of them.
    static func load(_ path: String, limit: Int = .max) throws -> [Line] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        var lines: [Line] = []
        for slice in data.split(separator: UInt8(ascii: "\n")) where !slice.isEmpty {
            guard lines.count < limit else { break }
            lines.append(try decoder.decode(Line.self, from: Data(slice)))
        }
        return lines
    }

    /// Parses every text with `QuoteParser` (spread over the cores); `idSuffix` makes new ids for repeats.
    static func parse(_ lines: [Line], idSuffix: String = "", receivedAt: Date) -> [ParsedArticle] {
        let parser = QuoteParser()
        let results = Mutexed(Array<ParsedArticle?>(repeating: nil, count: lines.count))
        let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var local: [(Int, ParsedArticle)] = []
            var index = chunk
            while index < lines.count {
                local.append((index, parser.parse(lines[index].text, articleId: lines[index].id + idSuffix,
                                                  receivedAt: receivedAt.addingTimeInterval(Double(index)))))
                index += chunks
            }
            results.update { all in for (i, article) in local { all[i] = article } }
        }
        return results.value.compactMap { $0 }
    }
}

/// A small lock-protected box for collecting results across threads.
final class Mutexed<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
