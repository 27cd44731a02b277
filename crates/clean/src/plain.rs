//! Plain-text layout: one paragraph per line, hard wraps joined, a leading headline line lifted
//! out as the title.

/// Normalises layout: CRLF and lone CR become LF, runs of spaces collapse, lines that continue a
/// sentence (no closing punctuation, next line starting in lowercase) are joined — across a
/// blank line too, so that the decision is the same on the output and the function is
/// idempotent — and blank lines removed. The result has one paragraph per line.
pub fn normalize_plain(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs: Vec<String> = Vec::new();
    let mut continues = false;
    for line in text.lines() {
        let line = collapse_spaces(line);
        if line.is_empty() {
            continue;
        }
        let starts_lower = line.chars().next().is_some_and(|c| c.is_lowercase());
        match paragraphs.last_mut() {
            Some(prev) if continues && starts_lower => {
                prev.push(' ');
                prev.push_str(&line);
            }
            _ => paragraphs.push(line),
        }
        continues = !ends_sentence(paragraphs.last().map(String::as_str).unwrap_or(""));
    }
    paragraphs.join("\n")
}

fn collapse_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | ';' | '"' | '\u{201d}' | '\u{2019}' | '\'' | ')' | ']'
        )
    })
}

/// Longest line still taken as a headline. News headlines run to about 110 characters; 150
/// leaves room for long wire headlines while a body paragraph is almost always longer.
const MAX_HEADLINE_CHARS: usize = 150;

/// Splits off a first line that reads like a headline: short, not ending like a sentence, and
/// followed by more text. Returns (headline, rest).
pub fn split_headline(text: &str) -> (Option<String>, String) {
    let Some((first, rest)) = text.split_once('\n') else {
        return (None, text.to_string());
    };
    let first_t = first.trim();
    let words = first_t.split_whitespace().count();
    let is_headline = first_t.chars().count() <= MAX_HEADLINE_CHARS
        && words >= 3
        // A lead quoting its last words ends `.”`: a sentence, not a headline.
        && !first_t
            .trim_end_matches(['"', '\u{201d}', '\u{2019}', '\''])
            .ends_with('.')
        && !rest.trim().is_empty();
    if is_headline {
        (Some(first_t.to_string()), rest.to_string())
    } else {
        (None, text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_hard_wraps_and_keeps_paragraphs() {
        let text = "Inheritance is a basic concept\nof programming where the idea is\nto reuse code.\r\nA second paragraph.\n\n\nThird one";
        assert_eq!(
            normalize_plain(text),
            "Inheritance is a basic concept of programming where the idea is to reuse code.\nA second paragraph.\nThird one"
        );
    }

    #[test]
    fn normalizing_is_idempotent() {
        let text = "  A  line\nwith   wrap\n\nB.\n";
        let once = normalize_plain(text);
        assert_eq!(normalize_plain(&once), once);
    }

    #[test]
    fn fuzz_regression_blank_line_between_unfinished_and_lowercase_lines() {
        // Found by the `clean_text` fuzz target: the second pass joined what the first kept apart.
        let text = "`\u{3}\n\n\taa\n";
        let once = normalize_plain(text);
        assert_eq!(normalize_plain(&once), once);
    }

    #[test]
    fn headline_line_becomes_title() {
        let (t, rest) = split_headline(
            "Trump administration weighs sending migrants to Libya, sources say\nThe body starts here.",
        );
        assert_eq!(
            t.as_deref(),
            Some("Trump administration weighs sending migrants to Libya, sources say")
        );
        assert_eq!(rest, "The body starts here.");
    }

    #[test]
    fn a_first_sentence_is_not_a_title() {
        let text = "A U.S. judge said on Wednesday that the order stands.\nMore.";
        assert_eq!(split_headline(text).0, None);
        assert_eq!(split_headline("Only one line").0, None);
        // A lead that ends by quoting a slogan keeps its place in the body.
        let lead = "Gov. Ann Lee is defending the campaign with the slogan \u{201c}Meth, we\u{2019}re on it.\u{201d}\nMore.";
        assert_eq!(split_headline(lead).0, None);
    }
}
