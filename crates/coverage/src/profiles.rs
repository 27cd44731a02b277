//! Outlet profiles: per outlet, how many of its reports are first-hand, derived (copy, rewrite,
//! summary) or secondhand; whom it takes from and who takes from it; how far it lags behind
//! its sources; and its shares week by week.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use storyline_model::{LineageKind, ReportId, Role};
use storyline_store::{CoverageEdge, CoverageReport};

use crate::time::{ReportTime, report_time};

/// How profiles name reports whose outlet nothing names.
pub const UNKNOWN_OUTLET: &str = "(unknown)";

/// Which reports count: those timed within the range (dates inclusive, UTC). An open range
/// counts every report, timed or not; a bounded one only timed reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl DateRange {
    fn holds(&self, t: Option<ReportTime>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(t) = t else { return false };
        let day = t.at.date_naive();
        self.since.is_none_or(|s| day >= s) && self.until.is_none_or(|u| day <= u)
    }
}

/// Reports one outlet took from another (or gave to it).
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub outlet: String,
    /// Derivation edges between the two outlets' reports.
    pub edges: u64,
    /// Mean share of the derived report's wording taken from its source, over those edges.
    pub mean_reuse: Option<f64>,
    /// Reports republished under the other's wire credit whose source is not in the store.
    pub credited: u64,
}

/// An outlet's reports in one ISO week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekCounts {
    /// ISO week, `2025-W19`.
    pub week: String,
    pub reports: u64,
    pub original: u64,
    pub derived: u64,
    pub secondhand: u64,
}

/// One outlet's profile over the reports a [`DateRange`] holds.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletProfile {
    /// Its name, or [`UNKNOWN_OUTLET`].
    pub outlet: String,
    pub known: bool,
    pub reports: u64,
    pub original: u64,
    pub derived: u64,
    /// The derived reports by how they were made (their closest source's edge; a wire copy
    /// whose agency's report is not stored counts as a copy).
    pub copies: u64,
    pub rewrites: u64,
    pub summaries: u64,
    pub secondhand: u64,
    /// Outlets it takes from, most first.
    pub takes_from: Vec<Flow>,
    /// Outlets that take from it, most first.
    pub taken_by: Vec<Flow>,
    /// Median hours between its derived reports and their sources (when both are timed).
    pub median_lag_hours: Option<f64>,
    /// How many derived reports the median is over.
    pub lag_pairs: u64,
    /// How many of its reports are timed by first-seen, not publication.
    pub first_seen_timed: u64,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// Week by week, oldest first (timed reports only).
    pub weeks: Vec<WeekCounts>,
}

impl OutletProfile {
    fn new(outlet: &str) -> OutletProfile {
        OutletProfile {
            outlet: outlet.to_string(),
            known: outlet != UNKNOWN_OUTLET,
            reports: 0,
            original: 0,
            derived: 0,
            copies: 0,
            rewrites: 0,
            summaries: 0,
            secondhand: 0,
            takes_from: Vec::new(),
            taken_by: Vec::new(),
            median_lag_hours: None,
            lag_pairs: 0,
            first_seen_timed: 0,
            first: None,
            last: None,
            weeks: Vec::new(),
        }
    }

    /// Share of its reports with this role's count.
    pub fn share(&self, n: u64) -> f64 {
        if self.reports == 0 {
            0.0
        } else {
            n as f64 / self.reports as f64
        }
    }
}

fn outlet_name(r: &CoverageReport) -> &str {
    r.outlet
        .as_deref()
        .filter(|o| !o.trim().is_empty())
        .unwrap_or(UNKNOWN_OUTLET)
}

/// Every outlet's profile over the reports `range` holds, most reports first (ties by name).
/// Edges count when their derived report is in range; its source may be outside it.
pub fn outlet_profiles(
    reports: &[CoverageReport],
    edges: &[CoverageEdge],
    range: DateRange,
) -> Vec<OutletProfile> {
    let by_id: HashMap<&ReportId, usize> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.id, i))
        .collect();
    let times: Vec<Option<ReportTime>> = reports
        .iter()
        .map(|r| report_time(r.published.as_deref(), r.first_seen.as_deref()))
        .collect();
    // Each derived report's closest source: its incoming derivation edge of most reuse.
    let mut source_of: HashMap<usize, (usize, &CoverageEdge)> = HashMap::new();
    for e in edges.iter().filter(|e| e.kind != LineageKind::Related) {
        let (Some(&to), Some(&from)) = (by_id.get(&e.to), by_id.get(&e.from)) else {
            continue;
        };
        match source_of.get(&to) {
            Some((_, best)) if best.reuse >= e.reuse => {}
            _ => {
                source_of.insert(to, (from, e));
            }
        }
    }
    let mut profiles: BTreeMap<String, OutletProfile> = BTreeMap::new();
    let mut lags: HashMap<String, Vec<f64>> = HashMap::new();
    let mut weeks: HashMap<String, BTreeMap<(i32, u32), WeekCounts>> = HashMap::new();
    // (taker, giver) → (edges, reuse sum, credited)
    let mut flows: BTreeMap<(String, String), (u64, f64, u64)> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if !range.holds(times[i]) {
            continue;
        }
        let name = outlet_name(r);
        let p = profiles
            .entry(name.to_string())
            .or_insert_with(|| OutletProfile::new(name));
        p.reports += 1;
        match r.role {
            Role::Original => p.original += 1,
            Role::Secondhand => p.secondhand += 1,
            Role::Derived => {
                p.derived += 1;
                match source_of.get(&i).map(|(_, e)| e.kind) {
                    Some(LineageKind::Rewrite) => p.rewrites += 1,
                    Some(LineageKind::Summary) => p.summaries += 1,
                    _ => p.copies += 1,
                }
            }
        }
        if let Some(t) = times[i] {
            if t.source == crate::time::TimeSource::FirstSeen {
                p.first_seen_timed += 1;
            }
            p.first = Some(p.first.map_or(t.at, |f| f.min(t.at)));
            p.last = Some(p.last.map_or(t.at, |l| l.max(t.at)));
            let iso = t.at.iso_week();
            let w = weeks
                .entry(name.to_string())
                .or_default()
                .entry((iso.year(), iso.week()))
                .or_insert_with(|| WeekCounts {
                    week: format!("{}-W{:02}", iso.year(), iso.week()),
                    reports: 0,
                    original: 0,
                    derived: 0,
                    secondhand: 0,
                });
            w.reports += 1;
            match r.role {
                Role::Original => w.original += 1,
                Role::Derived => w.derived += 1,
                Role::Secondhand => w.secondhand += 1,
            }
        }
        match source_of.get(&i) {
            Some(&(from, e)) => {
                let giver = outlet_name(&reports[from]).to_string();
                let f = flows.entry((name.to_string(), giver)).or_default();
                f.0 += 1;
                f.1 += e.reuse;
                if let (Some(a), Some(b)) = (times[i], times[from]) {
                    let hours = (a.at - b.at).num_seconds() as f64 / 3600.0;
                    lags.entry(name.to_string())
                        .or_default()
                        .push(hours.max(0.0));
                }
            }
            None if r.role == Role::Derived => {
                if let Some(agency) = r.wire.as_deref().filter(|a| *a != name) {
                    flows
                        .entry((name.to_string(), agency.to_string()))
                        .or_default()
                        .2 += 1;
                }
            }
            None => {}
        }
    }
    for ((taker, giver), (n, reuse, credited)) in &flows {
        let flow = |outlet: &str| Flow {
            outlet: outlet.to_string(),
            edges: *n,
            mean_reuse: (*n > 0).then(|| reuse / *n as f64),
            credited: *credited,
        };
        if let Some(p) = profiles.get_mut(taker) {
            p.takes_from.push(flow(giver));
        }
        profiles
            .entry(giver.clone())
            .or_insert_with(|| OutletProfile::new(giver))
            .taken_by
            .push(flow(taker));
    }
    let mut out: Vec<OutletProfile> = profiles
        .into_values()
        .map(|mut p| {
            let most = |a: &Flow, b: &Flow| {
                (b.edges + b.credited)
                    .cmp(&(a.edges + a.credited))
                    .then_with(|| a.outlet.cmp(&b.outlet))
            };
            p.takes_from.sort_by(most);
            p.taken_by.sort_by(most);
            if let Some(mut l) = lags.remove(&p.outlet) {
                l.sort_by(f64::total_cmp);
                p.lag_pairs = l.len() as u64;
                p.median_lag_hours = Some(if l.len() % 2 == 1 {
                    l[l.len() / 2]
                } else {
                    (l[l.len() / 2 - 1] + l[l.len() / 2]) / 2.0
                });
            }
            p.weeks = weeks
                .remove(&p.outlet)
                .map(|w| w.into_values().collect())
                .unwrap_or_default();
            p
        })
        .collect();
    // An agency only credited (no report of its own in range) still gets a row: who takes
    // from it is the point. Rows with no report sort after those with some.
    out.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then_with(|| b.taken_by.len().cmp(&a.taken_by.len()))
            .then_with(|| a.outlet.cmp(&b.outlet))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_model::StoryId;

    fn report(id: &str, outlet: Option<&str>, published: &str, role: Role) -> CoverageReport {
        CoverageReport {
            id: ReportId(id.into()),
            story: StoryId(1),
            outlet: outlet.map(str::to_string),
            published: (!published.is_empty()).then(|| published.to_string()),
            first_seen: Some("2025-06-01T00:00:00Z".into()),
            role,
            wire: None,
        }
    }

    fn edge(from: &str, to: &str, kind: LineageKind, reuse: f64) -> CoverageEdge {
        CoverageEdge {
            from: ReportId(from.into()),
            to: ReportId(to.into()),
            kind,
            reuse,
        }
    }

    #[test]
    fn roles_flows_and_lags_per_outlet() {
        let reports = vec![
            report("w", Some("Wire"), "2025-05-07T10:00:00Z", Role::Original),
            report("a", Some("Site A"), "2025-05-07T12:00:00Z", Role::Derived),
            report("b", Some("Site A"), "2025-05-07T16:00:00Z", Role::Derived),
            report("u", None, "", Role::Secondhand),
            CoverageReport {
                wire: Some("AP".into()),
                ..report("c", Some("Site B"), "2025-05-14", Role::Derived)
            },
        ];
        let edges = vec![
            edge("w", "a", LineageKind::Copy, 0.9),
            edge("w", "b", LineageKind::Rewrite, 0.5),
            edge("a", "b", LineageKind::Copy, 0.4),
            edge("w", "u", LineageKind::Related, 0.1),
        ];
        let p = outlet_profiles(&reports, &edges, DateRange::default());
        let get = |n: &str| p.iter().find(|x| x.outlet == n).unwrap();
        let a = get("Site A");
        assert_eq!((a.reports, a.derived, a.copies, a.rewrites), (2, 2, 1, 1));
        assert_eq!(a.takes_from.len(), 1);
        assert_eq!(a.takes_from[0].outlet, "Wire");
        assert_eq!(a.takes_from[0].edges, 2);
        assert!((a.takes_from[0].mean_reuse.unwrap() - 0.7).abs() < 1e-9);
        assert_eq!(a.median_lag_hours, Some(4.0));
        let w = get("Wire");
        assert_eq!((w.reports, w.original), (1, 1));
        assert_eq!(w.taken_by[0].outlet, "Site A");
        let u = get(UNKNOWN_OUTLET);
        assert!(!u.known);
        assert_eq!((u.secondhand, u.first_seen_timed), (1, 1));
        // A wire copy whose agency is not stored still says whom it takes from.
        let b = get("Site B");
        assert_eq!(b.takes_from[0].outlet, "AP");
        assert_eq!(b.takes_from[0].credited, 1);
        assert_eq!(get("AP").reports, 0);
        assert_eq!(b.weeks[0].week, "2025-W20");
        // A range keeps the timed reports within it.
        let may7 = NaiveDate::from_ymd_opt(2025, 5, 7);
        let p = outlet_profiles(
            &reports,
            &edges,
            DateRange {
                since: may7,
                until: may7,
            },
        );
        assert_eq!(p.iter().map(|x| x.reports).sum::<u64>(), 3);
    }
}
