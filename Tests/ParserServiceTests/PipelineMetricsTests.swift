import Foundation
import QuotewireKafka
import ServiceSupport
import Testing

/// The stage metrics librdkafka's statistics feed: lag per owned partition, broker figures.
@Suite struct PipelineMetricsTests {
    func report(lags: [Int32: Int64?]) throws -> KafkaStatistics {
        let partitions = lags.map { partition, lag in
            #""\#(partition)": {"partition": \#(partition), "consumer_lag": \#(lag ?? -1)}"#
        }.joined(separator: ",")
        let json = #"""
            {"name": "c#consumer-1", "type": "consumer", "msg_cnt": 0,
             "brokers": {"b:9092/1": {"name": "b:9092/1", "nodeid": 1, "source": "learned", "state": "UP", "rtt": {"avg": 2000}}},
             "topics": {"articles.raw": {"topic": "articles.raw", "partitions": {\#(partitions)}}}}
            """#
        return try KafkaStatistics(json: Data(json.utf8))
    }

    func exposition(_ metrics: PipelineMetrics) -> String {
        String(decoding: metrics.render(), as: UTF8.self)
    }

    @Test func lagIsShownForOwnedPartitionsAndDroppedWhenOneIsRevoked() throws {
        let metrics = PipelineMetrics(stage: "parser")
        metrics.record(try report(lags: [0: 12, 1: 3]))
        var text = exposition(metrics)
        #expect(text.contains(#"quotewire_consumer_lag{topic="articles.raw",partition="0"} 12"#))
        #expect(text.contains(#"quotewire_consumer_lag{topic="articles.raw",partition="1"} 3"#))
        #expect(text.contains(#"quotewire_kafka_broker_up{client="consumer",broker="b:9092/1"} 1"#))
        #expect(text.contains(#"quotewire_kafka_broker_rtt_seconds{client="consumer",broker="b:9092/1"} 0.002"#))

        metrics.record(try report(lags: [0: 5, 1: nil]))  // partition 1 went to another instance
        text = exposition(metrics)
        #expect(text.contains(#"quotewire_consumer_lag{topic="articles.raw",partition="0"} 5"#))
        #expect(!text.contains(#"partition="1""#))
    }

    @Test func zeroSecondsTurnsStatisticsOff() {
        #expect(PipelineMetrics(stage: "parser").statisticsReporting(every: .zero) == nil)
    }
}
