//! `eval similarity`: Spearman (and Pearson) correlation between the similarity that drives
//! story placement and the human ratings of the Lee corpus (50 ABC news documents, every pair
//! rated). Idf is counted as the engine counts it: over the documents stored so far, here the
//! 300 background documents plus the 50 rated ones.

use std::fmt::Write;
use std::path::Path;

use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_model::Report;
use storyline_stories::analyze;
use storyline_stories::index::{PlacementConfig, StoryIndex};

use crate::metrics::{pearson, spearman};
use crate::{EvalError, read_text};

fn term_counts(text: &str, i: usize, fp: &FingerprintConfig, h: &MinHasher) -> Vec<(String, u32)> {
    let report = Report::from_text(format!("lee-{i}"), text);
    analyze(&report, fp, h).term_counts
}

/// Mean human rating (0–1, from a 1–5 scale) from which a Lee pair counts as one event: 0.75
/// is a mean of 4 of 5, "strongly related", the top of the scale the raters used for reports
/// of the same happening.
pub const SAME_EVENT_RATING: f64 = 0.75;

/// Correlations of the placement similarity with the human ratings, for two idf sources.
pub struct SimilarityResult {
    pub pairs: usize,
    /// Pairs rated at least [`SAME_EVENT_RATING`].
    pub same_event_pairs: usize,
    /// (threshold, precision, recall, F1) of "similarity ≥ threshold" for same-event pairs,
    /// with engine-default idf.
    pub thresholds: Vec<(f64, f64, f64, f64)>,
    /// (idf source, spearman, pearson)
    pub rows: Vec<(&'static str, f64, f64)>,
}

pub fn measure(dir: &Path) -> Result<SimilarityResult, EvalError> {
    let docs_text = read_text(&dir.join("lee.cor"), "Lee documents lee.cor")?;
    let background_text = read_text(
        &dir.join("lee_background.cor"),
        "Lee background lee_background.cor",
    )?;
    let ratings_text = read_text(
        &dir.join("similarities0-1.txt"),
        "Lee human ratings similarities0-1.txt",
    )?;
    let docs: Vec<&str> = docs_text.lines().filter(|l| !l.trim().is_empty()).collect();
    let ratings: Vec<Vec<f64>> = ratings_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect()
        })
        .collect();
    let n = docs.len();
    if n < 2 || ratings.len() != n || ratings.iter().any(|r| r.len() != n) {
        return Err(EvalError::Bad {
            path: dir.display().to_string(),
            message: format!("expected a {n}x{n} rating matrix for {n} documents"),
        });
    }
    let fp = FingerprintConfig::default();
    let h = MinHasher::new(fp.permutations);
    let terms: Vec<Vec<(String, u32)>> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| term_counts(d, i, &fp, &h))
        .collect();
    let background: Vec<Vec<(String, u32)>> = background_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, d)| term_counts(d, i, &fp, &h))
        .collect();

    let mut human = Vec::new();
    for (i, row) in ratings.iter().enumerate() {
        for &r in &row[i + 1..] {
            human.push(r);
        }
    }
    let mut rows = Vec::new();
    let mut thresholds = Vec::new();
    for (label, with_background) in [
        ("idf over the 350 Lee documents (engine default)", true),
        ("idf over the 50 rated documents only", false),
    ] {
        let mut index = StoryIndex::new(PlacementConfig::default());
        if with_background {
            for t in &background {
                index.add_background(t);
            }
        }
        for t in &terms {
            index.add_background(t);
        }
        let mut sims = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                sims.push(index.similarity(&terms[i], &terms[j]));
            }
        }
        rows.push((label, spearman(&sims, &human), pearson(&sims, &human)));
        if with_background {
            for step in 10..=50 {
                let t = step as f64 / 100.0;
                let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
                for (s, h) in sims.iter().zip(&human) {
                    match (*s >= t, *h >= SAME_EVENT_RATING) {
                        (true, true) => tp += 1.0,
                        (true, false) => fp += 1.0,
                        (false, true) => fn_ += 1.0,
                        _ => {}
                    }
                }
                let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
                let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
                let f = if p + r > 0.0 {
                    2.0 * p * r / (p + r)
                } else {
                    0.0
                };
                thresholds.push((t, p, r, f));
            }
        }
    }
    let same_event_pairs = human.iter().filter(|h| **h >= SAME_EVENT_RATING).count();
    Ok(SimilarityResult {
        pairs: human.len(),
        same_event_pairs,
        thresholds,
        rows,
    })
}

pub fn run(data: &Path) -> Result<String, EvalError> {
    let dir = data.join("similarity/lee");
    let r = measure(&dir)?;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "eval similarity: Lee corpus ({}), {} rated pairs",
        dir.display(),
        r.pairs
    );
    let _ = writeln!(
        s,
        "similarity: cosine of log-tf x idf vectors of stemmed content terms (the placement similarity)\n"
    );
    let _ = writeln!(s, "| idf source | Spearman | Pearson |\n|---|---:|---:|");
    for (label, sp, pe) in &r.rows {
        let _ = writeln!(s, "| {label} | {sp:.3} | {pe:.3} |");
    }
    let _ = writeln!(
        s,
        "\nstory join threshold: pairs rated >= {SAME_EVENT_RATING} count as one event ({} of {} pairs)\n",
        r.same_event_pairs, r.pairs
    );
    let _ = writeln!(
        s,
        "| threshold | precision | recall | F1 |\n|---:|---:|---:|---:|"
    );
    let best = r.thresholds.iter().map(|x| x.3).fold(0.0, f64::max);
    for (t, p, rc, f) in &r.thresholds {
        let mark = if *f == best { " (best)" } else { "" };
        let _ = writeln!(s, "| {t:.2} | {p:.3} | {rc:.3} | {f:.3}{mark} |");
    }
    Ok(s)
}
