import Foundation
import QuotewireTestSupport
import Testing

/// Runs the built `quotewire` binary as a subprocess, the way a person would.
enum CLIRunner {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `quotewire` executable built beside this test bundle (`swift build --build-tests`
    /// builds both into the same folder).
    static func binary() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("quotewire")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        Issue.record("the quotewire binary is not built next to the tests (looked in \(candidates.map(\.path))); run swift build --build-tests")
        throw CocoaError(.fileNoSuchFile)
    }

    /// Runs `quotewire ARGS` with `QUOTEWIRE_BROKERS` pointing at the test broker, feeding it
    /// `stdin`, and returns its status and output.
    static func run(_ arguments: [String], stdin: Data? = nil, brokers: String = TestBroker.brokers) async throws -> Outcome {
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-cli-in-\(UUID().uuidString)")
        try (stdin ?? Data()).write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        let outcome = try await CommandRun.run(try binary(), arguments, environment: environment(brokers: brokers), standardInput: inputFile)
        return Outcome(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }

    /// Starts `quotewire ARGS` (against the test broker) and leaves it running, for commands that
    /// run until stopped.
    static func start(_ arguments: [String]) throws -> RunningCommand {
        try RunningCommand(try binary(), arguments, environment: environment(brokers: TestBroker.brokers))
    }

    /// This process's environment, with `QUOTEWIRE_BROKERS` set and librdkafka's log level left at the CLI's default.
    static func environment(brokers: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["QUOTEWIRE_BROKERS"] = brokers
        environment.removeValue(forKey: "QUOTEWIRE_LOG_LEVEL")
        return environment
    }

    /// Runs `quotewire ARGS` on a pseudo-terminal (util-linux `script`), so that both its
    /// standard output and standard error are a terminal. `stdout` holds everything the
    /// terminal received, both streams mixed, each LF turned into CRLF by the terminal.
    static func runOnATerminal(_ arguments: [String]) async throws -> Outcome {
        let command = try ([binary().path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
            .joined(separator: " ")
        let outcome = try await CommandRun.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["script", "--quiet", "--flush", "--return", "--command", command, "/dev/null"],
            environment: environment(brokers: TestBroker.brokers))
        return Outcome(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }
}
