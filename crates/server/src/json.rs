//! The JSON on the wire: what the API answers and what the CLI prints with `--format json`,
//! built by one set of functions so both say the same thing. The field names are a contract
//! documented in the README; add fields, never rename them.

use serde_json::{Value, json};
use storyline_model::{Attribution, LineageEdge, Report, ReportId, Role, StoryId};
use storyline_pipeline::{
    BriefSentence, DateMention, Entity, Figure, FigureComparison, IngestSummary, Remark,
    render_diff,
};
use storyline_store::{ReportSummary, StoryRecord, ThreadSummary};

pub fn edge_json(e: &LineageEdge) -> Value {
    json!({
        "from": e.from.0,
        "to": e.to.0,
        "kind": e.kind.as_str(),
        "reuse": round3(e.reuse),
        "verbatim": round3(e.verbatim),
        "evidence": e.evidence,
    })
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn report_summary_json(r: &ReportSummary) -> Value {
    json!({
        "id": r.id.0,
        "title": r.display_title,
        "role": r.role.as_str(),
        "evidence": r.role_evidence,
        "source": r.source,
        "outlet": r.outlet,
        "url": r.url,
        "published": r.published,
    })
}

/// A thread's name: `T` and the number of its first story.
pub fn thread_name(thread: StoryId) -> String {
    format!("T{}", thread.0)
}

/// The thread named `T5` (the thread whose first story is `S5`).
pub fn parse_thread_name(name: &str) -> Option<StoryId> {
    match name.strip_prefix('T')?.parse::<u64>() {
        Ok(n) if n > 0 => Some(StoryId(n)),
        _ => None,
    }
}

/// A story as listed: flat, naming its thread. With `thread_stories` (the other stories of its
/// thread, as `show` and `/api/stories/{id}` give them) the field of that name is added.
pub fn story_json(s: &StoryRecord, thread_stories: Option<&[StoryId]>) -> Value {
    let mut v = json!({
        "id": s.id.to_string(),
        "title": s.title,
        "thread": thread_name(s.thread),
        "reports": s.reports.iter().map(report_summary_json).collect::<Vec<_>>(),
        "originals": s.reports.iter().filter(|r| r.role == Role::Original).map(|r| r.id.0.clone()).collect::<Vec<_>>(),
        "lineage": s.lineage.iter().map(edge_json).collect::<Vec<_>>(),
    });
    if let Some(others) = thread_stories {
        v["thread_stories"] = others
            .iter()
            .filter(|x| **x != s.id)
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .into();
    }
    v
}

/// A story as `show STORY` and `/api/stories/{id}` give it: as listed, with the other stories of
/// its thread and its coverage timeline.
pub fn story_page_json(s: &StoryRecord, thread_stories: &[StoryId]) -> Value {
    let mut v = story_json(s, Some(thread_stories));
    v["timeline"] = timeline_json(&storyline_coverage::timeline(std::slice::from_ref(s)));
    v
}

/// A thread as listed: its first story's title and its size.
pub fn thread_json(t: &ThreadSummary) -> Value {
    json!({
        "id": thread_name(t.id),
        "title": t.title,
        "stories": t.stories,
        "reports": t.reports,
    })
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
        "placement": summary.map(|x| json!({
            "score": round3(x.placement_score),
            "evidence": x.placement_evidence,
        })),
        "lineage": s.lineage.iter().filter(|e| e.from == r.id || e.to == r.id).map(edge_json).collect::<Vec<_>>(),
        "extra": r.extra_json.as_deref().and_then(|x| serde_json::from_str::<Value>(x).ok()),
        "dropped": dropped_json(r),
        "text": r.text,
    })
}

pub fn dropped_json(r: &Report) -> Value {
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

pub fn ingest_json(s: &IngestSummary) -> Value {
    json!({
        "read": s.read,
        "new": s.new,
        "duplicates": s.duplicates,
        "failed": s.failed,
        "errors": s.diagnostics.iter().map(|d| json!({"input": d.input, "message": d.message})).collect::<Vec<_>>(),
        "skipped": s.skipped,
        "landed": s.landings.iter().map(|l| json!({
            "report": l.report.0, "story": l.story.to_string(), "new_story": l.new_story, "score": round3(l.score)
        })).collect::<Vec<_>>(),
    })
}

pub fn piece(r: &Report, span: Option<(usize, usize)>) -> Option<&str> {
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
                // A quote split around its frame is shown without the frame; `start`/`end`
                // span the whole run.
                "text": storyline_pipeline::quoted_words(&r.text, a),
                "direct": a.direct,
                "partial": a.partial,
                "start": a.content.0,
                "end": a.content.1,
            }));
        }
    }
    Value::Array(out)
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
            "support": b.support.iter().map(|x| json!({
                "report": x.report.0,
                "position": x.position,
                "kind": x.kind,
                "score": (x.score * 1000.0).round() / 1000.0,
                "cited": x.cited,
                "text": x.text,
            })).collect::<Vec<_>>(),
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

/// `GET /api/stories/{id}/lineage`: the graph alone, its nodes the story's reports (as in
/// `story_json`) and its edges the lineage.
pub fn lineage_json(s: &StoryRecord) -> Value {
    json!({
        "story": s.id.to_string(),
        "reports": s.reports.iter().map(report_summary_json).collect::<Vec<_>>(),
        "lineage": s.lineage.iter().map(edge_json).collect::<Vec<_>>(),
    })
}

fn flow_json(f: &storyline_coverage::Flow) -> Value {
    json!({
        "outlet": f.outlet,
        "edges": f.edges,
        "credited": f.credited,
        "mean_reuse": f.mean_reuse.map(round3),
    })
}

fn time_json(t: Option<chrono::DateTime<chrono::Utc>>) -> Value {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .into()
}

/// An outlet's profile (`storyline outlets`, `/api/outlets`). With `full`, the flows and weeks
/// are listed whole; the table lists the top three flows.
pub fn outlet_json(p: &storyline_coverage::OutletProfile, full: bool) -> Value {
    let top = if full { usize::MAX } else { 3 };
    json!({
        "outlet": p.outlet,
        "known": p.known,
        "reports": p.reports,
        "original": p.original,
        "derived": p.derived,
        "copies": p.copies,
        "rewrites": p.rewrites,
        "summaries": p.summaries,
        "secondhand": p.secondhand,
        "original_share": round3(p.share(p.original)),
        "derived_share": round3(p.share(p.derived)),
        "secondhand_share": round3(p.share(p.secondhand)),
        "takes_from": p.takes_from.iter().take(top).map(flow_json).collect::<Vec<_>>(),
        "taken_by": p.taken_by.iter().take(top).map(flow_json).collect::<Vec<_>>(),
        "median_lag_hours": p.median_lag_hours.map(|h| (h * 100.0).round() / 100.0),
        "lag_pairs": p.lag_pairs,
        "first_seen_timed": p.first_seen_timed,
        "first": time_json(p.first),
        "last": time_json(p.last),
        "weeks": if full {
            p.weeks.iter().map(|w| json!({
                "week": w.week,
                "reports": w.reports,
                "original": w.original,
                "derived": w.derived,
                "secondhand": w.secondhand,
            })).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
    })
}

/// A story's or a thread's coverage timeline.
pub fn timeline_json(t: &storyline_coverage::Timeline) -> Value {
    json!({
        "start": time_json(t.start),
        "end": time_json(t.end),
        "points": t.points.iter().map(|p| json!({
            "report": p.report.0,
            "story": p.story.to_string(),
            "outlet": p.outlet,
            "title": p.title,
            "role": p.role.as_str(),
            "at": time_json(p.at),
            "time_source": p.time_source.map(|s| s.as_str()),
            "first": p.first,
        })).collect::<Vec<_>>(),
        "edges": t.edges.iter().map(|e| json!({
            "from": e.from.0,
            "to": e.to.0,
            "kind": e.kind.as_str(),
            "reuse": round3(e.reuse),
        })).collect::<Vec<_>>(),
    })
}
