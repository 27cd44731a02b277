//! Raw report → clean report: the body as paragraphs (one per line), the title when the input
//! has one. Plain text gets its headline line lifted into the title and hard-wrapped lines
//! joined; HTML gets its block text. Dropping boilerplate (ads, teasers, comment prompts) is the
//! news layer's job, planned for this crate (issue "clean").

mod furniture_dom;
mod html;
mod metadata;
pub mod news;
mod plain;

use storyline_model::Report;
use storyline_read::{RawBody, RawReport};

pub use html::html_to_text;
pub use metadata::{PageMeta, page_meta};
pub use plain::{normalize_plain, split_headline};

/// Cleans a raw report into a [`Report`]. Never fails: a page with no body text gives an empty
/// body, which the caller reports.
pub fn clean_report(raw: RawReport) -> Report {
    let (meta, body, page_drops) = match raw.body {
        RawBody::Text(t) => (PageMeta::default(), t, Vec::new()),
        RawBody::Html(h) => {
            let page = html_to_text(&h);
            (page.meta, page.text, page.dropped)
        }
    };
    let html_title = meta.title.clone();
    let body = normalize_plain(&body);
    let (headline, body) = split_headline(&body);
    let title = raw.title.or(html_title).or(headline);
    let paragraphs: Vec<String> = body.lines().map(String::from).collect();
    let (kept, dropped) = news::apply(
        paragraphs,
        &news::NewsContext {
            source: raw.source.as_deref(),
        },
    );
    let dropped = page_drops.into_iter().chain(dropped).collect();
    let headings = news::headings(&kept);
    let body = kept.join("\n");
    Report {
        id: raw.id,
        url: raw.url.or(meta.canonical_url),
        title,
        source: raw.source.or(meta.site),
        published: raw.published.or(meta.published),
        updated: meta.updated,
        byline: raw.byline.or(meta.byline),
        language: meta.language,
        text: body,
        origin: raw.origin,
        extra_json: raw.extra_json,
        dropped,
        headings,
    }
}
