//! - **comment_prompt**: "Leave a Reply", "Post a comment", "12 Comments", "Comments are
//!   closed", "Join the conversation". The comment box of a blog or news page, not the article.
//!   Example: the last line of a blog post, `Leave a Reply`, is dropped.
//! - **comment_section**: readers' comments printed under the article. From the first line that
//!   opens a comment section ("Have your say", "Comments are now closed for this story",
//!   "Reader comments", or a blog post's "Posted by … at <date>" signature) to the end, when
//!   an article's worth of text comes before it (a "Read comments" link under the headline is
//!   not the section).

use std::sync::LazyLock;

use regex::Regex;

use super::{NewsContext, word_count};

/// Longest comment-box line: prompts are a few words ("Leave a Reply Cancel reply").
const MAX_WORDS: usize = 12;

static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*(?:leave a (?:reply|comment)|post (?:a|your) comment|add (?:a|your) comment|comments?(?: \(\d+\))?|\d+ (?:comments?|responses?|replies)|show comments|view (?:all )?comments|join the (?:conversation|discussion)|be the first to comment|comments are closed|you must be logged in to post a comment|cancel reply|reply)(?:\s+cancel reply|\s+\(\d+\))?\W*$")
        .expect("static pattern")
});

pub(super) fn comment_prompts(lines: &[String], _: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| word_count(l) <= MAX_WORDS && PROMPT.is_match(l))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_boxes() {
        let lines: Vec<String> = [
            "Leave a Reply",
            "12 Comments",
            "Comments are closed.",
            "Reply",
            "Leave a Reply Cancel reply",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            comment_prompts(&lines, &NewsContext::default()),
            vec![0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn reporting_about_comments_stays() {
        let lines: Vec<String> =
            ["Comments from the minister drew criticism from both parties on Monday."]
                .map(String::from)
                .to_vec();
        assert!(comment_prompts(&lines, &NewsContext::default()).is_empty());
    }
}

static SECTION_START: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*(?:have your say\W*$|comments? (?:are|is) (?:now )?closed\b|reader(?:s'?)? comments\b|\d+ (?:comments?|responses?)\W*$|comments? \(\d+\)\W*$|(?:post|add|leave) (?:a|your) comment\b|your comments\W*$|discuss this (?:article|story)\b|posted by:? [^|]{1,80}(?: at | on |\| ?)(?:\w+ \d{1,2},? \d{4}|\d{1,2}[:/.]\d{2}|\d{1,2} \w+ \d{4}))")
        .expect("static pattern")
});

/// Words of article that must come before a comment section: a short news item runs to about
/// a hundred words; a "Have your say" link under the headline has none before it.
const MIN_ARTICLE_WORDS: usize = 100;

pub(super) fn comment_section(lines: &[String], _: &NewsContext<'_>) -> Vec<usize> {
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate() {
        if seen >= MIN_ARTICLE_WORDS && word_count(l) <= 30 && SECTION_START.is_match(l) {
            return (i..lines.len()).collect();
        }
        seen += word_count(l);
    }
    Vec::new()
}

#[cfg(test)]
mod section_tests {
    use super::*;

    fn body(extra: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = (0..8).map(|i| format!("Paragraph {i} of the article reports what the council decided about the harbour on Monday evening.")).collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    }

    #[test]
    fn comments_after_the_article_go() {
        let lines = body(&[
            "Posted by Eric Earling at December 29, 2007 12:03 PM | Email This",
            "1. Great post!",
            "2. I disagree.",
        ]);
        assert_eq!(
            comment_section(&lines, &NewsContext::default()),
            vec![8, 9, 10]
        );
        let lines = body(&[
            "Comments are now closed for this story",
            "Stephen B",
            "Nonsense.",
        ]);
        assert_eq!(
            comment_section(&lines, &NewsContext::default()),
            vec![8, 9, 10]
        );
    }

    #[test]
    fn a_comments_link_under_the_headline_is_not_the_section() {
        let mut lines = vec!["Have your say".to_string()];
        lines.extend(body(&[]));
        assert!(comment_section(&lines, &NewsContext::default()).is_empty());
    }
}
