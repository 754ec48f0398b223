//! The floor for `dyad code`: read documents as `dyad code` does and only split
//! them into tokens and sentences, no coding and no output. `scripts/bench.sh`
//! times it beside `dyad code` on the same corpus.
//!
//! Usage: `cargo run --release -p dyad --example tokenise -- INPUT.jsonl...`.
//! Prints the number of documents and sentences; inputs that are not documents
//! are reported on standard error, as `dyad code` reports them.

use std::path::PathBuf;
use std::process::ExitCode;

use dyad::document::{self, ReadOptions};

// The allocator `dyad code` uses, set up the same way, so that the floor is
// measured on equal terms.
#[global_allocator]
static GLOBAL: dyad_alloc::Mimalloc = dyad_alloc::Mimalloc;

fn main() -> ExitCode {
    dyad_alloc::no_huge_pages();
    let inputs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if inputs.is_empty() {
        eprintln!("usage: tokenise INPUT.jsonl...");
        return ExitCode::from(2);
    }
    let opts = ReadOptions::default();
    let (mut docs, mut sentences, mut skipped) = (0usize, 0usize, 0usize);
    for input in &inputs {
        let items = match document::read_input(input, &opts) {
            Ok(items) => items,
            Err(s) => {
                eprintln!("tokenise: skipped {s}");
                skipped += 1;
                continue;
            }
        };
        for item in items {
            match item {
                Ok(doc) => {
                    docs += 1;
                    sentences += dyad::text::analyse(&doc.text).sentences.len();
                }
                Err(s) => {
                    eprintln!("tokenise: skipped {s}");
                    skipped += 1;
                }
            }
        }
    }
    println!("{docs} documents, {sentences} sentences; skipped {skipped}");
    ExitCode::SUCCESS
}
