//! Ingest: documents in, coded and stored with their events, safely.
//!
//! [`ingest`] runs the whole pipeline over a stream of documents: each is hashed,
//! skipped when the store already holds it unchanged, otherwise coded (on
//! `jobs` threads) and handed, in input order, to one [`Writer`] that stores it.
//! [`Writer`] is the storing half alone, for callers that code (or load coded
//! events) themselves.
//!
//! # What a document is, and when it changes
//!
//! A document is known by its id. Its content hash is the SHA-256 of its id,
//! publication date, url, title, outlet and text, everything that goes into the
//! coding or the stored row. Ingesting a document whose id and hash are stored
//! changes nothing; a stored id with another hash is a changed document: its old
//! mentions are deleted (their events recounted, and dropped when no mention is
//! left) and its new ones stored, in the same transaction. `force` recodes
//! unchanged documents too (after a lexicon change, say).
//!
//! # Crashes
//!
//! Documents are written in transactions of up to `batch_docs` documents or
//! `batch_interval` of time, whichever comes first; a document and all its
//! mentions, and the events they touch, are in one transaction. The store runs
//! in WAL mode while writing, so a killed ingest (even `kill -9`) leaves the
//! store as of the last commit: every document in it complete, none half-written.
//! Running the same ingest again skips those (same hash) and stores the rest: no
//! duplicate, nothing lost. Dedup assigns events by input order alone (see
//! [`crate::dedup`]), so the rerun gives the same events as an uninterrupted run.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sha2::{Digest, Sha256};

use dyad::document::{ReadOptions, Skipped};
use dyad::{Coder, Document, Event};

use crate::dedup::{Deduper, MentionFacts};
use crate::schema::Store;
use crate::{Result, StoreError};

/// One document to ingest, with what the store needs beyond [`Document`].
#[derive(Clone, Debug)]
pub struct Input {
    pub doc: Document,
    /// The outlet that published it (the JSONL `outlet` field), when known.
    pub outlet: Option<String>,
}

impl From<Document> for Input {
    fn from(doc: Document) -> Input {
        Input { doc, outlet: None }
    }
}

/// How to ingest.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Coding threads (1: code on the calling thread, one core).
    pub jobs: usize,
    /// Recode and replace documents even when they are stored unchanged.
    pub force: bool,
    /// Commit after this many documents...
    pub batch_docs: usize,
    /// ...or after this long, whichever comes first.
    pub batch_interval: Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { jobs: 1, force: false, batch_docs: 2000, batch_interval: Duration::from_millis(500) }
    }
}

/// Where an ingest is, for a progress bar.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Documents read (stored, unchanged or replaced).
    pub documents: usize,
    /// Of those, stored unchanged and so skipped.
    pub unchanged: usize,
    /// Sentences of the documents coded.
    pub sentences: usize,
    /// Event records (mentions) stored.
    pub mentions: usize,
    /// Inputs that did not become documents.
    pub skipped: usize,
    /// Bytes of document text read so far.
    pub text_bytes: u64,
}

/// What an ingest did.
#[derive(Clone, Debug, Default)]
pub struct IngestSummary {
    /// Documents read (new + replaced + unchanged).
    pub documents: usize,
    /// Stored for the first time.
    pub new: usize,
    /// Stored before with other content (or recoded with `force`): replaced.
    pub replaced: usize,
    /// Stored before with the same content: left as they were.
    pub unchanged: usize,
    /// Sentences of the documents coded (new and replaced).
    pub sentences: usize,
    /// Event records (mentions) stored.
    pub mentions: usize,
    /// Events created (a mention of an event already stored creates none).
    pub events_created: usize,
    /// Events in the store afterwards.
    pub events_total: usize,
    /// Inputs that did not become documents, and why.
    pub skipped: Vec<Skipped>,
    pub elapsed: Duration,
}

impl IngestSummary {
    /// Sentences coded and stored per second of wall time.
    pub fn sentences_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.sentences as f64 / secs
        } else {
            0.0
        }
    }
}

/// What happened to one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocOutcome {
    New,
    Replaced,
    Unchanged,
}

/// The outlet of a document: the explicit one (JSONL `outlet`), else the host of
/// its url (without `www.`), else its id.
pub fn outlet_of(doc: &Document, explicit: Option<&str>) -> String {
    if let Some(o) = explicit.map(str::trim).filter(|o| !o.is_empty()) {
        return o.to_string();
    }
    doc.url.as_deref().and_then(url_host).unwrap_or_else(|| doc.id.clone())
}

/// The host of a url, lower-cased, without `www.`, port or credentials.
pub fn url_host(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host.split(':').next()?,
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").map(str::to_string).unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// The documents of all `paths`, in order, as [`ingest`] takes them: what
/// [`dyad::document::read_input`] reads, plus the `outlet` field of JSONL lines
/// (which the library's reader does not keep). Standard input (`-`) is read as
/// the library reads it, without outlets.
pub fn read_inputs(paths: Vec<PathBuf>, opts: ReadOptions) -> impl Iterator<Item = std::result::Result<Input, Skipped>> + Send {
    paths.into_iter().flat_map(move |path| -> Box<dyn Iterator<Item = std::result::Result<Input, Skipped>> + Send> {
        let docs = match dyad::document::read_input(&path, &opts) {
            Ok(d) => d,
            Err(s) => return Box::new(std::iter::once(Err(s))),
        };
        let jsonl = path.as_os_str() != "-"
            && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
        let mut outlets = if jsonl { std::fs::File::open(&path).ok().map(|f| JsonlOutlets::new(std::io::BufReader::new(f))) } else { None };
        Box::new(docs.map(move |item| {
            let outlet = outlets.as_mut().and_then(JsonlOutlets::next_outlet);
            item.map(|doc| Input { doc, outlet })
        }))
    })
}

/// Reads a JSONL file alongside the library's reader, one non-blank line per
/// document (or skipped line) it yields, for the lines' `outlet` fields.
struct JsonlOutlets<R> {
    reader: R,
    buf: Vec<u8>,
    first: bool,
}

impl<R: std::io::BufRead> JsonlOutlets<R> {
    fn new(reader: R) -> Self {
        JsonlOutlets { reader, buf: Vec::new(), first: true }
    }

    /// The `outlet` of the next non-blank line, if it has a string one.
    fn next_outlet(&mut self) -> Option<String> {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let mut line = &self.buf[..];
            if std::mem::take(&mut self.first) {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return jsonl_outlet(line);
        }
    }
}

/// The string `outlet` field of one JSONL line, if any.
pub fn jsonl_outlet(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct OutletOnly {
        #[serde(default)]
        outlet: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<OutletOnly>(line).ok()?.outlet? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

/// The SHA-256 (hex) of everything about a document that is coded or stored.
pub fn content_hash(doc: &Document, outlet: &str) -> String {
    let mut h = Sha256::new();
    for part in [doc.id.as_str(), &doc.published.to_string(), doc.url.as_deref().unwrap_or(""), doc.title.as_deref().unwrap_or(""), outlet]
    {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update(doc.text.as_bytes());
    let digest = h.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    hex
}

/// The number of sentences dyad splits a text into.
pub fn count_sentences(text: &str) -> usize {
    dyad::text::analyse(text).sentences.len()
}

/// The current UTC time, `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn now_utc() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Stores coded documents: the storing half of [`ingest`]. Opens a transaction on
/// the first write and commits every `batch_docs` documents or `batch_interval`;
/// [`Writer::finish`] commits the rest and settles the file.
pub struct Writer<'s> {
    store: &'s Store,
    dedup: Deduper,
    /// Actor keys by code, then name.
    actors: HashMap<String, HashMap<String, i64>>,
    /// A reused buffer for each record's JSON.
    json: Vec<u8>,
    in_tx: bool,
    docs_in_tx: usize,
    tx_started: Instant,
    now: String,
    opts: IngestOptions,
    /// What has been stored so far.
    pub summary: IngestSummary,
}

impl<'s> Writer<'s> {
    /// A writer on a store opened for writing ([`Store::open`]).
    pub fn new(store: &'s mut Store, opts: &IngestOptions) -> Result<Writer<'s>> {
        if !store.is_writable() {
            return Err(StoreError::ReadOnly { path: store.path().to_path_buf(), reason: "opened for reading only".into() });
        }
        let store: &'s Store = store;
        let dedup = Deduper::new(&store.conn).map_err(|e| store.err("cannot read the events", e))?;
        Ok(Writer {
            store,
            dedup,
            actors: HashMap::new(),
            json: Vec::new(),
            in_tx: false,
            docs_in_tx: 0,
            tx_started: Instant::now(),
            now: now_utc(),
            opts: opts.clone(),
            summary: IngestSummary::default(),
        })
    }

    /// The stored content hash of a document id, if it is stored.
    pub fn stored_hash(&self, id: &str) -> Result<Option<String>> {
        stored_hash(&self.store.conn, id).map_err(|e| self.store.err("cannot read the documents", e))
    }

    /// Whether the document is stored with this hash (and `force` is off), so it
    /// need not be coded.
    pub fn is_unchanged(&self, id: &str, hash: &str) -> Result<bool> {
        Ok(!self.opts.force && self.stored_hash(id)?.as_deref() == Some(hash))
    }

    /// Stores one coded document and its events (replacing its old ones when it
    /// changed). `hash` is [`content_hash`] of the document and `outlet`.
    pub fn write(&mut self, doc: &Document, outlet: &str, hash: &str, sentences: usize, events: &[Event]) -> Result<DocOutcome> {
        let existing: Option<(i64, String)> = self
            .store
            .conn
            .prepare_cached("SELECT doc_key, content_hash FROM documents WHERE id = ?1")
            .and_then(|mut s| s.query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(|e| self.store.err("cannot read the documents", e))?;
        if let Some((_, stored)) = &existing {
            if stored == hash && !self.opts.force {
                self.summary.documents += 1;
                self.summary.unchanged += 1;
                return Ok(DocOutcome::Unchanged);
            }
        }
        self.begin()?;
        let result = self.write_in_tx(doc, outlet, hash, sentences, events, existing.map(|(k, _)| k));
        let outcome = match result {
            Ok(o) => o,
            Err(e) => {
                self.rollback();
                return Err(self.store.write_err(&format!("cannot store document '{}'", doc.id), e));
            }
        };
        self.summary.documents += 1;
        self.summary.sentences += sentences;
        self.summary.mentions += events.len();
        match outcome {
            DocOutcome::New => self.summary.new += 1,
            DocOutcome::Replaced => self.summary.replaced += 1,
            DocOutcome::Unchanged => self.summary.unchanged += 1,
        }
        self.docs_in_tx += 1;
        if self.docs_in_tx >= self.opts.batch_docs || self.tx_started.elapsed() >= self.opts.batch_interval {
            self.commit()?;
        }
        Ok(outcome)
    }

    fn write_in_tx(
        &mut self,
        doc: &Document,
        outlet: &str,
        hash: &str,
        sentences: usize,
        events: &[Event],
        existing: Option<i64>,
    ) -> rusqlite::Result<DocOutcome> {
        let conn = &self.store.conn;
        let published = doc.published.to_string();
        let (doc_key, outcome) = match existing {
            Some(doc_key) => {
                let mut gone = Vec::new();
                {
                    let mut del = conn.prepare_cached("DELETE FROM mentions WHERE doc_key = ?1 RETURNING event_id")?;
                    let rows = del.query_map([doc_key], |r| r.get::<_, i64>(0))?;
                    for id in rows {
                        gone.push(id?);
                    }
                }
                gone.sort_unstable();
                gone.dedup();
                self.dedup.removed(doc_key, &gone);
                conn.prepare_cached(
                    "UPDATE documents SET url = ?2, title = ?3, outlet = ?4, published = ?5, content_hash = ?6, sentences = ?7, \
                     mentions = ?8, ingested_at = ?9 WHERE doc_key = ?1",
                )?
                .execute(params![
                    doc_key,
                    doc.url,
                    doc.title,
                    outlet,
                    published,
                    hash,
                    sentences as i64,
                    events.len() as i64,
                    self.now
                ])?;
                (doc_key, DocOutcome::Replaced)
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO documents (id, url, title, outlet, published, content_hash, sentences, mentions, ingested_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    doc.id,
                    doc.url,
                    doc.title,
                    outlet,
                    published,
                    hash,
                    sentences as i64,
                    events.len() as i64,
                    self.now
                ])?;
                (conn.last_insert_rowid(), DocOutcome::New)
            }
        };
        let outlet: Arc<str> = Arc::from(outlet);
        let published: Arc<str> = Arc::from(published.as_str());
        for e in events {
            let source = self.actor(e.source.as_ref())?;
            let target = self.actor(e.target.as_ref())?;
            let (start, end) = event_dates(e, &published);
            let event_id = self.dedup.assign(conn, e, &start, &end)?;
            self.json.clear();
            serde_json::to_writer(&mut self.json, e).map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))?;
            // serde_json writes UTF-8.
            let record = std::str::from_utf8(&self.json).map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))?;
            conn.prepare_cached(
                "INSERT INTO mentions (event_id, doc_key, sentence, record_id, source_actor, target_actor, date_start, date_end, \
                 trigger_start, trigger_end, rule, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                event_id,
                doc_key,
                e.sentence as i64,
                e.id.as_str(),
                source,
                target,
                start,
                end,
                e.trigger.span[0] as i64,
                e.trigger.span[1] as i64,
                e.rule.as_str(),
                record
            ])?;
            let mention_id = conn.last_insert_rowid();
            self.dedup.add_mention(
                event_id,
                MentionFacts {
                    mention_id,
                    doc_key,
                    outlet: outlet.clone(),
                    published: published.clone(),
                    sentence: e.sentence as i64,
                    start,
                    end,
                },
            );
        }
        Ok(outcome)
    }

    /// The actor row for one side of a record (cached; inserted when new).
    fn actor(&mut self, a: Option<&dyad::record::ActorRecord>) -> rusqlite::Result<Option<i64>> {
        let Some(a) = a else { return Ok(None) };
        if let Some(&k) = self.actors.get(a.code.as_str()).and_then(|names| names.get(a.name.as_str())) {
            return Ok(Some(k));
        }
        let conn = &self.store.conn;
        conn.prepare_cached("INSERT INTO actors (code, name, country, role) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code, name) DO NOTHING")?
            .execute(params![a.code.as_str(), a.name.as_str(), a.country.as_deref(), a.role.as_deref()])?;
        let key: i64 = conn
            .prepare_cached("SELECT actor_key FROM actors WHERE code = ?1 AND name = ?2")?
            .query_row(params![a.code.as_str(), a.name.as_str()], |r| r.get(0))?;
        self.actors.entry(a.code.as_str().into()).or_default().insert(a.name.as_str().into(), key);
        Ok(Some(key))
    }

    fn begin(&mut self) -> Result<()> {
        if !self.in_tx {
            self.store.conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| self.store.write_err("cannot start a transaction", e))?;
            self.in_tx = true;
            self.docs_in_tx = 0;
            self.tx_started = Instant::now();
            self.now = now_utc();
        }
        Ok(())
    }

    fn rollback(&mut self) {
        if self.in_tx {
            let _ = self.store.conn.execute_batch("ROLLBACK");
            self.in_tx = false;
        }
        self.dedup.reset();
        // Actor keys inserted in the rolled-back transaction are gone too.
        self.actors.clear();
    }

    /// Commits what has been written: the events' counts, then the transaction.
    pub fn commit(&mut self) -> Result<()> {
        if !self.in_tx {
            return Ok(());
        }
        let conn = &self.store.conn;
        match self.dedup.flush(conn, &self.now).and_then(|n| conn.execute_batch("COMMIT").map(|()| n)) {
            Ok(created) => {
                self.summary.events_created += created;
                self.in_tx = false;
                Ok(())
            }
            Err(e) => {
                self.rollback();
                Err(self.store.write_err("cannot commit", e))
            }
        }
    }

    /// Commits the rest, returns the store to a single file, and returns the
    /// summary (with `events_total` filled in; `elapsed` is the caller's).
    pub fn finish(mut self) -> Result<IngestSummary> {
        self.commit()?;
        self.store.settle();
        let total: i64 = self
            .store
            .conn
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .map_err(|e| self.store.err("cannot count the events", e))?;
        self.summary.events_total = total as usize;
        Ok(std::mem::take(&mut self.summary))
    }

    fn progress(&self, text_bytes: u64) -> Progress {
        Progress {
            documents: self.summary.documents,
            unchanged: self.summary.unchanged,
            sentences: self.summary.sentences,
            mentions: self.summary.mentions,
            skipped: self.summary.skipped.len(),
            text_bytes,
        }
    }
}

impl Drop for Writer<'_> {
    fn drop(&mut self) {
        // An abandoned writer (an error upstream) keeps what it committed and
        // commits what it has; a document is never half-written either way.
        if self.in_tx {
            let _ = self.commit();
        }
    }
}

/// A record's date interval, as stored: its own when it is a valid interval,
/// else the publication date.
fn event_dates(e: &Event, published: &str) -> (String, String) {
    let ok = |s: &str| dyad::document::parse_date(s).is_ok();
    let (s, t) = (e.date.start.as_str(), e.date.end.as_str());
    match (ok(s), ok(t)) {
        (true, true) if s <= t => (s.to_string(), t.to_string()),
        (true, true) => (t.to_string(), s.to_string()),
        (true, false) => (s.to_string(), s.to_string()),
        (false, true) => (t.to_string(), t.to_string()),
        (false, false) => (published.to_string(), published.to_string()),
    }
}

fn stored_hash(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT content_hash FROM documents WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()
}

/// One input after the coding stage.
enum Prepared {
    Skipped(Skipped),
    /// Stored with this hash already (as far as the coding thread could see).
    Unchanged {
        input: Input,
        outlet: String,
        hash: String,
    },
    Coded {
        input: Input,
        outlet: String,
        hash: String,
        sentences: usize,
        events: Vec<Event>,
    },
}

/// Hash, check, code: the work of a coding thread.
fn prepare(coder: &Coder, item: std::result::Result<Input, Skipped>, known: &dyn Fn(&str) -> Option<String>, force: bool) -> Prepared {
    let input = match item {
        Ok(i) => i,
        Err(s) => return Prepared::Skipped(s),
    };
    let outlet = outlet_of(&input.doc, input.outlet.as_deref());
    let hash = content_hash(&input.doc, &outlet);
    if !force && known(&input.doc.id).as_deref() == Some(hash.as_str()) {
        return Prepared::Unchanged { input, outlet, hash };
    }
    code_one(coder, input, outlet, hash)
}

fn code_one(coder: &Coder, input: Input, outlet: String, hash: String) -> Prepared {
    match catch_unwind(AssertUnwindSafe(|| coder.code_counted(&input.doc))) {
        Ok((events, sentences)) => Prepared::Coded { input, outlet, hash, sentences, events },
        Err(_) => Prepared::Skipped(Skipped::new(
            format!("document '{}'", input.doc.id),
            "the coder failed on it (a bug in dyad: please report it with the document)",
        )),
    }
}

/// Codes and stores every input, in order, reporting progress after each.
///
/// `jobs` > 1 codes on that many threads while this thread writes; the result is
/// the same as with one (the writer takes documents in input order). Inputs that
/// are `Err` are counted in the summary's `skipped`, and the ingest goes on.
/// Stops at the first store error, keeping everything committed before it.
pub fn ingest<I>(
    store: &mut Store,
    coder: &Coder,
    inputs: I,
    opts: &IngestOptions,
    mut progress: impl FnMut(&Progress),
) -> Result<IngestSummary>
where
    I: Iterator<Item = std::result::Result<Input, Skipped>> + Send,
{
    let started = Instant::now();
    let path = store.path().to_path_buf();
    let mut writer = Writer::new(store, opts)?;
    let mut text_bytes = 0u64;
    let handle = |writer: &mut Writer, prepared: Prepared, text_bytes: &mut u64| -> Result<()> {
        match prepared {
            Prepared::Skipped(s) => writer.summary.skipped.push(s),
            Prepared::Unchanged { input, outlet, hash } => {
                *text_bytes += input.doc.text.len() as u64;
                if writer.is_unchanged(&input.doc.id, &hash)? {
                    writer.summary.documents += 1;
                    writer.summary.unchanged += 1;
                } else {
                    // Changed by an earlier input of this same run: code it here.
                    if let Prepared::Coded { input, outlet, hash, sentences, events } = code_one(coder, input, outlet, hash) {
                        writer.write(&input.doc, &outlet, &hash, sentences, &events)?;
                    }
                }
            }
            Prepared::Coded { input, outlet, hash, sentences, events } => {
                *text_bytes += input.doc.text.len() as u64;
                writer.write(&input.doc, &outlet, &hash, sentences, &events)?;
            }
        }
        Ok(())
    };

    if opts.jobs <= 1 {
        for item in inputs {
            let prepared = {
                let known = |id: &str| writer.stored_hash(id).ok().flatten();
                prepare(coder, item, &known, opts.force)
            };
            handle(&mut writer, prepared, &mut text_bytes)?;
            progress(&writer.progress(text_bytes));
        }
    } else {
        let jobs = opts.jobs;
        let result: Result<()> = std::thread::scope(|scope| {
            let (job_tx, job_rx) = mpsc::sync_channel::<(u64, std::result::Result<Input, Skipped>)>(jobs * 8);
            let job_rx = Arc::new(Mutex::new(job_rx));
            let (done_tx, done_rx) = mpsc::channel::<(u64, Prepared)>();
            scope.spawn(move || feed(inputs, job_tx));
            for _ in 0..jobs {
                let job_rx = Arc::clone(&job_rx);
                let done_tx = done_tx.clone();
                let path = path.clone();
                let force = opts.force;
                scope.spawn(move || work(coder, &path, force, &job_rx, &done_tx));
            }
            drop(done_tx);
            let mut pending: BTreeMap<u64, Prepared> = BTreeMap::new();
            let mut next = 0u64;
            let outcome = (|| {
                for (seq, prepared) in done_rx.iter() {
                    pending.insert(seq, prepared);
                    while let Some(prepared) = pending.remove(&next) {
                        next += 1;
                        handle(&mut writer, prepared, &mut text_bytes)?;
                        progress(&writer.progress(text_bytes));
                    }
                }
                Ok(())
            })();
            // On error, dropping the receiver stops the coding threads and, through
            // them, the reader.
            drop(done_rx);
            outcome
        });
        result?;
    }
    let mut summary = writer.finish()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The reading thread: numbers the inputs and hands them out.
fn feed<I>(inputs: I, job_tx: SyncSender<(u64, std::result::Result<Input, Skipped>)>)
where
    I: Iterator<Item = std::result::Result<Input, Skipped>>,
{
    for (seq, item) in inputs.enumerate() {
        if job_tx.send((seq as u64, item)).is_err() {
            return;
        }
    }
}

/// A coding thread: takes inputs until there are none, sends back what it made.
fn work(
    coder: &Coder,
    path: &std::path::Path,
    force: bool,
    job_rx: &Mutex<Receiver<(u64, std::result::Result<Input, Skipped>)>>,
    done_tx: &mpsc::Sender<(u64, Prepared)>,
) {
    // A reader of its own, to skip documents stored unchanged without coding them.
    // Without one (it could not open), everything is coded and the writer decides.
    let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).ok();
    let known = |id: &str| reader.as_ref().and_then(|c| stored_hash(c, id).ok().flatten());
    loop {
        let job = match job_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((seq, item)) = job else { return };
        let prepared = prepare(coder, item, &known, force);
        if done_tx.send((seq, prepared)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, url: Option<&str>) -> Document {
        Document { id: id.into(), text: "x".into(), published: jiff::civil::date(2024, 11, 7), url: url.map(Into::into), title: None }
    }

    #[test]
    fn outlet_is_explicit_then_host_then_id() {
        assert_eq!(outlet_of(&doc("a", Some("https://www.Reuters.com/world/x")), Some("Reuters")), "Reuters");
        assert_eq!(outlet_of(&doc("a", Some("https://www.Reuters.com/world/x")), None), "reuters.com");
        assert_eq!(outlet_of(&doc("a", Some("http://user@news.example.org:8080/p?q")), Some("  ")), "news.example.org");
        assert_eq!(outlet_of(&doc("a", None), None), "a");
        assert_eq!(url_host("http://[::1]:8080/x").as_deref(), Some("::1"));
        assert_eq!(url_host("example.com/path").as_deref(), Some("example.com"));
        assert_eq!(url_host("https:///nohost"), None);
    }

    #[test]
    fn hash_changes_with_any_field() {
        let a = doc("a", None);
        let h = content_hash(&a, "o");
        assert_eq!(h.len(), 64);
        assert_eq!(h, content_hash(&a.clone(), "o"));
        assert_ne!(h, content_hash(&a, "p"));
        let mut b = a.clone();
        b.text.push('y');
        assert_ne!(h, content_hash(&b, "o"));
        let mut c = a.clone();
        c.title = Some("t".into());
        assert_ne!(h, content_hash(&c, "o"));
    }
}
