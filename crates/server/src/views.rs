//! What a story's views are made of, read from a store: its brief (with the candidates, so a
//! page can link each citation to the cited report's own sentence), its comparison (remarks,
//! figures, entities across reports) and the reports a listing covers. The CLI and the server
//! both assemble views here, so `storyline brief` and `GET /api/stories/{id}/brief` agree.

use storyline_model::{Attribution, Report, ReportId, StoryId};
use storyline_pipeline::{
    BriefSentence, Candidate, EngineConfig, FigureComparison, PipelineError, Remark,
};
use storyline_store::{Store, StoreError, StoryRecord};
use thiserror::Error;

use crate::json::{Across, Adds, ReportFacts, what_each_adds};

/// Why a view could not be built: the store failed (internal), or the view names something the
/// store does not hold (the caller's mistake).
#[derive(Debug, Error)]
pub enum ViewError {
    #[error("no story {0}")]
    NoStory(String),
    #[error("no report `{0}`")]
    NoReport(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

/// A story's brief with what went into it.
pub struct BriefView {
    pub record: StoryRecord,
    /// Every sentence of the story's reports, with the reports carrying it and the sentences it
    /// restates in them.
    pub candidates: Vec<Candidate>,
    /// The story's reports in time order.
    pub order: Vec<ReportId>,
    pub sentences: Vec<BriefSentence>,
    pub adds: Vec<Adds>,
    pub facts: FigureComparison,
}

impl BriefView {
    /// Where a brief sentence sits in a report citing it: its own position in its own report,
    /// else the sentence of `cite` it was aligned with.
    pub fn cited_position(&self, b: &BriefSentence, cite: &ReportId) -> Option<usize> {
        if &b.report == cite {
            return Some(b.position);
        }
        self.candidates
            .iter()
            .find(|c| c.report == b.report && c.position == b.position)
            .and_then(|c| c.restates.iter().find(|(r, _)| r == cite).map(|(_, i)| *i))
    }
}

/// The brief of story `sid`: 4–8 sentences citing the reports carrying them, what each report
/// adds, and the figure comparison behind the open conflicts.
pub fn brief_view<S: Store>(store: &S, sid: StoryId) -> Result<BriefView, ViewError> {
    let cfg = EngineConfig::default();
    let Some((candidates, order)) = storyline_pipeline::brief_candidates(store, sid, &cfg)? else {
        return Err(ViewError::NoStory(sid.to_string()));
    };
    let sentences = storyline_pipeline::brief(&candidates, &order);
    let record = store
        .story(sid)?
        .ok_or_else(|| ViewError::NoStory(sid.to_string()))?;
    let mut figures = Vec::new();
    for id in &order {
        if let Some((r, _, _)) = store.report(id)? {
            figures.push(storyline_pipeline::report_figures(&r));
        }
    }
    let facts = storyline_pipeline::compare_figures(&figures);
    let adds = what_each_adds(&candidates, &order, &facts);
    Ok(BriefView {
        record,
        candidates,
        order,
        sentences,
        adds,
        facts,
    })
}

/// A story's reports compared: remarks quoted by several (with drift), figures, entities and
/// dated facts across them.
pub struct CompareView {
    pub story: String,
    pub reports: Vec<Report>,
    pub remarks: Vec<Remark>,
    pub facts: FigureComparison,
    pub across: Across,
}

pub fn compare_view<S: Store>(store: &S, sid: StoryId) -> Result<CompareView, ViewError> {
    let reports: Vec<Report> = story_reports(store, sid)?
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let mut instances = Vec::new();
    let mut figures = Vec::new();
    let mut named = Vec::new();
    let mut dated = Vec::new();
    for r in &reports {
        instances.extend(storyline_pipeline::quote_instances(r));
        figures.push(storyline_pipeline::report_figures(r));
        named.push((r.id.clone(), storyline_pipeline::entities(&r.text)));
        dated.push((
            r.id.clone(),
            r.text.clone(),
            storyline_pipeline::dates(&r.text),
        ));
    }
    Ok(CompareView {
        story: sid.to_string(),
        remarks: storyline_pipeline::remarks(&instances),
        facts: storyline_pipeline::compare_figures(&figures),
        across: Across {
            entities: storyline_pipeline::entities_across(&named),
            dated: storyline_pipeline::unique_dated_facts(&dated),
        },
        reports,
    })
}

/// A story's reports, in the order the story lists them.
pub fn story_reports<S: Store>(
    store: &S,
    sid: StoryId,
) -> Result<Vec<(Report, StoryId)>, ViewError> {
    let st = store
        .story(sid)?
        .ok_or_else(|| ViewError::NoStory(sid.to_string()))?;
    reports_by_id(store, st.reports.into_iter().map(|r| r.id))
}

/// Every stored report, in story order.
pub fn all_reports<S: Store>(store: &S) -> Result<Vec<(Report, StoryId)>, ViewError> {
    let ids: Vec<ReportId> = store
        .stories()?
        .into_iter()
        .flat_map(|s| s.reports.into_iter().map(|r| r.id))
        .collect();
    reports_by_id(store, ids)
}

/// The named reports; a missing one is [`ViewError::NoReport`].
pub fn reports_by_id<S: Store>(
    store: &S,
    ids: impl IntoIterator<Item = ReportId>,
) -> Result<Vec<(Report, StoryId)>, ViewError> {
    let mut out = Vec::new();
    for id in ids {
        let Some((r, sid, _)) = store.report(&id)? else {
            return Err(ViewError::NoReport(id.0));
        };
        out.push((r, sid));
    }
    Ok(out)
}

/// Each report's attributions (quotes and reported claims).
pub fn with_attributions(
    found: Vec<(Report, StoryId)>,
) -> Vec<(Report, StoryId, Vec<Attribution>)> {
    found
        .into_iter()
        .map(|(r, sid)| {
            let atts = storyline_pipeline::attributions(&r.text);
            (r, sid, atts)
        })
        .collect()
}

/// Each report's entities, figures and dates.
pub fn with_facts(found: Vec<(Report, StoryId)>) -> Vec<(Report, StoryId, ReportFacts)> {
    found
        .into_iter()
        .map(|(r, sid)| {
            let facts = ReportFacts {
                entities: storyline_pipeline::entities(&r.text),
                figures: storyline_pipeline::figures(&r.text),
                dates: storyline_pipeline::dates(&r.text),
            };
            (r, sid, facts)
        })
        .collect()
}

/// A speaker's remarks among these reports: the name matches part of the speaker's, or names
/// the same person.
pub fn remarks_by(found: &[(Report, StoryId)], name: &str) -> Vec<Remark> {
    let instances: Vec<_> = found
        .iter()
        .flat_map(|(r, _)| storyline_pipeline::quote_instances(r))
        .collect();
    let wanted = name.to_lowercase();
    storyline_pipeline::remarks(&instances)
        .into_iter()
        .filter(|r| {
            r.speaker.to_lowercase().contains(&wanted)
                || storyline_pipeline::same_person(&r.speaker, name)
        })
        .collect()
}

/// Every outlet's profile over the reports `range` holds (`storyline outlets`, `/api/outlets`,
/// the outlet pages): the store's reports and lineage edges, read in two scans.
pub fn outlet_profiles<S: Store>(
    store: &S,
    range: storyline_coverage::DateRange,
) -> Result<Vec<storyline_coverage::OutletProfile>, ViewError> {
    let (mut reports, mut edges) = (Vec::new(), Vec::new());
    store.coverage(&mut |r| reports.push(r), &mut |e| edges.push(e))?;
    Ok(storyline_coverage::outlet_profiles(&reports, &edges, range))
}

/// One outlet's profile, its name matched case-insensitively.
pub fn outlet_profile<S: Store>(
    store: &S,
    name: &str,
    range: storyline_coverage::DateRange,
) -> Result<Option<storyline_coverage::OutletProfile>, ViewError> {
    Ok(outlet_profiles(store, range)?
        .into_iter()
        .find(|p| p.outlet.eq_ignore_ascii_case(name.trim())))
}

/// The coverage timeline of a story's thread when `thread` is set, else of the story alone.
pub fn timeline_of<S: Store>(
    store: &S,
    sid: StoryId,
    thread: bool,
) -> Result<storyline_coverage::Timeline, ViewError> {
    let ids = if thread {
        let t = store
            .thread_of(sid)?
            .ok_or_else(|| ViewError::NoStory(sid.to_string()))?;
        store.thread_stories(t)?
    } else {
        vec![sid]
    };
    let mut stories = Vec::new();
    for id in ids {
        stories.extend(store.story(id)?);
    }
    if stories.is_empty() {
        return Err(ViewError::NoStory(sid.to_string()));
    }
    Ok(storyline_coverage::timeline(&stories))
}
