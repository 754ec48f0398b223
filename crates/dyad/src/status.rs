//! Whether an event happened: asserted, planned, hypothetical or negated, read from
//! the words that govern its trigger.
//!
//! Coders that ignore this count "Beijing would view it as a provocation" and "the
//! SOFA has not been revised" as events that took place. dyad looks at the verb
//! group in front of the trigger (auxiliaries, modals, negation and verbs of
//! intention: "will launch", "hopes to meet", "did not divulge", "would require"),
//! at the clause it sits in ("if Asian NATO included Taiwan"), and at a governing
//! denial ("denied that it had attacked"). Verbs that are events of their own
//! ("refused", "rejected") are coded by the lexicon, not negated here; nor is a
//! negation that is part of the trigger pattern itself ("did not accept").
//! Reported speech keeps the status of what is reported, since only the trigger's
//! own clause is read. A future date also makes an event planned; that is decided
//! where the date is known ([`crate::coder`]).

use crate::text::Text;
use crate::words::{Class, WordList};

/// Whether an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Asserted,
    Planned,
    Hypothetical,
    Negated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Asserted => "asserted",
            Status::Planned => "planned",
            Status::Hypothetical => "hypothetical",
            Status::Negated => "negated",
        }
    }

    /// Parse the record's name of a status.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "asserted" => Status::Asserted,
            "planned" => Status::Planned,
            "hypothetical" => Status::Hypothetical,
            "negated" => Status::Negated,
            _ => return None,
        })
    }
}

pub(crate) const NEGATION: WordList =
    WordList::new(&["not", "n't", "never", "no", "neither", "nor", "cannot", "without"]).class(Class::Negation);
pub(crate) const HYPOTHETICAL: WordList =
    WordList::new(&["would", "could", "might", "may", "should", "'d", "must"]).class(Class::Hypothetical);
pub(crate) const FUTURE: WordList = WordList::new(&["will", "shall", "'ll", "wo", "gonna"]).class(Class::Future);
/// Verbs and adjectives that, before "to" + trigger, make it an intention or plan.
pub(crate) const INTENTION: WordList = WordList::new(&[
    "plan",
    "plans",
    "planned",
    "planning",
    "scheduled",
    "expected",
    "hope",
    "hopes",
    "hoped",
    "hoping",
    "seek",
    "seeks",
    "sought",
    "seeking",
    "aim",
    "aims",
    "aimed",
    "aiming",
    "intend",
    "intends",
    "intended",
    "intending",
    "want",
    "wants",
    "wanted",
    "wanting",
    "set",
    "due",
    "attempt",
    "attempts",
    "attempted",
    "attempting",
    "try",
    "tries",
    "tried",
    "trying",
    "prepare",
    "prepares",
    "prepared",
    "preparing",
    "ready",
    "going",
    "poised",
    "likely",
    "unlikely",
    "eager",
    "keen",
    "vowed",
    "vow",
    "vows",
    "pledged",
    "promised",
    "threatened",
    "decided",
    "agreed",
    "offered",
    "proposed",
    "wish",
    "wishes",
    "wished",
    "mean",
    "means",
    "about",
])
.class(Class::Intention);
/// Words inside or right before a trigger that mark a planned event.
pub(crate) const PLANNED_MARKERS: WordList =
    WordList::new(&["upcoming", "forthcoming", "planned", "proposed", "scheduled", "booked", "next", "expected", "future", "coming"])
        .class(Class::PlannedMarker);
pub(crate) const AUX: WordList = WordList::new(&[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "has",
    "have",
    "had",
    "having",
    "do",
    "does",
    "did",
    "to",
    "also",
    "still",
    "then",
    "now",
    "already",
    "reportedly",
    "allegedly",
    "just",
    "ever",
    "yet",
    "soon",
    "again",
    "probably",
    "likely",
    "certainly",
    "further",
    "jointly",
])
.class(Class::Aux);
pub(crate) const CONDITIONAL: WordList = WordList::new(&["if", "unless", "whether", "lest", "provided"]).class(Class::Conditional);
pub(crate) const DENIAL: WordList = WordList::new(&["denied", "denies", "deny", "denying", "dismissed", "refuted"]).class(Class::Denial);
/// Words that end the clause a trigger sits in, looking left.
pub(crate) const CLAUSE_START: WordList = WordList::new(&[
    ";", ":", "\"", "but", "and", "while", "because", "although", "though", "when", "after", "before", "since", "as", "so",
])
.class(Class::ClauseStart);

/// The status of an event whose trigger words start at token `start` and cover
/// `words`, in the sentence whose body starts at token `body`.
pub fn status(text: &Text, body: usize, start: usize, words: &[usize]) -> Status {
    let norm = |k: usize| text.tokens[k].norm.as_str();
    let is = |k: usize, list: &WordList| list.has(&text.tokens[k]);
    let in_trigger = |k: usize| words.contains(&k);
    let mut found: Option<Status> = None;
    let note = |s: Status, found: &mut Option<Status>| {
        let rank = |s: Status| match s {
            Status::Hypothetical => 3,
            Status::Negated => 2,
            Status::Planned => 1,
            Status::Asserted => 0,
        };
        if found.is_none_or(|f| rank(s) > rank(f)) {
            *found = Some(s);
        }
    };
    // Planned markers inside the trigger or just before it ("has booked a trip to",
    // "the upcoming summit talks").
    for k in words.iter().copied().chain(start.saturating_sub(3).max(body)..=start) {
        if is(k, &PLANNED_MARKERS) {
            note(Status::Planned, &mut found);
        }
    }
    // The verb group right before the trigger.
    let mut k = start;
    let mut steps = 0;
    while k > body && steps < 8 {
        k -= 1;
        steps += 1;
        let w = norm(k);
        if in_trigger(k) {
            continue;
        }
        if is(k, &NEGATION) {
            note(Status::Negated, &mut found);
        } else if is(k, &HYPOTHETICAL) {
            note(Status::Hypothetical, &mut found);
        } else if is(k, &FUTURE) || is(k, &PLANNED_MARKERS) || is(k, &INTENTION) && k + 1 < text.tokens.len() && norm(k + 1) == "to" {
            note(Status::Planned, &mut found);
        } else if !(is(k, &AUX) || w.len() > 4 && w.ends_with("ly")) {
            break;
        }
    }
    // A condition or a denial governing the clause.
    let mut k = start;
    let mut steps = 0;
    while k > body && steps < 25 {
        k -= 1;
        steps += 1;
        if is(k, &CONDITIONAL) {
            note(Status::Hypothetical, &mut found);
            break;
        }
        if is(k, &DENIAL) {
            note(Status::Negated, &mut found);
            break;
        }
        if is(k, &CLAUSE_START) {
            break;
        }
    }
    found.unwrap_or(Status::Asserted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    /// Status of the trigger word `trigger` (its first occurrence) in `sentence`.
    fn of(sentence: &str, trigger: &str) -> &'static str {
        let t = text::analyse(sentence);
        let k = t.tokens.iter().position(|x| x.norm == trigger).unwrap_or_else(|| panic!("no '{trigger}' in '{sentence}'"));
        status(&t, 0, k, &[k]).as_str()
    }

    #[test]
    fn plain_past_and_present_are_asserted() {
        assert_eq!(of("Ishiba spoke with Trump on Thursday.", "spoke"), "asserted");
        assert_eq!(of("Japan has condemned the launch.", "condemned"), "asserted");
        assert_eq!(of("Britain is expelling 23 Russian diplomats.", "expelling"), "asserted");
    }

    #[test]
    fn futures_and_intentions_are_planned() {
        assert_eq!(of("The United States will launch the exercise.", "launch"), "planned");
        assert_eq!(of("The prime minister hopes to meet with Trump.", "meet"), "planned");
        assert_eq!(of("Ishiba is reportedly attempting to arrange a meeting.", "arrange"), "planned");
        assert_eq!(of("The minister is scheduled to visit Lima.", "visit"), "planned");
        assert_eq!(of("Leaders gathered for the upcoming summit talks.", "talks"), "planned");
    }

    #[test]
    fn modals_and_conditions_are_hypothetical() {
        assert_eq!(of("Beijing would view it as a provocation.", "view"), "hypothetical");
        assert_eq!(of("Revisions could antagonize China.", "antagonize"), "hypothetical");
        assert_eq!(of("China will protest if Japan sends troops.", "sends"), "hypothetical");
        assert_eq!(of("He cannot win unless he can get Trump on board.", "get"), "hypothetical");
    }

    #[test]
    fn negations_and_denials_are_negated() {
        assert_eq!(of("Ishiba did not divulge the details.", "divulge"), "negated");
        assert_eq!(of("The agreement has not been significantly revised.", "revised"), "negated");
        assert_eq!(of("The two leaders never met.", "met"), "negated");
        assert_eq!(of("Russia denied that its forces attacked the convoy.", "attacked"), "negated");
    }

    #[test]
    fn negation_inside_the_trigger_is_the_event() {
        let t = text::analyse("The opposition did not accept the results.");
        let (not, accept) = (3, 4);
        assert_eq!(t.tokens[not].norm, "not");
        assert_eq!(status(&t, 0, not, &[not, accept]), Status::Asserted);
    }

    #[test]
    fn reported_speech_keeps_the_status_of_its_content() {
        assert_eq!(of("Ishiba told reporters he spoke with Trump.", "spoke"), "asserted");
        assert_eq!(of("Officials said the army will withdraw next month.", "withdraw"), "planned");
    }
}
