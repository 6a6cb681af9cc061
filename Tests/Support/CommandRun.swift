import ChildProcesses
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
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, standardInput: URL? = nil
    ) async throws -> Outcome {
        try await RunningCommand(executable, arguments, environment: environment, standardInput: standardInput).finish()
    }
}

/// A command left running, for commands that run until stopped (`quotewire quotes --follow`):
/// its output can be read while it runs, and ``stop()`` ends it with SIGTERM. Like every child
/// of the tests, it dies with the test process (``ChildProcesses``).
public final class RunningCommand: @unchecked Sendable {
    // Set up before the process starts and only read after: nothing here changes meanwhile.
    private let process = Process()
    private let scratch: URL
    private let outURL: URL
    private let errURL: URL
    private let handles: [FileHandle]
    private let exits: AsyncStream<Int32>

    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, standardInput: URL? = nil) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        (outURL, errURL) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"))
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
        let input = try standardInput.map { try FileHandle(forReadingFrom: $0) }
        handles = [out, err] + (input.map { [$0] } ?? [])

        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input ?? FileHandle.nullDevice
        let (exits, exited) = AsyncStream.makeStream(of: Int32.self)
        self.exits = exits
        process.terminationHandler = { finished in
            exited.yield(finished.terminationStatus)
            exited.finish()
        }
        do {
            try process.runTiedToThisProcess()
        } catch {
            process.terminationHandler = nil
            cleanUp()
            throw error
        }
    }

    /// Standard output so far.
    public var output: String { String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self) }

    /// Standard error so far.
    public var errors: String { String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self) }

    /// Waits until standard output satisfies `condition`, the command ends, or `limit` passes;
    /// returns whether the output satisfied it.
    public func waitForOutput(within limit: Duration = .seconds(30), until condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, process.isRunning {
            if condition(output) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition(output)
    }

    /// Waits for the command to end by itself and returns its outcome.
    public func finish() async -> CommandRun.Outcome {
        var status: Int32?
        for await exit in exits { status = exit }
        let outcome = CommandRun.Outcome(status: status ?? process.terminationStatus, output: output, errors: errors)
        cleanUp()
        return outcome
    }

    /// Sends SIGTERM (when it still runs), waits for the end and returns the outcome.
    public func stop() async -> CommandRun.Outcome {
        if process.isRunning { process.terminate() }
        return await finish()
    }

    deinit {
        if process.isRunning { process.terminate() }
        cleanUp()
    }

    private func cleanUp() {
        for handle in handles { try? handle.close() }
        try? FileManager.default.removeItem(at: scratch)
    }
}
