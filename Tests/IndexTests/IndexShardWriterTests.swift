import Foundation
import GRDB
import Testing
@testable import QuotewireIndex
import QuotewireModels

@Suite("Index store: writer")
struct IndexShardWriterTests {
    @Test func upsertReplacesTheEarlierVersionEverywhere() async throws {
        let temp = try TemporaryFolder()
        let writer = try IndexShardWriter.open(folder: temp.index, partition: 0)
        let first = Fixtures.article(
            "a1", headline: "Old headline about turnips",
            quotations: [Fixtures.quote("Turnips are the future", by: "Mark Rutte"),
                         Fixtures.quote("We grow them", by: "Anna Keller")],
            quotes: [Fixtures.ticker("RIO", 57.26)])
        try await writer.apply(IndexBatch(operations: [Fixtures.upsert(first, offset: 0)],
                                          topic: Fixtures.topic, partition: 0, nextOffset: 1))
        let second = Fixtures.article(
            "a1", headline: "New headline about carrots",
            quotations: [Fixtures.quote("Carrots win", by: "Mark Rutte")],
            quotes: [Fixtures.ticker("GSK", 12.5)])
        try await writer.apply(IndexBatch(operations: [Fixtures.upsert(second, offset: 1)],
                                          topic: Fixtures.topic, partition: 0, nextOffset: 2))
        #expect(try writer.counts() == IndexCounts(articles: 1, quotations: 1, speakers: 1, marketQuotes: 1))
        try writer.close()

        let reader = Fixtures.reader(temp.index)
        #expect(try await reader.search("turnips").results.isEmpty)
        #expect(try await reader.quotations(speaker: "keller").quotations.isEmpty)
        #expect(try await reader.search("carrots").results.map(\.type).contains(.article))
        #expect(try await reader.search("turnip*").results.isEmpty)
        #expect(try await reader.ticker("RIO").quotes.isEmpty)
        #expect(try await reader.ticker("gsk").quotes.map(\.price) == [12.5])
        let speakers = try await reader.speakers().speakers
        #expect(speakers.map(\.name) == ["Mark Rutte"])
        #expect(speakers.first?.quotations == 1)
        #expect(try await reader.article(id: "a1").article.headline == "New headline about carrots")
    }

    @Test func deleteRemovesTheArticleEverywhere() async throws {
        let temp = try TemporaryFolder()
        let writer = try IndexShardWriter.open(folder: temp.index, partition: 0)
        let article = Fixtures.article(
            "gone", headline: "Zeppelins return", quotations: [Fixtures.quote("Zeppelins are back", by: "Lena Novak")],
            quotes: [Fixtures.ticker("BP", 4.2)])
        let keep = Fixtures.article("kept", headline: "Zeppelins stay", quotations: [Fixtures.quote("Zeppelins", by: "Omar Haddad")])
        try await writer.apply(IndexBatch(operations: [Fixtures.upsert(article, offset: 0), Fixtures.upsert(keep, offset: 1)],
                                          topic: Fixtures.topic, partition: 0, nextOffset: 2))
        try await writer.apply(IndexBatch(operations: [.delete(articleId: "gone", offset: 2),
                                                       .delete(articleId: "never-seen", offset: 3)],
                                          topic: Fixtures.topic, partition: 0, nextOffset: 4))
        #expect(try writer.counts() == IndexCounts(articles: 1, quotations: 1, speakers: 1, marketQuotes: 0))
        #expect(try writer.storedOffset(topic: Fixtures.topic, partition: 0) == 4)

        let reader = Fixtures.reader(temp.index)
        let hits = try await reader.search("zeppelins").results
        #expect(Set(hits.map(\.articleId)) == ["kept"])
        #expect(try await reader.quotations(speaker: "novak").quotations.isEmpty)
        #expect(try await reader.speakers().speakers.map(\.name) == ["Omar Haddad"])
        #expect(try await reader.ticker("BP").quotes.isEmpty)
        await #expect { try await reader.article(id: "gone") } throws: { ($0 as? IndexError)?.kind == .notFound }
        try writer.close()
    }

    @Test func operationsOnOneArticleAndSpeakerInsideOneBatchCountOnce() async throws {
        let temp = try TemporaryFolder()
        let writer = try IndexShardWriter.open(folder: temp.index, partition: 0)
        let rutte = { (text: String) in Fixtures.quote(text, by: "Mark Rutte", mention: "Rutte") }
        let first = Fixtures.article("b1", headline: "Walruses first", quotations: [rutte("Walruses one"), rutte("Walruses two")])
        let second = Fixtures.article("b1", headline: "Walruses second", quotations: [rutte("Walruses three")])
        let other = Fixtures.article("b2", headline: "Puffins", quotations: [Fixtures.quote("Puffins", by: "mark  RUTTE")])
        let fleeting = Fixtures.article("b3", headline: "Narwhals", quotations: [Fixtures.quote("Narwhals", by: "Ida Berg")])
        // One batch: an article, its new version, another article by the same speaker
        // (spelled differently), and an article whose only speaker is deleted again.
        try await writer.apply(IndexBatch(
            operations: [Fixtures.upsert(first, offset: 0), Fixtures.upsert(fleeting, offset: 1),
                         Fixtures.upsert(second, offset: 2), Fixtures.upsert(other, offset: 3),
                         .delete(articleId: "b3", offset: 4)],
            topic: Fixtures.topic, partition: 0, nextOffset: 5))
        #expect(try writer.counts() == IndexCounts(articles: 2, quotations: 2, speakers: 1, marketQuotes: 0))
        try writer.close()

        let reader = Fixtures.reader(temp.index)
        let speakers = try await reader.speakers().speakers
        #expect(speakers.map(\.name) == ["Mark Rutte"])
        #expect(speakers.first?.quotations == 2)
        // The full-text rows follow the rows: nothing of the replaced or deleted versions is found.
        #expect(try await reader.search("walruses").results.filter { $0.type == .article }.map(\.articleId) == ["b1"])
        #expect(try await reader.search("\"walruses one\"").results.isEmpty)
        #expect(try await reader.search("narwhals").results.isEmpty)
        #expect(try await reader.search("\"walruses three\"").results.map(\.type) == [.quotation])
    }

    @Test func aVersionOneShardIsMigratedAndKeepsItsFullTextRows() async throws {
        let temp = try TemporaryFolder()
        let writer = try IndexShardWriter.open(folder: temp.index, partition: 0)
        try await writer.apply(IndexBatch(
            operations: [Fixtures.upsert(Fixtures.article("m1", headline: "Lighthouses", quotations: [
                Fixtures.quote("Lighthouses guide ships", by: "Ada Brun")]), offset: 0)],
            topic: Fixtures.topic, partition: 0, nextOffset: 1))
        try writer.close()
        // Put the file back in its version-1 shape: the triggers that kept the FTS tables in step.
        let queue = try DatabaseQueue(path: temp.index.shardURL(partition: 0).path)
        try await queue.write { db in
            try db.execute(sql: """
                DELETE FROM grdb_migrations WHERE identifier = 'v2-store-writes-fts';
                PRAGMA user_version = 1;
                CREATE TRIGGER quotation_fts_insert AFTER INSERT ON quotation BEGIN
                    INSERT INTO quotation_fts (rowid, text, speaker) VALUES (new.qid, new.text, new.speaker);
                END;
                """)
        }
        try queue.close()

        let reopened = try IndexShardWriter.open(folder: temp.index, partition: 0)
        try await reopened.apply(IndexBatch(
            operations: [Fixtures.upsert(Fixtures.article("m2", headline: "Foghorns", quotations: [
                Fixtures.quote("Foghorns warn ships", by: "Ada Brun")]), offset: 1)],
            topic: Fixtures.topic, partition: 0, nextOffset: 2))
        try reopened.close()
        let check = try DatabaseQueue(path: temp.index.shardURL(partition: 0).path)
        try await check.write { db in
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 3)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == 0)
            // FTS5 compares its index with the content tables and fails on any difference.
            for table in ["article_fts", "quotation_fts"] {
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('integrity-check', 1)")
            }
        }
        try check.close()
        let reader = Fixtures.reader(temp.index)
        #expect(try await reader.search("ships").results.filter { $0.type == .quotation }.count == 2,
                "each quotation indexed once: not by a leftover trigger and by the writer")
    }

    @Test func offsetsAreStoredInTheSameTransactionAsTheRows() async throws {
        let temp = try TemporaryFolder()
        var configuration = IndexWriterConfiguration()
        struct SimulatedCrash: Error {}
        configuration.afterOperation = { index in if index == 1 { throw SimulatedCrash() } }
        let crashing = try IndexShardWriter.open(folder: temp.index, partition: 2, configuration: configuration)
        let batch = IndexBatch(
            operations: [Fixtures.upsert(Fixtures.article("x1"), offset: 10),
                         Fixtures.upsert(Fixtures.article("x2"), offset: 11),
                         Fixtures.upsert(Fixtures.article("x3"), offset: 12)],
            topic: Fixtures.topic, partition: 2, nextOffset: 13)
        await #expect { try await crashing.apply(batch) } throws: { ($0 as? IndexError)?.kind == .database }
        #expect(try crashing.counts() == IndexCounts())
        #expect(try crashing.storedOffset(topic: Fixtures.topic, partition: 2) == nil)
        try crashing.close()

        let writer = try IndexShardWriter.open(folder: temp.index, partition: 2)
        try await writer.apply(batch)
        #expect(try writer.counts().articles == 3)
        #expect(try writer.storedOffset(topic: Fixtures.topic, partition: 2) == 13)
        try writer.close()
    }

    @Test func moveAsideKeepsTheFileAndStartsAnew() async throws {
        let temp = try TemporaryFolder()
        let writer = try IndexShardWriter.open(folder: temp.index, partition: 1)
        try await writer.apply(IndexBatch(operations: [Fixtures.upsert(Fixtures.article("m1"), offset: 0)],
                                          topic: Fixtures.topic, partition: 1, nextOffset: 1))
        let moved = try #require(try writer.closeAndMoveAside(now: Fixtures.date("2026-03-04T05:06:07Z")))
        #expect(moved.lastPathComponent == "shard-1.sqlite.moved-20260304T050607Z")
        #expect(FileManager.default.fileExists(atPath: moved.path))
        #expect(!FileManager.default.fileExists(atPath: temp.index.shardURL(partition: 1).path))
        #expect(try temp.index.shardFiles().isEmpty)

        // The kept file still holds its rows.
        let kept = try DatabaseQueue(path: moved.path)
        let keptArticles = try await kept.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article") }
        #expect(keptArticles == 1)
        try kept.close()

        let fresh = try IndexShardWriter.open(folder: temp.index, partition: 1)
        #expect(try fresh.storedOffset(topic: Fixtures.topic, partition: 1) == nil)
        #expect(try fresh.counts().articles == 0)
        try fresh.close()
    }

    @Test func rebuildSwapsTheFolderAtomically() async throws {
        let temp = try TemporaryFolder()
        let link = temp.index
        try await Fixtures.write([Fixtures.article("old", headline: "Original harbour story")], into: link, partition: 0)
        let reader = Fixtures.reader(link)
        #expect(try await reader.search("harbour").results.map(\.articleId) == ["old"])

        // First swap converts the real folder into a symlink to a generation.
        let generation = try link.makeGeneration(now: Fixtures.date("2026-03-04T05:06:07Z"))
        #expect(generation.url.lastPathComponent == "index.20260304T050607Z")
        try await Fixtures.write([Fixtures.article("new", headline: "Rebuilt harbour story")], into: generation, partition: 0)
        let previous = try #require(try link.swapIn(generation))
        #expect(FileManager.default.fileExists(atPath: previous.appendingPathComponent("shard-0.sqlite").path))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.url.path) == "index.20260304T050607Z")
        #expect(try await reader.search("harbour").results.map(\.articleId) == ["new"])

        // A second swap repoints the symlink.
        let next = try link.makeGeneration(now: Fixtures.date("2026-03-05T00:00:00Z"))
        try await Fixtures.write([Fixtures.article("newer", headline: "Third harbour story")], into: next, partition: 0)
        let before = try link.swapIn(next)
        #expect(before?.lastPathComponent == "index.20260304T050607Z")
        #expect(try await reader.search("harbour").results.map(\.articleId) == ["newer"])
    }
}

/// One person, one speaker: spellings that differ by a doubled letter or a diacritic share a key, and
/// a sentence-initial capital does not make a second alias; shards written before are refolded.
@Suite("Canonical speakers")
struct CanonicalSpeakerTests {
    private func index(_ folder: IndexFolder) async throws {
        let writer = try IndexShardWriter.open(folder: folder, partition: 0)
        try await writer.apply(IndexBatch(
            operations: [
                Fixtures.upsert(Fixtures.article("z1", quotations: [
                    Fixtures.quote("We will hold the line", by: "Volodymyr Zelenskyy", mention: "He")]), offset: 0),
                Fixtures.upsert(Fixtures.article("z2", quotations: [
                    Fixtures.quote("The front is stable", by: "Volodymyr Zelensky", mention: "he")]), offset: 1),
                Fixtures.upsert(Fixtures.article("z3", quotations: [
                    Fixtures.quote("Help is on its way", by: "Volodymyr Zelenský", mention: "Zelensky")]), offset: 2),
            ],
            topic: Fixtures.topic, partition: 0, nextOffset: 3))
        try writer.close()
    }

    @Test func transliterationsAndCapitalsAreOneSpeaker() async throws {
        let temp = try TemporaryFolder()
        try await index(temp.index)
        let speakers = try await Fixtures.reader(temp.index).speakers().speakers
        #expect(speakers.count == 1)
        #expect(speakers.first?.quotations == 3)
        #expect(speakers.first?.mentions == ["he", "Zelensky"])
        let found = try await Fixtures.reader(temp.index).quotations(speaker: "zelenskyy").quotations
        #expect(found.count == 3)
    }

    @Test func aShardFoldedTheOldWayIsRefolded() async throws {
        let temp = try TemporaryFolder()
        try await index(temp.index)
        // Put the shard back in its pre-2.2 state: the old keys (no doubled letters folded), one speaker
        // row per spelling, aliases as written.
        let queue = try DatabaseQueue(path: temp.index.shardURL(partition: 0).path)
        try await queue.write { db in
            try db.execute(sql: """
                DELETE FROM grdb_migrations WHERE identifier = 'v2.2-fold-speakers';
                DELETE FROM speaker_mention;
                DELETE FROM speaker;
                INSERT INTO speaker (sid, name, foldedName, quotations) VALUES
                    (1, 'Volodymyr Zelenskyy', 'volodymyr zelenskyy', 1), (2, 'Volodymyr Zelensky', 'volodymyr zelensky', 2);
                UPDATE quotation SET sid = 1 WHERE speaker = 'Volodymyr Zelenskyy';
                UPDATE quotation SET sid = 2 WHERE speaker != 'Volodymyr Zelenskyy';
                INSERT INTO speaker_mention (sid, mention, quotations) VALUES (1, 'He', 1), (2, 'he', 1), (2, 'Zelensky', 1);
                """)
        }
        try queue.close()
        try IndexShardWriter.open(folder: temp.index, partition: 0).close()
        let speakers = try await Fixtures.reader(temp.index).speakers().speakers
        #expect(speakers.map(\.name) == ["Volodymyr Zelenskyy"], "merged into the oldest row")
        #expect(speakers.first?.quotations == 3)
        #expect(speakers.first?.mentions == ["he", "Zelensky"])
    }
}
