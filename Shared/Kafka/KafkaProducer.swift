import CRDKafka
import Foundation
import Logging
import NIOConcurrencyHelpers
import Synchronization

/// A producer that reports success only once the broker acknowledged (`acks=all`,
/// idempotent). Many sends may be in flight at once; each awaits its own delivery report.
///
/// An idempotent producer that hits a fatal error, or that the broker fences (Tansu answers
/// PRODUCER_FENCED to every later request after an outage, which librdkafka does not count as
/// fatal), is unusable for good; this one then replaces its librdkafka handle with a fresh one
/// (a new producer id) and reports the sends that failed as retriable, so the caller sends
/// them again instead of dead-lettering them or giving up.
///
/// Its changing state (the handle, the sends enqueuing, the sends waiting for queue room, the
/// close) is one ``StateMachine`` behind one lock, so a send racing ``close(timeout:)`` is
/// either flushed by it or refused, never left waiting. When librdkafka's queue is full
/// (``ProducerConfiguration/queueCapacity``), a send waits until delivery reports free room.
///
/// Delivery reports are served by a dedicated thread, never the cooperative pool.
/// Call ``close(timeout:)`` before dropping the producer so queued records are flushed.
public final class KafkaProducer: Sendable {
    private let configuration: ProducerConfiguration
    private let logger: Logger
    private let state: NIOLockedValueBox<StateMachine>

    public init(configuration: ProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        let first = try Handle(configuration: configuration, logger: logger)
        state = NIOLockedValueBox(StateMachine(handle: first))
        startServing(first)
    }

    deinit {
        for handle in state.withLockedValue({ $0.handles }) {
            handle.poller.stop()
        }
    }

    /// The librdkafka handle in use now.
    private var handle: Handle { state.withLockedValue { $0.handle } }

    /// How many times this producer replaced its librdkafka handle (fatal error or fenced).
    public var renewals: Int { state.withLockedValue { $0.renewals } }

    /// Sends one record and returns where the broker stored it.
    /// - Throws: ``KafkaError`` when the broker did not acknowledge within the delivery timeout,
    ///   refused the record, or the producer is closed (`_STATE`, at once).
    @discardableResult
    public func send(_ message: OutgoingMessage) async throws(KafkaError) -> DeliveryReport {
        let results = await send([message])
        guard let first = results.first else {
            throw KafkaError.client("produce to \(message.topic)", "no delivery report")
        }
        return try first.get()
    }

    /// Sends records together and returns each one's outcome, in order. All are in flight
    /// at once; this returns when every one was acknowledged or failed.
    ///
    /// Once ``close(timeout:)`` began, every record fails at once with `_STATE` ("the producer
    /// is closed"); a send admitted just before is flushed by the close, except records that
    /// would have to wait for queue room, which fail the same way.
    public func send(_ messages: [OutgoingMessage]) async -> [Result<DeliveryReport, KafkaError>] {
        guard let handle = state.withLockedValue({ $0.willSend() }) else {
            return messages.map { .failure(.producerClosed("produce to \($0.topic)")) }
        }
        let batch = DeliveryBatch(count: messages.count)
        var gaveUp = false
        for (slot, message) in messages.enumerated() {
            if gaveUp {
                batch.complete(slot, .failure(.producerClosed("produce to \(message.topic)")))
            } else {
                gaveUp = await !enqueue(message, slot: slot, batch: batch, on: handle)
            }
        }
        switch state.withLockedValue({ $0.didEnqueue(on: handle) }) {
        case .none:
            break
        case .resumeCloser(let closer, let flushing):
            closer.resume(returning: flushing)
        case .retire(let old):
            await retire(old)
        }
        let results = await batch.wait()
        guard let cause = handle.client.fatalError(context: "producer") ?? fencing(results),
              await renew(replacing: handle, after: cause)
        else {
            return results
        }
        return results.map { result in
            result.mapError { $0.isRetriable ? $0 : $0.retriableOnNewProducer() }
        }
    }

    /// Waits until every queued record was delivered or failed, at most `timeout`.
    /// - Throws: ``KafkaError`` with `_TIMED_OUT` when records are still outstanding.
    public func flush(timeout: Duration) async throws(KafkaError) {
        try await flush(handle, timeout: timeout)
    }

    /// Stops admitting sends, waits for those admitted to hand their records to librdkafka,
    /// flushes for at most `timeout`, fails whatever is still queued, and stops the delivery
    /// thread. Sends after this fail at once. A second call returns at once.
    public func close(timeout: Duration) async {
        let flushing: Handle? = await withCheckedContinuation { closer in
            switch state.withLockedValue({ $0.close(closer) }) {
            case .flush(let handle, let failing):
                failing.forEach { $0.resume(returning: .closing) }
                closer.resume(returning: handle)
            case .waitForSenders(let failing):
                failing.forEach { $0.resume(returning: .closing) }
            case .alreadyClosing:
                closer.resume(returning: nil)
            }
        }
        guard let flushing else { return }
        do {
            try await flush(flushing, timeout: timeout)
        } catch {
            logger.warning("producer closed with records outstanding; failing them", metadata: ["error": "\(error)"])
            await purge(flushing)
        }
        flushing.poller.stop()
        state.withLockedValue { $0.didClose() }
    }

    /// Fails every record still queued or in flight (their sends see a retriable purge error) and
    /// leaves the producer open: for a stage that must stop waiting on a broker that does not answer.
    public func abandonOutstanding() async {
        await purge(handle)
    }

    /// Sends parked until librdkafka's queue has room (for tests of back-pressure).
    var sendsWaitingForRoom: Int { state.withLockedValue { $0.waitingForRoom } }

    /// Records waiting in librdkafka's queue or in flight.
    public var outstanding: Int {
        Int(rd_kafka_outq_len(handle.client.pointer))
    }

    /// Starts the handle's delivery thread, which wakes the sends waiting for queue room
    /// whenever it served reports.
    private func startServing(_ handle: Handle) {
        handle.poller.start { [state] in
            deliveriesServed(state)
        }
    }

    private func flush(_ handle: Handle, timeout: Duration) async throws(KafkaError) {
        let ms = Int32(clamping: timeout.milliseconds)
        defer { deliveriesServed(state) }  // rd_kafka_flush serves delivery reports itself
        try await handle.client.blocking { rk throws(KafkaError) in
            let err = rd_kafka_flush(rk, ms)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(code: err, context: "flush producer (\(rd_kafka_outq_len(rk)) records outstanding)")
            }
        }
    }

    /// Fails every queued and in-flight record of `handle` (their sends see a retriable purge error).
    private func purge(_ handle: Handle) async {
        _ = try? await handle.client.blocking { rk in
            rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            rd_kafka_poll(rk, 100)
        }
        deliveriesServed(state)  // the poll above served the purged records' reports
    }

    /// Fails what a replaced handle still holds and stops its delivery thread.
    private func retire(_ old: Handle) async {
        await purge(old)
        old.poller.stop()
    }

    /// The first failure that says the broker no longer takes this producer's id.
    private func fencing(_ results: [Result<DeliveryReport, KafkaError>]) -> KafkaError? {
        for case .failure(let error) in results where error.fencesProducer { return error }
        return nil
    }

    /// Replaces a handle that hit a fatal error or was fenced (once, however many sends saw it).
    /// - Returns: false when the producer is closing, so the failures stay as they are.
    private func renew(replacing failed: Handle, after fatal: KafkaError) async -> Bool {
        switch state.withLockedValue({ $0.renew(replacing: failed) }) {
        case .closing: return false
        case .alreadyReplaced: return true
        case .create: break
        }
        let created: Result<Handle, KafkaError>
        do throws(KafkaError) {
            let replacement = try Handle(configuration: configuration, logger: logger)
            startServing(replacement)
            created = .success(replacement)
        } catch {
            created = .failure(error)
        }
        switch state.withLockedValue({ $0.renewed(replacing: failed, with: created) }) {
        case .retire(let old):
            logger.error("producer unusable (fatal error or fenced); replaced it with a new producer", metadata: ["error": "\(fatal)"])
            await retire(old)
        case .retireLater:
            logger.error("producer unusable (fatal error or fenced); replaced it with a new producer", metadata: ["error": "\(fatal)"])
        case .discard(let unused):
            unused.poller.stop()
        case .notReplaced(let error):
            logger.critical("producer unusable (fatal error or fenced) and a new one cannot be created", metadata: [
                "error": "\(fatal)", "createError": "\(error)",
            ])
        }
        return true
    }

    /// Hands one record to librdkafka, waiting for queue room as long as it is full.
    /// - Returns: false when the record was given up (failed) because the producer is closing.
    private func enqueue(_ message: OutgoingMessage, slot: Int, batch: DeliveryBatch, on handle: Handle) async -> Bool {
        let context = "produce to \(message.topic)"
        while true {
            if let fatal = handle.client.fatalError(context: context) {
                batch.complete(slot, .failure(fatal))
                return true
            }
            let mark = state.withLockedValue { $0.progress }
            // +1 handed to librdkafka as the record's opaque; taken back exactly once, by the
            // delivery report (success, failure, purge or timeout all report), or released
            // here when librdkafka refused the record and so will never report it.
            let pending = Unmanaged.passRetained(PendingDelivery(batch: batch, slot: slot, topic: message.topic))
            let err = produce(message, opaque: pending.toOpaque(), on: handle.client)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                return true
            }
            pending.release()
            guard err == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                batch.complete(slot, .failure(KafkaError(code: err, context: context)))
                return true
            }
            // Back-pressure: librdkafka's bounded queue stays full until delivery reports drain it.
            let room: Room = await withCheckedContinuation { waiter in
                if let now = state.withLockedValue({ $0.waitForRoom(after: mark, waiter) }) {
                    waiter.resume(returning: now)
                }
            }
            if room == .closing {
                batch.complete(slot, .failure(.producerClosed(context)))
                return false
            }
        }
    }

    private func produce(_ message: OutgoingMessage, opaque: UnsafeMutableRawPointer, on client: RDKafkaClient) -> rd_kafka_resp_err_t {
        // The headers list is ours until `rd_kafka_producev` succeeds, then librdkafka's (it
        // frees it with the record); on failure we destroy it below. Header names and values,
        // the topic name, the key and the value (RD_KAFKA_MSG_F_COPY) are all copied by
        // librdkafka during the calls, so the buffers from `withUnsafeBytes` and the
        // temporary C strings need to live only as long as the closures.
        var headers: OpaquePointer? = nil
        if !message.headers.isEmpty, let list = rd_kafka_headers_new(message.headers.count) {
            for header in message.headers {
                if let value = header.value {
                    value.withUnsafeBytes { raw in
                        _ = rd_kafka_header_add(list, header.name, -1, raw.baseAddress ?? UnsafeRawPointer(emptyBytes), raw.count)
                    }
                } else {
                    _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
                }
            }
            headers = list
        }
        let partition = message.partition ?? RD_KAFKA_PARTITION_UA
        let err = withOptionalBytes(message.key) { key, keyLength in
            withOptionalBytes(message.value) { value, valueLength in
                quotewire_produce(
                    client.pointer, message.topic, partition, key, keyLength, value, valueLength, headers, opaque)
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers {
            rd_kafka_headers_destroy(headers)  // ownership passes to librdkafka only on success
        }
        return err
    }
}

extension KafkaProducer {
    /// One librdkafka producer and the thread serving its delivery reports (started by the
    /// producer once the handle is known to its state machine).
    final class Handle: Sendable {
        let client: RDKafkaClient
        let poller: PollThread

        init(configuration: ProducerConfiguration, logger: Logger) throws(KafkaError) {
            client = try RDKafkaClient(
                kind: RD_KAFKA_PRODUCER,
                properties: configuration.librdkafkaProperties,
                context: ClientContext(logger: logger, statistics: configuration.statistics?.handler),
                label: "producer"
            ) { conf in
                rd_kafka_conf_set_dr_msg_cb(conf, deliveryCallback)
            }
            poller = PollThread(client: client, interval: configuration.pollInterval)
        }
    }
}

/// Tells the state machine that delivery reports were served and wakes the sends it parked
/// for queue room. Called after the serving call returned: librdkafka frees a record's queue
/// slot only after its report callback ran, so waking a send from inside the callback could
/// let it find the queue still full and park again with no report left to wake it.
private func deliveriesServed(_ state: NIOLockedValueBox<KafkaProducer.StateMachine>) {
    for waiter in state.withLockedValue({ $0.deliveriesServed() }) {
        waiter.resume(returning: .maybeFree)
    }
}

/// One byte to point at for an empty, non-null value (a null pointer would mean a tombstone).
/// Allocated once and never freed or written: it lives as long as the process.
nonisolated(unsafe) private let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

private func withOptionalBytes<R>(_ data: Data?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let data else { return body(nil, 0) }
    return data.withUnsafeBytes { raw in body(raw.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(emptyBytes), raw.count) }
}

/// The outcomes of one `send` call, filled in by delivery reports in any order.
///
/// The locks in this module are NIO's (a pthread mutex), not `Synchronization.Mutex`: on Linux
/// that one is a bare futex, which ThreadSanitizer cannot see, so `make test`'s TSan stage
/// would report every access under it as a race and hide real ones.
final class DeliveryBatch: Sendable {
    typealias Outcome = Result<DeliveryReport, KafkaError>

    private struct State {
        var results: [Outcome]
        var remaining: Int
        var waiter: CheckedContinuation<[Outcome], Never>?
    }

    private let state: NIOLockedValueBox<State>

    init(count: Int) {
        let placeholder = Outcome.failure(.client("deliver", "no delivery report"))
        state = NIOLockedValueBox(State(results: Array(repeating: placeholder, count: count), remaining: count, waiter: nil))
    }

    func complete(_ slot: Int, _ outcome: Outcome) {
        let finished: (CheckedContinuation<[Outcome], Never>, [Outcome])? = state.withLockedValue { state in
            state.results[slot] = outcome
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.results)
        }
        if let (waiter, results) = finished {
            waiter.resume(returning: results)
        }
    }

    func wait() async -> [Outcome] {
        await withCheckedContinuation { continuation in
            let ready: [Outcome]? = state.withLockedValue { state in
                if state.remaining == 0 { return state.results }
                state.waiter = continuation
                return nil
            }
            if let ready {
                continuation.resume(returning: ready)
            }
        }
    }
}

/// The per-record opaque handed to librdkafka, taken back in the delivery report.
private final class PendingDelivery {
    let batch: DeliveryBatch
    let slot: Int
    let topic: String

    init(batch: DeliveryBatch, slot: Int, topic: String) {
        self.batch = batch
        self.slot = slot
        self.topic = topic
    }
}

/// Runs on the producer's poll thread, once per record. `message` is librdkafka's and valid only
/// during the call (its fields are copied out); `_private` carries the +1 taken in `enqueue`,
/// consumed here with `takeRetainedValue`.
private let deliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    _, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let pending = Unmanaged<PendingDelivery>.fromOpaque(opaque).takeRetainedValue()
    let m = message.pointee
    if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        pending.batch.complete(pending.slot, .success(DeliveryReport(topic: pending.topic, partition: m.partition, offset: m.offset)))
    } else {
        pending.batch.complete(pending.slot, .failure(KafkaError(code: m.err, context: "produce to \(pending.topic)")))
    }
}

/// A thread that serves a client's callbacks (delivery reports, logs) from ``start(served:)``
/// until stopped.
final class PollThread: Sendable {
    private let client: RDKafkaClient
    private let timeout: Int32
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(client: RDKafkaClient, interval: Duration) {
        self.client = client
        timeout = Int32(clamping: max(1, interval.milliseconds))
    }

    /// Starts the loop; `served` runs on the thread after every poll that served events.
    /// Call once, before ``stop()``.
    func start(served: @escaping @Sendable () -> Void) {
        running.store(true, ordering: .releasing)
        // The thread's closure holds `self` and so the client: the handle outlives the last poll.
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                if rd_kafka_poll(client.pointer, timeout) > 0 { served() }
            }
            if rd_kafka_poll(client.pointer, 0) > 0 { served() }
            finished.signal()
        }
        thread.name = "quotewire-kafka-poll"
        thread.start()
    }

    /// Stops the loop and waits for it to end. Safe to call more than once, or when never started.
    func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            finished.wait()
        }
    }
}
