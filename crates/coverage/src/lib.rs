//! Who reports first: outlet profiles ([`outlet_profiles`]) and coverage timelines
//! ([`timeline`]), computed from what the store keeps of each report (outlet, publication and
//! first-seen times, role, wire credit) and the lineage edges between reports.
//!
//! A report's time is its publication time when the input gave one, else when the store first
//! saw it (marked as such wherever it is shown). Lag is the time between a derived report and
//! its source, both timed so.
//!
//! Architecture invariant: pure functions of the rows the store gives; no SQL, no IO.

mod profiles;
mod time;
mod timeline;

pub use profiles::{DateRange, Flow, OutletProfile, UNKNOWN_OUTLET, WeekCounts, outlet_profiles};
pub use time::{ReportTime, TimeSource, parse_time, report_time, when};
pub use timeline::{Timeline, TimelineEdge, TimelinePoint, timeline};
