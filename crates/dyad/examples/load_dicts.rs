//! Load TABARI/PETRARCH dictionaries and report what they added, how long it took
//! and the peak memory: a tool for dictionary work and for the load-time budget.
//!
//! Usage: `cargo run --release --example load_dicts [-v] [-b] [FILES...]`; without
//! files, the Phoenix set in `../shared/reference/petrarch-dictionaries`. `-v`
//! prints every warning; `-b` adds the dictionaries to the built-in lexicon
//! instead of an empty one.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use dyad::Lexicon;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut verbose, mut builtin) = (false, false);
    let mut paths: Vec<PathBuf> = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "-v" => verbose = true,
            "-b" => builtin = true,
            _ => paths.push(a.into()),
        }
    }
    if paths.is_empty() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/petrarch-dictionaries");
        for f in dyad::dict::PHOENIX {
            paths.push(dir.join(f));
        }
    }
    let mut out = std::io::stdout().lock();
    let t = Instant::now();
    let mut lex = if builtin { Lexicon::builtin()? } else { Lexicon::from_texts(std::iter::empty())? };
    let base = t.elapsed();
    let result = lex.add_dictionaries(&paths);
    let elapsed = t.elapsed();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    match &result {
        Ok(stats) => {
            writeln!(
                out,
                "loaded in {:.1} ms ({:.1} ms of it the base lexicon): {} actor phrases, {} agent phrases, {} verb patterns, {} discards, {} warnings",
                ms(elapsed),
                ms(base),
                stats.actors,
                stats.agents,
                stats.verb_patterns,
                stats.discards,
                stats.warnings.len()
            )?;
            let shown = if verbose { stats.warnings.len() } else { 10 };
            for w in stats.warnings.iter().take(shown) {
                writeln!(out, "  {w}")?;
            }
        }
        Err(errors) => {
            writeln!(out, "loaded in {:.1} ms with {} errors:", ms(elapsed), errors.len())?;
            for e in errors {
                writeln!(out, "  {e}")?;
            }
        }
    }
    writeln!(
        out,
        "lexicon: {} patterns, {} people and dated actors, {} organisations, {} countries",
        lex.patterns.len(),
        lex.people.len(),
        lex.organisations.len(),
        lex.countries.len()
    )?;
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for l in status.lines().filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS")) {
            writeln!(out, "{l}")?;
        }
    }
    if result.is_err() {
        std::process::exit(1);
    }
    Ok(())
}
