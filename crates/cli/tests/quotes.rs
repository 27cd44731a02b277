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

#[test]
fn a_speakers_remarks_across_reports_with_drift() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let rubio: Vec<Value> =
        serde_json::from_str(&run.ok(&["quotes", "--speaker", "Rubio", "--format", "json"]))
            .unwrap();
    let favor = rubio
        .iter()
        .find(|r| r["variants"].as_array().unwrap().len() == 2)
        .unwrap_or_else(|| panic!("the favour remark in two reports: {rubio:#?}"));
    assert_eq!(favor["drift"], true);
    let reports: Vec<&str> = favor["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["reports"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        reports,
        vec!["000_2263e4eb673043e5", "003_eecd8b1c6ee32f2a"]
    );
    let diff = favor["variants"][1]["diff"].as_str().unwrap();
    assert!(
        diff.contains("[-this-] {+that+}") && diff.contains("{+your+} {+countries+}"),
        "{diff}"
    );

    let state: Vec<Value> = serde_json::from_str(&run.ok(&[
        "quotes",
        "--speaker",
        "State Department",
        "--format",
        "json",
    ]))
    .unwrap();
    let globally = state
        .iter()
        .find(|r| {
            r["variants"][0]["text"]
                .as_str()
                .unwrap()
                .starts_with("working globally")
        })
        .unwrap_or_else(|| panic!("{state:#?}"));
    assert_eq!(
        globally["drift"], false,
        "case-only difference is the same quote"
    );
    let carried: Vec<&str> = globally["variants"][0]["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        carried,
        vec!["003_eecd8b1c6ee32f2a", "004_a7ee9d15eccb91ee"]
    );
}

#[test]
fn compare_shows_shared_quotes_and_unique_figures() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let s1: Value = serde_json::from_str(&run.ok(&["compare", "S1", "--format", "json"])).unwrap();
    let unique: Vec<(&str, &str)> = s1["unique"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["report"].as_str().unwrap(), u["text"].as_str().unwrap()))
        .collect();
    assert!(
        unique.contains(&("000_2263e4eb673043e5", "152,000 people")),
        "{unique:?}"
    );
    let s2: Value = serde_json::from_str(&run.ok(&["compare", "S2", "--format", "json"])).unwrap();
    let quotes = s2["quotes"].as_array().unwrap();
    assert!(
        quotes.iter().any(
            |q| q["variants"][0]["reports"].as_array().unwrap().len() == 2 && q["drift"] == false
        ),
        "the State Department line is one quote in 003 and 004: {quotes:#?}"
    );
    let unique2: Vec<&str> = s2["unique"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["report"].as_str().unwrap())
        .collect();
    assert!(
        unique2.contains(&"003_eecd8b1c6ee32f2a"),
        "003's deportation of one individual to Rwanda: {s2:#?}"
    );
    let dated: Vec<&str> = s2["unique_dated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["sentence"].as_str().unwrap())
        .collect();
    assert!(
        dated
            .iter()
            .any(|d| d.starts_with("A 2024 U.N. report highlighted")),
        "{dated:?}"
    );
    let khalifa = s1["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Khalifa Haftar")
        .unwrap_or_else(|| panic!("{:#?}", s1["entities"]));
    assert_eq!(khalifa["aliases"], serde_json::json!(["Khalifa Hifter"]));
    assert_eq!(
        khalifa["reports"],
        serde_json::json!(["000_2263e4eb673043e5", "001_e9418f4d7fb0e764"])
    );
    let md = run.ok(&["compare", "S2"]);
    assert!(md.starts_with("# Comparing the reports of S2"), "{md}");
}

#[test]
fn every_brief_sentence_is_carried_by_a_cited_report() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    for story in ["S1", "S2"] {
        let b: Value =
            serde_json::from_str(&run.ok(&["brief", story, "--format", "json"])).unwrap();
        let sentences = b["sentences"].as_array().unwrap();
        assert!(
            (4..=8).contains(&sentences.len()),
            "{story}: {} sentences",
            sentences.len()
        );
        for s in sentences {
            let text = s["text"].as_str().unwrap();
            let cites = s["cites"].as_array().unwrap();
            let really = cites.iter().any(|c| {
                let r: Value = serde_json::from_str(&run.ok(&[
                    "show",
                    c.as_str().unwrap(),
                    "--format",
                    "json",
                ]))
                .unwrap();
                r["text"].as_str().unwrap().contains(text)
            });
            assert!(really, "{story}: no cited report contains {text:?}");
        }
    }
    let md = run.ok(&["brief", "S2"]);
    assert!(
        md.contains("## What each source adds") && md.contains("## Open conflicts"),
        "{md}"
    );
}
