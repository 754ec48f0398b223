//! Datasets out of the store: GDELT 2.0 Events, PLOVER JSONL, Parquet, CSV and
//! JSONL, of the events a [`Filter`] selects.
//!
//! - **csv**: a header line, then one line per event with the flat
//!   [`query::COLUMNS`] (RFC 4180 quoting; empty for null).
//! - **parquet**: the same columns, typed (INT64, DOUBLE, BOOLEAN, UTF8 strings,
//!   DATE for `date_start`, `date_end` and `published`), all optional, Snappy
//!   compressed, row groups of 65,536 rows. Reads in pandas, R (arrow), DuckDB,
//!   Spark.
//! - **jsonl**: one object per event: the record as `dyad code` prints it plus
//!   the event's id, counts and document ([`query::JsonEvent`]).
//! - **gdelt**: GDELT 2.0 Events, the 61 tab-separated columns in GDELT's order,
//!   no header (as GDELT ships them); see [`GDELT_COLUMNS`] for the mapping.
//! - **plover**: one JSON object per event with its PLOVER event type, from the
//!   CAMEO-to-PLOVER table of the codebook ([`plover`]); events whose CAMEO code
//!   has no PLOVER type (the 02x appeals) are left out and counted.
//!
//! csv, parquet and jsonl can also be written one row per mention
//! ([`Level::Mentions`]): each mention's own record, with its event's id and
//! counts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::query::{self, Filter, Kind, Level, StoredEvent, Value, COLUMNS};
use crate::schema::Store;
use crate::{Result, StoreError};

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gdelt,
    Plover,
    Parquet,
    Csv,
    Jsonl,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "gdelt" => Ok(Format::Gdelt),
            "plover" => Ok(Format::Plover),
            "parquet" => Ok(Format::Parquet),
            "csv" => Ok(Format::Csv),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            _ => Err(format!("'{s}' is not an export format: use gdelt, plover, parquet, csv or jsonl")),
        }
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Rows (events, or mentions) written.
    pub rows: usize,
    /// Events selected but not written (PLOVER: no PLOVER type for the code).
    pub left_out: usize,
}

/// Writes the events `filter` selects to `out` in `format`. `name` is the output
/// (a path, or `<stdout>`) for error messages.
pub fn export<W: Write + Send>(store: &Store, filter: &Filter, format: Format, level: Level, out: W, name: &Path) -> Result<ExportSummary> {
    if format != Format::Parquet {
        return export_text(store, filter, format, level, out, name);
    }
    let mut w = ParquetSink::new(out, name)?;
    let rows = query::for_each(store, filter, level, |e| w.push(query::values(&e)))?;
    w.finish()?;
    Ok(ExportSummary { rows, left_out: 0 })
}

/// [`export`] for the text formats (all but Parquet), to any writer.
pub fn export_text<W: Write>(store: &Store, filter: &Filter, format: Format, level: Level, out: W, name: &Path) -> Result<ExportSummary> {
    if level == Level::Mentions && matches!(format, Format::Gdelt | Format::Plover) {
        return Err(StoreError::Invalid(
            "GDELT and PLOVER exports have one row per event; mention-level rows are for csv, jsonl and parquet".into(),
        ));
    }
    let io_err = |e: std::io::Error| crate::schema::io(name, "cannot write", e);
    let mut out = std::io::BufWriter::new(out);
    let mut summary = ExportSummary::default();
    match format {
        Format::Parquet => return Err(StoreError::Invalid("Parquet is written by export(), not export_text()".into())),
        Format::Csv => {
            query::write_csv_row(&mut out, COLUMNS.iter().map(|c| c.name.to_string())).map_err(io_err)?;
            summary.rows = query::for_each(store, filter, level, |e| {
                query::write_csv_row(&mut out, query::values(&e).iter().map(Value::to_cell)).map_err(io_err)
            })?;
        }
        Format::Jsonl => {
            summary.rows = query::for_each(store, filter, level, |e| json_line(&mut out, &query::JsonEvent::new(&e)).map_err(io_err))?;
        }
        Format::Gdelt => {
            summary.rows = query::for_each(store, filter, level, |e| {
                let row = gdelt_row(&e);
                out.write_all(row.join("\t").as_bytes()).and_then(|()| out.write_all(b"\n")).map_err(io_err)
            })?;
        }
        Format::Plover => {
            let mut left_out = 0;
            let n = query::for_each(store, filter, level, |e| match plover(&e) {
                Some(obj) => json_line(&mut out, &obj).map_err(io_err),
                None => {
                    left_out += 1;
                    Ok(())
                }
            })?;
            summary.rows = n - left_out;
            summary.left_out = left_out;
        }
    }
    out.flush().map_err(io_err)?;
    Ok(summary)
}

fn json_line<W: Write, T: serde::Serialize>(out: &mut W, v: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")
}

/// The 61 columns of a GDELT 2.0 Events file, in order, and what dyad writes in
/// each. "empty": dyad has no such value, and the field is empty (as GDELT's own
/// are when unknown).
///
/// | # | GDELT column | dyad |
/// |---|---|---|
/// | 1 | GLOBALEVENTID | `event_id` |
/// | 2 | SQLDATE | event date (first day of its interval), YYYYMMDD |
/// | 3 | MonthYear | YYYYMM of the event date |
/// | 4 | Year | YYYY of the event date |
/// | 5 | FractionDate | YYYY + ((MM − 1) × 30 + DD) / 365, 4 decimals (GDELT's formula) |
/// | 6 | Actor1Code | `source.code` |
/// | 7 | Actor1Name | `source.name` |
/// | 8 | Actor1CountryCode | `source.country` (ISO alpha-3, which CAMEO's country codes are) |
/// | 9 | Actor1KnownGroupCode | empty |
/// | 10 | Actor1EthnicCode | empty |
/// | 11 | Actor1Religion1Code | empty |
/// | 12 | Actor1Religion2Code | empty |
/// | 13 | Actor1Type1Code | `source.role` |
/// | 14 | Actor1Type2Code | empty |
/// | 15 | Actor1Type3Code | empty |
/// | 16-25 | Actor2… (same ten) | from `target`, as for Actor1 |
/// | 26 | IsRootEvent | 1 if a mention is the first sentence of its article, else 0 |
/// | 27 | EventCode | `code` |
/// | 28 | EventBaseCode | first three digits of `code` (the code itself when shorter) |
/// | 29 | EventRootCode | `root` |
/// | 30 | QuadClass | `quad_class` |
/// | 31 | GoldsteinScale | `goldstein` |
/// | 32 | NumMentions | `num_mentions` |
/// | 33 | NumSources | `num_sources` |
/// | 34 | NumArticles | `num_articles` |
/// | 35 | AvgTone | empty (dyad does not score tone) |
/// | 36-43 | Actor1Geo_Type, _FullName, _CountryCode, _ADM1Code, _ADM2Code, _Lat, _Long, _FeatureID | empty (dyad locates events, not actors) |
/// | 44-51 | Actor2Geo_… (same eight) | empty |
/// | 52 | ActionGeo_Type | 1 (country) for a location without coordinates, 4 (world city) with them, 3 (US city) with them in the USA; empty without a location |
/// | 53 | ActionGeo_FullName | `location.name` |
/// | 54 | ActionGeo_CountryCode | empty (GDELT uses FIPS 10-4 here; dyad's ISO code is in the other exports) |
/// | 55 | ActionGeo_ADM1Code | empty |
/// | 56 | ActionGeo_ADM2Code | empty |
/// | 57 | ActionGeo_Lat | `location.lat` |
/// | 58 | ActionGeo_Long | `location.lon` |
/// | 59 | ActionGeo_FeatureID | empty |
/// | 60 | DATEADDED | UTC time the event was first stored, YYYYMMDDHHMMSS |
/// | 61 | SOURCEURL | url of the representative record's document, else its document id |
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// One event as a GDELT 2.0 Events row (see [`GDELT_COLUMNS`]). Tabs and line
/// breaks inside values become spaces.
pub fn gdelt_row(e: &StoredEvent) -> [String; 61] {
    let r = &e.record;
    let mut row: [String; 61] = std::array::from_fn(|_| String::new());
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let date = digits(&r.date.start);
    if date.len() == 8 {
        let (y, m, d) = (&date[..4], &date[4..6], &date[6..8]);
        row[1] = date.clone();
        row[2] = format!("{y}{m}");
        row[3] = y.to_string();
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<f64>(), m.parse::<f64>(), d.parse::<f64>()) {
            row[4] = format!("{:.4}", y + ((m - 1.0) * 30.0 + d) / 365.0);
        }
    }
    row[0] = e.event_id.to_string();
    for (side, base) in [(&r.source, 5), (&r.target, 15)] {
        if let Some(a) = side {
            row[base] = clean(&a.code);
            row[base + 1] = clean(&a.name);
            row[base + 2] = a.country.as_deref().map(clean).unwrap_or_default();
            row[base + 7] = a.role.as_deref().map(clean).unwrap_or_default();
        }
    }
    row[25] = if e.is_root { "1" } else { "0" }.into();
    row[26] = r.code.as_str().into();
    row[27] = r.code.get(..3).unwrap_or(&r.code).to_string();
    row[28] = r.root.as_str().into();
    row[29] = r.quad_class.to_string();
    row[30] = format!("{:.1}", r.goldstein);
    row[31] = e.num_mentions.to_string();
    row[32] = e.num_sources.to_string();
    row[33] = e.num_articles.to_string();
    if let Some(l) = &r.location {
        let has_point = l.lat.is_some() && l.lon.is_some();
        row[51] = match (has_point, l.country.as_deref()) {
            (false, _) => "1",
            (true, Some("USA")) => "3",
            (true, _) => "4",
        }
        .into();
        row[52] = clean(&l.name);
        row[56] = l.lat.map(|v| v.to_string()).unwrap_or_default();
        row[57] = l.lon.map(|v| v.to_string()).unwrap_or_default();
    }
    row[59] = digits(&e.first_added);
    row[60] = clean(e.doc.url.as_deref().unwrap_or(&e.doc.id));
    row
}

/// One event as a PLOVER record, or `None` when its CAMEO code has no PLOVER
/// event type.
pub fn plover(e: &StoredEvent) -> Option<PloverEvent<'_>> {
    let r = &e.record;
    let event = dyad::codebook::Codebook::builtin().resolve(&r.code)?.plover.as_deref()?;
    type Side<'b> = (Option<&'b str>, Option<&'b str>, Option<&'b str>, Option<&'b str>);
    fn side(a: &Option<dyad::record::ActorRecord>) -> Side<'_> {
        match a {
            Some(a) => (Some(a.name.as_str()), Some(a.code.as_str()), a.country.as_deref(), a.role.as_deref()),
            None => (None, None, None, None),
        }
    }
    let (actor, actor_code, actor_country, actor_role) = side(&r.source);
    let (recipient, recipient_code, recipient_country, recipient_role) = side(&r.target);
    Some(PloverEvent {
        id: format!("dyad-{}", e.event_id),
        date: &r.date.start,
        date_end: &r.date.end,
        event,
        mode: None,
        context: Vec::new(),
        actor,
        actor_code,
        actor_country,
        actor_role,
        recipient,
        recipient_code,
        recipient_country,
        recipient_role,
        cameo: &r.code,
        quad_class: r.quad_class,
        goldstein: r.goldstein,
        status: &r.status,
        location: r.location.as_ref(),
        text: &r.sentence_text,
        source: &e.doc.outlet,
        url: e.doc.url.as_deref(),
        publication_date: &e.doc.published,
        num_mentions: e.num_mentions,
        num_sources: e.num_sources,
        num_articles: e.num_articles,
    })
}

/// A PLOVER record as `export --format plover` writes it: the event in PLOVER's
/// terms (`event` type, `mode`, `context`, `actor`, `recipient`), with dyad's
/// CAMEO code, status, evidence and counts alongside. dyad does not code PLOVER
/// modes or contexts: `mode` is null and `context` empty.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PloverEvent<'a> {
    /// `dyad-` + the event id.
    pub id: String,
    /// The event's date interval.
    pub date: &'a str,
    pub date_end: &'a str,
    /// The PLOVER event type (CONSULT, ASSAULT, ...).
    pub event: &'a str,
    pub mode: Option<&'a str>,
    pub context: Vec<&'a str>,
    pub actor: Option<&'a str>,
    pub actor_code: Option<&'a str>,
    pub actor_country: Option<&'a str>,
    pub actor_role: Option<&'a str>,
    pub recipient: Option<&'a str>,
    pub recipient_code: Option<&'a str>,
    pub recipient_country: Option<&'a str>,
    pub recipient_role: Option<&'a str>,
    pub cameo: &'a str,
    pub quad_class: u8,
    pub goldstein: f64,
    pub status: &'a str,
    pub location: Option<&'a dyad::record::LocationRecord>,
    /// The representative sentence.
    pub text: &'a str,
    /// The outlet.
    pub source: &'a str,
    pub url: Option<&'a str>,
    pub publication_date: &'a str,
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
}

/// Rows per Parquet row group.
const ROW_GROUP: usize = 65_536;

/// Buffers rows column by column and writes a row group when full.
struct ParquetSink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<Vec<Value>>,
    path: PathBuf,
}

impl<W: Write + Send> ParquetSink<W> {
    fn new(out: W, path: &Path) -> Result<Self> {
        let perr = |source| StoreError::Parquet { path: path.to_path_buf(), cause: source };
        let mut fields = Vec::with_capacity(COLUMNS.len());
        for c in COLUMNS {
            let (physical, logical) = match c.kind {
                Kind::Int => (Physical::INT64, None),
                Kind::Float => (Physical::DOUBLE, None),
                Kind::Bool => (Physical::BOOLEAN, None),
                Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                Kind::Date => (Physical::INT32, Some(LogicalType::Date)),
            };
            let t = Type::primitive_type_builder(c.name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map_err(perr)?;
            fields.push(Arc::new(t));
        }
        let schema = Arc::new(Type::group_type_builder("dyad_event").with_fields(fields).build().map_err(perr)?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        let writer = SerializedFileWriter::new(out, schema, props).map_err(perr)?;
        Ok(ParquetSink { writer, columns: vec![Vec::new(); COLUMNS.len()], path: path.to_path_buf() })
    }

    fn push(&mut self, row: Vec<Value>) -> Result<()> {
        for (col, v) in self.columns.iter_mut().zip(row) {
            col.push(v);
        }
        if self.columns[0].len() >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.columns[0].is_empty() {
            return Ok(());
        }
        let perr = |source| StoreError::Parquet { path: self.path.clone(), cause: source };
        let mut group = self.writer.next_row_group().map_err(perr)?;
        let mut i = 0;
        while let Some(mut col) = group.next_column().map_err(perr)? {
            let values = std::mem::take(&mut self.columns[i]);
            let defs: Vec<i16> = values.iter().map(|v| i16::from(*v != Value::Null)).collect();
            let written = match COLUMNS[i].kind {
                Kind::Int => {
                    let vals: Vec<i64> = values.iter().filter_map(|v| if let Value::Int(x) = v { Some(*x) } else { None }).collect();
                    col.typed::<Int64Type>().write_batch(&vals, Some(&defs), None)
                }
                Kind::Float => {
                    let vals: Vec<f64> = values.iter().filter_map(|v| if let Value::Float(x) = v { Some(*x) } else { None }).collect();
                    col.typed::<DoubleType>().write_batch(&vals, Some(&defs), None)
                }
                Kind::Bool => {
                    let vals: Vec<bool> = values.iter().filter_map(|v| if let Value::Bool(x) = v { Some(*x) } else { None }).collect();
                    col.typed::<BoolType>().write_batch(&vals, Some(&defs), None)
                }
                Kind::Text => {
                    let vals: Vec<ByteArray> = values
                        .iter()
                        .filter_map(|v| if let Value::Text(s) = v { Some(ByteArray::from(s.as_str())) } else { None })
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&vals, Some(&defs), None)
                }
                Kind::Date => {
                    // A value that is not a date is written as null.
                    let days: Vec<Option<i32>> = values.iter().map(|v| if let Value::Date(s) = v { epoch_days(s) } else { None }).collect();
                    let defs: Vec<i16> = days.iter().map(|d| i16::from(d.is_some())).collect();
                    let vals: Vec<i32> = days.into_iter().flatten().collect();
                    col.typed::<Int32Type>().write_batch(&vals, Some(&defs), None)
                }
            };
            written.map_err(perr)?;
            col.close().map_err(perr)?;
            i += 1;
        }
        group.close().map_err(perr)?;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        let path = self.path.clone();
        let mut out = self.writer.into_inner().map_err(|source| StoreError::Parquet { path: path.clone(), cause: source })?;
        out.flush().map_err(|e| crate::schema::io(&path, "cannot write", e))
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (Parquet's DATE).
fn epoch_days(s: &str) -> Option<i32> {
    let d = dyad::document::parse_date(s).ok()?;
    let span = d.since(jiff::civil::date(1970, 1, 1)).ok()?;
    Some(span.get_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse() {
        assert_eq!("GDELT".parse::<Format>(), Ok(Format::Gdelt));
        assert_eq!("ndjson".parse::<Format>(), Ok(Format::Jsonl));
        assert!("xlsx".parse::<Format>().unwrap_err().contains("use gdelt, plover, parquet, csv or jsonl"));
    }

    #[test]
    fn epoch_days_of_dates() {
        assert_eq!(epoch_days("1970-01-01"), Some(0));
        assert_eq!(epoch_days("2024-11-07"), Some(20034));
        assert_eq!(epoch_days("1969-12-31"), Some(-1));
        assert_eq!(epoch_days("no"), None);
    }

    #[test]
    fn gdelt_has_61_distinct_columns() {
        let mut names = GDELT_COLUMNS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 61);
        assert_eq!(GDELT_COLUMNS[26], "EventCode");
        assert_eq!(GDELT_COLUMNS[60], "SOURCEURL");
    }
}
