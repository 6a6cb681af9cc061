import Foundation
import GRDB
import QuotewireIndex

/// Reads a shard file directly, as a second opinion on what the index holds.
enum ShardInspector {
    static func articleIDs(folder: URL, partition: Int) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: IndexFolder(url: folder).shardURL(partition: partition).path, configuration: configuration)
        return try queue.read { db in try String.fetchAll(db, sql: "SELECT articleId FROM article") }
    }

    static func storedOffset(folder: URL, partition: Int, topic: String) throws -> Int64? {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: IndexFolder(url: folder).shardURL(partition: partition).path, configuration: configuration)
        return try queue.read { db in
            try Int64.fetchOne(db, sql: "SELECT nextOffset FROM consumed_offset WHERE topic = ? AND partition = ?", arguments: [topic, partition])
        }
    }
}
