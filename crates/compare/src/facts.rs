//! Figures across the reports of a story: the same slot (what a number counts) with different
//! values is a conflict; a figure only one report carries is unique to it; a slot most reports
//! carry but one leaves out is missing there.

use std::collections::BTreeMap;

use storyline_extract::Figure;
use storyline_model::ReportId;
use storyline_text::ContentTerms;

/// One report's figures.
#[derive(Debug, Clone)]
pub struct ReportFigures {
    pub report: ReportId,
    pub figures: Vec<Figure>,
    /// The figure's text as the report writes it, parallel to `figures`.
    pub texts: Vec<String>,
}

/// A slot: what figures count ("people", "officials"), with the values each report gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub key: String,
    /// What the slot counts, as the first report carrying it words it ("multiple sources").
    pub label: String,
    /// (report, value, text) for every figure of this slot.
    pub values: Vec<(ReportId, Option<f64>, String)>,
    /// Two reports give one value each for the slot, and they differ.
    pub conflict: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FigureComparison {
    pub slots: Vec<Slot>,
    /// Figures whose slot only one report carries: (report, text).
    pub unique: Vec<(ReportId, String)>,
    /// Slots most reports carry that a report leaves out: (report, slot label).
    pub missing: Vec<(ReportId, String)>,
}

/// The slot of a figure: the stemmed head noun of what it counts ("U.S. officials" → "offici").
fn slot_key(f: &Figure) -> Option<String> {
    let terms = ContentTerms::of(&f.counts).0;
    terms.last().cloned()
}

/// Least share of a story's reports that must carry a slot for a report without it to be
/// "missing" it: a majority.
const MISSING_MAJORITY: f64 = 0.5;

/// Compares the figures of a story's reports.
pub fn compare_figures(reports: &[ReportFigures]) -> FigureComparison {
    let mut slots: BTreeMap<String, Vec<(ReportId, Option<f64>, String)>> = BTreeMap::new();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    for r in reports {
        for (f, text) in r.figures.iter().zip(&r.texts) {
            if let Some(key) = slot_key(f) {
                labels
                    .entry(key.clone())
                    .or_insert_with(|| f.counts.clone());
                slots
                    .entry(key)
                    .or_default()
                    .push((r.report.clone(), f.value, text.clone()));
            }
        }
    }
    let mut out = FigureComparison::default();
    for (key, values) in slots {
        let mut carriers: Vec<&ReportId> = values.iter().map(|v| &v.0).collect();
        carriers.sort();
        carriers.dedup();
        // One value per report from at least two reports, and they disagree.
        let single: Vec<&(ReportId, Option<f64>, String)> = values
            .iter()
            .filter(|v| values.iter().filter(|w| w.0 == v.0).count() == 1)
            .collect();
        let conflict = single.len() >= 2
            && single
                .iter()
                .filter_map(|v| v.1)
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| (w[0] - w[1]).abs() > f64::EPSILON);
        if carriers.len() == 1 && reports.len() > 1 {
            out.unique
                .extend(values.iter().map(|v| (v.0.clone(), v.2.clone())));
        }
        if carriers.len() >= 2 && carriers.len() as f64 > MISSING_MAJORITY * reports.len() as f64 {
            for r in reports {
                if !carriers.contains(&&r.report) {
                    out.missing.push((r.report.clone(), labels[&key].clone()));
                }
            }
        }
        let label = labels[&key].clone();
        out.slots.push(Slot {
            key,
            label,
            values,
            conflict,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_extract::figures;

    fn rf(id: &str, text: &str) -> ReportFigures {
        let figs = figures(text);
        let texts = figs
            .iter()
            .map(|f| text[f.span.0..f.span.1].to_string())
            .collect();
        ReportFigures {
            report: ReportId(id.into()),
            figures: figs,
            texts,
        }
    }

    #[test]
    fn conflicts_unique_and_missing() {
        let c = compare_figures(&[
            rf("a", "The storm killed 12 people and closed 40 schools."),
            rf("b", "The storm killed 14 people, officials said."),
            rf(
                "c",
                "The storm killed 12 people. About 3,000 homes lost power.",
            ),
        ]);
        let people = c
            .slots
            .iter()
            .find(|s| s.key == "peopl")
            .expect("people slot");
        assert!(people.conflict, "{c:#?}");
        assert!(
            c.unique
                .contains(&(ReportId("a".into()), "40 schools".into())),
            "{c:#?}"
        );
        assert!(
            c.unique
                .contains(&(ReportId("c".into()), "About 3,000 homes".into())),
            "{c:#?}"
        );
        assert!(
            c.missing.is_empty(),
            "every report gives a death toll: {c:#?}"
        );
    }

    #[test]
    fn agreeing_reports_do_not_conflict_and_a_silent_one_is_missing_the_figure() {
        let c = compare_figures(&[
            rf("a", "The storm killed 12 people."),
            rf("b", "The storm killed 12 people, officials said."),
            rf("c", "A storm hit the coast on Monday."),
        ]);
        let people = c
            .slots
            .iter()
            .find(|s| s.key == "peopl")
            .expect("people slot");
        assert!(!people.conflict);
        assert_eq!(c.missing, vec![(ReportId("c".into()), "people".into())]);
    }
}
