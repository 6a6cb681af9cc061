import Foundation
import Testing

/// What a test needs beyond its own process, as a trait a run chooses by:
/// `@Suite(.needs(.broker, .processes, .time))`, `@Test(.needs(.broker))`.
///
/// `QUOTEWIRE_TESTS` chooses: unset (or `all`) runs every test; `fast` (what `make check` sets)
/// runs the tests that need neither a broker nor much time, and reports the others as skipped,
/// with what they need. (Swift Testing's `--filter` and `--skip` match test names, not tags, so
/// the choice is a condition each test carries.)
public enum TestNeed: String, Sendable, CustomStringConvertible {
    /// A Kafka broker: the test broker (`QUOTEWIRE_TEST_BROKERS`) or a private one it starts.
    case broker
    /// Processes it starts: the package's executables or other programs.
    case processes
    /// Time: more than about half a minute on a quiet machine.
    case time

    public var description: String { rawValue }

    /// Whether this run leaves out the tests that need it.
    var isLeftOut: Bool {
        switch ProcessInfo.processInfo.environment["QUOTEWIRE_TESTS"] ?? "all" {
        case "fast": self != .processes
        default: false
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Marks a test or suite as needing `needs`; it runs unless `QUOTEWIRE_TESTS` leaves one of them out.
    public static func needs(_ needs: TestNeed...) -> Self {
        let leftOut = needs.filter(\.isLeftOut)
        return .enabled(
            if: leftOut.isEmpty,
            Comment(rawValue: "needs \(leftOut.map(\.description).joined(separator: " and ")), which QUOTEWIRE_TESTS=fast leaves out"))
    }
}
