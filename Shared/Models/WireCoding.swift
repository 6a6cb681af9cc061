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
    /// - Throws: ``WireError``: `undecodable` with a one-line reason (empty, not UTF-8 and
    ///   where, not JSON, a missing or mistyped field and its path), or `unsupportedSchemaVersion`.
    public static func decode<T: Decodable & Versioned>(_ type: T.Type, from data: Data) throws -> T {
        try checked(decodeWithCodable(type, from: data))
    }

    /// Decodes a parsed article (the indexer's every record) with the byte-level reader, or,
    /// when that gives up, as ``decode(_:from:)-generic`` does.
    public static func decode(_ type: ParsedArticle.Type, from data: Data) throws -> ParsedArticle {
        try checked(scan(data, as: type) ?? decodeWithCodable(type, from: data))
    }

    /// Decodes a raw article (the parser's every record) with the byte-level reader, or, when
    /// that gives up, as ``decode(_:from:)-generic`` does.
    public static func decode(_ type: RawArticle.Type, from data: Data) throws -> RawArticle {
        try checked(scan(data, as: type) ?? decodeWithCodable(type, from: data))
    }

    /// The value the byte-level reader makes of the whole of `data`, or nil when it gives up.
    static func scan<T: WireScannable>(_ data: Data, as type: T.Type) -> T? {
        data.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw.bindMemory(to: UInt8.self), strict: true)
            do {
                let value = try T(scanning: &scanner)
                try scanner.end()
                return value
            } catch {
                return nil
            }
        }
    }

    private static func checked<T: Versioned>(_ value: T) throws -> T {
        guard value.schemaVersion == SchemaVersion.current else {
            throw WireError.unsupportedSchemaVersion(value.schemaVersion)
        }
        return value
    }

    static func decodeWithCodable<T: Decodable & Versioned>(_ type: T.Type, from data: Data) throws -> T {
        let value: T
        do {
            value = try decoder().decode(T.self, from: data)
        } catch {
            // Only a failure pays for finding out why.
            let name = String(describing: T.self)
            if data.isEmpty {
                throw WireError.undecodable(type: name, reason: "the value is empty (0 bytes)")
            }
            if let offset = UTF8Validation.firstInvalidOffset(in: data) {
                throw WireError.undecodable(type: name, reason: "the value is not UTF-8 (first bad byte at offset \(offset) of \(data.count))")
            }
            let reason = (error as? DecodingError).map { explain($0, data: data) } ?? String(String(describing: error).prefix(300))
            throw WireError.undecodable(type: name, reason: reason)
        }
        return value
    }

    /// What is visibly wrong with the JSON's shape (cut short, nested too deep), when the
    /// decoder does not say: a pass over the bytes that tracks strings and brackets.
    static func jsonShapeProblem(_ data: Data) -> String? {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        if deepest > 512 { return "arrays or objects nested \(deepest) deep" }
        if inString { return "it ends inside a string after \(data.count) bytes (cut short?)" }
        if depth > 0 { return "it ends with \(depth) array(s) or object(s) open after \(data.count) bytes (cut short?)" }
        return nil
    }

    /// A decoding error in one line: what is wrong and where, without the type dump.
    static func explain(_ error: DecodingError, data: Data) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        let text: String
        switch error {
        case .typeMismatch(let type, let context):
            text = "expected \(type == String.self ? "a string" : "\(type)")\(path(context))"
        case .valueNotFound(let type, let context):
            text = "missing \(type == String.self ? "string" : "\(type)") value\(path(context))"
        case .keyNotFound(let key, let context):
            text = "missing field \(key.stringValue)\(path(context))"
        case .dataCorrupted(let context):
            var detail = context.debugDescription
            if let underlying = context.underlyingError.map({ $0 as NSError }),
               let more = underlying.userInfo[NSDebugDescriptionErrorKey] as? String, !more.isEmpty, more != detail {
                detail += " (\(more))"
            }
            text = context.codingPath.isEmpty ? "not valid JSON: \(jsonShapeProblem(data) ?? detail)" : "a bad value\(path(context)): \(detail)"
        @unknown default:
            text = "\(error)"
        }
        return String(text.prefix(300))
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
