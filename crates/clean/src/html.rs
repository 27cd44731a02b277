//! HTML → body text. The article container is found by `dom_smoothie` (a port of Mozilla's
//! Readability; chosen over `trafilatura` 0.6 and `rs-trafilatura` 0.2 on our own harness:
//! equal AEB F1 within noise, best L3S F1 and least related/comment leak, 4–5× faster; see
//! ARCHITECTURE.md). When it finds nothing, the baseline below is used: text of block elements (paragraphs, headings, list items,
//! block quotes) inside `<article>` or `<main>` when the page has one, else `<body>`, skipping
//! navigation, headers, footers, asides, forms, scripts and styles. The title comes from
//! `og:title`, then `<title>`, then the first `<h1>`.

use scraper::{ElementRef, Html, Node, Selector};

/// What the baseline extractor takes from a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    pub title: Option<String>,
    pub meta: crate::PageMeta,
    /// One block per line.
    pub text: String,
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
    "iframe", "template", "select", "figure",
];
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "td",
];

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector parses")
}

/// Most elements `dom_smoothie` parses on one page: bounds the work on pathological pages
/// (a real article page has a few thousand).
const MAX_ELEMENTS: usize = 200_000;

/// The article text `dom_smoothie` finds, one block per line; `None` when it finds none or
/// fails (a panic in the crate is caught, never propagated).
fn readability_text(html: &str) -> Option<String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    let run = std::panic::catch_unwind(|| {
        let mut r = dom_smoothie::Readability::new(html, None, Some(cfg)).ok()?;
        r.parse().ok().map(|a| a.text_content.to_string())
    });
    run.ok().flatten().filter(|t| !t.trim().is_empty())
}

/// Deepest element nesting passed to the parsers. The deepest of the 802 AEB and L3S pages
/// nests 132 levels (counting unclosed tags as open); parsers walk the stack of open elements
/// per tag, so a hostile page nested 100,000 deep would take quadratic time. Tags deeper than
/// this are dropped and their text kept.
const MAX_NESTING: usize = 256;

const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The page with element tags deeper than `max_depth` removed (text kept); borrowed when the
/// page is not that deep. One linear pass; comments, scripts and styles are copied whole.
fn cap_nesting(html: &str, max_depth: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let lower_starts = |at: usize, pat: &str| {
        bytes.len() >= at + pat.len()
            && bytes[at..at + pat.len()].eq_ignore_ascii_case(pat.as_bytes())
    };
    let mut out: Option<String> = None;
    let mut depth: usize = 0;
    let mut i = 0;
    let mut copied = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        // Comments, scripts and styles: copy whole.
        let skip_to = if lower_starts(at, "<!--") {
            html[at..].find("-->").map(|e| at + e + 3)
        } else if lower_starts(at, "<script") || lower_starts(at, "<style") {
            let close = if lower_starts(at, "<script") {
                "</script"
            } else {
                "</style"
            };
            let mut from = at + 1;
            let mut found = None;
            while let Some(r) = html[from..].find("</") {
                if lower_starts(from + r, close) {
                    found = html[from + r..].find('>').map(|g| from + r + g + 1);
                    break;
                }
                from += r + 2;
            }
            found
        } else {
            None
        };
        if let Some(end) = skip_to {
            i = end;
            continue;
        }
        let Some(gt) = html[at..].find('>') else {
            break;
        };
        let end = at + gt + 1;
        let inner = &html[at + 1..end - 1];
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        let mut drop = false;
        if !name.is_empty() && !VOID_ELEMENTS.contains(&name.as_str()) && !inner.ends_with('/') {
            if closing {
                drop = depth > max_depth;
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                drop = depth > max_depth;
            }
        }
        if drop {
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buf.push_str(&html[copied..at]);
            copied = end;
        }
        i = end;
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut buf) => {
            buf.push_str(&html[copied..]);
            std::borrow::Cow::Owned(buf)
        }
    }
}

/// Extracts the title and body text of an HTML page.
pub fn html_to_text(html: &str) -> PageText {
    let capped = cap_nesting(html, MAX_NESTING);
    let html: &str = &capped;
    let doc = Html::parse_document(html);
    let meta = crate::page_meta(&doc);
    let title = meta.title.clone();
    if let Some(text) = readability_text(html) {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return PageText {
            title,
            meta,
            text: lines.join("\n"),
        };
    }
    baseline(&doc, title, meta)
}

/// The baseline extractor: block text of the main container.
fn baseline(doc: &Html, title: Option<String>, meta: crate::PageMeta) -> PageText {
    let root = ["article", "main", "body"].iter().find_map(|s| {
        doc.select(&sel(s))
            .max_by_key(|e| e.text().map(str::len).sum::<usize>())
    });
    let mut blocks = Vec::new();
    if let Some(root) = root {
        collect_blocks(root, &mut blocks);
        if blocks.is_empty() {
            // A page without block markup: its text, line by line.
            let mut s = String::new();
            collect_text(root, &mut s);
            blocks.extend(
                s.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            );
        }
    }
    PageText {
        title,
        meta,
        text: blocks.join("\n"),
    }
}

/// Walks the tree iteratively (deeply nested pages must not overflow the stack), emitting the
/// text of each outermost block element.
fn collect_blocks(root: ElementRef<'_>, out: &mut Vec<String>) {
    let mut stack = vec![root];
    while let Some(el) = stack.pop() {
        let name = el.value().name();
        if SKIP.contains(&name) {
            continue;
        }
        if BLOCKS.contains(&name) {
            let mut s = String::new();
            collect_text(el, &mut s);
            let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if !line.is_empty() {
                out.push(line);
            }
            continue;
        }
        let children: Vec<ElementRef<'_>> = el.children().filter_map(ElementRef::wrap).collect();
        stack.extend(children.into_iter().rev());
    }
}

/// Text under `el`, skipping scripts and styles, with `<br>` as a line break.
fn collect_text(el: ElementRef<'_>, out: &mut String) {
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => {
                let skipped = node
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| SKIP.contains(&a.value().name()));
                if !skipped {
                    out.push_str(t);
                }
            }
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_article_blocks_and_drops_chrome() {
        let para = |n: usize| {
            format!(
                "<p>Paragraph {n} of the report says that the harbour authority closed the port of Dunmore after the storm damaged two cranes, officials said on Tuesday.</p>"
            )
        };
        let page = format!(
            r#"<html><head><title>Site | Story</title><meta property="og:title" content="The Story"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>The Story</h1>{}{}<h2>Repairs</h2>{}<script>var x;</script><ul><li>Cranes: two</li><li>Berths: five</li></ul>{}</article>
<aside><p>Most read: something else entirely</p></aside><footer><p>(c) Site</p></footer></body></html>"#,
            para(1),
            para(2),
            para(3),
            para(4)
        );
        let got = html_to_text(&page);
        assert_eq!(got.title.as_deref(), Some("The Story"));
        let lines: Vec<&str> = got.text.lines().collect();
        assert!(
            lines[0].starts_with("Paragraph 1 of the report"),
            "{}",
            got.text
        );
        assert!(lines.contains(&"Repairs"), "headings kept: {}", got.text);
        assert!(
            lines.iter().any(|l| l.contains("Cranes: two")),
            "list items kept: {}",
            got.text
        );
        assert!(
            lines.last().unwrap().starts_with("Paragraph 4"),
            "{}",
            got.text
        );
        for chrome in ["Home", "Most read", "(c) Site", "var x"] {
            assert!(!got.text.contains(chrome), "{chrome} leaked: {}", got.text);
        }
    }

    #[test]
    fn metadata_in_the_body_is_found() {
        let page = r#"<html lang="fr"><head><title>T</title></head><body><article><p>Texte.</p>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Le titre","author":{"name":"Ana Lima"}}</script>
<time datetime="2024-03-01T08:00:00Z">1 mars</time></article></body></html>"#;
        let got = html_to_text(page);
        assert_eq!(got.meta.title.as_deref(), Some("Le titre"));
        assert_eq!(got.meta.byline.as_deref(), Some("Ana Lima"));
        assert_eq!(got.meta.published.as_deref(), Some("2024-03-01T08:00:00Z"));
        assert_eq!(got.meta.language.as_deref(), Some("fr"));
    }

    #[test]
    fn a_page_nested_100000_deep_is_read_not_stalled_on() {
        let depth = 100_000;
        let page = format!(
            "<html><body>{}<p>Deep text of the page.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let got = html_to_text(&page);
        assert!(
            got.text.contains("Deep text of the page."),
            "{:?}",
            &got.text[..got.text.len().min(200)]
        );
    }

    #[test]
    fn shallow_pages_are_not_rewritten() {
        let page = "<html><body><div><p>a</p></div><script>if (a < b) {}</script></body></html>";
        assert!(matches!(
            cap_nesting(page, MAX_NESTING),
            std::borrow::Cow::Borrowed(_)
        ));
        let capped = cap_nesting("<div><div><div><p>x</p></div></div></div>", 2);
        assert_eq!(capped, "<div><div>x</div></div>");
    }

    #[test]
    fn page_without_blocks_gives_its_text() {
        let got = html_to_text("<body>Just text<br>on two lines</body>");
        assert_eq!(got.text, "Just text\non two lines");
    }

    #[test]
    fn broken_html_does_not_panic() {
        let got = html_to_text("<html><body><p>Open <b>bold <i>italic</p><div><p>Next");
        assert!(got.text.contains("Open bold italic"));
    }
}
