//! Deduplication: which coded records (mentions) are reports of one event.
//!
//! # The rule
//!
//! Two mentions report the same event when they have
//!
//! 1. the same source actor code and the same target actor code (an unknown side
//!    counts as the code `""`),
//! 2. the same CAMEO event code,
//! 3. the same status (a denial that a call took place is not a report of the
//!    call, and "will meet" is not "met"), and
//! 4. overlapping date intervals (inclusive: `a.start <= b.end && b.start <= a.end`).
//!
//! That is GDELT's notion (one event, many mentions in many articles), with
//! dyad's dated intervals in place of GDELT's single day. It holds within one
//! document (the same event told in several sentences) and across documents.
//!
//! An event's date is the intersection of its mentions' intervals: "in November"
//! and "on Thursday" (November 7) make an event dated November 7. A new mention
//! joins an event when its interval overlaps that intersection, and narrows it.
//! When several stored events fit, the mention joins the oldest (lowest
//! `event_id`), so the result depends only on the order of the input, not on how
//! it was batched into transactions; a rerun after a crash gives the same events.
//!
//! # The counts
//!
//! - `num_mentions`: mentions of the event (records, each a sentence's telling);
//! - `num_articles`: distinct documents among them;
//! - `num_sources`: distinct outlets among those documents (a document's outlet is
//!   its JSONL `outlet` field, else the host of its url, else its id).
//!
//! The representative mention, whose record stands for the event in queries and
//! exports, is the one with the narrowest date interval, then the earliest
//! published document, then the first stored. `is_root` says whether any mention
//! is the first sentence of its article (GDELT's IsRootEvent, the lead).
//!
//! # Limits
//!
//! Matching is by codes, not by who the actors are beyond their codes (two
//! different Japanese officials' calls with Trump on one day are one
//! JPNGOV-USAELI 041 event), and removing a document (when it changes) does not
//! split or merge the events its mentions had narrowed: the events stay as they
//! are, their counts and dates recomputed from the mentions left.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use dyad::Event;

/// The part of a record that decides which event it reports (dates aside).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub source: String,
    pub target: String,
    pub code: String,
    pub status: String,
}

impl Key {
    pub fn of(e: &Event) -> Key {
        Key {
            source: e.source.as_ref().map(|a| a.code.as_str().into()).unwrap_or_default(),
            target: e.target.as_ref().map(|a| a.code.as_str().into()).unwrap_or_default(),
            code: e.code.as_str().into(),
            status: e.status.as_str().into(),
        }
    }
}

/// Whether two inclusive `YYYY-MM-DD` intervals share a day. ISO dates order as
/// strings.
pub fn overlaps(a_start: &str, a_end: &str, b_start: &str, b_end: &str) -> bool {
    a_start <= b_end && b_start <= a_end
}

/// The days from `start` to `end` (0 for one day); 0 when either is not a date.
pub fn width_days(start: &str, end: &str) -> i64 {
    match (dyad::document::parse_date(start), dyad::document::parse_date(end)) {
        (Ok(s), Ok(e)) => e.since(s).map(|span| i64::from(span.get_days())).unwrap_or(0).max(0),
        _ => 0,
    }
}

/// `date` minus `days`, as `YYYY-MM-DD`; `0000-01-01` when out of range or not a date.
fn minus_days(date: &str, days: i64) -> String {
    dyad::document::parse_date(date)
        .ok()
        .and_then(|d| d.checked_sub(jiff::Span::new().days(days)).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| "0000-01-01".to_string())
}

/// A mention as the deduplicator needs it.
#[derive(Clone, Debug)]
pub(crate) struct MentionFacts {
    pub mention_id: i64,
    pub doc_key: i64,
    pub outlet: std::sync::Arc<str>,
    pub published: std::sync::Arc<str>,
    pub sentence: i64,
    pub start: String,
    pub end: String,
}

/// An event created in the current transaction, kept in memory until commit.
#[derive(Debug)]
struct Fresh {
    key: Key,
    root: String,
    quad_class: i64,
    goldstein: f64,
    start: String,
    end: String,
    mentions: Vec<MentionFacts>,
}

impl Fresh {
    /// Recompute the date from the mentions left after some were removed.
    fn recompute_dates(&mut self) {
        if let Some(first) = self.mentions.first() {
            let (mut s, mut e) = (first.start.clone(), first.end.clone());
            for m in &self.mentions[1..] {
                if m.start > s {
                    s = m.start.clone();
                }
                if m.end < e {
                    e = m.end.clone();
                }
            }
            self.start = s;
            self.end = e;
        }
    }
}

/// Assigns mentions to events within a transaction and writes the events'
/// aggregates at commit.
///
/// Events created in the current transaction live in memory (`fresh`) with ids
/// from `first_fresh` on, and are inserted at commit with their counts; events
/// already stored that gain or lose mentions are `stale` and recounted in SQL at
/// commit.
#[derive(Debug)]
pub(crate) struct Deduper {
    first_fresh: i64,
    fresh: Vec<Fresh>,
    fresh_by_key: HashMap<Key, Vec<i64>>,
    stale: BTreeSet<i64>,
    /// Per key, the widest date interval of its stored and fresh events, in days
    /// (read from the store on the key's first use): bounds the index scan for
    /// overlapping events to `[start - width, end]`. Widths only shrink as events
    /// narrow, so the bound stays safe.
    max_width: HashMap<Key, i64>,
}

impl Deduper {
    pub fn new(conn: &Connection) -> rusqlite::Result<Deduper> {
        let next: i64 = conn.query_row("SELECT IFNULL(MAX(event_id), 0) + 1 FROM events", [], |r| r.get(0))?;
        Ok(Deduper {
            first_fresh: next,
            fresh: Vec::new(),
            fresh_by_key: HashMap::new(),
            stale: BTreeSet::new(),
            max_width: HashMap::new(),
        })
    }

    /// The widest stored or fresh event of `key`, in days.
    fn width_of(&mut self, conn: &Connection, key: &Key) -> rusqlite::Result<i64> {
        if let Some(&w) = self.max_width.get(key) {
            return Ok(w);
        }
        let w: f64 = conn
            .prepare_cached(
                "SELECT IFNULL(MAX(julianday(date_end) - julianday(date_start)), 0) FROM events \
                 WHERE source_code = ?1 AND target_code = ?2 AND code = ?3 AND status = ?4",
            )?
            .query_row(params![key.source, key.target, key.code, key.status], |r| r.get(0))?;
        let w = w.ceil() as i64;
        self.max_width.insert(key.clone(), w);
        Ok(w)
    }

    /// The event a new record belongs to: the oldest stored or fresh event with
    /// its key whose date overlaps the record's; a new fresh event otherwise. The
    /// event's date narrows to the intersection. Returns the event id; call
    /// [`Deduper::add_mention`] once the mention row exists.
    pub fn assign(&mut self, conn: &Connection, e: &Event, start: &str, end: &str) -> rusqlite::Result<i64> {
        let key = Key::of(e);
        let width = width_days(start, end);
        let lo = minus_days(start, self.width_of(conn, &key)?);
        let stored: Option<(i64, String, String)> = conn
            .prepare_cached(
                "SELECT event_id, date_start, date_end FROM events \
                 WHERE source_code = ?1 AND target_code = ?2 AND code = ?3 AND status = ?4 \
                   AND date_start BETWEEN ?5 AND ?6 AND date_end >= ?7 \
                 ORDER BY event_id LIMIT 1",
            )?
            .query_row(params![key.source, key.target, key.code, key.status, lo, end, start], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((id, s, en)) = stored {
            if start > s.as_str() || end < en.as_str() {
                let ns = if start > s.as_str() { start } else { s.as_str() };
                let ne = if end < en.as_str() { end } else { en.as_str() };
                conn.prepare_cached("UPDATE events SET date_start = ?2, date_end = ?3 WHERE event_id = ?1")?
                    .execute(params![id, ns, ne])?;
            }
            self.stale.insert(id);
            return Ok(id);
        }
        let first_fresh = self.first_fresh;
        if let Some(ids) = self.fresh_by_key.get(&key) {
            for &id in ids {
                let f = &mut self.fresh[(id - first_fresh) as usize];
                if !f.mentions.is_empty() && overlaps(&f.start, &f.end, start, end) {
                    if start > f.start.as_str() {
                        f.start = start.to_string();
                    }
                    if end < f.end.as_str() {
                        f.end = end.to_string();
                    }
                    return Ok(id);
                }
            }
        }
        let id = self.first_fresh + self.fresh.len() as i64;
        if let Some(w) = self.max_width.get_mut(&key) {
            *w = (*w).max(width);
        }
        self.fresh.push(Fresh {
            key: key.clone(),
            root: e.root.as_str().into(),
            quad_class: i64::from(e.quad_class),
            goldstein: e.goldstein,
            start: start.to_string(),
            end: end.to_string(),
            mentions: Vec::new(),
        });
        self.fresh_by_key.entry(key).or_default().push(id);
        Ok(id)
    }

    /// Records a stored mention of a fresh event (stored events are recounted in
    /// SQL at commit instead).
    pub fn add_mention(&mut self, event_id: i64, m: MentionFacts) {
        if event_id >= self.first_fresh {
            if let Some(f) = self.fresh.get_mut((event_id - self.first_fresh) as usize) {
                f.mentions.push(m);
            }
        }
    }

    /// A document's mentions were deleted: their events must be recounted.
    pub fn removed(&mut self, doc_key: i64, event_ids: &[i64]) {
        for &id in event_ids {
            if id < self.first_fresh {
                self.stale.insert(id);
            } else if let Some(f) = self.fresh.get_mut((id - self.first_fresh) as usize) {
                f.mentions.retain(|m| m.doc_key != doc_key);
                f.recompute_dates();
            }
        }
    }

    /// Writes the transaction's events: inserts the fresh ones with their counts,
    /// recounts (or deletes, when no mention is left) the stale ones. Returns the
    /// number of events created.
    pub fn flush(&mut self, conn: &Connection, now: &str) -> rusqlite::Result<usize> {
        let mut created = 0;
        {
            let mut insert = conn.prepare_cached(
                "INSERT INTO events (event_id, source_code, target_code, code, status, date_start, date_end, root, quad_class, \
                 goldstein, source_country, target_country, num_mentions, num_sources, num_articles, is_root, rep_mention, first_added) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, sa.country, ta.country, ?11, ?12, ?13, ?14, m.mention_id, ?15 \
                 FROM mentions m LEFT JOIN actors sa ON sa.actor_key = m.source_actor \
                 LEFT JOIN actors ta ON ta.actor_key = m.target_actor WHERE m.mention_id = ?16",
            )?;
            for (i, f) in self.fresh.iter().enumerate() {
                if f.mentions.is_empty() {
                    continue;
                }
                let id = self.first_fresh + i as i64;
                let articles: HashSet<i64> = f.mentions.iter().map(|m| m.doc_key).collect();
                let sources: HashSet<&str> = f.mentions.iter().map(|m| &*m.outlet).collect();
                let is_root = f.mentions.iter().any(|m| m.sentence == 0);
                let rep = f
                    .mentions
                    .iter()
                    .min_by(|a, b| {
                        (width_days(&a.start, &a.end), &a.published, a.mention_id).cmp(&(
                            width_days(&b.start, &b.end),
                            &b.published,
                            b.mention_id,
                        ))
                    })
                    .map(|m| m.mention_id);
                insert.execute(params![
                    id,
                    f.key.source,
                    f.key.target,
                    f.key.code,
                    f.key.status,
                    f.start,
                    f.end,
                    f.root,
                    f.quad_class,
                    f.goldstein,
                    f.mentions.len() as i64,
                    sources.len() as i64,
                    articles.len() as i64,
                    is_root,
                    now,
                    rep,
                ])?;
                created += 1;
            }
        }
        for &id in &self.stale {
            refresh(conn, id)?;
        }
        self.first_fresh += self.fresh.len() as i64;
        self.fresh.clear();
        self.fresh_by_key.clear();
        self.stale.clear();
        Ok(created)
    }

    /// Forgets the transaction's work after a rollback.
    pub fn reset(&mut self) {
        self.max_width.clear();
        self.fresh.clear();
        self.fresh_by_key.clear();
        self.stale.clear();
    }
}

/// Recounts one stored event from its mentions, or deletes it when none is left.
pub(crate) fn refresh(conn: &Connection, event_id: i64) -> rusqlite::Result<()> {
    let (n, articles, sources, start, end, first_sentence): (i64, i64, i64, Option<String>, Option<String>, Option<i64>) = conn
        .prepare_cached(
            "SELECT COUNT(*), COUNT(DISTINCT m.doc_key), COUNT(DISTINCT d.outlet), MAX(m.date_start), MIN(m.date_end), MIN(m.sentence) \
             FROM mentions m JOIN documents d ON d.doc_key = m.doc_key WHERE m.event_id = ?1",
        )?
        .query_row([event_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    if n == 0 {
        conn.prepare_cached("DELETE FROM events WHERE event_id = ?1")?.execute([event_id])?;
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE events SET num_mentions = ?2, num_articles = ?3, num_sources = ?4, date_start = ?5, date_end = ?6, is_root = ?7, \
         (rep_mention, source_country, target_country) = ( \
            SELECT m.mention_id, sa.country, ta.country FROM mentions m JOIN documents d ON d.doc_key = m.doc_key \
            LEFT JOIN actors sa ON sa.actor_key = m.source_actor LEFT JOIN actors ta ON ta.actor_key = m.target_actor \
            WHERE m.event_id = ?1 \
            ORDER BY julianday(m.date_end) - julianday(m.date_start), d.published, m.mention_id LIMIT 1) \
         WHERE event_id = ?1",
    )?
    .execute(params![event_id, n, articles, sources, start, end, first_sentence == Some(0)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_overlap_inclusively() {
        assert!(overlaps("2024-11-07", "2024-11-07", "2024-11-07", "2024-11-07"));
        assert!(overlaps("2024-11-01", "2024-11-30", "2024-11-07", "2024-11-07"));
        assert!(overlaps("2024-11-07", "2024-11-08", "2024-11-08", "2024-11-09"));
        assert!(!overlaps("2024-11-07", "2024-11-07", "2024-11-08", "2024-11-08"));
        assert!(!overlaps("2024-12-01", "2024-12-31", "2024-11-01", "2024-11-30"));
    }

    #[test]
    fn widths_and_offsets() {
        assert_eq!(width_days("2024-11-07", "2024-11-07"), 0);
        assert_eq!(width_days("2024-01-01", "2024-12-31"), 365);
        assert_eq!(width_days("bad", "2024-12-31"), 0);
        assert_eq!(minus_days("2024-03-01", 1), "2024-02-29");
        assert_eq!(minus_days("nonsense", 1), "0000-01-01");
    }
}
