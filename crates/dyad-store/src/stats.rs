//! What is in the store, counted: totals, and events by CAMEO root code, by month
//! of the event date, and by dyad (source code, target code). The same
//! [`Filter`] as `query` narrows the events counted; totals of documents and
//! sentences are the whole store's.

use std::fmt;

use rusqlite::params_from_iter;
use serde::Serialize;

use crate::query::Filter;
use crate::schema::Store;
use crate::Result;

/// One line of a breakdown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Count {
    /// The root code, the month (YYYY-MM) or the dyad ("JPNGOV -> USAELI").
    pub key: String,
    /// The root's label (empty for months and dyads).
    pub label: String,
    pub events: i64,
    pub mentions: i64,
}

/// The counts `dyad stats` prints.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub documents: i64,
    pub sentences: i64,
    /// Mentions of the selected events.
    pub mentions: i64,
    /// Selected events.
    pub events: i64,
    pub actors: i64,
    pub by_root: Vec<Count>,
    pub by_month: Vec<Count>,
    /// The `top` dyads by events.
    pub by_dyad: Vec<Count>,
}

/// Counts the store's events selected by `filter` (its `limit` is ignored);
/// `top` dyads at most.
pub fn stats(store: &Store, filter: &Filter, top: usize) -> Result<Stats> {
    filter.validate()?;
    let (cond, params) = filter.sql();
    let conn = &store.conn;
    let err = |e| store.err("cannot count", e);
    let (documents, sentences): (i64, i64) =
        conn.query_row("SELECT COUNT(*), IFNULL(SUM(sentences), 0) FROM documents", [], |r| Ok((r.get(0)?, r.get(1)?))).map_err(err)?;
    let actors: i64 = conn.query_row("SELECT COUNT(*) FROM actors", [], |r| r.get(0)).map_err(err)?;
    let (events, mentions): (i64, i64) = conn
        .query_row(
            &format!("SELECT COUNT(*), IFNULL(SUM(e.num_mentions), 0) FROM events e WHERE {cond}"),
            params_from_iter(params.iter()),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(err)?;
    let breakdown = |key: &str, order: &str, limit: Option<usize>| -> Result<Vec<Count>> {
        let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
        let sql =
            format!("SELECT {key} AS k, COUNT(*) AS n, SUM(e.num_mentions) FROM events e WHERE {cond} GROUP BY k ORDER BY {order}{limit}");
        let mut stmt = conn.prepare(&sql).map_err(err)?;
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                Ok(Count { key: r.get(0)?, label: String::new(), events: r.get(1)?, mentions: r.get(2)? })
            })
            .map_err(err)?;
        rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err)
    };
    let mut by_root = breakdown("e.root", "k", None)?;
    let book = dyad::codebook::Codebook::builtin();
    for c in &mut by_root {
        c.label = book.get(&c.key).map(|i| i.label.clone()).unwrap_or_default();
    }
    let by_month = breakdown("substr(e.date_start, 1, 7)", "k", None)?;
    let mut by_dyad = breakdown(
        "(CASE e.source_code WHEN '' THEN '-' ELSE e.source_code END) || ' -> ' || (CASE e.target_code WHEN '' THEN '-' ELSE e.target_code END)",
        "n DESC, k",
        Some(top),
    )?;
    by_dyad.truncate(top);
    Ok(Stats { documents, sentences, mentions, events, actors, by_root, by_month, by_dyad })
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} documents, {} sentences, {} actors; {} events from {} mentions",
            self.documents, self.sentences, self.actors, self.events, self.mentions
        )?;
        let section = |f: &mut fmt::Formatter<'_>, title: &str, rows: &[Count], with_label: bool| -> fmt::Result {
            writeln!(f, "\n{title}")?;
            let kw = rows.iter().map(|c| c.key.chars().count()).max().unwrap_or(0).max(5);
            writeln!(f, "  {:<kw$}  {:>8}  {:>8}{}", "", "events", "mentions", if with_label { "  label" } else { "" })?;
            for c in rows {
                let label = if with_label { format!("  {}", c.label) } else { String::new() };
                writeln!(f, "  {:<kw$}  {:>8}  {:>8}{label}", c.key, c.events, c.mentions)?;
            }
            Ok(())
        };
        section(f, "by root code", &self.by_root, true)?;
        section(f, "by month (event date)", &self.by_month, false)?;
        section(f, &format!("top {} dyads", self.by_dyad.len()), &self.by_dyad, false)
    }
}
