import Synchronization

/// Waiting for work at most so long: the one race between a piece of work and a clock that
/// the stages' drain (commit and leave the group) and the query service's requests share.
public enum Deadline {
    /// Runs `work` in a task of its own and waits for it at most `limit`: its result, or nil
    /// when the limit passed first. The caller goes on at once either way. Late work is
    /// cancelled when `cancelLate` (and when the caller is cancelled), or else left to finish
    /// in the background, for work that cancelling cannot stop (a blocking librdkafka call).
    public static func run<T: Sendable>(
        within limit: Duration, cancelLate: Bool, _ work: @escaping @Sendable () async -> T
    ) async -> T? {
        let task = Task { await work() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
                let first = FirstOutcome(continuation)
                Task { first.deliver(await task.value) }
                Task {
                    try? await Task.sleep(for: limit)
                    if first.deliver(nil), cancelLate { task.cancel() }
                }
            }
        } onCancel: {
            if cancelLate { task.cancel() }
        }
    }

    /// Resumes the waiting caller once, with whichever outcome comes first.
    private final class FirstOutcome<T: Sendable>: Sendable {
        private let waiting: Mutex<CheckedContinuation<T?, Never>?>

        init(_ continuation: CheckedContinuation<T?, Never>) {
            waiting = Mutex(continuation)
        }

        /// Delivers `outcome` unless another was delivered first; returns whether it was.
        @discardableResult
        func deliver(_ outcome: T?) -> Bool {
            let continuation = waiting.withLock { waiting in
                defer { waiting = nil }
                return waiting
            }
            continuation?.resume(returning: outcome)
            return continuation != nil
        }
    }
}
