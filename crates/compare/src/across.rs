//! Entities and dated facts across a story's reports: one person under several spellings
//! (aliases) and the reports naming them; dates only one report gives, with their sentence.

use storyline_extract::{DateMention, Entity, EntityKind, same_person};
use storyline_model::ReportId;
use storyline_text::sentences;

/// An entity as the story's reports name it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityAcross {
    pub name: String,
    pub kind: EntityKind,
    /// Other spellings of the same entity in other reports ("Khalifa Hifter").
    pub aliases: Vec<String>,
    pub reports: Vec<ReportId>,
}

/// Groups the entities of a story's reports: people by [`same_person`], others by name.
pub fn entities_across(reports: &[(ReportId, Vec<Entity>)]) -> Vec<EntityAcross> {
    let mut out: Vec<EntityAcross> = Vec::new();
    for (report, ents) in reports {
        for e in ents {
            let home = out.iter_mut().find(|x| {
                x.kind == e.kind
                    && if e.kind == EntityKind::Person {
                        same_person(&x.name, &e.name)
                            || x.aliases.iter().any(|a| same_person(a, &e.name))
                    } else {
                        x.name.eq_ignore_ascii_case(&e.name)
                    }
            });
            match home {
                Some(x) => {
                    // A fuller name becomes the entity's name; other spellings are aliases.
                    if e.name != x.name && !x.aliases.contains(&e.name) {
                        if e.name.split_whitespace().count() > x.name.split_whitespace().count()
                            && e.name.ends_with(x.name.as_str())
                        {
                            let old = std::mem::replace(&mut x.name, e.name.clone());
                            if !e.name.ends_with(&old) {
                                x.aliases.push(old);
                            }
                        } else if !x.name.ends_with(e.name.as_str()) {
                            x.aliases.push(e.name.clone());
                        }
                    }
                    if !x.reports.contains(report) {
                        x.reports.push(report.clone());
                    }
                }
                None => out.push(EntityAcross {
                    name: e.name.clone(),
                    kind: e.kind,
                    aliases: Vec::new(),
                    reports: vec![report.clone()],
                }),
            }
        }
    }
    out
}

/// A dated fact only one report gives.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedFact {
    pub report: ReportId,
    pub date: String,
    /// The sentence that gives it.
    pub sentence: String,
}

fn date_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| matches!(*w, "a" | "an" | "the" | "in" | "since" | "until" | "by"))
    {
        words.remove(0);
    }
    words.join(" ")
}

/// Absolute dates (years, month and day) that only one of the story's reports mentions, with
/// the sentence that gives each: the facts a single source adds ("a 2024 U.N. report …").
pub fn unique_dated_facts(reports: &[(ReportId, String, Vec<DateMention>)]) -> Vec<DatedFact> {
    let mut out = Vec::new();
    for (report, text, dates) in reports {
        for d in dates.iter().filter(|d| !d.relative) {
            let key = date_key(&d.text);
            let elsewhere = reports
                .iter()
                .filter(|(r, _, _)| r != report)
                .any(|(_, _, ds)| ds.iter().any(|x| !x.relative && date_key(&x.text) == key));
            if elsewhere || reports.len() < 2 {
                continue;
            }
            let sentence = sentences(text)
                .into_iter()
                .find(|s| s.start <= d.span.0 && d.span.1 <= s.end)
                .map(|s| text[s.start..s.end].to_string())
                .unwrap_or_else(|| d.text.clone());
            out.push(DatedFact {
                report: report.clone(),
                date: d.text.clone(),
                sentence,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_extract::{dates, entities};

    #[test]
    fn spellings_are_aliases_and_namesakes_stay_apart() {
        let a = (
            ReportId("a".into()),
            entities("Khalifa Haftar's forces rejected the plan. Haftar said no."),
        );
        let b = (
            ReportId("b".into()),
            entities("Figures such as Khalifa Hifter are often discussed."),
        );
        let c = (
            ReportId("c".into()),
            entities("His son Saddam Haftar visited Washington."),
        );
        let across = entities_across(&[a, b, c]);
        let khalifa = across
            .iter()
            .find(|e| e.name == "Khalifa Haftar")
            .expect("Khalifa Haftar");
        assert_eq!(khalifa.aliases, vec!["Khalifa Hifter".to_string()]);
        assert_eq!(khalifa.reports.len(), 2);
        assert!(
            across
                .iter()
                .any(|e| e.name == "Saddam Haftar" && e.reports.len() == 1)
        );
    }

    #[test]
    fn a_year_only_one_report_gives_is_its_fact() {
        let t1 =
            "A 2024 U.N. report highlighted years of abuse. He was deported in 2009.".to_string();
        let t2 = "He was deported in 2009, records show.".to_string();
        let facts = unique_dated_facts(&[
            (ReportId("a".into()), t1.clone(), dates(&t1)),
            (ReportId("b".into()), t2.clone(), dates(&t2)),
        ]);
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(
            facts[0].sentence,
            "A 2024 U.N. report highlighted years of abuse."
        );
    }
}
