import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a pipeline stage beside its health and metrics server until SIGTERM or SIGINT.
/// When the stage ends, for whatever reason, the whole group shuts down gracefully.
public enum StageRunner {
    public static func run(stage: some Service, ops: some Service, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: stage, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: ops),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
