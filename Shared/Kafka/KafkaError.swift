import CRDKafka

/// An error from librdkafka or from this module, with librdkafka's error code and
/// whether trying again may help.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value (negative codes are client-side, positive are the broker's).
    public let code: Int32
    /// librdkafka's symbolic name for the code, like `_MSG_TIMED_OUT`.
    public let name: String
    /// What went wrong, in librdkafka's words or ours.
    public let reason: String
    /// What this module was doing when it happened ("produce to articles.raw").
    public let context: String
    /// Whether the same operation may succeed if tried again (a broker away, a queue full, a timeout).
    public let isRetriable: Bool
    /// Whether the client instance is unusable from now on.
    public let isFatal: Bool

    public var description: String {
        "\(context): \(reason) (\(name), code \(code)\(isFatal ? ", fatal" : isRetriable ? ", retriable" : ""))"
    }

    init(code: rd_kafka_resp_err_t, context: String, reason: String? = nil, isFatal: Bool = false) {
        self.code = code.rawValue
        // librdkafka's error names and texts are static strings; copied all the same.
        self.name = String(cString: rd_kafka_err2name(code))
        self.reason = reason ?? String(cString: rd_kafka_err2str(code))
        self.context = context
        self.isFatal = isFatal || code == RD_KAFKA_RESP_ERR__FATAL
        self.isRetriable = !self.isFatal && Self.retriableCodes.contains(code.rawValue)
    }

    /// Whether the broker refuses the producer's id from now on (fenced, or its epoch stale).
    public var fencesProducer: Bool {
        code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED.rawValue || code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH.rawValue
    }

    /// The same failure, marked worth sending again: the producer that hit it was replaced.
    func retriableOnNewProducer() -> KafkaError {
        KafkaError(code: code, name: name, reason: "\(reason); the producer was replaced, send again", context: context,
                   isRetriable: true, isFatal: false)
    }

    private init(code: Int32, name: String, reason: String, context: String, isRetriable: Bool, isFatal: Bool) {
        self.code = code
        self.name = name
        self.reason = reason
        self.context = context
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    /// An error that did not come from librdkafka (bad configuration, a closed client).
    static func client(_ context: String, _ reason: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG, context: context, reason: reason)
    }

    /// A record refused because its producer's ``KafkaProducer/close(timeout:)`` began (`_STATE`);
    /// not retriable: the same producer will refuse it again.
    static func producerClosed(_ context: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__STATE, context: context, reason: "the producer is closed")
    }

    /// Takes ownership of an `rd_kafka_error_t` (from the newer librdkafka APIs) and destroys it;
    /// its name and text belong to it, so they are copied before it goes.
    init(consuming error: OpaquePointer, context: String) {
        self.code = rd_kafka_error_code(error).rawValue
        self.name = String(cString: rd_kafka_error_name(error))
        self.reason = String(cString: rd_kafka_error_string(error))
        self.context = context
        self.isFatal = rd_kafka_error_is_fatal(error) != 0
        self.isRetriable = rd_kafka_error_is_retriable(error) != 0 || Self.retriableCodes.contains(self.code)
        rd_kafka_error_destroy(error)
    }

    /// Codes that describe a passing condition: the broker away or busy, a timeout, a full queue.
    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__RESOLVE,
        RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE, RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }
}
