//! Main-text extraction from a saved news page: the article's paragraphs, title,
//! canonical URL and publication date, with the page furniture (scripts, styles,
//! navigation, headers, footers, asides, forms, figures, embeds, comments) left out.
//!
//! This module owns turning HTML into plain text plus metadata; it does not read
//! files or decide what a document is (that is [`crate::document`]), and it does not
//! code anything. It is a small hand-written scanner, not a conforming HTML5 parser:
//! it never fails and never panics on malformed markup, it keeps a stack of open
//! elements only to know which text is furniture, and it prefers the content of
//! `<article>` (the largest one), then `<main>`, then the whole body. Paragraphs,
//! headings, list items, blockquotes and other blocks come out separated by a blank
//! line (`"\n\n"`); whitespace inside a block is collapsed to single spaces (except
//! in `<pre>`), and `<br>` becomes a single newline.

use std::borrow::Cow;

use jiff::civil::Date;

/// What [`extract`] found in a page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// The main text: blocks separated by `"\n\n"`. Empty when the page has none.
    pub text: String,
    /// `og:title`, else `<title>`, else `twitter:title`.
    pub title: Option<String>,
    /// The publication date, from (in order) `article:published_time`, a date
    /// `<meta>` (`date`, `pubdate`, `publish-date`, `dc.date`, `itemprop=datePublished`
    /// ...), JSON-LD `datePublished`, then `<time datetime>` (one marked `pubdate` or
    /// `itemprop="datePublished"`, else the first inside the article, else the first).
    /// A timestamp keeps the civil date as written by the publisher
    /// (`2024-11-07T23:30:00+09:00` is 2024-11-07): no time-zone conversion.
    pub published: Option<Date>,
    /// `<link rel="canonical">`, else `og:url`.
    pub url: Option<String>,
}

/// Extract the main text and metadata of an HTML page. Never fails: a page with no
/// usable text gives an empty [`Page::text`].
pub fn extract(html: &str) -> Page {
    let mut x = Extractor::default();
    x.run(html);
    x.finish()
}

/// Elements whose whole content is page furniture, not article text.
const DROPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "figure",
    "figcaption",
    "iframe",
    "svg",
    "math",
    "template",
    "button",
    "select",
    "textarea",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "dialog",
    "head",
    "menu",
];

/// Elements whose content is raw text: scanned to their end tag without looking for
/// markup inside.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noembed", "noframes", "iframe", "noscript", "plaintext"];

/// Elements that never have content or an end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"];

/// Elements whose start and end break the text into separate blocks.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "legend",
    "menu",
];

/// `<meta>` keys (name, property or itemprop, lowercased) that carry the publication
/// date, best first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "publishdate",
    "publish_date",
    "published_time",
    "article.published",
    "original-publish-date",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
];

fn is_in(list: &[&str], name: &str) -> bool {
    list.contains(&name)
}

#[derive(Debug)]
struct Open {
    name: String,
    drops: bool,
}

#[derive(Debug)]
struct Block {
    text: String,
    /// Which outermost `<article>` the block is in, if any.
    article: Option<usize>,
    in_main: bool,
}

#[derive(Debug, Default)]
struct TimeCandidate {
    date: Option<Date>,
    marked: bool,
    in_article: bool,
}

#[derive(Debug, Default)]
struct Extractor {
    stack: Vec<Open>,
    /// How many open elements drop their content.
    dropping: usize,
    /// The outermost open `<article>`'s number, and how many are open.
    article: Option<usize>,
    article_depth: usize,
    articles_seen: usize,
    main_depth: usize,
    pre_depth: usize,
    svg_depth: usize,
    cur: String,
    cur_article: Option<usize>,
    cur_main: bool,
    pending_space: bool,
    blocks: Vec<Block>,
    // metadata
    title_tag: Option<String>,
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    json_ld_date: Option<Date>,
    times: Vec<TimeCandidate>,
}

impl Extractor {
    fn run(&mut self, html: &str) {
        let b = html.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let Some(lt) = memchr(b'<', &b[i..]).map(|k| i + k) else {
                self.text(&html[i..]);
                break;
            };
            if lt > i {
                self.text(&html[i..lt]);
            }
            i = lt;
            let next = b.get(i + 1).copied();
            match next {
                Some(b'!') => {
                    if b[i..].starts_with(b"<!--") {
                        i = find(b, i + 4, b"-->").map_or(b.len(), |k| k + 3);
                    } else {
                        // doctype, CDATA and other declarations: skipped.
                        i = find(b, i + 2, b">").map_or(b.len(), |k| k + 1);
                    }
                }
                Some(b'?') => i = find(b, i + 2, b">").map_or(b.len(), |k| k + 1),
                Some(b'/') => {
                    if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                        let (tag, end) = parse_tag(html, i + 2);
                        self.end_tag(&tag.name);
                        i = end;
                    } else {
                        // `</>` or `</ junk>`: a bogus comment.
                        i = find(b, i + 2, b">").map_or(b.len(), |k| k + 1);
                    }
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let (tag, end) = parse_tag(html, i + 1);
                    i = end;
                    if is_in(RAW_TEXT, &tag.name) && !tag.self_closing {
                        let close = find_close(b, i, &tag.name);
                        let content = &html[i..close.unwrap_or(b.len())];
                        self.raw_element(&tag, content);
                        i = match close {
                            Some(c) => find(b, c + 2, b">").map_or(b.len(), |k| k + 1),
                            None => b.len(),
                        };
                    } else {
                        self.start_tag(tag);
                    }
                }
                _ => {
                    // A lone '<' is text.
                    self.text("<");
                    i += 1;
                }
            }
        }
    }

    fn in_dropped(&self) -> bool {
        self.dropping > 0
    }

    fn text(&mut self, raw: &str) {
        if self.in_dropped() {
            return;
        }
        let decoded = decode_entities(raw);
        if self.pre_depth > 0 {
            for c in decoded.chars() {
                if c == '\n' || !c.is_whitespace() {
                    self.push_char(c);
                } else {
                    self.push_char(' ');
                }
            }
            return;
        }
        for c in decoded.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push(' ');
                }
                self.pending_space = false;
                self.push_char(c);
            }
        }
    }

    fn push_char(&mut self, c: char) {
        if self.cur.is_empty() {
            self.cur_article = self.article;
            self.cur_main = self.main_depth > 0;
        }
        self.cur.push(c);
    }

    fn line_break(&mut self) {
        if !self.in_dropped() && !self.cur.is_empty() && !self.cur.ends_with('\n') {
            // Drop a trailing space before the newline.
            while self.cur.ends_with(' ') {
                self.cur.pop();
            }
            self.cur.push('\n');
        }
        self.pending_space = false;
    }

    fn flush(&mut self) {
        self.pending_space = false;
        let text = self.cur.trim();
        if !text.is_empty() {
            self.blocks.push(Block { text: text.to_string(), article: self.cur_article, in_main: self.cur_main });
        }
        self.cur.clear();
    }

    fn start_tag(&mut self, tag: Tag) {
        let name = tag.name.as_str();
        match name {
            "meta" => {
                let key = tag.attr("property").or_else(|| tag.attr("name")).or_else(|| tag.attr("itemprop"));
                if let (Some(key), Some(content)) = (key, tag.attr("content")) {
                    self.metas.push((key.trim().to_ascii_lowercase(), content.trim().to_string()));
                }
                return;
            }
            "link" => {
                let canonical =
                    tag.attr("rel").is_some_and(|rel| rel.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")));
                if canonical && self.canonical.is_none() {
                    if let Some(href) = tag.attr("href").map(str::trim).filter(|h| !h.is_empty()) {
                        self.canonical = Some(href.to_string());
                    }
                }
                return;
            }
            "time" => {
                if let Some(dt) = tag.attr("datetime") {
                    self.times.push(TimeCandidate {
                        date: date_prefix(dt),
                        marked: tag.attr("pubdate").is_some()
                            || tag.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datepublished")),
                        in_article: self.article.is_some(),
                    });
                }
            }
            _ => {}
        }
        if name == "br" {
            self.line_break();
            return;
        }
        if name == "td" || name == "th" {
            self.pending_space = true;
        }
        let block = is_in(BLOCK, name);
        if block {
            self.flush();
        }
        if is_in(VOID, name) || tag.self_closing {
            return;
        }
        // Implied end tags for the common cases, so an unclosed <p> or <li> does not
        // swallow what follows.
        if let Some(top) = self.stack.last() {
            let closes = match name {
                "li" | "dt" | "dd" | "tr" | "td" | "th" | "option" => top.name == name,
                _ => block && top.name == "p",
            };
            if closes {
                let n = self.stack.len() - 1;
                self.pop_to(n);
            }
        }
        let drops = is_in(DROPPED, name)
            || tag.attr("hidden").is_some()
            || tag.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            || tag.attr("style").is_some_and(|s| {
                let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                s.to_ascii_lowercase().contains("display:none")
            });
        if drops {
            self.dropping += 1;
        }
        match name {
            "article" => {
                if self.article_depth == 0 {
                    self.article = Some(self.articles_seen);
                    self.articles_seen += 1;
                }
                self.article_depth += 1;
            }
            "main" => self.main_depth += 1,
            "pre" => self.pre_depth += 1,
            "svg" => self.svg_depth += 1,
            _ => {}
        }
        self.stack.push(Open { name: tag.name, drops });
    }

    fn end_tag(&mut self, name: &str) {
        if name == "br" {
            self.line_break();
            return;
        }
        if is_in(VOID, name) {
            return;
        }
        let block = is_in(BLOCK, name);
        if block {
            self.flush();
        }
        if let Some(at) = self.stack.iter().rposition(|o| o.name == name) {
            self.pop_to(at);
        }
    }

    /// Close every open element from `at` up.
    fn pop_to(&mut self, at: usize) {
        while self.stack.len() > at {
            let Some(open) = self.stack.pop() else { break };
            if is_in(BLOCK, &open.name) {
                self.flush();
            }
            if open.drops {
                self.dropping -= 1;
            }
            match open.name.as_str() {
                "article" => {
                    self.article_depth -= 1;
                    if self.article_depth == 0 {
                        self.article = None;
                    }
                }
                "main" => self.main_depth -= 1,
                "pre" => self.pre_depth -= 1,
                "svg" => self.svg_depth -= 1,
                _ => {}
            }
        }
    }

    fn raw_element(&mut self, tag: &Tag, content: &str) {
        match tag.name.as_str() {
            "title" if self.svg_depth == 0 && self.title_tag.is_none() => {
                let t = collapse(&decode_entities(content));
                if !t.is_empty() {
                    self.title_tag = Some(t);
                }
            }
            "script"
                if self.json_ld_date.is_none()
                    && tag.attr("type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(content) {
                    self.json_ld_date = find_json_date(&v, 0);
                }
            }
            "textarea" | "xmp" if !self.in_dropped() && !is_in(DROPPED, &tag.name) => {
                // xmp is shown verbatim; textarea is dropped above.
                self.text(content);
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Page {
        self.flush();
        let meta = |key: &str| -> Option<&str> { self.metas.iter().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.as_str()) };
        let title = meta("og:title")
            .map(collapse)
            .filter(|t| !t.is_empty())
            .or_else(|| self.title_tag.clone())
            .or_else(|| meta("twitter:title").map(collapse).filter(|t| !t.is_empty()));
        let url = self.canonical.clone().or_else(|| meta("og:url").map(str::to_string));
        let published = DATE_META
            .iter()
            .find_map(|key| self.metas.iter().filter(|(k, _)| k == key).find_map(|(_, v)| date_prefix(v)))
            .or(self.json_ld_date)
            .or_else(|| self.times.iter().filter(|t| t.marked).find_map(|t| t.date))
            .or_else(|| self.times.iter().filter(|t| t.in_article).find_map(|t| t.date))
            .or_else(|| self.times.iter().find_map(|t| t.date));

        // Choose the content: the largest <article>, else <main>, else everything.
        let mut sizes = vec![0usize; self.articles_seen];
        for b in &self.blocks {
            if let Some(a) = b.article {
                sizes[a] += b.text.len();
            }
        }
        let best_article =
            sizes.iter().enumerate().filter(|(_, &n)| n > 0).max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i))).map(|(i, _)| i);
        let any_main = self.blocks.iter().any(|b| b.in_main);
        let keep = |b: &Block| match best_article {
            Some(a) => b.article == Some(a),
            None if any_main => b.in_main,
            None => true,
        };
        let mut text = String::new();
        for b in self.blocks.iter().filter(|b| keep(b)) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&b.text);
        }
        Page { text, title, published, url }
    }
}

/// The first `datePublished` string in a JSON-LD value (objects, arrays, `@graph`).
fn find_json_date(v: &serde_json::Value, depth: usize) -> Option<Date> {
    if depth > 16 {
        return None;
    }
    match v {
        serde_json::Value::Object(map) => {
            if let Some(d) = map.get("datePublished").and_then(|d| d.as_str()).and_then(date_prefix) {
                return Some(d);
            }
            map.values().find_map(|x| find_json_date(x, depth + 1))
        }
        serde_json::Value::Array(items) => items.iter().find_map(|x| find_json_date(x, depth + 1)),
        _ => None,
    }
}

/// The civil date at the start of a date or timestamp: `2024-11-07`,
/// `2024-11-07T10:00:00+09:00`, `2024-11-07 10:00`. Anything else is `None`.
pub(crate) fn date_prefix(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    crate::document::parse_date(&s[..10]).ok()
}

#[derive(Debug, Default)]
struct Tag {
    /// Lowercased.
    name: String,
    /// (lowercased name, decoded value); a bare attribute has an empty value.
    attrs: Vec<(String, String)>,
    self_closing: bool,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Parse a tag whose name starts at `start` (just after `<` or `</`). Returns the
/// tag and the index just past its `>` (or the end of input).
fn parse_tag(html: &str, start: usize) -> (Tag, usize) {
    let b = html.as_bytes();
    let mut i = start;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let mut tag = Tag { name: html[start..i].to_ascii_lowercase(), ..Tag::default() };
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            tag.self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return (tag, i);
        }
        if b[i] == b'>' {
            return (tag, i + 1);
        }
        tag.self_closing = false;
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        // An attribute name may start with '=' in junk markup; skip it.
        if i == name_start {
            i += 1;
            continue;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let vs = j + 1;
                let ve = memchr(q, &b[vs..]).map_or(b.len(), |k| vs + k);
                value = decode_entities(&html[vs..ve]).into_owned();
                i = (ve + 1).min(b.len());
            } else {
                let vs = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                value = decode_entities(&html[vs..j]).into_owned();
                i = j;
            }
        }
        if !tag.attrs.iter().any(|(k, _)| *k == name) {
            tag.attrs.push((name, value));
        }
    }
}

/// Index of the `<` of the end tag `</name` at or after `from`, matched without
/// regard to case and followed by whitespace, `/`, `>` or the end of input.
fn find_close(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.as_bytes();
    let mut i = from;
    while let Some(k) = find(b, i, b"</") {
        let s = k + 2;
        if b.len() >= s + n.len()
            && b[s..s + n.len()].eq_ignore_ascii_case(n)
            && b.get(s + n.len()).is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        {
            return Some(k);
        }
        i = s;
    }
    None
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// First index of `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() || needle.is_empty() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while let Some(k) = memchr(first, &b[i..]) {
        let at = i + k;
        if b[at..].starts_with(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Collapse runs of whitespace to one space and trim.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decode HTML character references: numeric (`&#39;`, `&#x2019;`) and the named
/// ones news pages use (`&amp;`, `&nbsp;`, `&rsquo;`, `&eacute;`, ...). `&nbsp;`
/// becomes a plain space. An unknown or unterminated reference is left as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_one(rest) {
            Some((c, len)) => {
                if let Some(c) = c {
                    out.push(c);
                }
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decode the reference at the start of `s` (which starts with '&'): the character
/// (None for one that decodes to nothing, like `&shy;`) and the bytes consumed.
fn decode_one(s: &str) -> Option<(Option<char>, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, digits_at) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let mut i = digits_at;
        while i < b.len() && i - digits_at < 8 && (if hex { b[i].is_ascii_hexdigit() } else { b[i].is_ascii_digit() }) {
            i += 1;
        }
        if i == digits_at {
            return None;
        }
        let n = u32::from_str_radix(&s[digits_at..i], if hex { 16 } else { 10 }).ok()?;
        let len = if b.get(i) == Some(&b';') { i + 1 } else { i };
        return Some((Some(numeric_char(n)), len));
    }
    let mut i = 1;
    while i < b.len() && i <= 32 && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == 1 || b.get(i) != Some(&b';') {
        return None;
    }
    let name = &s[1..i];
    if name == "shy" {
        return Some((None, i + 1));
    }
    named_entity(name).map(|c| (Some(c), i + 1))
}

/// The character a numeric reference stands for, with HTML's fix-ups: C1 controls
/// are read as Windows-1252 (`&#146;` is ’), and invalid code points become U+FFFD.
fn numeric_char(n: u32) -> char {
    const CP1252: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90,
        0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let n = if (0x80..0xA0).contains(&n) { CP1252[(n - 0x80) as usize] } else { n };
    match n {
        0 => '\u{FFFD}',
        0xA0 => ' ',
        _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
    }
}

fn named_entity(name: &str) -> Option<char> {
    // The common named references, plus all of Latin-1 (names matter in news:
    // "Erdo&gbreve;an" is rare, "S&atilde;o Paulo" is not).
    const LATIN1: [&str; 96] = [
        "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
        "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12",
        "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml",
        "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave",
        "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
        "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde",
        "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ];
    if name == "nbsp" {
        return Some(' ');
    }
    if let Some(k) = LATIN1.iter().position(|&n| n == name) {
        return char::from_u32(0xA0 + k as u32);
    }
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "prime" => '′',
        "Prime" => '″',
        "hellip" => '…',
        "bull" => '•',
        "dagger" => '†',
        "Dagger" => '‡',
        "permil" => '‰',
        "trade" => '™',
        "euro" => '€',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "ensp" | "emsp" | "thinsp" => ' ',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Yuml" => 'Ÿ',
        "fnof" => 'ƒ',
        "circ" => 'ˆ',
        "tilde" => '˜',
        "Zcaron" => 'Ž',
        "zcaron" => 'ž',
        "Ccaron" => 'Č',
        "ccaron" => 'č',
        "Cacute" => 'Ć',
        "cacute" => 'ć',
        "Scedil" => 'Ş',
        "scedil" => 'ş',
        "gbreve" => 'ğ',
        "Gbreve" => 'Ğ',
        "Idot" => 'İ',
        "inodot" | "imath" => 'ı',
        "Lstrok" => 'Ł',
        "lstrok" => 'ł',
        "nacute" => 'ń',
        "Sacute" => 'Ś',
        "sacute" => 'ś',
        "zacute" => 'ź',
        "zdot" => 'ż',
        "Zdot" => 'Ż',
        "ecaron" => 'ě',
        "rcaron" => 'ř',
        "Rcaron" => 'Ř',
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "mu" => 'μ',
        "pi" => 'π',
        "Omega" => 'Ω',
        "infin" => '∞',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "asymp" => '≈',
        "frasl" => '⁄',
        "star" => '☆',
        "check" => '✓',
        "sup" => '⊃',
        "sub" => '⊂',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ishiba seeks meeting with Trump | Example News</title>
  <meta property="og:title" content="Ishiba Seeks November Meeting with Trump">
  <meta property="article:published_time" content="2024-11-07T21:05:00+09:00">
  <link rel="canonical" href="https://news.example/ishiba-trump?a=1&amp;b=2">
  <style>p { color: red; } .secret { }</style>
  <script>var tracking = "<p>SCRIPT TEXT</p>";</script>
</head>
<body>
  <header><a href="/">Example News</a> HEADER TEXT</header>
  <nav><ul><li>World</li><li>NAV TEXT</li></ul></nav>
  <!-- COMMENT TEXT <p>not this</p> -->
  <article>
    <h1>Ishiba Seeks November Meeting with Trump</h1>
    <figure><img src="x.jpg"><figcaption>CAPTION TEXT Getty Images</figcaption></figure>
    <p>Japanese Prime Minister Ishiba Shigeru is reportedly attempting to arrange a
       meeting with President-elect Donald Trump.</p>
    <p>Ishiba told reporters he spoke with Trump for about five minutes on Thursday
       morning &amp; called it &quot;friendly&quot;. It&#39;s Trump&#x2019;s first&nbsp;call.</p>
    <aside>ASIDE TEXT: Read more</aside>
    <blockquote>We will work together.</blockquote>
    <ul><li>G20 summit in Rio</li><li>November 18&ndash;19</li></ul>
    <form><input name="q"><button>FORM TEXT</button></form>
  </article>
  <footer>FOOTER TEXT &copy; 2024</footer>
  <script type="text/javascript">
    document.write("</div>SCRIPT TEXT 2");
  </script>
</body>
</html>"#;

    #[test]
    fn extracts_main_text_and_metadata() {
        let page = extract(PAGE);
        for junk in ["SCRIPT", "HEADER", "NAV", "COMMENT", "CAPTION", "ASIDE", "FORM", "FOOTER", "color"] {
            assert!(!page.text.contains(junk), "{junk} leaked into {:?}", page.text);
        }
        let paras: Vec<&str> = page.text.split("\n\n").collect();
        assert_eq!(
            paras,
            [
                "Ishiba Seeks November Meeting with Trump",
                "Japanese Prime Minister Ishiba Shigeru is reportedly attempting to arrange a meeting with President-elect Donald Trump.",
                "Ishiba told reporters he spoke with Trump for about five minutes on Thursday morning & called it \"friendly\". It's Trump\u{2019}s first call.",
                "We will work together.",
                "G20 summit in Rio",
                "November 18\u{2013}19",
            ]
        );
        assert_eq!(page.title.as_deref(), Some("Ishiba Seeks November Meeting with Trump"));
        assert_eq!(page.published, Some(date(2024, 11, 7)));
        assert_eq!(page.url.as_deref(), Some("https://news.example/ishiba-trump?a=1&b=2"));
    }

    #[test]
    fn without_article_uses_main_then_body() {
        let html = "<body><div>Menu junk</div><main><p>Main one.</p><p>Main two.</p></main></body>";
        assert_eq!(extract(html).text, "Main one.\n\nMain two.");
        let html = "<body><p>First.<p>Second<br>line <b>bold</b> end.</body>";
        assert_eq!(extract(html).text, "First.\n\nSecond\nline bold end.");
    }

    #[test]
    fn largest_article_wins() {
        let html = "<main><article><p>Short teaser.</p></article>\
                    <article><p>The real story, which is much longer than the teaser.</p></article></main>";
        assert_eq!(extract(html).text, "The real story, which is much longer than the teaser.");
    }

    #[test]
    fn title_and_date_fallbacks() {
        let html = "<html><head><title> Plain\n title </title><meta name=\"pubdate\" content=\"2023-05-01\"></head>\
                    <body><p>x</p></body></html>";
        let p = extract(html);
        assert_eq!(p.title.as_deref(), Some("Plain title"));
        assert_eq!(p.published, Some(date(2023, 5, 1)));

        let html = r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},
            {"@type":"NewsArticle","datePublished":"2022-07-08T12:00:00Z"}]}</script>
            <time datetime="2020-01-01">old</time><p>x</p>"#;
        assert_eq!(extract(html).published, Some(date(2022, 7, 8)));

        let html = r#"<time datetime="2020-01-01">sidebar</time>
            <article><p>x</p><time datetime="2021-03-04T10:00">Mar 4</time></article>"#;
        assert_eq!(extract(html).published, Some(date(2021, 3, 4)));

        let html = r#"<time datetime="2020-01-01">a</time><time pubdate datetime="2019-02-03">b</time>"#;
        assert_eq!(extract(html).published, Some(date(2019, 2, 3)));

        // A bad date in a higher-priority source falls through to the next one.
        let html = r#"<meta property="article:published_time" content="yesterday">
            <meta name="date" content="2024-02-29"><p>x</p>"#;
        assert_eq!(extract(html).published, Some(date(2024, 2, 29)));

        let p = extract("<p>no metadata</p>");
        assert_eq!((p.title, p.published, p.url), (None, None, None));
        assert_eq!(extract(r#"<meta property="og:url" content="https://x.example/a">"#).url.as_deref(), Some("https://x.example/a"));
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &amp; b"), "a & b");
        assert_eq!(decode_entities("&quot;x&quot; &#39;y&#39; &apos;z&apos;"), "\"x\" 'y' 'z'");
        assert_eq!(decode_entities("Trump&#x2019;s &#8220;deal&#8221;"), "Trump\u{2019}s \u{201C}deal\u{201D}");
        assert_eq!(decode_entities("S&atilde;o Paulo, Erdo&#287;an, Z&uuml;rich"), "São Paulo, Erdoğan, Zürich");
        assert_eq!(decode_entities("a&nbsp;b&shy;c &hellip; &mdash;"), "a bc … —");
        assert_eq!(decode_entities("&#146;&#0;&#x110000;"), "\u{2019}\u{FFFD}\u{FFFD}");
        // Unknown, unterminated and bare ampersands stay as written.
        assert_eq!(decode_entities("AT&T &bogus; &amp &#; & x"), "AT&T &bogus; &amp &#; & x");
        assert!(matches!(decode_entities("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn pre_keeps_lines_and_hidden_is_dropped() {
        let html = "<p>Shown.</p><pre>line one\n  line two</pre><div hidden>gone</div>\
                    <p style=\"display: none\">gone too</p><span aria-hidden=\"true\">icon</span>";
        assert_eq!(extract(html).text, "Shown.\n\nline one\n  line two");
    }

    #[test]
    fn malformed_markup_never_panics() {
        // Every prefix of a page (cut at every char boundary) and some junk.
        let page = format!("{PAGE}<p>Caf\u{e9} \u{2014} \u{65e5}\u{672c}</p>");
        for (i, _) in page.char_indices() {
            let _ = extract(&page[..i]);
        }
        for junk in [
            "<",
            "</",
            "<!",
            "<!--",
            "<a",
            "<a b",
            "<a b=",
            "<a b='",
            "<p =x>t",
            "</ >",
            "<?x",
            "<script>",
            "<script>never closed",
            "<title>",
            "a < b > c",
            "&",
            "&#",
            "&#x;",
            "<svg/><p>after</p>",
            "</p></div></body>",
            "<table><td>a<td>b</table>",
        ] {
            let _ = extract(junk);
        }
        assert_eq!(extract("a < b and c > d").text, "a < b and c > d");
        assert_eq!(extract("<svg/><p>after</p>").text, "after");
        assert_eq!(extract("<table><tr><td>a<td>b</table>").text, "a b");
        assert_eq!(extract("<body><nav>unclosed nav<div>x</div></body><p>y").text, "y");
    }
}
