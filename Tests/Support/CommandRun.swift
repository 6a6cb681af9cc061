import Foundation

/// Runs an executable to its end, the way a person at a shell would, for tests of the CLI.
public enum CommandRun {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `executable` with `arguments` and returns its exit status, standard output and
    /// standard error. Both outputs go through files, so neither can fill a pipe and stall
    /// the command, and the wait does not hold a thread of the cooperative pool.
    /// - Parameters:
    ///   - environment: the whole environment (nil: this process's).
    ///   - standardInput: a file read as standard input (nil: none, end of input at once).
    ///   - stopAfter: sends SIGTERM after that long, for commands that run until stopped.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
        standardInput: URL? = nil, stopAfter: Duration? = nil
    ) async throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (outURL, errURL) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"))
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
        let input = try standardInput.map { try FileHandle(forReadingFrom: $0) }
        defer {
            try? out.close()
            try? err.close()
            try? input?.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input ?? FileHandle.nullDevice
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
        return Outcome(
            status: status,
            output: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            errors: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }
}
