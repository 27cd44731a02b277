//! Report times: a publication time as the input gave it (RFC 3339, or a bare date), else the
//! time the store first saw the report.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Where a report's time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    Published,
    FirstSeen,
}

impl TimeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::Published => "published",
            TimeSource::FirstSeen => "first_seen",
        }
    }
}

/// A report's time and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportTime {
    pub at: DateTime<Utc>,
    pub source: TimeSource,
}

/// A stored time: RFC 3339, a date and time without zone (taken as UTC), or a bare date
/// (midnight UTC). `None` for anything else (a free-text date the input gave).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// A time as a reader sees it: `YYYY-MM-DD HH:MM`, or only the day when the time is midnight
/// UTC, which is what a page or feed that states only a day is stored as (a time of
/// "00:00" would claim a precision the source never gave).
pub fn when(at: &DateTime<Utc>) -> String {
    if at.time() == chrono::NaiveTime::MIN {
        at.format("%Y-%m-%d").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A report's time: its publication time, else when the store first saw it.
pub fn report_time(published: Option<&str>, first_seen: Option<&str>) -> Option<ReportTime> {
    if let Some(at) = published.and_then(parse_time) {
        return Some(ReportTime {
            at,
            source: TimeSource::Published,
        });
    }
    first_seen.and_then(parse_time).map(|at| ReportTime {
        at,
        source: TimeSource::FirstSeen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_shown_without_a_time_it_never_had() {
        assert_eq!(when(&parse_time("2008-01-15").unwrap()), "2008-01-15");
        assert_eq!(
            when(&parse_time("2008-01-15T09:05:00Z").unwrap()),
            "2008-01-15 09:05"
        );
    }

    #[test]
    fn times_in_the_forms_inputs_give_them() {
        let t = |s| parse_time(s).map(|t| t.to_rfc3339());
        assert_eq!(
            t("2025-05-07T14:00:00+02:00").as_deref(),
            Some("2025-05-07T12:00:00+00:00")
        );
        assert_eq!(
            t("2025-05-07").as_deref(),
            Some("2025-05-07T00:00:00+00:00")
        );
        assert_eq!(
            t("Wed, 07 May 2025 12:00:00 GMT").as_deref(),
            Some("2025-05-07T12:00:00+00:00")
        );
        assert_eq!(t("last Tuesday"), None);
        let r = report_time(Some("yesterday"), Some("2025-05-08T09:00:00Z")).unwrap();
        assert_eq!(r.source, TimeSource::FirstSeen);
        let r = report_time(Some("2025-05-07"), Some("2025-05-08T09:00:00Z")).unwrap();
        assert_eq!(r.source, TimeSource::Published);
        assert_eq!(report_time(None, None), None);
    }
}
