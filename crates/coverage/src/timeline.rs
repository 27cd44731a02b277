//! Coverage timelines: a story's (or a thread's) reports on a time axis, the first marked,
//! with the lineage edges between them.

use chrono::{DateTime, Utc};
use storyline_model::{LineageKind, ReportId, Role, StoryId};
use storyline_store::StoryRecord;

use crate::profiles::UNKNOWN_OUTLET;
use crate::time::{TimeSource, report_time};

/// A report on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    pub report: ReportId,
    pub story: StoryId,
    pub outlet: String,
    pub title: String,
    pub role: Role,
    /// `None` when the report has neither a publication time nor a first-seen time.
    pub at: Option<DateTime<Utc>>,
    pub time_source: Option<TimeSource>,
    /// The earliest timed report; when several tie, those of them no other report of the
    /// timeline was derived into (all of them, when each was).
    pub first: bool,
}

/// A lineage edge between two points.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEdge {
    pub from: ReportId,
    pub to: ReportId,
    pub kind: LineageKind,
    pub reuse: f64,
}

/// The reports of one or more stories in time order (untimed last), with their edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub points: Vec<TimelinePoint>,
    pub edges: Vec<TimelineEdge>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// Most days after a story's latest publication time that a report's first-seen time still
/// places it: a story's reports come out within a day or two (placement joins reports at most
/// a day apart), and a feed sees them within hours.
const MAX_SEEN_AFTER_DAYS: i64 = 2;

/// The timeline of `stories` (one story, or a thread's stories).
pub fn timeline(stories: &[StoryRecord]) -> Timeline {
    let mut points: Vec<TimelinePoint> = stories
        .iter()
        .flat_map(|s| {
            s.reports.iter().map(move |r| {
                let t = report_time(r.published.as_deref(), r.first_seen.as_deref());
                TimelinePoint {
                    report: r.id.clone(),
                    story: s.id,
                    outlet: r
                        .outlet
                        .clone()
                        .filter(|o| !o.trim().is_empty())
                        .unwrap_or_else(|| UNKNOWN_OUTLET.to_string()),
                    title: r.display_title.clone(),
                    role: r.role,
                    at: t.map(|t| t.at),
                    time_source: t.map(|t| t.source),
                    first: false,
                }
            })
        })
        .collect();
    // A report timed only by when it was stored, long after the latest publication time of
    // the others, was stored from an archive: that day says nothing of when it came out, and
    // on the axis it would stretch a day's coverage over the years between (the L3S pages of
    // January 2008 ingested in 2026). It goes to the untimed end.
    let last_published = points
        .iter()
        .filter(|p| p.time_source == Some(TimeSource::Published))
        .filter_map(|p| p.at)
        .max();
    if let Some(last) = last_published {
        for p in &mut points {
            if p.time_source == Some(TimeSource::FirstSeen)
                && p.at
                    .is_some_and(|at| at > last + chrono::Duration::days(MAX_SEEN_AFTER_DAYS))
            {
                p.at = None;
                p.time_source = None;
            }
        }
    }
    // A report some other report of these stories was derived from comes before it when their
    // times tie (one ingest batch gives its reports one first-seen time): the source first.
    let derived: std::collections::HashSet<&ReportId> = stories
        .iter()
        .flat_map(|s| s.lineage.iter())
        .filter(|e| e.kind.is_derivation())
        .map(|e| &e.to)
        .collect();
    // Stable: reports with one time keep the stories' order (ingest order).
    points.sort_by_key(|p| (p.at.is_none(), p.at, derived.contains(&p.report)));
    let start = points.iter().filter_map(|p| p.at).min();
    let end = points.iter().filter_map(|p| p.at).max();
    let tied_sources = points
        .iter()
        .any(|p| p.at.is_some() && p.at == start && !derived.contains(&p.report));
    for p in &mut points {
        p.first =
            p.at.is_some() && p.at == start && (!tied_sources || !derived.contains(&p.report));
    }
    let edges = stories
        .iter()
        .flat_map(|s| s.lineage.iter())
        .map(|e| TimelineEdge {
            from: e.from.clone(),
            to: e.to.clone(),
            kind: e.kind,
            reuse: e.reuse,
        })
        .collect();
    Timeline {
        points,
        edges,
        start,
        end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_store::ReportSummary;

    fn summary(id: &str, published: Option<&str>, first_seen: Option<&str>) -> ReportSummary {
        ReportSummary {
            id: ReportId(id.into()),
            title: None,
            display_title: id.to_uppercase(),
            source: None,
            url: None,
            published: published.map(str::to_string),
            role: Role::Original,
            role_evidence: Vec::new(),
            placement_score: 0.0,
            placement_evidence: Vec::new(),
            outlet: None,
            first_seen: first_seen.map(str::to_string),
        }
    }

    #[test]
    fn points_in_time_order_first_marked_first_seen_said() {
        let story = StoryRecord {
            id: StoryId(1),
            title: String::new(),
            thread: StoryId(1),
            reports: vec![
                summary("late", Some("2025-05-08T10:00:00Z"), None),
                summary("seen", None, Some("2025-05-09T00:00:00Z")),
                summary("early", Some("2025-05-07T10:00:00Z"), None),
                summary("never", None, None),
            ],
            lineage: Vec::new(),
        };
        let t = timeline(&[story]);
        let order: Vec<&str> = t.points.iter().map(|p| p.report.0.as_str()).collect();
        assert_eq!(order, ["early", "late", "seen", "never"]);
        assert!(t.points[0].first && !t.points[1].first);
        assert_eq!(t.points[2].time_source, Some(TimeSource::FirstSeen));
        assert_eq!(t.points[3].at, None);
        assert_eq!(t.points[0].outlet, UNKNOWN_OUTLET);
        assert_eq!(
            t.end.map(|e| e.to_rfc3339()).as_deref(),
            Some("2025-05-09T00:00:00+00:00")
        );
    }

    #[test]
    fn reports_stored_long_after_the_others_came_out_are_untimed() {
        let story = StoryRecord {
            id: StoryId(1),
            title: String::new(),
            thread: StoryId(1),
            reports: vec![
                summary("archived", None, Some("2026-12-05T19:00:00Z")),
                summary("dated", Some("2008-01-14T10:00:00Z"), None),
                summary("fed", None, Some("2008-01-14T18:00:00Z")),
            ],
            lineage: Vec::new(),
        };
        let t = timeline(&[story]);
        let order: Vec<(&str, bool)> = t
            .points
            .iter()
            .map(|p| (p.report.0.as_str(), p.at.is_some()))
            .collect();
        assert_eq!(order, [("dated", true), ("fed", true), ("archived", false)]);
        assert_eq!(
            t.end.map(|e| e.to_rfc3339()).as_deref(),
            Some("2008-01-14T18:00:00+00:00")
        );
    }

    #[test]
    fn on_a_tie_the_source_comes_first() {
        let seen = Some("2025-05-09T00:00:00Z");
        let story = StoryRecord {
            id: StoryId(1),
            title: String::new(),
            thread: StoryId(1),
            reports: vec![summary("copy", None, seen), summary("wire", None, seen)],
            lineage: vec![storyline_model::LineageEdge {
                from: ReportId("wire".into()),
                to: ReportId("copy".into()),
                kind: LineageKind::Copy,
                reuse: 0.9,
                verbatim: 0.9,
                evidence: Vec::new(),
            }],
        };
        let t = timeline(&[story]);
        assert_eq!(t.points[0].report.0, "wire");
        assert!(t.points[0].first && !t.points[1].first);
        assert_eq!(t.edges.len(), 1);
    }
}
