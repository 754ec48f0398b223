//! The coder: document + lexicon -> events.

use crate::{Document, Event, Lexicon};

pub struct Coder<'a> {
    lexicon: &'a Lexicon,
}

impl<'a> Coder<'a> {
    pub fn new(lexicon: &'a Lexicon) -> Self {
        Coder { lexicon }
    }

    pub fn code(&self, doc: &Document) -> Vec<Event> {
        let _ = (self.lexicon, doc);
        Vec::new()
    }
}
