//! **related_list**: a "Most read" / "Related stories" / "More from" heading and the list of
//! headlines under it. Links to other stories, not this one.
//!
//! Example: `Most read` followed by three headline lines is dropped, up to the next paragraph
//! that reads like a sentence.

use std::sync::LazyLock;

use regex::Regex;

use super::{NewsContext, ends_sentence, word_count};

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
pub(super) fn truncated_teasers(lines: &[String], _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    for i in 1..lines.len() {
        let head = &lines[i - 1];
        if truncated(&lines[i])
            && word_count(head) <= MAX_TEASER_HEADLINE_WORDS
            && !ends_sentence(head)
            && !truncated(head)
        {
            out.extend([i - 1, i]);
        }
    }
    out
}

/// "Tags: …" / "TAGS: …" lines: the page's keyword links.
pub(super) fn tag_lines(lines: &[String], _: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            (t.starts_with("Tags:")
                || t.starts_with("TAGS:")
                || t.starts_with("Tags ")
                || t.starts_with("Topics:"))
                && word_count(t) <= 40
        })
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn related_lists(lines: &[String], _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if word_count(&lines[i]) <= 8 && HEADING.is_match(&lines[i]) {
            out.push(i);
            let mut j = i + 1;
            while j < lines.len()
                && word_count(&lines[j]) <= MAX_ITEM_WORDS
                && !ends_sentence(&lines[j])
            {
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
            truncated_teasers(&lines, &NewsContext::default()),
            vec![1, 2]
        );
        assert_eq!(tag_lines(&lines, &NewsContext::default()), vec![3]);
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
            related_lists(&lines, &NewsContext::default()),
            vec![1, 2, 3]
        );
    }
}
