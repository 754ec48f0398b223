//! The store end to end through the library: deduplication, re-ingest, changed
//! documents, bad database files, and the exports (GDELT's 61 columns, PLOVER,
//! CSV, and Parquet read back by an independent reader, pyarrow).
//!
//! The articles are written for these tests: one phone call told in three
//! sentences of one article and once in a second article, by another outlet.

use std::path::{Path, PathBuf};
use std::process::Command;

use dyad::{Coder, Document, Lexicon};
use dyad_store::export::{self, Format};
use dyad_store::ingest::{self, IngestOptions, IngestSummary, Input};
use dyad_store::query::{self, Filter, Kind, Level, StoredEvent, Value};
use dyad_store::{Store, StoreError};

#[path = "../../../tests/support/scratch.rs"]
mod scratch;
use scratch::Scratch;

/// A fresh scratch directory for one test, removed when the test is done with it.
fn scratch(name: &str) -> Scratch {
    Scratch::new("dyad-store-test", name)
}

fn doc(id: &str, published: &str, url: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        text: text.into(),
        published: dyad::document::parse_date(published).expect("date"),
        url: Some(url.into()),
        title: Some(format!("title of {id}")),
    }
}

/// Article A: the call in sentences 0, 1 and 3; sentence 2 is a congratulation
/// (051), another event.
fn article_a() -> Document {
    doc(
        "call-a",
        "2024-11-07",
        "https://www.example-times.com/world/ishiba-trump-call",
        "Japanese Prime Minister Shigeru Ishiba spoke with President-elect Donald Trump by telephone on Thursday.\n\n\
         Ishiba told reporters he spoke with Trump for about five minutes on Thursday morning.\n\n\
         Ishiba also phoned Trump to congratulate him, aides said. \
         The two men spoke again on Thursday, Ishiba's office said, and Ishiba spoke with Trump about the alliance.",
    )
}

/// Article B, the next day, another outlet: the same call once.
fn article_b() -> Document {
    doc(
        "call-b",
        "2024-11-08",
        "https://news.example.org/asia/japan-us-call",
        "Japanese Prime Minister Shigeru Ishiba spoke with Donald Trump by telephone on Thursday, officials in Tokyo said.",
    )
}

fn lexicon() -> Lexicon {
    Lexicon::builtin().expect("built-in lexicon")
}

fn ingest_docs(store: &mut Store, lex: &Lexicon, docs: Vec<Document>, opts: &IngestOptions) -> IngestSummary {
    let coder = Coder::new(lex);
    let inputs = docs.into_iter().map(|d| Ok(Input::from(d)));
    ingest::ingest(store, &coder, inputs, opts, |_| {}).expect("ingest")
}

fn the_call(store: &Store) -> StoredEvent {
    let f = Filter { source: vec!["JPNGOV".into()], target: vec!["USAELI".into()], code: vec!["041".into()], ..Filter::default() };
    let mut events = query::events(store, &f).expect("query");
    assert_eq!(events.len(), 1, "the call is one event: {events:#?}");
    events.remove(0)
}

/// Every table's rows, minus ingest times, for comparing two stores.
fn dump(store: &Store) -> Vec<String> {
    let c = store.connection();
    let mut out = Vec::new();
    for (table, cols) in [
        ("documents", "id, url, title, outlet, published, content_hash, sentences, mentions"),
        ("actors", "code, name, country, role"),
        (
            "events",
            "event_id, source_code, target_code, code, status, date_start, date_end, num_mentions, num_sources, num_articles, is_root, rep_mention, source_country, target_country",
        ),
        ("mentions", "mention_id, event_id, doc_key, sentence, record_id, date_start, date_end, trigger_start, trigger_end, rule, record"),
    ] {
        let sql = format!("SELECT {cols} FROM {table} ORDER BY 1, 2");
        let mut stmt = c.prepare(&sql).expect("prepare");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> =
                    (0..n).map(|i| format!("{:?}", r.get_ref(i).map(|v| format!("{v:?}")).unwrap_or_default())).collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .expect("query");
        out.extend(rows.map(|r| r.expect("row")));
    }
    out
}

#[test]
fn one_event_told_three_times_in_one_article_and_once_in_another() {
    let dir = scratch("dedup");
    let lex = lexicon();
    let mut store = Store::open(&dir.join("d.db")).expect("store");
    let summary = ingest_docs(&mut store, &lex, vec![article_a(), article_b()], &IngestOptions::default());
    assert_eq!((summary.documents, summary.new), (2, 2), "{summary:?}");
    assert!(summary.mentions >= 5, "{summary:?}");

    let call = the_call(&store);
    assert_eq!((call.num_mentions, call.num_articles, call.num_sources), (4, 2, 2), "{call:#?}");
    assert!(call.is_root);
    assert_eq!((call.record.date.start.as_str(), call.record.date.end.as_str()), ("2024-11-07", "2024-11-07"));
    assert_eq!(call.record.status, "asserted");

    let mentions = query::mentions_of(&store, call.event_id).expect("mentions");
    let places: Vec<(&str, usize)> = mentions.iter().map(|m| (m.record.doc.as_str(), m.record.sentence)).collect();
    assert_eq!(places, [("call-a", 0), ("call-a", 1), ("call-a", 3), ("call-b", 0)]);
    // Each mention keeps its spans, and they point at its words in its document.
    let (a, b) = (article_a(), article_b());
    for m in &mentions {
        let text = if m.record.doc == "call-a" { &a.text } else { &b.text };
        let [s, e] = m.record.trigger.span;
        assert_eq!(&text[s..e], m.record.trigger.text, "{m:?}");
        for actor in [&m.record.source, &m.record.target].into_iter().flatten() {
            let [s, e] = actor.span;
            assert_eq!(&text[s..e], actor.text);
        }
        assert!(m.record.rule.contains(':'), "rule {}", m.record.rule);
    }
    assert_eq!(
        mentions.iter().map(|m| m.doc.outlet.as_str()).collect::<Vec<_>>(),
        ["example-times.com"; 3].into_iter().chain(["news.example.org"]).collect::<Vec<_>>()
    );

    // The congratulation told in the same article is an event of its own.
    let praise = query::events(&store, &Filter { code: vec!["051".into()], ..Filter::default() }).expect("query");
    assert_eq!(praise.len(), 1);
    assert_eq!((praise[0].num_mentions, praise[0].num_articles), (1, 1));
    // Every record is the mention of exactly one event.
    let all = query::events(&store, &Filter::default()).expect("all");
    assert_eq!(all.iter().map(|e| e.num_mentions).sum::<i64>() as usize, summary.mentions);
}

#[test]
fn explicit_outlet_counts_sources() {
    let dir = scratch("outlet");
    let lex = lexicon();
    let mut store = Store::open(&dir.join("d.db")).expect("store");
    let coder = Coder::new(&lex);
    // Both articles from one outlet: two articles, one source.
    let inputs = [article_a(), article_b()].into_iter().map(|doc| Ok(Input { doc, outlet: Some("Kyodo".into()) }));
    ingest::ingest(&mut store, &coder, inputs, &IngestOptions::default(), |_| {}).expect("ingest");
    let call = the_call(&store);
    assert_eq!((call.num_mentions, call.num_articles, call.num_sources), (4, 2, 1));
    assert_eq!(call.doc.outlet, "Kyodo");
}

#[test]
fn jsonl_outlet_field_is_read() {
    let dir = scratch("jsonl-outlet");
    let path = dir.join("in.jsonl");
    let a = article_a();
    let line = |d: &Document, outlet: Option<&str>| {
        let mut v = serde_json::json!({"id": d.id, "text": d.text, "published": d.published.to_string(), "url": d.url});
        if let Some(o) = outlet {
            v["outlet"] = serde_json::json!(o);
        }
        v.to_string()
    };
    // A blank line, a bad line and a line without an outlet keep the reader in step.
    let text = format!("\u{feff}\n{}\n\nnot json\n{}\n", line(&a, Some("Asahi")), line(&article_b(), None));
    std::fs::write(&path, text).expect("write");
    let got: Vec<_> = ingest::read_inputs(vec![path], dyad::document::ReadOptions::default()).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].as_ref().expect("doc").outlet.as_deref(), Some("Asahi"));
    assert!(got[1].is_err());
    assert_eq!(got[2].as_ref().expect("doc").outlet, None);
}

#[test]
fn reingesting_the_same_documents_changes_nothing() {
    let dir = scratch("reingest");
    let lex = lexicon();
    let mut store = Store::open(&dir.join("d.db")).expect("store");
    ingest_docs(&mut store, &lex, vec![article_a(), article_b()], &IngestOptions::default());
    let before = dump(&store);
    let again = ingest_docs(&mut store, &lex, vec![article_a(), article_b()], &IngestOptions::default());
    assert_eq!((again.documents, again.unchanged, again.new, again.mentions), (2, 2, 0, 0), "{again:?}");
    assert_eq!(dump(&store), before);
    // With two coding threads too, and after reopening the file.
    drop(store);
    let mut store = Store::open(&dir.join("d.db")).expect("reopen");
    let again = ingest_docs(&mut store, &lex, vec![article_b(), article_a()], &IngestOptions { jobs: 2, ..IngestOptions::default() });
    assert_eq!(again.unchanged, 2);
    assert_eq!(dump(&store), before);
}

#[test]
fn a_changed_document_replaces_its_mentions() {
    let dir = scratch("changed");
    let lex = lexicon();
    let mut store = Store::open(&dir.join("d.db")).expect("store");
    ingest_docs(&mut store, &lex, vec![article_a(), article_b()], &IngestOptions::default());

    // B is corrected: no call any more.
    let mut b2 = article_b();
    b2.text = "Officials in Tokyo declined to comment on Thursday.".into();
    let s = ingest_docs(&mut store, &lex, vec![article_a(), b2], &IngestOptions::default());
    assert_eq!((s.unchanged, s.replaced), (1, 1), "{s:?}");
    let call = the_call(&store);
    assert_eq!((call.num_mentions, call.num_articles, call.num_sources), (3, 1, 1));
    let mentions: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM mentions m JOIN documents d USING (doc_key) WHERE d.id = 'call-b'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(mentions, 0);

    // A is rewritten to tell only the congratulation: the call event is gone.
    let mut a2 = article_a();
    a2.text = "Ishiba also phoned Trump to congratulate him, aides said.".into();
    ingest_docs(&mut store, &lex, vec![a2], &IngestOptions::default());
    let calls = query::events(&store, &Filter { code: vec!["041".into()], ..Filter::default() }).expect("query");
    assert!(calls.is_empty(), "{calls:#?}");
    let docs: i64 = store.connection().query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0)).expect("count");
    assert_eq!(docs, 2);

    // Changing it back restores the first state's events.
    ingest_docs(&mut store, &lex, vec![article_a(), article_b()], &IngestOptions::default());
    let call = the_call(&store);
    assert_eq!((call.num_mentions, call.num_articles, call.num_sources), (4, 2, 2));
}

#[test]
fn batching_and_threads_do_not_change_the_result() {
    let lex = lexicon();
    let docs: Vec<Document> = (0..30)
        .map(|i| {
            let mut d = if i % 2 == 0 { article_a() } else { article_b() };
            d.id = format!("doc-{i}");
            // Reports of calls on three different Thursdays.
            let published = jiff::civil::date(2024, 11, 7).checked_add(jiff::Span::new().weeks(i % 3)).expect("date");
            d.published = published;
            d
        })
        .collect();
    let (mut dumps, mut calls) = (Vec::new(), Vec::new());
    for (name, opts) in [
        ("one", IngestOptions { jobs: 1, batch_docs: 1, ..IngestOptions::default() }),
        ("many", IngestOptions { jobs: 2, batch_docs: 7, ..IngestOptions::default() }),
        ("all", IngestOptions { jobs: 3, batch_docs: 1000, ..IngestOptions::default() }),
    ] {
        let dir = scratch(&format!("batching-{name}"));
        let mut store = Store::open(&dir.join("d.db")).expect("store");
        ingest_docs(&mut store, &lex, docs.clone(), &opts);
        dumps.push(dump(&store));
        calls.push(query::events(&store, &Filter { code: vec!["041".into()], ..Filter::default() }).expect("query"));
    }
    assert_eq!(dumps[0], dumps[1]);
    assert_eq!(dumps[0], dumps[2]);
    // One call per Thursday, each told in the ten articles of its week.
    assert_eq!(calls[0].len(), 3, "{:#?}", calls[0]);
    for call in &calls[0] {
        assert_eq!(call.num_articles, 10, "{call:#?}");
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = scratch("not-sqlite");
    let path = dir.join("notes.db");
    let content = b"These are my notes, not a database.\n".repeat(10);
    std::fs::write(&path, &content).expect("write");
    for err in [Store::open(&path).expect_err("not sqlite"), Store::open_read_only(&path).expect_err("not sqlite")] {
        assert!(matches!(err, StoreError::NotSqlite { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("notes.db") && msg.contains("not a dyad database") && msg.contains("untouched"), "{msg}");
    }
    assert_eq!(std::fs::read(&path).expect("read"), content);
    let names: Vec<_> = std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names.len(), 1, "no journal or WAL files: {names:?}");

    // A damaged database: SQLite's header, then rubbish.
    let damaged = dir.join("damaged.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5u8, 4096));
    std::fs::write(&damaged, &bytes).expect("write");
    let err = Store::open(&damaged).expect_err("damaged");
    assert!(err.to_string().contains("damaged.db"), "{err}");
    assert_eq!(std::fs::read(&damaged).expect("read"), bytes);
}

#[test]
fn a_database_from_a_newer_dyad_is_refused_and_left_untouched() {
    let dir = scratch("newer");
    let path = dir.join("future.db");
    {
        let lex = lexicon();
        let mut store = Store::open(&path).expect("store");
        ingest_docs(&mut store, &lex, vec![article_b()], &IngestOptions::default());
        store.connection().pragma_update(None, "user_version", 99).expect("set version");
    }
    let before = std::fs::read(&path).expect("read");
    for err in [Store::open(&path).expect_err("newer"), Store::open_read_only(&path).expect_err("newer")] {
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("future.db") && msg.contains("newer dyad") && msg.contains("version 99"), "{msg}");
    }
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn a_read_only_path_is_reported_and_nothing_is_written() {
    let dir = scratch("read-only");
    // A read-only file: refused before SQLite opens it.
    let path = dir.join("frozen.db");
    {
        let lex = lexicon();
        let mut store = Store::open(&path).expect("store");
        ingest_docs(&mut store, &lex, vec![article_b()], &IngestOptions::default());
    }
    let before = std::fs::read(&path).expect("read");
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let err = Store::open(&path).expect_err("read-only file");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("frozen.db") && err.to_string().contains("read-only"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    // It can still be queried.
    let store = Store::open_read_only(&path).expect("read-only open");
    assert_eq!(query::events(&store, &Filter::default()).expect("query").len(), 1);

    // A directory where the file cannot be created. Root writes into read-only
    // directories, so as root use sysfs, which refuses everyone.
    let target = if is_root() {
        PathBuf::from(format!("/sys/dyad-store-test-{}.db", std::process::id()))
    } else {
        let ro = dir.join("ro");
        std::fs::create_dir_all(&ro).expect("mkdir");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        ro.join("new.db")
    };
    let err = Store::open(&target).expect_err("unwritable directory");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains(&*target.to_string_lossy()) && err.to_string().contains("read-only"), "{err}");
    assert!(!target.exists());
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn two_article_store(name: &str) -> (Scratch, Store) {
    let dir = scratch(name);
    let lex = lexicon();
    let mut store = Store::open(&dir.join("d.db")).expect("store");
    ingest_docs(&mut store, &lex, vec![article_a(), article_b()], &IngestOptions::default());
    (dir, store)
}

#[test]
fn gdelt_export_has_61_columns_in_order() {
    let (_dir, store) = two_article_store("gdelt");
    let mut out = Vec::new();
    let s = export::export(&store, &Filter::default(), Format::Gdelt, Level::Events, &mut out, Path::new("<test>")).expect("export");
    let events = query::events(&store, &Filter::default()).expect("events").len();
    assert_eq!(s.rows, events);
    let text = String::from_utf8(out).expect("utf-8");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), events);
    for r in &rows {
        assert_eq!(r.len(), 61, "{r:?}");
    }
    let call = rows.iter().find(|r| r[26] == "041").expect("the call");
    let stored = the_call(&store);
    let col = |name: &str| export::GDELT_COLUMNS.iter().position(|c| *c == name).expect("column");
    assert_eq!(call[col("GLOBALEVENTID")], stored.event_id.to_string());
    assert_eq!(call[col("SQLDATE")], "20241107");
    assert_eq!(call[col("MonthYear")], "202411");
    assert_eq!(call[col("Year")], "2024");
    assert_eq!(call[col("FractionDate")], "2024.8411");
    assert_eq!(call[col("Actor1Code")], "JPNGOV");
    assert_eq!(call[col("Actor1Name")], "Shigeru Ishiba");
    assert_eq!(call[col("Actor1CountryCode")], "JPN");
    assert_eq!(call[col("Actor1Type1Code")], "GOV");
    assert_eq!(call[col("Actor2Code")], "USAELI");
    assert_eq!(call[col("Actor2CountryCode")], "USA");
    assert_eq!(call[col("Actor2Type1Code")], "ELI");
    assert_eq!(call[col("IsRootEvent")], "1");
    assert_eq!(call[col("EventCode")], "041");
    assert_eq!(call[col("EventBaseCode")], "041");
    assert_eq!(call[col("EventRootCode")], "04");
    assert_eq!(call[col("QuadClass")], "1");
    assert_eq!(call[col("GoldsteinScale")], "1.0");
    assert_eq!(call[col("NumMentions")], "4");
    assert_eq!(call[col("NumSources")], "2");
    assert_eq!(call[col("NumArticles")], "2");
    assert_eq!(call[col("AvgTone")], "");
    assert_eq!(call[col("DATEADDED")].len(), 14);
    assert!(call[col("DATEADDED")].starts_with("20"));
    assert_eq!(call[col("SOURCEURL")], "https://www.example-times.com/world/ishiba-trump-call");
    // Columns dyad has no value for are empty.
    for name in ["Actor1KnownGroupCode", "Actor1EthnicCode", "Actor2Religion1Code", "Actor1Geo_Type", "ActionGeo_FeatureID"] {
        assert_eq!(call[col(name)], "", "{name}");
    }
}

#[test]
fn plover_and_csv_and_jsonl_exports() {
    let (_dir, store) = two_article_store("plover");
    let mut out = Vec::new();
    let s = export::export(&store, &Filter::default(), Format::Plover, Level::Events, &mut out, Path::new("<test>")).expect("export");
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(lines.len(), s.rows);
    assert_eq!(s.rows + s.left_out, query::events(&store, &Filter::default()).expect("events").len());
    let call = lines.iter().find(|l| l["cameo"] == "041").expect("call");
    assert_eq!(call["event"], "CONSULT");
    assert_eq!(call["actor_code"], "JPNGOV");
    assert_eq!(call["recipient"], "Donald Trump");
    assert_eq!(call["date"], "2024-11-07");
    assert_eq!(call["num_articles"], 2);
    let praise = lines.iter().find(|l| l["cameo"] == "051").expect("praise");
    assert_eq!(praise["event"], "SUPPORT");

    let mut out = Vec::new();
    export::export(&store, &Filter::default(), Format::Csv, Level::Mentions, &mut out, Path::new("<test>")).expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    assert_eq!(header, query::COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>());
    let mentions: i64 = store.connection().query_row("SELECT COUNT(*) FROM mentions", [], |r| r.get(0)).expect("count");
    assert_eq!(text.lines().count() as i64, 1 + mentions, "a row per mention");

    let mut out = Vec::new();
    export::export(
        &store,
        &Filter { min_mentions: Some(2), ..Filter::default() },
        Format::Jsonl,
        Level::Events,
        &mut out,
        Path::new("<t>"),
    )
    .expect("export");
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["code"], "041");
    assert_eq!(lines[0]["num_mentions"], 4);
    assert_eq!(lines[0]["source"]["code"], "JPNGOV");
    assert_eq!(lines[0]["outlet"], "example-times.com");
}

/// Each filter selects exactly the events that the same test, written in Rust
/// over all events, keeps.
#[test]
fn query_filters() {
    let (_dir, store) = two_article_store("filters");
    let all = query::events(&store, &Filter::default()).expect("all");
    assert!(all.len() >= 2);
    let check = |f: Filter, keep: &dyn Fn(&StoredEvent) -> bool| {
        let got: Vec<i64> = query::events(&store, &f).expect("query").iter().map(|e| e.event_id).collect();
        let want: Vec<i64> = all.iter().filter(|e| keep(e)).map(|e| e.event_id).collect();
        assert_eq!(got, want, "{f:?}");
        got.len()
    };
    let code = |a: &Option<dyad::record::ActorRecord>| a.as_ref().map(|a| a.code.clone()).unwrap_or_default();
    let country = |a: &Option<dyad::record::ActorRecord>| a.as_ref().and_then(|a| a.country.clone()).unwrap_or_default();
    let text = |e: &StoredEvent| {
        query::mentions_of(&store, e.event_id).expect("mentions").iter().map(|m| m.record.sentence_text.to_lowercase()).collect::<Vec<_>>()
    };
    assert!(check(Filter { source: vec!["JPN".into()], ..Filter::default() }, &|e| code(&e.record.source).starts_with("JPN")) >= 2);
    check(Filter { source: vec!["usa".into()], ..Filter::default() }, &|e| code(&e.record.source).starts_with("USA"));
    check(Filter { actor: vec!["USA".into()], ..Filter::default() }, &|e| {
        code(&e.record.source).starts_with("USA") || code(&e.record.target).starts_with("USA")
    });
    check(Filter { target_country: vec!["USA".into()], ..Filter::default() }, &|e| country(&e.record.target) == "USA");
    check(Filter { source_country: vec!["USA".into(), "JPN".into()], ..Filter::default() }, &|e| {
        ["USA", "JPN"].contains(&country(&e.record.source).as_str())
    });
    assert_eq!(check(Filter { code: vec!["041".into()], ..Filter::default() }, &|e| e.record.code.starts_with("041")), 1);
    check(Filter { code: vec!["04".into(), "05".into()], ..Filter::default() }, &|e| {
        e.record.code.starts_with("04") || e.record.code.starts_with("05")
    });
    check(Filter { quad_class: vec![1], ..Filter::default() }, &|e| e.record.quad_class == 1);
    check(Filter { quad_class: vec![3, 4], ..Filter::default() }, &|e| e.record.quad_class >= 3);
    check(Filter { status: vec!["planned".into()], ..Filter::default() }, &|e| e.record.status == "planned");
    check(Filter { since: Some("2024-11-08".into()), ..Filter::default() }, &|e| e.record.date.end.as_str() >= "2024-11-08");
    check(Filter { until: Some("2024-11-07".into()), ..Filter::default() }, &|e| e.record.date.start.as_str() <= "2024-11-07");
    check(Filter { min_mentions: Some(2), ..Filter::default() }, &|e| e.num_mentions >= 2);
    assert!(
        check(Filter { words: vec!["CONGRATULATE".into()], ..Filter::default() }, &|e| text(e).iter().any(|t| t.contains("congratulate")))
            >= 1
    );
    // All the words in one sentence.
    check(Filter { words: vec!["five".into(), "minutes".into()], ..Filter::default() }, &|e| {
        text(e).iter().any(|t| t.contains("five") && t.contains("minutes"))
    });
    assert_eq!(check(Filter { words: vec!["five".into(), "officials".into()], ..Filter::default() }, &|_| false), 0);
    assert_eq!(check(Filter { words: vec!["100%".into()], ..Filter::default() }, &|_| false), 0);
    assert_eq!(query::events(&store, &Filter { limit: Some(1), ..Filter::default() }).expect("query").len(), 1);

    let stats = dyad_store::stats::stats(&store, &Filter::default(), 10).expect("stats");
    assert_eq!(stats.documents, 2);
    assert_eq!(stats.events as usize, all.len());
    assert_eq!(stats.mentions, all.iter().map(|e| e.num_mentions).sum::<i64>());
    assert_eq!(stats.by_dyad[0].key, "JPNGOV -> USAELI");
    assert_eq!(stats.by_root.iter().map(|c| c.events).sum::<i64>() as usize, all.len());
    assert!(stats.by_root.iter().any(|c| c.key == "04" && c.label == "Consult"));
    assert_eq!(stats.by_month.iter().map(|c| c.events).sum::<i64>() as usize, all.len());
}

/// Finds python3 with pyarrow, installing pyarrow with pip when it is missing
/// (a second try with `--break-system-packages` where the system Python is
/// marked externally managed). `None`, with a message, when that fails.
fn python_with_pyarrow() -> Option<String> {
    let has = |py: &str| Command::new(py).args(["-c", "import pyarrow.parquet"]).output().is_ok_and(|o| o.status.success());
    if has("python3") {
        return Some("python3".into());
    }
    eprintln!("pyarrow is missing: installing it with pip");
    let mut last = String::new();
    for extra in [&[][..], &["--break-system-packages"][..]] {
        let mut args = vec!["-m", "pip", "install", "--quiet", "pyarrow"];
        args.extend_from_slice(extra);
        match Command::new("python3").args(&args).output() {
            Ok(o) if o.status.success() && has("python3") => return Some("python3".into()),
            Ok(o) => last = String::from_utf8_lossy(&o.stderr).into_owned(),
            Err(e) => last = format!("no python3 to install pyarrow with: {e}"),
        }
    }
    eprintln!("SKIPPED the Parquet read-back: cannot install pyarrow: {last}");
    None
}

#[test]
fn parquet_export_reads_back_in_pyarrow_with_the_same_values() {
    let (dir, store) = two_article_store("parquet");
    let path = dir.join("events.parquet");
    let file = std::fs::File::create(&path).expect("create");
    let s = export::export(&store, &Filter::default(), Format::Parquet, Level::Events, file, &path).expect("export");
    assert_eq!(s.rows, query::events(&store, &Filter::default()).expect("events").len());
    let Some(py) = python_with_pyarrow() else { return };
    let script = r#"
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
print(json.dumps({"schema": {f.name: str(f.type) for f in t.schema}, "rows": t.to_pylist()}, default=str))
"#;
    let out = Command::new(&py).args(["-c", script, &path.to_string_lossy()]).output().expect("run python");
    assert!(out.status.success(), "pyarrow failed: {}", String::from_utf8_lossy(&out.stderr));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json from python");
    let schema = got["schema"].as_object().expect("schema");
    assert_eq!(schema.len(), query::COLUMNS.len());
    for c in query::COLUMNS {
        let want = match c.kind {
            Kind::Int => "int64",
            Kind::Float => "double",
            Kind::Bool => "bool",
            Kind::Text => "string",
            Kind::Date => "date32[day]",
        };
        assert_eq!(schema[c.name], want, "type of {}", c.name);
    }
    let rows = got["rows"].as_array().expect("rows");
    let events = query::events(&store, &Filter::default()).expect("events");
    assert_eq!(rows.len(), events.len());
    for (row, event) in rows.iter().zip(&events) {
        for (c, v) in query::COLUMNS.iter().zip(query::values(event)) {
            let want = match v {
                Value::Null => serde_json::Value::Null,
                Value::Int(i) => serde_json::json!(i),
                Value::Float(f) => serde_json::json!(f),
                Value::Bool(b) => serde_json::json!(b),
                Value::Text(s) | Value::Date(s) => serde_json::json!(s),
            };
            assert_eq!(row[c.name], want, "column {} of event {}", c.name, event.event_id);
        }
    }
    // Spot checks, in the reader's own terms.
    let call = rows.iter().find(|r| r["code"] == "041").expect("call");
    assert_eq!(call["num_mentions"], 4);
    assert_eq!(call["date_start"], "2024-11-07");
    assert_eq!(call["source_code"], "JPNGOV");
    assert_eq!(call["is_root"], true);
}
