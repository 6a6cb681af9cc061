import ServiceSupport

/// Settings of the query service. Defaults match DESIGN.md's configuration table; the
/// executable's flags take their defaults from here.
public struct QueryServiceConfiguration: Sendable {
    /// The index folder (or the symlink to it).
    public var indexPath = ServiceDefaults.indexPath
    /// The address to listen on.
    public var host = ServiceDefaults.host
    /// The port of the API. Zero picks a free port.
    public var port = ServiceDefaults.queryPort
    /// The port of the web pages (``WebApplication``), on the same host; nil serves none. Zero
    /// picks a free port.
    public var webPort: Int? = ServiceDefaults.webPort
    /// When set, every `/v1/…` request needs `Authorization: Bearer <token>`;
    /// `/healthz`, `/readyz`, `/metrics` and `/openapi.json` stay open. The web pages then ask
    /// for it too (a sign-in form that keeps a session cookie).
    public var token: String?
    /// How often the folder is checked for new or replaced shards.
    public var refreshInterval: Duration = .milliseconds(500)
    /// How long one request may wait on the index before it is interrupted and answered 503,
    /// so a query that turned out expensive cannot hold a client (or a reader) for minutes.
    public var queryTimeout: Duration = .seconds(10)
    /// When set, the service is one node of several (``NodeDirectory``, ``ClusterGatherer``).
    public var cluster: ClusterConfiguration?

    public init() {}
}
