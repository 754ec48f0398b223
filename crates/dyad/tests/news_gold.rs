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
        events
            .iter()
            .any(|e| prefixes.iter().any(|p| e.code.starts_with(p)) && country(e, true) == Some("JPN") && country(e, false) == Some("USA"))
    };
    assert!(
        jpn_usa(&["041"]),
        "phone call JPN->USA (041) missing: {:#?}",
        events.iter().map(|e| (&e.code, &e.trigger.text)).collect::<Vec<_>>()
    );
    assert!(jpn_usa(&["051", "018"]), "congratulations JPN->USA missing");
    assert!(jpn_usa(&["036", "044", "043"]), "sought meeting JPN->USA missing");
}

#[test]
fn seed_events_have_actors_and_evidence() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read_to_string(shared.join("corpus/seed/ishiba-trump.txt")).expect("seed article reads");
    let Some(events) = seed_events() else { return };
    assert!(!events.is_empty());
    for e in &events {
        for a in [e.source.as_ref(), e.target.as_ref()] {
            let a = a.unwrap_or_else(|| panic!("{}: an event of the default output has both actors", e.id));
            assert!(!a.code.is_empty(), "{}: actor without code: {a:?}", e.id);
            assert!(
                a.country.is_some() || a.code.starts_with("IGO") || a.code.starts_with("NGO"),
                "{}: only international actors lack a country: {a:?}",
                e.id
            );
            if a.implied_by.is_none() {
                assert_eq!(&text[a.span[0]..a.span[1]], a.text, "{}: actor span is its text", e.id);
                assert!(e.sentence_text.contains(&a.text), "{}: actor is in the sentence", e.id);
            }
        }
        assert_eq!(&text[e.trigger.span[0]..e.trigger.span[1]], e.trigger.text, "{}: trigger span is its text", e.id);
        let (file, line) = e.rule.rsplit_once(':').expect("rule is file:line");
        assert!(file.starts_with("data/verbs/") && line.parse::<usize>().is_ok(), "{}", e.rule);
    }
}
