import AsyncHTTPClient
import Dispatch
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import QuotewireIndex

#if canImport(Glibc)
import Glibc
#endif

// Helpers for the benchmarks that run the real service executables as child processes:
// spawning and stopping them, reading their memory and CPU from /proc, free ports,
// readiness, and watching the index shards fill up.

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
/// from /dev/null, SIGINT and SIGTERM at their default actions. Reaped with wait4 so the
/// kernel's CPU and memory accounting for it can be reported.
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

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let startedAt = ContinuousClock.now
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
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

/// Every child of a run: killed on every exit path (the run's `defer`, and SIGINT/SIGTERM
/// to the benchmark itself).
final class ChildSupervisor: @unchecked Sendable {
    private let lock = NSLock()
    private var children: [ChildProcess] = []
    private var sources: [any DispatchSourceSignal] = []

    init() {}

    func adopt(_ child: ChildProcess) {
        lock.withLock { children.append(child) }
    }

    /// Kills whatever is still running.
    func killAll() {
        for child in lock.withLock({ children }) where child.isRunning {
            FileHandle.standardError.write(Data("quotewire-bench: killing \(child.name) (pid \(child.pid))\n".utf8))
            child.killNow()
        }
    }

    /// On SIGINT or SIGTERM to the benchmark: kill the children, then exit.
    func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                killAll()
                Foundation.exit(128 + sig)
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}

/// /proc readings for a process.
enum ProcFS {
    struct Memory: Sendable {
        /// Resident set size now, kilobytes.
        var rssKilobytes: Int
        /// The peak resident set size ("high water mark"), kilobytes.
        var hwmKilobytes: Int
    }

    static func memory(of pid: pid_t) -> Memory? {
        guard let text = read("/proc/\(pid)/status") else { return nil }
        var memory = Memory(rssKilobytes: 0, hwmKilobytes: 0)
        var found = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                memory.rssKilobytes = kilobytes(line)
                found = true
            } else if line.hasPrefix("VmHWM:") {
                memory.hwmKilobytes = kilobytes(line)
            }
        }
        return found ? memory : nil
    }

    /// User + system CPU seconds the process has used so far (/proc/PID/stat utime + stime).
    static func cpuSeconds(of pid: pid_t) -> Double? {
        guard let text = read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after "pid (comm)": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / (ticks > 0 ? ticks : 100)
    }

    /// The 1, 5 and 15 minute load averages.
    static func loadAverage() -> String {
        guard let text = read("/proc/loadavg") else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    private static func kilobytes(_ line: Substring) -> Int {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
    }

    /// Reads a whole /proc file (their stat size is 0, so read until EOF).
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Samples the resident set size of some processes every `interval` and keeps each peak.
final class RSSSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peaks: [pid_t: Int] = [:]
    private var task: Task<Void, Never>?

    func start(_ pids: [pid_t], interval: Duration = .milliseconds(50)) {
        task = Task.detached { [self] in
            while !Task.isCancelled {
                sample(pids)
                try? await Task.sleep(for: interval)
            }
        }
    }

    func sample(_ pids: [pid_t]) {
        for pid in pids {
            guard let memory = ProcFS.memory(of: pid) else { continue }
            lock.withLock { peaks[pid] = max(peaks[pid] ?? 0, memory.rssKilobytes) }
        }
    }

    func stop() {
        task?.cancel()
    }

    /// The largest VmRSS sampled, kilobytes.
    func peak(_ pid: pid_t) -> Int { lock.withLock { peaks[pid] ?? 0 } }
}

enum ServicePorts {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchError("cannot bind a socket to find a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw BenchError("cannot read the port of a socket") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

enum ServiceBinaries {
    /// The folder the running quotewire-bench executable is in (the services sit beside it).
    static func folder() -> String {
        let resolved = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if resolved.path != "/proc/self/exe" { return resolved.deletingLastPathComponent().path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }
}

/// Polls `GET url` until it answers 200, the child exits, or `timeout` passes.
func waitUntilReady(_ child: ChildProcess, url: String, client: HTTPClient, timeout: Duration = .seconds(60)) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastProblem = "no answer yet"
    while ContinuousClock.now < deadline {
        if let exit = child.poll() {
            throw BenchError("\(child.name) exited (\(exit.description)) before it was ready; last log lines (\(child.logPath)):\n\(child.logTail())")
        }
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 64 * 1024)
            if response.status.code == 200 { return }
            lastProblem = "HTTP \(response.status.code)"
        } catch {
            lastProblem = "\(error)"
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw BenchError("\(child.name) was not ready within \(timeout) (\(url): \(lastProblem)); last log lines (\(child.logPath)):\n\(child.logTail())")
}

/// Read-only views of the shard files a running indexer writes: article counts and
/// newly indexed article ids. Shard files may not exist yet, or exist without their
/// schema; such shards count as empty until they can be read. Use it from one task at a time.
final class ShardWatcher: @unchecked Sendable {
    let folder: IndexFolder
    private var queues: [Int: DatabaseQueue] = [:]
    private var lastRid: [Int: Int64] = [:]

    init(folder: IndexFolder) {
        self.folder = folder
    }

    private func queue(_ partition: Int, _ url: URL) -> DatabaseQueue? {
        if let queue = queues[partition] { return queue }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(1)
        guard let queue = try? DatabaseQueue(path: url.path, configuration: configuration) else { return nil }
        queues[partition] = queue
        return queue
    }

    private func shards() -> [(Int, URL)] {
        ((try? folder.shardFiles()) ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Rows in the article table over all shards.
    func count() -> Int {
        var total = 0
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            do {
                total += try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0 }
            } catch {
                queues[partition] = nil  // not ready yet (no schema); reopen next time
            }
        }
        return total
    }

    /// Remembers the current last row of each shard, so ``newArticleIds()`` reports only later rows.
    func markCurrent() {
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            lastRid[partition] = (try? queue.read { db in try Int64.fetchOne(db, sql: "SELECT max(rid) FROM article") }) ?? 0
        }
    }

    /// Article ids indexed since the last call (or ``markCurrent()``).
    func newArticleIds() -> [String] {
        var ids: [String] = []
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            let after = lastRid[partition] ?? 0
            do {
                let rows = try queue.read { db in
                    try Row.fetchAll(db, sql: "SELECT rid, articleId FROM article WHERE rid > ? ORDER BY rid", arguments: [after])
                }
                for row in rows {
                    ids.append(row["articleId"])
                    lastRid[partition] = row["rid"]
                }
            } catch {
                queues[partition] = nil
            }
        }
        return ids
    }

    /// Every article id in the shards.
    func allArticleIds() -> Set<String> {
        var ids = Set<String>()
        for (partition, url) in shards() {
            guard let queue = queue(partition, url) else { continue }
            let rows = (try? queue.read { db in try String.fetchAll(db, sql: "SELECT articleId FROM article") }) ?? []
            ids.formUnion(rows)
        }
        return ids
    }

    func close() {
        for queue in queues.values { try? queue.close() }
        queues = [:]
    }
}

/// CPU seconds of some processes at one moment, to subtract phases.
struct CPUSnapshot {
    var byPid: [pid_t: Double] = [:]
    var bench: Double = 0

    static func take(_ pids: [pid_t]) -> CPUSnapshot {
        var snapshot = CPUSnapshot(bench: processCPUSeconds())
        for pid in pids { snapshot.byPid[pid] = ProcFS.cpuSeconds(of: pid) }
        return snapshot
    }

    /// CPU seconds `pid` used between `earlier` and this snapshot.
    func since(_ earlier: CPUSnapshot, _ pid: pid_t) -> Double? {
        guard let now = byPid[pid], let then = earlier.byPid[pid] else { return nil }
        return now - then
    }
}

func megabytes(_ kilobytes: Int) -> String {
    format(Double(kilobytes) / 1024, 1)
}

func cpuText(_ seconds: Double?) -> String {
    seconds.map { format($0, 2) } ?? "?"
}

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
