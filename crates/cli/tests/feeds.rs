//! Feeds, web archives and folders as they arrive: `ingest` on RSS/Atom files and WARC files,
//! `follow` against a loopback HTTP server serving fixture feeds and pages (a feed that changes
//! between polls, a slow one, a 500, a redirect loop), and `watch` on a folder being written.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Run, http_page, storyline, warc_record};
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/feeds")
        .join(name)
}

fn stories(run: &Run) -> Vec<Value> {
    serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap()
}

/// Every stored report (from `stories --format json`), by URL.
fn reports_by_url(run: &Run) -> HashMap<String, Value> {
    stories(run)
        .iter()
        .flat_map(|s| s["reports"].as_array().unwrap().clone())
        .filter_map(|r| Some((r["url"].as_str()?.to_string(), r)))
        .collect()
}

fn show(run: &Run, id: &str) -> Value {
    serde_json::from_str(&run.ok(&["show", id, "--format", "json"])).unwrap()
}

#[test]
fn feed_files_are_read_item_by_item() {
    let run = Run::new();
    let out = storyline(&run, &["ingest", data("in").to_str().unwrap()]);
    assert_eq!(out.code, Some(1), "the broken feed fails: {}", out.stderr);
    // desk.atom: 2 items; wire.rss: 2 items, one the same article as desk's first (its link
    // differs only by tracking parameters); sitemap.xml is not a feed and is skipped.
    assert_eq!(
        out.stdout.trim(),
        "4 reports read, 3 new, 1 duplicate, 1 failed"
    );
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("note: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("note: skipped 1 file: 1 .xml (XML that is not a feed)"),
        "{}",
        out.stderr
    );
    assert!(errors[0].starts_with("error: ") && errors[0].contains("broken.rss"));
    assert!(errors[0].contains("malformed feed"), "{}", errors[0]);

    let by_url = reports_by_url(&run);
    let mut urls: Vec<&str> = by_url.keys().map(String::as_str).collect();
    urls.sort();
    assert_eq!(
        urls,
        vec![
            "https://desk.example/2025/05/school-reopens",
            "https://wire.example/news/bridge-shut",
            "https://wire.example/news/ferry-resumes",
        ]
    );
    let school = show(
        &run,
        by_url["https://desk.example/2025/05/school-reopens"]["id"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(school["title"], "Orland school reopens after flood cleanup");
    assert_eq!(school["byline"], "Bo Chan");
    assert_eq!(school["source"], "Coast Desk");
    assert!(
        school["published"]
            .as_str()
            .unwrap()
            .starts_with("2025-05-07T07:45:00")
    );
    assert!(
        school["text"]
            .as_str()
            .unwrap()
            .contains("volunteers spent a week")
    );
    // The bridge item has only a teaser: its local page was cleaned instead, and the page's
    // canonical link named the report.
    let bridge_id = by_url["https://wire.example/news/bridge-shut"]["id"]
        .as_str()
        .unwrap();
    assert!(bridge_id.starts_with("wire.example-"), "{bridge_id}");
    let bridge = show(&run, bridge_id);
    let text = bridge["text"].as_str().unwrap();
    assert!(text.contains("cracks in two of its pillars"), "{text}");
    assert!(!text.contains("teaser") && !text.contains("Home"), "{text}");
    assert_eq!(bridge["title"], "Old river bridge shut after cracks found");

    // Ingesting the feeds again stores nothing new and fails on nothing but the broken feed.
    let again = storyline(&run, &["ingest", data("in").to_str().unwrap()]);
    assert_eq!(
        again.stdout.trim(),
        "4 reports read, 0 new, 4 duplicates, 1 failed"
    );
}

const FERRY: &str = "<p>The ferry service between Orland and the port town of Dunmore resumed on Tuesday after two weeks of repairs to the landing stage, the operator said.</p><p>Harbour master Ellen Tate said the first crossing left on time with 120 passengers aboard.</p>";
const SCHOOL: &str = "<p>The primary school in Orland reopened on Wednesday after volunteers spent a week clearing mud left by the April floods, the head teacher said.</p><p>Classes for the youngest pupils will be held in the library until the gym floor is replaced.</p>";

#[test]
fn warc_records_are_reports_and_bad_records_are_named() {
    let run = Run::new();
    let mut warc = warc_record("warcinfo", "", b"software: storyline tests\r\n");
    warc.extend(warc_record(
        "request",
        "https://wire.example/news/ferry",
        b"GET /news/ferry HTTP/1.1\r\nHost: wire.example\r\n\r\n",
    ));
    warc.extend(warc_record(
        "response",
        "https://wire.example/news/ferry?utm_campaign=x",
        &http_page(
            "text/html; charset=utf-8",
            &format!("<html><head><title>Ferry resumes</title></head><body><article>{FERRY}</article></body></html>"),
        ),
    ));
    warc.extend(warc_record(
        "response",
        "https://wire.example/logo.png",
        &http_page("image/png", "\u{89}PNG"),
    ));
    warc.extend(warc_record(
        "response",
        "https://desk.example/school",
        &http_page(
            "text/html",
            &format!("<html><body><article>{SCHOOL}</article></body></html>"),
        ),
    ));
    // The AMP copy of the ferry page names the article's URL as canonical: the same report.
    warc.extend(warc_record(
        "response",
        "https://wire.example/amp/news/ferry",
        &http_page(
            "text/html",
            &format!("<html><head><link rel=\"canonical\" href=\"https://wire.example/news/ferry\"></head><body>{FERRY}<p>AMP footer</p></body></html>"),
        ),
    ));
    // A last record cut short, as a crawl interrupted mid-write leaves it.
    let last = warc_record(
        "response",
        "https://desk.example/cut",
        &http_page("text/html", SCHOOL),
    );
    warc.extend_from_slice(&last[..last.len() / 2]);
    std::fs::write(run.path("crawl.warc.gz"), &warc).unwrap();

    let out = storyline(
        &run,
        &["ingest", run.path("crawl.warc.gz").to_str().unwrap()],
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "3 reports read, 2 new, 1 duplicate, 2 failed",
        "{}",
        out.stderr
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(
        lines[0].contains("crawl.warc.gz#record-4") && lines[0].contains("not HTML (image/png)"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("crawl.warc.gz#record-7") && lines[1].contains("truncated"),
        "{}",
        lines[1]
    );
    let by_url = reports_by_url(&run);
    let ferry = show(
        &run,
        by_url["https://wire.example/news/ferry"]["id"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(ferry["title"], "Ferry resumes");
    assert_eq!(ferry["extra"]["warc_date"], "2025-05-08T09:00:00Z");
    assert_eq!(
        ferry["extra"]["warc_target_uri"],
        "https://wire.example/news/ferry?utm_campaign=x"
    );
    assert!(by_url.contains_key("https://desk.example/school"));
}

/// What the test server saw: path, request headers, response status, when.
#[derive(Clone, Debug)]
struct Hit {
    path: String,
    if_none_match: Option<String>,
    if_modified_since: Option<String>,
    status: u16,
    at: Instant,
}

/// A loopback HTTP/1.1 server for the fixture feeds and pages, one thread per connection.
struct Server {
    base: String,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let log = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &log);
                });
            }
        });
        Server { base, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.path == path)
            .cloned()
            .collect()
    }
}

fn rss(items: &[(&str, &str, Option<&str>)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Loopback Wire</title>",
    );
    for (title, link, content) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><description>Teaser only.</description>"
        ));
        if let Some(c) = content {
            s.push_str(&format!(
                "<content:encoded><![CDATA[{c}]]></content:encoded>"
            ));
        }
        s.push_str("</item>");
    }
    s + "</channel></rss>"
}

fn serve(mut stream: TcpStream, log: &Mutex<Vec<Hit>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut if_none_match = None;
    let mut if_modified_since = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(v.trim().to_string());
            } else if k.eq_ignore_ascii_case("if-modified-since") {
                if_modified_since = Some(v.trim().to_string());
            }
        }
    }
    let feed_polls = log
        .lock()
        .unwrap()
        .iter()
        .filter(|h| h.path == "/changing.rss")
        .count();
    let (status, headers, body): (u16, Vec<(&str, String)>, String) = match path.as_str() {
        "/changing.rss" => {
            // First poll: two items; from the second on, a third item (new ETag).
            let version = if feed_polls == 0 { "\"v1\"" } else { "\"v2\"" };
            if if_none_match.as_deref() == Some(version) {
                (304, vec![("ETag", version.to_string())], String::new())
            } else {
                let mut items = vec![
                    ("Ferry resumes", "/news/ferry?utm_source=rss", Some(FERRY)),
                    ("Bridge shut", "/pages/bridge.html", None),
                ];
                if version == "\"v2\"" {
                    items.push(("School reopens", "/news/school", Some(SCHOOL)));
                }
                (
                    200,
                    vec![
                        ("ETag", version.to_string()),
                        ("Last-Modified", LAST_MODIFIED.to_string()),
                    ],
                    rss(&items),
                )
            }
        }
        "/pages/bridge.html" => (
            200,
            vec![("Content-Type", "text/html".into())],
            std::fs::read_to_string(data("pages/bridge.html"))?,
        ),
        "/slow.rss" => {
            std::thread::sleep(Duration::from_secs(4));
            (200, vec![], rss(&[]))
        }
        "/error.rss" => (500, vec![], "server error".into()),
        "/loop.rss" => (302, vec![("Location", "/loop2.rss".into())], String::new()),
        "/loop2.rss" => (302, vec![("Location", "/loop.rss".into())], String::new()),
        _ => (404, vec![], "not found".into()),
    };
    log.lock().unwrap().push(Hit {
        path,
        if_none_match,
        if_modified_since,
        status,
        at: Instant::now(),
    });
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

/// The `Last-Modified` the changing feed sends, which `follow` must send back.
const LAST_MODIFIED: &str = "Tue, 06 May 2025 12:00:00 GMT";

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn follow_ingests_new_items_of_a_changing_feed_with_conditional_get() {
    let server = Server::start();
    let run = Run::new();
    let feed = server.url("/changing.rss");
    let out = storyline(
        &run,
        &[
            "follow",
            &feed,
            "--polls",
            "3",
            "--interval",
            "0",
            "--host-delay",
            "300",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let landed = json_lines(&out.stdout);
    assert_eq!(landed.len(), 3, "{}", out.stdout);
    assert!(landed.iter().all(|l| l["from"] == feed.as_str()));
    assert_eq!(landed[0]["new_story"], true);
    // Poll 2 added only the new item; poll 3 got a 304.
    let polls = server.hits("/changing.rss");
    assert_eq!(polls.len(), 3);
    assert_eq!(polls[0].if_none_match, None);
    assert_eq!(polls[0].if_modified_since, None);
    assert_eq!(polls[1].if_modified_since.as_deref(), Some(LAST_MODIFIED));
    assert_eq!(polls[1].if_none_match.as_deref(), Some("\"v1\""));
    assert_eq!(polls[2].if_none_match.as_deref(), Some("\"v2\""));
    assert_eq!(
        polls.iter().map(|h| h.status).collect::<Vec<_>>(),
        vec![200, 200, 304]
    );
    assert!(out.stderr.contains("not modified"), "{}", out.stderr);
    // The teaser-only item's page was fetched once and cleaned instead of the teaser.
    assert_eq!(server.hits("/pages/bridge.html").len(), 1);
    let by_url = reports_by_url(&run);
    let bridge = show(
        &run,
        by_url["https://wire.example/news/bridge-shut"]["id"]
            .as_str()
            .unwrap(),
    );
    assert!(
        bridge["text"]
            .as_str()
            .unwrap()
            .contains("cracks in two of its pillars")
    );
    let ferry_url = format!("{}/news/ferry", server.base);
    assert!(
        by_url.contains_key(&ferry_url),
        "tracking parameters stripped: {by_url:?}"
    );
    assert_eq!(
        landed[2]["report"],
        by_url[&format!("{}/news/school", server.base)]["id"]
    );
    // One host, so every request waited the per-host delay after the previous one.
    let mut all: Vec<Instant> = server.hits.lock().unwrap().iter().map(|h| h.at).collect();
    all.sort();
    for w in all.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(250),
            "requests {:?} apart",
            w[1] - w[0]
        );
    }
    // A later run remembers the feed's validators from the store: a 304, nothing new lands.
    let again = storyline(&run, &["follow", &feed, "--once", "--host-delay", "0"]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(again.stdout, "");
    let polls = server.hits("/changing.rss");
    assert_eq!(polls.len(), 4);
    assert_eq!(polls[3].if_none_match.as_deref(), Some("\"v2\""));
    assert_eq!(polls[3].status, 304);
}

#[test]
fn follow_names_slow_failing_and_looping_feeds_and_reads_the_rest() {
    let server = Server::start();
    let run = Run::new();
    let opml = format!(
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>test subscriptions</title></head><body>
<outline text="Fixtures">
<outline text="slow" type="rss" xmlUrl="{0}/slow.rss"/>
<outline text="error" type="rss" xmlUrl="{0}/error.rss"/>
<outline text="loop" type="rss" xmlUrl="{0}/loop.rss"/>
<outline text="good" type="rss" xmlUrl="{0}/changing.rss"/>
</outline></body></opml>"#,
        server.base
    );
    std::fs::write(run.path("feeds.opml"), opml).unwrap();
    let started = Instant::now();
    let out = storyline(
        &run,
        &[
            "follow",
            run.path("feeds.opml").to_str().unwrap(),
            "--once",
            "--timeout",
            "1",
            "--retries",
            "1",
            "--host-delay",
            "0",
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(30), "no hang");
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let err = |path: &str| {
        out.stderr
            .lines()
            .find(|l| l.starts_with("error: ") && l.contains(&server.url(path)))
            .unwrap_or_else(|| panic!("no error line for {path}: {}", out.stderr))
            .to_string()
    };
    assert!(err("/slow.rss").contains("timed out (after 2 attempts)"));
    assert!(
        err("/error.rss").contains("HTTP 500"),
        "{}",
        err("/error.rss")
    );
    assert!(err("/error.rss").contains("after 2 attempts"));
    assert_eq!(server.hits("/error.rss").len(), 2, "one retry after a 500");
    assert!(
        err("/loop.rss").contains("redirect loop"),
        "{}",
        err("/loop.rss")
    );
    assert!(server.hits("/loop.rss").len() <= 4, "the loop is cut short");
    // The good feed's items landed.
    let landed: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(landed.len(), 2, "{}", out.stdout);
    assert!(landed[0].ends_with("(new story)"), "{}", landed[0]);
    assert!(landed[0].contains(" -> S"), "{}", landed[0]);
}

#[test]
fn watch_ingests_files_once_they_are_complete() {
    let run = Run::new();
    let dir = run.path("inbox");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("ferry.html"),
        format!("<html><body><article>{FERRY}</article></body></html>"),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
        .arg("--db")
        .arg(run.db())
        .args([
            "watch",
            dir.to_str().unwrap(),
            "--exit-after",
            "2",
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // A file written in two parts with a pause shorter than the settle time: read once, whole.
    let mut f = std::fs::File::create(dir.join("school.txt")).unwrap();
    f.write_all(b"Orland school reopens after flood cleanup\nThe primary school in Orland reopened on Wednesday after volunteers spent a week clearing mud, ")
        .unwrap();
    f.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    f.write_all(b"the head teacher said. Classes will be held in the library until the gym floor is replaced.\n")
        .unwrap();
    drop(f);
    std::fs::write(dir.join("notes.md"), "not a report").unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "watch did not exit after two files"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(child.wait().unwrap().success(), "{stderr}");
    let landed = json_lines(&stdout);
    let ids: Vec<&str> = landed
        .iter()
        .map(|l| l["report"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["ferry", "school"], "{stdout}");
    assert!(landed[1]["from"].as_str().unwrap().ends_with("school.txt"));
    let school = show(&run, "school");
    assert!(
        school["text"]
            .as_str()
            .unwrap()
            .contains("gym floor is replaced"),
        "the whole file was read: {school}"
    );
}
