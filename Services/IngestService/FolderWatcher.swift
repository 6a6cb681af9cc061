import ArticleIntake
import Foundation
import Logging
import QuotewireModels
import ServiceLifecycle

/// Folder mode: publishes the `*.txt`, `*.html`/`*.htm` and `*.json` files dropped into a
/// folder, then moves each to `done/`, or to `failed/` with `NAME.error.txt` beside it saying why.
///
/// **Half-written files are not picked up**: a file is read only once its size and
/// modification time were the same on two scans and have not changed for `settleTime`.
/// Writers that can should still write under a hidden name (`.name.txt`, ignored) or
/// elsewhere on the same file system and rename the finished file into the folder.
///
/// While the broker is away a file stays where it is and is tried again on a later scan; only
/// files that can never be published (not UTF-8, empty, bad JSON, too large) go to `failed/`.
public final class FolderWatcher: Service, Sendable {
    let configuration: FolderWatchConfiguration
    let publisher: ArticlePublisher
    let metrics: IngestMetrics
    let logger: Logger

    /// What became of one file on a scan.
    public enum Outcome: Sendable, Equatable {
        case published(articleId: String)
        case failed(reason: String)
        /// Left in place to be tried again (the broker could not take it).
        case deferred(reason: String)
    }

    public init(configuration: FolderWatchConfiguration, publisher: ArticlePublisher, metrics: IngestMetrics, logger: Logger) {
        self.configuration = configuration
        self.publisher = publisher
        self.metrics = metrics
        self.logger = logger
    }

    var folder: URL { URL(fileURLWithPath: configuration.folder, isDirectory: true) }
    var doneFolder: URL { folder.appendingPathComponent("done", isDirectory: true) }
    var failedFolder: URL { folder.appendingPathComponent("failed", isDirectory: true) }

    /// Scans until graceful shutdown; the file in hand is finished first.
    public func run() async throws {
        try prepareFolders()
        logger.info("watching folder", metadata: ["folder": "\(configuration.folder)"])
        var sightings: [String: Sighting] = [:]
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            _ = await scan(&sightings)
            do {
                let interval = configuration.pollInterval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
        logger.info("stopped watching folder")
    }

    /// Creates the folder, `done/` and `failed/` when missing.
    /// - Throws: the file system's error when they cannot be created.
    public func prepareFolders() throws {
        for url in [folder, doneFolder, failedFolder] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
    }

    /// A file's size and modification time at one scan, and when they were first seen so.
    public struct Sighting: Sendable, Equatable {
        var size: Int
        var modified: Date
        var since: ContinuousClock.Instant
    }

    /// One pass over the folder: publishes every file that has settled. Returns what became of
    /// each file handled, by name. `sightings` carries what earlier scans saw.
    public func scan(_ sightings: inout [String: Sighting]) async -> [String: Outcome] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            logger.error("cannot list the watched folder", metadata: ["folder": "\(folder.path)", "error": "\(error)"])
            return [:]
        }
        var outcomes: [String: Outcome] = [:]
        var present: Set<String> = []
        for name in names where Self.isCandidate(name) {
            let url = folder.appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            present.insert(name)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = attributes[.modificationDate] as? Date ?? .distantPast
            let now = ContinuousClock.now
            guard let seen = sightings[name], seen.size == size, seen.modified == modified else {
                sightings[name] = Sighting(size: size, modified: modified, since: now)
                continue
            }
            guard now - seen.since >= configuration.settleTime else { continue }
            if Task.isShuttingDownGracefully { break }
            let outcome = await handle(url, size: size)
            outcomes[name] = outcome
            if case .deferred = outcome { continue }
            sightings[name] = nil
        }
        for name in sightings.keys where !present.contains(name) {
            sightings[name] = nil
        }
        return outcomes
    }

    /// Whether a folder entry is a file to publish: a known extension, not hidden.
    static func isCandidate(_ name: String) -> Bool {
        guard !name.hasPrefix(".") else { return false }
        return ["txt", "html", "htm", "json"].contains((name as NSString).pathExtension.lowercased())
    }

    private func handle(_ url: URL, size: Int) async -> Outcome {
        let name = url.lastPathComponent
        let outcome: Outcome
        do {
            guard size <= configuration.maxFileBytes else {
                throw SubmissionError(.tooLarge, "the file is \(size) bytes; the limit is \(configuration.maxFileBytes)")
            }
            let data = try Data(contentsOf: url)
            let submission = ArticleSubmission(form: ArticleSubmission.form(ofFileNamed: name), maxBodyBytes: configuration.maxFileBytes)
            let article = try submission.article(from: data, receivedAt: Date())
            try await publisher.publish(article)
            outcome = .published(articleId: article.articleId)
        } catch let error as SubmissionError {
            outcome = .failed(reason: error.message)
        } catch let error as PublishError {
            outcome = error.isRetriable ? .deferred(reason: error.reason) : .failed(reason: "publishing failed: \(error)")
        } catch {
            outcome = .failed(reason: "the file could not be read: \(error.localizedDescription)")
        }
        switch outcome {
        case .published(let articleId):
            move(url, to: doneFolder)
            metrics.file(outcome: "done")
            logger.info("published file", metadata: ["file": "\(name)", "articleId": "\(articleId)"])
        case .failed(let reason):
            let moved = move(url, to: failedFolder)
            let note = (moved ?? failedFolder.appendingPathComponent(name)).path + ".error.txt"
            do {
                try Data("\(reason)\n".utf8).write(to: URL(fileURLWithPath: note), options: .atomic)
            } catch {
                logger.error("cannot write the error note", metadata: ["file": "\(note)", "error": "\(error)"])
            }
            metrics.file(outcome: "failed")
            logger.warning("file failed", metadata: ["file": "\(name)", "reason": "\(reason)"])
        case .deferred(let reason):
            logger.warning("file left for a later try", metadata: ["file": "\(name)", "reason": "\(reason)"])
        }
        return outcome
    }

    /// Moves a file into `destination`, adding a numeric suffix when the name is taken there.
    /// Returns the new location, or nil when the move failed (logged).
    @discardableResult
    private func move(_ url: URL, to destination: URL) -> URL? {
        let name = url.deletingPathExtension().lastPathComponent
        let ext = url.pathExtension
        var target = destination.appendingPathComponent(url.lastPathComponent)
        var counter = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = destination.appendingPathComponent(ext.isEmpty ? "\(name)-\(counter)" : "\(name)-\(counter).\(ext)")
            counter += 1
        }
        do {
            try FileManager.default.moveItem(at: url, to: target)
            return target
        } catch {
            logger.error("cannot move file", metadata: ["file": "\(url.path)", "to": "\(target.path)", "error": "\(error)"])
            return nil
        }
    }
}
