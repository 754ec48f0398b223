//! The store commands: `dyad ingest`, `dyad query`, `dyad stats`, `dyad export`.
//! Arguments, the progress bar and what is printed live here; the store itself
//! (schema, dedup, queries, export formats) is the `dyad-store` crate.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use dyad::document::ReadOptions;
use dyad::Coder;
use dyad_store::export::{self, Format};
use dyad_store::ingest::{self, IngestOptions};
use dyad_store::query::{self, Filter, Level};
use dyad_store::{stats, Store};

/// The database when `--db` is not given.
const DEFAULT_DB: &str = "dyad.db";

/// `dyad ingest`: code documents and store their events.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// Input files: .txt, .jsonl ({id, text, published, url?, title?, outlet?} a
    /// line) or .html; "-" reads standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The database file (created if missing).
    #[arg(long, default_value = DEFAULT_DB)]
    pub db: PathBuf,
    /// Publication date of .txt/.html inputs (YYYY-MM-DD).
    #[arg(long, value_parser = crate::parse_date)]
    pub published: Option<jiff::civil::Date>,
    /// Document id for a single .txt input (default: the file stem).
    #[arg(long)]
    pub doc_id: Option<String>,
    /// Coding threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Recode and replace documents even when they are stored unchanged (after
    /// changing the lexicon, say).
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub lexicon: crate::LexiconArgs,
}

/// Which stored events to select (query, stats, export).
#[derive(clap::Args)]
pub struct StoreFilterArgs {
    /// Source actor code, or its beginning: JPN selects JPNGOV, JPNELI, ...
    /// (repeat or separate with commas for any of several).
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub source: Vec<String>,
    /// Target actor code, or its beginning.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub target: Vec<String>,
    /// Either side's actor code, or its beginning.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub actor: Vec<String>,
    /// Source actor's country (ISO 3166-1 alpha-3).
    #[arg(long, value_delimiter = ',', value_name = "ISO3")]
    pub source_country: Vec<String>,
    /// Target actor's country (ISO 3166-1 alpha-3).
    #[arg(long, value_delimiter = ',', value_name = "ISO3")]
    pub target_country: Vec<String>,
    /// CAMEO event code, or its beginning: 04 (consult), 041 (telephone), 19.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub code: Vec<String>,
    /// GDELT quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal
    /// conflict, 4 material conflict.
    #[arg(long = "quad", value_delimiter = ',', value_name = "1-4")]
    pub quad_class: Vec<u8>,
    /// asserted, planned, hypothetical, negated.
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Events whose date interval reaches this day or later (YYYY-MM-DD).
    #[arg(long, value_parser = crate::parse_date)]
    pub since: Option<jiff::civil::Date>,
    /// Events whose date interval begins on this day or earlier.
    #[arg(long, value_parser = crate::parse_date)]
    pub until: Option<jiff::civil::Date>,
    /// Words that must all occur in one sentence telling the event
    /// (case-insensitive; "call" also finds "called").
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    /// Events reported at least this many times.
    #[arg(long, value_name = "N")]
    pub min_mentions: Option<i64>,
}

impl StoreFilterArgs {
    fn filter(&self, limit: Option<usize>) -> Filter {
        Filter {
            source: self.source.clone(),
            target: self.target.clone(),
            source_country: self.source_country.clone(),
            target_country: self.target_country.clone(),
            actor: self.actor.clone(),
            code: self.code.clone(),
            quad_class: self.quad_class.clone(),
            status: self.status.clone(),
            since: self.since.map(|d| d.to_string()),
            until: self.until.map(|d| d.to_string()),
            words: self.text.as_deref().map(|t| t.split_whitespace().map(String::from).collect()).unwrap_or_default(),
            min_mentions: self.min_mentions,
            limit,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    /// An aligned table (the sentence cut to the terminal's width).
    Table,
    Csv,
    Jsonl,
}

/// `dyad query`: print stored events.
#[derive(clap::Args)]
pub struct QueryArgs {
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB)]
    pub db: PathBuf,
    #[command(flatten)]
    pub filter: StoreFilterArgs,
    /// Output: table, csv or jsonl.
    #[arg(long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    /// At most this many events (a table shows 100 unless told otherwise).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// JSONL: add each event's mentions (document, sentence, spans, trigger,
    /// rule) as `mentions`; CSV: one row per mention.
    #[arg(long)]
    pub mentions: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
}

/// `dyad stats`: counts by root code, month and dyad.
#[derive(clap::Args)]
pub struct StatsArgs {
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB)]
    pub db: PathBuf,
    #[command(flatten)]
    pub filter: StoreFilterArgs,
    /// How many dyads to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Output: table or json.
    #[arg(long, value_enum, default_value = "table")]
    pub format: StatsFormat,
}

/// `dyad export`: write stored events as a dataset.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// gdelt (GDELT 2.0 Events, 61 tab-separated columns), plover (PLOVER JSONL),
    /// parquet, csv or jsonl.
    #[arg(long, value_parser = parse_format)]
    pub format: Format,
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB)]
    pub db: PathBuf,
    /// Write here (default: standard output; Parquet needs a file or a pipe).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filter: StoreFilterArgs,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// One row per mention instead of per event (csv, jsonl, parquet).
    #[arg(long)]
    pub mentions: bool,
}

fn parse_format(s: &str) -> std::result::Result<Format, String> {
    s.parse()
}

/// `dyad ingest`.
pub fn ingest(args: &IngestArgs) -> Result<ExitCode> {
    if args.doc_id.is_some() && args.inputs.len() > 1 {
        anyhow::bail!("--doc-id names one document: give a single input file");
    }
    let lexicon = args.lexicon.load()?;
    let coder = Coder::new(&lexicon).with_partial(args.lexicon.partial);
    let mut store = Store::open(&args.db)?;
    let jobs = crate::jobs(args.jobs);
    let opts = IngestOptions { jobs, force: args.force, ..IngestOptions::default() };

    let total: u64 = args.inputs.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(total.max(1));
        let style = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}%  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    };
    let started = std::time::Instant::now();
    let read_opts = ReadOptions { published: args.published, doc_id: args.doc_id.clone() };
    let inputs = ingest::read_inputs(args.inputs.clone(), read_opts);
    let result = ingest::ingest(&mut store, &coder, inputs, &opts, |p| {
        if !bar.is_hidden() {
            bar.set_position(p.text_bytes.min(total));
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} docs ({} unchanged), {} sentences, {} event records, {} skipped, {:.0} sentences/s",
                p.documents,
                p.unchanged,
                p.sentences,
                p.mentions,
                p.skipped,
                p.sentences as f64 / secs
            ));
        }
    });
    bar.finish_and_clear();
    let summary = result?;
    for s in &summary.skipped {
        eprintln!("dyad: skipped {s}");
    }
    eprintln!(
        "dyad: ingested {} document(s) into {}: {} new, {} replaced, {} unchanged; skipped {}",
        summary.documents,
        args.db.display(),
        summary.new,
        summary.replaced,
        summary.unchanged,
        summary.skipped.len(),
    );
    eprintln!(
        "dyad: coded {} sentences into {} event records: {} new events, {} in the store; {:.1} s, {:.0} sentences/s",
        summary.sentences,
        summary.mentions,
        summary.events_created,
        summary.events_total,
        summary.elapsed.as_secs_f64(),
        summary.sentences_per_second()
    );
    Ok(if summary.documents == 0 && !summary.skipped.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `dyad query`.
pub fn query(args: &QueryArgs) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_err = |e: std::io::Error| anyhow::Error::new(e).context("cannot write to standard output");
    match args.format {
        QueryFormat::Table => {
            let limit = args.limit.unwrap_or(100);
            // One more than shown, to say whether there are more.
            let mut events = query::events(&store, &args.filter.filter(Some(limit + 1)))?;
            let more = events.len() > limit;
            events.truncate(limit);
            let width =
                if std::io::stdout().is_terminal() { std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(120) } else { 0 };
            out.write_all(query::table(&events, width).as_bytes()).map_err(write_err)?;
            out.flush().map_err(write_err)?;
            if more {
                eprintln!("dyad: showing the first {limit} events; --limit N shows more, --format csv|jsonl all");
            } else {
                eprintln!("dyad: {} event(s)", events.len());
            }
        }
        QueryFormat::Csv => {
            let level = if args.mentions { Level::Mentions } else { Level::Events };
            export::export_text(&store, &args.filter.filter(args.limit), Format::Csv, level, &mut out, Path::new("<stdout>"))?;
        }
        QueryFormat::Jsonl => {
            query::for_each(&store, &args.filter.filter(args.limit), Level::Events, |e| {
                let mentions = if args.mentions { query::mentions_of(&store, e.event_id)? } else { Vec::new() };
                let mut obj = query::JsonEvent::new(&e);
                if args.mentions {
                    obj = obj.with_mentions(&mentions);
                }
                serde_json::to_writer(&mut out, &obj)
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    .map_err(|e| dyad_store::StoreError::Invalid(format!("cannot write to standard output: {e}")))
            })?;
            out.flush().map_err(write_err)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `dyad stats`.
pub fn stats(args: &StatsArgs) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let stats = stats::stats(&store, &args.filter.filter(None), args.top)?;
    match args.format {
        StatsFormat::Table => print!("{stats}"),
        StatsFormat::Json => println!("{}", serde_json::to_string_pretty(&stats).context("cannot print the statistics")?),
    }
    Ok(ExitCode::SUCCESS)
}

/// `dyad export`.
pub fn export(args: &ExportArgs) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let level = if args.mentions { Level::Mentions } else { Level::Events };
    let filter = args.filter.filter(args.limit);
    let summary = match &args.out {
        None => {
            if args.format == Format::Parquet && std::io::stdout().is_terminal() {
                anyhow::bail!("Parquet is binary: give --out FILE.parquet (or pipe standard output)");
            }
            export::export(&store, &filter, args.format, level, std::io::stdout(), Path::new("<stdout>"))?
        }
        Some(path) => {
            // Written beside the target and renamed when complete: an export that
            // fails leaves any earlier file at PATH as it was.
            let partial = partial_path(path);
            let file = std::fs::File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
            match export::export(&store, &filter, args.format, level, file, path) {
                Ok(s) => {
                    std::fs::rename(&partial, path).with_context(|| format!("cannot move {} to {}", partial.display(), path.display()))?;
                    s
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e.into());
                }
            }
        }
    };
    let rows = if args.mentions { "mention(s)" } else { "event(s)" };
    let left_out = if summary.left_out > 0 {
        format!("; left out {} event(s) whose CAMEO code has no PLOVER type", summary.left_out)
    } else {
        String::new()
    };
    let to = args.out.as_ref().map(|p| format!(" to {}", p.display())).unwrap_or_default();
    eprintln!("dyad: exported {} {rows}{to}{left_out}", summary.rows);
    Ok(ExitCode::SUCCESS)
}

/// `out.parquet` -> `.out.parquet.partial`, in the same directory.
fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    path.with_file_name(format!(".{name}.partial"))
}
