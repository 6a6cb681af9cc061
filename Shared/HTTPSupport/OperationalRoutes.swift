import Hummingbird

/// The routes every service answers beside its work, with one body shape everywhere:
/// `/healthz` (the process is up: `{"status":"ok"}`), `/readyz` (``Readiness``) and
/// `/metrics` (the Prometheus text exposition).
public enum OperationalRoutes {
    /// Their paths, each answering GET.
    public static let paths = ["/healthz", "/readyz", "/metrics"]

    /// Adds the three routes to `router`.
    /// - Parameters:
    ///   - readiness: asked on each `/readyz`.
    ///   - metrics: the exposition, made on each `/metrics` (refresh gauges in it as needed).
    public static func add<Context: RequestContext>(
        to router: Router<Context>,
        readiness: @escaping @Sendable () async -> Readiness,
        metrics: @escaping @Sendable () async -> [UInt8]
    ) {
        router.get("healthz") { _, _ in
            JSONBody.response(Health(status: "ok"))
        }
        router.get("readyz") { _, _ in
            switch await readiness() {
            case .ready(let details):
                JSONBody.response(ReadyBody(details: details))
            case .notReady(let reason, let headers):
                APIError(.serviceUnavailable, reason, headers: headers).response()
            }
        }
        router.get("metrics") { _, _ in
            JSONBody.bytes(await metrics(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    struct Health: Encodable {
        var status: String
    }
}
