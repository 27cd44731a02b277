//! Who reports first, end to end through the CLI's JSON: outlet profiles and timelines on the
//! seeds; alerts (subscriptions, events, Atom feeds, signed webhooks retried after refusals).

mod common;

use common::{Run, WebhookReceiver, seeds_dir};
use serde_json::Value;

fn json(run: &Run, args: &[&str]) -> Value {
    serde_json::from_str(&run.ok(args)).unwrap()
}

fn outlet<'a>(table: &'a Value, name: &str) -> &'a Value {
    table["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["outlet"] == name)
        .unwrap_or_else(|| panic!("no outlet {name} in {table}"))
}

/// The seeds' outlets: 000 is Reuters' (it speaks of itself: "Reuters was first to report",
/// "told Reuters"), 004 CNN's (its outlet line); 001–003 name none.
#[test]
fn the_seeds_outlet_table_says_who_reports_first_and_who_copies() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let stories = json(&run, &["stories", "--format", "json"]);
    let report = |prefix: &str| -> Value {
        stories
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["reports"].as_array().unwrap().iter())
            .find(|r| r["id"].as_str().unwrap().starts_with(prefix))
            .unwrap()
            .clone()
    };
    assert_eq!(report("000")["outlet"], "Reuters");
    assert_eq!(report("004")["outlet"], "CNN");
    for r in ["001", "002", "003"] {
        assert_eq!(report(r)["outlet"], Value::Null, "{r}");
    }

    let table = json(&run, &["outlets", "--format", "json"]);
    for first_hand in ["Reuters", "CNN"] {
        let o = outlet(&table, first_hand);
        assert_eq!(
            (o["reports"].as_u64(), o["original"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(o["original_share"], 1.0);
    }
    let unknown = outlet(&table, "(unknown)");
    assert_eq!(unknown["known"], false);
    assert_eq!(unknown["reports"], 3);
    assert_eq!(unknown["derived"], 2, "002 and 003 are derived");
    assert_eq!(unknown["secondhand"], 1, "001 relays others' reporting");
    assert_eq!(unknown["takes_from"][0]["outlet"], "CNN");
    assert_eq!(unknown["takes_from"][0]["edges"], 2);

    let cnn = json(&run, &["outlet", "cnn", "--format", "json"]);
    assert_eq!(cnn["outlet"], "CNN");
    assert_eq!(cnn["taken_by"][0]["outlet"], "(unknown)");
    assert_eq!(cnn["weeks"].as_array().unwrap().len(), 1);
    let missing = common::storyline(&run, &["outlet", "Nowhere Gazette"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("no outlet `Nowhere Gazette`"),
        "{}",
        missing.stderr
    );
    let bad = common::storyline(&run, &["outlets", "--since", "May 7"]);
    assert!(
        bad.stderr.contains("since `May 7` is not a date"),
        "{}",
        bad.stderr
    );

    // CNN's story on a time axis: 004 first (the source, when one batch saw all three), both
    // copies drawn from it, every point timed by first seen (the seeds give no dates).
    let sid = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["reports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"].as_str().unwrap().starts_with("004"))
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = json(&run, &["show", &sid, "--format", "json"]);
    let points = shown["timeline"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    let first: Vec<&str> = points
        .iter()
        .filter(|p| p["first"] == true)
        .map(|p| p["report"].as_str().unwrap())
        .collect();
    assert_eq!(first.len(), 1);
    assert!(first[0].starts_with("004"), "{first:?}");
    assert!(points.iter().all(|p| p["time_source"] == "first_seen"));
    let edges = shown["timeline"]["edges"].as_array().unwrap();
    assert!(
        edges
            .iter()
            .filter(|e| e["kind"] != "related")
            .all(|e| e["from"].as_str().unwrap().starts_with("004"))
    );
}

/// Subscriptions made before reports arrive get their events once each: the webhook receiver
/// refuses its first three deliveries, the sender retries with backoff, every event arrives,
/// signed; the Atom feed lists the same events.
#[test]
fn alerts_reach_their_webhook_after_refusals_and_their_feed() {
    let run = Run::new();
    let (first, then) = (run.path("first"), run.path("then"));
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&then).unwrap();
    for entry in std::fs::read_dir(seeds_dir()).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let to = if name.starts_with("000") {
            &first
        } else {
            &then
        };
        std::fs::copy(&p, to.join(&name)).unwrap();
    }
    run.ok(&["ingest", first.to_str().unwrap()]);
    let receiver = WebhookReceiver::start(3);
    let add = |args: &[&str]| -> Value {
        let mut all = vec!["alerts", "add"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--webhook", &receiver.url, "--format", "json"]);
        json(&run, &all)
    };
    let story = add(&["--story", "S1"]);
    let query = add(&["--query", "Rwanda"]);
    let feed_only = json(
        &run,
        &["alerts", "add", "--outlet", "CNN", "--format", "json"],
    );
    assert!(story["secret"].as_str().unwrap().starts_with("whsec_"));
    let bad = common::storyline(&run, &["alerts", "add", "--story", "S99"]);
    assert!(bad.stderr.contains("no story S99"), "{}", bad.stderr);

    run.ok(&["ingest", then.to_str().unwrap()]);
    // Ingesting again makes no event twice.
    run.ok(&["ingest", then.to_str().unwrap()]);
    run.ok(&[
        "alerts",
        "send",
        "--exit-when-done",
        "--interval",
        "1",
        "--retry-first-ms",
        "50",
    ]);

    let list = json(&run, &["alerts", "list", "--format", "json"]);
    let subs = list["subscriptions"].as_array().unwrap();
    let delivered: u64 = subs
        .iter()
        .map(|s| s["deliveries"]["delivered"].as_u64().unwrap())
        .sum();
    assert!(
        subs.iter()
            .all(|s| s["deliveries"]["pending"] == 0 && s["deliveries"]["failed"] == 0)
    );
    let got = receiver.received.lock().unwrap().clone();
    assert_eq!(
        receiver.refused.load(std::sync::atomic::Ordering::SeqCst),
        3
    );
    assert!(
        delivered >= 2,
        "a report joining S1 and a new story about Rwanda: {list}"
    );
    let mut ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len() as u64,
        delivered,
        "each event received (after deduplication)"
    );
    let secrets: std::collections::HashMap<&str, &str> = subs
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["secret"].as_str().unwrap()))
        .collect();
    for r in &got {
        let body: Value = serde_json::from_str(&r.body).unwrap();
        let sub = body["data"]["subscription"]["id"].as_str().unwrap();
        assert_ne!(
            sub,
            feed_only["id"].as_str().unwrap(),
            "no webhook, no delivery"
        );
        let want = storyline_server::alerts::sign(
            secrets[sub],
            &r.id,
            r.timestamp.parse().unwrap(),
            &r.body,
        )
        .unwrap();
        assert_eq!(r.signature, want, "signature of {}", r.id);
        assert!(
            [
                "report.joined",
                "story.matched",
                "quote.drifted",
                "figure.conflicted"
            ]
            .contains(&body["type"].as_str().unwrap())
        );
    }
    assert!(
        got.iter()
            .any(|r| r.body.contains(query["id"].as_str().unwrap()))
    );

    // The Atom feed of a subscription parses and lists its events.
    let srv = common::serve(&run, None);
    let (status, xml) = common::get(
        &srv.addr,
        &format!("/feeds/{}", story["id"].as_str().unwrap()),
    );
    assert_eq!(status, 200, "{xml}");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a valid Atom feed");
    let for_story = got
        .iter()
        .filter(|r| r.body.contains(story["id"].as_str().unwrap()))
        .count();
    assert_eq!(feed.entries.len(), for_story);
    assert!(
        feed.entries
            .iter()
            .all(|e| e.title.as_ref().is_some_and(|t| !t.content.is_empty()))
    );
    let (status, _) = common::get(&srv.addr, "/feeds/sub_nosuch");
    assert_eq!(status, 404);
}
