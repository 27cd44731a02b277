//! Canonical URLs and the report ids made from them: the same article reached by two URLs (one
//! with `utm_*` tracking parameters, one through an AMP copy whose page names the article with
//! `<link rel=canonical>`) must be one report, so feed items and WARC records take their id from
//! the canonical URL, not from where they were found.
//!
//! This module reads only the `<link>` tags of a page's markup; what the body means is still the
//! `clean` stage's business.

use storyline_model::ReportId;

/// Query parameters that say how a reader arrived, not which article they read. Campaign tags
/// (`utm_*`, matched by prefix), the ad platforms' click ids, mail-list ids and the referral
/// tags news sites append to shared links.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src", "ref_url",
    "cmpid", "ocid", "ncid", "smid", "smtyp", "CMP", "rss", "sr_share",
];

/// Prefixes of tracking parameter names (`utm_source`, `utm_medium`, …).
const TRACKING_PREFIXES: &[&str] = &["utm_", "at_", "pk_", "mtm_"];

/// Bytes of a page searched for `<link rel=canonical>`: it belongs in `<head>`, which fits in
/// the first 256 KiB of every page of the L3S and AEB sets; scanning further would cost time on
/// large pages for nothing.
const HEAD_SCAN_BYTES: usize = 256 << 10;

fn is_tracking(name: &str) -> bool {
    TRACKING_PARAMS.contains(&name)
        || TRACKING_PREFIXES
            .iter()
            .any(|p| name.to_ascii_lowercase().starts_with(p))
}

/// The canonical form of a URL: parsed and normalised (lower-case scheme and host, default port
/// and fragment dropped), with tracking parameters removed and the remaining ones kept in their
/// order. `None` when it is not an absolute URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if url.cannot_be_a_base() {
        return None;
    }
    url.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_tracking(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(url.to_string())
}

/// A report id for an article at a canonical URL: its host, a dash and 16 hex digits of the
/// URL's xxh3 hash (stable across builds and platforms), e.g. `news.example-9f86d081884c7d65`.
pub fn url_report_id(canonical: &str) -> ReportId {
    let host = url::Url::parse(canonical)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "url".to_string());
    ReportId(format!(
        "{host}-{:016x}",
        xxhash_rust::xxh3::xxh3_64(canonical.as_bytes())
    ))
}

/// The URL a page names as its canonical one (`<link rel="canonical" href="…">`), resolved
/// against the page's own URL and canonicalised; `None` when the page names none.
pub fn page_canonical(html: &str, page_url: Option<&str>) -> Option<String> {
    let mut end = html.len().min(HEAD_SCAN_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("<link") {
        let start = from + pos + 5;
        let close = lower[start..].find('>').map_or(lower.len(), |i| start + i);
        let attrs = attributes(&head[start..close]);
        let rel = attrs.iter().find(|(k, _)| k == "rel").map(|(_, v)| v);
        if rel.is_some_and(|r| r.split_ascii_whitespace().any(|t| t == "canonical"))
            && let Some((_, href)) = attrs.iter().find(|(k, _)| k == "href")
        {
            let resolved = match page_url.and_then(|b| url::Url::parse(b).ok()) {
                Some(base) => base.join(href.trim()).ok().map(|u| u.to_string()),
                None => Some(href.trim().to_string()),
            };
            return resolved.and_then(|u| canonical_url(&u));
        }
        from = close;
    }
    None
}

/// `name="value"` pairs of a tag's attribute text, names lower-cased, HTML's `&amp;` undone.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i += 1;
                let vs = i;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = s[vs..i].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = s[vs..i].to_string();
            }
        }
        if !name.is_empty() {
            out.push((name, value.replace("&amp;", "&")));
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_and_fragments_go() {
        assert_eq!(
            canonical_url("HTTPS://News.Example:443/a/b?utm_source=rss&id=7&fbclid=x#top").unwrap(),
            "https://news.example/a/b?id=7"
        );
        assert_eq!(
            canonical_url("https://news.example/a?utm_medium=feed").unwrap(),
            "https://news.example/a"
        );
        assert_eq!(canonical_url("not a url"), None);
    }

    #[test]
    fn two_urls_of_one_article_give_one_id() {
        let a = canonical_url("https://news.example/story/1?utm_campaign=x").unwrap();
        let b = canonical_url("https://news.example/story/1").unwrap();
        assert_eq!(url_report_id(&a), url_report_id(&b));
        let id = url_report_id(&a).0;
        assert!(id.starts_with("news.example-") && id.len() == "news.example-".len() + 16);
        assert_ne!(
            url_report_id(&a),
            url_report_id("https://news.example/story/2")
        );
    }

    proptest::proptest! {
        /// Canonicalising twice changes nothing, so an id never depends on how many hands a
        /// URL passed through; and the tracking parameters are gone whatever else is there.
        #[test]
        fn canonical_urls_are_idempotent(
            path in "[a-z0-9/._-]{0,20}",
            keys in proptest::collection::vec("[a-z_]{1,8}", 0..4),
            tracked in proptest::bool::ANY,
        ) {
            let mut query: Vec<String> = keys.iter().map(|k| format!("{k}=1")).collect();
            if tracked {
                query.push("utm_source=x".into());
            }
            let raw = format!("https://News.Example/{path}?{}#frag", query.join("&"));
            let once = canonical_url(&raw).unwrap();
            proptest::prop_assert_eq!(canonical_url(&once).unwrap(), once.clone());
            proptest::prop_assert!(!once.contains("utm_") && !once.contains('#'));
        }
    }

    #[test]
    fn the_page_canonical_link_is_followed_and_resolved() {
        let page = r#"<html><head><LINK href="/story/1?utm_source=amp&amp;p=2" REL="canonical"><title>x</title></head></html>"#;
        assert_eq!(
            page_canonical(page, Some("https://news.example/amp/story/1")).unwrap(),
            "https://news.example/story/1?p=2"
        );
        assert_eq!(
            page_canonical("<link rel=stylesheet href=a.css>", None),
            None
        );
    }
}
