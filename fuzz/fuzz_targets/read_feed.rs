//! The feed reader on arbitrary bytes: never panics; a feed either parses (each item named
//! `fuzz.rss#item-N`) or is one diagnostic naming the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match storyline_read::feed::parse_feed(data, "fuzz.rss", Some("https://fuzz.example/feed")) {
        Ok(feed) => {
            for item in feed.items {
                assert!(item.report.origin.starts_with("fuzz.rss#item-"));
                let _ = storyline_read::feed::resolve_item(item, &mut |_| None);
            }
        }
        Err(d) => assert_eq!(d.input, "fuzz.rss"),
    }
});
