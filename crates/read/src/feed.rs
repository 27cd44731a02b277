//! RSS 2.0, RSS 1.0 and Atom feeds (parsed by `feed-rs`): each item a raw report with its link,
//! title, publication date, author and content or summary. An item that carries only a summary
//! is better read from its page: [`resolve_item`] asks a caller-supplied fetcher for it (this
//! crate's fetcher reads local pages; the `follow` command's also speaks HTTP) and cleans the
//! page instead, keeping the item's title, date and author.
//!
//! Ids: an item with a link takes the id of its canonical URL ([`crate::url_report_id`]), so
//! the same article in two feeds, or in a feed and a WARC, is one report; an item without a link
//! takes `guid-` and 16 hex digits of its GUID's xxh3 hash.

use std::path::Path;

use storyline_model::{Diagnostic, ReportId};

use crate::canonical::{canonical_url, page_canonical, url_report_id};
use crate::{RawBody, RawReport, decode_text, read_file_bytes};

/// One item of a feed, as read.
#[derive(Debug, Clone)]
pub struct FeedItem {
    /// The item as a report: its body is the content, else the summary (empty when neither).
    pub report: RawReport,
    /// The item carries no full content: its page, when it can be had, is the better body.
    pub summary_only: bool,
    /// The item's link as the feed gives it (resolved against the feed's URL), for fetching.
    pub link: Option<String>,
}

/// A parsed feed: its title and items, plus the items that could not be read.
#[derive(Debug, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Bytes of a `.xml` file looked at to decide whether it holds a feed: the root element comes
/// after the XML declaration and perhaps a stylesheet line and comments, well within 4 KiB.
const SNIFF_BYTES: usize = 4096;

/// Whether XML bytes hold a feed: the root element is `<rss>`, `<feed>` or `<rdf:RDF>`.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(SNIFF_BYTES)]).to_lowercase();
    ["<rss", "<feed", "<rdf:rdf"]
        .iter()
        .any(|t| head.contains(t))
}

/// Parses a feed. `origin` names it in diagnostics (items are `origin#item-N`); `base_url` is
/// where it was fetched from, to resolve relative links. A feed that does not parse at all is
/// one diagnostic naming the input and the parser's reason.
pub fn parse_feed(
    bytes: &[u8],
    origin: &str,
    base_url: Option<&str>,
) -> Result<ParsedFeed, Diagnostic> {
    let parser = feed_rs::parser::Builder::new().base_uri(base_url).build();
    let feed = parser.parse(bytes).map_err(|e| Diagnostic {
        input: origin.to_string(),
        message: format!("malformed feed: {e}"),
    })?;
    let base = base_url.and_then(|b| url::Url::parse(b).ok());
    let title = feed
        .title
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut out = ParsedFeed {
        title: title.clone(),
        ..Default::default()
    };
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let at = format!("{origin}#item-{}", i + 1);
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| match &base {
                Some(b) => b
                    .join(l.href.trim())
                    .map(|u| u.to_string())
                    .unwrap_or_else(|_| l.href.trim().to_string()),
                None => l.href.trim().to_string(),
            })
            .filter(|l| !l.is_empty());
        let canonical = link.as_deref().and_then(canonical_url);
        let id = match (&canonical, entry.id.trim()) {
            (Some(c), _) => url_report_id(c),
            (None, guid) if !guid.is_empty() => ReportId(format!(
                "guid-{:016x}",
                xxhash_rust::xxh3::xxh3_64(guid.as_bytes())
            )),
            (None, _) => {
                out.diagnostics.push(Diagnostic {
                    input: at,
                    message: "item has neither a link nor a GUID to name it; skipped".into(),
                });
                continue;
            }
        };
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty());
        let summary = entry
            .summary
            .as_ref()
            .filter(|s| !s.content.trim().is_empty());
        let (body, summary_only) = match (content, summary) {
            (Some(c), _) => (RawBody::Html(c), false),
            (None, Some(s)) if s.content_type.subty().as_str() == "plain" => {
                (RawBody::Text(s.content.clone()), true)
            }
            (None, Some(s)) => (RawBody::Html(s.content.clone()), true),
            (None, None) => (RawBody::Text(String::new()), true),
        };
        let authors: Vec<String> = entry
            .authors
            .iter()
            .filter_map(|p| p.name.as_ref().map(|n| n.trim().to_string()))
            .filter(|n| !n.is_empty())
            .collect();
        let mut extra = serde_json::Map::new();
        if !entry.id.trim().is_empty() {
            extra.insert("guid".into(), entry.id.trim().into());
        }
        out.items.push(FeedItem {
            report: RawReport {
                id,
                url: canonical,
                title: entry
                    .title
                    .map(|t| t.content.trim().to_string())
                    .filter(|t| !t.is_empty()),
                source: title.clone(),
                published: entry.published.or(entry.updated).map(|d| d.to_rfc3339()),
                byline: (!authors.is_empty()).then(|| authors.join(", ")),
                body,
                origin: at,
                extra_json: (!extra.is_empty())
                    .then(|| serde_json::Value::Object(extra).to_string()),
                read_notes: Vec::new(),
            },
            summary_only,
            link,
        });
    }
    Ok(out)
}

/// The report for an item read from its page: the page's markup as the body, the id and URL of
/// the page's canonical link (else of the URL it was fetched from), the item's title, date,
/// outlet and author.
pub fn page_report(item: &RawReport, page_url: &str, html: String) -> RawReport {
    let canonical = page_canonical(&html, Some(page_url)).or_else(|| canonical_url(page_url));
    RawReport {
        id: canonical
            .as_deref()
            .map(url_report_id)
            .unwrap_or_else(|| item.id.clone()),
        url: canonical.or_else(|| item.url.clone()),
        title: item.title.clone(),
        source: item.source.clone(),
        published: item.published.clone(),
        byline: item.byline.clone(),
        body: RawBody::Html(html),
        origin: format!("{} ({page_url})", item.origin),
        extra_json: item.extra_json.clone(),
        read_notes: Vec::new(),
    }
}

/// What a page fetcher found for a link: `None` when it cannot reach such links at all (the
/// item's summary is used), `Some(Err(reason))` when it tried and failed.
pub type PageFetch = Option<Result<String, String>>;

/// The item as a report: its page when it has only a summary and `fetch` gets the page, else
/// its own content or summary. An item with no body and no page is a diagnostic; a page that
/// failed to load falls back to the summary when there is one.
pub fn resolve_item(
    item: FeedItem,
    fetch: &mut dyn FnMut(&str) -> PageFetch,
) -> Result<(RawReport, Option<String>), Diagnostic> {
    let empty = match &item.report.body {
        RawBody::Text(t) | RawBody::Html(t) => t.trim().is_empty(),
    };
    let mut problem = None;
    if item.summary_only
        && let Some(link) = &item.link
    {
        match fetch(link) {
            Some(Ok(html)) => return Ok((page_report(&item.report, link, html), None)),
            Some(Err(reason)) => problem = Some(format!("page {link}: {reason}")),
            None => {}
        }
    }
    if empty {
        return Err(Diagnostic {
            input: item.report.origin,
            message: match problem {
                Some(p) => format!("item has no content or summary, and its {p}"),
                None => "item has no content or summary, and no page to read it from".into(),
            },
        });
    }
    Ok((item.report, problem))
}

/// Reads a local page for a feed file's item: a `file:` URL, or a relative link resolved
/// against the feed's folder. Links of other schemes are not reached (no network here).
pub fn local_page(feed_dir: &Path, link: &str) -> PageFetch {
    let path = match url::Url::parse(link) {
        Ok(u) if u.scheme() == "file" => u.to_file_path().ok()?,
        Ok(_) => return None,
        Err(_) => feed_dir.join(link),
    };
    let gz = path.extension().is_some_and(|e| e == "gz");
    Some(
        read_file_bytes(&path, gz)
            .and_then(|b| decode_text(&b, true))
            .map_err(|e| e.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Wire</title><link>https://wire.example/</link>
<item><title>Ferry resumes</title><link>https://wire.example/a?utm_source=rss</link>
<guid>a-1</guid><pubDate>Tue, 06 May 2025 10:00:00 GMT</pubDate><dc:creator>Ann Lee</dc:creator>
<description>Short.</description><content:encoded><![CDATA[<p>The ferry resumed on Tuesday.</p>]]></content:encoded></item>
<item><title>Bridge shut</title><link>pages/b.html</link><description>Summary only.</description></item>
<item><title>No link</title><guid isPermaLink="false">xyz</guid><description>Body here.</description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_are_reports_with_their_fields() {
        let feed = parse_feed(RSS.as_bytes(), "f.rss", None).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Harbour Wire"));
        assert_eq!(feed.items.len(), 3);
        let a = &feed.items[0];
        assert!(!a.summary_only);
        assert_eq!(a.report.url.as_deref(), Some("https://wire.example/a"));
        assert_eq!(a.report.id, url_report_id("https://wire.example/a"));
        assert_eq!(a.report.title.as_deref(), Some("Ferry resumes"));
        assert_eq!(a.report.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(a.report.source.as_deref(), Some("Harbour Wire"));
        assert_eq!(
            a.report.published.as_deref(),
            Some("2025-05-06T10:00:00+00:00")
        );
        assert_eq!(a.report.origin, "f.rss#item-1");
        assert!(feed.items[1].summary_only);
        assert!(feed.items[2].report.id.0.starts_with("guid-"));
    }

    #[test]
    fn a_summary_item_reads_its_page_and_takes_the_page_canonical_id() {
        let feed = parse_feed(RSS.as_bytes(), "f.rss", None).unwrap();
        let item = feed.items[1].clone();
        let (r, problem) = resolve_item(item, &mut |link| {
            assert_eq!(link, "pages/b.html");
            Some(Ok(
                r#"<link rel="canonical" href="https://wire.example/b"><p>Full text.</p>"#.into(),
            ))
        })
        .unwrap();
        assert!(problem.is_none());
        assert_eq!(r.id, url_report_id("https://wire.example/b"));
        assert!(matches!(r.body, RawBody::Html(ref h) if h.contains("Full text")));
        assert_eq!(r.title.as_deref(), Some("Bridge shut"));
        // Unreachable page: the summary stands, with the reason.
        let item = feed.items[1].clone();
        let (r, problem) = resolve_item(item, &mut |_| Some(Err("HTTP 404".into()))).unwrap();
        assert!(matches!(r.body, RawBody::Html(ref h) if h.contains("Summary only")));
        assert!(problem.unwrap().contains("HTTP 404"));
    }

    #[test]
    fn atom_is_read_and_malformed_xml_is_a_diagnostic() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><id>urn:1</id><title>Storm</title><link href="/s/1"/><updated>2025-05-07T08:00:00Z</updated>
<author><name>Bo Chan</name></author><content type="html">&lt;p&gt;A storm hit.&lt;/p&gt;</content></entry></feed>"#;
        let feed =
            parse_feed(atom.as_bytes(), "a.atom", Some("https://desk.example/feed")).unwrap();
        let r = &feed.items[0].report;
        assert_eq!(r.url.as_deref(), Some("https://desk.example/s/1"));
        assert_eq!(r.byline.as_deref(), Some("Bo Chan"));
        assert!(matches!(r.body, RawBody::Html(ref h) if h.contains("A storm hit")));
        let bad = parse_feed(b"<rss><channel><item><title>x</ti", "bad.rss", None).unwrap_err();
        assert_eq!(bad.input, "bad.rss");
        assert!(bad.message.starts_with("malformed feed"), "{}", bad.message);
        assert!(looks_like_feed(atom.as_bytes()));
        assert!(!looks_like_feed(b"<?xml version='1.0'?><urlset></urlset>"));
    }
}
