//! The database file: opening it, knowing it is ours, and its versioned schema.
//!
//! A dyad store is one SQLite file. It is marked as dyad's by SQLite's
//! `application_id` (the bytes `dyad`) and carries its schema version in
//! `user_version`. [`MIGRATIONS`] lists the schema changes in order; opening a store
//! for writing applies the ones it lacks, each in its own transaction with the
//! version bump, so a store is always at some whole version. To change the schema,
//! append a migration (never edit a released one) and raise [`SCHEMA_VERSION`].
//!
//! Opening refuses, without writing a byte, a file that is not SQLite (checked
//! from its header before SQLite sees it), an SQLite database that some other
//! program made (it has tables but no dyad mark), and a store from a newer dyad
//! (a higher `user_version`). A read-only file, or a directory where a new file
//! cannot be created, is reported as such before anything is attempted.
//!
//! The tables (see `docs/store.md` for the whole picture):
//! - `documents`: one row per document id: url, title, outlet, publication date,
//!   the SHA-256 of what was coded (so re-ingesting is a no-op), sentence and
//!   mention counts.
//! - `actors`: every (actor code, name) seen, with country and role.
//! - `events`: deduplicated events (see [`crate::dedup`]): the key, the date,
//!   `num_mentions`, `num_sources`, `num_articles` and the representative mention.
//! - `mentions`: every coded record: its event, document, sentence, actors, date,
//!   trigger span, rule, and the whole record as JSON, as `dyad code` prints it.
//!
//! While an ingest runs the file is in WAL mode (fast commits that survive a
//! killed process); when it finishes cleanly the store goes back to a single file
//! (rollback journal), which any SQLite reader, DuckDB included, can open (it
//! stays in WAL mode, just as safe, if another program is reading it just then).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::{Result, StoreError};

/// The schema version this dyad writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// SQLite `application_id` of a dyad store: the ASCII bytes "dyad".
pub const APPLICATION_ID: i32 = 0x6479_6164;

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Schema migrations: entry `i` takes a store from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1];

/// Version 1: documents, actors, events, mentions.
const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
    doc_key      INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,   -- the document id (file stem or JSONL id)
    url          TEXT,
    title        TEXT,
    outlet       TEXT NOT NULL,          -- JSONL `outlet`, else the url's host, else the id
    published    TEXT NOT NULL,          -- YYYY-MM-DD
    content_hash TEXT NOT NULL,          -- SHA-256 (hex) of id, published, url, title, outlet, text
    sentences    INTEGER NOT NULL,
    mentions     INTEGER NOT NULL,       -- event records coded from it
    ingested_at  TEXT NOT NULL           -- UTC, YYYY-MM-DDTHH:MM:SSZ
);

CREATE TABLE actors (
    actor_key INTEGER PRIMARY KEY,
    code      TEXT NOT NULL,             -- CAMEO actor code
    name      TEXT NOT NULL,             -- canonical name
    country   TEXT,                      -- ISO 3166-1 alpha-3
    role      TEXT,                      -- CAMEO agent code
    UNIQUE (code, name)
);

CREATE TABLE events (
    event_id       INTEGER PRIMARY KEY,
    source_code    TEXT NOT NULL,        -- '' when the source is unknown
    target_code    TEXT NOT NULL,        -- '' when the target is unknown
    code           TEXT NOT NULL,        -- CAMEO event code
    status         TEXT NOT NULL,        -- asserted | planned | hypothetical | negated
    date_start     TEXT NOT NULL,        -- the intersection of the mentions' intervals
    date_end       TEXT NOT NULL,
    root           TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    source_country TEXT,
    target_country TEXT,
    num_mentions   INTEGER NOT NULL DEFAULT 0,
    num_sources    INTEGER NOT NULL DEFAULT 0,
    num_articles   INTEGER NOT NULL DEFAULT 0,
    is_root        INTEGER NOT NULL DEFAULT 0,  -- told in the first sentence of an article
    rep_mention    INTEGER,              -- mentions.mention_id of the representative record
    first_added    TEXT NOT NULL         -- UTC time the first mention was stored
);
CREATE INDEX events_by_key ON events (source_code, target_code, code, status, date_start);
CREATE INDEX events_by_date ON events (date_start);

CREATE TABLE mentions (
    mention_id    INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events (event_id) DEFERRABLE INITIALLY DEFERRED,
    doc_key       INTEGER NOT NULL REFERENCES documents (doc_key),
    sentence      INTEGER NOT NULL,
    record_id     TEXT NOT NULL,         -- doc:sentence:n
    source_actor  INTEGER REFERENCES actors (actor_key),
    target_actor  INTEGER REFERENCES actors (actor_key),
    date_start    TEXT NOT NULL,
    date_end      TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,      -- byte offsets into the document text
    trigger_end   INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    record        TEXT NOT NULL          -- the whole event record, JSON
);
CREATE INDEX mentions_by_event ON mentions (event_id);
CREATE INDEX mentions_by_doc ON mentions (doc_key);
"#;

/// An open dyad store.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    writable: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).field("writable", &self.writable).finish()
    }
}

impl Store {
    /// Opens the store at `path` for writing, creating the file if there is none
    /// and bringing its schema up to [`SCHEMA_VERSION`].
    pub fn open(path: &Path) -> Result<Store> {
        let path = path.to_path_buf();
        let created = match std::fs::metadata(&path) {
            Ok(meta) => {
                check_file(&path, &meta)?;
                if meta.permissions().readonly() {
                    return Err(StoreError::ReadOnly {
                        path,
                        reason: "the file is read-only (make it writable, e.g. chmod u+w, or ingest into a copy)".into(),
                    });
                }
                false
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                create_empty(&path)?;
                true
            }
            Err(e) => return Err(io(&path, "cannot read", e)),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(&path, flags)?;
        let mut store = Store { conn, path, writable: true };
        match store.check_and_migrate() {
            Ok(()) => Ok(store),
            Err(e) => {
                // A file this call created and could not set up is ours to remove.
                if created {
                    let Store { conn, path, .. } = store;
                    drop(conn);
                    let _ = std::fs::remove_file(&path);
                }
                Err(e)
            }
        }
    }

    /// Opens an existing store for reading (query, stats, export). Does not create
    /// a file and writes nothing, so it works on read-only files and media.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let path = path.to_path_buf();
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::Missing { path }),
            Err(e) => return Err(io(&path, "cannot read", e)),
        };
        check_file(&path, &meta)?;
        if meta.len() == 0 {
            return Err(StoreError::Missing { path });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(&path, flags)?;
        let store = Store { conn, path, writable: false };
        let (app, version, tables) = store.identity()?;
        if app != APPLICATION_ID {
            if tables.is_empty() {
                return Err(StoreError::Missing { path: store.path });
            }
            return Err(StoreError::Foreign { path: store.path, tables: tables.join(", ") });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: store.path, found: version, supported: SCHEMA_VERSION });
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::Invalid(format!(
                "{}: has schema version {version}, older than this dyad's {SCHEMA_VERSION}; run `dyad ingest` on it once to upgrade it",
                store.path.display()
            )));
        }
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection, for reading the tables directly (tests, tools).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The schema version of the open store.
    pub fn version(&self) -> Result<i64> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.err("cannot read the schema version", e))
    }

    /// Turns an SQLite error into a [`StoreError`] that names this store.
    pub(crate) fn err(&self, context: &str, e: rusqlite::Error) -> StoreError {
        sqlite(&self.path, context, e)
    }

    /// Puts the store back into a single file (rollback journal) after an ingest:
    /// checkpoints the write-ahead log and leaves WAL mode. Best effort: while
    /// another program reads the store the switch waits and then gives up, and
    /// the store stays in WAL mode, which is just as complete and safe.
    pub(crate) fn settle(&self) {
        let _ = self.conn.busy_timeout(Duration::from_millis(500));
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;");
        let _ = self.conn.busy_timeout(Duration::from_secs(10));
    }

    /// (application_id, user_version, table names). Fails cleanly on a file with an
    /// SQLite header but a damaged body.
    fn identity(&self) -> Result<(i32, i64, Vec<String>)> {
        let not_db = |e: rusqlite::Error| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                StoreError::NotSqlite { path: self.path.clone(), reason: "SQLite cannot read it (damaged or encrypted)".into() }
            }
            e => self.err("cannot read the database header", e),
        };
        let app: i32 = self.conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(not_db)?;
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(not_db)?;
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .map_err(not_db)?;
        let tables =
            stmt.query_map([], |r| r.get(0)).and_then(|rows| rows.collect::<std::result::Result<Vec<String>, _>>()).map_err(not_db)?;
        Ok((app, version, tables))
    }

    fn check_and_migrate(&mut self) -> Result<()> {
        // Nothing here writes until the file is known to be ours (or empty).
        self.conn.busy_timeout(Duration::from_secs(10)).map_err(|e| self.err("cannot set the busy timeout", e))?;
        let (app, version, tables) = self.identity()?;
        if app != APPLICATION_ID && !(version == 0 && tables.is_empty()) {
            return Err(StoreError::Foreign { path: self.path.clone(), tables: tables.join(", ") });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: self.path.clone(), found: version, supported: SCHEMA_VERSION });
        }
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384;")
            .map_err(|e| self.write_err("cannot switch to write-ahead logging", e))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let to = i as i64 + 1;
            let batch = format!(
                "BEGIN IMMEDIATE;\n{sql}\nPRAGMA application_id = {APPLICATION_ID};\nPRAGMA user_version = {to};\n\
                 INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_{to}_by', 'dyad {}');\nCOMMIT;",
                env!("CARGO_PKG_VERSION")
            );
            if let Err(e) = self.conn.execute_batch(&batch) {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(self.write_err(&format!("cannot upgrade the schema to version {to}"), e));
            }
        }
        Ok(())
    }

    /// An SQLite error while writing: "read-only" ones become [`StoreError::ReadOnly`].
    pub(crate) fn write_err(&self, context: &str, e: rusqlite::Error) -> StoreError {
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied
                ) =>
            {
                StoreError::ReadOnly {
                    path: self.path.clone(),
                    reason: format!("{context}: {e} (is the file or its directory read-only?)"),
                }
            }
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => StoreError::Sqlite {
                path: self.path.clone(),
                context: format!("{context} (another program, perhaps another `dyad ingest`, holds the database)"),
                cause: e,
            },
            _ => self.err(context, e),
        }
    }

    pub(crate) fn is_writable(&self) -> bool {
        self.writable
    }
}

/// Opens a connection. Query plans are kept stable across parameter bindings
/// (SQLite's QPSG): without it, SQLite built with STAT4 re-prepares the dedup
/// lookup on every call, which costs more than the lookup.
fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite(path, "cannot open", e))?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(|e| sqlite(path, "cannot configure the connection", e))?;
    Ok(conn)
}

/// Refuses a directory and a non-empty file that does not start with SQLite's
/// header, reading only its first bytes.
fn check_file(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if meta.is_dir() {
        return Err(StoreError::NotSqlite { path: path.to_path_buf(), reason: "it is a directory".into() });
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut head = [0u8; 16];
    let mut file = File::open(path).map_err(|e| io(path, "cannot read", e))?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(io(path, "cannot read", e)),
        }
    }
    if n < head.len() || &head != SQLITE_HEADER || meta.len() < 100 {
        let what = if head[..n].iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()) {
            "it looks like text"
        } else {
            "its first bytes are not SQLite's header"
        };
        return Err(StoreError::NotSqlite { path: path.to_path_buf(), reason: what.into() });
    }
    Ok(())
}

/// Creates an empty file for a new store, turning "permission denied" and a
/// missing directory into messages that say so.
fn create_empty(path: &Path) -> Result<()> {
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) => {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            Err(match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    reason: format!("cannot create it in {}: {e} (the directory is read-only; choose another --db)", dir.display()),
                },
                std::io::ErrorKind::NotFound => io(path, &format!("cannot create it: the directory {} does not exist", dir.display()), e),
                _ => io(path, "cannot create it", e),
            })
        }
    }
}

pub(crate) fn sqlite(path: &Path, context: &str, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.to_path_buf(), context: context.to_string(), cause: source }
}

pub(crate) fn io(path: &Path, context: &str, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.to_path_buf(), context: context.to_string(), cause: source }
}

#[cfg(test)]
#[path = "../../../tests/support/scratch.rs"]
mod scratch;

#[cfg(test)]
mod tests {
    use super::scratch::Scratch;
    use super::*;

    /// A fresh scratch directory for one test, removed when the test is done with it.
    fn scratch(name: &str) -> Scratch {
        Scratch::new("dyad-store-schema", name)
    }

    #[test]
    fn new_store_is_marked_and_at_the_current_version() {
        let dir = scratch("new");
        let path = dir.join("d.db");
        let store = Store::open(&path).expect("opens");
        assert_eq!(store.version().expect("version"), SCHEMA_VERSION);
        let app: i32 = store.conn.pragma_query_value(None, "application_id", |r| r.get(0)).expect("app id");
        assert_eq!(app, APPLICATION_ID);
        drop(store);
        // Reopening migrates nothing and reads fine.
        Store::open(&path).expect("reopens");
        Store::open_read_only(&path).expect("opens read-only");
    }

    #[test]
    fn read_only_open_of_a_missing_file_creates_nothing() {
        let dir = scratch("missing");
        let path = dir.join("none.db");
        let err = Store::open_read_only(&path).expect_err("missing");
        assert!(matches!(err, StoreError::Missing { .. }), "{err}");
        assert!(err.to_string().contains("dyad ingest"), "{err}");
        assert!(!path.exists());
    }

    #[test]
    fn empty_sqlite_database_is_adopted_and_foreign_one_refused() {
        let dir = scratch("foreign");
        let path = dir.join("other.db");
        {
            let c = Connection::open(&path).expect("sqlite");
            c.execute_batch("CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1);").expect("table");
        }
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(&path).expect_err("foreign");
        assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
        assert!(err.to_string().contains("customers"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), before, "the file was changed");
    }
}
