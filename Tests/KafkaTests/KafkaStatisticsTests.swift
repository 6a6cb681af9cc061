import Foundation
import Logging
import NIOConcurrencyHelpers
import QuotewireKafka
import Testing

/// librdkafka's statistics: the figures kept from its JSON, and reports arriving from a client.
@Suite(.timeLimit(.minutes(1))) struct KafkaStatisticsTests {
    /// A consumer report in librdkafka's shape, cut down to what the type reads plus noise.
    static let consumerReport = """
        {"name": "quotewire-parser#consumer-2", "client_id": "quotewire-parser", "type": "consumer",
         "ts": 1, "msg_cnt": 0, "replyq": 0,
         "brokers": {
           "127.0.0.1:9092/1": {"name": "127.0.0.1:9092/1", "nodeid": 1, "source": "learned", "state": "UP",
                                "rtt": {"min": 90, "max": 400, "avg": 250, "cnt": 4}},
           "GroupCoordinator": {"name": "GroupCoordinator", "nodeid": 1, "source": "logical", "state": "UP",
                                "rtt": {"avg": 100}},
           "127.0.0.1:9092/bootstrap": {"name": "127.0.0.1:9092/bootstrap", "nodeid": -1, "source": "configured",
                                        "state": "INIT", "rtt": {"avg": 0}}},
         "topics": {"articles.raw": {"topic": "articles.raw", "partitions": {
           "0": {"partition": 0, "consumer_lag": 12, "hi_offset": 40, "committed_offset": 28},
           "1": {"partition": 1, "consumer_lag": -1},
           "-1": {"partition": -1, "consumer_lag": -1}}}},
         "cgrp": {"state": "up", "rebalance_cnt": 1}}
        """

    @Test func aConsumerReportGivesLagPerAssignedPartitionAndRealBrokersOnly() throws {
        let statistics = try KafkaStatistics(json: Data(Self.consumerReport.utf8))
        #expect(statistics.clientType == "consumer")
        #expect(statistics.clientName == "quotewire-parser#consumer-2")
        #expect(statistics.partitions == [
            .init(topic: "articles.raw", partition: 0, consumerLag: 12),
            .init(topic: "articles.raw", partition: 1, consumerLag: nil),
        ])
        #expect(statistics.brokers == [.init(name: "127.0.0.1:9092/1", isUp: true, averageRoundTrip: .microseconds(250))])
    }

    @Test func somethingElseIsATypedError() {
        #expect(throws: KafkaError.self) { try KafkaStatistics(json: Data("not json".utf8)) }
    }

    @Test func aProducerWithStatisticsReportsThemOnItsOwnThread() async throws {
        let cluster = try MockCluster()
        var configuration = ProducerConfiguration(brokers: cluster.bootstrap)
        let reports = NIOLockedValueBox<[KafkaStatistics]>([])
        configuration.statistics = StatisticsReporting(every: .milliseconds(100)) { report in
            reports.withLockedValue { $0.append(report) }
        }
        var logger = Logger(label: "statistics-tests")
        logger.logLevel = .warning
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let deadline = ContinuousClock.now + .seconds(10)
        while reports.withLockedValue({ $0.isEmpty }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        await producer.close(timeout: .seconds(2))
        let first = try #require(reports.withLockedValue { $0.first })
        #expect(first.clientType == "producer")
        #expect(first.queuedMessages == 0)
    }
}
