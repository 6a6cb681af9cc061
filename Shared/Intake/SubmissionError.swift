/// Why a submitted article was refused, before any broker was asked.
///
/// Every case is the submitter's fault (a bad body, a bad field); none is worth retrying
/// unchanged. ``description`` is written for the person who sent it.
public struct SubmissionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal, each mapped to one HTTP status by the ingest service.
    public enum Kind: String, Sendable, Equatable {
        /// The body is larger than the configured limit.
        case tooLarge
        /// The body's media type or charset is not one we read.
        case unsupportedMediaType
        /// The bytes are not UTF-8.
        case invalidUTF8
        /// The body (or the JSON `text`/`html` field) is empty or only whitespace.
        case empty
        /// The JSON body could not be read.
        case invalidJSON
        /// A field (`url`, `publishedAt`, …) has a value we cannot use.
        case invalidField
    }

    public let kind: Kind
    /// What was wrong, in words a submitter can act on.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
