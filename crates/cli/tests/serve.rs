//! `storyline serve` as a user runs it: the binary on a free loopback port over a store the CLI
//! filled, answering with the same JSON the CLI prints (one set of builders), and stopping on
//! SIGTERM.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use common::{Run, get, seeds_dir, serve};
use serde_json::Value;

#[test]
fn the_api_answers_what_the_cli_prints() {
    let run = Run::new();
    run.ok(&["ingest", seeds_dir().to_str().unwrap()]);
    let cli_story: Value =
        serde_json::from_str(&run.ok(&["show", "S2", "--format", "json"])).unwrap();
    let cli_brief: Value =
        serde_json::from_str(&run.ok(&["brief", "S2", "--format", "json"])).unwrap();
    let cli_report: Value =
        serde_json::from_str(&run.ok(&["show", "004_a7ee9d15eccb91ee", "--format", "json"]))
            .unwrap();
    let srv = serve(&run, None);
    let api = |path: &str| -> Value {
        let (status, body) = get(&srv.addr, path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    };
    assert_eq!(api("/api/stories/S2"), cli_story);
    assert_eq!(api("/api/stories/S2/brief"), cli_brief);
    assert_eq!(api("/api/reports/004_a7ee9d15eccb91ee"), cli_report);
    for (cli, path) in [
        (
            vec!["compare", "S2", "--format", "json"],
            "/api/stories/S2/compare",
        ),
        (
            vec!["quotes", "--story", "S2", "--format", "json"],
            "/api/stories/S2/quotes?limit=500",
        ),
        (
            vec!["entities", "--story", "S2", "--format", "json"],
            "/api/stories/S2/entities?limit=500",
        ),
        (
            vec![
                "quotes",
                "--report",
                "003_eecd8b1c6ee32f2a",
                "--speaker",
                "Rubio",
                "--format",
                "json",
            ],
            "/api/reports/003_eecd8b1c6ee32f2a/quotes?speaker=Rubio",
        ),
        (vec!["stories", "--format", "json"], "/api/stories"),
    ] {
        let printed: Value = serde_json::from_str(&run.ok(&cli)).unwrap();
        assert!(
            printed.as_array().is_none_or(|a| !a.is_empty()),
            "{cli:?} printed nothing"
        );
        assert_eq!(api(path), printed, "{cli:?} vs {path}");
    }
    // Without a token, the server refuses writes.
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    write!(s, "POST /api/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer guess\r\nContent-Length: 2\r\n\r\n{{}}").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let run = Run::new();
    let mut srv = serve(&run, None);
    assert_eq!(get(&srv.addr, "/api/stories").0, 200);
    let pid = srv.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = srv.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
