//! `eval roles`: wire copies against PolNeAR's metadata, which credits each article to a news
//! agency (AP, Reuters, AFP, UPI: the outlet republished the agency's story) or to the outlet
//! itself. Each article is read and analysed alone, with its publisher as its outlet; a
//! report is called a wire copy when it carries an agency's credit
//! (`storyline_stories::markers::wire_credit`) and its outlet is not that agency, which is
//! what makes lineage call it derived from the agency. Articles whose credit the metadata does
//! not know (`NA`) are left out. Halves by a hash of the file name: tune and report.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_read::{InputFile, InputFormat, read_input};
use storyline_stories::analyze;

use crate::EvalError;

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
                for k in [h, 2] {
                    match (gold, pred) {
                        (true, true) => counts[k][0] += 1,
                        (false, true) => counts[k][1] += 1,
                        (true, false) => counts[k][2] += 1,
                        _ => {}
                    }
                }
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
    if verbose {
        let _ = writeln!(out, "\nwrong ({}):", wrong.len());
        for w in wrong {
            let _ = writeln!(out, "  {w}");
        }
    }
    Ok(out)
}
