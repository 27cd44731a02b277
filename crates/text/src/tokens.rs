//! Word tokens and content terms. Tokens are UAX #29 words, NFKC-normalised and lowercased,
//! with curly apostrophes straightened and a trailing possessive `'s` dropped, so that
//! "Trump’s" and "Trump's" and "trump" are one token. Content terms are tokens that are not
//! stopwords, Snowball-stemmed: what similarity and paraphrase alignment compare.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_segmentation::UnicodeSegmentation;

use crate::stopwords::is_stopword;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words whose stems a thread keeps before it starts over: news vocabulary repeats, and the
/// Snowball stemmer was 16% of the instructions of reading, cleaning and analysing a 5,000-report
/// shard of the scale bench (callgrind, `scale-bench ceiling`, issue "scale" note). The whole
/// 100k-report scale-bench corpus has about 73,000 distinct words, so 100k holds a large
/// archive's working vocabulary at roughly 100 bytes a word (two short strings and a hash
/// slot), about 10 MB per thread at most; a full cache starts over rather than tracking age.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    /// Word → stem, this thread's (the stemmer is a pure function, so the cache changes nothing
    /// but time).
    static STEMS: std::cell::RefCell<FxHashMap<String, String>> =
        std::cell::RefCell::new(FxHashMap::default());
}

/// Normalises a piece of text for token comparison: NFKC, lowercase, straight quotes.
pub fn normalize_for_match(text: &str) -> String {
    // ASCII is NFKC and lowercases byte by byte: the bulk of news text takes this path.
    if text.is_ascii() {
        let mut out = text.to_ascii_lowercase();
        if out.contains('`') {
            out = out.replace('`', "'");
        }
        return out;
    }
    // Most news text is already NFKC (quick check "yes"), and NFKC of such text is the text
    // itself: skipping the normaliser there was 3× faster on the scale bench's tokenising
    // (issue 7, `scale-bench neardup --parts`), with the same output.
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        fold_case_and_quotes(text)
    } else {
        fold_case_and_quotes(&text.nfkc().collect::<String>())
    }
}

/// Lowercase (char by char, as `char::to_lowercase`) and straight quotes; ASCII byte by byte.
fn fold_case_and_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(if c == '`' {
                '\''
            } else {
                c.to_ascii_lowercase()
            });
        } else {
            out.extend(c.to_lowercase().map(straight_quote));
        }
    }
    out
}

fn straight_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' => '"',
        c => c,
    }
}

/// Lowercased word tokens of `text`, in order.
pub fn word_tokens(text: &str) -> Vec<String> {
    with_word_tokens(text, |tokens| {
        tokens.iter().map(|t| t.to_string()).collect()
    })
}

/// Calls `f` with the word tokens of `text` (the same as [`word_tokens`]) as slices of one
/// normalised string: no allocation per token, for callers that only hash them.
pub fn with_word_tokens<R>(text: &str, f: impl FnOnce(&[&str]) -> R) -> R {
    let norm = normalize_for_match(text);
    let mut words = Vec::new();
    push_words(&norm, &mut words);
    let tokens: Vec<&str> = words
        .into_iter()
        .map(token)
        .filter(|w| !w.is_empty())
        .collect();
    f(&tokens)
}

/// Pushes the UAX #29 words of `text` (those of `unicode_words`, a proptest holds them equal):
/// ASCII stretches through [`ascii_words`], the pieces around non-ASCII characters through
/// `unicode_words`. Long reports often hold one dash or accented name; segmenting all of such a
/// report by the Unicode tables took a third of the stage on the 100k corpus (perf, issue 7).
fn push_words<'a>(text: &'a str, out: &mut Vec<&'a str>) {
    let b = text.as_bytes();
    // A word boundary always falls after a space or line feed that a printable ASCII
    // character follows (no UAX #29 rule joins across it, and no rule looks past it), so the
    // text can be cut there and each piece segmented alone.
    let cut = |i: usize| matches!(b[i - 1], b' ' | b'\n') && matches!(b[i], 0x21..=0x7e);
    let mut start = 0;
    while start < b.len() {
        let Some(p) = b[start..]
            .iter()
            .position(|c| !c.is_ascii())
            .map(|p| start + p)
        else {
            out.extend(ascii_words(&text[start..]));
            return;
        };
        let q = (start + 1..=p).rev().find(|&i| cut(i)).unwrap_or(start);
        let r = (p + 1..b.len()).find(|&i| cut(i)).unwrap_or(b.len());
        out.extend(ascii_words(&text[start..q]));
        out.extend(text[q..r].unicode_words());
        start = r;
    }
}

/// A word without a possessive `'s` and without apostrophes around it.
fn token(w: &str) -> &str {
    let w = w.strip_suffix("'s").unwrap_or(w);
    w.trim_matches('\'')
}

/// UAX #29 words of an ASCII text, as `unicode_words` gives them (a proptest holds the two
/// equal): runs of letters, digits and `_`, joined across one `.`, `'` or `:` between two
/// letters and one `.`, `'`, `,` or `;` between two digits, that hold a letter or digit.
/// About 99.9% of the scale bench's reports are ASCII once lowercased and quotes are
/// straightened; on them this halves the instructions of `unicode_words` (tokenising and
/// shingling the 10k corpus: 734 M → 578 M instructions under callgrind, issue 7).
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            while i < b.len() && !WORD_BYTE[usize::from(b[i])] {
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            let start = i;
            loop {
                while i < b.len() && WORD_BYTE[usize::from(b[i])] {
                    i += 1;
                }
                let (Some(&mid), Some(&next)) = (b.get(i), b.get(i + 1)) else {
                    break;
                };
                let prev = b[i - 1];
                let letters = prev.is_ascii_alphabetic()
                    && next.is_ascii_alphabetic()
                    && matches!(mid, b'.' | b'\'' | b':');
                let digits = prev.is_ascii_digit()
                    && next.is_ascii_digit()
                    && matches!(mid, b'.' | b'\'' | b',' | b';');
                if !(letters || digits) {
                    break;
                }
                i += 1;
            }
            let word = &text[start..i];
            // Only a run of `_` alone holds no letter or digit (a joined mid-word character
            // sits between two).
            if b[start] != b'_' || word.bytes().any(|c| c != b'_') {
                return Some(word);
            }
        }
    })
}

/// ASCII letters, digits and `_`: the bytes a word of [`ascii_words`] is made of.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

/// Stemmed content terms of a text, in order (repeats kept, so callers can count).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentTerms(pub Vec<String>);

impl ContentTerms {
    pub fn of(text: &str) -> ContentTerms {
        Self::from_tokens(&word_tokens(text))
    }

    pub fn from_tokens(tokens: &[String]) -> ContentTerms {
        STEMS.with_borrow_mut(|stems| {
            if stems.len() >= STEM_CACHE_WORDS {
                stems.clear();
            }
            ContentTerms(
                tokens
                    .iter()
                    .filter(|t| !is_stopword(t))
                    // A token of punctuation-free single letters carries no content.
                    .filter(|t| t.chars().count() > 1 || t.chars().all(|c| c.is_ascii_digit()))
                    .map(|t| match stems.get(t.as_str()) {
                        Some(stem) => stem.clone(),
                        None => {
                            let stem = STEMMER.stem(t).into_owned();
                            stems.insert(t.clone(), stem.clone());
                            stem
                        }
                    })
                    .collect(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cached_stems_are_the_stemmers() {
        let text =
            "Officials said the deportations were running; running deportations, officials said.";
        let direct: Vec<String> = word_tokens(text)
            .iter()
            .filter(|t| !is_stopword(t))
            .map(|t| STEMMER.stem(t).into_owned())
            .collect();
        // The second call reads the stems the first stored.
        assert_eq!(ContentTerms::of(text).0, direct);
        assert_eq!(ContentTerms::of(text).0, direct);
    }

    #[test]
    fn possessives_and_quotes_fold() {
        assert_eq!(
            word_tokens("Trump’s plan, Trump's plan"),
            vec!["trump", "plan", "trump", "plan"]
        );
    }

    #[test]
    fn abbreviations_stay_one_token() {
        assert_eq!(
            word_tokens("the U.S. military"),
            vec!["the", "u.s", "military"]
        );
    }

    #[test]
    fn content_terms_drop_stopwords_and_stem() {
        let t = ContentTerms::of("The migrants were deported to Libya");
        assert_eq!(t.0, vec!["migrant", "deport", "libya"]);
    }

    /// The definition before the fast path: NFKC always, then lowercase and quotes.
    fn normalize_reference(text: &str) -> String {
        text.nfkc()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' => '\'',
                '\u{201c}' | '\u{201d}' | '\u{201e}' => '"',
                c => c,
            })
            .collect()
    }

    #[test]
    fn normalization_matches_the_reference_on_odd_text() {
        for text in [
            "Trump’s “plan” `x` ＦＵＬＬ ﬁne Ⅻ café cafe\u{301} ΣΑΣ İstanbul ß ǅ ﬀ ½ ℌ",
            "e\u{301}\u{323} a\u{323}\u{301} 가\u{11a8} \u{1100}\u{1161}",
            "",
        ] {
            assert_eq!(
                normalize_for_match(text),
                normalize_reference(text),
                "{text}"
            );
        }
    }

    proptest! {
        #[test]
        fn normalization_matches_the_reference(text in "\\PC{0,40}", ascii in "[ -~]{0,40}") {
            prop_assert_eq!(normalize_for_match(&text), normalize_reference(&text));
            prop_assert_eq!(normalize_for_match(&ascii), normalize_reference(&ascii));
        }

        #[test]
        fn ascii_words_match_uax29(text in "[a-zA-Z0-9_.,;:'\" \n\r\t!?()/@#&-]{0,40}", dense in "[aZ1_.,;:' ]{0,24}") {
            for text in [text, dense] {
                let fast: Vec<&str> = ascii_words(&text).collect();
                let uax: Vec<&str> = text.unicode_words().collect();
                prop_assert_eq!(fast, uax);
            }
        }

        #[test]
        fn mixed_words_match_uax29(text in "([a-z0-9_.,;:' \n\r\t-]|é|—|’|\u{301}|\u{200d}|\u{a0}|中|🇫|🇷|👍|ß|٣){0,40}") {
            let mut fast = Vec::new();
            push_words(&text, &mut fast);
            let uax: Vec<&str> = text.unicode_words().collect();
            prop_assert_eq!(fast, uax);
        }

        #[test]
        fn tokens_ignore_whitespace_layout(words in proptest::collection::vec("[a-zA-Z]{1,8}", 1..20), seps in proptest::collection::vec(prop_oneof![Just(" "), Just("  "), Just("\n"), Just("\t "), Just(" \r\n ")], 20)) {
            let plain = words.join(" ");
            let mut odd = String::new();
            for (i, w) in words.iter().enumerate() {
                odd.push_str(w);
                odd.push_str(seps[i % seps.len()]);
            }
            prop_assert_eq!(word_tokens(&plain), word_tokens(&odd));
        }
    }
}
