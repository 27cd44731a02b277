//! Inputs of every kind the spine reads, and bad input: each problem is one line on stderr
//! naming the input, the rest of the batch is stored, and nothing stored before is changed.

mod common;

use std::io::Write;

use common::{Run, seeds_dir, storyline};
use serde_json::Value;

const WIRE: &str = "Flooding closed the main highway into the port city of Dunmore on Tuesday, officials said. \
The regional transport authority said repairs to the washed-out bridge would take at least two weeks. \
Harbour master Ellen Tate told the Dunmore Courier that shipping had been suspended. \
About 400 residents were moved to a school gym overnight, the authority said.";

fn stories(run: &Run) -> Vec<Value> {
    serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap()
}

#[test]
fn jsonl_gzip_and_html_are_read_with_their_ids() {
    let run = Run::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    writeln!(gz, r#"{{"id":"wire-1","url":"https://example.test/a","title":"Floods close Dunmore highway","text":"{WIRE}","published":"2025-05-06T10:00:00Z","source":"Example Wire","desk":"regional"}}"#).unwrap();
    writeln!(
        gz,
        r#"{{"id":"blog-1","url":"https://blog.test/b","text":"{WIRE}"}}"#
    )
    .unwrap();
    std::fs::write(run.path("feed.jsonl.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(
        run.path("page.html"),
        format!("<html><head><title>Dunmore floods</title></head><body><nav><p>Home</p></nav><article><p>{WIRE}</p></article></body></html>"),
    )
    .unwrap();
    let out = run.ok(&[
        "ingest",
        run.path("feed.jsonl.gz").to_str().unwrap(),
        run.path("page.html").to_str().unwrap(),
    ]);
    assert_eq!(out.trim(), "3 reports read, 3 new, 0 duplicates, 0 failed");
    let s = stories(&run);
    assert_eq!(s.len(), 1, "identical texts are one story: {s:#?}");
    let ids: Vec<&str> = s[0]["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["wire-1", "blog-1", "page"]);
    // Identical texts with different ids are copies of the earliest-published one.
    let lineage = s[0]["lineage"].as_array().unwrap();
    assert_eq!(lineage.len(), 2, "{lineage:#?}");
    for e in lineage {
        assert_eq!(e["kind"], "copy", "{e}");
        assert_eq!(e["from"], "wire-1", "{e}");
        assert_eq!(e["reuse"], 1.0);
    }
    let report: Value =
        serde_json::from_str(&run.ok(&["show", "wire-1", "--format", "json"])).unwrap();
    assert_eq!(report["extra"], serde_json::json!({"desk": "regional"}));
    assert_eq!(report["source"], "Example Wire");
    let page: Value = serde_json::from_str(&run.ok(&["show", "page", "--format", "json"])).unwrap();
    assert_eq!(page["title"], "Dunmore floods");
    assert!(!page["text"].as_str().unwrap().contains("Home"));
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_stored() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let before = run.ok(&["stories", "--format", "json"]);

    let bad = run.path("batch");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("empty.txt"), "").unwrap();
    std::fs::write(
        bad.join("binary.txt"),
        (0..3000u32)
            .map(|i| (i * 37 % 256) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    std::fs::write(
        bad.join("truncated.txt.gz"),
        &[0x1f, 0x8b, 0x08, 0x00, 0x00][..],
    )
    .unwrap();
    std::fs::write(
        bad.join("lines.jsonl"),
        format!("{{\"id\":\"ok-1\",\"text\":\"{WIRE}\"}}\n{{broken\n{{\"id\":\"no-body\"}}\n"),
    )
    .unwrap();
    std::fs::write(
        bad.join("good.txt"),
        "Dunmore floods close highway\n".to_string() + WIRE,
    )
    .unwrap();
    std::fs::write(
        bad.join("gone.html"),
        "<html><head><title>404 : Page Not Found</title></head><body><p>The page you requested cannot be found. Please try searching our website or use the index.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        bad.join("notes.md"),
        "not a report format, skipped inside folders",
    )
    .unwrap();

    let out = storyline(&run, &["ingest", bad.to_str().unwrap()]);
    assert_eq!(
        out.code,
        Some(1),
        "a failed input makes the exit status non-zero"
    );
    assert_eq!(
        out.stdout.trim(),
        "3 reports read, 2 new, 0 duplicates, 6 failed"
    );
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("note: "))
        .collect();
    assert_eq!(lines.len(), 6, "{}", out.stderr);
    let expect = [
        ("binary.txt", "binary data"),
        ("empty.txt", "empty file"),
        ("gone.html", "an error page"),
        ("lines.jsonl:2", "malformed JSON"),
        ("lines.jsonl:3", "needs a body"),
        ("truncated.txt.gz", "gzip"),
    ];
    for (input, reason) in expect {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("error: ") && l.contains(input) && l.contains(reason)),
            "no line for {input} ({reason}) in:\n{}",
            out.stderr
        );
    }
    // The seeds' stories are untouched and the good reports are in.
    let after: Vec<Value> =
        serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap();
    let before: Vec<Value> = serde_json::from_str(&before).unwrap();
    assert_eq!(&after[..before.len()], &before[..]);
    run.ok(&["show", "ok-1"]);
    run.ok(&["show", "good"]);
}

#[test]
fn a_changed_report_under_a_stored_id_is_refused() {
    let run = Run::new();
    std::fs::write(
        run.path("a.jsonl"),
        format!("{{\"id\":\"x\",\"text\":\"{WIRE}\"}}\n"),
    )
    .unwrap();
    run.ok(&["ingest", run.path("a.jsonl").to_str().unwrap()]);
    std::fs::write(
        run.path("b.jsonl"),
        "{\"id\":\"x\",\"text\":\"Something else entirely happened today.\"}\n",
    )
    .unwrap();
    let out = storyline(&run, &["ingest", run.path("b.jsonl").to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("b.jsonl:1")
            && out.stderr.contains("already stored with different content"),
        "{}",
        out.stderr
    );
    let report: Value = serde_json::from_str(&run.ok(&["show", "x", "--format", "json"])).unwrap();
    assert!(
        report["text"]
            .as_str()
            .unwrap()
            .starts_with("Flooding closed")
    );
}

#[test]
fn a_store_of_another_program_is_refused() {
    let run = Run::new();
    std::fs::write(
        run.db(),
        b"this is not a database at all, just some text that is long enough",
    )
    .unwrap();
    let out = storyline(&run, &["stories"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("not a SQLite database"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_line_a_site_repeats_in_many_reports_is_learned_as_boilerplate() {
    let run = Run::new();
    let footer = "The Dunmore Courier is part of the Harbour Media network";
    let topics = [
        "ferry timetable",
        "school budget",
        "harbour dredging",
        "library hours",
        "bus routes",
        "tax rates",
        "park repairs",
    ];
    let lines: Vec<String> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                r#"{{"id":"c{i}","url":"https://www.courier.test/news/{i}","text":"The council voted on the {t} on Monday after a long debate, officials said.\n{footer}"}}"#
            )
        })
        .collect();
    std::fs::write(run.path("site.jsonl"), lines.join("\n")).unwrap();
    run.ok(&["ingest", run.path("site.jsonl").to_str().unwrap()]);
    for i in 0..7 {
        let r: Value =
            serde_json::from_str(&run.ok(&["show", &format!("c{i}"), "--format", "json"])).unwrap();
        let dropped = r["dropped"].as_array().unwrap();
        if i < 5 {
            assert!(
                r["text"].as_str().unwrap().contains(footer),
                "c{i} is among the first five: kept"
            );
            assert!(dropped.is_empty());
        } else {
            assert!(!r["text"].as_str().unwrap().contains(footer), "c{i}: {r}");
            assert_eq!(dropped[0]["rule"], "site_boilerplate");
            assert_eq!(dropped[0]["text"], footer);
        }
    }
}

#[test]
fn unrelated_stories_are_separate_threads() {
    let run = Run::new();
    std::fs::write(
        run.path("floods.txt"),
        format!("Floods close Dunmore highway\n{WIRE}"),
    )
    .unwrap();
    std::fs::write(
        run.path("budget.txt"),
        "Orland council approves budget after library row\nThe city council of Orland approved a budget of 1.2 billion for next year on Monday after a long debate over library funding. Council members voted 7 to 2 to keep branch libraries open on Sundays. The mayor said the budget would not raise property taxes.",
    )
    .unwrap();
    run.ok(&[
        "ingest",
        run.path("floods.txt").to_str().unwrap(),
        run.path("budget.txt").to_str().unwrap(),
    ]);
    let s = stories(&run);
    assert_eq!(s.len(), 2);
    assert_ne!(s[0]["thread"], s[1]["thread"], "{s:#?}");
    // The listing is flat: a story names its thread, `show` and `threads` list the members.
    assert!(s[0].get("thread_stories").is_none(), "{s:#?}");
    let one: Value = serde_json::from_str(&run.ok(&["show", "S1", "--format", "json"])).unwrap();
    assert_eq!(one["thread_stories"], serde_json::json!([]));
    let threads: Value = serde_json::from_str(&run.ok(&["threads", "--format", "json"])).unwrap();
    assert_eq!(threads, serde_json::json!([]), "no thread has two stories");
    let t1: Value = serde_json::from_str(&run.ok(&["threads", "S1", "--format", "json"])).unwrap();
    assert_eq!(
        t1.as_array().unwrap().len(),
        1,
        "S1 is its thread's only story"
    );
}
