//! Helpers for the CLI tests: a temporary store and a way to run the binary against it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The seeds, beside the repository (`../shared/fixtures/seeds`). Missing seeds fail the test:
/// CI always has `../shared` beside the clone.
pub fn seeds_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/seeds");
    assert!(
        dir.is_dir(),
        "the seeds are missing: expected {}",
        dir.display()
    );
    dir.canonicalize().unwrap()
}

pub struct Run {
    pub dir: tempfile::TempDir,
    /// A PostgreSQL database of its own instead of the store file, dropped after the test.
    pub pg: Option<storyline_store::TempDatabase>,
}

pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn storyline(run: &Run, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .arg("--db")
        .arg(run.db())
        .args(args)
        .output()
        .expect("the storyline binary runs");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    pub fn new() -> Run {
        Run {
            dir: tempfile::tempdir().unwrap(),
            pg: None,
        }
    }

    /// A run whose store is a new PostgreSQL database (see `storyline_store::TempDatabase`:
    /// the test fails, naming what is missing, when PostgreSQL cannot be reached).
    pub fn postgres(name: &str) -> Run {
        let pg = storyline_store::TempDatabase::create(name).unwrap_or_else(|e| panic!("{e}"));
        Run {
            dir: tempfile::tempdir().unwrap(),
            pg: Some(pg),
        }
    }

    /// The store `--db` names: the run's file, or its PostgreSQL database's URL.
    pub fn db(&self) -> PathBuf {
        match &self.pg {
            Some(pg) => PathBuf::from(pg.url()),
            None => self.dir.path().join("test.db"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = storyline(self, args);
        assert_eq!(
            out.code,
            Some(0),
            "storyline {args:?} failed: {}",
            out.stderr
        );
        out.stdout
    }
}

/// A `storyline serve` on a free loopback port, killed when dropped.
pub struct Serving {
    pub child: Child,
    pub addr: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `storyline serve` on the run's store, with this write token (or none).
pub fn serve(run: &Run, token: Option<&str>) -> Serving {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storyline"));
    cmd.arg("--db")
        .arg(run.db())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("STORYLINE_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(t) = token {
        cmd.args(["--token", t]);
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|x| x.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Serving { child, addr }
}

fn exchange(addr: &str, request: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.write_all(request.as_bytes())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no HTTP response: {raw:?}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status: {head:?}")))?;
    Ok((status, body.to_string()))
}

/// GET over plain HTTP/1.1; panics if the server does not answer.
pub fn get(addr: &str, path: &str) -> (u16, String) {
    exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .unwrap()
}

/// POST a JSON body with a bearer token; an error when the connection breaks (a killed server).
pub fn post(addr: &str, path: &str, token: &str, body: &str) -> std::io::Result<(u16, String)> {
    exchange(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// Every stored report id, from `stories --format json`, with sanity checks of the listing:
/// no story without reports, no report in two stories.
pub fn stored_ids(run: &Run) -> std::collections::BTreeSet<String> {
    let stories: Vec<serde_json::Value> =
        serde_json::from_str(&run.ok(&["stories", "--format", "json"])).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for s in &stories {
        let reports = s["reports"].as_array().unwrap();
        assert!(!reports.is_empty(), "story without reports: {s}");
        for r in reports {
            let id = r["id"].as_str().unwrap().to_string();
            assert!(ids.insert(id.clone()), "{id} listed in two stories");
        }
    }
    ids
}

/// `storyline check` passes (on PostgreSQL it prints the queue first); returns what it printed.
pub fn assert_check_clean(run: &Run) -> String {
    let out = storyline(run, &["check"]);
    assert_eq!(
        out.code,
        Some(0),
        "check failed: {}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stdout.lines().any(|l| l.starts_with("ok: ")),
        "{}",
        out.stdout
    );
    out.stdout
}

/// One WARC record, gzipped as its own member (as Common Crawl writes them).
pub fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08x}>\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-05-08T09:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        uri.len(),
        block.len()
    )
    .into_bytes();
    record.extend_from_slice(block);
    record.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &record).unwrap();
    gz.finish().unwrap()
}

pub fn http_page(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A delivery a [`WebhookReceiver`] accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

/// A webhook receiver on a loopback port: answers 503 to its first `refuse` requests, then 204,
/// keeping what it accepted.
pub struct WebhookReceiver {
    pub url: String,
    pub received: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
    pub refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl WebhookReceiver {
    pub fn start(refuse: usize) -> WebhookReceiver {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (r, f) = (received.clone(), refused.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut headers = std::collections::HashMap::new();
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    continue;
                }
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        headers.insert(k.trim().to_lowercase(), v.trim().to_string());
                    }
                }
                let len: usize = headers
                    .get("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                let status = if f.load(Ordering::SeqCst) < refuse {
                    f.fetch_add(1, Ordering::SeqCst);
                    "503 Service Unavailable"
                } else {
                    r.lock().unwrap().push(Received {
                        id: headers.get("webhook-id").cloned().unwrap_or_default(),
                        timestamp: headers
                            .get("webhook-timestamp")
                            .cloned()
                            .unwrap_or_default(),
                        signature: headers
                            .get("webhook-signature")
                            .cloned()
                            .unwrap_or_default(),
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                    "204 No Content"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
            }
        });
        WebhookReceiver {
            url,
            received,
            refused,
        }
    }
}
