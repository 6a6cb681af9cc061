import AsyncHTTPClient
import ChildProcesses
import Foundation
import NIOCore
import NIOHTTP1
import QuotewireIndex
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Synchronization
import Testing

/// The broker going away under the running pipeline, on a private broker of its own (the
/// shared test broker must not be stopped under other tests):
/// - frozen with SIGSTOP for 30 s mid-stream, then SIGCONT: ingest answers 503 with
///   `Retry-After` while it is away (no request hangs), every service carries on without a
///   restart, and every article ingest accepted is indexed, exactly once;
/// - absent when the services start: they wait, say so in their logs, and work once it
///   appears.
@Suite(.needs(.broker, .processes, .time), .serialized, .timeLimit(.minutes(8))) struct BrokerOutageTests {
    static let outage: Duration = .seconds(Int(ProcessInfo.processInfo.environment["QUOTEWIRE_OUTAGE_SECONDS"] ?? "") ?? 30)

    @Test func aFrozenBrokerIsRiddenOutWithoutLossOrRestart() async throws {
        let broker = try PrivateBroker()
        defer { broker.stop() }
        let services = try await OutageServices(brokers: broker.address)
        defer { services.stopAll() }
        let pids = services.pids

        let outcomes = PostOutcomes()
        let freezeAt = ContinuousClock.now + .seconds(5)
        let thawAt = freezeAt + Self.outage
        let stopPostingAt = thawAt + .seconds(10)
        // Posts go on 10 s past the thaw, and until ingest took one sent after the thaw (at most a minute).
        let poster = Task {
            var n = 0
            while ContinuousClock.now < stopPostingAt
                || (outcomes.acceptedSentAfter(thawAt) == 0 && ContinuousClock.now < thawAt + .seconds(60)) {
                let posted = ContinuousClock.now
                let (status, id) = await services.ingest("Outage Wire - Report \(n)\n\n\"The lights are on again,\" said engineer Mira Holt in report \(n).")
                outcomes.record(status: status, sent: posted, took: ContinuousClock.now - posted, id: id)
                n += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await Task.sleep(until: freezeAt)
        broker.signal(SIGSTOP)
        try await Task.sleep(until: thawAt)
        broker.signal(SIGCONT)
        try await poster.value

        let accepted = outcomes.accepted
        #expect(outcomes.refusedWith503 > 0, "ingest answered 503 while the broker was away")
        #expect(outcomes.other.isEmpty, "only 202 or 503: \(outcomes.other)")
        #expect(outcomes.longest < .seconds(15), "no request hangs: the longest took \(outcomes.longest)")
        #expect(accepted.count > 0)
        #expect(outcomes.acceptedSentAfter(thawAt) > 0, "ingest takes articles again once the broker is back")

        // A request answered 503 may still have reached the broker (the client would retry it
        // with the same id), so the index may hold more than was accepted, never less.
        let indexed = await services.waitForIndexed(accepted.count, within: .seconds(150))
        #expect(indexed >= accepted.count, "accepted articles indexed: \(indexed) of \(accepted.count); logs in \(services.folder.path)")
        let missing = await services.missing(accepted)
        #expect(missing.isEmpty, "every accepted article is in the index; missing \(missing.count): \(missing.prefix(5))")
        #expect(!services.log("quotewire-indexer").contains("log was reset"), "the outage is not mistaken for a log reset")
        #expect(services.pids == pids, "no service restarted or died")
        let statuses = try await services.stopOnceIndexed()
        #expect(statuses.allSatisfy { $0 == 0 }, "each service still exits cleanly: \(statuses)")
        // Exactly once: each indexed article (accepted, or answered 503 and published anyway) with
        // one row, one full-text row, its one quotation, counted once for Mira Holt.
        let published = IndexCensus.Published(articles: Dictionary(accepted.map { ($0, ["Mira Holt"] as [String?]) }, uniquingKeysWith: { first, _ in first }),
                                               others: ["Mira Holt"])
        let problems = try IndexCensus.problems(indexPath: services.folder.appendingPathComponent("index").path, published: published)
        #expect(problems.isEmpty, "each article once: \(problems.prefix(5)) (\(problems.count) in all)")
    }

    @Test func servicesStartedBeforeTheBrokerWaitThenWork() async throws {
        let broker = try PrivateBroker(start: false)
        defer { broker.stop() }
        let services = try await OutageServices(brokers: broker.address, waitForReady: false)
        defer { services.stopAll() }
        // Each attempt waits up to 5 s for the broker's metadata before it logs and backs off; a
        // stage that tried twice and still runs did not give up when its first attempt failed.
        func triedTwice() -> Bool {
            ["quotewire-parser", "quotewire-indexer"].allSatisfy {
                services.log($0).components(separatedBy: "broker not reachable yet, retrying").count > 2
            }
        }
        #expect(await eventually(within: .seconds(40)) { triedTwice() }, "the stages say they are waiting, and try again")
        #expect(services.log("quotewire-ingest").contains("broker not reachable"), "ingest says it is waiting too")
        #expect(services.pids.count == 4 && services.allRunning, "nobody gives up while the broker is missing")

        try broker.start()
        try await services.waitUntilReady()
        #expect(await services.ingest("Late Wire - Dawn\n\n\"We waited for the broker,\" said operator Teo Lind.").status == 202)
        #expect(await services.waitForIndexed(1, within: .seconds(60)) == 1)
        #expect(services.stopAll().allSatisfy { $0 == 0 })
    }
}

/// A Tansu broker of the test's own on a free port (the executable `scripts/setup.sh`
/// installs), run as a child process so the test can freeze and thaw it. The services
/// create the pipeline topics themselves when they find them missing.
final class PrivateBroker: Sendable {
    static let tansu = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("tools/bin/tansu")
    let port = Pipeline.freePort()
    private let process = Mutex<Process?>(nil)

    var address: String { "127.0.0.1:\(port)" }

    init(start: Bool = true) throws {
        if start { try self.start() }
    }

    func start() throws {
        let broker = Process()
        broker.executableURL = Self.tansu
        broker.arguments = ["broker", "--listener-url", "tcp://\(address)", "--advertised-listener-url", "tcp://\(address)"]
        broker.standardOutput = FileHandle.nullDevice
        broker.standardError = FileHandle.nullDevice
        try broker.runTiedToThisProcess()
        process.withLock { $0 = broker }
        for _ in 0..<100 where !answers() { usleep(100_000) }
        guard answers() else { throw Pipeline.PipelineError(description: "the private broker never answered on \(address)") }
    }

    func signal(_ signal: Int32) {
        guard let pid = process.withLock({ $0?.processIdentifier }) else { return }
        kill(pid, signal)
    }

    func stop() {
        guard let broker = process.withLock({ $0 }) else { return }
        // Tansu does not stop on SIGTERM, and its store is memory only: nothing to lose.
        kill(broker.processIdentifier, SIGKILL)
        broker.waitUntilExit()
    }

    /// Whether a TCP connection to the broker's port succeeds.
    private func answers() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Ingest, parser, indexer and query on the pipeline's default topics of one broker.
final class OutageServices: Sendable {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-outage-\(UUID().uuidString.prefix(8))")
    let token = "outage-\(UUID().uuidString)"
    let ingestPort = Pipeline.freePort()
    let brokers: String
    private let processes: [String: Process]

    init(brokers: String, waitForReady: Bool = true) async throws {
        self.brokers = brokers
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let index = folder.appendingPathComponent("index").path
        let common = ["--brokers", brokers, "--log-level", "info", "--port", "0"]
        var started: [String: Process] = [:]
        for (name, arguments) in [
            ("quotewire-parser", common),
            ("quotewire-indexer", common + ["--index", index, "--batch-records", "200"]),
            ("quotewire-query", ["--index", index, "--port", "0", "--web-port", "0"]),
            ("quotewire-ingest", ["--brokers", brokers, "--log-level", "info", "--token", token, "--port", String(ingestPort)]),
        ] {
            started[name] = try Pipeline.launch(name, arguments, log: folder.appendingPathComponent("\(name).log"))
        }
        processes = started
        if waitForReady { try await waitUntilReady() }
    }

    var pids: [String: Int32] { processes.mapValues(\.processIdentifier) }
    var allRunning: Bool { processes.values.allSatisfy(\.isRunning) }

    func log(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    /// Waits until ingest answers `/readyz` (it is ready once it reached the broker).
    func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(ingestPort)/readyz")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Pipeline.PipelineError(description: "ingest never became ready; logs in \(folder.path)")
    }

    /// Posts a text article and returns the HTTP status (0 when the request itself failed)
    /// and, when accepted, the article id.
    func ingest(_ text: String) async -> (status: Int, id: String?) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(ingestPort)/v1/articles")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(string: text))
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) else { return (0, nil) }
        if response.status.code == 503 {
            #expect(response.headers.first(name: "Retry-After") != nil, "a 503 says when to come back")
        }
        let body = try? await response.body.collect(upTo: 64 * 1024)
        let id = body.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.readableBytesView)) }?["articleId"]
        return (Int(response.status.code), id)
    }

    /// The ids not found in the index.
    func missing(_ ids: [String]) async -> [String] {
        let reader = IndexReader(folder: IndexFolder(path: folder.appendingPathComponent("index").path))
        var missing: [String] = []
        for id in ids where (try? await reader.article(id: id)) == nil { missing.append(id) }
        return missing
    }

    func waitForIndexed(_ count: Int, within limit: Duration) async -> Int {
        let folder = IndexFolder(path: folder.appendingPathComponent("index").path)
        let deadline = ContinuousClock.now + limit
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = (try? await IndexReader(folder: folder).counts().articles) ?? 0
            if seen >= count { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return seen
    }

    /// Stops ingest and the parser (SIGTERM: the parser finishes and publishes what it holds),
    /// waits until the indexer has indexed everything on the parsed topic, copies included, then
    /// stops the rest: what the index holds then is final, for ``IndexCensus``. Returns every
    /// service's exit status.
    func stopOnceIndexed() async throws -> [Int32] {
        for name in ["quotewire-ingest", "quotewire-parser"] {
            guard let process = processes[name], process.isRunning else { continue }
            process.terminate()
            process.waitUntilExit()
        }
        let indexing: Result<Void, any Error>
        do {
            try await TopicProgress.waitUntilIndexedToTheEnd(of: Topics.quotesParsed, brokers: brokers,
                                                             indexPath: folder.appendingPathComponent("index").path)
            indexing = .success(())
        } catch {
            indexing = .failure(error)
        }
        let statuses = stopAll()
        try indexing.get()
        return statuses
    }

    /// SIGTERM to every process still running; returns their exit statuses.
    @discardableResult
    func stopAll() -> [Int32] {
        for process in processes.values where process.isRunning { process.terminate() }
        return processes.values.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}

/// What ingest answered, request by request.
final class PostOutcomes: Sendable {
    private struct State {
        var accepted: [String] = []
        var acceptedAt: [ContinuousClock.Instant] = []
        var refused = 0
        var other: [Int] = []
        var longest: Duration = .zero
    }
    private let state = Mutex(State())

    func record(status: Int, sent: ContinuousClock.Instant, took: Duration, id: String?) {
        state.withLock { state in
            switch (status, id) {
            case (202, let id?):
                state.accepted.append(id)
                state.acceptedAt.append(sent)
            case (503, _): state.refused += 1
            default: state.other.append(status)
            }
            state.longest = max(state.longest, took)
        }
    }

    var accepted: [String] { state.withLock { $0.accepted } }
    /// How many accepted posts were sent after `instant`.
    func acceptedSentAfter(_ instant: ContinuousClock.Instant) -> Int { state.withLock { $0.acceptedAt.filter { $0 > instant }.count } }
    var refusedWith503: Int { state.withLock { $0.refused } }
    var other: [Int] { state.withLock { $0.other } }
    var longest: Duration { state.withLock { $0.longest } }
}
