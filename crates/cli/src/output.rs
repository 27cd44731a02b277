//! What the commands print: text for people, JSON for programs. The JSON field names are a
//! contract documented in the README; add fields, never rename them.

use std::fmt::Write;

use serde_json::{Value, json};
use storyline_model::{Attribution, LineageEdge, Report, ReportId, Role, StoryId};
use storyline_pipeline::{
    BriefSentence, DateMention, Entity, Figure, FigureComparison, IngestSummary, Remark,
    render_diff,
};
use storyline_store::{ReportSummary, StoryRecord};

fn edge_json(e: &LineageEdge) -> Value {
    json!({
        "from": e.from.0,
        "to": e.to.0,
        "kind": e.kind.as_str(),
        "reuse": round3(e.reuse),
        "verbatim": round3(e.verbatim),
        "evidence": e.evidence,
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn report_summary_json(r: &ReportSummary) -> Value {
    json!({
        "id": r.id.0,
        "title": r.display_title,
        "role": r.role.as_str(),
        "evidence": r.role_evidence,
        "source": r.source,
        "url": r.url,
        "published": r.published,
    })
}

/// Which thread each story belongs to (stories of one developing topic).
pub struct Threads {
    root: std::collections::HashMap<StoryId, StoryId>,
}

impl Threads {
    pub fn new(pairs: Vec<(StoryId, StoryId)>) -> Threads {
        Threads {
            root: pairs.into_iter().collect(),
        }
    }

    /// The thread's id: `T` and the number of its first story.
    pub fn of(&self, s: StoryId) -> String {
        format!("T{}", self.root.get(&s).copied().unwrap_or(s).0)
    }

    /// The other stories of `s`'s thread.
    pub fn siblings(&self, s: StoryId) -> Vec<StoryId> {
        let mine = self.root.get(&s).copied().unwrap_or(s);
        let mut v: Vec<StoryId> = self
            .root
            .iter()
            .filter(|(k, r)| **r == mine && **k != s)
            .map(|(k, _)| *k)
            .collect();
        v.sort();
        v
    }
}

pub fn story_json(s: &StoryRecord, threads: &Threads) -> Value {
    json!({
        "id": s.id.to_string(),
        "title": s.title,
        "thread": threads.of(s.id),
        "thread_stories": threads.siblings(s.id).iter().map(|x| x.to_string()).collect::<Vec<_>>(),
        "reports": s.reports.iter().map(report_summary_json).collect::<Vec<_>>(),
        "originals": s.reports.iter().filter(|r| r.role == Role::Original).map(|r| r.id.0.clone()).collect::<Vec<_>>(),
        "lineage": s.lineage.iter().map(edge_json).collect::<Vec<_>>(),
    })
}

pub fn stories_json(stories: &[StoryRecord], threads: &Threads) -> Value {
    Value::Array(stories.iter().map(|s| story_json(s, threads)).collect())
}

pub fn stories_text(stories: &[StoryRecord], threads: &Threads) -> String {
    let mut out = String::new();
    if stories.is_empty() {
        out.push_str("no stories yet: `storyline ingest PATH` adds reports\n");
        return out;
    }
    for s in stories {
        let originals: Vec<&str> = s
            .reports
            .iter()
            .filter(|r| r.role == Role::Original)
            .map(|r| r.id.0.as_str())
            .collect();
        let _ = writeln!(
            out,
            "{:<5} {:>3} report{}  thread {:<4} originals: {:<30} {}",
            s.id.to_string(),
            s.reports.len(),
            if s.reports.len() == 1 { " " } else { "s" },
            threads.of(s.id),
            if originals.is_empty() {
                "-".to_string()
            } else {
                originals.join(", ")
            },
            s.title
        );
    }
    out
}

pub fn story_text(s: &StoryRecord, threads: &Threads) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", s.id, s.title);
    let siblings = threads.siblings(s.id);
    if !siblings.is_empty() {
        let names: Vec<String> = siblings.iter().map(|x| x.to_string()).collect();
        let _ = writeln!(
            out,
            "thread {}: also {}",
            threads.of(s.id),
            names.join(", ")
        );
    }
    let _ = writeln!(out, "\nreports ({}):", s.reports.len());
    for r in &s.reports {
        let _ = writeln!(
            out,
            "  {:<28} {:<10} {}",
            r.id.0,
            r.role.as_str(),
            r.display_title
        );
        for why in &r.role_evidence {
            let _ = writeln!(out, "  {:<28} {:<10}   - {}", "", "", why);
        }
    }
    let _ = writeln!(
        out,
        "\nlineage ({} edges, source → derived):",
        s.lineage.len()
    );
    if s.lineage.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for e in &s.lineage {
        let _ = writeln!(
            out,
            "  {} → {}  {}  reuse {:.0}% (verbatim {:.0}%)",
            e.from,
            e.to,
            e.kind.as_str(),
            e.reuse * 100.0,
            e.verbatim * 100.0
        );
        for why in &e.evidence {
            let _ = writeln!(out, "      - {why}");
        }
    }
    out
}

pub fn report_json(r: &Report, s: &StoryRecord) -> Value {
    let summary = s.reports.iter().find(|x| x.id == r.id);
    json!({
        "id": r.id.0,
        "story": s.id.to_string(),
        "title": r.title,
        "url": r.url,
        "source": r.source,
        "published": r.published,
        "updated": r.updated,
        "byline": r.byline,
        "language": r.language,
        "origin": r.origin,
        "role": summary.map(|x| x.role.as_str()),
        "evidence": summary.map(|x| x.role_evidence.clone()).unwrap_or_default(),
        "lineage": s.lineage.iter().filter(|e| e.from == r.id || e.to == r.id).map(edge_json).collect::<Vec<_>>(),
        "extra": r.extra_json.as_deref().and_then(|x| serde_json::from_str::<Value>(x).ok()),
        "dropped": dropped_json(r),
        "text": r.text,
    })
}

fn dropped_json(r: &Report) -> Value {
    Value::Array(
        r.dropped
            .iter()
            .map(|d| json!({"rule": d.rule, "text": d.text}))
            .collect(),
    )
}

/// `clean --format json`: one object per report.
pub fn cleaned_json(reports: &[Report]) -> Value {
    Value::Array(
        reports
            .iter()
            .map(|r| {
                json!({
                    "id": r.id.0,
                    "origin": r.origin,
                    "title": r.title,
                    "url": r.url,
                    "canonical_url": r.url,
                    "source": r.source,
                    "site": r.source,
                    "published": r.published,
                    "updated": r.updated,
                    "byline": r.byline,
                    "language": r.language,
                    "text": r.text,
                    "headings": r.headings,
                    "dropped": dropped_json(r),
                })
            })
            .collect(),
    )
}

/// `clean`: the cleaned text; with several inputs, each under a `==> origin <==` line as
/// `head` does.
pub fn cleaned_text(reports: &[Report]) -> String {
    let mut out = String::new();
    for (i, r) in reports.iter().enumerate() {
        if reports.len() > 1 {
            let _ = writeln!(out, "{}==> {} <==", if i > 0 { "\n" } else { "" }, r.origin);
        }
        if let Some(t) = &r.title {
            let _ = writeln!(out, "{t}\n");
        }
        let _ = writeln!(out, "{}", r.text);
    }
    out
}

pub fn report_text(r: &Report, s: &StoryRecord, show_dropped: bool) -> String {
    let mut out = String::new();
    let summary = s.reports.iter().find(|x| x.id == r.id);
    let _ = writeln!(out, "{}  ({})", r.id, r.origin);
    if let Some(t) = &r.title {
        let _ = writeln!(out, "title: {t}");
    }
    for (k, v) in [
        ("source", &r.source),
        ("url", &r.url),
        ("published", &r.published),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "{k}: {v}");
        }
    }
    let _ = writeln!(out, "story: {}  {}", s.id, s.title);
    if let Some(x) = summary {
        let _ = writeln!(out, "role: {}", x.role.as_str());
        for why in &x.role_evidence {
            let _ = writeln!(out, "  - {why}");
        }
    }
    for e in s.lineage.iter().filter(|e| e.from == r.id || e.to == r.id) {
        let _ = writeln!(
            out,
            "lineage: {} → {}  {}  reuse {:.0}%",
            e.from,
            e.to,
            e.kind.as_str(),
            e.reuse * 100.0
        );
    }
    let _ = writeln!(out, "\n{}", r.text);
    if !r.dropped.is_empty() {
        if show_dropped {
            let _ = writeln!(out, "\ndropped by the cleaner ({}):", r.dropped.len());
            for d in &r.dropped {
                let _ = writeln!(out, "  [{}] {}", d.rule, d.text);
            }
        } else {
            let _ = writeln!(
                out,
                "\n({} pieces dropped by the cleaner; --dropped shows them)",
                r.dropped.len()
            );
        }
    }
    out
}

pub fn ingest_json(s: &IngestSummary) -> Value {
    json!({
        "read": s.read,
        "new": s.new,
        "duplicates": s.duplicates,
        "failed": s.failed,
        "errors": s.diagnostics.iter().map(|d| json!({"input": d.input, "message": d.message})).collect::<Vec<_>>(),
        "landed": s.landings.iter().map(|l| json!({
            "report": l.report.0, "story": l.story.to_string(), "new_story": l.new_story, "score": round3(l.score)
        })).collect::<Vec<_>>(),
    })
}

fn piece(r: &Report, span: Option<(usize, usize)>) -> Option<&str> {
    span.and_then(|(a, b)| r.text.get(a..b))
}

/// `quotes --format json`: one object per attribution.
pub fn quotes_json(found: &[(Report, StoryId, Vec<Attribution>)]) -> Value {
    let mut out = Vec::new();
    for (r, sid, atts) in found {
        for a in atts {
            out.push(json!({
                "report": r.id.0,
                "story": sid.to_string(),
                "speaker": a.speaker,
                "mention": piece(r, a.source),
                "cue": piece(r, a.cue),
                "text": piece(r, Some(a.content)),
                "direct": a.direct,
                "partial": a.partial,
                "start": a.content.0,
                "end": a.content.1,
            }));
        }
    }
    Value::Array(out)
}

/// `quotes`: per report, each attribution as `speaker: "quote"` or `speaker (reported): claim`.
pub fn quotes_text(found: &[(Report, StoryId, Vec<Attribution>)]) -> String {
    let mut out = String::new();
    for (r, sid, atts) in found {
        if atts.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}  ({sid})", r.id);
        for a in atts {
            let who = a.speaker.as_deref().unwrap_or("(unattributed)");
            let text = piece(r, Some(a.content)).unwrap_or("");
            let cue = piece(r, a.cue)
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            if a.direct {
                let kind = if a.partial { " (partial quote)" } else { "" };
                let _ = writeln!(out, "  {who}{cue}{kind}: \u{201c}{text}\u{201d}");
            } else {
                let _ = writeln!(out, "  {who}{cue} (reported): {text}");
            }
        }
        out.push('\n');
    }
    out
}

/// What `entities` lists for one report.
pub struct ReportFacts {
    pub entities: Vec<Entity>,
    pub figures: Vec<Figure>,
    pub dates: Vec<DateMention>,
}

/// `entities --format json`: one object per entity, figure and date of each report.
pub fn entities_json(found: &[(Report, StoryId, ReportFacts)]) -> Value {
    let mut out = Vec::new();
    for (r, sid, facts) in found {
        for f in &facts.figures {
            out.push(json!({
                "report": r.id.0,
                "story": sid.to_string(),
                "name": r.text.get(f.span.0..f.span.1),
                "kind": "figure",
                "number": f.number,
                "value": f.value,
                "counts": f.counts,
                "mentions": [{"text": r.text.get(f.span.0..f.span.1), "start": f.span.0, "end": f.span.1}],
            }));
        }
        for d in &facts.dates {
            out.push(json!({
                "report": r.id.0,
                "story": sid.to_string(),
                "name": d.text,
                "kind": "date",
                "relative": d.relative,
                "mentions": [{"text": d.text, "start": d.span.0, "end": d.span.1}],
            }));
        }
        for e in &facts.entities {
            out.push(json!({
                "report": r.id.0,
                "story": sid.to_string(),
                "name": e.name,
                "kind": e.kind.as_str(),
                "mentions": e.mentions.iter().map(|&(a, b)| json!({"text": r.text.get(a..b), "start": a, "end": b})).collect::<Vec<_>>(),
            }));
        }
    }
    Value::Array(out)
}

/// `entities`: per report, each entity with its kind and how it is mentioned, then figures and
/// dates.
pub fn entities_text(found: &[(Report, StoryId, ReportFacts)]) -> String {
    let mut out = String::new();
    for (r, sid, facts) in found {
        let ents = &facts.entities;
        let _ = writeln!(out, "{}  ({sid})", r.id);
        for f in &facts.figures {
            let _ = writeln!(
                out,
                "  {:<13} {}",
                "figure",
                r.text.get(f.span.0..f.span.1).unwrap_or("")
            );
        }
        for d in &facts.dates {
            let _ = writeln!(
                out,
                "  {:<13} {}{}",
                "date",
                d.text,
                if d.relative { " (relative)" } else { "" }
            );
        }
        for e in ents {
            let mut forms: Vec<&str> = e
                .mentions
                .iter()
                .filter_map(|&(a, b)| r.text.get(a..b))
                .collect();
            forms.sort_unstable();
            forms.dedup();
            let _ = writeln!(
                out,
                "  {:<13} {}  ({} mentions: {})",
                e.kind.as_str(),
                e.name,
                e.mentions.len(),
                forms.join(" / ")
            );
        }
        out.push('\n');
    }
    out
}

/// `quotes --speaker NAME --format json`: remarks with their variants.
pub fn remarks_json(remarks: &[Remark]) -> Value {
    Value::Array(
        remarks
            .iter()
            .map(|r| {
                json!({
                    "speaker": r.speaker,
                    "drift": r.drifted(),
                    "variants": r.variants.iter().map(|v| json!({
                        "text": v.text,
                        "reports": v.reports.iter().map(|id| id.0.clone()).collect::<Vec<_>>(),
                        "drift": v.drift,
                        "diff": if v.drift { Some(render_diff(&v.diff)) } else { None },
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// `quotes --speaker NAME`: each remark, its wordings and the reports carrying each.
pub fn remarks_text(remarks: &[Remark]) -> String {
    let mut out = String::new();
    if remarks.is_empty() {
        out.push_str("no remarks by that speaker\n");
    }
    for r in remarks {
        let _ = writeln!(
            out,
            "{}{}",
            r.speaker,
            if r.drifted() {
                "  (worded differently across reports)"
            } else {
                ""
            }
        );
        for v in &r.variants {
            let ids: Vec<&str> = v.reports.iter().map(|id| id.0.as_str()).collect();
            let _ = writeln!(out, "  \u{201c}{}\u{201d}  [{}]", v.text, ids.join(", "));
            if v.drift {
                let _ = writeln!(out, "    drift: {}", render_diff(&v.diff));
            }
        }
        out.push('\n');
    }
    out
}

/// Entities and dated facts across a story's reports.
pub struct Across {
    pub entities: Vec<storyline_pipeline::EntityAcross>,
    pub dated: Vec<storyline_pipeline::DatedFact>,
}

/// `compare STORY --format json`.
pub fn compare_json(
    story: &str,
    remarks: &[Remark],
    facts: &FigureComparison,
    across: &Across,
) -> Value {
    json!({
        "entities": across.entities.iter().map(|e| json!({
            "name": e.name,
            "kind": e.kind.as_str(),
            "aliases": e.aliases,
            "reports": e.reports.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "unique_dated": across.dated.iter().map(|d| json!({"report": d.report.0, "date": d.date, "sentence": d.sentence})).collect::<Vec<_>>(),
        "story": story,
        "quotes": remarks_json(remarks),
        "figures": facts.slots.iter().map(|s| json!({
            "slot": s.label,
            "conflict": s.conflict,
            "values": s.values.iter().map(|(r, v, t)| json!({"report": r.0, "value": v, "text": t})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "unique": facts.unique.iter().map(|(r, t)| json!({"report": r.0, "text": t})).collect::<Vec<_>>(),
        "missing": facts.missing.iter().map(|(r, k)| json!({"report": r.0, "slot": k})).collect::<Vec<_>>(),
    })
}

/// `compare STORY`: Markdown for a reader.
pub fn compare_md(
    story: &str,
    remarks: &[Remark],
    facts: &FigureComparison,
    across: &Across,
) -> String {
    let mut out = format!("# Comparing the reports of {story}\n\n## Quotes\n\n");
    let shared: Vec<&Remark> = remarks
        .iter()
        .filter(|r| r.variants.len() > 1 || r.variants[0].reports.len() > 1)
        .collect();
    if shared.is_empty() {
        out.push_str("No remark is quoted by more than one report.\n");
    }
    for r in shared {
        let _ = writeln!(
            out,
            "- **{}**{}",
            r.speaker,
            if r.drifted() {
                " — worded differently across reports"
            } else {
                ""
            }
        );
        for v in &r.variants {
            let ids: Vec<&str> = v.reports.iter().map(|id| id.0.as_str()).collect();
            let _ = writeln!(out, "  - \u{201c}{}\u{201d} ({})", v.text, ids.join(", "));
            if v.drift {
                let _ = writeln!(out, "    - drift: `{}`", render_diff(&v.diff));
            }
        }
    }
    out.push_str("\n## Figures\n\n");
    let conflicts: Vec<_> = facts.slots.iter().filter(|s| s.conflict).collect();
    if conflicts.is_empty() {
        out.push_str("No conflicting figures.\n");
    }
    for s in conflicts {
        let vals: Vec<String> = s
            .values
            .iter()
            .map(|(r, _, t)| format!("{t} ({})", r.0))
            .collect();
        let _ = writeln!(out, "- **conflict** on {}: {}", s.label, vals.join(" vs "));
    }
    if !facts.unique.is_empty() {
        out.push_str("\n### Only one report carries\n\n");
        for (r, t) in &facts.unique {
            let _ = writeln!(out, "- {t} — {}", r.0);
        }
    }
    if !facts.missing.is_empty() {
        out.push_str("\n### Left out\n\n");
        for (r, k) in &facts.missing {
            let _ = writeln!(
                out,
                "- {} gives no figure for \"{k}\", which most reports give",
                r.0
            );
        }
    }
    if !across.dated.is_empty() {
        out.push_str("\n### Dated facts only one report gives\n\n");
        for d in &across.dated {
            let _ = writeln!(out, "- {} ({}): {}", d.date, d.report.0, d.sentence);
        }
    }
    out.push_str("\n## Who and what is named\n\n");
    for e in across
        .entities
        .iter()
        .filter(|e| e.reports.len() > 1 || !e.aliases.is_empty())
    {
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also spelled {})", e.aliases.join(", "))
        };
        let ids: Vec<&str> = e.reports.iter().map(|r| r.0.as_str()).collect();
        let _ = writeln!(
            out,
            "- {} {}{}: {}",
            e.kind.as_str(),
            e.name,
            aliases,
            ids.join(", ")
        );
    }
    out
}

/// What one report adds to its story: its sentences no other report carries, and its figures
/// no other report gives.
pub struct Adds {
    pub report: ReportId,
    pub own_sentences: usize,
    pub sentences: usize,
    pub unique_figures: Vec<String>,
}

pub fn what_each_adds(
    cands: &[storyline_pipeline::Candidate],
    order: &[ReportId],
    facts: &FigureComparison,
) -> Vec<Adds> {
    order
        .iter()
        .map(|id| {
            let mine: Vec<_> = cands.iter().filter(|c| &c.report == id).collect();
            Adds {
                report: id.clone(),
                own_sentences: mine.iter().filter(|c| c.carried_by.len() == 1).count(),
                sentences: mine.len(),
                unique_figures: facts
                    .unique
                    .iter()
                    .filter(|(r, _)| r == id)
                    .map(|(_, t)| t.clone())
                    .collect(),
            }
        })
        .collect()
}

pub fn brief_json(
    s: &StoryRecord,
    sentences: &[BriefSentence],
    adds: &[Adds],
    facts: &FigureComparison,
) -> Value {
    json!({
        "story": s.id.to_string(),
        "title": s.title,
        "sentences": sentences.iter().map(|b| json!({
            "text": b.text,
            "report": b.report.0,
            "position": b.position,
            "cites": b.cites.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "adds": adds.iter().map(|a| json!({
            "report": a.report.0,
            "own_sentences": a.own_sentences,
            "sentences": a.sentences,
            "unique_figures": a.unique_figures,
        })).collect::<Vec<_>>(),
        "conflicts": facts.slots.iter().filter(|x| x.conflict).map(|x| json!({
            "slot": x.label,
            "values": x.values.iter().map(|(r, v, t)| json!({"report": r.0, "value": v, "text": t})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub fn brief_md(
    s: &StoryRecord,
    sentences: &[BriefSentence],
    adds: &[Adds],
    facts: &FigureComparison,
) -> String {
    let mut out = format!("# {}\n\n", s.title);
    for b in sentences {
        let cites: Vec<&str> = b.cites.iter().map(|c| c.0.as_str()).collect();
        let _ = writeln!(out, "{} [{}]", b.text, cites.join(", "));
        out.push('\n');
    }
    out.push_str("## What each source adds\n\n");
    for a in adds {
        let figs = if a.unique_figures.is_empty() {
            String::new()
        } else {
            format!("; only it gives: {}", a.unique_figures.join(", "))
        };
        let _ = writeln!(
            out,
            "- {}: {} of its {} sentences are in no other report{}",
            a.report.0, a.own_sentences, a.sentences, figs
        );
    }
    out.push_str("\n## Open conflicts\n\n");
    let conflicts: Vec<_> = facts.slots.iter().filter(|x| x.conflict).collect();
    if conflicts.is_empty() {
        out.push_str("None among the figures.\n");
    }
    for c in conflicts {
        let vals: Vec<String> = c
            .values
            .iter()
            .map(|(r, _, t)| format!("{t} ({})", r.0))
            .collect();
        let _ = writeln!(out, "- {}: {}", c.label, vals.join(" vs "));
    }
    out
}
