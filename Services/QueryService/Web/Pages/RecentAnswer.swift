import QuotewireIndex
import Synchronization

/// An index answer kept for `lifetime` and shared by the requests that come in meanwhile (the
/// home page's most quoted speakers, which count every speaker of every shard). A partial
/// answer is not kept, so a page never goes on showing a node's absence after it is back.
final class RecentAnswer<Value: Sendable & PartialAnswer>: Sendable {
    private let lifetime: Duration
    private let kept = Mutex<(value: Value, at: ContinuousClock.Instant)?>(nil)

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The kept answer while it is fresh, else `make()`'s (kept when whole).
    func value(_ make: () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        if let fresh = kept.withLock({ entry in entry.flatMap { now - $0.at < lifetime ? $0.value : nil } }) {
            return fresh
        }
        let value = try await make()
        if value.partial != true { kept.withLock { $0 = (value, now) } }
        return value
    }
}
