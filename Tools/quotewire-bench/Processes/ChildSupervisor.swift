import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Every child of a run: killed on every exit path (the run's `defer`, and SIGINT/SIGTERM
/// to the benchmark itself).
final class ChildSupervisor: @unchecked Sendable {
    private let lock = NSLock()
    private var children: [ChildProcess] = []
    private var sources: [any DispatchSourceSignal] = []

    init() {}

    func adopt(_ child: ChildProcess) {
        lock.withLock { children.append(child) }
    }

    /// Kills whatever is still running.
    func killAll() {
        for child in lock.withLock({ children }) where child.isRunning {
            FileHandle.standardError.write(Data("quotewire-bench: killing \(child.name) (pid \(child.pid))\n".utf8))
            child.killNow()
        }
    }

    /// On SIGINT or SIGTERM to the benchmark: kill the children, then exit.
    func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                killAll()
                Foundation.exit(128 + sig)
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}
