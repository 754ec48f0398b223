//! The event record: the contract between the coder and everything downstream
//! (JSONL output, evaluation, the store). Field names follow `DESIGN.md`; tests and
//! evaluations read these names, so change them only with the design.
//!
//! Its strings are [`CompactString`]s: most fields (codes, dates, status, names,
//! ids) are at most 24 bytes and are then kept inline, so that a record costs a
//! few allocations instead of some twenty (a record is made for every event).
//!
//! [`Event::write_json`] writes the JSON line `dyad code` prints without going
//! through serde's generic machinery (a tenth of the coder's time went there); its
//! bytes are serde_json's, which the tests below hold it to. Reading records back
//! (evaluation, the store) goes through serde.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// One side of a dyad as it appears in the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    /// The words of the mention that names this actor in the sentence.
    pub text: CompactString,
    /// Canonical name (a person's full name, a country's short name, ...).
    pub name: CompactString,
    /// CAMEO actor code: country + role ("JPNGOV"), or an IGO code.
    pub code: CompactString,
    /// ISO 3166-1 alpha-3, or null for actors without a country.
    pub country: Option<CompactString>,
    /// CAMEO agent/role code ("GOV", "MIL", ...), or null.
    pub role: Option<CompactString>,
    /// Byte offsets into the document text (empty at the trigger for an implied
    /// actor).
    pub span: [usize; 2],
    /// For an actor the sentence does not name: the `file:line` that implies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implied_by: Option<CompactString>,
}

/// When the event happened (or is planned to happen).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DateRecord {
    pub start: CompactString,
    pub end: CompactString,
    /// day | week | month | year
    pub grain: CompactString,
    /// explicit | relative | anchored | publication
    pub basis: CompactString,
    /// The words the date was read from (empty for the publication date).
    pub text: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationRecord {
    pub name: CompactString,
    pub country: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TriggerRecord {
    pub text: CompactString,
    pub span: [usize; 2],
}

/// One coded event: one line of `dyad code` output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub doc: CompactString,
    /// Index of the sentence in the document, from 0.
    pub sentence: usize,
    /// `doc:sentence:n`, unique within a run.
    pub id: CompactString,
    pub source: Option<ActorRecord>,
    pub target: Option<ActorRecord>,
    /// CAMEO event code as a string (leading zeros matter).
    pub code: CompactString,
    /// The first two digits of `code`.
    pub root: CompactString,
    pub label: CompactString,
    /// GDELT quad class 1-4.
    pub quad_class: u8,
    pub goldstein: f64,
    pub date: DateRecord,
    /// asserted | planned | hypothetical | negated
    pub status: CompactString,
    pub location: Option<LocationRecord>,
    pub trigger: TriggerRecord,
    /// `file:line` of the lexicon entry that decided the event code.
    pub rule: CompactString,
    pub sentence_text: CompactString,
}

impl Event {
    /// Append the event as one compact JSON object, byte for byte what
    /// `serde_json::to_writer` writes (no trailing newline).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        o.str("doc", &self.doc);
        o.uint("sentence", self.sentence);
        o.str("id", &self.id);
        o.actor("source", self.source.as_ref());
        o.actor("target", self.target.as_ref());
        o.str("code", &self.code);
        o.str("root", &self.root);
        o.str("label", &self.label);
        o.uint("quad_class", usize::from(self.quad_class));
        o.f64("goldstein", self.goldstein);
        let d = &self.date;
        let mut date = Obj::open(o.key("date"));
        date.str("start", &d.start);
        date.str("end", &d.end);
        date.str("grain", &d.grain);
        date.str("basis", &d.basis);
        date.str("text", &d.text);
        if let Some(span) = d.span {
            date.span("span", span);
        }
        date.close();
        o.str("status", &self.status);
        match &self.location {
            None => o.null("location"),
            Some(l) => {
                let mut loc = Obj::open(o.key("location"));
                loc.str("name", &l.name);
                loc.opt_str("country", l.country.as_deref());
                if let Some(lat) = l.lat {
                    loc.f64("lat", lat);
                }
                if let Some(lon) = l.lon {
                    loc.f64("lon", lon);
                }
                loc.close();
            }
        }
        let mut trigger = Obj::open(o.key("trigger"));
        trigger.str("text", &self.trigger.text);
        trigger.span("span", self.trigger.span);
        trigger.close();
        o.str("rule", &self.rule);
        o.str("sentence_text", &self.sentence_text);
        o.close();
    }
}

/// A JSON object being written: its fields in order, keys as written (plain
/// ASCII names, which need no escaping).
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        Obj { out, first: true }
    }

    /// Starts a field: the separator and the key; the value is written next.
    #[inline(always)]
    fn key(&mut self, name: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    #[inline(always)]
    fn str(&mut self, name: &str, v: &str) {
        json_str(self.key(name), v);
    }

    #[inline(always)]
    fn opt_str(&mut self, name: &str, v: Option<&str>) {
        match v {
            Some(v) => self.str(name, v),
            None => self.null(name),
        }
    }

    #[inline(always)]
    fn null(&mut self, name: &str) {
        self.key(name).extend_from_slice(b"null");
    }

    #[inline(always)]
    fn uint(&mut self, name: &str, n: usize) {
        self.key(name).extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    /// Floats as serde_json writes them (shortest round-trip form, `null` when
    /// not finite): few per event, so serde_json itself does it.
    fn f64(&mut self, name: &str, x: f64) {
        let out = self.key(name);
        if serde_json::to_writer(&mut *out, &x).is_err() {
            out.extend_from_slice(b"null");
        }
    }

    #[inline(always)]
    fn span(&mut self, name: &str, span: [usize; 2]) {
        let mut digits = itoa::Buffer::new();
        let out = self.key(name);
        out.push(b'[');
        out.extend_from_slice(digits.format(span[0]).as_bytes());
        out.push(b',');
        out.extend_from_slice(digits.format(span[1]).as_bytes());
        out.push(b']');
    }

    fn actor(&mut self, name: &str, a: Option<&ActorRecord>) {
        let Some(a) = a else { return self.null(name) };
        let mut o = Obj::open(self.key(name));
        o.str("text", &a.text);
        o.str("name", &a.name);
        o.str("code", &a.code);
        o.opt_str("country", a.country.as_deref());
        o.opt_str("role", a.role.as_deref());
        o.span("span", a.span);
        if let Some(i) = &a.implied_by {
            o.str("implied_by", i);
        }
        o.close();
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, and control
/// characters as `\b \t \n \f \r` or `\u00XX`; everything else as it is.
fn json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let b = s.as_bytes();
    // Most strings need no escaping, and are copied whole.
    let mut i = clean_prefix(b);
    if i == b.len() {
        out.extend_from_slice(b);
        out.push(b'"');
        return;
    }
    let mut from = 0;
    while let Some(&c) = b.get(i) {
        i += 1;
        if c >= 0x20 && c != b'"' && c != b'\\' {
            // Whole blocks or words at a time again while none of their bytes
            // needs it.
            i += clean_prefix(&b[i..]);
            continue;
        }
        out.extend_from_slice(&b[from..i - 1]);
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]]),
        }
        from = i;
        i += clean_prefix(&b[i..]);
    }
    out.extend_from_slice(&b[from..]);
    out.push(b'"');
}

/// How many of the bytes `b` starts with need no escaping, as far as whole
/// blocks tell: `b.len()` when none does (most strings), else a place at or
/// before the first that does. No loop over single bytes: a string of 16 bytes
/// or more (sentences, most names) is read in blocks of 16, the last
/// overlapping the one before it; a shorter one as two overlapping words, and
/// one of under eight bytes (codes, roles) as two overlapping halves or as its
/// first, middle and last bytes, so that the loops' ends, which differ from one
/// string to the next and which the processor could not predict, are few.
#[inline]
fn clean_prefix(b: &[u8]) -> usize {
    let n = b.len();
    let word = |i: usize| b.get(i..i + 8).map_or(0, |w| u64::from_le_bytes(w.try_into().unwrap_or([0; 8])));
    let half = |i: usize| b.get(i..i + 4).map_or(0, |w| u64::from(u32::from_le_bytes(w.try_into().unwrap_or([0; 4]))));
    if let Some(last) = b.last_chunk::<16>() {
        let (blocks, _) = b.as_chunks::<16>();
        // `last` covers the string's end: the last whole block when the length
        // is a multiple of 16 (which `take` leaves to it), else the bytes after it.
        for (k, block) in blocks.iter().enumerate().take((n - 1) / 16) {
            if block_needs_escape(block) {
                return k * 16;
            }
        }
        return if block_needs_escape(last) { n - 16 } else { n };
    }
    let w = match n {
        0 => return 0,
        // The upper bytes are 'A's, which need no escaping.
        1..=3 => u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16 | 0x4141_4141_4100_0000,
        4..=7 => half(0) | half(n - 4) << 32,
        _ => return if needs_escape(word(0)) || needs_escape(word(n - 8)) { 0 } else { n },
    };
    if needs_escape(w) {
        0
    } else {
        n
    }
}

/// Does any byte of `block` need escaping in a JSON string: below 0x20, `"` or
/// `\`? The compiler tests all sixteen at once (with SSE2's vector instructions
/// on x86-64).
#[inline(always)]
fn block_needs_escape(block: &[u8; 16]) -> bool {
    block.iter().fold(false, |dirty, &c| dirty | (c < 0x20) | (c == b'"') | (c == b'\\'))
}

/// Does any byte of `w` need escaping in a JSON string: below 0x20, `"` or `\`?
/// (The classic test for a zero byte, on `w` and on `w` xor each quoted byte.)
#[inline]
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    // A byte below 0x20 (high bit clear; bytes of 0x80 and above are UTF-8, never
    // escaped).
    let low = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    low || has_zero(w ^ (ONES * u64::from(b'"'))) || has_zero(w ^ (ONES * u64::from(b'\\')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(text: &str, country: Option<&str>, implied_by: Option<&str>) -> ActorRecord {
        ActorRecord {
            text: text.into(),
            name: format!("{text} (name)").into(),
            code: "JPNGOV".into(),
            country: country.map(Into::into),
            role: country.map(|_| "GOV".into()),
            span: [812, 818],
            implied_by: implied_by.map(Into::into),
        }
    }

    fn event(source: Option<ActorRecord>, location: Option<LocationRecord>, span: Option<[usize; 2]>, text: &str) -> Event {
        Event {
            doc: "seed".into(),
            sentence: 3,
            id: "seed:3:0".into(),
            source,
            target: Some(actor("Trump", Some("USA"), None)),
            code: "041".into(),
            root: "04".into(),
            label: "Discuss by telephone".into(),
            quad_class: 1,
            goldstein: 1.0,
            date: DateRecord {
                start: "2024-11-07".into(),
                end: "2024-11-07".into(),
                grain: "day".into(),
                basis: "explicit".into(),
                text: "on Thursday".into(),
                span,
            },
            status: "asserted".into(),
            location,
            trigger: TriggerRecord { text: "spoke with".into(), span: [0, 18_446_744_073_709_551_615] },
            rule: "data/verbs/04-consult.txt:57".into(),
            sentence_text: text.into(),
        }
    }

    fn written(e: &Event) -> String {
        let mut out = Vec::new();
        e.write_json(&mut out);
        String::from_utf8(out).expect("the writer writes UTF-8")
    }

    #[test]
    fn the_writer_writes_what_serde_json_writes() {
        let tricky =
            "He said \"no\" \\ then\ttabbed\nnewline\r\u{8}\u{c}\u{1}\u{1f}\u{7f} \u{e9}t\u{e9} \u{2014} \u{65e5}\u{672c} \u{1f600}";
        let location = |lat: Option<f64>| LocationRecord { name: "Rio de Janeiro".into(), country: None, lat, lon: lat.map(|x| -x * 1.5) };
        let events = [
            event(Some(actor("Ishiba", Some("JPN"), None)), None, Some([3, 14]), "Plain text."),
            event(None, Some(location(Some(-22.9))), None, tricky),
            event(Some(actor(tricky, None, Some("data/verbs/implied.txt:3"))), Some(location(None)), None, ""),
            Event { goldstein: -10.0, quad_class: 4, sentence: 0, ..event(None, None, None, "x") },
            Event { goldstein: 3.4, ..event(None, None, None, "\"\"") },
            Event { goldstein: f64::NAN, ..event(None, None, None, "\\") },
        ];
        for e in &events {
            let expected = serde_json::to_string(e).expect("serde_json writes the event");
            assert_eq!(written(e), expected);
        }
    }

    #[test]
    fn every_escape_at_every_place_in_a_string() {
        // The writer looks at sixteen bytes at a time (eight, four or single
        // bytes in short strings): put each character that needs escaping at
        // every place in and across those, in strings of every length up to 40
        // bytes.
        for special in ["\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}", "\u{e9}", "\u{1f600}"] {
            for before in 0..20 {
                for after in 0..=17 {
                    let text = format!("{}{special}{}", "a".repeat(before), "b".repeat(after));
                    let e = event(None, None, None, &text);
                    assert_eq!(written(&e), serde_json::to_string(&e).expect("serde_json writes the event"), "{text:?}");
                }
            }
        }
    }

    /// The clean prefix never reaches past a byte that needs escaping, and is the
    /// whole string when none does.
    #[test]
    fn the_clean_prefix_stops_before_the_first_escape() {
        for len in 0..40 {
            let clean = "x".repeat(len);
            assert_eq!(clean_prefix(clean.as_bytes()), len);
            // Spaces, DEL and the bytes of UTF-8 sequences need no escaping either.
            for c in (0x20..=0xff).filter(|&c| c != b'"' && c != b'\\') {
                assert_eq!(clean_prefix(&vec![c; len]), len, "{len} bytes of {c:#x}");
            }
            for at in 0..len {
                for special in [b'"', b'\\', b'\n', 0x1f] {
                    let mut b = clean.clone().into_bytes();
                    b[at] = special;
                    assert!(clean_prefix(&b) <= at, "{len} bytes, escape at {at}");
                }
            }
        }
    }

    #[test]
    fn what_the_writer_writes_reads_back_as_the_event() {
        let e = event(Some(actor("A \"quoted\" \\ name\n", Some("JPN"), Some("x:1"))), None, Some([1, 2]), "S\u{1}");
        let back: Event = serde_json::from_str(&written(&e)).expect("the line reads back");
        assert_eq!(back, e);
    }
}
