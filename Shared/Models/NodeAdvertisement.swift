import Foundation

/// What an indexer node tells the others (topic `index.nodes`, keyed by node): which
/// partitions of the parsed topic it holds, and where its query service answers.
///
/// A node sends one on every change of its partitions and every few seconds while it runs,
/// and one with no partitions when it stops. A query service treats an advertisement older
/// than ``validFor`` as gone: a node that died without a word stops counting once it falls silent.
public struct NodeAdvertisement: Codable, Sendable, Equatable {
    /// The node's name, unique in the cluster (a host or pod name).
    public var node: String
    /// The base URL of the node's query service (`http://quotewire-index-1.quotewire-index:8081`).
    public var queryURL: String
    /// The topic whose partitions the shards hold, and how many it has.
    public var topic: String
    public var partitionCount: Int
    /// Partitions whose shard holds the partition up to where it stood when the node got it:
    /// the node answers for them.
    public var serving: [Int]
    /// Partitions the node owns but is still reading up to the log's end (a shard rebuilt or
    /// resumed after a move): nobody answers for them yet.
    public var catchingUp: [Int]
    /// Partitions the node gave up a moment ago (a rebalance) whose shards it still holds as
    /// they were then: answered from here only while no node serves them, so a rebalance does
    /// not blank the index. Nil from a node that never lingers.
    public var lingering: [Int]?
    /// When it was sent (the node's clock).
    public var advertisedAt: Date
    /// How long it holds without a newer one.
    public var validFor: Double

    public init(
        node: String, queryURL: String, topic: String, partitionCount: Int, serving: [Int], catchingUp: [Int],
        lingering: [Int]? = nil, advertisedAt: Date, validFor: Double
    ) {
        self.node = node
        self.queryURL = queryURL
        self.topic = topic
        self.partitionCount = partitionCount
        self.serving = serving
        self.catchingUp = catchingUp
        self.lingering = lingering
        self.advertisedAt = advertisedAt
        self.validFor = validFor
    }

    /// Whether it still holds at `now`.
    public func isCurrent(at now: Date) -> Bool {
        now.timeIntervalSince(advertisedAt) <= validFor
    }
}
