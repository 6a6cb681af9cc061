import Foundation

/// Settings of the query service. Defaults match DESIGN.md's configuration table.
public struct QueryServiceConfiguration: Sendable {
    /// The index folder (or the symlink to it); `QUOTEWIRE_INDEX`, default `./data/index`.
    public var indexPath: String = "./data/index"
    /// The address to listen on; default `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// The port; `QUOTEWIRE_QUERY_PORT`, default 8081. Zero picks a free port.
    public var port: Int = 8081
    /// When set, every `/v1/…` request needs `Authorization: Bearer <token>`;
    /// `/healthz`, `/readyz`, `/metrics` and `/openapi.json` stay open.
    public var token: String?
    /// How often the folder is checked for new or replaced shards.
    public var refreshInterval: Duration = .milliseconds(500)
    /// How long one request may wait on the index before it is interrupted and answered 503,
    /// so a query that turned out expensive cannot hold a client (or a reader) for minutes.
    public var queryTimeout: Duration = .seconds(10)

    public init(
        indexPath: String = "./data/index", host: String = "127.0.0.1", port: Int = 8081, token: String? = nil,
        refreshInterval: Duration = .milliseconds(500), queryTimeout: Duration = .seconds(10)
    ) {
        self.indexPath = indexPath
        self.host = host
        self.port = port
        self.token = token
        self.refreshInterval = refreshInterval
        self.queryTimeout = queryTimeout
    }
}
