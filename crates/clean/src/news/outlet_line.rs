//! **outlet_line**: a line that is only the outlet's name ("CNN", "Reuters", "By Jane Doe,
//! CNN"): a page's outlet tag or byline printed into the body. It is metadata, not reporting,
//! and it would make every report of an outlet share a "sentence".
//!
//! Example: in a CNN page pasted as text, the line `CNN` under the headline is dropped.
//!
//! An agency's byline title is one too, with or without the writer's name and a time stamp
//! ("AP Golf Writer", "By LIZ AUSTIN PETERSON, Associated Press Writer Sat Dec 29, 10:10 AM
//! ET"), as are a source line ("Article from: Agence France-Presse") and a compilation's byline
//! ("Staff and agencies"): on the L3S pages these lead the body of wire copies, where the gold
//! has them outside the article. Lineage reads the agency from the drop.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::OUTLETS;
use super::{Body, NewsContext};

/// Longest agency byline line in words: two writers' names, the title and a time stamp ("By
/// GUDJON HELGASON and BRIAN CHURCH, Associated Press Writers 1 hour, 32 minutes ago" is 14).
const MAX_CREDIT_WORDS: usize = 20;

static CREDIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(concat!(
        r"^\W*(?:By [^.]{1,80}?[,\-\x{2013}\x{2014}]?\s+)?(?:The )?(?:Associated Press|AP)(?: [A-Z][a-z]+){0,2} (?:Writer|Correspondent)s?\b",
        r"|^\W*(?:Article|Story) (?:from|by):?\s+\S[^.]*$",
        r"|^\W*(?i:staff and agencies|agencies|staff and wire reports|wire reports)\W*$",
    ))
    .expect("static pattern")
});

/// Longest outlet or byline line in words ("By Jane Doe and John Roe, The Washington Post").
const MAX_WORDS: usize = 12;

fn norm(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn is_outlet(name: &str, ctx: &NewsContext<'_>) -> bool {
    let n = norm(name);
    !n.is_empty() && (OUTLETS.contains(&n.as_str()) || ctx.source.is_some_and(|s| norm(s) == n))
}

/// Whether what follows a byline title is at most a time stamp ("Sat Dec 29, 10:10 AM ET", "1
/// hour, 32 minutes ago"): capitalised words, numbers and the words of elapsed time, not a
/// sentence going on ("… Writer who covered the game").
fn only_time_stamp(rest: &str) -> bool {
    rest.split(|c: char| !c.is_alphanumeric()).all(|w| {
        w.is_empty()
            || !w.starts_with(|c: char| c.is_lowercase())
            || matches!(
                w,
                "ago"
                    | "hour"
                    | "hours"
                    | "minute"
                    | "minutes"
                    | "min"
                    | "mins"
                    | "am"
                    | "pm"
                    | "and"
                    | "s"
            )
    })
}

pub(super) fn outlet_lines(lines: &Body, ctx: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let l = l.trim();
            if lines.words(*i) > MAX_CREDIT_WORDS {
                return false;
            }
            if is_outlet(l, ctx) {
                return true;
            }
            if lines.words(*i) <= MAX_CREDIT_WORDS
                && CREDIT_LINE
                    .find(l)
                    .is_some_and(|m| only_time_stamp(&l[m.end()..]))
            {
                return true;
            }
            if lines.words(*i) > MAX_WORDS {
                return false;
            }
            // "By Jane Doe, CNN" / "Jane Doe | Reuters"
            let byline = l
                .strip_prefix("By ")
                .or_else(|| l.strip_prefix("by "))
                .or_else(|| l.strip_prefix("By: "))
                .filter(|name| name.chars().next().is_some_and(char::is_uppercase));
            let tail = l
                .rsplit([',', '|', '-', '\u{2013}', '\u{2014}'])
                .next()
                .unwrap_or("");
            byline.is_some() && (tail.len() < l.len() && is_outlet(tail, ctx) || !l.ends_with('.'))
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, source: Option<&str>) -> Vec<usize> {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        outlet_lines(&crate::news::Body::new(lines), &NewsContext { source })
    }

    #[test]
    fn outlet_tags_and_bylines() {
        assert_eq!(
            hits(
                "CNN\nReuters\nBy Jane Doe, The Washington Post\nBy Jane Doe",
                None
            ),
            vec![0, 1, 2, 3]
        );
        assert_eq!(hits("Dunmore Courier", Some("Dunmore Courier")), vec![0]);
    }

    #[test]
    fn agency_bylines_and_source_lines() {
        assert_eq!(
            hits(
                "AP Golf Writer\nBy LIZ AUSTIN PETERSON, Associated Press Writer Sat Dec 29, 10:10 AM ET\nArticle from: Agence France-Presse\nStaff and agencies\nAP White House Correspondent",
                None
            ),
            vec![0, 1, 2, 3, 4]
        );
        // Credits inside reporting stay.
        assert!(
            hits(
                "Associated Press Writer Ken Thomas contributed to this report.",
                None
            )
            .is_empty()
        );
        assert!(
            hits(
                "The AP Sports Writer who covered the game said the referee erred.",
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn headings_and_sentences_stay() {
        assert!(hits("MEXICO TO LIBYA\nLIFE-THREATENING\nCNN reached out to a representative for comment.", None).is_empty());
        assert!(hits("By the end of the week, prices had fallen.", None).is_empty());
    }
}
