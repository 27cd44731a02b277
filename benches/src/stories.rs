//! Stories against the generator's families: a family is an original and every report
//! derived from it (through `truth.tsv`, chains followed to the root). Pairwise precision and
//! recall, and B-cubed precision, recall and F1 (the metrics `../shared/data/README.md` names
//! for stories).

use std::collections::HashMap;

/// Story scores of one grouping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryScores {
    pub reports: usize,
    pub stories: usize,
    pub families: usize,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
}

/// The family (root original) of every report, from `(derived, source)` pairs.
pub fn families<'a>(
    truth: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> HashMap<&'a str, &'a str> {
    let parent: HashMap<&str, &str> = truth.into_iter().collect();
    parent
        .keys()
        .map(|&d| {
            let mut at = d;
            // The generator's chains are short; the bound only guards a malformed file.
            for _ in 0..1000 {
                match parent.get(at) {
                    Some(&p) => at = p,
                    None => break,
                }
            }
            (d, at)
        })
        .collect()
}

fn pairs(n: usize) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Scores `assigned` (report id, story) against the families; a report absent from
/// `family` is an original, its own family.
pub fn score<'a>(
    assigned: impl IntoIterator<Item = (&'a str, u64)>,
    family: &HashMap<&str, &str>,
) -> StoryScores {
    let mut cells: HashMap<(u64, &str), usize> = HashMap::new();
    let mut story_size: HashMap<u64, usize> = HashMap::new();
    let mut family_size: HashMap<&str, usize> = HashMap::new();
    let mut n = 0usize;
    for (id, story) in assigned {
        let f = family.get(id).copied().unwrap_or(id);
        *cells.entry((story, f)).or_default() += 1;
        *story_size.entry(story).or_default() += 1;
        *family_size.entry(f).or_default() += 1;
        n += 1;
    }
    let (mut bp, mut br, mut tp) = (0.0, 0.0, 0.0);
    for (&(s, f), &c) in &cells {
        let c2 = (c * c) as f64;
        bp += c2 / story_size[&s] as f64;
        br += c2 / family_size[f] as f64;
        tp += pairs(c);
    }
    let n_f = n.max(1) as f64;
    let (bp, br) = (bp / n_f, br / n_f);
    let predicted: f64 = story_size.values().map(|&s| pairs(s)).sum();
    let gold: f64 = family_size.values().map(|&s| pairs(s)).sum();
    StoryScores {
        reports: n,
        stories: story_size.len(),
        families: family_size.len(),
        pairwise_precision: if predicted > 0.0 { tp / predicted } else { 1.0 },
        pairwise_recall: if gold > 0.0 { tp / gold } else { 1.0 },
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: if bp + br > 0.0 {
            2.0 * bp * br / (bp + br)
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_merged_groupings_score_as_expected() {
        let truth = [("b", "a"), ("c", "b"), ("e", "d")];
        let fam = families(truth);
        assert_eq!(fam["c"], "a");
        let perfect = score([("a", 1), ("b", 1), ("c", 1), ("d", 2), ("e", 2)], &fam);
        assert_eq!(perfect.bcubed_f1, 1.0);
        assert_eq!(perfect.pairwise_precision, 1.0);
        // All in one story: recall stays 1, precision falls.
        let merged = score([("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1)], &fam);
        assert_eq!(merged.bcubed_recall, 1.0);
        assert!(
            (merged.bcubed_precision - (3.0 * 3.0 / 5.0 + 2.0 * 2.0 / 5.0) / 5.0).abs() < 1e-12
        );
        assert!((merged.pairwise_precision - 4.0 / 10.0).abs() < 1e-12);
        // Every report alone: precision 1, recall falls.
        let split = score([("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)], &fam);
        assert_eq!(split.bcubed_precision, 1.0);
        assert_eq!(split.pairwise_recall, 0.0);
    }
}
