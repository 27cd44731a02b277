//! The store: reports, stories, pair alignments and lineage, behind the [`Store`] trait. The
//! embedded default is one SQLite file ([`SqliteStore`]); [`PgStore`] keeps the same on a
//! PostgreSQL database shared by several workers and servers, with the work queue they share
//! ([`queue`]). [`AnyStore`] is whichever `--db` names. Schema changes are numbered migrations
//! applied on open (`PRAGMA user_version` in SQLite, `storyline_schema` in PostgreSQL).
//!
//! Architecture invariant: the only crate that speaks SQL. It knows the model's types and the
//! stories crate's evidence types, not how they are computed.

mod alerts;
mod any;
mod codec;
mod postgres;
pub mod queue;
mod sqlite;
mod temp_db;

use storyline_model::{LineageEdge, Report, ReportId, Role, StoryId};
use storyline_stories::align::SentenceMatch;
use storyline_stories::lineage::{MemberFeatures, PairEvidence, StoryLineage};
use thiserror::Error;

pub use alerts::{
    AlertEvent, CoverageEdge, CoverageReport, Delivery, DeliveryOutcome, NewArrival, OutboxCounts,
    Subscription, SubscriptionKind,
};
pub use any::{AnyStore, display_db};
pub use codec::parse_matches;
pub use postgres::{LockTimes, PG_SCHEMA_VERSION, PLACEMENT_LOCK, PgStore, is_postgres_url};
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
pub use temp_db::{TEST_SERVER_VAR, TempDatabase};

#[derive(Debug, Error)]
pub enum StoreError {
    /// The file is not a Storyline store, or is newer than this program.
    #[error("{path}: {message}")]
    Incompatible { path: String, message: String },
    /// Another process holds the write lock for longer than the busy timeout.
    #[error(
        "the store is busy: another storyline process is writing to it; try again when it has finished"
    )]
    Busy,
    #[error("store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL error: {0}")]
    Postgres(String),
    #[error("store data is corrupt: {0}")]
    Corrupt(String),
}

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        StoreError::Postgres(postgres::pg_message(&e))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What the store keeps of a report beyond its text: the analysis placement needs on reopen.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub report: &'a Report,
    /// The title to list the report under: its own, else its first sentence, shortened.
    pub display_title: &'a str,
    pub content_hash: u64,
    pub story: StoryId,
    pub placement_score: f64,
    /// Why the report joined its story (or opened it), and why the closest other story was
    /// refused.
    pub placement_evidence: &'a [String],
    pub features: &'a MemberFeatures,
    pub marker_evidence: &'a [String],
    pub term_counts: &'a [(String, u32)],
    /// The names its lead gives, for placement (`AnalyzedReport::lead_names`).
    pub lead_names: &'a [String],
    pub band_keys: &'a [u64],
    /// Its outlet (`storyline_stories::outlet`), `None` when nothing names it.
    pub outlet: Option<&'a str>,
    /// When this store first saw it (RFC 3339, UTC; one time per ingest batch).
    pub first_seen: &'a str,
}

/// One pair alignment with its sentence links.
#[derive(Debug, Clone)]
pub struct PairRecord {
    pub story: StoryId,
    pub evidence: PairEvidence,
    pub a_in_b: Vec<SentenceMatch>,
    pub b_in_a: Vec<SentenceMatch>,
}

/// A report as listed in a story.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSummary {
    pub id: ReportId,
    pub title: Option<String>,
    pub display_title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub role: Role,
    pub role_evidence: Vec<String>,
    pub placement_score: f64,
    /// Why the report joined its story (empty for reports stored before schema 5).
    pub placement_evidence: Vec<String>,
    /// Its outlet (its source for reports stored before schema 8).
    pub outlet: Option<String>,
    /// When the store first saw it (none for reports stored before schema 8).
    pub first_seen: Option<String>,
}

/// A story with its reports and lineage.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRecord {
    pub id: StoryId,
    pub title: String,
    /// The story's thread: the first story of the developing story it belongs to (its own id
    /// when it is alone).
    pub thread: StoryId,
    pub reports: Vec<ReportSummary>,
    pub lineage: Vec<LineageEdge>,
}

/// How the story list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StorySort {
    /// Most recently opened first.
    #[default]
    Newest,
    /// Most reports first.
    Size,
    /// Latest publication first (undated stories last).
    Date,
}

/// Which stories the story list shows, and how.
#[derive(Debug, Clone, Default)]
pub struct StoryListQuery {
    /// Only stories with a report whose title or text contains this (ASCII case ignored).
    pub text: Option<String>,
    /// Only stories with a report from this outlet (its `outlet`, exactly).
    pub outlet: Option<String>,
    /// Only stories of at least this many reports (2 folds one-report stories away).
    pub min_reports: u64,
    pub sort: StorySort,
    pub offset: u64,
    pub limit: u64,
}

/// A line of the story list.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    pub id: StoryId,
    pub title: String,
    pub thread: StoryId,
    pub reports: u64,
    /// Earliest and latest publication time of its dated reports.
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Its reports' outlets, each once.
    pub outlets: Vec<String>,
}

/// A page of the story list: its rows, how many stories match, and how many matching stories
/// the `min_reports` bar folded away.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryPage {
    pub rows: Vec<StoryRow>,
    pub total: u64,
    pub folded: u64,
}

/// A thread of two stories or more, as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadSummary {
    /// The thread's first story (shown `T` and its number).
    pub id: StoryId,
    pub title: String,
    pub stories: u64,
    pub reports: u64,
}

/// What deciding a story's lineage reads from the store.
#[derive(Debug, Clone, Default)]
pub struct LineageInputs {
    pub members: Vec<MemberFeatures>,
    pub pairs: Vec<PairEvidence>,
}

/// A stored report row for the placement index.
#[derive(Debug, Clone)]
pub struct IndexRow {
    /// The report's ingest sequence number.
    pub seq: u64,
    pub id: ReportId,
    pub story: StoryId,
    pub term_counts: Vec<(String, u32)>,
    pub band_keys: Vec<u64>,
    /// When the report was published, as stored (placement reads its day).
    pub published: Option<String>,
    /// The names its lead gives (none for reports stored before schema 6).
    pub lead_names: Vec<String>,
}

/// Storyline's persistence. Writes happen between [`Store::begin`] and [`Store::commit`]; a
/// batch that is not committed leaves the store as it was.
pub trait Store {
    fn begin(&mut self) -> Result<()>;
    fn commit(&mut self) -> Result<()>;
    fn rollback(&mut self) -> Result<()>;

    /// The content hash of a stored report, if the id is taken.
    fn report_hash(&self, id: &ReportId) -> Result<Option<u64>>;
    /// [`Store::report_hash`] of several ids, in their order (one query on PostgreSQL).
    fn report_hashes(&self, ids: &[&ReportId]) -> Result<Vec<Option<u64>>> {
        ids.iter().map(|id| self.report_hash(id)).collect()
    }
    /// Stores a new report; returns its ingest sequence number.
    fn insert_report(&mut self, new: &NewReport<'_>) -> Result<u64>;
    fn put_pair(&mut self, pair: &PairRecord) -> Result<()>;
    /// Stores a batch's pair alignments (one statement on PostgreSQL, not one per pair).
    fn put_pairs(&mut self, pairs: &[PairRecord]) -> Result<()> {
        pairs.iter().try_for_each(|p| self.put_pair(p))
    }
    fn story_members(&self, story: StoryId) -> Result<Vec<MemberFeatures>>;
    fn story_pairs(&self, story: StoryId) -> Result<Vec<PairEvidence>>;
    /// Replaces a story's lineage edges and its members' roles, and refreshes its title.
    /// Only what changed is written.
    fn replace_lineage(&mut self, story: StoryId, lineage: &StoryLineage) -> Result<()>;
    /// Puts a story in a thread (a thread is named by its first story; a new story is its
    /// own thread until this is called).
    fn set_thread(&mut self, story: StoryId, thread: StoryId) -> Result<()>;
    /// The thread of a story, `None` when the story does not exist.
    fn thread_of(&self, story: StoryId) -> Result<Option<StoryId>>;
    /// The stories of a thread, in creation order (empty when no story has that thread).
    fn thread_stories(&self, thread: StoryId) -> Result<Vec<StoryId>>;
    /// Threads of two stories or more whose id is above `after`, skipping `offset` of them,
    /// at most `limit`, in order (page through them with the last id seen).
    fn threads_after(
        &self,
        after: StoryId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ThreadSummary>>;
    /// How many threads hold two stories or more.
    fn thread_count(&self) -> Result<u64>;
    /// Marks a story's lineage as out of date (in the current batch's transaction).
    fn mark_lineage_pending(&mut self, story: StoryId) -> Result<()>;
    /// Stories whose lineage is out of date, in story order.
    fn lineage_pending(&self) -> Result<Vec<StoryId>>;
    /// Clears a story's mark once its lineage has been decided again.
    fn clear_lineage_pending(&mut self, story: StoryId) -> Result<()>;
    /// [`Store::mark_lineage_pending`] for several stories at once.
    fn mark_lineages_pending(&mut self, stories: &[StoryId]) -> Result<()> {
        stories
            .iter()
            .try_for_each(|s| self.mark_lineage_pending(*s))
    }
    /// What deciding each story's lineage reads: its members and its pairs' evidence, in the
    /// order of `stories` (read together: a query per story costs a round trip each on
    /// PostgreSQL).
    fn lineage_inputs(&self, stories: &[StoryId]) -> Result<Vec<LineageInputs>> {
        stories
            .iter()
            .map(|s| {
                Ok(LineageInputs {
                    members: self.story_members(*s)?,
                    pairs: self.story_pairs(*s)?,
                })
            })
            .collect()
    }
    /// [`Store::replace_lineage`] for several stories, then clears their marks.
    fn settle_lineages(&mut self, lineages: &[(StoryId, StoryLineage)]) -> Result<()> {
        for (story, lineage) in lineages {
            self.replace_lineage(*story, lineage)?;
            self.clear_lineage_pending(*story)?;
        }
        Ok(())
    }

    /// The index row of every stored report with a sequence number above `after_seq`, in
    /// ingest order (`0` for all of them).
    fn index_rows(&self, after_seq: u64, each: &mut dyn FnMut(IndexRow)) -> Result<()>;
    /// The highest ingest sequence number stored (0 for an empty store).
    fn last_seq(&self) -> Result<u64>;
    fn report(&self, id: &ReportId) -> Result<Option<(Report, StoryId, u64)>>;
    /// Story ids above `after`, at most `limit`, in creation order: listings page through
    /// the store with the last id seen, so their memory does not grow with the store.
    fn story_ids_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryId>>;
    /// The stories above `after`, at most `limit`, in creation order, with their reports and
    /// lineage: a listing's page read at once.
    fn stories_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryRecord>> {
        let mut out = Vec::new();
        for id in self.story_ids_after(after, limit)? {
            out.extend(self.story(id)?);
        }
        Ok(out)
    }
    /// Every story, loaded at once: for tests and small stores (listings page instead).
    fn stories(&self) -> Result<Vec<StoryRecord>> {
        let mut out = Vec::new();
        loop {
            let page =
                self.stories_after(out.last().map_or(StoryId(0), |s: &StoryRecord| s.id), 1024)?;
            if page.is_empty() {
                return Ok(out);
            }
            out.extend(page);
        }
    }
    fn story(&self, id: StoryId) -> Result<Option<StoryRecord>>;
    fn counts(&self) -> Result<(u64, u64)>;
    /// Every story's id, in creation order (cheaper than [`Store::stories`] for paging).
    fn story_ids(&self) -> Result<Vec<StoryId>>;
    /// Stories with a report whose title or text contains `query` (ASCII case ignored), in
    /// creation order.
    fn search_stories(&self, query: &str) -> Result<Vec<StoryId>>;
    /// A page of the story list: sizes, dates and outlets, filtered, sorted and folded as
    /// asked, counted in the store (no story is loaded whole).
    fn story_page(&self, q: &StoryListQuery) -> Result<StoryPage>;
    /// The stored sentence links of a pair, oriented as asked: `(a's sentences found in b,
    /// b's sentences found in a)`, each [`SentenceMatch`] with `derived` indexing the first
    /// report named. `None` when the pair was never aligned.
    fn pair_matches(
        &self,
        a: &ReportId,
        b: &ReportId,
    ) -> Result<Option<(Vec<SentenceMatch>, Vec<SentenceMatch>)>>;
    /// For each (site, line hash), how many stored reports of the site carried the line.
    fn site_line_counts(&self, lines: &[(&str, u64)]) -> Result<Vec<u32>>;
    /// Counts `n` more reports of the site carrying the line, for each (site, line hash, n)
    /// (each key once).
    fn add_site_lines(&mut self, lines: &[(&str, u64, u32)]) -> Result<()>;
    /// The validators of a followed feed's last successful fetch.
    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>>;
    /// Whether the follower `poller` should poll the feed `url` now. A store one process
    /// writes says yes; a store several followers share (PostgreSQL) says yes to the first of
    /// them to ask in each `interval`, so each feed is polled once per interval.
    fn claim_feed_poll(
        &mut self,
        url: &str,
        interval: std::time::Duration,
        poller: &str,
    ) -> Result<bool> {
        let _ = (url, interval, poller);
        Ok(true)
    }
    /// Remembers a followed feed's validators (outside a batch: written at once).
    fn set_feed_validators(&mut self, url: &str, v: &FeedValidators) -> Result<()>;

    /// Every report and every lineage edge, as outlet profiles read them (two scans).
    fn coverage(
        &self,
        each_report: &mut dyn FnMut(CoverageReport),
        each_edge: &mut dyn FnMut(CoverageEdge),
    ) -> Result<()>;
    /// Reports stored after `after_seq`, at most `limit`, in ingest order.
    fn arrivals_after(&self, after_seq: u64, limit: usize) -> Result<Vec<NewArrival>>;

    /// Keeps a new subscription (outside a batch: written at once).
    fn add_subscription(&mut self, s: &Subscription) -> Result<()>;
    /// Every subscription, oldest first.
    fn subscriptions(&self) -> Result<Vec<Subscription>>;
    /// Removes a subscription with its events and deliveries; false when there is none.
    fn remove_subscription(&mut self, id: &str) -> Result<bool>;
    /// In one transaction: keeps the events not kept before (by id), queues a webhook delivery
    /// of each new one due at `now_ms` when the subscription has a webhook, and moves the
    /// subscription's cursor to `cursor_seq`. Returns how many events were new.
    fn record_alerts(
        &mut self,
        subscription: &str,
        cursor_seq: u64,
        events: &[AlertEvent],
        now_ms: i64,
    ) -> Result<usize>;
    /// A subscription's events, newest first, at most `limit`.
    fn alert_events(&self, subscription: &str, limit: usize) -> Result<Vec<AlertEvent>>;
    /// Deliveries due at `now_ms` (not delivered, not given up), oldest first, at most `limit`.
    fn due_deliveries(&self, now_ms: i64, limit: usize) -> Result<Vec<Delivery>>;
    /// When the next delivery is due (ms since the epoch), if any is waiting.
    fn next_delivery_due(&self) -> Result<Option<i64>>;
    /// Records how a delivery attempt of `event` went (outside a batch: written at once).
    fn record_delivery(&mut self, event: &str, outcome: &DeliveryOutcome) -> Result<()>;
    /// A subscription's deliveries by state.
    fn outbox_counts(&self, subscription: &str) -> Result<OutboxCounts>;
}

/// What a server said about a feed's version, for a conditional GET next time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedValidators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}
