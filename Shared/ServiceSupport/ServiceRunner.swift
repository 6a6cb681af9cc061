import Logging
import ServiceLifecycle
import UnixSignals

/// How every service process runs: its parts in one service group until SIGTERM or SIGINT.
///
/// When any part ends, for whatever reason, the whole group shuts down gracefully, in reverse
/// order of `services`: list what must stop last (a publisher that drains) first, and the
/// servers that take new work last, so they stop taking it first. A part's error is thrown
/// once the group has stopped.
public enum ServiceRunner {
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
