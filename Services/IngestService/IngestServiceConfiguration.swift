import QuotewireKafka
import QuotewireModels
import ServiceSupport

/// Settings of the ingest service; defaults follow DESIGN.md ("Configuration defaults").
/// The executable's flags take their defaults from here.
public struct IngestServiceConfiguration: Sendable {
    public var brokers: String
    /// The address the HTTP server binds to.
    public var host = ServiceDefaults.host
    /// The HTTP port; 0 takes any free port (tests).
    public var port = 8080
    /// The bearer token `POST /v1/articles` requires. The service refuses to start without one.
    public var token: String
    /// The largest request body accepted, in bytes (413 beyond).
    public var maxBodyBytes = WireLimits.maxArticleBytes
    /// Where articles are published.
    public var topic = Topics.articlesRaw
    /// Producer settings. The delivery timeout is a few seconds so a request never hangs
    /// on a broker that is away: it gets a 503 instead.
    public var producer: ProducerConfiguration
    /// What `Retry-After` tells a client refused with 503.
    public var retryAfter: Duration = .seconds(5)
    /// How long shutdown waits for publishes in flight and then for the producer's flush.
    public var drainTimeout: Duration = .seconds(10)
    /// How often the broker is probed for `/readyz`.
    public var readinessInterval: Duration = .seconds(5)

    public init(brokers: String, token: String) {
        self.brokers = brokers
        self.token = token
        self.producer = ProducerConfiguration(brokers: brokers)
        self.producer.clientID = "quotewire-ingest"
        self.producer.deliveryTimeout = .seconds(5)
        self.producer.linger = .milliseconds(1)
    }
}

/// Settings of folder mode: files dropped into `folder` are published, then moved.
public struct FolderWatchConfiguration: Sendable {
    /// The folder watched; `done/` and `failed/` are created inside it.
    public var folder: String
    /// How often the folder is scanned.
    public var pollInterval: Duration = .seconds(1)
    /// How long a file's size and modification time must stay unchanged before it is
    /// read, so a file still being written is not picked up half-written.
    public var settleTime: Duration = .seconds(2)
    /// The largest file accepted, in bytes.
    public var maxFileBytes = WireLimits.maxArticleBytes

    public init(folder: String) {
        self.folder = folder
    }
}
