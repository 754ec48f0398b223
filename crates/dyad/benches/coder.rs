//! Throughput of the coder from raw text to events, with the built-in lexicon
//! (`code`) and with the full Phoenix dictionaries alone (`code_phoenix`, as
//! `dyad code --dict-only` runs them), against the tokenise-only floor, and the
//! cost of loading the built-in lexicon and the Phoenix dictionaries. Run with
//! `cargo bench -p dyad`; `scripts/bench.sh` times the whole `dyad code` process.
//!
//! The corpus is built at run time from `../shared` (the news-gold articles, the
//! seed article and the sentences of PETRARCH's GigaWord sample, taken as raw
//! text), replicated to at least 200,000 sentences; without `../shared` the
//! benchmark says so and measures nothing. Throughput is reported in sentences.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad::{Coder, Lexicon};

#[path = "corpus.rs"]
mod corpus;
use corpus::{corpus, shared};

fn bench(c: &mut Criterion) {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared is not present, so there is no corpus to measure");
        return;
    };
    let (docs, sentences) = corpus(&shared);
    let lex = Lexicon::builtin().expect("builtin lexicon loads");
    // The full Phoenix dictionaries, as PETRARCH2 users run them.
    let dir = shared.join("reference/petrarch-dictionaries");
    let phoenix: Vec<PathBuf> = dyad::dict::PHOENIX.iter().map(|f| dir.join(f)).collect();
    let phoenix_lex = Lexicon::from_dictionaries(&phoenix).expect("the Phoenix dictionaries load");
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.throughput(Throughput::Elements(sentences as u64));
    group.bench_function("tokenise", |b| b.iter(|| docs.iter().map(|d| dyad::text::analyse(&d.text).sentences.len()).sum::<usize>()));
    group.bench_function("code", |b| {
        let coder = Coder::new(&lex);
        b.iter(|| docs.iter().map(|d| coder.code(d).len()).sum::<usize>())
    });
    group.bench_function("code_phoenix", |b| {
        let coder = Coder::new(&phoenix_lex);
        b.iter(|| docs.iter().map(|d| coder.code(d).len()).sum::<usize>())
    });
    group.finish();
    let mut load = c.benchmark_group("lexicon");
    load.sample_size(10);
    load.bench_function("builtin", |b| b.iter(|| Lexicon::builtin().expect("loads").patterns.len()));
    load.bench_function("phoenix", |b| b.iter(|| Lexicon::from_dictionaries(&phoenix).expect("loads").patterns.len()));
    load.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
