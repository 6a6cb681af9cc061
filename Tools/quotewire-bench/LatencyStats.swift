import Foundation

/// Percentiles of a set of latencies.
struct LatencyStats {
    var sortedMilliseconds: [Double]

    init(_ durations: [Duration]) {
        sortedMilliseconds = durations.map { duration in
            let (seconds, attoseconds) = duration.components
            return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
        }.sorted()
    }

    /// The nearest-rank percentile, in milliseconds.
    func percentile(_ p: Double) -> Double {
        guard !sortedMilliseconds.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sortedMilliseconds.count)).rounded(.up)) - 1
        return sortedMilliseconds[min(max(rank, 0), sortedMilliseconds.count - 1)]
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

/// CPU time (user + system) this process has used so far, in seconds: a steadier
/// measure than wall time on a machine other work shares.
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
