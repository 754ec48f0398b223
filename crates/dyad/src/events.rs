//! Events: trigger patterns matched in a sentence, and the shallow clause structure
//! that decides who is the source and who the target.
//!
//! A trigger is a pattern from `data/verbs/` anchored on a verb ("{speak} with $")
//! or an event noun ("assassination of $"). The source of a verbal trigger is the
//! subject of its clause: the nearest actor mention to its left that is not inside
//! a prepositional phrase or the object of another verb, found across appositions,
//! relative clauses ("Kishida, who was nearly killed by ...") and reported speech
//! ("Ishiba told reporters he spoke with Trump"). Passive voice swaps the roles:
//! the subject is the target and the "by" phrase the source. Infinitives and
//! participle clauses ("called up Modi to congratulate him", "..., killing six
//! people") take the subject of the verb they hang on. A coordinated subject with
//! no target ("Cho and Iwaya agreed to cooperate") is read as each acting towards
//! the other.
//!
//! This module finds (trigger, source, target) triples; turning them into event
//! records with codes, labels and dates is [`crate::coder`]'s job.

use crate::actors::Mention;
use crate::lexicon::{form, Item, Lexicon, Pattern, PatternShape, SentenceKey, Signature, TokId};
use crate::text::{Text, Token, TokenKind};
use crate::words::{Class, WordList};

/// A trigger matched in a sentence, with the mentions it relates.
#[derive(Clone, Debug)]
pub struct Found {
    /// Index of the pattern in [`Lexicon::patterns`].
    pub pattern: u32,
    /// Token range of the trigger words.
    pub start: usize,
    pub end: usize,
    /// The trigger's own tokens (not its slots).
    pub words: Vec<usize>,
    /// The verb that carries the trigger's tense and status: its own verb, or
    /// for an event noun the verb it is the object of ("will launch the
    /// exercise").
    pub head: usize,
    /// The mentions (indices into the sentence's) whose actors are its source
    /// and its target: a trigger relates what the sentence names, so it points
    /// at the mentions rather than copying their actors.
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub passive: bool,
}

pub(crate) const PREPOSITIONS: WordList = WordList::new(&[
    "of",
    "in",
    "with",
    "to",
    "for",
    "by",
    "from",
    "on",
    "at",
    "against",
    "over",
    "about",
    "near",
    "into",
    "across",
    "through",
    "during",
    "after",
    "before",
    "since",
    "between",
    "among",
    "toward",
    "towards",
    "under",
    "behind",
    "like",
    "including",
    "than",
    "via",
    "around",
    "outside",
    "inside",
    "per",
    "upon",
    "despite",
    "amid",
    "without",
])
.class(Class::Preposition);
/// Is the token a preposition?
pub fn is_preposition(t: &Token) -> bool {
    PREPOSITIONS.has(t)
}

pub(crate) const BE: WordList =
    WordList::new(&["is", "are", "was", "were", "be", "been", "being", "am", "'s", "get", "got", "gets", "getting"]).class(Class::Be);
pub(crate) const REPORTING: WordList = WordList::new(&[
    "say",
    "says",
    "said",
    "saying",
    "claim",
    "claims",
    "claimed",
    "believe",
    "believes",
    "believed",
    "think",
    "thinks",
    "thought",
    "report",
    "reports",
    "reported",
    "add",
    "adds",
    "added",
    "insist",
    "insisted",
    "note",
    "noted",
    "stress",
    "stressed",
    "announce",
    "announced",
    "announces",
    "confirm",
    "confirmed",
    "know",
    "knew",
    "hope",
    "hoped",
    "hopes",
    "fear",
    "feared",
    "feel",
    "felt",
    "found",
    "find",
])
.class(Class::Reporting);
/// Verbs whose object is the subject of a following infinitive ("urged X to ...").
pub(crate) const OBJECT_CONTROL: WordList = WordList::new(&[
    "urge",
    "urged",
    "urges",
    "urging",
    "ask",
    "asked",
    "asks",
    "asking",
    "invite",
    "invited",
    "invites",
    "press",
    "pressed",
    "order",
    "ordered",
    "allow",
    "allowed",
    "force",
    "forced",
    "encourage",
    "encouraged",
    "persuade",
    "persuaded",
    "tell",
    "told",
    "tells",
    "want",
    "wants",
    "wanted",
    "call",
    "called",
    "calls",
    "help",
    "helped",
    "helps",
    "instruct",
    "instructed",
    "instructing",
    "expect",
    "expected",
    "request",
    "requested",
])
.class(Class::ObjectControl);
pub(crate) const LIGHT_VERBS: WordList = WordList::new(&[
    "carry",
    "carried",
    "carries",
    "carrying",
    "launch",
    "launched",
    "launches",
    "launching",
    "hold",
    "held",
    "holds",
    "holding",
    "conduct",
    "conducted",
    "conducts",
    "conducting",
    "stage",
    "staged",
    "stages",
    "staging",
    "make",
    "made",
    "makes",
    "making",
    "mount",
    "mounted",
    "have",
    "had",
    "has",
    "having",
    "announce",
    "announced",
    "announces",
    "announcing",
    "impose",
    "imposed",
    "offer",
    "offered",
    "offers",
    "offering",
    "deliver",
    "delivered",
    "give",
    "gave",
    "given",
    "plan",
    "planned",
    "planning",
    "plans",
    "seek",
    "sought",
    "seeks",
    "seeking",
    "arrange",
    "arranged",
    "arranging",
    "order",
    "ordered",
    "pledge",
    "pledged",
    "lead",
    "led",
    "organise",
    "organised",
    "organize",
    "organized",
    "begin",
    "began",
    "start",
    "started",
    "continue",
    "continued",
    "resume",
    "resumed",
    "adopt",
    "adopted",
    "agree",
    "agreed",
    "join",
    "joined",
    "call",
    "called",
    "calls",
    "calling",
    "provide",
    "provided",
])
.class(Class::LightVerb);
/// Words that end the search for a clause's subject or object.
pub(crate) const BOUNDARY: WordList = WordList::new(&[
    ";", ":", "that", "because", "although", "though", "while", "whereas", "unless", "if", "but", "\"", "(", ")", "whether", "when",
])
.class(Class::ClauseBoundary);
const MAX_REACH: usize = 40;

struct Sent<'a> {
    lex: &'a Lexicon,
    text: &'a Text,
    ids: &'a [Option<TokId>],
    body: usize,
    end: usize,
    mentions: &'a [Mention],
    /// For each token of the sentence (offset by `body`), the mention covering it.
    cover: &'a [Option<usize>],
}

impl Sent<'_> {
    fn norm(&self, k: usize) -> &str {
        &self.text.tokens[k].norm
    }
    /// Is token `k` in `list`?
    #[inline(always)]
    fn is(&self, k: usize, list: &WordList) -> bool {
        list.has(&self.text.tokens[k])
    }
    fn mention_at(&self, k: usize) -> Option<usize> {
        if k < self.body || k >= self.end {
            return None;
        }
        self.cover[k - self.body]
    }
    fn id(&self, k: usize) -> Option<TokId> {
        self.ids[k]
    }
    fn is_verb(&self, k: usize) -> bool {
        self.id(k).is_some_and(|id| self.lex.is_verb(id)) || self.is(k, &REPORTING) || self.is(k, &OBJECT_CONTROL)
    }
    /// Is token `k` of the sentence an adverb the matcher may skip?
    fn is_adverb(&self, k: usize) -> bool {
        k >= self.body && k < self.end && adverb(self.text, k, self.body)
    }
}

fn adverb(text: &Text, k: usize, body: usize) -> bool {
    let t = &text.tokens[k];
    let n = t.norm.as_str();
    n.len() > 4 && n.ends_with("ly") && t.kind == TokenKind::Word && (!t.cap || k == body) || SKIPPED_ADVERBS.has(t)
}

/// Adverbs without "-ly" (or capitalised ones) the matcher may skip too.
pub(crate) const SKIPPED_ADVERBS: WordList =
    WordList::new(&["also", "then", "still", "already", "soon", "just", "jointly", "reportedly", "allegedly", "again", "further"])
        .class(Class::SkippedAdverb);

/// Finds the triggers of sentences ([`Finder::find`]), keeping its working
/// buffers from one sentence to the next.
#[derive(Default)]
pub struct Finder {
    cover: Vec<Option<usize>>,
    /// For each token of the sentence body (and once more at its end), how many
    /// of `terms` come from the tokens before it.
    terms_before: Vec<usize>,
    terms: Vec<SentenceKey>,
    /// The sentence's [`Signature`] at each token: the bits of the tokens
    /// before it, after it, and of the three after it.
    signatures: Vec<Signature>,
    matches: Vec<Matched>,
    candidates: Vec<u32>,
    taken: Vec<bool>,
}

impl Finder {
    /// Find every trigger of one sentence and the actors it relates.
    pub fn find(&mut self, lex: &Lexicon, text: &Text, sentence: usize, ids: &[Option<TokId>], mentions: &[Mention]) -> Vec<Found> {
        let Finder { cover, terms_before, terms, signatures, matches, candidates, taken } = self;
        let s = &text.sentences[sentence];
        let (body, end) = (s.body, s.tokens.end);
        cover.clear();
        cover.resize(end.saturating_sub(body), None);
        for (mi, m) in mentions.iter().enumerate() {
            for k in m.start.max(body)..m.end.min(end) {
                cover[k - body] = Some(mi);
            }
        }
        // The key terms of the sentence (see `Lexicon::patterns_at`), in token order.
        terms_before.clear();
        terms.clear();
        signatures.clear();
        let mut before = 0;
        for id in ids.iter().take(end).skip(body) {
            let bits = id.map_or(0, |id| lex.signature_bits(id));
            signatures.push([before, bits, 0]);
            before |= bits;
            terms_before.push(terms.len());
            if let Some(id) = *id {
                lex.key_terms(id, |term| terms.push(term));
            }
        }
        terms_before.push(terms.len());
        // Each token's own bits (in the middle for now) become those after it.
        let (mut after, mut next) = (0, [0; 3]);
        for sig in signatures.iter_mut().rev() {
            let own = sig[1];
            sig[1] = after;
            sig[2] = next[0] | next[1] | next[2];
            after |= own;
            next = [own, next[0], next[1]];
        }
        taken.clear();
        taken.resize(end.saturating_sub(body), false);
        let sent = Sent { lex, text, ids, body, end, mentions, cover };
        find(&sent, terms_before, terms, signatures, matches, candidates, taken)
    }
}

/// [`Finder::find`] on a sentence, with the finder's buffers.
fn find(
    sent: &Sent,
    terms_before: &[usize],
    terms: &[SentenceKey],
    signatures: &[Signature],
    matches: &mut Vec<Matched>,
    candidates: &mut Vec<u32>,
    taken: &mut [bool],
) -> Vec<Found> {
    let (lex, ids, body, end) = (sent.lex, sent.ids, sent.body, sent.end);
    // Every pattern that matches, anchored at every token.
    matches.clear();
    for (t, id) in ids.iter().enumerate().take(end).skip(body) {
        let Some(id) = id.filter(|&id| lex.may_anchor(id)) else { continue };
        if sent.mention_at(t).is_some_and(|m| !is_trigger_inside_mention(sent, m, t)) {
            continue;
        }
        // The key terms of the tokens before the anchor, and after it.
        let (before, after) = (terms_before[t - body], terms_before[t - body + 1]);
        lex.patterns_at(id, &terms[..before], &terms[after..], signatures[t - body], candidates);
        // Facts about the anchor that many of its patterns ask: found once.
        let passive_at = std::cell::OnceCell::new();
        let determiner_at = std::cell::OnceCell::new();
        let after_det = || *determiner_at.get_or_init(|| after_determiner(sent, t));
        for &p in candidates.iter() {
            let pattern = lex.shape(p);
            let passive = pattern.verbal && *passive_at.get_or_init(|| is_passive(sent, t));
            if let Some(m) = match_pattern(sent, &pattern, t, passive, &after_det) {
                let weight = lex.patterns[p as usize].weight;
                let gaps = pattern.items.iter().filter(|i| matches!(i, Item::Any | Item::Gap(_))).count();
                matches.push(Matched { m, p, weight, gaps });
            }
        }
    }
    // Longest first; a token belongs to one trigger.
    matches.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then((b.m.target.is_some()).cmp(&a.m.target.is_some()))
            .then(a.gaps.cmp(&b.gaps))
            .then(a.m.start.cmp(&b.m.start))
            .then(a.p.cmp(&b.p))
    });
    let mut out = Vec::new();
    for Matched { m, p, .. } in matches.drain(..) {
        if m.words.iter().any(|&k| taken[k - body]) {
            continue;
        }
        for &k in &m.words {
            taken[k - body] = true;
        }
        let pattern = &lex.patterns[p as usize];
        let passive = pattern.verbal && is_passive(sent, m.verb);
        let (source, target) = roles(sent, pattern, &m, passive);
        let head = if pattern.verbal { m.verb } else { governing_verb(sent, m.start).unwrap_or(m.start) };
        let continued = m.target.and_then(|t| continuation(sent, t));
        let found = Found { pattern: p, start: m.start, end: m.end, words: m.words, head, source, target, passive };
        // "a trip to the APEC forum in Peru, followed by the G20 event in Rio": the
        // same event again, towards the next target, told by the linking words.
        if let Some((words, next)) = continued {
            // Every field but `words` is `Copy`: `found` is copied, not cloned.
            let (start, end) = (words[0], words[words.len() - 1] + 1);
            out.push(Found { start, end, words, target: Some(next), ..found });
        }
        out.push(found);
    }
    out.sort_by_key(|f| f.start);
    out
}

/// An event noun inside a mention ("Saturday's attack") is still a trigger when the
/// mention is just a role word standing in for one ("bomber" is not; "attack" is).
fn is_trigger_inside_mention(s: &Sent, m: usize, t: usize) -> bool {
    // A mention's last token may be a noun that is also a trigger ("suicide car
    // bomber" is an actor, never a trigger); others are left to patterns.
    let mention = &s.mentions[m];
    t + 1 != mention.end || mention.actors.iter().all(|a| a.rule.is_none())
}

/// A match of pattern `p`, with what ranks it among the sentence's others
/// (taken from the pattern once, rather than at each comparison of the sort).
struct Matched {
    m: Match,
    p: u32,
    /// [`Pattern::weight`].
    weight: usize,
    /// Its `Any` and `Gap` items.
    gaps: usize,
}

#[derive(Debug)]
struct Match {
    start: usize,
    end: usize,
    /// Tokens that are trigger words (not slots).
    words: Vec<usize>,
    /// Token of the verb (the anchor for verbal patterns).
    verb: usize,
    source: Option<usize>,
    target: Option<usize>,
    /// Position after the last matched item (for an open target search).
    after: usize,
}

fn word_matches(s: &Sent, k: usize, item: Item) -> bool {
    match (item, s.id(k)) {
        (Item::Word(w), Some(id)) => id == w,
        (Item::Verb(l), Some(id)) => k >= s.body && k < s.end && s.lex.verb_forms(id).iter().any(|(x, _)| *x == l),
        (Item::Any, _) => true,
        _ => false,
    }
}

/// The trigger words of a match, without allocating for attempts that fail.
struct Words {
    at: [usize; 32],
    len: usize,
}

impl Words {
    fn push(&mut self, k: usize) -> Option<()> {
        *self.at.get_mut(self.len)? = k;
        self.len += 1;
        Some(())
    }
}

/// The number of tokens a word, verb or set item matches starting at token `k`.
fn item_len(s: &Sent, k: usize, item: Item) -> Option<usize> {
    match item {
        Item::Set(i) => s.lex.sets[i as usize].match_forward(&s.ids[k..s.end]),
        _ => word_matches(s, k, item).then_some(1),
    }
}

/// The number of tokens a word, verb or set item matches ending at token `k`.
fn item_len_back(s: &Sent, k: usize, item: Item) -> Option<usize> {
    match item {
        Item::Set(i) => s.lex.sets[i as usize].match_backward(&s.ids[s.body..=k]),
        _ => word_matches(s, k, item).then_some(1),
    }
}

pub(crate) const DETERMINERS: WordList =
    WordList::new(&["a", "an", "the", "their", "his", "her", "its", "our", "this", "these", "my", "your"]).class(Class::EventDeterminer);

/// Is token `t` preceded by a determiner, with at most two adjectives between?
fn after_determiner(s: &Sent, t: usize) -> bool {
    let mut k = t;
    for _ in 0..3 {
        if k <= s.body {
            return false;
        }
        k -= 1;
        let n = s.norm(k);
        if s.is(k, &DETERMINERS) {
            return true;
        }
        let t = &s.text.tokens[k];
        // An adjective: a lowercase word that is not a verb, a function word, part
        // of an actor ("the government backtracked") or a plural noun.
        // A verb's base form may be an adjective here ("a brief private visit"),
        // its other forms not ("the army attacked").
        let verb_form = s.id(k).is_some_and(|id| s.lex.has_form(id, form::PAST | form::PARTICIPLE | form::ING | form::THIRD));
        let adjective = t.kind == TokenKind::Word
            && !t.cap
            && s.mention_at(k).is_none()
            && !n.ends_with('s')
            && !verb_form
            && !PREPOSITIONS.has(t)
            && !BE.has(t)
            && !matches!(
                n,
                "to" | "will"
                    | "would"
                    | "can"
                    | "could"
                    | "may"
                    | "might"
                    | "shall"
                    | "should"
                    | "must"
                    | "did"
                    | "do"
                    | "had"
                    | "not"
                    | "and"
                    | "or"
                    | "but"
            );
        if !adjective {
            return false;
        }
    }
    false
}

/// Match pattern `p` anchored at token `t`; `passive_capable`: the anchor is a
/// passive participle; `after_det`: [`after_determiner`] of the anchor.
fn match_pattern(s: &Sent, p: &PatternShape, t: usize, passive_capable: bool, after_det: &dyn Fn() -> bool) -> Option<Match> {
    if !word_matches(s, t, p.items[p.anchor]) {
        return None;
    }
    // "a bomb", "their meeting", "a brief private visit": after a determiner (and
    // adjectives) a verb form is a noun.
    if matches!(p.items[p.anchor], Item::Verb(_)) && after_det() {
        return None;
    }
    let mut words = Words { at: [0; 32], len: 0 };
    words.push(t)?;
    let mut source = None;
    let mut target = None;
    let mut open_target = false;
    // Forward from the anchor.
    let mut pos = t + 1;
    let n = p.items.len();
    // Tokens that may still be passed over before the next item (`Item::Gap`).
    let mut gap = 0usize;
    for (idx, &item) in p.items.iter().enumerate().skip(p.anchor + 1) {
        let last = idx == n - 1;
        match item {
            Item::Gap(g) => gap += g as usize,
            Item::Word(_) | Item::Verb(_) | Item::Any | Item::Set(_) => {
                let mut k = pos;
                let mut skipped = 0;
                while k < s.end
                    && item_len(s, k, item).is_none()
                    && skipped < 2
                    && (s.is_adverb(k) || item != Item::Any && matches!(s.norm(k), "a" | "an" | "the"))
                {
                    k += 1;
                    skipped += 1;
                }
                if gap > 0 && (k >= s.end || item_len(s, k, item).is_none()) {
                    k = scan(s, pos..s.end.min(pos + gap + 1), |j| item_len(s, j, item).is_some())?;
                }
                if k >= s.end {
                    return None;
                }
                let len = item_len(s, k, item)?;
                if item != Item::Any {
                    for w in k..k + len {
                        words.push(w)?;
                    }
                }
                pos = k + len;
                gap = 0;
            }
            Item::Target | Item::Source | Item::Compound => {
                // In the passive the object slot right after the verb is the subject.
                let right_after_verb = p.items[p.anchor + 1..idx].iter().all(|i| matches!(i, Item::Gap(_)));
                if passive_capable && item == Item::Target && right_after_verb {
                    continue;
                }
                if last && item == Item::Target {
                    open_target = true;
                    break;
                }
                let m = mention_ahead(s, pos, if last { 10 } else { 4 } + gap)?;
                gap = 0;
                match item {
                    Item::Target => target = Some(m),
                    Item::Compound if s.mentions[m].actors.len() < 2 => return None,
                    _ => source = Some(m),
                }
                pos = s.mentions[m].end;
            }
        }
    }
    let after = pos;
    // Backward from the anchor.
    let mut pos = t;
    let mut gap = 0usize;
    for &item in p.items[..p.anchor].iter().rev() {
        match item {
            Item::Gap(g) => gap += g as usize,
            Item::Word(_) | Item::Verb(_) | Item::Any | Item::Set(_) => {
                let mut k = pos.checked_sub(1)?;
                while k > s.body && item_len_back(s, k, item).is_none() && s.is_adverb(k) {
                    k -= 1;
                }
                if gap > 0 && (k < s.body || item_len_back(s, k, item).is_none()) {
                    let lo = pos.saturating_sub(gap + 1).max(s.body);
                    k = scan(s, (lo..pos).rev(), |j| item_len_back(s, j, item).is_some())?;
                }
                if k < s.body {
                    return None;
                }
                let len = item_len_back(s, k, item)?;
                let first = k + 1 - len;
                if item != Item::Any {
                    for w in first..=k {
                        words.push(w)?;
                    }
                }
                pos = first;
                gap = 0;
            }
            Item::Target | Item::Source | Item::Compound => {
                let k = pos.checked_sub(1)?;
                let lo = k.saturating_sub(gap).max(s.body);
                let m = (lo..=k).rev().take_while(|&j| j == k || !gap_stops(s, j)).find_map(|j| s.mention_at(j))?;
                gap = 0;
                match item {
                    Item::Target => target = Some(m),
                    Item::Compound if s.mentions[m].actors.len() < 2 => return None,
                    _ => source = Some(m),
                }
                pos = s.mentions[m].start;
            }
        }
    }
    // "an anti- Gondor parade": a verb pattern with an actor before its verb, the
    // whole after a determiner, is a noun phrase.
    let slot_before = p.items[..p.anchor].iter().any(|i| matches!(i, Item::Target | Item::Source | Item::Compound));
    if p.verbal && slot_before && pos > s.body && s.is(pos - 1, &DETERMINERS) {
        return None;
    }
    if open_target {
        // TABARI/PETRARCH patterns: the first actor after the verb that is not
        // part of the pattern's own words; dyad's: the first after the pattern.
        target = if p.target_anywhere {
            // Whatever the preposition, as PETRARCH does; not past the verb phrase
            // (a semicolon, or a comma after the pattern's own words).
            let mut found = None;
            let mut k = t + 1;
            while k < s.end && k < after + 10 && !gap_stops(s, k) && !(k >= after && s.norm(k) == ",") {
                if let Some(m) = s.mention_at(k) {
                    let (ms, me) = (s.mentions[m].start, s.mentions[m].end);
                    if !words.at[..words.len].iter().any(|&w| ms <= w && w < me) && Some(m) != source && ms > t {
                        found = Some(m);
                        break;
                    }
                    k = me.max(k + 1);
                    continue;
                }
                k += 1;
            }
            found
        } else {
            mention_ahead(s, after, 10)
        };
    }
    let mut words = words.at[..words.len].to_vec();
    words.sort_unstable();
    let start = words[0];
    let end = words[words.len() - 1] + 1;
    Some(Match { start, end, words, verb: t, source, target, after })
}

/// A gap of a TABARI/PETRARCH pattern does not reach past a semicolon or colon
/// (their patterns often span a complement: "NOTED + *" in "noted that X regretted").
fn gap_stops(s: &Sent, k: usize) -> bool {
    matches!(s.norm(k), ";" | ":" | ".")
}

/// The first token in `range` where `hit` holds, not passing a clause boundary.
fn scan(s: &Sent, range: impl Iterator<Item = usize>, hit: impl Fn(usize) -> bool) -> Option<usize> {
    for j in range {
        if hit(j) {
            return Some(j);
        }
        if gap_stops(s, j) {
            return None;
        }
    }
    None
}

/// Prepositions whose object is a place or time, not the target of an event.
pub(crate) const LOCATIVE: WordList = WordList::new(&[
    "at",
    "in",
    "during",
    "near",
    "inside",
    "outside",
    "around",
    "across",
    "throughout",
    "after",
    "before",
    "since",
    "until",
    "from",
    "amid",
    "via",
    "within",
])
.class(Class::EventLocative);

/// The first mention starting within `reach` tokens from `pos`, in the same clause.
/// A mention met after skipping words is passed over when a locative preposition
/// introduces it ("agreed to meet at the G-20 summit").
fn mention_ahead(s: &Sent, pos: usize, reach: usize) -> Option<usize> {
    let mut k = pos;
    while k < s.end && k < pos + reach {
        if let Some(m) = s.mention_at(k) {
            let start = s.mentions[m].start;
            if start > pos && s.is(start - 1, &LOCATIVE) {
                k = s.mentions[m].end;
                continue;
            }
            return Some(m);
        }
        let n = s.norm(k);
        if s.is(k, &BOUNDARY) || matches!(n, "." | "," | "who" | "which") && k > pos {
            return None;
        }
        k += 1;
    }
    None
}

/// Is the verb at `k` a passive participle ("was arrested", "has been nearly killed")?
fn is_passive(s: &Sent, k: usize) -> bool {
    let Some(id) = s.id(k) else { return false };
    if !s.lex.has_form(id, form::PARTICIPLE) {
        return false;
    }
    let mut j = k;
    while j > s.body {
        j -= 1;
        let n = s.norm(j);
        if BE.contains(n) {
            return true;
        }
        if s.is_adverb(j) || matches!(n, "not" | "never" | "been" | "reportedly" | "allegedly") {
            continue;
        }
        return false;
    }
    false
}

/// Decide source and target of a match: the mentions that fill them.
fn roles(s: &Sent, p: &Pattern, m: &Match, passive: bool) -> (Option<usize>, Option<usize>) {
    if p.verbal {
        // A trigger that begins inside an actor mention ("a suicide car bomber
        // struck ...") has that mention as its subject.
        let inside = s.mention_at(m.start).filter(|&x| s.mentions[x].start < m.start);
        let mut subject = inside.or_else(|| subject(s, m.start)).or_else(|| fronted_participle_subject(s, m));
        if p.target_anywhere && !passive && m.target.is_some() && subject == m.target {
            // A dictionary pattern that names the target before the verb ("NOTED +
            // *": "Gondor noted that Mordor regretted ..."): the source is the
            // subject where the pattern starts.
            let first = m.words.first().copied().unwrap_or(m.start);
            subject = self::subject(s, first.min(s.mentions[m.target.unwrap_or_default()].start));
        }
        if p.items.contains(&Item::Compound) {
            // "Israel and Syria met": the members act on each other (the coder
            // pairs them both ways).
            return (m.source, None);
        }
        if m.source.is_some() && !p.items.contains(&Item::Target) {
            // "received a call from +": the subject is on the receiving end.
            return (m.source, subject);
        }
        if passive {
            // The subject undergoes the action; "by X" does it.
            let agent = by_agent(s, m.end.max(m.after));
            return (m.source.or(agent), subject);
        }
        let target = m.target.filter(|&t| subject != Some(t));
        return (m.source.or(subject), target);
    }
    // Nominal trigger: the actor right before it ("a Syrian government airstrike"),
    // or the subject of a light verb ("carried out attacks").
    if m.source.is_some() {
        return (m.source, m.target);
    }
    let mut k = m.start;
    let mut skipped = 0;
    while k > s.body && skipped < 3 {
        let j = k - 1;
        if let Some(mi) = s.mention_at(j) {
            let mention = &s.mentions[mi];
            if Some(mi) == m.target {
                break;
            }
            if mention.end == j + 1 && !s.norm(j).eq("'s") {
                return (Some(mi), m.target);
            }
            break;
        }
        let n = s.norm(j);
        if matches!(n, "a" | "an" | "the" | "new" | "fresh" | "recent" | "deadly" | "further") || s.text.tokens[j].kind == TokenKind::Number
        {
            k = j;
            skipped += 1;
            continue;
        }
        if s.is(j, &LIGHT_VERBS) {
            let subj = subject(s, j);
            if subj.is_some() && subj != m.target {
                return (subj, m.target);
            }
        }
        break;
    }
    (None, m.target)
}

/// "Warmly felicitating Modi, Sri Lankan President Sirisena noted ...": a clause
/// opening with a participle takes the subject after its comma.
fn fronted_participle_subject(s: &Sent, m: &Match) -> Option<usize> {
    let opens = (s.body..m.start).all(|k| s.is_adverb(k));
    if !opens || !s.id(m.verb).is_some_and(|id| s.lex.has_form(id, form::ING)) {
        return None;
    }
    let comma = (m.end..s.end).find(|&k| s.norm(k) == ",")?;
    s.mention_at(comma + 1).filter(|&x| Some(x) != m.target)
}

/// Words that continue an event towards another target without repeating its verb.
const CONTINUATIONS: &[&[&str]] = &[
    &["followed", "by"],
    &["before", "heading", "to"],
    &["before", "travelling", "to"],
    &["before", "traveling", "to"],
    &["and", "then", "to"],
    &["then", "to"],
    &["and", "on", "to"],
];

/// After target mention `t`: the linking words and the next target of an elliptical
/// continuation (", followed by X"), within the clause.
fn continuation(s: &Sent, t: usize) -> Option<(Vec<usize>, usize)> {
    let mut k = s.mentions[t].end;
    let limit = (k + 12).min(s.end);
    // Skip the rest of the target's phrase ("forum in Peru from November 10-16").
    while k < limit && s.norm(k) != "," {
        k += 1;
    }
    k += 1;
    for words in CONTINUATIONS {
        if k + words.len() < s.end && words.iter().enumerate().all(|(i, w)| s.norm(k + i) == *w) {
            let next = mention_ahead(s, k + words.len(), 3)?;
            return Some(((k..k + words.len()).collect(), next));
        }
    }
    None
}

/// The verb an event noun at `start` is the object of, a few words to its left
/// in the same clause ("launch the ten-day military exercise").
fn governing_verb(s: &Sent, start: usize) -> Option<usize> {
    (start.saturating_sub(10).max(s.body)..start)
        .rev()
        .take_while(|&k| !s.is(k, &BOUNDARY) && s.norm(k) != ",")
        .find(|&k| s.is_verb(k) || s.is(k, &LIGHT_VERBS))
}

/// The mention after "by" following a passive verb.
fn by_agent(s: &Sent, from: usize) -> Option<usize> {
    let mut k = from;
    while k < s.end && k < from + 6 {
        if s.norm(k) == "by" {
            return mention_ahead(s, k + 1, 5);
        }
        if s.is(k, &BOUNDARY) {
            break;
        }
        k += 1;
    }
    None
}

/// The subject of the clause whose verb starts at token `v`.
fn subject(s: &Sent, v: usize) -> Option<usize> {
    // Infinitive or participle clause: the subject is that of the verb it hangs on,
    // so objects of other verbs are skipped on the way left.
    let mut k = v;
    while k > s.body
        && (s.is_adverb(k - 1)
            || BE.contains(s.norm(k - 1))
            || matches!(
                s.norm(k - 1),
                "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
                    | "not"
                    | "to"
                    | "did"
                    | "does"
                    | "do"
                    | "could"
                    | "can"
                    | "may"
                    | "might"
                    | "should"
                    | "must"
                    | "shall"
            ))
    {
        k -= 1;
    }
    let infinitive = (k..v).any(|j| s.norm(j) == "to");
    let participle = s.id(v).is_some_and(|id| s.lex.has_form(id, form::ING)) && k > s.body && s.norm(k - 1) == ",";
    // "crowds trashed its embassy": a plain noun right before the verb is its
    // subject, and it is no actor.
    if !infinitive && !participle && k > s.body && s.mention_at(k - 1).is_none() {
        let t = &s.text.tokens[k - 1];
        let n = t.norm.as_str();
        let noun = t.kind == TokenKind::Word
            && !t.cap
            && n.len() > 3
            && n.ends_with('s')
            && !s.is_verb(k - 1)
            && !PREPOSITIONS.has(t)
            && !BOUNDARY.has(t)
            && !matches!(
                n,
                "has"
                    | "was"
                    | "is"
                    | "this"
                    | "its"
                    | "his"
                    | "yes"
                    | "thus"
                    | "always"
                    | "perhaps"
                    | "nevertheless"
                    | "besides"
                    | "unless"
                    | "whereas"
            );
        if noun {
            return None;
        }
    }
    let mut steps = 0;
    while k > s.body && steps < MAX_REACH {
        steps += 1;
        let j = k - 1;
        let n = s.norm(j);
        if matches!(n, "who" | "which") {
            // Relative clause: the antecedent before it.
            let mut a = j;
            while a > s.body && matches!(s.norm(a - 1), ",") {
                a -= 1;
            }
            return a.checked_sub(1).and_then(|x| s.mention_at(x));
        }
        if s.is(j, &BOUNDARY) || n == "," && !infinitive && !participle && comma_ends_clause(s, j) {
            return None;
        }
        if let Some(mi) = s.mention_at(j) {
            let m = &s.mentions[mi];
            let before = m.start.checked_sub(1).filter(|&b| b >= s.body);
            let in_pp = before.is_some_and(|b| s.is(b, &PREPOSITIONS));
            let after_verb = before.is_some_and(|b| {
                let mut b = b;
                while b > s.body && matches!(s.norm(b), "up" | "out" | "off" | "down") {
                    b -= 1;
                }
                s.is_verb(b) && !s.is(b, &REPORTING) && !s.is(b, &BE)
            });
            let controller = before.is_some_and(|b| s.is(b, &OBJECT_CONTROL));
            if in_pp || after_verb && !(infinitive && controller) {
                k = m.start;
                continue;
            }
            return Some(mi);
        }
        k = j;
    }
    None
}

/// A comma ends the clause unless it closes an apposition or a parenthetical
/// phrase that belongs to the subject ("Ishiba, the prime minister, said").
fn comma_ends_clause(s: &Sent, j: usize) -> bool {
    // If a mention sits right before the comma, or the comma closes a phrase that
    // opened with a comma after a mention, keep walking.
    if j > s.body && s.mention_at(j - 1).is_some() {
        return false;
    }
    let mut k = j;
    let mut steps = 0;
    while k > s.body && steps < 12 {
        k -= 1;
        steps += 1;
        if s.norm(k) == "," {
            return !(k > s.body && s.mention_at(k - 1).is_some());
        }
        if s.is(k, &BOUNDARY) {
            return true;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::{Coder, Document, Lexicon};

    /// A small lexicon written for these tests, so they test the mechanics of
    /// clause structure rather than the contents of `data/`.
    fn lexicon() -> Lexicon {
        lexicon_with("111 | {condemn} $\n041 | {speak} with $; {call} up $\n036 | {agree} to {meet}\n051 | {congratulate} $\n190 | {attack} $\n1823 | {kill} $\n173 | {arrest} $\n186 | assassination of $; $ 's assassination\n195 | airstrike on $\n")
    }

    /// The test lexicon with these verb patterns.
    fn lexicon_with(verbs: &str) -> Lexicon {
        let files = [
            ("data/actors/countries.txt", "JPN | Japan | | Japanese | Tokyo\nCHN | China | | Chinese | Beijing\nUSA | United States | US | American | Washington\nIND | India | | Indian |\nRUS | Russia | | Russian |\nIRN | Iran | | Iranian |\nSYR | Syria | | Syrian |\n"),
            ("data/actors/roles.txt", "GOV | government; prime minister; president\nREB | rebels\nCVL | civilians\nCOP | police\nOPP | activists\n* | leader\n"),
            ("data/actors/people/p.txt", "Donald Trump | Trump | USAGOV | 2017-01-20 | 2021-01-20\nNarendra Modi | Modi | INDGOV | 2014-05-26 |\n"),
            ("data/verbs/irregular.txt", "speak | | spoke | spoken |\n"),
            ("data/verbs/v.txt", verbs),
        ];
        Lexicon::from_texts(files.iter().map(|(p, t)| (p.to_string(), t.to_string()))).expect("test lexicon loads")
    }

    /// "SOURCE code TARGET" for every event of a text.
    fn code(text: &str) -> Vec<String> {
        code_with(&lexicon(), text, false)
    }

    /// `partial`: also events with one side only.
    fn code_with(lex: &Lexicon, text: &str, partial: bool) -> Vec<String> {
        let doc = Document { id: "t".into(), text: text.into(), published: jiff::civil::date(2019, 5, 24), url: None, title: None };
        Coder::new(lex)
            .with_partial(partial)
            .code(&doc)
            .iter()
            .map(|e| {
                let side = |a: &Option<crate::record::ActorRecord>| a.as_ref().map(|a| a.code.clone()).unwrap_or_else(|| "-".into());
                format!("{} {} {}", side(&e.source), e.code, side(&e.target))
            })
            .collect()
    }

    #[test]
    fn patterns_are_found_by_their_words_on_either_side_of_the_verb() {
        // Each of these is filed under a word besides its verb (see
        // `Lexicon::patterns_at`): before it, far after it, or another verb.
        let lex = lexicon_with(
            "1823 | {kill} $\n1831 | (gunmen|suicide bomber) {kill} $\n0354 | {agree} to (lift|ease) ~0-3 sanctions on $\n030 | {agree} to {cooperate} with $\n",
        );
        assert_eq!(code_with(&lex, "Gunmen killed Indian police.", true), ["- 1831 INDCOP"]);
        assert_eq!(code_with(&lex, "Indian police killed gunmen.", true), ["INDCOP 1823 -"]);
        assert_eq!(code_with(&lex, "China agreed to ease the remaining economic sanctions on Iran.", false), ["CHN 0354 IRN"]);
        assert_eq!(code_with(&lex, "China agreed to lift tariffs on Iran.", false), Vec::<String>::new());
        assert_eq!(code_with(&lex, "China agreed to cooperate with Iran.", false), ["CHN 030 IRN"]);
    }

    /// The word right after a verb may come after two skipped adverbs, not three
    /// (the window [`Lexicon::may_match`] checks before the matcher is run).
    #[test]
    fn the_word_after_the_verb_may_follow_two_adverbs() {
        let lex = lexicon_with("042 | {speak} with $\n");
        assert_eq!(code_with(&lex, "Modi spoke with the Russian president.", false), ["INDGOV 042 RUSGOV"]);
        assert_eq!(code_with(&lex, "Modi spoke reportedly secretly with the Russian president.", false), ["INDGOV 042 RUSGOV"]);
        assert_eq!(code_with(&lex, "Modi spoke reportedly, secretly with the Russian president.", false), Vec::<String>::new());
    }

    #[test]
    fn active_voice() {
        assert_eq!(code("Japan condemned China on Monday."), ["JPN 111 CHN"]);
    }

    #[test]
    fn passive_voice_swaps_source_and_target() {
        assert_eq!(code("China was strongly condemned by Japan."), ["JPN 111 CHN"]);
        assert_eq!(code("Indian activists were arrested by Indian police."), ["INDCOP 173 INDOPP"]);
    }

    #[test]
    fn agentless_passive_has_no_dyad() {
        assert!(code("Indian activists were arrested.").is_empty());
    }

    #[test]
    fn relative_clause_subject_is_the_antecedent() {
        assert_eq!(code("The Japanese prime minister, who was attacked by Chinese rebels, resigned."), ["CHNREB 190 JPNGOV"]);
    }

    #[test]
    fn reported_speech_and_pronouns() {
        assert_eq!(code("US President Donald Trump told reporters he spoke with Modi."), ["USAGOV 041 INDGOV"]);
    }

    #[test]
    fn coordinated_subject_without_target_acts_both_ways() {
        let mut got = code("Japan and China agreed to meet.");
        got.sort();
        assert_eq!(got, ["CHN 036 JPN", "JPN 036 CHN"]);
    }

    #[test]
    fn coordinated_targets_give_one_event_each() {
        assert_eq!(code("Japan condemned China, Russia and Iran."), ["JPN 111 CHN", "JPN 111 RUS", "JPN 111 IRN"]);
    }

    #[test]
    fn infinitive_takes_the_subject_of_its_verb() {
        assert_eq!(code("Trump called up Modi to congratulate him."), ["USAGOV 041 INDGOV", "USAGOV 051 INDGOV"]);
    }

    #[test]
    fn participle_clause_takes_the_main_subject() {
        assert_eq!(
            code("Syrian rebels attacked the Syrian government, killing Syrian civilians."),
            ["SYRREB 190 SYRGOV", "SYRREB 1823 SYRCVL"]
        );
    }

    #[test]
    fn nominal_triggers() {
        assert_eq!(code("A Syrian government airstrike on Syrian rebels was reported."), ["SYRGOV 195 SYRREB"]);
    }

    #[test]
    fn prepositional_phrases_are_not_subjects() {
        assert_eq!(code("The leader of China condemned Japan."), ["CHN 111 JPN"]);
    }
}
