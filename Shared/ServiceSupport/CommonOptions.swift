import ArgumentParser
import Logging

/// Flags every service takes. Each falls back to its environment variable, then a default.
public struct CommonOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap brokers, host:port[,host:port] (env QUOTEWIRE_BROKERS).")
    public var brokers: String = Setting.brokers

    @Option(help: "Log format: logfmt or json (env QUOTEWIRE_LOG_FORMAT).")
    public var logFormat: String = Setting.string("QUOTEWIRE_LOG_FORMAT", default: "logfmt")

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env QUOTEWIRE_LOG_LEVEL).")
    public var logLevel: String = Setting.string("QUOTEWIRE_LOG_LEVEL", default: "info")

    @Option(help: "The address the health and metrics server listens on (env QUOTEWIRE_HOST).")
    public var host: String = Setting.string("QUOTEWIRE_HOST", default: "127.0.0.1")

    @Option(name: .customLong("kafka"), parsing: .singleValue,
            help: "A raw librdkafka property for both consumer and producer, key=value (repeatable).")
    public var kafkaProperties: [String] = []

    public init() {}

    public func validate() throws {
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("unknown --log-format \(logFormat)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        for property in kafkaProperties where !property.contains("=") {
            throw ValidationError("--kafka takes key=value, not \(property)")
        }
    }

    /// Sets up logging as the flags say and returns the service's logger.
    public func bootstrapLogging(label: String) -> Logger {
        LogSetup.bootstrap(format: LogFormat(rawValue: logFormat) ?? .logfmt, level: Logger.Level(rawValue: logLevel) ?? .info)
        return Logger(label: label)
    }

    /// The `--kafka key=value` pairs.
    public var librdkafkaProperties: [String: String] {
        var properties: [String: String] = [:]
        for pair in kafkaProperties {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
        }
        return properties
    }
}
