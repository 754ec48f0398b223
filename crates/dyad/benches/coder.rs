//! Throughput of the coder from raw text to events, against the tokenise-only
//! floor, and the cost of loading the built-in lexicon and the full Phoenix
//! dictionaries. Run with `cargo bench -p dyad`.
//!
//! The corpus is built at run time from `../shared` (the news-gold articles, the
//! seed article and the sentences of PETRARCH's GigaWord sample, taken as raw
//! text), replicated to at least 200,000 sentences; without `../shared` the
//! benchmark says so and measures nothing. Throughput is reported in sentences.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad::{Coder, Document, Lexicon};

const MIN_SENTENCES: usize = 200_000;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.is_dir().then_some(p)
}

/// The distinct source documents of the corpus.
fn sources(shared: &Path) -> Vec<Document> {
    let mut docs = Vec::new();
    let gold = shared.join("eval/news-gold");
    if let Ok(gold) = dyad::eval::load_gold(&gold) {
        docs.extend(gold.into_iter().map(|g| g.document));
    }
    if let Ok(text) = std::fs::read_to_string(shared.join("corpus/seed/ishiba-trump.txt")) {
        docs.push(Document { id: "seed".into(), text, published: jiff::civil::date(2024, 11, 7), url: None, title: None });
    }
    if let Ok(xml) = std::fs::read_to_string(shared.join("eval/petrarch/GigaWord.sample.PETR.xml")) {
        let mut rest = xml.as_str();
        let mut n = 0;
        while let Some(i) = rest.find("<Text>") {
            let Some(j) = rest[i..].find("</Text>") else { break };
            let text = rest[i + 6..i + j].split_whitespace().collect::<Vec<_>>().join(" ");
            docs.push(Document { id: format!("gigaword-{n}"), text, published: jiff::civil::date(2008, 8, 4), url: None, title: None });
            n += 1;
            rest = &rest[i + j..];
        }
    }
    docs
}

/// The sources replicated to at least [`MIN_SENTENCES`] sentences: (documents, sentences).
pub fn corpus(shared: &Path) -> (Vec<Document>, usize) {
    let base = sources(shared);
    let per_round: usize = base.iter().map(|d| dyad::text::analyse(&d.text).sentences.len()).sum();
    let rounds = MIN_SENTENCES.div_ceil(per_round.max(1));
    let mut docs = Vec::with_capacity(base.len() * rounds);
    for r in 0..rounds {
        for d in &base {
            docs.push(Document { id: format!("{}-{r}", d.id), ..d.clone() });
        }
    }
    (docs, per_round * rounds)
}

fn bench(c: &mut Criterion) {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared is not present, so there is no corpus to measure");
        return;
    };
    let (docs, sentences) = corpus(&shared);
    let lex = Lexicon::builtin().expect("builtin lexicon loads");
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.throughput(Throughput::Elements(sentences as u64));
    group.bench_function("tokenise", |b| b.iter(|| docs.iter().map(|d| dyad::text::analyse(&d.text).sentences.len()).sum::<usize>()));
    group.bench_function("code", |b| {
        let coder = Coder::new(&lex);
        b.iter(|| docs.iter().map(|d| coder.code(d).len()).sum::<usize>())
    });
    group.finish();
    let mut load = c.benchmark_group("lexicon");
    load.sample_size(10);
    load.bench_function("builtin", |b| b.iter(|| Lexicon::builtin().expect("loads").patterns.len()));
    // The full Phoenix dictionaries, as PETRARCH2 users run them.
    let dir = shared.join("reference/petrarch-dictionaries");
    let phoenix: Vec<PathBuf> = dyad::dict::PHOENIX.iter().map(|f| dir.join(f)).collect();
    load.bench_function("phoenix", |b| b.iter(|| Lexicon::from_dictionaries(&phoenix).expect("loads").patterns.len()));
    load.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
