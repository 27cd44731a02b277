//! The news layer: rules that drop what is not the article from a body of paragraphs (one per
//! line), for HTML and plain text alike. One module per rule; each says what it drops, why, and
//! shows an example. Every drop is recorded with its rule so a reader can see it.
//!
//! Rules run in a fixed order and repeat until nothing more is dropped, so cleaning a cleaned
//! text changes nothing.

pub(crate) mod comments;
mod credits;
mod doubled;
mod furniture;
mod lexicon;
mod outlet_line;
mod prompts;
mod related;
mod teaser;

use storyline_model::DroppedText;

/// What the rules may know besides the body.
#[derive(Debug, Clone, Default)]
pub struct NewsContext<'a> {
    /// The outlet, when the input names it.
    pub source: Option<&'a str>,
}

/// A body as the rules read it: its paragraphs, and each paragraph's word count, counted once.
/// The layer only ever removes paragraphs, never changes one, so what is known of a paragraph
/// holds until it goes. Counting words afresh for every rule and every pass was 5.8% of the
/// cleaning instructions on AEB (callgrind, `at_most_words`).
pub(crate) struct Body {
    lines: Vec<String>,
    words: Vec<usize>,
}

impl Body {
    pub(crate) fn new(lines: Vec<String>) -> Self {
        let words = lines.iter().map(|l| word_count(l)).collect();
        Body { lines, words }
    }

    /// Words of paragraph `i` (whitespace separated), as [`word_count`].
    pub(crate) fn words(&self, i: usize) -> usize {
        self.words[i]
    }

    fn remove(&mut self, i: usize) -> String {
        self.words.remove(i);
        self.lines.remove(i)
    }
}

impl std::ops::Deref for Body {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.lines
    }
}

type Rule = fn(&Body, &NewsContext<'_>) -> Vec<usize>;

/// Whether a rule reads each paragraph alone (`Line`) or paragraphs around it (`Context`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reads {
    Line,
    Context,
}

/// The rules in order: line-level boilerplate first, then structure (lists, duplicates, the
/// trailing teaser), which is easier to see once the clutter is gone.
const RULES: &[(&str, Rule, Reads)] = &[
    ("affiliate_note", prompts::affiliate_notes, Reads::Line),
    ("comment_section", comments::comment_section, Reads::Context),
    ("comment_prompt", comments::comment_prompts, Reads::Line),
    ("signed_comment", comments::signed_comments, Reads::Context),
    ("share_prompt", prompts::share_prompts, Reads::Line),
    ("cookie_notice", prompts::cookie_notices, Reads::Line),
    ("call_to_action", prompts::calls_to_action, Reads::Line),
    ("contributor_line", credits::contributor_lines, Reads::Line),
    ("author_contact", credits::author_contacts, Reads::Line),
    ("outlet_line", outlet_line::outlet_lines, Reads::Line),
    ("dateline", furniture::datelines, Reads::Line),
    ("caption", furniture::captions, Reads::Line),
    ("copyright", furniture::copyright, Reads::Line),
    ("disclaimer", furniture::disclaimers, Reads::Line),
    ("menu_line", furniture::menu_lines, Reads::Line),
    ("non_text", furniture::non_text, Reads::Line),
    ("promo", furniture::promos, Reads::Context),
    ("related_list", related::related_lists, Reads::Context),
    ("related_list", related::truncated_teasers, Reads::Context),
    ("related_list", related::read_more_teasers, Reads::Context),
    ("related_list", related::dateline_teasers, Reads::Context),
    ("related_link", related::link_lines, Reads::Line),
    ("tag_list", related::tag_lines, Reads::Line),
    (
        "doubled_paragraph",
        doubled::doubled_paragraphs,
        Reads::Context,
    ),
    ("teaser", teaser::trailing_teaser, Reads::Context),
];

/// Passes over the rules before giving up on a fixed point (each pass that drops something
/// shortens the body, so this only bounds pathological inputs).
const MAX_PASSES: usize = 8;

/// Applies the news layer to a body's paragraphs; returns the kept paragraphs and the drops in
/// the order they were made.
pub fn apply(paragraphs: Vec<String>, ctx: &NewsContext<'_>) -> (Vec<String>, Vec<DroppedText>) {
    let mut lines = Body::new(paragraphs);
    let mut drops = Vec::new();
    // Rules run in a row that dropped nothing. A rule is a function of the lines (and the
    // context), so once every rule has run on the current lines without dropping anything,
    // another pass would drop nothing either: the last pass stops there rather than running
    // the rules after the last drop a second time (10% of the news layer's instructions on
    // AEB, callgrind).
    //
    // A rule that reads each paragraph alone drops nothing after its first run: every
    // paragraph it sees later it has seen then (paragraphs are only ever removed), and those it
    // matched went. Later passes skip it (2,486M -> 2,468M cleaning instructions on AEB,
    // callgrind); `line_rules_read_each_paragraph_alone` holds the marking true.
    let mut quiet = 0;
    'passes: for pass in 0..MAX_PASSES {
        let before = drops.len();
        for (name, rule, reads) in RULES {
            if quiet == RULES.len() {
                break 'passes;
            }
            if pass > 0 && *reads == Reads::Line {
                quiet += 1;
                continue;
            }
            let mut hit = rule(&lines, ctx);
            if hit.is_empty() {
                quiet += 1;
                continue;
            }
            quiet = 0;
            hit.sort_unstable();
            hit.dedup();
            for &i in hit.iter().rev() {
                drops.push(DroppedText {
                    rule: (*name).to_string(),
                    text: lines.remove(i),
                });
            }
            // Drops are recorded top to bottom within one rule.
            let n = hit.len();
            let len = drops.len();
            drops[len - n..].reverse();
        }
        if drops.len() == before {
            break;
        }
    }
    (lines.lines, drops)
}

/// Least share of English stopwords among the words of a text for rules that count English
/// content terms to apply. English news prose runs at 40–50% stopwords; other languages written
/// in Latin script rarely pass 10%.
const MIN_ENGLISH_STOPWORDS: f64 = 0.2;

/// Whether a body reads as English (by its share of English function words).
pub(crate) fn reads_as_english(lines: &[String]) -> bool {
    let (mut words, mut stop) = (0usize, 0usize);
    for l in lines {
        for t in storyline_text::word_tokens(l) {
            words += 1;
            stop += usize::from(storyline_text::is_stopword(&t));
        }
    }
    words > 0 && stop as f64 >= MIN_ENGLISH_STOPWORDS * words as f64
}

/// Longest section heading, in words.
const MAX_HEADING_WORDS: usize = 15;

/// The lines that are section headings: short, starting with a capital, no closing
/// punctuation, and followed by a paragraph that ends like a sentence ("MEXICO TO LIBYA",
/// "Rwanda in Talks to Accept U.S. Deportees"). A list of short items is not a run of
/// headings: an item is followed by another item, not by a paragraph.
pub fn headings(lines: &[String]) -> Vec<usize> {
    (0..lines.len().saturating_sub(1))
        .filter(|&i| {
            let l = lines[i].trim();
            at_most_words(l, MAX_HEADING_WORDS)
                && !ends_sentence(l)
                && l.chars().next().is_some_and(char::is_uppercase)
                && ends_sentence(&lines[i + 1])
                && word_count(&lines[i + 1]) > word_count(l)
                // The last item of a list is followed by a paragraph too; its neighbour above
                // is another short unpunctuated item.
                && (i == 0 || ends_sentence(&lines[i - 1]) || !at_most_words(&lines[i - 1], MAX_HEADING_WORDS))
        })
        .collect()
}

/// Compiles a rule's pattern with ASCII word boundaries (`\b` as `(?-u:\b)`). A Unicode `\b`
/// sends the regex engine from its DFA to its slowest engine (the Pike VM) on every line with a
/// non-ASCII character — curly quotes put most news lines there — which was 40% of the news
/// layer's instructions on the AEB pages (callgrind). The patterns' words are English
/// keywords, on which the two boundaries differ only beside a non-ASCII letter.
pub(crate) fn pattern(p: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&p.replace(r"\b", r"(?-u:\b)"))
}

/// Indices of the short lines (at most `max_words`) that `re` matches.
pub(crate) fn lines_matching(lines: &Body, re: &regex::Regex, max_words: usize) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| lines.words(*i) <= max_words && re.is_match(l))
        .map(|(i, _)| i)
        .collect()
}

/// Words of a line (whitespace separated). An ASCII line is counted byte by byte (the
/// splitter's Unicode checks were 1% of the cleaning instructions on 100 CleanEval pages,
/// callgrind).
pub(crate) fn word_count(line: &str) -> usize {
    if !line.is_ascii() {
        return line.split_whitespace().count();
    }
    let mut n = 0;
    let mut in_word = false;
    for &b in line.as_bytes() {
        // Unicode's white space in ASCII: `is_ascii_whitespace` and the vertical tab.
        let space = b.is_ascii_whitespace() || b == 0x0b;
        n += usize::from(!space && !in_word);
        in_word = !space;
    }
    n
}

/// Whether a line has at most `max` words (`word_count(line) <= max`), reading no further
/// than word `max + 1`: the rules ask this of every line with limits of 8 to 40 words, and
/// counting every word of every long paragraph was 9% of the cleaning instructions on AEB
/// (callgrind).
pub(crate) fn at_most_words(line: &str, max: usize) -> bool {
    line.split_whitespace().nth(max).is_none()
}

/// A line that ends like a sentence.
pub(crate) fn ends_sentence(line: &str) -> bool {
    line.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '"' | '\u{201d}' | '\u{2019}' | '\'' | ')' | ':' | ';'
        )
    })
}

/// A rule's hits on the given paragraphs, with no context: the rule modules' tests.
#[cfg(test)]
pub(crate) fn rule_hits_on(rule: Rule, lines: &[String]) -> Vec<usize> {
    rule(&Body::new(lines.to_vec()), &NewsContext::default())
}

/// A rule's hits on a text split into lines, with no context: the rule modules' tests.
#[cfg(test)]
pub(crate) fn rule_hits(rule: Rule, text: &str) -> Vec<usize> {
    rule_hits_on(rule, &text.lines().map(String::from).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for t in [
            "",
            " a  b\t\nc ",
            "\x0bx\x0cy",
            "caf\u{e9}\u{a0} au\u{2003}lait  x",
        ] {
            assert_eq!(word_count(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn headings_are_short_unpunctuated_lines_before_paragraphs() {
        let body = lines(
            "MEXICO TO LIBYA\nFamily members of a Mexican national feared he could be deported.\nCranes: two\nBerths: five\nThe port reopened.",
        );
        assert_eq!(headings(&body), vec![0]);
    }

    proptest::proptest! {
        /// A rule marked as reading each paragraph alone gives on a body the paragraphs it
        /// gives on each paragraph by itself: what lets later passes skip it.
        #[test]
        fn line_rules_read_each_paragraph_alone(
            picks in proptest::collection::vec(0usize..SAMPLE_LINES.len(), 1..12)
        ) {
            let body: Vec<String> = picks.iter().map(|&k| SAMPLE_LINES[k].to_string()).collect();
            let ctx = NewsContext { source: Some("Daily Example") };
            for (name, rule, reads) in RULES {
                if *reads != Reads::Line {
                    continue;
                }
                let together = rule(&Body::new(body.clone()), &ctx);
                let alone: Vec<usize> = (0..body.len())
                    .filter(|&i| !rule(&Body::new(vec![body[i].clone()]), &ctx).is_empty())
                    .collect();
                proptest::prop_assert_eq!(together, alone, "{}", name);
            }
        }
    }

    /// Paragraphs some rule drops and some none does, for the property above.
    const SAMPLE_LINES: &[&str] = &[
        "Officials said the bridge would reopen in June after repairs to its deck.",
        "Leave a Reply",
        "Subscribe to our newsletter",
        "We use cookies to improve your experience.",
        "If you buy something through a link in this article, we may earn commission.",
        "Associated Press writers Ann Lee and Bo Chen contributed to this report.",
        "Write to Ann Lee at ann.lee@example.com",
        "CNN",
        "Daily Example",
        "Updated Nov 19, 9:41 AM",
        "Vicente Aguiar loads trims into his truck. (AP Photo/Alan Diaz, File)",
        "© 2019 Example Publishing Corp. All rights reserved.",
        "The BBC is not responsible for the content of external internet sites",
        "Print version | Email to a friend | Related articles",
        "***",
        "RANDY ANDY",
        "Andrew parties in unearthed pics despite claiming he avoids PDAs",
        "Read more: Storm closes port",
        "Tags: storm, port, harbour",
        "MEXICO TO LIBYA",
        "Frances McErlane, Mallorca, Spain",
        "Have your say",
        "Skype has released the beta version of Skype 2.2 for Windows Mobile p...",
    ];

    #[test]
    fn applying_twice_changes_nothing() {
        let body = lines(
            "Officials said the bridge would reopen in June after repairs to its deck.\nLeave a Reply\nSubscribe to our newsletter\nThe bridge carries 40,000 vehicles a day, the transport ministry said.",
        );
        let (once, drops) = apply(body, &NewsContext::default());
        assert_eq!(drops.len(), 2);
        let (twice, more) = apply(once.clone(), &NewsContext::default());
        assert_eq!(twice, once);
        assert!(more.is_empty());
    }
}
