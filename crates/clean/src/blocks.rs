//! A second opinion on a page's main text, for pages where Readability's single container is
//! doubtful: a block classifier in the manner of jusText (Pomikálek 2011). The page is cut into
//! blocks at block-level elements; each block is judged by its length, its link density and
//! its share of the page language's stopwords (prose is full of function words, menus and
//! lists of names are not), then revised by its neighbours (a short line between two good
//! blocks is part of the text; a heading right before good text is its heading).
//!
//! Readability picks one container and keeps what is in it; a blog archive, a forum thread, a
//! page whose text sits in many sibling blocks lose everything outside that one container.
//! [`second_opinion`] keeps Readability's text and adds the good blocks it left out, in page
//! order, when they are a large share beside it ([`MIN_EXTRA_SHARE`]); otherwise Readability's
//! text stands as it was. Either way the article's opening that Readability left out above
//! its text (a standfirst, a lead in its own element) is taken in ([`opening_left_out`]).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use dom_query::{Document, NodeRef};
use rustc_hash::FxHashSet;

/// How a block was judged: jusText's classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Bad,
    Short,
    NearGood,
    Good,
}

/// A run of text between block-level boundaries.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Whitespace collapsed.
    pub text: String,
    chars: usize,
    link_chars: usize,
    heading: bool,
    pub class: Class,
    /// Where the block sits: the tags and first class words of its element and the two block
    /// elements around it (digits cut: `post bg1` and `post bg2` alike); 0 when none of the
    /// three has a class (a bare `div > div > p` says nothing of what the block is).
    place: u64,
    /// Which element holds those three (a number per element of the page): blocks of one place
    /// in one holder are siblings (a thread's posts), of one place elsewhere are not (a teaser
    /// box styled as the article).
    holder: usize,
    /// A paragraph the parser moved out of its container ([`is_adopted`]).
    adopted: bool,
}

/// Whether a `<p>` is one the parser's adoption agency moved out of the formatting element that
/// held it. In markup such as `<font size=2><p>One.<p>Two.</font>`, the formatting element's
/// end tag meets a paragraph still open inside it: the parser moves that paragraph out, after
/// the element, and wraps its content in a copy of it (`<font><p>One.</p></font><p><font>Two.
/// </font></p>`). A browser shows the same lines, but Readability, having chosen the formatting
/// element as the article's container, reads the moved paragraph as a sibling and drops it
/// when it scores low: the last paragraph of old BBC pages and of many hand-made ones
/// (CleanEval 121, "If Iran were allowed…"). Its mark: right after an element of the same name
/// and attributes as its own first child (the agency's copy). Found on 132 of the 681 CleanEval
/// pages and 49 of the 621 L3S ones (html5lib, the same parsing rules). Putting such
/// paragraphs back into the tree before Readability changed its choice of container on as many
/// pages as it helped (CleanEval tune half 5 better, 4 worse, one 0.98 → 0.38): the text after
/// Readability's is where they are taken in ([`closing_left_out`]).
fn is_adopted(p: &NodeRef<'_>) -> bool {
    let mut prev = p.prev_sibling();
    while let Some(n) = prev
        .as_ref()
        .filter(|n| n.is_text() && n.text().trim().is_empty())
    {
        prev = n.prev_sibling();
    }
    let (Some(prev), Some(first)) = (prev, p.first_child()) else {
        return false;
    };
    if !prev.is_element() || !first.is_element() {
        return false;
    }
    prev.node_name().is_some_and(|name| {
        crate::html::FORMATTING.contains(&&*name)
            && first.node_name().as_deref() == Some(&*name)
            && first.attrs() == prev.attrs()
    })
}

/// Elements whose start or end breaks a block.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose text is never a page's text.
const IGNORED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "select", "option", "button", "textarea",
    "iframe", "object", "embed", "head", "title", "math", "canvas", "nav", "aside",
];

/// Most nodes walked on one page (the parsers already bound nesting; this bounds the walk on a
/// pathological page, as `MAX_ELEMENTS` bounds Readability).
const MAX_NODES: usize = 400_000;

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The page's blocks in document order, unjudged (class `Bad` until [`classify`]).
pub(crate) fn page_blocks(doc: &Document) -> Vec<Block> {
    struct Current {
        text: String,
        link_chars: usize,
        heading: bool,
        place: u64,
        holder: usize,
        adopted: bool,
    }
    let mut blocks = Vec::new();
    let mut cur = Current {
        text: String::new(),
        link_chars: 0,
        heading: false,
        place: 0,
        holder: 0,
        adopted: false,
    };
    // Per open block element: its tag and first class word, hashed, whether it has one, and
    // its number.
    let mut open: Vec<(u64, bool, usize)> = Vec::new();
    let mut elements = 0usize;
    let place_of = |open: &[(u64, bool, usize)]| {
        let last = &open[open.len().saturating_sub(3)..];
        if !last.iter().any(|(_, classed, _)| *classed) {
            return (0, 0);
        }
        let place = last.iter().fold(0u64, |h, (k, _, _)| {
            h.rotate_left(21) ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        });
        let holder = open.len().checked_sub(4).map_or(0, |i| open[i].2);
        (place, holder)
    };
    let flush = |cur: &mut Current, blocks: &mut Vec<Block>| {
        let text = cur.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            let chars = text.chars().count();
            blocks.push(Block {
                text,
                chars,
                link_chars: cur.link_chars.min(chars),
                heading: cur.heading,
                class: Class::Bad,
                place: cur.place,
                holder: cur.holder,
                adopted: cur.adopted,
            });
        }
        cur.text.clear();
        cur.link_chars = 0;
        cur.heading = false;
        cur.adopted = false;
    };
    // (node, leaving): an element is visited when entered and again when left.
    let mut stack: Vec<(NodeRef<'_>, bool)> = vec![(doc.root(), false)];
    let (mut in_link, mut in_heading, mut walked) = (0usize, 0usize, 0usize);
    while let Some((node, leaving)) = stack.pop() {
        walked += 1;
        if walked > MAX_NODES {
            break;
        }
        if node.is_text() {
            let t = node.text();
            if in_link > 0 {
                cur.link_chars += t
                    .split_whitespace()
                    .map(|w| w.chars().count() + 1)
                    .sum::<usize>();
            }
            cur.heading |= in_heading > 0 && !t.trim().is_empty();
            if cur.text.trim().is_empty() && !t.trim().is_empty() {
                (cur.place, cur.holder) = place_of(&open);
            }
            cur.text.push_str(&t);
            continue;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if node.is_element() {
            if IGNORED.contains(&name.as_str()) {
                continue;
            }
            if name == "br" {
                cur.text.push(' ');
                continue;
            }
            let block = BLOCK_TAGS.contains(&name.as_str());
            if leaving {
                if block {
                    flush(&mut cur, &mut blocks);
                    open.pop();
                }
                if name == "a" {
                    in_link = in_link.saturating_sub(1);
                }
                if is_heading(&name) {
                    in_heading = in_heading.saturating_sub(1);
                }
                continue;
            }
            if block {
                flush(&mut cur, &mut blocks);
                let class = node.attr("class");
                let word = class
                    .as_deref()
                    .and_then(|c| c.split_whitespace().next())
                    .map(|w| w.trim_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_'))
                    .unwrap_or("");
                let key = xxhash_rust::xxh3::xxh3_64(name.as_bytes())
                    ^ xxhash_rust::xxh3::xxh3_64(word.as_bytes()).rotate_left(29);
                elements += 1;
                open.push((key, !word.is_empty(), elements));
                cur.adopted = name == "p" && is_adopted(&node);
            }
            if name == "a" {
                in_link += 1;
            }
            if is_heading(&name) {
                in_heading += 1;
            }
            stack.push((node, true));
        } else if !(node.is_document() || node.is_fragment()) {
            continue;
        }
        let children: Vec<NodeRef<'_>> = node.children_it(true).collect();
        stack.extend(children.into_iter().map(|c| (c, false)));
    }
    flush(&mut cur, &mut blocks);
    blocks
}

/// Bytes of a text read to tell its language: whatlang is reliable on a paragraph, and its cost
/// grows with the sample.
const LANGUAGE_SAMPLE_BYTES: usize = 1000;

/// The NLTK code of a language a page states (`lang="en-US"` → `en`), when there is a list
/// for it: reading the page's own word is cheaper than detecting the language (a tenth of the
/// cleaning time).
pub(crate) fn stated_language(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    stop_words::available_languages()
        .iter()
        .find(|code| **code == primary)
        .copied()
}

/// The language of a text (a page's article text) as an ISO 639-1 code with an NLTK stopword
/// list; `None` when unsure or when the language has no list.
pub(crate) fn text_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(LANGUAGE_SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    if !info.is_reliable() {
        return None;
    }
    use whatlang::Lang::*;
    let code = match info.lang() {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Dan => "da",
        Swe => "sv",
        Nob => "no",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Rus => "ru",
        Tur => "tr",
        Ell => "el",
        Slv => "sl",
        Cat => "ca",
        Ind => "id",
        Ara => "ar",
        Heb => "he",
        Aze => "az",
        Bel => "be",
        Ben => "bn",
        Nep => "ne",
        Tam => "ta",
        Uzb => "uz",
        _ => return None,
    };
    stop_words::lookup(code).map(|_| code)
}

/// jusText's settings, as published with it (tuned there on CleanEval's English pages):
/// blocks under 70 characters are short, over 200 long enough to be good on their own; prose
/// has at least 30–32% stopwords; a block whose text is more than 20% link text is navigation.
/// The stopword shares were set for jusText's own lists; [`STOPWORD_SCALE`] adapts them to
/// NLTK's.
const LENGTH_LOW: usize = 70;
const LENGTH_HIGH: usize = 200;
const STOPWORDS_LOW: f64 = 0.30;
const STOPWORDS_HIGH: f64 = 0.32;
const MAX_LINK_DENSITY: f64 = 0.2;
/// Characters after a heading within which a good block makes it the text's heading.
const MAX_HEADING_DISTANCE: usize = 200;
/// NLTK's stoplists are shorter than jusText's, so prose shows fewer of their words; jusText's
/// shares are scaled by this. Sweep (CleanEval tune half F1; AEB and L3S tune halves did not
/// move): 1.0 0.908, 0.75 / 0.5 / 0.25 0.910, 0 (no stopword test) 0.911. The middle is kept:
/// the test is what tells a long list of names or figures without links (a letter's
/// signatories) from prose, which these English sets barely hold.
const STOPWORD_SCALE: f64 = 0.5;

/// A language's NLTK stopwords as a set.
fn stopwords(language: &str) -> Option<&'static FxHashSet<&'static str>> {
    static SETS: LazyLock<Mutex<HashMap<String, &'static FxHashSet<&'static str>>>> =
        LazyLock::new(Default::default);
    let mut sets = SETS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(set) = sets.get(language) {
        return Some(set);
    }
    let words = stop_words::lookup(language)?;
    // One set per language for the process's life (at most the ~30 NLTK lists).
    let set: &'static FxHashSet<&'static str> =
        Box::leak(Box::new(words.iter().copied().collect()));
    sets.insert(language.to_string(), set);
    Some(set)
}

/// Whether `text` holds `needle` (ASCII, lower case) in any ASCII case, with no lower-cased
/// copy of the text (lower-casing every block to look for "copyright" was a tenth of the
/// second opinion's instructions, callgrind).
fn contains_ignore_ascii_case(text: &str, needle: &[u8]) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn stopword_share(text: &str, stops: &FxHashSet<&str>) -> f64 {
    let (mut words, mut hits) = (0usize, 0usize);
    let mut lower = String::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        words += 1;
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        hits += usize::from(stops.contains(lower.as_str()));
    }
    if words == 0 {
        0.0
    } else {
        hits as f64 / words as f64
    }
}

/// Judges every block, first alone, then by its neighbours (jusText's context pass).
/// `language`: an NLTK code ([`page_language`]); without one, stopwords are not counted and
/// length and links decide alone.
pub(crate) fn classify(blocks: &mut [Block], language: Option<&str>) {
    let stops = language.and_then(stopwords);
    let (low, high) = (
        STOPWORDS_LOW * STOPWORD_SCALE,
        STOPWORDS_HIGH * STOPWORD_SCALE,
    );
    for b in blocks.iter_mut() {
        let link_density = b.link_chars as f64 / b.chars.max(1) as f64;
        b.class = if link_density > MAX_LINK_DENSITY
            || b.text.contains('©')
            || contains_ignore_ascii_case(&b.text, b"copyright")
        {
            Class::Bad
        } else if b.chars < LENGTH_LOW {
            if b.link_chars > 0 {
                Class::Bad
            } else {
                Class::Short
            }
        } else {
            let share = stops.map_or(high, |s| stopword_share(&b.text, s));
            if share >= high {
                if b.chars > LENGTH_HIGH {
                    Class::Good
                } else {
                    Class::NearGood
                }
            } else if share >= low {
                Class::NearGood
            } else {
                Class::Bad
            }
        };
    }
    // A heading right before good text (within MAX_HEADING_DISTANCE characters) is near-good.
    for i in 0..blocks.len() {
        if !blocks[i].heading || blocks[i].class != Class::Short {
            continue;
        }
        let mut distance = 0;
        for b in &blocks[i + 1..] {
            if b.class == Class::Good {
                blocks[i].class = Class::NearGood;
                break;
            }
            distance += b.chars;
            if distance > MAX_HEADING_DISTANCE {
                break;
            }
        }
    }
    let original: Vec<Class> = blocks.iter().map(|b| b.class).collect();
    // The nearest neighbour on each side that is not short (and, when asked, not near-good);
    // the page's ends count as bad.
    let neighbour = |i: usize, forward: bool, skip_near: bool| -> Class {
        let mut j = i;
        loop {
            if forward {
                j += 1;
                if j >= original.len() {
                    return Class::Bad;
                }
            } else {
                if j == 0 {
                    return Class::Bad;
                }
                j -= 1;
            }
            match original[j] {
                Class::Short => {}
                Class::NearGood if skip_near => {}
                c => return c,
            }
        }
    };
    let mut revised = original.clone();
    for i in 0..original.len() {
        if original[i] != Class::Short {
            continue;
        }
        let (prev, next) = (neighbour(i, false, true), neighbour(i, true, true));
        revised[i] = match (prev, next) {
            (Class::Good, Class::Good) => Class::Good,
            (Class::Bad, Class::Bad) => Class::Bad,
            (Class::Bad, _) if neighbour(i, false, false) == Class::NearGood => Class::Good,
            (_, Class::Bad) if neighbour(i, true, false) == Class::NearGood => Class::Good,
            _ => Class::Bad,
        };
    }
    for i in 0..original.len() {
        if original[i] != Class::NearGood {
            continue;
        }
        let (prev, next) = (neighbour(i, false, true), neighbour(i, true, true));
        revised[i] = if prev == Class::Bad && next == Class::Bad {
            Class::Bad
        } else {
            Class::Good
        };
    }
    // Headings: one followed closely by good text is that text's heading.
    for i in 0..blocks.len() {
        if !blocks[i].heading || revised[i] != Class::Bad || original[i] == Class::Bad {
            continue;
        }
        let mut distance = 0;
        for (j, b) in blocks.iter().enumerate().skip(i + 1) {
            if revised[j] == Class::Good {
                revised[i] = Class::Good;
                break;
            }
            distance += b.chars;
            if distance > MAX_HEADING_DISTANCE {
                break;
            }
        }
    }
    for (b, c) in blocks.iter_mut().zip(revised) {
        b.class = c;
    }
}

/// Least share of Readability's text that the good blocks next to it must add before they are
/// taken in. Chosen on the CleanEval tune half (`storyline eval extraction --set cleaneval`),
/// checked on the AEB and L3S tune halves.
///
/// Sweep (tune halves, F1 of AEB / L3S / CleanEval, L3S leak): 0 0.979 / 0.957 / 0.910, 6.3%;
/// 0.25 0.979 / 0.957 / 0.909, 1.7%; **0.5 0.981 / 0.959 / 0.908, 1.5%**; 1.0 the same as 0.5
/// (0.5 takes in more where it helps).
const MIN_EXTRA_SHARE: f64 = 0.5;
/// Least characters of good text next to Readability's before it is taken in: a paragraph
/// (a guard for short pages; not swept).
const MIN_EXTRA_CHARS: usize = 300;
/// Least share of Readability's text the page's blocks must account for: below it the blocks
/// and Readability's lines do not line up, and Readability's text stands (a guard; not swept).
const MIN_COVERAGE: f64 = 0.8;
/// Blocks shorter than this are matched against Readability's text only beside a longer one.
const MIN_MATCH_CHARS: usize = 20;
/// A run of good text next to Readability's goes on over blocks that are not good only when
/// they are shorter than this (a post's date line, "Reply": jusText's short length) and at
/// most [`MAX_GAP_BLOCKS`] in a row; on news pages the good blocks past the article are
/// teasers and comments, each behind its own links and date lines.
const MAX_GAP_CHARS: usize = 70;
/// Most short blocks in a row a run of good text goes on over. Sweep (tune halves): 1 as the
/// table of [`MIN_EXTRA_SHARE`]; **2** three CleanEval pages better (764, 191, 765), none worse
/// anywhere; 3 also takes an AEB page's teaser list in (AEB tune 0.981 → 0.979).
const MAX_GAP_BLOCKS: usize = 2;

/// Hash of three words in a row, from the three words' hashes: each word of a text is hashed
/// once, not three times (streaming each window's words through a hasher, and a SipHash set of
/// them, were half of the second opinion's instructions on 100 CleanEval pages, callgrind).
fn trigram(h: [u64; 3]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    (h[0].wrapping_mul(K).rotate_left(17) ^ h[1])
        .wrapping_mul(K)
        .rotate_left(31)
        ^ h[2]
}

fn word_hash(w: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(w.as_bytes())
}

/// Which blocks' texts occur in `text` (whitespace squeezed in both). A block whose first or
/// last three words are nowhere in the text is not searched for: most blocks of a page are not
/// in Readability's text, and a search for each would be quadratic on a long page. Blocks
/// shorter than [`MIN_MATCH_CHARS`] are searched for only beside a longer block found.
fn found_in(text: &str, blocks: &[Block]) -> Vec<Option<bool>> {
    let hashes: Vec<u64> = text.split(' ').map(word_hash).collect();
    let mut grams: Vec<u64> = hashes
        .windows(3)
        .map(|w| trigram([w[0], w[1], w[2]]))
        .collect();
    grams.sort_unstable();
    grams.dedup();
    let holds = |g: u64| grams.binary_search(&g).is_ok();
    // Readability's text keeps the page's order: a block inside it is most often found just
    // after the last one found, so the search starts there before it reads the whole text
    // (callgrind on 100 CleanEval pages: the second opinion 610M → 409M instructions, the
    // whole cleaning 3.78G → 3.58G, output byte-identical).
    let mut cursor = 0;
    blocks
        .iter()
        .map(|b| {
            (b.chars >= MIN_MATCH_CHARS).then(|| {
                let mut head = b.text.split(' ').map(word_hash);
                let mut tail = b.text.rsplit(' ').map(word_hash);
                // The first and last three words, when the block has three.
                let ends = match (
                    [head.next(), head.next(), head.next()],
                    [tail.next(), tail.next(), tail.next()],
                ) {
                    ([Some(a), Some(b), Some(c)], [Some(z), Some(y), Some(x)]) => {
                        Some((trigram([a, b, c]), trigram([x, y, z])))
                    }
                    _ => None,
                };
                if ends.is_some_and(|(first, last)| !(holds(first) && holds(last))) {
                    return false;
                }
                // Most often the block starts right at the cursor, or after the space there:
                // checked without building a searcher for the block's text (building one per
                // block was an eighth of the second opinion's instructions, callgrind).
                let rest = &text.as_bytes()[cursor..];
                let needle = b.text.as_bytes();
                let at = if rest.starts_with(needle) {
                    Some(0)
                } else if rest.first() == Some(&b' ') && rest[1..].starts_with(needle) {
                    Some(1)
                } else {
                    memchr::memmem::find(rest, needle)
                };
                if let Some(i) = at {
                    cursor += i + needle.len();
                    return true;
                }
                // Not after the cursor: an occurrence starts before it.
                let end = (cursor + needle.len()).saturating_sub(1).min(text.len());
                memchr::memmem::find(&text.as_bytes()[..end], needle).is_some()
            })
        })
        .collect()
}

/// `text`'s words joined by single spaces. ASCII text is squeezed byte by byte (splitting and
/// joining was a tenth of the second opinion's instructions, callgrind); other text as
/// `split_whitespace` splits it (Unicode's white space).
fn squeeze(text: &str) -> String {
    if !text.is_ascii() {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for &b in text.as_bytes() {
        // Unicode's white space in ASCII: `is_ascii_whitespace` and the vertical tab.
        if b.is_ascii_whitespace() || b == 0x0b {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
                space = false;
            }
            out.push(char::from(b));
        }
    }
    out
}

/// Most blocks the article's opening may run to above Readability's first (a standfirst and a
/// first paragraph set apart from the rest).
const MAX_OPENING_BLOCKS: usize = 2;

/// The article's opening that Readability left out: the prose paragraphs right above its first
/// block (a standfirst, a lead set in its own element above the body), over at most
/// [`MAX_GAP_BLOCKS`] short lines (a byline, a date), up to a heading (the headline) or
/// anything that is not prose. Prose here is what jusText judges good or near-good by the
/// block alone (length, links, stopwords) and ends like a sentence; a teaser of another story
/// above the article is cut off by the article's headline between them.
///
/// Found by scoring pages by passages as a held-out check does (the first, middle and last gold
/// paragraph of each page, found in the text or not): the first was the one lost most, on L3S
/// and CleanEval. Measured (`storyline eval extraction --set S --scores F`, per page): CleanEval
/// 33 pages changed, 22 better (F1 tune 0.918 → 0.918, report 0.915 → 0.916), L3S 23 changed,
/// 12 better (0.962 either way), AEB 10 pages lose a little precision to a standfirst its gold
/// leaves out (tune 0.981 either way, report 0.983 → 0.982); first passages found: CleanEval
/// 0.719 → 0.722 of all, L3S 0.833 → 0.835.
fn opening_left_out(
    blocks: &[Block],
    in_kept: &[bool],
    first: usize,
    language: Option<&str>,
) -> Vec<usize> {
    let stops = language.and_then(stopwords);
    let mut out = Vec::new();
    let mut gap = 0;
    for i in (0..first).rev() {
        let b = &blocks[i];
        if in_kept[i] || b.heading || crate::news::comments::opens_comments(&b.text) {
            break;
        }
        let prose = is_prose(b, stops) && crate::news::ends_sentence(&b.text);
        if prose {
            out.push(i);
            gap = 0;
            if out.len() == MAX_OPENING_BLOCKS {
                break;
            }
        } else if gap < MAX_GAP_BLOCKS && b.chars < MAX_GAP_CHARS && b.link_chars == 0 {
            gap += 1;
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// Whether a block reads as prose by itself, as jusText judges a block before its neighbours
/// revise it (good or near-good): long enough, few links, the language's stopwords.
fn is_prose(b: &Block, stops: Option<&FxHashSet<&str>>) -> bool {
    b.chars >= LENGTH_LOW
        && b.link_chars as f64 <= MAX_LINK_DENSITY * b.chars as f64
        && !b.text.contains('©')
        && stops.is_none_or(|s| stopword_share(&b.text, s) >= STOPWORDS_LOW * STOPWORD_SCALE)
}

/// The paragraphs right after Readability's last paragraph that the parser had moved out of
/// the article's container ([`is_adopted`]), when they read as prose: the article's own closing
/// lines, which Readability took for a sibling of its container. "Last paragraph": the last
/// block of Readability's at least [`LENGTH_LOW`] long (a short one, a link's words, is found
/// in its text by chance).
///
/// Measured (`storyline eval extraction --set S --scores F`, per page): CleanEval 2 pages
/// changed (tune 121 F1 0.963 → 0.983, its last passage found; report 701 0.994 → 0.989, an
/// author's note its gold leaves out), L3S 4 (3 better, each its last passage found: tune
/// 0.940 → 0.977, report 0.931 → 0.991 and 0.978 → 0.993; report 137e6374 0.974 → 0.960, BBC
/// Monitoring's note about itself), AEB none; no unexpected passage found. Whole-set figures
/// move in the fourth place.
fn closing_left_out(blocks: &[Block], in_kept: &[bool], language: Option<&str>) -> Vec<usize> {
    let Some(end) = (0..blocks.len()).rfind(|&i| in_kept[i] && blocks[i].chars >= LENGTH_LOW)
    else {
        return Vec::new();
    };
    let stops = language.and_then(stopwords);
    (end + 1..blocks.len())
        .take_while(|&j| {
            let b = &blocks[j];
            !in_kept[j]
                && b.adopted
                && !b.heading
                && !crate::news::comments::opens_comments(&b.text)
                && is_prose(b, stops)
        })
        .collect()
}

/// Readability's text standing alone, with the article's opening it left out
/// ([`opening_left_out`]) and the closing paragraphs the parser had moved out of its container
/// ([`closing_left_out`]); `None` when it left none out.
fn with_opening(
    readability: &str,
    blocks: &[Block],
    in_kept: &[bool],
    first: usize,
    language: Option<&str>,
) -> Option<String> {
    let opening = opening_left_out(blocks, in_kept, first, language);
    let closing = closing_left_out(blocks, in_kept, language);
    (!opening.is_empty() || !closing.is_empty()).then(|| {
        opening
            .iter()
            .map(|&i| blocks[i].text.as_str())
            .chain(std::iter::once(readability.trim()))
            .chain(closing.iter().map(|&i| blocks[i].text.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Readability's text with the good blocks next to it that it left out, in page order, when
/// those are a large share beside it; `None` when Readability's text stands.
///
/// "Next to it": good blocks between Readability's first and last block, and the runs of good
/// blocks that go on from either end, over gaps of a few short blocks, up to a block that opens a
/// comment section.
pub(crate) fn second_opinion(
    readability: &str,
    blocks: &mut [Block],
    language: Option<&str>,
) -> Option<String> {
    let kept = squeeze(readability);
    let kept_chars = kept.chars().count();
    // A short block ("Home", "Reply") is found in any text by chance: it counts as Readability's
    // only beside a longer block that is.
    let long_inside = found_in(&kept, blocks);
    // The nearest long block's verdict on either side of each block, in two passes (looking
    // it up from each short block was quadratic in the page's blocks).
    let nearest = |order: &mut dyn Iterator<Item = usize>| {
        let mut near = vec![None; blocks.len()];
        let mut seen = None;
        for i in order {
            near[i] = seen;
            if long_inside[i].is_some() {
                seen = long_inside[i];
            }
        }
        near
    };
    let before = nearest(&mut (0..blocks.len()));
    let after = nearest(&mut (0..blocks.len()).rev());
    let in_kept: Vec<bool> = (0..blocks.len())
        .map(|i| match long_inside[i] {
            Some(inside) => inside,
            None => {
                (before[i] == Some(true) || after[i] == Some(true))
                    && memchr::memmem::find(kept.as_bytes(), blocks[i].text.as_bytes()).is_some()
            }
        })
        .collect();
    let first = in_kept.iter().position(|&k| k)?;
    let last = in_kept.iter().rposition(|&k| k)?;
    let covered: usize = blocks
        .iter()
        .zip(&in_kept)
        .filter(|(_, inside)| **inside)
        .map(|(b, _)| b.chars)
        .sum();
    if (covered as f64) < MIN_COVERAGE * kept_chars as f64 {
        return with_opening(readability, blocks, &in_kept, first, language);
    }
    // Judging the blocks costs a quarter of the page's cleaning: not when all the text outside
    // Readability's could not be enough.
    let outside: usize = blocks
        .iter()
        .zip(&in_kept)
        .filter(|(_, inside)| !**inside)
        .map(|(b, _)| b.chars)
        .sum();
    if outside < MIN_EXTRA_CHARS || (outside as f64) < MIN_EXTRA_SHARE * kept_chars as f64 {
        return with_opening(readability, blocks, &in_kept, first, language);
    }
    classify(blocks, language);
    let blocks = &*blocks;
    let is_marker = |b: &Block| crate::news::comments::opens_comments(&b.text);
    let mut take = in_kept.clone();
    for i in first..=last {
        take[i] |= blocks[i].class == Class::Good;
    }
    // The run of good text going on from one end of Readability's.
    let mut extend = |order: &mut dyn Iterator<Item = usize>| {
        let mut gap = 0;
        for j in order {
            let b = &blocks[j];
            if is_marker(b) {
                break;
            }
            if b.class == Class::Good {
                take[j] = true;
                gap = 0;
            } else if gap < MAX_GAP_BLOCKS && b.chars < MAX_GAP_CHARS {
                gap += 1;
            } else {
                break;
            }
        }
    };
    extend(&mut (last + 1..blocks.len()));
    extend(&mut (0..first).rev());
    {
        // Prose placed as Readability's own is, in the same holder (a forum thread's posts, a
        // blog's entries: elements of one kind side by side), wherever it is on the page:
        // Readability keeps one post, and the posts around it are parted by author lines and
        // profiles too many for the runs above to cross. Judged by the block alone (a short
        // reply between profiles is near-good, and jusText's neighbours would make it bad).
        //
        // Measured (`eval extraction --scores`, per page): CleanEval 3 pages changed (151 recall
        // 0.58 → 0.98, 757 0.12 → 0.70; 760 F1 0.913 → 0.898), F1 tune 0.918 → 0.919, report
        // 0.916 → 0.918; AEB and L3S unchanged. Without the holder (any block of the same
        // place) three L3S pages took in readers' comments and another story's teasers styled
        // as the article (leak 1.5% → 3.5%).
        let stops = language.and_then(stopwords);
        let kept_places: FxHashSet<(u64, usize)> = blocks
            .iter()
            .zip(&in_kept)
            .filter(|(b, k)| **k && b.place != 0 && b.chars >= MIN_MATCH_CHARS)
            .map(|(b, _)| (b.place, b.holder))
            .collect();
        for (j, b) in blocks.iter().enumerate() {
            if !take[j] && kept_places.contains(&(b.place, b.holder)) && is_prose(b, stops) {
                take[j] = true;
            }
        }
    }
    let extra: usize = blocks
        .iter()
        .zip(take.iter().zip(&in_kept))
        .filter(|(_, (t, k))| **t && !**k)
        .map(|(b, _)| b.chars)
        .sum();
    if extra < MIN_EXTRA_CHARS || (extra as f64) < MIN_EXTRA_SHARE * kept_chars as f64 {
        return with_opening(readability, blocks, &in_kept, first, language);
    }
    let lines: Vec<&str> = blocks
        .iter()
        .zip(&take)
        .filter(|(_, t)| **t)
        .map(|(b, _)| b.text.as_str())
        .collect();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "The council said on Monday that the new harbour wall would be finished before the winter storms, and that the work had cost less than the town had feared when it began. The mayor thanked the workers for what they had done over the summer.";

    fn judged(html: &str) -> Vec<Block> {
        let doc = Document::from(html);
        let mut blocks = page_blocks(&doc);
        classify(&mut blocks, Some("en"));
        blocks
    }

    #[test]
    fn squeezing_is_split_whitespace_joined() {
        for t in [
            "",
            " a  b\t\nc ",
            "\x0bx\x0cy",
            "caf\u{e9}\u{a0} au\u{2003}lait  x",
        ] {
            assert_eq!(
                squeeze(t),
                t.split_whitespace().collect::<Vec<_>>().join(" "),
                "{t:?}"
            );
        }
    }

    #[test]
    fn prose_is_good_links_and_menus_are_not() {
        let html = format!(
            "<body><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li></ul>\
             <p>{PROSE}</p><p>{PROSE}</p>\
             <p><a href=/a>One story</a> <a href=/b>Another story</a> <a href=/c>A third story about the harbour</a></p>\
             <script>var x = 'The council said';</script></body>"
        );
        let blocks = judged(&html);
        let class_of = |needle: &str| {
            blocks
                .iter()
                .find(|b| b.text.contains(needle))
                .map(|b| b.class)
        };
        assert_eq!(class_of("harbour wall"), Some(Class::Good));
        assert_eq!(class_of("Home"), Some(Class::Bad));
        assert_eq!(class_of("A third story"), Some(Class::Bad));
        assert!(blocks.iter().all(|b| !b.text.contains("var x")));
    }

    #[test]
    fn a_short_line_between_good_blocks_is_text_and_a_heading_before_them_too() {
        let html = format!(
            "<body><h2>Harbour wall</h2><p>{PROSE}</p><p>It rained.</p><p>{PROSE}</p></body>"
        );
        let blocks = judged(&html);
        assert!(blocks.iter().all(|b| b.class == Class::Good), "{blocks:?}");
    }

    #[test]
    fn sibling_posts_readability_left_out_are_taken_in_page_order() {
        let posts: Vec<String> = (0..4)
            .map(|i| format!("<div class=post><h2>Post {i}</h2><p>{PROSE} Post number {i} adds its own words here.</p><p>{PROSE}</p></div>"))
            .collect();
        let html = format!(
            "<body><div class=menu><a href=/>Home</a></div>{}</body>",
            posts.concat()
        );
        let doc = Document::from(html.as_str());
        let mut blocks = page_blocks(&doc);
        // Readability kept the second post only.
        let readability =
            format!("Post 1\n{PROSE} Post number 1 adds its own words here.\n{PROSE}");
        let text = second_opinion(&readability, &mut blocks, Some("en")).expect("taken in");
        let order: Vec<usize> = (0..4)
            .filter_map(|i| text.find(&format!("Post number {i} ")))
            .collect();
        assert_eq!(order.len(), 4, "{text}");
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(!text.contains("Home"));
    }

    #[test]
    fn the_opening_above_readabilitys_text_is_taken_in_up_to_the_headline() {
        let html = format!(
            "<body><p>Another story: the mayor has resigned after the vote, the council said tonight.</p>\
             <h1>Harbour wall finished</h1><p class=intro>The harbour wall is finished, two months early and well under the budget the town set.</p>\
             <p>By Ann Lee</p><div class=article><p>{PROSE}</p><p>{PROSE} It was built by a local firm.</p></div></body>"
        );
        let doc = Document::from(html.as_str());
        let mut blocks = page_blocks(&doc);
        let readability = format!("{PROSE}\n{PROSE} It was built by a local firm.");
        let text = second_opinion(&readability, &mut blocks, Some("en")).expect("the opening");
        assert!(
            text.starts_with("The harbour wall is finished, two months early"),
            "{text}"
        );
        assert!(text.ends_with(&readability), "{text}");
        // The byline between is not prose; the teaser above the headline is another story's.
        assert!(
            !text.contains("Ann Lee") && !text.contains("resigned"),
            "{text}"
        );
    }

    #[test]
    fn a_closing_paragraph_the_parser_moved_out_of_the_container_is_taken_in() {
        // `</font>` meets the last, unclosed `<p>`: the parser moves that paragraph out of the
        // font element, after it, with a copy of the font inside it.
        let last = "If the wall holds through the winter, the council will build a second one along the north shore next year.";
        let html = format!(
            "<body><table><tr><td><font size=2><p>{PROSE}<p>{PROSE} It was built by a local firm.<p>{last}</font>\
             <div class=links><a href=/a>Home</a> <a href=/b>Weather</a></div></td></tr></table></body>"
        );
        let doc = Document::from(html.as_str());
        let mut blocks = page_blocks(&doc);
        let adopted: Vec<&str> = blocks
            .iter()
            .filter(|b| b.adopted)
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(adopted, [last]);
        let readability = format!("{PROSE}\n{PROSE} It was built by a local firm.");
        let text = second_opinion(&readability, &mut blocks, Some("en")).expect("the closing");
        assert_eq!(text, format!("{readability}\n{last}"));
    }

    #[test]
    fn a_threads_posts_readability_left_out_are_taken_in_past_their_profiles() {
        let post = |n: usize, text: &str| {
            format!(
                "<div class=\"post bg{}\"><div class=postbody><p class=author><a href=/u/{n}>user{n}</a> Tue Mar 10</p>\
                 <div class=content>{text}</div></div><dl class=profile><dt><a href=/u/{n}>user{n}</a></dt>\
                 <dd>Posts: 1{n}</dd><dd>Joined: Jan 2020</dd></dl></div>",
                n % 2
            )
        };
        let question = "I have been keeping my starter on the counter and feeding it every day, but I am going away for two weeks. Can I keep it in the fridge that long, or will it die? Should I feed it before it goes in?";
        let answer = "Two weeks in the fridge is fine. Feed it, let it sit for an hour, then put it in a jar with a loose lid and pour off the liquid when you are back.";
        let thanks = "Thanks both, it is in the fridge now. I will dry a little of it on baking paper as well, just in case it does not come back.";
        let html = format!(
            "<body><div class=menu><a href=/>Home</a> <a href=/s>Search</a></div><div class=thread>{}{}{}</div>\
             <div class=sidebar><div class=box><div class=content>{PROSE}</div></div></div></body>",
            post(1, question),
            post(2, answer),
            post(3, thanks)
        );
        let doc = Document::from(html.as_str());
        let mut blocks = page_blocks(&doc);
        // Readability kept the longest post only.
        let text = second_opinion(answer, &mut blocks, Some("en")).expect("the other posts");
        assert_eq!(text, format!("{question}\n{answer}\n{thanks}"));
    }

    #[test]
    fn comments_after_the_article_are_not_taken_in() {
        let comments: String = (0..6)
            .map(|i| format!("<div><p>{PROSE} Reader {i} thinks so too.</p></div>"))
            .collect();
        let html = format!(
            "<body><article><p>{PROSE}</p><p>{PROSE} Second.</p></article><h3>12 Comments</h3>{comments}</body>"
        );
        let doc = Document::from(html.as_str());
        let mut blocks = page_blocks(&doc);
        let readability = format!("{PROSE}\n{PROSE} Second.");
        assert_eq!(second_opinion(&readability, &mut blocks, Some("en")), None);
    }

    #[test]
    fn a_complete_article_stands_when_little_is_outside_it() {
        let html = format!(
            "<body><article><p>{PROSE}</p><p>{PROSE} Second.</p></article><footer><p>About us</p></footer></body>"
        );
        let doc = Document::from(html.as_str());
        let mut blocks = page_blocks(&doc);
        let readability = format!("{PROSE}\n{PROSE} Second.");
        assert_eq!(second_opinion(&readability, &mut blocks, Some("en")), None);
    }

    #[test]
    fn languages_are_told_apart() {
        assert_eq!(text_language(PROSE), Some("en"));
        let german = "Der Gemeinderat hat am Montag beschlossen, dass die neue Hafenmauer noch vor den Winterstürmen fertig sein soll, und die Arbeiten haben weniger gekostet, als die Stadt befürchtet hatte.";
        assert_eq!(text_language(german), Some("de"));
        assert_eq!(text_language(""), None);
        assert_eq!(stated_language("en-US"), Some("en"));
        assert_eq!(stated_language("DE_at"), Some("de"));
        assert_eq!(stated_language("xx"), None);
    }
}
