//! The PostgreSQL store, against the live server (each test makes a database of its own and
//! drops it after): the same stories, lineage and quotes as the SQLite store, workers sharing
//! the work queue, a worker killed mid-job, replicas of `serve` on one database, and the
//! errors a user meets (no store, a store newer than the binary).
//!
//! These tests need PostgreSQL: without it they fail with a message naming what is missing
//! (`storyline_store::TempDatabase`), they do not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, assert_check_clean, get, post, seeds_dir, serve, stored_ids, storyline};
use serde_json::Value;

fn bbc(topic: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/corpora/bbc")
        .join(topic);
    assert!(dir.is_dir(), "the BBC corpus is missing: {}", dir.display());
    dir.canonicalize().unwrap()
}

fn report_files(dirs: &[&Path]) -> usize {
    dirs.iter()
        .map(|d| {
            std::fs::read_dir(d)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == "txt")
                })
                .count()
        })
        .sum()
}

/// What a reader sees, as JSON, on both stores: every listing and the first stories' pages.
fn views(run: &Run) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for args in [
        vec!["stories", "--format", "json"],
        vec!["threads", "--format", "json"],
        vec!["quotes", "--format", "json"],
        vec!["entities", "--format", "json"],
        vec!["outlets", "--format", "json"],
        vec!["show", "S1", "--format", "json"],
        vec!["show", "S2", "--format", "json"],
        vec!["brief", "S1", "--format", "json"],
        vec!["compare", "S2", "--format", "json"],
    ] {
        out.push((args.join(" "), without_clock_times(&run.ok(&args))));
    }
    out
}

/// A listing with the times a store's clock gave (a timeline's first-seen times: each run
/// ingests at its own moment) taken out; everything else, the timeline's order included, kept.
fn without_clock_times(out: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(out) else {
        return out.to_string();
    };
    for o in v
        .get_mut("outlets")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        for k in ["first", "last", "median_lag_hours"] {
            o[k] = Value::Null;
        }
    }
    if let Some(t) = v.get_mut("timeline") {
        t["start"] = Value::Null;
        t["end"] = Value::Null;
        for p in t["points"].as_array_mut().into_iter().flatten() {
            if p["time_source"] == "first_seen" {
                p["at"] = Value::Null;
            }
        }
    }
    v.to_string()
}

#[test]
fn seeds_and_a_bbc_topic_give_the_same_stories_lineage_and_quotes_on_both_stores() {
    let sqlite = Run::new();
    let pg = Run::postgres("same_as_sqlite");
    let seeds = seeds_dir();
    let politics = bbc("politics");
    for run in [&sqlite, &pg] {
        run.ok(&["ingest", seeds.to_str().unwrap()]);
        // Small batches: several transactions, lineage settled across them.
        run.ok(&["ingest", "--batch-size", "64", politics.to_str().unwrap()]);
    }
    let (a, b) = (views(&sqlite), views(&pg));
    for ((what, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "`{what}` differs between SQLite and PostgreSQL");
    }
    // The seeds' two stories are there, with lineage (not two empty listings agreeing).
    let stories: Vec<Value> = serde_json::from_str(&a[0].1).unwrap();
    assert!(stories.len() > 100, "{} stories", stories.len());
    assert!(
        stories
            .iter()
            .any(|s| !s["lineage"].as_array().unwrap().is_empty())
    );
    let check = assert_check_clean(&pg);
    assert!(check.contains("schema"), "{check}");
    // Ingesting again stores nothing twice.
    let again = pg.ok(&["ingest", "--format", "json", seeds.to_str().unwrap()]);
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(again["duplicates"], 5, "{again}");
}

fn worker(run: &Run, name: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storyline"));
    cmd.arg("--db")
        .arg(run.db())
        .args([
            "worker",
            "--name",
            name,
            "--format",
            "json",
            "--threads",
            "1",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The queue's jobs by state, read from the database directly.
fn job_states(run: &Run) -> Vec<(i64, String, i32, i64)> {
    let url = run.db().to_string_lossy().into_owned();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .query(
            "SELECT id, state, attempts, reports_new FROM jobs ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

fn reports_stored(run: &Run) -> i64 {
    let url = run.db().to_string_lossy().into_owned();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .query_one("SELECT count(*) FROM reports", &[])
        .unwrap()
        .get(0)
}

#[test]
fn two_workers_share_the_queue_and_store_each_report_once() {
    let run = Run::postgres("two_workers");
    // All of BBC News (file names repeat across its topics: ids are paths under the folder).
    let corpus = bbc("tech").parent().unwrap().to_path_buf();
    let out = run.ok(&[
        "enqueue",
        "--ids",
        "path",
        "--job-size",
        "100",
        "--format",
        "json",
        corpus.to_str().unwrap(),
    ]);
    let enqueued: Value = serde_json::from_str(&out).unwrap();
    let all_files = enqueued["files"].as_u64().unwrap() as usize;
    assert!(all_files > 2000, "{enqueued}");
    let a = worker(&run, "a", &["--exit-when-empty"]).spawn().unwrap();
    let b = worker(&run, "b", &["--exit-when-empty"]).spawn().unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for (name, out) in [("a", &a), ("b", &b)] {
        assert!(
            out.status.success(),
            "worker {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Both took jobs, and every job was done by exactly one of them.
    let lines = |o: &std::process::Output| -> Vec<Value> {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (ja, jb) = (lines(&a), lines(&b));
    assert!(!ja.is_empty() && !jb.is_empty(), "one worker did nothing");
    let mut jobs: Vec<i64> = ja
        .iter()
        .chain(&jb)
        .map(|j| j["job"].as_i64().unwrap())
        .collect();
    jobs.sort_unstable();
    let before = jobs.len();
    jobs.dedup();
    assert_eq!(jobs.len(), before, "a job was done twice");
    let states = job_states(&run);
    assert_eq!(jobs.len(), states.len());
    assert!(
        states.iter().all(|(_, s, n, _)| s == "done" && *n == 1),
        "{states:?}"
    );
    // Every file stored once; the jobs' counts add up to what is stored.
    let stored = stored_ids(&run);
    assert_eq!(stored.len(), all_files);
    let new: i64 = states.iter().map(|j| j.3).sum();
    assert_eq!(new as usize, all_files);
    let check = assert_check_clean(&run);
    assert!(check.contains("0 pending, 0 claimed"), "{check}");
}

#[test]
fn a_worker_killed_mid_job_loses_nothing_and_its_job_is_redone() {
    let run = Run::postgres("killed_worker");
    let politics = bbc("politics");
    let total = report_files(&[&politics]);
    // One job of every file, committed 20 reports at a time: the kill lands mid-job.
    run.ok(&[
        "enqueue",
        "--job-size",
        "100000",
        politics.to_str().unwrap(),
    ]);
    let mut doomed = worker(&run, "doomed", &["--lease", "2", "--batch-size", "20"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while reports_stored(&run) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the first worker stored nothing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    doomed.kill().unwrap();
    doomed.wait().unwrap();
    let stored_at_kill = reports_stored(&run);
    assert!(
        (stored_at_kill as usize) < total,
        "the worker finished before the kill"
    );
    assert_eq!(job_states(&run)[0].1, "claimed");
    // The next worker waits for the dead one's lease to run out, then redoes the job.
    let next = worker(&run, "next", &["--lease", "2", "--exit-when-empty"])
        .output()
        .unwrap();
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    let done: Value = serde_json::from_str(
        String::from_utf8_lossy(&next.stdout)
            .lines()
            .next()
            .expect("the second worker did the job"),
    )
    .unwrap();
    assert_eq!(done["attempt"], 2, "{done}");
    assert_eq!(
        done["duplicates"].as_i64().unwrap(),
        stored_at_kill,
        "{done}"
    );
    let states = job_states(&run);
    assert_eq!(states[0].1, "done");
    assert_eq!(stored_ids(&run).len(), total);
    assert_check_clean(&run);
}

#[test]
fn two_server_replicas_on_one_database_see_each_others_reports() {
    const TOKEN: &str = "replicas";
    let run = Run::postgres("replicas");
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let (one, two) = (serve(&run, Some(TOKEN)), serve(&run, Some(TOKEN)));
    let (status, before) = get(&two.addr, "/api/stories");
    assert_eq!(status, 200, "{before}");
    let text = "Flooding closed the coastal highway near Dunmore on Tuesday, the regional \
        transport agency said. Engineers found the embankment had collapsed in two places after \
        three days of heavy rain, and repairs would take at least two weeks.";
    let body = serde_json::json!([{"id": "flood-wire", "text": text}]).to_string();
    let (status, answer) = post(&one.addr, "/api/reports", TOKEN, &body).unwrap();
    assert_eq!(status, 200, "{answer}");
    // The other replica serves it at once (it reads the database, not a copy).
    let (status, report) = get(&two.addr, "/api/reports/flood-wire");
    assert_eq!(status, 200, "{report}");
    assert!(report.contains("Dunmore"), "{report}");
    // And a post to the second replica places a copy in the first one's story.
    let copy = format!("{text} Police closed the junction at Carrow bridge.");
    let body = serde_json::json!([{"id": "flood-copy", "text": copy}]).to_string();
    let (status, answer) = post(&two.addr, "/api/reports", TOKEN, &body).unwrap();
    assert_eq!(status, 200, "{answer}");
    let (_, a) = get(&one.addr, "/api/reports/flood-wire");
    let (_, b) = get(&one.addr, "/api/reports/flood-copy");
    let story = |j: &str| serde_json::from_str::<Value>(j).unwrap()["story"].clone();
    assert_eq!(story(&a), story(&b), "{a}\n{b}");
    drop((one, two));
    assert_check_clean(&run);
}

#[test]
fn a_database_without_a_store_and_a_newer_store_are_refused_with_reasons() {
    let run = Run::postgres("refusals");
    let out = storyline(&run, &["stories"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("no store at postgres://"),
        "{}",
        out.stderr
    );
    // The queue commands say they need PostgreSQL when given a file.
    let file = Run::new();
    let out = storyline(&file, &["worker"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("PostgreSQL store"), "{}", out.stderr);
    // A store made by a newer storyline is refused, not written into.
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let url = run.db().to_string_lossy().into_owned();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute("UPDATE storyline_schema SET version = 999")
        .unwrap();
    for args in [
        &["stories"][..],
        &["ingest", seeds_dir().to_str().unwrap()][..],
    ] {
        let out = storyline(&run, args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(
            out.stderr.contains("schema version 999 is newer"),
            "{}",
            out.stderr
        );
    }
    // A server that cannot be reached is named.
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["--db", "postgres://127.0.0.1:1/nothing", "stories"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
}

#[test]
fn two_followers_on_one_database_poll_each_feed_once_per_interval() {
    let run = Run::postgres("followers");
    let feed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/feeds/in/wire.rss");
    let feed = feed.to_str().unwrap();
    let follow = |run: &Run| storyline(run, &["follow", feed, "--once", "--interval", "3600"]);
    let first = follow(&run);
    assert!(
        first.stdout.contains("(new story)"),
        "{}{}",
        first.stdout,
        first.stderr
    );
    // A second follower within the interval leaves the feed to the first.
    let second = follow(&run);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert!(second.stdout.is_empty(), "{}", second.stdout);
    assert!(
        second.stderr.contains("polled by another follower"),
        "{}",
        second.stderr
    );
}

/// Serves one feed over HTTP on a loopback port, to any number of GETs.
fn serve_feed(body: String) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/wire.rss")
}

#[test]
fn a_feed_url_in_the_queue_is_polled_once_by_one_worker() {
    let run = Run::postgres("feed_job");
    let feed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/feeds/in/wire.rss");
    let url = serve_feed(std::fs::read_to_string(feed).unwrap());
    let out = run.ok(&["enqueue", "--format", "json", &url]);
    let enqueued: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(enqueued["jobs"], 1, "{enqueued}");
    assert_eq!(enqueued["files"], 0, "{enqueued}");
    let out = worker(&run, "feeds", &["--exit-when-empty"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    // The feed's ferry item is in it (the other item's page is a relative link: a summary).
    assert!(job["new"].as_u64().unwrap() >= 1, "{job}");
    let stored = stored_ids(&run);
    assert_eq!(stored.len() as u64, job["new"].as_u64().unwrap());
    assert_check_clean(&run);
}

#[test]
fn a_warc_file_is_shared_out_in_ranges_of_records() {
    let run = Run::postgres("warc_ranges");
    // Eight BBC reports as pages of a crawl, each response after its request record.
    let mut warc = common::warc_record("warcinfo", "", b"software: storyline tests\r\n");
    let politics = bbc("politics");
    for n in 1..=8 {
        let text = std::fs::read_to_string(politics.join(format!("{n:03}.txt"))).unwrap();
        let (title, body) = text.split_once('\n').unwrap();
        let paragraphs: String = body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p>{}</p>", p.trim()))
            .collect();
        let uri = format!("https://bbc.example/politics/{n}");
        warc.extend(common::warc_record(
            "request",
            &uri,
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        warc.extend(common::warc_record(
            "response",
            &uri,
            &common::http_page(
                "text/html; charset=utf-8",
                &format!("<html><head><title>{title}</title></head><body><article>{paragraphs}</article></body></html>"),
            ),
        ));
    }
    let path = run.path("crawl.warc.gz");
    std::fs::write(&path, &warc).unwrap();
    let path = path.to_str().unwrap();
    // 17 records in ranges of 5: four jobs.
    let out = run.ok(&["enqueue", "--warc-records", "5", "--format", "json", path]);
    let enqueued: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(enqueued["jobs"], 4, "{enqueued}");
    let a = worker(&run, "a", &["--exit-when-empty"]).spawn().unwrap();
    let b = worker(&run, "b", &["--exit-when-empty"]).spawn().unwrap();
    for out in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The same reports as one ingest of the whole file, each once.
    let whole = Run::new();
    whole.ok(&["ingest", path]);
    assert_eq!(stored_ids(&run), stored_ids(&whole));
    assert_eq!(stored_ids(&run).len(), 8);
    assert_check_clean(&run);
}

/// Alerts on a PostgreSQL store: events made once however many processes make them, delivered
/// to a webhook, signed, after the receiver refused the first tries.
#[test]
fn alerts_on_postgres_are_made_once_and_delivered() {
    let run = Run::postgres("alerts");
    let seeds = seeds_dir();
    let (first, then) = (run.path("first"), run.path("then"));
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&then).unwrap();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_owned();
        let to = if name.to_str().unwrap().starts_with("000") {
            &first
        } else {
            &then
        };
        std::fs::copy(&p, to.join(name)).unwrap();
    }
    run.ok(&["ingest", first.to_str().unwrap()]);
    let receiver = common::WebhookReceiver::start(2);
    let sub: Value = serde_json::from_str(&run.ok(&[
        "alerts",
        "add",
        "--query",
        "Libya",
        "--webhook",
        &receiver.url,
        "--format",
        "json",
    ]))
    .unwrap();
    run.ok(&["ingest", then.to_str().unwrap()]);
    run.ok(&["alerts", "test", sub["id"].as_str().unwrap()]);
    // Two senders at once: each event is still made once (ids), delivered at least once.
    let a = std::thread::scope(|s| {
        let one = s.spawn(|| {
            run.ok(&[
                "alerts",
                "send",
                "--exit-when-done",
                "--retry-first-ms",
                "50",
            ])
        });
        run.ok(&[
            "alerts",
            "send",
            "--exit-when-done",
            "--retry-first-ms",
            "50",
        ]);
        one.join().unwrap()
    });
    drop(a);
    let list: Value =
        serde_json::from_str(&run.ok(&["alerts", "list", "--format", "json"])).unwrap();
    let d = &list["subscriptions"][0]["deliveries"];
    assert_eq!(
        (d["pending"].as_u64(), d["failed"].as_u64()),
        (Some(0), Some(0)),
        "{list}"
    );
    let got = receiver.received.lock().unwrap().clone();
    let mut ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len() as u64, d["delivered"].as_u64().unwrap());
    assert!(
        ids.len() >= 2,
        "a new story about Libya and the test event: {ids:?}"
    );
    let secret = sub["secret"].as_str().unwrap();
    for r in &got {
        let want =
            storyline_server::alerts::sign(secret, &r.id, r.timestamp.parse().unwrap(), &r.body)
                .unwrap();
        assert_eq!(r.signature, want);
    }
    assert!(
        got.iter()
            .any(|r| r.body.contains("\"type\":\"alert.test\""))
    );
}
