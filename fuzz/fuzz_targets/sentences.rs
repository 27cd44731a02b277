//! The sentence splitter: never panics; spans are in bounds, ordered, on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut last = 0;
    for s in storyline_text::sentences(text) {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(s.start >= last, "sentences out of order");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        last = s.end;
    }
});
