//! The cited brief: an extractive summary of a story in which every sentence names the reports
//! that carry it, then what each report adds.
//!
//! Sentences are ranked by how many reports carry them (the sentence itself or an aligned
//! paraphrase), then by whether they come from an original report, then by how early they stand
//! in it (news puts the most important first); a sentence that restates one already chosen is
//! skipped. The chosen ones are told in time order: by report (publication, else arrival),
//! then by position.

use storyline_model::ReportId;

/// A sentence that may go into the brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub report: ReportId,
    /// Index of the sentence in its report.
    pub position: usize,
    pub text: String,
    /// Reports that carry it (its own report first), by alignment.
    pub carried_by: Vec<ReportId>,
    /// Whether its report is an original (first-hand) one.
    pub from_original: bool,
    /// Candidates (report, position) this one restates (aligned to), to avoid saying it twice.
    pub restates: Vec<(ReportId, usize)>,
}

/// A sentence of the brief with its citations.
#[derive(Debug, Clone, PartialEq)]
pub struct BriefSentence {
    pub text: String,
    pub report: ReportId,
    pub position: usize,
    pub cites: Vec<ReportId>,
}

/// Sentences a brief holds at most and at least (when the story has that many).
pub const BRIEF_SENTENCES: std::ops::RangeInclusive<usize> = 4..=8;

/// Shortest sentence, in words, worth a place in the brief (headings and fragments are not).
const MIN_WORDS: usize = 8;

/// Picks and orders the brief's sentences.
pub fn brief(candidates: &[Candidate], report_order: &[ReportId]) -> Vec<BriefSentence> {
    let mut ranked: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.text.split_whitespace().count() >= MIN_WORDS)
        .collect();
    ranked.sort_by(|a, b| {
        b.carried_by
            .len()
            .cmp(&a.carried_by.len())
            .then(b.from_original.cmp(&a.from_original))
            .then(a.position.cmp(&b.position))
            .then(order_of(report_order, &a.report).cmp(&order_of(report_order, &b.report)))
    });
    let mut chosen: Vec<&Candidate> = Vec::new();
    for c in ranked {
        if chosen.len() >= *BRIEF_SENTENCES.end() {
            break;
        }
        let said = chosen.iter().any(|k| {
            c.restates.contains(&(k.report.clone(), k.position))
                || k.restates.contains(&(c.report.clone(), c.position))
        });
        if !said {
            chosen.push(c);
        }
    }
    chosen.sort_by(|a, b| {
        order_of(report_order, &a.report)
            .cmp(&order_of(report_order, &b.report))
            .then(a.position.cmp(&b.position))
    });
    chosen
        .into_iter()
        .map(|c| BriefSentence {
            text: c.text.clone(),
            report: c.report.clone(),
            position: c.position,
            cites: c.carried_by.clone(),
        })
        .collect()
}

fn order_of(order: &[ReportId], r: &ReportId) -> usize {
    order.iter().position(|x| x == r).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(
        report: &str,
        position: usize,
        text: &str,
        carried: &[&str],
        restates: &[(&str, usize)],
    ) -> Candidate {
        Candidate {
            report: ReportId(report.into()),
            position,
            text: text.into(),
            carried_by: carried.iter().map(|r| ReportId((*r).into())).collect(),
            from_original: report == "a",
            restates: restates
                .iter()
                .map(|(r, p)| (ReportId((*r).into()), *p))
                .collect(),
        }
    }

    #[test]
    fn widely_carried_first_no_repeats_in_story_order() {
        let cands = vec![
            c(
                "a",
                0,
                "The storm killed twelve people along the coast on Monday night.",
                &["a", "b", "c"],
                &[],
            ),
            c(
                "b",
                0,
                "Twelve people died along the coast when the storm hit on Monday.",
                &["b", "a", "c"],
                &[("a", 0)],
            ),
            c(
                "a",
                1,
                "Power was cut to three thousand homes in the region, the utility said.",
                &["a"],
                &[],
            ),
            c(
                "c",
                2,
                "The governor declared an emergency in four counties on Tuesday morning.",
                &["c", "b"],
                &[],
            ),
            c("a", 2, "Short one.", &["a", "b", "c"], &[]),
        ];
        let order = vec![
            ReportId("a".into()),
            ReportId("b".into()),
            ReportId("c".into()),
        ];
        let b = brief(&cands, &order);
        let texts: Vec<&str> = b.iter().map(|s| &s.text[..12]).collect();
        assert_eq!(texts, vec!["The storm ki", "Power was cu", "The governor"]);
        assert_eq!(b[0].cites.len(), 3);
    }
}
