import ArgumentParser
import Logging

/// The logging flags every service takes: format and level, each falling back to its
/// environment variable.
public struct LogOptions: ParsableArguments {
    @Option(help: "Log format: logfmt or json (env QUOTEWIRE_LOG_FORMAT).")
    public var logFormat: String = Setting.string("QUOTEWIRE_LOG_FORMAT", default: "logfmt")

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env QUOTEWIRE_LOG_LEVEL).")
    public var logLevel: String = Setting.string("QUOTEWIRE_LOG_LEVEL", default: "info")

    public init() {}

    public func validate() throws {
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("unknown --log-format \(logFormat)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    /// Sets up logging as the flags say and returns the service's logger.
    public func bootstrapLogging(label: String) -> Logger {
        LogSetup.bootstrap(format: LogFormat(rawValue: logFormat) ?? .logfmt, level: Logger.Level(rawValue: logLevel) ?? .info)
        return Logger(label: label)
    }
}
