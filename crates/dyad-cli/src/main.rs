//! The `dyad` command: a thin layer over the `dyad` library that parses arguments,
//! reads inputs, writes JSONL and reports what it skipped. All coding logic lives
//! in the library.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use dyad::document::{self, ReadOptions, Skipped};
use dyad::status::Status;
use dyad::{Coder, Document, Event, Lexicon};

mod store;

// mimalloc, as the benchmark's floor runs too (see `dyad_alloc`).
#[global_allocator]
static GLOBAL: dyad_alloc::Mimalloc = dyad_alloc::Mimalloc;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Code news text into CAMEO political events (who did what to whom, when, where), with the evidence for every field"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code articles into events: one JSON object per line.
    Code {
        /// Input files: .txt, .jsonl ({id, text, published, url?, title?} a line) or
        /// .html; "-" reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Publication date of .txt/.html inputs (YYYY-MM-DD): anchors relative dates.
        #[arg(long, value_parser = parse_date)]
        published: Option<jiff::civil::Date>,
        /// Document id for a single .txt input (default: the file stem).
        #[arg(long)]
        doc_id: Option<String>,
        /// Write events here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Coding threads (default: one per core). The output is the same, in
        /// input order, whatever the number.
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        lexicon: LexiconArgs,
    },
    /// Run a validation suite: PETRARCH's unit-test XML or TABARI's Validate.text,
    /// with the dictionaries the suite names; prints each record, then
    /// "passed N of M".
    Validate {
        /// The suite file (PETRARCH .xml, TABARI .text or .project).
        file: PathBuf,
        /// Print only the failures and the total.
        #[arg(long)]
        failures: bool,
    },
    /// Work with TABARI/PETRARCH dictionaries.
    Dict {
        #[command(subcommand)]
        command: DictCommand,
    },
    /// Code documents and store their events in a database (SQLite), deduplicated.
    Ingest(store::IngestArgs),
    /// Print stored events, filtered, as a table, CSV or JSONL.
    Query(store::QueryArgs),
    /// Count stored events by root code, month and dyad.
    Stats(store::StatsArgs),
    /// Write stored events as a dataset: GDELT 2.0, PLOVER, Parquet, CSV or JSONL.
    Export(store::ExportArgs),
    /// Score the coder against a directory of hand-coded gold events.
    Eval {
        /// Directory with NN.txt, NN.meta.json and NN.gold.json files.
        #[arg(long)]
        gold: PathBuf,
        /// Also print every coded event, marked right (+) or wrong (-).
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        lexicon: LexiconArgs,
    },
}

#[derive(Subcommand)]
enum DictCommand {
    /// Report every syntax error in the dictionaries, with file:line.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Which events to keep.
#[derive(clap::Args)]
struct FilterArgs {
    /// Keep only events of these statuses (asserted, planned, hypothetical,
    /// negated); repeat the flag or separate with commas.
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
    status: Vec<Status>,
    /// Keep only events whose date interval reaches this day or later (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    since: Option<jiff::civil::Date>,
    /// Keep only events whose date interval begins on this day or earlier.
    #[arg(long, value_parser = parse_date)]
    until: Option<jiff::civil::Date>,
}

impl FilterArgs {
    /// The filter in the form it is applied in, once per event.
    fn compile(&self) -> Keep {
        Keep { status: self.status.clone(), since: self.since.map(|d| d.to_string()), until: self.until.map(|d| d.to_string()) }
    }
}

/// [`FilterArgs`] ready to apply: the dates as the ISO strings records carry.
struct Keep {
    status: Vec<Status>,
    since: Option<String>,
    until: Option<String>,
}

impl Keep {
    fn keeps(&self, e: &Event) -> bool {
        let status_ok = self.status.is_empty() || Status::parse(&e.status).is_some_and(|s| self.status.contains(&s));
        // Dates in the record are ISO strings, which order as dates.
        let since_ok = self.since.as_deref().is_none_or(|d| e.date.end.as_str() >= d);
        let until_ok = self.until.as_deref().is_none_or(|d| e.date.start.as_str() <= d);
        status_ok && since_ok && until_ok
    }
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| format!("'{s}' is not a status: use asserted, planned, hypothetical or negated"))
}

#[derive(clap::Args)]
struct LexiconArgs {
    /// Read lexicons from this directory (laid out like data/) instead of the
    /// built-in ones.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// TABARI/PETRARCH dictionaries (verbs, actors, agents, discards) to merge
    /// into the lexicon; repeat for several files.
    #[arg(long = "dict", value_name = "PATH")]
    dicts: Vec<PathBuf>,
    /// Use only the --dict dictionaries, not the built-in lexicons.
    #[arg(long, requires = "dicts")]
    dict_only: bool,
    /// Also emit events with only a source or only a target.
    #[arg(long)]
    partial: bool,
}

impl LexiconArgs {
    fn load(&self) -> Result<Lexicon> {
        if self.dict_only {
            return Lexicon::from_dictionaries(&self.dicts).map_err(dict_errors);
        }
        let mut lex = match &self.lexicon {
            Some(dir) => Lexicon::from_dir(dir).with_context(|| format!("cannot load the lexicon in {}", dir.display()))?,
            None => Lexicon::builtin().context("the built-in lexicon is broken (a bug: please report it)")?,
        };
        if !self.dicts.is_empty() {
            lex.add_dictionaries(&self.dicts).map_err(dict_errors)?;
        }
        Ok(lex)
    }
}

/// All the errors of a dictionary load, one a line.
fn dict_errors(errors: Vec<dyad::LexiconError>) -> anyhow::Error {
    let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    anyhow::anyhow!("{} error(s) in the dictionaries:\n{}", errors.len(), lines.join("\n"))
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    document::parse_date(s)
}

fn main() -> ExitCode {
    dyad_alloc::no_huge_pages();
    // Unusable arguments exit 1 (clap's default is 2); help and version exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(1) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Code { inputs, published, doc_id, out, jobs: n, filter, lexicon } => {
            code(&inputs, published, doc_id, out.as_deref(), jobs(n), &filter, &lexicon)
        }
        Command::Eval { gold, verbose, lexicon } => eval(&gold, verbose, &lexicon),
        Command::Validate { file, failures } => validate(&file, failures),
        Command::Ingest(args) => store::ingest(&args),
        Command::Query(args) => store::query(&args),
        Command::Stats(args) => store::stats(&args),
        Command::Export(args) => store::export(&args),
        Command::Dict { command: DictCommand::Check { paths } } => dict_check(&paths),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// The number of coding threads for `--jobs`: as asked (0 counts as 1), else
/// one per core.
pub(crate) fn jobs(requested: Option<usize>) -> usize {
    requested.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1)
}

/// `dyad code`: every input's documents coded, their events written as JSONL in
/// input order.
///
/// The documents are read in chunks (at most [`CHUNK_DOCS`] documents or
/// [`CHUNK_BYTES`] of text), each coded as one batch. With `jobs` = 1, this
/// thread reads, codes and writes one chunk at a time. With more, it hands the
/// chunks to `jobs` coding threads, which also format the events as JSONL, and
/// writes the chunks back in input order as they come in (the approach of `dyad
/// ingest`). At most [`CHUNKS_PER_JOB`] chunks a thread are read and not yet
/// written, so a JSONL input of any size streams in bounded memory. The output is
/// byte for byte the same either way.
fn code(
    inputs: &[PathBuf],
    published: Option<jiff::civil::Date>,
    doc_id: Option<String>,
    out: Option<&Path>,
    jobs: usize,
    filter: &FilterArgs,
    lex: &LexiconArgs,
) -> Result<ExitCode> {
    if doc_id.is_some() && inputs.len() > 1 {
        anyhow::bail!("--doc-id names one document: give a single input file");
    }
    let lexicon = lex.load()?;
    let coder = Coder::new(&lexicon).with_partial(lex.partial);
    let keep = filter.compile();
    let sink: Box<dyn Write> = match out {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("cannot create --out {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = Output { sink: BufWriter::with_capacity(256 << 10, sink), docs: 0, events: 0, skipped: 0 };
    let opts = ReadOptions { published, doc_id };
    let mut items = inputs.iter().flat_map(|path| {
        let (docs, skipped) = match document::read_input(path, &opts) {
            Ok(docs) => (Some(docs), None),
            Err(s) => (None, Some(Err(s))),
        };
        skipped.into_iter().chain(docs.into_iter().flatten())
    });
    if jobs <= 1 {
        let mut chunk = Chunk::default();
        loop {
            chunk.fill(&mut items);
            if chunk.items.is_empty() {
                break;
            }
            chunk.code(&coder, &keep);
            chunk.write(&mut out)?;
        }
    } else {
        code_parallel(&coder, &keep, &mut items, jobs, &mut out)?;
    }
    out.sink.flush().context("cannot write events")?;
    // The process ends soon: freeing the lexicon's many small allocations one by
    // one takes longer than the system takes to reclaim them all at exit.
    std::mem::forget(lexicon);
    eprintln!("dyad: coded {} document(s), {} event(s); skipped {}", out.docs, out.events, out.skipped);
    Ok(if out.docs == 0 && out.skipped > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A chunk, the coding threads' unit of work, holds at most this many documents
/// (coded stage by stage as one batch: 256 was faster than 64, 128, 512 and
/// 1024, docs/performance-log.md, ninth round)...
const CHUNK_DOCS: usize = 256;
/// ...and takes no more once it holds this much text.
const CHUNK_BYTES: usize = 1 << 20;
/// Chunks in flight (read and not yet written) per coding thread.
const CHUNKS_PER_JOB: usize = 4;

/// One input: a document, or why there is none.
type Item = std::result::Result<Document, Skipped>;

/// Where the events go, and what has gone there.
struct Output<W: Write> {
    sink: W,
    docs: usize,
    events: usize,
    skipped: usize,
}

impl<W: Write> Output<W> {
    /// A coded document, with `events` events.
    fn coded(&mut self, events: usize) {
        self.docs += 1;
        self.events += events;
    }

    fn skip(&mut self, s: &Skipped) {
        eprintln!("dyad: skipped {s}");
        self.skipped += 1;
    }
}

/// Codes one document and appends the events `keep` keeps to `buf`, one JSON
/// object a line; returns how many. A document the coder panics on is skipped
/// (and reported) like a bad input, as `dyad ingest` does.
fn code_into(coder: &Coder, keep: &Keep, doc: &Document, buf: &mut Vec<u8>) -> std::result::Result<usize, Skipped> {
    let events = catch_unwind(AssertUnwindSafe(|| coder.code(doc))).map_err(|_| {
        Skipped::new(format!("document '{}'", doc.id), "the coder failed on it (a bug in dyad: please report it with the document)")
    })?;
    Ok(write_events(&events, keep, buf))
}

/// Appends the events `keep` keeps to `buf`, one JSON object a line; returns how
/// many.
fn write_events(events: &[Event], keep: &Keep, buf: &mut Vec<u8>) -> usize {
    let mut n = 0;
    for e in events.iter().filter(|e| keep.keeps(e)) {
        e.write_json(buf);
        buf.push(b'\n');
        n += 1;
    }
    n
}

/// Consecutive inputs, coded by one thread. Its buffers are reused from chunk
/// to chunk.
#[derive(Default)]
struct Chunk {
    /// Its place in the input.
    seq: usize,
    /// The inputs, taken by the coding thread.
    items: Vec<Item>,
    /// The coded documents' events, one JSON object a line.
    jsonl: Vec<u8>,
    /// What became of each input, in order: how many events it has, or why
    /// it was skipped.
    done: Vec<std::result::Result<usize, Skipped>>,
    /// The coding thread failed on the chunk (a bug).
    failed: bool,
}

impl Chunk {
    /// Takes the next inputs, up to a chunk's worth.
    fn fill(&mut self, items: &mut impl Iterator<Item = Item>) {
        let mut bytes = 0;
        while self.items.len() < CHUNK_DOCS && bytes < CHUNK_BYTES {
            let Some(item) = items.next() else { break };
            bytes += item.as_ref().map_or(0, |d| d.text.len());
            self.items.push(item);
        }
    }

    /// Codes the inputs (a coding thread's work): all the chunk's documents in
    /// one batch, stage by stage ([`Coder::code_batch`]); should the coder fail
    /// on the batch, one by one, so that only the document it fails on is
    /// skipped.
    fn code(&mut self, coder: &Coder, keep: &Keep) {
        let docs: Vec<&Document> = self.items.iter().filter_map(|item| item.as_ref().ok()).collect();
        let batch = catch_unwind(AssertUnwindSafe(|| coder.code_batch(&docs)));
        let mut coded = batch.ok().map(Vec::into_iter);
        for item in self.items.drain(..) {
            let events = item.and_then(|doc| match coded.as_mut().and_then(Iterator::next) {
                Some((events, _)) => Ok(write_events(&events, keep, &mut self.jsonl)),
                None => code_into(coder, keep, &doc, &mut self.jsonl),
            });
            self.done.push(events);
        }
    }

    /// Writes what the inputs became, in order, and empties the chunk for reuse.
    /// The events go in one write: most chunks' lines are more than the
    /// output's buffer holds, and it passes those on without copying them.
    fn write<W: Write>(&mut self, out: &mut Output<W>) -> Result<()> {
        for done in self.done.drain(..) {
            match done {
                Ok(events) => out.coded(events),
                Err(s) => out.skip(&s),
            }
        }
        out.sink.write_all(&self.jsonl).context("cannot write events")?;
        self.jsonl.clear();
        Ok(())
    }
}

/// A coding thread: codes chunks until there are none left (or nobody wants
/// them).
fn work(coder: &Coder, keep: &Keep, jobs: &Mutex<Receiver<Chunk>>, done: &Sender<Chunk>) {
    loop {
        let next = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        let Ok(mut chunk) = next else { return };
        // A document the coder fails on is skipped in code_into; this is for
        // failures of anything else, so that the writer is told and stops.
        chunk.failed = catch_unwind(AssertUnwindSafe(|| chunk.code(coder, keep))).is_err();
        if done.send(chunk).is_err() {
            return;
        }
    }
}

/// `dyad code` on `jobs` threads: see [`code`].
fn code_parallel<W: Write>(
    coder: &Coder,
    keep: &Keep,
    items: &mut impl Iterator<Item = Item>,
    jobs: usize,
    out: &mut Output<W>,
) -> Result<()> {
    let window = jobs * CHUNKS_PER_JOB;
    let (job_tx, job_rx) = mpsc::sync_channel::<Chunk>(window);
    let job_rx = &Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Chunk>();
    std::thread::scope(move |scope| {
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            scope.spawn(move || work(coder, keep, job_rx, &done_tx));
        }
        drop(done_tx);
        let stopped = || anyhow::anyhow!("the coding threads stopped (a bug in dyad: please report it)");
        let result = (|| {
            // Chunks coded out of order, waiting for those before them.
            let mut pending: BTreeMap<usize, Chunk> = BTreeMap::new();
            let mut spare: Vec<Chunk> = Vec::new();
            let (mut sent, mut written, mut more) = (0, 0, true);
            loop {
                while more && sent - written < window {
                    let mut chunk = spare.pop().unwrap_or_default();
                    chunk.fill(items);
                    if chunk.items.is_empty() {
                        more = false;
                        break;
                    }
                    chunk.seq = sent;
                    job_tx.send(chunk).map_err(|_| stopped())?;
                    sent += 1;
                }
                if written == sent {
                    return Ok(());
                }
                let chunk = done_rx.recv().map_err(|_| stopped())?;
                if chunk.failed {
                    return Err(stopped());
                }
                pending.insert(chunk.seq, chunk);
                while let Some(mut chunk) = pending.remove(&written) {
                    chunk.write(out)?;
                    written += 1;
                    spare.push(chunk);
                }
            }
        })();
        // The threads finish when there is no more work, or, after an error,
        // when they find nobody to send their chunk to.
        drop(job_tx);
        drop(done_rx);
        result
    })
}

fn eval(gold: &Path, verbose: bool, lex: &LexiconArgs) -> Result<ExitCode> {
    let lexicon = lex.load()?;
    let coder = Coder::new(&lexicon).with_partial(lex.partial);
    let docs = dyad::eval::load_gold(gold).map_err(anyhow::Error::msg)?;
    let (events, report) = dyad::eval::evaluate(&docs, &coder);
    if verbose {
        for d in &docs {
            for e in events.iter().filter(|e| e.doc == d.document.id) {
                let right = d.events.iter().any(|g| dyad::eval::matches_root(g, e));
                let side = |a: &Option<dyad::record::ActorRecord>| {
                    a.as_ref().map(|a| format!("{}({})", a.code, a.text)).unwrap_or_else(|| "-".into())
                };
                println!(
                    "{} {} {} {} -> {} [{}] {}",
                    if right { "+" } else { "-" },
                    e.id,
                    e.code,
                    side(&e.source),
                    side(&e.target),
                    e.trigger.text,
                    e.rule
                );
            }
        }
    }
    if verbose {
        for m in &report.misdated {
            println!("{m}");
        }
    }
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn validate(file: &Path, failures_only: bool) -> Result<ExitCode> {
    let suite = dyad::validate::load(file).map_err(anyhow::Error::msg)?;
    let lexicon = Lexicon::from_dictionaries(&suite.dictionaries).map_err(dict_errors)?;
    let report = dyad::validate::run(&suite, &lexicon);
    let text = report.to_string();
    for line in text.lines() {
        if !failures_only || !line.starts_with("pass ") {
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn dict_check(paths: &[PathBuf]) -> Result<ExitCode> {
    let errors = dyad::dict::check(paths);
    for e in &errors {
        println!("{e}");
    }
    eprintln!("dyad: checked {} file(s): {} error(s)", paths.len(), errors.len());
    Ok(if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
