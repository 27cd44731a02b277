//! `eval lineage`: lineage decisions against pairs labelled by reading
//! (`crates/eval/lineage/pairs.tsv`, see its `GUIDE.md`): every same-event pair of the stories
//! dev set and a sample of follow-ups of one thread (Reuters-21578, BBC, PolNeAR), each called
//! `derived` (with source and kind), `same_wire`, `background` or `independent`.
//!
//! Each pair is put in a story of its own two reports, aligned both ways and decided by
//! [`decide_lineage`], as the engine does for two reports that share a story. Scored: the
//! relation (a derivation edge — copy, rewrite or summary — for `derived` and `same_wire`; no
//! derivation edge, `related` or none, for `background` and `independent`) and, of derived
//! pairs whose direction can be read (not the undated BBC duplicates), the direction. Halves
//! by bundle as in `eval stories`: tune on `tune`, quote `report`.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use rayon::prelude::*;
use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_model::{LineageKind, ReportId};
use storyline_stories::align::{AlignConfig, align};
use storyline_stories::lineage::{
    LineageConfig, MemberFeatures, PairEvidence, ReuseSummary, decide_lineage, features_of,
};
use storyline_stories::{AnalyzedReport, analyze};

use crate::EvalError;
use crate::stories::{corpus, half};

/// The labels: `bundle a b relation source kind shared note`.
pub const PAIRS: &str = include_str!("../lineage/pairs.tsv");

struct Pair {
    bundle: String,
    a: String,
    b: String,
    relation: String,
    /// The source's id, for derived pairs whose direction can be read.
    source: Option<String>,
}

fn pairs() -> Vec<Pair> {
    PAIRS
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 6).then(|| Pair {
                bundle: f[0].to_string(),
                a: f[1].to_string(),
                b: f[2].to_string(),
                relation: f[3].to_string(),
                source: (f[3] == "derived"
                    && !f.get(7).is_some_and(|n| n.contains("direction unknowable")))
                .then(|| f[4].to_string())
                .filter(|s| !s.is_empty()),
            })
        })
        .collect()
}

/// What the engine decides for one pair: the derivation edge's source and kind, if any.
fn decide(
    a: (&AnalyzedReport, u64),
    b: (&AnalyzedReport, u64),
    align_cfg: &AlignConfig,
    cfg: &LineageConfig,
) -> Option<(ReportId, LineageKind, ReuseSummary)> {
    let member = |(r, seq): (&AnalyzedReport, u64)| MemberFeatures {
        seq,
        ..features_of(r)
    };
    let evidence = PairEvidence {
        a: a.0.id.clone(),
        b: b.0.id.clone(),
        a_in_b: ReuseSummary::from(&align(a.0, b.0, align_cfg)),
        b_in_a: ReuseSummary::from(&align(b.0, a.0, align_cfg)),
        similarity: 0.0,
    };
    let lineage = decide_lineage(
        cfg,
        &[member(a), member(b)],
        std::slice::from_ref(&evidence),
    );
    lineage
        .edges
        .iter()
        .max_by_key(|e| e.kind != LineageKind::Related)
        .map(|e| {
            let summary = if e.to == evidence.a {
                evidence.a_in_b
            } else {
                evidence.b_in_a
            };
            (e.from.clone(), e.kind, summary)
        })
}

#[derive(Default, Clone)]
struct Tally {
    /// (gold relation, engine's kind or "none") → pairs.
    cells: HashMap<(String, &'static str), usize>,
    right: usize,
    pairs: usize,
    direction_right: usize,
    direction_pairs: usize,
}

/// `signed_min_wording`: instead of the engine's default (dev aid for choosing it on `tune`).
pub fn run(
    data: &Path,
    verbose: bool,
    signed_min_wording: Option<f64>,
) -> Result<String, EvalError> {
    let labelled = pairs();
    let wanted: std::collections::HashSet<&str> = labelled
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let raws: Vec<(u64, storyline_read::RawReport)> = corpus(data)?
        .into_iter()
        .enumerate()
        .filter(|(_, r)| wanted.contains(r.id.0.as_str()))
        .map(|(i, r)| (i as u64, r))
        .collect();
    let fp = FingerprintConfig::default();
    let hasher = MinHasher::new(fp.permutations);
    let analysed: HashMap<String, (AnalyzedReport, u64)> = raws
        .into_par_iter()
        .map(|(seq, raw)| {
            let report = storyline_clean::clean_report(raw);
            (report.id.0.clone(), (analyze(&report, &fp, &hasher), seq))
        })
        .collect();
    let align_cfg = AlignConfig::default();
    let mut cfg = LineageConfig::default();
    if let Some(w) = signed_min_wording {
        cfg.signed_min_wording = w;
    }
    let mut tallies = vec![Tally::default(); 3];
    let mut lines = Vec::new();
    let mut missing = 0;
    for p in &labelled {
        if p.relation == "unclear" {
            continue;
        }
        let (Some(a), Some(b)) = (analysed.get(&p.a), analysed.get(&p.b)) else {
            missing += 1;
            continue;
        };
        let decided = decide((&a.0, a.1), (&b.0, b.1), &align_cfg, &cfg);
        let linked_gold = matches!(p.relation.as_str(), "derived" | "same_wire");
        let kind = decided.as_ref().map_or("none", |d| d.1.as_str());
        let derived = decided.as_ref().filter(|d| d.1 != LineageKind::Related);
        let right = linked_gold == derived.is_some();
        let direction = p.source.as_ref().zip(derived).map(|(s, d)| *s == d.0.0);
        for h in [half(&p.bundle), 2] {
            let t = &mut tallies[h];
            *t.cells.entry((p.relation.clone(), kind)).or_insert(0) += 1;
            t.pairs += 1;
            t.right += right as usize;
            if let Some(ok) = direction {
                t.direction_pairs += 1;
                t.direction_right += ok as usize;
            }
        }
        if verbose && (!right || direction == Some(false)) {
            lines.push(format!(
                "{} {} {} | {}  gold {}{}  engine {}{}",
                ["tune", "report"][half(&p.bundle)],
                p.bundle,
                p.a,
                p.b,
                p.relation,
                p.source
                    .as_ref()
                    .map_or(String::new(), |s| format!(" from {s}")),
                kind,
                decided.as_ref().map_or(String::new(), |d| format!(
                    " from {} (reuse {:.2}, verbatim {:.2})",
                    d.0, d.2.reuse, d.2.verbatim
                )),
            ));
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "lineage dev set: {} labelled pairs ({missing} with a report not found)\n",
        labelled.len()
    );
    let _ = writeln!(
        out,
        "| part | pairs | relation right | derived pairs with a known direction | direction right |\n|---|---:|---:|---:|---:|"
    );
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    for (h, name) in [(0, "tune"), (1, "report"), (2, "all")] {
        let t = &tallies[h];
        let _ = writeln!(
            out,
            "| {name} | {} | {:.3} | {} | {:.3} |",
            t.pairs,
            ratio(t.right, t.pairs),
            t.direction_pairs,
            ratio(t.direction_right, t.direction_pairs)
        );
    }
    let kinds = ["none", "related", "copy", "rewrite", "summary"];
    for (h, name) in [(0, "tune"), (1, "report")] {
        let _ = writeln!(
            out,
            "\n{name}: gold relation (rows) against the engine's edge (columns)\n\n| gold | {} |\n|---|{}",
            kinds.join(" | "),
            "---:|".repeat(kinds.len())
        );
        for rel in ["derived", "same_wire", "background", "independent"] {
            let cells: Vec<String> = kinds
                .iter()
                .map(|k| {
                    tallies[h]
                        .cells
                        .get(&(rel.to_string(), *k))
                        .copied()
                        .unwrap_or(0)
                        .to_string()
                })
                .collect();
            let _ = writeln!(out, "| {rel} | {} |", cells.join(" | "));
        }
    }
    let _ = writeln!(
        out,
        "\nrelation right: a derivation edge (copy, rewrite, summary) for `derived` and `same_wire`, none for `background` and `independent`.\nTune on `tune`; quote `report`."
    );
    if verbose {
        lines.sort();
        let _ = writeln!(out, "\nwrong pairs ({}):", lines.len());
        for l in lines {
            let _ = writeln!(out, "  {l}");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_labelled_pair_is_two_reports_of_one_bundle_of_the_stories_dev_set() {
        let bundles: HashMap<&str, &str> = crate::stories::EVENTS
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.len() >= 2).then(|| (f[1], f[0]))
            })
            .collect();
        let labelled = pairs();
        assert_eq!(labelled.len(), PAIRS.lines().count() - 1);
        for p in &labelled {
            assert_eq!(
                bundles.get(p.a.as_str()),
                Some(&p.bundle.as_str()),
                "{}",
                p.a
            );
            assert_eq!(
                bundles.get(p.b.as_str()),
                Some(&p.bundle.as_str()),
                "{}",
                p.b
            );
            assert!(
                [
                    "derived",
                    "same_wire",
                    "background",
                    "independent",
                    "unclear"
                ]
                .contains(&p.relation.as_str()),
                "{}",
                p.relation
            );
            if let Some(s) = &p.source {
                assert!(*s == p.a || *s == p.b, "source {s} of {} | {}", p.a, p.b);
            }
        }
    }
}
