//! Plain-text cleaning: never panics; layout normalisation and the news layer are idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_clean::news::{NewsContext, apply};
use storyline_clean::normalize_plain;

fuzz_target!(|text: &str| {
    let once = normalize_plain(text);
    assert_eq!(normalize_plain(&once), once);
    let lines: Vec<String> = once.lines().map(String::from).collect();
    let (kept, _) = apply(
        lines,
        &NewsContext {
            source: Some("CNN"),
        },
    );
    let (again, dropped) = apply(
        kept.clone(),
        &NewsContext {
            source: Some("CNN"),
        },
    );
    assert!(dropped.is_empty(), "a second pass dropped {dropped:?}");
    assert_eq!(again, kept);
});
