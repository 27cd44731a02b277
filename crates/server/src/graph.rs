//! The lineage graph as inline SVG, laid out on the server: originals (reports nothing in the
//! story was derived into) in the left column, each derived report one column right of the
//! furthest report it was made from, reports of a column in story order. Nodes and edges carry
//! `data-` attributes (report, role; from, to, kind, reuse) so scripts and tests can find them;
//! colours come from the stylesheet by role and kind, never from inline style.

use std::collections::HashMap;

use maud::{Markup, html};
use storyline_store::StoryRecord;

use crate::pages::{enc, outlet_and_day, short_id};

const COL_WIDTH: f64 = 340.0;
const ROW_HEIGHT: f64 = 84.0;
const NODE_W: f64 = 240.0;
const NODE_H: f64 = 64.0;
const MARGIN: f64 = 24.0;

/// Each report's column: 0 for a report no derivation edge points to, else one more than the
/// furthest of its sources. Bounded passes, so a cycle in stored data cannot hang a request.
fn columns(s: &StoryRecord) -> HashMap<&str, usize> {
    let mut col: HashMap<&str, usize> = s.reports.iter().map(|r| (r.id.0.as_str(), 0)).collect();
    for _ in 0..s.reports.len() {
        let mut changed = false;
        for e in s.lineage.iter().filter(|e| e.kind.is_derivation()) {
            let want = col.get(e.from.0.as_str()).copied().unwrap_or(0) + 1;
            if let Some(c) = col.get_mut(e.to.0.as_str())
                && *c < want
                && want < s.reports.len()
            {
                *c = want;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    col
}

pub fn lineage_svg(s: &StoryRecord) -> Markup {
    let col = columns(s);
    let mut rows: HashMap<usize, usize> = HashMap::new();
    let mut at: HashMap<&str, (f64, f64)> = HashMap::new();
    for r in &s.reports {
        let c = col[r.id.0.as_str()];
        let row = rows.entry(c).or_default();
        at.insert(
            r.id.0.as_str(),
            (
                MARGIN + c as f64 * COL_WIDTH,
                MARGIN + *row as f64 * ROW_HEIGHT,
            ),
        );
        *row += 1;
    }
    let ncols = rows.keys().max().map_or(1, |m| m + 1);
    let nrows = rows.values().max().copied().unwrap_or(1);
    let width = 2.0 * MARGIN + (ncols - 1) as f64 * COL_WIDTH + NODE_W + 60.0;
    let height = 2.0 * MARGIN + (nrows - 1) as f64 * ROW_HEIGHT + NODE_H + 20.0;
    let story = s.id.to_string();
    html! {
        svg.lineage xmlns="http://www.w3.org/2000/svg" role="img"
            aria-label={ "Lineage of " (story) ": " (s.reports.len()) " reports, " (s.lineage.len()) " edges" }
            width=(width) height=(height) viewBox={ "0 0 " (width) " " (height) } {
            defs {
                marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse" {
                    path d="M 0 0 L 10 5 L 0 10 z" {}
                }
            }
            @for e in &s.lineage {
                @if let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(e.from.0.as_str()), at.get(e.to.0.as_str())) {
                    @let (path, lx, ly) = edge_path(x1, y1, x2, y2);
                    a href={ "/stories/" (story) "/compare?a=" (enc(&e.from.0)) "&b=" (enc(&e.to.0)) } {
                        g.edge data-from=(e.from.0) data-to=(e.to.0) data-kind=(e.kind.as_str())
                            data-reuse=(format!("{:.3}", e.reuse)) {
                            title { (e.from.0) " → " (e.to.0) ": " (e.kind.as_str()) ", " (pct(e.reuse)) " of its sentences reused" }
                            path class={ "edge-line kind-" (e.kind.as_str()) } d=(path) marker-end="url(#arrow)" {}
                            text.edge-label x=(lx) y=(ly) text-anchor="middle" {
                                (e.kind.as_str()) " " (pct(e.reuse))
                            }
                        }
                    }
                }
            }
            @for r in &s.reports {
                @let (x, y) = at[r.id.0.as_str()];
                a href={ "/reports/" (enc(&r.id.0)) } {
                    g.node data-report=(r.id.0) data-role=(r.role.as_str()) {
                        title { (outlet_and_day(r)) " — " (r.display_title) " (" (r.id.0) ", " (r.role.as_str()) ")" }
                        rect class={ "role-" (r.role.as_str()) } x=(x) y=(y) width=(NODE_W) height=(NODE_H) rx="6" {}
                        text.node-outlet x=(x + 10.0) y=(y + 18.0) { (short_id(&outlet_and_day(r), 34)) }
                        text.node-title x=(x + 10.0) y=(y + 36.0) { (short_id(&r.display_title, 34)) }
                        text.node-role x=(x + 10.0) y=(y + 54.0) { (r.role.as_str()) " · " (short_id(&r.id.0, 22)) }
                    }
                }
            }
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The edge's path (from the source's right side to the target's left side; a loop on the right
/// when both sit in one column) and where its label goes.
fn edge_path(x1: f64, y1: f64, x2: f64, y2: f64) -> (String, f64, f64) {
    let (sy, ty) = (y1 + NODE_H / 2.0, y2 + NODE_H / 2.0);
    if (x1 - x2).abs() < 1.0 {
        let bulge = x1 + NODE_W + 50.0;
        let d = format!(
            "M {} {sy} C {bulge} {sy}, {bulge} {ty}, {} {ty}",
            x1 + NODE_W,
            x2 + NODE_W
        );
        return (d, bulge - 8.0, (sy + ty) / 2.0);
    }
    let (sx, tx) = (x1 + NODE_W, x2);
    let mid = (sx + tx) / 2.0;
    let d = format!("M {sx} {sy} C {mid} {sy}, {mid} {ty}, {tx} {ty}");
    // The label sits by the report the edge points to: a report has one incoming edge at
    // most, so labels of edges leaving one report do not pile up at their common start.
    (d, tx - 44.0, ty - 8.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_model::{LineageEdge, LineageKind, ReportId, Role};
    use storyline_store::ReportSummary;

    fn report(id: &str, role: Role) -> ReportSummary {
        ReportSummary {
            id: ReportId(id.into()),
            title: None,
            display_title: format!("<b>{id}</b>"),
            source: None,
            url: None,
            published: None,
            role,
            role_evidence: vec![],
            placement_score: 0.0,
            placement_evidence: Vec::new(),
            outlet: None,
            first_seen: None,
        }
    }

    fn edge(from: &str, to: &str, kind: LineageKind) -> LineageEdge {
        LineageEdge {
            from: ReportId(from.into()),
            to: ReportId(to.into()),
            kind,
            reuse: 0.5,
            verbatim: 0.0,
            evidence: vec![],
        }
    }

    #[test]
    fn derived_reports_sit_right_of_their_sources_and_titles_are_escaped() {
        let s = StoryRecord {
            thread: storyline_model::StoryId(2),
            id: storyline_model::StoryId(2),
            title: "t".into(),
            reports: vec![
                report("b", Role::Derived),
                report("a", Role::Original),
                report("c", Role::Derived),
            ],
            lineage: vec![
                edge("a", "b", LineageKind::Summary),
                edge("b", "c", LineageKind::Copy),
            ],
        };
        let cols = columns(&s);
        assert_eq!((cols["a"], cols["b"], cols["c"]), (0, 1, 2));
        let svg = lineage_svg(&s).into_string();
        assert!(svg.contains(r#"data-from="a" data-to="b" data-kind="summary""#));
        assert!(svg.contains(r#"data-report="c" data-role="derived""#));
        assert!(svg.contains("&lt;b&gt;a&lt;/b&gt;") && !svg.contains("<b>"));
    }

    #[test]
    fn a_cycle_in_stored_edges_does_not_hang() {
        let s = StoryRecord {
            thread: storyline_model::StoryId(2),
            id: storyline_model::StoryId(1),
            title: "t".into(),
            reports: vec![report("a", Role::Derived), report("b", Role::Derived)],
            lineage: vec![
                edge("a", "b", LineageKind::Rewrite),
                edge("b", "a", LineageKind::Rewrite),
            ],
        };
        assert!(columns(&s).values().all(|c| *c < 2));
    }
}
