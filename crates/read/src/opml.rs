//! OPML subscription lists (what feed readers export): every `<outline>` with an `xmlUrl`, at
//! any depth, is a feed to follow. Malformed XML is an error naming the file and the byte
//! offset where parsing stopped.

use quick_xml::events::Event;

/// One feed an OPML list subscribes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSubscription {
    pub url: String,
    pub title: Option<String>,
}

/// The feeds of an OPML document, in document order, each URL once.
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<FeedSubscription>, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut out: Vec<FeedSubscription> = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed OPML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                if name.as_ref().eq_ignore_ascii_case("opml") {
                    saw_opml = true;
                }
                if !name.as_ref().eq_ignore_ascii_case("outline") {
                    continue;
                }
                let mut url = None;
                let mut title = None;
                for attr in e.attributes().flatten() {
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::default())
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default();
                    let key = attr.key.as_ref();
                    if key.eq_ignore_ascii_case("xmlUrl") {
                        url = Some(value);
                    } else if key == "title" || (key == "text" && title.is_none()) {
                        title = Some(value);
                    }
                }
                if let Some(url) = url.filter(|u| !u.is_empty())
                    && !out.iter().any(|s| s.url == url)
                {
                    out.push(FeedSubscription {
                        url,
                        title: title.filter(|t| !t.is_empty()),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err("not OPML: no <opml> root element".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_outlines_are_feeds_in_order() {
        let doc = r#"<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
<outline text="News"><outline text="Wire" type="rss" xmlUrl="https://wire.example/rss?a=1&amp;b=2"/>
<outline title="Desk" xmlUrl="https://desk.example/atom"/></outline>
<outline text="dup" xmlUrl="https://wire.example/rss?a=1&amp;b=2"/><outline text="folder only"/></body></opml>"#;
        let subs = parse_opml(doc.as_bytes()).unwrap();
        assert_eq!(
            subs,
            vec![
                FeedSubscription {
                    url: "https://wire.example/rss?a=1&b=2".into(),
                    title: Some("Wire".into())
                },
                FeedSubscription {
                    url: "https://desk.example/atom".into(),
                    title: Some("Desk".into())
                },
            ]
        );
        assert!(parse_opml(b"<opml><body><outline xmlUrl='x'></body>").is_err());
        assert!(parse_opml(b"<rss/>").unwrap_err().contains("not OPML"));
    }
}
