//! Write the benchmark corpus (see `benches/corpus.rs`) as JSONL, one document a
//! line, for whole-process timing of `dyad code` (`scripts/bench.sh`).
//!
//! Usage: `cargo run --release -p dyad --example corpus -- OUT.jsonl`. Prints the
//! number of documents and sentences. Exits 2 when `../shared` is not present.

use std::io::{BufWriter, Write};

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: corpus OUT.jsonl");
        std::process::exit(2);
    };
    let Some(shared) = corpus::shared() else {
        eprintln!("corpus: ../shared is not present, so there is no corpus to write");
        std::process::exit(2);
    };
    let (docs, sentences) = corpus::corpus(&shared);
    let mut w = BufWriter::new(std::fs::File::create(&out)?);
    for d in &docs {
        let line = serde_json::json!({"id": d.id, "text": d.text, "published": d.published.to_string()});
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    println!("{} documents, {sentences} sentences -> {out}", docs.len());
    Ok(())
}
