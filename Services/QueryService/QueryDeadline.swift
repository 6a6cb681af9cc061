import HTTPTypes
import Synchronization

/// Bounds how long one request may wait on the index.
///
/// The work runs in a task of its own; when the limit passes first, that task is cancelled
/// (GRDB then interrupts its SQLite statement) and the request is answered at once with a
/// 503, without waiting for the interrupted work to wind down. A client that goes away
/// cancels the work too.
enum QueryDeadline {
    /// The outcome of `operation`, or ``APIError`` 503 when it takes longer than `limit`.
    static func run<T: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let work = Task { try await operation() }
        let result: Result<T, any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let first = FirstResult(continuation)
                Task { first.deliver(await work.result) }
                Task {
                    try? await Task.sleep(for: limit)
                    let late = APIError(.serviceUnavailable,
                                        "the index did not answer within \(limit); try a more specific query")
                    if first.deliver(.failure(late)) { work.cancel() }
                }
            }
        } onCancel: {
            work.cancel()
        }
        return try result.get()
    }

    /// Resumes the waiting request once, with whichever result comes first.
    private final class FirstResult<T: Sendable>: Sendable {
        private let waiting: Mutex<CheckedContinuation<Result<T, any Error>, Never>?>

        init(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
            waiting = Mutex(continuation)
        }

        /// Delivers `result` unless another was delivered first; returns whether it was.
        @discardableResult
        func deliver(_ result: Result<T, any Error>) -> Bool {
            let continuation = waiting.withLock { waiting in
                defer { waiting = nil }
                return waiting
            }
            continuation?.resume(returning: result)
            return continuation != nil
        }
    }
}
