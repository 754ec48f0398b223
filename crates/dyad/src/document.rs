//! Documents, and turning input files into them: `.txt` (one article), `.jsonl`
//! (one article a line, streamed), `.html`/`.htm` (a saved page; see
//! [`crate::html`]) and standard input (`-`). This module owns what a document is,
//! where its id and publication date come from, and reporting every input (file,
//! JSONL line, stdin) it could not turn into a document as a [`Skipped`] that names
//! the input and says what is wrong, so a batch goes on and nothing is silently
//! lost. It does not code anything, and it does not print: the caller decides how
//! to report what was skipped.
//!
//! Two levels of failure: [`read_input`] returns `Err` when the whole input yields
//! nothing (missing file, unsupported type, binary, not UTF-8, empty, a `.txt` with
//! no `--published`); the [`Documents`] iterator yields `Err` for one bad JSONL line
//! and carries on with the next.
//!
//! Publication dates: `ReadOptions::published` (`--published`) is the date of a
//! `.txt` or plain-text stdin document (required there), overrides the date found
//! in an HTML page, and is the fallback for a JSONL line that has no `published`
//! field (a line with a `published` that is not a date is skipped even then).

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;

use crate::html;

/// One news article to code.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub published: Date,
    pub url: Option<String>,
    pub title: Option<String>,
}

/// What the command line says about the inputs (`--published`, `--doc-id`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadOptions {
    /// The publication date: required for plain text, overrides an HTML page's own,
    /// fallback for JSONL lines without one.
    pub published: Option<Date>,
    /// The id of a `.txt`, `.html` or plain-text stdin document (default: the file
    /// stem, or `stdin`). Not used for JSONL, whose lines carry their own ids.
    pub doc_id: Option<String>,
}

/// An input that did not become a document, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file, `file:line` for a JSONL line, or `<stdin>` (`<stdin>:line`).
    pub input: String,
    /// What is wrong, said so the user can fix it.
    pub reason: String,
}

impl Skipped {
    pub fn new(input: impl Into<String>, reason: impl Into<String>) -> Self {
        Skipped { input: input.into(), reason: reason.into() }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.reason)
    }
}

impl std::error::Error for Skipped {}

/// How many leading bytes are checked for NUL to tell binary files from text.
const SNIFF_LEN: usize = 8 * 1024;

const EXPECTED: &str = "expected .txt, .jsonl or .html";

/// Parse a `YYYY-MM-DD` date (as given to `--published` or in JSONL), with a
/// message that says what is wrong.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let t = s.trim();
    let b = t.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("'{s}' is not a date: expected YYYY-MM-DD, e.g. 2024-11-07"));
    }
    let num = |r: std::ops::Range<usize>| -> i16 { t[r].bytes().fold(0i16, |n, d| n * 10 + i16::from(d - b'0')) };
    let (y, m, d) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
    if !(1..=12).contains(&m) {
        return Err(format!("'{s}' is not a date (YYYY-MM-DD): there is no month {m}"));
    }
    Date::new(y, m, d).map_err(|_| {
        let days = Date::new(y, m, 1).map(|first| first.days_in_month()).unwrap_or(31);
        format!("'{s}' is not a date (YYYY-MM-DD): month {m:02} of {y} has {days} days")
    })
}

/// The documents of one input, in order: a single one for `.txt`, `.html` and
/// plain-text stdin; one per non-blank line for JSONL, read a line at a time (a
/// JSONL file is never wholly in memory). A bad line is an `Err` naming
/// `file:line`, and iteration goes on with the next line.
pub struct Documents {
    state: State,
}

enum State {
    One(Option<Document>),
    Jsonl(JsonlLines),
}

impl Documents {
    fn one(doc: Document) -> Self {
        Documents { state: State::One(Some(doc)) }
    }
}

impl Iterator for Documents {
    type Item = Result<Document, Skipped>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.state {
            State::One(doc) => doc.take().map(Ok),
            State::Jsonl(lines) => lines.next(),
        }
    }
}

impl fmt::Debug for Documents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.state {
            State::One(d) => f.debug_tuple("Documents::One").field(d).finish(),
            State::Jsonl(l) => f.debug_struct("Documents::Jsonl").field("input", &l.name).field("line", &l.line_no).finish(),
        }
    }
}

/// Open one input: a path, or `-` for standard input.
///
/// By extension (any case): `.txt`; `.jsonl` (or `.ndjson`); `.html`/`.htm`.
/// Standard input is JSONL when its first non-whitespace byte is `{`, HTML when it
/// starts with `<!doctype html` or `<html`, plain text otherwise.
pub fn read_input(path: &Path, opts: &ReadOptions) -> Result<Documents, Skipped> {
    if path.as_os_str() == "-" {
        return read_stream("<stdin>", "stdin", Box::new(io::stdin()), opts);
    }
    let name = path.display().to_string();
    let skip = |reason: String| Skipped::new(name.clone(), reason);
    let meta = std::fs::metadata(path).map_err(|e| skip(format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(skip(format!("is a directory, not a file (name the files in it, e.g. {}/*.txt)", name.trim_end_matches('/'))));
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    let stem = || path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let id = |opts: &ReadOptions| opts.doc_id.clone().unwrap_or_else(stem);
    match ext.as_deref() {
        Some("txt") => {
            let published = opts.published.ok_or_else(|| skip(needs_published(".txt file")))?;
            let text = read_text(path, &name)?;
            Ok(Documents::one(Document { id: id(opts), text, published, url: None, title: None }))
        }
        Some("html" | "htm") => {
            let raw = read_text(path, &name)?;
            html_document(&name, id(opts), &raw, opts).map(Documents::one)
        }
        Some("jsonl" | "ndjson") => {
            let file = File::open(path).map_err(|e| skip(format!("cannot read: {e}")))?;
            jsonl(&name, Box::new(BufReader::new(file)), opts)
        }
        Some(other) => Err(skip(format!("unsupported file type '.{other}' ({EXPECTED})"))),
        None => Err(skip(format!("has no file extension, so its type is unknown ({EXPECTED})"))),
    }
}

fn needs_published(what: &str) -> String {
    format!("a {what} needs --published YYYY-MM-DD (the publication date anchors relative dates)")
}

/// Read a whole text file: not empty, not binary, valid UTF-8 (a leading BOM is
/// dropped).
fn read_text(path: &Path, name: &str) -> Result<String, Skipped> {
    let bytes = std::fs::read(path).map_err(|e| Skipped::new(name, format!("cannot read: {e}")))?;
    bytes_to_text(name, bytes)
}

fn bytes_to_text(name: &str, mut bytes: Vec<u8>) -> Result<String, Skipped> {
    let skip = |reason: String| Skipped::new(name, reason);
    if bytes.is_empty() {
        return Err(skip("is empty: nothing to code".into()));
    }
    if looks_binary(&bytes) {
        return Err(skip("looks binary, not text (it has NUL bytes)".into()));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(_) => {
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            // Checked just above; a BOM is whole characters.
            String::from_utf8(bytes).map_err(|e| skip(not_utf8(e.utf8_error().valid_up_to())))?
        }
        Err(e) => return Err(skip(not_utf8(e.valid_up_to()))),
    };
    if text.trim().is_empty() {
        return Err(skip("is empty: nothing to code (only whitespace)".into()));
    }
    Ok(text)
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(SNIFF_LEN)].contains(&0)
}

fn not_utf8(offset: usize) -> String {
    format!("is not valid UTF-8 (first bad byte at offset {offset}); convert it to UTF-8 first")
}

fn html_document(name: &str, id: String, raw: &str, opts: &ReadOptions) -> Result<Document, Skipped> {
    let page = html::extract(raw);
    if page.text.trim().is_empty() {
        return Err(Skipped::new(name, "has no article text (nothing outside scripts, navigation, headers, footers and forms)"));
    }
    let published = opts.published.or(page.published).ok_or_else(|| {
        Skipped::new(
            name,
            "has no publication date (no article:published_time, date <meta>, JSON-LD \
             datePublished or <time datetime>); pass --published YYYY-MM-DD",
        )
    })?;
    Ok(Document { id, text: page.text, published, url: page.url, title: page.title })
}

/// What a stream without a file name holds, judged by how it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StreamFormat {
    Jsonl,
    Html,
    Text,
}

/// JSONL if the first non-whitespace byte is `{`, HTML if it starts with
/// `<!doctype html` or `<html`, else plain text.
fn sniff(head: &[u8]) -> StreamFormat {
    let start = head.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(head.len());
    let rest = &head[start..];
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if rest.first() == Some(&b'{') {
        StreamFormat::Jsonl
    } else if starts(b"<!doctype html") || starts(b"<html") {
        StreamFormat::Html
    } else {
        StreamFormat::Text
    }
}

/// Read the start of a stream: at least [`SNIFF_LEN`] bytes (or all of it), and on
/// until a non-whitespace byte if all of those are whitespace.
fn read_head<R: Read + ?Sized>(mut r: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    let mut seen_text = false;
    loop {
        if head.len() >= SNIFF_LEN && seen_text {
            break;
        }
        let from = head.len();
        let n = (&mut r).take(SNIFF_LEN as u64).read_to_end(&mut head)?;
        seen_text = seen_text || head[from..].iter().any(|c| !c.is_ascii_whitespace());
        if n == 0 {
            break;
        }
    }
    Ok(head)
}

/// A stream with no name to go by (standard input), sniffed as [`sniff`] says.
/// `name` is used in messages, `default_id` for a text or HTML document without
/// `--doc-id`.
fn read_stream(name: &str, default_id: &str, mut reader: Box<dyn Read + Send>, opts: &ReadOptions) -> Result<Documents, Skipped> {
    let skip = |reason: String| Skipped::new(name, reason);
    let head = read_head(&mut reader).map_err(|e| skip(format!("cannot read: {e}")))?;
    let id = || opts.doc_id.clone().unwrap_or_else(|| default_id.to_string());
    match sniff(&head) {
        StreamFormat::Jsonl => jsonl(name, Box::new(Cursor::new(head).chain(BufReader::new(reader))), opts),
        format => {
            // Checked before reading it all: a missing date should not cost a read
            // of everything piped in.
            if format == StreamFormat::Text && opts.published.is_none() && !head.iter().all(u8::is_ascii_whitespace) {
                return Err(skip(needs_published("plain-text standard input")));
            }
            let mut bytes = head;
            reader.read_to_end(&mut bytes).map_err(|e| skip(format!("cannot read: {e}")))?;
            let text = bytes_to_text(name, bytes)?;
            if format == StreamFormat::Html {
                return html_document(name, id(), &text, opts).map(Documents::one);
            }
            let published = opts.published.ok_or_else(|| skip(needs_published("plain-text standard input")))?;
            Ok(Documents::one(Document { id: id(), text, published, url: None, title: None }))
        }
    }
}

/// Start reading JSONL: checks that the input is not empty and not binary, then
/// yields documents a line at a time.
fn jsonl(name: &str, mut reader: Box<dyn BufRead + Send>, opts: &ReadOptions) -> Result<Documents, Skipped> {
    let skip = |reason: String| Skipped::new(name, reason);
    let head = read_head(&mut reader).map_err(|e| skip(format!("cannot read: {e}")))?;
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(skip("is empty: nothing to code".into()));
    }
    if looks_binary(&head) {
        return Err(skip("looks binary, not text (it has NUL bytes)".into()));
    }
    Ok(Documents {
        state: State::Jsonl(JsonlLines {
            name: name.to_string(),
            reader: Box::new(Cursor::new(head).chain(reader)),
            line_no: 0,
            buf: Vec::new(),
            fallback_published: opts.published,
            done: false,
        }),
    })
}

struct JsonlLines {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
    buf: Vec<u8>,
    fallback_published: Option<Date>,
    done: bool,
}

impl JsonlLines {
    fn next(&mut self) -> Option<Result<Document, Skipped>> {
        while !self.done {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line_no += 1;
                    let mut line = &self.buf[..];
                    if self.line_no == 1 {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let (name, line_no) = (&self.name, self.line_no);
                    return Some(parse_line(line, self.fallback_published).map_err(|r| Skipped::new(format!("{name}:{line_no}"), r)));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(Skipped::new(
                        format!("{}:{}", self.name, self.line_no + 1),
                        format!("cannot read: {e}; the rest of this input is skipped"),
                    )));
                }
            }
        }
        None
    }
}

/// The fields of a JSONL line that make a document; a missing one is null.
#[derive(Deserialize)]
struct Fields {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    text: Value,
    #[serde(default)]
    published: Value,
    #[serde(default)]
    url: Value,
    #[serde(default)]
    title: Value,
}

/// One JSONL line to a document: `{id, text, published, url?, title?}`; other
/// fields are ignored. `id` may be a string or an integer.
fn parse_line(line: &[u8], fallback_published: Option<Date>) -> Result<Document, String> {
    let line =
        std::str::from_utf8(line).map_err(|e| format!("not valid UTF-8 (first bad byte at offset {} of the line)", e.valid_up_to()))?;
    // An object straight into the five fields (most lines); anything else, or an
    // object that does not read so (bad JSON, a field given twice), is read as a
    // whole value, which says what is wrong or, for a repeated field, takes the
    // last. (Only an object: serde would also read an array into the fields.)
    let direct = if line.trim_start().starts_with('{') { serde_json::from_str::<Fields>(line).ok() } else { None };
    let fields = match direct {
        Some(fields) => fields,
        None => {
            let value: Value = serde_json::from_str(line)
                .map_err(|e| format!("not valid JSON: {}", e.to_string().replace(" at line 1 column ", " at column ")))?;
            let Value::Object(mut obj) = value else {
                return Err(format!("expected a JSON object {{\"id\", \"text\", \"published\", ...}}, found {}", kind(&value)));
            };
            let mut take = |field: &str| obj.remove(field).unwrap_or_default();
            Fields { id: take("id"), text: take("text"), published: take("published"), url: take("url"), title: take("title") }
        }
    };
    let id = match fields.id {
        Value::Null => return Err("missing field `id`".into()),
        Value::String(s) if s.trim().is_empty() => return Err("id: is empty".into()),
        Value::String(s) => s,
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        other => return Err(format!("id: expected a string, found {}", kind(&other))),
    };
    let text = match fields.text {
        Value::Null => return Err(format!("document '{id}': missing field `text`")),
        Value::String(s) => s,
        other => return Err(format!("document '{id}': text: expected a string, found {}", kind(&other))),
    };
    let published = match fields.published {
        Value::Null => fallback_published.ok_or_else(|| {
            format!(
                "document '{id}': missing field `published` (add \"published\": \"YYYY-MM-DD\", \
                 or pass --published YYYY-MM-DD for lines without one)"
            )
        })?,
        Value::String(s) => json_date(&s).map_err(|e| format!("document '{id}': published: {e}"))?,
        other => return Err(format!("document '{id}': published: expected a \"YYYY-MM-DD\" string, found {}", kind(&other))),
    };
    if text.trim().is_empty() {
        return Err(format!("document '{id}': text is empty: nothing to code"));
    }
    let url = optional_string(fields.url, "url").map_err(|e| format!("document '{id}': {e}"))?;
    let title = optional_string(fields.title, "title").map_err(|e| format!("document '{id}': {e}"))?;
    Ok(Document { id, text, published, url, title })
}

/// A JSONL `published`: `YYYY-MM-DD`, or a timestamp starting with one
/// (`2024-11-07T10:00:00Z`), whose civil date is taken as written.
fn json_date(s: &str) -> Result<Date, String> {
    match html::date_prefix(s) {
        Some(d) => Ok(d),
        None if s.trim().len() == 10 => parse_date(s),
        None => Err(format!("'{s}' is not a date (YYYY-MM-DD, or a timestamp that starts with one)")),
    }
}

fn optional_string(value: Value, field: &str) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(format!("{field}: expected a string, found {}", kind(&other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh directory under the system temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!("dyad-document-test-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
            std::fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }

        fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
            let p = self.0.join(name);
            std::fs::write(&p, contents).expect("write temp file");
            p
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn dated() -> ReadOptions {
        ReadOptions { published: Some(date(2024, 11, 7)), doc_id: None }
    }

    fn all(path: &Path, opts: &ReadOptions) -> Vec<Result<Document, Skipped>> {
        read_input(path, opts).expect("input opens").collect()
    }

    fn err(r: Result<Documents, Skipped>) -> Skipped {
        match r {
            Ok(docs) => panic!("expected a Skipped, got {docs:?}"),
            Err(s) => s,
        }
    }

    fn stream(bytes: &[u8], opts: &ReadOptions) -> Result<Documents, Skipped> {
        read_stream("<stdin>", "stdin", Box::new(Cursor::new(bytes.to_vec())), opts)
    }

    #[test]
    fn parse_date_accepts_and_explains() {
        assert_eq!(parse_date("2024-11-07"), Ok(date(2024, 11, 7)));
        assert_eq!(parse_date(" 2024-02-29 "), Ok(date(2024, 2, 29)));
        let e = parse_date("2024-13-01").unwrap_err();
        assert!(e.contains("'2024-13-01' is not a date (YYYY-MM-DD)") && e.contains("no month 13"), "{e}");
        let e = parse_date("2023-02-29").unwrap_err();
        assert!(e.contains("has 28 days"), "{e}");
        for bad in ["", "yesterday", "2024-1-7", "07/11/2024", "2024-11-07T10:00", "２０２４-11-07"] {
            let e = parse_date(bad).unwrap_err();
            assert!(e.contains("expected YYYY-MM-DD"), "{bad}: {e}");
        }
    }

    #[test]
    fn skipped_display() {
        let s = Skipped::new("a.jsonl:3", "missing field `id`");
        assert_eq!(s.to_string(), "a.jsonl:3: missing field `id`");
    }

    #[test]
    fn txt_file() {
        let dir = TempDir::new();
        let p = dir.file("seed-article.txt", "\u{FEFF}Ishiba spoke with Trump on Thursday.\n");
        let docs = all(&p, &dated());
        assert_eq!(
            docs,
            [Ok(Document {
                id: "seed-article".into(),
                text: "Ishiba spoke with Trump on Thursday.\n".into(),
                published: date(2024, 11, 7),
                url: None,
                title: None,
            })]
        );
        let opts = ReadOptions { doc_id: Some("custom".into()), ..dated() };
        assert_eq!(all(&p, &opts)[0].as_ref().map(|d| d.id.as_str()), Ok("custom"));
        // Extension case does not matter.
        let p = dir.file("UPPER.TXT", "text");
        assert_eq!(all(&p, &dated()).len(), 1);
    }

    #[test]
    fn txt_needs_published() {
        let dir = TempDir::new();
        let p = dir.file("a.txt", "Some news.");
        let s = err(read_input(&p, &ReadOptions::default()));
        assert_eq!(s.input, p.display().to_string());
        assert_eq!(s.reason, "a .txt file needs --published YYYY-MM-DD (the publication date anchors relative dates)");
    }

    #[test]
    fn file_errors() {
        let dir = TempDir::new();
        let missing = dir.0.join("missing.txt");
        let s = err(read_input(&missing, &dated()));
        assert!(s.to_string().starts_with(&format!("{}: cannot read: ", missing.display())), "{s}");
        assert!(s.reason.contains("os error"), "{s}");

        let s = err(read_input(&dir.0, &dated()));
        assert!(s.reason.starts_with("is a directory"), "{s}");

        let s = err(read_input(&dir.file("paper.pdf", "%PDF-1.4"), &dated()));
        assert_eq!(s.reason, "unsupported file type '.pdf' (expected .txt, .jsonl or .html)");
        let s = err(read_input(&dir.file("README", "text"), &dated()));
        assert!(s.reason.starts_with("has no file extension"), "{s}");

        for (name, contents) in [("empty.txt", ""), ("empty.jsonl", ""), ("empty.html", "")] {
            let s = err(read_input(&dir.file(name, contents), &dated()));
            assert_eq!(s.reason, "is empty: nothing to code", "{name}");
        }
        for name in ["blank.txt", "blank.jsonl"] {
            let s = err(read_input(&dir.file(name, " \n\t\r\n  \n"), &dated()));
            assert!(s.reason.starts_with("is empty: nothing to code"), "{name}: {s}");
        }

        let mut binary = b"GIF89a".to_vec();
        binary.extend_from_slice(&[0, 1, 2, 0, 255]);
        for name in ["pic.txt", "pic.jsonl", "pic.html"] {
            let s = err(read_input(&dir.file(name, &binary), &dated()));
            assert!(s.reason.starts_with("looks binary, not text"), "{name}: {s}");
        }

        let s = err(read_input(&dir.file("latin1.txt", b"caf\xe9 au lait"), &dated()));
        assert!(s.reason.starts_with("is not valid UTF-8 (first bad byte at offset 3)"), "{s}");
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_reports_os_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new();
        let p = dir.file("locked.txt", "text");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        // Root reads anything; only check when the file really is unreadable.
        if std::fs::read(&p).is_err() {
            let s = err(read_input(&p, &dated()));
            assert!(s.reason.starts_with("cannot read: ") && s.reason.contains("os error"), "{s}");
        }
    }

    #[test]
    fn big_txt_file_reads() {
        let dir = TempDir::new();
        let para = "The minister met his counterpart in Geneva on Tuesday and both sides called the talks constructive.\n\n";
        let text = para.repeat(20 * 1024 * 1024 / para.len() + 1);
        assert!(text.len() >= 20 * 1024 * 1024);
        let p = dir.file("big.txt", &text);
        let docs = all(&p, &dated());
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].as_ref().map(|d| d.text.len()), Ok(text.len()));
    }

    #[test]
    fn jsonl_batch() {
        let dir = TempDir::new();
        let p = dir.file(
            "batch.jsonl",
            concat!(
                r#"{"id": "a", "text": "First.", "published": "2024-11-07", "url": "https://x.example/a", "title": "A"}"#,
                "\n\n",
                r#"{"id": 42, "text": "Second.", "published": "2024-11-08T09:30:00+09:00", "source": "ignored"}"#,
                "\r\n",
                r#"{"id": "c", "text": "Third.", "published": "2024-11-09", "url": null}"#,
                "\n   \n",
            ),
        );
        let docs: Vec<Document> = all(&p, &ReadOptions::default()).into_iter().map(|d| d.unwrap()).collect();
        assert_eq!(docs.len(), 3);
        assert_eq!(
            docs[0],
            Document {
                id: "a".into(),
                text: "First.".into(),
                published: date(2024, 11, 7),
                url: Some("https://x.example/a".into()),
                title: Some("A".into()),
            }
        );
        assert_eq!((docs[1].id.as_str(), docs[1].published), ("42", date(2024, 11, 8)));
        assert_eq!((docs[2].id.as_str(), docs[2].url.as_deref()), ("c", None));
    }

    #[test]
    fn jsonl_bad_line_in_the_middle() {
        let dir = TempDir::new();
        let lines = [
            r#"{"id": "1", "text": "One.", "published": "2024-11-07"}"#,
            r#"{"id": "2", "text": "Two.", "published": "2024-11-07"}"#,
            r#"{"id": "3", "text": "Three.", "published": "2024-11-07""#,
            r#"{"id": "4", "text": "Four.", "published": "2024-11-07"}"#,
        ];
        let p = dir.file("mixed.jsonl", lines.join("\n"));
        let out = all(&p, &ReadOptions::default());
        let ids: Vec<_> = out.iter().map(|r| r.as_ref().map(|d| d.id.as_str())).collect();
        assert_eq!(ids.len(), 4);
        assert_eq!((ids[0], ids[1], ids[3]), (Ok("1"), Ok("2"), Ok("4")));
        let s = out[2].as_ref().unwrap_err();
        assert_eq!(s.input, format!("{}:3", p.display()));
        assert!(s.reason.starts_with("not valid JSON: "), "{s}");
        assert!(s.to_string().starts_with(&format!("{}:3: not valid JSON: ", p.display())));
    }

    #[test]
    fn jsonl_line_errors() {
        let dir = TempDir::new();
        let lines = [
            r#"{"id": "ok", "text": "Fine.", "published": "2024-11-07"}"#,
            r#"{"text": "No id.", "published": "2024-11-07"}"#,
            r#"{"id": "np", "text": "No date."}"#,
            r#"{"id": "bd", "text": "Bad date.", "published": "2024-13-01"}"#,
            r#"{"id": "et", "text": "  \n ", "published": "2024-11-07"}"#,
            r#"{"id": "nt", "published": "2024-11-07"}"#,
            r#"["not", "an", "object"]"#,
            r#"{"id": "tn", "text": 5, "published": "2024-11-07"}"#,
            r#"{"id": "pn", "text": "x", "published": 20241107}"#,
            r#"{"id": "un", "text": "x", "published": "2024-11-07", "url": 3}"#,
            r#"{"id": "ts", "text": "x", "published": "2024-02-30T10:00:00Z"}"#,
        ];
        let p = dir.file("errors.jsonl", lines.join("\n"));
        let out = all(&p, &ReadOptions::default());
        assert_eq!(out.len(), lines.len());
        assert!(out[0].is_ok());
        let reasons: Vec<String> = out[1..].iter().map(|r| r.as_ref().unwrap_err().reason.clone()).collect();
        let expect = [
            "missing field `id`",
            "document 'np': missing field `published`",
            "document 'bd': published: '2024-13-01' is not a date (YYYY-MM-DD)",
            "document 'et': text is empty: nothing to code",
            "document 'nt': missing field `text`",
            "expected a JSON object",
            "document 'tn': text: expected a string, found a number",
            "document 'pn': published: expected a \"YYYY-MM-DD\" string, found a number",
            "document 'un': url: expected a string, found a number",
            "document 'ts': published: '2024-02-30T10:00:00Z' is not a date (YYYY-MM-DD",
        ];
        for (i, (got, want)) in reasons.iter().zip(expect).enumerate() {
            assert!(got.starts_with(want), "line {}: {got:?} should start with {want:?}", i + 2);
        }
        for (i, r) in out.iter().enumerate().skip(1) {
            assert_eq!(r.as_ref().unwrap_err().input, format!("{}:{}", p.display(), i + 1));
        }

        // --published fills in a missing date, never a bad one.
        let out = all(&p, &dated());
        assert_eq!(out[2].as_ref().map(|d| d.published), Ok(date(2024, 11, 7)));
        assert!(out[3].is_err());
    }

    #[test]
    fn jsonl_invalid_utf8_line_is_skipped_alone() {
        let dir = TempDir::new();
        let mut bytes = br#"{"id": "a", "text": "caf"#.to_vec();
        bytes.extend_from_slice(b"\xe9\", \"published\": \"2024-11-07\"}\n");
        bytes.extend_from_slice(br#"{"id": "b", "text": "ok", "published": "2024-11-07"}"#);
        let p = dir.file("bad-utf8.jsonl", bytes);
        let out = all(&p, &ReadOptions::default());
        assert_eq!(out.len(), 2);
        let s = out[0].as_ref().unwrap_err();
        assert_eq!(s.reason, "not valid UTF-8 (first bad byte at offset 24 of the line)");
        assert_eq!(out[1].as_ref().map(|d| d.id.as_str()), Ok("b"));
    }

    #[test]
    fn jsonl_streams_many_lines() {
        let dir = TempDir::new();
        let mut s = String::new();
        for i in 0..5000 {
            s.push_str(&format!("{{\"id\": \"d{i}\", \"text\": \"Story {i}.\", \"published\": \"2024-11-07\"}}\n"));
        }
        let p = dir.file("many.ndjson", s);
        let mut n = 0;
        for (i, d) in read_input(&p, &ReadOptions::default()).unwrap().enumerate() {
            assert_eq!(d.unwrap().id, format!("d{i}"));
            n += 1;
        }
        assert_eq!(n, 5000);
    }

    const HTML: &str = r#"<!doctype html><html><head>
        <title>Talks in Geneva - Example</title>
        <meta name="date" content="2024-11-05">
        <link rel="canonical" href="https://news.example/geneva">
        <script>console.log("SCRIPT")</script></head>
        <body><nav>Home | World</nav>
        <p>The ministers met in Geneva &amp; agreed to talk again.</p>
        <p>&ldquo;It was useful,&rdquo; one said.</p>
        <footer>Copyright</footer></body></html>"#;

    #[test]
    fn html_file() {
        let dir = TempDir::new();
        let p = dir.file("geneva.html", HTML);
        let docs = all(&p, &ReadOptions::default());
        assert_eq!(
            docs,
            [Ok(Document {
                id: "geneva".into(),
                text: "The ministers met in Geneva & agreed to talk again.\n\n\u{201C}It was useful,\u{201D} one said.".into(),
                published: date(2024, 11, 5),
                url: Some("https://news.example/geneva".into()),
                title: Some("Talks in Geneva - Example".into()),
            })]
        );
        // --published wins over the page's date; --doc-id over the stem.
        let opts = ReadOptions { published: Some(date(2024, 1, 2)), doc_id: Some("g".into()) };
        let d = all(&dir.file("geneva.HTM", HTML), &opts).remove(0).unwrap();
        assert_eq!((d.id.as_str(), d.published), ("g", date(2024, 1, 2)));
    }

    #[test]
    fn html_without_date_or_text() {
        let dir = TempDir::new();
        let p = dir.file("nodate.html", "<html><body><p>Text but no date.</p></body></html>");
        let s = err(read_input(&p, &ReadOptions::default()));
        assert!(s.reason.starts_with("has no publication date") && s.reason.contains("--published"), "{s}");
        assert_eq!(all(&p, &dated()).len(), 1);

        let p = dir.file("furniture.html", "<nav>Menu</nav><script>x()</script><footer>(c)</footer>");
        let s = err(read_input(&p, &dated()));
        assert!(s.reason.starts_with("has no article text"), "{s}");
    }

    #[test]
    fn stdin_sniffing() {
        assert_eq!(sniff(b"{\"id\": 1}"), StreamFormat::Jsonl);
        assert_eq!(sniff(b" \n\t {"), StreamFormat::Jsonl);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), StreamFormat::Html);
        assert_eq!(sniff(b"\n<HTML lang=en>"), StreamFormat::Html);
        assert_eq!(sniff(b"Tokyo, Nov 7 (Reuters) - {quoted}"), StreamFormat::Text);
        assert_eq!(sniff(b"<p>fragment</p>"), StreamFormat::Text);
        assert_eq!(sniff(b""), StreamFormat::Text);
        // Whitespace longer than the sniff window still finds the `{`.
        let mut long = vec![b'\n'; SNIFF_LEN * 2 + 5];
        long.extend_from_slice(br#"{"id": "x", "text": "t", "published": "2024-11-07"}"#);
        let out: Vec<_> = stream(&long, &ReadOptions::default()).unwrap().collect();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().map(|d| d.id.as_str()), Ok("x"));
    }

    #[test]
    fn stdin_jsonl_line_numbers_count_leading_blank_lines() {
        let input = b"\n\n{\"id\": \"a\", \"text\": \"t\", \"published\": \"2024-11-07\"}\n{broken\n";
        let out: Vec<_> = stream(input, &ReadOptions::default()).unwrap().collect();
        assert!(out[0].is_ok());
        assert_eq!(out[1].as_ref().unwrap_err().input, "<stdin>:4");
    }

    #[test]
    fn stdin_text_and_html() {
        let docs: Vec<_> = stream(b"  Ishiba spoke with Trump.", &dated()).unwrap().collect();
        assert_eq!(
            docs,
            [Ok(Document {
                id: "stdin".into(),
                text: "  Ishiba spoke with Trump.".into(),
                published: date(2024, 11, 7),
                url: None,
                title: None,
            })]
        );
        let opts = ReadOptions { doc_id: Some("piped".into()), ..dated() };
        let d = stream(b"text", &opts).unwrap().next().unwrap().unwrap();
        assert_eq!(d.id, "piped");

        let s = err(stream(b"Plain text without a date.", &ReadOptions::default()));
        assert_eq!(s.input, "<stdin>");
        assert!(s.reason.starts_with("a plain-text standard input needs --published YYYY-MM-DD"), "{s}");

        let d = stream(HTML.as_bytes(), &ReadOptions::default()).unwrap().next().unwrap().unwrap();
        assert_eq!((d.id.as_str(), d.published), ("stdin", date(2024, 11, 5)));

        assert_eq!(err(stream(b"", &dated())).reason, "is empty: nothing to code");
        assert!(err(stream(b" \n \n", &ReadOptions::default())).reason.starts_with("is empty"));
        assert!(err(stream(b"ab\0cd", &dated())).reason.starts_with("looks binary"));
        assert!(err(stream(b"ab\xffcd", &dated())).reason.contains("first bad byte at offset 2"));
    }

    #[test]
    fn documents_is_send() {
        fn send<T: Send>() {}
        send::<Documents>();
    }
}
