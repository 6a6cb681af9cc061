import GRDB

/// The shard schema and its migrations.
///
/// Every shard holds the articles of one partition, their quotations, speakers and
/// market quotes, two FTS5 indexes and the consumed offsets. Both FTS5 tables are
/// external-content tables over the row tables (body text is stored once); the write
/// path keeps them in step (v1 did it with triggers, which v2 drops: see
/// ``ShardStatements`` for why); `detail=full` keeps positions so phrase and prefix
/// queries work; v2 also sets FTS5's `hashsize` (``ftsHashBytes``).
enum IndexSchema {
    /// The schema version a fully migrated shard reports in `PRAGMA user_version`.
    static let version = 3

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-shard") { db in
            for statement in v1 { try db.execute(sql: statement) }
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2-store-writes-fts") { db in
            for trigger in ["article_fts_insert", "article_fts_delete", "article_fts_update",
                            "quotation_fts_insert", "quotation_fts_delete", "quotation_fts_update"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
            }
            // FTS5 writes a segment whenever its in-memory terms pass `hashsize` (1 MB by
            // default: a few hundred articles). 8 MB holds about a whole batch, so a batch
            // makes one segment instead of several, and later merges have less to do.
            for table in ["article_fts", "quotation_fts"] {
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('hashsize', \(8 * 1024 * 1024))")
            }
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        // Tuning only (the layout, and so `user_version`, stays 2): 8 MB per table, two tables
        // per shard and three shards kept the indexer's RSS near 170 MB. 2 MB still holds a
        // shard's share of a 500-record batch in about one segment.
        migrator.registerMigration("v2.1-fts-hash-2mb") { db in
            for table in ["article_fts", "quotation_fts"] {
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('hashsize', \(ftsHashBytes))")
            }
        }
        // Data only (layout and `user_version` stay 2): speaker keys fold doubled letters and aliases
        // drop a sentence-initial capital (``SpeakerName``), so shards written before are refolded,
        // speakers that now share a key merged, and counts and aliases recounted from the quotations.
        migrator.registerMigration("v2.2-fold-speakers") { db in try refoldSpeakers(db) }
        // The parser's attribution rule of each quotation, which the web page shows (the rows
        // written before have none: NULL, as for a quotation no rule attributed).
        migrator.registerMigration("v3-quotation-attribution") { db in
            try db.execute(sql: "ALTER TABLE quotation ADD COLUMN attribution TEXT")
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        return migrator
    }

    /// Recomputes every speaker's key with ``SpeakerName/fold(_:)``, merges speakers whose keys now agree
    /// (into the oldest row), and rebuilds quotation counts and aliases from the quotation rows.
    static func refoldSpeakers(_ db: Database) throws {
        var keep: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT sid, name FROM speaker ORDER BY sid") {
            let sid: Int64 = row["sid"]
            let key = SpeakerName.fold(row["name"])
            if let survivor = keep[key] {
                try db.execute(sql: "UPDATE quotation SET sid = ? WHERE sid = ?", arguments: [survivor, sid])
                try db.execute(sql: "DELETE FROM speaker WHERE sid = ?", arguments: [sid])
            } else {
                keep[key] = sid
            }
        }
        // A new key is the fold of its own old key, so no two survivors can collide while updating.
        for (key, sid) in keep {
            try db.execute(sql: "UPDATE speaker SET foldedName = ? WHERE sid = ?", arguments: [key, sid])
        }
        try db.execute(sql: "UPDATE speaker SET quotations = (SELECT count(*) FROM quotation q WHERE q.sid = speaker.sid)")
        try db.execute(sql: "DELETE FROM speaker_mention")
        var aliases: [ShardStatements.MentionKey: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT sid, speakerMention FROM quotation WHERE sid IS NOT NULL AND speakerMention IS NOT NULL")
        while let row = try rows.next() {
            let sid: Int64 = row["sid"]
            guard let alias = SpeakerName.alias(row["speakerMention"]) else { continue }
            aliases[ShardStatements.MentionKey(sid: sid, mention: alias), default: 0] += 1
        }
        let insert = try db.makeStatement(sql: "INSERT INTO speaker_mention (sid, mention, quotations) VALUES (?, ?, ?)")
        for (key, count) in aliases {
            try insert.execute(arguments: [key.sid, key.mention, count])
        }
    }

    /// The FTS5 `hashsize` of both full-text tables.
    static let ftsHashBytes = 2 * 1024 * 1024

    private static let tokenizer = "tokenize = 'unicode61 remove_diacritics 2', detail = full"

    private static let v1: [String] = [
        """
        CREATE TABLE shard_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID
        """,
        """
        CREATE TABLE consumed_offset (
            topic TEXT NOT NULL, partition INTEGER NOT NULL, nextOffset INTEGER NOT NULL,
            updatedAt REAL NOT NULL, PRIMARY KEY (topic, partition)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE article (
            rid INTEGER PRIMARY KEY,
            articleId TEXT NOT NULL UNIQUE,
            schemaVersion INTEGER NOT NULL,
            source TEXT, headline TEXT NOT NULL, byline TEXT, caption TEXT, photoCredit TEXT,
            headings TEXT NOT NULL, url TEXT,
            publishedAt REAL, receivedAt REAL, seenAt REAL NOT NULL, sortTime REAL NOT NULL,
            body TEXT NOT NULL, kafkaOffset INTEGER NOT NULL
        )
        """,
        """
        CREATE VIRTUAL TABLE article_fts USING fts5(
            headline, body, content = 'article', content_rowid = 'rid', \(tokenizer))
        """,
        """
        CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN
            INSERT INTO article_fts (rowid, headline, body) VALUES (new.rid, new.headline, new.body);
        END
        """,
        """
        CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN
            INSERT INTO article_fts (article_fts, rowid, headline, body)
            VALUES ('delete', old.rid, old.headline, old.body);
        END
        """,
        """
        CREATE TRIGGER article_fts_update AFTER UPDATE OF headline, body ON article BEGIN
            INSERT INTO article_fts (article_fts, rowid, headline, body)
            VALUES ('delete', old.rid, old.headline, old.body);
            INSERT INTO article_fts (rowid, headline, body) VALUES (new.rid, new.headline, new.body);
        END
        """,
        """
        CREATE TABLE speaker (
            sid INTEGER PRIMARY KEY, name TEXT NOT NULL, foldedName TEXT NOT NULL UNIQUE,
            quotations INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE speaker_mention (
            sid INTEGER NOT NULL, mention TEXT NOT NULL, quotations INTEGER NOT NULL,
            PRIMARY KEY (sid, mention)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE quotation (
            qid INTEGER PRIMARY KEY,
            article INTEGER NOT NULL, ordinal INTEGER NOT NULL,
            text TEXT NOT NULL, speaker TEXT, sid INTEGER, speakerMention TEXT, speakerRole TEXT,
            cue TEXT, kind TEXT NOT NULL, startOffset INTEGER NOT NULL, endOffset INTEGER NOT NULL,
            sortTime REAL NOT NULL
        )
        """,
        "CREATE INDEX quotation_by_article ON quotation (article)",
        "CREATE INDEX quotation_by_speaker_time ON quotation (sid, sortTime DESC)",
        "CREATE INDEX quotation_by_time ON quotation (sortTime DESC)",
        """
        CREATE VIRTUAL TABLE quotation_fts USING fts5(
            text, speaker, content = 'quotation', content_rowid = 'qid', \(tokenizer))
        """,
        """
        CREATE TRIGGER quotation_fts_insert AFTER INSERT ON quotation BEGIN
            INSERT INTO quotation_fts (rowid, text, speaker) VALUES (new.qid, new.text, new.speaker);
        END
        """,
        """
        CREATE TRIGGER quotation_fts_delete AFTER DELETE ON quotation BEGIN
            INSERT INTO quotation_fts (quotation_fts, rowid, text, speaker)
            VALUES ('delete', old.qid, old.text, old.speaker);
        END
        """,
        """
        CREATE TRIGGER quotation_fts_update AFTER UPDATE OF text, speaker ON quotation BEGIN
            INSERT INTO quotation_fts (quotation_fts, rowid, text, speaker)
            VALUES ('delete', old.qid, old.text, old.speaker);
            INSERT INTO quotation_fts (rowid, text, speaker) VALUES (new.qid, new.text, new.speaker);
        END
        """,
        """
        CREATE TABLE market_quote (
            mid INTEGER PRIMARY KEY, article INTEGER NOT NULL, symbol TEXT NOT NULL,
            changePercent REAL, price REAL NOT NULL, currency TEXT, exchange TEXT, seenAt REAL NOT NULL
        )
        """,
        "CREATE INDEX market_quote_by_symbol_time ON market_quote (symbol, seenAt)",
        "CREATE INDEX market_quote_by_article ON market_quote (article)",
    ]
}
