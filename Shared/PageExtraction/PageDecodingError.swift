/// Why a page's bytes could not be read as text.
///
/// Every case is the page's own fault; none is worth retrying unchanged. ``description`` is
/// written for the person who sent the page.
public struct PageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The bytes are not UTF-8 and the page names no charset (no BOM, `<meta>` or content type).
        case undeclaredCharset
        /// The page names a charset the system's converter does not know.
        case unknownCharset
        /// The bytes are not valid in the charset the page names.
        case invalidBytes
    }

    public let kind: Kind
    /// What is wrong, in words a submitter can act on.
    public let message: String
    /// The first byte that could not be read, when one is known.
    public let offset: Int?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}
