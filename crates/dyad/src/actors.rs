//! Actor mentions: the noun phrases of a sentence that name a political actor, and
//! the document-level memory that lets later mentions ("he", "Ishiba", "the Japanese
//! prime minister") point back to earlier ones.
//!
//! A mention is composed from lexicon hits the way a news reader composes it:
//! modifiers ("former", "opposition"), a country context (an adjective, or a country,
//! seat or organisation in the possessive), role nouns ("prime minister", "police")
//! and a name, which may be in no lexicon ("Japanese Prime Minister Ishiba Shigeru"
//! codes JPNGOV from the adjective and the title). People the lexicon knows take
//! their code from the term covering the document's date. Appositions ("Noda
//! Yoshihiko, head of the opposition ...") and "X of Y" phrases ("the leader of the
//! main opposition party Chadema") lend their role and country to the name they
//! describe. Coordinated mentions ("Japan, South Korea and Australia") form one
//! mention with several actors.
//!
//! This module does not decide who did what: that is [`crate::events`].

use std::collections::VecDeque;

use compact_str::CompactString;
use jiff::civil::Date;

use crate::lexicon::{Entry, Hit, Lexicon, RoleId, Rule, TokId};
use crate::text::{Text, TokenKind};
use crate::words::{self, Class, WordList};

/// One actor as a mention resolves it.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// Token range of the words that name it in this sentence.
    pub start: usize,
    pub end: usize,
    pub name: CompactString,
    pub country: Option<CompactString>,
    pub role: Option<CompactString>,
    /// CAMEO actor code (country + role, or an organisation's code).
    pub code: CompactString,
    /// The lexicon entry that decided the code, if any.
    pub rule: Option<Rule>,
    /// Document entity this actor is, for coreference.
    pub entity: Option<usize>,
    /// A person (named or by title), as opposed to a country or institution.
    pub person: bool,
    /// Not named in the sentence: supplied by this line of `data/verbs/implied.txt`.
    pub implied: Option<Rule>,
    /// The person of the people lexicon this actor is: their code depends on the
    /// date (see [`Actor::on`]).
    pub known: Option<u32>,
}

impl Actor {
    /// The actor as coded on `date`: a person the lexicon knows takes the role
    /// they held that day ("Abe" is JPNGOV in 2016 and JPNELI in 2024).
    pub fn on(self, lex: &Lexicon, date: Date) -> Actor {
        let Some(p) = self.known else { return self };
        let term = lex.people[p as usize].term_on(date);
        let (country, role) = split_code(lex, &term.code);
        Actor { code: term.code.as_str().into(), country, role, rule: Some(term.rule), ..self }
    }
}

impl Actor {
    /// Named (as opposed to known by a title or description only).
    fn person_named(&self) -> bool {
        self.person && self.entity.is_some()
    }
}

/// A noun phrase naming one or more actors (several when coordinated).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mention {
    /// Token range of the whole phrase.
    pub start: usize,
    pub end: usize,
    pub actors: Vec<Actor>,
    /// A pronoun or "the two leaders": resolved from earlier mentions.
    pub anaphor: bool,
}

/// Something the document has talked about, remembered for coreference.
#[derive(Clone, Debug)]
struct Entity {
    actor: Actor,
    /// Lowercased single-token names that refer to it ("ishiba", "shigeru").
    aliases: Vec<String>,
    /// Title nouns used for it ("prime minister", "president-elect").
    titles: Vec<String>,
}

/// How many recent actors the document context keeps.
const RECENT: usize = 32;

/// Per-document state carried from sentence to sentence.
#[derive(Debug)]
pub struct DocContext {
    pub date: Date,
    /// The country the document is mostly about: fills role-only mentions
    /// ("police", "protesters") that name none.
    pub main_country: Option<CompactString>,
    /// Countries by how much the document names them, most first.
    pub countries: Vec<CompactString>,
    entities: Vec<Entity>,
    /// Recent actors, newest last (for pronouns and "the two leaders"); the
    /// oldest leaves from the front as each new one comes.
    recent: VecDeque<Actor>,
    last_country: Option<CompactString>,
}

impl DocContext {
    pub fn new(date: Date, countries: Vec<CompactString>) -> Self {
        DocContext {
            date,
            main_country: countries.first().cloned(),
            countries,
            entities: Vec::new(),
            // Allocated by the first actor remembered (a context is made for
            // every document, and many name none).
            recent: VecDeque::new(),
            last_country: None,
        }
    }
}

const DETERMINER_WORDS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "these", "those", "some", "both", "several", "many", "other", "all", "any",
    "each",
];
pub(crate) const DETERMINERS: WordList = WordList::new(DETERMINER_WORDS).class(Class::MentionDeterminer);
/// Words that open a quantity before a number ("at least 20 people").
const QUANTITY_WORDS: &[&str] = &["more", "than", "at", "least", "about", "around", "nearly", "almost", "over", "only", "some", "up", "to"];
pub(crate) const QUANTITY: WordList = WordList::new(QUANTITY_WORDS).class(Class::MentionQuantity);
const PRONOUN_SINGULAR_WORDS: &[&str] = &["he", "she", "him"];
pub(crate) const PRONOUNS_SINGULAR: WordList = WordList::new(PRONOUN_SINGULAR_WORDS).class(Class::PronounSingular);
const PRONOUN_PLURAL_WORDS: &[&str] = &["they", "them"];
pub(crate) const PRONOUNS_PLURAL: WordList = WordList::new(PRONOUN_PLURAL_WORDS).class(Class::PronounPlural);
/// The lowercase words that may open a mention (see [`may_open_mention`]): all
/// of the lists above, tested with one lookup.
pub(crate) const OPENERS: WordList = WordList::new(&words::concat::<
    { PRONOUN_SINGULAR_WORDS.len() + PRONOUN_PLURAL_WORDS.len() + DETERMINER_WORDS.len() + QUANTITY_WORDS.len() },
>(&[PRONOUN_SINGULAR_WORDS, PRONOUN_PLURAL_WORDS, DETERMINER_WORDS, QUANTITY_WORDS]))
.class(Class::MentionOpener);
pub(crate) const NAME_PARTICLES: WordList =
    WordList::new(&["al", "al-", "bin", "ibn", "de", "da", "van", "von", "der", "le", "la", "abu", "el", "del", "dos", "di"])
        .class(Class::NameParticle);
/// Prepositions after which a seat of government is a place, not an actor.
pub(crate) const LOCATIVE: WordList = WordList::new(&[
    "in", "at", "to", "from", "near", "into", "across", "outside", "inside", "around", "via", "through", "toward", "towards",
])
.class(Class::MentionLocative);

/// Token-level view of one sentence for mention composition.
struct View<'a> {
    lex: &'a Lexicon,
    text: &'a Text,
    doc: &'a str,
    phrases: &'a [Phrase<'a>],
}

/// The longest lexicon phrase starting at a token (within its sentence): its
/// length in tokens and what it names.
pub type Phrase<'a> = Option<(usize, &'a [Hit])>;

/// The longest phrase at every token of a document, looked up once.
pub fn phrases<'a>(lex: &'a Lexicon, text: &Text, ids: &[Option<TokId>]) -> Vec<Phrase<'a>> {
    let mut out = vec![None; text.tokens.len()];
    for s in &text.sentences {
        for (k, slot) in out.iter_mut().enumerate().take(s.tokens.end).skip(s.tokens.start) {
            if ids[k].is_some() {
                *slot = lex.longest_phrase(&ids[k..s.tokens.end]);
            }
        }
    }
    out
}

impl<'a> View<'a> {
    fn phrase(&self, k: usize) -> Phrase<'a> {
        self.phrases.get(k).copied().flatten()
    }
}

impl View<'_> {
    fn norm(&self, i: usize) -> &str {
        &self.text.tokens[i].norm
    }
    /// Is token `i` in `list`?
    #[inline(always)]
    fn is(&self, i: usize, list: &WordList) -> bool {
        list.has(&self.text.tokens[i])
    }
    fn surface(&self, start: usize, end: usize) -> &str {
        if start >= end {
            return "";
        }
        &self.doc[self.text.tokens[start].start..self.text.tokens[end - 1].end]
    }
}

/// What composing a noun phrase collected.
#[derive(Default, Debug)]
struct Np {
    country: Option<u32>,
    country_rule: Option<Rule>,
    /// Country known by name but not in the lexicon's list (from "the country's").
    country_iso: Option<String>,
    org: Option<u32>,
    org_rule: Option<Rule>,
    org_is_head: bool,
    seat_head: bool,
    country_head: bool,
    person: Option<(u32, Rule)>,
    role: Option<(RoleId, Rule)>,
    head_generic: bool,
    head_rule: Option<Rule>,
    modifier: Option<(RoleId, Rule)>,
    name: Option<(usize, usize)>,
    title: Option<String>,
    definite: bool,
    plural: bool,
}

impl Np {
    fn has_actor(&self) -> bool {
        self.country.is_some()
            || self.country_iso.is_some()
            || self.org.is_some()
            || self.person.is_some()
            || self.role.is_some()
            || self.name.is_some()
            || self.head_generic
    }
}

fn is_role_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// CAMEO's primary role (agent) codes, looked for after the country in a long
/// dictionary code ("USAASMGOV" is the government of American Samoa: role GOV).
const CAMEO_ROLES: WordList = WordList::new(&[
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "IGO", "NGO", "NGM", "IMG", "MNC", "UIS", "MED", "EDU", "BUS", "CRM", "CVL",
    "HLH", "HRI", "LAB", "LEG", "REF", "RAD", "ELI", "INS", "AGR", "ENV", "SET", "UAF", "MOD", "DEV",
]);

/// The CAMEO code of a country and a role: "JPNGOV", "JPN", or "---GOV" for a role
/// whose country nothing tells (CAMEO's mark for an unknown country).
pub fn actor_code(country: Option<&str>, role: Option<&str>) -> CompactString {
    let mut code = CompactString::default();
    match (country, role) {
        (Some(c), r) => {
            code.push_str(c);
            code.push_str(r.unwrap_or(""));
        }
        (None, Some(r)) => {
            code.push_str("---");
            code.push_str(r);
        }
        (None, None) => {}
    }
    code
}

/// Split a CAMEO code "JPNGOV" into (country, role) when it is country-based. The
/// role is the first CAMEO role code among the three-letter blocks after the
/// country ("DZAGOVAGR" is DZA, GOV; "USAASMGOV" is USA, GOV), else the block
/// right after it.
pub(crate) fn split_code(lex: &Lexicon, code: &str) -> (Option<CompactString>, Option<CompactString>) {
    let blocks = |from: usize| (from..code.len().saturating_sub(2)).step_by(3).filter_map(move |i| code.get(i..i + 3));
    let known_role = |from: usize| blocks(from).find(|b| CAMEO_ROLES.contains(b)).map(CompactString::from);
    if code.get(..3).is_some_and(|c| lex.country_by_iso(c).is_some()) {
        let role = known_role(3).or_else(|| code.get(3..6).filter(|r| is_role_code(r)).map(CompactString::from));
        (Some(CompactString::from(&code[..3])), role)
    } else {
        let role = code.get(..3).filter(|r| is_role_code(r)).map(CompactString::from);
        (None, role)
    }
}

/// Find the actor mentions of one sentence.
pub fn mentions<'a>(
    lex: &'a Lexicon,
    text: &'a Text,
    doc: &'a str,
    sentence: usize,
    phrases: &'a [Phrase<'a>],
    ctx: &mut DocContext,
) -> Vec<Mention> {
    let s = &text.sentences[sentence];
    let v = View { lex, text, doc, phrases };
    let (body, end) = (s.body, s.tokens.end);
    let mut singles: Vec<Mention> = Vec::new();
    let mut i = body;
    while i < end {
        if let Some((len, hits)) = v.phrase(i) {
            if hits.iter().all(|h| h.entry == Entry::Region) {
                i += len;
                continue;
            }
        }
        if !may_open_mention(&v, i) {
            i += 1;
            continue;
        }
        match noun_phrase(&v, i, end, ctx, body) {
            Some((m, next)) => {
                // Places ("in Osaka, Japan") are not antecedents of "they".
                let place = m.start > body && v.is(m.start - 1, &LOCATIVE);
                if !place {
                    for a in &m.actors {
                        remember(ctx, a);
                    }
                }
                singles.push(m);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    let singles = attach_of_and_appositions(&v, singles, end, ctx);
    coordinate(&v, singles)
}

/// Can a mention start at token `i`? Most tokens (lowercase words that are no
/// lexicon phrase, pronoun, determiner or quantity; punctuation) cannot, and
/// [`noun_phrase`] would reject them only after trying every rule.
fn may_open_mention(v: &View, i: usize) -> bool {
    let t = &v.text.tokens[i];
    if v.phrase(i).is_some() || t.kind == TokenKind::Number || t.kind == TokenKind::Word && t.cap {
        return true;
    }
    t.kind == TokenKind::Word && OPENERS.has(t)
}

/// Compose the noun phrase starting at token `i`, if it names an actor.
fn noun_phrase(v: &View, i: usize, end: usize, ctx: &mut DocContext, body: usize) -> Option<(Mention, usize)> {
    let first = v.norm(i);
    // Pronouns and "the two leaders" are resolved from memory.
    if v.is(i, &PRONOUNS_SINGULAR) {
        // A named person first; a person known only by title otherwise.
        let a = ctx
            .recent
            .iter()
            .rev()
            .take(8)
            .find(|a| a.person && a.entity.is_some())
            .or_else(|| ctx.recent.iter().rev().find(|a| a.person))?
            .clone();
        return Some((anaphor(vec![a], i, i + 1), i + 1));
    }
    if v.is(i, &PRONOUNS_PLURAL) {
        let pair = last_two(ctx, true);
        if pair.len() == 2 {
            return Some((anaphor(pair, i, i + 1), i + 1));
        }
        return None;
    }
    if (first == "the" || first == "both") && i + 2 < end && matches!(v.norm(i + 1), "two" | "both")
        || first == "both" && i + 1 < end && matches!(v.norm(i + 1), "sides" | "leaders" | "countries" | "nations")
    {
        let k = if first == "both" { i + 1 } else { i + 2 };
        if matches!(
            v.norm(k),
            "leaders" | "leader" | "countries" | "nations" | "sides" | "governments" | "ministers" | "presidents" | "diplomats"
        ) {
            let people = matches!(v.norm(k), "leaders" | "leader" | "ministers" | "presidents" | "diplomats");
            let pair = last_two(ctx, people);
            if pair.len() == 2 {
                return Some((anaphor(pair, i, k + 1), k + 1));
            }
        }
    }

    let mut np = Np::default();
    let mut j = i;
    let mut skipped_words = 0;
    let mut started = false;
    while j < end {
        let tok = &v.text.tokens[j];
        let norm = tok.norm.as_str();
        if let Some((len, hits)) = v.phrase(j) {
            let after = j + len;
            let possessive = after < end && v.norm(after) == "'s";
            // Names of people and countries are written with a capital ("turkey",
            // "chad" and "bush" are not actors).
            let cap = tok.cap;
            if let Some(h) = hits.iter().find(|h| cap && matches!(h.entry, Entry::Person(_))) {
                if np.name.is_some() || np.person.is_some() {
                    break;
                }
                let Entry::Person(p) = h.entry else { unreachable!() };
                np.person = Some((p, h.rule));
                np.name = Some((j, after));
                j = after;
                if possessive {
                    // "Ishiba's predecessor": the person is context, not the head.
                    return Some((finish(v, np, i, j, ctx)?, j));
                }
                break;
            }
            if let Some(h) = hits.iter().find(|h| matches!(h.entry, Entry::Organisation(_))) {
                let Entry::Organisation(o) = h.entry else { unreachable!() };
                if np.org.is_some() || np.person.is_some() || np.name.is_some() {
                    break;
                }
                np.org = Some(o);
                np.org_rule = Some(h.rule);
                j = after;
                started = true;
                if possessive {
                    j += 1;
                    continue;
                }
                // "PTI leader", "Pakistan Tehreek-e-Insaf (PTI) leader": the
                // organisation is context for the role noun after it.
                let role_at = |k: usize| {
                    k < end && v.phrase(k).is_some_and(|(_, hs)| hs.iter().any(|h| matches!(h.entry, Entry::Role(_) | Entry::Head)))
                };
                if role_at(j) {
                    continue;
                }
                j = skip_parenthesis(v, j, end);
                if role_at(j) {
                    continue;
                }
                np.org_is_head = true;
                break;
            }
            let country_hit = hits.iter().find(|h| cap && matches!(h.entry, Entry::Country(_) | Entry::Seat(_) | Entry::Adjective(_)));
            if let Some(h) = country_hit {
                if np.country.is_some() && np.role.is_some() && np.name.is_none() && matches!(h.entry, Entry::Country(_)) {
                    // "Bree Prime Minister Romendacil": a name after a country's
                    // title that a dictionary codes as the country is the name.
                    np.name = Some((j, after));
                    j = after;
                    break;
                }
                if np.country.is_some() && !matches!(h.entry, Entry::Adjective(_)) || np.name.is_some() {
                    break;
                }
                let (Entry::Country(c) | Entry::Seat(c) | Entry::Adjective(c)) = h.entry else { unreachable!() };
                let is_seat = matches!(h.entry, Entry::Seat(_));
                if is_seat && !started && i > 0 && v.is(i - 1, &LOCATIVE) {
                    return None;
                }
                np.country = Some(c);
                np.country_rule = Some(h.rule);
                j = after;
                started = true;
                if matches!(h.entry, Entry::Adjective(_)) {
                    continue;
                }
                if possessive {
                    j += 1;
                    if is_seat {
                        // "Seoul's foreign ministry": the government's.
                        np.country_head = false;
                    }
                    continue;
                }
                let next_continues = j < end
                    && v.phrase(j)
                        .is_some_and(|(_, hs)| hs.iter().any(|h| matches!(h.entry, Entry::Role(_) | Entry::Head | Entry::Modifier(_))));
                if next_continues {
                    continue;
                }
                if is_seat {
                    np.seat_head = true;
                } else {
                    np.country_head = true;
                }
                break;
            }
            let mut took = false;
            for h in hits {
                match h.entry {
                    Entry::Modifier(r) => {
                        np.modifier = Some((r, h.rule));
                        took = true;
                    }
                    Entry::Role(r) => {
                        np.role = Some((r, h.rule));
                        np.head_generic = false;
                        took = true;
                    }
                    Entry::Head => {
                        np.head_generic = true;
                        np.head_rule = Some(h.rule);
                        took = true;
                    }
                    _ => {}
                }
            }
            if took {
                let is_role = hits.iter().any(|h| matches!(h.entry, Entry::Role(_) | Entry::Head));
                if is_role {
                    np.title = Some(v.norm_range(j, after));
                    np.plural = v.norm(after - 1).ends_with('s') && !v.norm(after - 1).ends_with("ss");
                }
                j = after;
                started = true;
                // "X's": a role in the possessive is context ("the government's plan").
                if possessive {
                    break;
                }
                continue;
            }
            break;
        }
        // "the country", "the violence-mired country": the country last named.
        if matches!(norm, "country" | "nation") && np.definite && !np.has_actor() {
            if let Some(c) = ctx.last_country.clone() {
                np.country_iso = Some(c.into());
                np.country_head = true;
                j += 1;
                break;
            }
        }
        // "at least 20", "more than 180", "about 220,000": quantity words only
        // before a number.
        let quantity = QUANTITY.has(tok)
            && j + 1 < end
            && (v.text.tokens[j + 1].kind == TokenKind::Number || matches!(v.norm(j + 1), "least" | "than"));
        if !started && (DETERMINERS.has(tok) || quantity || tok.kind == TokenKind::Number) {
            if norm == "the" {
                np.definite = true;
            }
            j += 1;
            continue;
        }
        // A capitalised name after a title or country context, or a name the
        // document introduced earlier.
        if tok.kind == TokenKind::Word && tok.cap && np.name.is_none() {
            let (name_end, known) = name_run(v, j, end, ctx);
            let sentence_initial = j == body;
            if let Some(e) = known {
                np.name = Some((j, name_end));
                let actor = ctx.entities[e].actor.clone();
                return Some((finish_entity(actor, e, i, name_end), name_end));
            }
            if name_end > j && (np.role.is_some() || np.head_generic || np.country.is_some() || np.org.is_some()) && !sentence_initial
                || name_end > j && (np.role.is_some() || np.country.is_some())
            {
                np.name = Some((j, name_end));
                j = name_end;
                break;
            }
            if !started && name_end > j && (!sentence_initial || name_end - j >= 2) {
                // A bare name: an actor only if an apposition later says who it is.
                np.name = Some((j, name_end));
                j = name_end;
                break;
            }
            break;
        }
        // Unknown lowercase adjectives between a determiner or context and a head.
        let before_head = np.role.is_none() && np.name.is_none() && !np.head_generic;
        if before_head
            && tok.kind == TokenKind::Word
            && !tok.cap
            && skipped_words < 3
            && (j > i)
            && !v.lex.norm_is_verb(tok)
            && !is_function_word(norm)
        {
            skipped_words += 1;
            j += 1;
            continue;
        }
        if before_head && tok.kind == TokenKind::Number && j > i && skipped_words < 3 {
            skipped_words += 1;
            j += 1;
            continue;
        }
        break;
    }
    if !np.has_actor() {
        return None;
    }
    // Trim trailing skipped words: the phrase ends at its last actor word.
    let stop = if np.org_is_head { j } else { last_actor_token(v, i, j, &np) };
    let m = finish(v, np, i, stop, ctx)?;
    Some((m, stop))
}

impl View<'_> {
    /// The norms of tokens `start..end`, joined by spaces (one allocation).
    fn norm_range(&self, start: usize, end: usize) -> String {
        let mut out = String::with_capacity((start..end).map(|k| self.norm(k).len() + 1).sum());
        for k in start..end {
            if k > start {
                out.push(' ');
            }
            out.push_str(self.norm(k));
        }
        out
    }
}

fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "of" | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "with"
            | "by"
            | "from"
            | "and"
            | "or"
            | "but"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "as"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "not"
            | "said"
            | "says"
            | "told"
            | "it"
            | "he"
            | "she"
            | "they"
            | "after"
            | "before"
            | "since"
            | "during"
            | "while"
            | "against"
            | "into"
            | "over"
            | "under"
            | "about"
            | "than"
            | "if"
            | "when"
            | "where"
            | "also"
            | "did"
            | "do"
            | "does"
            | "can"
            | "could"
            | "may"
            | "might"
            | "should"
            | "must"
            | "shall"
            | "near"
            | "between"
            | "among"
            | "through"
            | "per"
            | "'s"
            | "so"
            | "up"
            | "out"
            | "off"
            | "down"
            | "there"
            | "here"
            | "then"
            | "we"
            | "i"
            | "you"
            | "us"
            | "me"
            | "them"
            | "him"
            | "her"
            | "no"
            | "yet"
            | "because"
            | "although"
            | "though"
            | "unless"
            | "whether"
    )
}

/// Weekday and month names: capitalised, but never part of a person's name.
fn is_calendar_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan."
            | "feb."
            | "mar."
            | "apr."
            | "aug."
            | "sept."
            | "sep."
            | "oct."
            | "nov."
            | "dec."
            | "yesterday"
            | "today"
            | "tomorrow"
    )
}

/// The end of the phrase: one past its last name, role, country or organisation
/// token (unknown adjectives after the head are not part of it).
fn last_actor_token(v: &View, start: usize, end: usize, np: &Np) -> usize {
    if let Some((_, e)) = np.name {
        return e;
    }
    let mut k = start;
    let mut last = start;
    while k < end {
        if let Some((len, _)) = v.phrase(k) {
            k += len;
            last = k;
            if k < end && v.norm(k) == "'s" {
                k += 1;
            }
            continue;
        }
        k += 1;
    }
    last.max(start + 1)
}

fn skip_parenthesis(v: &View, j: usize, end: usize) -> usize {
    if j < end && v.norm(j) == "(" {
        let mut k = j + 1;
        while k < end && k < j + 8 {
            if v.norm(k) == ")" {
                return k + 1;
            }
            k += 1;
        }
    }
    j
}

/// The extent of a run of capitalised name words from `j`, and the document
/// entity it names if the document introduced it earlier.
fn name_run(v: &View, j: usize, end: usize, ctx: &DocContext) -> (usize, Option<usize>) {
    let mut k = j;
    while k < end {
        let t = &v.text.tokens[k];
        let n = t.norm.as_str();
        let is_name_word = t.kind == TokenKind::Word
            && t.cap
            && !is_function_word(n)
            && !is_calendar_word(n)
            && !matches!(n, "president" | "minister" | "mr." | "mrs." | "ms.");
        let particle = NAME_PARTICLES.has(t) && k > j && k + 1 < end && v.text.tokens[k + 1].cap;
        if !(is_name_word || particle) {
            break;
        }
        // Stop before a lexicon phrase that is not part of a name ("Trump Tower" is
        // fine; "Ishiba Japan" is not).
        if k > j && v.phrase(k).is_some_and(|(_, hs)| hs.iter().any(|h| !matches!(h.entry, Entry::Person(_)))) {
            break;
        }
        k += 1;
    }
    if k == j {
        return (j, None);
    }
    let words: Vec<&str> = (j..k).map(|x| v.norm(x)).collect();
    let known = ctx.entities.iter().rposition(|e| words.iter().all(|w| e.aliases.iter().any(|a| a == w)));
    (k, known)
}

fn anaphor(actors: Vec<Actor>, start: usize, end: usize) -> Mention {
    let actors = actors.into_iter().map(|a| Actor { start, end, ..a }).collect();
    Mention { start, end, actors, anaphor: true }
}

/// The two most recent actors of different countries (for "they", "the two
/// leaders"): people first when `people` is asked for, states otherwise, then any.
fn last_two(ctx: &DocContext, people: bool) -> Vec<Actor> {
    let pick = |want: Option<bool>| {
        let mut out: Vec<Actor> = Vec::new();
        for a in ctx.recent.iter().rev().take(16) {
            if a.country.is_none() || want.is_some_and(|p| a.person != p) {
                continue;
            }
            if out.iter().all(|b| b.country != a.country) {
                out.push(a.clone());
            }
            if out.len() == 2 {
                break;
            }
        }
        out.reverse();
        out
    };
    let preferred = pick(Some(people));
    if preferred.len() == 2 {
        preferred
    } else {
        pick(None)
    }
}

/// Turn a composed phrase into a mention with one actor.
fn finish(v: &View, np: Np, start: usize, end: usize, ctx: &mut DocContext) -> Option<Mention> {
    let lex = v.lex;
    // Names, countries and roles are short: built as CompactStrings, which keep
    // them inline, rather than as Strings converted at the end.
    let cs = |s: &str| CompactString::from(s);
    let role_of = |r: Option<(RoleId, Rule)>| r.map(|(r, _)| cs(lex.role(r)));
    let country_iso = np.country.map(|c| cs(&lex.countries[c as usize].iso)).or_else(|| np.country_iso.as_deref().map(cs));
    let text_name = |s: usize, e: usize| cs(v.surface(s, e));

    let rule;
    let (name, mut country, mut role, code_override, person) = if let Some((p, _)) = np.person {
        let person = &lex.people[p as usize];
        let term = person.term_on(ctx.date);
        if term.code.is_empty() {
            // A dictionary actor with no code on this date ("[---]").
            return None;
        }
        rule = Some(term.rule);
        let (c, rl) = split_code(lex, &term.code);
        // The code as the lexicon writes it ("PSEREBHMS", "DZAGOVAGR").
        (cs(&person.name), c, rl, Some(cs(&term.code)), person.person)
    } else if let (Some(o), true) = (np.org, np.org_is_head || np.role.is_none() && !np.head_generic && np.name.is_none()) {
        let org = &lex.organisations[o as usize];
        rule = np.org_rule;
        (cs(&org.name), org.country.as_deref().map(cs), org.role.as_deref().map(cs), Some(cs(&org.code)), false)
    } else if let Some((s, e)) = np.name {
        // A person in no lexicon, coded from the title and context around the name.
        let org = np.org.map(|o| &lex.organisations[o as usize]);
        let role = role_of(np.modifier)
            .or_else(|| if np.head_generic { org.and_then(|o| o.role.as_deref().map(cs)) } else { None })
            .or_else(|| role_of(np.role))
            .or_else(|| org.and_then(|o| o.role.as_deref().map(cs)));
        let country = country_iso.clone().or_else(|| org.and_then(|o| o.country.as_deref().map(cs)));
        rule = np.role.map(|(_, r)| r).or(np.org_rule).or(np.country_rule);
        if role.is_none() && country.is_none() {
            // A bare name: kept so an apposition can identify it.
            (text_name(s, e), None, None, None, true)
        } else {
            (text_name(s, e), country, role, None, true)
        }
    } else if np.org.is_some() {
        // Organisation as context of a role: "PTI leader", "UN peacekeepers".
        let org = &lex.organisations[np.org.unwrap_or_default() as usize];
        let role = if np.head_generic && np.role.is_none() {
            org.role.as_deref().map(cs)
        } else {
            role_of(np.modifier).or_else(|| role_of(np.role)).or_else(|| org.role.as_deref().map(cs))
        };
        rule = np.org_rule;
        let code = if org.country.is_none() { Some(cs(&org.code)) } else { None };
        let name = compact_str::format_compact!("{} {}", org.name, v.surface(start, end));
        (name, org.country.as_deref().map(cs), role, code, np.role.is_some_and(|_| !np.plural))
    } else if np.seat_head {
        rule = np.country_rule;
        let c = country_iso.clone();
        (cs(&lex.countries[np.country.unwrap_or_default() as usize].name), c, Some(CompactString::const_new("GOV")), None, false)
    } else if np.country_head && np.role.is_none() {
        rule = np.country_rule;
        (cs(&lex.countries[np.country.unwrap_or_default() as usize].name), country_iso.clone(), None, None, false)
    } else if np.role.is_some() || np.modifier.is_some() || np.head_generic {
        let role = role_of(np.modifier).or_else(|| role_of(np.role));
        rule = np.role.or(np.modifier).map(|(_, r)| r).or(np.head_rule);
        let person_like = np.role.is_some() && !np.plural && is_person_title(np.title.as_deref());
        // "the Japanese prime minister": a title standing for someone named before.
        if np.definite || np.country.is_some() {
            if let Some(t) = &np.title {
                if person_like {
                    if let Some(e) = ctx.entities.iter().rposition(|e| {
                        e.titles.iter().any(|x| x == t) && (country_iso.is_none() || e.actor.country.as_deref() == country_iso.as_deref())
                    }) {
                        let actor = ctx.entities[e].actor.clone();
                        return Some(finish_entity(actor, e, start, end));
                    }
                }
            }
        }
        (cs(v.surface(start, end)), country_iso.clone(), role, None, person_like)
    } else if let Some(c) = country_iso.clone() {
        rule = np.country_rule;
        let name = np.country.map(|c| cs(&lex.countries[c as usize].name)).unwrap_or_else(|| c.clone());
        (name, Some(c), None, None, false)
    } else {
        return None;
    };
    if np.person.is_none() && np.org.is_none() {
        // A modifier overrides the role ("former minister", "opposition leader").
        if let Some((m, _)) = np.modifier {
            role = Some(cs(lex.role(m)));
        }
    }
    if country.is_none() && code_override.is_none() && role.is_some() && !matches!(role.as_deref(), Some("IGO" | "NGO")) {
        country = ctx.main_country.clone();
    }
    let code = code_override.unwrap_or_else(|| match role.as_deref().and_then(|r| r.strip_suffix('~')) {
        // A prefix agent of a TABARI/PETRARCH dictionary ("NGO~"): before the country.
        Some(prefix) => compact_str::format_compact!("{prefix}{}", country.as_deref().unwrap_or("")),
        None => actor_code(country.as_deref(), role.as_deref()),
    });
    let role = role.map(|r| if r.ends_with('~') { cs(r.trim_end_matches('~')) } else { r });
    let known = np.person.map(|(p, _)| p);
    let actor = Actor { start, end, name, country, role, code, rule, entity: None, person, implied: None, known };
    let mut m = Mention { start, end, actors: vec![actor], anaphor: false };
    if person && np.name.is_some() {
        // Named people are remembered with their title, for "the prime minister".
        register(ctx, &mut m.actors[0], v, np.name, np.title);
    }
    Some(m)
}

fn is_person_title(title: Option<&str>) -> bool {
    let Some(t) = title else { return false };
    !matches!(
        t,
        "government"
            | "administration"
            | "cabinet"
            | "regime"
            | "authorities"
            | "state"
            | "ministry"
            | "military"
            | "army"
            | "police"
            | "parliament"
            | "court"
            | "media"
            | "people"
            | "public"
            | "opposition"
            | "party"
            | "forces"
            | "security forces"
            | "troops"
            | "embassy"
            | "foreign ministry"
            | "delegation"
    )
}

/// A mention of a known entity, keeping this mention's span.
fn finish_entity(actor: Actor, entity: usize, start: usize, end: usize) -> Mention {
    let a = Actor { start, end, entity: Some(entity), ..actor };
    Mention { start, end, actors: vec![a], anaphor: true }
}

/// Register a named person so later surnames, pronouns and titles find it.
fn register(ctx: &mut DocContext, actor: &mut Actor, v: &View, name: Option<(usize, usize)>, title: Option<String>) {
    let Some((s, e)) = name else { return };
    let alias = |k: &usize| v.norm(*k).len() > 2 && !NAME_PARTICLES.has(&v.text.tokens[*k]);
    if !(s..e).any(|k| alias(&k)) {
        return;
    }
    // The same person named again: merge.
    if let Some(e) = ctx.entities.iter().position(|e| e.actor.name == actor.name) {
        if let Some(t) = title {
            if !ctx.entities[e].titles.contains(&t) {
                ctx.entities[e].titles.push(t);
            }
        }
        actor.entity = Some(e);
        return;
    }
    actor.entity = Some(ctx.entities.len());
    let aliases = (s..e).filter(alias).map(|k| v.norm(k).to_string()).collect();
    ctx.entities.push(Entity { actor: actor.clone(), aliases, titles: title.into_iter().collect() });
}

fn remember(ctx: &mut DocContext, a: &Actor) {
    if a.country.is_some() && !a.person {
        ctx.last_country = a.country.clone();
    }
    if ctx.recent.capacity() == 0 {
        ctx.recent.reserve_exact(RECENT + 1);
    }
    ctx.recent.push_back(a.clone());
    if ctx.recent.len() > RECENT {
        ctx.recent.pop_front();
    }
}

/// "the leader of the main opposition party Chadema" and appositions
/// ("Noda Yoshihiko, head of the opposition ...", "his counterpart, Takeshi Iwaya,").
fn attach_of_and_appositions(v: &View, mut ms: Vec<Mention>, end: usize, ctx: &mut DocContext) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(ms.len());
    let mut k = 0;
    while k < ms.len() {
        // Taken, not copied: only the mentions after it are looked at from here on.
        let mut m = std::mem::take(&mut ms[k]);
        // X of Y: a role-only phrase takes the country (and, for a generic head, the
        // role) of what follows "of".
        // "Soldiers from Gondor", "police in Kenya": a role noun takes the country
        // named right after it.
        let link = if m.end < end { v.norm(m.end) } else { "" };
        let from_country = matches!(link, "in" | "from")
            && k + 1 < ms.len()
            && ms[k + 1].actors.iter().all(|b| b.country.is_some() && b.role.is_none() && b.code.len() == 3);
        if k + 1 < ms.len() && (link == "of" || from_country) && ms[k + 1].start == m.end + 1 && !m.anaphor {
            let a = &m.actors[0];
            let role_only = a.entity.is_none()
                && !a.name.is_empty()
                && a.rule.is_some_and(|r| is_role_rule(v.lex, r))
                && (link == "of" || a.code.starts_with("---") || ctx.main_country.is_some() && a.country == ctx.main_country);
            if role_only {
                // "the top diplomats of the two nations", "the ambassadors of Arnor,
                // Osgiliath and Gondor": one actor per nation.
                // A list joined by commas counts only when it ends with "and".
                let mut last = k + 1;
                let mut j = k + 1;
                while j + 1 < ms.len() && joined(v, ms[j].end, ms[j + 1].start) {
                    j += 1;
                    if v.norm(ms[j].start - 1) != "," {
                        last = j;
                    }
                }
                let end_of = ms[last].end;
                let actors = ms[k + 1..=last].iter().flat_map(|n| &n.actors).map(|b| of_phrase(v, a, b, end_of)).collect();
                m = Mention { start: m.start, end: end_of, actors, anaphor: false };
                k = last;
            }
        }
        // Apposition: NAME , DESCRIPTION  or  DESCRIPTION , NAME
        if let Some(prev) = out.last_mut() {
            if prev.end < v.text.tokens.len()
                && v.norm(prev.end) == ","
                && m.start == prev.end + 1
                && prev.actors.len() == 1
                && m.actors.len() == 1
            {
                let closes = m.end >= end
                    || matches!(v.norm(m.end), "," | "." | ")" | "(" | "-" | "\"" | "in" | "of" | "at" | "for" | "from" | "who" | "and")
                    || v.lex.norm_is_verb(&v.text.tokens[m.end]);
                let a = prev.actors[0].clone();
                let b = m.actors[0].clone();
                let a_bare = a.person && a.country.is_none() && a.role.is_none();
                let b_desc = b.entity.is_none() && b.person && b.rule.is_some();
                if closes && a_bare && (b.country.is_some() || b.role.is_some()) {
                    let mut merged = Actor { country: b.country.clone(), role: b.role.clone(), rule: b.rule, ..a };
                    merged.code = actor_code(merged.country.as_deref(), merged.role.as_deref());
                    prev.actors[0] = merged.clone();
                    if let Some(e) = merged.entity {
                        ctx.entities[e].actor = merged.clone();
                    } else {
                        register(ctx, &mut prev.actors[0], v, Some((a.start, a.end)), None);
                    }
                    k += 1;
                    continue;
                }
                let a_desc = a.entity.is_none() && !a.name.is_empty() && (a.role.is_some() || a.country.is_some()) && a.rule.is_some();
                // "his Japanese counterpart, Takeshi Iwaya": the description is the
                // person the name already identifies.
                let b_known = b.person && b.entity.is_some() && b.country.is_some();
                if closes && a_desc && !a.person_named() && b_known && (a.country.is_none() || a.country == b.country) {
                    prev.actors[0] = Actor { start: a.start, ..b.clone() };
                    prev.end = m.end;
                    k += 1;
                    continue;
                }
                let b_bare = b.person && b.country.is_none() && b.role.is_none();
                if closes && a_desc && b_bare && !b_desc {
                    let merged = Actor { name: b.name.clone(), start: b.start, end: b.end, person: true, ..a.clone() };
                    prev.actors[0] = merged;
                    register(ctx, &mut prev.actors[0], v, Some((b.start, b.end)), None);
                    prev.end = m.end;
                    k += 1;
                    continue;
                }
            }
        }
        out.push(m);
        k += 1;
    }
    // Bare names nobody described are not actors.
    out.retain(|m| m.actors.iter().all(|a| a.country.is_some() || a.role.is_some() || !a.code.is_empty()));
    out
}

/// Was the actor decided by a role noun (dyad's roles or a dictionary's agents)?
fn is_role_rule(lex: &Lexicon, rule: Rule) -> bool {
    let file = &lex.files[rule.file as usize];
    file.ends_with("roles.txt") || crate::dict::kind_of(std::path::Path::new(file)) == Some(crate::dict::DictKind::Agents)
}

/// "the leader of the opposition party": the head takes the country of what it
/// heads, and its role too when the head is generic.
fn of_phrase(v: &View, a: &Actor, b: &Actor, end: usize) -> Actor {
    let generic = a.role.is_none();
    let role = if generic || matches!(a.role.as_deref(), Some("GOV" | "PTY")) && b.role.as_deref() == Some("OPP") {
        b.role.clone()
    } else {
        a.role.clone()
    };
    let merged = Actor {
        start: a.start,
        end,
        name: v.surface(a.start, end).into(),
        country: b.country.clone().or(a.country.clone()),
        role,
        code: CompactString::default(),
        rule: b.rule.or(a.rule),
        entity: None,
        person: a.person,
        implied: None,
        known: None,
    };
    recode(merged, b)
}

fn recode(mut a: Actor, of: &Actor) -> Actor {
    a.code = if of.country.is_none() && !of.code.is_empty() && a.role == of.role {
        of.code.clone()
    } else {
        actor_code(a.country.as_deref(), a.role.as_deref())
    };
    a
}

/// Do the tokens between two mentions join them in a list ("," "and" ", and")?
fn joined(v: &View, from: usize, to: usize) -> bool {
    let gap: Vec<&str> = (from..to).map(|k| v.norm(k)).collect();
    matches!(gap.as_slice(), ["and"] | [",", "and"] | [","] | ["or"])
}

/// Group coordinated mentions: "Japan, South Korea and Australia".
fn coordinate(v: &View, ms: Vec<Mention>) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(ms.len());
    for m in ms {
        if let Some(prev) = out.last_mut() {
            // The words between the two: at most three join them.
            let mut words = [""; 3];
            let n = m.start.saturating_sub(prev.end);
            for (w, k) in words.iter_mut().zip(prev.end..m.start) {
                *w = v.norm(k);
            }
            let gap = if n <= words.len() { &words[..n] } else { &[] };
            let joins = matches!(gap, ["and"] | [",", "and"] | [","] | ["or"] | ["as", "well", "as"]);
            // A bare comma only continues a list that goes on to "and".
            if joins && (gap != [","] || list_continues(v, m.end)) {
                prev.end = m.end;
                prev.actors.extend(m.actors);
                prev.anaphor &= m.anaphor;
                continue;
            }
        }
        out.push(m);
    }
    out
}

/// After a list item: does the list go on (", X" or "and X")?
fn list_continues(v: &View, k: usize) -> bool {
    k < v.text.tokens.len() && matches!(v.norm(k), "," | "and")
}

/// Resolve the lexicon hits of every sentence once, to rank the countries the
/// document is about, most named first (a dateline's seat counts double).
pub fn countries(lex: &Lexicon, text: &Text, phrases: &[Phrase]) -> Vec<CompactString> {
    // A document names a few countries: counted in a list, not a hash map.
    let mut counts: Vec<(u32, usize)> = Vec::new();
    let mut count = |c: u32, weight: usize| match counts.iter_mut().find(|(x, _)| *x == c) {
        Some((_, n)) => *n += weight,
        None => counts.push((c, weight)),
    };
    for s in &text.sentences {
        let mut k = s.tokens.start;
        while k < s.tokens.end {
            if let Some((len, hits)) = phrases[k] {
                let weight = if k < s.body { 2 } else { 1 };
                for h in hits {
                    if let Entry::Country(c) | Entry::Adjective(c) | Entry::Seat(c) = h.entry {
                        count(c, weight);
                        break;
                    }
                    if let Entry::Person(p) = h.entry {
                        let code = &lex.people[p as usize].terms[0].code;
                        if let Some(c) = code.get(..3).and_then(|iso| lex.country_by_iso(iso)) {
                            count(c, 1);
                        }
                        break;
                    }
                }
                k += len;
            } else {
                k += 1;
            }
        }
    }
    counts.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    counts.into_iter().map(|(c, _)| CompactString::from(lex.countries[c as usize].iso.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    /// (sentence index, mention text, codes) for every mention of a document.
    fn mentions_of(doc: &str, date: &str) -> Vec<(usize, String, Vec<String>, Vec<String>)> {
        let lex = Lexicon::builtin().expect("builtin lexicon loads");
        let mut t = text::analyse(doc);
        let ids = lex.token_ids(&mut t, doc);
        let ph = phrases(&lex, &t, &ids);
        let mut ctx = DocContext::new(date.parse().expect("test date"), countries(&lex, &t, &ph));
        let mut out = Vec::new();
        for s in 0..t.sentences.len() {
            for m in mentions(&lex, &t, doc, s, &ph, &mut ctx) {
                let surface = doc[t.tokens[m.start].start..t.tokens[m.end - 1].end].to_string();
                out.push((
                    s,
                    surface,
                    m.actors.iter().map(|a| a.code.to_string()).collect(),
                    m.actors.iter().map(|a| a.name.to_string()).collect(),
                ));
            }
        }
        out
    }

    fn code_of(ms: &[(usize, String, Vec<String>, Vec<String>)], text: &str) -> Vec<String> {
        ms.iter().find(|m| m.1 == text).map(|m| m.2.clone()).unwrap_or_else(|| panic!("no mention '{text}' in {ms:#?}"))
    }

    #[test]
    fn titles_and_country_adjectives_code_unknown_people() {
        let ms = mentions_of("Japanese Prime Minister Hanako Yamada met officials on Monday.", "2031-05-01");
        assert_eq!(code_of(&ms, "Japanese Prime Minister Hanako Yamada"), ["JPNGOV"]);
    }

    #[test]
    fn surnames_pronouns_and_titles_point_back_to_the_person() {
        let doc = "Japanese Prime Minister Hanako Yamada arrived on Monday. Yamada told reporters he was tired. The Japanese prime minister left.";
        let ms = mentions_of(doc, "2031-05-01");
        let names: Vec<&str> = ms.iter().filter(|m| m.0 > 0).map(|m| m.3[0].as_str()).collect();
        assert!(names.iter().filter(|n| **n == "Hanako Yamada").count() >= 3, "{ms:#?}");
        assert_eq!(code_of(&ms, "he"), ["JPNGOV"]);
    }

    #[test]
    fn people_in_the_lexicon_take_the_code_of_their_term() {
        assert_eq!(code_of(&mentions_of("Donald Trump spoke.", "2019-05-24"), "Donald Trump"), ["USAGOV"]);
        assert_eq!(code_of(&mentions_of("Donald Trump spoke.", "2024-11-07"), "Donald Trump"), ["USAELI"]);
    }

    #[test]
    fn agents_take_their_country_from_the_adjective() {
        let ms = mentions_of("Nepali police arrested activists. Seoul's foreign ministry said so.", "2005-03-09");
        assert_eq!(code_of(&ms, "Nepali police"), ["NPLCOP"]);
        assert_eq!(code_of(&ms, "Seoul's foreign ministry"), ["KORGOV"]);
    }

    #[test]
    fn appositions_and_of_phrases_lend_their_role() {
        let ms = mentions_of(
            "Kenji Sato, head of the opposition party in Japan, spoke. Police detained the leader of the main opposition party Chadema.",
            "2020-11-02",
        );
        assert_eq!(code_of(&ms, "Kenji Sato")[0].get(3..), Some("OPP"), "{ms:#?}");
        assert_eq!(code_of(&ms, "the leader of the main opposition party Chadema"), ["TZAOPP"]);
    }

    #[test]
    fn a_role_of_a_list_is_one_actor_per_member() {
        let ms = mentions_of("The ambassadors of Japan, China and India met officials.", "2024-11-07");
        assert!(ms.iter().any(|m| m.2 == ["JPNGOV", "CHNGOV", "INDGOV"]), "{ms:#?}");
        let ms = mentions_of("The leader of Japan, Kenji Sato, spoke.", "2024-11-07");
        assert!(!ms.iter().any(|m| m.2.len() > 1), "an apposition is not a list: {ms:#?}");
    }

    #[test]
    fn coordinated_countries_form_one_mention() {
        let ms = mentions_of("The pact would include Japan, South Korea, Australia, and New Zealand.", "2024-11-07");
        assert!(ms.iter().any(|m| m.2 == ["JPN", "KOR", "AUS", "NZL"]), "{ms:#?}");
    }

    #[test]
    fn seats_are_governments_but_not_after_locative_prepositions() {
        let ms = mentions_of("Beijing protested. The talks were held in Tokyo.", "2024-11-07");
        assert_eq!(code_of(&ms, "Beijing"), ["CHNGOV"]);
        assert!(!ms.iter().any(|m| m.1 == "Tokyo"), "{ms:#?}");
    }

    #[test]
    fn regions_and_lowercase_words_are_not_countries() {
        let ms = mentions_of("Leaders from Latin America ate turkey.", "2024-11-07");
        assert!(!ms.iter().any(|m| m.2.iter().any(|c| c.starts_with("USA") || c.starts_with("TUR"))), "{ms:#?}");
    }
}
