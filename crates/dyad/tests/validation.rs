//! The peers' validation suites in `../shared/eval` (third-party: read in place;
//! these tests skip cleanly without it).

use std::path::PathBuf;

fn eval_dir() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared is not present");
        None
    }
}

#[test]
fn petrarch_suite_is_read_whole() {
    let Some(dir) = eval_dir() else { return };
    let suite = dyad::validate::load(&dir.join("petrarch/PETR.UnitTest.records.xml")).expect("suite loads");
    assert_eq!(suite.records.len(), 284);
    assert_eq!(suite.dictionaries.len(), 4);
    assert!(suite.dictionaries.iter().all(|p| p.is_file()), "{:?}", suite.dictionaries);
    let demo = suite.records.iter().find(|r| r.id == "DEMO-00").expect("first-light record");
    assert!(demo.expected.contains(&("ARN".to_string(), "GON".to_string(), "064".to_string())));
    assert!(suite.records.iter().any(|r| !r.require_dyad), "require_dyad options are applied");
}

#[test]
fn tabari_suite_is_read_with_its_project() {
    let Some(dir) = eval_dir() else { return };
    let suite = dyad::validate::load(&dir.join("tabari/Validate.text")).expect("suite loads");
    assert!(suite.records.len() > 400, "{}", suite.records.len());
    assert_eq!(suite.dictionaries.len(), 3);
    assert!(suite.dictionaries.iter().all(|p| p.is_file()), "{:?}", suite.dictionaries);
}

#[test]
fn petrarch_unit_tests_pass_more_than_petrarch_does() {
    // PETRARCH-1 passes 213 of these 284 records on this machine, PETRARCH2 87.
    let Some(dir) = eval_dir() else { return };
    let suite = dyad::validate::load(&dir.join("petrarch/PETR.UnitTest.records.xml")).expect("suite loads");
    let lexicon = dyad::Lexicon::from_dictionaries(&suite.dictionaries).expect("the suite's dictionaries load");
    let report = dyad::validate::run(&suite, &lexicon);
    println!("passed {} of {}", report.passed(), report.total());
    assert!(report.passed() >= 214, "passed {} of {}; more than 213 needed\n{report}", report.passed(), report.total());
}
