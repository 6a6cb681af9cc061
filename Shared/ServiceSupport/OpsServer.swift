import Hummingbird
import Logging
import NIOCore

/// The small HTTP server a pipeline stage runs beside its work: `/healthz` (the process is
/// up), `/readyz` (it can do its job now) and `/metrics` (Prometheus text).
public enum OpsServer {
    /// - Parameter beforeScrape: runs before each `/metrics` answer, to refresh gauges that
    ///   are cheaper to read on demand than to keep current (the index's size on disk).
    public static func make(
        host: String, port: Int, metrics: PipelineMetrics, logger: Logger,
        beforeScrape: @escaping @Sendable () async -> Void = {},
        ready: @escaping @Sendable () async -> Bool
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("readyz") { _, _ in
            let isReady = await ready()
            return Response(
                status: isReady ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: isReady ? #"{"status":"ready"}"# : #"{"status":"not ready"}"#)))
        }
        router.get("metrics") { _, _ in
            await beforeScrape()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }
}
