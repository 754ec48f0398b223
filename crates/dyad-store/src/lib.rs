//! dyad-store: dyad's embedded event store. Coded events go into one SQLite file
//! (no server to run), deduplicated the way GDELT does it, and come out again as
//! tables for people (`query`, `stats`) and as datasets for pandas, R, DuckDB or
//! Spark (`export`: GDELT 2.0, PLOVER, Parquet, CSV, JSONL).
//!
//! The modules follow the data:
//!
//! ```text
//! schema (open, version, migrate) -> ingest (documents, mentions) -> dedup (events)
//!                                  -> query / stats / export (reading)
//! ```
//!
//! This crate owns the database file and what is in it. It does not code text (that
//! is the `dyad` library's [`dyad::Coder`]), and it does not print to a terminal or
//! draw progress bars (the `dyad` binary does, from the [`ingest::Progress`] it is
//! given). Every error names the database file and says what is wrong; no error
//! path writes to a file it did not create.
//!
//! ```no_run
//! use dyad_store::{ingest::{self, IngestOptions}, query::{self, Filter}, Store};
//! let lexicon = dyad::Lexicon::builtin().expect("built-in lexicon");
//! let coder = dyad::Coder::new(&lexicon);
//! let mut store = Store::open("dyad.db".as_ref()).expect("a dyad database");
//! let docs = ingest::read_inputs(vec!["articles.jsonl".into()], Default::default());
//! let summary = ingest::ingest(&mut store, &coder, docs, &IngestOptions::default(), |_| {}).expect("ingest");
//! println!("{} event records, {} events in the store", summary.mentions, summary.events_total);
//! let calls = query::events(&store, &Filter { code: vec!["041".into()], ..Filter::default() }).expect("query");
//! ```

pub mod dedup;
mod error;
pub mod export;
pub mod ingest;
pub mod query;
pub mod schema;
pub mod stats;

pub use error::StoreError;
pub use schema::Store;

/// What every fallible function of this crate returns.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
