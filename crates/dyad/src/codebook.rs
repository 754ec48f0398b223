//! The CAMEO codebook: every event code with its label, Goldstein value, GDELT quad
//! class and PLOVER event type. This module owns reading `data/cameo/codes.txt`
//! (`CODE | label | goldstein | quad class | PLOVER`, see `docs/lexicons.md`) and
//! looking codes up; it does not decide which code a sentence gets (that is
//! `events`, driven by the verb lexicons) nor how a code is written out (`record`,
//! `output`).
//!
//! The facts in the data file come from the CAMEO codebook (0.7b5 with the ICEWS
//! additions), the Goldstein table of the Phoenix pipeline and the CAMEO-to-PLOVER
//! conversion table of the PLOVER manual (draft 0.8, 2021); the file is our own
//! compilation of them, and its header says where it fills gaps (a code without a
//! Goldstein value takes its parent's). The quad class is GDELT's and follows from
//! the root: 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
//! conflict, 14-20 material conflict; [`Codebook::parse`] rejects a line whose quad
//! class disagrees with its root.
//!
//! [`Codebook::get`] is an exact lookup. [`Codebook::resolve`] falls back to the
//! longest known prefix, for codes from other coders and datasets that use codes
//! this codebook does not list ("0110" becomes "011").

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::LexiconError;

/// The codebook compiled into the binary.
const BUILTIN_TEXT: &str = include_str!("../../../data/cameo/codes.txt");
const BUILTIN_FILE: &str = "data/cameo/codes.txt";

/// What the codebook knows about one CAMEO event code.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeInfo {
    pub code: String,
    pub label: String,
    pub goldstein: f64,
    /// GDELT quad class: 1 verbal cooperation (01-05), 2 material cooperation
    /// (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20).
    pub quad_class: u8,
    /// PLOVER event type ("CONSULT", "AGREE", ...), when CAMEO maps to one.
    pub plover: Option<String>,
}

/// The CAMEO event codes, in file order, with constant-time lookup by code.
#[derive(Clone, Debug, Default)]
pub struct Codebook {
    codes: Vec<CodeInfo>,
    /// Code -> index into `codes`.
    index: HashMap<String, usize>,
}

/// The root of a CAMEO event code: its first two digits ("1831" -> "18"). A string
/// shorter than two bytes (or not cut at a character boundary) is returned whole.
pub fn root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// The GDELT quad class of a root (1-20), `None` outside CAMEO's roots.
fn quad_class_of_root(root: u8) -> Option<u8> {
    match root {
        1..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 => Some(3),
        14..=20 => Some(4),
        _ => None,
    }
}

impl Codebook {
    /// The codebook shipped with dyad (`data/cameo/codes.txt`, compiled in), parsed
    /// on first use and shared afterwards.
    pub fn builtin() -> &'static Codebook {
        static BUILTIN: OnceLock<Codebook> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // Our own file, checked by the tests: failing here is a build defect.
            Codebook::parse(BUILTIN_TEXT, BUILTIN_FILE).unwrap_or_else(|e| panic!("the built-in CAMEO codebook is invalid: {e}"))
        })
    }

    /// Reads and parses a codebook file (a user's copy of `data/cameo/codes.txt`).
    pub fn load(path: &Path) -> Result<Codebook, LexiconError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Io { path: name.clone(), source })?;
        Codebook::parse(&text, &name)
    }

    /// Parses a codebook in the `CODE | label | goldstein | quad class | PLOVER`
    /// format. `file` is the name used in error messages, which read
    /// `file:line: problem`. Rejected: a line without exactly five fields, a code
    /// that is not 2-4 digits or whose root is not 01-20, an empty label, a
    /// Goldstein value that is not a number in [-10, 10], a quad class that is not
    /// the one of the code's root, a PLOVER type that is not upper-case letters and
    /// underscores, and a code listed twice.
    pub fn parse(text: &str, file: &str) -> Result<Codebook, LexiconError> {
        let mut book = Codebook::default();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let raw = if line == 1 { raw.trim_start_matches('\u{feff}') } else { raw };
            let content = strip_comment(raw).trim();
            if content.is_empty() {
                continue;
            }
            let err = |message: String| LexiconError::Syntax { file: file.to_string(), line, message };
            let info = parse_line(content).map_err(err)?;
            if let Some(&first) = book.index.get(&info.code) {
                return Err(err(format!("duplicate code {} (already listed as \"{}\")", info.code, book.codes[first].label)));
            }
            book.index.insert(info.code.clone(), book.codes.len());
            book.codes.push(info);
        }
        Ok(book)
    }

    /// The entry for exactly this code, or `None`. No fallback: "0110" is not "011"
    /// (see [`Codebook::resolve`]).
    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.index.get(code).map(|&i| &self.codes[i])
    }

    /// The entry for this code or, when the codebook does not list it, for its
    /// longest prefix that it does list: "0110" (not in CAMEO) resolves to "011",
    /// "2099" to "20". `None` when the code is not all ASCII digits or not even its
    /// root is known. Use it for codes from other coders and datasets; the coder's
    /// own codes should pass [`Codebook::get`].
    pub fn resolve(&self, code: &str) -> Option<&CodeInfo> {
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (2..=code.len()).rev().find_map(|n| self.get(&code[..n]))
    }

    /// [`Codebook::resolve`] for codes of TABARI/PETRARCH dictionaries, which may
    /// end in letters or marks ("174K", "031!"): the leading digits resolve.
    pub fn resolve_loose(&self, code: &str) -> Option<&CodeInfo> {
        let digits = code.find(|c: char| !c.is_ascii_digit()).map_or(code, |i| &code[..i]);
        self.resolve(digits)
    }

    /// All entries, in file order (each root, then its 3- and 4-digit codes).
    pub fn iter(&self) -> impl Iterator<Item = &CodeInfo> {
        self.codes.iter()
    }

    /// The number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Cuts a `#` comment: one at the start of the line or after white space runs to
/// the end of the line.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// Parses one non-blank, comment-free line; the error is the problem, without the
/// location.
fn parse_line(content: &str) -> Result<CodeInfo, String> {
    let fields: Vec<&str> = content.split('|').map(str::trim).collect();
    let [code, label, goldstein, quad, plover] = fields[..] else {
        return Err(format!("expected 5 fields separated by '|' (CODE | label | goldstein | quad class | PLOVER), found {}", fields.len()));
    };

    if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("event code \"{code}\" is not 2 to 4 digits"));
    }
    let root_quad = root(code)
        .parse::<u8>()
        .ok()
        .and_then(quad_class_of_root)
        .ok_or_else(|| format!("event code \"{code}\" has root {}, not one of CAMEO's 01-20", root(code)))?;

    if label.is_empty() {
        return Err(format!("event code {code} has an empty label"));
    }

    let goldstein: f64 =
        goldstein.parse().ok().filter(|g: &f64| g.is_finite()).ok_or_else(|| format!("goldstein value \"{goldstein}\" is not a number"))?;
    if !(-10.0..=10.0).contains(&goldstein) {
        return Err(format!("goldstein value {goldstein} is outside the scale, -10 to 10"));
    }

    let quad_class: u8 = match quad.parse() {
        Ok(q @ 1..=4) => q,
        _ => return Err(format!("quad class \"{quad}\" is not 1, 2, 3 or 4")),
    };
    if quad_class != root_quad {
        return Err(format!("quad class {quad_class} does not match root {}, which is quad class {root_quad}", root(code)));
    }

    let plover = if plover.is_empty() {
        None
    } else if plover.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        Some(plover.to_string())
    } else {
        return Err(format!("PLOVER type \"{plover}\" is not an upper-case name such as CONSULT (leave the field empty for none)"));
    };

    Ok(CodeInfo { code: code.to_string(), label: label.to_string(), goldstein, quad_class, plover })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_every_root_and_the_full_code_list() {
        let book = Codebook::builtin();
        for r in 1..=20 {
            let code = format!("{r:02}");
            assert!(book.get(&code).is_some(), "root {code} missing");
        }
        assert!(book.len() >= 280, "only {} codes", book.len());
        let roots = book.iter().filter(|c| c.code.len() == 2).count();
        assert_eq!(roots, 20);
        // Every 3- and 4-digit code sits under a listed parent.
        for c in book.iter().filter(|c| c.code.len() > 2) {
            let parent = &c.code[..c.code.len() - 1];
            assert!(book.get(parent).is_some(), "{} has no parent {parent}", c.code);
        }
    }

    #[test]
    fn telephone_is_verbal_cooperation_and_consult() {
        let c = Codebook::builtin().get("041").expect("041 is in the codebook");
        assert_eq!(c.code, "041");
        assert_eq!(c.label, "Discuss by telephone");
        assert_eq!(c.quad_class, 1);
        assert_eq!(c.goldstein, 1.0);
        assert_eq!(c.plover.as_deref(), Some("CONSULT"));
    }

    #[test]
    fn every_quad_class_agrees_with_its_root() {
        for c in Codebook::builtin().iter() {
            let r: u8 = root(&c.code).parse().expect("numeric root");
            let expected = match r {
                1..=5 => 1,
                6..=8 => 2,
                9..=13 => 3,
                14..=20 => 4,
                _ => panic!("{}: root {r} out of range", c.code),
            };
            assert_eq!(c.quad_class, expected, "code {}", c.code);
        }
    }

    #[test]
    fn goldstein_values_are_on_the_scale() {
        for c in Codebook::builtin().iter() {
            assert!((-10.0..=10.0).contains(&c.goldstein), "{}: {}", c.code, c.goldstein);
        }
        assert!(Codebook::builtin().get("190").expect("190").goldstein < 0.0);
        assert!(Codebook::builtin().get("057").expect("057").goldstein > 0.0);
    }

    #[test]
    fn blank_goldstein_in_the_sources_took_the_parents_value() {
        let book = Codebook::builtin();
        assert_eq!(book.get("1951").expect("1951").goldstein, book.get("195").expect("195").goldstein);
        assert_eq!(book.get("116").expect("116").goldstein, book.get("11").expect("11").goldstein);
    }

    #[test]
    fn labels_are_sentence_case_and_plover_empty_for_appeals() {
        let book = Codebook::builtin();
        assert_eq!(book.get("01").expect("01").label, "Make public statement");
        assert_eq!(book.get("018").expect("018").label, "Make empathetic comment");
        assert_eq!(book.get("020").expect("020").plover, None);
        assert_eq!(book.get("08").expect("08").plover.as_deref(), Some("CONCEDE"));
        assert_eq!(book.get("084").expect("084").plover.as_deref(), Some("RETREAT"));
    }

    #[test]
    fn get_is_exact_and_resolve_falls_back_to_the_longest_prefix() {
        let book = Codebook::builtin();
        assert!(book.get("0110").is_none());
        assert_eq!(book.resolve("0110").expect("falls back").code, "011");
        assert_eq!(book.resolve("1649").expect("falls back").code, "164");
        assert_eq!(book.resolve("2099").expect("falls back").code, "20");
        assert_eq!(book.resolve("1831").expect("exact").code, "1831");
        assert!(book.resolve("99").is_none());
        assert!(book.resolve("4").is_none());
        assert!(book.resolve("").is_none());
        assert!(book.resolve("04x").is_none());
        assert!(book.resolve("0é").is_none());
    }

    #[test]
    fn root_is_the_first_two_digits() {
        assert_eq!(root("1831"), "18");
        assert_eq!(root("041"), "04");
        assert_eq!(root("20"), "20");
        assert_eq!(root("4"), "4");
    }

    #[test]
    fn parse_skips_comments_and_blank_lines() {
        let text = "\u{feff}# header\n\n04 | Consult | 1.0 | 1 | CONSULT  # a comment\n\
                    041|Discuss by telephone|1|1|CONSULT\n  # indented comment\n\
                    01 | Make public statement | 0.0 | 1 |\n";
        let book = Codebook::parse(text, "t.txt").expect("valid");
        assert_eq!(book.len(), 3);
        assert_eq!(book.get("04").expect("04").plover.as_deref(), Some("CONSULT"));
        assert_eq!(book.get("041").expect("041").goldstein, 1.0);
        assert_eq!(book.get("01").expect("01").plover, None);
        let codes: Vec<&str> = book.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["04", "041", "01"]);
    }

    /// Parses `bad` as line 3 after two good lines; returns the error message.
    fn error_for(bad: &str) -> String {
        let text = format!("# comment\n04 | Consult | 1.0 | 1 | CONSULT\n{bad}\n");
        match Codebook::parse(&text, "data/cameo/codes.txt") {
            Ok(_) => panic!("accepted bad line {bad:?}"),
            Err(e) => {
                assert!(matches!(e, LexiconError::Syntax { line: 3, .. }), "{e:?}");
                e.to_string()
            }
        }
    }

    #[test]
    fn parse_errors_name_file_line_and_problem() {
        let cases = [
            ("041 | Discuss by telephone | 1.0 | 1", "expected 5 fields"),
            ("041 | Discuss | 1.0 | 1 | CONSULT | extra", "found 6"),
            ("041 | Discuss by telephone | high | 1 | CONSULT", "goldstein value \"high\" is not a number"),
            ("041 | Discuss by telephone | NaN | 1 | CONSULT", "is not a number"),
            ("041 | Discuss by telephone | 11.5 | 1 | CONSULT", "outside the scale"),
            ("041 | Discuss by telephone | 1.0 | 5 | CONSULT", "quad class \"5\" is not 1, 2, 3 or 4"),
            ("041 | Discuss by telephone | 1.0 | x | CONSULT", "quad class \"x\""),
            ("041 | Discuss by telephone | 1.0 | 3 | CONSULT", "does not match root 04"),
            ("04 | Consult again | 1.0 | 1 | CONSULT", "duplicate code 04"),
            ("4 | Consult | 1.0 | 1 | CONSULT", "event code \"4\" is not 2 to 4 digits"),
            ("04111 | Consult | 1.0 | 1 | CONSULT", "is not 2 to 4 digits"),
            ("04a | Consult | 1.0 | 1 | CONSULT", "is not 2 to 4 digits"),
            ("21 | Invented | 1.0 | 4 |", "not one of CAMEO's 01-20"),
            ("041 |  | 1.0 | 1 | CONSULT", "empty label"),
            ("041 | Discuss by telephone | 1.0 | 1 | consult", "PLOVER type \"consult\""),
        ];
        for (bad, problem) in cases {
            let msg = error_for(bad);
            assert!(msg.starts_with("data/cameo/codes.txt:3: "), "{bad:?}: {msg}");
            assert!(msg.contains(problem), "{bad:?}: {msg}");
        }
    }

    #[test]
    fn load_reports_an_unreadable_file_by_path() {
        let err = Codebook::load(Path::new("/nonexistent/codes.txt")).expect_err("missing file");
        assert!(matches!(err, LexiconError::Io { .. }), "{err:?}");
        assert!(err.to_string().starts_with("/nonexistent/codes.txt: "), "{err}");
    }
}
