import CRDKafka
import Foundation
import QuotewireKafka
import Testing

/// librdkafka's in-process mock cluster, used only to inject broker faults the real broker
/// cannot produce on demand.
final class MockCluster {
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    let bootstrap: String

    init(brokers: Int32 = 1) throws {
        guard let conf = rd_kafka_conf_new() else { throw MockError("rd_kafka_conf_new failed") }
        var errorBuffer = [CChar](repeating: 0, count: 256)
        guard let host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errorBuffer, errorBuffer.count) else {
            throw MockError("cannot create the mock cluster's host client")
        }
        guard let cluster = rd_kafka_mock_cluster_new(host, brokers) else {
            rd_kafka_destroy(host)
            throw MockError("cannot create the mock cluster")
        }
        self.host = host
        self.cluster = cluster
        self.bootstrap = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    func createTopic(_ name: String, partitions: Int32) {
        _ = rd_kafka_mock_topic_create(cluster, name, partitions, 1)
    }

    /// The next Produce requests fail with these errors, one each, in order.
    func failNextProduceRequests(_ errors: [rd_kafka_resp_err_t]) {
        var errors = errors
        rd_kafka_mock_push_request_errors_array(cluster, 0 /* Produce */, errors.count, &errors)
    }

    struct MockError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

@Suite(.timeLimit(.minutes(1))) struct MockClusterTests {
    func producer(_ cluster: MockCluster) throws -> KafkaProducer {
        var configuration = ProducerConfiguration(brokers: cluster.bootstrap)
        configuration.deliveryTimeout = .seconds(10)
        configuration.properties["retry.backoff.ms"] = "50"
        return try KafkaProducer(configuration: configuration, logger: TestBroker.logger)
    }

    @Test func aRetriableProduceErrorIsRetriedAndTheSendSucceeds() async throws {
        let cluster = try MockCluster()
        cluster.createTopic("faults", partitions: 1)
        let producer = try producer(cluster)
        try await producer.send(OutgoingMessage(topic: "faults", key: "warm-up", value: Data("0".utf8)))
        cluster.failNextProduceRequests([RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT])
        let report = try await producer.send(OutgoingMessage(topic: "faults", key: "k", value: Data("1".utf8)))
        #expect(report.offset == 1)
        await producer.close(timeout: .seconds(2))
    }

    @Test func aPermanentProduceErrorSurfacesAsANonRetriableError() async throws {
        let cluster = try MockCluster()
        cluster.createTopic("faults", partitions: 1)
        let producer = try producer(cluster)
        try await producer.send(OutgoingMessage(topic: "faults", key: "warm-up", value: Data("0".utf8)))
        cluster.failNextProduceRequests([RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED])
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(OutgoingMessage(topic: "faults", key: "k", value: Data("1".utf8)))
        }
        #expect(error?.name == "TOPIC_AUTHORIZATION_FAILED")
        #expect(error?.isRetriable == false)
        await producer.close(timeout: .seconds(2))
    }

    /// A fatal idempotence error leaves librdkafka's producer unusable for good (what a broker
    /// outage did to ingest on Tansu: PRODUCER_FENCED on every later send). The producer
    /// replaces its handle, reports the failed send as retriable, and the next send succeeds.
    @Test(arguments: [RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, RD_KAFKA_RESP_ERR_PRODUCER_FENCED])
    func aFatalIdempotenceErrorReplacesTheProducerAndSendingAgainWorks(_ fault: rd_kafka_resp_err_t) async throws {
        let cluster = try MockCluster()
        cluster.createTopic("faults", partitions: 1)
        let producer = try producer(cluster)
        try await producer.send(OutgoingMessage(topic: "faults", key: "warm-up", value: Data("0".utf8)))
        cluster.failNextProduceRequests([fault])
        let failed = await #expect(throws: KafkaError.self) {
            try await producer.send(OutgoingMessage(topic: "faults", key: "k", value: Data("1".utf8)))
        }
        #expect(failed?.isRetriable == true, "send it again: \(String(describing: failed))")
        #expect(failed?.isFatal == false)
        #expect(producer.renewals == 1)
        let report = try await producer.send(OutgoingMessage(topic: "faults", key: "k", value: Data("1".utf8)))
        #expect(report.partition == 0)
        let more = await producer.send((2..<5).map { OutgoingMessage(topic: "faults", key: "k", value: Data("\($0)".utf8)) })
        #expect(more.allSatisfy { (try? $0.get()) != nil })
        #expect(producer.renewals == 1, "one renewal per fatal error")
        await producer.close(timeout: .seconds(2))
    }
}
