import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
