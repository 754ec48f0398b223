//! TABARI and PETRARCH dictionaries: reading them and adding them to a [`Lexicon`].
//!
//! Twenty years of event-data work live in these files: the CAMEO verb
//! dictionaries (`CAMEO.2.0.txt`, `CAMEO.091003.master.verbs`), the Phoenix actor
//! dictionaries (`Phoenix.Countries.actors.txt`, ...), agents and discard lists.
//! This module owns reading them, reporting every malformed line with its file and
//! line, and translating what they say into dyad's own lexicon entries, so that the
//! coder uses them exactly like `data/`. What a file holds is told by its name
//! ([`kind_of`]); its dialect by its extension: `.txt` files are PETRARCH's (full
//! words), others (`.verbs`, `.actors`, `.agents`) TABARI's (stems, below).
//!
//! # How the formats map onto dyad's
//!
//! **Common.** `#` and `;` start a comment (outside `[...]`, so `[###]` is a code),
//! as do `<!-- ... -->` (also across lines). Tag lines (`<SYNSETS>`) are skipped;
//! TABARI's `<TIME>`, `<NOUN>` and `<ADJECTIVE>` sections are skipped whole (with a
//! warning). `---STOP---` and `~~FINISH` end a file. Words are matched
//! case-insensitively, after the text's own normalisation; a single-word actor
//! that is an English function word ("US", "IT", "WHO") must be in capitals.
//! *Connectors*: `_` joins words that must be adjacent; in a pattern, a space lets
//! up to [`LOOSE_GAP`] other tokens come between them (an [`Item::Gap`]); in actor
//! and agent phrases, which dyad matches as token sequences, a space is read as
//! adjacency too. *Stems*: in TABARI files a word without a trailing `_` is a stem
//! ("ARGENTIN" matches "Argentina"): a text token the vocabulary does not know takes
//! the id of its longest stem (three letters or more). PETRARCH reads whole words,
//! and so does dyad for `.txt` files.
//!
//! **Verbs.** Synsets (`&NAME` then `+phrase` lines; members may name other
//! synsets) become phrase sets ([`Item::Set`], [`crate::lexicon::PhraseSet`]):
//! every member, with the regular plural of its last word unless the label or the
//! member ends in `_`. A block (`--- NAME [code] ---`, PETRARCH; in TABARI each
//! verb line is its own block) lists verbs: a primary form, optionally its forms
//! in `{...}` (then only those, classed as -ing, third person or past by their
//! endings; without braces dyad's own inflections, with `data/verbs/irregular.txt`
//! when loaded) and its own `[code]`; a `+` marks the verb of a multi-word verb
//! (`+CORDON_OFF`, `WIRE_+TAP`; otherwise the first word is the verb). The plain
//! verbs of a block form one lemma, so each pattern is one dyad
//! [`Pattern`](crate::lexicon::Pattern) anchored on it; a multi-word verb gets
//! copies of the block's patterns with its other words around the verb. Each verb alone
//! is a pattern too (its own code, else the block's; its rule is its own line),
//! with an open target; a verb whose code is `[---]` codes nothing alone.
//! Patterns (`- ... [code]`): `*` is the verb, `$` the **source**, `+` the
//! **target** (the reverse of dyad's own files), `%` a compound actor whose members
//! act on each other ([`Item::Compound`]; with a `$` it is the target side, with a
//! `+` the source side), `^` a skipped noun phrase (a gap of [`SKIP_GAP`]),
//! `&SYNSET` any phrase of the set; PETRARCH-2's `(PREP NOUN)` and `{MODIFIER
//! HEAD}` groupings are read as their words in order, TABARI's `{ A | B }` as a set
//! of alternatives. Without a `+` or `%` a pattern gets an open target: the first
//! actor after the verb, whatever the preposition, that is not part of the
//! pattern's words, as in PETRARCH. Codes are kept as written: `[---]` is dyad's
//! blocking code, and TABARI's `[###]` (discard) blocks too; `[A:B]` is a paired
//! code, A from the source to the target and B the other way round (`[MEET
//! 031:031]`, `[042:043]` visit/host; PETRARCH-2's `[:173]` codes only the reverse
//! event); a code the codebook does not know (`[903]`, `[174K]`) is kept with a
//! warning and its events have no label (`174K` is labelled as 174); `[+++]`
//! (TABARI's complex event) skips the pattern with a warning. PETRARCH-2's verb
//! transformations (`~ a (a b Q) SAY = ...`) are skipped with a warning.
//!
//! **Actors.** A record is a phrase line, `+synonym` lines and codes: `[CODE]` on
//! the phrase line or codes with date restrictions on their own lines (`[CODE
//! <date]`, `[CODE >date]`, `[CODE date-date]`, dates `YYMMDD` (00-30 is 20xx) or
//! `YYYYMMDD`, inclusive). Phrase lines without a code join the next record that
//! has one, as in PETRARCH. Codes are kept as written (uppercased): the actor's
//! `code` is the dictionary's ("PSEREBHMS"); its `country` and `role` fields are
//! read from it. An undated three-letter code that is not a CAMEO role or
//! transnational code is a country ([`Entry::Country`], merged with the lexicon's
//! own when it has one), so agents compose with it ("Arnor's foreign minister" is
//! ARN + GOVFRM); a record with date restrictions is a dated actor
//! ([`Entry::Person`] with one [`Term`] per code: the one covering the event's date
//! decides), a person (resolved by "he"/"she") when one of its codes is longer
//! than three letters; other undated records are organisations. `[---]` is no
//! actor (the phrase still claims its words, like a region); TABARI's `[###]` on
//! an actor makes its phrases sentence discards.
//!
//! **Agents.** `PHRASE {PLURAL} [~CODE]`: a role noun ([`Entry::Role`]) whose role
//! is the whole code ("~GOVFRM" is role GOVFRM, so the actor's code is its
//! country's plus GOVFRM); `{}` means no plural, none a regular plural (+s, y ->
//! ies, +es after s, x, z, ch, sh); `!NAME! = A, B` defines substitutions used as
//! `CONGRESS!PERSON!`. A prefix agent (`[NGO~]`) puts its code before the
//! actor's ("NGOARN"); its role is NGO.
//!
//! **Discards.** A line is a phrase whose sentence is not coded; with a leading `+`
//! its whole story is not; a trailing `_` makes the last word exact (otherwise it
//! is a stem, as in PETRARCH). See [`Lexicon::discard_in`].
//!
//! **Errors and warnings.** A line dyad cannot read (a pattern without a code or
//! without `*`, an unclosed bracket, a code line before any actor, an agent code
//! that is not one) is a [`LexiconError::Syntax`] with its file and line; reading
//! goes on, and everything else is added. What the original programs accepted and
//! dyad reads differently (an invalid or reversed date range, skipped as PETRARCH
//! does; text after the codes; an undefined synset; an unknown event code) is a
//! [`DictWarning`] in [`DictStats::warnings`]. The Phoenix dictionaries and
//! `CAMEO.2.0.txt` load without errors.
//!
//! **Reading fast.** The Phoenix set is 77,000 lines and 27,000 actor records, read
//! on every run that uses it, so the reader keeps allocations per line and per
//! record out of the common case: lines and phrases are borrowed from the file's
//! text, a file's records share its vectors of phrases and codes, words are split
//! and looked up through reused buffers, and words of plain letters and digits
//! skip the tokeniser (whose tokens they would be anyway).
//!
//! # What it does not do
//! It does not parse sentences: where PETRARCH matches a pattern against a
//! CoreNLP parse (noun-phrase heads, prepositional phrases, verb phrases), dyad
//! matches the pattern's words in order with small gaps, and leaves subject,
//! object, voice and coordination to [`crate::events`]. An agent without an actor
//! takes the document's main country (PETRARCH writes `---GOV`); one actor phrase
//! takes one agent (PETRARCH appends several: "NGOARNGOV"); TABARI's compound
//! actor codes (`[FRO/BIL/SAM]`) keep their first code. TABARI's time shifts,
//! PETRARCH's verb transformations and issue files are not read.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::lexicon::{form, Discard, Entry, Item, Organisation, Person, PhraseSet, Rule, Term, BLOCK};
use crate::{Lexicon, LexiconError};

/// The file names of the full Phoenix dictionary set (verbs, actors, agents,
/// discards), as PETRARCH2 users run it.
pub const PHOENIX: &[&str] = &[
    "CAMEO.2.0.txt",
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
    "Phoenix.agents.txt",
    "Phoenix.discards.txt",
];

/// What a dictionary file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictKind {
    Verbs,
    Actors,
    Agents,
    Discards,
}

/// The kind of a dictionary file, from its name (`*.verbs`, `*verbs*.txt`,
/// `CAMEO*` (the CAMEO verb dictionaries), `*.actors`, `*actors*.txt`,
/// `*agents*`, `*discards*`).
pub fn kind_of(path: &Path) -> Option<DictKind> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.contains("verb") || name.starts_with("cameo") {
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

/// Something a dictionary says that dyad reads differently or not at all (an
/// unresolvable event code, an invalid date restriction): the entry is skipped or
/// adapted, loading goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictWarning {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DictWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: warning: {}", self.file, self.line, self.message)
    }
}

/// What a load added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DictStats {
    /// Actor phrases (primary and synonyms).
    pub actors: usize,
    /// Agent phrases, plurals and substitutions included.
    pub agents: usize,
    /// dyad patterns made from verb blocks and patterns (synsets expanded).
    pub verb_patterns: usize,
    pub discards: usize,
    /// Entries read differently or skipped; see [`DictWarning`].
    pub warnings: Vec<DictWarning>,
}

/// Every syntax error in the files, each with file:line; reading goes on after one.
pub fn check(paths: &[PathBuf]) -> Vec<LexiconError> {
    let mut errors = Vec::new();
    for path in paths {
        match read(path) {
            Ok((name, text)) => errors.extend(parse(&name, &text).errors),
            Err(e) => errors.push(e),
        }
    }
    errors
}

impl Lexicon {
    /// Add dictionaries to this lexicon: the built-in entries stay (merged).
    /// Everything that parsed is added; if any line was malformed (or a file could
    /// not be read), all the errors are returned.
    pub fn add_dictionaries(&mut self, paths: &[PathBuf]) -> Result<DictStats, Vec<LexiconError>> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for path in paths {
            match read(path) {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e),
            }
        }
        match self.add_dictionary_texts(files) {
            Ok(stats) if errors.is_empty() => Ok(stats),
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        }
    }

    /// Add dictionaries given as (file name, text): the name decides the kind and
    /// dialect as for files on disk. See [`Lexicon::add_dictionaries`].
    pub fn add_dictionary_texts(&mut self, files: impl IntoIterator<Item = (String, String)>) -> Result<DictStats, Vec<LexiconError>> {
        let files: Vec<(String, String)> = files.into_iter().collect();
        let mut parsed = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in &files {
            let mut p = parse(name, text);
            errors.append(&mut p.errors);
            parsed.push(p);
        }
        let stats = Loader::new(self).load(parsed);
        if errors.is_empty() {
            Ok(stats)
        } else {
            Err(errors)
        }
    }

    /// A lexicon of the dictionaries alone (with the built-in codebook and the
    /// built-in irregular verb forms, which are morphology, not vocabulary).
    pub fn from_dictionaries(paths: &[PathBuf]) -> Result<Lexicon, Vec<LexiconError>> {
        let mut lex = Lexicon::from_texts(morphology()).map_err(|e| vec![e])?;
        lex.add_dictionaries(paths)?;
        Ok(lex)
    }

    /// [`Lexicon::from_dictionaries`] from (file name, text) pairs.
    pub fn from_dictionary_texts(files: impl IntoIterator<Item = (String, String)>) -> Result<Lexicon, Vec<LexiconError>> {
        let mut lex = Lexicon::from_texts(morphology()).map_err(|e| vec![e])?;
        lex.add_dictionary_texts(files)?;
        Ok(lex)
    }
}

/// The built-in files a dictionary-only lexicon still uses: irregular verbs.
fn morphology() -> impl Iterator<Item = (String, String)> {
    crate::embedded::FILES.iter().filter(|(p, _)| p.ends_with("verbs/irregular.txt")).map(|(p, t)| (p.to_string(), t.to_string()))
}

fn read(path: &Path) -> Result<(String, String), LexiconError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LexiconError::Io { path: name.clone(), source })?;
    // Old dictionaries are often Latin-1: keep going with replacement characters.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok((name, text))
}

// ---------------------------------------------------------------------------
// Constants of the mapping

/// Tokens a space in a TABARI/PETRARCH pattern lets come between two words.
pub const LOOSE_GAP: u8 = 6;
/// Tokens a `^` (a skipped noun phrase) stands for.
pub const SKIP_GAP: u8 = 4;
/// The most dyad patterns one dictionary pattern line may expand to (synsets,
/// alternatives); the rest are dropped with a warning.
pub const MAX_EXPANSIONS: usize = 4096;

/// Three-letter codes that are not countries: CAMEO roles, transnational and
/// religious codes.
const NON_COUNTRY: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "IGO", "NGO", "NGM", "IMG", "MNC", "UIS", "MED", "EDU", "BUS", "CRM", "CVL",
    "HLH", "HRI", "LAB", "LEG", "REF", "RAD", "ELI", "INS", "AGR", "ENV", "SET", "UAF", "MOD", "DEV", "MOS", "CHR", "JEW", "BUD", "HIN",
    "BAH", "JAN", "SIK", "TAO", "ZRO", "CTH", "ORT", "PRO", "SHI", "SUN_",
];

/// The length of the longest word of [`CAPS_ONLY`]: longer words need not be
/// looked up there (most actor phrases are).
const CAPS_ONLY_LEN: usize = {
    let (mut max, mut i) = (0, 0);
    while i < CAPS_ONLY.len() {
        if CAPS_ONLY[i].len() > max {
            max = CAPS_ONLY[i].len();
        }
        i += 1;
    }
    max
};

/// Single words that, as an actor phrase, must be written in capitals ("US" the
/// country, not "us").
const CAPS_ONLY: &[&str] = &[
    "us", "it", "who", "a", "an", "am", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "me", "my", "no", "of", "on", "or",
    "so", "to", "up", "we", "and", "are", "can", "may", "new", "now", "one", "our", "the", "was", "will", "man", "men", "all", "any",
    "had", "has", "her", "him", "his", "its", "not", "out", "she", "who", "why", "how", "but", "for", "nor", "yet", "via", "per", "aid",
    "arm", "art", "ban", "car", "far", "gap", "law", "led", "let", "oil", "own", "war", "win", "won",
];

// ---------------------------------------------------------------------------
// Parsed forms (before they touch a lexicon)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    /// Whole words (`.txt`).
    Petrarch,
    /// Words without a trailing `_` are stems.
    Tabari,
}

/// A word of a phrase as written: its text and whether it is exact (not a stem).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Word {
    text: String,
    exact: bool,
}

/// An actor code with its date restriction.
#[derive(Clone, Debug)]
struct CodeSpec {
    /// Where the code is in its file's [`Parsed::code_text`] (one string for all
    /// of a file's codes rather than one each): uppercased; empty for `[---]`;
    /// "###" for TABARI's discard code.
    code: std::ops::Range<usize>,
    from: Option<Date>,
    to: Option<Date>,
    line: usize,
}

impl CodeSpec {
    fn dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// One actor record: its phrases and codes, as ranges of its file's
/// [`Parsed::actor_phrases`] and [`Parsed::actor_codes`] (two vectors for a
/// file rather than two for each of its tens of thousands of records).
#[derive(Clone, Debug)]
struct ActorRecord {
    phrases: std::ops::Range<usize>,
    codes: std::ops::Range<usize>,
}

/// An actor record as the loader reads it: its phrases (as written, with their
/// lines: the primary phrase, then the synonyms) and its codes.
#[derive(Clone, Copy, Debug)]
struct Record<'p, 't> {
    phrases: &'p [(Cow<'t, str>, usize)],
    codes: &'p [CodeSpec],
    code_text: &'p str,
}

impl<'p> Record<'p, '_> {
    /// The text of one of the record's codes.
    fn code(&self, c: &CodeSpec) -> &'p str {
        &self.code_text[c.code.clone()]
    }
}

#[derive(Clone, Debug)]
struct AgentEntry {
    words: Vec<Word>,
    role: String,
    line: usize,
}

#[derive(Clone, Debug)]
struct DiscardEntry {
    words: Vec<Word>,
    story: bool,
    line: usize,
}

/// An element of a pattern as written.
#[derive(Clone, Debug, PartialEq)]
enum El {
    Verb,
    Word(Word),
    Set(String),
    Source,
    Target,
    Compound,
    Skip,
    /// TABARI `{ A | B }`.
    Alt(Vec<Seq>),
}

/// Elements, each with whether it is joined tightly (`_`) to the one before.
type Seq = Vec<(El, bool)>;

/// The words written around the verb of a multi-word verb, each with whether it
/// is joined tightly to the one before.
type Around = Vec<(Word, bool)>;

/// A verb of a block: the words around it and its forms.
#[derive(Clone, Debug)]
struct VerbSpec {
    /// Words before and after the verb word (multi-word verbs), with tightness.
    front: Around,
    verb: Word,
    back: Around,
    /// Forms given in `{...}` (`None`: derive them).
    forms: Option<Vec<String>>,
    /// Extra forms (TABARI's `{...}` line after a verb).
    extra: Vec<String>,
    code: Option<String>,
    line: usize,
}

#[derive(Clone, Debug)]
struct PatSpec {
    seq: Seq,
    code: String,
    line: usize,
}

#[derive(Clone, Debug, Default)]
struct Block {
    name: String,
    code: String,
    line: usize,
    verbs: Vec<VerbSpec>,
    patterns: Vec<PatSpec>,
}

#[derive(Clone, Debug, Default)]
struct Synset {
    no_plural: bool,
    members: Vec<(Seq, bool, usize)>,
}

/// One file, parsed.
struct Parsed<'t> {
    name: String,
    dialect: Dialect,
    actors: Vec<ActorRecord>,
    /// The phrases and codes of all actor records, one after another.
    actor_phrases: Vec<(Cow<'t, str>, usize)>,
    actor_codes: Vec<CodeSpec>,
    /// The text of the actor codes, one after another.
    code_text: String,
    agents: Vec<AgentEntry>,
    discards: Vec<DiscardEntry>,
    blocks: Vec<Block>,
    synsets: HashMap<String, Synset>,
    errors: Vec<LexiconError>,
    warnings: Vec<DictWarning>,
}

impl<'t> Parsed<'t> {
    /// The actor records, in order.
    fn records(&self) -> impl Iterator<Item = Record<'_, 't>> {
        self.actors.iter().map(|a| Record {
            phrases: &self.actor_phrases[a.phrases.clone()],
            codes: &self.actor_codes[a.codes.clone()],
            code_text: &self.code_text,
        })
    }

    fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(LexiconError::Syntax { file: self.name.clone(), line, message: message.into() });
    }
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(DictWarning { file: self.name.clone(), line, message: message.into() });
    }
}

fn parse<'t>(name: &str, text: &'t str) -> Parsed<'t> {
    let path = Path::new(name);
    let dialect = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) { Dialect::Petrarch } else { Dialect::Tabari };
    let mut p = Parsed {
        name: name.to_string(),
        dialect,
        actors: Vec::new(),
        actor_phrases: Vec::new(),
        actor_codes: Vec::new(),
        code_text: String::new(),
        agents: Vec::new(),
        discards: Vec::new(),
        blocks: Vec::new(),
        synsets: HashMap::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let lines = clean_lines(text, &mut p);
    match kind_of(path) {
        Some(DictKind::Actors) => parse_actors(&lines, &mut p),
        Some(DictKind::Agents) => parse_agents(&lines, &mut p),
        Some(DictKind::Discards) => parse_discards(&lines, &mut p),
        Some(DictKind::Verbs) => parse_verbs(&lines, &mut p),
        None => {
            p.error(0, "cannot tell what this dictionary holds from its name: it should contain 'verbs', 'actors', 'agents' or 'discards'")
        }
    }
    p
}

// ---------------------------------------------------------------------------
// Lines

/// The content lines of a file: (1-based line number, text without comments,
/// trimmed), blank lines dropped.
fn clean_lines<'t>(text: &'t str, p: &mut Parsed) -> Vec<(usize, Cow<'t, str>)> {
    let mut out = Vec::new();
    let mut in_comment = false;
    let mut skip_section: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let ln = i + 1;
        let raw = if ln == 1 { raw.trim_start_matches('\u{feff}') } else { raw };
        if in_comment {
            // PETRARCH drops the line that closes a multi-line comment.
            if raw.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        // One pass over the bytes finds the comment and says whether '<!--' or
        // '---STOP---' may be there: substring searches cost more than the rest
        // of reading a short line, and the Phoenix set has 70,000 lines.
        let scan = scan_line(raw);
        let content: Cow<'t, str> = if scan.lt && raw.contains("<!--") {
            let mut line = raw.to_string();
            while let Some(a) = line.find("<!--") {
                match line[a..].find("-->") {
                    Some(b) => line.replace_range(a..a + b + 3, " "),
                    None => {
                        line.truncate(a);
                        in_comment = true;
                    }
                }
            }
            Cow::Owned(strip_comment(&line).trim().to_string())
        } else {
            Cow::Borrowed(raw[..scan.cut].trim())
        };
        if content.is_empty() {
            continue;
        }
        // The content is part of the line before its comment, so a "---STOP---"
        // in it means three hyphens in a row there (an edited line is checked).
        let may_stop = scan.dashes || matches!(content, Cow::Owned(_));
        if may_stop && content.contains("---STOP---") || content.starts_with("~~FINISH") {
            break;
        }
        if let Some(tag) = &skip_section {
            if content.eq_ignore_ascii_case(&format!("</{tag}>")) {
                skip_section = None;
            }
            continue;
        }
        if content.starts_with('<') && content.ends_with('>') {
            let tag = content.trim_start_matches('<').trim_end_matches('>').trim().to_uppercase();
            if matches!(tag.as_str(), "TIME" | "NOUN" | "ADJECTIVE" | "ISSUE") {
                p.warn(ln, format!("TABARI <{tag}> section skipped: dyad does not use it"));
                skip_section = Some(tag);
            }
            continue;
        }
        out.push((ln, content));
    }
    if in_comment {
        let last = text.lines().count();
        p.error(last, "a '<!--' comment is not closed by '-->'");
    }
    out
}

/// What one pass over a raw line finds: where its comment starts (as
/// [`strip_comment`]), whether it has a `<` anywhere (a `<!--` opens a comment
/// even after a `#`) and whether it has three hyphens in a row before the
/// comment.
struct LineScan {
    cut: usize,
    lt: bool,
    dashes: bool,
}

fn scan_line(line: &str) -> LineScan {
    let (mut depth, mut lt, mut run, mut dashes) = (0i32, false, 0, false);
    for (i, &b) in line.as_bytes().iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = (depth - 1).max(0),
            b'#' | b';' if depth == 0 => {
                return LineScan { cut: i, lt: lt || line.as_bytes()[i..].contains(&b'<'), dashes };
            }
            b'<' => lt = true,
            _ => {}
        }
        run = if b == b'-' { run + 1 } else { 0 };
        dashes |= run >= 3;
    }
    LineScan { cut: line.len(), lt, dashes }
}

/// The line without its comment: `#` or `;` outside `[...]`. Read as bytes:
/// all four are ASCII, which never occurs inside a multi-byte character.
fn strip_comment(line: &str) -> &str {
    let mut depth = 0i32;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = (depth - 1).max(0),
            b'#' | b';' if depth == 0 => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The text inside the first `open`...`close` pair after `from`, and the byte
/// range of the whole group.
fn group(s: &str, open: char, close: char) -> Option<Result<(&str, std::ops::Range<usize>), String>> {
    let a = s.find(open)?;
    Some(match s[a + 1..].find(close) {
        Some(b) => Ok((&s[a + 1..a + 1 + b], a..a + 1 + b + 1)),
        None => Err(format!("'{open}' is not closed by '{close}'")),
    })
}

/// Words of a phrase written with `_` and spaces: each word and whether it is
/// exact (followed by `_`, or in a PETRARCH file).
fn phrase_words(s: &str, dialect: Dialect) -> Vec<Word> {
    let mut views = Vec::new();
    split_words(s, dialect, &mut views);
    views.into_iter().map(|(text, exact)| Word { text: text.to_string(), exact }).collect()
}

/// [`phrase_words`] without copying: slices of `s` into `out` (cleared first).
fn split_words<'a>(s: &'a str, dialect: Dialect, out: &mut Vec<(&'a str, bool)>) {
    out.clear();
    // Most phrases are ASCII: read them byte by byte rather than decoding chars
    // (the same loop; this runs twice for every actor phrase).
    if s.is_ascii() {
        split_chars(s, s.bytes().enumerate().map(|(i, b)| (i, char::from(b))), dialect, out);
    } else {
        split_chars(s, s.char_indices(), dialect, out);
    }
}

/// [`split_words`] over the chars of `s` with their byte offsets.
fn split_chars<'a>(s: &'a str, chars: impl Iterator<Item = (usize, char)>, dialect: Dialect, out: &mut Vec<(&'a str, bool)>) {
    let petrarch = dialect == Dialect::Petrarch;
    let mut start: Option<usize> = None;
    for (i, c) in chars {
        if c == '_' || c.is_whitespace() {
            match start.take() {
                Some(st) => out.push((&s[st..i], c == '_' || petrarch)),
                None if c == '_' => {
                    if let Some(last) = out.last_mut() {
                        last.1 = true;
                    }
                }
                None => {}
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((&s[st..], petrarch));
    }
}

// ---------------------------------------------------------------------------
// Actors

fn parse_actors<'t>(lines: &[(usize, Cow<'t, str>)], p: &mut Parsed<'t>) {
    // The record being read is the phrases from `cur.phrases.start` and the
    // codes from `cur.codes.start` on.
    let (mut phrases, mut codes) = (std::mem::take(&mut p.actor_phrases), std::mem::take(&mut p.actor_codes));
    let mut cur = ActorRecord { phrases: phrases.len()..phrases.len(), codes: codes.len()..codes.len() };
    for (ln, content) in lines {
        let ln = *ln;
        let (no_phrases, no_codes) = (phrases.len() == cur.phrases.start, codes.len() == cur.codes.start);
        if content.starts_with('[') {
            if no_phrases {
                p.error(ln, "a code line with no actor phrase before it");
                continue;
            }
            read_codes(content, ln, &mut codes, p);
            continue;
        }
        let synonym = content.starts_with('+');
        if !synonym && !no_codes {
            p.actors.push(ActorRecord { phrases: cur.phrases.start..phrases.len(), codes: cur.codes.start..codes.len() });
            cur = ActorRecord { phrases: phrases.len()..phrases.len(), codes: codes.len()..codes.len() };
        }
        let body = if synonym { &content[1..] } else { &content[..] };
        let (phrase, codes_text) = match body.find('[') {
            Some(i) => (&body[..i], &body[i..]),
            None => (body, ""),
        };
        let phrase = phrase.trim().trim_end_matches('=');
        if !phrase.contains(|c: char| c != '_' && !c.is_whitespace()) {
            p.error(ln, "an actor line with no phrase");
            continue;
        }
        if synonym && phrases.len() == cur.phrases.start {
            p.error(ln, "a '+' synonym with no actor before it");
            continue;
        }
        // The phrase borrowed from the file's text when the line is.
        let phrase = match content {
            Cow::Borrowed(line) => {
                let at = phrase.as_ptr() as usize - line.as_ptr() as usize;
                Cow::Borrowed(&line[at..at + phrase.len()])
            }
            Cow::Owned(_) => Cow::Owned(phrase.to_string()),
        };
        phrases.push((phrase, ln));
        if !codes_text.is_empty() {
            read_codes(codes_text, ln, &mut codes, p);
        }
    }
    if phrases.len() > cur.phrases.start {
        if codes.len() == cur.codes.start {
            let ln = phrases[cur.phrases.start].1;
            p.warn(ln, "actor phrases at the end of the file have no code; skipped");
        } else {
            p.actors.push(ActorRecord { phrases: cur.phrases.start..phrases.len(), codes: cur.codes.start..codes.len() });
        }
    }
    (p.actor_phrases, p.actor_codes) = (phrases, codes);
}

/// Read every `[CODE restriction]` group of a line.
fn read_codes(s: &str, ln: usize, out: &mut Vec<CodeSpec>, p: &mut Parsed) {
    let mut rest = s;
    loop {
        let rest_trim = rest.trim();
        if rest_trim.is_empty() {
            return;
        }
        match group(rest_trim, '[', ']') {
            None => {
                p.warn(ln, format!("text '{rest_trim}' after the codes ignored, as PETRARCH does"));
                return;
            }
            Some(Err(m)) => {
                p.error(ln, m);
                return;
            }
            Some(Ok((inner, range))) => {
                if range.start > 0 {
                    p.error(ln, format!("unexpected text '{}' before a code", rest_trim[..range.start].trim()));
                }
                if let Some(c) = code_spec(inner, ln, p) {
                    out.push(c);
                }
                rest = &rest_trim[range.end..];
            }
        }
    }
}

fn code_spec(inner: &str, ln: usize, p: &mut Parsed) -> Option<CodeSpec> {
    let inner = inner.trim();
    let (code, restriction) = match inner.split_once(char::is_whitespace) {
        Some((c, r)) => (c, r.trim()),
        None => (inner, ""),
    };
    if code.is_empty() || code.starts_with(|c: char| c.is_ascii_digit() || c == '<' || c == '>') {
        p.error(ln, format!("'[{inner}]' has no actor code before its date restriction"));
        return None;
    }
    // The code goes into the file's code text, uppercased as str::to_uppercase
    // does (char by char), in place when it is ASCII.
    let start = p.code_text.len();
    if code.is_ascii() {
        p.code_text.push_str(code);
        p.code_text[start..].make_ascii_uppercase();
    } else {
        p.code_text.extend(code.chars().flat_map(char::to_uppercase));
    }
    if let Some(k) = p.code_text[start..].find('/') {
        let message = format!("compound code '{}': dyad keeps the first, {}", &p.code_text[start..], &p.code_text[start..start + k]);
        p.warn(ln, message);
        p.code_text.truncate(start + k);
    }
    if &p.code_text[start..] == "---" {
        p.code_text.truncate(start);
    }
    let code = start..p.code_text.len();
    let spec = restriction_spec(restriction, ln, p);
    if spec.is_none() {
        p.code_text.truncate(start);
    }
    spec.map(|(from, to)| CodeSpec { code, from, to, line: ln })
}

/// The dates of a code's restriction (`<date`, `>date`, `date-date`, none), or
/// `None` for one that is skipped (with a warning) or wrong (an error).
fn restriction_spec(restriction: &str, ln: usize, p: &mut Parsed) -> Option<(Option<Date>, Option<Date>)> {
    // Nearly all restrictions have no space inside ("620101-950101"): borrowed.
    let r: Cow<str> = if restriction.contains(char::is_whitespace) {
        Cow::Owned(restriction.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(restriction)
    };
    let bad_date = |p: &mut Parsed, d: &str| {
        p.warn(ln, format!("'{d}' is not a date (YYMMDD or YYYYMMDD); restriction skipped, as PETRARCH does"));
    };
    let (from, to) = if r.is_empty() {
        (None, None)
    } else if let Some(d) = r.strip_prefix('<') {
        let Some(d8) = tabari_date(d) else {
            bad_date(p, d);
            return None;
        };
        (None, d8.tomorrow().ok())
    } else if let Some(d) = r.strip_prefix('>') {
        let Some(d8) = tabari_date(d) else {
            bad_date(p, d);
            return None;
        };
        (Some(d8), None)
    } else if let Some((a, b)) = r.split_once('-') {
        let (Some(da), Some(db)) = (tabari_date(a), tabari_date(b)) else {
            bad_date(p, &r);
            return None;
        };
        if db < da {
            p.warn(ln, format!("date range {r} ends before it starts; restriction skipped, as PETRARCH does"));
            return None;
        }
        (Some(da), db.tomorrow().ok())
    } else if tabari_date(&r).is_some() {
        // PETRARCH reads a bare date as no restriction.
        p.warn(ln, format!("'{restriction}' has no '<', '>' or '-': read as an undated code, as PETRARCH does"));
        (None, None)
    } else {
        p.error(ln, format!("'{restriction}' is not a date restriction (<date, >date or date-date)"));
        return None;
    };
    Some((from, to))
}

/// A TABARI date: YYYYMMDD (eight digits or more: the first eight) or YYMMDD (the
/// first six; years 00-30 are 20xx), as PETRARCH reads them.
fn tabari_date(s: &str) -> Option<Date> {
    if s.len() < 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Digits only (checked above), at most four: no sign or overflow to handle.
    let num = |a: usize, b: usize| s.as_bytes()[a..b].iter().fold(0i16, |n, d| n * 10 + i16::from(d - b'0'));
    let (y, m, d) = if s.len() > 7 {
        (num(0, 4), num(4, 6), num(6, 8))
    } else {
        let yy = num(0, 2);
        (if yy <= 30 { 2000 + yy } else { 1900 + yy }, num(2, 4), num(4, 6))
    };
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

// ---------------------------------------------------------------------------
// Agents

fn parse_agents(lines: &[(usize, Cow<str>)], p: &mut Parsed) {
    let mut subst: HashMap<String, Vec<String>> = HashMap::default();
    for (ln, content) in lines {
        let ln = *ln;
        if content.starts_with('!') && content.contains('=') && !content.contains('[') {
            let (lhs, rhs) = content.split_once('=').unwrap_or((content, ""));
            let name = lhs.trim().trim_matches('!');
            if name.is_empty() || lhs.trim().matches('!').count() != 2 {
                p.error(ln, "a substitution marker is written '!NAME! = A, B, ...'");
                continue;
            }
            subst.insert(name.to_string(), rhs.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect());
            continue;
        }
        let Some(open) = content.find('[') else {
            // PETRARCH warns and goes on.
            p.warn(ln, "an agent needs a code in [...], e.g. [~GOV]; line skipped, as PETRARCH does");
            continue;
        };
        let close = match content[open..].find(']') {
            Some(c) => open + c,
            None => {
                // "[~ENV}": PETRARCH takes the rest of the line as the code.
                let end = content.len()
                    - content[open..].chars().rev().take_while(|c| matches!(c, '}' | ')' | ' ')).map(char::len_utf8).sum::<usize>();
                p.warn(ln, "'[' is not closed by ']': the code is read to the end of the line");
                end.max(open + 1)
            }
        };
        let code = content[open + 1..close].trim();
        let role = if let Some(r) = code.strip_prefix('~') {
            r.trim().to_string()
        } else if let Some(r) = code.strip_suffix('~') {
            // A prefix agent ("NGO~"): its code goes before the actor's.
            format!("{}~", r.trim())
        } else {
            p.warn(ln, format!("agent code '{code}' has no '~'; read as a role appended to the actor's code"));
            code.to_string()
        };
        if role.trim_end_matches('~').is_empty() || role.chars().any(char::is_whitespace) {
            p.error(ln, format!("'{code}' is not an agent code"));
            continue;
        }
        let role = role.to_uppercase();
        let mut phrase = content[..open].trim().to_string();
        // The plural: `{PLURAL}`, `{}` for none; absent: regular.
        let mut plural: Option<Option<String>> = None;
        if let Some(g) = group(&phrase, '{', '}') {
            match g {
                Ok((inner, range)) => {
                    let inner = inner.trim();
                    plural = Some(if inner.is_empty() { None } else { Some(inner.to_string()) });
                    phrase = format!("{}{}", &phrase[..range.start], &phrase[range.end..]).trim().to_string();
                }
                Err(m) => {
                    p.error(ln, m);
                    continue;
                }
            }
        }
        if phrase.is_empty() {
            p.error(ln, "an agent with no phrase");
            continue;
        }
        // Substitution markers: every listed word, no plurals.
        if let Some(a) = phrase.find('!') {
            let Some(b) = phrase[a + 1..].find('!').map(|b| a + 1 + b) else {
                p.error(ln, format!("substitution marker in '{phrase}' is not closed by '!'"));
                continue;
            };
            let marker = &phrase[a + 1..b];
            let Some(list) = subst.get(marker) else {
                p.warn(ln, format!("substitution marker !{marker}! is not defined (define it with '!{marker}! = A, B'); line skipped, as PETRARCH does"));
                continue;
            };
            for item in list {
                let full = format!("{}{}{}", &phrase[..a], item, &phrase[b + 1..]);
                p.agents.push(AgentEntry { words: phrase_words(&full, p.dialect), role: role.clone(), line: ln });
            }
            continue;
        }
        let words = phrase_words(&phrase, p.dialect);
        let plural_words = match plural {
            Some(Some(pl)) => Some(phrase_words(&pl, p.dialect)),
            Some(None) => None,
            None => {
                let mut w = words.clone();
                if let Some(last) = w.last_mut() {
                    last.text = regular_plural(&last.text);
                }
                Some(w)
            }
        };
        p.agents.push(AgentEntry { words, role: role.clone(), line: ln });
        if let Some(w) = plural_words {
            if !w.is_empty() {
                p.agents.push(AgentEntry { words: w, role, line: ln });
            }
        }
    }
}

/// The regular plural of a noun, in the case it is written in: +S, Y -> IES
/// after a consonant, +ES after S, X, Z, CH, SH.
fn regular_plural(w: &str) -> String {
    let upper = w.chars().last().is_some_and(char::is_uppercase);
    let lower = w.to_lowercase();
    let before_y = lower.len().checked_sub(2).and_then(|i| lower.as_bytes().get(i)).copied();
    let suffix_case = |s: &str| if upper { s.to_uppercase() } else { s.to_string() };
    if lower.ends_with('y') && before_y.is_some_and(|b| !b"aeiou".contains(&b)) {
        format!("{}{}", &w[..w.len() - 1], suffix_case("ies"))
    } else if lower.ends_with('s') || lower.ends_with('x') || lower.ends_with('z') || lower.ends_with("ch") || lower.ends_with("sh") {
        format!("{w}{}", suffix_case("es"))
    } else {
        format!("{w}{}", suffix_case("s"))
    }
}

// ---------------------------------------------------------------------------
// Discards

fn parse_discards(lines: &[(usize, Cow<str>)], p: &mut Parsed) {
    for (ln, content) in lines {
        let (story, phrase) = match content.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, &content[..]),
        };
        // Discards are matched as PETRARCH does: whole words, the last a stem
        // unless it ends in '_'.
        let mut words = phrase_words(phrase, Dialect::Petrarch);
        let exact = phrase.trim_end().ends_with('_');
        if let Some(last) = words.last_mut() {
            last.exact = exact;
        }
        if words.is_empty() {
            p.error(*ln, "a discard line with no phrase");
            continue;
        }
        p.discards.push(DiscardEntry { words, story, line: *ln });
    }
}

// ---------------------------------------------------------------------------
// Verbs

fn parse_verbs(lines: &[(usize, Cow<str>)], p: &mut Parsed) {
    let blocks = lines.iter().any(|(_, l)| is_block_header(l));
    let mut block: Option<Block> = None;
    let mut synset: Option<String> = None;
    for (ln, content) in lines {
        let ln = *ln;
        let c: &str = content;
        if c.starts_with('+') {
            if let (Some(name), Some(member)) = (&synset, c.strip_prefix('+')) {
                let member = member.trim();
                let exact = member.ends_with('_');
                match pattern_seq(member, p.dialect, true) {
                    Ok(seq) if seq.iter().any(|(e, _)| matches!(e, El::Verb | El::Source | El::Target | El::Compound | El::Skip)) => {
                        p.warn(ln, format!("synset member '{member}' ignored: a synset holds words, not '*', '$', '+', '%' or '^'"));
                    }
                    Ok(seq) if !seq.is_empty() => {
                        if let Some(s) = p.synsets.get_mut(name) {
                            s.members.push((seq, exact, ln));
                        }
                    }
                    Ok(_) => p.error(ln, "an empty synset member"),
                    Err(m) => p.warn(ln, format!("synset member '{member}' ignored: {m}")),
                }
                continue;
            }
        } else {
            synset = None;
        }
        if is_block_header(c) && blocks {
            if let Some(b) = block.take() {
                p.blocks.push(b);
            }
            let inner = c.trim_matches('-').trim();
            let (name, code) = match group(inner, '[', ']') {
                Some(Ok((code, range))) => (inner[..range.start].trim().to_string(), code.trim().to_string()),
                Some(Err(m)) => {
                    p.error(ln, m);
                    continue;
                }
                None => (inner.to_string(), BLOCK.to_string()),
            };
            block = Some(Block { name, code, line: ln, verbs: Vec::new(), patterns: Vec::new() });
        } else if let Some(body) = c.strip_prefix('-') {
            let Some(b) = block.as_mut() else {
                p.error(ln, "a pattern with no verb before it");
                continue;
            };
            let Some(open) = body.rfind('[') else {
                p.error(ln, "a pattern needs its event code in [...] at the end");
                continue;
            };
            let Some(close) = body[open..].find(']').map(|x| open + x) else {
                p.error(ln, "'[' is not closed by ']'");
                continue;
            };
            let text = &body[..open];
            if !text.contains('*') {
                p.error(ln, "a pattern needs a '*' where the verb goes");
                continue;
            }
            if text.matches('(').count() != text.matches(')').count() {
                // PETRARCH stores these with whatever it makes of them.
                p.warn(ln, "unbalanced '(' and ')': the pattern is read as its words in order");
            }
            match pattern_seq(text, p.dialect, false) {
                Ok(seq) => {
                    if seq.iter().filter(|(e, _)| *e == El::Verb).count() != 1 {
                        p.error(ln, "a pattern has exactly one '*'");
                        continue;
                    }
                    b.patterns.push(PatSpec { seq, code: body[open + 1..close].trim().to_string(), line: ln });
                }
                Err(m) => p.error(ln, m),
            }
        } else if let Some(name) = c.strip_prefix('&') {
            let label = name.split_whitespace().next().unwrap_or("");
            let no_plural = label.ends_with('_');
            let label = label.trim_end_matches('_').to_uppercase();
            if label.is_empty() {
                p.error(ln, "a synset needs a name after '&'");
                continue;
            }
            if p.synsets.contains_key(&label) {
                p.warn(ln, format!("synset &{label} defined again: the later definition is used"));
            }
            p.synsets.insert(label.clone(), Synset { no_plural, members: Vec::new() });
            synset = Some(label);
        } else if c.starts_with('~') {
            p.warn(ln, "PETRARCH verb transformation skipped: dyad does not use them");
        } else if c.starts_with('{') {
            let Some(b) = block.as_mut() else {
                p.error(ln, "verb forms with no verb before them");
                continue;
            };
            match group(c, '{', '}') {
                Some(Ok((inner, _))) => {
                    if let Some(v) = b.verbs.last_mut() {
                        v.extra.extend(inner.split_whitespace().map(|f| f.trim_matches('_').replace('_', " ")));
                    } else {
                        p.error(ln, "verb forms with no verb before them");
                    }
                }
                Some(Err(m)) => p.error(ln, m),
                None => {}
            }
        } else {
            // A verb line.
            let v = match verb_spec(c, ln, p.dialect) {
                Ok(v) => v,
                Err(m) => {
                    p.error(ln, m);
                    continue;
                }
            };
            if blocks {
                match block.as_mut() {
                    Some(b) => b.verbs.push(v),
                    None => p.error(ln, "a verb before the first '--- NAME [code] ---' block"),
                }
            } else {
                // TABARI: each verb line is a block of its own.
                if let Some(b) = block.take() {
                    p.blocks.push(b);
                }
                let mut v = v;
                let code = v.code.take().unwrap_or_else(|| BLOCK.to_string());
                block = Some(Block { name: v.verb.text.clone(), code, line: ln, verbs: vec![v], patterns: Vec::new() });
            }
        }
    }
    if let Some(b) = block.take() {
        p.blocks.push(b);
    }
}

/// `--- NAME [code] ---` (PETRARCH reads any line starting with `---` as one:
/// `--- TROUBLED [---] # NOUN ---` loses its end to the comment).
fn is_block_header(l: &str) -> bool {
    l.starts_with("---")
}

/// A verb line: `WORDS {FORMS} [CODE]`.
fn verb_spec(c: &str, ln: usize, dialect: Dialect) -> Result<VerbSpec, String> {
    let mut rest = c.to_string();
    let mut code = None;
    if let Some(g) = group(&rest, '[', ']') {
        let (inner, range) = g?;
        code = Some(inner.trim().to_string());
        rest = format!("{}{}", &rest[..range.start], &rest[range.end..]);
    }
    let mut forms = None;
    if let Some(g) = group(&rest, '{', '}') {
        let (inner, range) = g?;
        forms = Some(inner.split_whitespace().map(str::to_string).collect::<Vec<_>>());
        rest = format!("{}{}", &rest[..range.start], &rest[range.end..]);
    }
    if rest.contains(['[', ']', '{', '}']) {
        return Err("unbalanced brackets in a verb line".to_string());
    }
    let rest = rest.trim().trim_end_matches('=');
    let (front, verb, back) = split_verb_phrase(rest, dialect).ok_or_else(|| "a verb line with no verb".to_string())?;
    // Multi-word forms in braces keep only the verb word ("+CORDONED_OFF").
    let forms = forms.map(|fs| fs.into_iter().filter_map(|f| split_verb_phrase(&f, dialect).map(|(_, v, _)| v.text)).collect::<Vec<_>>());
    Ok(VerbSpec { front, verb, back, forms, extra: Vec::new(), code, line: ln })
}

/// Split a verb phrase into (words before, the verb word, words after): the verb
/// is the word marked `+`, else the first.
fn split_verb_phrase(s: &str, dialect: Dialect) -> Option<(Around, Word, Around)> {
    let seq = pattern_seq(s, dialect, false).ok()?;
    let words: Vec<(Word, bool, bool)> = {
        // Re-read the '+' marks, which pattern_seq turns into slots.
        let mut out = Vec::new();
        let mut marked = false;
        for (e, tight) in seq {
            match e {
                El::Word(w) => {
                    out.push((w, tight, marked));
                    marked = false;
                }
                El::Target => marked = true,
                _ => {}
            }
        }
        out
    };
    if words.is_empty() {
        return None;
    }
    let vi = words.iter().position(|(_, _, m)| *m).unwrap_or(0);
    let front = words[..vi].iter().map(|(w, t, _)| (w.clone(), *t)).collect();
    let back = words[vi + 1..].iter().map(|(w, t, _)| (w.clone(), *t)).collect();
    Some((front, words[vi].0.clone(), back))
}

/// Read a pattern (or a synset member, `member`: spaces join words tightly there)
/// into elements.
fn pattern_seq(s: &str, dialect: Dialect, member: bool) -> Result<Seq, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    seq_until(&chars, &mut i, None, dialect, member)
}

fn seq_until(chars: &[char], i: &mut usize, stop: Option<char>, dialect: Dialect, member: bool) -> Result<Seq, String> {
    let mut out: Seq = Vec::new();
    // Separator state since the last element: saw '_' / saw white space.
    let (mut under, mut space) = (false, false);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Seq, under: &mut bool, space: &mut bool| -> Result<(), String> {
        if word.is_empty() {
            return Ok(());
        }
        let tight = !out.is_empty() && (member || *under && !*space);
        let w = std::mem::take(word);
        let el = match w.as_str() {
            "*" => El::Verb,
            "$" => El::Source,
            "+" => El::Target,
            "%" => El::Compound,
            "^" => El::Skip,
            _ if w.starts_with('&') => El::Set(w[1..].trim_end_matches('_').to_uppercase()),
            _ => {
                let text = if w.contains('~') { w.replace('~', "") } else { w };
                if text.is_empty() {
                    return Ok(());
                }
                El::Word(Word { text, exact: dialect == Dialect::Petrarch })
            }
        };
        out.push((el, tight));
        *under = false;
        *space = false;
        Ok(())
    };
    while *i < chars.len() {
        let c = chars[*i];
        if Some(c) == stop {
            flush(&mut word, &mut out, &mut under, &mut space)?;
            return Ok(out);
        }
        match c {
            '_' => {
                flush(&mut word, &mut out, &mut under, &mut space)?;
                under = true;
                // A trailing '_' marks the word before as exact.
                if let Some((El::Word(w), _)) = out.last_mut() {
                    w.exact = true;
                }
            }
            c if c.is_whitespace() => {
                flush(&mut word, &mut out, &mut under, &mut space)?;
                space = true;
            }
            '*' | '$' | '%' | '^' if word.is_empty() || !word.starts_with('&') => {
                flush(&mut word, &mut out, &mut under, &mut space)?;
                word.push(c);
                flush(&mut word, &mut out, &mut under, &mut space)?;
            }
            '+' if word.is_empty() => {
                word.push(c);
                flush(&mut word, &mut out, &mut under, &mut space)?;
            }
            '(' | ')' => {
                flush(&mut word, &mut out, &mut under, &mut space)?;
                space = true;
            }
            '{' => {
                flush(&mut word, &mut out, &mut under, &mut space)?;
                // Find the matching '}' to see whether it holds alternatives.
                let close = chars[*i + 1..].iter().position(|&x| x == '}').map(|p| *i + 1 + p).ok_or("'{' is not closed by '}'")?;
                let inner: String = chars[*i + 1..close].iter().collect();
                if inner.contains('|') {
                    let tight = !out.is_empty() && (member || under && !space);
                    let mut alts = Vec::new();
                    for alt in inner.split('|') {
                        alts.push(pattern_seq(alt, dialect, member)?);
                    }
                    out.push((El::Alt(alts), tight));
                    under = false;
                    space = false;
                    *i = close + 1;
                    continue;
                }
                space = true;
            }
            '}' => {
                flush(&mut word, &mut out, &mut under, &mut space)?;
                space = true;
            }
            '|' => return Err("'|' outside '{ ... }'".to_string()),
            c => word.push(c),
        }
        *i += 1;
    }
    flush(&mut word, &mut out, &mut under, &mut space)?;
    Ok(out)
}

// ---------------------------------------------------------------------------
// Loading into a lexicon

/// A verb alone, as a pattern: its lemma, the words around it, its code and
/// paired code, its line.
struct Alone {
    lemma: u32,
    front: Around,
    back: Around,
    code: (String, Option<String>),
    line: usize,
}

/// Tokens of an expanded pattern, each with whether it is joined tightly to the
/// one before.
type TokSeq<'s> = Vec<(Tok<'s>, bool)>;

/// A token of an expanded pattern (its words borrowed from the parsed pattern:
/// a synset can expand a pattern into hundreds of sequences).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok<'s> {
    Verb,
    Word(&'s Word),
    Set(u32),
    Source,
    Target,
    Compound,
    Skip,
}

struct Loader<'l> {
    lex: &'l mut Lexicon,
    stats: DictStats,
    /// Phrase sets made from synsets, by (file, name).
    sets: HashMap<(String, String), u32>,
    /// Scratch space for lowercasing words.
    buf: String,
    /// Scratch space for the token ids of a phrase ([`Loader::phrase_ids`]).
    ids: Vec<u32>,
    /// Organisation codes split into country and role: the split depends only on
    /// the lexicon's countries, which are all added before any organisation, and
    /// thousands of organisations share a code ("AFGGOV").
    split_codes: HashMap<String, (Option<String>, Option<String>)>,
}

impl<'l> Loader<'l> {
    fn new(lex: &'l mut Lexicon) -> Self {
        Loader {
            lex,
            stats: DictStats::default(),
            sets: HashMap::default(),
            buf: String::new(),
            ids: Vec::new(),
            split_codes: HashMap::default(),
        }
    }

    fn warn(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.stats.warnings.push(DictWarning { file: file.to_string(), line, message: message.into() });
    }

    fn load(mut self, parsed: Vec<Parsed<'_>>) -> DictStats {
        let mut ids = Vec::new();
        for p in &parsed {
            let id = self.lex.files.len() as u16;
            self.lex.files.push(p.name.clone());
            ids.push(id);
        }
        for p in &parsed {
            self.stats.warnings.extend(p.warnings.iter().cloned());
        }
        // The words of one phrase at a time (one vector for all of them: there
        // are tens of thousands of phrases).
        let mut words = Vec::new();
        // Countries first, so that other codes can be split into country and role.
        for (p, &f) in parsed.iter().zip(&ids) {
            for a in p.records() {
                if let Some(code) = country_code(a) {
                    self.add_country(code, a, p, f, &mut words);
                }
            }
        }
        for (p, &f) in parsed.iter().zip(&ids) {
            for a in p.records() {
                if country_code(a).is_none() {
                    self.add_actor(a, p, f, &mut words);
                }
            }
            for a in &p.agents {
                let role = self.lex.role_id(&a.role);
                words.clear();
                words.extend(a.words.iter().map(|w| (w.text.as_str(), w.exact)));
                self.add_phrase(&words, p.dialect, false, Entry::Role(role), Rule { file: f, line: a.line as u32 });
                self.stats.agents += 1;
            }
            for d in &p.discards {
                let phrase = self.phrase_tokens(&d.words, Dialect::Petrarch).join(" ");
                let exact = d.words.last().is_some_and(|w| w.exact);
                self.lex.add_discard(Discard { phrase, exact, story: d.story, rule: Rule { file: f, line: d.line as u32 } });
                self.stats.discards += 1;
            }
            for b in &p.blocks {
                self.add_block(b, p, f);
            }
        }
        if let Err(m) = self.lex.build_discards() {
            self.warn("(discards)", 0, m);
        }
        self.lex.index_patterns();
        self.stats
    }

    /// Normalised tokens of a phrase; TABARI stems are registered on the way.
    fn phrase_tokens(&mut self, words: &[Word], dialect: Dialect) -> Vec<String> {
        let mut out = Vec::new();
        for w in words {
            let toks = word_tokens(&w.text);
            if dialect == Dialect::Tabari && !w.exact {
                if let Some(last) = toks.last() {
                    self.lex.add_stem(last);
                }
            }
            out.extend(toks);
        }
        out
    }

    /// Add an actor or agent phrase: its token ids ([`Loader::phrase_ids`]) put
    /// in the trie with `entry`.
    fn add_phrase(&mut self, words: &[(&str, bool)], dialect: Dialect, actor: bool, entry: Entry, rule: Rule) {
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        self.phrase_ids(words, dialect, actor, &mut ids);
        self.lex.add_phrase_ids(&ids, entry, rule);
        self.ids = ids;
    }

    /// The token ids of an actor or agent phrase, into `out` (interned; TABARI
    /// stems are registered on the way). A single word that is a common English
    /// word must be written in capitals (`actor`).
    fn phrase_ids(&mut self, words: &[(&str, bool)], dialect: Dialect, actor: bool, out: &mut Vec<u32>) {
        for &(text, exact) in words {
            let stem = dialect == Dialect::Tabari && !exact;
            if text.bytes().all(|b| b.is_ascii_alphanumeric()) {
                // The common case, without the tokeniser.
                self.buf.clear();
                self.buf.push_str(text);
                self.buf.make_ascii_lowercase();
                if stem {
                    self.lex.add_stem(&self.buf);
                }
                if actor && words.len() == 1 && self.buf.len() <= CAPS_ONLY_LEN && CAPS_ONLY.contains(&self.buf.as_str()) {
                    self.buf.insert(0, '^');
                }
                out.push(self.lex.intern(&self.buf));
                continue;
            }
            let toks = word_tokens(text);
            if stem {
                if let Some(last) = toks.last() {
                    self.lex.add_stem(last);
                }
            }
            for t in &toks {
                out.push(self.lex.intern(t));
            }
        }
    }

    /// The name of an actor record: its first phrase, title-cased. Leaves the
    /// phrase's words in `words`.
    fn record_name<'a>(a: Record<'a, '_>, dialect: Dialect, words: &mut Vec<(&'a str, bool)>) -> String {
        split_words(&a.phrases[0].0, dialect, words);
        display_name(words)
    }

    /// Add each phrase of an actor record with `entry`, its rule the phrase's line.
    /// The phrases are split into words one at a time, into `words`, which holds
    /// the first phrase's already when `named` (by [`Loader::record_name`]).
    fn add_record_phrases<'a>(
        &mut self,
        a: Record<'a, '_>,
        dialect: Dialect,
        entry: Entry,
        f: u16,
        words: &mut Vec<(&'a str, bool)>,
        named: bool,
    ) {
        for (k, (phrase, line)) in a.phrases.iter().enumerate() {
            if k > 0 || !named {
                split_words(phrase, dialect, words);
            }
            self.add_phrase(words, dialect, true, entry, Rule { file: f, line: *line as u32 });
            self.stats.actors += 1;
        }
    }

    fn add_country<'a>(&mut self, code: &str, a: Record<'a, '_>, p: &Parsed<'_>, f: u16, words: &mut Vec<(&'a str, bool)>) {
        let (idx, named) = match self.lex.country_by_iso(code) {
            Some(i) => (i, false),
            None => {
                let name = Self::record_name(a, p.dialect, words);
                (self.lex.add_country(code, name), true)
            }
        };
        self.add_record_phrases(a, p.dialect, Entry::Country(idx), f, words, named);
    }

    fn add_actor<'a>(&mut self, a: Record<'a, '_>, p: &Parsed<'_>, f: u16, words: &mut Vec<(&'a str, bool)>) {
        let rule_of = |line: usize| Rule { file: f, line: line as u32 };
        let dated = a.codes.iter().any(CodeSpec::dated);
        // Whether `words` holds the first phrase, split to make the record's name
        // (regions and discards have none).
        let mut named = false;
        let entry = if dated {
            let name = Self::record_name(a, p.dialect, words);
            named = true;
            // The code for the event's date: dated terms in order, the last
            // undated code as the fallback.
            let mut terms: Vec<Term> = a
                .codes
                .iter()
                .filter(|c| c.dated())
                .map(|c| Term { code: null_code(a.code(c)), from: c.from, to: c.to, rule: rule_of(c.line) })
                .collect();
            if let Some(c) = a.codes.iter().rev().find(|c| !c.dated()) {
                terms.push(Term { code: null_code(a.code(c)), from: None, to: None, rule: rule_of(c.line) });
            }
            let person = a.codes.iter().any(|c| a.code(c).len() > 3 && a.code(c) != "###");
            let i = self.lex.people.len() as u32;
            self.lex.people.push(Person { name, terms, person });
            Entry::Person(i)
        } else {
            let Some(c) = a.codes.iter().rev().find(|c| !c.dated()) else { return };
            let code = a.code(c);
            if code == "###" {
                // TABARI: an actor coded [###] discards its sentence.
                for (phrase, line) in a.phrases {
                    split_words(phrase, p.dialect, words);
                    let words: Vec<Word> = words.iter().map(|&(text, exact)| Word { text: text.to_string(), exact }).collect();
                    let phrase = self.phrase_tokens(&words, Dialect::Petrarch).join(" ");
                    let exact = p.dialect == Dialect::Petrarch || words.last().is_some_and(|w| w.exact);
                    self.lex.add_discard(Discard { phrase, exact, story: false, rule: rule_of(*line) });
                    self.stats.discards += 1;
                }
                return;
            }
            if code.is_empty() {
                Entry::Region
            } else {
                let name = Self::record_name(a, p.dialect, words);
                named = true;
                let (country, role) = match self.split_codes.get(code) {
                    Some(split) => split.clone(),
                    None => {
                        let (country, role) = crate::actors::split_code(self.lex, code);
                        let split = (country.map(String::from), role.map(String::from));
                        self.split_codes.insert(code.to_string(), split.clone());
                        split
                    }
                };
                let i = self.lex.organisations.len() as u32;
                self.lex.organisations.push(Organisation { code: code.to_string(), country, role, name });
                Entry::Organisation(i)
            }
        };
        self.add_record_phrases(a, p.dialect, entry, f, words, named);
    }

    /// The event code a dictionary writes, as dyad codes it: (code, paired code
    /// from the target to the source). Codes are kept as written; `---` and
    /// `###` are the blocking code; `[A:B]` is A with B the other way round
    /// (`[:B]` only the other way). A code the codebook cannot resolve is kept
    /// with a warning (its events have no label); `None` for no usable code.
    fn event_code(&mut self, raw: &str, file: &str, line: usize) -> Option<(String, Option<String>)> {
        let raw = raw.trim();
        let (a, b) = match raw.split_once(':') {
            Some((a, b)) => (a.trim(), Some(b.trim()).filter(|b| !b.is_empty())),
            None => (raw, None),
        };
        let mut one = |c: &str| -> Option<String> {
            if c == BLOCK || c == "###" || c.is_empty() {
                return Some(BLOCK.to_string());
            }
            if c == "+++" || c.contains(char::is_whitespace) {
                // "+++": TABARI's complex event, which PETRARCH never implemented.
                self.warn(file, line, format!("'[{raw}]' is not an event code dyad can use; skipped"));
                return None;
            }
            let book = if self.lex.codebook.is_empty() { crate::codebook::Codebook::builtin() } else { &self.lex.codebook };
            if book.resolve_loose(c).is_none() {
                self.warn(file, line, format!("event code '{c}' is not in the CAMEO codebook: its events carry it without a label"));
            }
            Some(c.to_string())
        };
        let code = one(a)?;
        let reverse = match b {
            Some(b) => one(b).filter(|r| r != BLOCK),
            None => None,
        };
        Some((code, reverse))
    }

    fn add_block(&mut self, b: &Block, p: &Parsed, f: u16) {
        if b.verbs.is_empty() {
            if !b.patterns.is_empty() {
                self.warn(&p.name, b.line, format!("block {} has patterns but no verbs; skipped", b.name));
            }
            return;
        }
        let block_code = self.event_code(&b.code, &p.name, b.line);
        let is_block = |c: &(String, Option<String>)| c.0 == BLOCK && c.1.is_none();
        // Verb variants: the plain verbs share one lemma; a multi-word verb has
        // its own, with its other words around it in every pattern.
        let key = format!("{}:{}", p.name, b.line);
        let plain = self.lex.dict_lemma(&key);
        let mut variants: Vec<(Around, u32, Around)> = vec![(Vec::new(), plain, Vec::new())];
        let mut bare: Vec<Alone> = Vec::new();
        let mut has_plain = false;
        for v in &b.verbs {
            let code = match &v.code {
                Some(c) => self.event_code(c, &p.name, v.line),
                None => block_code.clone(),
            };
            let multi = !v.front.is_empty() || !v.back.is_empty();
            let lemma = if multi {
                let l = self.lex.dict_lemma(&format!("{key}:{}", v.line));
                variants.push((v.front.clone(), l, v.back.clone()));
                l
            } else {
                has_plain = true;
                plain
            };
            let forms = self.verb_forms(v, p.dialect);
            for (w, flags) in &forms {
                self.lex.add_verb_form(lemma, w, *flags);
            }
            let Some(code) = code else { continue };
            if is_block(&code) {
                continue;
            }
            if multi {
                bare.push(Alone { lemma, front: v.front.clone(), back: v.back.clone(), code, line: v.line });
            } else {
                // Each verb alone is a pattern of its own, so that an event's rule
                // names the line of the verb that coded it.
                let l = self.lex.dict_lemma(&format!("{key}:{}", v.line));
                for (w, flags) in &forms {
                    self.lex.add_verb_form(l, w, *flags);
                }
                bare.push(Alone { lemma: l, front: Vec::new(), back: Vec::new(), code, line: v.line });
            }
        }
        if !has_plain {
            variants.remove(0);
        }
        // Patterns: each expansion with each verb variant.
        for pat in &b.patterns {
            let Some((code, reverse)) = self.event_code(&pat.code, &p.name, pat.line) else { continue };
            let (seqs, truncated) = match self.expand(&pat.seq, p, 0) {
                Ok(x) => x,
                Err(m) => {
                    self.warn(&p.name, pat.line, format!("{m}; pattern skipped"));
                    continue;
                }
            };
            if truncated {
                self.warn(&p.name, pat.line, format!("pattern expands to more than {MAX_EXPANSIONS} patterns; the rest are dropped"));
            }
            let rule = Rule { file: f, line: pat.line as u32 };
            'seqs: for seq in &seqs {
                for (front, lemma, back) in &variants {
                    let items = self.items(seq, front, *lemma, back, p.dialect);
                    match self.lex.add_dict_pattern(&code, reverse.as_deref(), items, rule) {
                        Ok(()) => self.stats.verb_patterns += 1,
                        Err(m) => {
                            self.warn(&p.name, pat.line, format!("pattern skipped: {m}"));
                            break 'seqs;
                        }
                    }
                }
            }
        }
        // The verbs alone, after the patterns so that patterns win ties.
        for Alone { lemma, front, back, code: (code, reverse), line } in bare {
            let seq = vec![(Tok::Verb, false)];
            let items = self.items(&seq, &front, lemma, &back, p.dialect);
            if self.lex.add_dict_pattern(&code, reverse.as_deref(), items, Rule { file: f, line: line as u32 }).is_ok() {
                self.stats.verb_patterns += 1;
            }
        }
    }

    /// The forms of a verb, normalised, with inflection flags.
    fn verb_forms(&mut self, v: &VerbSpec, dialect: Dialect) -> Vec<(String, u8)> {
        let base = word_tokens(&v.verb.text).join(" ");
        let mut out = vec![(base.clone(), form::BASE)];
        if dialect == Dialect::Tabari && !v.verb.exact {
            self.lex.add_stem(&base);
        }
        match &v.forms {
            Some(list) => {
                for f in list {
                    let w = word_tokens(f).join(" ");
                    let flag = if w.ends_with("ing") {
                        form::ING
                    } else if w.ends_with('s') && !w.ends_with("ss") {
                        form::THIRD
                    } else {
                        form::PAST | form::PARTICIPLE
                    };
                    out.push((w, flag));
                }
            }
            None => {
                let flags = [form::THIRD, form::PAST, form::PARTICIPLE, form::ING];
                for (k, fs) in self.lex.inflections(&base).iter().enumerate() {
                    for f in fs {
                        out.push((f.clone(), flags[k]));
                    }
                }
            }
        }
        for e in &v.extra {
            let w = word_tokens(e).join(" ");
            if !w.contains(' ') {
                out.push((w, form::PAST | form::PARTICIPLE));
            }
        }
        out.retain(|(w, _)| !w.is_empty() && !w.contains(' '));
        out
    }

    /// The dyad items of one expanded pattern with one verb variant.
    fn items(&mut self, seq: &[(Tok, bool)], front: &[(Word, bool)], lemma: u32, back: &[(Word, bool)], dialect: Dialect) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        let gap = |items: &mut Vec<Item>, g: u8| {
            if let Some(Item::Gap(x)) = items.last_mut() {
                *x = x.saturating_add(g);
            } else {
                items.push(Item::Gap(g));
            }
        };
        let mut has_target = false;
        // `%` with a `$` ("% * BE HELD RESPONSIBLE BY $") is the target side, with
        // a `+` the source side; alone, both.
        let compound = if seq.iter().any(|(t, _)| *t == Tok::Source) {
            Item::Target
        } else if seq.iter().any(|(t, _)| *t == Tok::Target) {
            Item::Source
        } else {
            Item::Compound
        };
        for (k, (tok, tight)) in seq.iter().enumerate() {
            if k > 0 && !tight {
                gap(&mut items, LOOSE_GAP);
            }
            match tok {
                Tok::Verb => {
                    for (i, (w, t)) in front.iter().enumerate() {
                        if i > 0 && !t {
                            gap(&mut items, LOOSE_GAP);
                        }
                        self.push_word(&mut items, w, dialect);
                    }
                    // Words written before the verb are joined to it (`WIRE_+TAP`).
                    items.push(Item::Verb(lemma));
                    for (w, t) in back {
                        if !t {
                            gap(&mut items, LOOSE_GAP);
                        }
                        self.push_word(&mut items, w, dialect);
                    }
                }
                Tok::Word(w) => self.push_word(&mut items, w, dialect),
                Tok::Set(i) => items.push(Item::Set(*i)),
                Tok::Source => items.push(Item::Source),
                Tok::Target => {
                    has_target = true;
                    items.push(Item::Target);
                }
                Tok::Compound => {
                    has_target = true;
                    items.push(compound);
                }
                Tok::Skip => gap(&mut items, SKIP_GAP),
            }
        }
        while matches!(items.first(), Some(Item::Gap(_))) {
            items.remove(0);
        }
        while matches!(items.last(), Some(Item::Gap(_))) {
            items.pop();
        }
        if !has_target {
            items.push(Item::Target);
        }
        items
    }

    fn push_word(&mut self, items: &mut Vec<Item>, w: &Word, dialect: Dialect) {
        if !w.text.is_empty() && w.text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            // The common case: one token, the word in lowercase (as `word_tokens`
            // makes it), without the allocations.
            self.buf.clear();
            self.buf.push_str(&w.text);
            self.buf.make_ascii_lowercase();
            if dialect == Dialect::Tabari && !w.exact {
                self.lex.add_stem(&self.buf);
            }
            items.push(Item::Word(self.lex.intern(&self.buf)));
            return;
        }
        let toks = word_tokens(&w.text);
        if dialect == Dialect::Tabari && !w.exact {
            if let Some(last) = toks.last() {
                self.lex.add_stem(last);
            }
        }
        for t in toks {
            let id = self.lex.intern(&t);
            items.push(Item::Word(id));
        }
    }
}

/// `---` codes (and TABARI's `###`) as an empty code: no actor.
fn null_code(code: &str) -> String {
    if code == "###" {
        String::new()
    } else {
        code.to_string()
    }
}

/// The country code of an undated record with one three-letter code that is not a
/// CAMEO role, transnational or religious code.
fn country_code<'a>(a: Record<'a, '_>) -> Option<&'a str> {
    if a.codes.iter().any(CodeSpec::dated) {
        return None;
    }
    let c = a.code(a.codes.iter().rev().find(|c| !c.dated())?);
    (c.len() == 3
        && c.bytes().all(|b| b.is_ascii_alphanumeric())
        && c.bytes().any(|b| b.is_ascii_alphabetic())
        && !NON_COUNTRY.contains(&c))
    .then_some(c)
}

/// A readable name from dictionary words: "MOHAMMAD ZAHIR SHAH" -> "Mohammad Zahir Shah".
fn display_name(words: &[(&str, bool)]) -> String {
    let mut out = String::with_capacity(words.iter().map(|w| w.0.len() + 1).sum());
    for (i, (text, _)) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if text.is_ascii() {
            // Most names: case-fold the bytes in place rather than char by char.
            let start = out.len();
            out.push_str(text);
            out[start..].make_ascii_lowercase();
            out[start..start + text.len().min(1)].make_ascii_uppercase();
            continue;
        }
        let mut cs = text.chars();
        if let Some(c) = cs.next() {
            out.extend(c.to_uppercase());
        }
        for c in cs {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The normalised tokens of a dictionary word, as the text tokeniser makes them.
fn word_tokens(w: &str) -> Vec<String> {
    let lower = w.to_lowercase();
    if lower.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return if lower.is_empty() { Vec::new() } else { vec![lower] };
    }
    if lower == "'s" {
        return vec![lower];
    }
    crate::text::analyse(&lower).tokens.into_iter().map(|t| t.norm.into_string()).collect()
}

impl Loader<'_> {
    /// A pattern's token sequences: synsets become [`Item::Set`]s, TABARI
    /// alternatives too when they hold only words (else one sequence each). Also
    /// says whether the expansion was cut at [`MAX_EXPANSIONS`].
    fn expand<'s>(&mut self, seq: &'s Seq, p: &Parsed, depth: usize) -> Result<(Vec<TokSeq<'s>>, bool), String> {
        let mut out: Vec<TokSeq> = vec![Vec::with_capacity(seq.len())];
        let mut truncated = false;
        for (el, tight) in seq {
            let token = match el {
                El::Verb => Tok::Verb,
                El::Word(w) => Tok::Word(w),
                El::Source => Tok::Source,
                El::Target => Tok::Target,
                El::Compound => Tok::Compound,
                El::Skip => Tok::Skip,
                El::Set(name) => Tok::Set(self.set_id(name, p)?),
                El::Alt(alts) if alts.iter().flatten().all(|(e, _)| matches!(e, El::Word(_) | El::Set(_) | El::Alt(_))) => {
                    let mut phrases = Vec::new();
                    for a in alts {
                        phrases.extend(self.flatten(a, p, depth + 1)?);
                    }
                    let ids = phrases.iter().map(|ph| ph.iter().map(|t| self.lex.intern(t)).collect()).collect();
                    Tok::Set(self.lex.add_set(PhraseSet::new("{|}", ids)))
                }
                El::Alt(alts) => {
                    // Alternatives of several tokens: every sequence so far with
                    // each of their sequences, up to the limit.
                    let mut options = Vec::new();
                    for a in alts {
                        let (seqs, t) = self.expand(a, p, depth + 1)?;
                        truncated |= t;
                        options.extend(seqs);
                    }
                    let mut next = Vec::with_capacity(out.len() * options.len());
                    'outer: for prefix in &out {
                        for opt in &options {
                            if next.len() >= MAX_EXPANSIONS {
                                truncated = true;
                                break 'outer;
                            }
                            let mut s = prefix.clone();
                            for (i, &(t, tt)) in opt.iter().enumerate() {
                                s.push((t, if i == 0 { *tight } else { tt }));
                            }
                            next.push(s);
                        }
                    }
                    out = next;
                    continue;
                }
            };
            // One token: added to every sequence so far (the product with a
            // single option, which never reaches the limit).
            for s in &mut out {
                s.push((token, *tight));
            }
        }
        Ok((out, truncated))
    }

    /// The phrase set of a synset of file `p`, made on first use.
    fn set_id(&mut self, name: &str, p: &Parsed) -> Result<u32, String> {
        let key = (p.name.clone(), name.to_string());
        if let Some(&i) = self.sets.get(&key) {
            return Ok(i);
        }
        let phrases = self.set_phrases(name, p, 0)?;
        let ids = phrases.iter().map(|ph| ph.iter().map(|t| self.lex.intern(t)).collect()).collect();
        let id = self.lex.add_set(PhraseSet::new(name, ids));
        self.sets.insert(key, id);
        Ok(id)
    }

    /// The phrases (normalised tokens) of a synset: each member, and its plural
    /// unless the label or the member ends in `_`.
    fn set_phrases(&mut self, name: &str, p: &Parsed, depth: usize) -> Result<Vec<Vec<String>>, String> {
        let set = p.synsets.get(name).ok_or_else(|| format!("synset &{name} is not defined"))?;
        if depth > 8 {
            return Err(format!("synset &{name} contains itself"));
        }
        let mut out = Vec::new();
        for (member, exact, _) in &set.members {
            let plural = !set.no_plural && !exact && matches!(member.last(), Some((El::Word(_), _)));
            for phrase in self.flatten(member, p, depth + 1)? {
                if plural {
                    if let Some(last) = phrase.last() {
                        let mut pl = phrase.clone();
                        let n = pl.len();
                        pl[n - 1] = regular_plural(last);
                        out.push(pl);
                    }
                }
                out.push(phrase);
            }
        }
        Ok(out)
    }

    /// The phrases (normalised tokens) a word-only sequence stands for.
    fn flatten(&mut self, seq: &Seq, p: &Parsed, depth: usize) -> Result<Vec<Vec<String>>, String> {
        let mut out: Vec<Vec<String>> = vec![Vec::new()];
        for (el, _) in seq {
            let options: Vec<Vec<String>> = match el {
                El::Word(w) => {
                    let toks = word_tokens(&w.text);
                    if p.dialect == Dialect::Tabari && !w.exact {
                        if let Some(last) = toks.last() {
                            self.lex.add_stem(last);
                        }
                    }
                    vec![toks]
                }
                El::Set(name) => self.set_phrases(name, p, depth + 1)?,
                El::Alt(alts) => {
                    let mut all = Vec::new();
                    for a in alts {
                        all.extend(self.flatten(a, p, depth + 1)?);
                    }
                    all
                }
                _ => return Err("a synset or alternative holds words only".to_string()),
            };
            let mut next = Vec::new();
            for prefix in &out {
                for opt in &options {
                    if next.len() >= MAX_EXPANSIONS {
                        break;
                    }
                    let mut s = prefix.clone();
                    s.extend(opt.iter().cloned());
                    next.push(s);
                }
            }
            out = next;
        }
        out.retain(|ph| !ph.is_empty());
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Coder, Document};

    const VERBS: &str = "\
# CAMEO-style verbs for the tests <!-- not a comment start here -->
<!-- a comment
     over two lines -->
&TIES_
+DIPLOMATIC_TIES
+RELATIONS
&CLOSE
+&TIES
+FRIENDSHIP

--- RESTORE [064] ---
RESTORE
RENEW {RENEWS RENEWED RENEWING}   # irregular forms, all listed
- * &CLOSE [064]
- * FULL &TIES [064]
- * CONTACTS [---]
- * (WITH {OLD ENEMY}) [0831]

--- RECEIVE [---] ---
RECEIVE
- + * AID FROM $ [071]

--- ACCUSE [112] ---
ACCUSE
- * + OF_ SPYING [1125]

--- MEET [031] ---
MEET {MEETS MET MEETING}
- % * [036]

--- VISIT [042:043] ---
VISIT
+CALL_ON {+CALLED_ON +CALLS_ON +CALLING_ON}

--- HOLD [---] ---
HOLD {HOLDS HELD HOLDING}
- * TALKS_IN ^ WITH [046]
- SAID * TALKS [045]
- * RALLY [075A]
";

    const ACTORS: &str = "\
<!-- actors -->
ARNOR_ [ARN]
+ARNORIAN_
GONDOR [GON]
+MINAS_TIRITH
MORDOR [MOR]
ROHAN [ROH]
FALASTUR_
+KING_FALASTUR
\t[GONGOV 19900101-19991231]
\t[GONELI >20000101]
\t[GONREB]
BLACK_RIDERS [MORREBNZG]   # an organisation coded as the dictionary says
BOROMIR [---]
US [USA]
";

    const AGENTS: &str = "\
!PERSON! = MAN, MEN
FOREIGN_MINISTER [~GOVFRM]
POLICE {} [~COP]
CONGRESS!PERSON! [~LEG]
HUMAN_RIGHTS_GROUP [NGO~]
";

    const DISCARDS: &str = "\
FOOTBALL
+WORLD_CUP_   # story-level
";

    fn files(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut f = vec![
            ("t.verbs.txt".to_string(), VERBS.to_string()),
            ("t.actors.txt".to_string(), ACTORS.to_string()),
            ("t.agents.txt".to_string(), AGENTS.to_string()),
            ("t.discards.txt".to_string(), DISCARDS.to_string()),
        ];
        f.extend(extra.iter().map(|(n, t)| (n.to_string(), t.to_string())));
        f
    }

    fn lexicon() -> Lexicon {
        Lexicon::from_dictionary_texts(files(&[])).unwrap_or_else(|e| panic!("test dictionaries load: {e:?}"))
    }

    /// "SOURCE code TARGET" for every event of a text published on `date`.
    fn code_on(lex: &Lexicon, text: &str, date: &str) -> Vec<String> {
        let doc = Document { id: "t".into(), text: text.into(), published: date.parse().expect("test date"), url: None, title: None };
        let side = |a: &Option<crate::record::ActorRecord>| a.as_ref().map(|a| a.code.clone()).unwrap_or_else(|| "-".into());
        let mut out: Vec<String> =
            Coder::new(lex).code(&doc).iter().map(|e| format!("{} {} {}", side(&e.source), e.code, side(&e.target))).collect();
        out.sort();
        out
    }

    fn code(lex: &Lexicon, text: &str) -> Vec<String> {
        code_on(lex, text, "2020-06-01")
    }

    /// The patterns written on one line of a file.
    fn patterns_of<'l>(lex: &'l Lexicon, file: &str, line: u32) -> Vec<&'l crate::lexicon::Pattern> {
        lex.patterns.iter().filter(|p| lex.files[p.rule.file as usize] == file && p.rule.line == line).collect()
    }

    #[test]
    fn kinds_and_dialects_come_from_the_file_name() {
        assert_eq!(kind_of(Path::new("CAMEO.2.0.txt")), Some(DictKind::Verbs));
        assert_eq!(kind_of(Path::new("TABARI.Demo.verbs")), Some(DictKind::Verbs));
        assert_eq!(kind_of(Path::new("Phoenix.Countries.actors.txt")), Some(DictKind::Actors));
        assert_eq!(kind_of(Path::new("Validate.agents")), Some(DictKind::Agents));
        assert_eq!(kind_of(Path::new("PETR.Validate.discards.txt")), Some(DictKind::Discards));
        assert_eq!(kind_of(Path::new("Phoenix.IssueCoding.txt")), None);
        let p = parse("x.txt", "");
        assert_eq!(p.errors.len(), 1, "an unknown kind is an error");
    }

    #[test]
    fn comments_are_skipped_in_every_form() {
        let lines = clean_lines("a # b\n<!-- c\nd -->\ne <!-- f --> g\n[###] ; h\n\n  # i\nj ; k\n", &mut parse("t.verbs.txt", ""));
        let got: Vec<(usize, &str)> = lines.iter().map(|(n, l)| (*n, &l[..])).collect();
        assert_eq!(got, [(1, "a"), (4, "e   g"), (5, "[###]"), (8, "j")]);
        // Lines end at '\n' or "\r\n", the first may start with a byte-order mark.
        let lines = clean_lines("\u{feff}[A];b # c\r\n\r\nd\r", &mut parse("t.verbs.txt", ""));
        let got: Vec<(usize, &str)> = lines.iter().map(|(n, l)| (*n, &l[..])).collect();
        assert_eq!(got, [(1, "[A]"), (3, "d")]);
        // A comment opened after a '#' still runs to its end.
        let lines = clean_lines("a # b <!-- c\nd -->\ne\n", &mut parse("t.verbs.txt", ""));
        let got: Vec<(usize, &str)> = lines.iter().map(|(n, l)| (*n, &l[..])).collect();
        assert_eq!(got, [(1, "a"), (3, "e")]);
    }

    #[test]
    fn tabari_dates() {
        let d = |s: &str| s.parse::<Date>().expect("date");
        assert_eq!(tabari_date("950601"), Some(d("1995-06-01")));
        assert_eq!(tabari_date("090120"), Some(d("2009-01-20")));
        assert_eq!(tabari_date("19950601"), Some(d("1995-06-01")));
        // PETRARCH reads seven digits as YYMMDD and ignores the rest.
        assert_eq!(tabari_date("2004017"), Some(d("2020-04-01")));
        assert_eq!(tabari_date("20100931"), None);
        assert_eq!(tabari_date("12ab56"), None);
    }

    #[test]
    fn line_helpers() {
        assert_eq!(CAPS_ONLY_LEN, 4);
        fn scan(l: &str) -> (&str, bool, bool) {
            let s = scan_line(l);
            (&l[..s.cut], s.lt, s.dashes)
        }
        assert_eq!(scan("---STOP--- # x"), ("---STOP--- ", false, true));
        assert_eq!(scan("[AFGELI 620101-950101] ; --- <"), ("[AFGELI 620101-950101] ", true, false));
        assert_eq!(scan("A <!-- [B;C] -- > #"), ("A <!-- [B;C] -- > ", true, false));
        assert_eq!(strip_comment("A [B;C] ; d # e"), "A [B;C] ");
        assert_eq!(strip_comment("É_ÉCOLE # x"), "É_ÉCOLE ");
        let w = |s: &'static str| (s, true);
        assert_eq!(display_name(&[w("MOHAMMAD"), w("ZAHIR"), w("SHAH")]), "Mohammad Zahir Shah");
        assert_eq!(display_name(&[w("ÉCOLE"), w("al-QAIDA"), w("x")]), "École Al-qaida X");
    }

    #[test]
    fn actor_records_and_codes() {
        let p = parse("x.actors.txt", "ARNOR [arn/gon]\n+ARNORIAN\nGONDOR\n\t[ĝon 950101-991231]\n\t[---]\nROHAN [ROH 99]\nTRAILING\n");
        let got: Vec<(Vec<&str>, Vec<&str>)> =
            p.records().map(|a| (a.phrases.iter().map(|(ph, _)| &ph[..]).collect(), a.codes.iter().map(|c| a.code(c)).collect())).collect();
        assert_eq!(got, [(vec!["ARNOR", "ARNORIAN"], vec!["ARN"]), (vec!["GONDOR"], vec!["ĜON", ""])]);
        // A compound code keeps its first part; ROHAN's only code is wrong (an
        // error), so it and the phrase after it end the file without a code.
        let warnings: Vec<usize> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(warnings, [1, 6]);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    }

    #[test]
    fn plurals_of_agents_and_synsets() {
        assert_eq!(regular_plural("MINISTER"), "MINISTERS");
        assert_eq!(regular_plural("PARTY"), "PARTIES");
        assert_eq!(regular_plural("ATTORNEY"), "ATTORNEYS");
        assert_eq!(regular_plural("BOSS"), "BOSSES");
        assert_eq!(regular_plural("church"), "churches");
    }

    #[test]
    fn the_test_dictionaries_load_cleanly() {
        let mut lex = Lexicon::from_texts(std::iter::empty()).expect("empty lexicon");
        let stats = lex.add_dictionary_texts(files(&[])).expect("no errors");
        assert_eq!(stats.actors, 11);
        // Agents: foreign minister(s), police (no plural), congressman, congressmen,
        // human rights group(s).
        assert_eq!(stats.agents, 7);
        assert_eq!(stats.discards, 2);
        assert!(stats.verb_patterns >= 12, "{stats:?}");
        // One warning: 075A is kept, but the codebook knows it only as 075.
        assert!(stats.warnings.is_empty(), "{:?}", stats.warnings);
    }

    #[test]
    fn source_and_target_marks_are_tabaris() {
        // `+` is the target and `$` the source: the reverse of dyad's own files.
        let lex = lexicon();
        assert_eq!(code(&lex, "Gondor received aid from Arnor."), ["ARN 071 GON"]);
        assert_eq!(code(&lex, "Arnor accused Gondor of spying."), ["ARN 1125 GON"]);
    }

    #[test]
    fn verbs_alone_code_the_block_code_with_an_open_target() {
        let lex = lexicon();
        assert_eq!(code(&lex, "Arnor accused Gondor."), ["ARN 112 GON"]);
        // Listed forms only: "renewed" is one, so the block's verbs all match.
        assert_eq!(code(&lex, "Arnor renewed diplomatic ties with Gondor."), ["ARN 064 GON"]);
        // A [---] block codes nothing alone.
        assert!(code(&lex, "Arnor received Gondor.").is_empty());
    }

    #[test]
    fn synsets_nest_and_have_plurals() {
        let lex = lexicon();
        // &CLOSE holds &TIES (no plurals: its label ends in '_') and FRIENDSHIP.
        assert_eq!(code(&lex, "Arnor restored relations with Gondor."), ["ARN 064 GON"]);
        assert_eq!(code(&lex, "Arnor restored friendships with Gondor."), ["ARN 064 GON"]);
        let ps = patterns_of(&lex, "t.verbs.txt", 14);
        assert_eq!(ps.len(), 1);
        let Some(Item::Set(set)) = ps[0].items.iter().find(|i| matches!(i, Item::Set(_))) else { panic!("{:?}", ps[0].items) };
        // diplomatic ties, relations, friendship, friendships.
        assert_eq!(lex.sets[*set as usize].len(), 4);
    }

    #[test]
    fn blocking_patterns_block() {
        let lex = lexicon();
        assert_eq!(code(&lex, "Arnor restored contacts with Gondor."), Vec::<String>::new());
        let ps = patterns_of(&lex, "t.verbs.txt", 16);
        assert_eq!(ps[0].code, BLOCK);
    }

    #[test]
    fn connectors_groupings_and_skips_become_items() {
        let lex = lexicon();
        let id = |w: &str| lex.token_id(w).unwrap_or_else(|| panic!("{w} interned"));
        // `* (WITH {OLD ENEMY})`: groupings are read as their words, spaces as gaps.
        let p = patterns_of(&lex, "t.verbs.txt", 17)[0];
        let gap = Item::Gap(LOOSE_GAP);
        assert!(matches!(p.items[0], Item::Verb(_)), "{:?}", p.items);
        assert_eq!(p.items[1..], [gap, Item::Word(id("with")), gap, Item::Word(id("old")), gap, Item::Word(id("enemy")), Item::Target]);
        // `* TALKS_IN ^ WITH`: '_' is adjacency, '^' a skipped noun phrase.
        let p = patterns_of(&lex, "t.verbs.txt", 37)[0];
        let skip = Item::Gap(LOOSE_GAP + SKIP_GAP + LOOSE_GAP);
        assert_eq!(p.items[1..], [gap, Item::Word(id("talks")), Item::Word(id("in")), skip, Item::Word(id("with")), Item::Target]);
        assert_eq!(code(&lex, "Arnor held talks in the old capital with Gondor."), ["ARN 046 GON"]);
        // Words before the verb.
        assert_eq!(code(&lex, "Arnor said it would hold talks with Gondor."), ["ARN 045 GON"]);
    }

    #[test]
    fn paired_codes_code_both_directions() {
        let lex = lexicon();
        assert_eq!(code(&lex, "Arnor visited Gondor."), ["ARN 042 GON", "GON 043 ARN"]);
        // A multi-word verb ("+CALL_ON") with its listed forms.
        assert_eq!(code(&lex, "Arnor called on Gondor."), ["ARN 042 GON", "GON 043 ARN"]);
    }

    #[test]
    fn compound_actors_act_on_each_other() {
        let lex = lexicon();
        assert_eq!(code(&lex, "Gondor and Rohan met."), ["GON 036 ROH", "ROH 036 GON"]);
        let p = patterns_of(&lex, "t.verbs.txt", 29)[0];
        assert_eq!(p.items[0], Item::Compound);
        // One actor is no compound: the verb alone codes.
        assert_eq!(code(&lex, "Gondor met Rohan."), ["GON 031 ROH"]);
    }

    #[test]
    fn odd_codes_are_kept_as_written_with_a_warning() {
        let mut lex = Lexicon::from_texts(std::iter::empty()).expect("empty lexicon");
        let v = "--- X [---] ---\nX\n- * A [075A]\n- * B [903]\n- * C [+++]\n- * D [:173]\n";
        let stats = lex.add_dictionary_texts([("x.verbs.txt".to_string(), v.to_string())]).expect("no errors");
        let codes: Vec<(&str, Option<&str>)> = lex.patterns.iter().map(|p| (p.code.as_str(), p.reverse.as_deref())).collect();
        assert_eq!(codes, [("075A", None), ("903", None), (BLOCK, Some("173"))]);
        let lines: Vec<usize> = stats.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [4, 5], "{:?}", stats.warnings);
    }

    #[test]
    fn dated_actors_take_the_code_of_the_event_date() {
        let lex = lexicon();
        assert_eq!(code_on(&lex, "King Falastur accused Arnor.", "1995-03-01"), ["GONGOV 112 ARN"]);
        assert_eq!(code_on(&lex, "King Falastur accused Arnor.", "2005-03-01"), ["GONELI 112 ARN"]);
        // Restrictions are inclusive.
        assert_eq!(code_on(&lex, "Falastur accused Arnor.", "1999-12-31"), ["GONGOV 112 ARN"]);
        // No restriction covers 1980: the undated code.
        assert_eq!(code_on(&lex, "Falastur accused Arnor.", "1980-03-01"), ["GONREB 112 ARN"]);
        // A person: "he" is Falastur.
        assert_eq!(code_on(&lex, "Falastur spoke. Later he accused Arnor.", "1995-03-01"), ["GONGOV 112 ARN"]);
    }

    #[test]
    fn codes_are_the_dictionarys() {
        let lex = lexicon();
        assert_eq!(code(&lex, "The Black Riders accused Gondor."), ["MORREBNZG 112 GON"]);
        let o = lex.organisations.iter().find(|o| o.code == "MORREBNZG").expect("organisation");
        assert_eq!((o.country.as_deref(), o.role.as_deref()), (Some("MOR"), Some("REB")));
        // [---] is no actor.
        assert!(code(&lex, "Boromir accused Gondor.").is_empty());
        // A function word as an actor must be written in capitals.
        assert_eq!(code(&lex, "The US accused Gondor."), ["USA 112 GON"]);
        assert!(code(&lex, "Let us accuse Gondor.").is_empty());
    }

    #[test]
    fn agents_append_their_code() {
        let lex = lexicon();
        assert_eq!(code(&lex, "Arnor's foreign minister accused Gondor."), ["ARNGOVFRM 112 GON"]);
        assert_eq!(code(&lex, "Arnorian police accused Gondor."), ["ARNCOP 112 GON"]);
        assert_eq!(code(&lex, "An Arnorian congressman accused Gondor."), ["ARNLEG 112 GON"]);
        // A prefix agent goes before the actor's code.
        assert_eq!(code(&lex, "An Arnorian human rights group accused Gondor."), ["NGOARN 112 GON"]);
        let r = lex.roles.iter().position(|r| r == "GOVFRM").expect("role GOVFRM");
        let ministers = [lex.token_id("foreign"), lex.token_id("ministers")];
        let (_, hits) = lex.longest_phrase(&ministers).expect("plural agent");
        assert!(hits.iter().any(|h| h.entry == Entry::Role(r as u16)));
    }

    #[test]
    fn discards_suppress_sentences_and_stories() {
        let lex = lexicon();
        assert!(code(&lex, "Arnor accused Gondor of cheating at footballs.").is_empty());
        assert_eq!(code(&lex, "Arnor accused Gondor. The football match was cancelled."), ["ARN 112 GON"]);
        assert!(code(&lex, "Arnor accused Gondor. The World Cup was cancelled.").is_empty());
        // Story-level phrases are exact when written with a trailing '_'.
        assert_eq!(code(&lex, "Arnor accused Gondor. The World Cups were cancelled."), ["ARN 112 GON"]);
    }

    #[test]
    fn errors_name_file_and_line_and_loading_goes_on() {
        let bad_verbs = "--- ATTACK [190] ---\nATTACK\n- * BASE\n- * ( BASE [191]\n- * CITY [193]\n- ARMY [194]\n";
        let bad_actors = "\t[XYZ]\nOSGILIATH [OSG]\nANORIEN\n\t[GON 1234]\nROHAN [ROH]\n";
        let bad_agents = "SOLDIER [~MIL\nGUARD {GUARDS [~MIL]\nCAPTAIN [~MIL]\n";
        let mut lex = Lexicon::from_texts(std::iter::empty()).expect("empty lexicon");
        let errs = lex
            .add_dictionary_texts([
                ("b.verbs.txt".to_string(), bad_verbs.to_string()),
                ("b.actors.txt".to_string(), bad_actors.to_string()),
                ("b.agents.txt".to_string(), bad_agents.to_string()),
            ])
            .expect_err("malformed lines are errors");
        let at: Vec<String> = errs
            .iter()
            .map(|e| match e {
                LexiconError::Syntax { file, line, .. } => format!("{file}:{line}"),
                LexiconError::Io { path, .. } => path.clone(),
            })
            .collect();
        assert_eq!(at, ["b.verbs.txt:3", "b.verbs.txt:6", "b.actors.txt:1", "b.actors.txt:4", "b.agents.txt:2"]);
        // Everything else was added: the good pattern and verb, the good actors
        // and agents (the unclosed "[~MIL" is read to the end, as PETRARCH does).
        assert_eq!(code(&lex, "Osgiliath attacked the city of Rohan."), ["OSG 193 ROH"]);
        assert!(lex.patterns.iter().any(|p| p.code == "193"));
        assert!(lex.countries.iter().any(|c| c.iso == "OSG"));
        assert!(lex.roles.iter().any(|r| r == "MIL"));
        let captain = [lex.token_id("captain")];
        assert!(lex.longest_phrase(&captain).is_some());
    }

    #[test]
    fn check_reports_every_error_of_every_file() {
        let dir = std::env::temp_dir().join(format!("dyad-dict-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let verbs = dir.join("x.verbs.txt");
        let actors = dir.join("x.actors.txt");
        std::fs::write(&verbs, "--- A [010] ---\nA\n- * B\n- * C [010]\n- D [011]\n").expect("write");
        std::fs::write(&actors, "ARNOR [ARN]\n\t[ARN 95x]\n").expect("write");
        let missing = dir.join("missing.agents.txt");
        let errs = check(&[verbs.clone(), actors.clone(), missing]);
        let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 4, "{lines:#?}");
        assert!(lines[0].ends_with("x.verbs.txt:3: a pattern needs its event code in [...] at the end"), "{lines:#?}");
        assert!(lines[1].contains("x.verbs.txt:5:"), "{lines:#?}");
        assert!(lines[2].contains("x.actors.txt:2:"), "{lines:#?}");
        assert!(matches!(errs[3], LexiconError::Io { .. }));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn tabari_files_have_stems_and_alternatives() {
        let verbs = "ACCUS [112] ; stem\n- + { WAS | WERE } * BY_ $ [1122]\nCONDEMN_ [122]\n";
        let actors = "ARGENTIN [ARG] ; a stem\nCHILE_ [CHL]\nBRAZIL_  [BRA]\n";
        let lex =
            Lexicon::from_dictionary_texts([("d.verbs".to_string(), verbs.to_string()), ("d.actors".to_string(), actors.to_string())])
                .expect("loads");
        assert_eq!(code(&lex, "Argentina accused Chile."), ["ARG 112 CHL"]);
        assert_eq!(code(&lex, "The Argentinians accused Chile."), ["ARG 112 CHL"]);
        assert_eq!(code(&lex, "Chile was accused by Argentina."), ["ARG 1122 CHL"]);
        // An exact word is no stem.
        assert!(code(&lex, "Chileans accused Brazil.").is_empty());
    }

    #[test]
    fn verb_forms_are_listed_or_derived() {
        let lex = lexicon();
        let forms = |w: &str| lex.token_id(w).map(|id| lex.verb_forms(id).len()).unwrap_or(0);
        assert!(forms("renews") > 0 && forms("renewing") > 0);
        assert!(forms("restores") > 0 && forms("restored") > 0 && forms("restoring") > 0);
        // "met", "meeting" are listed for MEET; "meeted" is not derived.
        assert!(forms("met") > 0);
        assert_eq!(forms("meeted"), 0);
    }

    // ---- the real dictionaries (third-party; read in place, skipped without them)

    fn shared() -> Option<PathBuf> {
        let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
        if p.is_dir() {
            Some(p)
        } else {
            eprintln!("skipped: ../shared is not present");
            None
        }
    }

    #[test]
    fn the_phoenix_set_loads_without_errors() {
        let Some(dir) = shared() else { return };
        let d = dir.join("reference/petrarch-dictionaries");
        let paths: Vec<PathBuf> = PHOENIX.iter().map(|f| d.join(f)).collect();
        assert!(check(&paths).is_empty(), "{:#?}", check(&paths));
        let mut lex = Lexicon::builtin().expect("builtin");
        let stats = lex.add_dictionaries(&paths).unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(stats.actors > 15_000, "{} actor phrases", stats.actors);
        assert!(stats.verb_patterns > 10_000, "{} verb patterns", stats.verb_patterns);
        assert!(stats.agents > 2_000 && stats.discards > 400, "{stats:?}");
        // A real sentence: a Phoenix actor, a CAMEO.2.0 verb.
        let doc = "Hamas fighters attacked Israeli troops in Gaza on Monday.";
        // The dictionaries' verbs are marked in the vocabulary's classes too.
        assert!(crate::lexicon::tests::verb_forms_by_class(&lex, doc).iter().any(|w| w == "attacked"));
        let got = code_on(&lex, doc, "2014-07-21");
        assert!(got.iter().any(|e| e.starts_with("PSE") && e.contains(" 19") && e.ends_with("ISRMIL")), "{got:?}");
    }

    #[test]
    fn the_validation_dictionaries_load_without_errors() {
        let Some(dir) = shared() else { return };
        let e = dir.join("eval");
        let petr: Vec<PathBuf> =
            ["verbs", "actors", "agents", "discards"].iter().map(|k| e.join(format!("petrarch/PETR.Validate.{k}.txt"))).collect();
        let tabari: Vec<PathBuf> =
            ["TABARI.Demo.verbs", "TABARI.Demo.actors", "Validate.agents"].iter().map(|f| e.join("tabari").join(f)).collect();
        for paths in [petr, tabari] {
            assert!(check(&paths).is_empty(), "{:#?}", check(&paths));
            let lex = Lexicon::from_dictionaries(&paths).unwrap_or_else(|e| panic!("{e:#?}"));
            // The suites' first record.
            let doc = "Arnor is about to restore full diplomatic ties with Gondor almost five years after crowds trashed its embassy.";
            assert!(code_on(&lex, doc, "1995-01-01").contains(&"ARN 064 GON".to_string()));
        }
    }

    #[test]
    fn the_cameo_verb_dictionaries_report_only_their_real_errors() {
        let Some(dir) = shared() else { return };
        let d = dir.join("reference/petrarch-dictionaries");
        // TABARI's master file has a dozen malformed lines ("{ WAS | WERE ]", two
        // '*'): each is reported with its line, the rest loads.
        let errs = check(&[d.join("CAMEO.091003.master.verbs")]);
        assert_eq!(errs.len(), 12, "{errs:#?}");
        assert!(errs[0].to_string().contains("CAMEO.091003.master.verbs:7990:"), "{}", errs[0]);
        let mut lex = Lexicon::from_texts(std::iter::empty()).expect("empty");
        assert!(lex.add_dictionaries(&[d.join("CAMEO.091003.master.verbs")]).is_err());
        assert!(lex.patterns.len() > 15_000, "{}", lex.patterns.len());
    }
}
