import Foundation
import GRDBSQLite
import QuotewireIndex

/// What must hold when any text is typed as a search query:
///
/// - `SearchQuery` either throws ``IndexError`` `.invalidQuery` or gives terms or filters;
/// - it rejects text over ``SearchQuery/maximumLength`` scalars and never keeps more than
///   ``SearchQuery/maximumTerms`` terms;
/// - the pattern, when there are terms, has no NUL byte (SQLite would end it there);
/// - an FTS5 table with the index's tokenizer runs `SELECT rowid FROM t WHERE t MATCH ?`
///   with the pattern to the end without an error.
///
/// Owns one in-memory SQLite database; one thread at a time.
public final class QueryProperties {
    private let db: OpaquePointer
    private let statement: OpaquePointer

    /// The rows the pattern is matched against: accents, punctuation and operator-like words.
    static let rows = [
        "Peace talks in Geneva are \"not easy\", said Mark Rutte, the NATO chief.",
        "Café prices rose 2.5% on Monday; c++ shoot NEAR headline:rutte AND OR NOT (x) ^y",
        "Ελληνικά, русский, 中文 and emoji 🇺🇦 sit beside déjà vu and naïve coöperation.",
    ]

    /// - Throws: ``PropertyViolation`` when SQLite cannot set up the table (not a property of the input).
    public init() throws(PropertyViolation) {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK,
              let handle else {
            sqlite3_close(handle)
            throw PropertyViolation("set-up", "cannot open an in-memory SQLite database")
        }
        func fail(_ what: String) -> PropertyViolation {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close(handle)
            return PropertyViolation("set-up", "\(what): \(message)")
        }
        guard sqlite3_exec(handle, "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 2')",
                           nil, nil, nil) == SQLITE_OK else { throw fail("create the FTS5 table") }
        for row in Self.rows {
            let escaped = row.replacingOccurrences(of: "'", with: "''")
            guard sqlite3_exec(handle, "INSERT INTO t(a) VALUES ('\(escaped)')", nil, nil, nil) == SQLITE_OK else {
                throw fail("insert a row")
            }
        }
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "SELECT rowid FROM t WHERE t MATCH ?", -1, &prepared, nil) == SQLITE_OK,
              let prepared else { throw fail("prepare the query") }
        db = handle
        statement = prepared
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(db)
    }

    /// - Throws: ``PropertyViolation`` for the first property that does not hold.
    public func check(_ bytes: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let query: SearchQuery
        do {
            query = try SearchQuery(text)
        } catch {
            guard error.kind == .invalidQuery else {
                throw PropertyViolation("SearchQuery throws only .invalidQuery", "\(error)")
            }
            return
        }
        guard text.unicodeScalars.count <= SearchQuery.maximumLength else {
            throw PropertyViolation("SearchQuery rejects text over \(SearchQuery.maximumLength) scalars",
                                    "accepted \(text.unicodeScalars.count)")
        }
        guard query.terms.count <= SearchQuery.maximumTerms else {
            throw PropertyViolation("SearchQuery keeps at most \(SearchQuery.maximumTerms) terms", "kept \(query.terms.count)")
        }
        guard let pattern = query.pattern else {
            guard !query.filters.isEmpty else {
                throw PropertyViolation("SearchQuery has terms or filters", String(reflecting: text))
            }
            return
        }
        guard !pattern.utf8.contains(0) else {
            throw PropertyViolation("the pattern has no NUL", String(reflecting: pattern))
        }
        if let message = run(pattern) {
            throw PropertyViolation("FTS5 accepts the pattern", "\(String(reflecting: pattern)) from \(String(reflecting: text)): \(message)")
        }
    }

    /// Runs the statement with `pattern` to its end: nil, or SQLite's error message.
    private func run(_ pattern: String) -> String? {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes before bind returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var copy = pattern
        let bound = copy.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return sqlite3_bind_text(statement, 1, "", 0, transient) }
                return sqlite3_bind_text(statement, 1, base, Int32(chars.count), transient)
            }
        }
        guard bound == SQLITE_OK else { return "bind: " + String(cString: sqlite3_errmsg(db)) }
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_ROW { continue }
            if rc == SQLITE_DONE { return nil }
            return String(cString: sqlite3_errmsg(db))
        }
    }
}
