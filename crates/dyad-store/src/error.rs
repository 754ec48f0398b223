//! The store's errors. Each names the database (or output) file and says what is
//! wrong and, where there is one, what to do about it. The underlying error is
//! part of the message (not a separate `source`), so it is printed once.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database (its first bytes are not
    /// SQLite's header). It was not written to.
    #[error("{}: is not a dyad database (not an SQLite file: {reason}); it was left untouched; pass another --db", path.display())]
    NotSqlite { path: PathBuf, reason: String },

    /// An SQLite database that some other program made: it has tables, and no
    /// dyad mark.
    #[error("{}: is an SQLite database but not a dyad store (it has tables {tables} and no dyad schema); it was left untouched; pass another --db", path.display())]
    Foreign { path: PathBuf, tables: String },

    /// A dyad database written by a newer dyad, whose schema this one does not know.
    #[error("{}: was written by a newer dyad (schema version {found}; this dyad knows versions up to {supported}); it was left untouched; upgrade dyad to read it", path.display())]
    TooNew { path: PathBuf, found: i64, supported: i64 },

    /// No database at the path (query, stats and export do not create one).
    #[error("{}: no such database; create it with `dyad ingest FILES --db {}`", path.display(), path.display())]
    Missing { path: PathBuf },

    /// The database (or the directory a new one would go in) cannot be written.
    #[error("{}: cannot write the database: {reason}", path.display())]
    ReadOnly { path: PathBuf, reason: String },

    /// SQLite said no while doing `context`.
    #[error("{}: {context}: {cause}", path.display())]
    Sqlite { path: PathBuf, context: String, cause: rusqlite::Error },

    /// Reading or writing a file other than the database (an export).
    #[error("{}: {context}: {cause}", path.display())]
    Io { path: PathBuf, context: String, cause: std::io::Error },

    /// Writing a Parquet file.
    #[error("{}: cannot write Parquet: {cause}", path.display())]
    Parquet { path: PathBuf, cause: parquet::errors::ParquetError },

    /// A stored value that the store itself should have written differently (a
    /// damaged or hand-edited database).
    #[error("{}: damaged record: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },

    /// Bad arguments to a query or export (a filter that cannot match, say).
    #[error("{0}")]
    Invalid(String),
}
