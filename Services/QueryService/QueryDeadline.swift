import HTTPSupport
import HTTPTypes
import ServiceSupport

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
        let outcome = await Deadline.run(within: limit, cancelLate: true) { () async -> Result<T, any Error> in
            do {
                return .success(try await operation())
            } catch {
                return .failure(error)
            }
        }
        guard let outcome else {
            throw APIError(.serviceUnavailable, "the index did not answer within \(limit); try a more specific query")
        }
        return try outcome.get()
    }
}
