import Foundation
import IngestService
import Logging
import QuotewireKafka
import QuotewireModels
import QuotewireTestSupport
import Testing

/// Ingest configurations on the test broker (``TestBroker``).
enum IngestTestBroker {
    /// An ingest configuration publishing to `topic` on the test broker, on any free port.
    static func configuration(topic: String, token: String = "s3cret-token", brokers: String = TestBroker.brokers) -> IngestServiceConfiguration {
        var configuration = IngestServiceConfiguration(brokers: brokers, token: token)
        configuration.port = 0
        configuration.topic = topic
        // Room for a loaded 2-core machine (a run beside another build saw 3 s missed); the test of
        // a broker that is away sets its own, shorter timeout.
        configuration.producer.deliveryTimeout = .seconds(10)
        configuration.drainTimeout = .seconds(3)
        return configuration
    }
}
