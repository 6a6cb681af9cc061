import Foundation
import QuotewireModels

/// The JSON form of a submission: `{"text"|"html": "…", "url", "source", "publishedAt"}`.
/// Unknown keys are ignored; exactly one of `text` and `html` must be given.
public struct ArticleJSONRequest: Decodable, Sendable, Equatable {
    public var text: String?
    public var html: String?
    public var url: String?
    public var source: String?
    /// Kept as text so a bad value gets its own message, not a generic decoding error.
    public var publishedAt: String?

    /// Reads the JSON body.
    /// - Throws: ``SubmissionError`` (`invalidJSON`) naming the field or position at fault.
    public static func decode(_ data: Data) throws(SubmissionError) -> ArticleJSONRequest {
        do {
            return try JSONDecoder().decode(ArticleJSONRequest.self, from: data)
        } catch let error as DecodingError {
            throw SubmissionError(.invalidJSON, "the body is not a valid article JSON object: \(Self.explain(error))")
        } catch {
            throw SubmissionError(.invalidJSON, "the body is not a valid article JSON object: \(error)")
        }
    }

    /// The body and its content type.
    /// - Throws: ``SubmissionError`` when neither or both of `text` and `html` are given.
    public func content() throws(SubmissionError) -> (String, ContentType) {
        switch (text, html) {
        case (let text?, nil): return (text, .plainText)
        case (nil, let html?): return (html, .html)
        case (nil, nil): throw SubmissionError(.invalidJSON, "the JSON object needs a \"text\" or an \"html\" field")
        case (_?, _?): throw SubmissionError(.invalidJSON, "give either \"text\" or \"html\", not both")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "expected \(type == String.self ? "a string" : "\(type)")\(path(context))"
        case .valueNotFound(_, let context):
            return "missing value\(path(context))"
        case .keyNotFound(let key, _):
            return "missing \(key.stringValue)"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return context.debugDescription + underlying + path(context)
        @unknown default:
            return "\(error)"
        }
    }
}
