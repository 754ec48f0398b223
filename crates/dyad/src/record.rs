//! The event record: the contract between the coder and everything downstream
//! (JSONL output, evaluation, the store). Field names follow `DESIGN.md`; tests and
//! evaluations read these names, so change them only with the design.

use serde::{Deserialize, Serialize};

/// One side of a dyad as it appears in the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    /// The words of the mention that names this actor in the sentence.
    pub text: String,
    /// Canonical name (a person's full name, a country's short name, ...).
    pub name: String,
    /// CAMEO actor code: country + role ("JPNGOV"), or an IGO code.
    pub code: String,
    /// ISO 3166-1 alpha-3, or null for actors without a country.
    pub country: Option<String>,
    /// CAMEO agent/role code ("GOV", "MIL", ...), or null.
    pub role: Option<String>,
    /// Byte offsets into the document text (empty at the trigger for an implied
    /// actor).
    pub span: [usize; 2],
    /// For an actor the sentence does not name: the `file:line` that implies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implied_by: Option<String>,
}

/// When the event happened (or is planned to happen).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DateRecord {
    pub start: String,
    pub end: String,
    /// day | week | month | year
    pub grain: String,
    /// explicit | relative | anchored | publication
    pub basis: String,
    /// The words the date was read from (empty for the publication date).
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationRecord {
    pub name: String,
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TriggerRecord {
    pub text: String,
    pub span: [usize; 2],
}

/// One coded event: one line of `dyad code` output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub doc: String,
    /// Index of the sentence in the document, from 0.
    pub sentence: usize,
    /// `doc:sentence:n`, unique within a run.
    pub id: String,
    pub source: Option<ActorRecord>,
    pub target: Option<ActorRecord>,
    /// CAMEO event code as a string (leading zeros matter).
    pub code: String,
    /// The first two digits of `code`.
    pub root: String,
    pub label: String,
    /// GDELT quad class 1-4.
    pub quad_class: u8,
    pub goldstein: f64,
    pub date: DateRecord,
    /// asserted | planned | hypothetical | negated
    pub status: String,
    pub location: Option<LocationRecord>,
    pub trigger: TriggerRecord,
    /// `file:line` of the lexicon entry that decided the event code.
    pub rule: String,
    pub sentence_text: String,
}
