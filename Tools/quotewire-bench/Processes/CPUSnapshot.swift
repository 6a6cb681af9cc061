import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
