import HTTPTypes

/// What `/readyz` reports: ready (200, `{"status":"ready"}` plus any details of the service's),
/// or not (503, the error body saying why, maybe with `Retry-After`).
public enum Readiness: Sendable {
    case ready(details: (any Encodable & Sendable)? = nil)
    case notReady(reason: String, headers: HTTPFields = [:])

    /// Ready when `isReady`, else not ready for `reason`.
    public static func from(_ isReady: Bool, otherwise reason: String) -> Readiness {
        isReady ? .ready() : .notReady(reason: reason)
    }
}

/// `{"status":"ready"}` with a service's details as further members of the same object.
struct ReadyBody: Encodable {
    var details: (any Encodable & Sendable)?

    enum CodingKeys: String, CodingKey {
        case status
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("ready", forKey: .status)
        try details?.encode(to: encoder)
    }
}
