//! End-to-end tests of the `dyad` binary: what a new user sees on good and bad input.

use std::path::Path;
use std::process::{Command, Output};

#[path = "../../../tests/support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("the dyad binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh scratch directory for one test, removed when the test is done with it.
fn scratch(name: &str) -> Scratch {
    Scratch::new("dyad-cli", name)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write test input");
    p.to_string_lossy().into_owned()
}

fn events(o: &Output) -> Vec<serde_json::Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).expect("each output line is a JSON event")).collect()
}

#[test]
fn codes_the_bundled_sample_articles() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/articles.jsonl");
    let o = dyad(&["code", sample]);
    assert!(o.status.success(), "{}", stderr(&o));
    let evs = events(&o);
    assert!(evs.len() >= 5, "expected the sample to yield events, got {}", evs.len());
    for e in &evs {
        for key in [
            "doc",
            "sentence",
            "id",
            "code",
            "root",
            "label",
            "quad_class",
            "goldstein",
            "date",
            "status",
            "trigger",
            "rule",
            "sentence_text",
        ] {
            assert!(e.get(key).is_some(), "event lacks {key}: {e}");
        }
        let rule = e["rule"].as_str().unwrap_or_default();
        assert!(
            rule.starts_with("data/verbs/") && rule.rsplit(':').next().is_some_and(|n| n.parse::<u32>().is_ok()),
            "rule is file:line: {rule}"
        );
    }
    let call = evs.iter().find(|e| e["code"] == "041").expect("the phone call is coded");
    assert_eq!(call["source"]["code"], "JPNGOV");
    assert_eq!(call["target"]["country"], "USA");
    assert!(stderr(&o).contains("skipped 0"), "{}", stderr(&o));
}

#[test]
fn txt_without_published_is_refused_with_a_reason() {
    let dir = scratch("nopub");
    let f = write(&dir, "story.txt", b"Japan and China held talks on Monday.");
    let o = dyad(&["code", &f]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("story.txt") && err.contains("--published"), "{err}");
}

#[test]
fn empty_binary_and_non_utf8_files_are_skipped_by_name() {
    let dir = scratch("bad");
    let empty = write(&dir, "empty.txt", b"");
    let binary = write(&dir, "binary.txt", &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0, 0]);
    let latin1 = write(&dir, "latin1.txt", b"Caf\xe9 owners protested in Paris.");
    let good = write(&dir, "good.txt", b"Japan condemned North Korea on Monday.");
    let o = dyad(&["code", "--published", "2024-11-07", &empty, &binary, &latin1, &good]);
    assert!(o.status.success(), "the good file is still coded: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
    assert!(err.contains("binary.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("latin1.txt") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("skipped 3"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_malformed_jsonl_line_is_reported_and_the_rest_coded() {
    let dir = scratch("jsonl");
    let body = concat!(
        r#"{"id":"a","text":"Japan condemned North Korea.","published":"2024-11-07"}"#,
        "\n",
        r#"{"id":"b","text":"broken"#,
        "\n",
        r#"{"id":"c","text":"China criticised Japan.","published":"2024-11-08"}"#,
        "\n"
    );
    let f = write(&dir, "batch.jsonl", body.as_bytes());
    let o = dyad(&["code", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("batch.jsonl:2"), "the bad line is named: {err}");
    assert!(err.contains("coded 2 document(s)") && err.contains("skipped 1"), "{err}");
    let docs: Vec<String> = events(&o).iter().map(|e| e["doc"].as_str().unwrap_or_default().to_string()).collect();
    assert!(docs.contains(&"a".to_string()) && docs.contains(&"c".to_string()), "{docs:?}");
}

#[test]
fn unknown_extension_is_named() {
    let dir = scratch("ext");
    let f = write(&dir, "report.pdf", b"%PDF-1.4");
    let o = dyad(&["code", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("report.pdf") && stderr(&o).contains(".pdf"), "{}", stderr(&o));
}

#[test]
fn a_bad_published_date_is_an_argument_error() {
    let o = dyad(&["code", "--published", "2024-13-01", "x.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("2024-13-01"), "{}", stderr(&o));
}

#[test]
fn a_20_mb_document_without_punctuation_is_coded_without_panic() {
    let dir = scratch("big");
    let mut text = String::with_capacity(20 << 20);
    let words = ["japan", "police", "arrested", "activists", "in", "tokyo", "and", "the", "government", "said"];
    let mut i = 0;
    while text.len() < 20 << 20 {
        text.push_str(words[i % words.len()]);
        text.push(' ');
        i += 1;
    }
    let f = write(&dir, "big.txt", text.as_bytes());
    let o = dyad(&["code", "--published", "2024-11-07", "--out", &dir.join("out.jsonl").to_string_lossy(), &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("coded 1 document(s)"), "{}", stderr(&o));
}

#[test]
fn html_input_is_coded_from_its_main_text() {
    let dir = scratch("html");
    let page = br#"<html><head><title>Talks</title><meta property="article:published_time" content="2024-11-14T08:00:00Z"></head>
<body><nav>Home | World | Japan condemned China</nav><article><p>South Korea and Japan held talks in Lima on Thursday.</p></article>
<script>var x = "Japan condemned China";</script><footer>Japan condemned China</footer></body></html>"#;
    let f = write(&dir, "talks.html", page);
    let o = dyad(&["code", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let evs = events(&o);
    assert!(evs.iter().all(|e| e["code"] != "111"), "navigation, script and footer text is not coded: {evs:?}");
}

#[test]
fn status_and_date_filters_keep_only_matching_events() {
    let dir = scratch("filters");
    let text = "Japan condemned China on Monday. Japan will host Chinese leaders next week. Japan did not criticise Russia in 2019.";
    let f = write(&dir, "mixed.txt", text.as_bytes());
    let all = events(&dyad(&["code", "--published", "2024-11-07", &f]));
    let statuses: Vec<&str> = all.iter().map(|e| e["status"].as_str().unwrap_or_default()).collect();
    assert!(statuses.contains(&"asserted") && statuses.contains(&"planned") && statuses.contains(&"negated"), "{statuses:?}");
    let planned = events(&dyad(&["code", "--published", "2024-11-07", "--status", "planned", &f]));
    assert!(!planned.is_empty() && planned.iter().all(|e| e["status"] == "planned"), "{planned:?}");
    let recent = events(&dyad(&["code", "--published", "2024-11-07", "--since", "2024-11-01", "--until", "2024-11-07", &f]));
    assert!(!recent.is_empty(), "Monday's condemnation is in range");
    for e in &recent {
        assert!(
            e["date"]["end"].as_str().unwrap_or_default() >= "2024-11-01"
                && e["date"]["start"].as_str().unwrap_or_default() <= "2024-11-07",
            "{e}"
        );
    }
    let o = dyad(&["code", "--published", "2024-11-07", "--status", "maybe", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("maybe"), "{}", stderr(&o));
}

#[test]
fn jobs_code_in_parallel_with_the_same_output_in_input_order() {
    // The sample articles replicated under new ids, with a malformed line.
    let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/articles.jsonl")).expect("the sample exists");
    let lines: Vec<serde_json::Value> =
        sample.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("the sample is JSONL")).collect();
    // More documents than the coding threads have in flight (64 a chunk, 4
    // chunks a thread), the bad line among the first.
    let (rounds, bad_at) = (300, 200);
    let mut body = String::new();
    let mut written = 0;
    for r in 0..rounds {
        for line in &lines {
            written += 1;
            if written == bad_at {
                body.push_str("{\"id\": \"broken\", \"text\": \n");
                written += 1;
            }
            let mut line = line.clone();
            line["id"] = format!("{}-{r}", line["id"].as_str().unwrap_or_default()).into();
            body.push_str(&line.to_string());
            body.push('\n');
        }
    }
    let dir = scratch("jobs");
    let f = write(&dir, "batch.jsonl", body.as_bytes());
    let docs = rounds * lines.len();
    let jobs = ["1", "2", "3"];
    let runs: Vec<Output> = jobs.iter().map(|j| dyad(&["code", "--jobs", j, &f])).collect();
    for (o, j) in runs.iter().zip(jobs) {
        assert!(o.status.success(), "--jobs {j}: {}", stderr(o));
        let err = stderr(o);
        assert!(err.contains(&format!("batch.jsonl:{bad_at}: not valid JSON")), "--jobs {j} names the bad line: {err}");
        assert!(err.contains(&format!("coded {docs} document(s)")) && err.contains("skipped 1"), "--jobs {j}: {err}");
    }
    let one = &runs[0].stdout;
    assert!(!one.is_empty(), "the sample yields events");
    // Documents in input order (and so every run, being identical, too).
    let order: Vec<serde_json::Value> =
        body.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).map(|v| v["id"].clone()).collect();
    let at: Vec<usize> =
        events(&runs[0]).iter().map(|e| order.iter().position(|id| *id == e["doc"]).expect("an event of an input document")).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]), "events in input order");
    assert!(at.last().is_some_and(|&i| i > docs / 2), "events of late documents are written too");
    for (o, j) in runs.iter().zip(jobs).skip(1) {
        assert!(o.stdout == *one, "--jobs {j} writes what --jobs 1 writes, byte for byte");
    }
}
