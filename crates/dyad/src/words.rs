//! Closed-class word lists (determiners, prepositions, auxiliaries, verbs of
//! saying ...) that the stages test tokens against, many times per sentence.
//!
//! A [`WordList`] is written as a plain list in the module that uses it and is
//! compiled, at build time, with the set of its words' lengths and first bytes:
//! most tokens differ from every word of a list in one or the other, and are
//! rejected without comparing a single string. The rest are looked up in a small
//! hash table, also built at compile time, and compared with one word at most
//! (not with each word of the list in turn, whose branches the processor could
//! not predict).
//!
//! The lists that are asked of a text's tokens over and over are also *classes*
//! ([`Class`]): the lexicon's vocabulary holds their words, and the lookup that
//! finds each token's lexicon id ([`crate::lexicon::Lexicon::token_ids`]) leaves
//! the token's classes on it as bits ([`crate::text::Token::classes`]). A stage
//! then tests a token with [`WordList::has`], an AND, rather than a lookup of its
//! own; a token that was never looked up is tested by its norm, as a string is.

use crate::text::Token;
use crate::{actors, dating, events, status};

/// Slots of a list's hash table: a power of two, at least twice the longest
/// list's words (so that probes are short), each the index of a word plus one.
const SLOTS: usize = 256;

/// A constant list of normalised words with a quick membership test.
#[derive(Clone, Copy, Debug)]
pub struct WordList {
    words: &'static [&'static str],
    /// Bit `n` is set when a word has `n` bytes (63 for 63 or more).
    lengths: u64,
    /// Bit `b` is set when a word starts with byte `b`.
    first: [u64; 4],
    /// Open addressing by [`slot`]: 0 is empty, `i + 1` is `words[i]`.
    table: [u8; SLOTS],
    /// The list's [`Class`] bit, 0 for a list that is no class.
    class: u32,
}

impl WordList {
    /// Compiles the list. A list of more than `SLOTS / 2` words does not build.
    pub const fn new(words: &'static [&'static str]) -> WordList {
        assert!(words.len() <= SLOTS / 2, "a WordList holds at most 128 words");
        let mut lengths = 0u64;
        let mut first = [0u64; 4];
        let mut table = [0u8; SLOTS];
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_bytes();
            lengths |= 1 << length_bit(w.len());
            let c = if w.is_empty() { 0 } else { w[0] };
            first[(c >> 6) as usize] |= 1 << (c & 63);
            let mut k = slot(w);
            while table[k] != 0 {
                k = (k + 1) % SLOTS;
            }
            table[k] = (i + 1) as u8;
            i += 1;
        }
        WordList { words, lengths, first, table, class: 0 }
    }

    /// The list as class `c`: [`Class::list`] must name it.
    pub const fn class(self, c: Class) -> WordList {
        WordList { class: c.bit(), ..self }
    }

    /// Is token `t` one of the words? By its class bits when the list is a class
    /// and the token's classes were filled, by its norm otherwise.
    #[inline(always)]
    pub fn has(&self, t: &Token) -> bool {
        if self.class != 0 && t.classes & FILLED != 0 {
            t.classes & self.class != 0
        } else {
            self.contains_norm(t)
        }
    }

    /// [`WordList::has`] by the token's norm: out of line, so that the bit test
    /// is all that is inlined where a stage asks.
    #[inline(never)]
    fn contains_norm(&self, t: &Token) -> bool {
        self.contains(&t.norm)
    }

    /// Is `w` one of the words?
    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        let b = w.as_bytes();
        // Both quick tests in one branch, which the processor cannot predict
        // (words come in any order); an empty word goes by first byte 0.
        let c = b.first().copied().unwrap_or(0);
        let passes = self.lengths >> length_bit(b.len()) & self.first[(c >> 6) as usize] >> (c & 63) & 1;
        if passes == 0 {
            return false;
        }
        let mut k = slot(b);
        loop {
            match self.table[k] {
                0 => return false,
                i if self.words[usize::from(i) - 1] == w => return true,
                _ => k = (k + 1) % SLOTS,
            }
        }
    }
}

/// Set in [`crate::text::Token::classes`] once the token's classes are filled
/// (a token that is in no class still has this bit).
pub const FILLED: u32 = 1 << 31;

/// Set in [`crate::text::Token::classes`] when the token's norm is itself a
/// form of a verb the lexicon knows (filled by the same lookup as the classes).
pub const VERB_FORM: u32 = 1 << 30;
// The bit above the time classes, below `FILLED`.
const _: () = assert!(VERB_FORM == 1 << (TIME_SHIFT + 3) && VERB_FORM < FILLED);

/// The time finder's classes of a word ([`crate::time`]: a head word of a time
/// expression, a prefix, the first word of an anchor phrase) are three bits of
/// [`crate::text::Token::classes`] from this one up, filled by the same lookup
/// from the lexicon's anchors, so that the finder reads them rather than looking
/// each token of a sentence up again.
pub const TIME_SHIFT: u32 = 27;

/// Declares [`Class`] from one table, so that the variants, [`Class::ALL`] and
/// [`Class::list`] cannot disagree.
macro_rules! classes {
    ($($class:ident => $list:path,)*) => {
        /// The word lists that are classes, one bit each ([`Class::bit`]), named
        /// after the stage and list they are.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Class {
            $($class,)*
        }

        impl Class {
            /// Every class, in declaration order.
            pub const ALL: &'static [Class] = &[$(Class::$class,)*];

            /// The list that is this class, where its stage defines it.
            pub fn list(self) -> &'static WordList {
                match self {
                    $(Class::$class => &$list,)*
                }
            }
        }
    };
}

classes! {
    MentionDeterminer => actors::DETERMINERS,
    MentionQuantity => actors::QUANTITY,
    PronounSingular => actors::PRONOUNS_SINGULAR,
    PronounPlural => actors::PRONOUNS_PLURAL,
    MentionOpener => actors::OPENERS,
    NameParticle => actors::NAME_PARTICLES,
    MentionLocative => actors::LOCATIVE,
    Preposition => events::PREPOSITIONS,
    Be => events::BE,
    Reporting => events::REPORTING,
    ObjectControl => events::OBJECT_CONTROL,
    LightVerb => events::LIGHT_VERBS,
    ClauseBoundary => events::BOUNDARY,
    SkippedAdverb => events::SKIPPED_ADVERBS,
    EventDeterminer => events::DETERMINERS,
    EventLocative => events::LOCATIVE,
    DatingBoundary => dating::BOUNDARIES,
    DatingReporting => dating::REPORTING,
    Negation => status::NEGATION,
    Hypothetical => status::HYPOTHETICAL,
    Future => status::FUTURE,
    Intention => status::INTENTION,
    PlannedMarker => status::PLANNED_MARKERS,
    Aux => status::AUX,
    Conditional => status::CONDITIONAL,
    Denial => status::DENIAL,
    ClauseStart => status::CLAUSE_START,
}

// Each class is a bit of a token's `u32` classes, below the time classes and `FILLED`.
const _: () = assert!(Class::ALL.len() <= TIME_SHIFT as usize);

impl Class {
    pub const fn bit(self) -> u32 {
        1 << self as u32
    }

    /// The words of every class, each with its class bit.
    pub fn words() -> impl Iterator<Item = (&'static str, u32)> {
        Class::ALL.iter().flat_map(|&c| c.list().words.iter().map(move |w| (*w, c.bit())))
    }
}

/// The words of several lists in one array, for a [`WordList`] that tests
/// membership of any of them with one lookup: `N` must be their total length.
pub const fn concat<const N: usize>(lists: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut n, mut l) = (0, 0);
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            out[n] = lists[l][i];
            n += 1;
            i += 1;
        }
        l += 1;
    }
    assert!(n == N, "concat: N is not the lists' total length");
    out
}

/// The first slot of a word: a hash of its length and its first, middle and
/// last bytes. No loop over the bytes: the loop's end, a different length from
/// one token to the next, was a branch the processor could not predict (a
/// twentieth of all the coder's mispredictions). Words that share the four
/// collide, and are told apart by the comparison in [`WordList::contains`].
#[inline]
const fn slot(b: &[u8]) -> usize {
    if b.is_empty() {
        return 0;
    }
    let n = b.len();
    let key = (n as u32 & 0xff) | (b[0] as u32) << 8 | (b[n / 2] as u32) << 16 | (b[n - 1] as u32) << 24;
    (key.wrapping_mul(0x9E37_79B1) >> 24) as usize % SLOTS
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

    /// Each class names a list that was declared as that class.
    #[test]
    fn each_class_is_its_list() {
        for &c in Class::ALL {
            assert_eq!(c.list().class, c.bit(), "{c:?}");
        }
    }

    /// The classes the lexicon's lookup leaves on a text's tokens say of each
    /// token what its lists say of its norm: for every word of every class, in
    /// lowercase and in capitals (which the lookup tries under another key
    /// first), and for words of none.
    #[test]
    fn the_lookup_leaves_the_classes_the_lists_give() {
        let lex = crate::lexicon::Lexicon::builtin().expect("builtin lexicon loads");
        let words: Vec<String> = Class::words().flat_map(|(w, _)| [w.to_string(), w.to_uppercase()]).collect();
        let doc = words.join(" ") + " Minister US talks zzzq 2024";
        let mut text = crate::text::analyse(&doc);
        lex.token_ids(&mut text, &doc);
        let mut classed = 0;
        for t in &text.tokens {
            assert_ne!(t.classes & FILLED, 0, "{:?} is filled", t.norm);
            classed += usize::from(t.classes != FILLED);
            for &c in Class::ALL {
                assert_eq!(c.list().has(t), c.list().contains(&t.norm), "{:?} in {c:?}", t.norm);
            }
        }
        assert!(classed > words.len() / 2, "most of the words are in a class ({classed})");
    }

    /// A token is in a class by its bits once they are filled, by its norm before.
    #[test]
    fn tokens_are_tested_by_their_bits_once_filled() {
        let list = WordList::new(&["the", "a"]).class(Class::MentionDeterminer);
        let mut t = crate::text::analyse("the").tokens.remove(0);
        assert!(list.has(&t), "unfilled: by the norm");
        t.classes = FILLED;
        assert!(!list.has(&t), "filled: by the bits alone");
        t.classes = FILLED | Class::MentionDeterminer.bit();
        assert!(list.has(&t));
        assert!(WordList::new(&["the"]).has(&t), "a list that is no class goes by the norm");
    }

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
        // A list may repeat a word (as a `concat` of lists that share one does).
        const JOINED: [&str; 5] = concat(&[&["a", "the"], &["the", "of", "to"]]);
        let joined = WordList::new(&JOINED);
        for w in ["a", "the", "of", "to"] {
            assert!(joined.contains(w), "{w}");
        }
        assert!(!joined.contains("an"));
        assert!(!WordList::new(&[]).contains(""));
        assert!(WordList::new(&["", "a"]).contains(""));
    }

    /// A list as long as a list may be, so that its table is half full and
    /// lookups walk past words that share a slot.
    #[test]
    fn a_full_list_finds_all_its_words_and_no_others() {
        let owned: Vec<&'static str> = (0..=128).map(|i| &*Box::leak(format!("w{i}").into_boxed_str())).collect();
        let words: &'static [&'static str] = Box::leak(owned.into_boxed_slice());
        let full = WordList::new(&words[..128]);
        for w in &words[..128] {
            assert!(full.contains(w), "{w}");
        }
        assert!(!full.contains(words[128]));
        assert!(!full.contains("w1000"));
    }

    /// Words of the same length and the same first, middle and last bytes share
    /// a slot: each is found, and a stranger of that shape is not.
    #[test]
    fn words_that_share_a_slot_are_told_apart() {
        let list = WordList::new(&["axbzc", "aybzc", "azbzc", "abc"]);
        assert_eq!(slot(b"axbzc"), slot(b"aybzc"));
        for w in ["axbzc", "aybzc", "azbzc", "abc"] {
            assert!(list.contains(w), "{w}");
        }
        for w in ["awbzc", "abbzc", "axbz", "ac", "abcc"] {
            assert!(!list.contains(w), "{w}");
        }
    }
}
