//! The credit a page gives its article outside the article's text: a news agency's byline
//! title ("By SANDRA CHEREB, Associated Press Writer", "AP Sports Writer"), the agency's
//! copyright notice that republishers must print under its stories ("Copyright 2008 The
//! Associated Press. All rights reserved. This material may not be published…", "© 2008
//! Agence France Presse"), or a source line ("Article from: Agence France-Presse").
//!
//! Sites that republish an agency's story usually print the credit in a byline box or under
//! the story, where the cleaner does not keep it, and many (Yahoo, McClatchy and Gannett
//! papers in 2008) strip the agency from the dateline ("HOUSTON -"). Without the credit a wire
//! copy reads as the site's own reporting. The credit found is recorded as a drop of the rule
//! `agency_credit`; which agency it names is for lineage to read
//! (`storyline_stories::markers`).
//!
//! These are conventions of the agencies' own licence terms and bylines, the same on every site
//! that carries their stories; photo credits ("AP Photo/…") name a picture's source, not the
//! article's, and do not match.

use std::sync::LazyLock;

use regex::Regex;

/// Agency credits in markup. Whitespace in markup may be a tag or an entity (`&nbsp;`,
/// `<br>`), so the separators allow them.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    let sep = r"(?:\s|&nbsp;|<br\s*/?>)+";
    // The agencies whose copy the L3S roles sample's sites carry (`storyline eval roles`),
    // by the names their notices use; lineage maps a credit to its agency.
    Regex::new(&format!(
        concat!(
            // An agency staff title: "Associated Press Writer", "AP Sports Writer",
            // "AP White House Correspondent" (never "AP Photo").
            r"\b(?:Associated Press|AP)(?: [A-Z][a-z]+){{0,2}} (?:Writer|Correspondent)s?\b",
            // The agency's copyright notice: "Copyright 2008 The Associated Press",
            // "&copy; 2007 Agence France Presse", "© Thomson Reuters 2008".
            r"|(?:[Cc]opyright|COPYRIGHT|©|&copy;)(?:{sep}|&copy;|©|\(c\)|[\d,])*{agency}\b",
            // A source line: "Article from: Agence France-Presse".
            r"|\b(?:Article|Story) (?:from|by):?(?:{sep}|<[^>]{{0,80}}>)*{agency}\b",
            r"|\bBy{sep}{agency}\b",
            // IPTC NewsML pasted into a page as it came from the wire ("<CopyrightLine>©
            // 2008 AFP</CopyrightLine>"): the feed's own notice, so the agencies' short
            // names count here (elsewhere "© AFP" is as often a photo's credit).
            r"|<(?i:copyrightline)>(?:{sep}|&copy;|©|\(c\)|[\d,])*(?:{agency}|AFP|AP|UPI)\b",
        ),
        sep = sep,
        agency = AGENCY,
    ))
    .expect("static credit pattern compiles")
});

/// Agencies by the names their credits use. The agencies whose copy the L3S roles sample's
/// sites carry (`storyline eval roles`), by the names their notices use; lineage maps a
/// credit to its agency (`storyline_stories::markers`).
const AGENCY: &str = r"(?:The |the )?(?:Associated Press|Agence France[- ]Presse|Thomson Reuters|Reuters|United Press International|Canadian Press|Press Association|PA Sport|Australian Associated Press|AAP|New Zealand Press Association|NZPA|Press Trust of India|Indo-Asian News Service|Deutsche Presse-Agentur|Sports Network|Xinhua)";

/// An agency's name, or the short names a source element may hold alone ("AP", "AFP").
static SOURCE_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?i:source|from)\s*:?\s*)?(?:{AGENCY}|AP|AFP|UPI|PTI|IANS|dpa|DPA)\W*$"
    ))
    .expect("static credit pattern compiles")
});

/// An element whose class or id names it as the story's source ("GetFullStory1_divSource",
/// `class="story-source"`), up to its text.
static SOURCE_ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^<(div|span|p|td|li|em|strong|b|font|small|cite)\b[^>]*?\b(?:class|id)\s*=\s*["']?([^"'>]*)["']?[^>]*>"#,
    )
    .expect("static credit pattern compiles")
});

/// Class or id words of an element that holds the story's source.
const SOURCE_WORDS: &[&str] = &["source", "provider", "agency"];

/// Class or id words of a picture's or a video's source, which credit no story.
const MEDIA_WORDS: &[&str] = &[
    "photo", "image", "img", "picture", "pic", "caption", "video", "graphic",
];

/// Most bytes of an opening tag before its class or id word.
const MAX_TAG_BYTES: usize = 400;

/// Bytes after a source element's opening tag read for its text.
const SOURCE_ELEMENT_BYTES: usize = 300;

/// The text of the first element named as the story's source that is an agency's name alone
/// (`<div id="GetFullStory1_divSource">The Associated Press</div>`, "Source: AFP"): pages that
/// show the agency in such a box print it nowhere else (seen on a tune-half page of the L3S
/// roles sample, `storyline eval roles`).
fn source_element(html: &str) -> Option<String> {
    // The words are looked for first (memchr's substring search, in the cases a class or id is
    // written in), and a tag read only around them: a regular expression over every tag of
    // every page cost 2.4% of cleaning's instructions, a case-blind Aho-Corasick search 2.6%
    // (callgrind, 100 CleanEval pages).
    const HINTS: &[&str] = &["ource", "OURCE", "rovider", "ROVIDER", "gency", "GENCY"];
    let mut hits: Vec<usize> = HINTS
        .iter()
        .flat_map(|h| memchr::memmem::find_iter(html.as_bytes(), h.as_bytes()))
        .collect();
    hits.sort_unstable();
    hits.into_iter().find_map(|at| {
        // The word's first letter stands before the hint.
        let word = at.checked_sub(1)?;
        let mut from = word.saturating_sub(MAX_TAG_BYTES);
        while !html.is_char_boundary(from) {
            from += 1;
        }
        let before = html.get(from..word)?;
        let lt = from + before.rfind('<')?;
        if html[lt..word].contains('>') {
            return None;
        }
        let c = SOURCE_ELEMENT.captures(&html[lt..])?;
        let (mut source, mut media) = (false, false);
        crate::furniture_dom::for_each_word(c.get(2)?.as_str(), |w| {
            source |= SOURCE_WORDS.contains(&w);
            media |= MEDIA_WORDS.contains(&w);
        });
        if !source || media {
            return None;
        }
        let tag = c.get(1)?.as_str().to_ascii_lowercase();
        let start = lt + c.get(0)?.end();
        let mut end = (start + SOURCE_ELEMENT_BYTES).min(html.len());
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        let rest = &html[start..end];
        let close = rest
            .to_ascii_lowercase()
            .find(&format!("</{tag}"))
            .unwrap_or(rest.len());
        let text = plain(&rest[..close]);
        SOURCE_AGENCY.is_match(&text).then_some(text)
    })
}

/// Markup as text: tags made spaces, `&nbsp;` a space, `&copy;` ©, whitespace collapsed.
fn plain(markup: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in markup.replace("&nbsp;", " ").replace("&copy;", "©").chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            _ => text.push(c),
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Most characters of a credit kept for the record, tags and entities taken out.
const MAX_CREDIT_CHARS: usize = 120;

/// The first agency credit in a page's markup, as text (tags and `&nbsp;` made spaces), else
/// the agency an element named as the story's source holds ([`source_element`]).
pub fn credit_in_markup(html: &str) -> Option<String> {
    let text = match CREDIT.find(html) {
        Some(m) => plain(m.as_str()),
        None => source_element(html)?,
    };
    Some(text.chars().take(MAX_CREDIT_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_notices_and_source_lines_are_credits() {
        let found = |h: &str| credit_in_markup(h);
        assert_eq!(
            found("<h3>By SANDRA CHEREB<br />Associated Press Writer</h3>").as_deref(),
            Some("Associated Press Writer")
        );
        assert_eq!(
            found("<div class=x>By GREG BEACHAM</div><div>AP Sports Writer</div>").as_deref(),
            Some("AP Sports Writer")
        );
        assert_eq!(
            found("<p>Copyright 2008 The Associated Press. All rights reserved.</p>").as_deref(),
            Some("Copyright 2008 The Associated Press")
        );
        assert_eq!(
            found("<div>&copy; 2007 Agence France Presse. All rights reserved.</div>").as_deref(),
            Some("© 2007 Agence France Presse")
        );
        assert_eq!(
            found("<span><NewsML><NewsLines><DateLine>BANGKOK (AFP)</DateLine><CopyrightLine>© 2008 AFP</CopyrightLine></NewsLines></NewsML></span>").as_deref(),
            Some("© 2008 AFP")
        );
        assert_eq!(found("<p class=caption>Protesters march. © AFP</p>"), None);
        assert_eq!(
            found(r#"<div class="article-source"> Article from: Agence France-Presse</div>"#)
                .as_deref(),
            Some("Article from: Agence France-Presse")
        );
    }

    #[test]
    fn an_element_named_as_the_source_that_holds_an_agency_is_a_credit() {
        let found = |h: &str| credit_in_markup(h);
        assert_eq!(
            found(r#"<p><div id="GetFullStory1_divSource">The Associated Press</div></p>"#)
                .as_deref(),
            Some("The Associated Press")
        );
        assert_eq!(
            found(r#"<span class="story-source"><b>Source:</b> AFP</span>"#).as_deref(),
            Some("Source: AFP")
        );
        // A picture's source, a source box naming no agency, a longer text: no credit.
        assert_eq!(found(r#"<span class="photo-source">AP</span>"#), None);
        assert_eq!(
            found(r#"<div class="source">Daily Example staff</div>"#),
            None
        );
        assert_eq!(
            found(r#"<div class="sources">Reuters, AP and our own reporting</div>"#),
            None
        );
    }

    #[test]
    fn photo_credits_and_mentions_are_not() {
        assert_eq!(credit_in_markup("<p>(AP Photo/Jae C. Hong)</p>"), None);
        assert_eq!(
            credit_in_markup("<p>The minister told The Associated Press on Friday.</p>"),
            None
        );
        assert_eq!(
            credit_in_markup("<p>Copyright 2008 The Boston Globe</p>"),
            None
        );
    }
}
