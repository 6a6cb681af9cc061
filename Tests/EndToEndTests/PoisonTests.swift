import Foundation
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import Testing

/// Poison through every entry point of the running pipeline (the four service processes on
/// the real broker): HTTP ingest, `quotewire publish`, records produced straight onto the raw
/// topic and straight onto the parsed topic. Each kind of bad input is refused at the door
/// with a clear error, lands on the dead-letter topic with its reason, or (odd but valid text)
/// comes out parsed and indexed; the good articles sent between the poison ones are all
/// indexed. `quotewire dlq list` then shows every dead letter and why, and `quotewire dlq
/// replay` sends chosen letters back once fixed.
@Suite(.needs(.broker, .processes, .time), .serialized, .timeLimit(.minutes(10))) struct PoisonTests {
    @Test func everyPoisonIsRefusedDeadLetteredOrParsedAndTheGoodArticlesAroundItAreIndexed() async throws {
        let pipeline = try await Pipeline()
        let run = PoisonRun(pipeline: pipeline)
        defer { try? FileManager.default.removeItem(at: run.files) }
        do {
            try await exercise(pipeline, run)
        } catch {
            // A failed `#require` must not leave the four services running.
            await run.close()
            _ = try? await pipeline.stop()
            throw error
        }
        await run.close()
        let statuses = try await pipeline.stop()
        #expect(statuses.allSatisfy { $0 == 0 }, "no service crashed on the poison and each stops cleanly: \(statuses)")
    }

    func exercise(_ pipeline: Pipeline, _ run: PoisonRun) async throws {
        try FileManager.default.createDirectory(at: run.files, withIntermediateDirectories: true)
        for entry in PoisonEntry.allCases {
            for poison in Poison.allCases {
                try await run.sendGood(through: entry)
                try await run.send(poison, through: entry)
            }
            try await run.sendGood(through: entry)
        }

        // Everything accepted ends up in the index: the good articles and the odd-but-valid poison.
        let expected = run.goodIDs.count + run.acceptedIDs.count
        let indexed = await pipeline.waitForIndexed(expected, within: .seconds(180))
        let reader = IndexReader(folder: IndexFolder(path: pipeline.indexPath))
        var missingGood: [String] = []
        for id in run.goodIDs where (try? await reader.article(id: id)) == nil { missingGood.append(id) }
        #expect(missingGood.isEmpty, "good articles not indexed: \(missingGood); logs in \(pipeline.folder.path)")
        for (label, id) in run.acceptedIDs.sorted(by: { $0.key < $1.key }) {
            let stored = try? await reader.article(id: id)
            #expect(stored != nil, "\(label) was accepted but is not indexed")
            if let stored { run.checkParsed(label, stored.article) }
        }
        // Nothing more to come: every raw record handled, the parsed topic indexed to its end.
        try await pipeline.waitUntilSettled(within: .seconds(120))
        #expect(await pipeline.indexedCount() == expected,
                "exactly the good articles and the accepted poison are indexed (\(indexed) seen, \(expected) expected)")

        // Printed for people, the hostile text cannot steer the terminal: no escape sequences,
        // backspaces or bidirectional overrides reach it (the JSON output keeps the text as it is).
        for arguments in [["quotes", "--speaker", "Ana Lopes", "--limit", "500"], ["search", "Kowal", "--limit", "100"]] {
            let printed = try await pipeline.run(arguments + ["--server", pipeline.server])
            #expect(printed.status == 0, "\(arguments): \(printed.errors)")
            let unsafe = printed.output.unicodeScalars.filter {
                ($0.properties.generalCategory == .control && $0 != "\n") || (0x202A...0x202E).contains($0.value)
                    || (0x2066...0x2069).contains($0.value)
            }
            #expect(unsafe.isEmpty, "\(arguments) printed control characters \(unsafe.map { String($0.value, radix: 16) })")
            if arguments[0] == "quotes" {
                #expect(printed.output.contains("\u{FFFD}"), "\(arguments) shows where they were: \(printed.output.prefix(500))")
            }
        }

        // A search matching the megabyte quotation (the same words 17,500 times) answers in time.
        // A quotation repeating a word 17,500 times: its snippet is cut from highlight() rather than
        // made by FTS5's snippet(), whose cost grows with the square of the matches (it used to keep a
        // reader busy for minutes and the query service cut it off with a 503).
        let searchStarted = ContinuousClock.now
        let crowded = try await pipeline.run(["search", "quay", "--limit", "1", "--json", "--server", pipeline.server])
        let searchTook = ContinuousClock.now - searchStarted
        #expect(crowded.status == 0, "\(crowded.errors)")
        #expect(crowded.output.contains("<mark>quay</mark>"), "the crowded hit has a highlighted snippet: \(crowded.output.prefix(300))")
        #expect(searchTook < .seconds(5), "answered in \(searchTook), not cut off by the query deadline")

        // `quotewire dlq list --json`: every dead letter with its stage and reason, nothing else.
        let letters = try await run.waitForDeadLetters(run.expectedLetters.count)
        #expect(letters.count == run.expectedLetters.count,
                "dead letters: \(letters.map { "\($0.sourceTopic ?? "?")@\($0.sourceOffset ?? -1): \($0.error ?? "")" })")
        for expected in run.expectedLetters {
            let letter = letters.first {
                $0.sourceTopic == expected.topic && $0.sourcePartition == expected.partition && $0.sourceOffset == expected.offset
            }
            #expect(letter != nil, "\(expected.label) is not in the dead-letter topic")
            guard let letter else { continue }
            #expect(letter.stage == expected.stage, "\(expected.label) was dead-lettered by \(letter.stage ?? "?")")
            let reason = letter.error ?? ""
            #expect(expected.words.allSatisfy { reason.localizedCaseInsensitiveContains($0) },
                    "\(expected.label): the reason \"\(reason.prefix(300))\" should mention \(expected.words)")
            #expect(reason.count <= 600, "\(expected.label): a reason is a line, not \(reason.count) characters")
        }

        // The table names the source and the reason.
        let table = try await pipeline.run(["dlq", "list", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers])
        #expect(table.status == 0, "\(table.errors)")
        #expect(table.output.contains("ERROR") && table.output.contains("\(pipeline.raw)[") && table.output.contains("\(pipeline.parsed)["))
        #expect(table.output.contains("schemaVersion 99"), "\(table.output)")

        // Replay once fixed: the truncated raw article, its value replaced by the complete JSON.
        let beforeReplays = await pipeline.indexedCount()
        let truncated = try #require(run.fixable)
        let letter = try #require(letters.first { $0.sourceTopic == pipeline.raw && $0.sourceOffset == truncated.offset
                && $0.sourcePartition == truncated.partition })
        let fixedFile = run.files.appendingPathComponent("fixed.json")
        try truncated.fixedValue.write(to: fixedFile)
        let replayed = try await pipeline.run([
            "dlq", "replay", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers,
            "--partition", String(letter.partition), "--value-file", fixedFile.path, String(letter.offset),
        ])
        #expect(replayed.status == 0, "\(replayed.errors)")
        #expect(replayed.output.contains("replayed \(letter.partition):\(letter.offset) -> \(pipeline.raw)"), "\(replayed.output)")

        // Replay as it is: a letter whose cause was passing (its bytes are a valid parsed article).
        let transient = try await run.deadLetterWithATransientCause()
        let again = try await pipeline.run([
            "dlq", "replay", "--topic", pipeline.dlq, "--brokers", Pipeline.brokers,
            "--partition", String(transient.report.partition), String(transient.report.offset),
        ])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("-> \(pipeline.parsed)"), "\(again.output)")

        #expect(await pipeline.waitForIndexed(beforeReplays + 2, within: .seconds(60)) == beforeReplays + 2)
        try await pipeline.waitUntilSettled(within: .seconds(60))
        #expect((try? await reader.article(id: truncated.articleId)) != nil, "the fixed article is indexed after its replay")
        #expect((try? await reader.article(id: transient.articleId)) != nil, "the replayed letter is indexed")
        let after = try await run.waitForDeadLetters(letters.count + 1)
        #expect(after.count == letters.count + 1, "replays add no dead letters")
    }
}
