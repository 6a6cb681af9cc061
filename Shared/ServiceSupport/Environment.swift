import Foundation

/// Defaults for settings: a flag wins, then the environment variable, then the built-in default.
public enum Setting {
    public static func string(_ variable: String, default value: String) -> String {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? value
    }

    public static func optionalString(_ variable: String) -> String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func int(_ variable: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[variable].flatMap(Int.init) ?? value
    }

    public static func double(_ variable: String, default value: Double) -> Double {
        ProcessInfo.processInfo.environment[variable].flatMap(Double.init) ?? value
    }

    /// The brokers every service talks to: `QUOTEWIRE_BROKERS`, else `127.0.0.1:9092`.
    public static var brokers: String { string("QUOTEWIRE_BROKERS", default: "127.0.0.1:9092") }
}
