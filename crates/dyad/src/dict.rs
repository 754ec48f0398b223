//! TABARI and PETRARCH dictionaries: reading them and adding them to a [`Lexicon`].
//!
//! STUB: the interface below is fixed; the implementation is to be written.

use std::path::{Path, PathBuf};

use crate::{Lexicon, LexiconError};

/// What a dictionary file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictKind {
    Verbs,
    Actors,
    Agents,
    Discards,
}

/// The kind of a dictionary file, from its name (`*.verbs`, `*verbs*.txt`,
/// `*.actors`, `*actors*.txt`, `*agents*`, `*discards*`).
pub fn kind_of(path: &Path) -> Option<DictKind> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.contains("verb") {
        Some(DictKind::Verbs)
    } else if name.contains("actor") {
        Some(DictKind::Actors)
    } else if name.contains("agent") {
        Some(DictKind::Agents)
    } else if name.contains("discard") {
        Some(DictKind::Discards)
    } else {
        None
    }
}

/// What a load added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DictStats {
    pub actors: usize,
    pub agents: usize,
    pub verb_patterns: usize,
    pub discards: usize,
}

/// Every syntax error in the files, each with file:line; reading goes on after one.
pub fn check(paths: &[PathBuf]) -> Vec<LexiconError> {
    let _ = paths;
    Vec::new()
}

impl Lexicon {
    /// Add dictionaries to this lexicon: the built-in entries stay (merged).
    pub fn add_dictionaries(&mut self, paths: &[PathBuf]) -> Result<DictStats, Vec<LexiconError>> {
        let _ = paths;
        Ok(DictStats::default())
    }

    /// A lexicon of the dictionaries alone (with the built-in codebook).
    pub fn from_dictionaries(paths: &[PathBuf]) -> Result<Lexicon, Vec<LexiconError>> {
        let mut lex = Lexicon::from_texts(std::iter::empty()).map_err(|e| vec![e])?;
        lex.add_dictionaries(paths)?;
        Ok(lex)
    }
}
