import QuotewireModels

/// Settings of a query service that is one node of several (``ClusterGatherer``).
public struct ClusterConfiguration: Sendable {
    /// This node's name: the one its indexer advertises under.
    public var nodeID: String
    /// Where `index.nodes` is read.
    public var brokers: String
    public var nodesTopic = Topics.indexNodes
    /// How long a query waits for another node before answering without its partitions.
    public var peerTimeout: Duration = .seconds(2)

    public init(nodeID: String, brokers: String) {
        self.nodeID = nodeID
        self.brokers = brokers
    }
}
