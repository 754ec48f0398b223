//! The coder: one document and a lexicon in, event records out.
//!
//! [`Coder::code`] runs the stages in order (text, actor mentions, triggers) and
//! assembles each found trigger into one [`Event`] per (source, target) pair, with
//! its evidence: the words of each actor, the trigger, the sentence and the lexicon
//! line that decided the code. It is a pure function of (document, lexicon).

use crate::actors::{self, Actor, DocContext};
use crate::codebook::Codebook;
use crate::dating::{Dater, Trigger, When};
use crate::events;
use crate::lexicon::{form, Lexicon, Side, TokId, Whose, BLOCK};
use crate::record::{ActorRecord, DateRecord, Event, TriggerRecord};
use crate::status::{self, Status};
use crate::text::{self, Text};
use crate::time::{self, Tense, TimeExpr};
use crate::Document;
use compact_str::CompactString;
use std::borrow::Cow;

/// Codes documents with one lexicon. Cheap to create; share the lexicon.
pub struct Coder<'a> {
    lexicon: &'a Lexicon,
    codebook: &'a Codebook,
    /// Keep events with only one side known.
    partial: bool,
    /// Give role-only mentions ("police") the country the document is about.
    document_country: bool,
}

impl<'a> Coder<'a> {
    pub fn new(lexicon: &'a Lexicon) -> Self {
        let codebook = if lexicon.codebook.is_empty() { Codebook::builtin() } else { &lexicon.codebook };
        Coder { lexicon, codebook, partial: false, document_country: true }
    }

    /// Also emit events whose source or target is unknown (off by default: an
    /// event is a dyad).
    pub fn with_partial(mut self, partial: bool) -> Self {
        self.partial = partial;
        self
    }

    /// Whether role-only mentions ("police", "the government") take the country
    /// the document is most about (on by default; off, they code "---GOV" as
    /// PETRARCH does).
    pub fn with_document_country(mut self, on: bool) -> Self {
        self.document_country = on;
        self
    }

    /// Code one document.
    pub fn code(&self, doc: &Document) -> Vec<Event> {
        self.code_counted(doc).0
    }

    /// Code one document; also say how many sentences it was split into (for
    /// throughput summaries, without tokenising twice).
    pub fn code_counted(&self, doc: &Document) -> (Vec<Event>, usize) {
        self.code_batch(&[doc]).pop().unwrap_or_default()
    }

    /// Code several documents: the same events as [`Coder::code_counted`] on
    /// each, stage by stage over all of them (every document's text and
    /// mentions, then every document's triggers, then the events), so that each
    /// stage's code and the branch history it trains stay in the processor from
    /// one document to the next. Callers that have documents in batches (the
    /// `dyad` command codes up to 256 at a time) should prefer it.
    pub fn code_batch(&self, docs: &[&Document]) -> Vec<(Vec<Event>, usize)> {
        let mut read: Vec<Read> = docs.iter().map(|doc| self.tokenise(doc)).collect();
        for r in &mut read {
            self.find_mentions(r);
        }
        let mut finder = events::Finder::default();
        for r in &mut read {
            self.find_triggers(r, &mut finder);
        }
        for r in &mut read {
            self.read_times_and_status(r);
        }
        read.into_iter().map(|r| self.assemble(r)).collect()
    }

    /// A document's text, and its tokens' lexicon ids.
    fn tokenise<'d>(&self, doc: &'d Document) -> Read<'d> {
        let lex = self.lexicon;
        let mut text = text::analyse(&doc.text);
        let ids = lex.token_ids(&mut text, &doc.text);
        let ctx = DocContext::new(doc.published, Vec::new());
        Read {
            doc,
            text,
            ids,
            ctx,
            discarded: Vec::new(),
            mentions: Vec::new(),
            found: Vec::new(),
            exprs: Vec::new(),
            statuses: Vec::new(),
            emptied: false,
        }
    }

    /// The stages that read a tokenised document whole: the countries it is
    /// about, its discarded sentences and every sentence's actor mentions.
    fn find_mentions(&self, r: &mut Read) {
        let lex = self.lexicon;
        let (text, doc) = (&r.text, r.doc);
        let phrases = actors::phrases(lex, text, &r.ids);
        let countries = if self.document_country { actors::countries(lex, text, &phrases) } else { Vec::new() };
        r.ctx = DocContext::new(doc.published, countries);
        // Discard phrases (TABARI/PETRARCH dictionaries): a story-level one
        // anywhere empties the document; a sentence-level one its sentence.
        r.discarded = vec![false; text.sentences.len()];
        if !lex.discards.is_empty() {
            for (si, s) in text.sentences.iter().enumerate() {
                match lex.discard_in(text, s.tokens.clone()) {
                    Some(d) if d.story => {
                        r.emptied = true;
                        return;
                    }
                    Some(_) => r.discarded[si] = true,
                    None => {}
                }
            }
        }
        // Each sentence's mentions read the document context the ones before left.
        let ctx = &mut r.ctx;
        r.mentions = (0..text.sentences.len()).map(|si| actors::mentions(lex, text, &doc.text, si, &phrases, ctx)).collect();
    }

    /// The triggers of every sentence that is not discarded, with their actors.
    fn find_triggers(&self, r: &mut Read, finder: &mut events::Finder) {
        let lex = self.lexicon;
        r.found = (0..r.mentions.len())
            .map(|si| {
                if r.discarded[si] {
                    return Vec::new();
                }
                // A blocked pattern has taken its words from shorter ones; only
                // those that make an event are kept.
                let mut found = finder.find(lex, &r.text, si, &r.ids, &r.mentions[si]);
                found.retain(|f| lex.patterns[f.pattern as usize].makes_events());
                found
            })
            .collect();
    }

    /// The time expressions of every sentence with triggers, and the status of
    /// each trigger.
    fn read_times_and_status(&self, r: &mut Read) {
        let text = &r.text;
        (r.exprs, r.statuses) = r
            .found
            .iter()
            .enumerate()
            .map(|(si, found)| {
                if found.is_empty() {
                    return (Vec::new(), Vec::new());
                }
                let body = text.sentences[si].body;
                let statuses = found.iter().map(|f| status::status(text, body, f.head.min(f.start), &f.words)).collect();
                (time::find_in(text, si, self.lexicon), statuses)
            })
            .unzip();
    }

    /// The events of a document whose triggers are found: dated, with their
    /// status, codes and evidence.
    fn assemble(&self, r: Read) -> (Vec<Event>, usize) {
        let lex = self.lexicon;
        let Read { doc, text, ids, ctx, mentions, found: all_found, exprs: all_exprs, statuses: all_statuses, emptied, .. } = r;
        if emptied {
            return (Vec::new(), text.sentences.len());
        }
        let mut dater = Dater::new(&text, &doc.text, doc.published);
        // Most triggers make one event.
        let mut out: Vec<Pending> = Vec::with_capacity(all_found.iter().map(Vec::len).sum());
        let sentences = mentions.iter().zip(all_found).zip(all_exprs.into_iter().zip(all_statuses));
        for (si, ((mentions, found), (exprs, statuses))) in sentences.enumerate() {
            if found.is_empty() {
                continue;
            }
            // The actors of a trigger's role: those of the mention that fills it.
            let of = |m: Option<usize>| m.map_or(&[][..], |m| mentions[m].actors.as_slice());
            let triggers: Vec<Trigger> = found
                .iter()
                .zip(&statuses)
                .map(|(f, &st)| Trigger {
                    start: f.start,
                    end: f.end,
                    tense: tense(lex, &ids, &text, f, st),
                    root: crate::codebook::root(&lex.patterns[f.pattern as usize].code),
                    roles: [of(f.source), of(f.target)],
                })
                .collect();
            let mut n = 0;
            let mut previous: Option<Roles> = None;
            for ((f, trigger), mut status) in found.into_iter().zip(&triggers).zip(statuses) {
                let pattern = &lex.patterns[f.pattern as usize];
                let when = dater.date(si, &exprs, trigger, &triggers);
                if let Some(w) = &when {
                    dater.remember(si, trigger, w);
                    // A future date makes an event planned.
                    if status == Status::Asserted && w.interval.start > doc.published {
                        status = Status::Planned;
                    }
                }
                let (mut sources, mut targets) = (Cow::Borrowed(of(f.source)), Cow::Borrowed(of(f.target)));
                // "he spoke with Trump ... to offer his congratulations": an event
                // without a target, by the same source as the event before it in the
                // sentence, is directed at the same target.
                if targets.is_empty() && sources.len() == 1 {
                    if let Some((ps, pt)) = &previous {
                        if ps.iter().any(|p: &Actor| same_actor(p, &sources[0])) {
                            targets = pt.clone();
                        }
                    }
                }
                let symmetric = targets.is_empty() && sources.len() >= 2;
                if sources.is_empty() != targets.is_empty() && !symmetric {
                    let (side, known, missing) =
                        if sources.is_empty() { (Side::Source, &targets, &mut sources) } else { (Side::Target, &sources, &mut targets) };
                    // Countries the sentence names in a prepositional phrase ("aid for
                    // flood relief in Pakistan") come before the document's.
                    let in_pp = |m: &&actors::Mention| m.start > 0 && events::is_preposition(&text.tokens[m.start - 1]);
                    let here: Vec<&str> =
                        mentions.iter().filter(in_pp).flat_map(|m| &m.actors).filter_map(|a| a.country.as_deref()).collect();
                    if let Some(a) = implied_actor(lex, &ctx, &here, &pattern.code, side, &known[0], f.start) {
                        missing.to_mut().push(a);
                    }
                }
                // Each event the trigger makes, in order: paired codes (TABARI/PETRARCH
                // `[032:033]`) also make the event the other way round. A blocked
                // code makes none: the forward code of a `[:173]` (the only blocked
                // patterns kept, `Pattern::makes_events`).
                let mut emit = |code: &str, src: Option<&Actor>, tgt: Option<&Actor>| {
                    if code == BLOCK {
                        return;
                    }
                    if let (Some(a), Some(b)) = (src, tgt) {
                        if same_actor(a, b) {
                            return;
                        }
                    }
                    if src.is_none() && tgt.is_none() {
                        return;
                    }
                    // A TABARI/PETRARCH dictionary may use codes outside CAMEO
                    // ("903"): the event carries its code, without a label.
                    let (label, quad_class, goldstein) = match self.codebook.resolve_loose(code) {
                        Some(info) => (CompactString::from(info.label.as_str()), info.quad_class, info.goldstein),
                        None if pattern.target_anywhere => (CompactString::default(), 0, 0.0),
                        None => return,
                    };
                    let s = &text.sentences[si];
                    let event = Event {
                        doc: doc.id.as_str().into(),
                        sentence: si,
                        id: event_id(&doc.id, si, n),
                        source: None,
                        target: None,
                        code: code.into(),
                        root: crate::codebook::root(code).into(),
                        label,
                        quad_class,
                        goldstein,
                        // Settled once the document's lead date is known (below).
                        date: DateRecord::default(),
                        status: status.as_str().into(),
                        location: None,
                        trigger: TriggerRecord {
                            text: doc.text[text.tokens[f.start].start..text.tokens[f.end - 1].end].into(),
                            span: [text.tokens[f.start].start, text.tokens[f.end - 1].end],
                        },
                        rule: lex.rule_text(pattern.rule).into(),
                        sentence_text: doc.text[s.start..s.end].into(),
                    };
                    out.push(Pending { event, when: when.clone(), tense: trigger.tense, source: src.cloned(), target: tgt.cloned() });
                    n += 1;
                };
                let code = pattern.code.as_str();
                match (&pattern.reverse, symmetric) {
                    // Members of a compound that act on each other take the first
                    // code forwards and the second backwards.
                    (Some(r), true) => {
                        for (i, a) in sources.iter().enumerate() {
                            for b in &sources[i + 1..] {
                                emit(code, Some(a), Some(b));
                                emit(r, Some(b), Some(a));
                            }
                        }
                    }
                    _ => pairs(&sources, &targets, self.partial, |src, tgt| {
                        emit(code, src, tgt);
                        // (A symmetric event's reverse is the arm above.)
                        if let Some(r) = &pattern.reverse {
                            emit(r, tgt, src);
                        }
                    }),
                }
                if !sources.is_empty() && !targets.is_empty() {
                    previous = Some((sources, targets));
                }
            }
        }
        // Events their sentence does not date take the document's lead date.
        let events = out
            .into_iter()
            .filter_map(|Pending { event: mut e, when, tense, source, target }| {
                let when = when.unwrap_or_else(|| dater.fallback(e.sentence, tense));
                // An actor whose dictionary entry has no code on the event's date
                // ("[---]") is no actor.
                let on = |a: Actor| {
                    Some(a.on(lex, when.interval.start)).filter(|a| !a.code.is_empty()).map(|a| record(lex, a, &text, &doc.text))
                };
                let (had_source, had_target) = (source.is_some(), target.is_some());
                e.source = source.and_then(on);
                e.target = target.and_then(on);
                let lost = had_source && e.source.is_none() || had_target && e.target.is_none();
                if lost && (!self.partial || e.source.is_none() && e.target.is_none()) {
                    return None;
                }
                e.date = date_record(&when);
                Some(e)
            })
            .collect();
        (events, text.sentences.len())
    }
}

fn date_record(w: &When) -> DateRecord {
    DateRecord {
        start: iso_date(w.interval.start),
        end: iso_date(w.interval.end),
        grain: w.interval.grain.as_str().into(),
        basis: w.basis.as_str().into(),
        text: w.text.clone(),
        span: w.span,
    }
}

/// `doc:sentence:n`.
fn event_id(doc: &str, sentence: usize, n: usize) -> CompactString {
    let mut digits = itoa::Buffer::new();
    let mut id = CompactString::with_capacity(doc.len() + 8);
    id.push_str(doc);
    id.push(':');
    id.push_str(digits.format(sentence));
    id.push(':');
    id.push_str(digits.format(n));
    id
}

/// `YYYY-MM-DD`, as jiff writes a date, without the formatting machinery for
/// the years news is about (0 to 9999; jiff writes the others).
fn iso_date(d: jiff::civil::Date) -> CompactString {
    let y = d.year();
    if !(0..=9999).contains(&y) {
        return d.to_string().into();
    }
    let mut out = *b"0000-00-00";
    let mut put = |at: usize, width: usize, n: u16| {
        for i in 0..width {
            out[at + width - 1 - i] = b'0' + (n / 10u16.pow(i as u32) % 10) as u8;
        }
    };
    put(0, 4, y as u16);
    put(5, 2, d.month() as u16);
    put(8, 2, d.day() as u16);
    // ASCII digits and dashes: nothing is lost.
    CompactString::from_utf8_lossy(&out)
}

/// The tense of a trigger's clause, for reading its time expression: future when
/// planned, past when its verb or auxiliary is in the past, present otherwise.
fn tense(lex: &Lexicon, ids: &[Option<TokId>], text: &Text, f: &events::Found, status: Status) -> Tense {
    if status == Status::Planned {
        return Tense::Future;
    }
    let past = |k: usize| ids[k].is_some_and(|id| lex.has_form(id, form::PAST | form::PARTICIPLE));
    if f.words.iter().any(|&k| past(k)) {
        return Tense::Past;
    }
    let aux = f.start.checked_sub(1).map(|k| text.tokens[k].norm.as_str());
    match aux {
        Some("is" | "are" | "am") => Tense::Present,
        Some("will" | "shall") => Tense::Future,
        _ if f.words.iter().any(|&k| ids[k].is_some_and(|id| lex.has_form(id, form::THIRD | form::ING))) => Tense::Present,
        _ => Tense::Past,
    }
}

/// A document between the coder's stages (see [`Coder::code_batch`]); each
/// stage fills in its part.
struct Read<'d> {
    doc: &'d Document,
    text: Text,
    ids: Vec<Option<TokId>>,
    ctx: DocContext,
    /// Sentences a discard phrase removes.
    discarded: Vec<bool>,
    /// Each sentence's actor mentions.
    mentions: Vec<Vec<actors::Mention>>,
    /// Each sentence's triggers (none for a discarded one).
    found: Vec<Vec<events::Found>>,
    /// Each sentence's time expressions (none for one without triggers).
    exprs: Vec<Vec<TimeExpr>>,
    /// The status of each trigger of each sentence.
    statuses: Vec<Vec<Status>>,
    /// A story-level discard phrase emptied the document.
    emptied: bool,
}

/// An event waiting for the end of its document: its date (if its sentence gives
/// one) and its actors, whose codes are settled once the date is.
struct Pending {
    event: Event,
    when: Option<When>,
    tense: Tense,
    source: Option<Actor>,
    target: Option<Actor>,
}

/// The actors of a trigger's source and target: borrowed from the mentions that
/// fill them, owned only where the coder supplies one (an implied actor).
type Roles<'m> = (Cow<'m, [Actor]>, Cow<'m, [Actor]>);

/// Each (source, target) pair of coordinated actors, to `each`: every
/// combination; a coordinated source with no target acts towards each of its
/// other members.
fn pairs<'b>(sources: &'b [Actor], targets: &'b [Actor], partial: bool, mut each: impl FnMut(Option<&'b Actor>, Option<&'b Actor>)) {
    if targets.is_empty() && sources.len() >= 2 {
        for a in sources {
            for b in sources {
                if !std::ptr::eq(a, b) {
                    each(Some(a), Some(b));
                }
            }
        }
        return;
    }
    match (sources.is_empty(), targets.is_empty()) {
        (false, false) => {
            for a in sources {
                for b in targets {
                    each(Some(a), Some(b));
                }
            }
        }
        (false, true) if partial => sources.iter().for_each(|a| each(Some(a), None)),
        (true, false) if partial => targets.iter().for_each(|b| each(None, Some(b))),
        _ => {}
    }
}

/// The actor `data/verbs/implied.txt` supplies for the missing side of an event.
fn implied_actor(lex: &Lexicon, ctx: &DocContext, here: &[&str], code: &str, side: Side, known: &Actor, at: usize) -> Option<Actor> {
    let imp = lex.implied_for(code, side)?;
    let country = match imp.whose {
        Whose::Other => known.country.clone()?,
        Whose::Document => {
            // Not the known side's own state: a government does not appeal to itself.
            let own_state = matches!(known.role.as_deref(), None | Some("GOV"));
            let allowed = |c: &str| !(own_state && known.country.as_deref() == Some(c));
            let in_sentence = here.iter().copied().find(|c| allowed(c) && known.country.as_deref() != Some(c));
            in_sentence.map(CompactString::from).or_else(|| ctx.countries.iter().find(|c| allowed(c)).cloned())?
        }
    };
    let name = lex.country_by_iso(&country).map(|c| lex.countries[c as usize].name.clone()).unwrap_or_else(|| country.to_string());
    Some(Actor {
        start: at,
        end: at,
        name: format!("{name} ({})", imp.role).into(),
        code: format!("{country}{}", imp.role).into(),
        country: Some(country),
        role: Some(imp.role.as_str().into()),
        rule: Some(imp.rule),
        entity: None,
        person: false,
        implied: Some(imp.rule),
        known: None,
    })
}

fn same_actor(a: &Actor, b: &Actor) -> bool {
    a.entity.is_some() && a.entity == b.entity || a.code == b.code && a.name == b.name
}

fn record(lex: &Lexicon, a: Actor, text: &Text, doc: &str) -> ActorRecord {
    let start = text.tokens[a.start].start;
    let end = if a.implied.is_some() { start } else { text.tokens[a.end.max(a.start + 1) - 1].end };
    ActorRecord {
        text: doc[start..end].into(),
        name: a.name,
        code: a.code,
        country: a.country,
        role: a.role,
        span: [start, end],
        implied_by: a.implied.map(|r| lex.rule_text(r).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::{event_id, iso_date};
    use jiff::civil::date;

    #[test]
    fn a_batch_codes_each_document_as_alone() {
        let lex = crate::Lexicon::builtin().expect("the built-in lexicon loads");
        let doc = |id: &str, text: &str| crate::Document {
            id: id.into(),
            text: text.into(),
            published: date(2024, 11, 7),
            url: None,
            title: None,
        };
        let docs = [
            doc("a", "Japanese Prime Minister Shigeru Ishiba spoke with Donald Trump on Thursday. He congratulated him."),
            doc("b", "Nepali police arrested more than 180 activists on Tuesday."),
            doc("c", "No actors here at all."),
            doc("d", "China condemned Japan. Japan and China agreed to meet next week."),
        ];
        let coder = super::Coder::new(&lex);
        let alone: Vec<_> = docs.iter().map(|d| coder.code_counted(d)).collect();
        assert!(alone.iter().map(|(e, _)| e.len()).sum::<usize>() >= 3, "the documents code some events");
        assert_eq!(coder.code_batch(&docs.iter().collect::<Vec<_>>()), alone);
    }

    #[test]
    fn event_ids_are_doc_sentence_and_number() {
        assert_eq!(event_id("seed", 3, 0), "seed:3:0");
        assert_eq!(event_id("a:b", 1090, 12), "a:b:1090:12");
        assert_eq!(event_id("", 10, 100), ":10:100");
    }

    #[test]
    fn dates_are_written_as_jiff_writes_them() {
        for d in
            [date(2024, 11, 7), date(1, 1, 1), date(999, 12, 31), date(9999, 2, 28), date(0, 6, 5), date(-44, 3, 15), date(2000, 10, 10)]
        {
            assert_eq!(iso_date(d), d.to_string());
        }
    }
}
