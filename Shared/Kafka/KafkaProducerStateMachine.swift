extension KafkaProducer {
    /// Why a send that found librdkafka's queue full was woken.
    enum Room: Sendable {
        /// Deliveries were served since it tried: try the record again.
        case maybeFree
        /// ``KafkaProducer/close(timeout:)`` began: give the record up rather than hold the close.
        case closing
    }

    typealias RoomWaiter = CheckedContinuation<Room, Never>
    /// The parked `close`, resumed with the handle to flush once the last admitted send enqueued.
    typealias Closer = CheckedContinuation<Handle?, Never>

    /// Everything about a producer that changes, as one value: the producer keeps it behind one
    /// lock, calls one mutating method at a time under it, and performs the returned action
    /// (resume a continuation, flush, retire a handle) after letting the lock go.
    ///
    /// The rule it enforces: a handle is flushed or retired (purged, its poll thread stopped)
    /// only when no send is between admission and its last `rd_kafka_producev` on it. A record
    /// enqueued after its handle's final flush would never get a delivery report, and its
    /// send would wait for ever.
    struct StateMachine {
        enum State {
            /// Sends are admitted and enqueue on `handle`. `enqueuing` counts admitted sends that
            /// have not yet handed every record to librdkafka (0: idle). `renewing`: a send is
            /// creating this handle's replacement.
            case producing(Handle, enqueuing: Int, renewing: Bool)
            /// `close` began: no send is admitted. The closer is parked until `enqueuing` reaches
            /// zero, then flushes `handle`; `closer` is nil once it was resumed.
            case closing(Handle, enqueuing: Int, closer: Closer?)
            /// Flushed and its poll thread stopped; every send fails at once.
            case closed(Handle)
        }

        /// A handle a renewal replaced while sends still enqueued on it.
        private struct Retiring {
            let handle: Handle
            var enqueuing: Int
        }

        private var state: State
        private var retiring: [Retiring] = []
        /// Sends parked because librdkafka's queue was full, until deliveries are served.
        private var roomWaiters: [RoomWaiter] = []
        /// How many sends are parked for queue room now.
        var waitingForRoom: Int { roomWaiters.count }
        /// Bumped whenever delivery reports were served; a send reads it before producing, so
        /// one that parks after the reports that freed the queue sees it moved and retries.
        private(set) var progress: UInt64 = 0
        /// How many times a renewal replaced the handle.
        private(set) var renewals = 0

        init(handle: Handle) {
            state = .producing(handle, enqueuing: 0, renewing: false)
        }

        /// The handle in use now (the last one, once closed).
        var handle: Handle {
            switch state {
            case .producing(let handle, _, _), .closing(let handle, _, _), .closed(let handle): handle
            }
        }

        /// Every handle whose poll thread may still run.
        var handles: [Handle] { [handle] + retiring.map(\.handle) }

        // MARK: Sending

        /// Admits a send, which then enqueues on the handle returned, or refuses it (nil) once
        /// `close` began.
        mutating func willSend() -> Handle? {
            guard case .producing(let handle, let enqueuing, let renewing) = state else { return nil }
            state = .producing(handle, enqueuing: enqueuing + 1, renewing: renewing)
            return handle
        }

        /// What to do after a send handed its last record to librdkafka.
        enum EnqueuedAction {
            case none
            /// It was the last send `close` waited for: resume the closer with the handle.
            case resumeCloser(Closer, Handle)
            /// It was the last send on a replaced handle: purge it and stop its poll thread.
            case retire(Handle)
        }

        mutating func didEnqueue(on sent: Handle) -> EnqueuedAction {
            switch state {
            case .producing(let handle, let enqueuing, let renewing) where handle === sent:
                state = .producing(handle, enqueuing: enqueuing - 1, renewing: renewing)
                return .none
            case .closing(let handle, let enqueuing, let closer) where handle === sent:
                if enqueuing == 1, let closer {
                    state = .closing(handle, enqueuing: 0, closer: nil)
                    return .resumeCloser(closer, handle)
                }
                state = .closing(handle, enqueuing: enqueuing - 1, closer: closer)
                return .none
            default:
                guard let index = retiring.firstIndex(where: { $0.handle === sent }) else {
                    assertionFailure("a send finished enqueuing on a handle it was never admitted to")
                    return .none
                }
                retiring[index].enqueuing -= 1
                guard retiring[index].enqueuing == 0 else { return .none }
                return .retire(retiring.remove(at: index).handle)
            }
        }

        // MARK: Back-pressure

        /// Parks a send whose record found the queue full, or says at once how to go on (nil:
        /// parked, resumed by ``deliveriesServed()`` or ``close(_:)``).
        /// - Parameter mark: ``progress`` as read before the record was produced.
        mutating func waitForRoom(after mark: UInt64, _ waiter: RoomWaiter) -> Room? {
            guard case .producing = state else { return .closing }
            guard progress == mark else { return .maybeFree }
            roomWaiters.append(waiter)
            return nil
        }

        /// Delivery reports were served (librdkafka freed queue room): the parked sends to wake.
        mutating func deliveriesServed() -> [RoomWaiter] {
            progress &+= 1
            guard !roomWaiters.isEmpty else { return [] }
            defer { roomWaiters = [] }
            return roomWaiters
        }

        // MARK: Closing

        enum CloseAction {
            /// Resume the closer with this handle at once: nothing is enqueuing.
            case flush(Handle, failing: [RoomWaiter])
            /// The closer stays parked until the sends still enqueuing are done; the parked
            /// sends give up their records so that they finish.
            case waitForSenders(failing: [RoomWaiter])
            /// Another `close` already ran or runs: resume the closer with nil.
            case alreadyClosing
        }

        mutating func close(_ closer: Closer) -> CloseAction {
            guard case .producing(let handle, let enqueuing, _) = state else { return .alreadyClosing }
            let failing = roomWaiters
            roomWaiters = []
            if enqueuing == 0 {
                state = .closing(handle, enqueuing: 0, closer: nil)
                return .flush(handle, failing: failing)
            }
            state = .closing(handle, enqueuing: enqueuing, closer: closer)
            return .waitForSenders(failing: failing)
        }

        /// The closer flushed (or purged) the handle and stopped its poll thread.
        mutating func didClose() {
            guard case .closing(let handle, _, _) = state else { return }
            state = .closed(handle)
        }

        // MARK: Renewal

        enum RenewAction {
            /// This send creates the replacement and reports it with ``renewed(replacing:with:)``.
            case create
            /// Another send replaced, or is replacing, the failed handle.
            case alreadyReplaced
            /// The producer is closing: no replacement.
            case closing
        }

        mutating func renew(replacing failed: Handle) -> RenewAction {
            switch state {
            case .producing(let handle, let enqueuing, false) where handle === failed:
                state = .producing(handle, enqueuing: enqueuing, renewing: true)
                return .create
            case .producing:
                return .alreadyReplaced
            case .closing, .closed:
                return .closing
            }
        }

        enum RenewedAction {
            /// The new handle is in use; purge the old one and stop its poll thread now.
            case retire(Handle)
            /// The new handle is in use; the old one retires when its last send finishes enqueuing.
            case retireLater
            /// The producer began closing meanwhile: stop the unused new handle's poll thread.
            case discard(Handle)
            /// No new handle could be created; the failed one stays until a later send tries again.
            case notReplaced(KafkaError)
        }

        mutating func renewed(replacing failed: Handle, with created: Result<Handle, KafkaError>) -> RenewedAction {
            guard case .producing(let handle, let enqueuing, true) = state, handle === failed else {
                switch created {
                case .success(let unused): return .discard(unused)
                case .failure(let error): return .notReplaced(error)
                }
            }
            switch created {
            case .success(let replacement):
                state = .producing(replacement, enqueuing: 0, renewing: false)
                renewals += 1
                guard enqueuing > 0 else { return .retire(failed) }
                retiring.append(Retiring(handle: failed, enqueuing: enqueuing))
                return .retireLater
            case .failure(let error):
                state = .producing(handle, enqueuing: enqueuing, renewing: false)
                return .notReplaced(error)
            }
        }
    }
}
