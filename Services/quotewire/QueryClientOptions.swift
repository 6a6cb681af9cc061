import ArgumentParser
import Foundation
import QuotewireModels

/// Options shared by the query commands: where to ask, and how to print.
struct QueryClientOptions: ParsableArguments {
    @Option(help: "The query service URL (env QUOTEWIRE_SERVER; default http://127.0.0.1:8081).")
    var server: String?

    @Option(help: "Read this index folder directly instead of asking the service (env QUOTEWIRE_INDEX).")
    var index: String?

    @Option(help: "Bearer token for the query service (env QUOTEWIRE_QUERY_TOKEN).")
    var token: String?

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    /// The backend chosen by the flags, then the environment: `--index` beats `--server`;
    /// with neither flag, `QUOTEWIRE_SERVER` then `QUOTEWIRE_INDEX` then the default server.
    func makeBackend() throws -> any QueryBackend {
        let environment = ProcessInfo.processInfo.environment
        if let index { return IndexQueryBackend(path: index) }
        if server == nil, environment["QUOTEWIRE_SERVER"] == nil, let index = environment["QUOTEWIRE_INDEX"] {
            return IndexQueryBackend(path: index)
        }
        let text = server ?? environment["QUOTEWIRE_SERVER"] ?? "http://127.0.0.1:8081"
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--server must be an http(s) URL, got \(text)")
        }
        return HTTPQueryBackend(server: url, token: token ?? environment["QUOTEWIRE_QUERY_TOKEN"])
    }

    /// Runs `body` against the backend, printing its failure and exiting non-zero on error.
    func run<T: Encodable>(
        _ body: (any QueryBackend) async throws(QueryCommandError) -> T, table: (T) -> String
    ) async throws {
        let backend = try makeBackend()
        let result: T
        do {
            result = try await body(backend)
        } catch {
            await backend.shutdown()
            FileHandle.standardError.write(Data("quotewire: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
        await backend.shutdown()
        if json {
            let encoder = WireCoding.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            encoder.outputFormatting.insert(.sortedKeys)
            let data = try encoder.encode(result)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(table(result))
        }
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

/// Turns the API's HTML-safe snippets back into terminal text, matches in brackets.
enum SnippetText {
    static func plain(_ snippet: String) -> String {
        snippet.replacingOccurrences(of: "<mark>", with: "[").replacingOccurrences(of: "</mark>", with: "]")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
