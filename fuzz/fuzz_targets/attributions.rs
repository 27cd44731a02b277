//! The attribution extractor on arbitrary text: never panics; every span is in bounds and on
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for a in storyline_extract::attributions(text) {
        for (s, e) in [Some(a.content), a.cue, a.source].into_iter().flatten() {
            assert!(s <= e && e <= text.len());
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        }
    }
});
