import ArgumentParser
import Foundation
import QuotewireIndex
import QuotewireModels
import ServiceSupport

/// Options shared by the query commands: where to ask, and how to print.
struct QueryClientOptions: ParsableArguments {
    @Option(help: "The query service URL (env QUOTEWIRE_SERVER; default http://127.0.0.1:8081).")
    var server: String?

    @Option(help: "Read this index folder directly instead of asking the service (env QUOTEWIRE_INDEX).")
    var index: String?

    @Option(help: "Bearer token for the query service (env QUOTEWIRE_QUERY_TOKEN).")
    var token: String?

    @Option(help: "table (default), json (one document), jsonl (one object a line) or csv (RFC 4180, a header row).")
    var format: OutputFormat?

    @Flag(help: "The same as --format json.")
    var json = false

    /// The format asked for: `--format`, or `--json`, or a table.
    var output: OutputFormat { format ?? (json ? .json : .table) }

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) ask for two formats; give one")
        }
    }

    /// The backend chosen by the flags, then the environment: `--index` beats `--server`;
    /// with neither flag, `QUOTEWIRE_SERVER` then `QUOTEWIRE_INDEX` then the default server.
    func makeBackend() throws -> any QueryBackend {
        if let index { return IndexQueryBackend(path: index) }
        let environmentServer = Setting.optionalString("QUOTEWIRE_SERVER")
        if server == nil, environmentServer == nil, let index = Setting.optionalString("QUOTEWIRE_INDEX") {
            return IndexQueryBackend(path: index)
        }
        let text = server ?? environmentServer ?? "http://\(ServiceDefaults.host):\(ServiceDefaults.queryPort)"
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--server must be an http(s) URL, got \(text)")
        }
        return HTTPQueryBackend(server: url, token: token ?? Setting.optionalString("QUOTEWIRE_QUERY_TOKEN"))
    }

    /// Asks the backend for one answer (or, with `all`, every page of it, following its cursor
    /// from `cursor`) and prints it in ``output``: a table per page, one JSON document (the
    /// pages joined), or JSON lines and CSV rows written page by page. A failure is printed and
    /// leaves with the backend's exit code.
    func run<Page: Encodable & Sendable, Item: Encodable>(
        _ listing: Listing<Page, Item>, all: Bool = false, from cursor: String? = nil,
        _ fetch: (any QueryBackend, String?) async throws(QueryCommandError) -> Page
    ) async throws {
        let backend = try makeBackend()
        do {
            try await emit(listing, all: all, from: cursor, backend: backend, fetch)
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
    }

    private func emit<Page: Encodable & Sendable, Item: Encodable>(
        _ listing: Listing<Page, Item>, all: Bool, from cursor: String?, backend: any QueryBackend,
        _ fetch: (any QueryBackend, String?) async throws(QueryCommandError) -> Page
    ) async throws {
        let format = output
        let lines = JSONLinesWriter()
        var pages: [Page] = []  // kept for `--format json` only, to print as one document
        var wroteHeader = false
        var cursor = cursor
        repeat {
            let page: Page
            do {
                page = try await fetch(backend, cursor)
            } catch {
                Terminal.error(error.message)
                throw ExitCode(error.exitCode)
            }
            cursor = listing.nextCursor(page)
            if let answer = page as? any PartialAnswer, answer.partial == true {
                let missing = (answer.missingPartitions ?? []).map(String.init).joined(separator: ", ")
                Terminal.error("warning: a partial answer: partitions \(missing) did not answer (their node is down or late, or moving)")
            }
            switch format {
            case .table:
                var text = listing.table(page)
                if !all, let cursor { text += "\nmore: --cursor \(cursor)" }
                Terminal.out(text)
            case .json:
                pages.append(page)
            case .jsonl:
                Console.current.write(try listing.items(page).map { try lines.text($0) }.joined())
            case .csv:
                var text = wroteHeader ? "" : CSVWriter.row(listing.csvHeader)
                wroteHeader = true
                for item in listing.items(page) { text += CSVWriter.row(listing.csvRow(item)) }
                Console.current.write(text)
            }
        } while all && cursor != nil
        if format == .json, let first = pages.first {
            let encoder = WireCoding.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            encoder.outputFormatting.insert(.sortedKeys)
            let document = all ? listing.joined(pages) : first
            Terminal.out(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
    }
}

/// How one kind of answer prints: its table, its items (a JSON line or CSV row each), its
/// cursor, and its pages joined into one document for `--all --format json`.
struct Listing<Page: Sendable, Item: Encodable>: Sendable {
    let table: @Sendable (Page) -> String
    let items: @Sendable (Page) -> [Item]
    let csvHeader: [String]
    let csvRow: @Sendable (Item) -> [String]
    var nextCursor: @Sendable (Page) -> String? = { _ in nil }
    let joined: @Sendable ([Page]) -> Page

    /// Dates in CSV: ISO 8601 in UTC, empty when unknown.
    static func csvDate(_ date: Date?) -> String {
        ExportText.date(date)
    }
}

/// Dates for people: `2026-01-02 03:04`.
enum DisplayDate {
    static func format(_ date: Date?) -> String {
        guard let date else { return "" }
        let text = ISO8601DateFormatter().string(from: date)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

