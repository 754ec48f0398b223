//! When an event happened: which time expression governs its trigger, and how an
//! event that names no time is dated from the document around it.
//!
//! [`crate::time`] finds and normalises expressions; this module decides which one
//! dates which event. The governing expression is the nearest one in the trigger's
//! own clause: distance counts in tokens, and every clause boundary between them
//! ("who", "when", "since", a comma) costs more than a few words, so in "Trump was
//! heartbroken when Abe was assassinated in July 2022" the assassination takes
//! "in July 2022" and in "arrested activists ... since the king seized power last
//! month" the arrests do not take "last month". An expression inside "ahead of the
//! anniversary next year" dates the anniversary, not the clause.
//!
//! Offsets are anchored: "the week after the 2016 election" on the anchor lexicon,
//! "nine months after Abe's assassination" on an event of the same document coded
//! earlier with a date ([`Dater::remember`]). A trigger inside an offset's anchor
//! phrase is dated backwards from the clause the offset modifies: in "the attack
//! took place one day after a bomber struck a convoy", the convoy was struck the
//! day before the attack.
//!
//! An event with no governing expression takes the document's lead date (the first
//! day or week an event of the story was dated to, within two weeks before
//! publication: news tells its main event first), and otherwise the publication
//! date, with basis "publication".

use compact_str::CompactString;
use jiff::civil::Date;

use crate::actors::Actor;
use crate::text::{Sentence, Text};
use crate::time::{Basis, Grain, Interval, Tense, TimeExpr, TimeValue};
use crate::words::{Class, WordList};

/// An event's date with its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct When {
    pub interval: Interval,
    pub basis: Basis,
    /// The words it was read from (empty for the publication date).
    pub text: CompactString,
    /// Their byte span in the document.
    pub span: Option<[usize; 2]>,
}

impl When {
    pub fn publication(published: Date) -> When {
        When { interval: Interval::day(published), basis: Basis::Publication, text: CompactString::default(), span: None }
    }
}

/// A dated event remembered for anchoring later offsets: its trigger (whose
/// root and actors identify it) and its date.
#[derive(Clone, Debug)]
struct Memo<'a> {
    trigger: Trigger<'a>,
    when: When,
}

/// Words that separate clauses: an expression beyond one belongs to another verb.
pub(crate) const BOUNDARIES: WordList = WordList::new(&[
    ",", ";", ":", "who", "which", "when", "while", "although", "though", "because", "but", "where", "since", "as", "whereas", "after",
    "before", "\"",
])
.class(Class::DatingBoundary);
/// Verbs of saying: a date right after one dates the report.
pub(crate) const REPORTING: WordList =
    WordList::new(&["said", "says", "say", "told", "tells", "added", "stated", "reported", "noted", "announced", "quoted", "wrote"])
        .class(Class::DatingReporting);
/// How much a clause boundary costs, in tokens of distance.
const BOUNDARY_COST: usize = 12;
/// The most an expression may cost and still govern.
const MAX_COST: usize = 25;

/// Dates the events of one document, sentence by sentence.
pub struct Dater<'a> {
    text: &'a Text,
    doc: &'a str,
    published: Date,
    memory: Vec<Memo<'a>>,
    /// The lead date and the sentence it was found in.
    lead: Option<(When, usize)>,
}

/// One trigger to date: its tokens, tense, root and actors.
#[derive(Clone, Copy, Debug)]
pub struct Trigger<'t> {
    pub start: usize,
    pub end: usize,
    pub tense: Tense,
    pub root: &'t str,
    /// Its source and target actors (their names anchor offsets to it).
    pub roles: [&'t [Actor]; 2],
}

impl Trigger<'_> {
    /// The names of its actors, source first.
    fn names(&self) -> impl Iterator<Item = &str> {
        self.roles.iter().flat_map(|r| r.iter()).map(|a| a.name.as_str())
    }
}

impl<'a> Dater<'a> {
    pub fn new(text: &'a Text, doc: &'a str, published: Date) -> Self {
        Dater { text, doc, published, memory: Vec::new(), lead: None }
    }

    fn words(&self, start: usize, end: usize) -> (CompactString, [usize; 2]) {
        let (a, b) = (self.text.tokens[start].start, self.text.tokens[end.max(start + 1) - 1].end);
        (self.doc[a..b].into(), [a, b])
    }

    /// The date an expression gives a trigger, if it resolves.
    fn resolve(&self, e: &TimeExpr, all: &[TimeExpr], trigger: &Trigger, triggers_here: &[Trigger]) -> Option<When> {
        let (interval, basis) = match &e.value {
            TimeValue::Offset { anchor, .. } if anchor.start < anchor.end => match e.resolve_with(all, self.published, trigger.tense) {
                Some(x) => x,
                None => {
                    // Anchored on an event of the document: a trigger inside the
                    // anchor phrase that was dated before.
                    let inside = triggers_here.iter().find(|t| t.start >= anchor.start && t.end <= anchor.end)?;
                    let memo = self.recall(inside)?;
                    (e.resolve_offset(&memo.when.interval)?, Basis::Anchored)
                }
            },
            _ => e.resolve(self.published, trigger.tense)?,
        };
        let (text, span) = self.words(e.start, e.end);
        Some(When { interval, basis, text, span: Some(span) })
    }

    /// The latest remembered event with the same root and an actor in common.
    fn recall(&self, t: &Trigger) -> Option<&Memo<'a>> {
        self.memory.iter().rev().find(|m| m.trigger.root == t.root && m.trigger.names().any(|a| t.names().any(|n| n == a)))
    }

    /// Date a trigger of sentence `si`, given the sentence's expressions and all its
    /// triggers. `None` when nothing in the sentence dates it (see [`Dater::fallback`]).
    pub fn date(&self, si: usize, exprs: &[TimeExpr], trigger: &Trigger, triggers_here: &[Trigger]) -> Option<When> {
        let s = &self.text.sentences[si];
        // A trigger inside an offset's anchor phrase: the same event told earlier
        // ("nine months after Abe's assassination"), or else dated backwards from
        // the clause the offset belongs to.
        for e in exprs {
            if let TimeValue::Offset { amount, unit, after, anchor } = &e.value {
                if trigger.start >= anchor.start && trigger.end <= anchor.end {
                    if let Some(memo) = self.recall(trigger) {
                        return Some(memo.when.clone());
                    }
                    let head = self.head_date(si, exprs, e, trigger)?;
                    let back = TimeExpr {
                        start: e.start,
                        end: e.end,
                        value: TimeValue::Offset { amount: *amount, unit: *unit, after: !after, anchor: anchor.clone() },
                    };
                    let interval = back.resolve_offset(&head.interval)?;
                    let (text, span) = self.words(e.start, e.end);
                    return Some(When { interval, basis: Basis::Anchored, text, span: Some(span) });
                }
            }
        }
        let best = governing(self.text, s, exprs, trigger.start, trigger.end)?;
        self.resolve(&exprs[best], exprs, trigger, triggers_here)
    }

    /// The date of the clause an offset modifies: another expression of the
    /// sentence governing it, or the document's lead.
    fn head_date(&self, si: usize, exprs: &[TimeExpr], offset: &TimeExpr, trigger: &Trigger) -> Option<When> {
        let s = &self.text.sentences[si];
        let others: Vec<TimeExpr> = exprs.iter().filter(|e| e.end <= offset.start || e.start >= offset.end).cloned().collect();
        if let Some(k) = governing(self.text, s, &others, offset.start, offset.start + 1) {
            if let Some((interval, basis)) = others[k].resolve(self.published, trigger.tense) {
                return Some(When { interval, basis, text: CompactString::default(), span: None });
            }
        }
        self.lead.as_ref().filter(|(_, at)| *at <= si).map(|(w, _)| w.clone())
    }

    /// Remember a dated event of sentence `si`, and take the first recent one dated
    /// to a day as the document's lead.
    pub fn remember(&mut self, si: usize, trigger: &Trigger<'a>, when: &When) {
        if when.basis == Basis::Publication {
            return;
        }
        let recent = when.interval.end <= self.published && (self.published - when.interval.start).get_days() <= 14;
        if self.lead.is_none() && recent && when.interval.grain == Grain::Day {
            self.lead = Some((when.clone(), si));
        }
        self.memory.push(Memo { trigger: *trigger, when: when.clone() });
    }

    /// The date of an event of sentence `si` that nothing in its sentence dates:
    /// the lead's for events told in the past after the lead, else publication.
    pub fn fallback(&self, si: usize, tense: Tense) -> When {
        match (&self.lead, tense) {
            (Some((lead, at)), Tense::Past | Tense::Present) if *at <= si => lead.clone(),
            _ => When::publication(self.published),
        }
    }
}

/// The expression (index into `exprs`) that governs the trigger at tokens
/// `start..end`, if any is close enough in its clause.
pub fn governing(text: &Text, s: &Sentence, exprs: &[TimeExpr], start: usize, end: usize) -> Option<usize> {
    let norm = |k: usize| text.tokens[k].norm.as_str();
    let is = |k: usize, list: &WordList| list.has(&text.tokens[k]);
    let nested = |e: &TimeExpr| {
        exprs
            .iter()
            .any(|o| matches!(&o.value, TimeValue::Offset { anchor, .. } if o != e && e.start >= anchor.start && e.end <= anchor.end))
    };
    let mut best: Option<(usize, usize)> = None;
    for (i, e) in exprs.iter().enumerate() {
        if matches!(e.value, TimeValue::Duration) || e.in_dateline(s) || nested(e) || e.start >= e.end {
            continue;
        }
        // "ahead of the anniversary next year": the expression dates the noun.
        let before = |n: usize| (e.start.saturating_sub(n).max(s.body)..e.start).rev().take_while(|&k| norm(k) != ",");
        if before(14).any(|k| matches!(norm(k), "ahead" | "prior" | "anniversary")) {
            continue;
        }
        // "this summer's World Cup": a possessive date belongs to its noun.
        if e.end < s.tokens.end && norm(e.end) == "'s" {
            continue;
        }
        // "the ministry said Friday", "told Reuters on Thursday": the date of the
        // telling, not of what is told.
        if before(4).any(|k| is(k, &REPORTING)) {
            continue;
        }
        let (from, to, distance) = if e.end <= start {
            (e.end, start, start - e.end)
        } else if e.start >= end {
            (end, e.start, e.start - end)
        } else {
            (start, start, 0)
        };
        let boundaries = (from..to).filter(|&k| is(k, &BOUNDARIES)).count();
        let cost = distance + BOUNDARY_COST * boundaries;
        if cost <= MAX_COST && best.is_none_or(|(_, c)| cost < c) {
            best = Some((i, cost));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use crate::{Coder, Document, Lexicon};

    /// (code, date start, date end, basis, status) of each event of a text.
    fn dated(text: &str, published: &str) -> Vec<(String, String, String, String, String)> {
        let lex = Lexicon::builtin().expect("builtin lexicon loads");
        let doc = Document { id: "t".into(), text: text.into(), published: published.parse().expect("date"), url: None, title: None };
        Coder::new(&lex)
            .with_partial(true)
            .code(&doc)
            .into_iter()
            .map(|e| (e.code.into(), e.date.start.into(), e.date.end.into(), e.date.basis.into(), e.status.into()))
            .collect()
    }

    fn only(text: &str, published: &str) -> (String, String, String, String, String) {
        let evs = dated(text, published);
        assert_eq!(evs.len(), 1, "{evs:?}");
        evs.into_iter().next().expect("one event")
    }

    #[test]
    fn the_expression_in_the_clause_governs() {
        let (_, start, end, basis, _) = only("Ministers were shocked when rebels attacked the Nepali army in July 2022.", "2024-11-07");
        assert_eq!((start.as_str(), end.as_str(), basis.as_str()), ("2022-07-01", "2022-07-31", "explicit"));
    }

    #[test]
    fn a_weekday_is_the_latest_one_for_past_events() {
        // 2024-11-07 is a Thursday.
        let (_, start, _, basis, _) = only("Nepali police arrested dozens of activists on Tuesday.", "2024-11-07");
        assert_eq!((start.as_str(), basis.as_str()), ("2024-11-05", "relative"));
    }

    #[test]
    fn later_sentences_take_the_lead_date() {
        let evs = dated("Nepali police arrested dozens of activists on Tuesday. Nepali soldiers also detained journalists.", "2024-11-07");
        assert_eq!(evs.len(), 2, "{evs:?}");
        assert_eq!(evs[1].1, "2024-11-05", "{evs:?}");
    }

    #[test]
    fn the_date_of_the_telling_is_not_the_date_of_the_event() {
        let (_, start, _, basis, _) = only("Japan condemned North Korea over the launch, the ministry said Friday.", "2024-11-09");
        assert_eq!((start.as_str(), basis.as_str()), ("2024-11-09", "publication"));
    }

    #[test]
    fn future_events_are_planned_and_dated_ahead() {
        let (_, start, end, _, status) = only("Japan will host a Chinese delegation next week.", "2024-11-07");
        assert_eq!((start.as_str(), end.as_str(), status.as_str()), ("2024-11-11", "2024-11-17", "planned"));
    }

    #[test]
    fn an_offset_dates_the_event_in_its_anchor_backwards() {
        let evs = dated(
            "Rebels attacked the Syrian army on Saturday. The raid came one day after Syrian soldiers arrested rebel leaders.",
            "2024-11-10",
        );
        let arrest = evs.iter().find(|e| e.0 == "173").expect("the arrest is coded");
        assert_eq!(arrest.1, "2024-11-08", "{evs:?}");
        assert_eq!(arrest.3, "anchored");
    }

    #[test]
    fn durations_are_not_dates() {
        let (_, start, _, basis, _) = only("Ishiba spoke with Trump for about five minutes.", "2024-11-07");
        assert_eq!((start.as_str(), basis.as_str()), ("2024-11-07", "publication"));
    }
}
