//! The `dyad` command: a thin layer over the `dyad` library that parses arguments,
//! reads inputs, writes JSONL and reports what it skipped. All coding logic lives
//! in the library.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use dyad::document::{self, ReadOptions};
use dyad::status::Status;
use dyad::{Coder, Lexicon};

mod store;

// Coding allocates many small, short-lived strings and vectors per sentence;
// mimalloc serves them several times faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    fn keeps(&self, e: &dyad::Event) -> bool {
        let status_ok = self.status.is_empty() || Status::parse(&e.status).is_some_and(|s| self.status.contains(&s));
        // Dates in the record are ISO strings, which order as dates.
        let since_ok = self.since.is_none_or(|d| e.date.end.as_str() >= d.to_string().as_str());
        let until_ok = self.until.is_none_or(|d| e.date.start.as_str() <= d.to_string().as_str());
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
    // Unusable arguments exit 1 (clap's default is 2); help and version exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(1) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Code { inputs, published, doc_id, out, filter, lexicon } => {
            code(&inputs, published, doc_id, out.as_deref(), &filter, &lexicon)
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

fn code(
    inputs: &[PathBuf],
    published: Option<jiff::civil::Date>,
    doc_id: Option<String>,
    out: Option<&Path>,
    filter: &FilterArgs,
    lex: &LexiconArgs,
) -> Result<ExitCode> {
    if doc_id.is_some() && inputs.len() > 1 {
        anyhow::bail!("--doc-id names one document: give a single input file");
    }
    let lexicon = lex.load()?;
    let coder = Coder::new(&lexicon).with_partial(lex.partial);
    let sink: Box<dyn Write> = match out {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("cannot create --out {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut sink = BufWriter::new(sink);
    let opts = ReadOptions { published, doc_id };
    let (mut docs, mut events) = (0usize, 0usize);
    let mut skipped = Vec::new();
    for input in inputs {
        let documents = match document::read_input(input, &opts) {
            Ok(d) => d,
            Err(s) => {
                eprintln!("dyad: skipped {s}");
                skipped.push(s);
                continue;
            }
        };
        for doc in documents {
            match doc {
                Ok(doc) => {
                    docs += 1;
                    for e in coder.code(&doc).into_iter().filter(|e| filter.keeps(e)) {
                        serde_json::to_writer(&mut sink, &e).context("cannot write an event")?;
                        sink.write_all(b"\n").context("cannot write an event")?;
                        events += 1;
                    }
                }
                Err(s) => {
                    eprintln!("dyad: skipped {s}");
                    skipped.push(s);
                }
            }
        }
    }
    sink.flush().context("cannot write events")?;
    eprintln!("dyad: coded {docs} document(s), {events} event(s); skipped {}", skipped.len());
    Ok(if docs == 0 && !skipped.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
