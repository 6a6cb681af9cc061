import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import Synchronization

/// The open shard writers of the partitions this indexer owns, opened on assignment.
final class ShardRegistry: Sendable {
    let folder: IndexFolder
    let configuration: IndexWriterConfiguration
    /// How to reach the brokers to read a partition's log when its reported end lies below the
    /// offset a shard stored (``startOffsets(for:lookup:logger:)``).
    let consumer: ConsumerConfiguration
    private let writers = Mutex<[Int: IndexShardWriter]>([:])

    init(folder: IndexFolder, configuration: IndexWriterConfiguration, consumer: ConsumerConfiguration) {
        self.folder = folder
        self.configuration = configuration
        self.consumer = consumer
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
    ///
    /// A shard whose stored offset lies beyond the partition's log belongs to a log that was
    /// reset (a development broker restarted empty): it is moved aside, kept, and the partition
    /// is indexed anew. The partition's reported end cannot show that on its own: Tansu 0.6.0
    /// reports the last record batch's base offset + 1 (one 10-record batch: end 1, offsets
    /// 0...9 readable). An end at or past the stored offset rules a reset out; an end below it
    /// only has the log read at the record before the stored offset (``resetLogs(_:lookup:logger:)``).
    /// Runs inside the rebalance, on the consumer's thread.
    func startOffsets(for partitions: [TopicPartition], lookup: PartitionLookup, logger: Logger) -> [TopicPartition: KafkaOffset] {
        var starts: [TopicPartition: KafkaOffset] = [:]
        var beyondEnd: [TopicPartition: Int64] = [:]  // stored offsets the reported end lies below
        for tp in partitions {
            let partition = Int(tp.partition)
            let stored: Int64?
            do {
                stored = try writer(for: partition).storedOffset(topic: tp.topic, partition: partition)
            } catch {
                // Resuming from the group's commit is the best left; writing will fail loudly if the shard is broken.
                logger.error("cannot read the shard's offset", metadata: ["partition": "\(partition)", "error": "\(error)"])
                starts[tp] = .stored
                continue
            }
            guard let stored else {
                starts[tp] = .beginning
                continue
            }
            starts[tp] = .exactly(stored)
            do {
                if try lookup.watermarks(of: tp).high < stored { beyondEnd[tp] = stored }
            } catch {
                logger.warning("cannot ask where the partition ends; resuming from the offset the shard stored", metadata: [
                    "topic": "\(tp.topic)", "partition": "\(partition)", "storedOffset": "\(stored)", "error": "\(error)",
                ])
            }
        }
        for (tp, end) in resetLogs(beyondEnd, lookup: lookup, logger: logger) {
            let partition = Int(tp.partition)
            do {
                let kept = try moveAside(partition)
                logger.critical("partition log was reset: it lacks the record before the offset the shard stored; shard moved aside, indexing the partition anew", metadata: [
                    "topic": "\(tp.topic)", "partition": "\(partition)", "storedOffset": "\(beyondEnd[tp] ?? -1)",
                    "logEnd": "\(end)", "keptAt": "\(kept?.path ?? "-")",
                ])
                starts[tp] = .beginning
            } catch {
                // As for a shard that cannot be read: the group's commit is the best left.
                logger.error("cannot move the shard of a reset log aside", metadata: ["partition": "\(partition)", "error": "\(error)"])
                starts[tp] = .stored
            }
        }
        return starts
    }

    /// Of partitions whose reported end lies below the offset their shard stored, those whose log
    /// was reset, with their end: the ones where the record just before the stored offset cannot
    /// be read (the broker answers that the partition ends before it or that the offset is out of
    /// range, or nothing arrives within ``readBackTime``) and whose end, asked again, still lies
    /// below. All of them are read at once, by one short-lived consumer of no group, so the
    /// rebalance waits at most one ``readBackTime`` whatever the number of partitions.
    /// A reset must be shown: when the broker cannot be asked (an error), the partition resumes
    /// from the stored offset, the shard's truth.
    private func resetLogs(_ beyondEnd: [TopicPartition: Int64], lookup: PartitionLookup, logger: Logger) -> [TopicPartition: Int64] {
        guard !beyondEnd.isEmpty else { return [:] }
        let found: [TopicPartition: PeekResult]
        do {
            found = try KafkaConsumer.peek(at: beyondEnd.mapValues { $0 - 1 }, configuration: consumer, within: Self.readBackTime, logger: logger)
        } catch {
            logger.warning("cannot read the record before the offset a shard stored; resuming from that offset", metadata: [
                "partitions": "\(beyondEnd.keys.map(\.description).sorted())", "error": "\(error)",
            ])
            return [:]
        }
        var reset: [TopicPartition: Int64] = [:]
        for (tp, stored) in beyondEnd {
            let answer = found[tp] ?? .noAnswer
            if case .record(let offset) = answer, offset >= stored - 1 {
                logger.info("partition end reported below the offset the shard stored, but the record before it is there; resuming", metadata: [
                    "topic": "\(tp.topic)", "partition": "\(tp.partition)", "storedOffset": "\(stored)",
                ])
                continue
            }
            do {
                let end = try lookup.watermarks(of: tp).high
                if end < stored {
                    reset[tp] = end
                } else {
                    logger.warning("could not read the record before the offset the shard stored, but the partition ends past it; resuming", metadata: [
                        "topic": "\(tp.topic)", "partition": "\(tp.partition)", "storedOffset": "\(stored)", "read": "\(answer)", "logEnd": "\(end)",
                    ])
                }
            } catch {
                logger.warning("cannot ask where the partition ends; resuming from the offset the shard stored", metadata: [
                    "topic": "\(tp.topic)", "partition": "\(tp.partition)", "storedOffset": "\(stored)", "read": "\(answer)", "error": "\(error)",
                ])
            }
        }
        return reset
    }

    /// How long to wait for the record before a stored offset. A log that holds it answers at
    /// once; the rebalance (and with it the indexer) waits this long only for a log that was reset
    /// and whose broker answers offsets past its end with empty fetches (Tansu does).
    static let readBackTime: Duration = .seconds(5)

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
