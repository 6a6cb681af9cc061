import ArgumentParser
import Foundation
import Logging

/// Flags every pipeline service takes. Each falls back to its environment variable, then a default.
public struct CommonOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap brokers, host:port[,host:port] (env QUOTEWIRE_BROKERS).")
    public var brokers: String = Setting.brokers

    @OptionGroup public var logging: LogOptions

    @Option(help: "The address the health and metrics server listens on (env QUOTEWIRE_HOST).")
    public var host: String = Setting.string("QUOTEWIRE_HOST", default: ServiceDefaults.host)

    @Option(name: .customLong("kafka"), parsing: .singleValue,
            help: "A raw librdkafka property for both consumer and producer, key=value (repeatable; env QUOTEWIRE_KAFKA_PROPERTIES, pairs separated by ';').")
    public var kafkaProperties: [String] = []

    @Option(help: "Seconds between librdkafka statistics reports, which feed the lag and broker metrics; 0 turns them off (env QUOTEWIRE_KAFKA_STATISTICS_SECONDS).")
    public var kafkaStatisticsSeconds: Int = Setting.int("QUOTEWIRE_KAFKA_STATISTICS_SECONDS", default: 15)

    public init() {}

    public func validate() throws {
        try logging.validate()
        for property in environmentKafkaProperties + kafkaProperties where !property.contains("=") {
            throw ValidationError("--kafka (or QUOTEWIRE_KAFKA_PROPERTIES) takes key=value, not \(property)")
        }
        guard kafkaStatisticsSeconds >= 0 else { throw ValidationError("--kafka-statistics-seconds must not be negative") }
    }

    /// Sets up logging as the flags say and returns the service's logger.
    public func bootstrapLogging(label: String) -> Logger {
        logging.bootstrapLogging(label: label)
    }

    /// The raw librdkafka properties: `QUOTEWIRE_KAFKA_PROPERTIES` first, `--kafka` pairs over them.
    public var librdkafkaProperties: [String: String] {
        var properties: [String: String] = [:]
        for pair in environmentKafkaProperties + kafkaProperties {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
        }
        return properties
    }

    /// How often librdkafka reports its statistics; zero when they are off.
    public var statisticsInterval: Duration { .seconds(kafkaStatisticsSeconds) }

    private var environmentKafkaProperties: [String] {
        (Setting.optionalString("QUOTEWIRE_KAFKA_PROPERTIES") ?? "").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
