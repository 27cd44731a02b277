//! The embedded SQLite backend: one file, WAL journal, one transaction per ingest batch.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use storyline_model::{LineageEdge, LineageKind, Report, ReportId, Role, StoryId};
use storyline_stories::align::SentenceMatch;
use storyline_stories::lineage::{MemberFeatures, PairEvidence, StoryLineage};
use storyline_stories::markers::SourcingMarkers;

use crate::codec::{
    StoredEdge, decode_bands, decode_terms, dropped_json, edge_unchanged, encode_bands,
    encode_terms, like_pattern, parse_dropped, parse_matches, parse_strings, parse_summary,
    role_unchanged, strings_json, summary_json,
};
use crate::{
    AlertEvent, CoverageEdge, CoverageReport, Delivery, DeliveryOutcome, FeedValidators, IndexRow,
    NewArrival, NewReport, OutboxCounts, PairRecord, ReportSummary, Result, Store, StoreError,
    StoryListQuery, StoryPage, StoryRecord, StoryRow, StorySort, Subscription, SubscriptionKind,
    ThreadSummary,
};

/// Numbered migrations; `PRAGMA user_version` holds how many were applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_site_lines.sql"),
    include_str!("migrations/003_feeds.sql"),
    include_str!("migrations/004_lineage_pending_story_links.sql"),
    include_str!("migrations/005_threads.sql"),
    include_str!("migrations/006_lead_names.sql"),
    include_str!("migrations/007_wire.sql"),
    include_str!("migrations/008_outlets_alerts.sql"),
    include_str!("migrations/009_signed.sql"),
];
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;
/// `PRAGMA application_id` of Storyline stores ("STRY"), so another program's SQLite file is
/// refused instead of being written into.
const APPLICATION_ID: i64 = 0x5354_5259;

/// How long a writer waits for another writer's batch before giving up with
/// [`StoreError::Busy`]. One default batch (2,000 reports) takes 1–2 s in a release build and
/// up to about 20 s in a debug build on this 2-core machine (the concurrent-ingest test), so a
/// second ingest waits its turn between batches instead of failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// WAL pages after which a commit checkpoints in line, a backstop behind [`Checkpointer`].
/// SQLite's default (1,000 pages) made the commit that crossed it copy and sync the whole WAL:
/// the slowest 1% of one-report placements at 100k stored spent 22.5 ms of their ~25 ms in
/// that commit (`scale-bench place`, `slowest_1pct_stage_ms`). With the background thread
/// copying as it goes, a commit that crosses this copies only the pages since its last pass.
const WAL_BACKSTOP_PAGES: i64 = 4096;

/// Copies committed WAL pages into the database on its own thread and connection (a passive
/// checkpoint, which never blocks the writer), woken after each commit, so that commits do
/// not pay for checkpoints.
struct Checkpointer {
    wake: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    fn start(path: &str) -> Option<Checkpointer> {
        let conn = Connection::open(path).ok()?;
        conn.busy_timeout(std::time::Duration::from_millis(100))
            .ok()?;
        // One pending wake-up is enough: a pass copies everything committed before it.
        let (wake, rx) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("storyline-checkpoint".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    // Busy (another checkpoint running) or any failure: the next wake-up, or
                    // the writer's backstop, checkpoints instead.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok()?;
        Some(Checkpointer {
            wake: Some(wake),
            thread: Some(thread),
        })
    }

    fn wake(&self) {
        if let Some(w) = &self.wake {
            let _ = w.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop after its current pass.
        self.wake.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub struct SqliteStore {
    /// Declared before `conn` so that it closes first: the writer's connection, closing last,
    /// then checkpoints what is left and removes the WAL.
    checkpointer: Option<Checkpointer>,
    conn: Connection,
    path: String,
}

fn busy(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Busy
        }
        _ => StoreError::Sqlite(e),
    }
}

impl SqliteStore {
    /// Reads the reports and lineage edges of `stories` (ordered by id, no gaps between them
    /// among the store's stories: one story, or a page of `stories_after`) in two range
    /// queries, not two per story.
    fn fill_stories(&self, stories: &mut [StoryRecord]) -> Result<()> {
        let (Some(first), Some(last)) = (stories.first(), stories.last()) else {
            return Ok(());
        };
        let range = [first.id.0 as i64, last.id.0 as i64];
        let index: HashMap<u64, usize> = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.0, i))
            .collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT story, id, title, display_title, source, url, published, role, role_evidence, placement_score, placement_evidence, outlet, first_seen FROM reports WHERE story BETWEEN ?1 AND ?2 ORDER BY story, seq",
        )?;
        let mut rows = stmt.query(range)?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(&(r.get::<_, i64>(0)? as u64)) else {
                continue;
            };
            let role: String = r.get(7)?;
            stories[i].reports.push(ReportSummary {
                id: ReportId(r.get(1)?),
                title: r.get(2)?,
                display_title: r.get(3)?,
                source: r.get(4)?,
                url: r.get(5)?,
                published: r.get(6)?,
                role: Role::parse(&role).unwrap_or(Role::Original),
                role_evidence: parse_strings(&r.get::<_, String>(8)?),
                placement_score: r.get(9)?,
                placement_evidence: parse_strings(&r.get::<_, String>(10)?),
                outlet: r.get(11)?,
                first_seen: r.get(12)?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT story, from_id, to_id, kind, reuse, verbatim, evidence FROM lineage WHERE story BETWEEN ?1 AND ?2 ORDER BY story, to_id, from_id",
        )?;
        let mut rows = stmt.query(range)?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(&(r.get::<_, i64>(0)? as u64)) else {
                continue;
            };
            let kind: String = r.get(3)?;
            stories[i].lineage.push(LineageEdge {
                from: ReportId(r.get(1)?),
                to: ReportId(r.get(2)?),
                kind: LineageKind::parse(&kind).unwrap_or(LineageKind::Related),
                reuse: r.get(4)?,
                verbatim: r.get(5)?,
                evidence: parse_strings(&r.get::<_, String>(6)?),
            });
        }
        Ok(())
    }

    /// Opens (creating if needed) the store at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let display = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| StoreError::Incompatible {
            path: display.clone(),
            message: format!("cannot open it as a store: {e}"),
        })?;
        let mut store = SqliteStore {
            checkpointer: None,
            conn,
            path: display,
        };
        store.init()?;
        Ok(store)
    }

    /// A store in memory, for tests and evaluation runs.
    pub fn in_memory() -> Result<SqliteStore> {
        let mut store = SqliteStore {
            checkpointer: None,
            conn: Connection::open_in_memory()?,
            path: ":memory:".into(),
        };
        store.init()?;
        Ok(store)
    }

    fn incompatible(&self, message: impl Into<String>) -> StoreError {
        StoreError::Incompatible {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn init(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every statement of the ingest and lineage paths is cached (prepared once per
        // connection); the default 16 slots would evict some of them each batch.
        self.conn.set_prepared_statement_cache_capacity(64);
        // One statement, one snapshot: another process creating the store meanwhile cannot make
        // its tables appear without its application id.
        let probe: std::result::Result<(i64, i64), _> = self.conn.query_row(
            "SELECT (SELECT application_id FROM pragma_application_id()), \
                    (SELECT count(*) FROM sqlite_master WHERE type = 'table')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        );
        let (app_id, tables) = match probe {
            Ok(v) => v,
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                return Err(
                    self.incompatible("not a SQLite database (is this the right --db path?)")
                );
            }
            Err(e) => return Err(busy(e)),
        };
        if tables > 0 && app_id != APPLICATION_ID {
            return Err(
                self.incompatible("a SQLite database of another program, not a Storyline store")
            );
        }
        if self.path != ":memory:" {
            self.use_wal()?;
        }
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(self.incompatible(format!(
                "schema version {version} is newer than this storyline understands ({SCHEMA_VERSION}); upgrade storyline"
            )));
        }
        if version < SCHEMA_VERSION {
            // Two processes may open a new store at once: the version is read again under the
            // write lock, so only one of them applies each migration.
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(busy)?;
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.commit().map_err(busy)?;
        }
        Ok(())
    }

    /// Switches a new store to WAL. SQLite does not call the busy handler for this switch, and
    /// two processes opening a new store at once both try it: the loser retries until the
    /// winner's switch is done (then the mode is already WAL) or the busy timeout passes.
    fn use_wal(&self) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            {
                Ok(_) => return Ok(()),
                Err(e) => match busy(e) {
                    StoreError::Busy if started.elapsed() < BUSY_TIMEOUT => {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    other => return Err(other),
                },
            }
        }
    }

    /// Starts a read transaction that lasts as long as the store is open: every later read
    /// sees the store as it was now, whatever a concurrent ingest commits meanwhile, so a
    /// listing never mixes two states (a story counted before a batch, listed after it).
    pub fn begin_read(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN DEFERRED").map_err(busy)?;
        // WAL fixes the snapshot at the first read, not at BEGIN.
        self.conn
            .query_row("SELECT count(*) FROM reports", [], |r| r.get::<_, i64>(0))
            .map_err(busy)?;
        Ok(())
    }

    /// Runs SQLite's integrity check and the store's own reference checks; returns problems.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        problems.extend(rows.into_iter().filter(|r| r != "ok"));
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fk: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!("dangling reference in {}", r.get::<_, String>(0)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        problems.extend(fk);
        // What a half-written batch would leave behind (none is possible while every batch is
        // one transaction; the kill tests check it stays so).
        let invariants: [&str; 5] = [
            "SELECT 'story S' || id || ' has no reports' FROM stories s WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.story = s.id)",
            "SELECT 'report ' || id || ' has an empty body' FROM reports WHERE length(trim(body)) = 0",
            "SELECT 'lineage edge ' || l.from_id || ' -> ' || l.to_id || ' is not inside story S' || l.story FROM lineage l JOIN reports f ON f.id = l.from_id JOIN reports t ON t.id = l.to_id WHERE f.story != l.story OR t.story != l.story",
            "SELECT 'alignment of ' || p.a || ' and ' || p.b || ' is not inside story S' || p.story FROM pairs p JOIN reports a ON a.id = p.a JOIN reports b ON b.id = p.b WHERE a.story != p.story OR b.story != p.story",
            // A thread is named by its first story, which is its own thread.
            "SELECT 'story S' || s.id || ' names thread T' || s.thread || ', which is not a thread' FROM stories s LEFT JOIN stories t ON t.id = s.thread WHERE t.id IS NULL OR t.thread != t.id",
        ];
        for sql in invariants {
            let mut stmt = self.conn.prepare(sql)?;
            let rows: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            problems.extend(rows);
        }
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            problems.push(format!(
                "schema version {version}, expected {SCHEMA_VERSION}"
            ));
        }
        Ok(problems)
    }
}

impl Store for SqliteStore {
    fn begin(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(busy)
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(busy)?;
        if self.path != ":memory:" {
            if self.checkpointer.is_none() {
                self.conn
                    .pragma_update(None, "wal_autocheckpoint", WAL_BACKSTOP_PAGES)?;
                self.checkpointer = Checkpointer::start(&self.path);
            }
            if let Some(c) = &self.checkpointer {
                c.wake();
            }
        }
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }

    fn report_hash(&self, id: &ReportId) -> Result<Option<u64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT content_hash FROM reports WHERE id = ?1")?
            .query_row([&id.0], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|h| h as u64))
    }

    fn insert_report(&mut self, n: &NewReport<'_>) -> Result<u64> {
        let r = n.report;
        let seq: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM reports")?
            .query_row([], |row| row.get(0))?;
        self.conn
            .prepare_cached(
                "INSERT INTO stories (id, title, created_seq, updated_seq, thread) VALUES (?1, ?2, ?3, ?3, ?1)
             ON CONFLICT(id) DO UPDATE SET updated_seq = excluded.updated_seq",
            )?
            .execute(params![n.story.0 as i64, n.display_title, seq])?;
        self.conn.prepare_cached(
            "INSERT INTO reports (seq, id, url, title, display_title, dropped, updated, byline, language, headings, source, published, body, origin, extra_json, content_hash, story,
                first_hand, relay, marker_evidence, content_tokens, title_norm, terms, bands, placement_score, placement_evidence, lead_names, wire, outlet, first_seen, signed)
             VALUES (?1, ?2, ?3, ?4, ?20, ?21, ?22, ?23, ?24, ?25, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?26, ?27, ?28, ?29, ?30, ?31)",
            )?.execute(params![
                seq,
                r.id.0,
                r.url,
                r.title,
                r.source,
                r.published,
                r.text,
                r.origin,
                r.extra_json,
                n.content_hash as i64,
                n.story.0 as i64,
                n.features.markers.first_hand,
                n.features.markers.relay,
                strings_json(n.marker_evidence),
                n.features.content_tokens as i64,
                n.features.title_normalized,
                encode_terms(n.term_counts),
                encode_bands(n.band_keys),
                n.placement_score,
                n.display_title,
                dropped_json(&r.dropped),
                r.updated,
                r.byline,
                r.language,
                serde_json::to_string(&r.headings).unwrap_or_else(|_| "[]".into()),
                strings_json(n.placement_evidence),
                n.lead_names.join("\n"),
                n.features.wire,
                n.outlet,
                n.first_seen,
                n.features.signed,
            ])?;
        Ok(seq as u64)
    }

    fn put_pair(&mut self, p: &PairRecord) -> Result<()> {
        let e = &p.evidence;
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO pairs (story, a, b, similarity, a_in_b, b_in_a) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                p.story.0 as i64,
                e.a.0,
                e.b.0,
                e.similarity,
                summary_json(&e.a_in_b, &p.a_in_b),
                summary_json(&e.b_in_a, &p.b_in_a)
            ])?;
        Ok(())
    }

    fn story_members(&self, story: StoryId) -> Result<Vec<MemberFeatures>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, seq, published, first_hand, relay, content_tokens, title_norm, wire, signed, outlet FROM reports WHERE story = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([story.0 as i64], |r| {
            Ok(MemberFeatures {
                id: ReportId(r.get(0)?),
                seq: r.get::<_, i64>(1)? as u64,
                published: r.get(2)?,
                markers: SourcingMarkers {
                    first_hand: r.get(3)?,
                    relay: r.get(4)?,
                },
                content_tokens: r.get::<_, i64>(5)? as usize,
                title_normalized: r.get(6)?,
                wire: r.get(7)?,
                signed: r.get(8)?,
                outlet: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn story_pairs(&self, story: StoryId) -> Result<Vec<PairEvidence>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a, b, similarity, a_in_b, b_in_a FROM pairs WHERE story = ?1 ORDER BY a, b",
        )?;
        let rows: Vec<(String, String, f64, String, String)> = stmt
            .query_map([story.0 as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        rows.into_iter()
            .map(|(a, b, similarity, ab, ba)| {
                Ok(PairEvidence {
                    a: ReportId(a),
                    b: ReportId(b),
                    a_in_b: parse_summary(&ab)?,
                    b_in_a: parse_summary(&ba)?,
                    similarity,
                })
            })
            .collect()
    }

    fn replace_lineage(&mut self, story: StoryId, l: &StoryLineage) -> Result<()> {
        let sid = story.0 as i64;
        // A large story's lineage changes in a few places when a report joins it: compare with
        // what is stored and write only the difference (rewriting 10,000 edges and roles per
        // batch was most of a million-report ingest).
        let mut stored: HashMap<(String, String), StoredEdge> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT from_id, to_id, kind, reuse, verbatim, evidence FROM lineage WHERE story = ?1",
            )?;
            let mut rows = stmt.query([sid])?;
            while let Some(r) = rows.next()? {
                stored.insert(
                    (r.get(0)?, r.get(1)?),
                    (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
                );
            }
        }
        for e in &l.edges {
            let evidence = strings_json(&e.evidence);
            let key = (e.from.0.clone(), e.to.0.clone());
            if !edge_unchanged(stored.remove(&key), e, &evidence) {
                self.conn
                    .prepare_cached(
                        "INSERT OR REPLACE INTO lineage (story, from_id, to_id, kind, reuse, verbatim, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![sid, e.from.0, e.to.0, e.kind.as_str(), e.reuse, e.verbatim, evidence])?;
            }
        }
        for (from, to) in stored.keys() {
            self.conn
                .prepare_cached("DELETE FROM lineage WHERE from_id = ?1 AND to_id = ?2")?
                .execute(params![from, to])?;
        }
        let mut roles: HashMap<String, (String, String)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id, role, role_evidence FROM reports WHERE story = ?1")?;
            let mut rows = stmt.query([sid])?;
            while let Some(r) = rows.next()? {
                roles.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
            }
        }
        let mut roles_changed = false;
        for (id, role, why) in &l.roles {
            let why = strings_json(why);
            if role_unchanged(roles.get(&id.0), *role, &why) {
                continue;
            }
            roles_changed = true;
            self.conn
                .prepare_cached("UPDATE reports SET role = ?2, role_evidence = ?3 WHERE id = ?1")?
                .execute(params![id.0, role.as_str(), why])?;
        }
        // The story's title: its first original report's, else its first report's.
        if roles_changed {
            self.conn
                .prepare_cached(
                    "UPDATE stories SET title = (SELECT display_title FROM reports WHERE story = ?1
                 ORDER BY (role = 'original') DESC, (title IS NOT NULL) DESC, seq LIMIT 1) WHERE id = ?1",
                )?
                .execute([sid])?;
        }
        Ok(())
    }

    fn mark_lineage_pending(&mut self, story: StoryId) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO lineage_pending (story) VALUES (?1)")?
            .execute([story.0 as i64])?;
        Ok(())
    }

    fn set_thread(&mut self, story: StoryId, thread: StoryId) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE stories SET thread = ?2 WHERE id = ?1")?
            .execute([story.0 as i64, thread.0 as i64])?;
        Ok(())
    }

    fn thread_of(&self, story: StoryId) -> Result<Option<StoryId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT thread FROM stories WHERE id = ?1")?
            .query_row([story.0 as i64], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|t| StoryId(t as u64)))
    }

    fn thread_stories(&self, thread: StoryId) -> Result<Vec<StoryId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM stories WHERE thread = ?1 ORDER BY id")?;
        let rows = stmt.query_map([thread.0 as i64], |r| {
            Ok(StoryId(r.get::<_, i64>(0)? as u64))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn thread_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM (SELECT thread FROM stories GROUP BY thread HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    fn threads_after(
        &self,
        after: StoryId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ThreadSummary>> {
        // Threads of two stories or more, by their first story; the index on (thread, id)
        // makes each group one range scan.
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.thread, count(*), (SELECT title FROM stories WHERE id = s.thread),
                    (SELECT count(*) FROM reports r WHERE r.story IN
                        (SELECT id FROM stories WHERE thread = s.thread))
             FROM stories s WHERE s.thread > ?1 GROUP BY s.thread HAVING count(*) > 1
             ORDER BY s.thread LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map([after.0 as i64, limit as i64, offset as i64], |r| {
            Ok(ThreadSummary {
                id: StoryId(r.get::<_, i64>(0)? as u64),
                stories: r.get::<_, i64>(1)? as u64,
                title: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                reports: r.get::<_, i64>(3)? as u64,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn lineage_pending(&self) -> Result<Vec<StoryId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT story FROM lineage_pending ORDER BY story")?;
        let rows = stmt.query_map([], |r| Ok(StoryId(r.get::<_, i64>(0)? as u64)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn clear_lineage_pending(&mut self, story: StoryId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM lineage_pending WHERE story = ?1")?
            .execute([story.0 as i64])?;
        Ok(())
    }

    fn index_rows(&self, after_seq: u64, each: &mut dyn FnMut(IndexRow)) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT id, story, terms, bands, seq, published, lead_names FROM reports WHERE seq > ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([after_seq as i64])?;
        while let Some(r) = rows.next()? {
            let terms: String = r.get(2)?;
            let bands: Vec<u8> = r.get(3)?;
            each(IndexRow {
                seq: r.get::<_, i64>(4)? as u64,
                id: ReportId(r.get(0)?),
                story: StoryId(r.get::<_, i64>(1)? as u64),
                term_counts: decode_terms(&terms),
                band_keys: decode_bands(&bands),
                published: r.get(5)?,
                lead_names: r.get::<_, String>(6)?.lines().map(String::from).collect(),
            });
        }
        Ok(())
    }

    fn last_seq(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM reports", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    fn report(&self, id: &ReportId) -> Result<Option<(Report, StoryId, u64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, url, title, source, published, body, origin, extra_json, story, seq, dropped, updated, byline, language, headings FROM reports WHERE id = ?1",
                [&id.0],
                |r| {
                    Ok((
                        Report {
                            id: ReportId(r.get(0)?),
                            url: r.get(1)?,
                            title: r.get(2)?,
                            source: r.get(3)?,
                            published: r.get(4)?,
                            updated: r.get(11)?,
                            byline: r.get(12)?,
                            language: r.get(13)?,
                            text: r.get(5)?,
                            origin: r.get(6)?,
                            extra_json: r.get(7)?,
                            dropped: parse_dropped(&r.get::<_, String>(10)?),
                            headings: serde_json::from_str(&r.get::<_, String>(14)?).unwrap_or_default(),
                        },
                        StoryId(r.get::<_, i64>(8)? as u64),
                        r.get::<_, i64>(9)? as u64,
                    ))
                },
            )
            .optional()?)
    }

    fn story_ids_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM stories WHERE id > ?1 ORDER BY id LIMIT ?2")?;
        let rows = stmt.query_map([after.0 as i64, limit as i64], |r| {
            Ok(StoryId(r.get::<_, i64>(0)? as u64))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn story(&self, id: StoryId) -> Result<Option<StoryRecord>> {
        let sid = id.0 as i64;
        let Some((title, thread)) = self
            .conn
            .query_row(
                "SELECT title, thread FROM stories WHERE id = ?1",
                [sid],
                |r| Ok((r.get::<_, String>(0)?, StoryId(r.get::<_, i64>(1)? as u64))),
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut stories = vec![StoryRecord {
            id,
            title,
            thread,
            reports: Vec::new(),
            lineage: Vec::new(),
        }];
        self.fill_stories(&mut stories)?;
        Ok(stories.pop())
    }

    fn stories_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, thread FROM stories WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let mut stories = stmt
            .query_map([after.0 as i64, limit as i64], |r| {
                Ok(StoryRecord {
                    id: StoryId(r.get::<_, i64>(0)? as u64),
                    title: r.get(1)?,
                    thread: StoryId(r.get::<_, i64>(2)? as u64),
                    reports: Vec::new(),
                    lineage: Vec::new(),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        self.fill_stories(&mut stories)?;
        Ok(stories)
    }

    fn site_line_counts(&self, lines: &[(&str, u64)]) -> Result<Vec<u32>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT reports FROM site_lines WHERE site = ?1 AND line_hash = ?2")?;
        lines
            .iter()
            .map(|(site, h)| {
                Ok(stmt
                    .query_row(params![site, *h as i64], |r| r.get::<_, u32>(0))
                    .optional()?
                    .unwrap_or(0))
            })
            .collect()
    }

    fn add_site_lines(&mut self, lines: &[(&str, u64, u32)]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO site_lines (site, line_hash, reports) VALUES (?1, ?2, ?3)
             ON CONFLICT(site, line_hash) DO UPDATE SET reports = reports + excluded.reports",
        )?;
        for (site, h, n) in lines {
            stmt.execute(params![site, *h as i64, n])?;
        }
        Ok(())
    }

    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        Ok(self
            .conn
            .prepare_cached("SELECT etag, last_modified FROM feeds WHERE url = ?1")?
            .query_row(params![url], |r| {
                Ok(FeedValidators {
                    etag: r.get(0)?,
                    last_modified: r.get(1)?,
                })
            })
            .optional()?)
    }

    fn set_feed_validators(&mut self, url: &str, v: &FeedValidators) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO feeds (url, etag, last_modified, fetched_at)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3,
                 fetched_at = excluded.fetched_at",
            )?
            .execute(params![url, v.etag, v.last_modified])?;
        Ok(())
    }

    fn coverage(
        &self,
        each_report: &mut dyn FnMut(CoverageReport),
        each_edge: &mut dyn FnMut(CoverageEdge),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, story, outlet, published, first_seen, role, wire FROM reports ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let role: String = r.get(5)?;
            each_report(CoverageReport {
                id: ReportId(r.get(0)?),
                story: StoryId(r.get::<_, i64>(1)? as u64),
                outlet: r.get(2)?,
                published: r.get(3)?,
                first_seen: r.get(4)?,
                role: Role::parse(&role).unwrap_or(Role::Original),
                wire: r.get(6)?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT from_id, to_id, kind, reuse FROM lineage ORDER BY story, to_id, from_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(2)?;
            each_edge(CoverageEdge {
                from: ReportId(r.get(0)?),
                to: ReportId(r.get(1)?),
                kind: LineageKind::parse(&kind).unwrap_or(LineageKind::Related),
                reuse: r.get(3)?,
            });
        }
        Ok(())
    }

    fn arrivals_after(&self, after_seq: u64, limit: usize) -> Result<Vec<NewArrival>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.seq, r.id, r.story, s.thread, s.created_seq, r.outlet, r.display_title
             FROM reports r JOIN stories s ON s.id = r.story
             WHERE r.seq > ?1 ORDER BY r.seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![after_seq as i64, limit as i64], |r| {
                Ok(NewArrival {
                    seq: r.get::<_, i64>(0)? as u64,
                    id: ReportId(r.get(1)?),
                    story: StoryId(r.get::<_, i64>(2)? as u64),
                    thread: StoryId(r.get::<_, i64>(3)? as u64),
                    story_created_seq: r.get::<_, i64>(4)? as u64,
                    outlet: r.get(5)?,
                    display_title: r.get(6)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn add_subscription(&mut self, s: &Subscription) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO subscriptions (id, kind, target, webhook_url, secret, created, start_seq, cursor_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                s.id,
                s.kind.as_str(),
                s.target,
                s.webhook_url,
                s.secret,
                s.created,
                s.start_seq as i64,
                s.cursor_seq as i64
            ])
            .map_err(busy)?;
        Ok(())
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, target, webhook_url, secret, created, start_seq, cursor_seq FROM subscriptions ORDER BY created, id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(1)?;
                Ok(Subscription {
                    id: r.get(0)?,
                    kind: SubscriptionKind::parse(&kind).unwrap_or(SubscriptionKind::Query),
                    target: r.get(2)?,
                    webhook_url: r.get(3)?,
                    secret: r.get(4)?,
                    created: r.get(5)?,
                    start_seq: r.get::<_, i64>(6)? as u64,
                    cursor_seq: r.get::<_, i64>(7)? as u64,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn remove_subscription(&mut self, id: &str) -> Result<bool> {
        let tx = self.conn.unchecked_transaction().map_err(busy)?;
        tx.execute("DELETE FROM webhook_outbox WHERE subscription = ?1", [id])?;
        tx.execute("DELETE FROM alert_events WHERE subscription = ?1", [id])?;
        let n = tx.execute("DELETE FROM subscriptions WHERE id = ?1", [id])?;
        tx.commit().map_err(busy)?;
        Ok(n > 0)
    }

    fn record_alerts(
        &mut self,
        subscription: &str,
        cursor_seq: u64,
        events: &[AlertEvent],
        now_ms: i64,
    ) -> Result<usize> {
        self.conn.execute_batch("SAVEPOINT alerts").map_err(busy)?;
        let done = (|| -> Result<usize> {
            let webhook: bool = self
                .conn
                .prepare_cached("SELECT webhook_url IS NOT NULL FROM subscriptions WHERE id = ?1")?
                .query_row([subscription], |r| r.get(0))
                .optional()?
                .unwrap_or(false);
            let mut new = 0;
            for e in events {
                let n = self
                    .conn
                    .prepare_cached(
                        "INSERT INTO alert_events (id, subscription, kind, story, report, title, summary, created, payload)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO NOTHING",
                    )?
                    .execute(params![
                        e.id,
                        e.subscription,
                        e.kind,
                        e.story.map(|s| s.0 as i64),
                        e.report.as_ref().map(|r| r.0.as_str()),
                        e.title,
                        e.summary,
                        e.created,
                        e.payload
                    ])?;
                if n > 0 {
                    new += 1;
                    if webhook {
                        self.conn
                            .prepare_cached(
                                "INSERT INTO webhook_outbox (event, subscription, next_attempt) VALUES (?1, ?2, ?3)
                                 ON CONFLICT(event) DO NOTHING",
                            )?
                            .execute(params![e.id, subscription, now_ms])?;
                    }
                }
            }
            self.conn
                .prepare_cached(
                    "UPDATE subscriptions SET cursor_seq = max(cursor_seq, ?2) WHERE id = ?1",
                )?
                .execute(params![subscription, cursor_seq as i64])?;
            Ok(new)
        })();
        match done {
            Ok(n) => {
                self.conn.execute_batch("RELEASE alerts").map_err(busy)?;
                Ok(n)
            }
            Err(e) => {
                let _ = self
                    .conn
                    .execute_batch("ROLLBACK TO alerts; RELEASE alerts");
                Err(e)
            }
        }
    }

    fn alert_events(&self, subscription: &str, limit: usize) -> Result<Vec<AlertEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, subscription, kind, story, report, title, summary, created, payload
             FROM alert_events WHERE subscription = ?1 ORDER BY n DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![subscription, limit as i64], alert_event_row)?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn due_deliveries(&self, now_ms: i64, limit: usize) -> Result<Vec<Delivery>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.subscription, e.kind, e.story, e.report, e.title, e.summary, e.created, e.payload,
                    s.webhook_url, s.secret, o.attempts
             FROM webhook_outbox o JOIN alert_events e ON e.id = o.event JOIN subscriptions s ON s.id = o.subscription
             WHERE o.delivered IS NULL AND o.failed IS NULL AND o.next_attempt <= ?1 AND s.webhook_url IS NOT NULL
             ORDER BY o.next_attempt, e.n LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![now_ms, limit as i64], |r| {
                Ok(Delivery {
                    event: alert_event_row(r)?,
                    webhook_url: r.get(9)?,
                    secret: r.get(10)?,
                    attempts: r.get::<_, i64>(11)? as u32,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    fn next_delivery_due(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT min(next_attempt) FROM webhook_outbox WHERE delivered IS NULL AND failed IS NULL",
            )?
            .query_row([], |r| r.get(0))?)
    }

    fn record_delivery(&mut self, event: &str, outcome: &DeliveryOutcome) -> Result<()> {
        match outcome {
            DeliveryOutcome::Delivered { at_ms } => self.conn.prepare_cached(
                "UPDATE webhook_outbox SET attempts = attempts + 1, delivered = ?2, last_error = NULL WHERE event = ?1",
            )?.execute(params![event, at_ms]),
            DeliveryOutcome::Retry { next_ms, error } => self.conn.prepare_cached(
                "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt = ?2, last_error = ?3 WHERE event = ?1",
            )?.execute(params![event, next_ms, error]),
            DeliveryOutcome::GaveUp { at_ms, error } => self.conn.prepare_cached(
                "UPDATE webhook_outbox SET attempts = attempts + 1, failed = ?2, last_error = ?3 WHERE event = ?1",
            )?.execute(params![event, at_ms, error]),
        }
        .map_err(busy)?;
        Ok(())
    }

    fn outbox_counts(&self, subscription: &str) -> Result<OutboxCounts> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE delivered IS NULL AND failed IS NULL),
                        count(delivered), count(failed)
                 FROM webhook_outbox WHERE subscription = ?1",
            )?
            .query_row([subscription], |r| {
                Ok(OutboxCounts {
                    pending: r.get::<_, i64>(0)? as u64,
                    delivered: r.get::<_, i64>(1)? as u64,
                    failed: r.get::<_, i64>(2)? as u64,
                })
            })?)
    }

    fn story_ids(&self) -> Result<Vec<StoryId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM stories ORDER BY id")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, i64>(0))?
            .map(|r| r.map(|id| StoryId(id as u64)))
            .collect::<std::result::Result<_, _>>()?;
        Ok(ids)
    }

    fn story_page(&self, q: &StoryListQuery) -> Result<StoryPage> {
        let pattern = q.text.as_deref().map(like_pattern);
        // Per story: size, dates and outlets of the stories that pass the text and outlet
        // filters; the bar on size is applied after, so the folded ones can be counted.
        let agg = "WITH agg AS (
                SELECT story, COUNT(*) AS n, MIN(published) AS first, MAX(published) AS last
                FROM reports
                WHERE (?1 IS NULL OR story IN (SELECT story FROM reports
                        WHERE coalesce(title, '') LIKE ?1 ESCAPE '\\'
                           OR display_title LIKE ?1 ESCAPE '\\'
                           OR body LIKE ?1 ESCAPE '\\'))
                  AND (?2 IS NULL OR story IN (SELECT story FROM reports WHERE outlet = ?2))
                GROUP BY story)";
        let (total, folded): (i64, i64) = self
            .conn
            .prepare_cached(&format!(
                "{agg} SELECT coalesce(SUM(n >= ?3), 0), coalesce(SUM(n < ?3), 0) FROM agg"
            ))?
            .query_row(params![pattern, q.outlet, q.min_reports as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let order = match q.sort {
            StorySort::Newest => "s.id DESC",
            StorySort::Size => "agg.n DESC, s.id DESC",
            StorySort::Date => "agg.last IS NULL, agg.last DESC, s.id DESC",
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{agg} SELECT s.id, s.title, s.thread, agg.n, agg.first, agg.last,
                    (SELECT group_concat(src, char(31)) FROM
                        (SELECT DISTINCT outlet AS src FROM reports
                         WHERE story = s.id AND outlet IS NOT NULL ORDER BY outlet))
             FROM agg JOIN stories s ON s.id = agg.story
             WHERE agg.n >= ?3
             ORDER BY {order} LIMIT ?4 OFFSET ?5"
        ))?;
        let rows = stmt
            .query_map(
                params![
                    pattern,
                    q.outlet,
                    q.min_reports as i64,
                    q.limit as i64,
                    q.offset as i64
                ],
                |r| {
                    let outlets: Option<String> = r.get(6)?;
                    Ok(StoryRow {
                        id: StoryId(r.get::<_, i64>(0)? as u64),
                        title: r.get(1)?,
                        thread: StoryId(r.get::<_, i64>(2)? as u64),
                        reports: r.get::<_, i64>(3)? as u64,
                        first_published: r.get(4)?,
                        last_published: r.get(5)?,
                        outlets: outlets
                            .map(|o| o.split('\u{1f}').map(String::from).collect())
                            .unwrap_or_default(),
                    })
                },
            )?
            .collect::<std::result::Result<_, _>>()?;
        Ok(StoryPage {
            rows,
            total: total as u64,
            folded: folded as u64,
        })
    }

    fn search_stories(&self, query: &str) -> Result<Vec<StoryId>> {
        let pattern = like_pattern(query);
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT story FROM reports
             WHERE coalesce(title, '') LIKE ?1 ESCAPE '\\'
                OR display_title LIKE ?1 ESCAPE '\\'
                OR body LIKE ?1 ESCAPE '\\'
             ORDER BY story",
        )?;
        let ids = stmt
            .query_map([pattern], |r| r.get::<_, i64>(0))?
            .map(|r| r.map(|id| StoryId(id as u64)))
            .collect::<std::result::Result<_, _>>()?;
        Ok(ids)
    }

    fn pair_matches(
        &self,
        a: &ReportId,
        b: &ReportId,
    ) -> Result<Option<(Vec<SentenceMatch>, Vec<SentenceMatch>)>> {
        let row = self
            .conn
            .query_row(
                "SELECT a, a_in_b, b_in_a FROM pairs WHERE (a = ?1 AND b = ?2) OR (a = ?2 AND b = ?1)",
                [&a.0, &b.0],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
            )
            .optional()?;
        Ok(row.map(|(first, x, y)| {
            let (x, y) = (parse_matches(&x), parse_matches(&y));
            if first == a.0 { (x, y) } else { (y, x) }
        }))
    }

    fn counts(&self) -> Result<(u64, u64)> {
        let reports: i64 = self
            .conn
            .query_row("SELECT count(*) FROM reports", [], |r| r.get(0))?;
        let stories: i64 = self
            .conn
            .query_row("SELECT count(*) FROM stories", [], |r| r.get(0))?;
        Ok((reports as u64, stories as u64))
    }
}

/// An [`AlertEvent`] from the first nine columns of a row.
fn alert_event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlertEvent> {
    Ok(AlertEvent {
        id: r.get(0)?,
        subscription: r.get(1)?,
        kind: r.get(2)?,
        story: r.get::<_, Option<i64>>(3)?.map(|s| StoryId(s as u64)),
        report: r.get::<_, Option<String>>(4)?.map(ReportId),
        title: r.get(5)?,
        summary: r.get(6)?,
        created: r.get(7)?,
        payload: r.get(8)?,
    })
}
