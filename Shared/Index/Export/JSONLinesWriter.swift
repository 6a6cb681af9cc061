import Foundation
import QuotewireModels

/// JSON lines, for the CLI's `--format jsonl` and the web page's export (one compact JSON value per line, each ending in LF) in the wire encoding of
/// ``WireCoding/encoder()``, keys sorted so the same value always gives the same line.
///
/// ```swift
/// let writer = JSONLinesWriter()
/// for quotation in quotations { FileHandle.standardOutput.write(try writer.line(quotation)) }
/// ```
public struct JSONLinesWriter: Sendable {
    private let encoder: JSONEncoder

    public init() {
        encoder = WireCoding.encoder()
        encoder.outputFormatting.remove(.prettyPrinted)
        encoder.outputFormatting.insert(.sortedKeys)
    }

    /// `value` as one line of JSON, its newline included. The encoder escapes line breaks
    /// inside strings, so the line holds no other.
    /// - Throws: `EncodingError` when the value cannot be encoded (a non-finite number, say).
    public func line(_ value: some Encodable) throws(EncodingError) -> Data {
        var data: Data
        do {
            data = try encoder.encode(value)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "\(error)"))
        }
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// ``line(_:)`` as text.
    public func text(_ value: some Encodable) throws(EncodingError) -> String {
        String(decoding: try line(value), as: UTF8.self)
    }
}
