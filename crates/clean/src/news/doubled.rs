//! **doubled_paragraph**: a paragraph printed twice, or printed once on its own and again at
//! the start of a longer one — typically a lead shown as a standfirst and repeated as the first
//! sentence of the body, or a pull quote. The shorter copy is dropped; the fuller one is kept.
//!
//! Example: "The administration has discussed … to the two countries." followed by "The
//! administration has discussed … to those two countries, according to multiple sources…":
//! the first line is dropped.

use super::{Body, NewsContext};

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

/// Hashes of a line's words: runs of letters and digits, lowercased. Both copies of a doubled
/// paragraph come from one page, so no Unicode normalisation or word segmentation is needed to
/// see that they match (the shared tokenizer, which does both, was 80% of this rule's
/// instructions on AEB, callgrind). Each word is hashed as it is read, a multiply-rotate step
/// per character, with no copy of the word (copying each word and hashing it with xxh3 was a
/// third of the rule on 100 CleanEval pages, callgrind).
fn word_hashes(line: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h: Option<u64> = None;
    let step = |h: Option<u64>, c: char| -> Option<u64> {
        let h = h.unwrap_or(SEED);
        Some((h.rotate_left(5) ^ u64::from(c)).wrapping_mul(K))
    };
    for c in line.chars() {
        if c.is_ascii_alphanumeric() {
            h = step(h, c.to_ascii_lowercase());
        } else if c.is_ascii() || !c.is_alphanumeric() {
            out.extend(h.take());
        } else {
            for l in c.to_lowercase() {
                h = step(h, l);
            }
        }
    }
    out.extend(h);
    out
}

const SEED: u64 = 0x243F_6A88_85A3_08D3;
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Distinct hashed word 3-grams of a line's word hashes, sorted: a 3-gram mixes its three
/// word hashes.
fn trigrams(hashes: &[u64]) -> Vec<u64> {
    let mut v: Vec<u64> = hashes
        .windows(3)
        .map(|w| {
            let h = (w[0].wrapping_mul(K).rotate_left(17) ^ w[1]).wrapping_mul(K);
            (h.rotate_left(31) ^ w[2]).wrapping_mul(K)
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub(super) fn doubled_paragraphs(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    if lines.len() > MAX_PARAGRAPHS {
        return Vec::new();
    }
    // Words per line, and the 3-grams of the lines long enough to be considered.
    let (words, grams): (Vec<usize>, Vec<Vec<u64>>) = lines
        .iter()
        .map(|l| {
            let t = word_hashes(l);
            let g = if t.len() >= MIN_WORDS {
                trigrams(&t)
            } else {
                Vec::new()
            };
            (t.len(), g)
        })
        .unzip();
    // (3-gram, line) for the 3-grams more than one line holds, grouped by 3-gram: a line is
    // compared only with lines sharing its words. The first holder of each 3-gram is kept in
    // a hash map and only shared ones are sorted (sorting every line's every 3-gram was half
    // of this rule's instructions on 100 CleanEval pages, callgrind).
    let total: usize = grams.iter().map(Vec::len).sum();
    let mut first: rustc_hash::FxHashMap<u64, u32> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(total, Default::default());
    let mut held: Vec<(u64, u32)> = Vec::new();
    for (j, g) in grams.iter().enumerate() {
        for &h in g {
            let holder = *first.entry(h).or_insert(j as u32);
            if holder != j as u32 {
                held.push((h, holder));
                held.push((h, j as u32));
            }
        }
    }
    held.sort_unstable();
    held.dedup();
    // (line, other line) once per 3-gram they share.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for group in held.chunk_by(|a, b| a.0 == b.0) {
        for a in group {
            for b in group {
                if a.1 != b.1 {
                    pairs.push((a.1, b.1));
                }
            }
        }
    }
    pairs.sort_unstable();
    let mut shared: Vec<Vec<(usize, usize)>> = vec![Vec::new(); lines.len()];
    for run in pairs.chunk_by(|a, b| a == b) {
        let (i, j) = run[0];
        shared[i as usize].push((j as usize, run.len()));
    }
    let mut out: Vec<usize> = Vec::new();
    for i in 0..lines.len() {
        if grams[i].is_empty() {
            continue;
        }
        let copy_of = shared[i].iter().any(|&(j, found)| {
            // The shorter copy goes; of two equal ones, the later.
            let shorter = words[i] < words[j] || (words[i] == words[j] && i > j);
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
        assert_eq!(
            crate::news::rule_hits_on(doubled_paragraphs, &lines),
            vec![0]
        );
    }

    #[test]
    fn identical_paragraphs_keep_the_first() {
        let p = "Rescue teams searched collapsed farm buildings north of the town through the night, the governor said.";
        let lines: Vec<String> = vec![p.into(), "Two people were missing.".into(), p.into()];
        assert_eq!(
            crate::news::rule_hits_on(doubled_paragraphs, &lines),
            vec![2]
        );
    }

    #[test]
    fn paraphrases_are_not_copies() {
        let lines: Vec<String> = [
            "The administration explored agreements with two countries to send migrants with criminal records abroad.",
            "Officials looked at deals with two nations under which migrants with records would be sent abroad.",
        ]
        .map(String::from)
        .to_vec();
        assert!(crate::news::rule_hits_on(doubled_paragraphs, &lines).is_empty());
    }
}
