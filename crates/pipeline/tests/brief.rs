//! The brief cites a report for a sentence it tells in other words only when it holds nearly
//! all of the sentence's terms and the same figures.

use storyline_pipeline::{Engine, EngineConfig};
use storyline_store::{SqliteStore, Store};

const ORIGINAL: &str = "Floods closed the Dunmore road on Tuesday after the river rose over its banks, \
the county council said.\n\nEngineers from the county council will inspect the old stone bridge \
near Dunmore on Wednesday morning.\n\nThe council said drivers should use the northern bypass \
until further notice while 12 crews clear the mud.\n\nLocal farmers reported heavy losses of \
winter feed stored in low barns along the valley.";

const REWORDED: &str = "Floods closed the Dunmore road on Tuesday after the river rose over its \
banks, the county council said.\n\nOn Wednesday morning, engineers of the council for the county \
inspect Dunmore's old bridge of stone.\n\nDrivers should take the northern bypass while 15 crews \
clear the mud, the council said.\n\nFarmers along the valley lost winter feed.";

#[test]
fn a_rewording_with_nearly_all_terms_is_cited_a_loose_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), ORIGINAL).unwrap();
    std::fs::write(input.join("b.txt"), REWORDED).unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let mut engine = Engine::open(store, EngineConfig::default()).unwrap();
    let summary = engine.ingest_paths(&[input], &mut |_| {}).unwrap();
    assert_eq!(summary.new, 2, "{:?}", summary.diagnostics);
    let stories = engine.store().stories().unwrap();
    assert_eq!(stories.len(), 1, "the two reports are one story");
    let (cands, _) = engine.brief_candidates(stories[0].id).unwrap().unwrap();
    let carried = |report: &str, opening: &str| {
        let c = cands
            .iter()
            .find(|c| c.report.0 == report && c.text.starts_with(opening))
            .unwrap_or_else(|| panic!("no sentence of {report} opening {opening:?}"));
        c.carried_by.iter().map(|r| r.0.clone()).collect::<Vec<_>>()
    };
    // Reworded, every term kept: cited.
    assert_eq!(carried("a", "Engineers from"), ["a", "b"]);
    // Nearly the same words, another figure: not cited.
    assert_eq!(carried("a", "The council said drivers"), ["a"]);
    // A loose summary of it: not cited.
    assert_eq!(carried("a", "Local farmers"), ["a"]);
    let b_support = cands
        .iter()
        .find(|c| c.report.0 == "a" && c.text.starts_with("Engineers from"))
        .unwrap()
        .support
        .iter()
        .find(|s| s.report.0 == "b")
        .unwrap()
        .clone();
    assert!(b_support.cited);
    assert_eq!(b_support.kind, "paraphrase");
    assert!(b_support.text.starts_with("On Wednesday morning"));
}

#[test]
fn a_story_of_many_reports_is_briefed_from_a_bounded_number_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let n = storyline_pipeline::MAX_BRIEF_REPORTS + 5;
    for i in 0..n {
        std::fs::write(
            input.join(format!("r{i:03}.txt")),
            format!("{ORIGINAL}\n\nThe council will publish update number {i} tonight."),
        )
        .unwrap();
    }
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let mut engine = Engine::open(store, EngineConfig::default()).unwrap();
    let summary = engine.ingest_paths(&[input], &mut |_| {}).unwrap();
    assert_eq!(summary.new, n as u64, "{:?}", summary.diagnostics);
    let stories = engine.store().stories().unwrap();
    let big = stories.iter().max_by_key(|s| s.reports.len()).unwrap();
    assert!(big.reports.len() > storyline_pipeline::MAX_BRIEF_REPORTS);
    let (cands, order) = engine.brief_candidates(big.id).unwrap().unwrap();
    assert_eq!(order.len(), storyline_pipeline::MAX_BRIEF_REPORTS);
    assert!(cands.iter().all(|c| order.contains(&c.report)));
    // The story's originals are among those read.
    for r in &big.reports {
        if r.role == storyline_model::Role::Original {
            assert!(order.contains(&r.id), "original {} left out", r.id.0);
        }
    }
}
