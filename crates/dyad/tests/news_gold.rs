//! Accuracy on real news: the news-gold development set and the seed article in
//! `../shared` (third-party data, read in place; these tests skip cleanly without it).

use std::path::PathBuf;

use dyad::{Coder, Document, Event, Lexicon};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared is not present");
        None
    }
}

#[test]
fn news_gold_recall_and_precision_meet_the_bar() {
    let Some(shared) = shared() else { return };
    let gold = dyad::eval::load_gold(&shared.join("eval/news-gold")).expect("gold loads");
    let lex = Lexicon::builtin().expect("builtin lexicon loads");
    let coder = Coder::new(&lex);
    let events: Vec<Event> = gold.iter().flat_map(|d| coder.code(&d.document)).collect();
    let report = dyad::eval::score(&gold, &events);
    println!("{report}");
    assert!(report.recall() >= 0.70, "recall {:.3} < 0.70\n{report}", report.recall());
    assert!(report.precision() >= 0.60, "precision {:.3} < 0.60\n{report}", report.precision());
}

fn seed_events() -> Option<Vec<Event>> {
    let shared = shared()?;
    let text = std::fs::read_to_string(shared.join("corpus/seed/ishiba-trump.txt")).expect("seed article reads");
    let doc = Document { id: "seed".into(), text, published: jiff::civil::date(2024, 11, 7), url: None, title: None };
    let lex = Lexicon::builtin().expect("builtin lexicon loads");
    Some(Coder::new(&lex).code(&doc))
}

fn country(e: &Event, source: bool) -> Option<&str> {
    let side = if source { &e.source } else { &e.target };
    side.as_ref().and_then(|a| a.country.as_deref())
}

#[test]
fn seed_call_congratulations_and_sought_meeting_are_japan_to_us() {
    let Some(events) = seed_events() else { return };
    let jpn_usa = |prefixes: &[&str]| {
        events.iter().any(|e| prefixes.iter().any(|p| e.code.starts_with(p)) && country(e, true) == Some("JPN") && country(e, false) == Some("USA"))
    };
    assert!(jpn_usa(&["041"]), "phone call JPN->USA (041) missing: {:#?}", events.iter().map(|e| (&e.code, &e.trigger.text)).collect::<Vec<_>>());
    assert!(jpn_usa(&["051", "018"]), "congratulations JPN->USA missing");
    assert!(jpn_usa(&["036", "044", "043"]), "sought meeting JPN->USA missing");
}

#[test]
fn seed_events_have_actors_and_evidence() {
    let Some(events) = seed_events() else { return };
    for e in &events {
        let (s, t) = (e.source.as_ref().expect("source"), e.target.as_ref().expect("target"));
        for a in [s, t] {
            let text = &e.sentence_text;
            assert!(!a.code.is_empty(), "actor without code in {}", e.id);
            assert!(a.span[0] < a.span[1], "empty span in {}", e.id);
            let _ = text;
        }
        assert!(e.rule.contains(".txt:"), "rule names a lexicon line: {}", e.rule);
    }
}
