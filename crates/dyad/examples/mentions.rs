//! Print the actor mentions dyad finds in a text file, sentence by sentence: a
//! tool for lexicon work. Usage: `cargo run --example mentions FILE YYYY-MM-DD`.

use dyad::actors::{self, DocContext};
use dyad::lexicon::Lexicon;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(date)) = (args.get(1), args.get(2)) else {
        return Err("usage: mentions FILE YYYY-MM-DD".into());
    };
    let doc = std::fs::read_to_string(path)?;
    let lex = Lexicon::builtin()?;
    let mut t = dyad::text::analyse(&doc);
    let ids = lex.token_ids(&mut t, &doc);
    let phrases = actors::phrases(&lex, &t, &ids);
    let countries = actors::countries(&lex, &t, &phrases);
    println!("countries: {countries:?}");
    let mut ctx = DocContext::new(date.parse()?, countries);
    for (i, s) in t.sentences.iter().enumerate() {
        println!("[{i}] {}", &doc[s.start..s.end]);
        for e in dyad::time::find(&t, i) {
            println!("    time {:?}: {:?}", &doc[t.tokens[e.start].start..t.tokens[e.end.max(e.start + 1) - 1].end], e.value);
        }
        for m in actors::mentions(&lex, &t, &doc, i, &phrases, &mut ctx) {
            let words = &doc[t.tokens[m.start].start..t.tokens[m.end - 1].end];
            let codes: Vec<String> = m.actors.iter().map(|a| format!("{}={}", a.name, a.code)).collect();
            println!("    {words:?} -> {}", codes.join(", "));
        }
    }
    Ok(())
}
