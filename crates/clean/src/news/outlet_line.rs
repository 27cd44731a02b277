//! **outlet_line**: a line that is only the outlet's name ("CNN", "Reuters", "By Jane Doe,
//! CNN"): a page's outlet tag or byline printed into the body. It is metadata, not reporting,
//! and it would make every report of an outlet share a "sentence".
//!
//! Example: in a CNN page pasted as text, the line `CNN` under the headline is dropped.

use super::lexicon::OUTLETS;
use super::{Body, NewsContext};

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

pub(super) fn outlet_lines(lines: &Body, ctx: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let l = l.trim();
            if lines.words(*i) > MAX_WORDS {
                return false;
            }
            if is_outlet(l, ctx) {
                return true;
            }
            // "By Jane Doe, CNN" / "Jane Doe | Reuters"
            let byline = l
                .strip_prefix("By ")
                .or_else(|| l.strip_prefix("by "))
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
    fn headings_and_sentences_stay() {
        assert!(hits("MEXICO TO LIBYA\nLIFE-THREATENING\nCNN reached out to a representative for comment.", None).is_empty());
        assert!(hits("By the end of the week, prices had fallen.", None).is_empty());
    }
}
