//! Ingest throughput: sentences per second into a fresh store, on one core.
//!
//! `cargo bench -p dyad-store --bench ingest` (add `-- --sentences N` for another
//! size, default 100,000; `-- --store-only` stops after step 2). The corpus is the news-gold development articles and
//! the seed article from `../shared` (read at run time, never copied into the
//! repository), replicated with shifted publication dates and varied urls until
//! it has the sentences asked for; without `../shared` the benchmark says so and
//! stops.
//!
//! Measured, each on a fresh database in a temporary directory:
//! 1. coding alone (`Coder::code`, one thread), for reference;
//! 2. the store alone: writing the pre-coded events ([`Writer`]), which is the
//!    store's own cost (hashing, SQLite writes, deduplication, commit);
//! 3. coding and storing together ([`ingest`] with one coding thread), the
//!    figure a user sees with `dyad ingest -j 1`;
//! 4. the same with a coding thread per core (`dyad ingest`'s default);
//! 5. re-ingesting everything unchanged (hash checks only).

use std::path::{Path, PathBuf};
use std::time::Instant;

use dyad::{Coder, Document, Event, Lexicon};
use dyad_store::ingest::{self, content_hash, count_sentences, outlet_of, IngestOptions, Input, Writer};
use dyad_store::Store;

fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("DYAD_SHARED") {
        return Some(PathBuf::from(dir));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.is_dir().then_some(dir)
}

/// The base articles: (stem, text, published).
fn base_articles(shared: &Path) -> Vec<(String, String, jiff::civil::Date)> {
    let mut out = Vec::new();
    let gold = shared.join("eval/news-gold");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&gold)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect())
        .unwrap_or_default();
    names.sort();
    for p in names {
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let published = std::fs::read_to_string(gold.join(format!("{stem}.meta.json")))
            .ok()
            .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
            .and_then(|v| v["published"].as_str().and_then(|s| dyad::document::parse_date(s).ok()))
            .unwrap_or(jiff::civil::date(2024, 1, 1));
        out.push((format!("gold-{stem}"), text, published));
    }
    if let Ok(text) = std::fs::read_to_string(shared.join("corpus/seed/ishiba-trump.txt")) {
        out.push(("seed".into(), text, jiff::civil::date(2024, 11, 7)));
    }
    out
}

fn rate(sentences: usize, secs: f64) -> String {
    format!("{:>9.0} sentences/s", sentences as f64 / secs.max(1e-9))
}

fn main() {
    let mut want = 100_000usize;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--sentences") {
        want = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(want);
    }
    let Some(shared) = shared_dir() else {
        println!("ingest benchmark skipped: ../shared (the news-gold and seed articles) is not here; set DYAD_SHARED to its path");
        return;
    };
    let base = base_articles(&shared);
    if base.is_empty() {
        println!("ingest benchmark skipped: no articles under {}", shared.display());
        return;
    }
    let base_sentences: Vec<usize> = base.iter().map(|(_, t, _)| count_sentences(t)).collect();
    let per_round: usize = base_sentences.iter().sum::<usize>().max(1);
    let rounds = want.div_ceil(per_round);
    let mut docs = Vec::new();
    for k in 0..rounds {
        for (stem, text, published) in &base {
            let date = published.checked_add(jiff::Span::new().days(k as i64)).unwrap_or(*published);
            docs.push(Document {
                id: format!("{stem}-{k}"),
                text: text.clone(),
                published: date,
                url: Some(format!("https://outlet{}.example/{stem}/{k}", k % 40)),
                title: Some(format!("{stem} #{k}")),
            });
        }
    }
    let sentences: usize = per_round * rounds;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    println!(
        "corpus: {} documents, {sentences} sentences, {:.1} MB ({} articles x {rounds} with shifted dates)",
        docs.len(),
        bytes as f64 / 1e6,
        base.len()
    );

    let t = Instant::now();
    let lexicon = Lexicon::builtin().expect("built-in lexicon");
    let coder = Coder::new(&lexicon);
    println!("lexicon load: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);

    // 1. Coding alone.
    let t = Instant::now();
    let coded: Vec<(usize, Vec<Event>)> = docs.iter().map(|d| coder.code_counted(d)).map(|(e, n)| (n, e)).collect();
    let code_secs = t.elapsed().as_secs_f64();
    let records: usize = coded.iter().map(|(_, e)| e.len()).sum();
    println!("1. coding only (1 thread):          {:>7.2} s  {}  ({records} event records)", code_secs, rate(sentences, code_secs));

    let tmp = std::env::temp_dir().join(format!("dyad-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("temp dir");

    // 2. The store alone: pre-coded events.
    let db = tmp.join("store-only.db");
    let mut store = Store::open(&db).expect("store");
    let t = Instant::now();
    let mut writer = Writer::new(&mut store, &IngestOptions::default()).expect("writer");
    for (d, (n, events)) in docs.iter().zip(&coded) {
        let outlet = outlet_of(d, None);
        let hash = content_hash(d, &outlet);
        writer.write(d, &outlet, &hash, *n, events).expect("write");
    }
    let summary = writer.finish().expect("finish");
    let store_secs = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "2. store only (pre-coded events):   {:>7.2} s  {}  ({:.0} records/s; {} events; {:.1} MB file)",
        store_secs,
        rate(sentences, store_secs),
        records as f64 / store_secs,
        summary.events_total,
        size as f64 / 1e6
    );
    drop(store);
    if args.iter().any(|a| a == "--store-only") {
        let _ = std::fs::remove_dir_all(&tmp);
        return;
    }

    // 3. Coding and storing, one coding thread.
    let run = |name: &str, jobs: usize| -> f64 {
        let db = tmp.join(format!("{name}.db"));
        let mut store = Store::open(&db).expect("store");
        let inputs = docs.iter().cloned().map(|d| Ok(Input::from(d)));
        let t = Instant::now();
        let s = ingest::ingest(&mut store, &coder, inputs, &IngestOptions { jobs, ..IngestOptions::default() }, |_| {}).expect("ingest");
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(s.sentences, sentences);
        secs
    };
    let secs = run("one", 1);
    println!("3. code + store, 1 coding thread:   {:>7.2} s  {}", secs, rate(sentences, secs));
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    if cores > 1 {
        let secs = run("all", cores);
        println!("4. code + store, {cores} coding threads:  {:>7.2} s  {}", secs, rate(sentences, secs));
    }

    // 5. Re-ingest, all unchanged.
    let mut store = Store::open(&tmp.join("one.db")).expect("store");
    let inputs = docs.iter().cloned().map(|d| Ok(Input::from(d)));
    let t = Instant::now();
    let s = ingest::ingest(&mut store, &coder, inputs, &IngestOptions::default(), |_| {}).expect("re-ingest");
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(s.unchanged, docs.len());
    println!("5. re-ingest, all unchanged:        {:>7.2} s  {}", secs, rate(sentences, secs));

    println!(
        "store share of code + store (1 thread): {:.0}% ({:.2} s of {:.2} s)",
        100.0 * store_secs / (store_secs + code_secs),
        store_secs,
        store_secs + code_secs
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&tmp);
}
