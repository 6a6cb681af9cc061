import HummingbirdTesting

/// How a test reaches the application: through its router alone, without a socket
/// (`.router`, what a route does), or over a real HTTP connection (`.live`, what a client sees).
enum HTTPTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    case router, live

    var setup: TestingSetup {
        switch self {
        case .router: .router
        case .live: .live
        }
    }

    var description: String { rawValue }
}
