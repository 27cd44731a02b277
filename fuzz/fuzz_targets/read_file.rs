//! Every file reader on arbitrary bytes: plain text, HTML, Reuters SGML and JSON Lines, each
//! raw or gzipped (the first byte picks which). Never panics; every input is reports,
//! diagnostics or skipped items, and a file that yields none is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_read::{InputFile, InputFormat, read_input};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let format = match pick % 4 {
        0 => InputFormat::Text,
        1 => InputFormat::Html,
        2 => InputFormat::Sgml,
        _ => InputFormat::JsonLines,
    };
    let gzipped = pick & 0x80 != 0;
    let dir = std::env::temp_dir().join(format!("storyline-fuzz-read-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input");
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let out = read_input(&InputFile::new(path, format, gzipped));
    assert!(
        !out.reports.is_empty() || !out.diagnostics.is_empty() || !out.skipped.is_empty(),
        "an input must yield reports or diagnostics"
    );
    for r in &out.reports {
        let (storyline_read::RawBody::Text(t) | storyline_read::RawBody::Html(t)) = &r.body;
        assert!(!t.contains('\0'), "NUL bytes reach a report body");
    }
});
