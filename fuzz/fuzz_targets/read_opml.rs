//! The OPML reader (`storyline follow FEEDS.opml`) on arbitrary bytes: never panics; a list
//! either parses into subscriptions with a feed URL each or is an error message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(subscriptions) = storyline_read::parse_opml(data) {
        for s in subscriptions {
            assert!(!s.url.trim().is_empty(), "a subscription without a URL");
        }
    }
});
