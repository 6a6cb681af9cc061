import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// Where the services listen and live, and when they answer.
enum ServicePorts {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchError("cannot bind a socket to find a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw BenchError("cannot read the port of a socket") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

enum ServiceBinaries {
    /// The folder the running quotewire-bench executable is in (the services sit beside it).
    static func folder() -> String {
        let resolved = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if resolved.path != "/proc/self/exe" { return resolved.deletingLastPathComponent().path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }
}

/// Polls `GET url` until it answers 200, the child exits, or `timeout` passes.
func waitUntilReady(_ child: ChildProcess, url: String, client: HTTPClient, timeout: Duration = .seconds(60)) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastProblem = "no answer yet"
    while ContinuousClock.now < deadline {
        if let exit = child.poll() {
            throw BenchError("\(child.name) exited (\(exit.description)) before it was ready; last log lines (\(child.logPath)):\n\(child.logTail())")
        }
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 64 * 1024)
            if response.status.code == 200 { return }
            lastProblem = "HTTP \(response.status.code)"
        } catch {
            lastProblem = "\(error)"
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw BenchError("\(child.name) was not ready within \(timeout) (\(url): \(lastProblem)); last log lines (\(child.logPath)):\n\(child.logTail())")
}
