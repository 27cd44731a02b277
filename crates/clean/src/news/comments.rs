//! **comment_prompt**: "Leave a Reply", "Post a comment", "12 Comments", "Comments are closed",
//! "Join the conversation". The comment box of a blog or news page, not the article.
//!
//! Example: the last line of a blog post, `Leave a Reply`, is dropped.

use std::sync::LazyLock;

use regex::Regex;

use super::{NewsContext, word_count};

/// Longest comment-box line: prompts are a few words ("Leave a Reply Cancel reply").
const MAX_WORDS: usize = 12;

static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:leave a (?:reply|comment)|post (?:a|your) comment|add (?:a|your) comment|comments?(?: \(\d+\))?|\d+ (?:comments?|responses?|replies)|show comments|view (?:all )?comments|join the (?:conversation|discussion)|be the first to comment|comments are closed|you must be logged in to post a comment|cancel reply|reply)(?:\s+cancel reply|\s+\(\d+\))?\W*$")
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
