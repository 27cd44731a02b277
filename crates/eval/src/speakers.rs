//! `storyline eval speakers`: the speakers of direct quotes in BBC and Reuters-21578 reports,
//! against a sample labelled by reading (`crates/eval/quotes-sample`, its `GUIDE.md` says how
//! the documents were chosen and the quotes labelled).
//!
//! Each report is cleaned as an ingest would clean it and its attributions found as the
//! pipeline finds them. Each labelled quote is placed in the report's words by its anchor (its
//! first four words, normalised), looked for after the previous label's. A predicted direct
//! quote of at least four words (a partial one inside a reported sentence too, as `quotes`
//! shows it) *finds* the labelled quotes placed in its words (the engine joins one speaker's
//! consecutive quotes into one prediction). Its speaker is right when it names each found
//! quote's labelled speaker: the same words (case, punctuation and a leading "the"/"a" aside),
//! one's words inside the other's ("Mr Blair" and "Tony Blair" through the surname, "a
//! spokesman for Exxon" and "spokesman for Exxon Corp"), the same last word, or the label's
//! initials ("IBM"). Quotes labelled `?` (the text does not say) and `-` (not speech) are not
//! scored for their speaker; a prediction that finds a `-` label is a quote that is not one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::EvalError;

/// The sample's shortest quote: spans of fewer words were not labelled (`GUIDE.md`).
const MIN_WORDS: usize = 4;

pub const QUOTES: &str = include_str!("../quotes-sample/quotes.tsv");

struct Label {
    anchor: Vec<String>,
    speaker: String,
    n: usize,
}

fn labels() -> BTreeMap<String, Vec<Label>> {
    let mut out: BTreeMap<String, Vec<Label>> = BTreeMap::new();
    for line in QUOTES.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        out.entry(f[0].to_string()).or_default().push(Label {
            anchor: f[2].split_whitespace().map(str::to_string).collect(),
            speaker: f[3].trim().to_string(),
            n: f[1].parse().unwrap_or(0),
        });
    }
    out
}

/// The sample's normalisation: lower case, only letters, digits and spaces (an apostrophe
/// or a hyphen is dropped, joining its word), split on spaces.
pub fn words(text: &str) -> Vec<String> {
    let kept: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    kept.split_whitespace().map(str::to_string).collect()
}

/// Where `needle` first occurs in `hay` as a run of words.
fn position(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

const FILLER: &[&str] = &["the", "a", "an", "mr", "mrs", "ms", "dr", "sir"];

fn name_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .map(|w| w.strip_suffix('s').map_or(w.clone(), |x| x.to_string()))
        .collect()
}

/// Whether a predicted speaker names the labelled one (see the module's doc).
pub fn same_speaker(gold: &str, predicted: &str) -> bool {
    let (g, p) = (name_words(gold), name_words(predicted));
    if g.is_empty() || p.is_empty() {
        return false;
    }
    let (gs, ps): (HashSet<&String>, HashSet<&String>) = (g.iter().collect(), p.iter().collect());
    g.last() == p.last() || gs.is_subset(&ps) || ps.is_subset(&gs) || initials(gold) == predicted
}

/// The initials of a name's capitalised words, a company's legal suffix aside ("International
/// Business Machines Corp" → "IBM"): a speaker named by its acronym is named.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !matches!(*w, "Corp" | "Inc" | "Co" | "Ltd" | "Plc" | "PLC" | "and"))
        .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
        .collect()
}

#[derive(Default)]
struct Counts {
    gold: usize,
    found: usize,
    predicted: usize,
    matched: usize,
    judged: usize,
    right: usize,
    scored_gold: usize,
    gold_right: usize,
}

pub fn run(data: &Path, verbose: bool) -> Result<String, EvalError> {
    let labels = labels();
    let wanted: HashSet<&str> = labels.keys().map(String::as_str).collect();
    let raws: HashMap<String, storyline_read::RawReport> = crate::stories::corpus(data)?
        .into_iter()
        .filter(|r| wanted.contains(r.id.0.as_str()))
        .map(|r| (r.id.0.clone(), r))
        .collect();
    // [tune, report, all]
    let mut counts: [Counts; 3] = Default::default();
    let mut detail = String::new();
    let mut missing = Vec::new();
    for (id, gold) in &labels {
        let Some(raw) = raws.get(id) else {
            missing.push(id.clone());
            continue;
        };
        let report = storyline_clean::clean_report(raw.clone());
        let text = &report.text;
        let preds: Vec<_> = storyline_extract::attributions(text)
            .into_iter()
            // Quotes as a reader sees them, partial ones in a reported sentence too; under
            // four words the sample labels none ("golden rule", "smear").
            .filter(|a| a.direct && words(&text[a.content.0..a.content.1]).len() >= MIN_WORDS)
            .collect();
        let halves = [crate::stories::half(id), 2];
        // Each labelled quote's place in the report's words: its anchor, looked for after the
        // previous label's (anchors repeat: "i think it is").
        let doc = words(text);
        let mut at = 0;
        let placed: Vec<Option<usize>> = gold
            .iter()
            .map(|g| {
                let p = position(&doc[at.min(doc.len())..], &g.anchor).map(|p| p + at);
                if let Some(p) = p {
                    at = p + 1;
                }
                p
            })
            .collect();
        let mut gold_speaker_right = vec![false; gold.len()];
        let mut gold_found = vec![false; gold.len()];
        for a in &preds {
            let start = words(&text[..a.content.0]).len();
            let pw = words(&text[a.content.0..a.content.1]);
            // The labelled quotes the prediction holds (the engine joins one speaker's
            // consecutive quotes into one), in text order.
            let held: Vec<usize> = (0..gold.len())
                .filter(|&i| placed[i].is_some_and(|p| p >= start && p < start + pw.len()))
                .collect();
            let speaker = a.speaker.clone().unwrap_or_default();
            let scored: Vec<usize> = held
                .iter()
                .copied()
                .filter(|&i| gold[i].speaker != "-" && gold[i].speaker != "?")
                .collect();
            let right = scored
                .iter()
                .all(|&i| same_speaker(&gold[i].speaker, &speaker));
            // A label two predictions hold (a partial quote and the joined quote around it)
            // is found right when either names its speaker.
            for &i in &held {
                gold_found[i] = true;
                gold_speaker_right[i] |= right && scored.contains(&i);
            }
            let verdict = match held.first() {
                None => "NO-LABEL",
                Some(&i) if gold[i].speaker == "-" => "NOT-SPEECH",
                Some(_) if scored.is_empty() => "UNSAID",
                Some(_) if right => "ok",
                Some(_) => "WRONG",
            };
            for &h in &halves {
                let c = &mut counts[h];
                c.predicted += 1;
                if verdict != "NO-LABEL" && verdict != "NOT-SPEECH" {
                    c.matched += 1;
                }
                if verdict == "ok" || verdict == "WRONG" {
                    c.judged += 1;
                    c.right += (verdict == "ok") as usize;
                }
            }
            if verbose && verdict != "ok" {
                let label = held
                    .iter()
                    .map(|&i| format!("n={} {:?}", gold[i].n, gold[i].speaker))
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(
                    detail,
                    "{} {verdict} {id}: {:?} -> {speaker:?} ({label})",
                    ["tune", "report"][halves[0]],
                    pw.iter()
                        .take(8)
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
        for (i, g) in gold.iter().enumerate() {
            if g.speaker == "-" {
                continue;
            }
            for &h in &halves {
                let c = &mut counts[h];
                c.gold += 1;
                c.found += gold_found[i] as usize;
                if g.speaker != "?" {
                    c.scored_gold += 1;
                    c.gold_right += gold_speaker_right[i] as usize;
                }
            }
            if verbose && !gold_found[i] {
                let _ = writeln!(
                    detail,
                    "{} MISSED {id}: n={} {:?} ({:?})",
                    ["tune", "report"][halves[0]],
                    g.n,
                    g.anchor.join(" "),
                    g.speaker
                );
            }
        }
    }
    if !missing.is_empty() {
        return Err(EvalError::Missing {
            path: data.join("corpora").display().to_string(),
            what: "the BBC and Reuters-21578 reports of the quote sample",
        });
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "eval speakers: {} direct quotes labelled by reading in {} BBC and Reuters reports (crates/eval/quotes-sample)\n",
        QUOTES.lines().count().saturating_sub(1),
        labels.len()
    );
    let _ = writeln!(
        s,
        "| part | quotes | found | quote P | quote R | speakers judged | speaker P | speaker R |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, c) in ["tune", "report", "all"].iter().zip(&counts) {
        let _ = writeln!(
            s,
            "| {name} | {} | {} | {:.3} | {:.3} | {} | {:.3} | {:.3} |",
            c.gold,
            c.found,
            ratio(c.matched, c.predicted),
            ratio(c.found, c.gold),
            c.judged,
            ratio(c.right, c.judged),
            ratio(c.gold_right, c.scored_gold)
        );
    }
    let _ = writeln!(
        s,
        "\nquote P: predicted direct quotes that are a labelled quote; speaker P: of those with a \
         labelled speaker, the share whose speaker names it; speaker R: labelled speakers found \
         right. Tune on `tune`; quote `report`."
    );
    s.push_str(&detail);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_match_by_surname_or_description_not_by_a_shared_word_alone() {
        assert!(same_speaker("Tony Blair", "Mr Blair"));
        assert!(same_speaker("the Bank of England", "Bank of England"));
        assert!(same_speaker(
            "spokesman for Exxon Corp",
            "a spokesman for Exxon Corp"
        ));
        assert!(!same_speaker("Tony Blair", "Gordon Brown"));
        assert!(!same_speaker("Tony Blair", ""));
        assert!(!same_speaker("Tony Blair", "Tony Benn"));
        assert!(same_speaker("International Business Machines Corp", "IBM"));
        assert!(!same_speaker("International Business Machines Corp", "BM"));
    }

    #[test]
    fn anchors_are_found_as_runs_of_words() {
        let hay = words("\"I can't see any reason,\" he said.");
        assert_eq!(position(&hay, &words("i cant see any")), Some(0));
        assert_eq!(position(&hay, &words("see any reason he")), Some(2));
        assert_eq!(position(&hay, &words("any see")), None);
    }

    #[test]
    fn every_label_has_an_anchor_and_a_speaker() {
        let l = labels();
        assert!(l.len() >= 40, "{} reports", l.len());
        for (id, rows) in &l {
            for r in rows {
                assert!(
                    !r.anchor.is_empty() && !r.speaker.is_empty(),
                    "{id} n={}",
                    r.n
                );
            }
        }
    }
}
