//! Errors of the lexicon loaders: everything that reads a file under `data/` (or a
//! user's copy, or a TABARI/PETRARCH dictionary) reports problems as a
//! [`LexiconError`]. A syntax error names the file and line and says what is wrong
//! there, so the user can go straight to the line and fix it.

/// A lexicon file could not be read, or one of its lines is malformed.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A line is malformed: `file:line: message`, with a 1-based line number.
    #[error("{file}:{line}: {message}")]
    Syntax { file: String, line: usize, message: String },
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}
