//! Plain-text layout: one paragraph per line, hard wraps joined, and a headline line lifted out
//! as the title only where it plainly stands alone.

use crate::headline::title_words;

/// Normalises layout: CRLF and lone CR become LF, runs of spaces collapse, lines that continue a
/// sentence (no closing punctuation, next line starting in lowercase) are joined — across a
/// blank line too, so that the decision is the same on the output and the function is
/// idempotent — and blank lines removed. The result has one paragraph per line.
///
/// In a text that marks its paragraphs (blank lines between them, or an indented first line, as
/// Reuters-21578 does), a block of hard-wrapped lines is one paragraph: a line that was filled
/// to the wrap width ("…the Customs" / "Department said.") continues on the next one even when
/// that starts with a capital. The output marks no paragraphs, so a second pass joins nothing
/// more.
pub fn normalize_plain(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let raw: Vec<&str> = text.lines().collect();
    let filled = filled_line_ends(&raw);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut continues = false;
    let mut fill_joins_next = false;
    for (i, line) in raw.iter().enumerate() {
        let line = collapse_spaces(line);
        if line.is_empty() {
            fill_joins_next = false;
            continue;
        }
        let starts_lower = line.chars().next().is_some_and(|c| c.is_lowercase());
        match paragraphs.last_mut() {
            Some(prev) if (continues && starts_lower) || fill_joins_next => {
                prev.push(' ');
                prev.push_str(&line);
            }
            _ => paragraphs.push(line),
        }
        continues = !ends_sentence(paragraphs.last().map(String::as_str).unwrap_or(""));
        fill_joins_next = filled[i];
    }
    paragraphs.join("\n")
}

/// Narrowest and widest wrap widths taken for hard-wrapped text. Typewriter and wire layouts
/// wrap at 60–80 columns (Reuters-21578: 64–72); a block whose longest line is under 40 is a
/// list or an address, and one over 100 is not wrapped by hand.
const WRAP_WIDTH: std::ops::RangeInclusive<usize> = 40..=100;

/// For each raw line, whether it was filled to its block's wrap width, so the next line of the
/// block continues its paragraph. Only in texts that mark paragraphs (a blank line after text,
/// or an indented line after text); a block ends at a blank or an indented line.
fn filled_line_ends(raw: &[&str]) -> Vec<bool> {
    let mut filled = vec![false; raw.len()];
    let indented = |l: &str| l.starts_with("  ") || l.starts_with('\t');
    let blank = |l: &str| l.trim().is_empty();
    let marks_paragraphs = raw
        .windows(2)
        .any(|w| !blank(w[0]) && (blank(w[1]) || indented(w[1])) && raw.iter().any(|l| !blank(l)))
        && raw.iter().filter(|l| !blank(l)).count() > 1;
    if !marks_paragraphs {
        return filled;
    }
    let mut start = 0;
    while start < raw.len() {
        if blank(raw[start]) {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < raw.len() && !blank(raw[end]) && !indented(raw[end]) {
            end += 1;
        }
        // Columns as laid out: an indented first line fills the width with its indentation.
        let columns = |l: &str| l.trim_end().chars().count();
        let width = raw[start..end]
            .iter()
            .map(|l| columns(l))
            .max()
            .unwrap_or(0);
        if end - start >= 2 && WRAP_WIDTH.contains(&width) {
            for i in start..end - 1 {
                let next_word = raw[i + 1].split_whitespace().next().unwrap_or("");
                // A line that stops short of the width without ending a sentence still
                // continues: the first line of a wire item is short by the dateline the
                // corpus keeps apart ("U.S. housing starts rose 2.6 pct in" / "February…").
                filled[i] = columns(raw[i]) + 1 + next_word.chars().count() > width
                    || !ends_sentence(raw[i]);
            }
        }
        start = end;
    }
    filled
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

/// Splits off the first line of a plain text (as it came, before [`normalize_plain`]) when it
/// reads as a headline standing alone: short, at least two words, not starting in lowercase,
/// not ending like a sentence or a lead-in (`.` `,` `:` `;`), followed by more text, and
/// standing alone: a blank line follows it, or it ends a paragraph (it stopped short of the
/// width of the lines that follow, so the next line's first word would have fitted on it, and
/// the next line does not start in lowercase). The first line of a hard-wrapped sentence is
/// filled to the wrap width, so it is never taken. Returns (headline, rest); the rest keeps
/// everything else of the text as it was.
pub fn split_headline(text: &str) -> (Option<String>, String) {
    let text_start = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    // Back to the start of the first non-blank line (keep its indentation out of the title).
    let line_start = text[..text_start].rfind('\n').map_or(0, |i| i + 1);
    let Some(nl) = text[line_start..].find('\n').map(|i| i + line_start) else {
        return (None, text.to_string());
    };
    let first = text[line_start..nl].trim();
    let rest = &text[nl + 1..];
    let words = first.split_whitespace().count();
    let looks_like_headline = first.chars().count() <= MAX_HEADLINE_CHARS
        && words >= 2
        && !starts_lowercase_word(first)
        // A lead quoting its last words ends `.”`: a sentence, not a headline.
        && !first
            .trim_end_matches(['"', '\u{201d}', '\u{2019}', '\''])
            .ends_with(['.', ',', ':', ';'])
        && !rest.trim().is_empty();
    if looks_like_headline && stands_alone(first, rest) {
        (Some(first.to_string()), rest.to_string())
    } else {
        (None, text.to_string())
    }
}

/// Whether a line starts with a lowercase word, as a sentence's continuation does; a brand
/// written in camel case ("iTunes now selling Band Aid song", a BBC title) is not one.
fn starts_lowercase_word(line: &str) -> bool {
    let word = line.split_whitespace().next().unwrap_or("");
    word.chars().next().is_some_and(char::is_lowercase)
        && !word.chars().skip(1).any(char::is_uppercase)
}

/// Whether a first line ends its paragraph: a blank line follows, or the following lines are
/// wider than it by more than their first word.
fn stands_alone(first: &str, rest: &str) -> bool {
    let mut lines = rest.lines();
    let Some(next) = lines.next() else {
        return true;
    };
    if next.trim().is_empty() {
        return true;
    }
    if starts_lowercase_word(next) {
        return false;
    }
    let width = std::iter::once(next)
        .chain(lines.take_while(|l| !l.trim().is_empty()).take(4))
        .map(|l| l.trim().chars().count())
        .max()
        .unwrap_or(0);
    let next_word = next.split_whitespace().next().unwrap_or("");
    first.chars().count() + 1 + next_word.chars().count() <= width
}

/// Whether a body's first paragraph repeats the title: the same words, ignoring case and
/// punctuation, or the same words as the title's headline part when the title adds the
/// outlet's name after a separator ("Headline - Gulf Times", "CNN | Headline"), so that it can
/// go as a drop rather than print the headline twice. A line that is only the start of the
/// title ("U.S. housing starts rose 2.6 pct in") is the start of a sentence, and stays.
pub fn repeats_title(line: &str, title: &str) -> bool {
    let l = title_words(line);
    if l.is_empty() {
        return false;
    }
    if l == title_words(title) {
        return true;
    }
    crate::headline::SEPARATORS.iter().any(|sep| {
        title
            .split(sep)
            .filter(|part| !part.trim().is_empty())
            .count()
            >= 2
            && title.split(sep).any(|part| title_words(part) == l)
    })
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
    fn a_filled_line_continues_on_a_capitalised_line_in_wire_layout() {
        // Reuters-21578 layout: hard wraps at about 70 columns, paragraphs start indented.
        let text = "Thai coffee exports rose to 22,068 tonnes in 1986 from 20,430 a year\nearlier, the Customs Department said, after a record crop in the\nNorthern provinces that was sold to buyers in Europe and the U.S.\n    Exports in the first quarter of this year reached 5,000 tonnes.\n";
        let once = normalize_plain(text);
        assert_eq!(
            once,
            "Thai coffee exports rose to 22,068 tonnes in 1986 from 20,430 a year earlier, the Customs Department said, after a record crop in the Northern provinces that was sold to buyers in Europe and the U.S.\nExports in the first quarter of this year reached 5,000 tonnes."
        );
        assert_eq!(normalize_plain(&once), once);
    }

    #[test]
    fn short_lines_in_a_marked_text_stay_apart() {
        // A list under a blank-line layout: no line is filled to a wrap width.
        let text = "Shr 28 cts vs 22 cts\nNet 1,193,000 vs 919,000\n\nRevs 16.5 mln vs 13.4 mln";
        assert_eq!(normalize_plain(text).lines().count(), 3);
    }

    #[test]
    fn headline_line_becomes_title() {
        let (t, rest) = split_headline(
            "Trump administration weighs sending migrants to Libya, sources say\nThe body starts here and runs on for a while, as a body paragraph does.",
        );
        assert_eq!(
            t.as_deref(),
            Some("Trump administration weighs sending migrants to Libya, sources say")
        );
        assert!(rest.starts_with("The body starts here"));
        let (t, _) =
            split_headline("iTunes now selling Band Aid song\n\nIpod owners can now download it.");
        assert_eq!(t.as_deref(), Some("iTunes now selling Band Aid song"));
        let (t, rest) = split_headline("\nAd sales boost profit\n\nQuarterly profits jumped.");
        assert_eq!(t.as_deref(), Some("Ad sales boost profit"));
        assert_eq!(rest, "\nQuarterly profits jumped.");
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

    #[test]
    fn the_first_line_of_a_wrapped_sentence_is_not_a_title() {
        // Lowercase continuation.
        let text = "Thai coffee exports rose to 22,068\ntonnes in 1986 from 20,430 a year earlier.";
        assert_eq!(split_headline(text).0, None);
        // Capitalised continuation, but the first line is filled to the wrap width.
        let text = "The central bank raised its key rate on Tuesday for the third time in the\nMonth, and said more rises could follow if inflation stayed high this year.";
        assert_eq!(split_headline(text).0, None);
    }

    #[test]
    fn a_title_repeated_as_the_first_paragraph_is_recognised() {
        assert!(repeats_title(
            "Qatar's exports rise",
            "Qatar’s Exports Rise"
        ));
        assert!(repeats_title(
            "Qatar's exports rise in March",
            "Qatar's exports rise in March - Gulf Times"
        ));
        assert!(repeats_title(
            "Qatar's exports rise",
            "Gulf Times | Qatar's exports rise"
        ));
        assert!(!repeats_title("Qatar", "Qatar's exports rise in March"));
        assert!(!repeats_title(
            "U.S. housing starts rose 2.6 pct in",
            "U.S. HOUSING STARTS ROSE 2.6 PCT IN FEBRUARY"
        ));
        assert!(!repeats_title(
            "Qatar's exports rise in March, the ministry said on Sunday, after a year of falls.",
            "Qatar's exports rise in March"
        ));
    }
}
