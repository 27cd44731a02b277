//! **related_list**: a "Most read" / "Related stories" / "More from" heading and the list of
//! headlines under it. Links to other stories, not this one.
//!
//! Example: `Most read` followed by three headline lines is dropped, up to the next paragraph
//! that reads like a sentence.
//!
//! **related_link**: one link to another story on a line of its own, marked as such by a label
//! before it ("Read more: Alibaba poised to launch record-breaking Hong Kong listing",
//! "Related: 15 Amazing Images of Stars", "Also on rt.com …") or by a bracketed kind after it
//! ("China furious at Macron for Hong Kong protest jibe [INSIGHT]", "… headset [Video]").

use std::sync::LazyLock;

use regex::Regex;

use super::{Body, NewsContext, at_most_words, ends_sentence};

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*(?:most (?:read|popular|viewed|shared)|related(?: (?:stories|articles|content|coverage|news|links|reading))?|more (?:from|on|stories|news)\b.*|read (?:more|next|also)|see also|you (?:may|might) (?:also )?(?:like|be interested)\b.*|trending(?: now)?|recommended(?: for you)?|top stories|latest (?:news|stories|headlines)|editor'?s picks|(?:also )?in the news|in other news|more headlines|other (?:stories|news)|what to read next|popular (?:now|stories))\W*$")
        .expect("static pattern")
});

/// Longest headline in a list of links.
const MAX_ITEM_WORDS: usize = 20;

/// Whether a line is a teaser's lead cut short ("Skype has released the beta version of…").
fn truncated(line: &str) -> bool {
    let t = line.trim_end();
    (t.ends_with("...") || t.ends_with('…')) && !t.ends_with("....")
}

/// Longest headline over a truncated teaser lead, in words.
const MAX_TEASER_HEADLINE_WORDS: usize = 20;

/// A headline followed by a lead cut short with an ellipsis: a link to another story.
pub(super) fn truncated_teasers(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    for i in 1..lines.len() {
        let head = &lines[i - 1];
        if truncated(&lines[i])
            && lines.words(i - 1) <= MAX_TEASER_HEADLINE_WORDS
            && !ends_sentence(head)
            && !truncated(head)
        {
            out.extend([i - 1, i]);
        }
    }
    out
}

/// A lead cut short and followed by a link to the rest ("… Stone Temple Pilots... Read More...").
static READ_MORE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)(?:\.\.\.|…)\s*[\[(]?(?:read more|continue reading|read the rest|full story|more)\W{0,6}$")
        .expect("static pattern")
});

/// Most lines above a "read more" line searched for the excerpt's headline or byline: the
/// excerpt seen on L3S (a blog post teased under a news story) runs two paragraphs under a
/// byline line.
const MAX_EXCERPT_LINES: usize = 3;

/// An excerpt of another page ending "… Read more": the cut lead, the paragraphs above it up to
/// the nearest short unpunctuated line (a byline or headline), and one more such line above that
/// (the headline over a byline). With no such line within [`MAX_EXCERPT_LINES`], only the cut
/// lead goes.
pub(super) fn read_more_teasers(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let short_label =
        |k: usize| lines.words(k) <= MAX_TEASER_HEADLINE_WORDS && !ends_sentence(&lines[k]);
    let mut out = Vec::new();
    for i in 0..lines.len() {
        // The pattern needs an ellipsis: looking for one first spares the regex most lines.
        let l = &lines[i];
        if lines.words(i) > MAX_PROMPTLESS_LEAD_WORDS
            || !(l.contains("...") || l.contains('…'))
            || !READ_MORE.is_match(l)
        {
            continue;
        }
        let top = (i.saturating_sub(MAX_EXCERPT_LINES)..i)
            .rev()
            .find(|&k| short_label(k));
        match top {
            Some(k) => {
                let k = if k > 0 && short_label(k - 1) {
                    k - 1
                } else {
                    k
                };
                out.extend(k..=i);
            }
            None => out.push(i),
        }
    }
    out
}

/// Longest teaser lead considered, in words: a long article paragraph that happens to end
/// "... more" is not a teaser (the L3S excerpt's cut paragraph has 190 words; article
/// paragraphs rarely pass 300).
const MAX_PROMPTLESS_LEAD_WORDS: usize = 300;

/// A wire dateline opening a lead: "New Delhi, Jan 15 (ANI):", "WASHINGTON (AP) —",
/// "LONDON, March 3 (Reuters) -".
static WIRE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"^[A-Z][\w.'-]*(?:[ -][A-Z][\w.'-]*){0,3},?(?: [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)? \([A-Z][A-Za-z]{1,10}(?: [A-Z][A-Za-z]+)?\)\s*[:\-–—]")
        .expect("static pattern")
});

/// Fewest words of a paragraph that shows the article has begun (a lead sentence).
const MIN_ARTICLE_PARAGRAPH_WORDS: usize = 15;

/// Fewest headline + dateline-lead pairs below the article for them to be a list of teasers.
/// One such pair can be the article's own start under a photo gallery's long captions (an AEB
/// AP page lost its lead at 1); the L3S teaser list has four.
const MIN_DATELINE_TEASERS: usize = 2;

/// Other stories' headlines and wire leads after the article ("Sonia Gandhi attends Army Day
/// reception" / "New Delhi, Jan 15 (ANI): In her first public appearance…"): a wire story opens
/// with its dateline once, so a list of headlines with dateline leads below a paragraph of the
/// article is a list of teasers.
pub(super) fn dateline_teasers(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut article_seen = false;
    for i in 1..lines.len() {
        if i >= 2 {
            let before = &lines[i - 2];
            article_seen |=
                lines.words(i - 2) >= MIN_ARTICLE_PARAGRAPH_WORDS && ends_sentence(before);
        }
        let head = &lines[i - 1];
        if article_seen
            && WIRE_DATELINE.is_match(&lines[i])
            && lines.words(i - 1) <= MAX_TEASER_HEADLINE_WORDS
            && !ends_sentence(head)
        {
            out.extend([i - 1, i]);
        }
    }
    if out.len() < 2 * MIN_DATELINE_TEASERS {
        out.clear();
    }
    out
}

static LINK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i:^\W*(?:read more|related|also read|read also|see also|also on [\w.]+|more|watch|listen)\s*:)|\[(?:[A-Z]{3,}|Video|Pics|Photos|Watch)\][\s|]*$")
        .expect("static pattern")
});

/// Longest linked headline with its label, in words.
const MAX_LINK_WORDS: usize = 25;

/// Single labelled links to other stories (see the module comment).
pub(super) fn link_lines(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    super::lines_matching(lines, &LINK_LINE, MAX_LINK_WORDS)
}

/// "Tags: …" / "TAGS: …" lines: the page's keyword links.
pub(super) fn tag_lines(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            (t.starts_with("Tags:")
                || t.starts_with("TAGS:")
                || t.starts_with("Tags ")
                || t.starts_with("Topics:"))
                && at_most_words(t, 40)
        })
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn related_lists(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines.words(i) <= 8 && HEADING.is_match(&lines[i]) {
            out.push(i);
            let mut j = i + 1;
            while j < lines.len() && lines.words(j) <= MAX_ITEM_WORDS && !ends_sentence(&lines[j]) {
                out.push(j);
                j += 1;
            }
            i = j;
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
    fn truncated_teasers_and_tags() {
        let lines: Vec<String> = [
            "The port reopened on Friday.",
            "Skype 2.2 Supports Windows Mobile Smartphones",
            "Skype has released the beta version of Skype 2.2 for Windows Mobile which now supports smartphones p...",
            "TAGS: South-Asia Modi to meet Amma over lunch today",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            crate::news::rule_hits_on(truncated_teasers, &lines),
            vec![1, 2]
        );
        assert_eq!(crate::news::rule_hits_on(tag_lines, &lines), vec![3]);
    }

    #[test]
    fn an_excerpt_ending_read_more_goes_with_its_byline_and_headline() {
        let lines: Vec<String> = [
            "The port reopened on Friday, officials said.",
            "View From the Hills: Part 1",
            "Ann Lee January 7th, 2008",
            "It's the anniversary of the death of a songwriter, which reminds me of a phone call.",
            "If you don't know, he is the godfather of the genre, and the group above is of a piece... Read More...",
            "The harbour master said traffic would resume.",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            crate::news::rule_hits_on(read_more_teasers, &lines),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn headlines_with_dateline_leads_below_the_article() {
        let article = "The meeting has fuelled speculation of a tie-up in the run up to next year's general elections.";
        let mut lines: Vec<String> = vec![article.into()];
        for h in ["Army marks its day", "Court lifts a ban"] {
            lines.push(h.into());
            lines.push(format!(
                "New Delhi, Jan 15 (ANI): {h} on Tuesday, officials said."
            ));
        }
        assert_eq!(
            crate::news::rule_hits_on(dateline_teasers, &lines),
            vec![1, 2, 3, 4]
        );
        // One pair is the article's own start (under long photo captions).
        assert!(crate::news::rule_hits_on(dateline_teasers, &lines[..3]).is_empty());
    }

    #[test]
    fn labelled_links_to_other_stories() {
        let lines: Vec<String> = [
            "Read more: Alibaba poised to launch record-breaking listing",
            "The port reopened on Friday, officials said.",
            "China furious at Macron for protest jibe [INSIGHT]",
            "Related: 15 Amazing Images of Stars",
            "More than 40 ships waited outside the port, the agency said [AFP].",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(crate::news::rule_hits_on(link_lines, &lines), vec![0, 2, 3]);
    }

    #[test]
    fn list_under_a_related_heading() {
        let lines: Vec<String> = [
            "The port reopened on Friday.",
            "Most read",
            "Storm closes schools across the region",
            "Council approves new budget",
            "Officials said repairs would cost 2 million.",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            crate::news::rule_hits_on(related_lists, &lines),
            vec![1, 2, 3]
        );
    }
}
