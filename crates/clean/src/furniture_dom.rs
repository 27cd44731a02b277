//! Page furniture removed from the parsed page before `dom_smoothie` looks for the article:
//! elements that templates mark, by tag or by a word of their `class` or `id`, as something
//! other than the story's text. Readability keeps them when they sit inside the article
//! container (a photo caption in a `<figure>`, an author box under the last paragraph, a
//! newsletter box between two paragraphs); the words that mark them are the same on any site.
//!
//! - **dom_caption**: `<figcaption>` and elements whose class or id has the word `caption` or
//!   `credit` ("A shopper looks at extension cords … (AP Photo/Rich Pedroncelli)",
//!   "(Image credit: Blue Origin)").
//!   Also an image box (class or id word `image(s)`, `img`, `photo(s)`) that holds an `<img>`
//!   and little text ("In this Dec. 12, 2006, file photo, made available by NASA, …"): the
//!   picture's caption set in a `<p>` beside it.
//! - **dom_author_bio**: class or id word `bio` / `biography` ("Phil Helsel is a reporter for
//!   NBC News.").
//! - **dom_byline**: class or id word `author(s)` / `byline` ("By Ann Lee | Staff writer",
//!   an author box with photo and links). The metadata reads the byline before this stage.
//! - **dom_newsletter**: class or id word `newsletter` / `signup` ("Get breaking news alerts and
//!   special reports. The news and stories that matter, delivered weekday mornings.").
//! - **dom_breadcrumb**: class or id word `breadcrumb(s)` ("Home › News › Spaceflight").
//! - **dom_popup**: class or id word `tooltip`, `popover`, `rollover` or `hovercard`: the card
//!   a page shows when the mouse is over a name (the person's full name and links to other
//!   stories about them), hidden by the style sheet but in the markup inside the sentence.
//!   Its trigger stays: a marked link, or a marked element holding another marked one (the
//!   wrapper of the linked name and its card).
//! - **dom_related**: class or id word `related`, `teaser(s)`, `trending` or `recommended`: boxes
//!   of other stories' headlines set inside the article ("Fans really want The Doobie Brothers
//!   in the Rock Hall").
//! - **dom_ad**: class or id word `ad(s)`, `advert`, `advertisement`, `promo`, `promotion` or
//!   `sponsored` ("Sponsored Links", "Subscription Deals").
//! - **dom_copyright**: class or id word `copyright` ("The Toledo Blade Company, 541 N.
//!   Superior St., Toledo, OH …").
//! - **dom_dek**: an element (not a `<meta>`) marked `itemprop="description"`: by schema.org a
//!   summary of the item, not its text ("What was this British royal and his PR aides thinking
//!   of…" over a story, or the one-line summaries in a list of other stories). Two AEB pages
//!   have it (F1 0.9813 -> 0.9820), no L3S page (2008, before microdata).
//! - **dom_link_paragraph**: a paragraph or list item whose whole text is links (see
//!   [`link_paragraphs`]).
//!
//! Words are the class and id values split at non-letters and at lower-to-upper case changes
//! (`articleByline__bio` → `article`, `byline`, `bio`), compared whole, so `biology` or
//! `creditcard` do not match. An element holding much text is never removed: a marker word on
//! a wrapper of the whole story (`class="newsletter-article"`) must not take the story with it.
//!
//! Words tried and left out (AEB / L3S F1 with the word added, against 0.9800 / 0.9436 before
//! the related, ad and copyright words): `dek`/`standfirst` (the L3S gold keeps standfirsts:
//! 0.9778 -> 0.9778 / 0.9397 -> 0.9392, measured earlier), `tag(s)`/`topics` (0.9799 / 0.9433),
//! `header` (0.9747 / 0.9435, tried together with the tag words), `share`/`social` (0.9806 /
//! 0.9449 with it, 0.9806 / 0.9448 without: Readability already drops share bars), `tools`,
//! `poll` (no change). Against 0.9813 / 0.9467: `meta` (0.9762 / 0.9467) and `date`/
//! `timestamp`/`published` (0.9762 / 0.9466) lose article text; `kicker`/`eyebrow`,
//! `category`, `comment(s)`, `subscribe`/`paywall`, `disclaimer`/`legal` change either set by
//! at most 0.0001; `print`/`email` (0.9813 / 0.9455). Removing an `<article>` nested in
//! another (other posts under a blog post) lost article text too (AEB 0.9806 -> 0.9769).

use storyline_model::DroppedText;

/// Most characters of text in an element this stage removes. Captions, bios and sign-up boxes
/// run to a few hundred characters. Chosen on AEB + L3S: a bound of 500 gives AEB F1 0.9736,
/// 1,000 gives 0.9741, 1,500 the same as 3,000 or none (0.9742; L3S 0.9394 from 1,000 up); the
/// bound stays for the case below of a marked wrapper around the whole story.
const MAX_TEXT_CHARS: usize = 1_500;

/// Most characters of text in an image box (class or id word `image`, `img`, `photo`) removed
/// as a caption: a picture with a caption, not a recipe card or a story teaser that has a
/// picture too. Captions on AEB run to 640 characters. Chosen on AEB + L3S F1: 300 gives
/// 0.9806 / 0.9455, 500 and 700 give 0.9813 / 0.9458, 1,000 gives 0.9809 / 0.9458 (a recipe
/// card with its photo goes).
const MAX_IMAGE_BOX_CHARS: usize = 700;

/// The rule whose word a class or id word is, if any.
fn rule_of_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "caption" | "captions" | "figcaption" | "credit" | "credits" => "dom_caption",
        "bio" | "biography" => "dom_author_bio",
        "author" | "authors" | "byline" => "dom_byline",
        "newsletter" | "signup" => "dom_newsletter",
        "breadcrumb" | "breadcrumbs" => "dom_breadcrumb",
        "tooltip" | "popover" | "rollover" | "hovercard" => "dom_popup",
        "copyright" => "dom_copyright",
        "related" | "teaser" | "teasers" | "trending" | "recommended" => "dom_related",
        "promo" | "promotion" | "ad" | "ads" | "advert" | "advertisement" | "sponsored" => "dom_ad",
        "image" | "images" | "img" | "photo" | "photos" => "dom_image",
        _ => return None,
    })
}

/// Longest class or id word a rule names (`advertisement`): a longer word is none of them.
const MAX_RULE_WORD: usize = 13;

/// Calls `f` with each word of a class or id value: split at characters that are not ASCII
/// letters or digits and at a lower-case letter followed by an upper-case one, lower-cased.
/// Words longer than any rule's word are skipped; the rest are lower-cased into one stack
/// buffer (a `String` per word was a third of this stage, a `String` per value pushed char by
/// char another 2% of cleaning, callgrind).
pub(crate) fn for_each_word(value: &str, mut f: impl FnMut(&str)) {
    let bytes = value.as_bytes();
    let mut buf = [0u8; MAX_RULE_WORD];
    let mut start = 0;
    let mut emit = |from: usize, to: usize| {
        if let Some(out) = buf.get_mut(..to - from) {
            out.copy_from_slice(&bytes[from..to]);
            out.make_ascii_lowercase();
            // ASCII letters and digits only: valid UTF-8.
            if let Ok(w) = std::str::from_utf8(out) {
                f(w);
            }
        }
    };
    let mut prev_lower = false;
    for (i, &b) in bytes.iter().enumerate() {
        if !b.is_ascii_alphanumeric() {
            if start < i {
                emit(start, i);
            }
            start = i + 1;
            prev_lower = false;
            continue;
        }
        if b.is_ascii_uppercase() && prev_lower && start < i {
            emit(start, i);
            start = i;
        }
        prev_lower = b.is_ascii_lowercase();
    }
    if start < bytes.len() {
        emit(start, bytes.len());
    }
}

#[cfg(test)]
fn words(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(value, |w| out.push(w.to_string()));
    out
}

/// Elements that are never furniture whatever their class says.
const NEVER: &[&str] = &["html", "body", "article", "main"];

/// The rule that marks an element as furniture, by tag, class or id.
fn rule_of(node: &dom_query::NodeRef<'_>) -> Option<&'static str> {
    let name = node.qual_name_ref()?.local.clone();
    if NEVER.contains(&&*name) {
        return None;
    }
    if &*name == "figcaption" {
        return Some("dom_caption");
    }
    let description = node.element_ref().is_some_and(|el| {
        el.attrs
            .iter()
            .any(|a| &a.name.local == "itemprop" && &*a.value == "description")
    });
    if &*name != "meta" && description {
        return Some("dom_dek");
    }
    let rule = marked(node)?;
    // A pop-up's trigger (the linked name in the sentence, or a wrapper holding the name and
    // its card) is part of the text: only the card itself goes.
    if rule == "dom_popup"
        && (&*name == "a"
            || node
                .descendants_it()
                .any(|d| d.is_element() && marked(&d) == Some("dom_popup")))
    {
        return None;
    }
    if rule == "dom_image" {
        // An image box: the picture and its caption, nothing else.
        let has_img = node
            .descendants_it()
            .any(|d| d.node_name().is_some_and(|n| &*n == "img"));
        let short = node.text().chars().count() <= MAX_IMAGE_BOX_CHARS;
        return (has_img && short).then_some("dom_caption");
    }
    Some(rule)
}

/// The rule a word of the element's class or id names, if any; a more particular word wins
/// over `image`/`photo` (`image-caption` is a caption whatever it holds), and those over
/// `author`/`byline` (`author-bio` is a bio).
fn marked(node: &dom_query::NodeRef<'_>) -> Option<&'static str> {
    let el = node.element_ref()?;
    let (mut first, mut strong, mut image) = (None, None, false);
    for name in ["class", "id"] {
        let Some(attr) = el.attrs.iter().find(|a| &a.name.local == name) else {
            continue;
        };
        for_each_word(&attr.value, |w| {
            let Some(rule) = rule_of_word(w) else {
                return;
            };
            first.get_or_insert(rule);
            match rule {
                "dom_image" => image = true,
                "dom_byline" => {}
                _ => {
                    strong.get_or_insert(rule);
                }
            }
        });
    }
    strong.or(image.then_some("dom_image")).or(first)
}

/// Removes the furniture elements from the page; returns what was removed, with its rule.
pub(crate) fn remove_furniture(doc: &dom_query::Document) -> Vec<DroppedText> {
    let mut drops = Vec::new();
    // Every element in document order, gathered before any is removed. Only elements with a
    // class, id or itemprop, and `figcaption`s, can be marked ([`rule_of`]); asking that of
    // each element directly is cheaper than a CSS selector matching it (the selector was 2.8%
    // of cleaning with the one below, callgrind).
    let elements: Vec<_> = doc
        .root()
        .descendants_it()
        .filter(|n| n.is_element())
        .collect();
    for node in &elements {
        let Some(rule) = rule_of(node) else {
            continue;
        };
        // A node inside one already removed is detached: its text was recorded with it.
        if !node
            .ancestors_it(None)
            .any(|a| a.node_name().is_some_and(|n| &*n == "html"))
        {
            continue;
        }
        let text = node.text();
        if text.chars().count() > MAX_TEXT_CHARS {
            continue;
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        node.remove_from_parent();
        if !text.is_empty() {
            drops.push(DroppedText {
                rule: rule.to_string(),
                text,
            });
        }
    }
    drops.extend(link_paragraphs(doc));
    drops
}

/// Fewest words of a paragraph that is all link for it to be taken for a link to another
/// story (a linked word or two can be a paragraph's whole text in a list of names). Chosen on
/// AEB + L3S F1: 1 word 0.9795 / 0.9432, 2: 0.9798 / 0.9433, 3: 0.9800 / 0.9436, 5: 0.9800 /
/// 0.9423.
const MIN_LINK_PARAGRAPH_WORDS: usize = 3;

fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// **dom_link_paragraph**: a paragraph or list item whose whole text is one or more links
/// ("Fans really want The Doobie Brothers in the Rock Hall", "CO-FOUNDER 'PROUD' OF HOME DEPOT
/// EMPLOYEES…"): a headline of another story set between the paragraphs, or a list of them.
/// Prose links a few words of a sentence, never all of it. (Headings that are all link were
/// tried too: AEB F1 0.9797 -> 0.9780, a story's own headline often links to itself.)
fn link_paragraphs(doc: &dom_query::Document) -> Vec<DroppedText> {
    let mut drops = Vec::new();
    let blocks: Vec<_> = doc
        .root()
        .descendants_it()
        .filter(|n| n.has_name("p") || n.has_name("li"))
        .collect();
    for p in &blocks {
        // Most paragraphs hold no link: nothing to read.
        if !p
            .descendants_it()
            .any(|d| d.node_name().is_some_and(|n| &*n == "a"))
        {
            continue;
        }
        let text = normalized(&p.text());
        if text.split(' ').count() < MIN_LINK_PARAGRAPH_WORDS {
            continue;
        }
        let links: String = p
            .descendants_it()
            .filter(|d| d.node_name().is_some_and(|n| &*n == "a"))
            .map(|a| a.text().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        if normalized(&links) == text {
            p.remove_from_parent();
            drops.push(DroppedText {
                rule: "dom_link_paragraph".to_string(),
                text,
            });
        }
    }
    drops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_words_split_at_case_and_punctuation() {
        assert_eq!(
            words("articleByline__bio bio___3q2CD"),
            ["article", "byline", "bio", "bio", "3q2cd"]
        );
        assert_eq!(words("wp-caption-text"), ["wp", "caption", "text"]);
        assert!(
            words("biology creditcard")
                .iter()
                .all(|w| rule_of_word(w).is_none())
        );
    }

    #[test]
    fn captions_bios_newsletters_and_crumbs_go_the_story_stays() {
        let page = r#"<html><body><article class="story">
<nav class="breadcrumb"><a href="/">Home</a> <a href="/news">News</a></nav>
<p>The harbour authority closed the port after the storm damaged two cranes.</p>
<figure><img src="a.jpg"><figcaption>Cranes at the port on Tuesday. (AP Photo)</figcaption></figure>
<div class="image-credit">Image: Port Authority</div>
<p>Repairs will take a month, officials said.</p>
<div class="newsletterSignup">Get the news in your inbox every morning.</div>
<div class="author-bio">Ann Lee is a reporter for the Daily Example.</div>
</article></body></html>"#;
        let doc = dom_query::Document::from(page);
        let drops = remove_furniture(&doc);
        let rules: Vec<&str> = drops.iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "dom_breadcrumb",
                "dom_caption",
                "dom_caption",
                "dom_newsletter",
                "dom_author_bio"
            ]
        );
        let text = doc.select("article").text();
        assert!(text.contains("closed the port") && text.contains("Repairs will take"));
        for gone in ["Home", "AP Photo", "Image: Port", "inbox", "Ann Lee"] {
            assert!(!text.contains(gone), "{gone} left in: {text}");
        }
    }

    #[test]
    fn a_hover_card_goes_its_linked_name_stays() {
        let page = r#"<html><body><p>Rep. <span class="rollover-people"><a class="rollover-people-link" href="/p/ann-lee">Ann Lee</a><span class="rollover-people-block"><a href="/p/ann-lee">Ann Marie Lee</a><a href="/s/1">Lee backs port bill</a></span></span> said the port would reopen.</p></body></html>"#;
        let doc = dom_query::Document::from(page);
        let drops = remove_furniture(&doc);
        assert_eq!(drops.len(), 1);
        assert_eq!(drops[0].rule, "dom_popup");
        assert_eq!(drops[0].text, "Ann Marie LeeLee backs port bill");
        assert_eq!(
            doc.select("p").text().to_string(),
            "Rep. Ann Lee said the port would reopen."
        );
    }

    #[test]
    fn bylines_and_paragraphs_that_are_all_link_go() {
        let page = r#"<html><body><article>
<div class="article-byline">By <a href="/a/ann-lee">Ann Lee</a></div>
<p>The port reopened on Friday, <a href="/port">officials said</a> in a statement.</p>
<p><strong><a href="/s/2">STORM CLOSES SCHOOLS ACROSS THE REGION</a></strong></p>
<ul><li><a href="/s/3">Council approves new budget</a></li><li>Cranes: two</li></ul>
<p><a href="/p/lee">Lee</a></p>
</article></body></html>"#;
        let doc = dom_query::Document::from(page);
        let drops = remove_furniture(&doc);
        let got: Vec<(&str, &str)> = drops
            .iter()
            .map(|d| (d.rule.as_str(), d.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("dom_byline", "By Ann Lee"),
                (
                    "dom_link_paragraph",
                    "STORM CLOSES SCHOOLS ACROSS THE REGION"
                ),
                ("dom_link_paragraph", "Council approves new budget"),
            ]
        );
        let text = doc.select("article").text();
        assert!(text.contains("officials said") && text.contains("Cranes: two"));
        assert!(text.contains("Lee"), "a one-word link paragraph stays");
    }

    #[test]
    fn related_boxes_ads_and_copyright_lines_go() {
        let page = r#"<html><body><article>
<p>The port reopened on Friday, officials said, after a week of repairs to its two cranes.</p>
<div class="related-stories"><h3>More on this</h3><span>Storm closes schools</span></div>
<div id="ad-slot-2"><span>Sponsored Links</span></div>
<p class="copyright-line">Example Company, 1 Harbour St.</p>
<p>The harbour master said traffic would resume on Monday.</p>
</article></body></html>"#;
        let doc = dom_query::Document::from(page);
        let rules: Vec<String> = remove_furniture(&doc).into_iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["dom_related", "dom_ad", "dom_copyright"]);
        let text = doc.select("article").text();
        assert!(text.contains("port reopened") && text.contains("traffic would resume"));
        assert!(
            !text.contains("Storm") && !text.contains("Sponsored") && !text.contains("Harbour St")
        );
    }

    #[test]
    fn an_image_box_goes_with_its_caption_a_box_without_a_picture_stays() {
        let page = r#"<html><body><article>
<div class="image top"><img src="a.jpg"><p>In this 2006 file photo, two astronauts work on the station. (NASA via AP, File)</p></div>
<p>The agency said on Monday that hibernation could make a mission to Mars easier.</p>
<div class="photo-essay-intro"><p>Researchers examined how a crew could sleep through the cruise.</p></div>
</article></body></html>"#;
        let doc = dom_query::Document::from(page);
        let drops = remove_furniture(&doc);
        assert_eq!(drops.len(), 1);
        assert_eq!(drops[0].rule, "dom_caption");
        assert!(drops[0].text.starts_with("In this 2006 file photo"));
        assert!(
            doc.select("article")
                .text()
                .contains("Researchers examined")
        );
    }

    #[test]
    fn a_schema_description_goes_a_meta_description_is_not_touched() {
        let page = r#"<html><head><meta itemprop="description" content="Summary."></head><body><article>
<div itemprop="description"><p>Why the port closed, and what comes next.</p></div>
<div itemprop="articleBody"><p>The port reopened on Friday, officials said.</p></div>
</article></body></html>"#;
        let doc = dom_query::Document::from(page);
        let drops = remove_furniture(&doc);
        assert_eq!(drops.len(), 1);
        assert_eq!(drops[0].rule, "dom_dek");
        assert_eq!(doc.select("meta").length(), 1);
        assert!(doc.select("article").text().contains("port reopened"));
    }

    #[test]
    fn a_marked_wrapper_of_the_whole_story_is_kept() {
        let para = "The harbour authority closed the port after the storm damaged two cranes. ";
        let page = format!(
            r#"<html><body><div class="newsletter-story"><p>{}</p></div></body></html>"#,
            para.repeat(30)
        );
        let doc = dom_query::Document::from(page.as_str());
        assert!(remove_furniture(&doc).is_empty());
        assert!(doc.select("p").text().contains("closed the port"));
    }
}
