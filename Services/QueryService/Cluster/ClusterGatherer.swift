import Foundation
import Logging
import QuotewireIndex

/// Answers for the whole index on one node of several: the partitions this node serves from
/// its own shards, the others by asking the nodes that serve them (``PeerClient``), in
/// parallel, each within the peer timeout. Partitions nobody serves, and those of a node that
/// did not answer in time, come back as missing, so the answer is marked partial.
public struct ClusterGatherer: ShardGatherer {
    let local: IndexReader
    let directory: NodeDirectory
    let peers: PeerClient
    let timeout: Duration
    let logger: Logger

    public init(local: IndexReader, directory: NodeDirectory, peers: PeerClient, timeout: Duration, logger: Logger) {
        self.local = local
        self.directory = directory
        self.peers = peers
        self.timeout = timeout
        self.logger = logger
    }

    public func gather(_ request: ShardRequest, from partitions: Set<Int>?) async throws(IndexError) -> GatheredAnswers {
        let routes = directory.routes()
        guard routes.partitionCount > 0 else {
            throw IndexError(.unavailable, "no index node advertises its partitions yet")
        }
        let all = Set(0..<routes.partitionCount)
        let wanted = partitions ?? all
        var missing = wanted.subtracting(all).union(wanted.intersection(routes.unserved))
        let mine = wanted.intersection(routes.local)
        let asks = routes.remote.compactMap { url, served in
            let asked = served.intersection(wanted)
            return asked.isEmpty ? nil : (url: url, partitions: asked)
        }
        let (local, peers, timeout, logger) = (self.local, self.peers, self.timeout, self.logger)
        var answers: [PartitionAnswer] = []
        let outcome = await withTaskGroup(of: Result<GatheredAnswers, IndexError>.self) { group in
            for ask in asks {
                group.addTask {
                    do {
                        return .success(try await peers.ask(ask.url, request, partitions: ask.partitions, timeout: timeout))
                    } catch {
                        logger.warning("a node did not answer; its partitions are missing from the answer", metadata: [
                            "node": "\(ask.url)", "partitions": "\(ask.partitions.sorted())", "error": "\(error)",
                        ])
                        return .success(GatheredAnswers(answers: [], missing: Array(ask.partitions)))
                    }
                }
            }
            if !mine.isEmpty {
                group.addTask {
                    do throws(IndexError) {
                        return .success(try await local.gather(request, from: mine))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var failure: IndexError?
            for await result in group {
                switch result {
                case let .success(part):
                    answers += part.answers
                    missing.formUnion(part.missing)
                case let .failure(error):
                    failure = error
                }
            }
            return failure
        }
        if let outcome { throw outcome }
        return GatheredAnswers(answers: answers, missing: Array(missing))
    }

    /// A peer's question: answered from the shards of `partitions` this node serves now; the
    /// rest are missing (the partition moved since the peer last read the directory).
    func answer(_ question: PeerQuestion) async throws(IndexError) -> GatheredAnswers {
        let asked = Set(question.partitions)
        let serving = asked.intersection(directory.routes().local)
        let part = try await local.gather(question.request, from: serving)
        return GatheredAnswers(answers: part.answers, missing: part.missing + asked.subtracting(serving))
    }
}
