import Foundation
import Logging
import QuotewireKafka
import QuotewireModels
import Synchronization

/// Settings of an indexer that is one node of several.
public struct NodeAdvertising: Sendable {
    /// This node's name; its query service reads the directory under the same name.
    public var nodeID: String
    /// The base URL other nodes reach this node's query service at.
    public var queryURL: String
    public var nodesTopic = Topics.indexNodes
    /// How often the advertisement is repeated while nothing changes.
    public var heartbeat: Duration = .seconds(2)
    /// How long a partition given up in a rebalance is still offered from its shard here
    /// (lingering) while no node serves it: longer than a rebalance and a catch-up take.
    public var lingerFor: Duration = .seconds(60)

    public init(nodeID: String, queryURL: String) {
        self.nodeID = nodeID
        self.queryURL = queryURL
    }

    /// How long one advertisement holds: long enough to ride out a missed heartbeat or two,
    /// short enough that a node that died without a word stops counting within seconds.
    var validFor: Duration { heartbeat * 4 }
}

/// Tells the cluster which partitions this indexer node holds (``NodeAdvertisement`` on
/// `index.nodes`), and whether each is caught up.
///
/// A partition assigned to the node is *catching up* until its shard has indexed up to the
/// log's end as it stood at assignment (a shard rebuilt from the topic, or resumed from an
/// older copy's stored offset), then *serving*: only then do queries read it. A serving
/// partition taken away in a rebalance *lingers* for ``NodeAdvertising/lingerFor``: queries
/// still read its shard here while no node serves it, since with eager rebalancing every
/// member gives up every partition and gets most of them straight back. The node advertises
/// on every change, every heartbeat, and with no partitions when it stops.
final class NodeAdvertiser: Sendable {
    let settings: NodeAdvertising
    let topic: String
    let logger: Logger
    private let state = Mutex(State())

    struct State {
        /// Owned partitions still catching up, with the offset to reach.
        var catchingUp: [Int: Int64] = [:]
        var serving: Set<Int> = []
        /// Partitions given up while serving, with when.
        var lingering: [Int: ContinuousClock.Instant] = [:]
        var partitionCount = 0
        /// Set on every change; cleared when advertised.
        var changed = true
    }

    init(settings: NodeAdvertising, topic: String, logger: Logger) {
        self.settings = settings
        self.topic = topic
        self.logger = logger
    }

    /// Records newly assigned partitions and where each resumes. Runs in the rebalance callback.
    func assigned(_ starts: [TopicPartition: KafkaOffset], lookup: PartitionLookup) {
        var ends: [Int: Int64] = [:]
        for tp in starts.keys {
            if let high = try? lookup.watermarks(of: tp).high { ends[Int(tp.partition)] = high }
        }
        state.withLock { state in
            for (tp, start) in starts {
                let partition = Int(tp.partition)
                state.serving.remove(partition)
                state.catchingUp[partition] = nil
                state.lingering[partition] = nil
                // An unknown end counts as far away: the partition serves once a batch reaches the end later seen.
                guard let end = ends[partition] else {
                    state.catchingUp[partition] = Int64.max
                    continue
                }
                switch start {
                case let .exactly(stored) where stored >= end: state.serving.insert(partition)
                case .beginning where end == 0: state.serving.insert(partition)
                default: state.catchingUp[partition] = end
                }
            }
            state.changed = true
        }
    }

    /// Gives up revoked partitions; those that were serving linger. Runs in the rebalance callback.
    func revoked(_ partitions: [Int]) {
        let now = ContinuousClock.now
        state.withLock { state in
            for partition in partitions {
                if state.serving.remove(partition) != nil { state.lingering[partition] = now }
                state.catchingUp[partition] = nil
            }
            state.changed = true
        }
    }

    /// A batch of `partition` was written: its shard now holds the log up to `nextOffset`.
    func indexed(partition: Int, through nextOffset: Int64) {
        state.withLock { state in
            guard let target = state.catchingUp[partition], nextOffset >= target || target == Int64.max else { return }
            state.catchingUp[partition] = nil
            state.serving.insert(partition)
            state.changed = true
        }
    }

    /// Advertises on every change and every heartbeat until the task is cancelled or shutdown
    /// begins; the partition count is read from the broker first.
    func run(producer: KafkaProducer, brokers: String) async {
        do {
            let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: brokers), logger: logger)
            let count = try await admin.partitionCounts()[topic] ?? 0
            state.withLock { $0.partitionCount = count }
        } catch {
            logger.error("cannot read the topic's partition count; advertising none", metadata: ["error": "\(error)"])
        }
        var last = ContinuousClock.now
        let lingerFor = settings.lingerFor
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let due = state.withLock { state in
                defer { state.changed = false }
                let lapsed = state.lingering.filter { now - $0.value >= lingerFor }.keys
                for partition in lapsed { state.lingering[partition] = nil }
                return state.changed || !lapsed.isEmpty
            } || now - last >= settings.heartbeat
            if due {
                await advertise(producer: producer)
                last = now
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Sends the current advertisement, or with `leaving` one with no partitions.
    func advertise(producer: KafkaProducer, leaving: Bool = false) async {
        let (serving, catchingUp, lingering, count) = state.withLock { state in
            (leaving ? [] : state.serving.sorted(), leaving ? [] : state.catchingUp.keys.sorted(),
             leaving ? [] : state.lingering.keys.sorted(), state.partitionCount)
        }
        let advertisement = NodeAdvertisement(
            node: settings.nodeID, queryURL: settings.queryURL, topic: topic, partitionCount: count, serving: serving,
            catchingUp: catchingUp, lingering: lingering, advertisedAt: Date(),
            validFor: Double(settings.validFor.components.seconds))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        do {
            let value = try encoder.encode(advertisement)
            _ = try await producer.send(OutgoingMessage(topic: settings.nodesTopic, key: settings.nodeID, value: value))
        } catch {
            logger.warning("cannot advertise the node's partitions", metadata: ["error": "\(error)"])
        }
    }
}
