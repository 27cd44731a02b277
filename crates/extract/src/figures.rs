//! Figures and dates: numbers with what they count ("152,000 people", "about 15 years",
//! "three U.S. officials", "100 miles"), and absolute or relative dates ("in 2009", "March",
//! "last week", "as of Monday", "on Tuesday").

use std::sync::LazyLock;

use regex::Regex;

/// A number with what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub span: (usize, usize),
    /// The number as written, qualifier included ("about 15").
    pub number: String,
    /// Its value, when it parses (number words and scale words included).
    pub value: Option<f64>,
    /// What it counts ("people", "years", "U.S. officials"); empty for a bare number.
    pub counts: String,
}

/// A date or time expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub span: (usize, usize),
    pub text: String,
    /// Relative to the report's date ("last week", "on Tuesday") rather than absolute ("2009").
    pub relative: bool,
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("dozen", 12.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
    ("several", f64::NAN),
    ("dozens", f64::NAN),
    ("hundreds", f64::NAN),
    ("thousands", f64::NAN),
    ("millions", f64::NAN),
];

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    let words = NUMBER_WORDS
        .iter()
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"(?i)\b(?P<number>(?:(?:about|around|nearly|almost|roughly|some|more than|less than|fewer than|at least|up to|over|under)[^\S\n]+)?(?:\$[^\S\n]?)?(?:\d[\d,]*(?:\.\d+)?|{words})(?:[^\S\n]*(?:%|percent|per cent))?(?:[^\S\n]+(?:million|billion|trillion|thousand|hundred))?)\b(?:[^\S\n]+(?P<counts>(?:(?:of[^\S\n]+(?:the[^\S\n]+|his[^\S\n]+|her[^\S\n]+|their[^\S\n]+)?)?(?:(?:[A-Za-z]\.){{2,}}|[A-Za-z][\w’'-]*))(?:[^\S\n]+(?:(?:[A-Za-z]\.){{2,}}|[A-Za-z][\w’'-]*)){{0,2}}))?"
    ))
    .expect("static pattern")
});

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.";
const DAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<abs>(?:{MONTHS})[^\S\n]+\d{{1,2}}(?:,[^\S\n]*\d{{4}})?|(?:{MONTHS})[^\S\n]+\d{{4}}|(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Aa]n?|[Tt]he)[^\S\n]+(?:19|20)\d{{2}})\b|\b(?P<rel>(?:(?:last|next|this|on|as of|since|by|until|earlier this|later this)[^\S\n]+(?:{DAYS}|week|month|year|weekend|spring|summer|fall|autumn|winter))|(?:in|since|until|by)[^\S\n]+(?:{MONTHS})|yesterday|today|tonight|(?:{DAYS}))\b"
    ))
    .expect("static pattern")
});

/// Words after a number that end what it counts.
fn stop_word(w: &str) -> bool {
    storyline_text::is_stopword(&w.to_lowercase()) && !matches!(w.to_lowercase().as_str(), "of")
}

fn value_of(number: &str) -> Option<f64> {
    let lower = number.to_lowercase();
    let core: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "about"
                    | "around"
                    | "nearly"
                    | "almost"
                    | "roughly"
                    | "some"
                    | "more"
                    | "less"
                    | "fewer"
                    | "than"
                    | "at"
                    | "least"
                    | "up"
                    | "to"
                    | "over"
                    | "under"
            )
        })
        .collect();
    let mut value: Option<f64> = None;
    for w in core {
        let w = w.trim_start_matches('$').trim_end_matches('%');
        if let Ok(v) = w.replace(',', "").parse::<f64>() {
            value = Some(v);
        } else if let Some((_, v)) = NUMBER_WORDS.iter().find(|(n, _)| *n == w) {
            value = Some(*v).filter(|v| !v.is_nan());
        } else {
            let scale = match w {
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                "trillion" => 1e12,
                "hundred" => 1e2,
                _ => continue,
            };
            value = value.map(|v| v * scale);
        }
    }
    value
}

/// The figures of a text. A year alone ("2009") is a date, not a figure.
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out = Vec::new();
    for m in FIGURE.captures_iter(text) {
        let n = m.name("number").expect("group");
        let number = n.as_str().trim().to_string();
        let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
        let bare_year = digits.len() == 4
            && number.len() == 4
            && (digits.starts_with("19") || digits.starts_with("20"));
        if bare_year {
            continue;
        }
        let mut counts = String::new();
        let mut end = n.end();
        if let Some(c) = m.name("counts") {
            let mut taken: Vec<&str> = Vec::new();
            let mut pos = c.start();
            for w in c.as_str().split_whitespace() {
                // "U.S." keeps its full stops; other trailing punctuation ends the phrase.
                let dotted = w.len() > 2
                    && w.split('.')
                        .filter(|p| !p.is_empty())
                        .all(|p| p.chars().count() <= 2);
                let bare = if dotted {
                    w
                } else {
                    w.trim_end_matches(|ch: char| !ch.is_alphanumeric())
                };
                let after_of = taken
                    .last()
                    .is_some_and(|t| *t == "of" || matches!(*t, "the" | "his" | "her" | "their"));
                let determiner = matches!(bare, "the" | "his" | "her" | "their");
                if bare.is_empty() || (stop_word(bare) && bare != "of" && !(after_of && determiner))
                {
                    break;
                }
                let at = text[pos..].find(w).map(|i| pos + i).unwrap_or(pos);
                taken.push(bare);
                end = at + bare.len();
                pos = at + w.len();
                // The counted noun ends the phrase ("officials", "people", "miles").
                let lower = bare.to_lowercase();
                let head = !determiner
                    && bare != "of"
                    && bare.chars().next().is_some_and(char::is_lowercase)
                    && (lower.ends_with('s')
                        || matches!(
                            lower.as_str(),
                            "people" | "children" | "men" | "women" | "police" | "staff"
                        ));
                if head || w.len() != bare.len() {
                    break;
                }
            }
            // A phrase cannot end on "of" or a determiner ("two of" → "two").
            while taken
                .last()
                .is_some_and(|t| matches!(*t, "of" | "the" | "his" | "her" | "their"))
            {
                taken.pop();
            }
            if taken.is_empty() {
                end = n.end();
            } else {
                let last = taken.last().expect("non-empty");
                end = text[..end]
                    .rfind(last)
                    .map(|i| i + last.len())
                    .unwrap_or(end);
            }
            counts = taken.join(" ");
        }
        // "Valentin Yah, 39, said": a bare number set off by commas after a name is an age.
        if counts.is_empty()
            && number.len() <= 3
            && number.chars().all(|c| c.is_ascii_digit())
            && text[end..].starts_with(',')
            && text[..n.start()]
                .strip_suffix(", ")
                .and_then(|before| before.split_whitespace().last())
                .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            counts = "years old".to_string();
        }
        out.push(Figure {
            span: (n.start(), end),
            value: value_of(&number),
            number,
            counts,
        });
    }
    out
}

/// The date expressions of a text.
pub fn dates(text: &str) -> Vec<DateMention> {
    DATE.captures_iter(text)
        .filter_map(|m| {
            let (g, relative) = match (m.name("abs"), m.name("rel")) {
                (Some(a), _) => (a, false),
                (None, Some(r)) => (r, true),
                _ => return None,
            };
            // "a 2011 NATO-backed uprising", "the 2014 split": the year, not its article.
            let article = ["a ", "an ", "the "]
                .iter()
                .find(|a| g.as_str().to_lowercase().starts_with(*a))
                .map_or(0, |a| a.len());
            Some(DateMention {
                span: (g.start() + article, g.end()),
                text: g.as_str()[article..].to_string(),
                relative,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(t: &str) -> Vec<(String, Option<f64>, String)> {
        figures(t)
            .into_iter()
            .map(|f| (f.number, f.value, f.counts))
            .collect()
    }

    #[test]
    fn a_figure_does_not_run_over_a_line_break() {
        let got = figs("The fire started around 3 a.m.\nPolice closed the road.");
        assert!(
            got.iter()
                .all(|(t, _, c)| !t.contains('\n') && !c.contains('\n')),
            "{got:?}"
        );
    }

    #[test]
    fn numbers_with_what_they_count() {
        let got =
            figs("As of Monday, the administration has deported 152,000 people, according to DHS.");
        assert_eq!(
            got,
            vec![("152,000".into(), Some(152000.0), "people".into())]
        );
        let got = figs(
            "He served about 15 years in prison, according to three U.S. officials, only about 100 miles away.",
        );
        assert!(
            got.contains(&("about 15".into(), Some(15.0), "years".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("three".into(), Some(3.0), "U.S. officials".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("about 100".into(), Some(100.0), "miles".into())),
            "{got:?}"
        );
        assert!(figs("He was ordered deported in 2009.").is_empty());
        let got = figs("Two of the officials said so, and two of his family members agreed.");
        assert!(
            got.contains(&("Two".into(), Some(2.0), "of the officials".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("two".into(), Some(2.0), "of his family".into()))
                || got.contains(&("two".into(), Some(2.0), "of his family members".into())),
            "{got:?}"
        );
        assert_eq!(figs("a $2.5 billion deal")[0].1, Some(2.5e9));
    }

    #[test]
    fn an_age_after_a_name_and_a_year_without_its_article() {
        let f = figures("Valentin Yah, 39, said he was told to sign.");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].counts, "years old");
        let g = figures("The vote, 39, was close.");
        assert!(g.iter().all(|x| x.counts.is_empty()), "{g:?}");
        let d = dates("Libya has had little peace since a 2011 NATO-backed uprising.");
        assert!(d.iter().any(|x| x.text == "2011"), "{d:?}");
    }

    #[test]
    fn absolute_and_relative_dates() {
        let got: Vec<(String, bool)> =
            dates("As of Monday, last week, in March, on Tuesday, May 5, 2019 and in 2009.")
                .into_iter()
                .map(|d| (d.text, d.relative))
                .collect();
        assert!(
            got.contains(&("As of Monday".into(), true)) || got.contains(&("Monday".into(), true)),
            "{got:?}"
        );
        assert!(got.contains(&("last week".into(), true)), "{got:?}");
        assert!(got.contains(&("in March".into(), true)), "{got:?}");
        assert!(got.contains(&("on Tuesday".into(), true)), "{got:?}");
        assert!(got.contains(&("May 5, 2019".into(), false)), "{got:?}");
        assert!(got.contains(&("in 2009".into(), false)), "{got:?}");
    }
}
