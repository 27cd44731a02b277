//! Whose site a page is when it does not say: the host most of its links point to. A site
//! links to itself (its sections, search box, feeds, login and newsletter pages) more than to
//! anyone else, so on a page saved without its URL, canonical link, `og:site_name` or a title
//! naming the site, the domain of most of its absolute links is its own.
//!
//! Measured against the pages whose address is known (`storyline eval extraction --set aeb`
//! and `--set cleaneval` print it, by half): on the AEB news pages, tune 63 of 79 pages get
//! their own domain, 0 another, 16 none; report 73 of 102, 4 another (a parent company's:
//! IGN's pages link most to Ziff Davis' `zdbb.net`, BBC's `.com` pages to `bbc.co.uk`), 25
//! none. On CleanEval's pages of every kind, 167 own and 27 another of 526, about half of those
//! the same organisation under another name (`sfmuseum.net` for `sfmuseum.org`,
//! `courttv.com` for its `crimelibrary.com`), the rest a blog or a hosted page that links to
//! one site most. A share of 0.4 gave 12 more AEB pages and 4 more wrong; 3 links instead of
//! 5 took CDN hosts (an earlier check by script, same pages).

use std::collections::HashMap;

/// Least share of a page's counted absolute links that go to one domain for it to be the
/// page's own (see the module's measurement).
const MIN_SHARE: f64 = 0.5;

/// Least links to that domain.
const MIN_LINKS: usize = 5;

/// Hosts of services that many sites link to or load from (ads, analytics, sharing buttons,
/// feed readers, shops' affiliate links, content delivery networks, standards bodies): never
/// a page's own site.
const THIRD_PARTY: &[&str] = &[
    "doubleclick",
    "googlesyndication",
    "google-analytics",
    "googleadservices",
    "facebook",
    "twitter",
    "addthis",
    "sharethis",
    "digg.com",
    "del.icio.us",
    "delicious.com",
    "technorati",
    "feedburner",
    "stumbleupon",
    "reddit",
    "myspace",
    "macromedia",
    "adobe.com",
    "w3.org",
    "quantserve",
    "atdmt",
    "2mdn",
    "amazon",
    "cdn",
    "adserver",
    "adtech",
    "advertising",
];

/// Second-level labels under which country domains register names (`bbc.co.uk`,
/// `smh.com.au`, `asahi.ne.jp`): the domain is then three labels long.
const SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"];

/// The domain a host belongs to: its last two labels, or three under a country's second-level
/// label.
pub fn registered_domain(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let keep = match labels.as_slice() {
        [.., second, tld] if tld.len() == 2 && SECOND_LEVEL.contains(second) => 3,
        _ => 2,
    };
    labels[labels.len().saturating_sub(keep)..].join(".")
}

/// The domain most of a page's absolute links go to, when it holds at least [`MIN_SHARE`] of
/// them and [`MIN_LINKS`] links.
pub fn link_domain(html: &str) -> Option<String> {
    // Links counted per host as written, then each distinct host judged once.
    let mut per_host: HashMap<&[u8], usize> = HashMap::new();
    for host in link_hosts(html.as_bytes()) {
        *per_host.entry(host).or_default() += 1;
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut total = 0;
    for (host, n) in per_host {
        let host = String::from_utf8_lossy(host).to_ascii_lowercase();
        if !host.contains('.') || THIRD_PARTY.iter().any(|t| host.contains(t)) {
            continue;
        }
        total += n;
        *counts.entry(registered_domain(&host)).or_default() += n;
    }
    let (domain, n) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
    (n >= MIN_LINKS && n as f64 >= MIN_SHARE * total as f64).then_some(domain)
}

/// The hosts (as written) of a page's absolute http(s) links: `href=` and `action=` values,
/// quoted or not. A scan for `://` and a look back at the attribute: a regex over the whole
/// page cost 1.9% of the cleaning instructions on 100 CleanEval pages (callgrind).
fn link_hosts(html: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    memchr::memmem::find_iter(html, b"://").filter_map(move |at| {
        let before = &html[..at];
        let scheme_start = if before.len() >= 5
            && before[before.len() - 5..].eq_ignore_ascii_case(b"https")
        {
            before.len() - 5
        } else if before.len() >= 4 && before[before.len() - 4..].eq_ignore_ascii_case(b"http") {
            before.len() - 4
        } else {
            return None;
        };
        // Back over an opening quote, spaces and the `=`, to the attribute's name.
        let mut i = scheme_start;
        while i > 0 && matches!(html[i - 1], b'"' | b'\'' | b' ' | b'\t' | b'\n' | b'\r') {
            i -= 1;
        }
        if i == 0 || html[i - 1] != b'=' {
            return None;
        }
        i -= 1;
        while i > 0 && matches!(html[i - 1], b' ' | b'\t' | b'\n' | b'\r') {
            i -= 1;
        }
        let name = &html[..i];
        let is_link = [&b"href"[..], b"action"]
            .iter()
            .any(|a| name.len() >= a.len() && name[name.len() - a.len()..].eq_ignore_ascii_case(a));
        if !is_link {
            return None;
        }
        let rest = &html[at + 3..];
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
            .count();
        let host = &rest[..len];
        (!host.is_empty()).then_some(host)
    })
}

/// Names a page's copyright notices give, where a publication names itself when its title is
/// only its name: "Copyright 2006 Charleston Daily Mail", "Gulf Times Newspaper, 2008 ©", "Press
/// TV 2007. All rights reserved.". Read from the raw markup (the notice sits in the footer,
/// outside the article) only for a page whose title is short enough to be a name: the name
/// after a copyright mark, or the text before it back to the tag that opens it.
pub fn copyright_names(html: &str) -> Vec<String> {
    static MARKS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["copyright", "©", "&copy;", "&#169;", "all rights reserved"])
            .expect("static patterns build")
    });
    let bytes = html.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let name = name
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        if name.chars().next().is_some_and(char::is_uppercase)
            && name.len() >= 3
            && !out.contains(&name)
        {
            out.push(name);
        }
    };
    for m in MARKS.find_iter(html).take(MAX_NOTICES) {
        let notice = m.pattern().as_usize() < 4;
        // After a mark: marks, years and spaces, then the name up to the next tag or stop.
        if notice {
            let mut at = m.end();
            loop {
                let rest = &html[at..];
                let skip = rest.len()
                    - rest
                        .trim_start_matches(|c: char| {
                            c.is_whitespace() || c.is_ascii_digit() || "©-–,:".contains(c)
                        })
                        .len();
                at += skip;
                let rest = &html[at..];
                let entity = ["&copy;", "&#169;", "&nbsp;", "(c)", "(C)"]
                    .iter()
                    .find(|e| rest.starts_with(**e));
                match entity {
                    Some(e) => at += e.len(),
                    None if skip == 0 => break,
                    None => {}
                }
            }
            let end = (at + NOTICE_BYTES).min(bytes.len());
            let tail = &bytes[at..end];
            let stop = tail
                .iter()
                .position(|b| b"<>|.&".contains(b))
                .unwrap_or(tail.len());
            if let Ok(name) = std::str::from_utf8(&tail[..stop]) {
                push(name.split(" All rights").next().unwrap_or(""));
            }
        }
        // Before a mark: the text back to the tag before it ("Gulf Times Newspaper, 2008 ©").
        let start = m.start().saturating_sub(NOTICE_BYTES);
        let head = &bytes[start..m.start()];
        if let Some(open) = head.iter().rposition(|&b| b == b'>')
            && let Ok(text) = std::str::from_utf8(&head[open + 1..])
        {
            let name = text.trim_end_matches(|c: char| {
                c.is_whitespace() || c.is_ascii_digit() || ",.".contains(c)
            });
            if !name.contains(['<', '©', '&', '|']) {
                push(name);
            }
        }
    }
    out
}

/// Bytes read after or before a copyright mark for the name.
const NOTICE_BYTES: usize = 80;

/// Copyright marks read: a page has one or two notices; more are a page's other owners'
/// (photos, agencies).
const MAX_NOTICES: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copyright_notices_name_the_publication() {
        let html = "<td class=foot>Copyright 2006 Charleston Daily Mail</td><p>Press TV 2007. All rights reserved.</p><span>Gulf Times Newspaper, 2008 &copy;</span>";
        assert_eq!(
            copyright_names(html),
            ["Charleston Daily Mail", "Press TV", "Gulf Times Newspaper"]
        );
    }

    #[test]
    fn domains_keep_a_country_second_level() {
        assert_eq!(registered_domain("news.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registered_domain("search.us.reuters.com"), "reuters.com");
        assert_eq!(registered_domain("www.theage.com.au"), "theage.com.au");
        assert_eq!(registered_domain("localhost"), "localhost");
    }

    #[test]
    fn the_page_links_to_itself_most() {
        let own = r#"<a href="http://uk.reuters.com/news">News</a>"#.repeat(4)
            + r#"<form action="http://search.uk.reuters.com/s"></form>"#
            + r#"<a href="http://ad.doubleclick.net/x">ad</a><a href="http://www.ft.com/">FT</a>"#;
        assert_eq!(link_domain(&own).as_deref(), Some("reuters.com"));
        // Too few links, or no domain with half of them: no site.
        assert_eq!(link_domain(r#"<a href="http://a.com/">a</a>"#), None);
        let spread: String = (0..10)
            .map(|i| format!(r#"<a href="http://site{i}.org/">x</a>"#))
            .collect();
        assert_eq!(link_domain(&spread), None);
    }
}
