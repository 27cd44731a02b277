//! Coverage charts as inline SVG, drawn on the server (no script needed to see them, nothing
//! fetched): a story's or thread's timeline (one lane per outlet, each report a point at its
//! time, the first report marked, lineage edges between the points) and an outlet's
//! original/derived/secondhand shares by week. Colours come from the stylesheet by role and
//! kind; points and bars carry `data-` attributes for scripts and tests.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use maud::{Markup, html};
use storyline_coverage::{OutletProfile, TimeSource, Timeline};

use crate::pages::{enc, short_id};

const LANE_H: f64 = 34.0;
const LABEL_W: f64 = 150.0;
/// Width of the time axis: room for about 16 px per report, between these bounds.
const PLOT_MIN_W: f64 = 560.0;
const PLOT_MAX_W: f64 = 1100.0;
const UNTIMED_W: f64 = 60.0;
/// Room above the first lane: the legend, and arcs of edges within it.
const TOP: f64 = 56.0;
const AXIS_H: f64 = 34.0;

/// The timeline chart; `label` names what it covers ("S3", "thread T1").
pub fn timeline_svg(t: &Timeline, label: &str) -> Markup {
    // Lanes: outlets in the order of their first report.
    let mut lanes: Vec<&str> = Vec::new();
    for p in &t.points {
        if !lanes.contains(&p.outlet.as_str()) {
            lanes.push(&p.outlet);
        }
    }
    let lane_of: HashMap<&str, usize> = lanes.iter().enumerate().map(|(i, o)| (*o, i)).collect();
    let (start, end) = match (t.start, t.end) {
        (Some(s), Some(e)) => (s, e),
        _ => (Utc::now(), Utc::now()),
    };
    let span = (end - start).num_seconds().max(1) as f64;
    let plot_w = (t.points.len() as f64 * 16.0).clamp(PLOT_MIN_W, PLOT_MAX_W);
    let untimed = t.points.iter().any(|p| p.at.is_none());
    let width = LABEL_W + plot_w + if untimed { UNTIMED_W } else { 20.0 } + 20.0;
    let height = TOP + lanes.len().max(1) as f64 * LANE_H + AXIS_H;
    let x_of = |at: Option<DateTime<Utc>>| match at {
        Some(at) if t.start != t.end => {
            LABEL_W + 10.0 + (at - start).num_seconds() as f64 / span * (plot_w - 20.0)
        }
        Some(_) => LABEL_W + plot_w / 2.0,
        None => LABEL_W + plot_w + UNTIMED_W / 2.0,
    };
    // Points of one outlet at one time are spread a little so that each stays visible.
    let mut seen: HashMap<(usize, i64), usize> = HashMap::new();
    let mut at: HashMap<&str, (f64, f64)> = HashMap::new();
    for p in &t.points {
        let lane = lane_of[p.outlet.as_str()];
        let x = x_of(p.at);
        let k = seen.entry((lane, x.round() as i64)).or_default();
        let y = TOP + lane as f64 * LANE_H + LANE_H / 2.0;
        at.insert(p.report.0.as_str(), (x + *k as f64 * 16.0, y));
        *k += 1;
    }
    let ticks = ticks(start, end);
    let first_seen_only = t
        .points
        .iter()
        .any(|p| p.time_source == Some(TimeSource::FirstSeen));
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" role="img"
            aria-label={ "Coverage timeline of " (label) ": " (t.points.len()) " reports from " (lanes.len()) " outlets" }
            viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height) preserveAspectRatio="xMinYMin meet" {
            defs {
                marker #tl-arrow viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path d="M 0 0 L 10 5 L 0 10 z" {}
                }
            }
            @for (i, o) in lanes.iter().enumerate() {
                @let y = TOP + i as f64 * LANE_H + LANE_H / 2.0;
                g.lane data-outlet=(o) {
                    line.lane-line x1=(LABEL_W) x2=(LABEL_W + plot_w) y1=(y) y2=(y) {}
                    a href={ "/outlets/" (enc(o)) } {
                        text.lane-label x=(LABEL_W - 8.0) y=(y + 4.0) text-anchor="end" { (short_id(o, 20)) }
                    }
                }
            }
            @let axis_y = TOP + lanes.len().max(1) as f64 * LANE_H + 6.0;
            line.axis x1=(LABEL_W) x2=(LABEL_W + plot_w) y1=(axis_y) y2=(axis_y) {}
            @for (tick, text) in &ticks {
                @let x = x_of(Some(*tick));
                line.tick x1=(x) x2=(x) y1=(axis_y) y2=(axis_y + 5.0) {}
                text.tick-label x=(x) y=(axis_y + 18.0) text-anchor="middle" { (text) }
            }
            @if untimed {
                text.tick-label x=(LABEL_W + plot_w + UNTIMED_W / 2.0) y=(axis_y + 18.0) text-anchor="middle" { "no time" }
            }
            @for e in &t.edges {
                @if let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(e.from.0.as_str()), at.get(e.to.0.as_str())) {
                    // An edge within one lane arcs above it, higher the further it reaches, so
                    // that edges leaving one report do not lie on each other.
                    @let bend = if (y1 - y2).abs() < 1.0 { -(10.0 + 0.12 * (x2 - x1).abs()).min(LANE_H * 1.5) } else { 0.0 };
                    @let (x2, y2) = pull_back((x1 + x2) / 2.0, (y1 + y2) / 2.0 + bend, x2, y2, 9.0);
                    g.tl-edge data-from=(e.from.0) data-to=(e.to.0) data-kind=(e.kind.as_str()) {
                        title { (e.from.0) " → " (e.to.0) ": " (e.kind.as_str()) ", " (format!("{:.0}%", e.reuse * 100.0)) " of its wording reused" }
                        path class={ "tl-edge-line kind-" (e.kind.as_str()) }
                            d=(format!("M {x1} {y1} Q {} {}, {x2} {y2}", (x1 + x2) / 2.0, (y1 + y2) / 2.0 + bend))
                            marker-end="url(#tl-arrow)" {}
                    }
                }
            }
            @for p in &t.points {
                @let (x, y) = at[p.report.0.as_str()];
                a href={ "/reports/" (enc(&p.report.0)) } {
                    g.point data-report=(p.report.0) data-role=(p.role.as_str()) data-first=(p.first)
                        data-time-source=(p.time_source.map_or("none", |s| s.as_str())) {
                        title {
                            (p.outlet) " — " (p.title) " (" (p.report.0) ", " (p.role.as_str()) "; "
                            @match (p.at, p.time_source) {
                                (Some(at), Some(TimeSource::Published)) => { "published " (storyline_coverage::when(&at)) @if at.time() != chrono::NaiveTime::MIN { " UTC" } }
                                (Some(at), _) => { "first seen " (at.format("%Y-%m-%d %H:%M UTC")) ", no publication time" }
                                _ => { "no time" }
                            }
                            @if p.first { "; first report" }
                            ")"
                        }
                        @if p.first {
                            circle.first-ring cx=(x) cy=(y) r="10" {}
                        }
                        circle class={ "role-" (p.role.as_str()) @if p.time_source != Some(TimeSource::Published) { " seen-only" } }
                            cx=(x) cy=(y) r="6" {}
                    }
                }
            }
            @for first in t.points.iter().filter(|p| p.first) {
                @let (x, y) = at[first.report.0.as_str()];
                text.first-label x=(x) y=(y - 13.0) text-anchor="middle" { "first" }
            }
            g.legend-keys {
                @for (i, role) in ["original", "derived", "secondhand"].iter().enumerate() {
                    @let x = LABEL_W + i as f64 * 100.0;
                    circle class={ "legend-dot role-" (role) } cx=(x + 5.0) cy="12" r="5" {}
                    text.legend x=(x + 14.0) y="16" { (role) }
                }
                @if first_seen_only {
                    circle.legend-dot.seen-only cx=(LABEL_W + 305.0) cy="12" r="5" {}
                    text.legend x=(LABEL_W + 314.0) y="16" { "timed by first seen" }
                }
            }
        }
    }
}

/// The end of a curve from control point (cx, cy) to (x, y), moved back along it by `by`, so
/// that an arrowhead ends at a point's rim, not under it.
fn pull_back(cx: f64, cy: f64, x: f64, y: f64, by: f64) -> (f64, f64) {
    let (dx, dy) = (x - cx, y - cy);
    let len = (dx * dx + dy * dy).sqrt();
    if len <= by {
        return (x, y);
    }
    (x - dx / len * by, y - dy / len * by)
}

/// Up to five axis ticks between `start` and `end`, labelled by day (or hour within a day).
fn ticks(start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(DateTime<Utc>, String)> {
    let span = end - start;
    if span <= Duration::zero() {
        return vec![(start, start.format("%Y-%m-%d").to_string())];
    }
    let fmt = if span < Duration::days(2) {
        "%m-%d %H:%M"
    } else {
        "%Y-%m-%d"
    };
    (0..5)
        .map(|i| {
            let t = start + span * i / 4;
            (t, t.format(fmt).to_string())
        })
        .collect()
}

const BAR_W: f64 = 26.0;
const BAR_GAP: f64 = 6.0;
const CHART_H: f64 = 120.0;
/// Room left of the first bar: the axis labels, and the first week's label, rotated.
const LEFT: f64 = 80.0;

/// An outlet's weeks as stacked bars: original, derived and secondhand shares of its reports.
pub fn outlet_weeks_svg(p: &OutletProfile) -> Markup {
    let weeks = &p.weeks;
    let width = LEFT + weeks.len().max(1) as f64 * (BAR_W + BAR_GAP) + 20.0;
    // Below the bars: each week's label, rotated.
    let height = CHART_H + 90.0;
    html! {
        svg.weeks xmlns="http://www.w3.org/2000/svg" role="img"
            aria-label={ (p.outlet) ": original, derived and secondhand shares by week over " (weeks.len()) " weeks" }
            viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height) preserveAspectRatio="xMinYMin meet" {
            line.axis x1=(LEFT - 6.0) x2=(width - 10.0) y1=(10.0 + CHART_H) y2=(10.0 + CHART_H) {}
            text.tick-label x=(LEFT - 10.0) y="16" text-anchor="end" { "100%" }
            text.tick-label x=(LEFT - 10.0) y=(10.0 + CHART_H) text-anchor="end" { "0%" }
            @if weeks.is_empty() {
                text.tick-label x="50" y=(CHART_H / 2.0) { "no dated reports" }
            }
            @for (i, w) in weeks.iter().enumerate() {
                @let x = LEFT + i as f64 * (BAR_W + BAR_GAP);
                g.week data-week=(w.week) data-reports=(w.reports) {
                    title { (w.week) ": " (w.reports) " reports — " (w.original) " original, " (w.derived) " derived, " (w.secondhand) " secondhand" }
                    @for (role, y, h) in stack(w) {
                        rect class={ "role-" (role) } data-role=(role) x=(x) y=(y) width=(BAR_W) height=(h) {}
                    }
                    text.week-label x=(x + BAR_W / 2.0) y=(CHART_H + 26.0) text-anchor="end"
                        transform=(format!("rotate(-45 {} {})", x + BAR_W / 2.0, CHART_H + 26.0)) { (w.week) }
                }
            }
        }
    }
}

/// A week's bar as (role, top, height) from the bottom up, roles with no report left out.
fn stack(w: &storyline_coverage::WeekCounts) -> Vec<(&'static str, f64, f64)> {
    let total = w.reports.max(1) as f64;
    let mut base = 10.0 + CHART_H;
    let mut out = Vec::new();
    for (role, n) in [
        ("original", w.original),
        ("derived", w.derived),
        ("secondhand", w.secondhand),
    ] {
        if n > 0 {
            let h = n as f64 / total * CHART_H;
            base -= h;
            out.push((role, base, h));
        }
    }
    out
}
