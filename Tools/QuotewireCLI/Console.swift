import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where the commands write. A process writes to its standard output and error, unbuffered; a
/// test runs a command in-process inside `Console.$current.withValue(capture.console)` and
/// reads what it wrote from a ``ConsoleCapture``.
public struct Console: Sendable {
    /// Standard output or standard error.
    public enum Stream: Sendable {
        case output, error
    }

    private let sink: @Sendable (Stream, String) -> Void
    private let terminal: @Sendable (Stream) -> Bool

    public init(write: @escaping @Sendable (Stream, String) -> Void, isTerminal: @escaping @Sendable (Stream) -> Bool) {
        self.sink = write
        self.terminal = isTerminal
    }

    /// The console of the running task: the process's own unless a caller bound another.
    @TaskLocal public static var current = Console.standard

    /// The process's standard output and error.
    public static let standard = Console(
        write: { stream, text in
            (stream == .output ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
        },
        isTerminal: { stream in isatty(stream == .output ? STDOUT_FILENO : STDERR_FILENO) == 1 })

    /// Writes `text` as it is (no newline added).
    public func write(_ text: String, to stream: Stream = .output) { sink(stream, text) }

    /// Whether `stream` is a terminal (progress lines are drawn only then).
    public func isTerminal(_ stream: Stream) -> Bool { terminal(stream) }
}

/// What a command wrote, kept for a test to read.
public final class ConsoleCapture: Sendable {
    private let written = Mutex<(output: String, error: String)>(("", ""))
    private let terminal: Bool

    /// - Parameter terminal: whether the captured streams claim to be a terminal.
    public init(terminal: Bool = false) {
        self.terminal = terminal
    }

    /// A console writing here.
    public var console: Console {
        Console(
            write: { [self] stream, text in
                written.withLock { if stream == .output { $0.output += text } else { $0.error += text } }
            },
            isTerminal: { [terminal] _ in terminal })
    }

    public var output: String { written.withLock { $0.output } }
    public var error: String { written.withLock { $0.error } }
}

/// Lines for people, on the task's ``Console``.
enum Terminal {
    static func out(_ line: String) {
        Console.current.write(line + "\n")
    }

    static func error(_ line: String) {
        Console.current.write("quotewire: \(line)\n", to: .error)
    }
}
