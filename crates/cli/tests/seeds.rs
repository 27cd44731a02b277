//! End to end on the seeds (`../shared/fixtures/seeds`): the stories, lineage and roles the
//! spine issue expects, read back from the JSON the CLI prints.

mod common;

use common::{Run, seeds_dir, storyline};
use serde_json::Value;

fn story_of<'a>(stories: &'a [Value], report: &str) -> &'a Value {
    stories
        .iter()
        .find(|s| {
            s["reports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"].as_str().unwrap().starts_with(report))
        })
        .unwrap_or_else(|| panic!("no story holds {report}"))
}

fn ids(story: &Value) -> Vec<String> {
    let mut v: Vec<String> = story["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap()[..3].to_string())
        .collect();
    v.sort();
    v
}

fn role(stories: &[Value], report: &str) -> String {
    let s = story_of(stories, report);
    s["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_str().unwrap().starts_with(report))
        .unwrap()["role"]
        .as_str()
        .unwrap()
        .to_string()
}

fn edges(stories: &[Value]) -> Vec<(String, String, String, f64)> {
    stories
        .iter()
        .flat_map(|s| s["lineage"].as_array().unwrap().iter())
        .map(|e| {
            (
                e["from"].as_str().unwrap()[..3].to_string(),
                e["to"].as_str().unwrap()[..3].to_string(),
                e["kind"].as_str().unwrap().to_string(),
                e["reuse"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn seeds_make_two_stories_with_the_expected_lineage() {
    let run = Run::new();
    let out = run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    assert_eq!(out.trim(), "5 reports read, 5 new, 0 duplicates, 0 failed");
    let stories: Vec<Value> =
        serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap();

    assert_eq!(stories.len(), 2, "{stories:#?}");
    assert_eq!(ids(story_of(&stories, "000")), vec!["000", "001"]);
    assert_eq!(ids(story_of(&stories, "002")), vec!["002", "003", "004"]);

    let edges = edges(&stories);
    let derivations: Vec<_> = edges
        .iter()
        .filter(|e| e.2 != "related")
        .map(|e| (e.0.as_str(), e.1.as_str(), e.2.as_str()))
        .collect();
    assert_eq!(derivations.len(), 2, "{edges:?}");
    assert!(
        derivations.contains(&("004", "002", "summary")),
        "{edges:?}"
    );
    assert!(
        derivations.contains(&("004", "003", "rewrite")),
        "{edges:?}"
    );
    for e in &edges {
        assert!((0.0..=1.0).contains(&e.3), "reuse out of range: {e:?}");
    }
    // 001 is related to 000, never a copy of it.
    assert!(
        edges
            .iter()
            .any(|e| e.0 == "000" && e.1 == "001" && e.2 == "related"),
        "{edges:?}"
    );

    assert_eq!(role(&stories, "000"), "original");
    assert_eq!(role(&stories, "004"), "original");
    assert_eq!(role(&stories, "002"), "derived");
    assert_eq!(role(&stories, "003"), "derived");
    assert_eq!(role(&stories, "001"), "secondhand");

    // Every edge and role says what decided it.
    for s in &stories {
        for e in s["lineage"].as_array().unwrap() {
            assert!(!e["evidence"].as_array().unwrap().is_empty(), "{e}");
        }
        for r in s["reports"].as_array().unwrap() {
            assert!(!r["evidence"].as_array().unwrap().is_empty(), "{r}");
            assert!(!r["title"].as_str().unwrap().is_empty());
        }
    }
}

#[test]
fn ingesting_the_same_files_again_stores_nothing_new() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let before = run.ok(&["stories", "--format", "json"]);
    let again = run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    assert_eq!(
        again.trim(),
        "5 reports read, 0 new, 5 duplicates, 0 failed"
    );
    assert_eq!(run.ok(&["stories", "--format", "json"]), before);
}

#[test]
fn reopening_the_store_continues_where_it_left_off() {
    let files: Vec<_> = {
        let mut v: Vec<_> = std::fs::read_dir(seeds_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v
    };
    let all = Run::new();
    all.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let split = Run::new();
    let first: Vec<&str> = files[..3].iter().map(|p| p.to_str().unwrap()).collect();
    let rest: Vec<&str> = files[3..].iter().map(|p| p.to_str().unwrap()).collect();
    split.ok(&[&["ingest"][..], &first].concat());
    split.ok(&[&["ingest"][..], &rest].concat());
    assert_eq!(
        split.ok(&["stories", "--format", "json"]),
        all.ok(&["stories", "--format", "json"])
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let one = Run::new();
    one.ok(&["ingest", "--threads", "1", seeds_dir().to_str().unwrap()]);
    let two = Run::new();
    two.ok(&["ingest", "--threads", "2", seeds_dir().to_str().unwrap()]);
    let four = Run::new();
    four.ok(&["ingest", "--threads", "4", seeds_dir().to_str().unwrap()]);
    let a = one.ok(&["stories", "--format", "json"]);
    assert_eq!(a, two.ok(&["stories", "--format", "json"]));
    assert_eq!(a, four.ok(&["stories", "--format", "json"]));
}

#[test]
fn show_story_and_report() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let stories: Vec<Value> =
        serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap();
    let sid = story_of(&stories, "004")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let text = run.ok(&["show", &sid]);
    assert!(
        text.contains("004_a7ee9d15eccb91ee → 003_eecd8b1c6ee32f2a  rewrite"),
        "{text}"
    );
    let story: Value = serde_json::from_str(&run.ok(&["show", &sid, "--format", "json"])).unwrap();
    assert_eq!(
        story["originals"],
        serde_json::json!(["004_a7ee9d15eccb91ee"])
    );
    let report: Value =
        serde_json::from_str(&run.ok(&["show", "001_e9418f4d7fb0e764", "--format", "json"]))
            .unwrap();
    assert_eq!(report["role"], "secondhand");
    assert!(
        report["text"]
            .as_str()
            .unwrap()
            .starts_with("News outlets are reporting")
    );
    let missing = storyline(&run, &["show", "nope"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("no story or report `nope`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn check_reports_a_clean_store() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let out = run.ok(&["check"]);
    assert!(
        out.starts_with("ok: ") && out.contains("5 reports, 2 stories"),
        "{out}"
    );
}

/// `show REPORT` says why the report joined its story and why the closest other story did not
/// take it, with the figures that decided.
#[test]
fn a_report_says_why_it_joined_its_story() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let stories: Vec<Value> =
        serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap();
    // The second report of a story joined it through an earlier one.
    let story = stories
        .iter()
        .find(|s| s["reports"].as_array().unwrap().len() > 1)
        .unwrap();
    let second = story["reports"][1]["id"].as_str().unwrap();
    let r: Value = serde_json::from_str(&run.ok(&["show", second, "--format", "json"])).unwrap();
    let evidence: Vec<&str> = r["placement"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    let joined = format!("joined {} through ", story["id"].as_str().unwrap());
    assert!(evidence[0].starts_with(&joined), "{evidence:?}");
    assert!(evidence[0].contains("similarity") && evidence[0].contains("keywords shared"));
    assert!(r["placement"]["score"].as_f64().unwrap() > 0.0);
    // The first report of the first story opened it.
    let first = stories[0]["reports"][0]["id"].as_str().unwrap();
    let text = run.ok(&["show", first]);
    assert!(text.contains("placement:\n  - opened S1"), "{text}");
}

/// Threads as the listings show them agree with each other: every story names a thread,
/// `threads` lists exactly the threads of two stories or more, and `threads T` lists the
/// stories naming T. (The seeds' two stories, one developing story, are related at 0.24,
/// under the thread bar the dev set chose, 0.35: they are separate threads for now, noted in
/// issue 18.)
#[test]
fn thread_listings_agree_with_the_stories() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let stories: Vec<Value> =
        serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap();
    let mut sizes: std::collections::BTreeMap<String, usize> = Default::default();
    for s in &stories {
        assert!(s["thread"].as_str().unwrap().starts_with('T'), "{s:#?}");
        assert!(s.get("thread_stories").is_none(), "the listing is flat");
        *sizes
            .entry(s["thread"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let threads: Vec<Value> =
        serde_json::from_str(&run.ok(&["threads", "--format", "json"])).unwrap();
    let listed: Vec<&str> = threads.iter().map(|t| t["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = sizes
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(listed, expected);
    for (t, n) in &sizes {
        let members: Vec<Value> =
            serde_json::from_str(&run.ok(&["threads", t, "--format", "json"])).unwrap();
        assert_eq!(members.len(), *n, "{t}");
        assert!(members.iter().all(|m| m["thread"] == t.as_str()));
    }
    let missing = storyline(&run, &["threads", "T999"]);
    assert_ne!(missing.code, Some(0));
    assert!(
        missing.stderr.contains("no thread or story `T999`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn stories_are_listed_a_page_at_a_time() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let page = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["stories", "--format", "json"];
        all.extend_from_slice(args);
        let v: Vec<Value> = serde_json::from_str(&run.ok(&all)).unwrap();
        v.iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = page(&[]);
    assert_eq!(all.len(), 2);
    assert_eq!(page(&["--limit", "1"]), all[..1]);
    assert_eq!(page(&["--limit", "1", "--offset", "1"]), all[1..]);
    assert_eq!(page(&["--offset", "1"]), all[1..]);
    assert!(page(&["--offset", "5"]).is_empty());
}
