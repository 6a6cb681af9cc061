import Logging
import Testing
@testable import QuotewireKafka

/// `KafkaProducer.StateMachine` alone: every transition, one call at a time, as the producer
/// makes them under its lock. The handles are real librdkafka producers that never connect
/// (nothing is sent) and whose poll threads are never started; continuations are real, and
/// each one the machine hands back is resumed, so a lost one hangs the test (its time limit).
@Suite(.timeLimit(.minutes(1))) struct ProducerStateMachineTests {
    typealias Machine = KafkaProducer.StateMachine
    typealias Handle = KafkaProducer.Handle

    static func handle() throws -> Handle {
        var logger = Logger(label: "state-machine-tests")
        logger.logLevel = .critical
        return try Handle(configuration: ProducerConfiguration(brokers: "127.0.0.1:1"), logger: logger)
    }

    // MARK: Sending

    @Test func aSendIsAdmittedOnTheHandleInUseAndCountedUntilItEnqueued() async throws {
        let a = try Self.handle()
        var machine = Machine(handle: a)
        #expect(machine.handle === a && machine.handles.count == 1)
        #expect(machine.willSend() === a)
        #expect(machine.willSend() === a)
        expectNone(machine.didEnqueue(on: a))
        expectNone(machine.didEnqueue(on: a))
        // Idle again: a close flushes at once.
        let flushed = await closeNow(&machine)
        #expect(flushed === a)
    }

    // MARK: Back-pressure

    @Test func aSendFindingTheQueueFullParksUntilDeliveriesAreServed() async throws {
        var machine = Machine(handle: try Self.handle())
        let mark = machine.progress
        let (waiter, room) = await Self.continuation(of: KafkaProducer.Room.self)
        #expect(machine.waitForRoom(after: mark, waiter) == nil, "parked")
        #expect(machine.waitingForRoom == 1)
        let woken = machine.deliveriesServed()
        #expect(woken.count == 1)
        #expect(machine.waitingForRoom == 0)
        woken.forEach { $0.resume(returning: .maybeFree) }
        #expect(await room.value == .maybeFree)
        #expect(machine.progress == mark &+ 1)
        #expect(machine.deliveriesServed().isEmpty, "a waiter is woken once")
    }

    @Test func deliveriesServedBetweenTheProduceAndTheParkingMeanTryAgainAtOnce() async throws {
        var machine = Machine(handle: try Self.handle())
        let mark = machine.progress
        #expect(machine.deliveriesServed().isEmpty)
        let (waiter, room) = await Self.continuation(of: KafkaProducer.Room.self)
        let now = machine.waitForRoom(after: mark, waiter)
        #expect(now == .maybeFree, "not parked: the reports that freed the queue came before")
        #expect(machine.waitingForRoom == 0)
        waiter.resume(returning: now ?? .closing)
        #expect(await room.value == .maybeFree)
    }

    // MARK: Closing

    @Test func closeOfAnIdleProducerFlushesAtOnceAndEverySendAfterIsRefused() async throws {
        let a = try Self.handle()
        var machine = Machine(handle: a)
        let flushed = await closeNow(&machine)
        #expect(flushed === a)
        #expect(machine.willSend() == nil, "refused while the close flushes")
        machine.didClose()
        #expect(machine.willSend() == nil, "refused once closed")
        #expect(machine.handle === a)
        // A send that finds the queue full is told to give its record up.
        let (waiter, room) = await Self.continuation(of: KafkaProducer.Room.self)
        let now = machine.waitForRoom(after: machine.progress, waiter)
        #expect(now == .closing)
        #expect(machine.waitingForRoom == 0)
        waiter.resume(returning: now ?? .maybeFree)
        _ = await room.value
    }

    @Test func aSecondCloseFindsTheFirst() async throws {
        var machine = Machine(handle: try Self.handle())
        _ = await closeNow(&machine)
        for when in ["while the first flushes", "once closed"] {
            let (closer, closed) = await Self.continuation(of: Handle?.self)
            if case .alreadyClosing = machine.close(closer) {} else { Issue.record("a second close \(when) finds the first") }
            closer.resume(returning: nil)
            _ = await closed.value
            machine.didClose()
        }
    }

    @Test func didCloseBeforeAnyCloseChangesNothing() throws {
        let a = try Self.handle()
        var machine = Machine(handle: a)
        machine.didClose()
        #expect(machine.willSend() === a, "still producing")
    }

    /// The race the machine exists for: a send admitted before `close` is flushed by it (the
    /// closer waits until it enqueued), a send after `close` began is refused, and a send parked
    /// for queue room is told to give its record up, so that it finishes and the close goes on.
    @Test func aSendRacingCloseIsEitherFlushedByItOrRefused() async throws {
        let a = try Self.handle()
        var machine = Machine(handle: a)
        #expect(machine.willSend() === a, "the first send is admitted")
        #expect(machine.willSend() === a, "the second send is admitted")
        let (waiter, room) = await Self.continuation(of: KafkaProducer.Room.self)
        #expect(machine.waitForRoom(after: machine.progress, waiter) == nil, "the second send parks for queue room")

        let (closer, closed) = await Self.continuation(of: Handle?.self)
        guard case .waitForSenders(let failing) = machine.close(closer) else {
            closer.resume(returning: nil)
            waiter.resume(returning: .closing)
            return unexpected("two sends are enqueuing: the close waits for them")
        }
        #expect(failing.count == 1, "the parked send is told to give up")
        failing.forEach { $0.resume(returning: .closing) }
        #expect(await room.value == .closing)
        #expect(machine.waitingForRoom == 0)
        #expect(machine.willSend() == nil, "a third send, after the close began, is refused")

        expectNone(machine.didEnqueue(on: a))  // the second send is done (its record given up)
        guard case .resumeCloser(let parkedCloser, let flushing) = machine.didEnqueue(on: a) else {
            closer.resume(returning: nil)
            return unexpected("the last admitted send enqueued: the close goes on")
        }
        #expect(flushing === a)
        parkedCloser.resume(returning: flushing)
        #expect(await closed.value === a, "the close flushes the handle both sends enqueued on")
        machine.didClose()
        #expect(machine.willSend() == nil)
    }

    // MARK: Renewal

    @Test func aFailedIdleHandleIsReplacedAndRetiredAtOnce() throws {
        let (a, b) = (try Self.handle(), try Self.handle())
        var machine = Machine(handle: a)
        guard case .create = machine.renew(replacing: a) else { return unexpected("the first send to see the failure renews") }
        guard case .alreadyReplaced = machine.renew(replacing: a) else {
            return unexpected("a second send seeing the failure while it is being replaced")
        }
        #expect(machine.willSend() === a, "sends go on on the failed handle until the replacement is in")
        expectNone(machine.didEnqueue(on: a))
        guard case .retire(let old) = machine.renewed(replacing: a, with: .success(b)) else {
            return unexpected("nothing enqueues on the failed handle: retire it now")
        }
        #expect(old === a)
        #expect(machine.handle === b && machine.handles.count == 1)
        #expect(machine.renewals == 1)
        #expect(machine.willSend() === b)
        guard case .alreadyReplaced = machine.renew(replacing: a) else { return unexpected("a late report of the old failure") }
    }

    @Test func aReplacedHandleRetiresWhenItsLastSendEnqueued() throws {
        let (a, b) = (try Self.handle(), try Self.handle())
        var machine = Machine(handle: a)
        #expect(machine.willSend() === a)
        #expect(machine.willSend() === a)
        guard case .create = machine.renew(replacing: a) else { return unexpected("renew") }
        guard case .retireLater = machine.renewed(replacing: a, with: .success(b)) else {
            return unexpected("two sends still enqueue on the failed handle")
        }
        #expect(machine.handles.count == 2 && machine.handles[0] === b && machine.handles[1] === a)
        #expect(machine.willSend() === b, "new sends use the replacement")
        expectNone(machine.didEnqueue(on: a))
        guard case .retire(let old) = machine.didEnqueue(on: a) else { return unexpected("the last send on the old handle") }
        #expect(old === a)
        #expect(machine.handles.count == 1 && machine.handles[0] === b)
        expectNone(machine.didEnqueue(on: b))
    }

    @Test func aReplacementThatCannotBeCreatedLeavesTheFailedHandleForALaterTry() throws {
        let a = try Self.handle()
        var machine = Machine(handle: a)
        guard case .create = machine.renew(replacing: a) else { return unexpected("renew") }
        let failure = KafkaError.client("create producer", "no memory")
        guard case .notReplaced(let error) = machine.renewed(replacing: a, with: .failure(failure)) else {
            return unexpected("the creation failed")
        }
        #expect(error.reason == "no memory")
        #expect(machine.handle === a && machine.renewals == 0)
        guard case .create = machine.renew(replacing: a) else { return unexpected("a later send tries again") }
    }

    @Test func aRenewalAfterCloseBeganIsRefusedAndItsHandleDiscarded() async throws {
        let (a, b) = (try Self.handle(), try Self.handle())
        var machine = Machine(handle: a)
        guard case .create = machine.renew(replacing: a) else { return unexpected("renew") }
        let flushed = await closeNow(&machine)
        #expect(flushed === a, "the close flushes the handle in use")
        guard case .discard(let unused) = machine.renewed(replacing: a, with: .success(b)) else {
            return unexpected("the replacement arrives after the close began")
        }
        #expect(unused === b)
        #expect(machine.handle === a && machine.renewals == 0)
        guard case .notReplaced = machine.renewed(replacing: a, with: .failure(.client("create producer", "late"))) else {
            return unexpected("a failed replacement after the close began")
        }
        guard case .closing = machine.renew(replacing: a) else { return unexpected("no renewal while closing") }
        machine.didClose()
        guard case .closing = machine.renew(replacing: a) else { return unexpected("no renewal once closed") }
    }

    @Test func closeFlushesTheReplacementWhileTheReplacedHandleStillRetires() async throws {
        let (a, b) = (try Self.handle(), try Self.handle())
        var machine = Machine(handle: a)
        #expect(machine.willSend() === a)
        guard case .create = machine.renew(replacing: a) else { return unexpected("renew") }
        guard case .retireLater = machine.renewed(replacing: a, with: .success(b)) else { return unexpected("renewed") }
        let flushed = await closeNow(&machine)
        #expect(flushed === b, "nothing enqueues on the replacement: the close flushes it at once")
        guard case .retire(let old) = machine.didEnqueue(on: a) else { return unexpected("the old handle's last send") }
        #expect(old === a)
    }

    // MARK: Helpers

    /// Closes a machine with nothing enqueuing, as the producer does: the close must say to
    /// flush at once, and the handle it flushes is returned.
    func closeNow(_ machine: inout Machine, sourceLocation: SourceLocation = #_sourceLocation) async -> Handle? {
        let (closer, closed) = await Self.continuation(of: Handle?.self)
        switch machine.close(closer) {
        case .flush(let handle, let failing):
            #expect(failing.isEmpty, sourceLocation: sourceLocation)
            closer.resume(returning: handle)
        case .waitForSenders, .alreadyClosing:
            Issue.record("a close with nothing enqueuing flushes at once", sourceLocation: sourceLocation)
            closer.resume(returning: nil)
        }
        return await closed.value
    }

    /// A continuation, and the task awaiting it (whose value is what the continuation was
    /// resumed with): the machine takes continuations, and a test holds several at once.
    static func continuation<T: Sendable>(of: T.Type) async -> (CheckedContinuation<T, Never>, Task<T, Never>) {
        let (stream, handOver) = AsyncStream.makeStream(of: CheckedContinuation<T, Never>.self)
        let task = Task { await withCheckedContinuation { handOver.yield($0) } }
        var iterator = stream.makeAsyncIterator()
        guard let continuation = await iterator.next() else { preconditionFailure("the task hands its continuation over") }
        return (continuation, task)
    }

    /// Records that the machine answered otherwise than the test expects (for `guard … else { return unexpected(…) }`).
    func unexpected(_ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        Issue.record(comment, sourceLocation: sourceLocation)
    }

    func expectNone(_ action: Machine.EnqueuedAction, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .none = action else {
            return unexpected("expected nothing to do, got \(action)", sourceLocation: sourceLocation)
        }
    }
}
