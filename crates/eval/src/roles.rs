//! `eval roles`: wire copies against PolNeAR's metadata, which credits each article to a news
//! agency (AP, Reuters, AFP, UPI: the outlet republished the agency's story) or to the outlet
//! itself. Each article is read and analysed alone, with its publisher as its outlet; a
//! report is called a wire copy when it carries an agency's credit
//! (`storyline_stories::markers::wire_credit`) and its outlet is not that agency, which is
//! what makes lineage call it derived from the agency. Articles whose credit the metadata does
//! not know (`NA`) are left out. Halves by a hash of the file name: tune and report.
//!
//! Then the same on web pages: a sample of 500 L3S-GN1 pages labelled by reading for who wrote
//! each page's article (`crates/eval/roles/l3s-credits.tsv`, see its `GUIDE.md`): an agency
//! or another syndicator (a wire copy) or the site itself (`own`, and `mixed`: the site's
//! story with agencies as contributors). `unclear` pages are left out. Each page is read and
//! cleaned as `ingest` does, so its credit may come from the page's byline box or the agency's
//! notice under the story as well as from the text. Halves by a hash of the page id.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_read::{InputFile, InputFormat, read_input};
use storyline_stories::analyze;

use crate::EvalError;

/// The L3S role labels: page id, credit (an agency's short name, `own`, `mixed`, `unclear`).
pub const L3S_CREDITS: &str = include_str!("../roles/l3s-credits.tsv");

/// Precision, recall and F1 table rows for tune, report and all from `[half][tp, fp, fn]`.
fn table(out: &mut String, counts: &[[usize; 3]; 3]) {
    for (k, name) in [(0, "tune"), (1, "report"), (2, "all")] {
        let [tp, fp, fn_] = counts[k];
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fn_).max(1) as f64;
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        let _ = writeln!(out, "| {name} | {} | {p:.3} | {r:.3} | {f:.3} |", tp + fn_);
    }
}

fn count(counts: &mut [[usize; 3]; 3], h: usize, gold: bool, pred: bool) {
    for k in [h, 2] {
        match (gold, pred) {
            (true, true) => counts[k][0] += 1,
            (false, true) => counts[k][1] += 1,
            (true, false) => counts[k][2] += 1,
            _ => {}
        }
    }
}

/// Wire copies among the labelled L3S pages, as a table, with the pages called wrongly when
/// `verbose`.
fn l3s(data: &Path, verbose: bool) -> Result<String, EvalError> {
    let dir = data.join("extraction/l3s-gn1/input");
    let fp = FingerprintConfig::default();
    let hasher = MinHasher::new(fp.permutations);
    let mut counts = [[0usize; 3]; 3];
    // Agencies our credits know against other syndicators: found / labelled.
    let mut by_kind: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for line in L3S_CREDITS.lines().skip(1) {
        let mut f = line.split('\t');
        let (Some(id), Some(credit)) = (f.next(), f.next()) else {
            continue;
        };
        if credit == "unclear" {
            continue;
        }
        let path = dir.join(format!("{id}.html"));
        if !path.exists() {
            return Err(EvalError::Missing {
                path: path.display().to_string(),
                what: "an L3S-GN1 page of the roles set",
            });
        }
        seen += 1;
        let gold = !matches!(credit, "own" | "mixed");
        for raw in read_input(&InputFile::new(path.clone(), InputFormat::Html, false)).reports {
            let report = storyline_clean::clean_report(raw);
            let a = analyze(&report, &fp, &hasher);
            let pred = a.wire.is_some();
            let h = crate::stories::half(id);
            count(&mut counts, h, gold, pred);
            if gold {
                let kind = if ["AP", "Reuters", "AFP", "UPI"].contains(&credit) {
                    "AP, Reuters, AFP, UPI"
                } else {
                    "other agencies and syndicators"
                };
                let e = by_kind.entry(kind).or_default();
                e.0 += usize::from(pred);
                e.1 += 1;
            }
            if gold != pred && verbose {
                wrong.push(format!(
                    "{} {id}: credited to {credit}, found {}",
                    ["tune", "report"][h],
                    a.wire.as_deref().unwrap_or("no agency credit")
                ));
            }
        }
    }
    let mut out = format!(
        "\nroles (L3S-GN1 web pages, labelled by reading): {seen} pages with a known credit\n\n| part | wire copies | P | R | F1 |\n|---|---:|---:|---:|---:|\n"
    );
    table(&mut out, &counts);
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (kind, (found, all)) in kinds {
        let _ = writeln!(out, "\nwire copies of {kind}: {found} of {all} found");
    }
    if verbose {
        let _ = writeln!(out, "\nwrong ({}):", wrong.len());
        for w in wrong {
            let _ = writeln!(out, "  {w}");
        }
    }
    Ok(out)
}

pub fn run(data: &Path, verbose: bool) -> Result<String, EvalError> {
    let dir = data.join("quotes/polnear");
    let meta = crate::read_text(&dir.join("metadata.tsv"), "PolNeAR metadata.tsv")?;
    // filename → (publisher, credited agency or None for the outlet's own reporting)
    let gold: HashMap<&str, (&str, Option<&str>)> = meta
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let wire = *f.get(11)?;
            let credit = match wire {
                "None" => None,
                "NA" | "" => return None,
                w => Some(w),
            };
            Some((f[1], (f[4], credit)))
        })
        .collect();
    let fp = FingerprintConfig::default();
    let hasher = MinHasher::new(fp.permutations);
    // [half] tp, fp, fn
    let mut counts = [[0usize; 3]; 3];
    let mut wrong = Vec::new();
    let mut seen = 0;
    for part in ["train", "dev"] {
        let text_dir = dir.join(part).join("text");
        let mut files: Vec<_> = std::fs::read_dir(&text_dir)
            .map_err(|_| EvalError::Missing {
                path: text_dir.display().to_string(),
                what: "PolNeAR texts",
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for path in files {
            let stem = storyline_read::stem(&path);
            let Some(&(publisher, credit)) = gold.get(stem.as_str()) else {
                continue;
            };
            seen += 1;
            for raw in read_input(&InputFile::new(path.clone(), InputFormat::Text, false)).reports {
                let mut report = storyline_clean::clean_report(raw);
                report.source = Some(publisher.to_string());
                let a = analyze(&report, &fp, &hasher);
                let (gold, pred) = (credit.is_some(), a.wire.is_some());
                let h = crate::stories::half(&stem);
                count(&mut counts, h, gold, pred);
                if gold != pred && verbose {
                    wrong.push(format!(
                        "{} {stem}: credited to {}, found {}",
                        ["tune", "report"][h],
                        credit.unwrap_or("the outlet"),
                        a.wire.as_deref().unwrap_or("no agency credit")
                    ));
                }
            }
        }
    }
    let mut out = format!(
        "roles (PolNeAR wire copies): {seen} articles with a known credit\n\n| part | wire copies | P | R | F1 |\n|---|---:|---:|---:|---:|\n"
    );
    table(&mut out, &counts);
    if verbose {
        let _ = writeln!(out, "\nwrong ({}):", wrong.len());
        for w in wrong {
            let _ = writeln!(out, "  {w}");
        }
    }
    out.push_str(&l3s(data, verbose)?);
    Ok(out)
}
