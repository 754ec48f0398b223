//! Text layer: tokens and sentences with byte offsets into the original document.
//!
//! This module owns tokenisation (words, numbers, punctuation), per-token
//! normalisation (lowercase, curly quotes to straight ones, dashes to `-`, soft
//! hyphens dropped, possessive `'s` split off), sentence splitting (abbreviations,
//! decimals, initials, quotations, ellipses, paragraph breaks, a hard cap of
//! [`MAX_SENTENCE_TOKENS`]) and dateline detection ("BAGHDAD --",
//! "LONDON, March 3 (Reuters) -"), which only marks where a sentence's body starts.
//! It does not know about actors, places, dates or verbs: it never looks words up
//! in a lexicon, and a dateline's place and date are left for the later stages to
//! read if they want them.
//!
//! Normalisation is per token, never a rewrite of the document: each [`Token`]
//! keeps the byte span of its original surface and carries its normalised form in
//! `norm`. Every span reported downstream (actors, triggers, evidence) therefore
//! points into the text the user gave us, while matching works on the clean form.
//!
//! Everything here is a single left-to-right pass (plus one cheap pass over the
//! tokens), with bounded look-ahead, so `analyse` is linear in the input, and it
//! never panics: any `&str` is valid input.

use std::ops::Range;

use compact_str::CompactString;

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
    /// Kept inline (no heap allocation) up to 24 bytes, which is nearly every word.
    pub norm: CompactString,
    pub kind: TokenKind,
    /// First character is an uppercase letter in the original text.
    pub cap: bool,
    /// The closed-class lists the norm is in, as [`crate::words::Class`] bits,
    /// its time classes ([`crate::words::TIME_SHIFT`]) and whether it is itself
    /// a verb form ([`crate::words::VERB_FORM`]): 0 from the
    /// tokeniser, filled by the lexicon's lookup of the token
    /// ([`crate::lexicon::Lexicon::token_ids`]). Held where the token's layout
    /// had room (it is no larger for it).
    pub classes: u32,
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

/// No sentence holds more tokens than this: a longer run without a sentence end
/// (tables, lists, text without punctuation) is cut, preferably after a comma,
/// semicolon, colon or dash in the second half of the window.
pub const MAX_SENTENCE_TOKENS: usize = 250;

/// Tokenise and split a document's text.
///
/// Token decisions worth knowing:
/// - Ordinals and decades are [`TokenKind::Number`] with the suffix kept in
///   `norm` ("29th", "1990s"); other digit-letter mixes are words ("5G", "100km").
/// - Abbreviations with dots are one word keeping the dots in `norm` ("u.s.",
///   "mr.", "jan.", "a.m."), as are single-letter initials ("W." in
///   "George W. Bush"). "No." is an abbreviation only before a number.
/// - "U.S.-backed" is "u.s.", "-", "backed" (the actor stays its own token);
///   "al-Qaida", "Kim Jong-un", "F-16" are single words; "10-16" is
///   Number, Punct, Number.
/// - An ellipsis ("..." or "…") is a single Punct token with norm "...".
/// - Possessives: "Abe's" is "abe", "'s"; "leaders' talks" is "leaders", "'s"
///   (the `'s` token's span is then the lone apostrophe), except inside a
///   single-quoted stretch, where the apostrophe closes the quote.
pub fn analyse(text: &str) -> Text {
    let mut lexer = Lexer {
        s: text,
        b: text.as_bytes(),
        tokens: Vec::with_capacity(text.len() / 5 + 4),
        gaps: Vec::with_capacity(text.len() / 5 + 4),
        open_sq: false,
    };
    lexer.run();
    let Lexer { tokens, gaps, .. } = lexer;
    let sentences = Splitter::new(text, &tokens, &gaps).run();
    Text { tokens, sentences }
}

// ---------------------------------------------------------------------------
// Character classes

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{201B}' | '\u{02BC}')
}

#[inline]
fn is_word_joiner_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

#[inline]
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE20..=0xFE2F)
}

/// Invisible format characters: skipped between tokens.
#[inline]
fn is_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFE00..=0xFE0F | 0xFEFF
        | 0xE0000..=0xE007F)
}

/// Characters that continue a word: letters, digits, combining marks, ZWNJ/ZWJ.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_mark(c) || c == '\u{200C}' || c == '\u{200D}'
    }
}

/// Line breaks a character counts for (a paragraph separator counts as a blank line).
#[inline]
fn line_breaks(c: char) -> u32 {
    match c {
        '\n' | '\u{0085}' | '\u{2028}' => 1,
        '\u{2029}' | '\u{000B}' | '\u{000C}' => 2,
        _ => 0,
    }
}

#[inline]
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201C}' | '\u{2018}' | '\u{201E}' | '(' | '[' | '{' | '\u{00AB}' | '\u{2039}' | '\u{00BF}' | '\u{00A1}')
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']' | '}' | '\u{00BB}' | '\u{203A}')
}

#[inline]
fn is_bullet(c: char) -> bool {
    matches!(c, '\u{2022}' | '*' | '-' | '\u{2013}' | '\u{2014}' | '\u{00B7}' | '\u{25AA}' | '\u{25CF}' | '\u{25E6}' | '\u{2023}')
}

/// Append the normalised form of `c` to `out`.
#[inline]
fn push_norm(out: &mut CompactString, c: char) {
    match c {
        '\u{00AD}' => {}
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{2026}' => out.push_str("..."),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => out.extend(c.to_lowercase()),
    }
}

fn norm_of(span: &str) -> CompactString {
    if span.is_ascii() {
        // Lowercased whether or not it has capitals: a branch per byte to find
        // out costs more than it saves.
        let mut out = CompactString::new(span);
        out.make_ascii_lowercase();
        return out;
    }
    let mut out = CompactString::with_capacity(span.len());
    for c in span.chars() {
        push_norm(&mut out, c);
    }
    out
}

/// Decode the char starting at byte `i` of `s` (None at the end or off a boundary).
#[inline]
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Checked on the contiguous source text rather than on `norm` (a cache miss).
#[inline]
fn surface_ends_with_dot(text: &str, t: &Token) -> bool {
    t.end > 0 && text.as_bytes().get(t.end - 1) == Some(&b'.')
}

#[inline]
fn first_char(text: &str, t: &Token) -> char {
    char_at(text, t.start).map_or('\u{FFFD}', |(c, _)| c)
}

// ---------------------------------------------------------------------------
// Abbreviations and small closed word lists (all lowercase, without the dot)

/// Abbreviations that (almost) never end a sentence: titles, months, "No.", "vs.".
const TITLE_ABBREVS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "drs", "gen", "gens", "lt", "col", "capt", "cpt", "sgt", "cpl", "pvt", "maj", "adm", "brig", "cmdr",
    "cdr", "sen", "sens", "rep", "reps", "gov", "govs", "pres", "prof", "mt", "ft", "rev", "hon", "rt", "amb", "supt", "insp", "det", "fr",
    "messrs", "mme", "mlle", "no", "nos", "vs", "fig", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Abbreviations that often end a sentence: company suffixes, "Jr.", "St."
/// (street or saint), "Jun."/"Jul." (also given names), US states.
const AMBIG_ABBREVS: &[&str] = &[
    "st", "jun", "jul", "inc", "corp", "ltd", "co", "bros", "jr", "sr", "ave", "blvd", "dept", "univ", "est", "approx", "ala", "ariz",
    "ark", "calif", "colo", "conn", "fla", "ga", "kan", "kans", "ky", "la", "md", "mich", "minn", "mo", "mont", "neb", "nev", "okla",
    "ore", "pa", "tenn", "tex", "va", "vt", "wis", "wyo",
];

/// Abbreviations recognised even when written in lowercase.
const LOWER_ABBREVS: &[&str] = &["vs", "etc", "approx", "est"];

/// Capitalised words that, after an ambiguous abbreviation ("U.S.", "Inc.", "p.m."),
/// show that a new sentence has started.
const STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "this",
    "that",
    "these",
    "those",
    "there",
    "but",
    "and",
    "or",
    "however",
    "meanwhile",
    "in",
    "on",
    "at",
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "yet",
    "so",
    "still",
    "then",
    "also",
    "both",
    "some",
    "many",
    "most",
    "earlier",
    "later",
    "since",
    "during",
    "although",
    "though",
    "according",
    "despite",
    "what",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const AGENCIES: &[&str] = &[
    "ap",
    "reuters",
    "afp",
    "ians",
    "pti",
    "ani",
    "xinhua",
    "upi",
    "dpa",
    "bloomberg",
    "cnn",
    "bbc",
    "yonhap",
    "kyodo",
    "jiji",
    "tass",
    "ria",
    "sputnik",
    "anadolu",
    "aa",
    "efe",
    "ansa",
    "kcna",
    "irna",
    "wafa",
    "spa",
    "wam",
    "mena",
    "app",
    "bss",
    "bernama",
    "pna",
    "antara",
    "cna",
    "nhk",
    "interfax",
    "ukrinform",
    "uni",
    "ips",
    "apa",
    "ptv",
];

/// Lowercase particles allowed inside a dateline place name ("Rio de Janeiro").
const PLACE_PARTICLES: &[&str] = &[
    "de", "da", "del", "do", "dos", "das", "di", "du", "la", "le", "al", "el", "of", "upon", "am", "an", "der", "van", "von", "y", "es",
    "sur",
];

#[inline]
fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// Lowercase an ASCII-letter word of at most 8 bytes into `buf`.
fn ascii_lower<'b>(word: &[u8], buf: &'b mut [u8; 8]) -> Option<&'b str> {
    if word.is_empty() || word.len() > buf.len() || !word.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..word.len()]).ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Abbrev {
    /// Mr., Gen., Jan., No., e.g.: the sentence goes on.
    Title,
    /// U.S., Inc., Jr., a.m., W.: ends a sentence only with clear evidence.
    Ambiguous,
    /// etc.: ends a sentence before a capitalised word.
    Etc,
}

fn abbrev_class(norm: &str) -> Abbrev {
    let stem = norm.strip_suffix('.').unwrap_or(norm);
    if stem == "etc" {
        Abbrev::Etc
    } else if stem == "e.g" || stem == "i.e" || stem == "cf" || in_list(TITLE_ABBREVS, stem) {
        Abbrev::Title
    } else {
        Abbrev::Ambiguous
    }
}

// ---------------------------------------------------------------------------
// Tokeniser

/// Gap byte stored per token: bits 0-1 = line breaks before it (saturating at 3),
/// bit 2 = some whitespace (or skipped character) before it.
const GAP_WS: u8 = 4;

struct Lexer<'a> {
    s: &'a str,
    b: &'a [u8],
    tokens: Vec<Token>,
    gaps: Vec<u8>,
    /// Inside a single-quoted stretch ('like this'): a trailing "s'" closes it
    /// rather than marking a plural possessive.
    open_sq: bool,
}

impl<'a> Lexer<'a> {
    #[inline]
    fn peek(&self, i: usize) -> Option<(char, usize)> {
        char_at(self.s, i)
    }

    #[inline]
    fn push(&mut self, start: usize, end: usize, norm: CompactString, kind: TokenKind, gap: u8) {
        let cap = self.peek(start).is_some_and(|(c, _)| c.is_uppercase());
        self.tokens.push(Token { start, end, norm, kind, cap, classes: 0 });
        self.gaps.push(gap);
    }

    fn run(&mut self) {
        let len = self.b.len();
        let mut i = 0;
        let mut nl: u32 = 0;
        let mut ws = false;
        while i < len {
            // ASCII fast path for the common separators.
            match self.b[i] {
                b' ' | b'\t' => {
                    ws = true;
                    i += 1;
                    continue;
                }
                b'\n' => {
                    nl = nl.saturating_add(1);
                    ws = true;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let Some((c, l)) = self.peek(i) else {
                // Not reachable for a valid &str; step on rather than loop forever.
                i += 1;
                continue;
            };
            // Letters and digits, nearly every token's first byte, are none of
            // the separators below.
            if !c.is_ascii_alphanumeric() {
                if c == '\r' {
                    if self.b.get(i + 1) != Some(&b'\n') {
                        nl = nl.saturating_add(1);
                    }
                    ws = true;
                    i += 1;
                    continue;
                }
                let lb = line_breaks(c);
                if lb > 0 {
                    nl = nl.saturating_add(lb);
                    ws = true;
                    i += l;
                    continue;
                }
                if c == ' ' || c == '\t' || c.is_whitespace() || c.is_control() || is_format(c) || is_mark(c) {
                    ws = true;
                    i += l;
                    continue;
                }
            }
            let gap = (nl.min(3) as u8) | if ws { GAP_WS } else { 0 };
            if nl > 0 {
                self.open_sq = false;
            }
            nl = 0;
            ws = false;
            i = if c.is_ascii_digit() {
                self.number(i, gap)
            } else if c.is_alphanumeric() {
                self.word(i, gap)
            } else {
                self.punct(i, c, l, gap)
            };
        }
    }

    /// Scan a word from `start`; returns (end, whether it has inner dots).
    fn scan_word(&self, start: usize) -> (usize, bool) {
        let mut j = start;
        let mut seg = 0usize; // chars in the current dot-separated segment
        let mut seg_alpha = true;
        let mut dotted = false;
        let b = self.b;
        loop {
            // ASCII fast path.
            while let Some(&x) = b.get(j) {
                if x.is_ascii_alphabetic() {
                    seg += 1;
                } else if x.is_ascii_digit() {
                    seg += 1;
                    seg_alpha = false;
                } else {
                    break;
                }
                j += 1;
            }
            let Some((c, l)) = self.peek(j) else { break };
            if is_word_char(c) {
                seg += 1;
                seg_alpha &= c.is_alphabetic();
                j += l;
                continue;
            }
            let next = self.peek(j + l);
            if c == '\u{00AD}' || is_word_joiner_hyphen(c) {
                let ok = match next {
                    Some((n, _)) if c == '\u{00AD}' => is_word_char(n),
                    Some((n, _)) => n.is_alphanumeric(),
                    None => false,
                };
                if ok {
                    seg += 1;
                    j += l;
                    continue;
                }
                break;
            }
            if is_apostrophe(c) {
                match next {
                    Some((n, nl)) if n.is_alphabetic() => {
                        if (n == 's' || n == 'S') && !self.peek(j + l + nl).is_some_and(|(x, _)| is_word_char(x)) {
                            break; // possessive 's: its own token
                        }
                        // "didn't" is "did" + "n't", as treebanks and dictionaries
                        // write it.
                        if (n == 't' || n == 'T')
                            && j > start + 1
                            && matches!(self.b[j - 1], b'n' | b'N')
                            && !self.peek(j + l + nl).is_some_and(|(x, _)| is_word_char(x))
                        {
                            j -= 1;
                            break;
                        }
                        seg += 1;
                        j += l;
                        continue;
                    }
                    _ => break,
                }
            }
            if c == '.' {
                let short = (1..=2).contains(&seg) && seg_alpha;
                match next {
                    Some((n, _)) if short && n.is_alphabetic() => {
                        dotted = true;
                        seg = 0;
                        seg_alpha = true;
                        j += 1;
                        continue;
                    }
                    Some(('.', _)) => {}
                    _ if short && dotted => {
                        j += 1; // final dot of "U.S."
                    }
                    _ => {}
                }
            }
            break;
        }
        (j, dotted)
    }

    fn word(&mut self, start: usize, gap: u8) -> usize {
        let (mut end, dotted) = self.scan_word(start);
        if !dotted && self.b.get(end) == Some(&b'.') && self.b.get(end + 1) != Some(&b'.') && self.absorbs_dot(start, end) {
            end += 1;
        }
        let norm = norm_of(&self.s[start..end]);
        self.push(start, end, norm, TokenKind::Word, gap);
        self.after_word(start, end)
    }

    /// Does the word `start..end`, followed by '.', take the dot ("Mr.", "W.")?
    fn absorbs_dot(&self, start: usize, end: usize) -> bool {
        let w = &self.s[start..end];
        let mut chars = w.chars();
        let first = chars.next();
        if let (Some(c), None) = (first, chars.next()) {
            return c.is_uppercase(); // an initial
        }
        let mut buf = [0u8; 8];
        let Some(low) = ascii_lower(w.as_bytes(), &mut buf) else {
            return false;
        };
        let upper_first = first.is_some_and(|c| c.is_ascii_uppercase());
        if low == "no" || low == "nos" {
            // "No. 10" but not "she said no."
            let rest = &self.b[end + 1..];
            let k = rest.iter().take(3).take_while(|b| **b == b' ').count();
            return upper_first && rest.get(k).is_some_and(u8::is_ascii_digit);
        }
        if in_list(LOWER_ABBREVS, low) {
            return true;
        }
        upper_first && (in_list(TITLE_ABBREVS, low) || in_list(AMBIG_ABBREVS, low))
    }

    /// After a word or number ending at `end`: split off a possessive "'s" / "s'"
    /// or a negation "n't".
    fn after_word(&mut self, start: usize, end: usize) -> usize {
        let Some((c, l)) = self.peek(end) else {
            return end;
        };
        if matches!(c, 'n' | 'N') {
            if let Some((a, al)) = self.peek(end + l) {
                if is_apostrophe(a) && self.peek(end + l + al).is_some_and(|(t, _)| t == 't' || t == 'T') {
                    let stop = end + l + al + 1;
                    self.tokens.push(Token {
                        start: end,
                        end: stop,
                        norm: CompactString::const_new("n't"),
                        kind: TokenKind::Word,
                        cap: false,
                        classes: 0,
                    });
                    self.gaps.push(0);
                    return stop;
                }
            }
            return end;
        }
        if !is_apostrophe(c) {
            return end;
        }
        if let Some((n, nl)) = self.peek(end + l) {
            if (n == 's' || n == 'S') && !self.peek(end + l + nl).is_some_and(|(x, _)| is_word_char(x)) {
                self.tokens.push(Token {
                    start: end,
                    end: end + l + nl,
                    norm: CompactString::const_new("'s"),
                    kind: TokenKind::Word,
                    cap: false,
                    classes: 0,
                });
                self.gaps.push(0);
                return end + l + nl;
            }
        }
        // Plural possessive: "leaders' talks".
        let ends_in_s = end > start && matches!(self.b[end - 1], b's' | b'S');
        if ends_in_s && !self.open_sq && c != '\u{2018}' {
            let rest = &self.b[end + l..];
            let k = rest.iter().take(4).take_while(|b| **b == b' ' || **b == b'\t').count();
            if k > 0 && rest.get(k).is_some_and(u8::is_ascii_alphanumeric) {
                self.tokens.push(Token {
                    start: end,
                    end: end + l,
                    norm: CompactString::const_new("'s"),
                    kind: TokenKind::Word,
                    cap: false,
                    classes: 0,
                });
                self.gaps.push(0);
                return end + l;
            }
        }
        end
    }

    fn number(&mut self, start: usize, gap: u8) -> usize {
        let b = self.b;
        let mut j = start;
        loop {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < b.len() && (b[j] == b'.' || b[j] == b',') && b[j + 1].is_ascii_digit() {
                j += 1;
                continue;
            }
            break;
        }
        let k = j + b[j..].iter().take_while(|x| x.is_ascii_alphabetic()).count();
        if k > j {
            let mut buf = [0u8; 8];
            let suffix = ascii_lower(&b[j..k], &mut buf);
            let ordinal = matches!(suffix, Some("st" | "nd" | "rd" | "th" | "s"));
            if ordinal && !self.peek(k).is_some_and(|(x, _)| is_word_char(x)) {
                j = k;
            } else if !b[start..j].contains(&b'.') && !b[start..j].contains(&b',') {
                // "5G", "100km", "3D-printed": a word.
                return self.word(start, gap);
            }
        } else if let Some((c, _)) = self.peek(j) {
            if is_word_char(c) && !b[start..j].contains(&b'.') && !b[start..j].contains(&b',') {
                return self.word(start, gap); // digits followed by other letters
            }
        }
        let norm = norm_of(&self.s[start..j]);
        self.push(start, j, norm, TokenKind::Number, gap);
        self.after_word(start, j)
    }

    fn punct(&mut self, start: usize, c: char, l: usize, gap: u8) -> usize {
        if c == '.' {
            let run = self.b[start..].iter().take_while(|x| **x == b'.').count();
            if run >= 3 {
                self.push(start, start + run, CompactString::const_new("..."), TokenKind::Punct, gap);
                return start + run;
            }
        }
        let next = self.peek(start + l).map(|(n, _)| n);
        let next_alnum = next.is_some_and(char::is_alphanumeric);
        if matches!(c, '\'' | '\u{2018}' | '\u{201B}') {
            let after_space_or_open = gap & GAP_WS != 0
                || self.tokens.last().is_none()
                || self.tokens.last().is_some_and(|t| t.kind == TokenKind::Punct && is_opener(first_char(self.s, t)));
            if next_alnum && (c == '\u{2018}' || after_space_or_open) {
                self.open_sq = true;
            } else if c == '\'' && !next_alnum {
                self.open_sq = false;
            }
        } else if c == '\u{2019}' && !next_alnum {
            self.open_sq = false;
        }
        let mut norm = CompactString::with_capacity(l.max(3));
        push_norm(&mut norm, c);
        self.push(start, start + l, norm, TokenKind::Punct, gap);
        start + l
    }
}

// ---------------------------------------------------------------------------
// Sentence splitter

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Term {
    /// "." (period = true), "?", "!".
    Stop {
        period: bool,
    },
    Ellipsis,
    Abbrev(Abbrev),
}

struct Splitter<'a> {
    text: &'a str,
    toks: &'a [Token],
    gaps: &'a [u8],
    /// Hard-wrapped text: a single newline is just a space.
    wrapped: bool,
    out: Vec<Sentence>,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str, toks: &'a [Token], gaps: &'a [u8]) -> Self {
        // Hard-wrapped text shows many single line breaks inside sentences
        // ("met with\nthe president"); in it a line break proves nothing.
        let mut word_line_ends = 0usize;
        let mut lower_continuations = 0usize;
        for i in 1..toks.len() {
            if gaps[i] & 3 != 1 {
                continue;
            }
            let p = &toks[i - 1];
            if p.kind == TokenKind::Number || (p.kind == TokenKind::Word && !surface_ends_with_dot(text, p)) {
                word_line_ends += 1;
                if toks[i].kind == TokenKind::Word && !toks[i].cap {
                    lower_continuations += 1;
                }
            }
        }
        let wrapped = lower_continuations >= 2 && lower_continuations * 5 >= word_line_ends;
        Splitter { text, toks, gaps, wrapped, out: Vec::with_capacity(toks.len() / 16 + 1) }
    }

    #[inline]
    fn nl_raw(&self, i: usize) -> u8 {
        self.gaps[i] & 3
    }

    #[inline]
    fn nl(&self, i: usize) -> u8 {
        let n = self.gaps[i] & 3;
        if n == 1 && self.wrapped {
            0
        } else {
            n
        }
    }

    #[inline]
    fn ws(&self, i: usize) -> bool {
        self.gaps[i] & GAP_WS != 0
    }

    #[inline]
    fn fc(&self, i: usize) -> char {
        first_char(self.text, &self.toks[i])
    }

    fn term(&self, i: usize) -> Option<Term> {
        let t = &self.toks[i];
        match t.kind {
            TokenKind::Punct => match self.fc(i) {
                '.' if t.norm == "..." => Some(Term::Ellipsis),
                '.' | '\u{3002}' => Some(Term::Stop { period: true }),
                '?' | '!' | '\u{FF01}' | '\u{FF1F}' | '\u{203C}' | '\u{2047}' | '\u{2048}' | '\u{2049}' => {
                    Some(Term::Stop { period: false })
                }
                '\u{2026}' => Some(Term::Ellipsis),
                _ => None,
            },
            TokenKind::Word if surface_ends_with_dot(self.text, t) => Some(Term::Abbrev(abbrev_class(&t.norm))),
            _ => None,
        }
    }

    /// Is token `i` a paragraph-style break: a blank line, or (outside wrapped
    /// text) a line that ends without punctuation followed by a capitalised line?
    fn hard_break(&self, i: usize) -> bool {
        if self.nl_raw(i) >= 2 {
            return true;
        }
        if self.nl(i) == 0 {
            return false;
        }
        let p = &self.toks[i - 1];
        let prev_open = match p.kind {
            TokenKind::Word => !surface_ends_with_dot(self.text, p),
            TokenKind::Number => true,
            TokenKind::Punct => is_closer(self.fc(i - 1)),
        };
        let t = &self.toks[i];
        prev_open
            && match t.kind {
                TokenKind::Word => t.cap,
                TokenKind::Number => true,
                TokenKind::Punct => {
                    let c = self.fc(i);
                    is_opener(c) || is_bullet(c)
                }
            }
    }

    /// '.' + "(" agency ")": the dot of "Wash." in "SEATTLE, Wash. (AP) --".
    fn agency_follows(&self, e: usize) -> bool {
        let t = |k: usize| self.toks.get(k);
        t(e).is_some_and(|x| x.norm == "(")
            && t(e + 1).is_some_and(|x| x.kind == TokenKind::Word && in_list(AGENCIES, &x.norm))
            && t(e + 2).is_some_and(|x| x.norm == ")")
    }

    fn has_upper(&self, i: usize) -> bool {
        let t = &self.toks[i];
        self.text.get(t.start..t.end).is_some_and(|s| s.chars().any(char::is_uppercase))
    }

    /// Should the sentence end before token `e`, given the terminator at `i`
    /// (and closing quotes/brackets `i+1..e`)?
    fn should_split(&self, term: Term, i: usize, e: usize) -> bool {
        if e >= self.toks.len() {
            return true;
        }
        if self.nl_raw(e) >= 2 {
            return true;
        }
        if !self.ws(e) {
            return false; // "Amazon.com", "Yahoo!News"
        }
        let nl = self.nl(e) >= 1;
        let t = &self.toks[e];
        let closed = e > i + 1;
        match term {
            Term::Stop { period } => match t.kind {
                TokenKind::Word => t.cap || nl || self.has_upper(e),
                TokenKind::Number => true,
                TokenKind::Punct => {
                    let c = self.fc(e);
                    if period && c == '(' && self.agency_follows(e) {
                        false
                    } else {
                        is_opener(c) || (nl && is_bullet(c))
                    }
                }
            },
            Term::Ellipsis => match t.kind {
                TokenKind::Word => t.cap,
                _ => nl,
            },
            Term::Abbrev(Abbrev::Title) => false,
            Term::Abbrev(Abbrev::Etc) => match t.kind {
                TokenKind::Word => t.cap,
                TokenKind::Number => nl,
                TokenKind::Punct => is_opener(self.fc(e)) || nl,
            },
            Term::Abbrev(Abbrev::Ambiguous) => match t.kind {
                TokenKind::Word => t.cap && (nl || closed || in_list(STARTERS, &t.norm)),
                TokenKind::Number => nl,
                TokenKind::Punct => {
                    let c = self.fc(e);
                    nl && (is_opener(c) || is_bullet(c))
                }
            },
        }
    }

    /// Closing quotes and brackets that belong to the sentence ending at `i`.
    fn closers_end(&self, i: usize) -> usize {
        let mut e = i + 1;
        while e < self.toks.len() {
            let t = &self.toks[e];
            if t.kind != TokenKind::Punct || self.nl_raw(e) >= 1 {
                break;
            }
            let c = self.fc(e);
            let attached = !self.ws(e);
            let closes = if attached { is_closer(c) } else { matches!(c, '\u{201D}' | '\u{00BB}' | ')' | ']' | '}') };
            if !closes {
                break;
            }
            e += 1;
        }
        e
    }

    fn run(mut self) -> Vec<Sentence> {
        let n = self.toks.len();
        let mut s = 0;
        let mut last_soft = 0; // token index just after the last , ; : or dash
        let mut i = 0;
        while i < n {
            if i > s {
                if self.hard_break(i) {
                    self.push(s, i);
                    s = i;
                    last_soft = s;
                } else if i - s >= MAX_SENTENCE_TOKENS {
                    let p = if last_soft > s + MAX_SENTENCE_TOKENS / 2 && last_soft < i { last_soft } else { i };
                    self.push(s, p);
                    s = p;
                    last_soft = s;
                }
            }
            let t = &self.toks[i];
            if t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "," | ";" | ":" | "-") {
                last_soft = i + 1;
            }
            if let Some(term) = self.term(i) {
                let e = self.closers_end(i);
                if self.should_split(term, i, e) {
                    self.push(s, e);
                    s = e;
                    last_soft = s;
                    i = e;
                    continue;
                }
            }
            i += 1;
        }
        if s < n {
            self.push(s, n);
        }
        self.out
    }

    /// Emit the sentence `s..e` (cut into pieces of at most MAX_SENTENCE_TOKENS).
    fn push(&mut self, mut s: usize, e: usize) {
        while s < e {
            let end = e.min(s + MAX_SENTENCE_TOKENS);
            let paragraph_start = s == 0 || self.nl(s) >= 1;
            let body = if paragraph_start { self.dateline(s, end).unwrap_or(s) } else { s };
            self.out.push(Sentence { tokens: s..end, body, start: self.toks[s].start, end: self.toks[end - 1].end });
            s = end;
        }
    }

    // -- datelines ----------------------------------------------------------

    /// A run of capitalised words (with lowercase particles and attached dots)
    /// starting at `k`: returns (end, written in capitals).
    fn place(&self, k: usize, lim: usize) -> Option<(usize, bool)> {
        let t = self.toks.get(k)?;
        if k >= lim || t.kind != TokenKind::Word || !t.cap || t.norm == "'s" {
            return None;
        }
        let mut m = k;
        let mut good = k;
        let mut letters = 0usize;
        let mut all_caps = true;
        while m < lim && m - k < 6 {
            let t = &self.toks[m];
            if t.kind == TokenKind::Word && t.cap {
                let surface = self.text.get(t.start..t.end).unwrap_or("");
                for c in surface.chars().filter(|c| c.is_alphabetic()) {
                    letters += 1;
                    all_caps &= !c.is_lowercase();
                }
                m += 1;
                good = m;
            } else if t.kind == TokenKind::Word && m > k && in_list(PLACE_PARTICLES, &t.norm) {
                m += 1;
            } else if t.kind == TokenKind::Punct && t.norm == "." && m == good && !self.ws(m) {
                m += 1;
                good = m;
            } else {
                break;
            }
        }
        Some((good, all_caps && letters >= 2))
    }

    fn is_month(&self, k: usize) -> bool {
        self.toks.get(k).is_some_and(|t| t.kind == TokenKind::Word && in_list(MONTHS, t.norm.strip_suffix('.').unwrap_or(&t.norm)))
    }

    fn is_day(&self, k: usize) -> bool {
        self.toks.get(k).is_some_and(|t| {
            t.kind == TokenKind::Number && {
                let d = t.norm.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                (1..=2).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())
            }
        })
    }

    fn is_year(&self, k: usize) -> bool {
        self.toks.get(k).is_some_and(|t| t.kind == TokenKind::Number && t.norm.len() == 4 && t.norm.bytes().all(|b| b.is_ascii_digit()))
    }

    /// "May 25", "Jan. 5, 2024", "25 May 2024" starting at `k`.
    fn date(&self, k: usize, lim: usize) -> Option<usize> {
        let month_day = self.is_month(k) && self.is_day(k + 1);
        let day_month = self.is_day(k) && self.is_month(k + 1);
        if !month_day && !day_month {
            return None;
        }
        let mut m = k + 2;
        if self.is_year(m) {
            m += 1;
        } else if self.toks.get(m).is_some_and(|t| t.norm == ",") && self.is_year(m + 1) {
            m += 2;
        }
        (m <= lim).then_some(m)
    }

    /// If the sentence `s..e` opens with a dateline, the index of its body.
    fn dateline(&self, s: usize, e: usize) -> Option<usize> {
        let lim = e.min(s + 16);
        let (mut k, all_caps) = self.place(s, lim)?;
        let mut has_date = false;
        for _ in 0..3 {
            if k < lim && self.toks[k].norm == "," {
                if let Some(m) = self.date(k + 1, lim) {
                    has_date = true;
                    k = m;
                } else if let Some((m, _)) = self.place(k + 1, lim) {
                    k = m;
                } else {
                    return None;
                }
            } else {
                break;
            }
        }
        let mut agency: Option<bool> = None; // Some(known agency)
        if k < lim && self.toks[k].norm == "(" {
            let mut m = k + 1;
            let mut words = 0;
            let mut known = false;
            while m < lim && self.toks[m].norm != ")" {
                let t = &self.toks[m];
                if t.kind == TokenKind::Word {
                    words += 1;
                    known |= in_list(AGENCIES, &t.norm);
                } else if !matches!(t.norm.as_str(), "/" | "-" | "&") {
                    return None;
                }
                if words > 4 {
                    return None;
                }
                m += 1;
            }
            if m >= lim || words == 0 {
                return None;
            }
            agency = Some(known);
            k = m + 1;
        }
        let is_dash = |k: usize| k < e && self.toks[k].kind == TokenKind::Punct && self.toks[k].norm == "-";
        let (body, dash) = if is_dash(k) {
            let mut m = k;
            while is_dash(m) {
                m += 1;
            }
            (m, true)
        } else if k < lim && self.toks[k].norm == ":" {
            (k + 1, false)
        } else if agency.is_some() {
            (k, false)
        } else {
            return None;
        };
        // "Kyiv — The mayor said": a mixed-case place before a dash counts only when
        // a capitalised sentence starter follows ("Ishiba — who took office ..." is
        // an aside, not a dateline).
        let starter_follows = self.toks.get(body).is_some_and(|t| t.kind == TokenKind::Word && t.cap && in_list(STARTERS, &t.norm));
        let trusted = all_caps || has_date || agency == Some(true) || (agency.is_some() && dash) || (dash && starter_follows);
        (trusted && body < e).then_some(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentence surfaces (from the byte spans).
    fn sents(text: &str) -> Vec<&str> {
        analyse(text).sentences.iter().map(|s| &text[s.start..s.end]).collect()
    }

    fn norms(text: &str) -> Vec<String> {
        analyse(text).tokens.into_iter().map(|t| t.norm.into_string()).collect()
    }

    fn kinds(text: &str) -> Vec<(String, TokenKind)> {
        analyse(text).tokens.into_iter().map(|t| (t.norm.into_string(), t.kind)).collect()
    }

    /// Body text of each sentence (from its first body token to its end).
    fn bodies(text: &str) -> Vec<&str> {
        let a = analyse(text);
        a.sentences.iter().map(|s| if s.body == s.tokens.end { "" } else { &text[a.tokens[s.body].start..s.end] }).collect()
    }

    /// Structural invariants that must hold for any input.
    fn check_invariants(text: &str) -> Text {
        let a = analyse(text);
        let mut prev_end = 0;
        for t in &a.tokens {
            assert!(t.start < t.end, "empty token {t:?} in {text:?}");
            assert!(t.end <= text.len());
            assert!(t.start >= prev_end, "overlapping tokens in {text:?}");
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prev_end = t.end;
        }
        let mut next = 0;
        for s in &a.sentences {
            assert_eq!(s.tokens.start, next, "sentences must partition the tokens");
            assert!(s.tokens.start < s.tokens.end, "empty sentence");
            assert!(s.tokens.len() <= MAX_SENTENCE_TOKENS);
            assert!(s.body >= s.tokens.start && s.body < s.tokens.end);
            assert_eq!(s.start, a.tokens[s.tokens.start].start);
            assert_eq!(s.end, a.tokens[s.tokens.end - 1].end);
            next = s.tokens.end;
        }
        assert_eq!(next, a.tokens.len());
        a
    }

    // -- tokens -------------------------------------------------------------

    #[test]
    fn words_keep_inner_hyphens_and_apostrophes() {
        assert_eq!(
            norms("al-Qaida met Kim Jong-un one-on-one, President-elect at 5 o'clock"),
            ["al-qaida", "met", "kim", "jong-un", "one-on-one", ",", "president-elect", "at", "5", "o'clock"]
        );
        assert_eq!(norms("Côte d'Ivoire won't"), ["côte", "d'ivoire", "wo", "n't"]);
    }

    #[test]
    fn abbreviations_are_single_words_with_dots() {
        let k = kinds("U.S. and U.N. envoys, Mr. Lee and Gen. Park met at 9 a.m. on Jan. 5");
        let want = [
            ("u.s.", TokenKind::Word),
            ("and", TokenKind::Word),
            ("u.n.", TokenKind::Word),
            ("envoys", TokenKind::Word),
            (",", TokenKind::Punct),
            ("mr.", TokenKind::Word),
            ("lee", TokenKind::Word),
            ("and", TokenKind::Word),
            ("gen.", TokenKind::Word),
            ("park", TokenKind::Word),
            ("met", TokenKind::Word),
            ("at", TokenKind::Word),
            ("9", TokenKind::Number),
            ("a.m.", TokenKind::Word),
            ("on", TokenKind::Word),
            ("jan.", TokenKind::Word),
            ("5", TokenKind::Number),
        ];
        let want: Vec<(String, TokenKind)> = want.iter().map(|(n, k)| (n.to_string(), *k)).collect();
        assert_eq!(k, want);
        assert_eq!(norms("the No. 2 official"), ["the", "no.", "2", "official"]);
        assert_eq!(norms("She said no. Then"), ["she", "said", "no", ".", "then"]);
        assert_eq!(norms("at 5 p.m., e.g. now"), ["at", "5", "p.m.", ",", "e.g.", "now"]);
        assert_eq!(norms("U.S.-backed forces"), ["u.s.", "-", "backed", "forces"]);
        assert_eq!(norms("George W. Bush"), ["george", "w.", "bush"]);
    }

    #[test]
    fn numbers() {
        let k = kinds("3.5 percent of 1,000 in 2024 cost $30 on 10-16 May, the 29th, 1990s");
        let got: Vec<(&str, TokenKind)> = k.iter().map(|(n, k)| (n.as_str(), *k)).collect();
        use TokenKind::*;
        assert_eq!(
            got,
            [
                ("3.5", Number),
                ("percent", Word),
                ("of", Word),
                ("1,000", Number),
                ("in", Word),
                ("2024", Number),
                ("cost", Word),
                ("$", Punct),
                ("30", Number),
                ("on", Word),
                ("10", Number),
                ("-", Punct),
                ("16", Number),
                ("may", Word),
                (",", Punct),
                ("the", Word),
                ("29th", Number),
                (",", Punct),
                ("1990s", Number),
            ]
        );
        assert_eq!(kinds("5G F-16 COVID-19")[0], ("5g".to_string(), Word));
        assert_eq!(norms("F-16 COVID-19"), ["f-16", "covid-19"]);
        assert_eq!(norms("in 2023."), ["in", "2023", "."]);
    }

    #[test]
    fn negative_contractions_split_like_treebanks() {
        assert_eq!(norms("Japan didn't attend."), ["japan", "did", "n't", "attend", "."]);
        assert_eq!(norms("They can’t and won't"), ["they", "ca", "n't", "and", "wo", "n't"]);
        assert_eq!(norms("the n'th time"), ["the", "n'th", "time"]);
    }

    #[test]
    fn possessives() {
        let a = analyse("Abe’s widow and the leaders' talks");
        let n: Vec<&str> = a.tokens.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(n, ["abe", "'s", "widow", "and", "the", "leaders", "'s", "talks"]);
        assert_eq!(a.tokens[1].kind, TokenKind::Word);
        assert_eq!(&"Abe’s widow"[a.tokens[1].start..a.tokens[1].end], "’s");
        assert_eq!(norms("Israel's army"), ["israel", "'s", "army"]);
        assert_eq!(norms("James’ car and the ministers’ meeting"), ["james", "'s", "car", "and", "the", "ministers", "'s", "meeting"]);
        assert_eq!(norms("ABE'S"), ["abe", "'s"]);
        assert_eq!(norms("the U.S.'s role"), ["the", "u.s.", "'s", "role"]);
        // A single-quoted word ending in s is a quotation, not a possessive.
        assert_eq!(norms("called them 'traitors' on Monday"), ["called", "them", "'", "traitors", "'", "on", "monday"]);
        // 's followed by more letters is not a possessive.
        assert_eq!(norms("o'sullivan"), ["o'sullivan"]);
    }

    #[test]
    fn curly_quotes_dashes_and_cap() {
        let a = analyse("“We won’t go” — Ishiba – said ― − ‘no’");
        let n: Vec<&str> = a.tokens.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(n, ["\"", "we", "wo", "n't", "go", "\"", "-", "ishiba", "-", "said", "-", "-", "'", "no", "'"]);
        let caps: Vec<bool> = a.tokens.iter().map(|t| t.cap).collect();
        assert!(caps[1] && caps[7]);
        assert!(!caps[0] && !caps[2] && !caps[9]);
        assert!(analyse("Éric").tokens[0].cap);
    }

    #[test]
    fn soft_hyphen_and_unicode_spaces() {
        let text = "pre\u{AD}sident\u{00A0}Biden\u{2009}met\u{200B}Xi \u{AD} now";
        let a = analyse(text);
        let n: Vec<&str> = a.tokens.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(n, ["president", "biden", "met", "xi", "now"]);
        assert_eq!(&text[a.tokens[0].start..a.tokens[0].end], "pre\u{AD}sident");
    }

    #[test]
    fn byte_offsets_round_trip_with_multibyte_text() {
        let text = "Ishiba Shigeru (石破茂) met Zelenskyy’s envoy in Kyiv — “naïve”, said Ştefan… 😀!";
        let a = check_invariants(text);
        for t in &a.tokens {
            let surface = &text[t.start..t.end];
            assert_eq!(norm_of(surface), t.norm, "norm of {surface:?}");
        }
        let surfaces: Vec<&str> = a.tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert!(surfaces.contains(&"石破茂"));
        assert!(surfaces.contains(&"Zelenskyy"));
        assert!(surfaces.contains(&"’s"));
        assert!(surfaces.contains(&"Ştefan"));
        assert!(surfaces.contains(&"…"));
        assert!(surfaces.contains(&"😀"));
        assert_eq!(a.tokens.iter().find(|t| t.norm == "...").map(|t| t.end - t.start), Some(3));
    }

    #[test]
    fn ellipsis_is_one_token() {
        assert_eq!(norms("wait... no"), ["wait", "...", "no"]);
        assert_eq!(norms("wait… no"), ["wait", "...", "no"]);
        assert_eq!(norms("end.."), ["end", ".", "."]);
    }

    // -- sentences ----------------------------------------------------------

    #[test]
    fn simple_split() {
        assert_eq!(
            sents("Troops crossed the border. Officials denied it! Was it true? Nobody knows."),
            ["Troops crossed the border.", "Officials denied it!", "Was it true?", "Nobody knows."]
        );
    }

    #[test]
    fn title_abbreviations_do_not_split() {
        for abbr in ["Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Capt.", "Sgt.", "Sen.", "Rep.", "Gov.", "Pres.", "Prof."] {
            let text = format!("Yesterday {abbr} Smith met the envoy. The talks ended.");
            assert_eq!(sents(&text).len(), 2, "{text}");
            assert_eq!(sents(&text)[0], format!("Yesterday {abbr} Smith met the envoy."));
        }
        for month in ["Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec."] {
            let text = format!("The vote is on {month} 12 in the capital. It may slip.");
            assert_eq!(sents(&text).len(), 2, "{text}");
        }
        let text = "He lives at No. 10 Downing Street. Nos. 3 and 4 are empty.";
        assert_eq!(sents(text), ["He lives at No. 10 Downing Street.", "Nos. 3 and 4 are empty."]);
        let text = "It was Brazil vs. Argentina in the final. Brazil won.";
        assert_eq!(sents(text).len(), 2);
        let text = "Allies, e.g. France, and partners, i.e. Japan, agreed. Others did not.";
        assert_eq!(sents(text).len(), 2);
    }

    #[test]
    fn company_and_ambiguous_abbreviations() {
        for abbr in ["Inc.", "Corp.", "Ltd.", "Co."] {
            let text = format!("Acme {abbr} said profits rose. The shares jumped.");
            assert_eq!(sents(&text).len(), 2, "{text}");
            // Sentence-final, then a clear sentence starter.
            let text = format!("The deal went to Acme {abbr} The shares jumped.");
            assert_eq!(sents(&text).len(), 2, "{text}");
            // Mid-sentence before a capitalised title: kept together.
            let text = format!("Acme {abbr} Chief Executive Jane Roe resigned.");
            assert_eq!(sents(&text).len(), 1, "{text}");
        }
        assert_eq!(sents("Pilgrims went to St. Peter's Square. It rained.").len(), 2);
        assert_eq!(sents("He lives on Main St. The house burned.").len(), 2);
        assert_eq!(sents("The vote is on Jun. 5 in Seoul. It may slip.").len(), 2);
        assert_eq!(sents("The envoy was Ma Jun. The talks failed.").len(), 2);
        let text = "They sold arms, ammunition, etc. Russia objected.";
        assert_eq!(sents(text), ["They sold arms, ammunition, etc.", "Russia objected."]);
        let text = "They sold arms, etc. to the rebels.";
        assert_eq!(sents(text).len(), 1);
    }

    #[test]
    fn us_un_uk_eu() {
        // Ambiguous before a capitalised content word: not split.
        for abbr in ["U.S.", "U.N.", "U.K.", "E.U."] {
            let text = format!("The {abbr} Ambassador spoke. Then she left.");
            assert_eq!(sents(&text), [format!("The {abbr} Ambassador spoke."), "Then she left.".to_string()]);
            let text = format!("Sanctions were imposed by the {abbr} Officials in Moscow protested.");
            assert_eq!(sents(&text).len(), 1, "{text}");
            // A closed-class sentence starter ends it.
            let text = format!("Sanctions were imposed by the {abbr} They took effect at once.");
            assert_eq!(sents(&text).len(), 2, "{text}");
            // A line break ends it.
            let text = format!("Sanctions were imposed by the {abbr}\nOfficials in Moscow protested.");
            assert_eq!(sents(&text).len(), 2, "{text}");
        }
        assert_eq!(sents("The U.S.-led coalition struck. It was night.").len(), 2);
    }

    #[test]
    fn decimals_and_initials() {
        assert_eq!(
            sents("Growth slowed to 3.5 percent in May. Prices rose 0.2 percent."),
            ["Growth slowed to 3.5 percent in May.", "Prices rose 0.2 percent."]
        );
        assert_eq!(sents("George W. Bush met John F. Kennedy Jr. in a dream. It was odd.").len(), 2);
        assert_eq!(sents("J.D. Vance spoke. He was brief.").len(), 2);
        assert_eq!(sents("The meeting is at 10 a.m. Friday in Rome.").len(), 1);
        assert_eq!(sents("The meeting began at 10 a.m. The talks lasted an hour.").len(), 2);
    }

    #[test]
    fn quotations() {
        assert_eq!(
            sents("\"We will not retreat,\" the general said. \"They will.\" Then he left."),
            ["\"We will not retreat,\" the general said.", "\"They will.\"", "Then he left."]
        );
        assert_eq!(sents("He said: “The border is closed.” Trade stopped."), ["He said: “The border is closed.”", "Trade stopped."]);
        assert_eq!(sents("\"Why now?\" he asked the minister.").len(), 1);
        assert_eq!(sents("\"Get out!\" shouted the crowd.").len(), 1);
        assert_eq!(sents("The minister (who resigned.) was absent. Others came.").len(), 2);
        assert_eq!(sents("He left. (He came back later.) Others stayed.").len(), 3);
        assert_eq!(sents("He called it 'a farce.' The court disagreed.").len(), 2);
    }

    #[test]
    fn ellipses() {
        assert_eq!(sents("We waited... Then the shelling began.").len(), 2);
        assert_eq!(sents("We waited … Then the shelling began.").len(), 2);
        assert_eq!(sents("We waited... and waited.").len(), 1);
        assert_eq!(sents("Talks, he said, were ... productive.").len(), 1);
    }

    #[test]
    fn question_and_exclamation_runs() {
        assert_eq!(sents("Really?! Yes. Wow!!! Fine."), ["Really?!", "Yes.", "Wow!!!", "Fine."]);
    }

    #[test]
    fn no_split_without_space() {
        assert_eq!(sents("He works at Amazon.com in Seattle.").len(), 1);
        assert_eq!(norms("Amazon.com"), ["amazon", ".", "com"]);
    }

    #[test]
    fn paragraph_breaks() {
        // Blank line always ends a sentence, even without punctuation or after Mr.
        assert_eq!(sents("The talks went on\n\nthe rebels waited"), ["The talks went on", "the rebels waited"]);
        assert_eq!(sents("Mr.\n\nSmith came").len(), 2);
        // Headline: line without final punctuation followed by a capitalised line.
        assert_eq!(
            sents("Japan's Ishiba holds first call with Trump\nTOKYO (AP) — The prime minister spoke."),
            ["Japan's Ishiba holds first call with Trump", "TOKYO (AP) — The prime minister spoke."]
        );
        assert_eq!(sents("One line.\nAnother line.\r\n\r\nThird").len(), 3);
        // A line ending in a comma continues.
        assert_eq!(sents("The talks, held in Rome,\nBerlin and Paris, ended.").len(), 1);
    }

    #[test]
    fn hard_wrapped_text_is_not_split_at_line_ends() {
        let text = "The foreign minister met with\nthe delegation from the north and\nPresident Lee on Monday, saying the\ntalks were useful. He left.";
        assert_eq!(sents(text).len(), 2, "{:?}", sents(text));
    }

    #[test]
    fn long_runs_are_cut() {
        let word = "lorem ";
        let text = word.repeat(1_000_000 / word.len());
        let a = check_invariants(&text);
        assert!(a.sentences.len() >= 600, "{}", a.sentences.len());
        assert!(a.sentences.iter().all(|s| s.tokens.len() == MAX_SENTENCE_TOKENS || s.tokens.end == a.tokens.len()));
        // Prefer a comma in the second half of the window.
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(if i == 200 { "word, " } else { "word " });
        }
        let a = check_invariants(&text);
        assert_eq!(a.sentences[0].tokens, 0..202);
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert_eq!(analyse(""), Text::default());
        let a = analyse("  \n\t\u{00A0}\u{3000}\r\n\u{200B}\u{AD} ");
        assert!(a.tokens.is_empty() && a.sentences.is_empty());
    }

    #[test]
    fn lone_punctuation_is_a_sentence_not_nothing() {
        let a = check_invariants("***");
        assert_eq!(a.tokens.len(), 3);
        assert_eq!(a.sentences.len(), 1);
    }

    // -- datelines ------------------------------------------------------------

    #[test]
    fn datelines() {
        let cases = [
            ("BAGHDAD -- Iraqi forces retook the town.", "Iraqi forces retook the town."),
            ("BEIRUT — Israeli jets struck the south.", "Israeli jets struck the south."),
            ("NAIROBI, Kenya (AP) — Kenyan police fired tear gas.", "Kenyan police fired tear gas."),
            ("New Delhi, May 25 (IANS) US President Joe Biden called Modi.", "US President Joe Biden called Modi."),
            ("Brussels, Feb 21 : The EU agreed new sanctions.", "The EU agreed new sanctions."),
            ("WASHINGTON (Reuters) - The Senate passed the bill.", "The Senate passed the bill."),
            ("LONDON, March 3 (Reuters) - Britain summoned the envoy.", "Britain summoned the envoy."),
            ("RIO DE JANEIRO, Nov. 18, 2024 (AFP) -- Leaders gathered.", "Leaders gathered."),
            ("SEATTLE, Wash. (AP) — Workers went on strike.", "Workers went on strike."),
            ("UNITED NATIONS: Members voted.", "Members voted."),
            ("WASHINGTON, D.C. (AP) — Congress met.", "Congress met."),
            ("ST. LOUIS (AP) -- Police arrived.", "Police arrived."),
            ("Kyiv — The mayor ordered an evacuation.", "The mayor ordered an evacuation."),
        ];
        for (text, body) in cases {
            assert_eq!(sents(text).len(), 1, "{text}");
            assert_eq!(bodies(text), [body], "{text}");
        }
        // The dateline stays part of the sentence span.
        let a = analyse("BAGHDAD -- Iraqi forces retook the town.");
        assert_eq!(a.sentences[0].start, 0);
        assert_eq!(a.sentences[0].tokens.start, 0);
        assert_eq!(a.sentences[0].body, 3);
    }

    #[test]
    fn dateline_only_at_paragraph_start() {
        let text = "Talks ended.\n\nBEIRUT — Jets struck. BEIRUT — Nothing here.";
        let a = analyse(text);
        assert_eq!(a.sentences.len(), 3);
        assert_eq!(a.sentences[0].body, a.sentences[0].tokens.start);
        assert_ne!(a.sentences[1].body, a.sentences[1].tokens.start);
        assert_eq!(a.sentences[2].body, a.sentences[2].tokens.start);
    }

    #[test]
    fn not_datelines() {
        for text in [
            "North Korea has warned of retaliation.",
            "Britain is expelling a Russian diplomat.",
            "Foreign Minister Cho Tae-yul and his counterpart met.",
            "Ishiba — who took office last month — called Trump.",
            "Ishiba — Japan's leader since October — called Trump.",
            "Ishiba, Trump agree to meet soon.",
            "Note: the figures are provisional.",
            "US President Joe Biden (D) said no.",
            "Trump (R-Fla.) spoke.",
            "BAGHDAD --",
        ] {
            let a = analyse(text);
            for s in &a.sentences {
                assert_eq!(s.body, s.tokens.start, "{text}");
            }
        }
    }

    // -- robustness -------------------------------------------------------------

    /// Deterministic xorshift generator.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn fuzz_random_text_never_panics_and_keeps_invariants() {
        let pool: Vec<char> =
            "aAsSzZ09 .,;:!?'\"-()[]$%\n\r\t\u{AD}\u{A0}\u{200B}\u{200D}\u{301}’‘“”–—…€éÉ中😀\u{2028}\u{2029}\u{FEFF}\u{0}\u{7F}İß"
                .chars()
                .collect();
        let words = [
            "Mr.",
            "U.S.",
            "Inc.",
            "No.",
            "(AP)",
            " — ",
            "etc.",
            "a.m.",
            "3.5",
            "1,000",
            "'s",
            "s'",
            "29th",
            "BAGHDAD --",
            "\n\n",
            "...",
            "O'",
            "Jan.",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let len = (rng.next() % 80) as usize;
            let mut text = String::new();
            for _ in 0..len {
                let r = rng.next();
                if r.is_multiple_of(5) {
                    text.push_str(words[(r / 5 % words.len() as u64) as usize]);
                } else {
                    text.push(pool[(r / 5 % pool.len() as u64) as usize]);
                }
            }
            let a = check_invariants(&text);
            for t in &a.tokens {
                assert!(!t.norm.is_empty() || text[t.start..t.end].chars().all(|c| c == '\u{AD}'), "round {round}: {text:?}");
            }
        }
        // Raw bytes made valid by lossy conversion.
        for _ in 0..2000 {
            let len = (rng.next() % 64) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let text = String::from_utf8_lossy(&bytes);
            check_invariants(&text);
        }
    }

    #[test]
    fn pathological_inputs_stay_linear() {
        // One huge word, a huge dotted acronym, huge digit groups, many closers.
        let n = 200_000;
        check_invariants(&"a".repeat(n));
        check_invariants(&"a.".repeat(n));
        check_invariants(&"1,".repeat(n));
        check_invariants(&".\"".repeat(n));
        check_invariants(&"-".repeat(n));
        check_invariants(&"\u{AD}".repeat(n));
        check_invariants(&"s' ".repeat(n));
        let a = check_invariants(&"Mr. ".repeat(n / 4));
        assert!(a.sentences.iter().all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    }
}
