//! Closed-class word lists (determiners, prepositions, auxiliaries, verbs of
//! saying ...) that the stages test tokens against, many times per sentence.
//!
//! A [`WordList`] is written as a plain list in the module that uses it and is
//! compiled, at build time, with the set of its words' lengths and first bytes:
//! most tokens differ from every word of a list in one or the other, and are
//! rejected without comparing a single string. Only the rest are compared.

/// A constant list of normalised words with a quick membership test.
#[derive(Clone, Copy, Debug)]
pub struct WordList {
    words: &'static [&'static str],
    /// Bit `n` is set when a word has `n` bytes (63 for 63 or more).
    lengths: u64,
    /// Bit `b` is set when a word starts with byte `b`.
    first: [u64; 4],
}

impl WordList {
    pub const fn new(words: &'static [&'static str]) -> WordList {
        let mut lengths = 0u64;
        let mut first = [0u64; 4];
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_bytes();
            lengths |= 1 << length_bit(w.len());
            if !w.is_empty() {
                first[(w[0] >> 6) as usize] |= 1 << (w[0] & 63);
            }
            i += 1;
        }
        WordList { words, lengths, first }
    }

    /// Is `w` one of the words?
    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        let b = w.as_bytes();
        if self.lengths & (1 << length_bit(b.len())) == 0 {
            return false;
        }
        if let Some(&c) = b.first() {
            if self.first[(c >> 6) as usize] & (1 << (c & 63)) == 0 {
                return false;
            }
        }
        self.words.contains(&w)
    }
}

const fn length_bit(n: usize) -> u32 {
    if n < 63 {
        n as u32
    } else {
        63
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: WordList = WordList::new(&["a", "the", "'s", "été", "an-extraordinarily-long-word-of-more-than-sixty-three-bytes-in-all"]);

    #[test]
    fn members_and_strangers() {
        for w in LIST.words {
            assert!(LIST.contains(w), "{w}");
        }
        for w in ["", "b", "th", "tha", "thee", "s", "'t", "ete", "an-extraordinarily-long-word-of-more-than-sixty-three-bytes-in-al"] {
            assert!(!LIST.contains(w), "{w}");
        }
        assert!(!WordList::new(&[]).contains("a"));
    }
}
