import ChildProcesses
import Foundation
import QuotewireTestNeeds
import Testing

/// Children started through `ChildProcesses` die with the process that started them, whatever
/// the thread that asked for them does: `child-process-probe` starts `sleep 600` from a thread
/// that ends at once, and is then killed with SIGKILL (as a crashed test process would die).
@Suite(.needs(.processes), .timeLimit(.minutes(1))) struct ChildProcessesTests {
    static let probe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("child-process-probe")

    @Test func aChildOutlivesTheThreadThatStartedItAndDiesWithItsProcess() async throws {
        let output = Pipe()
        let probe = Process()
        probe.executableURL = Self.probe
        probe.standardOutput = output
        try probe.runTiedToThisProcess()
        defer { if probe.isRunning { kill(probe.processIdentifier, SIGKILL) } }

        var text = ""
        while !text.contains("started\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let sleeper = try #require(text.split(separator: "\n").first.flatMap { Int32($0) }, "the probe prints its child's pid: \(text)")
        // The parent-death signal is set by setpriv before it executes `sleep`: a parent killed
        // before that (the child's first moments) would leave the child running.
        let tied = await Self.eventually(within: .seconds(10)) { Self.command(of: sleeper) == "sleep" }
        #expect(tied, "the child became `sleep`: \(Self.command(of: sleeper) ?? "gone")")
        #expect(Self.isAlive(sleeper), "the child outlives the thread that started it")

        kill(probe.processIdentifier, SIGKILL)
        probe.waitUntilExit()
        #expect(await Self.eventually(within: .seconds(10)) { !Self.isAlive(sleeper) }, "the child dies with the process that started it")
        if Self.isAlive(sleeper) { kill(sleeper, SIGKILL) }
    }

    /// The command name of process `pid` (nil: no such process).
    static func command(of pid: Int32) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)).map { $0.trimmingCharacters(in: .newlines) }
    }

    /// Waits until `condition` holds or `limit` passes; returns whether it held.
    static func eventually(within limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return condition()
    }

    /// Whether `pid` is a process that has not ended (a zombie has ended: its parent died
    /// before reaping it, or has not reaped it yet).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }
}
