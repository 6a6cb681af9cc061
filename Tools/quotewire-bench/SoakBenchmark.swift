import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuotewireIndex

/// `quotewire-bench soak`: many articles posted to the real ingest at a steady rate and carried
/// by the real parser and indexer processes, reporting each service's RSS over time, the
/// consumer lag of the two stages and the end-to-end count. Fails (exit 1) when an article is
/// missing or indexed twice, or a service's RSS grows more than the tolerance after warm-up.
struct SoakBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "A long steady stream through ingest, parser and indexer: RSS over time, lag, end-to-end count.",
        discussion: """
            Starts quotewire-ingest, quotewire-parser and quotewire-indexer (found beside this executable) on free ports \
            against --brokers, which should be a fresh broker (make soak starts one). Article texts come from --corpus \
            when that file exists, else from the sample pages in --samples; each copy gets a unique closing sentence, \
            so every article is new.
            """)

    @OptionGroup var run: ServiceRunOptions

    @Option(help: "Articles to send.")
    var articles: Int = 100_000

    @Option(help: "Articles per second, held steady.")
    var rate: Double = 200

    @Option(help: "The most POSTs in flight at once.")
    var concurrency: Int = 16

    @Option(help: "Seconds between samples of RSS, lag and counts.")
    var interval: Double = 10

    @Option(help: "Warm-up lasts until this share of the articles is indexed (by count, so a slower machine warms up as far).")
    var warmUp: Double = 0.25

    @Option(help: "The largest growth of a service's RSS after warm-up, as a fraction of its RSS at the end of warm-up.")
    var tolerance: Double = 0.2

    @Option(help: "A JSON-lines corpus of {\"id\",\"text\"} (used when the file exists).")
    var corpus: String = "data/bench/corpus.jsonl"

    @Option(help: "The project's sample pages, used when there is no corpus.")
    var samples: String = "samples"

    @Option(help: "Working folder (emptied first): the index folder and the services' logs.")
    var work: String = "data/soak"

    func validate() throws {
        guard articles > 0, rate > 0, interval > 0, run.stallSeconds > 0, concurrency > 0 else { throw ValidationError("counts and rates must be positive") }
        guard (0..<1).contains(warmUp), tolerance > 0 else { throw ValidationError("--warm-up is in [0, 1), --tolerance positive") }
    }

    func run() async throws {
        let supervisor = ChildSupervisor()
        supervisor.installSignalHandlers()
        defer { supervisor.killAll() }
        let texts = try articleTexts()
        say("soak: \(articles) articles at \(format(rate, 0))/s from \(texts.count) texts; sample every \(format(interval, 0)) s; "
              + "load average \(ProcFS.loadAverage())")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency + 4)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let outcome: Result<Verdict, any Error>
        do {
            outcome = .success(try await soak(texts: texts, client: client, supervisor: supervisor))
        } catch {
            outcome = .failure(error)
        }
        supervisor.killAll()
        try? await client.shutdown()
        let verdict = try outcome.get()
        if !verdict.failures.isEmpty {
            for failure in verdict.failures { say("FAILED: \(failure)") }
            throw ExitCode(1)
        }
        say("soak passed")
    }

    private func articleTexts() throws -> [String] {
        if FileManager.default.fileExists(atPath: corpus) {
            let lines = try BenchCorpus.load(corpus, limit: articles)
            if !lines.isEmpty { return lines.map(\.text) }
        }
        let folder = URL(fileURLWithPath: samples)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { ["txt", "html"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let texts = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        guard !texts.isEmpty else { throw BenchError("no corpus at \(corpus) and no sample pages in \(samples)") }
        return texts
    }

    // MARK: The run

    private struct Verdict {
        var failures: [String]
    }

    /// One row of the report.
    private struct Sample {
        var elapsed: Duration
        var accepted: Int
        var indexed: Int
        var parserLag: Int?
        var indexerLag: Int?
        var rssKilobytes: [pid_t: Int]
    }

    private struct Sent: Sendable {
        var ids: [String] = []
        var rejected = 0
        var firstRejection: String?
        var done = false
    }

    private func soak(texts: [String], client: HTTPClient, supervisor: ChildSupervisor) async throws -> Verdict {
        let tag = String(UUID().uuidString.prefix(8).lowercased())
        let folder = IndexFolder(path: work + "/index")
        let stages = try StageProcesses.start(
            brokers: run.brokers, bin: run.binDir ?? ServiceBinaries.folder(), work: work, index: folder, groupPrefix: "soak",
            supervisor: supervisor)
        try await stages.waitUntilReady(client: client)
        let (services, ports, token) = (stages.all, stages.ports, stages.token)
        let watched = services.map(\.pid) + (run.brokerPid.map { [$0] } ?? [])
        func name(_ pid: pid_t) -> String { services.first { $0.pid == pid }?.name ?? "broker" }

        let url = stages.ingestURL
        let sent = Mutexed(Sent())
        let (rate, count) = (self.rate, articles)
        let start = ContinuousClock.now
        let concurrency = self.concurrency
        let sending = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for index in 0..<count {
                    try await Task.sleep(until: start + .seconds(Double(index) / rate), clock: .continuous)
                    if inFlight == concurrency {
                        try await group.next()  // ingest is behind: the rate drops rather than requests piling up
                        inFlight -= 1
                    }
                    let text = texts[index % texts.count] + "\n\nSoak marker \(tag) number \(index) closes this copy."
                    inFlight += 1
                    group.addTask {
                        let result = try await IngestPost.send(
                            Data(text.utf8), contentType: "text/plain; charset=utf-8", url: url, token: token, client: client)
                        sent.update { sent in
                            switch result.answer {
                            case .accepted(let id): sent.ids.append(id)
                            case .rejected(let reason):
                                sent.rejected += 1
                                if sent.firstRejection == nil { sent.firstRejection = reason }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            sent.update { $0.done = true }
        }
        defer { sending.cancel() }

        let watcher = ShardWatcher(folder: folder)
        defer { watcher.close() }
        var samples: [Sample] = []
        var header = "| elapsed s | accepted | indexed | parser lag | indexer lag |"
        for pid in watched { header += " \(name(pid)) RSS MB |" }
        say(header)
        say(String(repeating: "| --- ", count: 5 + watched.count) + "|")
        var nextSample = start
        var lastIndexed = -1
        var lastProgress = ContinuousClock.now
        var finished = false
        var sendSpan = Duration.zero
        while true {
            try stages.checkAlive()
            let snapshot = sent.value
            if snapshot.done, !finished {
                try await sending.value  // rethrows a failed POST
                finished = true
                sendSpan = ContinuousClock.now - start
            }
            let indexed = watcher.count()
            let now = ContinuousClock.now
            if indexed != lastIndexed { lastProgress = now; lastIndexed = indexed }
            let caughtUp = finished && indexed >= Set(snapshot.ids).count
            if now >= nextSample || caughtUp {
                var rss: [pid_t: Int] = [:]
                for pid in watched { rss[pid] = ProcFS.memory(of: pid)?.rssKilobytes ?? 0 }
                let sample = Sample(
                    elapsed: now - start, accepted: snapshot.ids.count, indexed: indexed,
                    parserLag: await Self.lag(port: ports.parser, client: client),
                    indexerLag: await Self.lag(port: ports.indexer, client: client), rssKilobytes: rss)
                samples.append(sample)
                var row = "| \(format(sample.elapsed.seconds, 0)) | \(sample.accepted) | \(sample.indexed) | "
                    + "\(sample.parserLag.map(String.init) ?? "-") | \(sample.indexerLag.map(String.init) ?? "-") |"
                for pid in watched { row += " \(megabytes(rss[pid] ?? 0)) |" }
                say(row)
                nextSample = now + .seconds(interval)
            }
            if caughtUp { break }
            if now - lastProgress > .seconds(run.stallSeconds) {
                throw BenchError("no progress for \(run.stallSeconds) s: \(indexed) indexed, \(snapshot.ids.count) accepted; logs in \(work)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(2))  // a copy indexed twice would show up now
        let ended = ContinuousClock.now - start
        let snapshot = sent.value
        let accepted = Set(snapshot.ids)
        let indexedRows = watcher.count()
        let indexedIds = watcher.allArticleIds()

        var failures: [String] = []
        say("")
        say("## Soak: \(count) articles at \(format(rate, 0))/s, all searchable after \(format(ended.seconds, 0)) s "
              + "(\(format(Double(accepted.count) / ended.seconds, 0)) articles/s)")
        say("  sent over \(format(sendSpan.seconds, 0)) s: \(format(Double(count) / max(sendSpan.seconds, 1e-9), 1)) articles/s "
              + "(asked \(format(rate, 0))/s; lower means ingest could not keep up with \(concurrency) POSTs in flight)")
        say("  accepted by ingest: \(snapshot.ids.count) (\(accepted.count) distinct); rejected: \(snapshot.rejected)"
              + (snapshot.firstRejection.map { " (first: \($0))" } ?? ""))
        say("  indexed: \(indexedRows) rows, \(indexedIds.count) distinct ids")
        if snapshot.rejected > 0 { failures.append("ingest rejected \(snapshot.rejected) articles: \(snapshot.firstRejection ?? "?")") }
        let missing = accepted.subtracting(indexedIds)
        if !missing.isEmpty { failures.append("\(missing.count) accepted articles not indexed, e.g. \(missing.prefix(3).joined(separator: ", "))") }
        if indexedRows != indexedIds.count { failures.append("\(indexedRows - indexedIds.count) articles indexed twice") }
        if indexedIds.count != accepted.count { failures.append("the index holds \(indexedIds.count) articles for \(accepted.count) accepted") }

        // RSS after warm-up: the largest sample against the last warm-up sample.
        let warmUpArticles = Int(Double(count) * warmUp)
        let before = samples.filter { $0.indexed < warmUpArticles }
        let after = samples.filter { $0.indexed >= warmUpArticles }
        let warmUpEnd = after.first?.elapsed ?? ended
        say("  RSS after warm-up (until \(warmUpArticles) indexed, \(format(warmUpEnd.seconds, 0)) s), largest sample against the last warm-up sample "
              + "(tolerance +\(format(tolerance * 100, 0))%):")
        for pid in watched {
            guard let base = before.last?.rssKilobytes[pid], base > 0, let peak = after.compactMap({ $0.rssKilobytes[pid] }).max() else {
                say("    \(name(pid)): too few samples to judge")
                continue
            }
            let growth = Double(peak - base) / Double(base)
            let judged = pid != run.brokerPid
            let verdict = !judged ? "not judged" : growth <= tolerance ? "flat" : "GROWS"
            say("    \(name(pid)): \(megabytes(base)) MB -> peak \(megabytes(peak)) MB (\(growth >= 0 ? "+" : "")\(format(growth * 100, 1))%) \(verdict)")
            if judged, growth > tolerance {
                failures.append("\(name(pid)) RSS grew \(format(growth * 100, 1))% after warm-up (\(megabytes(base)) -> \(megabytes(peak)) MB)")
            }
        }
        let maxLag = samples.map { ($0.parserLag ?? 0, $0.indexerLag ?? 0) }
        say("  largest consumer lag seen: parser \(maxLag.map(\.0).max() ?? 0), indexer \(maxLag.map(\.1).max() ?? 0) records")

        for child in services {
            let (exit, time, killed) = await child.stop(timeout: .seconds(30))
            if !exit.exitedNormally || exit.exitCode != 0 || killed {
                failures.append("\(child.name) did not exit cleanly on SIGTERM: \(exit.description) after \(format(time.seconds, 1)) s")
            }
        }
        return Verdict(failures: failures)
    }

    // MARK: Metrics

    /// The stage's total consumer lag from its `/metrics` (nil while it has no figure).
    private static func lag(port: Int, client: HTTPClient) async -> Int? {
        guard let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(5)),
              let body = try? await response.body.collect(upTo: 8 * 1024 * 1024) else { return nil }
        var total: Double?
        for line in String(buffer: body).split(separator: "\n") where line.hasPrefix("quotewire_consumer_lag{") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total = (total ?? 0) + max(0, value) }
        }
        return total.map { Int($0) }
    }
}

/// Writes a line to standard output at once (print is block-buffered into a pipe), so the
/// soak's rows appear as they are sampled.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
