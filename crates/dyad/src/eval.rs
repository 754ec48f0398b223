//! Evaluation against hand-coded gold events: the metric of the news-gold
//! development set (its `README.md` defines it; this is an exact implementation).
//!
//! A coded event matches a gold event when its source and target countries equal
//! the gold's (either order when the gold is symmetric; `---` in the gold matches
//! anything) and its code is one of the gold codes; it matches at root level when
//! the first two digits agree. Recall counts required gold events with a match,
//! strict recall those whose matching event's date lies inside the gold window,
//! precision the coded events that match some gold event at root level.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::{Document, Event};

#[derive(Clone, Debug, Deserialize)]
pub struct GoldActor {
    #[serde(default)]
    pub name: String,
    pub country: String,
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct GoldDate {
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct GoldEvent {
    pub id: String,
    pub sentence_quote: String,
    pub source: GoldActor,
    pub target: GoldActor,
    pub codes: Vec<String>,
    pub date: GoldDate,
    pub status: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub symmetric: bool,
}

#[derive(Debug, Deserialize)]
struct GoldFile {
    events: Vec<GoldEvent>,
}

#[derive(Debug, Deserialize)]
struct Meta {
    id: String,
    published: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

/// One gold document: the article and its gold events.
#[derive(Clone, Debug)]
pub struct GoldDoc {
    pub document: Document,
    pub events: Vec<GoldEvent>,
}

/// Read a gold directory: `NN.txt`, `NN.meta.json`, `NN.gold.json` per document.
pub fn load_gold(dir: &Path) -> Result<Vec<GoldDoc>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: cannot read the gold directory: {e}", dir.display()))?;
    let mut stems: Vec<String> =
        entries.flatten().filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".gold.json")).map(str::to_string)).collect();
    stems.sort();
    if stems.is_empty() {
        return Err(format!("{}: no *.gold.json files: not a gold directory", dir.display()));
    }
    let read = |name: String| -> Result<String, String> {
        let p = dir.join(&name);
        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut docs = Vec::new();
    for stem in stems {
        let gold: GoldFile =
            serde_json::from_str(&read(format!("{stem}.gold.json"))?).map_err(|e| format!("{}/{stem}.gold.json: {e}", dir.display()))?;
        let meta: Meta =
            serde_json::from_str(&read(format!("{stem}.meta.json"))?).map_err(|e| format!("{}/{stem}.meta.json: {e}", dir.display()))?;
        let text = read(format!("{stem}.txt"))?;
        let published =
            meta.published.parse().map_err(|e| format!("{}/{stem}.meta.json: published '{}': {e}", dir.display(), meta.published))?;
        docs.push(GoldDoc { document: Document { id: meta.id, text, published, url: meta.url, title: meta.title }, events: gold.events });
    }
    Ok(docs)
}

fn country_matches(gold: &str, coded: Option<&str>) -> bool {
    gold == "---" || coded == Some(gold)
}

fn side(a: &Option<crate::record::ActorRecord>) -> Option<&str> {
    a.as_ref().and_then(|a| a.country.as_deref())
}

fn dyad_matches(g: &GoldEvent, e: &Event) -> bool {
    let (s, t) = (side(&e.source), side(&e.target));
    country_matches(&g.source.country, s) && country_matches(&g.target.country, t)
        || g.symmetric && country_matches(&g.source.country, t) && country_matches(&g.target.country, s)
}

/// Does the event match the gold event (exact code)?
pub fn matches(g: &GoldEvent, e: &Event) -> bool {
    dyad_matches(g, e) && g.codes.iter().any(|c| *c == e.code)
}

/// Does the event match the gold event at root level?
pub fn matches_root(g: &GoldEvent, e: &Event) -> bool {
    dyad_matches(g, e) && g.codes.iter().any(|c| c.get(..2) == e.code.get(..2))
}

fn inside(g: &GoldEvent, e: &Event) -> bool {
    *e.date.start >= *g.date.start && *e.date.end <= *g.date.end
}

/// The figures of one evaluation.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub required: usize,
    pub found: usize,
    pub strict: usize,
    /// Required gold events found whose matching event has the gold status.
    pub status_right: usize,
    pub events: usize,
    pub events_right: usize,
    /// (document, gold id, gold code, source, target, quote) of each missed
    /// required gold event.
    pub missed: Vec<String>,
    /// Required gold events found but dated outside the gold window, with the
    /// dates coded for them.
    pub misdated: Vec<String>,
}

impl Report {
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.required)
    }
    pub fn strict_recall(&self) -> f64 {
        ratio(self.strict, self.required)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.events_right, self.events)
    }
    pub fn status_share(&self) -> f64 {
        ratio(self.status_right, self.found)
    }
    /// Of the required gold events found, the share dated inside the gold window.
    pub fn date_share(&self) -> f64 {
        ratio(self.strict, self.found)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Code every gold document and score the events: (events, report).
pub fn evaluate(gold: &[GoldDoc], coder: &crate::Coder) -> (Vec<Event>, Report) {
    let events: Vec<Event> = gold.iter().flat_map(|d| coder.code(&d.document)).collect();
    let report = score(gold, &events);
    (events, report)
}

/// Score coded events (all documents together) against the gold.
pub fn score(gold: &[GoldDoc], events: &[Event]) -> Report {
    let mut r = Report::default();
    for gd in gold {
        let doc_events: Vec<&Event> = events.iter().filter(|e| e.doc == gd.document.id).collect();
        for g in gd.events.iter().filter(|g| g.required) {
            r.required += 1;
            let found: Vec<&&Event> = doc_events.iter().filter(|e| matches(g, e)).collect();
            if found.is_empty() {
                r.missed.push(format!(
                    "missed {} [{}] {} -> {}: \"{}\"",
                    g.id,
                    g.codes.join(","),
                    g.source.country,
                    g.target.country,
                    g.sentence_quote.chars().take(90).collect::<String>()
                ));
                continue;
            }
            r.found += 1;
            if found.iter().any(|e| inside(g, e)) {
                r.strict += 1;
            } else {
                let dates: Vec<String> =
                    found.iter().map(|e| format!("{}..{} {} '{}'", e.date.start, e.date.end, e.date.basis, e.date.text)).collect();
                r.misdated.push(format!("misdated {} gold {}..{}: coded {}", g.id, g.date.start, g.date.end, dates.join("; ")));
            }
            if found.iter().any(|e| e.status == g.status) {
                r.status_right += 1;
            }
        }
        for e in &doc_events {
            r.events += 1;
            if gd.events.iter().any(|g| matches_root(g, e)) {
                r.events_right += 1;
            }
        }
    }
    r
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.missed {
            writeln!(f, "{m}")?;
        }
        writeln!(f, "status_match {:.3} ({} of {} found)", self.status_share(), self.status_right, self.found)?;
        writeln!(f, "date_match {:.3} ({} of {} found)", self.date_share(), self.strict, self.found)?;
        write!(
            f,
            "recall {:.3} strict_recall {:.3} precision {:.3} events {}",
            self.recall(),
            self.strict_recall(),
            self.precision(),
            self.events
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{ActorRecord, DateRecord, TriggerRecord};

    fn actor(c: &str) -> Option<ActorRecord> {
        Some(ActorRecord {
            text: c.into(),
            name: c.into(),
            code: c.into(),
            country: Some(c.into()),
            role: None,
            span: [0, 1],
            implied_by: None,
        })
    }

    fn event(src: &str, tgt: &str, code: &str, date: &str) -> Event {
        Event {
            doc: "d".into(),
            sentence: 0,
            id: "d:0:0".into(),
            source: actor(src),
            target: actor(tgt),
            code: code.into(),
            root: code[..2].into(),
            label: Default::default(),
            quad_class: 1,
            goldstein: 0.0,
            date: DateRecord {
                start: date.into(),
                end: date.into(),
                grain: "day".into(),
                basis: "explicit".into(),
                text: Default::default(),
                span: None,
            },
            status: "asserted".into(),
            location: None,
            trigger: TriggerRecord { text: Default::default(), span: [0, 1] },
            rule: Default::default(),
            sentence_text: Default::default(),
        }
    }

    fn gold(src: &str, tgt: &str, codes: &[&str], symmetric: bool, required: bool) -> GoldEvent {
        GoldEvent {
            id: "g".into(),
            sentence_quote: "q".into(),
            source: GoldActor { name: String::new(), country: src.into(), role: None },
            target: GoldActor { name: String::new(), country: tgt.into(), role: None },
            codes: codes.iter().map(|c| c.to_string()).collect(),
            date: GoldDate { start: "2024-11-07".into(), end: "2024-11-07".into() },
            status: "asserted".into(),
            required,
            symmetric,
        }
    }

    fn doc(events: Vec<GoldEvent>) -> GoldDoc {
        GoldDoc {
            document: Document { id: "d".into(), text: String::new(), published: jiff::civil::date(2024, 11, 7), url: None, title: None },
            events,
        }
    }

    #[test]
    fn metric_follows_the_gold_readme() {
        let g = vec![doc(vec![
            gold("JPN", "USA", &["041"], false, true),
            gold("KOR", "JPN", &["044"], true, true),
            gold("---", "IRQ", &["183"], false, false),
        ])];
        let events = vec![
            event("JPN", "USA", "041", "2024-11-07"),  // exact, in window
            event("JPN", "KOR", "046", "2024-11-01"),  // symmetric, root match only
            event("SYR", "IRQ", "1831", "2024-11-07"), // root match of a non-required gold ("---")
            event("USA", "JPN", "041", "2024-11-07"),  // wrong direction, not symmetric
        ];
        let r = score(&g, &events);
        assert_eq!((r.required, r.found, r.strict), (2, 1, 1));
        assert_eq!((r.events, r.events_right), (4, 3));
        assert_eq!(r.missed.len(), 1);
        assert!(r.to_string().ends_with("recall 0.500 strict_recall 0.500 precision 0.750 events 4"), "{r}");
    }

    #[test]
    fn dates_outside_the_window_count_for_recall_not_strict() {
        let g = vec![doc(vec![gold("JPN", "USA", &["041"], false, true)])];
        let r = score(&g, &[event("JPN", "USA", "041", "2024-11-08")]);
        assert_eq!((r.found, r.strict), (1, 0));
    }
}
