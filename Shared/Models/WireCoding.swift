import Foundation

/// The one JSON configuration every service uses for wire messages:
/// ISO 8601 dates in UTC, unescaped slashes.
public enum WireCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Decodes a message and checks its `schemaVersion`.
    public static func decode<T: Decodable & Versioned>(_ type: T.Type, from data: Data) throws -> T {
        let value: T
        do {
            value = try decoder().decode(T.self, from: data)
        } catch {
            throw WireError.undecodable(type: String(describing: T.self), reason: String(describing: error))
        }
        guard value.schemaVersion == SchemaVersion.current else {
            throw WireError.unsupportedSchemaVersion(value.schemaVersion)
        }
        return value
    }
}

/// A message that carries a schema version.
public protocol Versioned {
    var schemaVersion: Int { get }
}

extension RawArticle: Versioned {}
extension ParsedArticle: Versioned {}

/// Why a wire message could not be read.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case undecodable(type: String, reason: String)
    case unsupportedSchemaVersion(Int)

    public var description: String {
        switch self {
        case .undecodable(let type, let reason):
            "not a valid \(type) message: \(reason)"
        case .unsupportedSchemaVersion(let version):
            "unsupported schemaVersion \(version) (this build reads \(SchemaVersion.current))"
        }
    }
}
