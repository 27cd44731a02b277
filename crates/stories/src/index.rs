//! Incremental story placement. Each report is compared only with the candidates its indexes
//! return: reports sharing an LSH band (near duplicates) and reports sharing distinctive
//! keywords (rewrites and other reports of the event). Similarity is the cosine of
//! log-tf × idf vectors of stemmed content terms, idf counted over the reports stored so far;
//! a report's similarity to a story is its best similarity to any report of it (max link), and
//! it joins only through a candidate that shares enough of its distinctive keywords
//! ([`PlacementConfig::min_join_hits`]).

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;

use storyline_fingerprint::BandIndex;
use storyline_model::{ReportId, StoryId};

use crate::analyze::AnalyzedReport;

/// Placement settings.
#[derive(Debug, Clone)]
pub struct PlacementConfig {
    /// Least max-link cosine for joining a story. No event-labelled set is in `../shared/data`
    /// yet, so this is provisional: the seeds' incremental run joins correctly anywhere in
    /// 0.23–0.33 (similarity study, issue "spine" note) and 0.28 is the middle; on the Lee
    /// ratings (`storyline eval similarity`) pairs humans call strongly related peak at 0.15,
    /// a topic-level bar below the event level placement needs. To be re-chosen on the bench
    /// generator's known stories (issue "scale").
    pub join_threshold: f64,
    /// Pseudo-documents added to the idf numerator, `idf = ln((N + N0) / (df + 1))`, so that the
    /// first reports of a store do not see every shared word as worthless. 10 was best on the
    /// similarity study (issue "spine" note): it left the widest margin between same-story and
    /// cross-story max-link scores.
    pub idf_pseudo_docs: f64,
    /// Distinctive terms per report kept in the keyword index.
    pub keywords_per_report: usize,
    /// Least keywords a candidate must share with the new report (LSH hits always count).
    pub min_shared_keywords: usize,
    /// Most recent reports kept per keyword: stories are local in time, and a bounded list keeps
    /// placement cost flat as the archive grows (a rare keyword's list still reaches far back).
    /// 4,096 → 1,024 on the scale bench, 100k seed 1 (generator families span ≤ 200 reports, so
    /// this says nothing of week-long stories): placement stage 16.3 → 14.2 s, lineage P/R
    /// 0.791/0.844 → 0.795/0.847, stories B-cubed F1 0.799 → 0.805 (seed 2, placement alone:
    /// 0.798 → 0.804).
    pub max_postings: usize,
    /// Most candidates scored per placement (those sharing the most keywords first). Chosen on
    /// the scale bench generator's seed-2 100k corpus, placement alone (`scale-bench stories
    /// --join 0.28 --hits 8 --candidates 64 128 256 512`), stories B-cubed F1 / seconds placing:
    /// 64 → 0.8028 / 9.0, **128 → 0.8035 / 10.1**, 256 → 0.8035 / 13.8, 512 → 0.8035 / 19.9
    /// (scoring a candidate reads every one of its terms' document frequencies).
    pub max_candidates: usize,
    /// LSH bands indexed for near-duplicate candidates: the first 16 of the 32 stored band
    /// keys, i.e. 16 bands of 4 rows over the first 64 permutations, threshold
    /// (1/16)^(1/4) = 0.5 — datasketch's setting in the scale bench — at 8 bytes a band in
    /// the index. Rewrites and looser copies reach placement through the keyword index.
    pub lsh_bands: usize,
    /// Least agreement between a report and the candidate whose story it joins: distinctive
    /// keywords the two share (each one of the report's `keywords_per_report` keywords that is
    /// also one of the candidate's), counting each shared LSH band as `min_shared_keywords`.
    /// Cosine alone chained formulaic wire items (a bond issue, a dividend, a money-market
    /// operation: one template, another company) into stories of hundreds of unrelated
    /// events. Chosen on the scale bench generator's seed-2 100k corpus, placement alone
    /// (`scale-bench stories --join 0.28 --hits 0 8 10 12 14`), stories against the
    /// generator's families, B-cubed precision / recall: 0 → 0.415 / 0.992, **8 → 0.676 /
    /// 0.974**, 10 → 0.798 / 0.944, 12 → 0.871 / 0.897, 14 → 0.914 / 0.834. The generator's
    /// families are derivations (copies, rewrites, summaries), which share more keywords than
    /// independent reports of one event: the seeds' two stories (independent and derived
    /// reports of one event, long texts) hold at 8 and fall apart at 10, so 8 is the most
    /// this measure can have without splitting real stories. A share of the keywords rather
    /// than a count might separate the two better (long reports have more distinct terms).
    pub min_join_hits: usize,
    /// Most days between a report and the candidate it joins through, when both are dated: a
    /// story is one event, and an event's reports come out within a day or two; past that, a
    /// report that reads like an earlier one is a follow-up (its thread), not the same event.
    /// Chosen with the three `near_` settings on the stories dev set's tune half
    /// (`storyline eval stories --gap G --near-days D --near-join J --near-hits H`, pairwise
    /// P / R / F1 and B-cubed F1 of events): no gate (before) 0.193 / 0.412 / 0.263, 0.874;
    /// gap 7 0.262 / 0.422 / 0.323, 0.886; gap 3 0.263 / 0.412 / 0.321, 0.888; gap 2 0.282 /
    /// 0.412 / 0.335, 0.896; **gap 1, same day 0.2 and 6 hits 0.358 / 0.578 / 0.442, 0.909**;
    /// gap 1, same day 0.2 and 5 hits 0.307 / 0.676 / 0.422, 0.894; gap 3, same day 0.2 and 4
    /// hits 0.281 / 0.833 / 0.421, 0.861; a same-day bar for reports one day apart (near 1)
    /// lost precision everywhere. Raising `min_join_hits` to 10 does better still on the dev
    /// set (0.448 / 0.549 / 0.493, 0.923) but splits the seeds' undated stories.
    /// A share-of-the-story support test against max-link chaining (join only when related
    /// to half the story's reports) changed nothing measurable (0.30 / 0.83 / 0.45 at every
    /// share tried) and was not kept: the merges left are events of one saga on one day. Nor
    /// was a lead test (a candidate must carry an idf-weighted share of the new report's title
    /// and first two sentences' terms): at 0.7 it keeps 99% of hard pairs apart (B-cubed 0.942)
    /// but recall falls to 0.28 (pairwise F1 0.408), at 0.3 nothing gains (0.425).
    pub max_gap_days: i32,
    /// Reports this close in time (days apart, both dated; 0 = the same day) join on weaker
    /// text evidence (`near_join_threshold`, `near_min_join_hits`): independent reports of
    /// one event share fewer words than a copy does, and nearness in time is evidence of its
    /// own. Undated reports keep the main bar.
    pub near_days: i32,
    pub near_join_threshold: f64,
    pub near_min_join_hits: usize,
    /// Least idf of a lead name ([`crate::analyze::lead_names`]) for it to tell two events
    /// apart: a report is not joined through a candidate when each one's lead names someone
    /// (a company, a person, a place) with at least this idf whom the other report never
    /// mentions. Templated wire items of one day (a bond issue, a rating, an order: another
    /// company each) and two attacks in one country share words but not their actors.
    /// 0 turns the test off. Chosen on the stories dev set's tune half (`storyline eval
    /// stories --names X`, pairwise P / R / F1 and B-cubed F1 of events, with the other
    /// settings as before it): off 0.358 / 0.578 / 0.442, 0.909; 1 0.500 / 0.422 / 0.457,
    /// 0.930; 2 0.491 / 0.510 / 0.500, 0.929; **3 0.505 / 0.539 / 0.521, 0.931**; 4 0.457 /
    /// 0.578 / 0.511, 0.927; 5 0.448 / 0.588 / 0.508, 0.926; 6 0.409 / 0.529 / 0.462, 0.920.
    /// Lowering the same-day bar beside it (0.15–0.2, 4–6 keywords) did not pay. A lower
    /// same-day bar for leads that name one actor (Baker's remarks in several items) was
    /// tried and not kept: 0.547 → 0.554 at best, within what one bundle moves.
    pub name_min_idf: f64,
    /// No refusal for different actors when the two leads also share a distinctive name (one
    /// actor, told with other names around it by another outlet). Off: on the tune half
    /// (`--names X --name-veto true`) the veto does as well as the best without it (3.5
    /// 0.492 / 0.637 / 0.556, 0.927; 4 0.489 / 0.637 / 0.553, 0.924; 4.5 0.558; 5 0.553
    /// against 0.548 without), but it lets one agency's or one minister's different items
    /// merge: on the report half 0.551 against 0.631, and on the scale bench (100k seed 1)
    /// stories B-cubed F1 0.846 against 0.875. Meant against a lead's incidental names (a
    /// place, a byline, boilerplate a page's cleaner left in its first lines) splitting two
    /// reports of one actor; counting only names said twice in their own report was tried
    /// for the same and lost recall (0.520 at 4 with the veto).
    pub name_shared_veto: bool,
    /// Similarity from which the different-actors test ([`PlacementConfig::name_min_idf`]) no
    /// longer refuses two reports whose leads also share a distinctive name: this alike, and
    /// about one actor, they are one story told twice (a press release on two sites, one wire
    /// story under two pages' leftover lines), whatever incidental names each lead adds
    /// ("Business Wire" against "Google Local Search" refused such a copy at similarity 0.71
    /// on the L3S pages read as a user). Items of one template about different companies
    /// share no name in their leads and stay apart. Chosen on the stories dev set's tune half
    /// with the prose lead ([`crate::analyze::lead_names`]; `storyline eval stories
    /// --name-max-sim X`, pairwise P / R / F1 of events): off 0.529 / 0.539 / 0.534; 0.5 0.518
    /// / 0.559 / 0.538; 0.6 0.538 / 0.549 / 0.544; **0.7 0.538 / 0.549 / 0.544**; 0.8 as off.
    /// Of the tie, the higher bar; report half 0.648 (off) → 0.644 (0.6: 0.639).
    pub name_max_similarity: f64,
    /// Most days between the first and the last dated report of a story: max link alone lets
    /// a running saga chain day by day (a meeting's reports over a week, each a day after
    /// the last) into one story, though each day's news is an event of its own. Chosen on the
    /// stories dev set's tune half with `name_min_idf` 3 (`--span D`, as above): 0 0.609 /
    /// 0.412 / 0.491, 0.938; **1 0.556 / 0.539 / 0.547, 0.934**; 2 0.529 / 0.539 / 0.534,
    /// 0.933; 3 0.505 / 0.539 / 0.521, 0.931; none 0.505 / 0.539 / 0.521, 0.931.
    pub max_story_days: i32,
}

impl Default for PlacementConfig {
    fn default() -> Self {
        PlacementConfig {
            join_threshold: 0.28,
            idf_pseudo_docs: 10.0,
            keywords_per_report: 24,
            min_shared_keywords: 2,
            max_postings: 1024,
            max_candidates: 128,
            lsh_bands: 16,
            min_join_hits: 8,
            max_gap_days: 1,
            near_days: 0,
            near_join_threshold: 0.2,
            near_min_join_hits: 6,
            name_min_idf: 3.0,
            name_shared_veto: false,
            name_max_similarity: 0.7,
            max_story_days: 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ThreadConfig {
    /// Least similarity between a new story's first report and a report of an earlier story
    /// among its placement candidates for the new story to join that story's thread (a
    /// follow-up, a reaction, the next step). Chosen on the stories dev set's tune half
    /// (`storyline eval stories --thread T`, pairwise P / R / F1 and B-cubed F1 of threads):
    /// 0.15 (the topic-level bar used before) 0.175 / 0.822 / 0.289, 0.727; 0.25 0.269 /
    /// 0.755 / 0.397, 0.802; **0.35 0.601 / 0.576 / 0.589, 0.873**; 0.45 0.693 / 0.452 /
    /// 0.547, 0.873; 0.6 0.795 / 0.433 / 0.561, 0.879.
    pub min_similarity: f64,
    /// Most stories in a thread: a story whose closest earlier story's thread is full opens
    /// its own. A developing story a reader follows is tens of stories; a recurring wire
    /// series (a daily money-market item) is not one story however alike its items are
    /// (issue "stories on real reporting": a thread of thousands is a defect).
    pub max_stories: usize,
}

impl Default for ThreadConfig {
    fn default() -> Self {
        ThreadConfig {
            min_similarity: 0.35,
            max_stories: 100,
        }
    }
}

impl ThreadConfig {
    /// The earlier story a new story develops, if any: the most similar other story among its
    /// first report's placement candidates, when the similarity reaches `min_similarity`.
    /// Whether the new story joins that story's thread is then a question of room
    /// (`max_stories`), which only the caller's store can answer.
    pub fn develops(&self, placement: &Placement) -> Option<StoryId> {
        if !placement.new_story {
            return None;
        }
        placement
            .other_stories
            .iter()
            .filter(|(s, _)| *s != placement.story)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|(_, similarity)| *similarity >= self.min_similarity)
            .map(|(s, _)| *s)
    }
}

/// Days since 1970-01-01 of a date written `YYYY-MM-DD…` (RFC 3339 and ISO dates, as the
/// readers store them); `None` for anything else.
pub fn day_number(published: &str) -> Option<i32> {
    let b = published.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| published.get(r)?.parse::<i32>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (H. Hinnant's algorithm, proleptic Gregorian).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Which join bar applied to a candidate.
#[derive(Clone, Copy)]
enum Bar {
    /// Both dated, at most `near_days` apart.
    SameDay,
    /// Both dated, further apart (within `max_gap_days`).
    Main,
    /// One of the two has no date.
    Undated,
}

impl Bar {
    /// The least similarity and shared keywords of the bar.
    fn limits(self, cfg: &PlacementConfig) -> (f64, usize) {
        match self {
            Bar::SameDay => (cfg.near_join_threshold, cfg.near_min_join_hits),
            Bar::Main | Bar::Undated => (cfg.join_threshold, cfg.min_join_hits),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Bar::SameDay => "same-day bar",
            Bar::Main => "bar",
            Bar::Undated => "bar for undated reports",
        }
    }
}

/// Why a candidate could not be joined through.
enum Refusal {
    Gap(i32),
    Similarity(Bar),
    Keywords(Bar),
    /// Each lead names someone the other report never mentions: the two names.
    Names(u32, u32),
    /// Joining would stretch the story over this many days.
    Span(i32),
}

struct Entry {
    id: ReportId,
    story: StoryId,
    /// Publication day ([`day_number`]), when known.
    day: Option<i32>,
    /// (term id, 1 + ln tf), sorted by term id.
    terms: Vec<(u32, f32)>,
    /// Term ids of its lead names, sorted.
    names: Vec<u32>,
}

/// Where a report landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub story: StoryId,
    pub new_story: bool,
    /// Max-link similarity to the chosen story (0 for a new story).
    pub score: f64,
    /// Reports of the chosen story among the candidates, most similar first.
    pub neighbours: Vec<(ReportId, f64)>,
    /// How many candidates the indexes returned.
    pub candidates: usize,
    /// Other stories among the candidates, each with its best similarity to the report, in
    /// story order: what threads stories of one developing topic together.
    pub other_stories: Vec<(StoryId, f64)>,
    /// Why the report joined its story (or opened one), and why its closest other candidate
    /// story was refused, in words (`show REPORT`).
    pub evidence: Vec<String>,
}

/// The in-memory placement index. Rebuilt from the store on open with [`StoryIndex::restore`].
pub struct StoryIndex {
    cfg: PlacementConfig,
    vocab: HashMap<String, u32>,
    /// Each term id's term, for evidence in words.
    words: Vec<Box<str>>,
    df: Vec<u32>,
    entries: Vec<Entry>,
    by_id: HashMap<ReportId, u32>,
    postings: HashMap<u32, VecDeque<u32>>,
    lsh: BandIndex,
    next_story: u64,
    /// Each story's first and last publication day, of its dated reports.
    story_days: HashMap<StoryId, (i32, i32)>,
    /// Background documents counted into `df` but not placed.
    background: usize,
    /// Per term: `ln(df + 1)`, kept with `df` (idf is then one subtraction, not a logarithm
    /// per term per candidate, which was most of placement's time at 100k reports), and the
    /// weight of the term in the query being placed (0 when absent), side by side so that
    /// scoring a candidate reads one slot per term.
    term_state: Vec<(f64, f64)>,
    /// Scratch for counting candidates' shared keywords, one slot per entry.
    hits: Vec<u16>,
    touched: Vec<u32>,
}

impl StoryIndex {
    pub fn new(cfg: PlacementConfig) -> StoryIndex {
        StoryIndex {
            cfg,
            vocab: HashMap::default(),
            words: Vec::new(),
            df: Vec::new(),
            entries: Vec::new(),
            by_id: HashMap::default(),
            postings: HashMap::default(),
            lsh: BandIndex::new(),
            next_story: 1,
            story_days: HashMap::default(),
            background: 0,
            term_state: Vec::new(),
            hits: Vec::new(),
            touched: Vec::new(),
        }
    }

    pub fn config(&self) -> &PlacementConfig {
        &self.cfg
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, id: &ReportId) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn story_of(&self, id: &ReportId) -> Option<StoryId> {
        self.by_id.get(id).map(|&i| self.entries[i as usize].story)
    }

    fn indexed_bands<'a>(&self, bands: &'a [u64]) -> &'a [u64] {
        &bands[..bands.len().min(self.cfg.lsh_bands)]
    }

    /// `ln(N + N0)` for [`StoryIndex::idf`] over `n` documents.
    fn ln_n(&self, n: f64) -> f64 {
        (n + self.cfg.idf_pseudo_docs).ln()
    }

    fn idf(&self, term: u32, ln_n: f64) -> f64 {
        let ln_df = self.term_state.get(term as usize).map_or(0.0, |s| s.0);
        (ln_n - ln_df).max(0.0)
    }

    /// Counts one more document holding `term`.
    fn count_df(&mut self, term: u32) {
        let df = &mut self.df[term as usize];
        *df += 1;
        self.term_state[term as usize].0 = (*df as f64 + 1.0).ln();
    }

    fn intern(&mut self, terms: &[(String, u32)]) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = terms
            .iter()
            .map(|(t, c)| {
                // Look up before inserting: most terms are known, and `entry` would copy the
                // string for every one of them.
                let id = match self.vocab.get(t.as_str()) {
                    Some(&id) => id,
                    None => {
                        let next = self.vocab.len() as u32;
                        self.vocab.insert(t.clone(), next);
                        self.words.push(t.as_str().into());
                        next
                    }
                };
                if id as usize >= self.df.len() {
                    self.df.push(0);
                    self.term_state.push((0.0, 0.0));
                }
                (id, 1.0 + (*c as f32).ln())
            })
            .collect();
        out.sort_unstable_by_key(|&(id, _)| id);
        out
    }

    fn weights(&self, terms: &[(u32, f32)], n: f64) -> (Vec<(u32, f64)>, f64) {
        let ln_n = self.ln_n(n);
        let w: Vec<(u32, f64)> = terms
            .iter()
            .map(|&(t, tf)| (t, tf as f64 * self.idf(t, ln_n)))
            .collect();
        let norm = w.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
        (w, norm)
    }

    /// Cosine of the query held in `self.query` (weights by term, norm `an`) with a stored
    /// entry's terms, weighted on the fly: no vector per candidate, no merge branches.
    fn cosine_with(&self, an: f64, b: &[(u32, f32)], ln_n: f64) -> f64 {
        let (mut dot, mut bn) = (0.0, 0.0);
        for &(t, tf) in b {
            let (ln_df, q) = self.term_state[t as usize];
            let x = tf as f64 * (ln_n - ln_df).max(0.0);
            bn += x * x;
            dot += q * x;
        }
        if an == 0.0 || bn == 0.0 {
            return 0.0;
        }
        dot / (an * bn.sqrt())
    }

    /// Puts a query's weights into `term_state` for [`StoryIndex::cosine_with`].
    fn set_query(&mut self, w: &[(u32, f64)]) {
        for &(t, x) in w {
            self.term_state[t as usize].1 = x;
        }
    }

    fn clear_query(&mut self, w: &[(u32, f64)]) {
        for &(t, _) in w {
            self.term_state[t as usize].1 = 0.0;
        }
    }

    fn cosine(a: &[(u32, f64)], an: f64, b: &[(u32, f64)], bn: f64) -> f64 {
        if an == 0.0 || bn == 0.0 {
            return 0.0;
        }
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot / (an * bn)
    }

    /// Similarity of two analysed reports under the index's current idf (for evaluation).
    pub fn similarity(&mut self, a: &[(String, u32)], b: &[(String, u32)]) -> f64 {
        let n = (self.entries.len() + self.background) as f64;
        let (ta, tb) = (self.intern(a), self.intern(b));
        let (wa, na) = self.weights(&ta, n);
        let (wb, nb) = self.weights(&tb, n);
        Self::cosine(&wa, na, &wb, nb)
    }

    /// Counts a document's terms into the document frequencies without placing it: a
    /// background corpus for idf.
    pub fn add_background(&mut self, terms: &[(String, u32)]) {
        let t = self.intern(terms);
        for (id, _) in t {
            self.count_df(id);
        }
        self.background += 1;
    }

    /// Places a new report: scores the candidates from the indexes, joins the story of the
    /// most similar candidate that reaches the threshold and shares enough keywords, else
    /// opens a story; then indexes it.
    pub fn place(&mut self, report: &AnalyzedReport) -> Placement {
        let terms = self.intern(&report.term_counts);
        for &(id, _) in &terms {
            self.count_df(id);
        }
        let n = (self.entries.len() + self.background + 1) as f64;
        let (w, norm) = self.weights(&terms, n);
        let keywords = self.keywords(&w);
        let names = self.name_ids(&report.lead_names);

        // Candidates: keyword overlap counts, LSH hits, counted in a slot per entry.
        self.hits.resize(self.entries.len(), 0);
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        for k in &keywords {
            if let Some(list) = self.postings.get(k) {
                for &e in list {
                    let h = &mut self.hits[e as usize];
                    if *h == 0 {
                        touched.push(e);
                    }
                    *h += 1;
                }
            }
        }
        let mut lsh_hits: Vec<u32> = Vec::new();
        // One hit per shared band: reports sharing more bands rank higher.
        self.lsh
            .query(self.indexed_bands(&report.band_keys), &mut lsh_hits);
        for &e in &lsh_hits {
            let h = &mut self.hits[e as usize];
            if *h == 0 {
                touched.push(e);
            }
            *h += self.cfg.min_shared_keywords as u16;
        }
        let shared: Vec<(u32, usize)> = touched
            .iter()
            .map(|&e| (e, std::mem::take(&mut self.hits[e as usize]) as usize))
            .collect();
        self.touched = touched;
        let cands = self.top_candidates(shared);
        let candidates = cands.len();

        let ln_n = self.ln_n(n);
        self.set_query(&w);
        let mut scored: Vec<(u32, f64, usize)> = cands
            .iter()
            .map(|&(e, hits)| {
                let terms = &self.entries[e as usize].terms;
                (e, self.cosine_with(norm, terms, ln_n), hits)
            })
            .collect();
        self.clear_query(&w);
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

        let day = report.published.as_deref().and_then(day_number);
        let lowest = self.cfg.join_threshold.min(self.cfg.near_join_threshold);
        let gap_of = |e: u32| match (day, self.entries[e as usize].day) {
            (Some(a), Some(b)) => Some((a - b).abs()),
            _ => None,
        };
        // Whether a candidate may be joined through: the bar it cleared, or why not. Kept free
        // of allocation (it runs on every candidate down to the first that passes); words are
        // made only for the evidence below.
        let verdict = |c: &(u32, f64, usize)| -> Result<Bar, Refusal> {
            let gap = gap_of(c.0);
            let bar = match gap {
                Some(g) if g > self.cfg.max_gap_days => return Err(Refusal::Gap(g)),
                Some(g) if g <= self.cfg.near_days => Bar::SameDay,
                Some(_) => Bar::Main,
                None => Bar::Undated,
            };
            let (threshold, hits) = bar.limits(&self.cfg);
            let span = day
                .zip(self.story_days.get(&self.entries[c.0 as usize].story))
                .map(|(d, &(first, last))| last.max(d) - first.min(d));
            if let Some(span) = span.filter(|&s| s > self.cfg.max_story_days) {
                return Err(Refusal::Span(span));
            }
            if c.1 < threshold {
                Err(Refusal::Similarity(bar))
            } else if c.2 < hits {
                Err(Refusal::Keywords(bar))
            } else if let Some((a, b)) = Self::disagreeing_names(
                &self.cfg,
                &self.term_state,
                &names,
                &terms,
                &self.entries[c.0 as usize],
                ln_n,
                c.1,
            ) {
                Err(Refusal::Names(a, b))
            } else {
                Ok(bar)
            }
        };
        let best = scored
            .iter()
            .take_while(|c| c.1 >= lowest)
            .find(|c| verdict(c).is_ok())
            .copied();
        let (story, new_story, score) = match best {
            Some((e, s, _)) => (self.entries[e as usize].story, false, s),
            _ => {
                let s = StoryId(self.next_story);
                self.next_story += 1;
                (s, true, 0.0)
            }
        };
        let mut evidence = Vec::new();
        match best {
            Some(c) => {
                let bar = verdict(&c).unwrap_or(Bar::Main);
                let (threshold, hits) = bar.limits(&self.cfg);
                let when = match gap_of(c.0) {
                    Some(0) => ", published the same day".to_string(),
                    Some(g) => {
                        format!(", published {g} day{} apart", if g == 1 { "" } else { "s" })
                    }
                    None => String::new(),
                };
                evidence.push(format!(
                    "joined {story} through {}: similarity {:.2} ≥ {threshold:.2} and {} of {} keywords shared ≥ {hits} ({}){when}",
                    self.entries[c.0 as usize].id,
                    c.1,
                    c.2,
                    self.cfg.keywords_per_report,
                    bar.name()
                ));
            }
            None if candidates == 0 => evidence.push(format!(
                "opened {story}: no earlier report shares enough of its keywords to be a candidate"
            )),
            None => evidence.push(format!(
                "opened {story}: none of {candidates} candidate report{} cleared the bar",
                if candidates == 1 { "" } else { "s" }
            )),
        }
        // The closest candidate of another story, and why it was not the one.
        if let Some(c) = scored
            .iter()
            .find(|c| self.entries[c.0 as usize].story != story)
        {
            let other = self.entries[c.0 as usize].story;
            let why = match verdict(c) {
                Err(Refusal::Gap(g)) => format!(
                    "published {g} days apart (at most {})",
                    self.cfg.max_gap_days
                ),
                Err(Refusal::Similarity(bar)) => format!(
                    "similarity {:.2} under the {} {:.2}",
                    c.1,
                    bar.name(),
                    bar.limits(&self.cfg).0
                ),
                Err(Refusal::Keywords(bar)) => format!(
                    "shares {} of its {} keywords, under the {}'s {}",
                    c.2,
                    self.cfg.keywords_per_report,
                    bar.name(),
                    bar.limits(&self.cfg).1
                ),
                Err(Refusal::Span(days)) => format!(
                    "joining would stretch {other} over {days} days (at most {})",
                    self.cfg.max_story_days
                ),
                Err(Refusal::Names(a, b)) => format!(
                    "its lead names \"{}\", which {} never mentions, and that report's lead names \"{}\", which this one never mentions (different actors)",
                    self.words[a as usize], self.entries[c.0 as usize].id, self.words[b as usize]
                ),
                Ok(_) => format!("{story} scored higher ({score:.2} > {:.2})", c.1),
            };
            evidence.push(format!(
                "closest other story {other} (through {}, similarity {:.2}) refused: {why}",
                self.entries[c.0 as usize].id, c.1
            ));
        }
        let neighbours = scored
            .iter()
            .filter(|(e, _, _)| self.entries[*e as usize].story == story)
            .map(|(e, s, _)| (self.entries[*e as usize].id.clone(), *s))
            .collect();
        let mut other_stories: Vec<(StoryId, f64)> = Vec::new();
        for &(e, sim, _) in &scored {
            let s = self.entries[e as usize].story;
            // `scored` is best first: the first time a story is seen is its best score. An
            // item that is a table under its headline resembles the others of its template
            // (a dividend after another company's dividend): for it, another item whose lead
            // names other actors tells another story, not a development of it.
            if s != story
                && !other_stories.iter().any(|&(o, _)| o == s)
                && !(report.lead_from_headline
                    && Self::disagreeing_names(
                        &self.cfg,
                        &self.term_state,
                        &names,
                        &terms,
                        &self.entries[e as usize],
                        ln_n,
                        sim,
                    )
                    .is_some())
            {
                other_stories.push((s, sim));
            }
        }
        other_stories.sort_by_key(|&(s, _)| s);
        let entry = Entry {
            id: report.id.clone(),
            story,
            day,
            terms,
            names,
        };
        self.push(entry, &keywords, &report.band_keys);
        Placement {
            story,
            new_story,
            score,
            neighbours,
            candidates,
            other_stories,
            evidence,
        }
    }

    /// Candidates sharing enough keywords, most shared first, then oldest first (deterministic
    /// whatever the hash order), at most `max_candidates`.
    fn top_candidates(&self, shared: impl IntoIterator<Item = (u32, usize)>) -> Vec<(u32, usize)> {
        let mut cands: Vec<(u32, usize)> = shared
            .into_iter()
            .filter(|&(_, c)| c >= self.cfg.min_shared_keywords)
            .collect();
        let order = |a: &(u32, usize), b: &(u32, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        // The order is total, so selecting the first `max_candidates` and sorting only them
        // gives what sorting all would (thousands of keyword hits per report at 100k).
        if cands.len() > self.cfg.max_candidates && self.cfg.max_candidates > 0 {
            cands.select_nth_unstable_by(self.cfg.max_candidates - 1, order);
        }
        cands.truncate(self.cfg.max_candidates);
        cands.sort_unstable_by(order);
        cands
    }

    /// The report's most distinctive terms by weight (ties by term id).
    fn keywords(&self, w: &[(u32, f64)]) -> Vec<u32> {
        let mut by_weight: Vec<(u32, f64)> = w.to_vec();
        by_weight.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        by_weight.truncate(self.cfg.keywords_per_report);
        by_weight.into_iter().map(|(t, _)| t).collect()
    }

    /// Term ids of a report's lead names (each is one of its own terms, so already interned),
    /// sorted.
    fn name_ids(&self, names: &[String]) -> Vec<u32> {
        let mut ids: Vec<u32> = names
            .iter()
            .filter_map(|n| self.vocab.get(n.as_str()).copied())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// A lead name of each side with at least `name_min_idf` that the other report never
    /// mentions, if both have one: evidence of two events with different actors.
    /// (A function of the parts it reads, not of the index, so that placement's verdict can
    /// call it while it holds other fields.)
    fn disagreeing_names(
        cfg: &PlacementConfig,
        term_state: &[(f64, f64)],
        names: &[u32],
        terms: &[(u32, f32)],
        other: &Entry,
        ln_n: f64,
        similarity: f64,
    ) -> Option<(u32, u32)> {
        let min = cfg.name_min_idf;
        if min <= 0.0 {
            return None;
        }
        let distinctive = |t: u32| (ln_n - term_state[t as usize].0).max(0.0) >= min;
        if (cfg.name_shared_veto || similarity >= cfg.name_max_similarity)
            && names
                .iter()
                .any(|&t| distinctive(t) && other.names.binary_search(&t).is_ok())
        {
            return None;
        }
        let unknown_to = |t: u32, terms: &[(u32, f32)]| {
            distinctive(t) && terms.binary_search_by_key(&t, |x| x.0).is_err()
        };
        let a = names
            .iter()
            .copied()
            .find(|&t| unknown_to(t, &other.terms))?;
        let b = other
            .names
            .iter()
            .copied()
            .find(|&t| unknown_to(t, terms))?;
        Some((a, b))
    }

    fn push(&mut self, entry: Entry, keywords: &[u32], bands: &[u64]) {
        let e = self.entries.len() as u32;
        if let Some(d) = entry.day {
            let days = self.story_days.entry(entry.story).or_insert((d, d));
            *days = (days.0.min(d), days.1.max(d));
        }
        for &k in keywords {
            let list = self.postings.entry(k).or_default();
            list.push_back(e);
            if list.len() > self.cfg.max_postings {
                list.pop_front();
            }
        }
        let indexed = self.indexed_bands(bands);
        self.lsh.insert(e, indexed);
        self.by_id.insert(entry.id.clone(), e);
        self.entries.push(entry);
    }

    /// Re-adds a stored report to a reopened index, in its original order, without placing it.
    pub fn restore(
        &mut self,
        id: ReportId,
        story: StoryId,
        published: Option<&str>,
        term_counts: &[(String, u32)],
        lead_names: &[String],
        bands: &[u64],
    ) {
        let terms = self.intern(term_counts);
        let names = self.name_ids(lead_names);
        for &(t, _) in &terms {
            self.count_df(t);
        }
        let n = (self.entries.len() + self.background + 1) as f64;
        let (w, _) = self.weights(&terms, n);
        let keywords = self.keywords(&w);
        self.next_story = self.next_story.max(story.0 + 1);
        let entry = Entry {
            id,
            story,
            day: published.and_then(day_number),
            terms,
            names,
        };
        self.push(entry, &keywords, bands);
    }

    /// An estimate of the heap the index holds, from its containers' capacities (hash tables
    /// counted at their bucket size plus one control byte): what the scale bench reports as
    /// bytes per report.
    pub fn memory(&self) -> IndexMemory {
        use std::mem::size_of;
        let table = |entries: usize, entry: usize| entries * (entry + 1);
        let vocab = table(self.vocab.capacity(), size_of::<(String, u32)>())
            + self.vocab.keys().map(String::capacity).sum::<usize>()
            + self.words.capacity() * size_of::<Box<str>>()
            + self.words.iter().map(|w| w.len()).sum::<usize>()
            + self.df.capacity() * size_of::<u32>()
            + self.term_state.capacity() * size_of::<(f64, f64)>();
        let entries = self.entries.capacity() * size_of::<Entry>()
            + self
                .entries
                .iter()
                .map(|e| e.id.0.capacity() + e.terms.capacity() * size_of::<(u32, f32)>())
                .sum::<usize>();
        let by_id = table(self.by_id.capacity(), size_of::<(ReportId, u32)>())
            + self.by_id.keys().map(|k| k.0.capacity()).sum::<usize>();
        let postings = table(self.postings.capacity(), size_of::<(u32, VecDeque<u32>)>())
            + self
                .postings
                .values()
                .map(|p| p.capacity() * size_of::<u32>())
                .sum::<usize>()
            + self.hits.capacity() * size_of::<u16>()
            + self.touched.capacity() * size_of::<u32>();
        let lsh = self.lsh.heap_bytes();
        IndexMemory {
            reports: self.entries.len(),
            total: vocab + entries + by_id + postings + lsh,
            fingerprints: lsh,
        }
    }
}

/// Heap held by a [`StoryIndex`], in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexMemory {
    pub reports: usize,
    /// Everything: vocabulary, term vectors, keyword postings, LSH buckets, id map.
    pub total: usize,
    /// The MinHash LSH buckets alone (the near-duplicate index).
    pub fingerprints: usize,
}
