import GRDB
import GRDBSQLite

/// Runs one of GRDB's cached statements with values bound straight through SQLite's C
/// API: the write path's per-row inserts, where GRDB's general argument handling
/// (a boxed value per column) costs as much as the insert itself.
///
/// Bind the values in column order, then ``run()``; the statement is reset and its
/// bindings cleared after each run, so GRDB can use it again as usual.
struct BoundStatement {
    /// Keeps the GRDB statement alive: it owns `statement` and finalizes it in its deinit.
    private let owner: Statement
    /// Borrowed from `owner`, valid while `owner` is; used only on `db`'s thread.
    private let statement: OpaquePointer
    private let db: Database
    private var position: Int32 = 0

    init(_ statement: Statement, in db: Database) {
        self.owner = statement
        self.statement = statement.sqliteStatement
        self.db = db
    }

    mutating func bind(_ value: String?) {
        position += 1
        guard var value else {
            sqlite3_bind_null(statement, position)
            return
        }
        let position = position
        // `bytes` is valid only inside the closure; SQLITE_TRANSIENT makes SQLite copy it
        // before `sqlite3_bind_text` returns, so nothing points into it afterwards.
        value.withUTF8 { bytes in
            // An empty buffer may have no address; SQLite takes a null pointer as NULL, so
            // bind an empty text by a pointer to a constant instead.
            if let base = bytes.baseAddress {
                _ = sqlite3_bind_text(statement, position, base, Int32(bytes.count), transient)
            } else {
                _ = sqlite3_bind_text(statement, position, "", 0, transient)
            }
        }
    }

    mutating func bind(_ value: Int64?) {
        position += 1
        if let value { sqlite3_bind_int64(statement, position, value) } else { sqlite3_bind_null(statement, position) }
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Double?) {
        position += 1
        if let value { sqlite3_bind_double(statement, position, value) } else { sqlite3_bind_null(statement, position) }
    }

    /// Steps the statement to its end and returns the row id of the last insert.
    /// - Throws: GRDB's `DatabaseError` with SQLite's code and message.
    @discardableResult
    mutating func run() throws -> Int64 {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            position = 0
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            // `sqlite3_errmsg` and `sqlite3_sql` return SQLite's own buffers, valid until the
            // next call on the connection: copied into Swift strings at once.
            let message = sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message,
                                sql: String(cString: sqlite3_sql(statement)))
        }
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }
}

/// SQLite's `SQLITE_TRANSIENT`: it copies the bytes before the bind call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
