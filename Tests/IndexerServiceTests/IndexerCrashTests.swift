import ChildProcesses
import Foundation
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Testing

/// Crash safety: the real `quotewire-indexer` process killed with SIGKILL at random moments
/// (between batches and in the middle of them) while articles stream in; after restarts the
/// index holds exactly the published articles, none twice.
@Suite(.needs(.broker, .processes, .time), .serialized, .timeLimit(.minutes(5))) struct IndexerCrashTests {
    /// The built executables sit beside the test binary.
    static var binDirectory: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
    }

    func launchIndexer(topic: String, dlq: String, folder: URL, group: String, logs: URL) throws -> Process {
        let process = Process()
        process.executableURL = Self.binDirectory.appendingPathComponent("quotewire-indexer")
        process.arguments = [
            "--brokers", IndexerTestSupport.brokers, "--index", folder.path, "--group", group,
            "--topic", topic, "--dead-letter-topic", dlq, "--port", "0", "--batch-records", "300", "--log-level", "warning",
        ]
        let log = try FileHandle(forWritingTo: logs)
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = log
        try process.runTiedToThisProcess()
        return process
    }

    @Test func sigkillAtRandomMomentsLosesAndDuplicatesNothing() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq])
        let folder = try IndexerTestSupport.temporaryFolder()
        let logs = folder.appendingPathExtension("log")
        _ = FileManager.default.createFile(atPath: logs.path, contents: nil)
        let group = IndexerTestSupport.unique("indexer")
        let total = 3_000
        var generator = SystemRandomNumberGenerator()

        let publisher = Task {
            for chunk in stride(from: 0, to: total, by: 250) {
                try await IndexerTestSupport.publish((chunk..<min(total, chunk + 250)).map { IndexerTestSupport.article($0) }, topic: topic)
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        var kills = 0
        for _ in 0..<6 {
            let process = try launchIndexer(topic: topic, dlq: dlq, folder: folder, group: group, logs: logs)
            try await Task.sleep(for: .milliseconds(Int.random(in: 1_500...4_000, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            kills += 1
        }
        try await publisher.value
        let survivor = try launchIndexer(topic: topic, dlq: dlq, folder: folder, group: group, logs: logs)
        let indexed = await IndexerTestSupport.waitForArticles(total, in: folder, within: .seconds(120))
        // Copies the killed indexers left unconfirmed are read again: wait until the topic is indexed to its end.
        var unsettled: (any Error)?
        do {
            try await TopicProgress.waitUntilIndexedToTheEnd(of: topic, brokers: IndexerTestSupport.brokers, indexPath: folder.path)
        } catch {
            unsettled = error
        }
        survivor.terminate()
        survivor.waitUntilExit()

        #expect(kills == 6)
        #expect(unsettled == nil, "the survivor indexes the topic to its end: \(unsettled.map { "\($0)" } ?? "")")
        #expect(indexed == total, "index holds \(indexed) of \(total); see \(logs.path)")
        let published = IndexCensus.Published((0..<total).map { IndexerTestSupport.article($0) })
        let problems = try IndexCensus.problems(indexPath: folder.path, published: published)
        #expect(problems.isEmpty, "each published article once, its quotations once: \(problems.prefix(5)) (\(problems.count) in all)")
        #expect(survivor.terminationStatus == 0, "SIGTERM shuts down cleanly")
        try await admin.deleteTopics([topic, dlq])
    }
}
