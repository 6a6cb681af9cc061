/// Where a server listens: a host and a port (0 takes any free port).
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String = ServiceDefaults.host, port: Int) {
        self.host = host
        self.port = port
    }
}
