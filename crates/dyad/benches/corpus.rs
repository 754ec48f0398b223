//! The benchmark corpus, shared by `benches/coder.rs` and `examples/corpus.rs`:
//! the news-gold articles, the seed article and the sentences of PETRARCH's
//! GigaWord sample (taken as raw text), all read from `../shared`, replicated to at
//! least 200,000 sentences. Nothing of it is stored in the project.

use std::path::{Path, PathBuf};

use dyad::Document;

const MIN_SENTENCES: usize = 200_000;

pub fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.is_dir().then_some(p)
}

/// The distinct source documents of the corpus.
fn sources(shared: &Path) -> Vec<Document> {
    let mut docs = Vec::new();
    let gold = shared.join("eval/news-gold");
    if let Ok(gold) = dyad::eval::load_gold(&gold) {
        docs.extend(gold.into_iter().map(|g| g.document));
    }
    if let Ok(text) = std::fs::read_to_string(shared.join("corpus/seed/ishiba-trump.txt")) {
        docs.push(Document { id: "seed".into(), text, published: jiff::civil::date(2024, 11, 7), url: None, title: None });
    }
    if let Ok(xml) = std::fs::read_to_string(shared.join("eval/petrarch/GigaWord.sample.PETR.xml")) {
        let mut rest = xml.as_str();
        let mut n = 0;
        while let Some(i) = rest.find("<Text>") {
            let Some(j) = rest[i..].find("</Text>") else { break };
            let text = rest[i + 6..i + j].split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                docs.push(Document { id: format!("gigaword-{n}"), text, published: jiff::civil::date(2008, 8, 4), url: None, title: None });
                n += 1;
            }
            rest = &rest[i + j..];
        }
    }
    docs
}

/// The sources replicated to at least [`MIN_SENTENCES`] sentences: (documents, sentences).
pub fn corpus(shared: &Path) -> (Vec<Document>, usize) {
    let base = sources(shared);
    let per_round: usize = base.iter().map(|d| dyad::text::analyse(&d.text).sentences.len()).sum();
    let rounds = MIN_SENTENCES.div_ceil(per_round.max(1));
    let mut docs = Vec::with_capacity(base.len() * rounds);
    for r in 0..rounds {
        for d in &base {
            docs.push(Document { id: format!("{}-{r}", d.id), ..d.clone() });
        }
    }
    (docs, per_round * rounds)
}
