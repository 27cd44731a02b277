//! [`AnyStore`]: the store `--db` names, a SQLite file or a PostgreSQL URL, behind one type so
//! the CLI and the server need no generics for it.

use std::path::Path;

use storyline_model::{Report, ReportId, StoryId};
use storyline_stories::align::SentenceMatch;
use storyline_stories::lineage::{MemberFeatures, PairEvidence, StoryLineage};

use crate::{
    AlertEvent, CoverageEdge, CoverageReport, Delivery, DeliveryOutcome, FeedValidators, IndexRow,
    LineageInputs, NewArrival, NewReport, OutboxCounts, PairRecord, PgStore, Result, SqliteStore,
    Store, StoryListQuery, StoryPage, StoryRecord, Subscription, ThreadSummary, is_postgres_url,
};

pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(Box<PgStore>),
}

/// How `--db` is shown in messages: a PostgreSQL URL without its password, else the path.
pub fn display_db(db: &Path) -> String {
    match db.to_str().filter(|s| is_postgres_url(s)) {
        Some(url) => crate::postgres::display_url(url),
        None => db.display().to_string(),
    }
}

impl AnyStore {
    /// Opens the store `db` names (a `postgres://` or `postgresql://` URL, else a file path),
    /// creating it or applying pending migrations.
    pub fn open(db: &Path) -> Result<AnyStore> {
        match db.to_str().filter(|s| is_postgres_url(s)) {
            Some(url) => Ok(AnyStore::Postgres(Box::new(PgStore::open(url)?))),
            None => Ok(AnyStore::Sqlite(SqliteStore::open(db)?)),
        }
    }

    /// Opens a store that must exist already (commands that only read): `None` when the
    /// file is missing or the database holds no Storyline store.
    pub fn open_existing(db: &Path) -> Result<Option<AnyStore>> {
        match db.to_str().filter(|s| is_postgres_url(s)) {
            Some(url) => Ok(PgStore::open_existing(url)?.map(|s| AnyStore::Postgres(Box::new(s)))),
            None if !db.exists() => Ok(None),
            None => Ok(Some(AnyStore::Sqlite(SqliteStore::open(db)?))),
        }
    }

    /// Whether `db` names a PostgreSQL database.
    pub fn names_postgres(db: &Path) -> bool {
        db.to_str().is_some_and(is_postgres_url)
    }

    /// One snapshot for every later read, until [`Store::rollback`].
    pub fn begin_read(&mut self) -> Result<()> {
        match self {
            AnyStore::Sqlite(s) => s.begin_read(),
            AnyStore::Postgres(s) => s.begin_read(),
        }
    }

    /// The backend's integrity and reference checks; problems found.
    pub fn check(&self) -> Result<Vec<String>> {
        match self {
            AnyStore::Sqlite(s) => s.check(),
            AnyStore::Postgres(s) => s.check(),
        }
    }

    pub fn postgres(&self) -> Option<&PgStore> {
        match self {
            AnyStore::Postgres(s) => Some(s),
            AnyStore::Sqlite(_) => None,
        }
    }
}

/// Calls the same method on whichever backend it is.
macro_rules! each {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $e,
            AnyStore::Postgres($s) => $e,
        }
    };
}

/// Every method is forwarded, the ones with a default too: a backend's own version of a
/// default (PostgreSQL's one-statement bulk writes) must not be bypassed.
impl Store for AnyStore {
    fn begin(&mut self) -> Result<()> {
        each!(self, s => s.begin())
    }
    fn commit(&mut self) -> Result<()> {
        each!(self, s => s.commit())
    }
    fn rollback(&mut self) -> Result<()> {
        each!(self, s => s.rollback())
    }
    fn report_hash(&self, id: &ReportId) -> Result<Option<u64>> {
        each!(self, s => s.report_hash(id))
    }
    fn report_hashes(&self, ids: &[&ReportId]) -> Result<Vec<Option<u64>>> {
        each!(self, s => s.report_hashes(ids))
    }
    fn insert_report(&mut self, new: &NewReport<'_>) -> Result<u64> {
        each!(self, s => s.insert_report(new))
    }
    fn put_pair(&mut self, pair: &PairRecord) -> Result<()> {
        each!(self, s => s.put_pair(pair))
    }
    fn put_pairs(&mut self, pairs: &[PairRecord]) -> Result<()> {
        each!(self, s => s.put_pairs(pairs))
    }
    fn mark_lineages_pending(&mut self, stories: &[StoryId]) -> Result<()> {
        each!(self, s => s.mark_lineages_pending(stories))
    }
    fn lineage_inputs(&self, stories: &[StoryId]) -> Result<Vec<LineageInputs>> {
        each!(self, s => s.lineage_inputs(stories))
    }
    fn settle_lineages(&mut self, lineages: &[(StoryId, StoryLineage)]) -> Result<()> {
        each!(self, s => s.settle_lineages(lineages))
    }
    fn story_members(&self, story: StoryId) -> Result<Vec<MemberFeatures>> {
        each!(self, s => s.story_members(story))
    }
    fn story_pairs(&self, story: StoryId) -> Result<Vec<PairEvidence>> {
        each!(self, s => s.story_pairs(story))
    }
    fn replace_lineage(&mut self, story: StoryId, lineage: &StoryLineage) -> Result<()> {
        each!(self, s => s.replace_lineage(story, lineage))
    }
    fn set_thread(&mut self, story: StoryId, thread: StoryId) -> Result<()> {
        each!(self, s => s.set_thread(story, thread))
    }
    fn thread_of(&self, story: StoryId) -> Result<Option<StoryId>> {
        each!(self, s => s.thread_of(story))
    }
    fn thread_stories(&self, thread: StoryId) -> Result<Vec<StoryId>> {
        each!(self, s => s.thread_stories(thread))
    }
    fn threads_after(
        &self,
        after: StoryId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ThreadSummary>> {
        each!(self, s => s.threads_after(after, offset, limit))
    }
    fn thread_count(&self) -> Result<u64> {
        each!(self, s => s.thread_count())
    }
    fn mark_lineage_pending(&mut self, story: StoryId) -> Result<()> {
        each!(self, s => s.mark_lineage_pending(story))
    }
    fn lineage_pending(&self) -> Result<Vec<StoryId>> {
        each!(self, s => s.lineage_pending())
    }
    fn clear_lineage_pending(&mut self, story: StoryId) -> Result<()> {
        each!(self, s => s.clear_lineage_pending(story))
    }
    fn index_rows(&self, after_seq: u64, each: &mut dyn FnMut(IndexRow)) -> Result<()> {
        each!(self, s => s.index_rows(after_seq, each))
    }
    fn last_seq(&self) -> Result<u64> {
        each!(self, s => s.last_seq())
    }
    fn report(&self, id: &ReportId) -> Result<Option<(Report, StoryId, u64)>> {
        each!(self, s => s.report(id))
    }
    fn stories(&self) -> Result<Vec<StoryRecord>> {
        each!(self, s => s.stories())
    }
    fn story_ids_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryId>> {
        each!(self, s => s.story_ids_after(after, limit))
    }
    fn stories_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryRecord>> {
        each!(self, s => s.stories_after(after, limit))
    }
    fn story(&self, id: StoryId) -> Result<Option<StoryRecord>> {
        each!(self, s => s.story(id))
    }
    fn counts(&self) -> Result<(u64, u64)> {
        each!(self, s => s.counts())
    }
    fn story_ids(&self) -> Result<Vec<StoryId>> {
        each!(self, s => s.story_ids())
    }
    fn search_stories(&self, query: &str) -> Result<Vec<StoryId>> {
        each!(self, s => s.search_stories(query))
    }
    fn story_page(&self, q: &StoryListQuery) -> Result<StoryPage> {
        each!(self, s => s.story_page(q))
    }
    fn pair_matches(
        &self,
        a: &ReportId,
        b: &ReportId,
    ) -> Result<Option<(Vec<SentenceMatch>, Vec<SentenceMatch>)>> {
        each!(self, s => s.pair_matches(a, b))
    }
    fn site_line_counts(&self, lines: &[(&str, u64)]) -> Result<Vec<u32>> {
        each!(self, s => s.site_line_counts(lines))
    }
    fn add_site_lines(&mut self, lines: &[(&str, u64, u32)]) -> Result<()> {
        each!(self, s => s.add_site_lines(lines))
    }
    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        each!(self, s => s.feed_validators(url))
    }
    fn claim_feed_poll(
        &mut self,
        url: &str,
        interval: std::time::Duration,
        poller: &str,
    ) -> Result<bool> {
        each!(self, s => s.claim_feed_poll(url, interval, poller))
    }
    fn set_feed_validators(&mut self, url: &str, v: &FeedValidators) -> Result<()> {
        each!(self, s => s.set_feed_validators(url, v))
    }

    fn coverage(
        &self,
        each_report: &mut dyn FnMut(CoverageReport),
        each_edge: &mut dyn FnMut(CoverageEdge),
    ) -> Result<()> {
        each!(self, s => s.coverage(each_report, each_edge))
    }

    fn arrivals_after(&self, after_seq: u64, limit: usize) -> Result<Vec<NewArrival>> {
        each!(self, s => s.arrivals_after(after_seq, limit))
    }

    fn add_subscription(&mut self, sub: &Subscription) -> Result<()> {
        each!(self, s => s.add_subscription(sub))
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>> {
        each!(self, s => s.subscriptions())
    }

    fn remove_subscription(&mut self, id: &str) -> Result<bool> {
        each!(self, s => s.remove_subscription(id))
    }

    fn record_alerts(
        &mut self,
        subscription: &str,
        cursor_seq: u64,
        events: &[AlertEvent],
        now_ms: i64,
    ) -> Result<usize> {
        each!(self, s => s.record_alerts(subscription, cursor_seq, events, now_ms))
    }

    fn alert_events(&self, subscription: &str, limit: usize) -> Result<Vec<AlertEvent>> {
        each!(self, s => s.alert_events(subscription, limit))
    }

    fn due_deliveries(&self, now_ms: i64, limit: usize) -> Result<Vec<Delivery>> {
        each!(self, s => s.due_deliveries(now_ms, limit))
    }

    fn next_delivery_due(&self) -> Result<Option<i64>> {
        each!(self, s => s.next_delivery_due())
    }

    fn record_delivery(&mut self, event: &str, outcome: &DeliveryOutcome) -> Result<()> {
        each!(self, s => s.record_delivery(event, outcome))
    }

    fn outbox_counts(&self, subscription: &str) -> Result<OutboxCounts> {
        each!(self, s => s.outbox_counts(subscription))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_url_is_shown_without_its_password() {
        assert_eq!(
            display_db(Path::new(
                "postgres://news:s3cret@db.example:5432/storyline"
            )),
            "postgres://news:***@db.example:5432/storyline"
        );
        assert_eq!(
            display_db(Path::new("postgresql://news@db.example/storyline")),
            "postgresql://news@db.example/storyline"
        );
        assert_eq!(display_db(Path::new("data/news.db")), "data/news.db");
    }
}
