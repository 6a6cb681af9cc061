import ServiceSupport
import Synchronization
import Testing

/// The race between work and a clock that the stages' drain and the query service share.
/// Late work here waits on a gate the test opens only after `Deadline.run` returned, so a
/// `run` that waited for it would never return (the time limit fails it); nothing is timed.
@Suite(.timeLimit(.minutes(1))) struct DeadlineTests {
    @Test func workThatFinishesInTimeGivesItsResult() async {
        let value = await Deadline.run(within: .seconds(60), cancelLate: true) { 42 }
        #expect(value == 42)
    }

    @Test func lateWorkIsCancelledWhenAsked() async throws {
        let (gate, _) = AsyncStream.makeStream(of: Void.self)  // never opened
        let sawCancel = Atomic<Bool>(false)
        let ended = Atomic<Bool>(false)
        let outcome: Void? = await Deadline.run(within: .milliseconds(20), cancelLate: true) { () async -> Void in
            for await _ in gate {}  // ends only when the task is cancelled
            sawCancel.store(Task.isCancelled, ordering: .releasing)
            ended.store(true, ordering: .releasing)
        }
        #expect(outcome == nil)
        while !ended.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(10)) }
        let wasCancelled = sawCancel.load(ordering: .acquiring)
        #expect(wasCancelled, "late work is cancelled")
    }

    @Test func lateWorkIsLeftToFinishWhenNotToBeCancelled() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let finished = Atomic<Bool>(false)
        let outcome: Void? = await Deadline.run(within: .milliseconds(20), cancelLate: false) { () async -> Void in
            for await _ in gate { break }
            if !Task.isCancelled { finished.store(true, ordering: .releasing) }
        }
        #expect(outcome == nil, "run returned while the work still waited on its gate")
        open.yield()
        while !finished.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(10)) }
    }
}
