//! dyad: turn news text into CAMEO political events (who did what to whom, when and
//! where), keeping the evidence for every field.
//!
//! The flow is one direction, each stage a module that reads the previous stage's
//! output:
//!
//! ```text
//! Document -> text (tokens, sentences) -> actors (mentions) -> events -> record
//! ```
//!
//! [`Lexicon`] holds everything compiled from the plain-text files under `data/`
//! (or from TABARI/PETRARCH dictionaries); [`Coder`] is a pure function of
//! (document, lexicon).

pub mod actors;
pub mod codebook;
pub mod coder;
pub mod dating;
pub mod dict;
pub mod document;
pub mod error;
pub mod eval;
pub mod events;
pub mod html;
pub mod lexicon;
pub mod record;
pub mod status;
pub mod text;
pub mod time;
pub mod validate;
pub mod words;

pub use coder::Coder;
pub use document::Document;
pub use error::LexiconError;
pub use lexicon::Lexicon;
pub use record::Event;

/// The lexicon files under `data/`, embedded at build time (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
