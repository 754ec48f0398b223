//! End-to-end tests of the store commands (`dyad ingest`, `query`, `stats`,
//! `export`) through the real binary: what a user sees, a killed ingest, and bad
//! database files.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "../../../tests/support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).stdin(Stdio::null()).output().expect("the dyad binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh scratch directory for one test, removed when the test is done with it.
fn scratch(name: &str) -> Scratch {
    Scratch::new("dyad-cli-store", name)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/articles.jsonl");

/// A JSONL corpus of `n` short articles written for this test: four events each,
/// dated by the publication date, and every fifth article a wire copy of the one
/// before (same text and date, another outlet), so that some events have two
/// articles.
fn corpus(n: usize) -> String {
    let countries = [
        ("Japanese", "Japan"),
        ("French", "France"),
        ("Chinese", "China"),
        ("Russian", "Russia"),
        ("German", "Germany"),
        ("Indian", "India"),
        ("Brazilian", "Brazil"),
        ("Kenyan", "Kenya"),
    ];
    let start = jiff::civil::date(2023, 1, 2);
    let mut out = String::new();
    for i in 0..n {
        let k = if i % 5 == 4 { i - 1 } else { i };
        let (a, b) = (countries[k % 8], countries[(k * 3 + 1) % 8]);
        let b = if a == b { countries[(k + 2) % 8] } else { b };
        let text = format!(
            "The {} foreign minister met his {} counterpart in {} on Monday. {} criticised {} over its trade policy on Tuesday. \
             Police in {} arrested dozens of protesters on Wednesday, witnesses said. \
             The {} president spoke with the {} president by telephone on Thursday.",
            a.0, b.0, b.1, b.1, a.1, a.1, a.0, b.0
        );
        let published = start.checked_add(jiff::Span::new().days(k as i64)).expect("date");
        let line = serde_json::json!({
            "id": format!("doc-{i}"),
            "published": published.to_string(),
            "url": format!("https://outlet{}.example/news/{i}", i % 7),
            "title": format!("Report {i}"),
            "text": text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Every stored event as JSONL, without the ingest time, for comparing stores.
fn export_all(db: &Path) -> Vec<serde_json::Value> {
    let o = dyad(&["export", "--format", "jsonl", "--db", s(db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("json");
            v.as_object_mut().expect("object").remove("first_added");
            v
        })
        .collect()
}

fn count(db: &Path, sql: &str) -> i64 {
    let store = dyad_store::Store::open_read_only(db).expect("open store");
    store.connection().query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn killed_ingest_rerun_leaves_no_duplicate_and_loses_nothing() {
    let dir = scratch("kill");
    let input = dir.join("big.jsonl");
    // Ten transactions of 2,000 documents (the default batch): enough that the
    // ingest is still running when the kill comes, however fast the coder is
    // (with 6,000 it sometimes finished first).
    let n = 20_000;
    std::fs::write(&input, corpus(n)).expect("write corpus");
    let db = dir.join("killed.db");

    // Start an ingest and kill it (SIGKILL) once it has committed something.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["ingest", s(&input), "--db", s(&db), "-q"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn dyad ingest");
    let started = Instant::now();
    let committed = loop {
        let docs = dyad_store::Store::open_read_only(&db)
            .ok()
            .and_then(|st| st.connection().query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0)).ok())
            .unwrap_or(0);
        if docs > 0 {
            break docs;
        }
        assert!(child.try_wait().expect("poll").is_none(), "the ingest ended before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(60), "nothing was committed within a minute");
        std::thread::sleep(Duration::from_millis(10));
    };
    // A little later, so the kill lands inside the next transaction.
    std::thread::sleep(Duration::from_millis(50 + u64::from(std::process::id() % 150)));
    assert!(child.try_wait().expect("poll").is_none(), "the ingest ended before it could be killed");
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    let after_kill = count(&db, "SELECT COUNT(*) FROM documents");
    eprintln!("killed after {:?} with {after_kill} of {n} documents stored", started.elapsed());
    assert!(after_kill >= committed && after_kill < n as i64, "killed with {after_kill} of {n} documents stored");

    // What the kill left is consistent: every stored document has all its
    // mentions, every mention its event, every event its counts.
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM documents d WHERE d.mentions != (SELECT COUNT(*) FROM mentions m WHERE m.doc_key = d.doc_key)"),
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = m.event_id)"), 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM events e WHERE e.num_mentions != (SELECT COUNT(*) FROM mentions m WHERE m.event_id = e.event_id)"),
        0
    );
    let store = dyad_store::Store::open_read_only(&db).expect("open");
    let ok: String = store.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
    assert_eq!(ok, "ok");
    drop(store);

    // Run it again: it finishes the job.
    let o = dyad(&["ingest", s(&input), "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{after_kill} unchanged")), "{}", stderr(&o));

    // The same as an ingest that was never interrupted.
    let clean = dir.join("clean.db");
    let o = dyad(&["ingest", s(&input), "--db", s(&clean)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), n as i64);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM mentions"), count(&clean, "SELECT COUNT(*) FROM mentions"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM (SELECT doc_key, record_id FROM mentions GROUP BY 1, 2 HAVING COUNT(*) > 1)"), 0);
    let (resumed, uninterrupted) = (export_all(&db), export_all(&clean));
    assert_eq!(resumed.len(), uninterrupted.len());
    assert!(resumed == uninterrupted, "the resumed store differs from the uninterrupted one");
    // The wire copies were deduplicated into events with two articles.
    assert!(resumed.iter().any(|e| e["num_articles"] == 2 && e["num_sources"] == 2));
}

#[test]
fn ingest_query_stats_and_export_the_sample() {
    let dir = scratch("sample");
    let db = dir.join("sample.db");
    let o = dyad(&["ingest", SAMPLE, "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("ingested 3 document(s)") && err.contains("3 new") && err.contains("sentences/s"), "{err}");
    assert!(err.contains("event records") && err.contains("in the store"), "{err}");
    // Piped, so no progress bar: no carriage returns or escape codes.
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");

    // Again: nothing changes.
    let o = dyad(&["ingest", SAMPLE, "--db", s(&db)]);
    assert!(stderr(&o).contains("3 unchanged") && stderr(&o).contains("0 new events"), "{}", stderr(&o));

    let o = dyad(&["query", "--db", s(&db), "--source", "JPN", "--code", "04"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("event"), "{out}");
    assert!(out.contains("JPNGOV") && out.contains("041") && out.contains("Discuss by telephone"), "{out}");

    let o = dyad(&["query", "--db", s(&db), "--format", "jsonl", "--mentions", "--text", "telephone"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let events: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert!(!events.is_empty());
    for e in &events {
        assert!(e["sentence_text"].as_str().expect("sentence").contains("telephone"));
        let mentions = e["mentions"].as_array().expect("mentions");
        assert_eq!(mentions.len() as i64, e["num_mentions"].as_i64().expect("count"));
        assert!(mentions[0]["trigger"]["span"].is_array());
    }

    let o = dyad(&["query", "--db", s(&db), "--format", "csv", "--quad", "4"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("event_id,date_start,date_end"), "{}", lines[0]);
    assert!(lines.len() >= 2);

    let o = dyad(&["stats", "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 documents") && stdout(&o).contains("by root code") && stdout(&o).contains("JPNGOV -> USAELI"),
        "{}",
        stdout(&o)
    );
    let o = dyad(&["stats", "--db", s(&db), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json stats");
    assert_eq!(v["documents"], 3);

    for (format, file) in [
        ("gdelt", "events.tsv"),
        ("plover", "plover.jsonl"),
        ("parquet", "events.parquet"),
        ("csv", "events.csv"),
        ("jsonl", "events.jsonl"),
    ] {
        let out = dir.join(file);
        let o = dyad(&["export", "--format", format, "--db", s(&db), "--out", s(&out)]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(stderr(&o).contains("exported"), "{}", stderr(&o));
        assert!(std::fs::metadata(&out).expect("exported file").len() > 0);
    }
    let gdelt = std::fs::read_to_string(dir.join("events.tsv")).expect("read");
    assert!(!gdelt.is_empty());
    for line in gdelt.lines() {
        assert_eq!(line.split('\t').count(), 61, "{line}");
    }
    let parquet = std::fs::read(dir.join("events.parquet")).expect("read");
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    // No partial files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bad_database_files_get_clear_errors_and_are_left_as_they_were() {
    let dir = scratch("bad-db");

    // Not SQLite.
    let notes = dir.join("notes.db");
    std::fs::write(&notes, "my notes\n").expect("write");
    for args in [
        vec!["ingest", SAMPLE, "--db", s(&notes)],
        vec!["query", "--db", s(&notes)],
        vec!["stats", "--db", s(&notes)],
        vec!["export", "--format", "csv", "--db", s(&notes)],
    ] {
        let o = dyad(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("notes.db") && err.contains("not a dyad database"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "my notes\n");

    // Missing (query does not create it).
    let missing = dir.join("missing.db");
    let o = dyad(&["query", "--db", s(&missing)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no such database") && stderr(&o).contains("dyad ingest"), "{}", stderr(&o));
    assert!(!missing.exists());

    // From a newer dyad.
    let newer = dir.join("newer.db");
    assert!(dyad(&["ingest", SAMPLE, "--db", s(&newer)]).status.success());
    {
        let store = dyad_store::Store::open(&newer).expect("open");
        store.connection().pragma_update(None, "user_version", 42).expect("bump version");
    }
    let before = std::fs::read(&newer).expect("read");
    for args in [vec!["ingest", SAMPLE, "--db", s(&newer)], vec!["query", "--db", s(&newer)]] {
        let o = dyad(&args);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("newer dyad") && stderr(&o).contains("version 42"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&newer).expect("read"), before);

    // A read-only file can be queried but not ingested into.
    let frozen = dir.join("frozen.db");
    assert!(dyad(&["ingest", SAMPLE, "--db", s(&frozen)]).status.success());
    let mut perms = std::fs::metadata(&frozen).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&frozen, perms).expect("chmod");
    let before = std::fs::read(&frozen).expect("read");
    let o = dyad(&["ingest", SAMPLE, "--db", s(&frozen), "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("frozen.db") && stderr(&o).contains("read-only"), "{}", stderr(&o));
    let o = dyad(&["query", "--db", s(&frozen)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&frozen).expect("read"), before);

    // An export that fails leaves the earlier file in place.
    let out = dir.join("keep.csv");
    std::fs::write(&out, "earlier export\n").expect("write");
    let o = dyad(&["export", "--format", "csv", "--db", s(&notes), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "earlier export\n");

    // Bad filter values are argument errors.
    let o = dyad(&["query", "--db", s(&frozen), "--quad", "7"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("quad class 7"), "{}", stderr(&o));
    let o = dyad(&["export", "--format", "xlsx", "--db", s(&frozen)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not an export format"), "{}", stderr(&o));
}

#[test]
fn ingest_reports_skipped_inputs_with_reasons() {
    let dir = scratch("skipped");
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"id\": \"x\", \"text\": \"Russia accused NATO of threatening its security.\"}\nnot json\n").expect("write");
    let db = dir.join("d.db");
    let o = dyad(&["ingest", s(&bad), SAMPLE, "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("skipped") && err.contains("bad.jsonl:1") && err.contains("published"), "{err}");
    assert!(err.contains("bad.jsonl:2") && err.contains("not valid JSON"), "{err}");
    assert!(err.contains("skipped 2"), "{err}");
    // Nothing usable at all: exit 1.
    let o = dyad(&["ingest", s(&bad), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}
