import ServiceSupport
import Synchronization
import Testing

/// The race between work and a clock that the stages' drain and the query service share.
@Suite struct DeadlineTests {
    @Test func workThatFinishesInTimeGivesItsResult() async {
        let value = await Deadline.run(within: .seconds(5), cancelLate: true) { 42 }
        #expect(value == 42)
    }

    @Test func lateWorkIsCancelledOrLeftToFinishAsAsked() async throws {
        let started = ContinuousClock.now
        let sawCancel = Atomic<Bool>(false)
        let cancelled = await Deadline.run(within: .milliseconds(50), cancelLate: true) { () async -> Void in
            try? await Task.sleep(for: .seconds(10))
            sawCancel.store(Task.isCancelled, ordering: .releasing)
        }
        #expect(cancelled == nil)
        #expect(ContinuousClock.now - started < .seconds(5), "the caller does not wait for late work")
        try await Task.sleep(for: .milliseconds(300))
        let wasCancelled = sawCancel.load(ordering: .acquiring)
        #expect(wasCancelled, "late work is cancelled")

        let finished = Atomic<Bool>(false)
        let left = await Deadline.run(within: .milliseconds(20), cancelLate: false) { () async -> Void in
            try? await Task.sleep(for: .milliseconds(200))
            if !Task.isCancelled { finished.store(true, ordering: .releasing) }
        }
        #expect(left == nil)
        try await Task.sleep(for: .milliseconds(600))
        let ranToEnd = finished.load(ordering: .acquiring)
        #expect(ranToEnd, "work not cancelled runs to its end in the background")
    }
}
