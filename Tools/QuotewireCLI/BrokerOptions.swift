import ArgumentParser
import Foundation
import Logging
import QuotewireKafka
import ServiceSupport

/// Options of the commands that talk to Kafka directly: where the brokers are and how long
/// to wait for them.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap brokers, host:port[,host:port] (env QUOTEWIRE_BROKERS; default 127.0.0.1:9092).")
    var brokers: String?

    @Option(help: "Seconds to wait for the broker before giving up (default 10).")
    var timeout: Int = 10

    func validate() throws {
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
    }

    /// The flag, else `QUOTEWIRE_BROKERS`, else the local default (the services' own).
    var resolvedBrokers: String { brokers ?? Setting.brokers }

    var timeoutDuration: Duration { .seconds(timeout) }

    /// librdkafka's own log is quiet unless `QUOTEWIRE_LOG_LEVEL` asks for it: the command
    /// reports failures itself, in one line each.
    var logger: Logger {
        var logger = Logger(label: "quotewire")
        logger.logLevel = Setting.optionalString("QUOTEWIRE_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    /// A producer whose sends fail after the timeout instead of waiting for ever.
    func producer() throws(BrokerCommandError) -> KafkaProducer {
        var configuration = ProducerConfiguration(brokers: resolvedBrokers)
        configuration.clientID = "quotewire-cli"
        configuration.deliveryTimeout = timeoutDuration
        configuration.linger = .milliseconds(5)
        do {
            return try KafkaProducer(configuration: configuration, logger: logger)
        } catch {
            throw BrokerCommandError(.usage, "cannot create a Kafka producer: \(error.reason)")
        }
    }

    /// A consumer outside the services' groups: it reads the partitions it is assigned and
    /// commits nothing. It carries a throwaway group id of its own only because librdkafka
    /// has no consumer queue without one; it never joins that group (no `subscribe`).
    func assignedConsumer() throws(BrokerCommandError) -> KafkaConsumer {
        let throwaway = "quotewire-cli-\(UUID().uuidString.lowercased())"
        var configuration = ConsumerConfiguration(brokers: resolvedBrokers, groupID: throwaway)
        configuration.clientID = "quotewire-cli"
        configuration.properties["enable.auto.commit"] = "false"
        do {
            return try KafkaConsumer(configuration: configuration, logger: logger)
        } catch {
            throw BrokerCommandError(.usage, "cannot create a Kafka consumer: \(error.reason)")
        }
    }

    /// The partition count of every topic, asking the broker at most `timeout`.
    /// - Throws: ``BrokerCommandError`` (`unavailable`) naming the brokers when they do not answer.
    func partitionCounts() async throws(BrokerCommandError) -> [String: Int] {
        var configuration = AdminConfiguration(brokers: resolvedBrokers)
        configuration.clientID = "quotewire-cli"
        configuration.timeout = timeoutDuration
        do {
            let admin = try KafkaAdmin(configuration: configuration, logger: logger)
            return try await admin.partitionCounts()
        } catch {
            throw unreachable(error)
        }
    }

    /// The partition count of one topic.
    /// - Throws: ``BrokerCommandError`` when the broker does not answer or the topic does not exist.
    func partitionCount(of topic: String) async throws(BrokerCommandError) -> Int {
        guard let count = try await partitionCounts()[topic], count > 0 else {
            throw BrokerCommandError(.unavailable, "topic \(topic) does not exist on \(resolvedBrokers)")
        }
        return count
    }

    func unreachable(_ error: KafkaError) -> BrokerCommandError {
        BrokerCommandError(.unavailable, "cannot reach the Kafka broker at \(resolvedBrokers) within \(timeout) s (\(error.reason))")
    }
}

/// A failure of a broker command, printed as one line with an exit status that says what kind.
struct BrokerCommandError: Error, CustomStringConvertible {
    enum Kind {
        /// Some of the work failed (exit 1).
        case partial
        /// Bad input (exit 2).
        case usage
        /// The broker could not be reached or the topic is missing (exit 3).
        case unavailable
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }

    var exitCode: Int32 {
        switch kind {
        case .partial: 1
        case .usage: 2
        case .unavailable: 3
        }
    }

    /// Runs a command body; on failure prints `quotewire: MESSAGE` to standard error and exits
    /// with the error's status.
    static func reporting(_ body: () async throws(BrokerCommandError) -> Void) async throws {
        do {
            try await body()
        } catch {
            Terminal.error(error.message)
            throw ExitCode(error.exitCode)
        }
    }
}
