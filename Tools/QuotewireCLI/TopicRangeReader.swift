import QuotewireKafka

/// Reads bounded offset ranges of a topic's partitions with a group-less consumer, so the
/// services' groups and committed offsets are never touched.
struct TopicRangeReader {
    let broker: BrokerOptions
    let topic: String

    /// The first offset and the next offset to be written, per partition.
    func watermarks(partitions: Int) async throws(BrokerCommandError) -> [Int32: Range<Int64>] {
        let consumer = try broker.assignedConsumer()
        var ranges: [Int32: Range<Int64>] = [:]
        for partition in 0..<Int32(partitions) {
            do {
                let (low, high) = try await consumer.watermarks(
                    of: TopicPartition(topic: topic, partition: partition), timeout: broker.timeoutDuration)
                ranges[partition] = low..<max(low, high)
            } catch {
                await consumer.close()
                throw broker.unreachable(error)
            }
        }
        await consumer.close()
        return try await reachingTheLastRecord(ranges)
    }

    /// `ranges` with each end moved past the last record actually there.
    ///
    /// A broker may answer a high watermark below the true end: the Tansu development broker
    /// answers the first offset of the last record batch plus one, so after a batch of several
    /// records (a stage dead-letters a whole batch at once) the newest letters would be
    /// invisible. Reading on from the last record the broker admits to finds the rest; with a
    /// broker that answers correctly nothing lies beyond, and this costs one short read.
    private func reachingTheLastRecord(_ ranges: [Int32: Range<Int64>]) async throws(BrokerCommandError) -> [Int32: Range<Int64>] {
        let probed = ranges.filter { !$0.value.isEmpty }
        guard !probed.isEmpty else { return ranges }
        let consumer = try broker.assignedConsumer()
        var ends = probed.mapValues(\.upperBound)
        var answered: Set<Int32> = []
        do {
            try consumer.assign(Dictionary(uniqueKeysWithValues: probed.map {
                (TopicPartition(topic: topic, partition: $0.key), KafkaOffset.exactly($0.value.upperBound - 1))
            }))
            // Until every probed partition has handed over its last admitted record (or the
            // time is up: it may have been compacted away), then until a poll brings nothing more.
            let deadline = ContinuousClock.now + min(broker.timeoutDuration, .seconds(3))
            while ContinuousClock.now < deadline {
                let batch = try await consumer.poll()
                if batch.isEmpty, answered.count == probed.count { break }
                for message in batch where probed[message.partition] != nil {
                    answered.insert(message.partition)
                    ends[message.partition] = max(ends[message.partition] ?? 0, message.offset + 1)
                }
            }
        } catch {
            await consumer.close()
            throw BrokerCommandError(.unavailable, "reading \(topic) failed: \(error)")
        }
        await consumer.close()
        var corrected = ranges
        for (partition, end) in ends {
            if let range = ranges[partition] { corrected[partition] = range.lowerBound..<max(range.upperBound, end) }
        }
        return corrected
    }

    /// Every record in `ranges`, in partition then offset order. Stops when each range was
    /// read to its end, or when nothing arrived for the broker timeout.
    func read(_ ranges: [Int32: Range<Int64>]) async throws(BrokerCommandError) -> [KafkaMessage] {
        let wanted = ranges.filter { !$0.value.isEmpty }
        guard !wanted.isEmpty else { return [] }
        let consumer = try broker.assignedConsumer()
        var found: [KafkaMessage] = []
        do {
            try consumer.assign(Dictionary(uniqueKeysWithValues: wanted.map {
                (TopicPartition(topic: topic, partition: $0.key), KafkaOffset.exactly($0.value.lowerBound))
            }))
            var next = wanted.mapValues(\.lowerBound)
            var lastProgress = ContinuousClock.now
            while next.contains(where: { $0.value < (wanted[$0.key]?.upperBound ?? 0) }) {
                let batch = try await consumer.poll()
                if batch.isEmpty {
                    if ContinuousClock.now - lastProgress > broker.timeoutDuration {
                        throw BrokerCommandError(.unavailable, "reading \(topic) stalled for \(broker.timeout) s; is the broker at \(broker.resolvedBrokers) up?")
                    }
                    continue
                }
                lastProgress = ContinuousClock.now
                for message in batch {
                    guard let range = wanted[message.partition] else { continue }
                    next[message.partition] = max(next[message.partition] ?? 0, message.offset + 1)
                    if range.contains(message.offset) { found.append(message) }
                }
            }
        } catch let error as BrokerCommandError {
            await consumer.close()
            throw error
        } catch {
            await consumer.close()
            throw BrokerCommandError(.unavailable, "reading \(topic) failed: \(error)")
        }
        await consumer.close()
        return found.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}
