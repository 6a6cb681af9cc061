import QuotewireKafka

/// Why an article was not published, classified for the caller: worth retrying later or not.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The broker could not take it in time (away, busy, timed out): retry later.
        case unavailable
        /// The service is stopping and takes no new articles.
        case shuttingDown
        /// The broker finds the record too large.
        case tooLarge
        /// The broker refused it for a reason a retry will not fix.
        case refused
    }

    public let kind: Kind
    public let reason: String
    /// The Kafka error behind it, when there is one.
    public let cause: KafkaError?

    public init(kind: Kind, reason: String, cause: KafkaError? = nil) {
        self.kind = kind
        self.reason = reason
        self.cause = cause
    }

    /// Classifies a Kafka error.
    public init(_ error: KafkaError) {
        let kind: Kind = if error.name.hasSuffix("MSG_SIZE_TOO_LARGE") || error.name.hasSuffix("RECORD_LIST_TOO_LARGE") {
            .tooLarge
        } else if error.isRetriable || error.isFatal {
            .unavailable
        } else {
            .refused
        }
        self.init(kind: kind, reason: error.reason, cause: error)
    }

    /// Whether trying the same article again later may succeed.
    public var isRetriable: Bool { kind == .unavailable || kind == .shuttingDown }

    public var description: String { cause.map { "\($0)" } ?? reason }
}
