//! A report as placement and alignment see it: its sentences with their tokens, content terms
//! and shingles; its document term counts; its MinHash bands; its sourcing markers.

use std::collections::HashMap;

use storyline_fingerprint::{FingerprintConfig, MinHasher, band_keys, shingles};
use storyline_model::{Report, ReportId, SentenceSpan};
use storyline_text::{ContentTerms, sentences, word_tokens};
use xxhash_rust::xxh3::xxh3_64;

use crate::markers::{SourcingMarkers, sourcing_markers};

/// Words per shingle inside one sentence, for near-verbatim sentence matching. Three words keep
/// short sentences matchable and still reward kept word order; the derivation study (issue
/// "spine" note) found 3-grams the best single feature on the Clough–Stevenson train split.
pub const SENTENCE_SHINGLE_WORDS: usize = 3;

#[derive(Debug, Clone)]
pub struct AnalyzedSentence {
    pub span: SentenceSpan,
    /// Lowercased word tokens joined by one space: equal strings are verbatim copies.
    pub normalized: String,
    /// Sorted, deduplicated stemmed content terms, as xxh3 hashes (compared often, so as
    /// integers rather than strings).
    pub terms: Vec<u64>,
    /// xxh3 of `normalized`, to find verbatim sentences without comparing strings.
    pub normalized_hash: u64,
    /// Sorted word 3-gram shingle hashes.
    pub shingles: Vec<u64>,
    pub token_count: usize,
}

#[derive(Debug, Clone)]
pub struct AnalyzedReport {
    pub id: ReportId,
    pub title_normalized: Option<String>,
    pub sentences: Vec<AnalyzedSentence>,
    /// Content term → count over title and body.
    pub term_counts: Vec<(String, u32)>,
    pub content_tokens: usize,
    /// Content tokens of the sentences that say something new: a sentence whose content terms
    /// mostly restate one earlier sentence (a lead printed twice, "key points" bullets under a
    /// summary paragraph) does not count.
    pub distinct_content_tokens: usize,
    /// Sorted document shingles (5-grams by default).
    pub doc_shingles: Vec<u64>,
    /// Sorted word 3-gram hashes of the body (within sentences): its wording.
    pub word_trigrams: Vec<u64>,
    /// Sorted hashes of consecutive content-term pairs (title and body): the report's phrasing
    /// with function words and inflection ignored, robust to light rewording.
    pub phrase_shingles: Vec<u64>,
    pub band_keys: Vec<u64>,
    pub signature: Vec<u32>,
    pub markers: SourcingMarkers,
    pub marker_evidence: Vec<String>,
    pub published: Option<String>,
    /// The names its lead gives: stemmed content terms of the capitalised words of its title
    /// and first sentences ([`lead_names`]), sorted and deduplicated. Placement keeps two
    /// reports apart when each lead names someone the other report never mentions.
    pub lead_names: Vec<String>,
    /// Whether `lead_names` are its headline's words, its lead naming next to no one (a wire
    /// table of figures): such an item relates to others by its template alone.
    pub lead_from_headline: bool,
    /// The news agency whose story this report republishes under its credit (a dateline
    /// "(AP) —", Reuters' "Reporting by …", a byline or notice the cleaner set aside), when the
    /// report's own outlet is not that agency ([`crate::markers::report_wire_credit`]).
    pub wire: Option<String>,
    /// Whether it signs its reporting: a byline, a dateline, an agency's credit or first-hand
    /// markers ([`crate::markers::signs_its_reporting`]).
    pub signed: bool,
}

/// Analyses a report. Deterministic and independent of any other report.
pub fn analyze(report: &Report, fp: &FingerprintConfig, hasher: &MinHasher) -> AnalyzedReport {
    let spans = reporting_sentences(report);
    let mut all_tokens: Vec<String> = Vec::new();
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut content_tokens = 0;
    let mut out_sentences = Vec::with_capacity(spans.len());
    let mut phrase_shingles = Vec::new();
    if let Some(title) = &report.title {
        let terms = ContentTerms::of(title).0;
        phrase_shingles.extend(shingles(&terms, 2));
        for t in terms {
            *counts.entry(t).or_default() += 1;
        }
    }
    for (span, tokens) in spans {
        let terms = ContentTerms::from_tokens(&tokens).0;
        content_tokens += terms.len();
        if terms.len() >= 2 {
            phrase_shingles.extend(shingles(&terms, 2));
        }
        for t in &terms {
            *counts.entry(t.clone()).or_default() += 1;
        }
        let mut uniq: Vec<u64> = terms.iter().map(|t| xxh3_64(t.as_bytes())).collect();
        uniq.sort_unstable();
        uniq.dedup();
        let normalized = tokens.join(" ");
        out_sentences.push(AnalyzedSentence {
            span,
            normalized_hash: xxh3_64(normalized.as_bytes()),
            normalized,
            terms: uniq,
            shingles: shingles(&tokens, SENTENCE_SHINGLE_WORDS),
            token_count: tokens.len(),
        });
        all_tokens.extend(tokens);
    }
    let distinct_content_tokens = distinct_tokens(&out_sentences);
    let body: Vec<&str> = out_sentences
        .iter()
        .map(|s| &report.text[s.span.start..s.span.end])
        .collect();
    let (lead, lead_from_headline) = lead_names_and_source(report.title.as_deref(), &body);
    let doc_shingles = shingles(&all_tokens, fp.shingle_words);
    let mut word_trigrams: Vec<u64> = out_sentences
        .iter()
        .flat_map(|s| s.shingles.iter().copied())
        .collect();
    word_trigrams.sort_unstable();
    word_trigrams.dedup();
    phrase_shingles.sort_unstable();
    phrase_shingles.dedup();
    let signature = hasher.signature(&doc_shingles);
    let band_keys = band_keys(&signature, fp.bands);
    let mut term_counts: Vec<(String, u32)> = counts.into_iter().collect();
    term_counts.sort_unstable();
    let (markers, mut marker_evidence) = sourcing_markers(&report.text);
    let credit = crate::markers::report_wire_credit(report);
    let signed = crate::markers::signs_its_reporting(report, &markers, credit.is_some());
    let wire = credit
        .filter(|(agency, _)| {
            // The agency's own page (its source, or its site: apnews.com) is no copy of itself.
            let own = |s: &str| crate::markers::is_agency(s, agency);
            !report.source.as_deref().is_some_and(own)
                && !crate::outlet::stated_outlet(report).is_some_and(|s| own(&s))
                && !crate::outlet::site_outlet(report).is_some_and(|s| own(&s))
        })
        .map(|(agency, credit)| {
            marker_evidence.push(format!("wire credit: \"{credit}\""));
            agency.to_string()
        });
    AnalyzedReport {
        id: report.id.clone(),
        title_normalized: report
            .title
            .as_ref()
            .map(|t| word_tokens(t).join(" "))
            .filter(|t| !t.is_empty()),
        sentences: out_sentences,
        term_counts,
        content_tokens,
        distinct_content_tokens,
        doc_shingles,
        word_trigrams,
        phrase_shingles,
        band_keys,
        signature,
        markers,
        marker_evidence,
        published: report.published.clone(),
        lead_names: lead,
        lead_from_headline,
        wire,
        signed,
    }
}

/// Sentences of the body that make its lead, for [`lead_names`]: a news lead says who did
/// what in its first sentence or two.
pub const LEAD_SENTENCES: usize = 2;

/// Sentences from the top of a body searched for the lead's prose (past menu lines, a
/// dateline alone on its line, a repeated headline).
const LEAD_SEARCH_SENTENCES: usize = 6;

/// Words from which a sentence without closing punctuation still reads as prose (a run-on
/// line of a page), not a menu line or a heading.
const PROSE_MIN_WORDS: usize = 12;

/// Whether a sentence is prose: it ends like a sentence, or runs on for
/// [`PROSE_MIN_WORDS`] words.
fn is_prose(text: &str) -> bool {
    if title_case(text) {
        return false;
    }
    let t = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']')
    });
    t.ends_with(['.', '!', '?']) || t.split_whitespace().count() >= PROSE_MIN_WORDS
}

/// The names a report's lead gives, as stemmed content terms (so they compare with the terms
/// of any report), sorted and deduplicated: the capitalised words of the lead's sentences (the
/// first [`LEAD_SENTENCES`] of `body`), and the title's words that the body confirms as names
/// (a headline set in capitals or in title case says nothing by its case, nor does a body line
/// set in title case, [`title_case`]: PolNeAR's texts open with their headline as a sentence,
/// and its "React", "Address" refused same-event pairs as different actors; `eval stories` tune
/// event F1 0.544 → 0.555, report unchanged, 100k bench unchanged). A word counts as
/// capitalised where case tells: not in a text set in capitals, not first in its sentence
/// unless the next word is capitalised too ("Olin Corp said…", not "Police said…"), and not
/// a day, a month or a title of address, which name no actor.
pub fn lead_names(title: Option<&str>, body: &[&str]) -> Vec<String> {
    lead_names_and_source(title, body).0
}

/// [`lead_names`], and whether they are its headline's words because its lead names next to
/// no one (a table of figures under a wire headline).
pub fn lead_names_and_source(title: Option<&str>, body: &[&str]) -> (Vec<String>, bool) {
    let mut from_headline = false;
    // The lead is the first sentences of prose: a page's menu line ("Font size: Decrease
    // Increase", "HomeSportLatest Sport News"), a dateline alone on its line or a repeated
    // headline above the story names no actor of it. Bodies with no prose near the top (a
    // wire table) keep their first lines.
    let prose: Vec<usize> = body
        .iter()
        .take(LEAD_SEARCH_SENTENCES)
        .enumerate()
        .filter(|(_, t)| is_prose(t))
        .map(|(i, _)| i)
        .take(LEAD_SENTENCES)
        .collect();
    let lead: Vec<usize> = if prose.is_empty() {
        (0..LEAD_SENTENCES.min(body.len())).collect()
    } else {
        prose
    };
    let mut confirmed: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for (i, text) in body.iter().enumerate() {
        let before = confirmed.len();
        capitalised_words(text, &mut confirmed);
        if lead.contains(&i) {
            words.extend_from_slice(&confirmed[before..]);
        }
    }
    let lead_end = words.len();
    confirmed.sort_unstable();
    confirmed.dedup();
    // An item without a title is headed by its first line (a wire price table's "NY COCOA
    // 1000"), which speaks for it in the same way.
    if let Some(title) = title.or(body.first().copied()) {
        // A headline set in capitals over a lead that names next to no one (a wire item's
        // table of figures, "S-K-I LTD <SKII> 2ND QTR NET" over "Shr 81 cts vs 57 cts", or a
        // dividend's "Pay Aug Three") is the only
        // place its company is named: then all of its words count, and only the distinctive
        // ones (idf, at placement) ever tell two items apart.
        let shouting = lead_end < FEW_LEAD_NAMES && shouts(title);
        from_headline = shouting;
        words.extend(
            word_tokens(title)
                .into_iter()
                .filter(|w| !not_a_name(w))
                .filter(|w| shouting || confirmed.binary_search(w).is_ok()),
        );
    }
    let mut names = ContentTerms::from_tokens(&words).0;
    names.sort_unstable();
    names.dedup();
    (names, from_headline)
}

/// Fewer capitalised words than this in a lead name no one: its headline speaks for it.
const FEW_LEAD_NAMES: usize = 2;

/// Words besides days and months that name no actor however they are written: titles of
/// address, times of day and time zones ("10 A.M. EST": two items of one strike were refused
/// as different actors over "a.m", `eval stories` tune half).
const NOT_NAMES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sir", "gmt", "a.m", "p.m", "am", "pm", "est", "edt", "bst",
];

/// Whether a lowercased word names no actor ("Monday", "Jan", "Mr").
fn not_a_name(w: &str) -> bool {
    storyline_text::is_calendar_word(w) || NOT_NAMES.contains(&w)
}

/// Whether a text is set in capitals (or holds no letter): its case tells nothing.
fn shouts(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    letters == 0 || upper * 10 > letters * 6
}

/// Fewest words of a line for [`title_case`] to call it a headline.
const TITLE_CASE_MIN_WORDS: usize = 4;

/// Whether a line is set in title case ("2016 Dems React To GOP Debate.", a headline repeated
/// at the top of a body): its words' capitals say nothing of names, as a headline's do not.
/// Four words in five capitalised, of four words or more; prose capitalises far fewer (a lead
/// full of names still has its verbs and articles in lower case).
pub(crate) fn title_case(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.starts_with(char::is_alphabetic))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    words.len() >= TITLE_CASE_MIN_WORDS && capitalised * 5 >= words.len() * 4
}

/// Pushes the lowercased capitalised words of one sentence (see [`lead_names`]).
fn capitalised_words(text: &str, out: &mut Vec<String>) {
    if shouts(text) || title_case(text) {
        return;
    }
    let raw: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '(' | ')' | ','))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let not_name = |w: &str| not_a_name(&w.to_lowercase());
    // "Pay July 15": a month after a sentence's first word does not make that word a name.
    let opens_name = raw.get(1).is_some_and(|n| capital(n) && !not_name(n));
    for (i, w) in raw.iter().enumerate() {
        if capital(w) && (i > 0 || opens_name) && !not_name(w) {
            // The tokens every other term is made of ("Burke-Parsons" is two).
            out.extend(word_tokens(w));
        }
    }
}

/// The report's sentences of reporting with their word tokens: section headings and sentences
/// without a word are left out. A sentence's index here is its position everywhere else
/// (alignment matches, brief candidates, sentence anchors in the web pages).
fn reporting_sentences(report: &Report) -> Vec<(SentenceSpan, Vec<String>)> {
    sentences(&report.text)
        .into_iter()
        // Section headings are structure, not sentences of reporting.
        .filter(|span| !report.headings.contains(&span.paragraph))
        .filter_map(|span| {
            let tokens = word_tokens(&report.text[span.start..span.end]);
            (!tokens.is_empty()).then_some((span, tokens))
        })
        .collect()
}

/// The spans of the report's sentences of reporting, indexed as [`AnalyzedReport::sentences`]
/// and the alignment matches are, without the rest of the analysis.
pub fn sentence_spans(report: &Report) -> Vec<SentenceSpan> {
    reporting_sentences(report)
        .into_iter()
        .map(|(span, _)| span)
        .collect()
}

/// Share of a sentence's content terms found in one earlier sentence for it to count as a
/// restatement; the same bar as a paraphrase in alignment ([`crate::align::AlignConfig`]).
const RESTATEMENT_OVERLAP: f64 = 0.5;

fn distinct_tokens(sentences: &[AnalyzedSentence]) -> usize {
    let mut total = 0;
    for (i, s) in sentences.iter().enumerate() {
        let restated = s.terms.len() >= 3
            && sentences[..i].iter().any(|e| {
                let shared = s
                    .terms
                    .iter()
                    .filter(|t| e.terms.binary_search(t).is_ok())
                    .count();
                shared as f64 >= RESTATEMENT_OVERLAP * s.terms.len() as f64
            });
        if !restated {
            total += s.terms.len();
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_names_are_the_capitalised_words_of_the_lead_and_confirmed_title_words() {
        let names = lead_names(
            Some("Olin Sells Notes Through Salomon"),
            &[
                "Police said Olin Corp raised 100 mln dlrs on Monday.",
                "The offering was led by Goldman Sachs.",
                "A third sentence naming Zurich is not the lead, but confirms Salomon.",
            ],
        );
        // In the title only "Olin" and "Salomon" are names by the body; "Sells", "Notes"
        // and "Through" are title case. "Police" and "The" open a sentence before a
        // lower-case word; "Monday" names no actor; "Zurich" is past the lead.
        assert_eq!(
            names,
            ["corp", "goldman", "olin", "sach", "salomon"],
            "{names:?}"
        );
    }

    #[test]
    fn the_lead_is_the_first_sentences_of_prose_past_menu_lines() {
        let names = lead_names(
            Some("Olin raises money"),
            &[
                "Font size: Decrease Increase",
                "Email article: Email",
                "Police said Olin Corp raised 100 mln dlrs on Monday.",
                "The offering was led by Goldman Sachs.",
            ],
        );
        assert_eq!(names, ["corp", "goldman", "olin", "sach"], "{names:?}");
    }

    #[test]
    fn title_case_lines_name_no_one() {
        // A headline repeated atop the body, in title case and ending in a full stop: not the
        // lead, and its capitals confirm no title word ("React", "Debate").
        let names = lead_names(
            Some("Democrats React To The Debate"),
            &[
                "Democrats React To The Debate.",
                "Senator Bernie Sanders tweeted during the debate in Milwaukee.",
                "He was joined by Hillary Clinton.",
            ],
        );
        assert_eq!(
            names,
            ["berni", "clinton", "hillari", "milwauke", "sander", "senat"],
            "{names:?}"
        );
        assert!(title_case("Home Sport Latest Weather"));
        assert!(!title_case(
            "Treasury Secretary James Baker told the Senate Banking Committee on Monday."
        ));
    }

    #[test]
    fn a_lead_set_in_capitals_gives_no_names_but_a_wire_headline_gives_all_its_words() {
        let names = lead_names(Some("Olin sells notes"), &["OLIN CORP SAID IT SOLD NOTES."]);
        assert!(names.is_empty(), "{names:?}");
        // Without a title, the first line heads the item.
        let names = lead_names(None, &["NY COCOA 1000", "MAY7 1928 OFF 6"]);
        assert_eq!(names, ["1000", "cocoa", "ny"], "{names:?}");
        let names = lead_names(Some("S-K-I LTD <SKII> 2ND QTR JAN 25 NET"), &["Shr 81 cts"]);
        assert_eq!(
            names,
            ["25", "2nd", "ltd", "net", "qtr", "skii"],
            "{names:?}"
        );
    }
}
