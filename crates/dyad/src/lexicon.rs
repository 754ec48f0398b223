//! Lexicons: loading the plain-text files under `data/` and compiling them.

#[derive(Debug, Default)]
pub struct Lexicon {}
