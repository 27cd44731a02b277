//! `storyline quotes` on the seeds: direct quotes with their resolved speakers (the extract
//! issue's list).

mod common;

use common::{Run, seeds_dir};
use serde_json::Value;

fn quotes(run: &Run, report: &str) -> Vec<(String, String, bool)> {
    let v: Vec<Value> =
        serde_json::from_str(&run.ok(&["quotes", "--report", report, "--format", "json"])).unwrap();
    v.iter()
        .filter(|q| q["direct"].as_bool().unwrap())
        .map(|q| {
            (
                q["speaker"].as_str().unwrap_or("-").to_string(),
                q["text"].as_str().unwrap().to_string(),
                q["partial"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn has(qs: &[(String, String, bool)], speaker: &str, starts: &str) -> bool {
    qs.iter()
        .any(|(s, t, _)| s == speaker && t.starts_with(starts))
}

#[test]
fn seed_quotes_have_their_speakers() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let q000 = quotes(&run, "000_2263e4eb673043e5");
    assert!(
        has(
            &q000,
            "Donald Trump",
            "I don't know. You'll have to ask Homeland Security"
        ),
        "{q000:#?}"
    );
    assert!(
        has(
            &q000,
            "a State Department spokesperson",
            "We do not discuss the details"
        ),
        "{q000:#?}"
    );
    assert!(
        has(
            &q000,
            "one of his family members",
            "He’s literally closer to his hometown"
        ),
        "{q000:#?}"
    );
    assert!(
        has(&q000, "Marco Rubio", "We are working with other countries"),
        "{q000:#?}"
    );
    assert!(
        has(&q000, "a U.S. judge", "clearly"),
        "partial quote of the judge: {q000:#?}"
    );
    assert!(
        has(
            &q000,
            "Lawyers for a group of migrants pursuing a class action lawsuit",
            "blatantly defies"
        ),
        "partial quote of the lawyers, `They added` resolved: {q000:#?}"
    );
    assert!(
        has(
            &q000,
            "Khalifa Haftar's Libyan National Army",
            "violates the sovereignty"
        ),
        "{q000:#?}"
    );
    let q003 = quotes(&run, "003_eecd8b1c6ee32f2a");
    assert!(
        has(
            &q003,
            "the U.S. State Department",
            "working globally to implement"
        ),
        "{q003:#?}"
    );
    assert!(
        has(
            &q003,
            "Marco Rubio",
            "We want to send you some of the most despicable human beings to your countries"
        ),
        "{q003:#?}"
    );
    let q004 = quotes(&run, "004_a7ee9d15eccb91ee");
    assert!(
        has(
            &q004,
            "a State Department spokesperson",
            "working globally to implement"
        ),
        "{q004:#?}"
    );
    assert!(
        has(
            &q004,
            "a department spokesperson",
            "The meetings with the Libyan delegation"
        ),
        "{q004:#?}"
    );
}

#[test]
fn quotes_of_a_story_cover_its_reports() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let text = run.ok(&["quotes", "--story", "S2"]);
    assert!(text.contains("004_a7ee9d15eccb91ee  (S2)"), "{text}");
    assert!(text.contains("003_eecd8b1c6ee32f2a  (S2)"), "{text}");
    assert!(!text.contains("000_2263e4eb673043e5"), "{text}");
}
