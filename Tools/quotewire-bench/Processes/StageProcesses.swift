import AsyncHTTPClient
import Foundation
import QuotewireIndex

#if canImport(Glibc)
import Glibc
#endif

/// quotewire-ingest, -parser and -indexer as child processes on free ports against one
/// broker, in fresh consumer groups, each logging to `WORK/NAME.log`. Ingest's bearer token
/// goes through the environment, so it is not in `ps`.
struct StageProcesses {
    let ingest: ChildProcess
    let parser: ChildProcess
    let indexer: ChildProcess
    let ports: (ingest: Int, parser: Int, indexer: Int)
    let token: String

    var all: [ChildProcess] { [ingest, parser, indexer] }
    var ingestURL: String { "http://127.0.0.1:\(ports.ingest)/v1/articles" }

    /// - Parameter groupPrefix: the consumer groups are `PREFIX-parser-TAG` and `PREFIX-indexer-TAG`.
    static func start(
        brokers: String, bin: String, work: String, index: IndexFolder, groupPrefix: String, supervisor: ChildSupervisor,
        announce: (ChildProcess) -> Void = { _ in }
    ) throws -> StageProcesses {
        let tag = String(UUID().uuidString.prefix(8).lowercased())
        let token = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        let ports = (ingest: try ServicePorts.free(), parser: try ServicePorts.free(), indexer: try ServicePorts.free())
        var environment = ProcessInfo.processInfo.environment
        environment["QUOTEWIRE_INGEST_TOKEN"] = token
        func start(_ name: String, _ arguments: [String]) throws -> ChildProcess {
            let child = try ChildProcess.spawn(
                name: name, executable: bin + "/" + name, arguments: ["--brokers", brokers] + arguments,
                environment: environment, logPath: work + "/\(name).log")
            supervisor.adopt(child)
            announce(child)
            return child
        }
        return StageProcesses(
            ingest: try start("quotewire-ingest", ["--port", String(ports.ingest)]),
            parser: try start("quotewire-parser", ["--port", String(ports.parser), "--group", "\(groupPrefix)-parser-\(tag)"]),
            indexer: try start("quotewire-indexer", ["--port", String(ports.indexer), "--group", "\(groupPrefix)-indexer-\(tag)",
                                                     "--index", index.url.path]),
            ports: ports, token: token)
    }

    /// Waits until each answers `/readyz` with 200.
    func waitUntilReady(client: HTTPClient) async throws {
        for (child, port) in zip(all, [ports.ingest, ports.parser, ports.indexer]) {
            try await quotewire_bench.waitUntilReady(child, url: "http://127.0.0.1:\(port)/readyz", client: client)
        }
    }

    /// Throws with the last lines of its log when one of them has exited.
    func checkAlive() throws {
        for child in all {
            if let exit = child.poll() {
                throw BenchError("\(child.name) exited (\(exit.description)) during the run; last log lines (\(child.logPath)):\n\(child.logTail())")
            }
        }
    }
}
