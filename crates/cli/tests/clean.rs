//! `storyline clean` on the seeds: the boilerplate the clean issue names is dropped, nothing
//! else is, and cleaning the cleaned text changes nothing.

mod common;

use common::{Run, seeds_dir};
use serde_json::Value;

fn seed(prefix: &str) -> std::path::PathBuf {
    std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn drops(run: &Run, path: &std::path::Path) -> Vec<(String, String)> {
    let out: Vec<Value> =
        serde_json::from_str(&run.ok(&["clean", "--format", "json", path.to_str().unwrap()]))
            .unwrap();
    out[0]["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn seeds_lose_their_boilerplate_and_nothing_else() {
    let run = Run::new();
    assert!(drops(&run, &seed("000")).is_empty());
    assert!(drops(&run, &seed("002")).is_empty());
    assert_eq!(
        drops(&run, &seed("001")),
        vec![(
            "affiliate_note".into(),
            "If you buy something through a link in this article, we may earn commission.".into()
        )]
    );
    assert_eq!(
        drops(&run, &seed("003")),
        vec![("comment_prompt".into(), "Leave a Reply".into())]
    );
    let d = drops(&run, &seed("004"));
    let rules: Vec<&str> = d.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        rules,
        vec!["outlet_line", "doubled_paragraph", "teaser", "teaser"],
        "{d:#?}"
    );
    assert_eq!(d[0].1, "CNN");
    assert!(
        d[1].1.ends_with("to the two countries."),
        "the shorter copy of the lead goes: {}",
        d[1].1
    );
    assert!(d[2].1.contains("gumming up the courts"));
    assert!(
        d[3].1
            .starts_with("The Justice Department and federal courts")
    );
}

#[test]
fn the_kept_text_keeps_every_other_paragraph() {
    let run = Run::new();
    let out: Vec<Value> = serde_json::from_str(&run.ok(&[
        "clean",
        "--format",
        "json",
        seed("004").to_str().unwrap(),
    ]))
    .unwrap();
    let text = out[0]["text"].as_str().unwrap();
    assert!(text.starts_with("The Trump administration has discussed with Libya and Rwanda the possibility of sending migrants who have criminal records and are in the United States to those two countries, according to multiple sources"));
    assert!(text.contains("were not about deportations"));
    assert!(!text.contains("gumming"));
    assert_eq!(
        out[0]["title"],
        "Trump administration weighs sending migrants to Libya and Rwanda, sources say"
    );
}

#[test]
fn cleaning_cleaned_text_changes_nothing() {
    let run = Run::new();
    for entry in std::fs::read_dir(seeds_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let once = run.ok(&["clean", path.to_str().unwrap()]);
        let copy = run.path("cleaned.txt");
        std::fs::write(&copy, &once).unwrap();
        let again: Vec<Value> =
            serde_json::from_str(&run.ok(&["clean", "--format", "json", copy.to_str().unwrap()]))
                .unwrap();
        assert!(
            again[0]["dropped"].as_array().unwrap().is_empty(),
            "{}: {}",
            path.display(),
            again[0]["dropped"]
        );
        assert_eq!(
            run.ok(&["clean", copy.to_str().unwrap()]),
            once,
            "{}",
            path.display()
        );
    }
}

#[test]
fn drops_are_stored_and_shown() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let plain = run.ok(&["show", "003_eecd8b1c6ee32f2a"]);
    assert!(
        plain.contains("(1 pieces dropped by the cleaner; --dropped shows them)"),
        "{plain}"
    );
    let shown = run.ok(&["show", "003_eecd8b1c6ee32f2a", "--dropped"]);
    assert!(shown.contains("[comment_prompt] Leave a Reply"), "{shown}");
    let json: Value =
        serde_json::from_str(&run.ok(&["show", "001_e9418f4d7fb0e764", "--format", "json"]))
            .unwrap();
    assert_eq!(json["dropped"][0]["rule"], "affiliate_note");
}

#[test]
fn a_page_with_no_body_is_named_on_stderr() {
    let run = Run::new();
    std::fs::write(
        run.path("scripts.html"),
        "<html><head><script>var x = 1;</script></head><body></body></html>",
    )
    .unwrap();
    let out = common::storyline(&run, &["clean", run.path("scripts.html").to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("scripts.html: no body text found"),
        "{}",
        out.stderr
    );
}
