import CRDKafka
import Dispatch
import Foundation
import Logging

/// What librdkafka's callbacks need: the logger, for consumers the rebalance hooks, and
/// the statistics handler when statistics were asked for.
/// librdkafka holds it as the client's opaque pointer for the client's whole life.
final class ClientContext: Sendable {
    let logger: Logger
    let consumerHooks: ConsumerHooks?
    let statistics: (@Sendable (KafkaStatistics) -> Void)?

    init(logger: Logger, consumerHooks: ConsumerHooks? = nil, statistics: (@Sendable (KafkaStatistics) -> Void)? = nil) {
        self.logger = logger
        self.consumerHooks = consumerHooks
        self.statistics = statistics
    }

    /// The context of a client, from inside one of its callbacks. Unretained: the client
    /// holds the +1 (``RDKafkaClient/context``) until after `rd_kafka_destroy`, which returns
    /// only once librdkafka's threads (and so every callback) are done.
    static func from(_ rk: OpaquePointer?) -> ClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// The one owner of an `rd_kafka_t`: creates it from properties and destroys it in `deinit`.
///
/// librdkafka handles are thread-safe; blocking calls on them are made on `queue`,
/// a dedicated dispatch queue, never on Swift's cooperative thread pool.
final class RDKafkaClient: @unchecked Sendable {
    /// Owned: created in `init`, destroyed in `deinit`. Borrowers (poll threads, blocking
    /// calls, consumer queues) hold a reference to this object while they use it.
    let pointer: OpaquePointer
    let queue: DispatchQueue
    /// The +1 on the context handed to librdkafka as the client's opaque; released in
    /// `deinit` after `rd_kafka_destroy`, when no callback can run any more.
    private let context: Unmanaged<ClientContext>

    /// - Parameter configure: sets the callbacks particular to this kind of client on the configuration.
    init(
        kind: rd_kafka_type_t,
        properties: [String: String],
        context: ClientContext,
        label: String,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError.client("configure \(label)", "rd_kafka_conf_new failed")
        }
        // `conf` is ours until `rd_kafka_new` succeeds (then librdkafka owns it); every failure
        // path before that destroys it. librdkafka copies keys, values and error text.
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.client("configure \(label)", "\(key)=\(value): \(String(cBuffer: errorBuffer))")
            }
        }
        rd_kafka_conf_set_log_cb(conf, logCallback)
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        if context.statistics != nil {
            rd_kafka_conf_set_stats_cb(conf, statisticsCallback)
        }
        configure(conf)
        let retained = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        guard let rk = rd_kafka_new(kind, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            retained.release()
            throw KafkaError.client("create \(label)", String(cBuffer: errorBuffer))
        }
        self.pointer = rk
        self.context = retained
        self.queue = DispatchQueue(label: "quotewire.kafka.\(label)")
    }

    deinit {
        rd_kafka_destroy(pointer)
        context.release()
    }

    var logger: Logger { context.takeUnretainedValue().logger }

    /// Runs a blocking librdkafka call on this client's own queue and awaits its result.
    func blocking<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            // The block holds `self`, so `pointer` outlives the call even if every other owner
            // let go while it ran.
            queue.async { [self] in
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try body(self.pointer)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// The client's fatal error, if librdkafka raised one.
    func fatalError(context: String) -> KafkaError? {
        Self.fatalError(pointer, context: context)
    }

    static func fatalError(_ rk: OpaquePointer, context: String) -> KafkaError? {
        // librdkafka writes the reason into our stack buffer, copied before it goes.
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(rk, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(code: code, context: context, reason: String(cBuffer: buffer), isFatal: true)
    }
}

/// librdkafka's log lines, routed into swift-log with the client's name as metadata.
/// Runs on a librdkafka thread (or a poll thread); `facility` and `message` are librdkafka's,
/// valid only during the call, so they are copied into Swift strings before it returns.
private let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, message in
    guard let context = ClientContext.from(rk) else { return }
    let logLevel: Logger.Level = switch level {
    case 0...3: .error
    case 4: .warning
    case 5, 6: .info
    default: .debug
    }
    context.logger.log(
        level: logLevel,
        "\(message.map { String(cString: $0) } ?? "")",
        metadata: [
            "librdkafka.facility": "\(facility.map { String(cString: $0) } ?? "")",
            "librdkafka.client": "\(rk.map { String(cString: rd_kafka_name($0)) } ?? "")",
        ]
    )
}

/// Client-wide errors (a broker away, authentication, a fatal idempotence error).
/// `reason` belongs to librdkafka and is valid only during the call: copied at once.
private let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    rk, code, reason, _ in
    guard let context = ClientContext.from(rk) else { return }
    let err = rd_kafka_resp_err_t(rawValue: code)
    let isFatal = err == RD_KAFKA_RESP_ERR__FATAL
    context.logger.log(
        level: isFatal ? .critical : .warning,
        "kafka client error: \(reason.map { String(cString: $0) } ?? "")",
        metadata: ["kafka.error": "\(String(cString: rd_kafka_err2name(err)))"]
    )
}

/// librdkafka's statistics JSON, decoded and handed to the client's handler. `json` stays
/// librdkafka's: it is copied into `Data` during the call, and returning 0 lets librdkafka
/// free it.
private let statisticsCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
    rk, json, length, _ in
    guard let context = ClientContext.from(rk), let handler = context.statistics, let json else { return 0 }
    do {
        handler(try KafkaStatistics(json: Data(bytes: json, count: length)))
    } catch {
        context.logger.debug("librdkafka statistics not understood", metadata: ["error": "\(error)"])
    }
    return 0
}

extension String {
    /// The text of a NUL-terminated C buffer filled in by librdkafka.
    init(cBuffer buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
