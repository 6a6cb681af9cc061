import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index on disk: a folder of shard files, one per partition (`shard-0.sqlite`, …).
///
/// The folder may be a symlink to a generation folder (`index` → `index.20261126T041500Z`);
/// ``swapIn(_:)`` repoints it atomically after a rebuild, and readers follow it.
public struct IndexFolder: Sendable, Hashable {
    /// The folder path as configured (it may be a symlink).
    public var url: URL

    /// Creates a handle on `path`; nothing is touched on disk.
    public init(path: String) {
        self.url = URL(fileURLWithPath: path)
    }

    /// Creates a handle on `url`; nothing is touched on disk.
    public init(url: URL) {
        self.url = url
    }

    /// The file name of a partition's shard.
    public static func shardFileName(partition: Int) -> String { "shard-\(partition).sqlite" }

    /// The path of a partition's shard in this folder.
    public func shardURL(partition: Int) -> URL {
        url.appendingPathComponent(Self.shardFileName(partition: partition))
    }

    /// Creates the folder (and its parents) if it does not exist.
    public func create() throws(IndexError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .wrap(error, .fileSystem, "cannot create the index folder", path: url.path)
        }
    }

    /// The shard files present now, by partition (files moved aside are not shards).
    public func shardFiles() throws(IndexError) -> [Int: URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw .wrap(error, .unavailable, "cannot list the index folder", path: url.path)
        }
        var shards: [Int: URL] = [:]
        for name in names {
            guard let partition = Self.partition(ofShardFileName: name) else { continue }
            shards[partition] = url.appendingPathComponent(name)
        }
        return shards
    }

    /// The partition a file name belongs to, or nil when it is not a live shard file.
    static func partition(ofShardFileName name: String) -> Int? {
        guard name.hasPrefix("shard-"), name.hasSuffix(".sqlite") else { return nil }
        let digits = name.dropFirst("shard-".count).dropLast(".sqlite".count)
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy(\.isASCII), let value = Int(digits), value >= 0
        else { return nil }
        return value
    }

    /// Renames a partition's shard (and its `-wal`/`-shm` files) to a kept, timestamped
    /// name such as `shard-0.sqlite.moved-20261126T041500Z`; nothing is deleted.
    ///
    /// Close every writer on the shard first. Use it when the partition's log was reset.
    /// - Returns: the new path of the shard, or nil when there was no shard to move.
    @discardableResult
    public func moveShardAside(partition: Int, now: Date = Date()) throws(IndexError) -> URL? {
        let shard = shardURL(partition: partition)
        guard FileManager.default.fileExists(atPath: shard.path) else { return nil }
        var suffix = ".moved-" + Self.timestamp(now)
        var attempt = 1
        while FileManager.default.fileExists(atPath: shard.path + suffix) {
            attempt += 1
            suffix = ".moved-" + Self.timestamp(now) + "-\(attempt)"
        }
        // The side files first, so the main file never sits beside a foreign WAL.
        for side in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: shard.path + side) {
            try Self.rename(shard.path + side, shard.path + suffix + side)
        }
        try Self.rename(shard.path, shard.path + suffix)
        return URL(fileURLWithPath: shard.path + suffix)
    }

    // MARK: Rebuild generations

    /// A new, empty generation folder beside this one (`index.20261126T041500Z`) to
    /// rebuild into. Swap it in with ``swapIn(_:)`` when it is complete.
    public func makeGeneration(now: Date = Date()) throws(IndexError) -> IndexFolder {
        let parent = url.deletingLastPathComponent()
        var name = url.lastPathComponent + "." + Self.timestamp(now)
        var attempt = 1
        while FileManager.default.fileExists(atPath: parent.appendingPathComponent(name).path) {
            attempt += 1
            name = url.lastPathComponent + "." + Self.timestamp(now) + "-\(attempt)"
        }
        let generation = IndexFolder(url: parent.appendingPathComponent(name))
        try generation.create()
        return generation
    }

    /// Points this folder's path at `generation` atomically (a new symlink renamed over
    /// the old one with rename(2)); readers see either the old or the new index, never
    /// a mix. The previous generation is kept.
    ///
    /// If the path is still a real folder (not yet a symlink), it is first renamed to a
    /// kept generation name and replaced by a symlink; that one-time conversion leaves
    /// a moment in which the path does not exist.
    /// - Returns: the folder the path pointed at before, if any.
    @discardableResult
    public func swapIn(_ generation: IndexFolder, now: Date = Date()) throws(IndexError) -> URL? {
        let linkPath = url.path
        var previous: URL?
        var info = stat()
        if lstat(linkPath, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK {
                previous = url.resolvingSymlinksInPath()
            } else if (info.st_mode & S_IFMT) == S_IFDIR {
                let kept = IndexFolder(url: url).keptName(now: now)
                try Self.rename(linkPath, kept.path)
                previous = kept
            } else {
                throw IndexError(.fileSystem, "the index path is neither a folder nor a symlink", path: linkPath)
            }
        }
        // A relative target keeps the pair movable.
        let parent = url.deletingLastPathComponent().standardizedFileURL.path
        let target = generation.url.standardizedFileURL.path
        let relative = target.hasPrefix(parent + "/") ? String(target.dropFirst(parent.count + 1)) : target
        let temporary = linkPath + ".swap-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard symlink(relative, temporary) == 0 else {
            throw IndexError(.fileSystem, "cannot create a symlink", path: temporary, underlying: Self.errnoText())
        }
        do {
            try Self.rename(temporary, linkPath)
        } catch {
            unlink(temporary)
            throw error
        }
        return previous
    }

    private func keptName(now: Date) -> URL {
        URL(fileURLWithPath: url.path + "." + Self.timestamp(now) + "-previous")
    }

    // MARK: Helpers

    static func rename(_ from: String, _ to: String) throws(IndexError) {
        guard posixRename(from, to) == 0 else {
            throw IndexError(.fileSystem, "cannot rename \(from) to \(to)", path: from, underlying: errnoText())
        }
    }

    static func errnoText() -> String {
        // `strerror` returns a static buffer the next call may overwrite: copied at once.
        String(cString: strerror(errno))
    }

    /// A sortable UTC timestamp for file names: `20261126T041500Z`.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }
}

/// rename(2) under a name that does not clash with Foundation's.
private func posixRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
