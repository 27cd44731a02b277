//! HTML → body text, the baseline: text of block elements (paragraphs, headings, list items,
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

/// Extracts the title and block text of an HTML page.
pub fn html_to_text(html: &str) -> PageText {
    let doc = Html::parse_document(html);
    let meta = crate::page_meta(&doc);
    let title = meta.title.clone();
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
        let page = r#"<html><head><title>Site | Story</title><meta property="og:title" content="The Story"></head>
<body><nav><p>Home</p></nav><article><h1>The Story</h1><p>First   paragraph.</p><script>var x;</script>
<ul><li>A point</li></ul><aside><p>Most read</p></aside></article><footer><p>(c) Site</p></footer></body></html>"#;
        let got = html_to_text(page);
        assert_eq!(got.title.as_deref(), Some("The Story"));
        assert_eq!(got.text, "The Story\nFirst paragraph.\nA point");
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
