import Foundation
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
    /// `stdin`, and returns its status and output. With `stopAfter`, the process is sent
    /// SIGTERM after that long (for commands that run until stopped).
    static func run(
        _ arguments: [String], stdin: Data? = nil, brokers: String = IngestTestBroker.brokers, stopAfter: Duration? = nil
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["QUOTEWIRE_BROKERS"] = brokers
        environment.removeValue(forKey: "QUOTEWIRE_LOG_LEVEL")
        process.environment = environment
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (outURL, errURL, inURL) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"),
                                       scratch.appendingPathComponent("in"))
        try (stdin ?? Data()).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let (out, err, input) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL),
                                 try FileHandle(forReadingFrom: inURL))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let stopper = Task {
            guard let stopAfter else { return }
            try await Task.sleep(for: stopAfter)
            if process.isRunning { process.terminate() }
        }
        defer { stopper.cancel() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? out.close()
        try? err.close()
        try? input.close()
        return Outcome(
            status: status,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }
}
