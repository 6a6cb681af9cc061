import Foundation
@testable import IndexerService
import QuotewireKafka
import QuotewireTestSupport
import ServiceSupport
import Testing

/// How the indexer decides which partition's batch to write and when a revocation may go on.
@Suite struct WriteSchedulingTests {
    func records(_ partition: Int32, _ offsets: Range<Int64>) -> [KafkaMessage] {
        offsets.map { KafkaMessage(topic: "parsed", partition: partition, offset: $0, key: nil, value: nil) }
    }

    @Test func aFullPartitionIsDueAndItsBatchIsCutAtTheLimitInOrder() {
        var pending = PendingRecords()
        pending.append(records(0, 0..<250) + records(1, 0..<40))
        #expect(pending.full(100) == [0])
        #expect(pending.due(maxRecords: 100, maxDelay: .seconds(60), idle: false) == [0])

        let first = pending.take(0, upTo: 100)
        #expect(first.map(\.offset) == Array(0..<100))
        #expect(pending.take(0, upTo: 100).map(\.offset) == Array(100..<200))
        #expect(pending.take(0, upTo: 100).map(\.offset) == Array(200..<250))
        #expect(pending.partitions == [1])
    }

    @Test func aPartitionIsDueWhenItsOldestRecordWaitedOrNothingMoreArrived() async throws {
        var pending = PendingRecords()
        pending.append(records(2, 0..<3))
        #expect(pending.due(maxRecords: 100, maxDelay: .seconds(60), idle: false).isEmpty)
        #expect(pending.due(maxRecords: 100, maxDelay: .seconds(60), idle: true) == [2])
        try await Task.sleep(for: .milliseconds(30))
        #expect(pending.due(maxRecords: 100, maxDelay: .milliseconds(20), idle: false) == [2])
    }

    @Test func recordsOfRevokedPartitionsAreDropped() {
        var pending = PendingRecords()
        pending.append(records(0, 0..<5) + records(1, 0..<5) + records(2, 0..<5))
        pending.keepOnly([TopicPartition(topic: "parsed", partition: 1)])
        #expect(pending.partitions == [1])
    }

    @Test func aPartitionHasOneWriteInFlightAndARevocationWaitsForIt() async throws {
        let writes = WritesInFlight()
        #expect(writes.begin(0))
        #expect(!writes.begin(0), "a second write of the same partition must wait")
        #expect(writes.begin(1))

        // A revocation of partition 0 blocks its thread until the write of 0 ends, not of 1: the
        // end of 1 wakes it, and it waits again.
        let revoked = ReadinessFlag()
        let thread = Thread {
            writes.waitUntilIdle([0])
            revoked.set()
        }
        thread.start()
        #expect(await eventually(within: .seconds(10)) { writes.waitsBegun == 1 }, "the revocation waits for the write of 0")
        writes.end(1)
        #expect(await eventually(within: .seconds(10)) { writes.waitsBegun == 2 }, "the end of 1 does not free a revocation of 0")
        #expect(!revoked.isSet, "revoked while its batch was being written")
        writes.end(0)
        #expect(await eventually(within: .seconds(10)) { revoked.isSet })
        #expect(writes.begin(0), "the partition can be written again")

        // Each ended write wakes the poll loop.
        var completions = writes.completions.makeAsyncIterator()
        writes.end(0)
        #expect(await completions.next() != nil)
    }
}
