import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import Synchronization

/// The open shard writers of the partitions this indexer owns, opened on assignment.
final class ShardRegistry: Sendable {
    let folder: IndexFolder
    let configuration: IndexWriterConfiguration
    private let writers = Mutex<[Int: IndexShardWriter]>([:])

    init(folder: IndexFolder, configuration: IndexWriterConfiguration) {
        self.folder = folder
        self.configuration = configuration
    }

    /// The writer of a partition's shard, opening (and creating) it when needed.
    func writer(for partition: Int) throws(IndexError) -> IndexShardWriter {
        if let open = writers.withLock({ $0[partition] }) { return open }
        let opened = try IndexShardWriter.open(folder: folder, partition: partition, configuration: configuration)
        return writers.withLock { writers in
            if let raced = writers[partition] { return raced }
            writers[partition] = opened
            return opened
        }
    }

    /// Where to resume each assigned partition: the offset its shard stored, or the beginning.
    /// A shard whose stored offset lies beyond the partition's end belongs to a log that was
    /// reset (a development broker restarted empty): it is moved aside, kept, and the
    /// partition is indexed anew.
    func startOffsets(for partitions: [TopicPartition], lookup: PartitionLookup, logger: Logger) -> [TopicPartition: KafkaOffset] {
        var starts: [TopicPartition: KafkaOffset] = [:]
        for tp in partitions {
            let partition = Int(tp.partition)
            do {
                guard let stored = try writer(for: partition).storedOffset(topic: tp.topic, partition: partition) else {
                    starts[tp] = .beginning
                    continue
                }
                let high = try confirmedLogEnd(of: tp, below: stored, lookup: lookup, logger: logger)
                if high < stored {
                    let kept = try moveAside(partition)
                    logger.critical("partition log was reset: its end is below the offset the shard stored; shard moved aside, indexing the partition anew", metadata: [
                        "topic": "\(tp.topic)", "partition": "\(partition)", "storedOffset": "\(stored)",
                        "logEnd": "\(high)", "keptAt": "\(kept?.path ?? "-")",
                    ])
                    starts[tp] = .beginning
                } else {
                    starts[tp] = .exactly(stored)
                }
            } catch {
                // Resuming from the group's commit is the best left; writing will fail loudly if the shard is broken.
                logger.error("cannot read the shard's offset", metadata: ["partition": "\(partition)", "error": "\(error)"])
                starts[tp] = .stored
            }
        }
        return starts
    }

    /// The partition's end, asked again while it stays below `stored`: right after a broker
    /// outage Tansu answered one offset short of records already read, and taking that for a
    /// reset re-indexes the whole partition. A log that was truly reset stays short.
    private func confirmedLogEnd(of tp: TopicPartition, below stored: Int64, lookup: PartitionLookup,
                                 logger: Logger) throws(KafkaError) -> Int64 {
        var high = try lookup.watermarks(of: tp).high
        var asked = 1
        while high < stored, asked < Self.resetConfirmations {
            logger.warning("partition end below the offset the shard stored; asking again before treating it as a reset", metadata: [
                "topic": "\(tp.topic)", "partition": "\(tp.partition)", "storedOffset": "\(stored)", "logEnd": "\(high)",
            ])
            Thread.sleep(forTimeInterval: 1)
            high = try lookup.watermarks(of: tp).high
            asked += 1
        }
        return high
    }

    /// How many answers, a second apart, must agree before a partition counts as reset.
    static let resetConfirmations = 5

    func moveAside(_ partition: Int) throws(IndexError) -> URL? {
        let writer = writers.withLock { $0.removeValue(forKey: partition) }
        if let writer {
            return try writer.closeAndMoveAside()
        }
        return try folder.moveShardAside(partition: partition)
    }

    /// Closes the writers of partitions this indexer no longer owns.
    func close(_ partitions: [Int]) {
        let closing = writers.withLock { writers in partitions.compactMap { writers.removeValue(forKey: $0) } }
        for writer in closing { try? writer.close() }
    }

    /// Closes every writer.
    func closeAll() {
        let all = writers.withLock { writers in
            defer { writers.removeAll() }
            return Array(writers.values)
        }
        for writer in all { try? writer.close() }
    }
}
