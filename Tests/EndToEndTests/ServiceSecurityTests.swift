import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuotewireTestNeeds
import Testing

/// The built executables' security settings, as an operator starts them: ingest does not run
/// open, and the query service honours the token it is given through its environment.
@Suite(.needs(.processes), .timeLimit(.minutes(3))) struct ServiceSecurityTests {
    /// Starts an executable with `arguments` and `environment` (added to a copy of this
    /// process's, without any QUOTEWIRE_* setting), its output in `log`.
    static func launch(_ name: String, _ arguments: [String], environment extra: [String: String] = [:], log: URL) throws -> Process {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUOTEWIRE_") }
        environment.merge(extra) { $1 }
        return try Pipeline.launch(name, arguments, environment: environment, log: log)
    }

    /// Waits (without holding a thread) until the process exits or `limit` passes.
    static func exitStatus(_ process: Process, within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    @Test(arguments: [[String](), ["--token", "   "], ["--token-file", "/nonexistent/quotewire-token"]])
    func ingestRefusesToStartWithoutAToken(_ tokenArguments: [String]) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-security-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("ingest.log")
        let process = try Self.launch("quotewire-ingest", ["--brokers", Pipeline.brokers, "--port", "0"] + tokenArguments, log: log)
        let status = await Self.exitStatus(process, within: .seconds(20))
        #expect(status != nil && status != 0, "ingest with \(tokenArguments) must not run; status \(status.map(String.init) ?? "still running")")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(output.localizedCaseInsensitiveContains("token"), "it says why: \(output.suffix(500))")
    }

    @Test func theQueryServiceHonoursItsTokenFromTheEnvironment() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-security-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("index"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Pipeline.freePort()
        let token = "query-\(UUID().uuidString)"
        let process = try Self.launch("quotewire-query", ["--port", String(port), "--web-port", "0"],
                                      environment: ["QUOTEWIRE_QUERY_TOKEN": token, "QUOTEWIRE_INDEX": folder.appendingPathComponent("index").path],
                                      log: folder.appendingPathComponent("query.log"))
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        func status(_ path: String, _ authorization: String?) async -> Int? {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            if let authorization { request.headers.add(name: "Authorization", value: authorization) }
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)) else { return nil }
            _ = try? await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while await status("/healthz", nil) != 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await status("/healthz", nil) == 200, "probes stay open")
        #expect(await status("/v1/speakers", nil) == 401)
        #expect(await status("/v1/speakers", "Bearer wrong") == 401)
        #expect(await status("/v1/speakers", "Bearer \(token)") == 200)
        #expect(await status("/v1/articles/..%2F..%2Fetc%2Fpasswd", "Bearer \(token)") == 400)
    }
}
