//! HTML → body text. The article container is found by `dom_smoothie` (a port of Mozilla's
//! Readability; chosen over `trafilatura` 0.6 and `rs-trafilatura` 0.2 on our own harness:
//! equal AEB F1 within noise, best L3S F1 and least related/comment leak, 4–5× faster; see
//! ARCHITECTURE.md), first on the page with the elements its first pass would remove cut before
//! parsing, then, when that pass finds too little, on the whole page ([`html_to_text`]). When it
//! finds nothing, the baseline below is used: text of block elements (paragraphs, headings, list items,
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
fn readability_text(
    doc: dom_query::Document,
    policy: Option<dom_smoothie::ParsePolicy>,
) -> Option<String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    // The document is moved in and dropped inside: nothing half-mutated is seen after a panic.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut r = dom_smoothie::Readability::with_document(doc, None, Some(cfg)).ok()?;
        match policy {
            Some(p) => r.parse_with_policy(p),
            None => r.parse(),
        }
        .ok()
        .map(|a| a.text_content.to_string())
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
            while let Some(r) = memchr::memchr(b'<', &bytes[j..close]) {
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

/// Class and id words that mark an element as an "unlikely candidate", which Readability's first
/// pass removes before scoring unless a [`MAYBE_WORDS`] word is there too; and the roles it
/// removes the same way. `dom_smoothie`'s lists (from Readability.js), matched the same way:
/// substrings of the lowercased class and id values.
#[rustfmt::skip]
const UNLIKELY_WORDS: &[&str] = &[
    "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap",
    "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark",
    "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental",
    "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote",
];
#[rustfmt::skip]
const MAYBE_WORDS: &[&str] = &[
    "and", "article", "body", "column", "content", "layout", "main", "mathjax", "shadow",
];
#[rustfmt::skip]
const UNLIKELY_ROLES: &[&str] = &[
    "menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog",
];

/// The value of an attribute as lexed by [`lex_tag`], quotes removed; `None` without a value.
fn attribute_value<'a>(bytes: &'a [u8], a: &TagAttribute) -> Option<&'a [u8]> {
    let mut j = a.name.1;
    while j < a.end && is_tag_space(bytes[j]) {
        j += 1;
    }
    if bytes.get(j) != Some(&b'=') || j >= a.end {
        return None;
    }
    let v = bytes[j + 1..a.end].trim_ascii_start();
    Some(match v.first() {
        Some(&q @ (b'"' | b'\'')) if v.len() >= 2 && v[v.len() - 1] == q => &v[1..v.len() - 1],
        _ => v,
    })
}

/// Whether a tag's class, id and role mark its element as one Readability's first pass removes
/// (see [`UNLIKELY_WORDS`]).
fn is_unlikely(bytes: &[u8], attributes: &[TagAttribute]) -> bool {
    let first = |name: &[u8]| {
        attributes
            .iter()
            .find(|a| bytes[a.name.0..a.name.1].eq_ignore_ascii_case(name))
            .and_then(|a| attribute_value(bytes, a))
    };
    if first(b"role").is_some_and(|r| UNLIKELY_ROLES.iter().any(|u| u.as_bytes() == r)) {
        return true;
    }
    class_or_id_has(bytes, attributes, &UNLIKELY_MATCHER)
        && !class_or_id_has(bytes, attributes, &MAYBE_MATCHER)
}

static UNLIKELY_MATCHER: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| words_matcher(UNLIKELY_WORDS));
static MAYBE_MATCHER: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| words_matcher(MAYBE_WORDS));

fn words_matcher(words: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("static word list")
}

/// Whether the class or id value of a tag holds one of the words `matcher` finds (ASCII case
/// ignored, as the lowercased values Readability reads).
fn class_or_id_has(
    bytes: &[u8],
    attributes: &[TagAttribute],
    matcher: &aho_corasick::AhoCorasick,
) -> bool {
    let mut seen = [false; 2];
    attributes.iter().any(|a| {
        let name = &bytes[a.name.0..a.name.1];
        let k = if name.eq_ignore_ascii_case(b"class") {
            0
        } else if name.eq_ignore_ascii_case(b"id") {
            1
        } else {
            return false;
        };
        // The first of two attributes of one name is the one the parser keeps.
        if std::mem::replace(&mut seen[k], true) {
            return false;
        }
        attribute_value(bytes, a).is_some_and(|v| matcher.is_match(v))
    })
}

/// Elements cut as unlikely: those the parser always creates where their tags say, whatever
/// they hold or sit in (a `<p>` is closed by the first block inside it, an `<li>` by the next
/// item, a stray `<td>` is ignored, a nested `<form>` or `<button>` is not nested).
#[rustfmt::skip]
const CUTTABLE: &[&str] = &[
    "div", "section", "aside", "header", "ul", "ol", "span", "figure",
];

/// The HTML parser's formatting elements (HTML Standard, "the list of active formatting
/// elements"); also what `blocks::is_adopted` looks for.
#[rustfmt::skip]
pub(crate) const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u",
];

/// Start tags that close an open `<p>` (the HTML parser's list, as far as page markup uses it).
#[rustfmt::skip]
const CLOSES_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
];

/// End tags that end the open elements with implied ends above their element (the HTML
/// parser's "generate implied end tags" before them); any other end tag must close the
/// current element or is ignored.
#[rustfmt::skip]
const ENDS_IMPLIED: &[&str] = &[
    "address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir",
    "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "listing",
    "main", "menu", "nav", "ol", "pre", "section", "summary", "ul", "p", "li", "dd", "dt",
];

/// The HTML parser's "special" elements (those a list item's search for an open item stops at,
/// but `<address>`, `<div>` and `<p>`), as far as they can be open in page markup.
#[rustfmt::skip]
const SPECIAL: &[&str] = &[
    "address", "applet", "article", "aside", "blockquote", "body", "button", "caption", "center",
    "colgroup", "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "html", "iframe", "li", "listing", "main", "marquee", "menu", "nav", "noembed", "noframes",
    "noscript", "object", "ol", "p", "plaintext", "pre", "script", "search", "section", "select",
    "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead",
    "title", "tr", "ul", "xmp",
];

/// Start tags an element cut as unlikely may not hold: the parser may close elements open
/// outside it for them, or read what follows them its own way.
#[rustfmt::skip]
const OUT_OF_LINE: &[&str] = &[
    "select", "option", "optgroup", "textarea", "math", "svg", "frameset", "frame", "body", "html",
    "head", "caption", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th",
];

/// Elements whose end tag may be left out: a close tag further up ends them too.
#[rustfmt::skip]
const IMPLIED_END: &[&str] = &[
    "p", "li", "dd", "dt", "option", "optgroup", "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot",
    "th", "thead", "tr",
];

/// An unlikely element being read through by [`prepare_markup`], cut from the output when its
/// close tag comes with its markup well formed: every close tag inside it closing the element
/// its open tag started (elements with implied ends, such as `<p>` and `<li>`, may be left
/// open), no close tag of an element opened outside it, no self-closed non-void tag. The open
/// elements are tracked as the parser would for such markup; anything else is left to the
/// parser. Readability's fallback passes keep unlikely elements, which is why a page whose
/// first pass finds too little is read again whole ([`html_to_text`]).
struct UnlikelyElement {
    /// Lowercased names of the elements open inside it, itself first.
    open: Vec<Vec<u8>>,
    /// Output length and nesting depth where it starts.
    out_len: usize,
    depth: usize,
    /// Whether it opened inside a paragraph: a block opened in it would close that paragraph
    /// and every element open inside it, itself too.
    in_paragraph: bool,
    /// What the metadata reads inside it, kept when it is cut: `<meta>` and `<link>` tags,
    /// JSON-LD scripts and `<time>` open tags (closed when kept, their text is not read).
    kept: Vec<(usize, usize)>,
}

/// What reading one more tag inside an [`UnlikelyElement`] gives.
enum UnlikelyStep {
    /// Still inside it.
    Inside,
    /// Its close tag: cut it.
    Closed,
    /// Markup the parser may read otherwise: leave it to the parser.
    Abandon,
}

impl UnlikelyElement {
    fn step(&mut self, name: &[u8], closing: bool, void: bool, self_closed: bool) -> UnlikelyStep {
        let in_list = |list: &[&str], n: &[u8]| list.iter().any(|l| l.as_bytes() == n);
        if name.is_empty() {
            return UnlikelyStep::Abandon;
        }
        if !closing {
            if void {
                return UnlikelyStep::Inside;
            }
            // Start tags that can close elements open outside it: a block (a paragraph open
            // outside), a list item outside a list opened inside it (an item open outside), a
            // button, a form, and the elements the parser handles out of line.
            let list_open = self
                .open
                .iter()
                .any(|e| in_list(&["ul", "ol", "dl", "menu"], e));
            // A button or form opened in another is not nested: the first button closes, the
            // second form is ignored.
            let nested = in_list(&["button", "form"], name) && self.open.iter().any(|e| e == name);
            if self_closed
                || nested
                || (self.in_paragraph && in_list(CLOSES_P, name))
                || (!list_open && in_list(&["li", "dd", "dt"], name))
                || in_list(OUT_OF_LINE, name)
            {
                return UnlikelyStep::Abandon;
            }
            // A list item closes the open item of its kind below it, up to the nearest
            // container other than a `<div>` or `<p>` (the parser's rule for `<li>`, `<dd>`,
            // `<dt>`).
            let items: &[&str] = match name {
                b"li" => &["li"],
                b"dd" | b"dt" => &["dd", "dt"],
                _ => &[],
            };
            if !items.is_empty() {
                for k in (1..self.open.len()).rev() {
                    let e = self.open[k].as_slice();
                    if in_list(items, e) {
                        // A formatting element closed this way stays active: the parser
                        // reopens it further on.
                        if self.open[k..].iter().any(|o| in_list(FORMATTING, o)) {
                            return UnlikelyStep::Abandon;
                        }
                        self.open.truncate(k);
                        break;
                    }
                    if in_list(SPECIAL, e) && !in_list(&["address", "div", "p"], e) {
                        break;
                    }
                }
            }
            // An open `<p>` is closed by a block (or item).
            if self.open.len() > 1
                && self.open.last().is_some_and(|top| top == b"p")
                && (in_list(CLOSES_P, name) || !items.is_empty())
                && name != b"table"
            {
                self.open.pop();
            }
            // The checks above walk the open elements: a hostile page nesting thousands deep
            // inside one is left to the parser rather than read in quadratic time.
            if self.open.len() >= MAX_NESTING {
                return UnlikelyStep::Abandon;
            }
            self.open.push(name.to_vec());
            return UnlikelyStep::Inside;
        }
        // A close tag: of a block, it closes the elements with implied ends above its
        // element with it; any other must close the current element.
        let ends_implied = in_list(ENDS_IMPLIED, name);
        while let Some(top) = self.open.last() {
            if top.as_slice() == name {
                self.open.pop();
                return if self.open.is_empty() {
                    UnlikelyStep::Closed
                } else {
                    UnlikelyStep::Inside
                };
            }
            if !ends_implied || self.open.len() == 1 || !in_list(IMPLIED_END, top) {
                break;
            }
            self.open.pop();
        }
        UnlikelyStep::Abandon
    }
}

/// Words of a `<meta>` name, property, itemprop or http-equiv that the metadata
/// ([`crate::page_meta`]) or `dom_smoothie`'s metadata (its title decides which heading it
/// drops as the title's double) reads: `title`, `author`/`creator`/`byl`, dates and times
/// (`pubdate`, `published_time`, `dc.date.issued`, `dateModified`…), `site_name`,
/// `application-name`, language and locale, `url`, and the excerpt and image keys.
const META_WORDS: &[&str] = &[
    "title",
    "headline",
    "author",
    "creator",
    "byl",
    "date",
    "time",
    "site_name",
    "application-name",
    "language",
    "locale",
    "url",
    "description",
    "image",
    "available",
    "created",
    "issued",
    "create_at",
    "modified",
];

/// Whether a `<meta>` tag is read downstream (see [`META_WORDS`]).
fn meta_is_read(bytes: &[u8], attributes: &[TagAttribute]) -> bool {
    let mut named = false;
    for a in attributes {
        let name = &bytes[a.name.0..a.name.1];
        if ["name", "property", "itemprop", "http-equiv"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
        {
            named = true;
            let value = attribute_value(bytes, a).unwrap_or_default();
            if META_WORDS.iter().any(|w| {
                value
                    .windows(w.len())
                    .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
            }) {
                return true;
            }
        }
    }
    !named
}

/// Byte spans of the tags the metadata reads; a `<time>` tag is closed after it.
fn push_kept(buf: &mut String, html: &str, kept: &[(usize, usize)]) {
    for &(from, to) in kept {
        let tag = &html[from..to];
        buf.push_str(tag);
        if tag_name(tag.as_bytes(), 1).eq_ignore_ascii_case(b"time") {
            buf.push_str("</time>");
        }
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
/// nothing reads ([`is_unread_attribute`]) removed. With `cut_unlikely`, the elements
/// Readability's first pass would remove as unlikely ([`is_unlikely`]) are removed too when
/// their markup is well formed ([`UnlikelyElement`]), but for the tags the metadata reads in
/// them. Borrowed when nothing changes.
fn prepare_markup(html: &str, max_depth: usize, cut_unlikely: bool) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    // Removes `html[from..to]` from the output.
    let cut = |out: &mut Option<String>, copied: &mut usize, from: usize, to: usize| {
        let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
        buf.push_str(&html[*copied..from]);
        *copied = to;
    };
    let mut unlikely: Option<UnlikelyElement> = None;
    let mut depth: usize = 0;
    // Once the rest of the page may be read as text (after `<plaintext>`, an unclosed script or
    // style, a CDATA section), no attribute is removed from what looks like a tag in it.
    let mut rest_is_text = false;
    let mut in_table_or_code = 0usize;
    // Whether a `<p>` is open (as far as its tags and the blocks that close it tell), and how
    // many formatting elements.
    let mut in_paragraph = false;
    let mut formatting_open = [0usize; FORMATTING.len()];
    let mut formatting_unsure = false;
    // The formatting elements open on entering each table or button now open.
    let mut scopes: Vec<[usize; FORMATTING.len()]> = Vec::new();
    // Whether a `<form>` is open: a form opened in it is ignored by the parser.
    let mut form_open = false;
    let mut in_table = 0usize;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut attributes: Vec<TagAttribute> = Vec::new();
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'<', &bytes[i..]) {
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
            cut(&mut out, &mut copied, at, end);
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
                cut(&mut out, &mut copied, at, element_end);
            } else if let Some(u) = unlikely.as_mut() {
                u.kept.push((at, element_end));
            }
            i = element_end;
            continue;
        }
        // `<link>` tags: only the canonical address is read (the metadata); `dom_smoothie`
        // reads icons, for a favicon nobody uses. The rest, style sheets, preloads, alternates,
        // were 4,369 of the AEB pages' tags and 6% of the bytes left to parse.
        if !closing
            && is(&["link"])
            && !attributes.iter().any(|a| {
                bytes[a.name.0..a.name.1].eq_ignore_ascii_case(b"rel")
                    && attribute_value(bytes, a)
                        .is_some_and(|v| v.windows(9).any(|w| w.eq_ignore_ascii_case(b"canonical")))
            })
        {
            cut(&mut out, &mut copied, at, end);
            i = end;
            continue;
        }
        // `<meta>` tags nothing reads (viewport, robots, app ids, image sizes…): 627 KB of
        // the AEB pages' markup left to parse, 6,092 tags. Kept: those without a name (a
        // charset) and those whose name, property, itemprop or http-equiv holds a word the
        // metadata or `dom_smoothie`'s metadata reads.
        if !closing && is(&["meta"]) && !meta_is_read(bytes, &attributes) {
            cut(&mut out, &mut copied, at, end);
            i = end;
            continue;
        }
        if !closing && is(RAW_TEXT) {
            i = find_close(html, end, name)
                .and_then(|c| tag_end(bytes, c))
                .unwrap_or(html.len());
            continue;
        }
        let void = is(VOID_ELEMENTS) || html[at..end].ends_with("/>");
        // Inside these the parser reads tags its own way (tables move stray content out,
        // selects ignore most tags, MathML is foreign content) or Readability keeps unlikely
        // elements (tables, code).
        if is(&["table", "code", "select", "math"]) {
            if closing {
                in_table_or_code = in_table_or_code.saturating_sub(1);
            } else if !void {
                in_table_or_code += 1;
            }
        }
        // While a formatting element is open, the parser copies it into each element it
        // inserts (and misnested ones move): an element cut there would change the tree.
        if !void && let Some(k) = FORMATTING.iter().position(|f| f.as_bytes() == lower) {
            // A formatting element closed inside a table or button it was not opened in is
            // not closed there by the parser.
            if closing
                && scopes
                    .last()
                    .is_some_and(|at_entry| formatting_open[k] <= at_entry[k])
            {
                formatting_unsure = true;
            }
            formatting_open[k] = if closing {
                formatting_open[k].saturating_sub(1)
            } else {
                formatting_open[k] + 1
            };
        }
        let paragraph_before = in_paragraph;
        let form_before = form_open;
        if is(&["form"]) && in_table == 0 {
            form_open = !closing;
        }
        // Elements that bound the scope in which a block closes a paragraph.
        if is(&[
            "table", "select", "math", "button", "object", "marquee", "applet",
        ]) {
            let was = in_table;
            in_table = if closing {
                in_table.saturating_sub(1)
            } else {
                in_table + usize::from(!void)
            };
            // Inside a table or a button the parser keeps, drops or reopens formatting
            // elements by rules these counts do not follow: when the formatting elements open
            // on leaving it are not those open on entering it, or one opened outside is closed
            // in it, no more cuts on this page.
            if in_table > was {
                scopes.push(formatting_open);
            } else if in_table < was
                && let Some(at_entry) = scopes.pop()
            {
                formatting_unsure |= at_entry != formatting_open;
            }
        }
        // Inside a table or a button the parser's scopes differ: a block there need not close
        // a paragraph open around it, and a table's own tags are not always where it ends. A
        // `<p>` anywhere counts as open until a close tag or a block outside them ends it.
        if is(&["p"]) && !closing {
            in_paragraph = true;
        } else if in_table == 0
            && ((closing && is(&["p"])) || (!closing && is(CLOSES_P) && !is(&["table"])))
        {
            // (A table closes a paragraph only in pages with a doctype.)
            in_paragraph = false;
        }
        if let Some(u) = unlikely.as_mut() {
            let self_closed = html[at..end].ends_with("/>");
            if rest_is_text {
                unlikely = None;
            } else {
                if !closing && is(&["meta", "link", "time"]) {
                    u.kept.push((at, end));
                }
                let long_name;
                let lower = if lower.is_empty() {
                    long_name = name.to_ascii_lowercase();
                    long_name.as_slice()
                } else {
                    lower
                };
                match u.step(lower, closing, is(VOID_ELEMENTS), self_closed) {
                    UnlikelyStep::Inside => {}
                    UnlikelyStep::Abandon => unlikely = None,
                    UnlikelyStep::Closed => {
                        let (out_len, at_depth) = (u.out_len, u.depth);
                        let kept = std::mem::take(&mut u.kept);
                        unlikely = None;
                        if let Some(buf) = out.as_mut() {
                            buf.truncate(out_len);
                            push_kept(buf, html, &kept);
                        }
                        copied = end;
                        depth = at_depth;
                        i = end;
                        continue;
                    }
                }
            }
        } else if cut_unlikely
            && !closing
            && !void
            && !rest_is_text
            && in_table_or_code == 0
            && in_table == 0
            && !formatting_unsure
            && !form_before
            && formatting_open.iter().all(|&n| n == 0)
            && is(CUTTABLE)
            // A block opened in a paragraph closes it: the parser's tree differs from the tags.
            && !(paragraph_before && is(CLOSES_P))
            && is_unlikely(bytes, &attributes)
        {
            // Everything before it goes to the output now, so that cutting it is truncating
            // the output back to here.
            cut(&mut out, &mut copied, at, at);
            unlikely = Some(UnlikelyElement {
                open: vec![lower.to_vec()],
                out_len: out.as_ref().map_or(0, String::len),
                depth,
                in_paragraph: paragraph_before,
                kept: Vec::new(),
            });
        }
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
                cut(&mut out, &mut copied, at, end);
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
                cut(&mut out, &mut copied, from, to);
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

/// Least text (characters, whitespace runs counted once) Readability's first pass must find
/// for its result to stand: `dom_smoothie`'s `char_threshold` default, below which it runs
/// its fallback passes.
const MIN_FIRST_PASS_CHARS: usize = 500;

/// Longest title kept when a `<title>` has no end tag: the longest `<title>` among the 802
/// AEB and L3S pages is under 300 characters.
const MAX_UNCLOSED_TITLE_CHARS: usize = 300;

/// A page whose `<title>` never ends (a crawl that lost bytes: `<title>Israel closes vital
/// Gaza crossings - Ne(OAS_version >= 11)…`) makes the whole rest of the page title text in
/// an HTML parser: the article is gone and the title is 30 KB of markup (8 of the 621 L3S
/// pages). Such a title ends at its first line break or `<`, whichever comes first, and at
/// most [`MAX_UNCLOSED_TITLE_CHARS`] characters; the rest of the page is read as markup.
fn close_unclosed_title(html: &str) -> std::borrow::Cow<'_, str> {
    let names_title = |at: usize| {
        html.get(at..at + 5)
            .is_some_and(|t| t.eq_ignore_ascii_case("title"))
    };
    let Some(open) = memchr::memchr_iter(b'<', html.as_bytes()).find(|&i| {
        names_title(i + 1)
            && matches!(
                html.as_bytes().get(i + 6),
                Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')
            )
    }) else {
        return html.into();
    };
    let Some(content) = html[open..].find('>').map(|i| open + i + 1) else {
        return html.into();
    };
    // `</titlevalue="true" -->` is an end tag of another name: the title stays open.
    let closed = memchr::memmem::find_iter(&html.as_bytes()[content..], b"</").any(|i| {
        let at = content + i + 2;
        names_title(at)
            && matches!(
                html.as_bytes().get(at + 5),
                None | Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
            )
    });
    if closed {
        return html.into();
    }
    let mut end = html[content..]
        .find(['<', '\n', '\r'])
        .map_or(html.len(), |i| content + i);
    if let Some((i, _)) = html[content..end]
        .char_indices()
        .nth(MAX_UNCLOSED_TITLE_CHARS)
    {
        end = content + i;
    }
    let mut fixed = String::with_capacity(html.len() + 8);
    fixed.push_str(&html[..end]);
    fixed.push_str("</title>");
    fixed.push_str(&html[end..]);
    fixed.into()
}

/// Extracts the title and body text of an HTML page.
///
/// Readability's first pass removes "unlikely" elements (class or id words such as `sidebar`,
/// `comment`, `menu`) before scoring; they are 36% of the AEB pages' elements once scripts and
/// styles are gone. Parsing them only for the first pass to throw them away was most of what
/// this stage spent, so the page is first read with them cut before parsing
/// ([`prepare_markup`]) and given to the first pass alone. When that finds too little text,
/// Readability's fallback passes need the unlikely elements back: the page is read again as
/// it came and given to all passes (`dom_smoothie`'s `parse`).
pub fn html_to_text(html: &str) -> PageText {
    let html = &*close_unclosed_title(html);
    let first = read_page(html, true, Some(dom_smoothie::ParsePolicy::Strict));
    let mut page = match first {
        Some(page) if normalized_chars(&page.0.text) >= MIN_FIRST_PASS_CHARS => {
            with_second_opinion(page)
        }
        _ => read_page(html, false, None)
            .map(with_second_opinion)
            .unwrap_or_else(|| {
                // The baseline reads the page as it came: a page Readability finds nothing in is
                // too unusual for the furniture words to be trusted.
                let prepared = prepare_markup(html, MAX_NESTING, false);
                let doc = dom_query::Document::from(&*prepared);
                let meta = crate::page_meta(&doc);
                let title = meta.title.clone();
                baseline(&Html::parse_document(&prepared), title, meta)
            }),
    };
    if page.meta.published.is_none() {
        page.meta.shown_date = crate::dates::date_in_markup(html);
    }
    if page
        .meta
        .title
        .as_deref()
        .is_none_or(crate::headline::is_label_title)
    {
        // A page with no title, or only labels for one ("Africa - Reuters.com"): its headline
        // may sit in a heading of an element the cut before parsing took out with the
        // furniture (`<div class="storyheader"><h2>`, "header" being one of Readability's
        // unlikely words). Such pages are few (on L3S, 9 of 621 have no title): the raw
        // markup's headings are read for them only.
        for h in raw_headings(html) {
            if !page.meta.headings.contains(&h) {
                page.meta.headings.push(h);
            }
        }
    }
    if page
        .meta
        .title
        .as_deref()
        .is_some_and(|t| t.split_whitespace().count() <= crate::headline::HOLDER_MAX_WORDS)
    {
        page.meta.copyright_names = crate::site::copyright_names(html);
    }
    if page.meta.site.is_none()
        && page.meta.canonical_url.is_none()
        && page.meta.title_domain.is_none()
    {
        page.meta.link_domain = crate::site::link_domain(html);
    }
    if let Some(credit) = crate::credit::credit_in_markup(html) {
        page.dropped.push(storyline_model::DroppedText {
            rule: "agency_credit".into(),
            text: credit,
        });
    }
    page
}

/// Most headings read from a page's raw markup ([`raw_headings`]).
const MAX_RAW_HEADINGS: usize = 12;

/// The texts of the first `h1` and `h2` elements of a page's markup as it came, in document
/// order, whitespace collapsed.
fn raw_headings(html: &str) -> Vec<String> {
    static HEADING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?is)<h[12]\b[^>]*>(.{0,1000}?)</h[12]\s*>").expect("static pattern")
    });
    HEADING
        .captures_iter(html)
        .filter_map(|c| {
            let inner = c.get(1)?.as_str();
            let text: String = Html::parse_fragment(inner).root_element().text().collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!text.is_empty()).then_some(text)
        })
        .take(MAX_RAW_HEADINGS)
        .collect()
}

/// Characters of a text with each run of whitespace counted as one.
fn normalized_chars(text: &str) -> usize {
    let mut n = 0;
    let mut in_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            n += usize::from(!in_space);
            in_space = true;
        } else {
            n += 1;
            in_space = false;
        }
    }
    n
}

/// The page read by Readability with `policy` (all passes when `None`), its unlikely elements
/// cut before parsing when `cut_unlikely`, and the blocks of the page Readability was given;
/// `None` when Readability finds nothing.
fn read_page(
    html: &str,
    cut_unlikely: bool,
    policy: Option<dom_smoothie::ParsePolicy>,
) -> Option<(PageText, Vec<crate::blocks::Block>)> {
    let prepared = prepare_markup(html, MAX_NESTING, cut_unlikely);
    // One parse serves the metadata and then `dom_smoothie`, which consumes it.
    let doc = dom_query::Document::from(&*prepared);
    let meta = crate::page_meta(&doc);
    let title = meta.title.clone();
    let dropped = crate::furniture_dom::remove_furniture(&doc);
    let blocks = crate::blocks::page_blocks(&doc);
    let text = readability_text(doc, policy)?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Some((
        PageText {
            title,
            meta,
            text: lines.join("\n"),
            dropped,
        },
        blocks,
    ))
}

/// The page's text with the second opinion's additions ([`crate::blocks::second_opinion`]).
fn with_second_opinion((mut page, mut blocks): (PageText, Vec<crate::blocks::Block>)) -> PageText {
    // The language the page states, else the one its text is in (which a page that does not
    // say gets as its own).
    let language = match page.meta.language.as_deref() {
        Some(tag) => crate::blocks::stated_language(tag),
        None => {
            let detected = crate::blocks::text_language(&page.text);
            page.meta.language = detected.map(str::to_string);
            detected
        }
    };
    if let Some(text) = crate::blocks::second_opinion(&page.text, &mut blocks, language) {
        page.text = text;
    }
    page
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
    #[test]
    fn an_untitled_page_reads_its_headings_as_they_came() {
        let story = "<p>REGINA - Kent Austin resigned as head coach of the Roughriders on Tuesday to return to his alma mater, the university said in a statement.</p>".repeat(6);
        let page = format!(
            r#"<html><body><div class="storyheader"><h2>Austin leaves Roughriders for alma mater</h2></div><div class="story">{story}</div></body></html>"#
        );
        let text = html_to_text(&page);
        assert!(text.meta.title.is_none());
        assert!(
            text.meta
                .headings
                .contains(&"Austin leaves Roughriders for alma mater".to_string()),
            "{:?}",
            text.meta.headings
        );
    }

    use super::*;

    #[test]
    fn a_title_without_its_end_tag_does_not_swallow_the_page() {
        let body = "<p>Israel closed the vital Gaza crossings on Thursday after rockets were fired, officials said, and aid lorries were turned back at the border for a second day.</p>".repeat(6);
        let page = format!(
            "<html><head><title>Israel closes vital Gaza crossings - Ne(OAS_version >= 11)\n<script>var x;</script></head><body><article>{body}</article></body></html>"
        );
        let text = html_to_text(&page);
        // The title ends at its line; the crawl's debris after the dash is cut as a label.
        assert_eq!(
            text.meta.title.as_deref(),
            Some("Israel closes vital Gaza crossings")
        );
        assert!(
            text.text.contains("aid lorries were turned back"),
            "{}",
            text.text
        );
        let page = format!(
            "<title id=\"TitleID\">Bush to Saudis - CBN News</titlevalue=\"true\" -->\n</head><body><article>{body}</article></body>"
        );
        assert_eq!(
            html_to_text(&page).meta.title.as_deref(),
            Some("Bush to Saudis")
        );
        // A closed title is left alone.
        assert!(matches!(
            close_unclosed_title("<title>A <b> title</title>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

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
    fn unlikely_elements_are_cut_before_parsing_but_not_what_the_metadata_reads() {
        let page = r#"<body><div class="sidebar-widgets"><p>Most read today</p><div><ul><li>One</li></ul></div>
<time datetime="2024-03-01">1 March</time><meta itemprop="datePublished" content="2024-03-01"></div>
<a class="menu-link" href="/">Home</a><p class="comment-body">A reader wrote.</p><p>The story.</p></body>"#;
        let got = prepare_markup(page, MAX_NESTING, true);
        assert!(!got.contains("Most read"), "{got}");
        assert!(
            got.contains(r#"<time datetime="2024-03-01"></time>"#),
            "{got}"
        );
        assert!(got.contains(r#"<meta itemprop="datePublished""#), "{got}");
        // A link is never an unlikely element; a class with a content word is not one.
        assert!(
            got.contains("Home") && got.contains("A reader wrote"),
            "{got}"
        );
        assert!(got.contains("The story."), "{got}");
        assert!(prepare_markup(page, MAX_NESTING, false).contains("Most read"));
    }

    #[test]
    fn only_the_meta_tags_something_reads_are_left_for_the_parser() {
        let page = r#"<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta property="og:title" content="T"><meta name="robots" content="all"><meta itemprop="datePublished" content="2024-01-02"><meta name="twitter:card" content="summary"></head>"#;
        let got = prepare_markup(page, MAX_NESTING, false);
        assert_eq!(
            got,
            r#"<head><meta charset="utf-8"><meta property="og:title" content="T"><meta itemprop="datePublished" content="2024-01-02"></head>"#
        );
    }

    #[test]
    fn only_the_canonical_link_is_left_for_the_parser() {
        let page = r#"<head><link rel="stylesheet" href="/a.css"><link rel="Canonical" href="https://x.test/story"><link rel="icon" href="/i.png"></head>"#;
        let got = prepare_markup(page, MAX_NESTING, false);
        assert_eq!(
            got,
            r#"<head><link rel="Canonical" href="https://x.test/story"></head>"#
        );
    }

    #[test]
    fn an_unlikely_element_with_unbalanced_markup_is_left_to_the_parser() {
        // The inner `<div>` is never closed: where the sidebar ends is the parser's call.
        let page = r#"<body><div class="sidebar"><div>Most read</div><p>The story.</p></body>"#;
        assert!(prepare_markup(page, MAX_NESTING, true).contains("Most read"));
        let in_table =
            r#"<body><table><tr><td><div class="menu">Cell text</div></td></tr></table></body>"#;
        assert!(prepare_markup(in_table, MAX_NESTING, true).contains("Cell text"));
    }

    #[test]
    fn an_article_inside_an_unlikely_wrapper_is_found_by_the_fallback_passes() {
        // `pagebuilder-pagerow` reads as "pager": Readability's first pass removes it, finds
        // too little text and runs its fallback passes, which need the page as it came.
        let para = "The harbour authority closed the port of Dunmore after the storm damaged two cranes, officials said on Tuesday, and repairs will take a month.";
        let page = format!(
            r#"<html><body><div class="PageBuilder-pageRow"><div class="story"><p>{para}</p><p>{para}</p><p>{para}</p><p>{para}</p></div></div><div class="note"><p>Harbour news, every morning, from the Dunmore Courier desk.</p></div></body></html>"#
        );
        let got = html_to_text(&page);
        assert!(
            got.text.contains("closed the port of Dunmore"),
            "{}",
            got.text
        );
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
        // The same nesting inside an element cut as unlikely: its open elements are not
        // walked 100,000 deep for every tag.
        let sidebar = format!(
            r#"<html><body><div class="sidebar">{}</div><p>Deep text of the page.</p></body></html>"#,
            "<div>x".repeat(depth)
        );
        assert!(
            html_to_text(&sidebar)
                .text
                .contains("Deep text of the page.")
        );
    }

    #[test]
    fn shallow_pages_without_scripts_are_not_rewritten() {
        let page = r#"<html><head><title>a <b> c</title></head><body><div class="x > y"><p>a</p></div><img src=x><br/></body></html>"#;
        assert!(matches!(
            prepare_markup(page, MAX_NESTING, false),
            std::borrow::Cow::Borrowed(_)
        ));
        let capped = prepare_markup("<div><div><div><p>x</p></div></div></div>", 2, false);
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
            prepare_markup(page, MAX_NESTING, false),
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
            prepare_markup(page, MAX_NESTING, false),
            concat!(
                r#"<div class="a"    aria-hidden="true">"#,
                r#"<p  id=b data-readability-score="2">t</p><img data-src="a.jpg" src="">"#,
                "<span >1 <3 data-x=1></span>",
                "<a href=x >u</a><b >b>c</b></div>",
            )
        );
        // After `<plaintext>` (or an unclosed script) the rest is text, left as it is.
        let text = "<plaintext><p data-x=1>";
        assert_eq!(prepare_markup(text, MAX_NESTING, false), text);
        // Tags the tokenizer reads otherwise than they look are left whole: a `<` that opens
        // no tag, a quote inside a tag name, a name starting with `=`, a cut that would make
        // `/>`.
        for page in [
            "<<title>=<a/data-x=>",
            "<a=\">=\"<title>=<a/data-x=>",
            "<p a data-x=\"1\" =b>",
            "<math><mi/data-x></mi></math>",
        ] {
            assert_eq!(prepare_markup(page, MAX_NESTING, false), page);
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

    /// A generated page: elements with or without a class, text and stray tags between them.
    #[derive(Debug, Clone)]
    enum Markup {
        Text(String),
        Element(&'static str, &'static str, Vec<Markup>),
    }

    fn render(m: &Markup, out: &mut String) {
        match m {
            Markup::Text(t) => out.push_str(t),
            Markup::Element(tag, class, children) => {
                out.push('<');
                out.push_str(tag);
                if !class.is_empty() {
                    out.push_str(&format!(r#" class="{class}""#));
                }
                out.push('>');
                for c in children {
                    render(c, out);
                }
                out.push_str(&format!("</{tag}>"));
            }
        }
    }

    fn markup() -> impl proptest::strategy::Strategy<Value = Markup> {
        use proptest::prelude::*;
        // Text, and stray tags that make the markup malformed.
        let text = proptest::prop_oneof![
            4 => "[a-z]{1,6} ",
            1 => proptest::sample::select(vec!["</b>", "<p>", "</div>", "<li>", "</span>", "<b>", "</p>", "<br/>", "<div/>"])
                .prop_map(String::from),
        ]
        .prop_map(Markup::Text);
        text.prop_recursive(4, 40, 5, |inner| {
            (
                proptest::sample::select(vec![
                    "div", "p", "span", "section", "ul", "li", "h2", "table", "td", "code", "b",
                    "a", "dl", "dd", "button", "form",
                ]),
                proptest::sample::select(vec!["", "", "sidebar", "story-content", "menu", "x"]),
                proptest::collection::vec(inner, 0..5),
            )
                .prop_map(|(tag, class, children)| Markup::Element(tag, class, children))
        })
    }

    /// The body of a page, serialised, once the unlikely elements Readability's first pass
    /// removes are removed from its parsed tree, outermost first, as it walks it.
    fn without_unlikely(page: &str) -> String {
        let doc = dom_query::Document::from(page);
        let elements: Vec<_> = doc
            .root()
            .descendants_it()
            .filter(|n| n.is_element())
            .collect();
        for n in elements {
            let attached = n.ancestors_it(None).any(|a| a.has_name("html"));
            let skip = ["a", "html", "body", "svg", "head"]
                .iter()
                .any(|t| n.has_name(t))
                || n.ancestors_it(None)
                    .any(|a| a.has_name("table") || a.has_name("code"));
            let words = format!(
                "{} {}",
                n.attr("class").unwrap_or_default(),
                n.attr("id").unwrap_or_default()
            )
            .to_lowercase();
            let unlikely = UNLIKELY_WORDS.iter().any(|w| words.contains(w))
                && !MAYBE_WORDS.iter().any(|w| words.contains(w));
            if attached && !skip && unlikely {
                n.remove_from_parent();
            }
        }
        doc.select("body").html().to_string()
    }

    proptest::proptest! {
        /// Once Readability's first pass has removed the unlikely elements from the parsed
        /// page, the tree is the same whether some were cut before parsing or not: on generated
        /// markup where the parser closes elements early (a block in a `<p>`, an `<li>` in an
        /// `<li>`), ignores tags (a `<td>` outside a table) or reads them in place.
        #[test]
        fn cutting_unlikely_elements_before_parsing_removes_what_the_first_pass_removes(
            body in proptest::collection::vec(markup(), 1..6)
        ) {
            let mut page = String::from("<html><body>");
            for m in &body {
                render(m, &mut page);
            }
            page.push_str("</body></html>");
            let cut = prepare_markup(&page, MAX_NESTING, true);
            proptest::prop_assert_eq!(without_unlikely(&cut), without_unlikely(&page), "{}", page);
        }
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
            let cut = prepare_markup(&page, MAX_NESTING, false);
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
