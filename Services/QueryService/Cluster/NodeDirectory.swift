import Foundation
import Logging
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport
import Synchronization

/// Which node serves which partition, as the indexers advertise it on `index.nodes`.
///
/// Runs as a lifecycle `Service`: reads the topic from its beginning (no group: every query
/// service reads all of it) and keeps each node's latest ``NodeAdvertisement``. A node whose
/// advertisement is older than it said it holds counts as gone.
public final class NodeDirectory: Service, Sendable {
    let configuration: ClusterConfiguration
    let logger: Logger
    private let nodes = Mutex<[String: NodeAdvertisement]>([:])
    private let caughtUp = Mutex(false)

    public init(configuration: ClusterConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether the topic has been read to its end once.
    public var isReady: Bool { caughtUp.withLock { $0 } }

    /// Who serves what, now.
    public func routes(at now: Date = Date()) -> PartitionRoutes {
        PartitionRoutes(advertisements: nodes.withLock { Array($0.values) }, localNode: configuration.nodeID, at: now)
    }

    /// Records an advertisement (or, for nil, a node's removal).
    func remember(node: String, _ advertisement: NodeAdvertisement?) {
        nodes.withLock { $0[node] = advertisement }
    }

    public func run() async throws {
        try await TopicSetup.waitForBroker(
            brokers: configuration.brokers, topics: [TopicSetup.nodes(configuration.nodesTopic)], logger: logger)
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: configuration.brokers), logger: logger)
        let partitions = try await admin.partitionCounts()[configuration.nodesTopic] ?? 1
        var consumerConfiguration = ConsumerConfiguration(brokers: configuration.brokers, groupID: nil)
        consumerConfiguration.clientID = "quotewire-query-directory"
        consumerConfiguration.prefetchKilobytes = 1024
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<Int32(partitions)).map {
            (TopicPartition(topic: configuration.nodesTopic, partition: $0), KafkaOffset.beginning)
        }))
        logger.info("reading the node directory", metadata: ["topic": "\(configuration.nodesTopic)"])
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let records = try await consumer.poll()
                for record in records {
                    guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                    guard let value = record.value else {
                        remember(node: key, nil)
                        continue
                    }
                    do {
                        remember(node: key, try decoder.decode(NodeAdvertisement.self, from: value))
                    } catch {
                        logger.warning("skipping an unreadable node advertisement", metadata: [
                            "node": "\(key)", "offset": "\(record.offset)", "error": "\(error)",
                        ])
                    }
                }
                if records.isEmpty { caughtUp.withLock { $0 = true } }
            } catch {
                logger.warning("cannot read the node directory; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await consumer.close()
    }
}

/// Where each partition is answered: by this node, by another node's query service, or by
/// nobody (no current advertisement serves it).
public struct PartitionRoutes: Sendable, Equatable {
    /// The partitions of the index (the largest count any current advertisement gives).
    public var partitionCount: Int
    /// Partitions this node answers for (serving, or lingering where nobody serves them).
    public var local: Set<Int>
    /// Other nodes' query URLs and the partitions to ask each for.
    public var remote: [String: Set<Int>]
    /// Partitions nobody serves now (catching up after a move, or their node gone).
    public var unserved: Set<Int>

    init(advertisements: [NodeAdvertisement], localNode: String, at now: Date) {
        let current = advertisements.filter { $0.isCurrent(at: now) }
        let count = current.map(\.partitionCount).max() ?? 0
        partitionCount = count
        // A partition two nodes serve (the old owner has not yet heard of the move) goes to the
        // newer claim, this node's own winning a tie; a partition nobody serves goes to the node
        // that gave it up last and still holds it (lingering), the same way.
        var owner: [Int: NodeAdvertisement] = [:]
        func claim(_ partitions: (NodeAdvertisement) -> [Int]) {
            var claims: [Int: NodeAdvertisement] = [:]
            for advertisement in current {
                for partition in partitions(advertisement) where partition < count && owner[partition] == nil {
                    if let other = claims[partition], other.advertisedAt > advertisement.advertisedAt { continue }
                    if let other = claims[partition], other.advertisedAt == advertisement.advertisedAt,
                       other.node == localNode { continue }
                    claims[partition] = advertisement
                }
            }
            owner.merge(claims) { first, _ in first }
        }
        claim(\.serving)
        claim { $0.lingering ?? [] }
        local = []
        remote = [:]
        unserved = []
        for partition in 0..<count {
            guard let advertisement = owner[partition] else {
                unserved.insert(partition)
                continue
            }
            if advertisement.node == localNode {
                local.insert(partition)
            } else {
                remote[advertisement.queryURL, default: []].insert(partition)
            }
        }
    }
}
