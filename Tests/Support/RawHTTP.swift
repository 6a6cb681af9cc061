import Foundation

/// A request written byte for byte on a socket, for what an HTTP client library will not send.
public enum RawHTTP {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Sends `bytes` to 127.0.0.1:`port` and reads until the server closes, a complete
    /// response with a Content-Length arrived, 1 MB arrived, or `readFor` passed. Returns the
    /// status of the first response line, if any, and all that was read.
    ///
    /// The socket calls block, so they run on a thread of their own: on the cooperative pool
    /// they could starve the in-process server that has to answer them.
    public static func exchange(_ bytes: [UInt8], port: Int, readFor: Duration = .seconds(10)) async throws -> (status: Int?, text: String) {
        let result: Result<Answer, Failure> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { () throws(Failure) in try blockingExchange(bytes, port: port, readFor: readFor) }) }
                .start()
        }
        let answer = try result.get()
        return (answer.status, answer.text)
    }

    private struct Answer: Sendable {
        var status: Int?
        var text: String
    }

    private static func blockingExchange(_ bytes: [UInt8], port: Int, readFor: Duration) throws(Failure) -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(readFor.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to port \(port)") }
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }
            sent += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + readFor
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
            if Self.isComplete(received) || received.count > 1 << 20 { break }
        }
        let text = String(decoding: received, as: UTF8.self)
        let statusLine = text.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ")
        let status = parts.count >= 2 && parts[0].hasPrefix("HTTP/") ? Int(parts[1]) : nil
        return Answer(status: status, text: text)
    }

    /// Whether `bytes` hold a whole response: a head and as many body bytes as it declares.
    private static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<headEnd.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return text[headEnd.upperBound...].utf8.count >= length
    }
}
