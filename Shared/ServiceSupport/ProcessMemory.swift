import CMalloc
import Synchronization

/// glibc's allocator keeps freed memory for reuse: up to 8 arenas per core, one for each
/// thread that allocated at once, and free pages between live blocks stay resident. The
/// stages free megabytes at a time from several threads (a batch of records, the indexer's
/// shards written in parallel), so without these their RSS settles far above what they use
/// and follows the largest backlog they ever held.
public enum ProcessMemory {
    /// Caps glibc's malloc arenas at two. Call once, before the threads start.
    public static func limitArenas() {
        _ = quotewire_limit_malloc_arenas(2)
    }

    private static let lastTrim = Mutex<ContinuousClock.Instant?>(nil)

    /// Returns free heap pages to the system, at most once per `interval`.
    public static func releaseFreePages(atMostEvery interval: Duration = .seconds(1)) {
        let now = ContinuousClock.now
        let due = lastTrim.withLock { last in
            if let previous = last, now - previous < interval { return false }
            last = now
            return true
        }
        if due { _ = quotewire_release_free_heap() }
    }
}
