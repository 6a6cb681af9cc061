import ArgumentParser
import QuotewireModels

/// Flags of the services that run as one node of several (indexer and query service).
public struct NodeOptions: ParsableArguments {
    @Option(name: .customLong("node-id"),
            help: "This node's name when indexers and query services run on several nodes; unset, one node holds every shard (env QUOTEWIRE_NODE_ID).")
    var nodeIDFlag: String?

    @Option(help: "The topic nodes advertise their partitions on (env QUOTEWIRE_NODES_TOPIC).")
    public var nodesTopic: String = Setting.string("QUOTEWIRE_NODES_TOPIC", default: Topics.indexNodes)

    public init() {}

    /// The node's name from the flag or `QUOTEWIRE_NODE_ID`; nil (or empty) runs a single node.
    public var nodeID: String? {
        (nodeIDFlag ?? Setting.optionalString("QUOTEWIRE_NODE_ID")).flatMap { $0.isEmpty ? nil : $0 }
    }
}
