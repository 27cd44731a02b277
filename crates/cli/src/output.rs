//! What the commands print for people: text and Markdown. The JSON for programs is built by
//! `storyline_server::json` (one implementation for the CLI and the API); its field names are a
//! contract documented in the README.

use std::fmt::Write;

use storyline_model::{Attribution, Report, Role, StoryId};
use storyline_pipeline::{BriefSentence, FigureComparison, Remark, render_diff};
use storyline_server::json::piece;
use storyline_store::{StoryRecord, ThreadSummary};

/// The JSON builders live in the server crate, so the API and `--format json` share them.
pub use storyline_server::json::{
    Across, Adds, ReportFacts, brief_json, cleaned_json, compare_json, entities_json, ingest_json,
    outlet_json, parse_thread_name, quotes_json, remarks_json, report_json, story_json,
    story_page_json, thread_json, thread_name,
};

/// One line of `storyline stories` (and of a thread's listing).
pub fn story_line(s: &StoryRecord) -> String {
    let originals: Vec<&str> = s
        .reports
        .iter()
        .filter(|r| r.role == Role::Original)
        .map(|r| r.id.0.as_str())
        .collect();
    format!(
        "{:<5} {:>3} report{}  thread {:<4} originals: {:<30} {}\n",
        s.id.to_string(),
        s.reports.len(),
        if s.reports.len() == 1 { " " } else { "s" },
        thread_name(s.thread),
        if originals.is_empty() {
            "-".to_string()
        } else {
            originals.join(", ")
        },
        s.title
    )
}

/// One line of `storyline threads`.
pub fn thread_line(t: &ThreadSummary) -> String {
    format!(
        "{:<6} {:>3} stories {:>4} reports  {}\n",
        thread_name(t.id),
        t.stories,
        t.reports,
        t.title
    )
}

/// `show STORY`; `thread` is the stories of its thread (itself included).
pub fn story_text(s: &StoryRecord, thread: &[StoryId]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", s.id, s.title);
    let names: Vec<String> = thread
        .iter()
        .filter(|x| **x != s.id)
        .map(|x| x.to_string())
        .collect();
    if !names.is_empty() {
        let _ = writeln!(
            out,
            "thread {}: also {}",
            thread_name(s.thread),
            names.join(", ")
        );
    }
    let _ = writeln!(out, "\nreports ({}):", s.reports.len());
    for r in &s.reports {
        let _ = writeln!(
            out,
            "  {:<28} {:<10} {}{}",
            r.id.0,
            r.role.as_str(),
            r.display_title,
            r.outlet
                .as_deref()
                .map(|o| format!(" — {o}"))
                .unwrap_or_default()
        );
        for why in &r.role_evidence {
            let _ = writeln!(out, "  {:<28} {:<10}   - {}", "", "", why);
        }
    }
    let _ = writeln!(
        out,
        "\nlineage ({}, source → derived):",
        counted(s.lineage.len() as u64, "edge")
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
    if let Some(x) = summary.filter(|x| !x.placement_evidence.is_empty()) {
        let _ = writeln!(out, "placement:");
        for why in &x.placement_evidence {
            let _ = writeln!(out, "  - {why}");
        }
    }
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
            let text = storyline_pipeline::quoted_words(&r.text, a);
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

/// `entities`: per report, each entity with its kind and how it is mentioned, then figures and
/// dates.
pub fn entities_text(found: &[(Report, StoryId, ReportFacts)]) -> String {
    let mut out = String::new();
    for (r, sid, facts) in found {
        let ents = &facts.entities;
        let _ = writeln!(out, "{}  ({sid})", r.id);
        for f in &facts.figures {
            let said = r.text.get(f.span.0..f.span.1).unwrap_or("");
            // What a figure counts when the words around it say so apart from it ("Valentin
            // Yah, 39," counts years old).
            let counts = if f.counts.is_empty() || said.contains(&f.counts) {
                String::new()
            } else {
                format!(" ({})", f.counts)
            };
            let _ = writeln!(out, "  {:<13} {said}{counts}", "figure");
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
                "  {:<13} {}  ({}: {})",
                e.kind.as_str(),
                e.name,
                counted(e.mentions.len() as u64, "mention"),
                forms.join(" / ")
            );
        }
        out.push('\n');
    }
    out
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

/// `1 edge`, `2 edges`: a count with its noun.
pub fn counted(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A coverage timeline as lines: time (and where it came from), outlet, report, role.
pub fn timeline_text(t: &storyline_coverage::Timeline) -> String {
    let mut out = format!(
        "\ntimeline ({}):\n",
        counted(t.points.len() as u64, "report")
    );
    for p in &t.points {
        let when = match (p.at, p.time_source) {
            (Some(at), Some(storyline_coverage::TimeSource::Published)) => {
                storyline_coverage::when(&at)
            }
            (Some(at), _) => format!("{} (first seen)", at.format("%Y-%m-%d %H:%M")),
            _ => "no time".into(),
        };
        let _ = writeln!(
            out,
            "  {:<28} {:<24} {:<28} {}{}",
            when,
            p.outlet,
            p.report.0,
            p.role.as_str(),
            if p.first { "  ← first" } else { "" }
        );
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn lag(h: Option<f64>) -> String {
    match h {
        None => "-".into(),
        Some(h) if h < 48.0 => format!("{h:.1}h"),
        Some(h) => format!("{:.1}d", h / 24.0),
    }
}

/// A line of the outlet table.
pub fn outlet_line(p: &storyline_coverage::OutletProfile) -> String {
    let takes = p
        .takes_from
        .iter()
        .take(2)
        .map(|f| format!("{} ({})", f.outlet, f.edges + f.credited))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{:<28} {:>7} {:>9} {:>8} {:>11} {:>9}  {}\n",
        p.outlet,
        p.reports,
        pct(p.share(p.original)),
        pct(p.share(p.derived)),
        pct(p.share(p.secondhand)),
        lag(p.median_lag_hours),
        if takes.is_empty() { "-".into() } else { takes }
    )
}

/// The outlet table's header line.
pub fn outlet_header() -> String {
    format!(
        "{:<28} {:>7} {:>9} {:>8} {:>11} {:>9}  {}\n",
        "outlet", "reports", "original", "derived", "secondhand", "lag", "takes most from"
    )
}

/// One outlet's whole profile.
pub fn outlet_text(p: &storyline_coverage::OutletProfile) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.outlet);
    let _ = writeln!(
        out,
        "{}: {} original ({}), {} derived ({} copies, {} rewrites, {} summaries), {} secondhand",
        counted(p.reports, "report"),
        p.original,
        pct(p.share(p.original)),
        p.derived,
        p.copies,
        p.rewrites,
        p.summaries,
        p.secondhand
    );
    let _ = writeln!(
        out,
        "median lag behind its sources: {} over {}",
        lag(p.median_lag_hours),
        counted(p.lag_pairs, "derived report")
    );
    if p.first_seen_timed > 0 {
        let _ = writeln!(
            out,
            "{} timed by first seen (no publication time)",
            counted(p.first_seen_timed, "report")
        );
    }
    for (title, list) in [("takes from", &p.takes_from), ("taken by", &p.taken_by)] {
        let _ = writeln!(out, "\n{title}:");
        if list.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for f in list.iter() {
            let _ = writeln!(
                out,
                "  {:<28} {:>5} edges{}  mean reuse {}",
                f.outlet,
                f.edges,
                if f.credited > 0 {
                    format!(" + {} by credit", f.credited)
                } else {
                    String::new()
                },
                f.mean_reuse.map(pct).unwrap_or_else(|| "-".into())
            );
        }
    }
    let _ = writeln!(out, "\nby week (reports: original / derived / secondhand):");
    if p.weeks.is_empty() {
        let _ = writeln!(out, "  no dated reports");
    }
    for w in &p.weeks {
        let _ = writeln!(
            out,
            "  {}  {:>5}: {} / {} / {}",
            w.week, w.reports, w.original, w.derived, w.secondhand
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(counted(1, "edge"), "1 edge");
        assert_eq!(counted(0, "mention"), "0 mentions");
        assert_eq!(counted(2, "mention"), "2 mentions");
    }
}
