//! The web pages, rendered on the server with `maud` (which escapes every interpolated string):
//! the story list with search, a story (cited brief, lineage graph, quotes by speaker, fact
//! table), the source-vs-copy view of two reports, and a report with its dropped boilerplate
//! folded. Article text and titles are untrusted: they only ever appear as escaped text, and a
//! report's URL becomes a link only when it is `http` or `https`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use storyline_model::{Report, ReportId, StoryId};
use storyline_pipeline::{DiffOp, MatchKind, Remark, SentenceMatch};
use storyline_store::{Store, StoryListQuery, StoryRecord, StorySort};

use crate::AppState;
use crate::api::{ApiQuery, story_id};
use crate::error::{ApiError, PageError};
use crate::graph::lineage_svg;
use crate::json::thread_name;
use crate::state::StoryViews;
use crate::views::CompareView;

const STORIES_PER_PAGE: usize = 50;

/// Percent-encodes a path segment or query value (everything but RFC 3986 unreserved bytes).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// At most `n` characters of an id, with an ellipsis when cut.
pub fn short_id(id: &str, n: usize) -> String {
    if id.chars().count() <= n {
        id.to_string()
    } else {
        format!("{}…", id.chars().take(n - 1).collect::<String>())
    }
}

/// Where and when a report came out, as a reader names it: its outlet (the source, else the
/// host of its address) and its publication day.
pub fn outlet_and_day(r: &storyline_store::ReportSummary) -> String {
    let outlet = r
        .outlet
        .clone()
        .or_else(|| r.source.clone())
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            r.url.as_deref().and_then(|u| {
                let rest = u.split_once("://").map_or(u, |(_, rest)| rest);
                let host = rest.split(['/', '?', '#']).next()?;
                (!host.is_empty()).then(|| host.trim_start_matches("www.").to_string())
            })
        })
        .unwrap_or_else(|| "unknown outlet".into());
    let day = r
        .published
        .as_deref()
        .and_then(|p| p.get(..10))
        .unwrap_or("undated");
    format!("{outlet} · {day}")
}

/// The page frame: stylesheet and script from this server only.
pub fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Storyline" }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                header.site { a href="/" { "Storyline" } " " a.nav href="/outlets" { "Outlets" } }
                main { (body) }
            }
        }
    }
}

fn page(title: &str, body: Markup) -> Html<String> {
    Html(layout(title, body).into_string())
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        include_str!("../static/app.js"),
    )
        .into_response()
}

#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    offset: Option<usize>,
    /// `newest` (default), `size` or `date`.
    sort: Option<String>,
    /// Only stories with a report from this outlet.
    outlet: Option<String>,
    /// `show` or `fold` one-report stories; folded by default unless searching.
    singles: Option<String>,
}

/// `/`: the stories, newest first (or largest, or latest published), each with its size,
/// dates and outlets; filtered by text and outlet; one-report stories folded unless asked for.
pub async fn story_list(
    State(st): State<Arc<AppState>>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Html<String>, PageError> {
    let q = p.q.clone().unwrap_or_default().trim().to_string();
    let outlet = p.outlet.clone().unwrap_or_default().trim().to_string();
    let offset = p.offset.unwrap_or(0);
    let sort = match p.sort.as_deref() {
        Some("size") => StorySort::Size,
        Some("date") => StorySort::Date,
        _ => StorySort::Newest,
    };
    let sort_name = match sort {
        StorySort::Newest => "newest",
        StorySort::Size => "size",
        StorySort::Date => "date",
    };
    let fold = match p.singles.as_deref() {
        Some("show") => false,
        Some("fold") => true,
        _ => q.is_empty(),
    };
    let query = StoryListQuery {
        text: (!q.is_empty()).then(|| q.clone()),
        outlet: (!outlet.is_empty()).then(|| outlet.clone()),
        min_reports: if fold { 2 } else { 1 },
        sort,
        offset: offset as u64,
        limit: STORIES_PER_PAGE as u64,
    };
    let listing = st
        .read(move |store, _| Ok(store.story_page(&query)?))
        .await?;
    let total = listing.total as usize;
    let more = offset + STORIES_PER_PAGE < total;
    let link = |offset: usize, sort: &str, singles: bool| {
        format!(
            "/?q={}&outlet={}&sort={sort}&singles={}&offset={offset}",
            enc(&q),
            enc(&outlet),
            if singles { "fold" } else { "show" }
        )
    };
    let order_words = match sort {
        StorySort::Newest => "newest first",
        StorySort::Size => "largest first",
        StorySort::Date => "latest published first",
    };
    Ok(page(
        "Stories",
        html! {
            h1 { "Stories" }
            form.search method="get" action="/" role="search" {
                input type="search" name="q" value=(q) placeholder="Search titles and text" aria-label="Search titles and text";
                input type="text" name="outlet" value=(outlet) placeholder="Outlet" aria-label="Only this outlet";
                select name="sort" aria-label="Order" {
                    option value="newest" selected[sort == StorySort::Newest] { "Newest" }
                    option value="size" selected[sort == StorySort::Size] { "Most reports" }
                    option value="date" selected[sort == StorySort::Date] { "Latest published" }
                }
                input type="hidden" name="singles" value=(if fold { "fold" } else { "show" });
                button type="submit" { "Show" }
            }
            p.count {
                (total) @if total == 1 { " story" } @else { " stories" }
                @if !q.is_empty() { @if total == 1 { " mentions “" } @else { " mention “" } (q) "”" }
                @if !outlet.is_empty() { " with a report from " (outlet) }
                ", " (order_words) "."
                @if fold && listing.folded > 0 {
                    " " a.singles href=(link(0, sort_name, false)) { (listing.folded) @if listing.folded == 1 { " one-report story folded: show it" } @else { " one-report stories folded: show them" } }
                } @else if !fold {
                    " " a.singles href=(link(0, sort_name, true)) { "Fold one-report stories" }
                }
            }
            ol.stories {
                @for s in &listing.rows {
                    li data-story=(s.id.to_string()) data-reports=(s.reports) {
                        a.story-title href={ "/stories/" (s.id) } { (s.title) }
                        " "
                        span.meta {
                            (s.id) " · " (s.reports) " report" @if s.reports != 1 { "s" }
                            " · "
                            @match (s.first_published.as_deref().and_then(|d| d.get(..10)), s.last_published.as_deref().and_then(|d| d.get(..10))) {
                                (Some(a), Some(b)) if a != b => { time datetime=(a) { (a) } "–" time datetime=(b) { (b) } }
                                (Some(a), _) => { time datetime=(a) { (a) } }
                                _ => { "undated" }
                            }
                            " · "
                            @if s.outlets.is_empty() { "outlet unknown" }
                            @for (i, o) in s.outlets.iter().take(4).enumerate() {
                                @if i > 0 { ", " }
                                a.outlet href={ "/?outlet=" (enc(o)) "&sort=" (sort_name) "&singles=" (if fold { "fold" } else { "show" }) } { (o) }
                            }
                            @if s.outlets.len() > 4 { " and " (s.outlets.len() - 4) " more" }
                            " · thread " (thread_name(s.thread))
                        }
                    }
                }
            }
            nav.pages {
                @if offset > 0 {
                    a rel="prev" href=(link(offset.saturating_sub(STORIES_PER_PAGE), sort_name, fold)) { "← previous" }
                    " "
                }
                @if more {
                    a rel="next" href=(link(offset + STORIES_PER_PAGE, sort_name, fold)) { "next →" }
                }
            }
        },
    ))
}

struct StoryPage {
    record: StoryRecord,
    timeline: storyline_coverage::Timeline,
    /// The other stories of its thread.
    siblings: Vec<StoryId>,
    views: Arc<StoryViews>,
}

/// `/stories/{id}`: the brief, the lineage graph, quotes by speaker and the fact table.
pub async fn story_page(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let sid = story_id(&id)?;
    let p = st
        .read(move |store, st| {
            let record = store
                .story(sid)?
                .ok_or_else(|| ApiError::not_found(format!("no story {sid}")))?;
            Ok(StoryPage {
                siblings: store
                    .thread_stories(record.thread)?
                    .into_iter()
                    .filter(|x| *x != sid)
                    .collect(),
                views: st.story_views(store, sid)?,
                timeline: storyline_coverage::timeline(std::slice::from_ref(&record)),
                record,
            })
        })
        .await?;
    Ok(page(&p.record.title, render_story(&p)))
}

fn render_story(p: &StoryPage) -> Markup {
    let s = &p.record;
    let (brief, compare) = (&p.views.brief, &p.views.compare);
    let number: HashMap<&ReportId, usize> = brief
        .order
        .iter()
        .enumerate()
        .map(|(i, r)| (r, i + 1))
        .collect();
    let siblings = &p.siblings;
    html! {
        h1 { (s.title) }
        p.meta {
            (s.id) " · " (s.reports.len()) " reports · thread " (thread_name(s.thread))
            @if !siblings.is_empty() {
                " with "
                @for (i, x) in siblings.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/stories/" (x) } { (x) }
                }
            }
        }
        nav.toc {
            a href="#brief" { "Brief" } " · " a href="#timeline" { "Timeline" } " · " a href="#lineage" { "Lineage" } " · "
            a href="#quotes" { "Quotes" } " · " a href="#facts" { "Facts" }
        }
        section #brief {
            h2 { "Brief" }
            @if brief.sentences.is_empty() { p { "No sentence to tell." } }
            @for b in &brief.sentences {
                p.brief-sentence data-report=(b.report.0) data-position=(b.position) {
                    (b.text) " "
                    @for c in &b.cites {
                        @let n = number.get(c).copied().unwrap_or(0);
                        @let href = match brief.cited_position(b, c) {
                            Some(i) => format!("/reports/{}#s{i}", enc(&c.0)),
                            None => format!("/reports/{}", enc(&c.0)),
                        };
                        @let label = s.reports.iter().find(|r| &r.id == c).map(|r| format!("{} — {} ({})", outlet_and_day(r), r.display_title, c.0)).unwrap_or_else(|| c.0.clone());
                        a.cite href=(href) data-report=(c.0) title=(label) { "[" (n) "]" }
                    }
                }
            }
            h3 { "Sources" }
            ol.sources {
                @for id in &brief.order {
                    @let summary = s.reports.iter().find(|r| &r.id == id);
                    li {
                        @if let Some(r) = summary {
                            a href={ "/reports/" (enc(&id.0)) } { (r.display_title) }
                            " " span.meta { (outlet_and_day(r)) " · " (id.0) }
                            " (" span class={ "role role-" (r.role.as_str()) } { (r.role.as_str()) } ")"
                        } @else {
                            a href={ "/reports/" (enc(&id.0)) } { (id.0) }
                        }
                        @if let Some(a) = brief.adds.iter().find(|a| &a.report == id) {
                            br;
                            span.adds {
                                (a.own_sentences) " of its " (a.sentences) " sentences are in no other report"
                                @if !a.unique_figures.is_empty() { "; only it gives: " (a.unique_figures.join(", ")) }
                            }
                        }
                    }
                }
            }
        }
        section #timeline {
            h2 { "Coverage timeline" }
            p.meta {
                "Each report at its publication time (first seen when it gives none), one lane per outlet; "
                a href={ "/threads/" (thread_name(s.thread)) } { "the whole thread's timeline" } "."
            }
            div.chart { (crate::charts::timeline_svg(&p.timeline, &s.id.to_string())) }
        }
        section #lineage {
            h2 { "Lineage" }
            p.legend {
                span class="role role-original" { "original" } " "
                span class="role role-derived" { "derived" } " "
                span class="role role-secondhand" { "secondhand" }
                " — arrows go from the source to the report made from it; click an edge to compare the two."
            }
            div.graph { (lineage_svg(s)) }
            @if s.lineage.is_empty() { p { "No lineage edges: the reports were written independently." } }
            @else {
                table.edges {
                    thead { tr { th { "source" } th { "made into" } th { "kind" } th { "reuse" } th { "verbatim" } th {} } }
                    tbody {
                        @for e in &s.lineage {
                            tr data-from=(e.from.0) data-to=(e.to.0) data-kind=(e.kind.as_str()) {
                                td { a href={ "/reports/" (enc(&e.from.0)) } { (e.from.0) } }
                                td { a href={ "/reports/" (enc(&e.to.0)) } { (e.to.0) } }
                                td { (e.kind.as_str()) }
                                td { (format!("{:.0}%", e.reuse * 100.0)) }
                                td { (format!("{:.0}%", e.verbatim * 100.0)) }
                                td { a.compare href={ "/stories/" (s.id) "/compare?a=" (enc(&e.from.0)) "&b=" (enc(&e.to.0)) } { "source vs copy" } }
                            }
                        }
                    }
                }
            }
        }
        section #quotes { h2 { "Quotes by speaker" } (quotes_by_speaker(&compare.remarks)) }
        section #facts { h2 { "Facts" } (fact_table(compare, &brief.order)) }
    }
}

fn diff_markup(ops: &[DiffOp]) -> Markup {
    html! {
        span.diff {
            @for (i, op) in ops.iter().enumerate() {
                @if i > 0 { " " }
                @match op {
                    DiffOp::Same(w) => span { (w) },
                    DiffOp::Removed(w) => del { (w) },
                    DiffOp::Added(w) => ins { (w) },
                }
            }
        }
    }
}

fn quotes_by_speaker(remarks: &[Remark]) -> Markup {
    let mut by: BTreeMap<&str, Vec<&Remark>> = BTreeMap::new();
    for r in remarks {
        by.entry(r.speaker.as_str()).or_default().push(r);
    }
    html! {
        @if by.is_empty() { p { "No attributed quotes." } }
        @for (speaker, rs) in &by {
            div.speaker data-speaker=(speaker) {
                h3 { (speaker) }
                @for r in rs {
                    div class={ "remark" @if r.drifted() { " drifted" } } {
                        @for (i, v) in r.variants.iter().enumerate() {
                            blockquote.variant data-drift=(v.drift) {
                                "“" (v.text) "”"
                                footer {
                                    @for (j, id) in v.reports.iter().enumerate() {
                                        @if j > 0 { ", " }
                                        a href={ "/reports/" (enc(&id.0)) } { (id.0) }
                                    }
                                    @if v.drift && i > 0 {
                                        div.drift { "drift from the first wording: " (diff_markup(&v.diff)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn fact_table(c: &CompareView, order: &[ReportId]) -> Markup {
    let facts = &c.facts;
    html! {
        h3 { "Figures" }
        @if facts.slots.is_empty() { p { "No figures." } }
        @else {
            div.scroll {
                table.facts {
                    thead {
                        tr {
                            th { "what is counted" }
                            @for id in order { th { a href={ "/reports/" (enc(&id.0)) } { (short_id(&id.0, 14)) } } }
                        }
                    }
                    tbody {
                        @for slot in &facts.slots {
                            tr class=@if slot.conflict { "conflict" } @else { "agree" } data-slot=(slot.label) {
                                th {
                                    (slot.label)
                                    @if slot.conflict { " " span.badge { "conflict" } }
                                }
                                @for id in order {
                                    td {
                                        @for (i, (_, _, t)) in slot.values.iter().filter(|(r, _, _)| r == id).enumerate() {
                                            @if i > 0 { "; " }
                                            (t)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !facts.unique.is_empty() {
            h3 { "Only one report gives" }
            ul.unique {
                @for (r, t) in &facts.unique { li { (t) " — " a href={ "/reports/" (enc(&r.0)) } { (r.0) } } }
            }
        }
        @if !facts.missing.is_empty() {
            h3 { "Left out" }
            ul.missing {
                @for (r, k) in &facts.missing { li { (r.0) " gives no figure for “" (k) "”, which most reports give" } }
            }
        }
        @if !c.across.dated.is_empty() {
            h3 { "Dated facts only one report gives" }
            ul.dated {
                @for d in &c.across.dated { li { strong { (d.date) } " (" (d.report.0) "): " (d.sentence) } }
            }
        }
        h3 { "Who and what is named" }
        table.entities {
            thead { tr { th { "name" } th { "kind" } th { "also spelled" } th { "reports" } } }
            tbody {
                @for e in c.across.entities.iter().filter(|e| e.reports.len() > 1 || !e.aliases.is_empty()) {
                    tr {
                        td { (e.name) }
                        td { (e.kind.as_str()) }
                        td { (e.aliases.join(", ")) }
                        td { (e.reports.iter().map(|r| r.0.as_str()).collect::<Vec<_>>().join(", ")) }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CompareParams {
    a: Option<String>,
    b: Option<String>,
}

struct Side {
    report: Report,
    spans: Vec<storyline_model::SentenceSpan>,
}

/// `/stories/{id}/compare?a=SOURCE&b=COPY`: two reports side by side, each reused sentence
/// marked (verbatim and near verbatim in one mark, paraphrase in another) and linked to its
/// counterpart on the other side.
pub async fn compare_page(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<CompareParams>,
) -> Result<Html<String>, PageError> {
    let sid = story_id(&id)?;
    let (Some(a), Some(b)) = (p.a, p.b) else {
        return Err(ApiError::bad_request("name the two reports: ?a=SOURCE&b=COPY").into());
    };
    let (record, left, right, a_in_b, b_in_a) = st
        .read(move |store, _| {
            let record = store
                .story(sid)?
                .ok_or_else(|| ApiError::not_found(format!("no story {sid}")))?;
            let side = |id: &str| -> Result<Side, ApiError> {
                match store.report(&ReportId(id.to_string()))? {
                    Some((report, s, _)) if s == sid => Ok(Side {
                        spans: storyline_pipeline::sentence_spans(&report),
                        report,
                    }),
                    _ => Err(ApiError::not_found(format!("no report `{id}` in {sid}"))),
                }
            };
            let (left, right) = (side(&a)?, side(&b)?);
            let (a_in_b, b_in_a) = store
                .pair_matches(&left.report.id, &right.report.id)?
                .unwrap_or_default();
            Ok((record, left, right, a_in_b, b_in_a))
        })
        .await?;
    // Each side's marks: the sentence, its counterpart's index on the other side, the kind.
    let mut left_marks: HashMap<usize, (usize, MatchKind)> = HashMap::new();
    let mut right_marks: HashMap<usize, (usize, MatchKind)> = HashMap::new();
    let note = |mine: &mut HashMap<usize, (usize, MatchKind)>, m: &SentenceMatch, i, j| {
        let e = mine.entry(i).or_insert((j, m.kind));
        if m.kind > e.1 {
            *e = (j, m.kind);
        }
    };
    for m in &b_in_a {
        note(&mut right_marks, m, m.derived, m.source);
        note(&mut left_marks, m, m.source, m.derived);
    }
    for m in &a_in_b {
        note(&mut left_marks, m, m.derived, m.source);
        note(&mut right_marks, m, m.source, m.derived);
    }
    let edge = record
        .lineage
        .iter()
        .find(|e| {
            (e.from == left.report.id && e.to == right.report.id)
                || (e.from == right.report.id && e.to == left.report.id)
        })
        .cloned();
    let reused = |marks: &HashMap<usize, (usize, MatchKind)>, k: MatchKind| {
        marks.values().filter(|(_, x)| *x == k).count()
    };
    let title = format!("{} vs {}", left.report.id, right.report.id);
    Ok(page(
        &title,
        html! {
            p.crumbs { a href={ "/stories/" (record.id) } { "← " (record.id) ": " (record.title) } }
            h1 { "Source vs copy" }
            @if let Some(e) = &edge {
                p.edge-summary data-kind=(e.kind.as_str()) {
                    (e.from.0) " → " (e.to.0) ": " strong { (e.kind.as_str()) } ", "
                    (format!("{:.0}%", e.reuse * 100.0)) " of " (e.to.0) "'s sentences reused ("
                    (format!("{:.0}%", e.verbatim * 100.0)) " verbatim)."
                }
            } @else {
                p.edge-summary { "No lineage edge between these two reports." }
            }
            p.legend {
                mark.reuse.verbatim { "verbatim" } " and "
                mark.reuse.paraphrase { "paraphrase" }
                " — click a marked sentence to jump to its counterpart. "
                (reused(&right_marks, MatchKind::Verbatim) + reused(&right_marks, MatchKind::NearVerbatim)) " verbatim and "
                (reused(&right_marks, MatchKind::Paraphrase)) " paraphrased sentences on the right."
            }
            div.side-by-side {
                (side_markup("a", "b", &left, &left_marks))
                (side_markup("b", "a", &right, &right_marks))
            }
        },
    ))
}

fn side_markup(
    me: &str,
    other: &str,
    side: &Side,
    marks: &HashMap<usize, (usize, MatchKind)>,
) -> Markup {
    let r = &side.report;
    html! {
        article.side id={ "side-" (me) } data-report=(r.id.0) {
            h2 { a href={ "/reports/" (enc(&r.id.0)) } { (r.id.0) } }
            @if let Some(t) = &r.title { p.title { (t) } }
            (text_with_sentences(r, &side.spans, &|i, text| html! {
                @match marks.get(&i) {
                    Some((j, kind)) => {
                        @let class = match kind { MatchKind::Paraphrase => "paraphrase", _ => "verbatim" };
                        a.reuse-link href={ "#" (other) "-s" (j) } {
                            mark class={ "reuse " (class) } id={ (me) "-s" (i) } data-sentence=(i)
                                data-kind=(kind.as_str()) data-counterpart={ (other) "-s" (j) } { (text) }
                        }
                    }
                    None => span.sentence id={ (me) "-s" (i) } data-sentence=(i) { (text) },
                }
            }))
        }
    }
}

/// A report's text as paragraphs (headings as headings), each sentence of reporting rendered
/// by `sentence(index, text)`; the text between sentences is kept as escaped text.
fn text_with_sentences(
    r: &Report,
    spans: &[storyline_model::SentenceSpan],
    sentence: &dyn Fn(usize, &str) -> Markup,
) -> Markup {
    let paragraphs = storyline_pipeline::paragraphs(&r.text);
    let mut next = 0;
    let mut out = String::new();
    for (pi, (ps, pe)) in paragraphs.iter().copied().enumerate() {
        let mut inner = String::new();
        let mut pos = ps;
        while next < spans.len() && spans[next].start < pe {
            let sp = spans[next];
            if sp.start >= pos {
                inner.push_str(&html! { (&r.text[pos..sp.start]) }.into_string());
                inner.push_str(&sentence(next, &r.text[sp.start..sp.end]).into_string());
                pos = sp.end;
            }
            next += 1;
        }
        if pos < pe {
            inner.push_str(&html! { (&r.text[pos..pe]) }.into_string());
        }
        let block = if r.headings.contains(&pi) {
            html! { h3.heading { (PreEscaped(inner)) } }
        } else {
            html! { p { (PreEscaped(inner)) } }
        };
        out.push_str(&block.into_string());
    }
    PreEscaped(out)
}

/// A link only for web URLs: anything else (`javascript:`, `data:`) is shown as text.
fn safe_link(url: &str) -> Markup {
    let lower = url.trim_start().to_ascii_lowercase();
    html! {
        @if lower.starts_with("http://") || lower.starts_with("https://") {
            a href=(url) rel="noopener noreferrer nofollow" { (url) }
        } @else {
            code.unsafe-url { (url) }
        }
    }
}

/// `/reports/{id}`: the cleaned text with sentence anchors (`#s3`), and what the cleaner
/// dropped, folded and labelled with its rule.
pub async fn report_page(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let (r, record) = st
        .read(move |store, _| {
            let (r, sid, _) = store
                .report(&ReportId(id.clone()))?
                .ok_or_else(|| ApiError::not_found(format!("no report `{id}`")))?;
            let record = store
                .story(sid)?
                .ok_or_else(|| ApiError::internal("the report's story is missing"))?;
            Ok((r, record))
        })
        .await?;
    let spans = storyline_pipeline::sentence_spans(&r);
    let summary = record.reports.iter().find(|x| x.id == r.id);
    let title = summary
        .map(|s| s.display_title.clone())
        .unwrap_or_else(|| r.id.0.clone());
    Ok(page(
        &title,
        html! {
            p.crumbs { a href={ "/stories/" (record.id) } { "← " (record.id) ": " (record.title) } }
            h1 { (title) }
            dl.report-meta {
                dt { "id" } dd { code { (r.id.0) } }
                @if let Some(s) = summary {
                    dt { "role" } dd { span class={ "role role-" (s.role.as_str()) } data-role=(s.role.as_str()) { (s.role.as_str()) }
                        @for why in &s.role_evidence { br; small { (why) } } }
                    @if !s.placement_evidence.is_empty() {
                        dt { "placement" } dd.placement {
                            @for (i, why) in s.placement_evidence.iter().enumerate() {
                                @if i > 0 { br; } small { (why) }
                            }
                        }
                    }
                }
                @if let Some(x) = &r.source { dt { "source" } dd { (x) } }
                @if let Some(x) = &r.url { dt { "url" } dd { (safe_link(x)) } }
                @if let Some(x) = &r.published { dt { "published" } dd { (x) } }
                @if let Some(x) = &r.byline { dt { "byline" } dd { (x) } }
            }
            @let edges: Vec<_> = record.lineage.iter().filter(|e| e.from == r.id || e.to == r.id).collect();
            @if !edges.is_empty() {
                ul.report-edges {
                    @for e in edges {
                        li {
                            (e.from.0) " → " (e.to.0) " " (e.kind.as_str()) " " (format!("{:.0}%", e.reuse * 100.0)) " — "
                            a href={ "/stories/" (record.id) "/compare?a=" (enc(&e.from.0)) "&b=" (enc(&e.to.0)) } { "source vs copy" }
                        }
                    }
                }
            }
            article.report-text data-report=(r.id.0) {
                (text_with_sentences(&r, &spans, &|i, text| html! {
                    span.sentence id={ "s" (i) } data-sentence=(i) { (text) }
                }))
            }
            section.dropped {
                h2 { "Dropped by the cleaner (" (r.dropped.len()) ")" }
                @if r.dropped.is_empty() { p { "Nothing was dropped." } }
                @for d in &r.dropped {
                    details.dropped-piece data-rule=(d.rule) {
                        summary { span.rule { (d.rule) } " " (short_id(&d.text, 80)) }
                        p { (d.text) }
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_is_shown_as_a_word_diff() {
        use storyline_pipeline::{Variant, word_diff};
        let first = "we will not send anyone to Libya";
        let second = "we will not send migrants to Libya";
        let remark = Remark {
            speaker: "Jane <Roe>".into(),
            variants: vec![
                Variant {
                    text: first.into(),
                    reports: vec![ReportId("a".into())],
                    drift: false,
                    diff: vec![],
                },
                Variant {
                    text: second.into(),
                    reports: vec![ReportId("b".into())],
                    drift: true,
                    diff: word_diff(first, second),
                },
            ],
        };
        let out = quotes_by_speaker(&[remark]).into_string();
        assert!(out.contains("<del>anyone</del>"), "{out}");
        assert!(out.contains("<ins>migrants</ins>"), "{out}");
        assert!(out.contains("Jane &lt;Roe&gt;"));
        assert_eq!(out.matches("class=\"drift\"").count(), 1);
    }

    #[test]
    fn ids_are_encoded_for_urls() {
        assert_eq!(enc("004_a7ee"), "004_a7ee");
        assert_eq!(enc("a b/c?d#e&f"), "a%20b%2Fc%3Fd%23e%26f");
        assert_eq!(enc("é"), "%C3%A9");
    }

    #[test]
    fn only_web_urls_become_links() {
        let js = safe_link("javascript:alert(1)").into_string();
        assert!(!js.contains("href"), "{js}");
        let ok = safe_link("https://example.test/a?b=1&c=\"2\"").into_string();
        assert!(
            ok.contains(r#"href="https://example.test/a?b=1&amp;c=&quot;2&quot;""#),
            "{ok}"
        );
    }

    #[test]
    fn text_outside_and_inside_sentences_is_escaped() {
        let mut r = Report::from_text("x", "<script>alert(1)</script> said.\nSecond <b>line</b>.");
        r.headings = vec![];
        let spans = storyline_pipeline::sentence_spans(&r);
        let out = text_with_sentences(&r, &spans, &|i, t| html! { span id={ "s" (i) } { (t) } })
            .into_string();
        assert!(!out.contains("<script>") && !out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
        assert!(out.contains(r#"<span id="s0">"#));
        assert_eq!(out.matches("<p>").count(), 2);
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct OutletParams {
    /// First day counted (`YYYY-MM-DD`).
    since: Option<String>,
    /// Last day counted (`YYYY-MM-DD`).
    until: Option<String>,
    /// Column to sort by: `reports` (default), `outlet`, `original`, `derived`, `secondhand`, `lag`.
    sort: Option<String>,
}

/// A date range from `since`/`until` parameters; an error names the one that is no date.
pub fn date_range(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<storyline_coverage::DateRange, String> {
    let day = |name: &str, v: Option<&str>| -> Result<Option<chrono::NaiveDate>, String> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("{name} `{v}` is not a date (YYYY-MM-DD)")),
        }
    };
    Ok(storyline_coverage::DateRange {
        since: day("since", since)?,
        until: day("until", until)?,
    })
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// "1 report", "2 reports", "3 stories".
fn counted(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

fn lag_text(h: Option<f64>) -> String {
    match h {
        None => "–".into(),
        Some(h) if h < 1.0 => format!("{:.0} min", h * 60.0),
        Some(h) if h < 48.0 => format!("{h:.1} h"),
        Some(h) => format!("{:.1} d", h / 24.0),
    }
}

/// `/outlets`: every outlet's shares of original, derived and secondhand reports, whom it takes
/// from, and its lag; sortable by each column.
pub async fn outlets_page(
    State(st): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<OutletParams>,
) -> Result<Html<String>, PageError> {
    let range =
        date_range(q.since.as_deref(), q.until.as_deref()).map_err(ApiError::bad_request)?;
    let mut rows = st
        .read(move |store, _| Ok(crate::views::outlet_profiles(store, range)?))
        .await?;
    let sort = q.sort.clone().unwrap_or_else(|| "reports".into());
    match sort.as_str() {
        "outlet" => rows.sort_by_key(|p| p.outlet.to_lowercase()),
        "original" => rows.sort_by(|a, b| b.share(b.original).total_cmp(&a.share(a.original))),
        "derived" => rows.sort_by(|a, b| b.share(b.derived).total_cmp(&a.share(a.derived))),
        "secondhand" => {
            rows.sort_by(|a, b| b.share(b.secondhand).total_cmp(&a.share(a.secondhand)))
        }
        "lag" => rows.sort_by(|a, b| {
            a.median_lag_hours
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.median_lag_hours.unwrap_or(f64::INFINITY))
        }),
        _ => {}
    }
    let since = q.since.clone().unwrap_or_default();
    let until = q.until.clone().unwrap_or_default();
    let link = |col: &str| {
        format!(
            "/outlets?sort={col}&since={}&until={}",
            enc(&since),
            enc(&until)
        )
    };
    let total: u64 = rows.iter().map(|p| p.reports).sum();
    Ok(page(
        "Outlets",
        html! {
            h1 { "Outlets" }
            p.meta {
                (rows.len()) " outlets, " (total) " reports. Original: first-hand reporting; derived: a copy, rewrite or summary of another report (or of an agency's story under its credit); secondhand: relays reporting whose source is not stored."
            }
            form.search method="get" action="/outlets" {
                label { "From " input type="date" name="since" value=(since); }
                label { " to " input type="date" name="until" value=(until); }
                input type="hidden" name="sort" value=(sort);
                button type="submit" { "Show" }
            }
            div.table-wrap {
                table.outlets {
                    thead { tr {
                        @for (col, name) in [("outlet", "Outlet"), ("reports", "Reports"), ("original", "Original"), ("derived", "Derived"), ("secondhand", "Secondhand")] {
                            th { a href=(link(col)) aria-sort=(if sort == col { "descending" } else { "none" }) { (name) } }
                        }
                        th { "Takes most from" }
                        th { a href=(link("lag")) { "Median lag" } }
                    } }
                    tbody {
                        @for p in &rows {
                            tr data-outlet=(p.outlet) {
                                td { a href={ "/outlets/" (enc(&p.outlet)) } { (p.outlet) } }
                                td.num { (p.reports) }
                                @if p.reports == 0 {
                                    @let credits: u64 = p.taken_by.iter().map(|f| f.credited + f.edges).sum();
                                    td.note colspan="3" { "no report of its own in the store; its stories are in " (counted(credits, "report")) " of others" }
                                } @else {
                                    td.num { (pct(p.share(p.original))) }
                                    td.num { (pct(p.share(p.derived))) }
                                    td.num { (pct(p.share(p.secondhand))) }
                                }
                                td {
                                    @for (i, f) in p.takes_from.iter().take(2).enumerate() {
                                        @if i > 0 { ", " }
                                        a href={ "/outlets/" (enc(&f.outlet)) } { (f.outlet) } " (" (f.edges + f.credited) ")"
                                    }
                                }
                                td.num { (lag_text(p.median_lag_hours)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `/outlets/{name}`: one outlet's profile, with its weekly shares as a chart.
pub async fn outlet_page(
    State(st): State<Arc<AppState>>,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<OutletParams>,
) -> Result<Html<String>, PageError> {
    let range =
        date_range(q.since.as_deref(), q.until.as_deref()).map_err(ApiError::bad_request)?;
    let wanted = name.clone();
    let p = st
        .read(move |store, _| {
            crate::views::outlet_profile(store, &wanted, range)?
                .ok_or_else(|| ApiError::not_found(format!("no outlet {wanted}")))
        })
        .await?;
    let flows = |title: &str, list: &[storyline_coverage::Flow]| {
        html! {
            h2 { (title) }
            @if list.is_empty() { p.meta { "None in the store." } }
            @else {
                table.flows {
                    thead { tr { th { "Outlet" } th { "Reports" } th { "Mean reuse" } } }
                    tbody {
                        @for f in list {
                            tr {
                                td { a href={ "/outlets/" (enc(&f.outlet)) } { (f.outlet) } }
                                td.num { (f.edges) @if f.credited > 0 { " + " (f.credited) " by credit" } }
                                td.num { (f.mean_reuse.map(pct).unwrap_or_else(|| "–".into())) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(
        &p.outlet,
        html! {
            p.crumbs { a href="/outlets" { "Outlets" } " ›" }
            h1 { (p.outlet) }
            p.meta {
                (counted(p.reports, "report")) ": " (p.original) " original (" (pct(p.share(p.original))) "), "
                (p.derived) " derived (" (counted(p.copies, "copy")) ", " (counted(p.rewrites, "rewrite")) ", " (counted(p.summaries, "summary")) "), "
                (p.secondhand) " secondhand. "
                @if p.lag_pairs > 0 {
                    "Median lag behind its sources: " (lag_text(p.median_lag_hours)) " over " (counted(p.lag_pairs, "derived report")) "."
                } @else {
                    "No derived report with a timed source, so no lag."
                }
                @if p.first_seen_timed > 0 {
                    " " (counted(p.first_seen_timed, "report")) " without a publication time "
                    (if p.first_seen_timed == 1 { "is" } else { "are" }) " timed by when the store first saw "
                    (if p.first_seen_timed == 1 { "it" } else { "them" }) "."
                }
            }
            h2 { "By week" }
            div.chart { (crate::charts::outlet_weeks_svg(&p)) }
            p.meta.legend {
                span.role.role-original { "original" } " " span.role.role-derived { "derived" } " " span.role.role-secondhand { "secondhand" }
            }
            (flows("Takes from", &p.takes_from))
            (flows("Taken by", &p.taken_by))
            p { a href={ "/?outlet=" (enc(&p.outlet)) "&singles=show" } { "Stories with a report from " (p.outlet) } }
        },
    ))
}

/// `/threads/{id}`: a thread's stories and its coverage timeline.
pub async fn thread_page(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let name = id.clone();
    let (thread, stories, timeline) = st
        .read(move |store, _| {
            let sid = crate::api::thread_or_story_id(&name)?;
            let thread = store
                .thread_of(sid)?
                .filter(|t| !name.starts_with('T') || *t == sid)
                .ok_or_else(|| ApiError::not_found(format!("no thread or story {name}")))?;
            let mut stories = Vec::new();
            for s in store.thread_stories(thread)? {
                stories.extend(store.story(s)?);
            }
            let timeline = storyline_coverage::timeline(&stories);
            Ok((thread, stories, timeline))
        })
        .await?;
    let title = stories.first().map(|s| s.title.clone()).unwrap_or_default();
    Ok(page(
        &title,
        html! {
            h1 { (title) }
            p.meta { "Thread " (thread_name(thread)) " · " (counted(stories.len() as u64, "story")) " · " (counted(timeline.points.len() as u64, "report")) }
            h2 { "Stories" }
            ol.stories {
                @for s in &stories {
                    li { a.story-title href={ "/stories/" (s.id) } { (s.title) } " " span.meta { (s.id) " · " (s.reports.len()) " reports" } }
                }
            }
            h2 { "Coverage timeline" }
            p.meta { "Each report at its publication time (first seen when it gives none), one lane per outlet; arrows run from a source to what was made from it." }
            div.chart { (crate::charts::timeline_svg(&timeline, &format!("thread {}", thread_name(thread)))) }
        },
    ))
}
