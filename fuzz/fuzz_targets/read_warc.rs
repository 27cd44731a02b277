//! The WARC reader on arbitrary bytes: never panics, never loops, and every item is a report or
//! a diagnostic naming its record.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = storyline_read::WarcReports::new(
        Box::new(std::io::Cursor::new(data.to_vec())),
        "fuzz.warc".into(),
    );
    for item in reader {
        if let Err(d) = item {
            assert!(d.input.starts_with("fuzz.warc#record-"), "{d}");
        }
    }
});
