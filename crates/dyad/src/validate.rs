//! Validation suites of the older coders, run against dyad: PETRARCH's unit-test
//! records (an XML file naming its dictionaries in `<Environment>`) and TABARI's
//! validation file (`Validate.text`, with the dictionaries named in the
//! `Validate.project` beside it).
//!
//! Each record is a sentence with the events an expert expects, or the promise
//! that there are none. dyad codes the sentence with the suite's own dictionaries
//! (through [`crate::dict`]) and the record passes when the set of (source, target,
//! code) triples it codes equals the expected set. Records that test a parser dyad
//! does not have (PETRARCH's `bad_input_parse`) pass only if nothing is coded, as
//! PETRARCH's would; records that expect an error pass when dyad codes nothing.
//! This module reads the suites and compares; coding is [`crate::Coder`]'s job.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::{Coder, Document, Lexicon};

/// An expected event: (source code, target code, event code); "---" for an
/// unknown side.
pub type Triple = (String, String, String);

/// One validation record.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: String,
    pub date: Date,
    pub text: String,
    pub expected: BTreeSet<Triple>,
    /// Events that must not be coded (TABARI's `-{...}`).
    pub forbidden: BTreeSet<Triple>,
    /// PETRARCH's `error="..."`: the record expects the coder to refuse it.
    pub error: Option<String>,
    /// Whether an event needs both a source and a target (PETRARCH's
    /// `require_dyad` option, in force for this record).
    pub require_dyad: bool,
}

/// A suite: its dictionaries and records.
#[derive(Clone, Debug)]
pub struct Suite {
    pub dictionaries: Vec<PathBuf>,
    pub records: Vec<Record>,
}

/// How one record went.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub id: String,
    pub passed: bool,
    pub expected: BTreeSet<Triple>,
    pub coded: BTreeSet<Triple>,
    pub note: String,
}

/// The result of a run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed).count()
    }
    pub fn total(&self) -> usize {
        self.outcomes.len()
    }
}

fn show(set: &BTreeSet<Triple>) -> String {
    if set.is_empty() {
        return "none".to_string();
    }
    set.iter().map(|(s, t, c)| format!("{s}/{t}/{c}")).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for o in &self.outcomes {
            if o.passed {
                writeln!(f, "pass {}", o.id)?;
            } else {
                let missing: BTreeSet<Triple> = o.expected.difference(&o.coded).cloned().collect();
                let extra: BTreeSet<Triple> = o.coded.difference(&o.expected).cloned().collect();
                write!(f, "FAIL {}: expected {}; coded {}", o.id, show(&o.expected), show(&o.coded))?;
                if !missing.is_empty() {
                    write!(f, "; missing {}", show(&missing))?;
                }
                if !extra.is_empty() {
                    write!(f, "; extra {}", show(&extra))?;
                }
                if !o.note.is_empty() {
                    write!(f, " ({})", o.note)?;
                }
                writeln!(f)?;
            }
        }
        write!(f, "passed {} of {}", self.passed(), self.total())
    }
}

/// Read a suite: PETRARCH XML (`.xml`) or TABARI (`.text` or `.project`).
pub fn load(path: &Path) -> Result<Suite, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    if text.trim_start().starts_with('<') && text.contains("<Sentence") {
        load_petrarch(&text, dir).map_err(|e| format!("{}: {e}", path.display()))
    } else if path.extension().is_some_and(|e| e == "project") || text.contains("<textfile>") {
        let (dicts, textfile) = read_project(&text, dir);
        let textfile = textfile.ok_or_else(|| format!("{}: no <textfile> line", path.display()))?;
        let body = std::fs::read_to_string(&textfile).map_err(|e| format!("{}: {e}", textfile.display()))?;
        Ok(Suite { dictionaries: dicts, records: parse_tabari(&body).map_err(|e| format!("{}: {e}", textfile.display()))? })
    } else {
        // A TABARI text file: its project is beside it.
        let project = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "project"))
            .ok_or_else(|| format!("{}: a TABARI text file needs a .project file beside it naming its dictionaries", path.display()))?;
        let ptext = std::fs::read_to_string(&project).map_err(|e| format!("{}: {e}", project.display()))?;
        let (dicts, _) = read_project(&ptext, dir);
        Ok(Suite { dictionaries: dicts, records: parse_tabari(&text).map_err(|e| format!("{}: {e}", path.display()))? })
    }
}

/// Run a suite with a lexicon built from its dictionaries.
pub fn run(suite: &Suite, lexicon: &Lexicon) -> Report {
    let mut report = Report::default();
    for r in &suite.records {
        let doc = Document { id: r.id.clone(), text: r.text.clone(), published: r.date, url: None, title: None };
        // The suites code an agent without a country as "---GOV".
        let events = Coder::new(lexicon).with_partial(!r.require_dyad).with_document_country(false).code(&doc);
        let side = |a: &Option<crate::record::ActorRecord>| a.as_ref().map_or_else(|| "---".to_string(), |a| a.code.as_str().to_owned());
        let coded: BTreeSet<Triple> = events.iter().map(|e| (side(&e.source), side(&e.target), e.code.as_str().to_owned())).collect();
        let (passed, note) = if let Some(err) = &r.error {
            (coded.is_empty(), format!("expects error '{err}'"))
        } else {
            (
                coded.is_superset(&r.expected) && coded.difference(&r.expected).next().is_none() && coded.is_disjoint(&r.forbidden),
                String::new(),
            )
        };
        report.outcomes.push(Outcome { id: r.id.clone(), passed, expected: r.expected.clone(), coded, note });
    }
    report
}

/// The value of attribute `name` in a tag's text (`name = "v"` or `name='v'`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let after = &rest[i + name.len()..];
        let boundary = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric();
        let t = after.trim_start();
        if boundary {
            if let Some(v) = t.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let end = v[1..].find(q)?;
                    return Some(v[1..1 + end].to_string());
                }
            }
        }
        rest = after;
    }
    None
}

/// Remove `<!-- ... -->` comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let i = text.find(open)? + open.len();
    let j = text[i..].find(close)? + i;
    Some(&text[i..j])
}

/// YYYYMMDD or YYMMDD (years before 50 are 20xx).
fn parse_ymd(s: &str) -> Option<Date> {
    let s = s.trim();
    let (y, rest) = match s.len() {
        8 => (s[..4].parse::<i16>().ok()?, &s[4..]),
        6 => {
            let yy = s[..2].parse::<i16>().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        _ => return None,
    };
    Date::new(y, rest[..2].parse().ok()?, rest[2..4].parse().ok()?).ok()
}

fn load_petrarch(xml: &str, dir: &Path) -> Result<Suite, String> {
    let xml = strip_comments(xml);
    let env = between(&xml, "<Environment>", "</Environment>").ok_or("no <Environment> section")?;
    let mut dictionaries = Vec::new();
    for tag in ["Verbfile", "Actorfile", "Agentfile", "Discardfile"] {
        if let Some(name) = between(env, &format!("<{tag}>"), &format!("</{tag}>")) {
            dictionaries.push(dir.join(name.trim()));
        }
    }
    let body = between(&xml, "<Sentences>", "</Sentences>").unwrap_or(&xml);
    let mut records = Vec::new();
    let mut require_dyad = true;
    let mut rest = body;
    loop {
        // Options set between records apply to the records after them.
        let next_sentence = rest.find("<Sentence ");
        let next_config = rest.find("<Config ");
        match (next_sentence, next_config) {
            (_, Some(c)) if next_sentence.is_none_or(|s| c < s) => {
                let end = rest[c..].find('>').map(|e| c + e + 1).unwrap_or(rest.len());
                let tag = &rest[c..end];
                if attr(tag, "option").as_deref() == Some("require_dyad") {
                    require_dyad = attr(tag, "value").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                }
                rest = &rest[end..];
            }
            (Some(s), _) => {
                let close = rest[s..].find("</Sentence>").ok_or("a <Sentence> without </Sentence>")? + s;
                let rec = &rest[s..close];
                let open_end = rec.find('>').ok_or("a malformed <Sentence> tag")?;
                let tag = &rec[..open_end];
                let id = attr(tag, "id").unwrap_or_default();
                let date = attr(tag, "date").and_then(|d| parse_ymd(&d)).ok_or_else(|| format!("record {id}: no valid date"))?;
                let text = between(rec, "<Text>", "</Text>").unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
                let mut expected = BTreeSet::new();
                let mut error = None;
                let mut codings = rec;
                while let Some(i) = codings.find("<EventCoding") {
                    let end = codings[i..].find('>').map(|e| i + e).unwrap_or(codings.len());
                    let t = &codings[i..end];
                    if let Some(e) = attr(t, "error") {
                        error = Some(e);
                    } else if attr(t, "noevents").is_none() {
                        let get = |n: &str| attr(t, n).map(|v| v.trim_matches(|c| c == '"' || c == '\'').to_string()).unwrap_or_default();
                        expected.insert((get("sourcecode"), get("targetcode"), get("eventcode")));
                    }
                    codings = &codings[end..];
                }
                records.push(Record { id, date, text, expected, forbidden: BTreeSet::new(), error, require_dyad });
                rest = &rest[close + "</Sentence>".len()..];
            }
            _ => break,
        }
    }
    if records.is_empty() {
        return Err("no <Sentence> records".to_string());
    }
    Ok(Suite { dictionaries, records })
}

/// The dictionary files and the text file a TABARI project names.
fn read_project(text: &str, dir: &Path) -> (Vec<PathBuf>, Option<PathBuf>) {
    let mut dicts = Vec::new();
    let mut textfile = None;
    for line in text.lines() {
        let line = line.trim();
        for tag in ["<actorsfile>", "<verbsfile>", "<agentsfile>"] {
            if let Some(name) = line.strip_prefix(tag) {
                dicts.push(dir.join(name.trim()));
            }
        }
        if let Some(name) = line.strip_prefix("<textfile>") {
            textfile = Some(dir.join(name.trim()));
        }
    }
    (dicts, textfile)
}

/// Parse `{ SRC / TGT / CODE } date` triples of a TABARI comment.
fn tabari_triples(comment: &str) -> (BTreeSet<Triple>, BTreeSet<Triple>, bool) {
    let (mut expected, mut forbidden, mut none) = (BTreeSet::new(), BTreeSet::new(), false);
    let mut rest = comment;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        let inner = &rest[i + 1..i + j];
        let negative = rest[..i].trim_end().ends_with('-');
        rest = &rest[i + j + 1..];
        if inner.trim() == "+++" {
            none = true;
            continue;
        }
        let parts: Vec<&str> = inner.split('/').map(str::trim).collect();
        if parts.len() != 3 || inner.contains(':') && parts[0].starts_with("OPTION") {
            continue;
        }
        let triple = (parts[0].to_string(), parts[1].to_string(), parts[2].to_string());
        if negative {
            forbidden.insert(triple);
        } else {
            expected.insert(triple);
        }
    }
    (expected, forbidden, none)
}

fn parse_tabari(text: &str) -> Result<Vec<Record>, String> {
    let mut records = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut k = 0;
    while k < lines.len() {
        let line = lines[k];
        let mut parts = line.split_whitespace();
        let header = match (parts.next(), parts.next()) {
            (Some(d), Some(id)) if d.len() == 6 && d.bytes().all(|b| b.is_ascii_digit()) => parse_ymd(d).map(|date| (date, id.to_string())),
            _ => None,
        };
        let Some((date, id)) = header else {
            k += 1;
            continue;
        };
        k += 1;
        let mut body = String::new();
        while k < lines.len() && !lines[k].trim_start().starts_with("/*") && !lines[k].trim().is_empty() {
            body.push_str(lines[k].trim());
            body.push(' ');
            k += 1;
        }
        let mut comment = String::new();
        if k < lines.len() && lines[k].trim_start().starts_with("/*") {
            while k < lines.len() {
                comment.push_str(lines[k]);
                comment.push('\n');
                if lines[k].contains("*/") {
                    k += 1;
                    break;
                }
                k += 1;
            }
        }
        if comment.contains("OPTION:") || id.starts_with("START") || body.trim().is_empty() {
            continue;
        }
        let (expected, forbidden, _none) = tabari_triples(&comment);
        records.push(Record { id, date, text: body.trim().to_string(), expected, forbidden, error: None, require_dyad: true });
    }
    if records.is_empty() {
        return Err("no records (a line 'YYMMDD ID' starts each)".to_string());
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petrarch_records_and_options_are_read() {
        let xml = r#"<Validation><!-- <Sentence date="20000101" id="HIDDEN" category="X" sentence="true"></Sentence> -->
<Environment><Verbfile>v.txt</Verbfile><Actorfile>a.txt</Actorfile></Environment>
<Sentences>
<Sentence date="19950101" id="T-01" category="T" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>
Arnor restored ties
with Gondor.
</Text>
<Parse>(ROOT)</Parse>
</Sentence>
<Config option="require_dyad" value="False"></Config>
<Sentence date = "19950102" id ="T-02" category="T" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing happened.</Text>
</Sentence>
<Sentence date="19950103" id="T-03" category="T" sentence="true">
<EventCoding error="dateline"></EventCoding>
<Text>CITY: -- text</Text>
</Sentence>
</Sentences></Validation>"#;
        let suite = load_petrarch(xml, Path::new("/d")).expect("parses");
        assert_eq!(suite.dictionaries, [PathBuf::from("/d/v.txt"), PathBuf::from("/d/a.txt")]);
        assert_eq!(suite.records.len(), 3);
        let r = &suite.records[0];
        assert_eq!((r.id.as_str(), r.text.as_str(), r.require_dyad), ("T-01", "Arnor restored ties with Gondor.", true));
        assert!(r.expected.contains(&("ARN".into(), "GON".into(), "064".into())));
        assert!(suite.records[1].expected.is_empty() && !suite.records[1].require_dyad);
        assert_eq!(suite.records[2].error.as_deref(), Some("dateline"));
    }

    #[test]
    fn tabari_records_expectations_and_options_are_read() {
        let text = "# header\n\n950101  DEMO-01\nArnor restored ties with\nGondor.\n/*\\n[Simple]\n\\n{ ARN / GON / 064 } */\n\n950101  OPT\nx\n/* { OPTION: SET: TIME SHIFT = FALSE } */\n\n950102  DEMO-02\nNothing here.\n/*\\n{+++}  */\n\n950103  DEMO-03\nMaybe.\n/*\\n-{ARN / GON / 064 } */\n";
        let records = parse_tabari(text).expect("parses");
        assert_eq!(records.len(), 3, "{records:#?}");
        assert_eq!(records[0].text, "Arnor restored ties with Gondor.");
        assert_eq!(records[0].date, jiff::civil::date(1995, 1, 1));
        assert!(records[1].expected.is_empty());
        assert!(records[2].expected.is_empty() && records[2].forbidden.len() == 1);
    }

    #[test]
    fn dates_of_both_widths() {
        assert_eq!(parse_ymd("19950101"), Some(jiff::civil::date(1995, 1, 1)));
        assert_eq!(parse_ymd("080507"), Some(jiff::civil::date(2008, 5, 7)));
        assert_eq!(parse_ymd("991231"), Some(jiff::civil::date(1999, 12, 31)));
        assert_eq!(parse_ymd("2024"), None);
    }
}
