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
    /// Page furniture removed from the parsed page before the article was looked for.
    pub dropped: Vec<storyline_model::DroppedText>,
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

/// The article text `dom_smoothie` finds in the parsed page, one block per line; `None` when it
/// finds none or fails (a panic in the crate is caught, never propagated).
fn readability_text(doc: dom_query::Document) -> Option<String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    // The document is moved in and dropped inside: nothing half-mutated is seen after a panic.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut r = dom_smoothie::Readability::with_document(doc, None, Some(cfg)).ok()?;
        r.parse().ok().map(|a| a.text_content.to_string())
    }));
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

/// Elements dropped whole before parsing: never article text (`dom_smoothie` removes scripts,
/// styles and comments itself after parsing, and the metadata reads none of them), but 60% of
/// the bytes of the AEB pages (scripts 29%, styles 26%, inline SVG 4%, comments 1.5%), which the
/// HTML tokenizer would otherwise walk character by character. JSON-LD scripts are kept: the
/// metadata reads them.
///
/// `<nav>` and `<footer>` are page chrome, not article: after the above they hold 21% and 7%
/// of the AEB pages' remaining bytes, and 1 and 13 of the gold bodies' 4-gram shingles (of all
/// 181 pages; `<header>`, `<aside>` and `<form>` hold gold text on 9, 6 and 3 pages and stay).
/// Dropping them before parsing: AEB F1 0.982 either way (body text changed on 4 pages, three
/// lose a leaked section label), L3S F1 0.947 and leak 1.5% unchanged, AEB 521–598 → 694–718
/// pages/s (three alternating runs, one thread). Their links are no longer listed among a
/// page's drops: like the rest of the page around the article, they are not the article's
/// boilerplate.
const DROPPED: &[&str] = &[
    "script", "style", "svg", "template", "noscript", "nav", "footer",
];

/// Elements whose content the HTML parser reads as text, not markup: copied whole, so a `<` in
/// them is not taken for a tag.
const RAW_TEXT: &[&str] = &["title", "textarea", "xmp", "iframe", "noembed", "noframes"];

/// The tag name starting at byte `at` (just after `<` or `</`): ASCII letters, digits and `-`.
fn tag_name(bytes: &[u8], at: usize) -> &[u8] {
    let len = bytes[at.min(bytes.len())..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    &bytes[at.min(bytes.len())..at.min(bytes.len()) + len]
}

/// An attribute of a tag as the HTML tokenizer lexes it: where its name starts and ends, and
/// where the attribute (name and value) ends.
struct TagAttribute {
    name: (usize, usize),
    end: usize,
}

/// Index just past the `>` ending the tag whose `<` is at `at` (a letter or `/` and a letter
/// follow it); `None` when the page ends first. Lexes the tag as the HTML tokenizer does: a `>`
/// inside a quoted value does not end it (`title="a > b"`), a quote opens a value only after an
/// attribute name and `=`. Pushes the tag's attributes onto `attributes` when given. Quoted
/// values are skipped with `memchr`: walking each byte of the tags was 4% of the cleaning
/// instructions on AEB (callgrind).
fn lex_tag(
    bytes: &[u8],
    at: usize,
    mut attributes: Option<&mut Vec<TagAttribute>>,
) -> Option<usize> {
    let n = bytes.len();
    let delimits = |b: u8| is_tag_space(b) || b == b'/' || b == b'>';
    // The tag name runs to a space, `/` or `>`.
    let mut i = at + 1 + usize::from(bytes.get(at + 1) == Some(&b'/'));
    while i < n && !delimits(bytes[i]) {
        i += 1;
    }
    loop {
        // Before an attribute name; a `/` not followed by `>` reads as a space.
        while i < n && (is_tag_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if *bytes.get(i)? == b'>' {
            return Some(i + 1);
        }
        // A name's first character is taken as it is (even `=`); the name then runs to a
        // space, `/`, `>` or `=`.
        let name_start = i;
        i += 1;
        while i < n && !delimits(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        let name_end = i;
        let mut j = i;
        while j < n && is_tag_space(bytes[j]) {
            j += 1;
        }
        let mut end = name_end;
        if j < n && bytes[j] == b'=' {
            j += 1;
            while j < n && is_tag_space(bytes[j]) {
                j += 1;
            }
            match *bytes.get(j)? {
                q @ (b'"' | b'\'') => j += 1 + memchr::memchr(q, &bytes[j + 1..])? + 1,
                // A missing value: the `>` ends the tag.
                b'>' => {}
                _ => {
                    while j < n && !is_tag_space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                }
            }
            end = j;
            i = j;
        }
        if let Some(list) = attributes.as_deref_mut() {
            list.push(TagAttribute {
                name: (name_start, name_end),
                end,
            });
        }
    }
}

/// Index just past the `>` ending the tag whose `<` is at `at` (see [`lex_tag`]).
fn tag_end(bytes: &[u8], at: usize) -> Option<usize> {
    lex_tag(bytes, at, None)
}

/// Index of the `<` of the first `</name` (followed by a character that ends a tag name) at or
/// after `from`.
fn find_close(html: &str, from: usize, name: &[u8]) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(r) = memchr::memmem::find(bytes.get(i..)?, b"</") {
        let at = i + r;
        let n = at + 2 + name.len();
        if bytes.len() >= n
            && bytes[at + 2..n].eq_ignore_ascii_case(name)
            && bytes
                .get(n)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// End (past its `>`) of the element `name` whose open tag ends at `from`, counting nested
/// elements of the same name; `None` when it is never closed (left to the parser, which may
/// end it elsewhere: a `<p>` ends an open `<svg>`).
fn element_end(html: &str, from: usize, name: &[u8], nests: bool) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut depth = 1usize;
    let mut i = from;
    loop {
        let close = find_close(html, i, name)?;
        if nests {
            // Opens of the same name before this close nest one level deeper each.
            let mut j = i;
            while let Some(r) = html[j..close].find('<') {
                let at = j + r;
                if tag_name(bytes, at + 1).eq_ignore_ascii_case(name) {
                    depth += 1;
                }
                j = at + 1;
            }
        }
        let end = tag_end(bytes, close)?;
        depth -= 1;
        if depth == 0 {
            return Some(end);
        }
        i = end;
    }
}

/// Elements whose every attribute may be read: images and media (`dom_smoothie` looks for
/// image addresses in any attribute of `img`, `picture`, `figure` and their sources, and for
/// video addresses in embeds), and the elements the metadata reads.
const ALL_ATTRIBUTES_READ: &[&str] = &[
    "img", "picture", "figure", "source", "video", "audio", "embed", "object", "iframe", "html",
    "meta", "link", "time", "script", "title",
];

/// An attribute nothing downstream reads on the elements outside [`ALL_ATTRIBUTES_READ`]:
/// `data-*` (but `dom_smoothie`'s own `data-readability-*`), `aria-*` (but `aria-hidden` and
/// `aria-modal`, which `dom_smoothie` reads for visibility and dialogs), `on*` event handlers,
/// and `title`, `target`, `tabindex`, `itemscope`, `itemtype`. `dom_smoothie` and the metadata
/// read `class`, `id`, `style`, `hidden`, `role`, `rel`, `itemprop`, `href`, `dir`, table
/// attributes and the `<meta>`/`<link>` ones, all kept. The parser pays per attribute (its name
/// read character by character and interned, the attribute copied into the tree): cutting these
/// took html5ever from 1,593M to 1,464M instructions over AEB (`data-*`, `aria-*`, `on*`), and
/// the five named ones 0.7% more of the cleaning (callgrind).
fn is_unread_attribute(name: &[u8]) -> bool {
    let starts = |p: &[u8]| name.len() >= p.len() && name[..p.len()].eq_ignore_ascii_case(p);
    (starts(b"data-") && !starts(b"data-readability"))
        || (starts(b"aria-")
            && !name.eq_ignore_ascii_case(b"aria-hidden")
            && !name.eq_ignore_ascii_case(b"aria-modal"))
        || starts(b"on")
        || [
            &b"title"[..],
            b"target",
            b"tabindex",
            b"itemscope",
            b"itemtype",
        ]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// Whitespace between attributes, as the HTML tokenizer reads it.
fn is_tag_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// Pushes onto `spans` the byte ranges (name and value) of the [`is_unread_attribute`]
/// attributes among `attributes` (those of one tag). Pushes nothing when an attribute name
/// starts with `=` (`<p a =b>`): once the attributes between are cut, it would become the value
/// of a valueless attribute before it. Keeps an attribute whose cut would join a `/` before it
/// and the `>` after it into `/>`, which closes a foreign element (`<mi/data-x>`).
fn unread_attributes(bytes: &[u8], attributes: &[TagAttribute], spans: &mut Vec<(usize, usize)>) {
    if attributes.iter().any(|a| bytes[a.name.0] == b'=') {
        return;
    }
    for a in attributes {
        let closes = bytes[a.name.0 - 1] == b'/' && bytes.get(a.end) == Some(&b'>');
        if !closes && is_unread_attribute(&bytes[a.name.0..a.name.1]) {
            spans.push((a.name.0, a.end));
        }
    }
}

/// The page made ready for parsing, in one linear pass: the [`DROPPED`] elements and comments
/// removed, element tags deeper than `max_depth` removed (their text kept), and the attributes
/// nothing reads ([`is_unread_attribute`]) removed. Borrowed when nothing changes.
fn prepare_markup(html: &str, max_depth: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    // Removes `html[from..to]` from the output.
    let mut cut = |out: &mut Option<String>, from: usize, to: usize| {
        let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
        buf.push_str(&html[copied..from]);
        copied = to;
    };
    let mut depth: usize = 0;
    // Once the rest of the page may be read as text (after `<plaintext>`, an unclosed script or
    // style, a CDATA section), no attribute is removed from what looks like a tag in it.
    let mut rest_is_text = false;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut attributes: Vec<TagAttribute> = Vec::new();
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        if bytes[at..].starts_with(b"<!--") {
            // A comment ends at the first `-->`; `<!-->` and `<!--->` are empty comments.
            let end = if bytes[at + 4..].starts_with(b">") {
                at + 5
            } else if bytes[at + 4..].starts_with(b"->") {
                at + 6
            } else {
                memchr::memmem::find(&bytes[at + 4..], b"-->")
                    .map_or(html.len(), |e| at + 4 + e + 3)
            };
            cut(&mut out, at, end);
            i = end;
            continue;
        }
        if bytes[at..].starts_with(b"<![CDATA[") {
            rest_is_text = true;
        }
        // As the HTML tokenizer reads a `<`: a tag when a letter follows (`/` and a letter for
        // an end tag); a doctype or bogus comment up to the first `>` after `<!`, `<?` or `</`
        // and another character; else plain text.
        match (bytes.get(at + 1), bytes.get(at + 2)) {
            (Some(c), _) | (Some(b'/'), Some(c)) if c.is_ascii_alphabetic() => {}
            (Some(b'!' | b'?' | b'/'), _) => {
                i = memchr::memchr(b'>', &bytes[at + 2..]).map_or(html.len(), |p| at + 2 + p + 1);
                continue;
            }
            _ => {
                i = at + 1;
                continue;
            }
        }
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name = tag_name(bytes, at + 1 + usize::from(closing));
        attributes.clear();
        let Some(end) = lex_tag(bytes, at, (!closing).then_some(&mut attributes)) else {
            break;
        };
        // The name lowercased once: every list below is lowercase and shorter than the buffer
        // (a longer name is in none of them). Comparing each list entry case-insensitively was
        // a tenth of this pass's instructions on AEB (callgrind: 21M of 212M).
        let mut buf = [0u8; 16];
        let lower: &[u8] = match buf.get_mut(..name.len()) {
            Some(b) => {
                b.copy_from_slice(name);
                b.make_ascii_lowercase();
                b
            }
            None => b"",
        };
        let is = |list: &[&str]| !lower.is_empty() && list.iter().any(|n| n.as_bytes() == lower);
        if !closing && is(DROPPED) {
            let open = &html[at..end];
            let self_closed = open.ends_with("/>") && name.eq_ignore_ascii_case(b"svg");
            let element_end = if self_closed {
                Some(end)
            } else {
                let nests = !(name.eq_ignore_ascii_case(b"script")
                    || name.eq_ignore_ascii_case(b"style")
                    || name.eq_ignore_ascii_case(b"noscript"));
                element_end(html, end, name, nests)
            };
            let Some(element_end) = element_end else {
                rest_is_text = true;
                i = end;
                continue;
            };
            let content = &html[end..element_end];
            let keep = name.eq_ignore_ascii_case(b"script")
                && (open.to_ascii_lowercase().contains("ld+json")
                    // `<!--` in a script changes where the parser ends it: left to the parser.
                    || content.contains("<!--"));
            if !keep {
                cut(&mut out, at, element_end);
            }
            i = element_end;
            continue;
        }
        if !closing && is(RAW_TEXT) {
            i = find_close(html, end, name)
                .and_then(|c| tag_end(bytes, c))
                .unwrap_or(html.len());
            continue;
        }
        let void = is(VOID_ELEMENTS) || html[at..end].ends_with("/>");
        if !name.is_empty() && !void {
            let drop = if closing {
                let d = depth > max_depth;
                depth = depth.saturating_sub(1);
                d
            } else {
                depth += 1;
                depth > max_depth
            };
            if drop {
                cut(&mut out, at, end);
                i = end;
                continue;
            }
        }
        if name.eq_ignore_ascii_case(b"plaintext") {
            rest_is_text = true;
        }
        let name_end = at + 1 + name.len();
        if !closing
            && !rest_is_text
            && name.first().is_some_and(u8::is_ascii_alphabetic)
            && bytes
                .get(name_end)
                .is_some_and(|&b| is_tag_space(b) || b == b'/')
            && !is(ALL_ATTRIBUTES_READ)
        {
            spans.clear();
            unread_attributes(bytes, &attributes, &mut spans);
            for &(from, to) in &spans {
                cut(&mut out, from, to);
            }
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
    let prepared = prepare_markup(html, MAX_NESTING);
    let html: &str = &prepared;
    // One parse serves the metadata and then `dom_smoothie`, which consumes it.
    let doc = dom_query::Document::from(html);
    let meta = crate::page_meta(&doc);
    let title = meta.title.clone();
    let dropped = crate::furniture_dom::remove_furniture(&doc);
    if let Some(text) = readability_text(doc) {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return PageText {
            title,
            meta,
            text: lines.join("\n"),
            dropped,
        };
    }
    // The baseline reads the page as it came: a page Readability finds nothing in is too
    // unusual for the furniture words to be trusted.
    baseline(&Html::parse_document(html), title, meta)
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
        dropped: Vec::new(),
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
    fn shallow_pages_without_scripts_are_not_rewritten() {
        let page = r#"<html><head><title>a <b> c</title></head><body><div class="x > y"><p>a</p></div><img src=x><br/></body></html>"#;
        assert!(matches!(
            prepare_markup(page, MAX_NESTING),
            std::borrow::Cow::Borrowed(_)
        ));
        let capped = prepare_markup("<div><div><div><p>x</p></div></div></div>", 2);
        assert_eq!(capped, "<div><div>x</div></div>");
    }

    #[test]
    fn scripts_styles_svg_and_comments_are_cut_before_parsing() {
        let page = concat!(
            "<html><head><style>p{}</style><script>if (a < b) {}</script>",
            r#"<script type="application/ld+json">{"headline":"H"}</script></head>"#,
            "<body><p>a<!-- c --></p><svg><svg><text>t</text></svg><g/></svg><SCRIPT SRC=x></SCRIPT>",
            "<script>document.write('<!--<script>x</script>-->')</script><p>b</p><!-- open"
        );
        assert_eq!(
            prepare_markup(page, MAX_NESTING),
            concat!(
                r#"<html><head><script type="application/ld+json">{"headline":"H"}</script></head>"#,
                "<body><p>a</p><script>document.write('<!--<script>x</script>-->')</script><p>b</p>"
            )
        );
        for broken in ["<script", "<!--", "<style>x</sty", "<a href='x>"] {
            assert_eq!(html_to_text(broken).text, "", "{broken}");
        }
        // An unclosed `<svg>` is left to the parser, which ends it at the `<p>`.
        assert_eq!(html_to_text("<svg><p>x").text, "x");
    }

    #[test]
    fn attributes_nothing_reads_are_cut_before_parsing() {
        let page = concat!(
            r#"<div class="a" data-id='7' onclick="go()" aria-label="x > y" aria-hidden="true">"#,
            r#"<p DATA-X=1 id=b data-readability-score="2">t</p><img data-src="a.jpg" src="">"#,
            "<span data-a=\"q\"title=z>1 <3 data-x=1></span>",
            "<a href=x data-y=1>u</a><b data-z=a>b>c</b></div>",
        );
        assert_eq!(
            prepare_markup(page, MAX_NESTING),
            concat!(
                r#"<div class="a"    aria-hidden="true">"#,
                r#"<p  id=b data-readability-score="2">t</p><img data-src="a.jpg" src="">"#,
                "<span >1 <3 data-x=1></span>",
                "<a href=x >u</a><b >b>c</b></div>",
            )
        );
        // After `<plaintext>` (or an unclosed script) the rest is text, left as it is.
        let text = "<plaintext><p data-x=1>";
        assert_eq!(prepare_markup(text, MAX_NESTING), text);
        // Tags the tokenizer reads otherwise than they look are left whole: a `<` that opens
        // no tag, a quote inside a tag name, a name starting with `=`, a cut that would make
        // `/>`.
        for page in [
            "<<title>=<a/data-x=>",
            "<a=\">=\"<title>=<a/data-x=>",
            "<p a data-x=\"1\" =b>",
            "<math><mi/data-x></mi></math>",
        ] {
            assert_eq!(prepare_markup(page, MAX_NESTING), page);
        }
    }

    /// The tree parsed from the page, with the unread attributes removed from the tree.
    fn parsed_then_cut(page: &str) -> String {
        let doc = dom_query::Document::from(page);
        for node in doc.root().descendants() {
            let Some(name) = node.node_name() else {
                continue;
            };
            if ALL_ATTRIBUTES_READ.contains(&name.as_ref()) {
                continue;
            }
            for attr in node.attrs() {
                if is_unread_attribute(attr.name.local.as_bytes()) {
                    node.remove_attr(&attr.name.local);
                }
            }
        }
        doc.html().to_string()
    }

    proptest::proptest! {
        /// Cutting attributes in the markup changes nothing but unread attributes (it may
        /// leave some in a tag it does not lex with confidence): the tree, less its unread
        /// attributes, is the same with and without the cut, on tag soup with tricky attribute
        /// syntax (quotes, `>`, `<`, `=`, `/`, character references, case, missing values).
        #[test]
        fn cutting_attributes_before_parsing_changes_nothing_else(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "<(div|p|span|a|img|td|table|b|math|mi|title|textarea|pre|3|/div|/p|/a|/span|/mi)",
                    "[ \t\n/]{0,2}(class|data-x|DATA-Y|onclick|aria-label|aria-hidden|title|href|id|target|=x)",
                    "[ ]?=[ ]?(\"[^\"]{0,8}\"|'[^']{0,8}'|[a-z>/\"'&;<]{0,6})",
                    ">",
                    "/>",
                    "[a-zé &<>\"'=]{0,8}",
                ],
                0..40,
            )
        ) {
            let page = parts.concat();
            let cut = prepare_markup(&page, MAX_NESTING);
            proptest::prop_assert_eq!(parsed_then_cut(&cut), parsed_then_cut(&page), "{}", page);
        }
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
