//! The cleaner on arbitrary bytes as HTML: never panics, and its news layer is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_clean::news::{NewsContext, apply};
use storyline_model::ReportId;
use storyline_read::{RawBody, RawReport};

fuzz_target!(|data: &[u8]| {
    let Ok(html) = storyline_read::decode_text(data, true) else {
        return;
    };
    let raw = RawReport {
        id: ReportId("fuzz".into()),
        url: None,
        title: None,
        source: None,
        published: None,
        byline: None,
        body: RawBody::Html(html),
        origin: "fuzz".into(),
        extra_json: None,
        read_notes: Vec::new(),
    };
    let report = storyline_clean::clean_report(raw);
    let lines: Vec<String> = report.text.lines().map(String::from).collect();
    let (again, dropped) = apply(lines.clone(), &NewsContext::default());
    assert!(dropped.is_empty(), "a second pass dropped {dropped:?}");
    assert_eq!(again, lines);
});
