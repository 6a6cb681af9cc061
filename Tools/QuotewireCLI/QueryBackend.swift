import Foundation
import QuotewireIndex

/// Where the query commands get their answers: the query service or an index folder.
protocol QueryBackend: Sendable {
    func search(_ text: String, limit: Int?, cursor: String?, sort: SearchSort?, facets: Bool) async throws(QueryCommandError)
        -> SearchPage
    func quotations(speaker: String?, text: String?, since: Date?, limit: Int?, cursor: String?) async throws(QueryCommandError)
        -> QuotationList
    func speakers(limit: Int?) async throws(QueryCommandError) -> SpeakerList
    func ticker(_ symbol: String, since: Date?, limit: Int?) async throws(QueryCommandError) -> TickerHistory
    func shutdown() async
}

/// A failed query command: what went wrong and the exit code to leave with.
struct QueryCommandError: Error, CustomStringConvertible {
    enum Kind {
        /// The query or a parameter was refused (exit 2).
        case badRequest
        /// Nothing found where one item was asked for (exit 1).
        case notFound
        /// The server or the index could not be reached or read (exit 3).
        case unavailable
    }

    var kind: Kind
    var message: String

    var description: String { message }

    var exitCode: Int32 {
        switch kind {
        case .notFound: 1
        case .badRequest: 2
        case .unavailable: 3
        }
    }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    init(_ error: IndexError) {
        switch error.kind {
        case .invalidQuery, .invalidArgument: self.init(.badRequest, error.message)
        case .notFound: self.init(.notFound, error.message)
        case .unavailable, .incompatibleSchema, .database, .fileSystem: self.init(.unavailable, error.description)
        }
    }
}

/// Answers straight from an index folder, read-only.
struct IndexQueryBackend: QueryBackend {
    let reader: IndexReader

    init(path: String) {
        reader = IndexReader(folder: IndexFolder(path: path))
    }

    func search(_ text: String, limit: Int?, cursor: String?, sort: SearchSort?, facets: Bool) async throws(QueryCommandError)
        -> SearchPage
    {
        do {
            return try await reader.search(text, limit: limit, cursor: cursor, sort: sort, facets: facets)
        } catch { throw QueryCommandError(error) }
    }

    func quotations(speaker: String?, text: String?, since: Date?, limit: Int?, cursor: String?) async throws(QueryCommandError)
        -> QuotationList
    {
        do {
            return try await reader.quotations(speaker: speaker, text: text, since: since, limit: limit, cursor: cursor)
        } catch { throw QueryCommandError(error) }
    }

    func speakers(limit: Int?) async throws(QueryCommandError) -> SpeakerList {
        do { return try await reader.speakers(limit: limit) } catch { throw QueryCommandError(error) }
    }

    func ticker(_ symbol: String, since: Date?, limit: Int?) async throws(QueryCommandError) -> TickerHistory {
        do { return try await reader.ticker(symbol, since: since, limit: limit) } catch { throw QueryCommandError(error) }
    }

    func shutdown() async {}
}
