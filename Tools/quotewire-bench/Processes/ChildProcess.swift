import ChildProcesses
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended, from wait4(2).
struct ChildExit: Sendable {
    /// The raw wait status.
    var status: Int32
    /// User + system CPU seconds of the child (its own rusage, measured by the kernel).
    var cpuSeconds: Double
    // No ru_maxrss: posix_spawn starts the child in the parent's memory (vfork), and Linux
    // carries that high-water mark across exec, so it would report the benchmark's own RSS.
    var at: ContinuousClock.Instant

    var exitedNormally: Bool { status & 0x7f == 0 }
    var exitCode: Int32 { (status >> 8) & 0xff }
    var signal: Int32 { status & 0x7f }

    var description: String {
        exitedNormally ? "exit \(exitCode)" : "killed by signal \(signal)"
    }
}

/// A service started with posix_spawn: stdout and stderr appended to a log file, stdin
/// from /dev/null, SIGINT and SIGTERM at their default actions, killed by the kernel when the
/// benchmark ends however it ends (``ChildProcesses``). Reaped with wait4 so the kernel's CPU
/// and memory accounting for it can be reported.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let pid: pid_t
    let logPath: String
    let startedAt: ContinuousClock.Instant
    private let lock = NSLock()
    private var ended: ChildExit?

    private init(name: String, pid: pid_t, logPath: String, startedAt: ContinuousClock.Instant) {
        self.name = name
        self.pid = pid
        self.logPath = logPath
        self.startedAt = startedAt
    }

    static func spawn(
        name: String, executable: String, arguments: [String], environment: [String: String], logPath: String
    ) throws -> ChildProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchError("\(name): no executable at \(executable) (build it: swift build -c release --product \(name))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let command = try ChildProcesses.tied(executable, arguments)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        let startedAt = ContinuousClock.now
        let (result, pid) = try ChildProcesses.onSpawningThread {
            var pid: pid_t = 0
            return (posix_spawn(&pid, command[0], &actions, &attributes, argv, envp), pid)
        }
        guard result == 0 else {
            throw BenchError("\(name): cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(name: name, pid: pid, logPath: logPath, startedAt: startedAt)
    }

    /// The exit, once the child has ended (reaps it without blocking).
    func poll() -> ChildExit? {
        lock.withLock { reapLocked(options: WNOHANG) }
    }

    var isRunning: Bool { poll() == nil }

    private func reapLocked(options: Int32) -> ChildExit? {
        if let ended { return ended }
        var status: Int32 = 0
        var usage = rusage()
        let result = wait4(pid, &status, options, &usage)
        guard result == pid else { return nil }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        let exit = ChildExit(
            status: status, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), at: ContinuousClock.now)
        ended = exit
        return exit
    }

    /// Sends a signal unless the child has already been reaped (its pid may be reused).
    func send(_ signal: Int32) {
        lock.withLock {
            if reapLocked(options: WNOHANG) == nil { _ = kill(pid, signal) }
        }
    }

    /// SIGTERM, then waits for the exit (SIGKILL after `timeout`). Returns the exit and
    /// how long the child took to exit after SIGTERM.
    func stop(timeout: Duration) async -> (ChildExit, Duration, killed: Bool) {
        let sent = ContinuousClock.now
        send(SIGTERM)
        var killed = false
        while true {
            if let exit = poll() { return (exit, exit.at - sent, killed) }
            if !killed, ContinuousClock.now - sent > timeout {
                send(SIGKILL)
                killed = true
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// SIGKILL and a blocking reap; for error paths.
    func killNow() {
        lock.withLock {
            guard reapLocked(options: WNOHANG) == nil else { return }
            _ = kill(pid, SIGKILL)
            _ = reapLocked(options: 0)
        }
    }

    /// The last lines of the child's log, for error messages.
    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "(no log at \(logPath))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
