//! `storyline entities` on the seeds: one person behind "Trump" and "President Donald Trump",
//! Khalifa Haftar and his son Saddam kept apart, and the Haftar / Hifter spellings linked.

mod common;

use common::{Run, seeds_dir};
use serde_json::Value;

fn entities(run: &Run, report: &str) -> Vec<Value> {
    serde_json::from_str(&run.ok(&["entities", "--report", report, "--format", "json"])).unwrap()
}

fn named<'a>(es: &'a [Value], name: &str) -> Option<&'a Value> {
    es.iter().find(|e| e["name"] == name)
}

#[test]
fn seed_entities_and_their_links() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let e000 = entities(&run, "000_2263e4eb673043e5");
    let trump = named(&e000, "Donald Trump").expect("Trump in 000");
    assert_eq!(trump["kind"], "person");
    let forms: Vec<&str> = trump["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(
        forms.contains(&"Trump") && forms.contains(&"Donald Trump"),
        "{forms:?}"
    );
    assert!(
        named(&e000, "Khalifa Haftar").is_some_and(|e| e["kind"] == "person"),
        "{e000:#?}"
    );
    assert!(
        named(&e000, "Libyan National Army").is_some_and(|e| e["kind"] == "organization"),
        "{e000:#?}"
    );
    assert!(named(&e000, "Libya").is_some_and(|e| e["kind"] == "place"));

    let e001 = entities(&run, "001_e9418f4d7fb0e764");
    let e004 = entities(&run, "004_a7ee9d15eccb91ee");
    let hifter = named(&e001, "Khalifa Hifter").expect("Hifter in 001");
    let saddam = named(&e004, "Saddam Haftar").expect("Saddam Haftar in 004");
    assert_eq!(saddam["kind"], "person");
    assert!(storyline_pipeline::same_person(
        "Khalifa Haftar",
        hifter["name"].as_str().unwrap()
    ));
    assert!(!storyline_pipeline::same_person(
        "Khalifa Haftar",
        saddam["name"].as_str().unwrap()
    ));
}

#[test]
fn seed_figures_and_dates() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let e000 = entities(&run, "000_2263e4eb673043e5");
    let figure = |name: &str| {
        e000.iter()
            .find(|e| e["kind"] == "figure" && e["name"] == name)
            .cloned()
    };
    let deported = figure("152,000 people").expect("the deportation figure");
    assert_eq!(deported["value"], 152000.0);
    assert_eq!(deported["counts"], "people");
    assert!(figure("three U.S. officials").is_some(), "{e000:#?}");
    assert!(figure("about 15 years").is_some(), "{e000:#?}");
    let date = |name: &str| {
        e000.iter()
            .find(|e| e["kind"] == "date" && e["name"] == name)
            .cloned()
    };
    assert_eq!(date("in 2009").expect("in 2009")["relative"], false);
    assert_eq!(date("last year").expect("last year")["relative"], true);
}
