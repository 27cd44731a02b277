//! **related_list**: a "Most read" / "Related stories" / "More from" heading and the list of
//! headlines under it. Links to other stories, not this one.
//!
//! Example: `Most read` followed by three headline lines is dropped, up to the next paragraph
//! that reads like a sentence.

use std::sync::LazyLock;

use regex::Regex;

use super::{NewsContext, ends_sentence, word_count};

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:most (?:read|popular|viewed|shared)|related(?: (?:stories|articles|content|coverage|news|links|reading))?|more (?:from|on|stories|news)\b.*|read (?:more|next|also)|see also|you (?:may|might) (?:also )?(?:like|be interested)\b.*|trending(?: now)?|recommended(?: for you)?|top stories|latest (?:news|stories|headlines)|editor'?s picks|(?:also )?in the news|in other news|more headlines|other (?:stories|news)|what to read next|popular (?:now|stories))\W*$")
        .expect("static pattern")
});

/// Longest headline in a list of links.
const MAX_ITEM_WORDS: usize = 20;

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
