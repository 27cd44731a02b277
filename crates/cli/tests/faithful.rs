//! Faithful input (issue 17): one regression test per way a report's text or a corpus was lost
//! or misread, as a user meets it on the command line.

mod common;

use common::{Run, storyline};

fn json(out: &common::Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn a_given_title_never_eats_the_opening_of_a_wrapped_body() {
    let run = Run::new();
    let input = run.path("c.jsonl");
    std::fs::write(
        &input,
        r#"{"id":"c","title":"T","text":"Thai coffee exports rose to 22,068\ntonnes in 1986 from 20,430 a year earlier, the Customs\nDepartment said. Exports to the United States fell, traders said."}"#,
    )
    .unwrap();
    let out = storyline(&run, &["ingest", input.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let r = json(&storyline(&run, &["show", "c", "--format", "json"]));
    assert_eq!(r["title"], "T");
    let body = r["text"].as_str().unwrap();
    assert!(
        body.starts_with("Thai coffee exports rose to 22,068 tonnes"),
        "{body}"
    );
}

#[test]
fn a_text_without_a_title_line_keeps_its_wrapped_opening() {
    let run = Run::new();
    let input = run.path("wrapped.txt");
    std::fs::write(
        &input,
        "The central bank raised its key rate on Tuesday for the third time\nin a year and said more rises could follow if prices kept rising.\nEconomists had expected the move after inflation reached 9 percent.\n",
    )
    .unwrap();
    let out = storyline(
        &run,
        &["clean", input.to_str().unwrap(), "--format", "json"],
    );
    let cleaned = json(&out);
    let r = &cleaned[0];
    assert!(r["title"].is_null(), "{r}");
    assert!(
        r["text"].as_str().unwrap().starts_with(
            "The central bank raised its key rate on Tuesday for the third time in a year"
        ),
        "{r}"
    );
}

#[test]
fn corpus_folders_read_as_they_ship() {
    let run = Run::new();
    let corpus = run.path("bbc");
    for (path, text) in [
        (
            "business/001.txt",
            "Ad sales boost profit\n\nQuarterly profits at the media giant jumped 76% in the three months to December.\n",
        ),
        (
            "tech/001.txt",
            "Phones get smarter\n\nMobile phone makers showed handsets that can play music and video at the fair.\n",
        ),
        (
            "README.TXT",
            "Consists of 2225 documents from the BBC news website.\n",
        ),
        ("data.csv", "a,b\n"),
    ] {
        let p = corpus.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    // Stem ids collide: the error says so and names the way out.
    let stems = storyline(&run, &["ingest", corpus.to_str().unwrap()]);
    assert_eq!(stems.code, Some(1));
    assert!(
        stems.stderr.contains("file names repeat"),
        "{}",
        stems.stderr
    );
    assert!(stems.stderr.contains("--ids path"), "{}", stems.stderr);
    assert!(
        stems.stderr.contains(
            "note: skipped 2 files: 1 .csv (no reader), 1 README.TXT (a folder's notes, not a report)"
        ),
        "{}",
        stems.stderr
    );
    let run = Run::new();
    let out = storyline(&run, &["ingest", "--ids", "path", corpus.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "2 reports read, 2 new, 0 duplicates, 0 failed"
    );
    let r = json(&storyline(
        &run,
        &["show", "business/001", "--format", "json"],
    ));
    assert_eq!(r["title"], "Ad sales boost profit");
    assert!(r["text"].as_str().unwrap().starts_with("Quarterly profits"));
}

#[test]
fn an_empty_folder_is_an_error_not_silence() {
    let run = Run::new();
    let empty = run.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = storyline(&run, &["ingest", empty.to_str().unwrap()]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stderr.contains("no report files in this folder"),
        "{}",
        out.stderr
    );
}

#[test]
fn reuters_sgml_is_read_item_by_item() {
    let run = Run::new();
    let input = run.path("reut2-000.sgm");
    std::fs::write(
        &input,
        "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TOPICS><D>cocoa</D></TOPICS>\n<TEXT>&#2;\n<TITLE>BAHIA COCOA REVIEW</TITLE>\n<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary, Comissaria Smith said in its weekly review.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n<REUTERS NEWID=\"8\"><TEXT TYPE=\"BRIEF\"><TITLE>FLASH ONLY</TITLE></TEXT></REUTERS>\n",
    )
    .unwrap();
    let out = storyline(&run, &["ingest", input.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("note: skipped 1 item: a title with no body"),
        "{}",
        out.stderr
    );
    let r = json(&storyline(&run, &["show", "7", "--format", "json"]));
    assert_eq!(r["title"], "BAHIA COCOA REVIEW");
    assert!(r["text"].as_str().unwrap().starts_with("Showers continued"));
}

#[test]
fn read_only_commands_do_not_create_a_store() {
    let run = Run::new();
    let out = storyline(&run, &["stories"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("no store at"), "{}", out.stderr);
    assert!(
        !run.db().exists(),
        "a typo in --db must not leave a store behind"
    );
    // A folder named as the store says so, once.
    let dir = run.path("folder");
    std::fs::create_dir_all(&dir).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["--db", dir.to_str().unwrap(), "stories"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn a_malformed_line_is_named_by_its_own_line_and_column() {
    let run = Run::new();
    let input = run.path("two.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"A report of several words here.\"}\n{\"id\":\"b\",\"text\":\"broken\n",
    )
    .unwrap();
    let out = storyline(&run, &["ingest", input.to_str().unwrap()]);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("two.jsonl:2"))
        .unwrap_or_default();
    assert!(line.contains("malformed JSON at column"), "{}", out.stderr);
    assert!(!line.contains("line 1"), "{line}");
}

#[test]
fn documents_take_text_like_every_listing() {
    let run = Run::new();
    let seeds = common::seeds_dir();
    storyline(&run, &["ingest", seeds.to_str().unwrap()]);
    for cmd in ["compare", "brief"] {
        let out = storyline(&run, &[cmd, "S1", "--format", "text"]);
        assert_eq!(out.code, Some(0), "{cmd}: {}", out.stderr);
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn help_describes_every_argument_and_format() {
    for cmd in [
        "ingest", "clean", "compare", "brief", "show", "stories", "quotes",
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
            .args([cmd, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = help.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let is_item = t.starts_with('<') || t.starts_with("--format");
            if is_item && l.starts_with("  ") && !l.starts_with("          ") {
                let next = lines.get(i + 1).map(|n| n.trim()).unwrap_or("");
                assert!(
                    !next.is_empty() && !next.starts_with("Possible values"),
                    "`{cmd} --help`: `{t}` has no description:\n{help}"
                );
            }
        }
    }
}
