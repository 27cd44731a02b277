//! `eval similarity`: Spearman (and Pearson) correlation between the similarity that drives
//! story placement and the human ratings of the Lee corpus (50 ABC news documents, every pair
//! rated). Idf is counted as the engine counts it: over the documents stored so far, here the
//! 300 background documents plus the 50 rated ones.

use std::fmt::Write;
use std::path::Path;

use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_model::{Report, ReportId};
use storyline_stories::analyze;
use storyline_stories::index::{PlacementConfig, StoryIndex};

use crate::metrics::{pearson, spearman};
use crate::{EvalError, read_text};

fn term_counts(text: &str, i: usize, fp: &FingerprintConfig, h: &MinHasher) -> Vec<(String, u32)> {
    let report = Report {
        id: ReportId(format!("lee-{i}")),
        url: None,
        title: None,
        source: None,
        published: None,
        text: text.to_string(),
        origin: String::new(),
        extra_json: None,
    };
    analyze(&report, fp, h).term_counts
}

/// Correlations of the placement similarity with the human ratings, for two idf sources.
pub struct SimilarityResult {
    pub pairs: usize,
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
    }
    Ok(SimilarityResult {
        pairs: human.len(),
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
    Ok(s)
}
