//! Asking the store for events: filters, the rows they select, and how rows are
//! printed (an aligned table for people, CSV, JSONL).
//!
//! A [`Filter`] selects events (deduplicated, see [`crate::dedup`]); every event
//! comes back as a [`StoredEvent`]: its representative record (as `dyad code`
//! prints it, dated with the event's interval), its counts and its document.
//! [`for_each`] streams them, so an export of millions of events does not hold
//! them in memory. [`COLUMNS`] is the flat form of a stored event that CSV and
//! Parquet share; [`JsonEvent`] the nested one that JSONL uses.
//!
//! Filters combine with AND; the values of one repeated filter with OR.

use std::io::Write;

use rusqlite::types::Value as SqlValue;
use serde::Serialize;

use dyad::Event;

use crate::schema::Store;
use crate::{Result, StoreError};

/// Which events to select. Empty fields select everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Source actor code prefixes: "JPN" selects JPNGOV, JPNELI, ...
    pub source: Vec<String>,
    /// Target actor code prefixes.
    pub target: Vec<String>,
    /// Source actor countries (ISO 3166-1 alpha-3).
    pub source_country: Vec<String>,
    /// Target actor countries.
    pub target_country: Vec<String>,
    /// Either side's actor code prefix.
    pub actor: Vec<String>,
    /// CAMEO event code prefixes: "04" selects every consultation, "041" calls.
    pub code: Vec<String>,
    /// GDELT quad classes, 1-4.
    pub quad_class: Vec<u8>,
    /// asserted, planned, hypothetical, negated.
    pub status: Vec<String>,
    /// Events whose date interval reaches this day or later (YYYY-MM-DD).
    pub since: Option<String>,
    /// Events whose date interval begins on this day or earlier.
    pub until: Option<String>,
    /// Words that must all occur in one sentence telling the event
    /// (case-insensitive, within words: "call" finds "called").
    pub words: Vec<String>,
    /// Events with at least this many mentions.
    pub min_mentions: Option<i64>,
    /// At most this many events.
    pub limit: Option<usize>,
}

impl Filter {
    /// The SQL condition on `events e` and its parameters.
    pub(crate) fn sql(&self) -> (String, Vec<SqlValue>) {
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        let text = |s: &str| SqlValue::Text(s.to_string());
        let any_of = |conds: &mut Vec<String>, params: &mut Vec<SqlValue>, values: &[String], one: &dyn Fn(usize) -> String| {
            if values.is_empty() {
                return;
            }
            let parts: Vec<String> = values
                .iter()
                .map(|v| {
                    params.push(text(v));
                    one(params.len())
                })
                .collect();
            conds.push(format!("({})", parts.join(" OR ")));
        };
        let prefix = |col: &'static str| move |i: usize| format!("substr({col}, 1, length(?{i})) = ?{i}");
        let upper = |v: &[String]| v.iter().map(|s| s.trim().to_ascii_uppercase()).collect::<Vec<_>>();
        any_of(&mut conds, &mut params, &upper(&self.source), &prefix("e.source_code"));
        any_of(&mut conds, &mut params, &upper(&self.target), &prefix("e.target_code"));
        any_of(&mut conds, &mut params, &upper(&self.source_country), &|i| format!("e.source_country = ?{i}"));
        any_of(&mut conds, &mut params, &upper(&self.target_country), &|i| format!("e.target_country = ?{i}"));
        any_of(&mut conds, &mut params, &upper(&self.actor), &|i| {
            format!("(substr(e.source_code, 1, length(?{i})) = ?{i} OR substr(e.target_code, 1, length(?{i})) = ?{i})")
        });
        let codes: Vec<String> = self.code.iter().map(|c| c.trim().to_string()).collect();
        any_of(&mut conds, &mut params, &codes, &prefix("e.code"));
        let statuses: Vec<String> = self.status.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
        any_of(&mut conds, &mut params, &statuses, &|i| format!("e.status = ?{i}"));
        if !self.quad_class.is_empty() {
            let list: Vec<String> = self.quad_class.iter().map(|q| q.to_string()).collect();
            conds.push(format!("e.quad_class IN ({})", list.join(", ")));
        }
        if let Some(since) = &self.since {
            params.push(text(since));
            conds.push(format!("e.date_end >= ?{}", params.len()));
        }
        if let Some(until) = &self.until {
            params.push(text(until));
            conds.push(format!("e.date_start <= ?{}", params.len()));
        }
        if let Some(n) = self.min_mentions {
            params.push(SqlValue::Integer(n));
            conds.push(format!("e.num_mentions >= ?{}", params.len()));
        }
        if !self.words.is_empty() {
            let likes: Vec<String> = self
                .words
                .iter()
                .map(|w| {
                    let escaped = w.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                    params.push(SqlValue::Text(format!("%{escaped}%")));
                    format!("json_extract(w.record, '$.sentence_text') LIKE ?{} ESCAPE '\\'", params.len())
                })
                .collect();
            conds.push(format!("EXISTS (SELECT 1 FROM mentions w WHERE w.event_id = e.event_id AND {})", likes.join(" AND ")));
        }
        let sql = if conds.is_empty() { "1".to_string() } else { conds.join(" AND ") };
        (sql, params)
    }

    /// Checks values that SQL would silently match nothing with.
    pub fn validate(&self) -> Result<()> {
        for q in &self.quad_class {
            if !(1..=4).contains(q) {
                return Err(StoreError::Invalid(format!("quad class {q} does not exist: use 1, 2, 3 or 4")));
            }
        }
        for c in &self.code {
            if c.trim().is_empty() || !c.trim().bytes().all(|b| b.is_ascii_digit()) {
                return Err(StoreError::Invalid(format!("event code '{c}' is not a CAMEO code prefix (digits, e.g. 04 or 041)")));
            }
        }
        for s in &self.status {
            if !["asserted", "planned", "hypothetical", "negated"].contains(&s.trim().to_ascii_lowercase().as_str()) {
                return Err(StoreError::Invalid(format!("'{s}' is not a status: use asserted, planned, hypothetical or negated")));
            }
        }
        for d in self.since.iter().chain(&self.until) {
            dyad::document::parse_date(d).map_err(StoreError::Invalid)?;
        }
        Ok(())
    }
}

/// The document a record came from.
#[derive(Clone, Debug, PartialEq)]
pub struct DocInfo {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: String,
    pub published: String,
}

/// One event as the store holds it (or, at mention level, one of its mentions).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub event_id: i64,
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
    /// Told in the first sentence of some article.
    pub is_root: bool,
    /// UTC time its first mention was stored.
    pub first_added: String,
    /// The record: the representative mention's, with `date.start`/`date.end` the
    /// event's interval (at mention level: the mention's own record, unchanged).
    pub record: Event,
    /// The record's document.
    pub doc: DocInfo,
}

/// Events one row each, or every mention one row each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Level {
    #[default]
    Events,
    Mentions,
}

/// Calls `f` with each selected event (or mention), ordered by date then id.
pub fn for_each(store: &Store, filter: &Filter, level: Level, mut f: impl FnMut(StoredEvent) -> Result<()>) -> Result<usize> {
    filter.validate()?;
    let (cond, mut params) = filter.sql();
    let join = match level {
        Level::Events => "JOIN mentions m ON m.mention_id = e.rep_mention",
        Level::Mentions => "JOIN mentions m ON m.event_id = e.event_id",
    };
    let order = match level {
        Level::Events => "e.date_start, e.event_id",
        Level::Mentions => "e.date_start, e.event_id, m.mention_id",
    };
    let limit = match filter.limit {
        Some(n) => {
            params.push(SqlValue::Integer(n as i64));
            format!(" LIMIT ?{}", params.len())
        }
        None => String::new(),
    };
    let sql = format!(
        "SELECT e.event_id, e.date_start, e.date_end, e.num_mentions, e.num_sources, e.num_articles, e.is_root, e.first_added, \
         m.record, d.id, d.url, d.title, d.outlet, d.published \
         FROM events e {join} JOIN documents d ON d.doc_key = m.doc_key WHERE {cond} ORDER BY {order}{limit}"
    );
    let mut stmt = store.conn.prepare(&sql).map_err(|e| store.err("cannot query the events", e))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params)).map_err(|e| store.err("cannot query the events", e))?;
    let mut n = 0;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => return Err(store.err("cannot read the events", e)),
        };
        let read = |row: &rusqlite::Row| -> rusqlite::Result<_> {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                [row.get::<_, i64>(3)?, row.get::<_, i64>(4)?, row.get::<_, i64>(5)?],
                row.get::<_, bool>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
                DocInfo { id: row.get(9)?, url: row.get(10)?, title: row.get(11)?, outlet: row.get(12)?, published: row.get(13)? },
            ))
        };
        let (event_id, start, end, [num_mentions, num_sources, num_articles], is_root, first_added, json, doc) =
            read(row).map_err(|e| store.err("cannot read the events", e))?;
        let mut record: Event = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
            path: store.path().to_path_buf(),
            message: format!("event {event_id}: the stored record is not a dyad event record: {e}"),
        })?;
        if level == Level::Events {
            record.date.start = start.into();
            record.date.end = end.into();
        }
        f(StoredEvent { event_id, num_mentions, num_sources, num_articles, is_root, first_added, record, doc })?;
        n += 1;
    }
    Ok(n)
}

/// The selected events, collected.
pub fn events(store: &Store, filter: &Filter) -> Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    for_each(store, filter, Level::Events, |e| {
        out.push(e);
        Ok(())
    })?;
    Ok(out)
}

/// Every mention of one event, in the order they were stored.
pub fn mentions_of(store: &Store, event_id: i64) -> Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    let mut stmt = store
        .conn
        .prepare_cached(
            "SELECT e.event_id, e.num_mentions, e.num_sources, e.num_articles, e.is_root, e.first_added, m.record, \
             d.id, d.url, d.title, d.outlet, d.published FROM mentions m JOIN events e ON e.event_id = m.event_id \
             JOIN documents d ON d.doc_key = m.doc_key WHERE m.event_id = ?1 ORDER BY m.mention_id",
        )
        .map_err(|e| store.err("cannot query the mentions", e))?;
    let rows = stmt
        .query_map([event_id], |r| {
            Ok((
                [r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?],
                r.get::<_, bool>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                DocInfo { id: r.get(7)?, url: r.get(8)?, title: r.get(9)?, outlet: r.get(10)?, published: r.get(11)? },
            ))
        })
        .map_err(|e| store.err("cannot query the mentions", e))?;
    for row in rows {
        let ([id, nm, ns, na], is_root, first_added, json, doc) = row.map_err(|e| store.err("cannot read the mentions", e))?;
        let record: Event = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
            path: store.path().to_path_buf(),
            message: format!("event {id}: a stored record is not a dyad event record: {e}"),
        })?;
        out.push(StoredEvent { event_id: id, num_mentions: nm, num_sources: ns, num_articles: na, is_root, first_added, record, doc });
    }
    Ok(out)
}

/// A cell of the flat form.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    /// A `YYYY-MM-DD` date (Parquet writes it as a DATE).
    Date(String),
}

impl Value {
    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn opt(s: Option<&str>) -> Value {
        s.map_or(Value::Null, Value::text)
    }

    /// As a CSV cell (before quoting): empty for null.
    pub fn to_cell(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
            Value::Text(s) | Value::Date(s) => s.clone(),
        }
    }
}

/// The type of a flat column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Float,
    Bool,
    Text,
    Date,
}

/// One column of the flat form: name, type, meaning.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

const fn col(name: &'static str, kind: Kind, doc: &'static str) -> Column {
    Column { name, kind, doc }
}

/// The flat columns of a stored event (CSV header, Parquet schema), in order: the
/// event record's fields (`source.code` becomes `source_code`, spans split into
/// `_start`/`_end`), then the event's counts, then its document.
pub const COLUMNS: &[Column] = &[
    col("event_id", Kind::Int, "the event's id in the store"),
    col("date_start", Kind::Date, "first day of the event's date interval"),
    col("date_end", Kind::Date, "last day of the event's date interval"),
    col("date_grain", Kind::Text, "day, week, month or year"),
    col("date_basis", Kind::Text, "explicit, relative, anchored or publication"),
    col("date_text", Kind::Text, "the words the date was read from"),
    col("source_code", Kind::Text, "CAMEO actor code of the source"),
    col("source_name", Kind::Text, "canonical name of the source"),
    col("source_country", Kind::Text, "ISO 3166-1 alpha-3 of the source"),
    col("source_role", Kind::Text, "CAMEO role (agent) of the source"),
    col("source_text", Kind::Text, "the words naming the source"),
    col("source_start", Kind::Int, "byte offset of the source mention in the document"),
    col("source_end", Kind::Int, "end byte offset of the source mention"),
    col("source_implied_by", Kind::Text, "lexicon line that implied an unnamed source"),
    col("target_code", Kind::Text, "CAMEO actor code of the target"),
    col("target_name", Kind::Text, "canonical name of the target"),
    col("target_country", Kind::Text, "ISO 3166-1 alpha-3 of the target"),
    col("target_role", Kind::Text, "CAMEO role (agent) of the target"),
    col("target_text", Kind::Text, "the words naming the target"),
    col("target_start", Kind::Int, "byte offset of the target mention"),
    col("target_end", Kind::Int, "end byte offset of the target mention"),
    col("target_implied_by", Kind::Text, "lexicon line that implied an unnamed target"),
    col("code", Kind::Text, "CAMEO event code"),
    col("root", Kind::Text, "CAMEO root code (first two digits)"),
    col("label", Kind::Text, "CAMEO label of the code"),
    col("quad_class", Kind::Int, "GDELT quad class 1-4"),
    col("goldstein", Kind::Float, "Goldstein scale value"),
    col("status", Kind::Text, "asserted, planned, hypothetical or negated"),
    col("location_name", Kind::Text, "where the event happened"),
    col("location_country", Kind::Text, "ISO 3166-1 alpha-3 of the location"),
    col("location_lat", Kind::Float, "latitude"),
    col("location_lon", Kind::Float, "longitude"),
    col("trigger_text", Kind::Text, "the words that triggered the code"),
    col("trigger_start", Kind::Int, "byte offset of the trigger"),
    col("trigger_end", Kind::Int, "end byte offset of the trigger"),
    col("rule", Kind::Text, "file:line of the lexicon entry that decided the code"),
    col("doc", Kind::Text, "document id of the record"),
    col("sentence", Kind::Int, "sentence index in the document, from 0"),
    col("id", Kind::Text, "record id, doc:sentence:n"),
    col("sentence_text", Kind::Text, "the sentence"),
    col("num_mentions", Kind::Int, "mentions of the event"),
    col("num_sources", Kind::Int, "distinct outlets reporting it"),
    col("num_articles", Kind::Int, "distinct documents reporting it"),
    col("is_root", Kind::Bool, "told in the first sentence of an article"),
    col("first_added", Kind::Text, "UTC time the event was first stored"),
    col("url", Kind::Text, "url of the record's document"),
    col("title", Kind::Text, "title of the record's document"),
    col("outlet", Kind::Text, "outlet of the record's document"),
    col("published", Kind::Date, "publication date of the record's document"),
];

/// The flat form of a stored event, one value per [`COLUMNS`] entry.
pub fn values(e: &StoredEvent) -> Vec<Value> {
    let r = &e.record;
    let mut v = Vec::with_capacity(COLUMNS.len());
    v.push(Value::Int(e.event_id));
    v.push(Value::Date(r.date.start.as_str().into()));
    v.push(Value::Date(r.date.end.as_str().into()));
    v.push(Value::text(&r.date.grain));
    v.push(Value::text(&r.date.basis));
    v.push(Value::text(&r.date.text));
    for side in [&r.source, &r.target] {
        match side {
            Some(a) => {
                v.push(Value::text(&a.code));
                v.push(Value::text(&a.name));
                v.push(Value::opt(a.country.as_deref()));
                v.push(Value::opt(a.role.as_deref()));
                v.push(Value::text(&a.text));
                v.push(Value::Int(a.span[0] as i64));
                v.push(Value::Int(a.span[1] as i64));
                v.push(Value::opt(a.implied_by.as_deref()));
            }
            None => v.extend(std::iter::repeat_n(Value::Null, 8)),
        }
    }
    v.push(Value::text(&r.code));
    v.push(Value::text(&r.root));
    v.push(Value::text(&r.label));
    v.push(Value::Int(i64::from(r.quad_class)));
    v.push(Value::Float(r.goldstein));
    v.push(Value::text(&r.status));
    match &r.location {
        Some(l) => {
            v.push(Value::text(&l.name));
            v.push(Value::opt(l.country.as_deref()));
            v.push(l.lat.map_or(Value::Null, Value::Float));
            v.push(l.lon.map_or(Value::Null, Value::Float));
        }
        None => v.extend(std::iter::repeat_n(Value::Null, 4)),
    }
    v.push(Value::text(&r.trigger.text));
    v.push(Value::Int(r.trigger.span[0] as i64));
    v.push(Value::Int(r.trigger.span[1] as i64));
    v.push(Value::text(&r.rule));
    v.push(Value::text(&r.doc));
    v.push(Value::Int(r.sentence as i64));
    v.push(Value::text(&r.id));
    v.push(Value::text(&r.sentence_text));
    v.push(Value::Int(e.num_mentions));
    v.push(Value::Int(e.num_sources));
    v.push(Value::Int(e.num_articles));
    v.push(Value::Bool(e.is_root));
    v.push(Value::text(&e.first_added));
    v.push(Value::opt(e.doc.url.as_deref()));
    v.push(Value::opt(e.doc.title.as_deref()));
    v.push(Value::text(&e.doc.outlet));
    v.push(Value::Date(e.doc.published.clone()));
    debug_assert_eq!(v.len(), COLUMNS.len());
    v
}

/// The nested (JSONL) form of a stored event: the record as `dyad code` prints
/// it (fields in the same order), plus `event_id` first and the counts,
/// `is_root`, `first_added` and the document's `url`, `title`, `outlet` and
/// `published` after; `mentions` (each mention's record with its document's
/// `url`, `outlet` and `published`) when asked for.
#[derive(Clone, Debug, Serialize)]
pub struct JsonEvent<'a> {
    pub event_id: i64,
    #[serde(flatten)]
    pub record: &'a Event,
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
    pub is_root: bool,
    pub first_added: &'a str,
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub outlet: &'a str,
    pub published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<JsonMention<'a>>>,
}

/// One mention in [`JsonEvent::mentions`].
#[derive(Clone, Debug, Serialize)]
pub struct JsonMention<'a> {
    #[serde(flatten)]
    pub record: &'a Event,
    pub url: Option<&'a str>,
    pub outlet: &'a str,
    pub published: &'a str,
}

impl<'a> JsonEvent<'a> {
    /// The event without its mentions.
    pub fn new(e: &'a StoredEvent) -> JsonEvent<'a> {
        JsonEvent {
            event_id: e.event_id,
            record: &e.record,
            num_mentions: e.num_mentions,
            num_sources: e.num_sources,
            num_articles: e.num_articles,
            is_root: e.is_root,
            first_added: &e.first_added,
            url: e.doc.url.as_deref(),
            title: e.doc.title.as_deref(),
            outlet: &e.doc.outlet,
            published: &e.doc.published,
            mentions: None,
        }
    }

    /// With these mentions (from [`mentions_of`]).
    pub fn with_mentions(mut self, mentions: &'a [StoredEvent]) -> JsonEvent<'a> {
        self.mentions = Some(
            mentions
                .iter()
                .map(|m| JsonMention { record: &m.record, url: m.doc.url.as_deref(), outlet: &m.doc.outlet, published: &m.doc.published })
                .collect(),
        );
        self
    }
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// Writes one CSV line.
pub fn write_csv_row<W: Write + ?Sized>(out: &mut W, cells: impl IntoIterator<Item = String>) -> std::io::Result<()> {
    let mut first = true;
    for c in cells {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(csv_field(&c).as_bytes())?;
    }
    out.write_all(b"\n")
}

/// The columns of the table `dyad query` prints.
const TABLE_HEADER: [&str; 9] = ["event", "date", "source", "target", "code", "status", "men/src/art", "label", "sentence"];

/// An aligned text table of events for a terminal; the sentence is cut to fit
/// `width` columns (0: no limit).
pub fn table(events: &[StoredEvent], width: usize) -> String {
    let actor = |a: &Option<dyad::record::ActorRecord>| a.as_ref().map_or("-".to_string(), |a| format!("{} {}", a.code, a.name));
    let rows: Vec<[String; 9]> = events
        .iter()
        .map(|e| {
            let r = &e.record;
            let date = if r.date.start == r.date.end { r.date.start.to_string() } else { format!("{}..{}", r.date.start, r.date.end) };
            [
                e.event_id.to_string(),
                date,
                actor(&r.source),
                actor(&r.target),
                r.code.to_string(),
                r.status.to_string(),
                format!("{}/{}/{}", e.num_mentions, e.num_sources, e.num_articles),
                r.label.to_string(),
                r.sentence_text.split_whitespace().collect::<Vec<_>>().join(" "),
            ]
        })
        .collect();
    let mut widths: [usize; 9] = TABLE_HEADER.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()).take(8) {
            *w = (*w).max(cell.chars().count().min(40));
        }
    }
    let used: usize = widths[..8].iter().map(|w| w + 2).sum();
    let sentence_width = if width == 0 { usize::MAX } else { width.saturating_sub(used).max(20) };
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let limit = if i == 8 { sentence_width } else { widths[i] };
            let shown = cut(cell, limit);
            if i == 8 {
                l.push_str(&shown);
            } else {
                l.push_str(&shown);
                l.push_str(&" ".repeat(widths[i] - shown.chars().count() + 2));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&TABLE_HEADER.map(String::from));
    for row in &rows {
        line(row);
    }
    out
}

/// `s` cut to at most `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_sql_combines_with_and_and_or() {
        let f = Filter {
            source: vec!["jpn".into(), "USA".into()],
            code: vec!["04".into()],
            quad_class: vec![1, 2],
            since: Some("2024-01-01".into()),
            words: vec!["phone".into()],
            ..Filter::default()
        };
        let (sql, params) = f.sql();
        assert!(sql.contains("substr(e.source_code, 1, length(?1)) = ?1 OR substr(e.source_code, 1, length(?2)) = ?2"), "{sql}");
        assert!(sql.contains("e.quad_class IN (1, 2)"), "{sql}");
        assert!(sql.contains("e.date_end >= ?4"), "{sql}");
        assert_eq!(params[0], SqlValue::Text("JPN".into()));
        assert_eq!(params.len(), 5);
    }

    #[test]
    fn validate_explains_bad_values() {
        let bad = |f: Filter| f.validate().expect_err("invalid").to_string();
        assert!(bad(Filter { quad_class: vec![5], ..Filter::default() }).contains("quad class 5"));
        assert!(bad(Filter { code: vec!["4x".into()], ..Filter::default() }).contains("not a CAMEO code"));
        assert!(bad(Filter { status: vec!["maybe".into()], ..Filter::default() }).contains("not a status"));
        assert!(bad(Filter { since: Some("2024-13-01".into()), ..Filter::default() }).contains("no month 13"));
        Filter::default().validate().expect("empty filter is valid");
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn columns_are_unique() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
    }
}
