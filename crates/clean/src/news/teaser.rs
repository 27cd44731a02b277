//! **teaser**: a headline and a lead of another story glued to the end of the article ("read
//! next" blocks that lost their link when the page was copied). The last two paragraphs are a
//! teaser when the first reads like a headline (no closing punctuation), the second is a short
//! lead, and together they share little of the article's vocabulary: they tell another event.
//!
//! Example: an article on deportation talks ending with "Trump’s immigration approach is
//! gumming up the courts, frustrating his Justice Department and judges" and its one-paragraph
//! lead: both are dropped.

use std::collections::HashSet;

use storyline_text::ContentTerms;

use super::{Body, NewsContext, ends_sentence};

/// Most share of the block's distinct content terms found in the rest of the article for it to
/// be another story. Provisional, not yet measured on a labelled set: the one teaser in the
/// seeds shares 23% (6 of 26 terms, the beat's words: Trump, administration, immigration…),
/// while a closing section of the same story repeats most of its terms. To be re-chosen on the
/// L3S related-content spans (`eval extraction --set l3s`, issue "clean").
const MAX_OVERLAP: f64 = 0.5;
/// Headline length bounds, in words: a news headline, not a three-word section heading.
const HEADLINE_WORDS: std::ops::RangeInclusive<usize> = 6..=25;
/// Teaser lead length bounds, in words: one news lead sentence or two.
const LEAD_WORDS: std::ops::RangeInclusive<usize> = 12..=80;
/// Fewest paragraphs the article keeps before a teaser (wire copy pasted as text is often one
/// long paragraph).
const MIN_ARTICLE_PARAGRAPHS: usize = 1;

fn terms(lines: &[String]) -> HashSet<String> {
    lines.iter().flat_map(|l| ContentTerms::of(l).0).collect()
}

pub(super) fn trailing_teaser(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let n = lines.len();
    if n < MIN_ARTICLE_PARAGRAPHS + 2 {
        return Vec::new();
    }
    let (head, lead) = (&lines[n - 2], &lines[n - 1]);
    let headline_like = HEADLINE_WORDS.contains(&lines.words(n - 2))
        && !ends_sentence(head)
        && head.chars().next().is_some_and(char::is_uppercase)
        && head
            .split_whitespace()
            .all(|w| w.chars().any(char::is_alphanumeric));
    let lead_like = LEAD_WORDS.contains(&lines.words(n - 1)) && ends_sentence(lead);
    // The overlap test counts English content terms: other languages are left alone.
    if !headline_like || !lead_like || !super::reads_as_english(lines) {
        return Vec::new();
    }
    let block = terms(&lines[n - 2..]);
    if block.is_empty() {
        return Vec::new();
    }
    let rest = terms(&lines[..n - 2]);
    let shared = block.iter().filter(|t| rest.contains(*t)).count();
    if (shared as f64) < MAX_OVERLAP * block.len() as f64 {
        vec![n - 2, n - 1]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(extra: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = [
            "A magnitude 6.1 earthquake struck the mountain town of Varlo early on Sunday, damaging the old cathedral.",
            "Rescue teams searched collapsed farm buildings north of Varlo through the night.",
            "Seismologists said aftershocks were likely for several days.",
        ]
        .map(String::from)
        .to_vec();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    }

    #[test]
    fn another_storys_headline_and_lead_at_the_end() {
        let lines = body(&[
            "Council budget vote delayed again as library row drags on",
            "The city council of Orland postponed its budget vote for a third time on Monday amid a dispute over library funding.",
        ]);
        assert_eq!(
            crate::news::rule_hits_on(trailing_teaser, &lines),
            vec![3, 4]
        );
    }

    #[test]
    fn a_closing_section_of_the_same_story_stays() {
        let lines = body(&[
            "Cathedral damage in Varlo",
            "The old cathedral in Varlo lost part of its roof in the earthquake, and rescue teams said the tower was unsafe.",
        ]);
        assert!(crate::news::rule_hits_on(trailing_teaser, &lines).is_empty());
    }
}
