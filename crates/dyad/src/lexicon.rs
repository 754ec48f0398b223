//! Lexicons: reading the plain-text files under `data/` and compiling them once into
//! the structures the coder walks (a token trie for actor phrases, an index of
//! trigger patterns by their anchor word, a table of verb forms).
//!
//! The files and their formats are described in `docs/lexicons.md`. Everything that
//! decides an event keeps its [`Rule`] (file and line), which ends up in the event's
//! `rule` field: a user who disagrees with an event can open that line and fix it.
//! This module owns parsing and compiling; recognising mentions in a sentence is
//! [`crate::actors`]'s job, matching triggers [`crate::events`]'s.
//!
//! Loading is part of every `dyad code` run (the built-in lexicon expands to some
//! 60,000 patterns), so it avoids work per entry where the result is the same:
//! the pattern shorthand is expanded as word indices rather than strings
//! (`Shorthand`), actor phrases of plain words skip the tokeniser
//! (`is_plain_phrase`), and the patterns are indexed without a vector or map per
//! pattern. "The same" is strict: patterns come out in the same order (it
//! decides ties), with the same token ids and trie nodes, and tests hold each
//! short cut to the general path it stands for ([`expand`], `text::analyse`).

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use compact_str::CompactString;
use jiff::civil::Date;

use crate::codebook::Codebook;
use crate::error::LexiconError;
use crate::text::{self, Text};
use crate::words;

/// Interned token: the id of a normalised token string in the lexicon's vocabulary.
pub type TokId = u32;

/// Where an entry lives: index into [`Lexicon::files`] and a 1-based line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub file: u16,
    pub line: u32,
}

/// A CAMEO role (agent) code, interned: index into [`Lexicon::roles`].
pub type RoleId = u16;

#[derive(Clone, Debug)]
pub struct Country {
    pub iso: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Organisation {
    pub code: String,
    pub country: Option<String>,
    pub role: Option<String>,
    pub name: String,
}

/// One role a person held, from one line of a people file.
#[derive(Clone, Debug)]
pub struct Term {
    pub code: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub rule: Rule,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub terms: Vec<Term>,
    /// A person, as opposed to an institution or group known by name with dated
    /// codes (from a TABARI/PETRARCH actor dictionary): only people are what "he"
    /// and "she" refer to.
    pub person: bool,
}

impl Person {
    /// The term that decides the person's code on `date`: the dated term covering
    /// it, else the undated fallback, else the latest term that began before it,
    /// else the first.
    pub fn term_on(&self, date: Date) -> &Term {
        let covering = self
            .terms
            .iter()
            .find(|t| (t.from.is_some() || t.to.is_some()) && t.from.is_none_or(|f| f <= date) && t.to.is_none_or(|e| date < e));
        covering
            .or_else(|| self.terms.iter().find(|t| t.from.is_none() && t.to.is_none()))
            .or_else(|| self.terms.iter().rev().find(|t| t.from.is_some_and(|f| f <= date)))
            .unwrap_or(&self.terms[0])
    }
}

/// What an actor phrase names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A country by name ("Japan"): index into [`Lexicon::countries`].
    Country(u32),
    /// A country adjective or demonym ("Japanese").
    Adjective(u32),
    /// A seat of government standing for it ("Tokyo", "the Kremlin").
    Seat(u32),
    Organisation(u32),
    Person(u32),
    /// A role noun or title ("prime minister", "police").
    Role(RoleId),
    /// A generic head noun that takes the role of what it heads ("leader").
    Head,
    /// A word that overrides the role of the noun after it ("former").
    Modifier(RoleId),
    /// A region or other place that names no actor ("Latin America"): matched so
    /// that the country inside it ("America") is not.
    Region,
}

/// A phrase-trie hit: what the phrase names and where that was written.
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    pub entry: Entry,
    pub rule: Rule,
}

/// One item of a trigger pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Word(TokId),
    /// Any inflection of the verb: index into [`Lexicon::lemmas`].
    Verb(u32),
    Source,
    Target,
    Any,
    /// Up to this many tokens of any kind (TABARI/PETRARCH patterns: words
    /// separated by a space may have others between them).
    Gap(u8),
    /// A coordinated mention ("Israel and Syria") whose members act on each
    /// other: both sides of the event (TABARI/PETRARCH `%`).
    Compound,
    /// Any phrase of a set (a TABARI/PETRARCH synset): index into
    /// [`Lexicon::sets`].
    Set(u32),
}

/// A set of phrases matched as one pattern item (a synset of a verb dictionary).
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    pub name: String,
    /// Each phrase as token ids, longest first.
    phrases: Vec<Vec<TokId>>,
    /// Phrases by first token and by last token.
    by_first: HashMap<TokId, Vec<u32>>,
    by_last: HashMap<TokId, Vec<u32>>,
}

impl PhraseSet {
    pub fn new(name: &str, mut phrases: Vec<Vec<TokId>>) -> PhraseSet {
        phrases.retain(|p| !p.is_empty());
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        phrases.dedup();
        let mut set = PhraseSet { name: name.to_string(), ..Default::default() };
        for (i, p) in phrases.iter().enumerate() {
            set.by_first.entry(p[0]).or_default().push(i as u32);
            set.by_last.entry(p[p.len() - 1]).or_default().push(i as u32);
        }
        set.phrases = phrases;
        set
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The length of the longest phrase of the set at the start of `ids`.
    pub fn match_forward(&self, ids: &[Option<TokId>]) -> Option<usize> {
        let first = ids.first().copied().flatten()?;
        self.by_first
            .get(&first)?
            .iter()
            .map(|&i| &self.phrases[i as usize])
            .find(|p| p.len() <= ids.len() && p.iter().zip(ids).all(|(a, b)| Some(*a) == *b))
            .map(Vec::len)
    }

    /// The length of the longest phrase of the set at the end of `ids`.
    pub fn match_backward(&self, ids: &[Option<TokId>]) -> Option<usize> {
        let last = ids.last().copied().flatten()?;
        self.by_last
            .get(&last)?
            .iter()
            .map(|&i| &self.phrases[i as usize])
            .find(|p| p.len() <= ids.len() && p.iter().rev().zip(ids.iter().rev()).all(|(a, b)| Some(*a) == *b))
            .map(Vec::len)
    }
}

/// A trigger pattern from a verbs file.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub code: String,
    pub items: Vec<Item>,
    /// Index of the item the pattern is indexed by (its first word or verb).
    pub anchor: usize,
    /// Has a `{lemma}` item: the source defaults to the clause subject.
    pub verbal: bool,
    pub rule: Rule,
    /// Number of word and verb items: longer patterns win.
    pub weight: usize,
    /// The open target may be the first actor after the verb, before the
    /// pattern's other words too (TABARI/PETRARCH patterns: "granted Gondor
    /// asylum" for `* ASYLUM`). dyad's own patterns look after their last word.
    pub target_anywhere: bool,
    /// TABARI/PETRARCH paired codes (`[032:033]`): the code of the event the
    /// other way round, from the target to the source ("X visited Y": Y hosted X).
    pub reverse: Option<String>,
}

/// The code of a blocking pattern: it claims its words so that no other trigger
/// fires on them ("spoke to reporters" is not a phone call), and codes nothing.
pub const BLOCK: &str = "---";

impl Pattern {
    /// Does a match make any event? Not when its code is blocked (`---`, a
    /// pattern that only stops shorter ones from matching its words) and it has
    /// no reverse (PETRARCH-2's `[:173]` blocks only the forward event).
    pub fn makes_events(&self) -> bool {
        self.code != BLOCK || self.reverse.is_some()
    }
}

/// What the matcher reads of a pattern for every candidate, in one cache line
/// (a [`Pattern`] and its items are two, elsewhere in memory: the lexicon has tens
/// of thousands of patterns, and the candidates of a sentence are scattered
/// among them). Built by [`Lexicon::index_patterns`]; read with
/// [`Lexicon::shape`].
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Shape {
    /// The pattern's items, when it has at most [`SHAPE_ITEMS`].
    items: [Item; SHAPE_ITEMS],
    /// How many: `u8::MAX` for a longer pattern, whose items are read from it.
    len: u8,
    anchor: u8,
    verbal: bool,
    target_anywhere: bool,
}

/// The items a [`Shape`] holds, filling its cache line.
const SHAPE_ITEMS: usize = 7;

/// A pattern as the matcher reads it (see [`Lexicon::shape`]).
#[derive(Clone, Copy, Debug)]
pub struct PatternShape<'a> {
    pub items: &'a [Item],
    /// Index of the item the pattern is indexed by.
    pub anchor: usize,
    /// See [`Pattern::verbal`].
    pub verbal: bool,
    /// See [`Pattern::target_anywhere`].
    pub target_anywhere: bool,
}

/// Which side of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Source,
    Target,
}

/// Where an implied actor's country comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    /// The country of the event's other side.
    Other,
    /// The country the document is mostly about.
    Document,
}

/// A line of `data/verbs/implied.txt`: the actor a code implies when its clause
/// names only one side.
#[derive(Clone, Debug)]
pub struct Implied {
    pub prefix: String,
    pub side: Side,
    pub role: String,
    pub whose: Whose,
    pub rule: Rule,
}

/// Inflection flags of a verb form.
pub mod form {
    pub const BASE: u8 = 1;
    pub const THIRD: u8 = 2;
    pub const PAST: u8 = 4;
    pub const PARTICIPLE: u8 = 8;
    pub const ING: u8 = 16;
}

/// The patterns of one anchor, filed by a word or verb each must have besides
/// it (its key), so that a common verb ("agree", with a thousand patterns once the
/// shorthand is expanded; "kill", with every "gunmen ... {kill} $") is only tried
/// with the patterns whose key is in the sentence, on the right side of it. A key
/// is chosen per pattern when the lexicon is indexed: the one fewest of the
/// anchor's patterns share ("ties" rather than "to" in
/// "{agree} to strengthen ~0-1 ties").
///
/// Each pattern is listed with its [`Signature`], so that the patterns a sentence
/// cannot match are dropped as the lists are read, in order, rather than by
/// looking each up by its index (a cache miss apiece for a verb with hundreds).
#[derive(Debug, Default)]
struct Anchored {
    /// Patterns with no word or verb besides the anchor: tried wherever it is.
    open: Vec<Listed>,
    /// Patterns by their key.
    keyed: HashMap<Key, Vec<Listed>>,
    /// The [`Key::bit`]s of `keyed` (a 256-bit Bloom filter): a key whose bit is
    /// not here is not there, without looking it up.
    mask: [u64; 4],
}

impl Anchored {
    fn may_have(&self, bit: u8) -> bool {
        self.mask[(bit >> 6) as usize] >> (bit & 63) & 1 != 0
    }
}

/// A pattern (its index into [`Lexicon::patterns`]) in an [`Anchored`] list.
#[derive(Clone, Copy, Debug)]
struct Listed {
    sig: Signature,
    p: u32,
}

impl Listed {
    /// May the pattern match at an anchor with these terms around it (the
    /// [`Lexicon::signature_bits`] of the sentence's tokens before it, after it,
    /// and in the three tokens after it)? False only when it cannot: a term it
    /// needs is missing.
    fn may_match(&self, [before, after, next]: Signature) -> bool {
        let [b, a, n] = self.sig;
        b & !before | a & !after | n & !next == 0
    }
}

/// A key term a sentence has (see [`Lexicon::key_terms`]), with its
/// `Key::bit` before an anchor and after one, computed once per sentence.
#[derive(Clone, Copy, Debug)]
pub struct SentenceKey {
    term: KeyTerm,
    bits: [u8; 2],
}

/// A word, or any form of a verb, that a pattern needs besides its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyTerm {
    Word(TokId),
    Verb(u32),
}

/// [`Lexicon::token_roles`]: the token may anchor a pattern.
const TOKEN_ANCHOR: u8 = 1;
/// ... it is a pattern's key word.
const TOKEN_KEY_WORD: u8 = 2;
/// ... it is a form of a verb that is a pattern's key.
const TOKEN_KEY_VERB: u8 = 4;

/// The words and verbs a pattern needs besides its anchor, as 64-bit
/// signatures (a bit per term, `KeyTerm::sig_bit`): those before the anchor,
/// those after it, and the word or verb right after it (which the matcher looks
/// for in the next three tokens: it passes over two adverbs or articles at
/// most). A sentence whose terms there lack one of the bits cannot match the
/// pattern, which `Listed::may_match` tells without reading it.
pub type Signature = [u64; 3];

impl KeyTerm {
    /// The term's bit in a [`Signature`].
    fn sig_bit(self) -> u64 {
        let (kind, n) = match self {
            KeyTerm::Word(w) => (0u64, w as u64),
            KeyTerm::Verb(v) => (1, v as u64),
        };
        1 << ((n << 1 | kind).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
    }
}

/// A pattern's key: a term, and whether it comes after the anchor or before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    term: KeyTerm,
    after: bool,
}

impl Key {
    /// One of 256 bits, for [`Anchored::mask`].
    fn bit(&self) -> u8 {
        let (kind, n) = match self.term {
            KeyTerm::Word(w) => (0u64, w as u64),
            KeyTerm::Verb(v) => (1, v as u64),
        };
        let h = (n << 2 | kind << 1 | self.after as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 56) as u8
    }
}

/// A discard phrase (TABARI/PETRARCH discard list): a sentence containing it yields
/// no events; a story-level one empties the whole document.
#[derive(Clone, Debug)]
pub struct Discard {
    /// The phrase as normalised tokens joined by single spaces.
    pub phrase: String,
    /// Must end at a token boundary (written with a trailing `_`); otherwise the
    /// last word is a stem ("BASEBALL" also matches "baseballs").
    pub exact: bool,
    /// Story-level (written with a leading `+`).
    pub story: bool,
    pub rule: Rule,
}

/// [`Lexicon::word_anchors`] and [`Lexicon::verb_anchors`] of a word or verb that
/// anchors no pattern.
const NO_ANCHOR: u32 = u32::MAX;

/// A vocabulary entry: the word's token id ([`NO_ID`] for a word that only the
/// closed classes list) and the [`words::Class`] bits of the word.
#[derive(Clone, Copy, Debug)]
struct Word {
    id: TokId,
    classes: u32,
}

const NO_ID: TokId = TokId::MAX;

impl Word {
    fn id(self) -> Option<TokId> {
        (self.id != NO_ID).then_some(self.id)
    }
}

/// Key of the anchor index: patterns are found by their anchor word or verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Anchor {
    Word(TokId),
    Verb(u32),
}

/// Everything dyad knows about words, compiled.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Paths of the files the lexicon was read from, for [`Rule`]s.
    pub files: Vec<String>,
    /// Keys inline up to 24 bytes (nearly every word), so that looking up a
    /// text token reads one table slot rather than a slot and a string elsewhere.
    vocab: HashMap<CompactString, Word>,
    /// How many token ids the vocabulary has given (its entries for words that
    /// are only in closed classes have none).
    token_ids: TokId,
    /// [`words::FILLED`] once the closed classes' words are in the vocabulary
    /// ([`Lexicon::from_texts`]), 0 before: a token looked up in a lexicon
    /// without them is left to be tested by its norm.
    class_mark: u32,
    /// Trie over token ids: edges keyed by (node, token).
    edges: HashMap<(u32, TokId), u32>,
    /// The root's edges again, by token id (0: none, since no edge leads to the
    /// root): every token of a text is looked up there, and most start no phrase.
    root_edges: Vec<u32>,
    /// Hits ending at each trie node (node 0 is the root).
    node_hits: Vec<Vec<Hit>>,
    pub countries: Vec<Country>,
    /// Countries by ISO code (the first of a code), kept by [`Lexicon::add_country`].
    country_index: HashMap<String, u32>,
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    people_by_name: HashMap<String, u32>,
    /// Role codes, interned.
    pub roles: Vec<String>,
    pub patterns: Vec<Pattern>,
    /// Phrase sets used by [`Item::Set`].
    pub sets: Vec<PhraseSet>,
    pub implied: Vec<Implied>,
    /// The patterns of each anchor; which anchor a token or a verb lemma is, by
    /// its id ([`NO_ANCHOR`] when it is none): arrays, since each anchor of each
    /// sentence is looked up.
    anchored: Vec<Anchored>,
    word_anchors: Vec<u32>,
    verb_anchors: Vec<u32>,
    /// Each pattern's [`Shape`], by pattern index.
    shapes: Vec<Shape>,
    /// Is this token id the key of some pattern, or a form of a verb that is, and
    /// can it anchor a pattern? Most words of a sentence are none of these, and
    /// this spares looking them up under every anchor. Bits `TOKEN_*`.
    token_roles: Vec<u8>,
    /// The bits each token id gives a sentence's [`Signature`]: those of the
    /// word, and of each verb it is a form of, that some pattern needs besides
    /// its anchor (0 for most words). Computed once, not for every token read.
    token_signatures: Vec<u64>,
    /// Is this verb lemma the key of some pattern?
    key_verbs: Vec<bool>,
    /// Verb lemmas by index.
    pub lemmas: Vec<String>,
    lemma_ids: HashMap<String, u32>,
    /// For each verb form token: (lemma, inflection flags).
    /// Verb readings by token id (a dense table: looked up for every token).
    verb_forms: Vec<Vec<(u32, u8)>>,
    irregular: HashMap<String, [Vec<String>; 4]>,
    pub codebook: Codebook,
    /// Named events with dates, for anchored time expressions
    /// (`data/time/anchors.txt`; the built-in ones when no file gave any).
    /// Private: the vocabulary holds its words' time classes
    /// ([`Lexicon::add_time_classes`]), so it is set once, while loading.
    time_anchors: Option<crate::time::Anchors>,
    /// TABARI stems (dictionary words written without a trailing `_`): a text
    /// token the vocabulary does not know takes the id of its longest stem.
    stems: HashMap<String, TokId>,
    /// Discard phrases, and the automaton that finds them (built by
    /// `Lexicon::build_discards`).
    pub discards: Vec<Discard>,
    discard_matcher: Option<aho_corasick::AhoCorasick>,
}

/// A line without its comment, trimmed.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let cut = (0..bytes.len()).find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace())).unwrap_or(line.len());
    line[..cut].trim()
}

/// Read the fields of one lexicon line: split on `|`, comments removed, each
/// trimmed. Returns `None` for blank and comment lines, else the first `N` fields
/// (the rest empty) and how many there are: an array rather than a vector, since
/// this runs for every line of every file at start-up.
fn fields<const N: usize>(line: &str) -> Option<([&str; N], usize)> {
    let content = strip_comment(line);
    if content.is_empty() {
        return None;
    }
    let mut out = [""; N];
    let mut n = 0;
    for f in content.split('|') {
        if let Some(slot) = out.get_mut(n) {
            *slot = f.trim();
        }
        n += 1;
    }
    Some((out, n))
}

/// Split a field into its `;`-separated phrases, dropping empty ones.
fn phrases(field: &str) -> impl Iterator<Item = &str> {
    field.split(';').map(str::trim).filter(|p| !p.is_empty())
}

fn parse_date(s: &str, file: &str, line: usize) -> Result<Option<Date>, LexiconError> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<Date>().map(Some).map_err(|e| LexiconError::Syntax {
        file: file.to_string(),
        line,
        message: format!("'{s}' is not a date (YYYY-MM-DD): {e}"),
    })
}

/// The shortest TABARI stem that matches longer words.
const MIN_STEM: usize = 3;

/// The most patterns one written pattern may expand to.
const MAX_EXPANSIONS: usize = 512;

/// Expand the authoring shorthand of a pattern into plain patterns:
/// `(a|b|c)` alternatives (an alternative may be empty), `[x y]` optional words,
/// `~N` or `~M-N` a gap of N (M to N) tokens. Innermost groups first.
///
/// This is the definition of the shorthand: the order of the expansions (which
/// decides ties between equally long patterns) and the error messages are this
/// function's. Loading does not call it for well-formed patterns, though: it
/// expands them as word ids with `Shorthand`, which gives the same expansions in
/// the same order without building a string for each, and falls back to this for
/// anything unusual.
pub fn expand(p: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    expand_into(p, &mut out)?;
    Ok(out)
}

fn expand_into(p: &str, out: &mut Vec<String>) -> Result<(), String> {
    if out.len() > MAX_EXPANSIONS {
        return Err(format!("expands to more than {MAX_EXPANSIONS} patterns"));
    }
    // An innermost group: an opening bracket with no bracket before its closing one.
    let bytes = p.as_bytes();
    let mut open: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' => open = Some(i),
            b')' | b']' => {
                let Some(o) = open else {
                    return Err(format!("unbalanced '{}'", b as char));
                };
                let (ob, inner, rest) = (bytes[o], &p[o + 1..i], &p[i + 1..]);
                if (ob == b'(') != (b == b')') {
                    return Err("mismatched brackets".to_string());
                }
                let head = &p[..o];
                if ob == b'(' {
                    for alt in inner.split('|') {
                        expand_into(&format!("{head} {alt} {rest}"), out)?;
                    }
                } else {
                    expand_into(&format!("{head} {rest}"), out)?;
                    expand_into(&format!("{head} {inner} {rest}"), out)?;
                }
                return Ok(());
            }
            _ => {}
        }
    }
    if open.is_some() {
        return Err("unbalanced '(' or '['".to_string());
    }
    if let Some(t) = p.find('~') {
        let digits: String = p[t + 1..].chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
        let (lo, hi) = match digits.split_once('-') {
            Some((a, b)) => (a.parse::<usize>(), b.parse::<usize>()),
            None => (digits.parse::<usize>(), digits.parse::<usize>()),
        };
        let (Ok(lo), Ok(hi)) = (lo, hi) else {
            return Err(format!("'~{digits}' is not a gap (~N or ~M-N)"));
        };
        if lo > hi || hi > 6 {
            return Err(format!("gap ~{digits}: at most 6 tokens, low end first"));
        }
        let (head, rest) = (&p[..t], &p[t + 1 + digits.len()..]);
        for n in lo..=hi {
            expand_into(&format!("{head} {} {rest}", vec!["_"; n].join(" ")), out)?;
        }
        return Ok(());
    }
    let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
    if !flat.is_empty() && !out.contains(&flat) {
        out.push(flat);
    }
    Ok(())
}

/// One node of a written pattern's shorthand: a word (its index in
/// [`Shorthand::words`]), a gap of `lo..=hi` tokens, or a group (its index in
/// [`Shorthand::groups`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Word(u16),
    Gap(u8, u8),
    Group(u16),
}

/// A bracketed group: `(a|b|c)` alternatives or `[x y]` optional words.
#[derive(Debug)]
enum Group {
    Alt(Vec<Vec<Node>>),
    Opt(Vec<Node>),
}

impl Group {
    /// The number of ways to expand the group: its alternatives, or without and
    /// with the optional words.
    fn options(&self) -> usize {
        match self {
            Group::Alt(alts) => alts.len(),
            Group::Opt(_) => 2,
        }
    }
}

/// A written pattern parsed once, so that its expansions are built as sequences
/// of word indices instead of strings.
///
/// [`expand`] substitutes one innermost group at a time into a new string (the
/// group with the leftmost closing bracket, whichever alternative is chosen), then
/// the gaps from left to right, and drops an expansion equal to an earlier one; a
/// pattern with a few groups and gaps builds hundreds of strings, which the loader
/// then split and interned again. That was most of the built-in lexicon's load
/// time. Here each group is numbered in the order `expand` substitutes it (by its
/// closing bracket), so the expansions are the lexicographic product of the
/// groups' choices (the first group slowest, alternatives in written order,
/// an optional group without its words first), then of the gaps present (the
/// leftmost slowest, from M to N), deduplicated keeping the first: exactly
/// `expand`'s list, in its order. Groups inside an alternative not chosen are
/// still iterated, as `expand` does, which only makes duplicates.
///
/// Only well-formed patterns are parsed (brackets balanced and matched, `|` only
/// directly inside `(...)`, each `~` a word of its own, `~N` or `~M-N` with M <= N
/// <= 6); for anything else [`Shorthand::parse`] says `None` and the loader uses
/// [`expand`], which also words the error.
#[derive(Debug)]
struct Shorthand<'p> {
    /// The distinct words as written; nodes refer to them by index.
    words: Vec<&'p str>,
    /// The index of `_` in `words` (what a gap expands to), if there is a gap.
    any: u16,
    root: Vec<Node>,
    /// In the order [`expand`] substitutes them.
    groups: Vec<Group>,
}

/// Characters that end a word of the shorthand besides white space.
fn is_shorthand_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '|')
}

impl<'p> Shorthand<'p> {
    fn parse(p: &'p str) -> Option<Shorthand<'p>> {
        /// An open bracket (`0` for the pattern itself): the alternatives closed so
        /// far and the one being read.
        struct Frame {
            open: u8,
            alts: Vec<Vec<Node>>,
            cur: Vec<Node>,
        }
        let mut sh = Shorthand { words: Vec::new(), any: 0, root: Vec::new(), groups: Vec::new() };
        let mut stack = vec![Frame { open: 0, alts: Vec::new(), cur: Vec::new() }];
        let mut start: Option<usize> = None;
        let mut chars = p.char_indices();
        while let Some((i, c)) = chars.next() {
            if !is_shorthand_delimiter(c) {
                if c == '~' {
                    // A gap must be a word of its own: `expand` splits "a~1" and
                    // reads "~1x" as "~1 x", which is not worth mirroring.
                    if start.is_some() {
                        return None;
                    }
                    let end = p[i + 1..].find(is_shorthand_delimiter).map_or(p.len(), |e| i + 1 + e);
                    let spec = &p[i + 1..end];
                    let (lo, hi) = spec.split_once('-').unwrap_or((spec, spec));
                    let number = |s: &str| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<u8>().ok() } else { None };
                    let (lo, hi) = (number(lo)?, number(hi)?);
                    if lo > hi || hi > 6 {
                        return None;
                    }
                    stack.last_mut()?.cur.push(Node::Gap(lo, hi));
                    sh.any = sh.word("_")?;
                    // Skip the gap's digits (ASCII, so one char a byte).
                    for _ in 0..spec.len() {
                        chars.next();
                    }
                } else if start.is_none() {
                    start = Some(i);
                }
                continue;
            }
            if let Some(s) = start.take() {
                let w = sh.word(&p[s..i])?;
                stack.last_mut()?.cur.push(Node::Word(w));
            }
            match c {
                '(' | '[' => stack.push(Frame { open: c as u8, alts: Vec::new(), cur: Vec::new() }),
                ')' | ']' => {
                    let mut frame = stack.pop()?;
                    let group = match (frame.open, c) {
                        (b'(', ')') => {
                            frame.alts.push(frame.cur);
                            Group::Alt(frame.alts)
                        }
                        (b'[', ']') if frame.alts.is_empty() => Group::Opt(frame.cur),
                        _ => return None,
                    };
                    let g = u16::try_from(sh.groups.len()).ok()?;
                    sh.groups.push(group);
                    stack.last_mut()?.cur.push(Node::Group(g));
                }
                '|' => {
                    let top = stack.last_mut()?;
                    if top.open != b'(' {
                        return None;
                    }
                    top.alts.push(std::mem::take(&mut top.cur));
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            let w = sh.word(&p[s..])?;
            stack.last_mut()?.cur.push(Node::Word(w));
        }
        if stack.len() != 1 {
            return None;
        }
        sh.root = stack.pop()?.cur;
        Some(sh)
    }

    /// The index of a word in `words`, added when new.
    fn word(&mut self, w: &'p str) -> Option<u16> {
        if let Some(i) = self.words.iter().position(|x| *x == w) {
            return u16::try_from(i).ok();
        }
        self.words.push(w);
        u16::try_from(self.words.len() - 1).ok()
    }

    /// The words and gaps of `nodes` with each group expanded as `choice` says.
    fn flatten(&self, nodes: &[Node], choice: &[usize], out: &mut Vec<Node>) {
        for &n in nodes {
            match n {
                Node::Group(g) => match &self.groups[g as usize] {
                    Group::Alt(alts) => self.flatten(&alts[choice[g as usize]], choice, out),
                    Group::Opt(inner) if choice[g as usize] == 1 => self.flatten(inner, choice, out),
                    Group::Opt(_) => {}
                },
                n => out.push(n),
            }
        }
    }

    /// The distinct expansions, as word indices, into `x` ([`Expansions::words`]
    /// and [`Expansions::ends`]), in [`expand`]'s order and with its limit.
    fn expand_into(&self, x: &mut Expansions) -> Result<(), String> {
        x.clear(self.words.len());
        x.choice.resize(self.groups.len(), 0);
        loop {
            x.slots.clear();
            self.flatten(&self.root, &x.choice, &mut x.slots);
            x.bounds.clear();
            x.bounds.extend(x.slots.iter().filter_map(|s| match *s {
                Node::Gap(lo, hi) => Some((lo, hi)),
                _ => None,
            }));
            x.gaps.clear();
            x.gaps.extend(x.bounds.iter().map(|b| b.0));
            loop {
                // `expand` checks before each expansion (so the 513th distinct
                // one is an error only when more follow).
                if x.ends.len() > MAX_EXPANSIONS {
                    return Err(format!("expands to more than {MAX_EXPANSIONS} patterns"));
                }
                x.push_leaf(self.any);
                // The next gap lengths: the last gap varies fastest.
                let mut k = x.gaps.len();
                loop {
                    if k == 0 {
                        break;
                    }
                    k -= 1;
                    if x.gaps[k] < x.bounds[k].1 {
                        x.gaps[k] += 1;
                        for j in k + 1..x.gaps.len() {
                            x.gaps[j] = x.bounds[j].0;
                        }
                        k = usize::MAX;
                        break;
                    }
                }
                if k != usize::MAX {
                    break;
                }
            }
            // The next choice of the groups: the last group varies fastest.
            let mut g = x.choice.len();
            loop {
                if g == 0 {
                    return Ok(());
                }
                g -= 1;
                x.choice[g] += 1;
                if x.choice[g] < self.groups[g].options() {
                    break;
                }
                x.choice[g] = 0;
            }
        }
    }
}

/// Scratch space for expanding written patterns ([`Shorthand::expand_into`]) and
/// turning their expansions into items, reused from one pattern to the next.
#[derive(Debug, Default)]
struct Expansions {
    /// The word indices of the distinct expansions, one after another.
    words: Vec<u16>,
    /// Where each expansion ends in `words`.
    ends: Vec<u32>,
    /// Hashes of the expansions so far: a new hash is a new expansion, so the
    /// expansions are only compared on a hash seen before.
    seen: rustc_hash::FxHashSet<u64>,
    /// The expansion being built.
    leaf: Vec<u16>,
    /// The choice made in each group.
    choice: Vec<usize>,
    /// The words and gaps of the current choice.
    slots: Vec<Node>,
    /// The bounds and current length of each gap among `slots`.
    bounds: Vec<(u8, u8)>,
    gaps: Vec<u8>,
    /// The items of each word (a range of `items`), once it has been read.
    parsed: Vec<Option<(u32, u32)>>,
    items: Vec<Item>,
}

impl Expansions {
    fn clear(&mut self, words: usize) {
        self.words.clear();
        self.ends.clear();
        self.seen.clear();
        self.choice.clear();
        self.parsed.clear();
        self.parsed.resize(words, None);
        self.items.clear();
    }

    /// The `i`th expansion.
    fn leaf(&self, i: usize) -> &[u16] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.words[start..self.ends[i] as usize]
    }

    /// Build the expansion of the current slots and gap lengths and keep it unless
    /// it is empty or a repeat (as `expand` does with its strings: two expansions
    /// are the same string exactly when they are the same words).
    fn push_leaf(&mut self, any: u16) {
        use std::hash::{Hash, Hasher};
        self.leaf.clear();
        let mut k = 0;
        for s in &self.slots {
            match *s {
                Node::Word(w) => self.leaf.push(w),
                Node::Gap(..) => {
                    self.leaf.extend(std::iter::repeat_n(any, self.gaps[k] as usize));
                    k += 1;
                }
                Node::Group(_) => {}
            }
        }
        if self.leaf.is_empty() {
            return;
        }
        let mut h = rustc_hash::FxHasher::default();
        self.leaf.hash(&mut h);
        if !self.seen.insert(h.finish()) && (0..self.ends.len()).any(|i| self.leaf(i) == self.leaf.as_slice()) {
            return;
        }
        self.words.extend_from_slice(&self.leaf);
        self.ends.push(self.words.len() as u32);
    }
}

/// Two or more letters, all of them capitals ("US", "WHO", "U.N.").
fn is_all_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// The longest phrase [`is_plain_phrase`] takes (a buffer of this size holds any
/// of its token keys).
const PLAIN_MAX: usize = 128;

/// Is the phrase ASCII words separated by spaces that `text::analyse` makes one
/// token each, with the word in lowercase as its norm? Letters and digits
/// ("Shigeru Ishiba", "G20", "2016 election", "1990s") are; so are words that
/// begin with a letter and have hyphens between letters or digits ("Jong-un",
/// "Port-au-Prince", "F-16"), which the tokeniser keeps whole. Dots (abbreviations,
/// initials), apostrophes (possessives, "n't"), other punctuation, digits before a
/// hyphen ("10-16" is three tokens) and anything beyond ASCII are left to the
/// tokeniser.
fn is_plain_phrase(phrase: &str) -> bool {
    let b = phrase.as_bytes();
    if b.len() >= PLAIN_MAX {
        return false;
    }
    // One pass (this runs for every phrase): `word_start` at a word's first byte,
    // `alpha` whether the current word began with a letter.
    let (mut word_start, mut alpha, mut prev) = (true, false, b' ');
    for &c in b {
        match c {
            b' ' if prev == b'-' => return false,
            b' ' => word_start = true,
            b'-' if word_start || !alpha || prev == b'-' => return false,
            b'-' => {}
            c if c.is_ascii_alphanumeric() => {
                if word_start {
                    alpha = c.is_ascii_alphabetic();
                    word_start = false;
                }
            }
            _ => return false,
        }
        prev = c;
    }
    prev != b'-'
}

/// The token key of a word of a plain phrase ([`is_plain_phrase`]): the word in
/// lowercase, marked with a leading `^` when written in capitals, as
/// [`Lexicon::phrase_tokens`] makes it.
fn plain_key<'b>(word: &str, buf: &'b mut [u8; PLAIN_MAX]) -> &'b str {
    let caps = usize::from(is_all_caps(word));
    buf[0] = b'^';
    for (d, s) in buf[caps..].iter_mut().zip(word.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..caps + word.len()]).unwrap_or_default()
}

/// Three capital letters: a CAMEO role code.
fn is_role(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Derived plural of a noun: +s, y -> ies, man -> men, nothing after s/sh/ch/x/z.
pub fn plural(word: &str) -> Option<String> {
    let w = word;
    if let Some(stem) = w.strip_suffix("man") {
        return Some(format!("{stem}men"));
    }
    if w.ends_with('s')
        || w.ends_with("sh")
        || w.ends_with("ch")
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ese")
        || w.ends_with('.')
    {
        return None;
    }
    if let Some(stem) = w.strip_suffix('y') {
        if !stem.ends_with(['a', 'e', 'o', 'u']) {
            return Some(format!("{stem}ies"));
        }
    }
    Some(format!("{w}s"))
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Regular inflections of a verb: [third person, past, participle, -ing].
fn regular_forms(lemma: &str) -> [String; 4] {
    let chars: Vec<char> = lemma.chars().collect();
    let last = chars.last().copied().unwrap_or(' ');
    let before = if chars.len() > 1 { chars[chars.len() - 2] } else { ' ' };
    let third = if lemma.ends_with('s')
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with("ch")
        || lemma.ends_with("sh")
        || lemma.ends_with('o')
    {
        format!("{lemma}es")
    } else if last == 'y' && !is_vowel(before) {
        format!("{}ies", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}s")
    };
    let past = if last == 'e' {
        format!("{lemma}d")
    } else if last == 'y' && !is_vowel(before) {
        format!("{}ied", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}ed")
    };
    let ing = if let Some(stem) = lemma.strip_suffix("ie") {
        format!("{stem}ying")
    } else if last == 'e' && !matches!(before, 'e' | 'y' | 'o') && lemma.len() > 2 {
        format!("{}ing", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}ing")
    };
    [third, past.clone(), past, ing]
}

impl Lexicon {
    /// The lexicons built into the binary (the files under `data/` at build time).
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        Self::from_texts(crate::embedded::FILES.iter().map(|(p, t)| (p.to_string(), t.to_string())))
    }

    /// Read a lexicon directory laid out like `data/` (every `.txt` below it).
    pub fn from_dir(dir: &Path) -> Result<Lexicon, LexiconError> {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), LexiconError> {
            let entries = std::fs::read_dir(dir).map_err(|source| LexiconError::Io { path: dir.display().to_string(), source })?;
            for entry in entries {
                let entry = entry.map_err(|source| LexiconError::Io { path: dir.display().to_string(), source })?;
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out)?;
                } else if path.extension().is_some_and(|e| e == "txt") {
                    out.push(path);
                }
            }
            Ok(())
        }
        let mut paths = Vec::new();
        walk(dir, &mut paths)?;
        paths.sort();
        let mut texts = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| LexiconError::Io { path: path.display().to_string(), source })?;
            // Name files as "data/..." relative to the directory, like the builtin.
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            texts.push((format!("data/{rel}"), text));
        }
        Self::from_texts(texts.into_iter())
    }

    /// Build a lexicon from (path, text) pairs; the path decides what a file holds:
    /// `data/actors/countries*.txt`, `organisations*`, `people/`, `roles.txt`,
    /// `modifiers.txt`, `data/verbs/irregular.txt`, `data/verbs/*`,
    /// `data/cameo/codes.txt`. Other files are ignored.
    pub fn from_texts(files: impl Iterator<Item = (String, String)>) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon { node_hits: vec![Vec::new()], ..Default::default() };
        lex.add_word_classes();
        let files: Vec<(String, String)> = files.collect();
        // Irregular verbs first: verb patterns need them.
        let order = |p: &str| -> u8 {
            if p.ends_with("verbs/irregular.txt") {
                0
            } else if p.contains("/verbs/") {
                2
            } else {
                1
            }
        };
        let mut sorted: Vec<&(String, String)> = files.iter().collect();
        sorted.sort_by_key(|(p, _)| order(p));
        for (path, text) in sorted {
            let file = lex.files.len() as u16;
            lex.files.push(path.clone());
            let name = path.rsplit('/').next().unwrap_or(path);
            if path.contains("actors/people/") || name.starts_with("people") {
                lex.load_people(text, file)?;
            } else if name.starts_with("countries") {
                lex.load_countries(text, file)?;
            } else if name.starts_with("regions") {
                lex.load_regions(text, file)?;
            } else if name.starts_with("organisations") {
                lex.load_organisations(text, file)?;
            } else if name == "roles.txt" {
                lex.load_roles(text, file, false)?;
            } else if name == "modifiers.txt" {
                lex.load_roles(text, file, true)?;
            } else if path.ends_with("verbs/implied.txt") {
                lex.load_implied(text, file)?;
            } else if path.ends_with("verbs/irregular.txt") {
                lex.load_irregular(text, file)?;
            } else if path.contains("/verbs/") {
                lex.load_verbs(text, file)?;
            } else if path.ends_with("time/anchors.txt") {
                lex.time_anchors = Some(crate::time::Anchors::parse(text, path)?);
            } else if path.ends_with("cameo/codes.txt") {
                lex.codebook = Codebook::parse(text, path)?;
            }
        }
        lex.add_time_classes();
        lex.index_patterns();
        Ok(lex)
    }

    /// The anchors of time expressions ([`crate::time::find_in`] reads them).
    pub fn time_anchors(&self) -> &crate::time::Anchors {
        self.time_anchors.as_ref().unwrap_or_else(|| crate::time::Anchors::builtin())
    }

    /// Put the time finder's words in the vocabulary with their classes
    /// ([`words::TIME_SHIFT`]), as [`Lexicon::add_word_classes`] does for the
    /// closed classes, once the anchors are known.
    fn add_time_classes(&mut self) {
        let classes: Vec<(CompactString, u8)> = self.time_anchors().word_classes().map(|(w, c)| (w.into(), c)).collect();
        for (w, class) in classes {
            self.vocab.entry(w).or_insert(Word { id: NO_ID, classes: 0 }).classes |= u32::from(class) << words::TIME_SHIFT;
        }
    }

    /// The `file:line` string of a rule.
    pub fn rule_text(&self, rule: Rule) -> String {
        // Once per event: without the formatting machinery.
        let file = self.files.get(rule.file as usize).map(String::as_str).unwrap_or("?");
        let mut digits = itoa::Buffer::new();
        let line = digits.format(rule.line);
        let mut out = String::with_capacity(file.len() + 1 + line.len());
        out.push_str(file);
        out.push(':');
        out.push_str(line);
        out
    }

    fn err(&self, file: u16, line: usize, message: impl Into<String>) -> LexiconError {
        LexiconError::Syntax { file: self.files[file as usize].clone(), line, message: message.into() }
    }

    fn expect_fields<'l, const N: usize>(
        &self,
        line: &'l str,
        file: u16,
        what: &str,
        ln: usize,
    ) -> Result<Option<[&'l str; N]>, LexiconError> {
        match fields::<N>(line) {
            None => Ok(None),
            Some((f, n)) if n == N => Ok(Some(f)),
            Some((_, n)) => Err(self.err(file, ln, format!("expected {N} fields separated by '|' ({what}), found {n}"))),
        }
    }

    /// Intern a token string.
    pub(crate) fn intern(&mut self, tok: &str) -> TokId {
        if let Some(id) = self.token_id(tok) {
            return id;
        }
        // A new word, or one so far only in the closed classes.
        let id = self.token_ids;
        self.token_ids += 1;
        self.vocab.entry(CompactString::from(tok)).or_insert(Word { id: NO_ID, classes: 0 }).id = id;
        id
    }

    /// Put the closed classes' words in the vocabulary, with their bits, so
    /// that looking a token up finds its classes with its id.
    fn add_word_classes(&mut self) {
        for (w, bit) in words::Class::words() {
            self.vocab.entry(CompactString::from(w)).or_insert(Word { id: NO_ID, classes: 0 }).classes |= bit;
        }
        self.class_mark = words::FILLED;
    }

    /// The id of a text token, if the lexicon knows it.
    pub fn token_id(&self, norm: &str) -> Option<TokId> {
        self.vocab.get(norm).and_then(|w| w.id())
    }

    /// The lexicon ids of a text's tokens (a token written in capitals by its
    /// capitalised form first; one the vocabulary does not know by its longest
    /// TABARI stem); each token's [`text::Token::classes`] are filled on the way, from the same
    /// lookup. `doc` is the text the tokens were read from.
    pub fn token_ids(&self, text: &mut Text, doc: &str) -> Vec<Option<TokId>> {
        text.tokens
            .iter_mut()
            .map(|t| {
                let (id, classes) = self.text_token(&t.norm, &doc[t.start..t.end]);
                t.classes = classes | self.class_mark;
                id
            })
            .collect()
    }

    /// Tokenise a lexicon phrase the way text is tokenised. A word written in
    /// capitals ("US", "WHO") only matches text written in capitals: its key is
    /// marked with a leading `^`.
    fn phrase_tokens(phrase: &str) -> Vec<String> {
        let t = text::analyse(phrase);
        t.tokens
            .into_iter()
            .map(|t| if is_all_caps(&phrase[t.start..t.end]) { format!("^{}", t.norm) } else { t.norm.into_string() })
            .collect()
    }

    /// The id of a text token (its capitalised form first when written in
    /// capitals, the id of its longest TABARI stem when the vocabulary does not
    /// know it), and the classes of its norm.
    fn text_token(&self, norm: &str, surface: &str) -> (Option<TokId>, u32) {
        let word = self.vocab.get(norm).copied();
        let classes = word.map_or(0, |w| w.classes);
        // Most tokens start with a lowercase letter, and are no capitals.
        let lowercase = surface.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
        if !lowercase && is_all_caps(surface) {
            let mut key = compact_str::CompactString::with_capacity(norm.len() + 1);
            key.push('^');
            key.push_str(norm);
            if let Some(id) = self.vocab.get(key.as_str()).and_then(|w| w.id()) {
                return (Some(id), classes);
            }
        }
        (word.and_then(Word::id).or_else(|| self.stem_id(norm)), classes)
    }

    /// The id of the longest TABARI stem (of at least three bytes) that begins
    /// `norm`, if the lexicon has stems.
    fn stem_id(&self, norm: &str) -> Option<TokId> {
        if self.stems.is_empty() {
            return None;
        }
        (MIN_STEM..norm.len()).rev().filter(|&k| norm.is_char_boundary(k)).find_map(|k| self.stems.get(&norm[..k]).copied())
    }

    /// Register a TABARI stem: text tokens that begin with it (and that the
    /// vocabulary does not know) match it. Shorter stems are ignored.
    pub(crate) fn add_stem(&mut self, norm: &str) {
        if norm.len() >= MIN_STEM && !self.stems.contains_key(norm) {
            let id = self.intern(norm);
            self.stems.insert(norm.to_string(), id);
        }
    }

    fn add_phrase(&mut self, phrase: &str, entry: Entry, rule: Rule) {
        // Most phrases are plain words separated by spaces (see `is_plain_phrase`),
        // which the tokeniser would split at the spaces only: these skip
        // `text::analyse` and its strings and are walked into the trie as they are
        // read. The tokens, their ids and the trie's nodes come out in the same
        // order either way.
        if is_plain_phrase(phrase) {
            let mut buf = [0u8; PLAIN_MAX];
            let mut node = None;
            for w in phrase.split(' ').filter(|w| !w.is_empty()) {
                let id = self.intern(plain_key(w, &mut buf));
                node = Some(self.trie_child(node.unwrap_or(0), id));
            }
            if let Some(node) = node {
                self.add_hit(node, entry, rule);
            }
            return;
        }
        let toks = Self::phrase_tokens(phrase);
        let ids: Vec<TokId> = toks.iter().map(|t| self.intern(t)).collect();
        self.add_phrase_ids(&ids, entry, rule);
    }

    /// Add an actor phrase given as interned token ids (a token key with a `^`
    /// prefix must be written in capitals).
    pub(crate) fn add_phrase_ids(&mut self, ids: &[TokId], entry: Entry, rule: Rule) {
        if ids.is_empty() {
            return;
        }
        let mut node = 0u32;
        for &id in ids {
            node = self.trie_child(node, id);
        }
        self.add_hit(node, entry, rule);
    }

    /// The trie node after `node` on token `id`, made when new.
    fn trie_child(&mut self, node: u32, id: TokId) -> u32 {
        let nodes = &mut self.node_hits;
        let child = *self.edges.entry((node, id)).or_insert_with(|| {
            nodes.push(Vec::new());
            (nodes.len() - 1) as u32
        });
        if node == 0 {
            if self.root_edges.len() <= id as usize {
                self.root_edges.resize(id as usize + 1, 0);
            }
            self.root_edges[id as usize] = child;
        }
        child
    }

    /// Record that the phrase ending at `node` names `entry` (once per entry).
    fn add_hit(&mut self, node: u32, entry: Entry, rule: Rule) {
        let hits = &mut self.node_hits[node as usize];
        if !hits.iter().any(|h| h.entry == entry) {
            // Nearly every phrase names one thing: room for one hit, not the
            // four a first push would make (tens of thousands of nodes).
            hits.reserve_exact(1);
            hits.push(Hit { entry, rule });
        }
    }

    /// Longest actor phrase starting at `ids[0]`: (length in tokens, hits).
    pub fn longest_phrase(&self, ids: &[Option<TokId>]) -> Option<(usize, &[Hit])> {
        let mut node = 0u32;
        let mut best = None;
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id else { break };
            let child = if node == 0 {
                self.root_edges.get(*id as usize).copied().filter(|&n| n != 0)
            } else {
                self.edges.get(&(node, *id)).copied()
            };
            match child {
                Some(n) => {
                    node = n;
                    if !self.node_hits[n as usize].is_empty() {
                        best = Some((i + 1, self.node_hits[n as usize].as_slice()));
                    }
                }
                None => break,
            }
        }
        best
    }

    pub(crate) fn role_id(&mut self, role: &str) -> RoleId {
        if let Some(i) = self.roles.iter().position(|r| r == role) {
            return i as RoleId;
        }
        self.roles.push(role.to_string());
        (self.roles.len() - 1) as RoleId
    }

    fn load_countries(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<5>(line, file, "ISO3 | name | other names | adjectives | seats", ln)? else {
                continue;
            };
            let iso = f[0];
            if iso.len() != 3 || !iso.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(self.err(file, ln, format!("'{iso}' is not an ISO 3166-1 alpha-3 code")));
            }
            if f[1].is_empty() {
                return Err(self.err(file, ln, "the name field is empty"));
            }
            let idx = self.add_country(iso, f[1].to_string());
            let rule = Rule { file, line: ln as u32 };
            self.add_phrase(f[1], Entry::Country(idx), rule);
            for p in phrases(f[2]) {
                self.add_phrase(p, Entry::Country(idx), rule);
            }
            for p in phrases(f[3]) {
                self.add_phrase(p, Entry::Adjective(idx), rule);
                if let Some(pl) = plural(p) {
                    self.add_phrase(&pl, Entry::Adjective(idx), rule);
                }
            }
            for p in phrases(f[4]) {
                self.add_phrase(p, Entry::Seat(idx), rule);
            }
        }
        Ok(())
    }

    fn load_implied(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<4>(line, file, "CODE PREFIX | side | ROLE | whose country", ln)? else {
                continue;
            };
            if f[0].is_empty() || !f[0].bytes().all(|b| b.is_ascii_digit()) {
                return Err(self.err(file, ln, format!("'{}' is not a CAMEO code prefix", f[0])));
            }
            let side = match f[1] {
                "source" => Side::Source,
                "target" => Side::Target,
                other => return Err(self.err(file, ln, format!("side '{other}' is neither source nor target"))),
            };
            if !is_role(f[2]) {
                return Err(self.err(file, ln, format!("'{}' is not a role code", f[2])));
            }
            let whose = match f[3] {
                "source" | "target" => Whose::Other,
                "document" => Whose::Document,
                other => return Err(self.err(file, ln, format!("whose country '{other}': expected source, target or document"))),
            };
            self.implied.push(Implied {
                prefix: f[0].to_string(),
                side,
                role: f[2].to_string(),
                whose,
                rule: Rule { file, line: ln as u32 },
            });
        }
        Ok(())
    }

    /// The implied actor for the missing side of an event with this code.
    pub fn implied_for(&self, code: &str, side: Side) -> Option<&Implied> {
        self.implied.iter().find(|i| i.side == side && code.starts_with(&i.prefix))
    }

    fn load_regions(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<1>(line, file, "region names", ln)? else {
                continue;
            };
            for p in phrases(f[0]) {
                self.add_phrase(p, Entry::Region, Rule { file, line: ln as u32 });
            }
        }
        Ok(())
    }

    fn load_organisations(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<5>(line, file, "CODE | country | role | name | other names", ln)? else {
                continue;
            };
            if f[0].is_empty() || f[3].is_empty() {
                return Err(self.err(file, ln, "the code and name fields must not be empty"));
            }
            let opt = |s: &str| {
                if s.is_empty() || s == "-" || s == "---" {
                    None
                } else {
                    Some(s.to_string())
                }
            };
            let idx = self.organisations.len() as u32;
            self.organisations.push(Organisation { code: f[0].to_string(), country: opt(f[1]), role: opt(f[2]), name: f[3].to_string() });
            let rule = Rule { file, line: ln as u32 };
            self.add_phrase(f[3], Entry::Organisation(idx), rule);
            for p in phrases(f[4]) {
                self.add_phrase(p, Entry::Organisation(idx), rule);
            }
        }
        Ok(())
    }

    fn load_people(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<5>(line, file, "name | other names | code | from | to", ln)? else {
                continue;
            };
            if f[0].is_empty() || f[2].is_empty() {
                return Err(self.err(file, ln, "the name and code fields must not be empty"));
            }
            let from = parse_date(f[3], &self.files[file as usize], ln)?;
            let to = parse_date(f[4], &self.files[file as usize], ln)?;
            if let (Some(a), Some(b)) = (from, to) {
                if b <= a {
                    return Err(self.err(file, ln, format!("term ends ({b}) before it starts ({a})")));
                }
            }
            let rule = Rule { file, line: ln as u32 };
            let idx = match self.people_by_name.get(f[0]) {
                Some(&i) => i,
                None => {
                    let i = self.people.len() as u32;
                    self.people.push(Person { name: f[0].to_string(), terms: Vec::new(), person: true });
                    self.people_by_name.insert(f[0].to_string(), i);
                    i
                }
            };
            self.people[idx as usize].terms.push(Term { code: f[2].to_string(), from, to, rule });
            self.add_phrase(f[0], Entry::Person(idx), rule);
            for p in phrases(f[1]) {
                self.add_phrase(p, Entry::Person(idx), rule);
            }
        }
        Ok(())
    }

    fn load_roles(&mut self, text: &str, file: u16, modifiers: bool) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<2>(line, file, "ROLE | words", ln)? else {
                continue;
            };
            let rule = Rule { file, line: ln as u32 };
            let entry = if f[0] == "*" {
                Entry::Head
            } else if is_role(f[0]) {
                let r = self.role_id(f[0]);
                if modifiers {
                    Entry::Modifier(r)
                } else {
                    Entry::Role(r)
                }
            } else {
                return Err(self.err(file, ln, format!("'{}' is not a role code (three capital letters, or * for a generic head)", f[0])));
            };
            for p in phrases(f[1]) {
                self.add_phrase(p, entry, rule);
                if !modifiers {
                    // Pluralise the last word of the phrase.
                    if let Some((head, last)) = p.rsplit_once(' ').map(|(h, l)| (format!("{h} "), l)).or(Some((String::new(), p))) {
                        if let Some(pl) = plural(last) {
                            self.add_phrase(&format!("{head}{pl}"), entry, rule);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn load_irregular(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            let Some(f) = self.expect_fields::<5>(line, file, "lemma | third person | past | participle | -ing", ln)? else {
                continue;
            };
            let lemma = f[0].to_lowercase();
            if lemma.is_empty() {
                return Err(self.err(file, ln, "the lemma field is empty"));
            }
            let regular = regular_forms(&lemma);
            let mut forms: [Vec<String>; 4] = Default::default();
            for k in 0..4 {
                let given: Vec<String> = phrases(f[k + 1]).map(str::to_lowercase).collect();
                forms[k] = if given.is_empty() { vec![regular[k].clone()] } else { given };
            }
            self.irregular.insert(lemma, forms);
        }
        Ok(())
    }

    fn lemma(&mut self, lemma: &str) -> u32 {
        if let Some(&i) = self.lemma_ids.get(lemma) {
            return i;
        }
        let i = self.lemmas.len() as u32;
        self.lemmas.push(lemma.to_string());
        self.lemma_ids.insert(lemma.to_string(), i);
        let forms = match self.irregular.get(lemma) {
            Some(f) => f.clone(),
            None => regular_forms(lemma).map(|f| vec![f]),
        };
        let flags = [form::THIRD, form::PAST, form::PARTICIPLE, form::ING];
        let mut all: Vec<(String, u8)> = vec![(lemma.to_string(), form::BASE)];
        for (k, fs) in forms.iter().enumerate() {
            for f in fs {
                all.push((f.clone(), flags[k]));
            }
        }
        for (f, flag) in all {
            let id = self.intern(&f);
            self.add_reading(id, i, flag);
        }
        i
    }

    /// Record that token `id` is a form of `lemma` with inflection `flags`.
    fn add_reading(&mut self, id: TokId, lemma: u32, flags: u8) {
        if self.verb_forms.len() <= id as usize {
            self.verb_forms.resize_with(id as usize + 1, Vec::new);
        }
        let list = &mut self.verb_forms[id as usize];
        match list.iter_mut().find(|(l, _)| *l == lemma) {
            Some((_, fl)) => *fl |= flags,
            None => list.push((lemma, flags)),
        }
    }

    /// The verb readings of a token: (lemma index, inflection flags).
    pub fn verb_forms(&self, id: TokId) -> &[(u32, u8)] {
        self.verb_forms.get(id as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    fn load_verbs(&mut self, text: &str, file: u16) -> Result<(), LexiconError> {
        let mut x = Expansions::default();
        for (i, line) in text.lines().enumerate() {
            let ln = i + 1;
            // Only the first '|' separates fields: patterns use '|' for alternatives.
            let content = strip_comment(line);
            if content.is_empty() {
                continue;
            }
            let Some((code, patterns)) = content.split_once('|') else {
                return Err(self.err(file, ln, "expected 'CODE | pattern; pattern; ...'"));
            };
            let f = [code.trim(), patterns.trim()];
            let code = f[0];
            if code != BLOCK && (!(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit())) {
                return Err(self.err(file, ln, format!("'{code}' is not a CAMEO event code (2 to 4 digits)")));
            }
            let rule = Rule { file, line: ln as u32 };
            for written in phrases(f[1]) {
                let added = match Shorthand::parse(written) {
                    Some(sh) => self.add_shorthand(code, &sh, rule, &mut x),
                    None => expand(written).and_then(|expanded| expanded.iter().try_for_each(|p| self.add_pattern(code, p, rule))),
                };
                added.map_err(|m| self.err(file, ln, format!("pattern '{written}': {m}")))?;
            }
        }
        Ok(())
    }

    /// Add the patterns a written pattern expands to, in order. Each distinct word
    /// is read into items once, the first time an expansion uses it, so that
    /// tokens and verbs are interned in the order reading the expansions one by
    /// one would intern them (token ids do not depend on how the shorthand is
    /// expanded), and the first bad word of the first expansion that has one is
    /// the error.
    fn add_shorthand(&mut self, code: &str, sh: &Shorthand, rule: Rule, x: &mut Expansions) -> Result<(), String> {
        sh.expand_into(x)?;
        self.patterns.reserve(x.ends.len());
        let mut start = 0;
        for i in 0..x.ends.len() {
            let end = x.ends[i] as usize;
            let mut len = 0;
            for k in start..end {
                let w = x.words[k] as usize;
                let (a, b) = match x.parsed[w] {
                    Some(range) => range,
                    None => {
                        let a = x.items.len() as u32;
                        self.parse_word(sh.words[w], &mut x.items)?;
                        let range = (a, x.items.len() as u32);
                        x.parsed[w] = Some(range);
                        range
                    }
                };
                len += (b - a) as usize;
            }
            let mut items = Vec::with_capacity(len);
            for &w in &x.words[start..end] {
                let (a, b) = x.parsed[w as usize].unwrap_or_default();
                items.extend_from_slice(&x.items[a as usize..b as usize]);
            }
            let pattern = Self::finish_pattern(code, items, rule)?;
            self.patterns.push(pattern);
            start = end;
        }
        Ok(())
    }

    fn add_pattern(&mut self, code: &str, p: &str, rule: Rule) -> Result<(), String> {
        let pattern = self.parse_pattern(code, p, rule)?;
        self.patterns.push(pattern);
        Ok(())
    }

    /// A pattern from one expansion of a written pattern (its words separated by
    /// white space).
    fn parse_pattern(&mut self, code: &str, p: &str, rule: Rule) -> Result<Pattern, String> {
        let mut items = Vec::new();
        for word in p.split_whitespace() {
            self.parse_word(word, &mut items)?;
        }
        Self::finish_pattern(code, items, rule)
    }

    /// The items of one word of a pattern, appended to `items`.
    fn parse_word(&mut self, word: &str, items: &mut Vec<Item>) -> Result<(), String> {
        match word {
            "$" => items.push(Item::Target),
            "+" => items.push(Item::Source),
            "_" => items.push(Item::Any),
            w if w.starts_with('{') => {
                let lemma = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')).ok_or_else(|| format!("'{w}' has unbalanced braces"))?;
                if lemma.is_empty() || lemma.contains(['{', '}']) {
                    return Err(format!("'{w}' is not a verb lemma in braces"));
                }
                let l = self.lemma(&lemma.to_lowercase());
                items.push(Item::Verb(l));
            }
            w if w.contains(['{', '}']) => return Err(format!("'{w}' has unbalanced braces")),
            "'s" | "’s" => {
                let id = self.intern("'s");
                items.push(Item::Word(id));
            }
            // A plain lowercase word is one token as it stands; anything else
            // ("U.S.", "al-Qaida", "G-20") is tokenised like text.
            w if w.bytes().all(|b| b.is_ascii_lowercase()) => {
                let id = self.intern(w);
                items.push(Item::Word(id));
            }
            w => {
                for t in Self::phrase_tokens(w) {
                    let id = self.intern(&t);
                    items.push(Item::Word(id));
                }
            }
        }
        Ok(())
    }

    /// Check a pattern's items and find its anchor (its first verb, else its first
    /// word).
    fn finish_pattern(code: &str, items: Vec<Item>, rule: Rule) -> Result<Pattern, String> {
        // One pass over the items (this runs for every expansion).
        let (mut first_verb, mut first_word, mut targets, mut sources, mut weight) = (None, None, 0, 0, 0);
        for (k, item) in items.iter().enumerate() {
            match item {
                Item::Verb(_) => {
                    first_verb = first_verb.or(Some(k));
                    weight += 1;
                }
                Item::Word(_) => {
                    first_word = first_word.or(Some(k));
                    weight += 1;
                }
                Item::Target => targets += 1,
                Item::Source => sources += 1,
                _ => {}
            }
        }
        let Some(anchor) = first_verb.or(first_word) else {
            return Err("needs at least one word or {verb}".to_string());
        };
        if targets > 1 || sources > 1 {
            return Err("at most one $ and one +".to_string());
        }
        let verbal = first_verb.is_some();
        Ok(Pattern { code: code.to_string(), items, anchor, verbal, rule, weight, target_anywhere: false, reverse: None })
    }

    /// The terms token `id` can be as a pattern's key (see `Anchored`); most
    /// tokens are none. Find them once per sentence for [`Lexicon::patterns_at`].
    pub fn key_terms(&self, id: TokId, mut f: impl FnMut(SentenceKey)) {
        let mut found = |term| {
            let bits = [false, true].map(|after| Key { term, after }.bit());
            f(SentenceKey { term, bits })
        };
        let roles = self.token_roles.get(id as usize).copied().unwrap_or(0);
        if roles & TOKEN_KEY_WORD != 0 {
            found(KeyTerm::Word(id));
        }
        if roles & TOKEN_KEY_VERB == 0 {
            return;
        }
        for (lemma, _) in self.verb_forms(id) {
            if self.key_verbs.get(*lemma as usize).copied().unwrap_or(false) {
                found(KeyTerm::Verb(*lemma));
            }
        }
    }

    /// The bits token `id` gives a sentence's [`Signature`] on its side of an
    /// anchor: those of the word, and of each verb it is a form of, that some
    /// pattern needs (0 for most words).
    pub fn signature_bits(&self, id: TokId) -> u64 {
        self.token_signatures.get(id as usize).copied().unwrap_or(0)
    }

    /// Can token `id` anchor any pattern (as a word, or a form of a verb)?
    pub fn may_anchor(&self, id: TokId) -> bool {
        self.token_roles.get(id as usize).is_some_and(|r| r & TOKEN_ANCHOR != 0)
    }

    /// The patterns that may match anchored on token `id`, given the key terms of
    /// the sentence before it and after it and the [`Signature`] of the terms
    /// `around` it (see `Listed::may_match`), into `out` (cleared first), in
    /// index order and each once.
    pub fn patterns_at(&self, id: TokId, before: &[SentenceKey], after: &[SentenceKey], around: Signature, out: &mut Vec<u32>) {
        out.clear();
        if !self.may_anchor(id) {
            return;
        }
        let mut keyed = false;
        let mut visit = |a: &Anchored| {
            let mut take = |list: &[Listed]| out.extend(list.iter().filter(|l| l.may_match(around)).map(|l| l.p));
            take(&a.open);
            if a.keyed.is_empty() {
                return;
            }
            for (terms, side) in [(before, false), (after, true)] {
                for k in terms {
                    if !a.may_have(k.bits[side as usize]) {
                        continue;
                    }
                    if let Some(list) = a.keyed.get(&Key { term: k.term, after: side }) {
                        take(list);
                        keyed = true;
                    }
                }
            }
        };
        let mut anchors = 0;
        if let Some(a) = self.anchored_at(&self.word_anchors, id) {
            visit(a);
            anchors += 1;
        }
        for (lemma, _) in self.verb_forms(id) {
            if let Some(a) = self.anchored_at(&self.verb_anchors, *lemma) {
                visit(a);
                anchors += 1;
            }
        }
        // One open list is already in order; anything more is merged.
        if keyed || anchors > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// The patterns of the anchor that `index[id]` names, if any.
    fn anchored_at(&self, index: &[u32], id: u32) -> Option<&Anchored> {
        index.get(id as usize).and_then(|&a| self.anchored.get(a as usize))
    }

    /// File every pattern under its anchor and key (see [`Anchored`]), and mark
    /// the vocabulary's verb forms. Called once the patterns and verbs are
    /// loaded, since a key is chosen among all of an anchor's patterns.
    pub(crate) fn index_patterns(&mut self) {
        self.mark_verb_forms();
        self.shapes = self
            .patterns
            .iter()
            .map(|p| {
                let mut items = [Item::Any; SHAPE_ITEMS];
                let len = if p.items.len() <= SHAPE_ITEMS && p.anchor < SHAPE_ITEMS {
                    items[..p.items.len()].copy_from_slice(&p.items);
                    p.items.len() as u8
                } else {
                    u8::MAX
                };
                let anchor = if len == u8::MAX { 0 } else { p.anchor as u8 };
                Shape { items, len, anchor, verbal: p.verbal, target_anywhere: p.target_anywhere }
            })
            .collect();
        let mut item_words = vec![false; self.token_ids as usize];
        let mut item_verbs = vec![false; self.lemmas.len()];
        let signatures: Vec<Signature> = self
            .patterns
            .iter()
            .map(|p| {
                let mut sig = [0u64; 3];
                for (k, item) in p.items.iter().enumerate().filter(|&(k, _)| k != p.anchor) {
                    let term = match *item {
                        Item::Word(w) => {
                            item_words[w as usize] = true;
                            KeyTerm::Word(w)
                        }
                        Item::Verb(v) => {
                            item_verbs[v as usize] = true;
                            KeyTerm::Verb(v)
                        }
                        _ => continue,
                    };
                    sig[usize::from(k > p.anchor)] |= term.sig_bit();
                    if k == p.anchor + 1 {
                        sig[2] = term.sig_bit();
                    }
                }
                sig
            })
            .collect();
        let listed = |p: u32| Listed { sig: signatures[p as usize], p };
        let mut by_anchor: HashMap<Anchor, Vec<u32>> = HashMap::default();
        for (i, p) in self.patterns.iter().enumerate() {
            let anchor = match p.items[p.anchor] {
                Item::Word(w) => Anchor::Word(w),
                Item::Verb(v) => Anchor::Verb(v),
                _ => continue,
            };
            by_anchor.entry(anchor).or_default().push(i as u32);
        }
        // How many of an anchor's patterns share each key: counted in an array
        // indexed by token id (then by lemma after the last token) and side, rather
        // than in a map, and set back to zero after each anchor.
        let words = self.token_ids as usize;
        let slot = |k: &Key| {
            let base = match k.term {
                KeyTerm::Word(w) => w as usize,
                KeyTerm::Verb(v) => words + v as usize,
            };
            base * 2 + k.after as usize
        };
        let mut shared = vec![0u32; (words + self.lemmas.len()) * 2];
        // The words and verbs each of the anchor's patterns needs besides the
        // anchor, each once, computed once into one array (the k-th pattern's are
        // keys[ends[k - 1]..ends[k]]) rather than collected into a vector twice per
        // pattern; one anchor's at a time, so that the array stays small (all
        // patterns' at once raised the built-in load's peak memory).
        let (mut keys, mut ends): (Vec<Key>, Vec<u32>) = (Vec::new(), Vec::new());
        self.anchored.clear();
        self.word_anchors = vec![NO_ANCHOR; self.token_ids as usize];
        self.verb_anchors = vec![NO_ANCHOR; self.lemmas.len()];
        for (anchor, ids) in by_anchor {
            keys.clear();
            ends.clear();
            for &i in &ids {
                let (p, start) = (&self.patterns[i as usize], keys.len());
                for (k, item) in p.items.iter().enumerate() {
                    let term = match *item {
                        Item::Word(w) => KeyTerm::Word(w),
                        Item::Verb(v) => KeyTerm::Verb(v),
                        _ => continue,
                    };
                    let key = Key { term, after: k > p.anchor };
                    if k != p.anchor && !keys[start..].contains(&key) {
                        keys.push(key);
                        shared[slot(&key)] += 1;
                    }
                }
                ends.push(keys.len() as u32);
            }
            let mut entry = Anchored::default();
            for (k, &i) in ids.iter().enumerate() {
                let p = &self.patterns[i as usize];
                let start = if k == 0 { 0 } else { ends[k - 1] as usize };
                if let Some(key) = keys[start..ends[k] as usize].iter().min_by_key(|key| shared[slot(key)]) {
                    entry.keyed.entry(*key).or_default().push(listed(i));
                } else if let Some(Item::Set(set)) = p.items[p.anchor + 1..].iter().find(|i| matches!(i, Item::Set(_))) {
                    // A phrase set: under the first word of each of its phrases.
                    for &w in self.sets[*set as usize].by_first.keys() {
                        entry.keyed.entry(Key { term: KeyTerm::Word(w), after: true }).or_default().push(listed(i));
                    }
                } else {
                    entry.open.push(listed(i));
                }
            }
            for k in &keys {
                shared[slot(k)] = 0;
            }
            for k in entry.keyed.keys() {
                let bit = k.bit();
                entry.mask[(bit >> 6) as usize] |= 1 << (bit & 63);
            }
            let at = self.anchored.len() as u32;
            match anchor {
                Anchor::Word(w) => self.word_anchors[w as usize] = at,
                Anchor::Verb(v) => self.verb_anchors[v as usize] = at,
            }
            self.anchored.push(entry);
        }
        let mut roles = vec![0u8; self.token_ids as usize];
        let mut signatures = vec![0u64; self.token_ids as usize];
        let mut key_verbs = vec![false; self.lemmas.len()];
        for (w, &a) in self.word_anchors.iter().enumerate() {
            if a != NO_ANCHOR {
                roles[w] |= TOKEN_ANCHOR;
            }
            if item_words[w] {
                signatures[w] |= KeyTerm::Word(w as TokId).sig_bit();
            }
        }
        for entry in &self.anchored {
            for key in entry.keyed.keys() {
                match key.term {
                    KeyTerm::Word(w) => roles[w as usize] |= TOKEN_KEY_WORD,
                    KeyTerm::Verb(v) => key_verbs[v as usize] = true,
                }
            }
        }
        for (tok, forms) in self.verb_forms.iter().enumerate() {
            for (lemma, _) in forms {
                if self.verb_anchors[*lemma as usize] != NO_ANCHOR {
                    roles[tok] |= TOKEN_ANCHOR;
                }
                if key_verbs[*lemma as usize] {
                    roles[tok] |= TOKEN_KEY_VERB;
                }
                if item_verbs[*lemma as usize] {
                    signatures[tok] |= KeyTerm::Verb(*lemma).sig_bit();
                }
            }
        }
        self.token_roles = roles;
        self.token_signatures = signatures;
        self.key_verbs = key_verbs;
    }

    /// Pattern `p` (an index into [`Lexicon::patterns`]) as the matcher reads it,
    /// from its `Shape` where it fits there.
    pub fn shape(&self, p: u32) -> PatternShape<'_> {
        match self.shapes.get(p as usize) {
            Some(s) if s.len != u8::MAX => PatternShape {
                items: &s.items[..s.len as usize],
                anchor: s.anchor as usize,
                verbal: s.verbal,
                target_anywhere: s.target_anywhere,
            },
            _ => {
                let p = &self.patterns[p as usize];
                PatternShape { items: &p.items, anchor: p.anchor, verbal: p.verbal, target_anywhere: p.target_anywhere }
            }
        }
    }

    /// Give every word of the vocabulary that is itself a verb form the class
    /// [`words::VERB_FORM`], so that the stages that ask read a bit rather than
    /// look its norm up again ([`Lexicon::norm_is_verb`]).
    fn mark_verb_forms(&mut self) {
        let verb_forms = &self.verb_forms;
        for w in self.vocab.values_mut() {
            if w.id().and_then(|id| verb_forms.get(id as usize)).is_some_and(|f| !f.is_empty()) {
                w.classes |= words::VERB_FORM;
            }
        }
    }

    /// Is the text token's norm itself a form of some verb the lexicon knows
    /// (`token_id(norm)` and [`Lexicon::is_verb`], from the token's classes when
    /// they are filled)?
    pub fn norm_is_verb(&self, t: &text::Token) -> bool {
        if t.classes & words::FILLED != 0 {
            t.classes & words::VERB_FORM != 0
        } else {
            self.token_id(&t.norm).is_some_and(|id| self.is_verb(id))
        }
    }

    /// Is the token a form of some verb the lexicon knows?
    pub fn is_verb(&self, id: TokId) -> bool {
        !self.verb_forms(id).is_empty()
    }

    /// Is the token any verb form with these inflection flags?
    pub fn has_form(&self, id: TokId, flags: u8) -> bool {
        self.verb_forms(id).iter().any(|(_, f)| f & flags != 0)
    }

    /// A verb lemma for dictionary verbs, created without forms (they are added
    /// with [`Lexicon::add_verb_form`]); `name` keys it (a block of synonymous
    /// verbs is one lemma whose forms are all of theirs).
    pub(crate) fn dict_lemma(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.lemma_ids.get(name) {
            return i;
        }
        let i = self.lemmas.len() as u32;
        self.lemmas.push(name.to_string());
        self.lemma_ids.insert(name.to_string(), i);
        i
    }

    /// Add a normalised word as a form of a lemma, with inflection flags.
    pub(crate) fn add_verb_form(&mut self, lemma: u32, word: &str, flags: u8) {
        let id = self.intern(word);
        self.add_reading(id, lemma, flags);
    }

    /// The inflections dyad knows for a verb: from `data/verbs/irregular.txt` when
    /// listed there, else by the regular rules. [third person, past, participle, -ing].
    pub(crate) fn inflections(&self, lemma: &str) -> [Vec<String>; 4] {
        match self.irregular.get(lemma) {
            Some(f) => f.clone(),
            None => regular_forms(lemma).map(|f| vec![f]),
        }
    }

    /// Add a pattern built by a dictionary reader ([`crate::dict`]): anchored on its
    /// first verb item (else its first word), with the open target allowed anywhere
    /// after the verb, and `reverse` the code of the paired event from the target
    /// to the source. `items` must hold a word or verb.
    pub(crate) fn add_dict_pattern(&mut self, code: &str, reverse: Option<&str>, items: Vec<Item>, rule: Rule) -> Result<(), String> {
        let anchor = items
            .iter()
            .position(|i| matches!(i, Item::Verb(_)))
            .or_else(|| items.iter().position(|i| matches!(i, Item::Word(_))))
            .ok_or("needs at least one word or verb")?;
        let count = |want: Item| items.iter().filter(|&&i| i == want).count();
        if count(Item::Target) > 1 || count(Item::Source) + count(Item::Compound) > 1 {
            return Err("more than one source or target slot".to_string());
        }
        if !matches!(items[anchor], Item::Word(_) | Item::Verb(_)) {
            return Err("the anchor must be a word or a verb".to_string());
        }
        let verbal = items.iter().any(|i| matches!(i, Item::Verb(_)));
        // A compound slot is a condition too: "% *" is longer than "*".
        let weight = items.iter().filter(|i| matches!(i, Item::Word(_) | Item::Verb(_) | Item::Set(_) | Item::Compound)).count();
        let reverse = reverse.map(str::to_string);
        self.patterns.push(Pattern { code: code.to_string(), items, anchor, verbal, rule, weight, target_anywhere: true, reverse });
        Ok(())
    }

    /// Add a phrase set for [`Item::Set`]; returns its index.
    pub(crate) fn add_set(&mut self, set: PhraseSet) -> u32 {
        self.sets.push(set);
        (self.sets.len() - 1) as u32
    }

    /// Add a discard phrase (already normalised: tokens joined by single spaces).
    /// Call [`Lexicon::build_discards`] once all are added.
    pub(crate) fn add_discard(&mut self, discard: Discard) {
        self.discards.push(discard);
    }

    /// (Re)build the automaton that finds discard phrases.
    pub(crate) fn build_discards(&mut self) -> Result<(), String> {
        if self.discards.is_empty() {
            self.discard_matcher = None;
            return Ok(());
        }
        let needles: Vec<String> = self.discards.iter().map(|d| format!(" {}", d.phrase)).collect();
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            // Searched once per sentence: a DFA is the fastest to search, and a
            // few hundred phrases keep it small.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&needles)
            .map_err(|e| format!("cannot build the discard matcher: {e}"))?;
        self.discard_matcher = Some(ac);
        Ok(())
    }

    /// The discard phrase in tokens `range` of an analysed text, if any: a
    /// story-level one first.
    pub fn discard_in(&self, text: &text::Text, range: std::ops::Range<usize>) -> Option<&Discard> {
        let ac = self.discard_matcher.as_ref()?;
        let mut hay = String::with_capacity((range.end - range.start) * 8 + 2);
        for t in &text.tokens[range] {
            hay.push(' ');
            hay.push_str(&t.norm);
        }
        hay.push(' ');
        let mut found: Option<&Discard> = None;
        for m in ac.find_overlapping_iter(hay.as_str()) {
            let d = &self.discards[m.pattern().as_usize()];
            if d.exact && hay.as_bytes().get(m.end()) != Some(&b' ') {
                continue;
            }
            if d.story {
                return Some(d);
            }
            found = found.or(Some(d));
        }
        found
    }

    /// The index in [`Lexicon::countries`] of the country with this ISO code.
    pub fn country_by_iso(&self, iso: &str) -> Option<u32> {
        self.country_index.get(iso).copied()
    }

    /// Add a country; returns its index. The first country of an ISO code is the
    /// one [`Lexicon::country_by_iso`] finds.
    pub(crate) fn add_country(&mut self, iso: &str, name: String) -> u32 {
        let i = self.countries.len() as u32;
        self.countries.push(Country { iso: iso.to_string(), name });
        self.country_index.entry(iso.to_string()).or_insert(i);
        i
    }

    pub fn role(&self, id: RoleId) -> &str {
        &self.roles[id as usize]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn regular_inflections() {
        assert_eq!(regular_forms("arrest"), ["arrests", "arrested", "arrested", "arresting"].map(String::from));
        assert_eq!(regular_forms("accuse"), ["accuses", "accused", "accused", "accusing"].map(String::from));
        assert_eq!(regular_forms("deny"), ["denies", "denied", "denied", "denying"].map(String::from));
        assert_eq!(regular_forms("watch")[0], "watches");
        assert_eq!(regular_forms("tie")[3], "tying");
        assert_eq!(regular_forms("agree")[3], "agreeing");
    }

    #[test]
    fn shorthand_expands_to_plain_patterns() {
        let mut got = expand("{speak} (with|to) $ [by phone]").expect("expands");
        got.sort();
        assert_eq!(got, ["{speak} to $", "{speak} to $ by phone", "{speak} with $", "{speak} with $ by phone"]);
        assert_eq!(expand("{hold} ~0-2 talks (with $|)").expect("expands").len(), 6);
        assert!(expand("{hold} (talks").is_err());
        assert!(expand("a ~9 b").is_err());
    }

    /// The expansions [`Shorthand`] makes, as `expand` writes them; `None` when it
    /// leaves the pattern to `expand`.
    fn shorthand(p: &str) -> Option<Result<Vec<String>, String>> {
        let sh = Shorthand::parse(p)?;
        let mut x = Expansions::default();
        let words = |x: &Expansions, i: usize| x.leaf(i).iter().map(|&w| sh.words[w as usize]).collect::<Vec<_>>().join(" ");
        Some(sh.expand_into(&mut x).map(|()| (0..x.ends.len()).map(|i| words(&x, i)).collect()))
    }

    #[test]
    fn shorthand_expands_like_expand() {
        let cases = [
            "{speak} (with|to) $ [by phone]",
            "{hold} ~0-2 talks (with $|)",
            "((a|b)|c) d",
            "((a|b)|a) (b|)",
            "(a|a|b)",
            "x(a|b)y [c]z",
            "[a (b|c) [d]] e",
            "(~0-1 a|b ~2) c ~1-2 d",
            "a ~0 b",
            "(|) a",
            "( | )",
            "{agree} to {hold} ~0-2 (talks|meeting|summit|negotiations|consultations)",
            "al-Qaida [’s] (U.S.|G-20) _ $",
        ];
        for p in cases {
            assert_eq!(shorthand(p), Some(expand(p)), "{p}");
        }
        // `expand` checks its limit before each expansion: 513 distinct ones are
        // fine when the 513th is the last, an error when another follows.
        let alts = |n: usize, w: &str| format!("({})", (0..n).map(|i| format!("{w}{i}")).collect::<Vec<_>>().join("|"));
        let at_limit = format!("{} {} {} {}", alts(3, "a"), alts(3, "b"), alts(3, "c"), alts(19, "d"));
        assert_eq!(expand(&at_limit).map(|e| e.len()), Ok(513));
        assert_eq!(shorthand(&at_limit), Some(expand(&at_limit)));
        let over = format!("{at_limit} [e]");
        assert!(expand(&over).is_err());
        assert_eq!(shorthand(&over), Some(expand(&over)));
        // Malformed or unusual shorthand is left to `expand`.
        for p in ["{hold} (talks", "a ~9 b", "a) b", "(a [b) c]", "a | b", "[a|b]", "a~1 b", "~1x", "~", "~2-1", "~1-2-3"] {
            assert_eq!(shorthand(p), None, "{p}");
        }
    }

    /// A small deterministic random number generator for the tests (an LCG).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// A random well-formed written pattern: words, gaps, alternatives (some
    /// empty, some repeated) and optional words, nested, with or without spaces
    /// around the brackets. At most `budget` groups and gaps, since both
    /// expansions go through every combination of choices.
    fn random_pattern(r: &mut Lcg, depth: usize, budget: &mut usize, out: &mut String) {
        for _ in 0..1 + r.below(4) {
            let sp = if r.below(3) == 0 { "" } else { " " };
            let kind = r.below(if depth < 3 { 7 } else { 4 });
            if kind >= 3 {
                if *budget == 0 {
                    continue;
                }
                *budget -= 1;
            }
            match kind {
                0..=2 => out.push_str(["a", "b", "_", "$", "{x}"][r.below(5)]),
                3 => out.push_str(["~0-1", "~2", "~1-3", "~0"][r.below(4)]),
                4 | 5 => {
                    out.push_str(sp);
                    out.push('(');
                    for k in 0..1 + r.below(3) {
                        if k > 0 {
                            out.push('|');
                        }
                        if r.below(4) > 0 {
                            random_pattern(r, depth + 1, budget, out);
                        }
                    }
                    out.push(')');
                }
                _ => {
                    out.push_str(sp);
                    out.push('[');
                    random_pattern(r, depth + 1, budget, out);
                    out.push(']');
                }
            }
            out.push(' ');
        }
    }

    #[test]
    fn shorthand_matches_expand_on_random_patterns() {
        let mut r = Lcg(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let mut p = String::new();
            random_pattern(&mut r, 0, &mut 7, &mut p);
            assert_eq!(shorthand(&p), Some(expand(&p)), "{p:?}");
        }
        // Random strings of the shorthand's pieces, mostly malformed: whatever
        // `Shorthand` takes it must expand exactly as `expand` does.
        const PIECES: &[&str] = &["a", "b", "_", "(", ")", "[", "]", "|", " ", "~0-1", "~2", "~", "x(", ")y"];
        for _ in 0..20_000 {
            let len = 1 + r.below(12);
            let p: String = (0..len).map(|_| PIECES[r.below(PIECES.len())]).collect();
            if let Some(got) = shorthand(&p) {
                assert_eq!(got, expand(&p), "{p:?}");
            }
        }
    }

    #[test]
    fn builtin_patterns_all_take_the_fast_expansion() {
        for (path, text) in crate::embedded::FILES
            .iter()
            .filter(|(p, _)| p.contains("/verbs/") && p.rsplit('/').next().is_some_and(|n| n.as_bytes()[0].is_ascii_digit()))
        {
            for line in text.lines() {
                let Some((_, patterns)) = strip_comment(line).split_once('|') else { continue };
                for p in phrases(patterns) {
                    assert_eq!(shorthand(p), Some(expand(p)), "{path}: {p}");
                }
            }
        }
    }

    #[test]
    fn plain_phrases_are_tokenised_like_text() {
        let phrases = [
            "Shigeru Ishiba",
            "US",
            "U S",
            "WHO",
            "IT",
            "G20",
            "G-20 summit",
            "F-16",
            "Kim Jong-un",
            "Port-au-Prince",
            "ASEAN-led",
            "Co-operative Republic of Guyana",
            "2016 election",
            "1990s",
            "1st",
            "3rd Army",
            "No 10",
            "5G",
            "iPhone",
            "x1Y2",
            "  two  spaces ",
            "AB-CD",
            "A",
            "10-16",
            "3D-printed",
            "x-",
            "-x",
            "a--b",
            "a - b",
            "U.S.",
            "Abe 's",
            "Bogotá",
        ];
        let mut plain = 0;
        for p in phrases {
            if is_plain_phrase(p) {
                plain += 1;
                let mut buf = [0u8; PLAIN_MAX];
                let keys: Vec<String> = p.split(' ').filter(|w| !w.is_empty()).map(|w| plain_key(w, &mut buf).to_string()).collect();
                assert_eq!(keys, Lexicon::phrase_tokens(p), "{p}");
            }
        }
        assert_eq!(plain, 23);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("minister").as_deref(), Some("ministers"));
        assert_eq!(plural("policeman").as_deref(), Some("policemen"));
        assert_eq!(plural("party").as_deref(), Some("parties"));
        assert_eq!(plural("Japanese"), None);
        assert_eq!(plural("British").as_deref(), None);
    }

    #[test]
    fn fields_strip_comments_but_not_hashes_inside_words() {
        assert_eq!(fields::<2>("  # a comment"), None);
        assert_eq!(fields::<2>(""), None);
        assert_eq!(fields::<2>("041 | {speak} with $  # phone"), Some((["041", "{speak} with $"], 2)));
        assert_eq!(fields::<2>("C# | x"), Some((["C#", "x"], 2)));
        assert_eq!(fields::<2>("a | b | c"), Some((["a", "b"], 3)));
        assert_eq!(fields::<2>("a"), Some((["a", ""], 1)));
    }

    fn tiny() -> Lexicon {
        let files = vec![
            ("data/verbs/irregular.txt".to_string(), "speak | | spoke | spoken |\nplan | | planned | planned | planning\n".to_string()),
            ("data/verbs/04-consult.txt".to_string(), "# consult\n041 | {speak} with $\n044 | {meet} $; talks with $\n".to_string()),
            ("data/actors/roles.txt".to_string(), "GOV | prime minister\n".to_string()),
        ];
        Lexicon::from_texts(files.into_iter()).expect("tiny lexicon loads")
    }

    /// The words of `doc` whose classes say they are verb forms, once every
    /// token's class has been checked against the lookup it stands for.
    pub(crate) fn verb_forms_by_class(lex: &Lexicon, doc: &str) -> Vec<String> {
        let mut text = text::analyse(doc);
        lex.token_ids(&mut text, doc);
        for t in &text.tokens {
            assert_eq!(lex.norm_is_verb(t), lex.token_id(&t.norm).is_some_and(|id| lex.is_verb(id)), "{:?}", t.norm);
        }
        text.tokens.iter().filter(|t| lex.norm_is_verb(t)).map(|t| t.norm.to_string()).collect()
    }

    #[test]
    fn a_tokens_classes_say_whether_its_norm_is_a_verb_form() {
        let lex = Lexicon::builtin().expect("builtin lexicon loads");
        let doc = "The minister met reporters and said the talks were planned by officials.";
        let verbs = verb_forms_by_class(&lex, doc);
        let verbs: Vec<&str> = verbs.iter().map(String::as_str).collect();
        assert!(verbs.contains(&"met") && verbs.contains(&"said") && verbs.contains(&"planned"), "{verbs:?}");
        assert!(!verbs.contains(&"reporters") && !verbs.contains(&"the"), "{verbs:?}");
    }

    #[test]
    fn verb_forms_come_from_irregular_file_and_rules() {
        let lex = tiny();
        let spoke = lex.token_id("spoke").expect("spoke interned");
        assert!(lex.has_form(spoke, form::PAST));
        let meets = lex.token_id("meets").expect("meets interned");
        assert!(lex.has_form(meets, form::THIRD));
        assert!(lex.token_id("speaked").is_none());
    }

    #[test]
    fn patterns_keep_their_line() {
        let lex = tiny();
        let p = lex.patterns.iter().find(|p| p.code == "041").expect("041 loaded");
        assert_eq!(lex.rule_text(p.rule), "data/verbs/04-consult.txt:2");
        assert!(p.verbal);
        let talks = lex.patterns.iter().find(|p| p.code == "044" && !p.verbal).expect("nominal 044");
        assert_eq!(talks.weight, 2);
    }

    #[test]
    fn role_plurals_are_derived() {
        let lex = tiny();
        let ids: Vec<Option<TokId>> = ["prime", "ministers"].iter().map(|t| lex.token_id(t)).collect();
        let (len, hits) = lex.longest_phrase(&ids).expect("plural phrase found");
        assert_eq!(len, 2);
        assert!(matches!(hits[0].entry, Entry::Role(_)));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let bad = vec![("data/verbs/01-statement.txt".to_string(), "# ok\n\n01x | {say}\n".to_string())];
        let err = Lexicon::from_texts(bad.into_iter()).expect_err("bad code rejected");
        assert!(err.to_string().starts_with("data/verbs/01-statement.txt:3:"), "{err}");
        let bad = vec![("data/actors/people/x.txt".to_string(), "A B | | USAGOV | 2020-01-01 | 2019-01-01\n".to_string())];
        let err = Lexicon::from_texts(bad.into_iter()).expect_err("reversed term rejected");
        assert!(err.to_string().contains("x.txt:1"), "{err}");
        let bad = vec![("data/actors/countries.txt".to_string(), "JPN | Japan | Nippon\n".to_string())];
        assert!(Lexicon::from_texts(bad.into_iter()).is_err());
    }

    #[test]
    fn person_terms_are_chosen_by_date() {
        let files = vec![(
            "data/actors/people/p.txt".to_string(),
            "Donald Trump | Trump | USAGOV | 2017-01-20 | 2021-01-20\nDonald Trump | | USAGOV | 2025-01-20 |\nDonald Trump | | USAELI | |\n".to_string(),
        )];
        let lex = Lexicon::from_texts(files.into_iter()).expect("loads");
        let p = &lex.people[0];
        let d = |s: &str| s.parse::<Date>().expect("date");
        assert_eq!(p.term_on(d("2019-05-24")).code, "USAGOV");
        assert_eq!(p.term_on(d("2024-11-07")).code, "USAELI");
        assert_eq!(p.term_on(d("2021-01-20")).code, "USAELI");
        assert_eq!(p.term_on(d("2025-06-01")).code, "USAGOV");
    }
}
