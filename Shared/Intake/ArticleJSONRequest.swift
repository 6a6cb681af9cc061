import Foundation
import QuotewireModels

/// The JSON form of a submission: `{"text"|"html": "…", "url", "source", "publishedAt"}`, and
/// `"id"` where the reader asks for it (see ``decode(_:readingID:)``).
/// Unknown keys are ignored; exactly one of `text` and `html` must be given.
public struct ArticleJSONRequest: Sendable, Equatable {
    public var text: String?
    public var html: String?
    public var url: String?
    public var source: String?
    /// Kept as text so a bad value gets its own message, not a generic decoding error.
    public var publishedAt: String?
    /// An explicit article id, unchecked; nil unless the body was read with `readingID`.
    public var id: String?

    /// Reads the JSON body (a flat object: unknown keys of any type are skipped, a field
    /// given as `null` counts as absent). With `readingID`, `id` is one of the fields (a
    /// string or null); without, it is an unknown key like any other.
    /// - Throws: ``SubmissionError`` (`invalidJSON`) naming the field or byte offset at fault.
    public static func decode(_ body: some Collection<UInt8>, readingID: Bool = false) throws(SubmissionError) -> ArticleJSONRequest {
        let fields = ["text", "html", "url", "source", "publishedAt"]
        var reader = JSONObjectReader(keys: readingID ? fields + ["id"] : fields, rejectingLoneSurrogates: true)
        let read: Result<Void, JSONObjectError>? = body.withContiguousStorageIfAvailable { bytes in
            Result { () throws(JSONObjectError) in try reader.read(bytes) }
        }
        let outcome = read ?? Array(body).withUnsafeBufferPointer { bytes in
            Result { () throws(JSONObjectError) in try reader.read(bytes) }
        }
        if case .failure(let error) = outcome {
            throw SubmissionError(.invalidJSON, "the body is not a valid article JSON object: \(error)")
        }
        return ArticleJSONRequest(
            text: reader.string(0), html: reader.string(1), url: reader.string(2), source: reader.string(3),
            publishedAt: reader.string(4), id: readingID ? reader.string(5) : nil)
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
}
