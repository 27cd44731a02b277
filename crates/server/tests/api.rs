//! The API over a real server on loopback: the seeds go in through `POST /api/reports`, and
//! stories, lineage, briefs, pages and errors are read back over TCP with a plain HTTP/1.1
//! client, as any other program would.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use storyline_server::{ServerConfig, serve};

const TOKEN: &str = "test-token-5f2c";

struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(token: Option<&str>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let cfg = ServerConfig {
            db: dir.path().join("api.db"),
            addr: "127.0.0.1:0".parse().unwrap(),
            token: token.map(str::to_string),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(serve(cfg, move |a| tx.send(a).unwrap(), async move {
                let _ = stopped.await;
            }))
            .unwrap();
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server binds");
        Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
        }
    }

    fn get(&self, path: &str) -> Response {
        request(self.addr, "GET", path, &[], b"")
    }

    fn json(&self, path: &str) -> Value {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        serde_json::from_str(&r.body).unwrap()
    }

    fn post(&self, path: &str, token: Option<&str>, body: &[u8]) -> Response {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        request(self.addr, "POST", path, &headers, body)
    }

    fn ingest_seeds(&self) -> Value {
        let r = self.post("/api/reports", Some(TOKEN), seeds_body().as_bytes());
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Response {
    status: u16,
    headers: HashMap<String, String>,
    body: String,
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server refusing an oversized body may close before reading it all.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.get("transfer-encoding").map(String::as_str) == Some("chunked") {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 4 + size..];
    }
}

fn seeds_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/seeds");
    assert!(
        dir.is_dir(),
        "the seeds are missing: expected {}",
        dir.display()
    );
    dir
}

/// The seeds as a JSON array of report objects (id = file stem).
fn seeds_body() -> String {
    let mut files: Vec<_> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let items: Vec<Value> = files
        .iter()
        .map(|p| {
            json!({
                "id": p.file_stem().unwrap().to_string_lossy(),
                "text": std::fs::read_to_string(p).unwrap(),
            })
        })
        .collect();
    Value::Array(items).to_string()
}

fn short(v: &Value) -> String {
    v.as_str().unwrap()[..3].to_string()
}

#[test]
fn seeds_posted_land_in_two_stories_with_the_expected_lineage_and_brief() {
    let srv = Server::start(Some(TOKEN));
    let summary = srv.ingest_seeds();
    assert_eq!(
        (summary["read"].as_u64(), summary["new"].as_u64()),
        (Some(5), Some(5))
    );
    let landed: Vec<(String, String)> = summary["landed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                short(&l["report"]),
                l["story"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s1 = &landed[0].1;
    let s2 = &landed[2].1;
    assert_ne!(s1, s2);
    assert_eq!(landed[1].1, *s1, "001 joins 000's story");
    assert!(
        landed[3..].iter().all(|(_, s)| s == s2),
        "003 and 004 join 002's story"
    );

    let stories = srv.json("/api/stories");
    assert_eq!(stories.as_array().unwrap().len(), 2);
    let lineage = srv.json(&format!("/api/stories/{s2}/lineage"));
    let mut edges: Vec<(String, String, String)> = lineage["lineage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                short(&e["from"]),
                short(&e["to"]),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edges.sort();
    assert_eq!(
        edges,
        vec![
            ("004".into(), "002".into(), "summary".into()),
            ("004".into(), "003".into(), "rewrite".into())
        ]
    );
    let story = srv.json(&format!("/api/stories/{s2}"));
    assert_eq!(
        story["lineage"], lineage["lineage"],
        "one edge builder for both"
    );
    assert_eq!(story["originals"].as_array().unwrap().len(), 1);

    let brief = srv.json(&format!("/api/stories/{s2}/brief"));
    let sentences = brief["sentences"].as_array().unwrap();
    assert!((4..=8).contains(&sentences.len()), "{brief}");
    let members: Vec<&str> = story["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for s in sentences {
        let cites = s["cites"].as_array().unwrap();
        assert!(!cites.is_empty());
        assert!(cites.iter().all(|c| members.contains(&c.as_str().unwrap())));
    }

    // Posting the same reports again stores nothing new.
    let again = srv.ingest_seeds();
    assert_eq!(
        (again["new"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(5))
    );
}

#[test]
fn writes_need_the_token_and_reads_do_not() {
    let srv = Server::start(Some(TOKEN));
    let body = br#"{"id":"x1","text":"A short report about nothing in particular at all today."}"#;
    for token in [None, Some("wrong"), Some("test-token-5f2")] {
        let r = srv.post("/api/reports", token, body);
        assert_eq!(r.status, 401, "{token:?}: {}", r.body);
        assert!(serde_json::from_str::<Value>(&r.body).unwrap()["error"].is_string());
    }
    assert_eq!(srv.json("/api/stories"), json!([]), "nothing was stored");
    assert_eq!(
        srv.post("/reports", Some(TOKEN), body).status,
        200,
        "the /reports alias"
    );
    assert_eq!(srv.json("/api/stories").as_array().unwrap().len(), 1);

    let open = Server::start(None);
    assert_eq!(
        open.post("/api/reports", Some(TOKEN), body).status,
        403,
        "no token configured"
    );
}

#[test]
fn json_lines_bodies_keep_unknown_fields_and_bad_lines_are_422() {
    let srv = Server::start(Some(TOKEN));
    let body = "{\"id\":\"j1\",\"title\":\"Ferry strike ends\",\"text\":\"The ferry strike ended on Monday after talks, the union said.\",\"lang\":\"en\",\"source\":\"Wire\"}\n{not json\n";
    let r = srv.post("/api/reports", Some(TOKEN), body.as_bytes());
    assert_eq!(r.status, 422, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (v["new"].as_u64(), v["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["errors"][0]["input"], "request:2");
    let report = srv.json("/api/reports/j1");
    assert_eq!(report["extra"], json!({"lang": "en"}));
    assert_eq!(report["source"], "Wire");
    assert_eq!(srv.post("/api/reports", Some(TOKEN), b"  ").status, 400);
    assert_eq!(srv.post("/api/reports", Some(TOKEN), b"42").status, 400);
}

#[test]
fn lists_are_paged_with_total_and_next_link() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let r = srv.get("/api/stories?limit=1");
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["x-total-count"], "2");
    assert!(r.headers["link"].contains("offset=1"), "{:?}", r.headers);
    let first: Value = serde_json::from_str(&r.body).unwrap();
    let second = srv.json("/api/stories?limit=1&offset=1");
    assert_eq!(first.as_array().unwrap().len(), 1);
    assert_ne!(first[0]["id"], second[0]["id"]);
    assert!(
        !srv.get("/api/stories?limit=1&offset=1")
            .headers
            .contains_key("link")
    );
    assert_eq!(srv.get("/api/stories?limit=0").status, 400);
    assert_eq!(srv.get("/api/stories?limit=abc").status, 400);

    let s2 = &srv.json("/api/stories?q=Libya")[0]["id"];
    let all = srv.get(&format!(
        "/api/stories/{}/quotes?limit=500",
        s2.as_str().unwrap()
    ));
    let total: usize = all.headers["x-total-count"].parse().unwrap();
    assert!(total > 2, "the seeds quote several people");
    let page: Value = srv.json(&format!(
        "/api/stories/{}/quotes?limit=2&offset=1",
        s2.as_str().unwrap()
    ));
    let all: Value = serde_json::from_str(&all.body).unwrap();
    assert_eq!(page.as_array().unwrap()[..], all.as_array().unwrap()[1..3]);
}

#[test]
fn search_finds_stories_by_title_and_text() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let libya = srv.json("/api/stories?q=rwanda");
    assert_eq!(libya.as_array().unwrap().len(), 1, "case is ignored");
    assert!(libya[0]["title"].as_str().unwrap().contains("Rwanda"));
    assert_eq!(srv.json("/api/stories?q=zzzznotthere"), json!([]));
    assert_eq!(
        srv.json("/api/stories?q=%25"),
        json!([]),
        "a % in the query is literal"
    );
}

#[test]
fn the_story_list_folds_single_reports_sorts_and_filters_by_outlet() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let lone = json!({
        "id": "lone_1",
        "source": "Harbour Gazette",
        "published": "2031-05-01T09:00:00Z",
        "title": "Ferry timetable changes for the summer season",
        "text": "The harbour authority published new ferry timetables for the summer season on Thursday, with later sailings to the islands.",
    });
    assert_eq!(
        srv.post("/api/reports", Some(TOKEN), lone.to_string().as_bytes())
            .status,
        200
    );
    let ids = |body: &str| -> Vec<String> {
        body.split("data-story=\"")
            .skip(1)
            .map(|x| x.split('"').next().unwrap().to_string())
            .collect()
    };
    // By default the one-report stories are folded, and a link says how many.
    let r = srv.get("/");
    assert_eq!(r.status, 200);
    let shown = ids(&r.body);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(r.body.contains("1 one-report story folded"), "{}", r.body);
    // Shown on request; the largest first when sorted by size; the latest published first
    // when sorted by date.
    let all = ids(&srv.get("/?singles=show").body);
    assert_eq!(all.len(), 3, "{all:?}");
    let by_size = ids(&srv.get("/?singles=show&sort=size").body);
    assert_eq!(
        by_size.last().map(String::as_str),
        Some("S3"),
        "{by_size:?}"
    );
    let by_date = ids(&srv.get("/?singles=show&sort=date").body);
    assert_eq!(
        by_date.first().map(String::as_str),
        Some("S3"),
        "{by_date:?}"
    );
    // Filtered by outlet, and each row names its outlets and dates.
    let r = srv.get("/?singles=show&outlet=Harbour%20Gazette");
    assert_eq!(ids(&r.body), ["S3"]);
    assert!(r.body.contains("Harbour Gazette") && r.body.contains("2031-05-01"));
}

#[test]
fn unknown_things_are_json_404s_and_pages_are_html_404s() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    for path in [
        "/api/stories/S99",
        "/api/stories/nope",
        "/api/reports/nope",
        "/api/nope",
        "/api/pairs/000_2263e4eb673043e5/004_a7ee9d15eccb91ee",
    ] {
        let r = srv.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.headers["content-type"].starts_with("application/json"),
            "{path}"
        );
        assert!(serde_json::from_str::<Value>(&r.body).unwrap()["error"].is_string());
    }
    let r = srv.get("/stories/S99");
    assert_eq!(r.status, 404);
    assert!(r.headers["content-type"].starts_with("text/html"));
    assert_eq!(
        srv.get("/stories/S2/compare?a=004_a7ee9d15eccb91ee").status,
        400
    );
}

#[test]
fn every_documented_path_answers() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let spec = srv.json("/openapi.json");
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 12);
    for (path, ops) in paths {
        let concrete = path
            .replace(
                "{id}",
                if path.starts_with("/api/stories") {
                    "S2"
                } else if path.starts_with("/api/threads") {
                    "T1"
                } else {
                    "004_a7ee9d15eccb91ee"
                },
            )
            .replace("{name}", "CNN")
            .replace("{a}", "004_a7ee9d15eccb91ee")
            .replace("{b}", "003_eecd8b1c6ee32f2a");
        let needs_token = |op: &Value| op.get("security").is_some();
        if ops.get("get").is_some_and(|op| !needs_token(op)) {
            let r = srv.get(&concrete);
            assert_eq!(r.status, 200, "GET {concrete}: {}", r.body);
        }
        if ops.get("get").is_some_and(needs_token) {
            assert_eq!(
                srv.get(&concrete).status,
                401,
                "GET {concrete} without a token"
            );
        }
        if ops.get("post").is_some() {
            assert_eq!(
                srv.post(&concrete, None, b"{}").status,
                401,
                "POST {concrete}"
            );
        }
    }
}

#[test]
fn pages_escape_untrusted_text_and_carry_a_csp() {
    let srv = Server::start(Some(TOKEN));
    let evil = json!({
        "id": "xss_1",
        "title": "<script>alert('title')</script> Ferry talks",
        "url": "javascript:alert(document.cookie)",
        "text": "The ferry union said <script>alert('body')</script> talks would resume on Monday.\nClick <a href=\"javascript:alert(1)\">here</a> for the statement, the union said.",
    });
    assert_eq!(
        srv.post("/api/reports", Some(TOKEN), evil.to_string().as_bytes())
            .status,
        200
    );
    for path in ["/reports/xss_1", "/?singles=show", "/stories/S1"] {
        let r = srv.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.body.contains("<script>alert"), "{path}: raw script");
        assert!(
            !r.body.contains("href=\"javascript:"),
            "{path}: javascript link"
        );
        assert!(
            r.body.contains("&lt;script&gt;"),
            "{path}: escaped text shown"
        );
        let csp = &r.headers["content-security-policy"];
        assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
    }
}

#[test]
fn story_page_has_the_graph_and_the_compare_view_marks_reuse() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let page = srv.get("/stories/S2").body;
    for id in ["002_e5aa7a1d09bb6136", "003_eecd8b1c6ee32f2a"] {
        assert!(
            page.contains(&format!(r#"data-report="{id}" data-role="derived""#)),
            "{id}"
        );
    }
    assert!(page.contains(r#"data-report="004_a7ee9d15eccb91ee" data-role="original""#));
    assert!(page.contains(
        r#"data-from="004_a7ee9d15eccb91ee" data-to="003_eecd8b1c6ee32f2a" data-kind="rewrite""#
    ));
    assert!(page.contains(r#"class="cite""#));

    let cmp = srv
        .get("/stories/S2/compare?a=004_a7ee9d15eccb91ee&b=003_eecd8b1c6ee32f2a")
        .body;
    let marks: Vec<&str> = cmp
        .match_indices("<mark class=\"reuse ")
        .map(|(i, _)| &cmp[i..i + 200])
        .collect();
    assert!(marks.len() > 4, "{cmp}");
    // Every mark's counterpart exists on the page.
    for m in &marks {
        if let Some(rest) = m.split("data-counterpart=\"").nth(1) {
            let target = rest.split('"').next().unwrap();
            assert!(cmp.contains(&format!("id=\"{target}\"")), "{target}");
        }
    }
    let report = srv.get("/reports/003_eecd8b1c6ee32f2a").body;
    assert!(report.contains(r#"id="s0""#));
}

#[test]
fn reads_go_on_while_an_ingest_runs() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let addr = srv.addr;
    // A batch long enough to take a while: every report is cleaned, analysed, placed and
    // aligned, and the store's write transaction stays open until the batch is done.
    let seed = std::fs::read_to_string(seeds_dir().join("003_eecd8b1c6ee32f2a.txt")).unwrap();
    let mut lines = String::new();
    for i in 0..150 {
        let text = format!(
            "Bulletin {i}. {}",
            seed.replace("Libya", &format!("Libya-{i}"))
        );
        lines.push_str(&json!({"id": format!("bulk_{i}"), "text": text}).to_string());
        lines.push('\n');
    }
    let writer = std::thread::spawn(move || {
        let auth = format!("Bearer {TOKEN}");
        request(
            addr,
            "POST",
            "/api/reports",
            &[("Authorization", &auth)],
            lines.as_bytes(),
        )
    });
    let mut during = 0;
    while !writer.is_finished() {
        let r = srv.get("/api/stories/S2");
        assert_eq!(r.status, 200, "{}", r.body);
        if !writer.is_finished() {
            during += 1;
        }
    }
    let w = writer.join().unwrap();
    assert_eq!(w.status, 200, "{}", w.body);
    assert!(during > 0, "no read finished while the ingest ran");
    assert!(srv.json("/api/reports/bulk_149")["story"].is_string());
}

#[test]
fn cached_story_views_follow_new_reports() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let before = srv.json("/api/stories/S2/brief");
    assert_eq!(before["adds"].as_array().unwrap().len(), 3);
    assert!(!srv.get("/stories/S2").body.contains("copy_of_004"));
    let text = std::fs::read_to_string(seeds_dir().join("004_a7ee9d15eccb91ee.txt")).unwrap();
    let copy = json!({"id": "copy_of_004", "text": text});
    let r = srv.post("/api/reports", Some(TOKEN), copy.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    let landed: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(landed["landed"][0]["story"], "S2");
    let after = srv.json("/api/stories/S2/brief");
    let adds: Vec<&str> = after["adds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["report"].as_str().unwrap())
        .collect();
    assert!(adds.contains(&"copy_of_004"), "{adds:?}");
    assert!(
        srv.get("/stories/S2")
            .body
            .contains(r#"data-report="copy_of_004""#)
    );
}

#[test]
fn an_oversized_body_is_a_json_413() {
    let srv = Server::start(Some(TOKEN));
    let body = vec![b' '; storyline_server::MAX_BODY_BYTES + 1];
    let r = srv.post("/api/reports", Some(TOKEN), &body);
    assert_eq!(r.status, 413);
    assert!(serde_json::from_str::<Value>(&r.body).unwrap()["error"].is_string());
}

#[test]
fn outlets_and_timelines_in_the_api_and_pages() {
    let srv = Server::start(Some(TOKEN));
    srv.ingest_seeds();
    let table = srv.json("/api/outlets");
    let names: Vec<&str> = table["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outlet"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "(unknown)", "most reports first: {names:?}");
    assert!(
        names.contains(&"CNN") && names.contains(&"Reuters"),
        "{names:?}"
    );
    let cnn = srv.json("/api/outlets/CNN");
    assert_eq!(cnn["original"], 1);
    assert_eq!(cnn["taken_by"][0]["edges"], 2);
    assert_eq!(srv.get("/api/outlets/Nowhere").status, 404);
    assert_eq!(srv.get("/api/outlets?since=yesterday").status, 400);
    // A range the seeds' reports (timed when first seen: today) are not in.
    let past = srv.json("/api/outlets?until=2000-01-01");
    assert_eq!(past["outlets"].as_array().unwrap().len(), 0);

    let stories = srv.json("/api/stories");
    let cnn_story = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["reports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["outlet"] == "CNN")
        })
        .unwrap();
    let sid = cnn_story["id"].as_str().unwrap();
    let t = srv.json(&format!("/api/stories/{sid}/timeline"));
    assert_eq!(t["points"].as_array().unwrap().len(), 3);
    let thread = cnn_story["thread"].as_str().unwrap();
    let tt = srv.json(&format!("/api/threads/{thread}/timeline"));
    assert!(tt["points"].as_array().unwrap().len() >= 3);

    let page = srv.get("/outlets?sort=derived");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-outlet=\"CNN\""), "{}", page.body);
    let page = srv.get("/outlets/CNN");
    assert!(page.body.contains("<svg class=\"weeks\""), "{}", page.body);
    let page = srv.get(&format!("/stories/{sid}"));
    assert!(page.body.contains("<svg class=\"timeline\""));
    assert!(page.body.contains("data-first=\"true\""));
    let page = srv.get(&format!("/threads/{thread}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg class=\"timeline\""));
}

#[test]
fn alert_subscriptions_over_the_api_need_the_token_and_give_a_feed() {
    let srv = Server::start(Some(TOKEN));
    let body = br#"{"kind": "query", "target": "Libya"}"#;
    assert_eq!(srv.post("/api/alerts", None, body).status, 401);
    assert_eq!(srv.post("/api/alerts", Some("wrong"), body).status, 401);
    assert_eq!(srv.get("/api/alerts").status, 401);
    let r = srv.post("/api/alerts", Some(TOKEN), body);
    assert_eq!(r.status, 201, "{}", r.body);
    let sub: Value = serde_json::from_str(&r.body).unwrap();
    let bad = srv.post(
        "/api/alerts",
        Some(TOKEN),
        br#"{"kind": "planet", "target": "Mars"}"#,
    );
    assert_eq!(bad.status, 400);
    srv.ingest_seeds();
    let feed = srv.get(&format!("/feeds/{}", sub["id"].as_str().unwrap()));
    assert_eq!(feed.status, 200);
    let parsed = feed_rs::parser::parse(feed.body.as_bytes()).expect("valid Atom");
    assert!(
        !parsed.entries.is_empty(),
        "the seeds open stories about Libya"
    );
    let list = request(
        srv.addr,
        "GET",
        "/api/alerts",
        &[("Authorization", &format!("Bearer {TOKEN}"))],
        b"",
    );
    assert_eq!(list.status, 200);
    assert!(list.body.contains(sub["id"].as_str().unwrap()));
    let gone = request(
        srv.addr,
        "DELETE",
        &format!("/api/alerts/{}", sub["id"].as_str().unwrap()),
        &[("Authorization", &format!("Bearer {TOKEN}"))],
        b"",
    );
    assert_eq!(gone.status, 204);
    assert_eq!(
        srv.get(&format!("/feeds/{}", sub["id"].as_str().unwrap()))
            .status,
        404
    );
}
