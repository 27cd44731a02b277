//! **doubled_paragraph**: a paragraph printed twice, or printed once on its own and again at
//! the start of a longer one — typically a lead shown as a standfirst and repeated as the first
//! sentence of the body, or a pull quote. The shorter copy is dropped; the fuller one is kept.
//!
//! Example: "The administration has discussed … to the two countries." followed by "The
//! administration has discussed … to those two countries, according to multiple sources…":
//! the first line is dropped.

use std::collections::HashMap;

use storyline_text::word_tokens;

use super::NewsContext;

/// Least share of a paragraph's word 3-grams found in another paragraph for it to be a copy of
/// it: a repeated lead changes a word or two ("the two" → "those two"), a paraphrase changes
/// most 3-grams.
const MIN_CONTAINMENT: f64 = 0.8;
/// Shortest paragraph (in words) considered: short lines repeat by chance ("Reuters"), and
/// list entries that differ in one item ("1 Green, 1 Red, 1 tsp.") are not a doubled lead
/// (AEB pages with meal plans lost such entries at 8).
const MIN_WORDS: usize = 15;
/// Most paragraphs compared pairwise; a body longer than this (no article is) is left alone
/// rather than spending quadratic time on it.
const MAX_PARAGRAPHS: usize = 1000;

fn trigrams(tokens: &[String]) -> Vec<u64> {
    let mut v: Vec<u64> = tokens
        .windows(3)
        .map(|w| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for t in w {
                h.update(t.as_bytes());
                h.update(b" ");
            }
            h.digest()
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub(super) fn doubled_paragraphs(lines: &[String], _: &NewsContext<'_>) -> Vec<usize> {
    if lines.len() > MAX_PARAGRAPHS {
        return Vec::new();
    }
    let tokens: Vec<Vec<String>> = lines.iter().map(|l| word_tokens(l)).collect();
    let grams: Vec<Vec<u64>> = tokens
        .iter()
        .map(|t| {
            if t.len() >= MIN_WORDS {
                trigrams(t)
            } else {
                Vec::new()
            }
        })
        .collect();
    // Which lines hold each 3-gram, so a line is compared only with lines sharing its words.
    let mut holders: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, g) in grams.iter().enumerate() {
        for h in g {
            holders.entry(*h).or_default().push(j as u32);
        }
    }
    let mut out: Vec<usize> = Vec::new();
    for i in 0..lines.len() {
        if grams[i].is_empty() {
            continue;
        }
        let mut shared: HashMap<u32, usize> = HashMap::new();
        for h in &grams[i] {
            for &j in &holders[h] {
                if j as usize != i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(u32, usize)> = shared.into_iter().collect();
        candidates.sort_unstable();
        let copy_of = candidates.iter().any(|&(j, found)| {
            let j = j as usize;
            // The shorter copy goes; of two equal ones, the later.
            let shorter =
                tokens[i].len() < tokens[j].len() || (tokens[i].len() == tokens[j].len() && i > j);
            shorter && !out.contains(&j) && found as f64 >= MIN_CONTAINMENT * grams[i].len() as f64
        });
        if copy_of {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_printed_twice_keeps_the_fuller_copy() {
        let lines: Vec<String> = [
            "The council has discussed with two towns the possibility of sharing a fire service in the two towns.",
            "The council has discussed with two towns the possibility of sharing a fire service in those two towns, according to minutes seen by the paper.",
            "A decision is due in June.",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(doubled_paragraphs(&lines, &NewsContext::default()), vec![0]);
    }

    #[test]
    fn identical_paragraphs_keep_the_first() {
        let p = "Rescue teams searched collapsed farm buildings north of the town through the night, the governor said.";
        let lines: Vec<String> = vec![p.into(), "Two people were missing.".into(), p.into()];
        assert_eq!(doubled_paragraphs(&lines, &NewsContext::default()), vec![2]);
    }

    #[test]
    fn paraphrases_are_not_copies() {
        let lines: Vec<String> = [
            "The administration explored agreements with two countries to send migrants with criminal records abroad.",
            "Officials looked at deals with two nations under which migrants with records would be sent abroad.",
        ]
        .map(String::from)
        .to_vec();
        assert!(doubled_paragraphs(&lines, &NewsContext::default()).is_empty());
    }
}
