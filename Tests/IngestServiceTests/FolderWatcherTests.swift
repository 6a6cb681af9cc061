import Foundation
import IngestService
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Testing

/// Folder mode against the real broker: files in, articles out, files moved.
@Suite(.needs(.broker), .timeLimit(.minutes(2)))
struct FolderWatcherTests {
    @Test func publishedFilesGoToDoneAndBadOnesToFailedWithTheReason() async throws {
        try await TestBroker.withTopics(["ingest-folder"]) { topics in
            let folder = try ScratchFolder()
            let configuration = IngestTestBroker.configuration(topic: topics[0])
            let metrics = IngestMetrics()
            let publisher = try ArticlePublisher(configuration: configuration, metrics: metrics, logger: TestBroker.logger)
            var watch = FolderWatchConfiguration(folder: folder.url.path)
            watch.pollInterval = .milliseconds(100)
            watch.settleTime = .milliseconds(300)
            let watcher = FolderWatcher(configuration: watch, publisher: publisher, metrics: metrics, logger: TestBroker.logger)
            try watcher.prepareFolders()

            let html = "<p>&ldquo;Ready,&rdquo; she said.</p>"
            try folder.write("story.txt", "\"We are ready,\" said Jo Park.")
            try folder.write("page.html", html)
            try folder.write("meta.json", #"{"text": "Filed from JSON.", "url": "https://example.org/filed", "source": "Folder"}"#)
            try folder.write("broken.txt", Data([0x61, 0xFF, 0x62]))
            try folder.write("blank.txt", "   \n")
            try folder.write("bad.json", "{nope")
            try folder.write("notes.md", "not an article")
            try folder.write(".hidden.txt", "being written")

            var sightings: [String: FolderWatcher.Sighting] = [:]
            var outcomes: [String: FolderWatcher.Outcome] = [:]
            let settled = await eventually {
                outcomes.merge(await watcher.scan(&sightings)) { _, new in new }
                return outcomes.count == 6
            }
            #expect(settled, "\(outcomes)")
            await publisher.close()

            for name in ["story.txt", "page.html", "meta.json"] {
                #expect(folder.exists("done/\(name)"), "\(name) moved to done/")
                #expect(!folder.exists(name))
            }
            #expect(folder.read("failed/broken.txt.error.txt")?.contains("UTF-8") == true)
            #expect(folder.read("failed/blank.txt.error.txt")?.contains("empty") == true)
            #expect(folder.read("failed/bad.json.error.txt")?.contains("JSON") == true)
            #expect(folder.exists("failed/broken.txt") && folder.exists("failed/blank.txt") && folder.exists("failed/bad.json"))
            #expect(folder.exists("notes.md") && folder.exists(".hidden.txt"), "other files are left alone")

            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topics[0], count: 3))
            #expect(byID.count == 3)
            #expect(byID.values.contains { $0.contentType == .html && $0.body == html })
            #expect(byID[ArticleID.derive(url: "https://example.org/filed", body: "")]?.source == "Folder")
        }
    }

    @Test func aFileStillGrowingIsNotPickedUp() async throws {
        let folder = try ScratchFolder()
        let configuration = IngestTestBroker.configuration(topic: TestBroker.uniqueName("never-written"))
        let metrics = IngestMetrics()
        let publisher = try ArticlePublisher(configuration: configuration, metrics: metrics, logger: TestBroker.logger)
        var watch = FolderWatchConfiguration(folder: folder.url.path)
        watch.settleTime = .seconds(30)
        let watcher = FolderWatcher(configuration: watch, publisher: publisher, metrics: metrics, logger: TestBroker.logger)
        try watcher.prepareFolders()
        try folder.write("growing.txt", "The first half")
        var sightings: [String: FolderWatcher.Sighting] = [:]
        #expect(await watcher.scan(&sightings).isEmpty)
        try folder.write("growing.txt", "The first half and the second half.")
        #expect(await watcher.scan(&sightings).isEmpty)
        #expect(folder.exists("growing.txt"))
        await publisher.close()
    }
}
