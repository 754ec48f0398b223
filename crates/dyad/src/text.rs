//! Text layer: tokens and sentences with byte offsets into the original document.
//!
//! STUB: the interface below is fixed; the implementation is to be written.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with inner hyphens, apostrophes or dots ("al-Qaida", "U.S.").
    Word,
    /// Digits, possibly with inner "." "," ("3.5", "1,000", "2024").
    Number,
    /// Any other single character token ("," "." "(" "\"" "-" ...).
    Punct,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// Byte offsets of the token in the original document text.
    pub start: usize,
    pub end: usize,
    /// Normalised, lowercased form: curly quotes -> ' or ", dashes -> "-",
    /// soft hyphens removed. Possessive "'s" is its own token with norm "'s".
    pub norm: String,
    pub kind: TokenKind,
    /// First character is an uppercase letter in the original text.
    pub cap: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sentence {
    /// Token indices (into `Text::tokens`) of the whole sentence.
    pub tokens: Range<usize>,
    /// First token index of the sentence body: equals `tokens.start` unless the
    /// sentence opens with a dateline ("New Delhi, May 25 (IANS) -", "BAGHDAD --"),
    /// whose tokens are then skipped by the actor and event stages.
    pub body: usize,
    /// Byte span of the sentence in the document text.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

/// Tokenise and split a document's text.
pub fn analyse(text: &str) -> Text {
    let _ = text;
    Text::default()
}
