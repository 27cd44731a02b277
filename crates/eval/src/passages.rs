//! Extraction scored by passages, the way a held-out check of expected and unexpected passages
//! scores a page (the shape of the check issue 20 reports against): each page's gold gives a
//! few passages that must be in the extracted text (an 8-word piece from inside its first,
//! middle and last paragraph of at least 6 words) and, where the gold labels them (L3S-GN1's
//! `sel0`, `sel4`, `sel5`: boilerplate, related content, comments), a few that must not (the
//! first, middle and last such paragraph of at least 8 words that the body does not hold).
//!
//! Word metrics forgive losing one paragraph of forty; a passage check does not: a lost
//! opening or closing paragraph is a lost passage. Scoring our sets this way showed the first
//! paragraph was the one lost most (CleanEval, L3S).
//!
//! Precision = expected found / (expected found + unexpected found), recall = expected found /
//! expected, over all pages of a half (micro).

use std::fmt::Write;

/// Fewest words of a gold paragraph that gives an expected passage.
const MIN_EXPECTED_WORDS: usize = 6;
/// Fewest words of a labelled non-body paragraph that gives an unexpected passage (shorter
/// ones, "Home", "Share", occur in any text by chance).
const MIN_UNEXPECTED_WORDS: usize = 8;
/// Words in a passage: a phrase, as a checker quotes one.
const PASSAGE_WORDS: usize = 8;

/// Lower-cased letter-and-digit words (no underscores: a rule of `___` is no word).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A text as its words between single spaces, with a space at each end, so that a passage is
/// found only as whole words.
pub fn normalized(text: &str) -> String {
    let mut s = String::from(" ");
    for w in words(text) {
        s.push_str(&w);
        s.push(' ');
    }
    s
}

/// The passage of a paragraph: [`PASSAGE_WORDS`] words from its middle (all of it when
/// shorter), normalised.
fn piece(paragraph: &[String]) -> String {
    let start = paragraph.len().saturating_sub(PASSAGE_WORDS) / 2;
    let end = (start + PASSAGE_WORDS).min(paragraph.len());
    format!(" {} ", paragraph[start..end].join(" "))
}

/// The first, middle and last of `paragraphs` with at least `min_words` words, as passages
/// (one or two when fewer qualify).
fn spread<'a>(paragraphs: impl Iterator<Item = &'a str>, min_words: usize) -> Vec<String> {
    let long: Vec<Vec<String>> = paragraphs
        .map(words)
        .filter(|w| w.len() >= min_words)
        .collect();
    if long.is_empty() {
        return Vec::new();
    }
    let mut at = vec![0, long.len() / 2, long.len() - 1];
    at.dedup();
    at.into_iter().map(|i| piece(&long[i])).collect()
}

/// One page's passages.
#[derive(Debug, Default)]
pub struct Passages {
    /// First, middle, last (fewer on a short page).
    pub expected: Vec<String>,
    pub unexpected: Vec<String>,
}

impl Passages {
    /// Passages from the gold body's paragraphs and, where labelled, the paragraphs that are not
    /// body: those the body holds too are no unexpected passage.
    pub fn new<'a>(
        body: impl Iterator<Item = &'a str>,
        not_body: impl Iterator<Item = &'a str>,
    ) -> Self {
        let body: Vec<&str> = body.collect();
        let expected = spread(body.iter().copied(), MIN_EXPECTED_WORDS);
        let whole = normalized(&body.join("\n"));
        let candidates: Vec<&str> = not_body
            .filter(|p| {
                let w = words(p);
                w.len() >= MIN_UNEXPECTED_WORDS && !whole.contains(&piece(&w))
            })
            .collect();
        Passages {
            expected,
            unexpected: spread(candidates.into_iter(), MIN_UNEXPECTED_WORDS),
        }
    }
}

/// One page's passage counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PageTally {
    pub expected: usize,
    pub found: usize,
    pub unexpected: usize,
    pub leaked: usize,
}

/// Counts over the pages of a half.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pages: usize,
    expected: usize,
    found: usize,
    /// Expected passages found by position: first, middle (pages with three), last.
    by_position: [(usize, usize); 3],
    unexpected: usize,
    leaked: usize,
    /// Pages with expected passages of which none was found.
    none_found: usize,
}

impl Tally {
    /// Adds a page: its passages against its extracted text. Returns the page's own counts
    /// (for the per-page scores file).
    pub fn add(&mut self, passages: &Passages, extracted: &str) -> PageTally {
        let text = normalized(extracted);
        self.pages += 1;
        let n = passages.expected.len();
        let mut found_here = 0;
        for (i, p) in passages.expected.iter().enumerate() {
            let hit = text.contains(p.as_str());
            found_here += usize::from(hit);
            let position = if i == 0 {
                0
            } else if i + 1 == n {
                2
            } else {
                1
            };
            self.by_position[position].0 += usize::from(hit);
            self.by_position[position].1 += 1;
        }
        self.expected += n;
        self.found += found_here;
        self.none_found += usize::from(n > 0 && found_here == 0);
        self.unexpected += passages.unexpected.len();
        let leaked = passages
            .unexpected
            .iter()
            .filter(|p| text.contains(p.as_str()))
            .count();
        self.leaked += leaked;
        PageTally {
            expected: n,
            found: found_here,
            unexpected: passages.unexpected.len(),
            leaked,
        }
    }

    fn precision(&self) -> f64 {
        let said = self.found + self.leaked;
        if said == 0 {
            0.0
        } else {
            self.found as f64 / said as f64
        }
    }

    fn recall(&self) -> f64 {
        self.found as f64 / self.expected.max(1) as f64
    }
}

/// The passage table of a set: one row per half.
pub fn table(name: &str, halves: &[Tally; 2]) -> String {
    let mut s = String::from(
        "\npassages (expected: first / middle / last gold paragraph; unexpected: labelled non-body text):\n\
         | set | pages | precision | recall | F | first found | middle | last | none found | unexpected found |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (t, label) in halves.iter().zip(["tune half", "report half"]) {
        let (p, r) = (t.precision(), t.recall());
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        let share = |(hit, all): (usize, usize)| format!("{hit} of {all}");
        let _ = writeln!(
            s,
            "| {name}, {label} | {} | {p:.3} | {r:.3} | {f:.3} | {} | {} | {} | {} | {} of {} |",
            t.pages,
            share(t.by_position[0]),
            share(t.by_position[1]),
            share(t.by_position[2]),
            t.none_found,
            t.leaked,
            t.unexpected
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_pieces_of_the_first_middle_and_last_paragraph() {
        let body = [
            "Short line.",
            "The council met on Monday to decide the future of the harbour wall.",
            "Work began in the spring after two winters of storms.",
            "The mayor said the town could not wait another year for it.",
        ];
        let p = Passages::new(body.iter().copied(), std::iter::empty());
        assert_eq!(p.expected.len(), 3);
        assert_eq!(p.expected[0], " met on monday to decide the future of ");
        assert!(normalized(body[3]).contains(&p.expected[2]));
    }

    #[test]
    fn found_only_as_whole_words_and_unexpected_text_counts_against() {
        let body = ["The council met on Monday to decide the future of the harbour wall."];
        let menu = [
            "Home News Sport Weather and all the rest of the menu",
            "The council met on Monday to decide the future of the harbour wall.",
        ];
        let p = Passages::new(body.iter().copied(), menu.iter().copied());
        // The repeated body paragraph is not an unexpected passage.
        assert_eq!(p.unexpected.len(), 1);
        let mut t = Tally::default();
        t.add(
            &p,
            "Home News Sport Weather and all the rest of the menu\nThe council met on Monday to decide the future of the harbour wall.",
        );
        assert_eq!((t.found, t.leaked), (1, 1));
        assert!((t.precision() - 0.5).abs() < 1e-9);
        let mut t = Tally::default();
        t.add(&p, "The councillors met on Mondays");
        assert_eq!((t.found, t.none_found), (0, 1));
    }
}
