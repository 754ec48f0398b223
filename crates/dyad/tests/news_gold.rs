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

/// The news-gold report with the built-in lexicons.
fn gold_report() -> Option<dyad::eval::Report> {
    let shared = shared()?;
    let gold = dyad::eval::load_gold(&shared.join("eval/news-gold")).expect("gold loads");
    let lex = Lexicon::builtin().expect("builtin lexicon loads");
    Some(dyad::eval::evaluate(&gold, &Coder::new(&lex)).1)
}

#[test]
fn news_gold_recall_and_precision_meet_the_bar() {
    let Some(report) = gold_report() else { return };
    println!("{report}");
    assert!(report.recall() >= 0.70, "recall {:.3} < 0.70\n{report}", report.recall());
    assert!(report.precision() >= 0.60, "precision {:.3} < 0.60\n{report}", report.precision());
}

#[test]
fn news_gold_events_are_dated_and_their_status_is_right() {
    let Some(report) = gold_report() else { return };
    assert!(report.strict_recall() >= 0.60, "strict recall {:.3} < 0.60\n{report}", report.strict_recall());
    assert!(report.date_share() >= 0.85, "found events dated right {:.3} < 0.85\n{report}", report.date_share());
    assert!(report.status_share() >= 0.85, "found events with the right status {:.3} < 0.85\n{report}", report.status_share());
}

fn seed(partial: bool) -> Option<Vec<Event>> {
    let shared = shared()?;
    let text = std::fs::read_to_string(shared.join("corpus/seed/ishiba-trump.txt")).expect("seed article reads");
    let doc = Document { id: "seed".into(), text, published: jiff::civil::date(2024, 11, 7), url: None, title: None };
    let lex = Lexicon::builtin().expect("builtin lexicon loads");
    Some(Coder::new(&lex).with_partial(partial).code(&doc))
}

fn seed_events() -> Option<Vec<Event>> {
    seed(false)
}

#[test]
fn seed_violence_of_the_past_is_not_dated_to_publication() {
    // With one-sided events too: "Abe was assassinated in July 2022" names no killer.
    let Some(events) = seed(true) else { return };
    let violent: Vec<&Event> = events.iter().filter(|e| e.root == "18" || e.root == "19" || e.root == "20").collect();
    assert!(violent.len() >= 3, "the assassination, the pipe bomb and the shooting are coded: {violent:#?}");
    for e in violent {
        assert!(!e.date.start.starts_with("2024-11"), "{} '{}' dated {}..{}", e.code, e.trigger.text, e.date.start, e.date.end);
    }
    let assassination = events.iter().find(|e| e.code == "186").expect("Abe's assassination is coded");
    assert_eq!((assassination.date.start.as_str(), assassination.date.end.as_str()), ("2022-07-01", "2022-07-31"));
}

#[test]
fn seed_2016_meeting_is_dated_november_2016() {
    let Some(events) = seed(false) else { return };
    let meeting = events.iter().find(|e| e.trigger.text.contains("arranged a similar meeting")).expect("the 2016 meeting is coded");
    assert!(meeting.date.start.starts_with("2016-11") && meeting.date.end.starts_with("2016-11"), "{:?}", meeting.date);
    assert_eq!(meeting.status, "asserted");
}

#[test]
fn seed_apec_and_g20_trips_are_planned_with_their_own_dates() {
    let Some(events) = seed(false) else { return };
    let trips: Vec<&Event> = events.iter().filter(|e| e.code == "042" && e.status == "planned").collect();
    let within = |e: &&Event, a: &str, b: &str| e.date.start.as_str() >= a && e.date.end.as_str() <= b;
    assert!(trips.iter().any(|e| within(e, "2024-11-10", "2024-11-16")), "APEC trip, Nov 10-16: {trips:#?}");
    assert!(trips.iter().any(|e| within(e, "2024-11-18", "2024-11-19")), "G20 trip, Nov 18-19: {trips:#?}");
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
                assert!(e.sentence_text.contains(a.text.as_str()), "{}: actor is in the sentence", e.id);
            }
        }
        assert_eq!(&text[e.trigger.span[0]..e.trigger.span[1]], e.trigger.text, "{}: trigger span is its text", e.id);
        let (file, line) = e.rule.rsplit_once(':').expect("rule is file:line");
        assert!(file.starts_with("data/verbs/") && line.parse::<usize>().is_ok(), "{}", e.rule);
    }
}
