//! - **comment_prompt**: "Leave a Reply", "Post a comment", "12 Comments", "Comments are
//!   closed", "Join the conversation". The comment box of a blog or news page, not the article.
//!   Example: the last line of a blog post, `Leave a Reply`, is dropped.
//! - **comment_section**: readers' comments printed under the article. From the first line that
//!   opens a comment section ("Have your say", "Comments are now closed for this story",
//!   "Reader comments", "Kommentare (12)", or a blog post's "Posted by … at <date>" signature) to the end, when
//!   an article's worth of text comes before it (a "Read comments" link under the headline is
//!   not the section). On a blog's archive page, where every post ends in such a footer, from
//!   the line after the last post's footer.
//! - **signed_comment**: readers' comments each followed by its signature line, "Name, Place"
//!   ("Frances McErlane, Mallorca, Spain"), when several such pairs follow one another: a
//!   comment section without a heading. Example: three paragraphs each followed by
//!   "Name, Town, Country" are dropped with their signatures.

use std::sync::LazyLock;

use regex::Regex;

use super::{Body, NewsContext, at_most_words};

/// Longest comment-box line: prompts are a few words ("Leave a Reply Cancel reply").
const MAX_WORDS: usize = 12;

static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*(?:leave a (?:reply|comment)|post (?:a|your) comment|add (?:a|your) comment|comments?(?: \(\d+\))?|\d+ (?:comments?|responses?|replies)|show comments|view (?:all )?comments|join the (?:conversation|discussion)|be the first to comment|comments are closed|you must be logged in to post a comment|cancel reply|reply)(?:\s+cancel reply|\s+\(\d+\))?\W*$")
        .expect("static pattern")
});

pub(super) fn comment_prompts(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| lines.words(*i) <= MAX_WORDS && PROMPT.is_match(l))
        .map(|(i, _)| i)
        .collect()
}

/// Longest signature line, in words (name, town, country).
const MAX_SIGNATURE_WORDS: usize = 8;

/// Fewest consecutive comment + signature pairs dropped. One "Name, Place" line under a
/// paragraph is as often a quoted reader or a credit inside an article (a rule taking single
/// signatures cost AEB recall 0.986 → 0.974); a comment section repeats the pattern (three
/// pairs on the L3S page that leaked most).
const MIN_SIGNED_COMMENTS: usize = 3;

/// Most characters in one comma-separated part of a signature (a name, a town).
const MAX_SIGNATURE_PART_CHARS: usize = 40;

/// A reader's signature: two to four comma-separated parts of letters ("Blake B, los angeles,",
/// "Jean Booth, Hague, Netherlands"), no sentence punctuation: no full stop either, so a company
/// name ("LG Electronics USA, Inc.") is not taken for one (an L3S press release lost its
/// "About …" paragraphs to that). Checked by hand: as a regex over Unicode letters this rule
/// alone took 15% of the cleaning instructions on AEB (callgrind).
fn is_signature(line: &str) -> bool {
    let line = line.trim();
    if !at_most_words(line, MAX_SIGNATURE_WORDS) {
        return false;
    }
    let line = line.strip_suffix(',').unwrap_or(line);
    let parts: Vec<&str> = line.split(',').map(str::trim).collect();
    (2..=4).contains(&parts.len())
        && parts.iter().all(|p| {
            p.chars().next().is_some_and(char::is_alphabetic)
                && p.chars().count() <= MAX_SIGNATURE_PART_CHARS
                && p.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-'))
        })
}

pub(super) fn signed_comments(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        // The run of (comment, signature) pairs starting at `i`.
        let mut j = i;
        while j + 1 < lines.len() && !is_signature(&lines[j]) && is_signature(&lines[j + 1]) {
            j += 2;
        }
        if (j - i) / 2 >= MIN_SIGNED_COMMENTS {
            out.extend(i..j);
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
            crate::news::rule_hits_on(comment_prompts, &lines),
            vec![0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn runs_of_signed_comments() {
        let body = "The ship returned to port on Monday after the outbreak, the company said.\nI got a similar bug on a cruise a couple of years ago.\nBlake B, los angeles,\nNothing to do with the bottle not breaking.\nFrances McErlane, Mallorca, Spain\nWhat a strange ritual it is anyway.\nJean Booth, Hague, Netherlands\nPrint";
        let lines: Vec<String> = body.lines().map(String::from).collect();
        assert_eq!(
            crate::news::rule_hits_on(signed_comments, &lines),
            vec![1, 2, 3, 4, 5, 6]
        );
        // One quoted reader with a signature is not a comment section.
        assert!(crate::news::rule_hits_on(signed_comments, &lines[..3]).is_empty());
    }

    #[test]
    fn reporting_about_comments_stays() {
        let lines: Vec<String> =
            ["Comments from the minister drew criticism from both parties on Monday."]
                .map(String::from)
                .to_vec();
        assert!(crate::news::rule_hits_on(comment_prompts, &lines).is_empty());
    }
}

static SECTION_START: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*(?:have your say\W*$|comments? (?:are|is) (?:now )?closed\b|reader(?:s'?)? comments\b|\d+ (?:comments?|responses?)\W*$|comments? \(\d+\)\W*$|(?:post|add|leave) (?:a|your) comment\b|your comments\W*$|discuss this (?:article|story)\b|(?:\d+ )?(?:leser)?kommentare(?: \(\d+\))?\W*$|kommentare sind geschlossen\b|kommentar schreiben\b|schreiben sie einen kommentar\b|posted by:? [^|]{1,80}(?: at | on |\| ?)(?:\w+ \d{1,2},? \d{4}|\d{1,2}[:/.]\d{2}|\d{1,2} \w+ \d{4}))")
        .expect("static pattern")
});

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)\b(?:comments?|responses?|replies|reactions|reader views|your (?:views|thoughts|say)|discussion|talkback|kommentare|kommentieren|leserkommentare)\b")
        .expect("static pattern")
});

/// Whether a short block of a page opens or names its comment section ("Comments", "5 comments
/// so far...", "Reader views (5)", "Leave a Reply"): the page's second opinion
/// (`blocks::second_opinion`) takes no text past one.
pub(crate) fn opens_comments(block: &str) -> bool {
    at_most_words(block, MAX_WORDS)
        && (PROMPT.is_match(block) || SECTION_START.is_match(block) || MARKER.is_match(block))
}

/// Words of article that must come before a comment section: a short news item runs to about
/// a hundred words; a "Have your say" link under the headline has none before it.
const MIN_ARTICLE_WORDS: usize = 100;

/// A blog post's footer: "Posted by NAME at|on <time>" (no colon: "Posted by: NAME | <date>" is a
/// reader's comment signature in the blog software of the time), or a count of the post's
/// comments ("Comments (5)", "Comments: 0", "12 comments"), which a reader's comment never
/// carries.
static POST_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*posted by ([^:|]{1,60}?) (?:at|on) ").expect("static pattern")
});
static COMMENT_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)\bcomments?\s*(?:\(\d+\)|:\s*\d+)|\b\d+ comments?\b")
        .expect("static pattern")
});

/// What a post's footer says of the post: who signed it, and whether it counts its comments.
#[derive(PartialEq)]
enum Footer {
    Signed(String),
    Counted,
}

fn post_footer(line: &str) -> Option<Footer> {
    if let Some(c) = POST_SIGNATURE.captures(line) {
        return Some(Footer::Signed(c[1].trim().to_lowercase()));
    }
    COMMENT_COUNT.is_match(line).then_some(Footer::Counted)
}

/// Where the comment section opens when line `i` opens it: a blog's archive page prints post
/// after post (some only a picture), each closed by a footer of the same kind (the same
/// author's signature, or its comment count); readers' comments never repeat a post's footer
/// (their signatures are "Posted by: NAME", "NAME said"). On such a page the section opens
/// after the last footer, which stays with its post (so the rule finds nothing more on the
/// next pass: cutting at the last footer peeled one post off per pass).
///
/// Measured (`storyline eval extraction --set S --scores F`, per page before and after): six
/// CleanEval archive pages kept their posts (179, 259, 334, 445, 476, 667: recall 0.02–0.41 →
/// 0.93–1.0), F1 tune 0.914 → 0.918, report 0.913 → 0.915; no other page of CleanEval, AEB or
/// L3S changed.
fn after_the_posts(lines: &Body, i: usize) -> usize {
    let mut last = i;
    while let Some(footer) = post_footer(&lines[last]) {
        match (last + 1..lines.len())
            .find(|&j| lines.words(j) <= 30 && post_footer(&lines[j]).as_ref() == Some(&footer))
        {
            Some(j) => last = j,
            None => break,
        }
    }
    if last == i { i } else { last + 1 }
}

pub(super) fn comment_section(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate() {
        if seen >= MIN_ARTICLE_WORDS && lines.words(i) <= 30 && SECTION_START.is_match(l) {
            return (after_the_posts(lines, i)..lines.len()).collect();
        }
        if seen < MIN_ARTICLE_WORDS {
            seen += lines.words(i);
        }
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
            crate::news::rule_hits_on(comment_section, &lines),
            vec![8, 9, 10]
        );
        let lines = body(&[
            "Comments are now closed for this story",
            "Stephen B",
            "Nonsense.",
        ]);
        assert_eq!(
            crate::news::rule_hits_on(comment_section, &lines),
            vec![8, 9, 10]
        );
    }

    #[test]
    fn a_german_comment_section_goes() {
        let lines = body(&["Kommentare (12)", "Toller Artikel!", "Sehe ich anders."]);
        assert_eq!(
            crate::news::rule_hits_on(comment_section, &lines),
            vec![8, 9, 10]
        );
        assert!(opens_comments("Leserkommentare"));
        assert!(opens_comments("Jetzt kommentieren"));
    }

    #[test]
    fn a_blogs_archive_keeps_its_posts() {
        let lines = body(&[
            "Posted by Ann Lee at 10:33 PM | Comments (2) | TrackBack",
            "The second post",
            "It rained all week and the harbour stayed shut, so the ferry ran from the north pier.",
            "Posted by Ann Lee at 9:02 AM | Comments (0) | TrackBack",
            "Posted by Ann Lee at 8:15 AM | Comments (1) | TrackBack",
            "Recent entries",
        ]);
        // Only what follows the last post's footer goes; the posts and footers stay.
        assert_eq!(crate::news::rule_hits_on(comment_section, &lines), vec![13]);
        // Readers' comments never repeat the post's footer: the section opens at it.
        let lines = body(&[
            "Posted by Ann Lee at 10:33 PM | Comments (2) | TrackBack",
            "Posted by: Bob | December 29, 2007 at 11:02 PM",
            "I disagree with every word of this.",
            "Posted by: Ann Lee | December 29, 2007 at 11:40 PM",
        ]);
        assert_eq!(
            crate::news::rule_hits_on(comment_section, &lines),
            vec![8, 9, 10, 11]
        );
    }

    #[test]
    fn a_comments_link_under_the_headline_is_not_the_section() {
        let mut lines = vec!["Have your say".to_string()];
        lines.extend(body(&[]));
        assert!(crate::news::rule_hits_on(comment_section, &lines).is_empty());
    }
}
