import Foundation

/// Starts child processes that the kernel kills (SIGKILL) when this process ends, however it
/// ends: a test run or a benchmark that crashes, or is killed, leaves no broker or service
/// running behind it.
///
/// The child's parent-death signal is set by util-linux's `setpriv --pdeathsig KILL`, which
/// then executes the program in the same process (same pid, same signals, same exit status).
/// Linux sends that signal when the *thread* that started the child ends, not the process, and
/// the threads that run Swift tasks end when they are idle for a few seconds; so every child is
/// started from one thread that lives as long as this process (``onSpawningThread(_:)``).
/// (A child whose parent dies in the moment before `setpriv` set the signal, before the program
/// itself runs, is not killed.)
public enum ChildProcesses {
    /// util-linux's `setpriv` (Debian's essential util-linux package).
    public static let setpriv = "/usr/bin/setpriv"

    /// The command line (program first) that runs `executable` with `arguments` as a child that
    /// dies with the process that starts it; start it within ``onSpawningThread(_:)``.
    public static func tied(_ executable: String, _ arguments: [String]) throws(ChildProcessError) -> [String] {
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw ChildProcessError(description: "\(setpriv) is missing (Debian package util-linux); it ties \(executable) to this process")
        }
        return [setpriv, "--pdeathsig", "KILL", "--", executable] + arguments
    }

    /// Runs `start`, which starts child processes, on the one thread that starts them all, and
    /// returns what it returns. Blocks the caller for as long as `start` runs.
    public static func onSpawningThread<T>(_ start: @escaping () throws -> T) throws -> T {
        try SpawningThread.shared.run(start)
    }
}

/// Why a child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension Process {
    /// Starts the process like `run()`, as a child that the kernel kills when this process ends
    /// (see ``ChildProcesses``). `processIdentifier`, `terminate()` and the termination status
    /// are the program's own.
    public func runTiedToThisProcess() throws {
        guard let executable = executableURL?.path else {
            throw ChildProcessError(description: "no executable to run")
        }
        let command = try ChildProcesses.tied(executable, arguments ?? [])
        executableURL = URL(fileURLWithPath: command[0])
        arguments = Array(command.dropFirst())
        try ChildProcesses.onSpawningThread { try self.run() }
    }
}

/// A thread that lives as long as the process and runs the jobs handed to it, one at a time.
private final class SpawningThread: @unchecked Sendable {
    static let shared = SpawningThread()

    /// A job and where its outcome goes; the caller waits for `done`, so nothing in it is used
    /// from two threads at once.
    private final class Job: @unchecked Sendable {
        let work: () -> Void
        let done = DispatchSemaphore(value: 0)
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []

    private init() {
        let thread = Thread { [self] in serve() }
        thread.name = "child-process-spawner"
        thread.start()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.work()
            job.done.signal()
        }
    }

    func run<T>(_ start: @escaping () throws -> T) throws -> T {
        var outcome: Result<T, any Error>?
        let job = Job { outcome = Result { try start() } }
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
        job.done.wait()
        guard let outcome else { throw ChildProcessError(description: "the spawning thread did not run the job") }
        return try outcome.get()
    }
}
