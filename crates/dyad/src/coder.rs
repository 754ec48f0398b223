//! The coder: one document and a lexicon in, event records out.
//!
//! [`Coder::code`] runs the stages in order (text, actor mentions, triggers) and
//! assembles each found trigger into one [`Event`] per (source, target) pair, with
//! its evidence: the words of each actor, the trigger, the sentence and the lexicon
//! line that decided the code. It is a pure function of (document, lexicon).

use crate::actors::{self, Actor, DocContext};
use crate::codebook::Codebook;
use crate::events;
use crate::lexicon::{Lexicon, TokId};
use crate::record::{ActorRecord, DateRecord, Event, TriggerRecord};
use crate::text::{self, Text};
use crate::Document;

/// Codes documents with one lexicon. Cheap to create; share the lexicon.
pub struct Coder<'a> {
    lexicon: &'a Lexicon,
    codebook: &'a Codebook,
    /// Keep events with only one side known.
    partial: bool,
}

impl<'a> Coder<'a> {
    pub fn new(lexicon: &'a Lexicon) -> Self {
        let codebook = if lexicon.codebook.is_empty() { Codebook::builtin() } else { &lexicon.codebook };
        Coder { lexicon, codebook, partial: false }
    }

    /// Also emit events whose source or target is unknown (off by default: an
    /// event is a dyad).
    pub fn with_partial(mut self, partial: bool) -> Self {
        self.partial = partial;
        self
    }

    /// Code one document.
    pub fn code(&self, doc: &Document) -> Vec<Event> {
        let lex = self.lexicon;
        let text = text::analyse(&doc.text);
        let ids: Vec<Option<TokId>> = text.tokens.iter().map(|t| lex.text_token_id(&t.norm, &doc.text[t.start..t.end])).collect();
        let main = actors::main_country(lex, &text, &ids);
        let mut ctx = DocContext::new(doc.published, main);
        let mut out = Vec::new();
        for si in 0..text.sentences.len() {
            let mentions = actors::mentions(lex, &text, &doc.text, si, &ids, &mut ctx);
            let found = events::find(lex, &text, si, &ids, &mentions);
            let mut n = 0;
            for f in found {
                let pattern = &lex.patterns[f.pattern as usize];
                let pairs = pairs(&f.sources, &f.targets, self.partial);
                for (src, tgt) in pairs {
                    if let (Some(a), Some(b)) = (src, tgt) {
                        if same_actor(a, b) {
                            continue;
                        }
                    }
                    let Some(info) = self.codebook.resolve(&pattern.code) else { continue };
                    let s = &text.sentences[si];
                    out.push(Event {
                        doc: doc.id.clone(),
                        sentence: si,
                        id: format!("{}:{}:{}", doc.id, si, n),
                        source: src.map(|a| record(a, &text, &doc.text)),
                        target: tgt.map(|a| record(a, &text, &doc.text)),
                        code: pattern.code.clone(),
                        root: crate::codebook::root(&pattern.code).to_string(),
                        label: info.label.clone(),
                        quad_class: info.quad_class,
                        goldstein: info.goldstein,
                        date: DateRecord {
                            start: doc.published.to_string(),
                            end: doc.published.to_string(),
                            grain: "day".to_string(),
                            basis: "publication".to_string(),
                            text: String::new(),
                            span: None,
                        },
                        status: "asserted".to_string(),
                        location: None,
                        trigger: TriggerRecord {
                            text: doc.text[text.tokens[f.start].start..text.tokens[f.end - 1].end].to_string(),
                            span: [text.tokens[f.start].start, text.tokens[f.end - 1].end],
                        },
                        rule: lex.rule_text(pattern.rule),
                        sentence_text: doc.text[s.start..s.end].to_string(),
                    });
                    n += 1;
                }
            }
        }
        out
    }
}

/// One (source, target) pair per combination of coordinated actors; a coordinated
/// source with no target acts towards each of its other members.
fn pairs<'b>(sources: &'b [Actor], targets: &'b [Actor], partial: bool) -> Vec<(Option<&'b Actor>, Option<&'b Actor>)> {
    let mut out = Vec::new();
    if targets.is_empty() && sources.len() >= 2 {
        for a in sources {
            for b in sources {
                if !std::ptr::eq(a, b) {
                    out.push((Some(a), Some(b)));
                }
            }
        }
        return out;
    }
    match (sources.is_empty(), targets.is_empty()) {
        (false, false) => {
            for a in sources {
                for b in targets {
                    out.push((Some(a), Some(b)));
                }
            }
        }
        (false, true) if partial => out.extend(sources.iter().map(|a| (Some(a), None))),
        (true, false) if partial => out.extend(targets.iter().map(|b| (None, Some(b)))),
        _ => {}
    }
    out
}

fn same_actor(a: &Actor, b: &Actor) -> bool {
    a.entity.is_some() && a.entity == b.entity || a.code == b.code && a.name == b.name
}

fn record(a: &Actor, text: &Text, doc: &str) -> ActorRecord {
    let start = text.tokens[a.start].start;
    let end = text.tokens[a.end.max(a.start + 1) - 1].end;
    ActorRecord {
        text: doc[start..end].to_string(),
        name: a.name.clone(),
        code: a.code.clone(),
        country: a.country.clone(),
        role: a.role.clone(),
        span: [start, end],
    }
}
