import Foundation

/// Why an index operation failed, with enough context to act on it.
///
/// `kind` classifies the failure: user-input errors (``Kind/invalidQuery``,
/// ``Kind/invalidArgument``, ``Kind/notFound``) are the caller's to fix, the others
/// come from the files on disk and SQLite.
public struct IndexError: Error, Sendable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Equatable {
        /// User search text that cannot become a full-text pattern (empty, too long).
        case invalidQuery
        /// A parameter out of range or malformed (limit, cursor, id, symbol, date).
        case invalidArgument
        /// The thing asked for does not exist.
        case notFound
        /// The index folder or a shard file is missing or cannot be opened.
        case unavailable
        /// A shard's schema is newer than this build, or unrecognised.
        case incompatibleSchema
        /// SQLite refused a statement or a transaction.
        case database
        /// A file-system operation (rename, symlink, mkdir) failed.
        case fileSystem
    }

    /// The class of failure.
    public var kind: Kind
    /// A one-line explanation for people.
    public var message: String
    /// The file or folder involved, if any.
    public var path: String?
    /// The shard's partition, if any.
    public var partition: Int?
    /// The underlying error's description (SQLite result code and message, errno text).
    public var underlying: String?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, path: String? = nil, partition: Int? = nil, underlying: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.partition = partition
        self.underlying = underlying
    }

    /// True when the caller's input caused it (maps to an HTTP 4xx).
    public var isUserError: Bool {
        switch kind {
        case .invalidQuery, .invalidArgument, .notFound: true
        case .unavailable, .incompatibleSchema, .database, .fileSystem: false
        }
    }

    public var description: String {
        var text = message
        if let partition { text += " (partition \(partition))" }
        if let path { text += " [\(path)]" }
        if let underlying { text += ": \(underlying)" }
        return text
    }

    /// Wraps any error thrown by SQLite/GRDB or the file system, keeping its description.
    static func wrap(
        _ error: any Error, _ kind: Kind, _ message: String, path: String? = nil, partition: Int? = nil
    ) -> IndexError {
        if let indexError = error as? IndexError { return indexError }
        return IndexError(kind, message, path: path, partition: partition, underlying: String(describing: error))
    }
}
