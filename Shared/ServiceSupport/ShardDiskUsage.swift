import Foundation

/// How much disk an index folder's shards take: each shard file with its `-wal` and
/// `-shm` companions. Callers pass the shard files (`IndexFolder.shardFiles()`), so the
/// folder's naming stays the index library's business.
public struct ShardDiskUsage: Sendable, Equatable {
    public var shards: Int
    public var bytes: Int64

    public init(shardFiles: [URL]) {
        shards = shardFiles.count
        bytes = 0
        for file in shardFiles {
            for path in [file.path, file.path + "-wal", file.path + "-shm"] {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
                bytes += size ?? 0
            }
        }
    }
}
