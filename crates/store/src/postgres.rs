//! The PostgreSQL backend: one database shared by several ingest workers and API servers.
//!
//! Placement is serial across the whole database: [`Store::begin`] opens a transaction and
//! takes a transaction-level advisory lock ([`PLACEMENT_LOCK`]), so one batch at a time places,
//! stores and settles lineage, and the engine, holding the lock, first catches its placement
//! index up with what other workers committed (the same way two SQLite ingests share a file).
//! Reading, cleaning and analysing run outside the lock, in parallel on every worker. Readers
//! (`begin_read`) take a repeatable-read snapshot and never wait for the lock.
//!
//! Schema changes are numbered migrations of their own (`migrations/postgres/`), applied on
//! open under a session advisory lock and recorded in `storyline_schema`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
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
    LineageInputs, NewArrival, NewReport, OutboxCounts, PairRecord, ReportSummary, Result, Store,
    StoreError, StoryListQuery, StoryPage, StoryRecord, StoryRow, StorySort, Subscription,
    SubscriptionKind, ThreadSummary,
};

/// Numbered migrations; `storyline_schema.version` holds how many were applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/postgres/001_init.sql"),
    include_str!("migrations/postgres/002_queue.sql"),
    include_str!("migrations/postgres/003_feed_polls.sql"),
    include_str!("migrations/postgres/004_outlets_alerts.sql"),
    include_str!("migrations/postgres/005_signed.sql"),
];
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock every writing batch holds (transaction level): "STRY" as a number, so
/// another application's advisory locks on the same database are unlikely to collide.
pub const PLACEMENT_LOCK: i64 = 0x5354_5259;
/// The advisory lock (session level) held while migrations are applied.
const MIGRATION_LOCK: i64 = 0x5354_524d;

/// Whether `db` names a PostgreSQL database rather than a store file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

struct Conn {
    client: Client,
    /// Statements prepared on this connection, by their text.
    prepared: HashMap<&'static str, Statement>,
    /// Reports stored in this transaction but not yet sent: written together, in two
    /// statements, before anything else is read or written (a round trip per report was most
    /// of a PostgreSQL ingest's placement time).
    unsent: Vec<ReportRow>,
    /// The threads of stories that are only unsent yet (`set_thread` on a new story), given
    /// to their rows when they are sent.
    unsent_threads: HashMap<i64, i64>,
}

/// A report row waiting in [`Conn::unsent`].
struct ReportRow {
    seq: i64,
    id: String,
    url: Option<String>,
    title: Option<String>,
    display_title: String,
    dropped: String,
    updated: Option<String>,
    byline: Option<String>,
    language: Option<String>,
    headings: String,
    source: Option<String>,
    published: Option<String>,
    body: String,
    origin: String,
    extra_json: Option<String>,
    content_hash: i64,
    story: i64,
    first_hand: i64,
    relay: i64,
    marker_evidence: String,
    content_tokens: i64,
    title_norm: Option<String>,
    terms: String,
    bands: Vec<u8>,
    placement_score: f64,
    placement_evidence: String,
    lead_names: String,
    wire: Option<String>,
    outlet: Option<String>,
    first_seen: String,
    signed: bool,
}

impl Conn {
    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.prepared.insert(sql, s.clone());
        Ok(s)
    }

    /// Sends the unsent reports: their stories first (a story's row made by its first report,
    /// its `updated_seq` its last report's), then the reports.
    fn flush(&mut self) -> Result<()> {
        if self.unsent.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.unsent);
        let mut stories: Vec<(i64, &str, i64, i64)> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        for r in &rows {
            match at.get(&r.story) {
                Some(&i) => stories[i].3 = r.seq,
                None => {
                    at.insert(r.story, stories.len());
                    stories.push((r.story, &r.display_title, r.seq, r.seq));
                }
            }
        }
        let ids: Vec<i64> = stories.iter().map(|s| s.0).collect();
        let titles: Vec<&str> = stories.iter().map(|s| s.1).collect();
        let created: Vec<i64> = stories.iter().map(|s| s.2).collect();
        let updated: Vec<i64> = stories.iter().map(|s| s.3).collect();
        let threads: Vec<i64> = ids
            .iter()
            .map(|id| self.unsent_threads.get(id).copied().unwrap_or(*id))
            .collect();
        let stmt = self.statement(
            "INSERT INTO stories (id, title, created_seq, updated_seq, thread)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
             ON CONFLICT (id) DO UPDATE SET updated_seq = excluded.updated_seq",
        )?;
        self.client
            .execute(&stmt, &[&ids, &titles, &created, &updated, &threads])?;
        self.unsent_threads.clear();
        macro_rules! column {
            ($f:ident) => {
                rows.iter().map(|r| &r.$f).collect::<Vec<_>>()
            };
        }
        let stmt = self.statement(
            "INSERT INTO reports (seq, id, url, title, display_title, dropped, updated, byline, language, headings, source, published, body, origin, extra_json, content_hash, story,
                first_hand, relay, marker_evidence, content_tokens, title_norm, terms, bands, placement_score, placement_evidence, lead_names, wire, outlet, first_seen, signed)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[], $20::text[],
                $21::bigint[], $22::text[], $23::text[], $24::bytea[], $25::float8[], $26::text[], $27::text[], $28::text[], $29::text[], $30::text[], $31::bool[])",
        )?;
        self.client.execute(
            &stmt,
            &[
                &column!(seq),
                &column!(id),
                &column!(url),
                &column!(title),
                &column!(display_title),
                &column!(dropped),
                &column!(updated),
                &column!(byline),
                &column!(language),
                &column!(headings),
                &column!(source),
                &column!(published),
                &column!(body),
                &column!(origin),
                &column!(extra_json),
                &column!(content_hash),
                &column!(story),
                &column!(first_hand),
                &column!(relay),
                &column!(marker_evidence),
                &column!(content_tokens),
                &column!(title_norm),
                &column!(terms),
                &column!(bands),
                &column!(placement_score),
                &column!(placement_evidence),
                &column!(lead_names),
                &column!(wire),
                &column!(outlet),
                &column!(first_seen),
                &column!(signed),
            ],
        )?;
        Ok(())
    }

    fn query(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        self.flush()?;
        let s = self.statement(sql)?;
        Ok(self.client.query(&s, params)?)
    }

    /// A query that cannot see the unsent reports (the caller accounts for them): it does not
    /// flush them, so placement's reads between two reports cost no write.
    fn query_unflushed(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        Ok(self.client.query(&s, params)?)
    }

    /// Whether a story has reports waiting to be sent.
    fn unsent_story(&self, story: i64) -> bool {
        self.unsent.iter().any(|r| r.story == story)
    }

    /// The thread an unsent story will be stored with.
    fn unsent_thread(&self, story: i64) -> i64 {
        self.unsent_threads.get(&story).copied().unwrap_or(story)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        self.flush()?;
        let s = self.statement(sql)?;
        Ok(self.client.query_opt(&s, params)?)
    }

    fn query_one(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        self.flush()?;
        let s = self.statement(sql)?;
        Ok(self.client.query_one(&s, params)?)
    }

    fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.flush()?;
        let s = self.statement(sql)?;
        Ok(self.client.execute(&s, params)?)
    }
}

pub struct PgStore {
    /// `&self` reads need the connection mutably; a store is used by one thread at a time
    /// (it is `Send`, not `Sync`, like the SQLite store's connection).
    conn: RefCell<Conn>,
    /// The URL as given, with any password cut, for messages.
    name: String,
    in_transaction: bool,
    /// The next ingest sequence number, read once per write transaction (the placement lock
    /// keeps every other writer out until it ends).
    next_seq: Option<i64>,
    /// Since when this connection holds the placement lock.
    locked_at: Option<Instant>,
    lock: LockTimes,
}

/// How long this store waited for the placement lock and held it: the serial part of an
/// ingest shared by several workers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LockTimes {
    pub batches: u64,
    pub waited: Duration,
    pub held: Duration,
}

/// The URL without its password, for messages.
pub(crate) fn display_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/dbname`) and applies
    /// pending migrations.
    pub fn open(url: &str) -> Result<PgStore> {
        let mut store = PgStore::connect(url)?;
        store.migrate()?;
        Ok(store)
    }

    /// Connects without creating anything: for commands that only read, which must not leave
    /// an empty schema behind a mistyped URL. `Ok(None)` when the database holds no Storyline
    /// store; a store older than this binary is migrated as a writer would (no data changes).
    pub fn open_existing(url: &str) -> Result<Option<PgStore>> {
        let mut store = PgStore::connect(url)?;
        let Some(version) = store.schema_version()? else {
            return Ok(None);
        };
        store.refuse_newer(version)?;
        if version < PG_SCHEMA_VERSION {
            store.migrate()?;
        }
        Ok(Some(store))
    }

    /// A connection, nothing read or written yet.
    fn connect(url: &str) -> Result<PgStore> {
        let name = display_url(url);
        let client = Client::connect(url, NoTls).map_err(|e| StoreError::Incompatible {
            path: name.clone(),
            message: format!("cannot connect to PostgreSQL: {}", pg_message(&e)),
        })?;
        Ok(PgStore {
            conn: RefCell::new(Conn {
                client,
                prepared: HashMap::new(),
                unsent: Vec::new(),
                unsent_threads: HashMap::new(),
            }),
            name,
            in_transaction: false,
            next_seq: None,
            locked_at: None,
            lock: LockTimes::default(),
        })
    }

    /// How long its write batches waited for the placement lock and held it, so far.
    pub fn lock_times(&self) -> LockTimes {
        self.lock
    }

    /// The URL it was opened with (password cut).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn incompatible(&self, message: impl Into<String>) -> StoreError {
        StoreError::Incompatible {
            path: self.name.clone(),
            message: message.into(),
        }
    }

    fn refuse_newer(&self, version: i64) -> Result<()> {
        if version > PG_SCHEMA_VERSION {
            return Err(self.incompatible(format!(
                "schema version {version} is newer than this storyline understands ({PG_SCHEMA_VERSION}); upgrade storyline"
            )));
        }
        Ok(())
    }

    /// The applied schema version, `None` when the database holds no store.
    fn schema_version(&self) -> Result<Option<i64>> {
        let mut conn = self.conn.borrow_mut();
        let exists: bool = conn
            .client
            .query_one("SELECT to_regclass('storyline_schema') IS NOT NULL", &[])?
            .get(0);
        if !exists {
            return Ok(None);
        }
        let row = conn
            .client
            .query_opt("SELECT version FROM storyline_schema", &[])?;
        Ok(Some(row.map_or(0, |r| r.get::<_, i64>(0))))
    }

    fn migrate(&mut self) -> Result<()> {
        if let Some(v) = self.schema_version()? {
            self.refuse_newer(v)?;
            if v == PG_SCHEMA_VERSION {
                return Ok(());
            }
        }
        let conn = self.conn.get_mut();
        // Several workers may open a new database at once: one applies each migration, the
        // others wait for it and then find nothing to do.
        conn.client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
        let result = (|| -> Result<()> {
            let mut tx = conn.client.transaction()?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS storyline_schema (version BIGINT NOT NULL)",
            )?;
            let version: i64 = match tx.query_opt("SELECT version FROM storyline_schema", &[])? {
                Some(r) => r.get(0),
                None => {
                    tx.execute("INSERT INTO storyline_schema (version) VALUES (0)", &[])?;
                    0
                }
            };
            if version > PG_SCHEMA_VERSION {
                return Err(StoreError::Incompatible {
                    path: String::new(),
                    message: format!(
                        "schema version {version} is newer than this storyline understands ({PG_SCHEMA_VERSION}); upgrade storyline"
                    ),
                });
            }
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.batch_execute(sql)?;
                tx.execute(
                    "UPDATE storyline_schema SET version = $1",
                    &[&((i + 1) as i64)],
                )?;
            }
            tx.commit()?;
            Ok(())
        })();
        conn.client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
        result.map_err(|e| match e {
            StoreError::Incompatible { message, .. } => self.incompatible(message),
            other => other,
        })
    }

    /// Starts a read-only transaction with one snapshot for as long as the store is used:
    /// a listing never mixes two states of the store while workers write.
    pub fn begin_read(&mut self) -> Result<()> {
        self.conn
            .get_mut()
            .client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        self.in_transaction = true;
        Ok(())
    }

    /// The store's own checks: references, what a half-written batch would leave, schema
    /// version, and jobs whose worker died holding them (reported, not errors: the next
    /// worker takes them).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let invariants: [&str; 11] = [
            // References (the schema declares none: see migration 1).
            "SELECT 'report ' || r.id || ' names story S' || r.story || ', which does not exist' FROM reports r WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = r.story)",
            "SELECT 'alignment of ' || p.a || ' and ' || p.b || ' names a report that does not exist' FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = p.a) OR NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = p.b)",
            "SELECT 'alignment of ' || p.a || ' and ' || p.b || ' names story S' || p.story || ', which does not exist' FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = p.story)",
            "SELECT 'lineage edge ' || l.from_id || ' -> ' || l.to_id || ' names a report that does not exist' FROM lineage l WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = l.from_id) OR NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = l.to_id)",
            "SELECT 'lineage edge ' || l.from_id || ' -> ' || l.to_id || ' names story S' || l.story || ', which does not exist' FROM lineage l WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = l.story)",
            "SELECT 'pending lineage of story S' || p.story || ', which does not exist' FROM lineage_pending p WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = p.story)",
            "SELECT 'story S' || id || ' has no reports' FROM stories s WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.story = s.id)",
            "SELECT 'report ' || id || ' has an empty body' FROM reports WHERE length(trim(body)) = 0",
            "SELECT 'lineage edge ' || l.from_id || ' -> ' || l.to_id || ' is not inside story S' || l.story FROM lineage l JOIN reports f ON f.id = l.from_id JOIN reports t ON t.id = l.to_id WHERE f.story != l.story OR t.story != l.story",
            "SELECT 'alignment of ' || p.a || ' and ' || p.b || ' is not inside story S' || p.story FROM pairs p JOIN reports a ON a.id = p.a JOIN reports b ON b.id = p.b WHERE a.story != p.story OR b.story != p.story",
            "SELECT 'story S' || s.id || ' names thread T' || s.thread || ', which is not a thread' FROM stories s LEFT JOIN stories t ON t.id = s.thread WHERE t.id IS NULL OR t.thread != t.id",
        ];
        let mut conn = self.conn.borrow_mut();
        for sql in invariants {
            for row in conn.query(sql, &[])? {
                problems.push(row.get(0));
            }
        }
        // An id stored twice would break idempotence (the unique index forbids it; a damaged
        // index would not).
        let dup: i64 = conn
            .query_one(
                "SELECT count(*) FROM (SELECT id FROM reports GROUP BY id HAVING count(*) > 1) d",
                &[],
            )?
            .get(0);
        if dup > 0 {
            problems.push(format!("{dup} report ids stored more than once"));
        }
        drop(conn);
        let version = self.schema_version()?.unwrap_or(0);
        if version != PG_SCHEMA_VERSION {
            problems.push(format!(
                "schema version {version}, expected {PG_SCHEMA_VERSION}"
            ));
        }
        Ok(problems)
    }

    /// The reports and lineage edges of `stories` (ordered by id, no gaps between them among
    /// the store's stories), in two range queries.
    fn fill_stories(&self, stories: &mut [StoryRecord]) -> Result<()> {
        let (Some(first), Some(last)) = (stories.first(), stories.last()) else {
            return Ok(());
        };
        let (lo, hi) = (first.id.0 as i64, last.id.0 as i64);
        let index: HashMap<u64, usize> = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.0, i))
            .collect();
        let mut conn = self.conn.borrow_mut();
        for r in conn.query(
            "SELECT story, id, title, display_title, source, url, published, role, role_evidence, placement_score, placement_evidence, outlet, first_seen FROM reports WHERE story BETWEEN $1 AND $2 ORDER BY story, seq",
            &[&lo, &hi],
        )? {
            let Some(&i) = index.get(&(r.get::<_, i64>(0) as u64)) else {
                continue;
            };
            let role: String = r.get(7);
            stories[i].reports.push(ReportSummary {
                id: ReportId(r.get(1)),
                title: r.get(2),
                display_title: r.get(3),
                source: r.get(4),
                url: r.get(5),
                published: r.get(6),
                role: Role::parse(&role).unwrap_or(Role::Original),
                role_evidence: parse_strings(r.get(8)),
                placement_score: r.get(9),
                placement_evidence: parse_strings(r.get(10)),
                outlet: r.get(11),
                first_seen: r.get(12),
            });
        }
        for r in conn.query(
            "SELECT story, from_id, to_id, kind, reuse, verbatim, evidence FROM lineage WHERE story BETWEEN $1 AND $2 ORDER BY story, to_id COLLATE \"C\", from_id COLLATE \"C\"",
            &[&lo, &hi],
        )? {
            let Some(&i) = index.get(&(r.get::<_, i64>(0) as u64)) else {
                continue;
            };
            let kind: String = r.get(3);
            stories[i].lineage.push(LineageEdge {
                from: ReportId(r.get(1)),
                to: ReportId(r.get(2)),
                kind: LineageKind::parse(&kind).unwrap_or(LineageKind::Related),
                reuse: r.get(4),
                verbatim: r.get(5),
                evidence: parse_strings(r.get(6)),
            });
        }
        Ok(())
    }

    /// Replaces the lineage edges and roles of several stories, and refreshes the titles of
    /// those whose roles changed: what is stored is read in two statements, and only what
    /// changed is written, in one statement per kind of change.
    fn write_lineages(&mut self, lineages: &[(StoryId, &StoryLineage)]) -> Result<()> {
        if lineages.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = lineages.iter().map(|(s, _)| s.0 as i64).collect();
        let conn = self.conn.get_mut();
        let mut stored: HashMap<(String, String), StoredEdge> = conn
            .query(
                "SELECT from_id, to_id, kind, reuse, verbatim, evidence FROM lineage WHERE story = ANY($1)",
                &[&ids],
            )?
            .iter()
            .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3), r.get(4), r.get(5))))
            .collect();
        let (mut e_story, mut e_from, mut e_to, mut e_kind, mut e_reuse, mut e_verb, mut e_ev) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for (story, l) in lineages {
            for e in &l.edges {
                let evidence = strings_json(&e.evidence);
                let key = (e.from.0.clone(), e.to.0.clone());
                if !edge_unchanged(stored.remove(&key), e, &evidence) {
                    e_story.push(story.0 as i64);
                    e_from.push(e.from.0.clone());
                    e_to.push(e.to.0.clone());
                    e_kind.push(e.kind.as_str());
                    e_reuse.push(e.reuse);
                    e_verb.push(e.verbatim);
                    e_ev.push(evidence);
                }
            }
        }
        if !stored.is_empty() {
            let (from, to): (Vec<String>, Vec<String>) = stored.into_keys().unzip();
            conn.execute(
                "DELETE FROM lineage l USING unnest($1::text[], $2::text[]) AS gone(f, t)
                 WHERE l.from_id = gone.f AND l.to_id = gone.t",
                &[&from, &to],
            )?;
        }
        if !e_from.is_empty() {
            conn.execute(
                "INSERT INTO lineage (story, from_id, to_id, kind, reuse, verbatim, evidence)
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])
                 ON CONFLICT (from_id, to_id) DO UPDATE SET story = excluded.story, kind = excluded.kind,
                     reuse = excluded.reuse, verbatim = excluded.verbatim, evidence = excluded.evidence",
                &[&e_story, &e_from, &e_to, &e_kind, &e_reuse, &e_verb, &e_ev],
            )?;
        }
        let roles: HashMap<String, (String, String)> = conn
            .query(
                "SELECT id, role, role_evidence FROM reports WHERE story = ANY($1)",
                &[&ids],
            )?
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        let (mut r_id, mut r_role, mut r_why, mut retitle) = (vec![], vec![], vec![], vec![]);
        for (story, l) in lineages {
            let mut changed = false;
            for (id, role, why) in &l.roles {
                let why = strings_json(why);
                if role_unchanged(roles.get(&id.0), *role, &why) {
                    continue;
                }
                changed = true;
                r_id.push(id.0.as_str());
                r_role.push(role.as_str());
                r_why.push(why);
            }
            if changed {
                retitle.push(story.0 as i64);
            }
        }
        if !r_id.is_empty() {
            conn.execute(
                "UPDATE reports r SET role = u.role, role_evidence = u.why
                 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, role, why)
                 WHERE r.id = u.id",
                &[&r_id, &r_role, &r_why],
            )?;
        }
        if !retitle.is_empty() {
            // The story's title: its first original report's, else its first report's.
            conn.execute(
                "UPDATE stories s SET title = (SELECT display_title FROM reports WHERE story = s.id
                 ORDER BY (role = 'original') DESC, (title IS NOT NULL) DESC, seq LIMIT 1)
                 WHERE s.id = ANY($1)",
                &[&retitle],
            )?;
        }
        Ok(())
    }
}

/// PostgreSQL's own words for an error (its message and detail), not the driver's wrapper.
pub(crate) fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                s = format!("{s}: {inner}");
                source = inner.source();
            }
            s
        }
    }
}

fn seq_i64(n: u64) -> i64 {
    n as i64
}

/// As in the SQLite store: per story, size, dates and outlets of the stories that pass the
/// text and outlet filters; the size bar is applied after, so the folded ones can be counted.
macro_rules! page_agg {
    () => {
        "WITH agg AS (
            SELECT story, count(*) AS n, min(published) AS first, max(published) AS last
            FROM reports
            WHERE ($1::text IS NULL OR story IN (SELECT story FROM reports
                    WHERE coalesce(title, '') ILIKE $1 ESCAPE '\\'
                       OR display_title ILIKE $1 ESCAPE '\\'
                       OR body ILIKE $1 ESCAPE '\\'))
              AND ($2::text IS NULL OR story IN (SELECT story FROM reports WHERE outlet = $2))
            GROUP BY story)"
    };
}

macro_rules! page_rows {
    ($order:literal) => {
        concat!(
            page_agg!(),
            " SELECT s.id, s.title, s.thread, agg.n, agg.first, agg.last,
                (SELECT string_agg(src, chr(31) ORDER BY src COLLATE \"C\") FROM
                    (SELECT DISTINCT outlet AS src FROM reports
                     WHERE story = s.id AND outlet IS NOT NULL) d)
             FROM agg JOIN stories s ON s.id = agg.story
             WHERE agg.n >= $3
             ORDER BY ",
            $order,
            " LIMIT $4 OFFSET $5"
        )
    };
}

const PAGE_NEWEST: &str = page_rows!("s.id DESC");
const PAGE_SIZE: &str = page_rows!("agg.n DESC, s.id DESC");
const PAGE_DATE: &str = page_rows!("agg.last IS NULL, agg.last DESC, s.id DESC");

impl Store for PgStore {
    fn begin(&mut self) -> Result<()> {
        let conn = self.conn.get_mut();
        conn.client.batch_execute("BEGIN")?;
        self.in_transaction = true;
        let asked = Instant::now();
        conn.execute("SELECT pg_advisory_xact_lock($1)", &[&PLACEMENT_LOCK])?;
        let now = Instant::now();
        self.lock.waited += now - asked;
        self.lock.batches += 1;
        self.locked_at = Some(now);
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.next_seq = None;
        let conn = self.conn.get_mut();
        conn.flush()?;
        conn.client.batch_execute("COMMIT")?;
        self.in_transaction = false;
        if let Some(at) = self.locked_at.take() {
            self.lock.held += at.elapsed();
        }
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        self.next_seq = None;
        self.conn.get_mut().unsent.clear();
        self.conn.get_mut().unsent_threads.clear();
        if self.in_transaction {
            self.conn.get_mut().client.batch_execute("ROLLBACK")?;
            self.in_transaction = false;
            if let Some(at) = self.locked_at.take() {
                self.lock.held += at.elapsed();
            }
        }
        Ok(())
    }

    fn report_hash(&self, id: &ReportId) -> Result<Option<u64>> {
        Ok(self
            .conn
            .borrow_mut()
            .query_opt("SELECT content_hash FROM reports WHERE id = $1", &[&id.0])?
            .map(|r| r.get::<_, i64>(0) as u64))
    }

    fn report_hashes(&self, ids: &[&ReportId]) -> Result<Vec<Option<u64>>> {
        let keys: Vec<&str> = ids.iter().map(|id| id.0.as_str()).collect();
        let found: HashMap<String, i64> = self
            .conn
            .borrow_mut()
            .query(
                "SELECT id, content_hash FROM reports WHERE id = ANY($1)",
                &[&keys],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(keys
            .iter()
            .map(|k| found.get(*k).map(|h| *h as u64))
            .collect())
    }

    fn insert_report(&mut self, n: &NewReport<'_>) -> Result<u64> {
        let r = n.report;
        let conn = self.conn.get_mut();
        // Under the placement lock: no other batch takes a number meanwhile.
        let seq = match self.next_seq {
            Some(n) => n,
            None => conn
                .query_one("SELECT coalesce(max(seq), 0) + 1 FROM reports", &[])?
                .get(0),
        };
        conn.unsent.push(ReportRow {
            seq,
            id: r.id.0.clone(),
            url: r.url.clone(),
            title: r.title.clone(),
            display_title: n.display_title.to_string(),
            dropped: dropped_json(&r.dropped),
            updated: r.updated.clone(),
            byline: r.byline.clone(),
            language: r.language.clone(),
            headings: serde_json::to_string(&r.headings).unwrap_or_else(|_| "[]".into()),
            source: r.source.clone(),
            published: r.published.clone(),
            body: r.text.clone(),
            origin: r.origin.clone(),
            extra_json: r.extra_json.clone(),
            content_hash: n.content_hash as i64,
            story: n.story.0 as i64,
            first_hand: n.features.markers.first_hand as i64,
            relay: n.features.markers.relay as i64,
            marker_evidence: strings_json(n.marker_evidence),
            content_tokens: n.features.content_tokens as i64,
            title_norm: n.features.title_normalized.clone(),
            terms: encode_terms(n.term_counts),
            bands: encode_bands(n.band_keys),
            placement_score: n.placement_score,
            placement_evidence: strings_json(n.placement_evidence),
            lead_names: n.lead_names.join("\n"),
            wire: n.features.wire.clone(),
            outlet: n.outlet.map(str::to_string),
            first_seen: n.first_seen.to_string(),
            signed: n.features.signed,
        });
        self.next_seq = Some(seq + 1);
        Ok(seq as u64)
    }

    fn put_pair(&mut self, p: &PairRecord) -> Result<()> {
        let e = &p.evidence;
        self.conn.get_mut().execute(
            "INSERT INTO pairs (story, a, b, similarity, a_in_b, b_in_a) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (a, b) DO UPDATE SET story = excluded.story, similarity = excluded.similarity,
                 a_in_b = excluded.a_in_b, b_in_a = excluded.b_in_a",
            &[
                &(p.story.0 as i64),
                &e.a.0,
                &e.b.0,
                &e.similarity,
                &summary_json(&e.a_in_b, &p.a_in_b),
                &summary_json(&e.b_in_a, &p.b_in_a),
            ],
        )?;
        Ok(())
    }

    fn story_members(&self, story: StoryId) -> Result<Vec<MemberFeatures>> {
        Ok(self
            .conn
            .borrow_mut()
            .query(
                "SELECT id, seq, published, first_hand, relay, content_tokens, title_norm, wire, signed, outlet FROM reports WHERE story = $1 ORDER BY seq",
                &[&(story.0 as i64)],
            )?
            .iter()
            .map(|r| MemberFeatures {
                id: ReportId(r.get(0)),
                seq: r.get::<_, i64>(1) as u64,
                published: r.get(2),
                markers: SourcingMarkers {
                    first_hand: r.get::<_, i64>(3) as u32,
                    relay: r.get::<_, i64>(4) as u32,
                },
                content_tokens: r.get::<_, i64>(5) as usize,
                title_normalized: r.get(6),
                wire: r.get(7),
                signed: r.get(8),
                outlet: r.get(9),
            })
            .collect())
    }

    fn story_pairs(&self, story: StoryId) -> Result<Vec<PairEvidence>> {
        let rows = self.conn.borrow_mut().query(
            "SELECT a, b, similarity, a_in_b, b_in_a FROM pairs WHERE story = $1 ORDER BY a COLLATE \"C\", b COLLATE \"C\"",
            &[&(story.0 as i64)],
        )?;
        rows.iter()
            .map(|r| {
                Ok(PairEvidence {
                    a: ReportId(r.get(0)),
                    b: ReportId(r.get(1)),
                    a_in_b: parse_summary(r.get(3))?,
                    b_in_a: parse_summary(r.get(4))?,
                    similarity: r.get(2),
                })
            })
            .collect()
    }

    fn replace_lineage(&mut self, story: StoryId, l: &StoryLineage) -> Result<()> {
        self.write_lineages(&[(story, l)])
    }

    fn put_pairs(&mut self, pairs: &[PairRecord]) -> Result<()> {
        if pairs.is_empty() {
            return Ok(());
        }
        // One statement for the batch; a pair aligned twice keeps its last alignment (one
        // statement may not update a row twice).
        let mut last: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, p) in pairs.iter().enumerate() {
            last.insert((&p.evidence.a.0, &p.evidence.b.0), i);
        }
        let mut keep: Vec<usize> = last.into_values().collect();
        keep.sort_unstable();
        let (mut story, mut a, mut b, mut sim, mut ab, mut ba) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for i in keep {
            let p = &pairs[i];
            let e = &p.evidence;
            story.push(p.story.0 as i64);
            a.push(e.a.0.as_str());
            b.push(e.b.0.as_str());
            sim.push(e.similarity);
            ab.push(summary_json(&e.a_in_b, &p.a_in_b));
            ba.push(summary_json(&e.b_in_a, &p.b_in_a));
        }
        self.conn.get_mut().execute(
            "INSERT INTO pairs (story, a, b, similarity, a_in_b, b_in_a)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::text[])
             ON CONFLICT (a, b) DO UPDATE SET story = excluded.story, similarity = excluded.similarity,
                 a_in_b = excluded.a_in_b, b_in_a = excluded.b_in_a",
            &[&story, &a, &b, &sim, &ab, &ba],
        )?;
        Ok(())
    }

    fn mark_lineages_pending(&mut self, stories: &[StoryId]) -> Result<()> {
        let ids: Vec<i64> = stories.iter().map(|s| s.0 as i64).collect();
        self.conn.get_mut().execute(
            "INSERT INTO lineage_pending (story) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING",
            &[&ids],
        )?;
        Ok(())
    }

    fn lineage_inputs(&self, stories: &[StoryId]) -> Result<Vec<LineageInputs>> {
        let ids: Vec<i64> = stories.iter().map(|s| s.0 as i64).collect();
        let at: HashMap<u64, usize> = stories.iter().enumerate().map(|(i, s)| (s.0, i)).collect();
        let mut out = vec![LineageInputs::default(); stories.len()];
        let mut conn = self.conn.borrow_mut();
        for r in conn.query(
            "SELECT story, id, seq, published, first_hand, relay, content_tokens, title_norm, wire, signed, outlet FROM reports WHERE story = ANY($1) ORDER BY story, seq",
            &[&ids],
        )? {
            let Some(&i) = at.get(&(r.get::<_, i64>(0) as u64)) else {
                continue;
            };
            out[i].members.push(MemberFeatures {
                id: ReportId(r.get(1)),
                seq: r.get::<_, i64>(2) as u64,
                published: r.get(3),
                markers: SourcingMarkers {
                    first_hand: r.get::<_, i64>(4) as u32,
                    relay: r.get::<_, i64>(5) as u32,
                },
                content_tokens: r.get::<_, i64>(6) as usize,
                title_normalized: r.get(7),
                wire: r.get(8),
                signed: r.get(9),
                outlet: r.get(10),
            });
        }
        for r in conn.query(
            "SELECT story, a, b, similarity, a_in_b, b_in_a FROM pairs WHERE story = ANY($1) ORDER BY story, a COLLATE \"C\", b COLLATE \"C\"",
            &[&ids],
        )? {
            let Some(&i) = at.get(&(r.get::<_, i64>(0) as u64)) else {
                continue;
            };
            out[i].pairs.push(PairEvidence {
                a: ReportId(r.get(1)),
                b: ReportId(r.get(2)),
                a_in_b: parse_summary(r.get(4))?,
                b_in_a: parse_summary(r.get(5))?,
                similarity: r.get(3),
            });
        }
        Ok(out)
    }

    fn settle_lineages(&mut self, lineages: &[(StoryId, StoryLineage)]) -> Result<()> {
        let refs: Vec<(StoryId, &StoryLineage)> = lineages.iter().map(|(s, l)| (*s, l)).collect();
        self.write_lineages(&refs)?;
        let ids: Vec<i64> = lineages.iter().map(|(s, _)| s.0 as i64).collect();
        self.conn
            .get_mut()
            .execute("DELETE FROM lineage_pending WHERE story = ANY($1)", &[&ids])?;
        Ok(())
    }

    // Placement asks for and sets threads between two reports: done without sending the
    // unsent reports first. A story that is only unsent is new: its thread is its own, or the
    // one `set_thread` gave it, kept until its row is sent.
    fn set_thread(&mut self, story: StoryId, thread: StoryId) -> Result<()> {
        let (id, to) = (story.0 as i64, thread.0 as i64);
        let conn = self.conn.get_mut();
        let stmt = conn.statement("UPDATE stories SET thread = $2 WHERE id = $1")?;
        if conn.client.execute(&stmt, &[&id, &to])? == 0 && conn.unsent_story(id) {
            conn.unsent_threads.insert(id, to);
        }
        Ok(())
    }

    fn thread_of(&self, story: StoryId) -> Result<Option<StoryId>> {
        let id = story.0 as i64;
        let mut conn = self.conn.borrow_mut();
        let found = conn
            .query_unflushed("SELECT thread FROM stories WHERE id = $1", &[&id])?
            .first()
            .map(|r| StoryId(r.get::<_, i64>(0) as u64));
        Ok(found.or_else(|| {
            conn.unsent_story(id)
                .then(|| StoryId(conn.unsent_thread(id) as u64))
        }))
    }

    fn thread_stories(&self, thread: StoryId) -> Result<Vec<StoryId>> {
        let id = thread.0 as i64;
        let mut conn = self.conn.borrow_mut();
        let mut stories: Vec<StoryId> = conn
            .query_unflushed(
                "SELECT id FROM stories WHERE thread = $1 ORDER BY id",
                &[&id],
            )?
            .iter()
            .map(|r| StoryId(r.get::<_, i64>(0) as u64))
            .collect();
        let mut unsent: Vec<StoryId> = conn
            .unsent
            .iter()
            .map(|r| r.story)
            .filter(|s| conn.unsent_thread(*s) == id)
            .map(|s| StoryId(s as u64))
            .filter(|s| !stories.contains(s))
            .collect();
        unsent.sort_unstable();
        unsent.dedup();
        stories.extend(unsent);
        stories.sort_unstable();
        Ok(stories)
    }

    fn threads_after(
        &self,
        after: StoryId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ThreadSummary>> {
        Ok(self
            .conn
            .borrow_mut()
            .query(
                "SELECT s.thread, count(*), (SELECT title FROM stories WHERE id = s.thread),
                    (SELECT count(*) FROM reports r WHERE r.story IN
                        (SELECT id FROM stories WHERE thread = s.thread))
                 FROM stories s WHERE s.thread > $1 GROUP BY s.thread HAVING count(*) > 1
                 ORDER BY s.thread LIMIT $2 OFFSET $3",
                &[&(after.0 as i64), &(limit as i64), &(offset as i64)],
            )?
            .iter()
            .map(|r| ThreadSummary {
                id: StoryId(r.get::<_, i64>(0) as u64),
                stories: r.get::<_, i64>(1) as u64,
                title: r.get::<_, Option<String>>(2).unwrap_or_default(),
                reports: r.get::<_, i64>(3) as u64,
            })
            .collect())
    }

    fn thread_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .borrow_mut()
            .query_one(
                "SELECT count(*) FROM (SELECT thread FROM stories GROUP BY thread HAVING count(*) > 1) t",
                &[],
            )?
            .get::<_, i64>(0) as u64)
    }

    fn mark_lineage_pending(&mut self, story: StoryId) -> Result<()> {
        self.conn.get_mut().execute(
            "INSERT INTO lineage_pending (story) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&(story.0 as i64)],
        )?;
        Ok(())
    }

    fn lineage_pending(&self) -> Result<Vec<StoryId>> {
        Ok(self
            .conn
            .borrow_mut()
            .query("SELECT story FROM lineage_pending ORDER BY story", &[])?
            .iter()
            .map(|r| StoryId(r.get::<_, i64>(0) as u64))
            .collect())
    }

    fn clear_lineage_pending(&mut self, story: StoryId) -> Result<()> {
        self.conn.get_mut().execute(
            "DELETE FROM lineage_pending WHERE story = $1",
            &[&(story.0 as i64)],
        )?;
        Ok(())
    }

    fn index_rows(&self, after_seq: u64, each: &mut dyn FnMut(IndexRow)) -> Result<()> {
        let mut conn = self.conn.borrow_mut();
        conn.flush()?;
        let stmt = conn.statement(
            "SELECT id, story, terms, bands, seq, published, lead_names FROM reports WHERE seq > $1 ORDER BY seq",
        )?;
        // Streamed: rebuilding the index of a million reports must not hold them all at once.
        let after = seq_i64(after_seq);
        let mut rows = conn
            .client
            .query_raw(&stmt, [&after as &(dyn ToSql + Sync)])?;
        use postgres::fallible_iterator::FallibleIterator;
        while let Some(r) = rows.next()? {
            let terms: &str = r.get(2);
            let bands: &[u8] = r.get(3);
            let lead: &str = r.get(6);
            each(IndexRow {
                seq: r.get::<_, i64>(4) as u64,
                id: ReportId(r.get(0)),
                story: StoryId(r.get::<_, i64>(1) as u64),
                term_counts: decode_terms(terms),
                band_keys: decode_bands(bands),
                published: r.get(5),
                lead_names: lead.lines().map(String::from).collect(),
            });
        }
        Ok(())
    }

    fn last_seq(&self) -> Result<u64> {
        Ok(self
            .conn
            .borrow_mut()
            .query_one("SELECT coalesce(max(seq), 0) FROM reports", &[])?
            .get::<_, i64>(0) as u64)
    }

    fn report(&self, id: &ReportId) -> Result<Option<(Report, StoryId, u64)>> {
        Ok(self
            .conn
            .borrow_mut()
            .query_opt(
                "SELECT id, url, title, source, published, body, origin, extra_json, story, seq, dropped, updated, byline, language, headings FROM reports WHERE id = $1",
                &[&id.0],
            )?
            .map(|r| {
                (
                    Report {
                        id: ReportId(r.get(0)),
                        url: r.get(1),
                        title: r.get(2),
                        source: r.get(3),
                        published: r.get(4),
                        updated: r.get(11),
                        byline: r.get(12),
                        language: r.get(13),
                        text: r.get(5),
                        origin: r.get(6),
                        extra_json: r.get(7),
                        dropped: parse_dropped(r.get(10)),
                        headings: serde_json::from_str(r.get(14)).unwrap_or_default(),
                    },
                    StoryId(r.get::<_, i64>(8) as u64),
                    r.get::<_, i64>(9) as u64,
                )
            }))
    }

    fn story_ids_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryId>> {
        Ok(self
            .conn
            .borrow_mut()
            .query(
                "SELECT id FROM stories WHERE id > $1 ORDER BY id LIMIT $2",
                &[&(after.0 as i64), &(limit as i64)],
            )?
            .iter()
            .map(|r| StoryId(r.get::<_, i64>(0) as u64))
            .collect())
    }

    fn stories_after(&self, after: StoryId, limit: usize) -> Result<Vec<StoryRecord>> {
        let mut stories: Vec<StoryRecord> = self
            .conn
            .borrow_mut()
            .query(
                "SELECT id, title, thread FROM stories WHERE id > $1 ORDER BY id LIMIT $2",
                &[&(after.0 as i64), &(limit as i64)],
            )?
            .iter()
            .map(|r| StoryRecord {
                id: StoryId(r.get::<_, i64>(0) as u64),
                title: r.get(1),
                thread: StoryId(r.get::<_, i64>(2) as u64),
                reports: Vec::new(),
                lineage: Vec::new(),
            })
            .collect();
        self.fill_stories(&mut stories)?;
        Ok(stories)
    }

    fn story(&self, id: StoryId) -> Result<Option<StoryRecord>> {
        let Some(row) = self.conn.borrow_mut().query_opt(
            "SELECT title, thread FROM stories WHERE id = $1",
            &[&(id.0 as i64)],
        )?
        else {
            return Ok(None);
        };
        let mut stories = vec![StoryRecord {
            id,
            title: row.get(0),
            thread: StoryId(row.get::<_, i64>(1) as u64),
            reports: Vec::new(),
            lineage: Vec::new(),
        }];
        self.fill_stories(&mut stories)?;
        Ok(stories.pop())
    }

    fn counts(&self) -> Result<(u64, u64)> {
        let row = self.conn.borrow_mut().query_one(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM stories)",
            &[],
        )?;
        Ok((row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
    }

    fn story_ids(&self) -> Result<Vec<StoryId>> {
        Ok(self
            .conn
            .borrow_mut()
            .query("SELECT id FROM stories ORDER BY id", &[])?
            .iter()
            .map(|r| StoryId(r.get::<_, i64>(0) as u64))
            .collect())
    }

    fn search_stories(&self, query: &str) -> Result<Vec<StoryId>> {
        let pattern = like_pattern(query);
        Ok(self
            .conn
            .borrow_mut()
            .query(
                "SELECT DISTINCT story FROM reports
                 WHERE coalesce(title, '') ILIKE $1 ESCAPE '\\'
                    OR display_title ILIKE $1 ESCAPE '\\'
                    OR body ILIKE $1 ESCAPE '\\'
                 ORDER BY story",
                &[&pattern],
            )?
            .iter()
            .map(|r| StoryId(r.get::<_, i64>(0) as u64))
            .collect())
    }

    fn story_page(&self, q: &StoryListQuery) -> Result<StoryPage> {
        let pattern = q.text.as_deref().map(like_pattern);
        let min = q.min_reports as i64;
        let mut conn = self.conn.borrow_mut();
        let counts = conn.query_one(
            concat!(
                page_agg!(),
                " SELECT count(*) FILTER (WHERE n >= $3), count(*) FILTER (WHERE n < $3) FROM agg"
            ),
            &[&pattern, &q.outlet, &min],
        )?;
        let (total, folded): (i64, i64) = (counts.get(0), counts.get(1));
        let sql = match q.sort {
            StorySort::Newest => PAGE_NEWEST,
            StorySort::Size => PAGE_SIZE,
            StorySort::Date => PAGE_DATE,
        };
        let rows = conn
            .query(
                sql,
                &[
                    &pattern,
                    &q.outlet,
                    &min,
                    &(q.limit as i64),
                    &(q.offset as i64),
                ],
            )?
            .iter()
            .map(|r| {
                let outlets: Option<String> = r.get(6);
                StoryRow {
                    id: StoryId(r.get::<_, i64>(0) as u64),
                    title: r.get(1),
                    thread: StoryId(r.get::<_, i64>(2) as u64),
                    reports: r.get::<_, i64>(3) as u64,
                    first_published: r.get(4),
                    last_published: r.get(5),
                    outlets: outlets
                        .map(|o| o.split('\u{1f}').map(String::from).collect())
                        .unwrap_or_default(),
                }
            })
            .collect();
        Ok(StoryPage {
            rows,
            total: total as u64,
            folded: folded as u64,
        })
    }

    fn pair_matches(
        &self,
        a: &ReportId,
        b: &ReportId,
    ) -> Result<Option<(Vec<SentenceMatch>, Vec<SentenceMatch>)>> {
        let row = self.conn.borrow_mut().query_opt(
            "SELECT a, a_in_b, b_in_a FROM pairs WHERE (a = $1 AND b = $2) OR (a = $2 AND b = $1)",
            &[&a.0, &b.0],
        )?;
        Ok(row.map(|r| {
            let first: String = r.get(0);
            let (x, y) = (parse_matches(r.get(1)), parse_matches(r.get(2)));
            if first == a.0 { (x, y) } else { (y, x) }
        }))
    }

    fn site_line_counts(&self, lines: &[(&str, u64)]) -> Result<Vec<u32>> {
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let sites: Vec<&str> = lines.iter().map(|(s, _)| *s).collect();
        let hashes: Vec<i64> = lines.iter().map(|(_, h)| *h as i64).collect();
        let found: HashMap<(String, i64), i32> = self
            .conn
            .borrow_mut()
            .query(
                "SELECT l.site, l.line_hash, l.reports FROM site_lines l
                 JOIN unnest($1::text[], $2::bigint[]) AS k(site, h) ON l.site = k.site AND l.line_hash = k.h",
                &[&sites, &hashes],
            )?
            .iter()
            .map(|r| ((r.get(0), r.get(1)), r.get(2)))
            .collect();
        Ok(lines
            .iter()
            .map(|(s, h)| {
                found
                    .get(&(s.to_string(), *h as i64))
                    .map_or(0, |n| *n as u32)
            })
            .collect())
    }

    fn add_site_lines(&mut self, lines: &[(&str, u64, u32)]) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let sites: Vec<&str> = lines.iter().map(|(s, _, _)| *s).collect();
        let hashes: Vec<i64> = lines.iter().map(|(_, h, _)| *h as i64).collect();
        let counts: Vec<i32> = lines.iter().map(|(_, _, n)| *n as i32).collect();
        self.conn.get_mut().execute(
            "INSERT INTO site_lines (site, line_hash, reports)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
             ON CONFLICT (site, line_hash) DO UPDATE SET reports = site_lines.reports + excluded.reports",
            &[&sites, &hashes, &counts],
        )?;
        Ok(())
    }

    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        Ok(self
            .conn
            .borrow_mut()
            .query_opt(
                "SELECT etag, last_modified FROM feeds WHERE url = $1",
                &[&url],
            )?
            .map(|r| FeedValidators {
                etag: r.get(0),
                last_modified: r.get(1),
            }))
    }

    fn claim_feed_poll(&mut self, url: &str, interval: Duration, poller: &str) -> Result<bool> {
        let ms = interval.as_secs_f64() * 1000.0;
        let n = self.conn.get_mut().execute(
            "INSERT INTO feed_polls (url, next_poll_at, poller)
             VALUES ($1, now() + $2 * interval '1 millisecond', $3)
             ON CONFLICT (url) DO UPDATE SET next_poll_at = excluded.next_poll_at, poller = excluded.poller
             WHERE feed_polls.next_poll_at <= now()",
            &[&url, &ms, &poller],
        )?;
        Ok(n == 1)
    }

    fn coverage(
        &self,
        each_report: &mut dyn FnMut(CoverageReport),
        each_edge: &mut dyn FnMut(CoverageEdge),
    ) -> Result<()> {
        let mut conn = self.conn.borrow_mut();
        for r in conn.query(
            "SELECT id, story, outlet, published, first_seen, role, wire FROM reports ORDER BY seq",
            &[],
        )? {
            let role: String = r.get(5);
            each_report(CoverageReport {
                id: ReportId(r.get(0)),
                story: StoryId(r.get::<_, i64>(1) as u64),
                outlet: r.get(2),
                published: r.get(3),
                first_seen: r.get(4),
                role: Role::parse(&role).unwrap_or(Role::Original),
                wire: r.get(6),
            });
        }
        for r in conn.query(
            "SELECT from_id, to_id, kind, reuse FROM lineage ORDER BY story, to_id COLLATE \"C\", from_id COLLATE \"C\"",
            &[],
        )? {
            let kind: String = r.get(2);
            each_edge(CoverageEdge {
                from: ReportId(r.get(0)),
                to: ReportId(r.get(1)),
                kind: LineageKind::parse(&kind).unwrap_or(LineageKind::Related),
                reuse: r.get(3),
            });
        }
        Ok(())
    }

    fn arrivals_after(&self, after_seq: u64, limit: usize) -> Result<Vec<NewArrival>> {
        let rows = self.conn.borrow_mut().query(
            "SELECT r.seq, r.id, r.story, s.thread, s.created_seq, r.outlet, r.display_title
             FROM reports r JOIN stories s ON s.id = r.story
             WHERE r.seq > $1 ORDER BY r.seq LIMIT $2",
            &[&(after_seq as i64), &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| NewArrival {
                seq: r.get::<_, i64>(0) as u64,
                id: ReportId(r.get(1)),
                story: StoryId(r.get::<_, i64>(2) as u64),
                thread: StoryId(r.get::<_, i64>(3) as u64),
                story_created_seq: r.get::<_, i64>(4) as u64,
                outlet: r.get(5),
                display_title: r.get(6),
            })
            .collect())
    }

    fn add_subscription(&mut self, s: &Subscription) -> Result<()> {
        self.conn.get_mut().execute(
            "INSERT INTO subscriptions (id, kind, target, webhook_url, secret, created, start_seq, cursor_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &s.id,
                &s.kind.as_str(),
                &s.target,
                &s.webhook_url,
                &s.secret,
                &s.created,
                &(s.start_seq as i64),
                &(s.cursor_seq as i64),
            ],
        )?;
        Ok(())
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>> {
        let rows = self.conn.borrow_mut().query(
            "SELECT id, kind, target, webhook_url, secret, created, start_seq, cursor_seq FROM subscriptions ORDER BY created, id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| Subscription {
                id: r.get(0),
                kind: SubscriptionKind::parse(r.get(1)).unwrap_or(SubscriptionKind::Query),
                target: r.get(2),
                webhook_url: r.get(3),
                secret: r.get(4),
                created: r.get(5),
                start_seq: r.get::<_, i64>(6) as u64,
                cursor_seq: r.get::<_, i64>(7) as u64,
            })
            .collect())
    }

    fn remove_subscription(&mut self, id: &str) -> Result<bool> {
        let conn = self.conn.get_mut();
        conn.client.batch_execute("BEGIN")?;
        conn.execute("DELETE FROM webhook_outbox WHERE subscription = $1", &[&id])?;
        conn.execute("DELETE FROM alert_events WHERE subscription = $1", &[&id])?;
        let n = conn.execute("DELETE FROM subscriptions WHERE id = $1", &[&id])?;
        conn.client.batch_execute("COMMIT")?;
        Ok(n > 0)
    }

    fn record_alerts(
        &mut self,
        subscription: &str,
        cursor_seq: u64,
        events: &[AlertEvent],
        now_ms: i64,
    ) -> Result<usize> {
        let own = !self.in_transaction;
        let conn = self.conn.get_mut();
        if own {
            conn.client.batch_execute("BEGIN")?;
        }
        let done = (|| -> Result<usize> {
            let mut new = 0;
            for e in events {
                let n = conn.execute(
                    "INSERT INTO alert_events (id, subscription, kind, story, report, title, summary, created, payload)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                    &[
                        &e.id,
                        &e.subscription,
                        &e.kind,
                        &e.story.map(|s| s.0 as i64),
                        &e.report.as_ref().map(|r| r.0.as_str()),
                        &e.title,
                        &e.summary,
                        &e.created,
                        &e.payload,
                    ],
                )?;
                if n > 0 {
                    new += 1;
                    conn.execute(
                        "INSERT INTO webhook_outbox (event, subscription, next_attempt)
                         SELECT $1, id, $3 FROM subscriptions WHERE id = $2 AND webhook_url IS NOT NULL
                         ON CONFLICT (event) DO NOTHING",
                        &[&e.id, &subscription, &now_ms],
                    )?;
                }
            }
            conn.execute(
                "UPDATE subscriptions SET cursor_seq = greatest(cursor_seq, $2) WHERE id = $1",
                &[&subscription, &(cursor_seq as i64)],
            )?;
            Ok(new)
        })();
        if own {
            match &done {
                Ok(_) => conn.client.batch_execute("COMMIT")?,
                Err(_) => {
                    let _ = conn.client.batch_execute("ROLLBACK");
                }
            }
        }
        done
    }

    fn alert_events(&self, subscription: &str, limit: usize) -> Result<Vec<AlertEvent>> {
        let rows = self.conn.borrow_mut().query(
            "SELECT id, subscription, kind, story, report, title, summary, created, payload
             FROM alert_events WHERE subscription = $1 ORDER BY n DESC LIMIT $2",
            &[&subscription, &(limit as i64)],
        )?;
        Ok(rows.iter().map(alert_event_row).collect())
    }

    fn due_deliveries(&self, now_ms: i64, limit: usize) -> Result<Vec<Delivery>> {
        let rows = self.conn.borrow_mut().query(
            "SELECT e.id, e.subscription, e.kind, e.story, e.report, e.title, e.summary, e.created, e.payload,
                    s.webhook_url, s.secret, o.attempts
             FROM webhook_outbox o JOIN alert_events e ON e.id = o.event JOIN subscriptions s ON s.id = o.subscription
             WHERE o.delivered IS NULL AND o.failed IS NULL AND o.next_attempt <= $1 AND s.webhook_url IS NOT NULL
             ORDER BY o.next_attempt, e.n LIMIT $2",
            &[&now_ms, &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| Delivery {
                event: alert_event_row(r),
                webhook_url: r.get(9),
                secret: r.get(10),
                attempts: r.get::<_, i32>(11) as u32,
            })
            .collect())
    }

    fn next_delivery_due(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .borrow_mut()
            .query_one(
                "SELECT min(next_attempt) FROM webhook_outbox WHERE delivered IS NULL AND failed IS NULL",
                &[],
            )?
            .get(0))
    }

    fn record_delivery(&mut self, event: &str, outcome: &DeliveryOutcome) -> Result<()> {
        let conn = self.conn.get_mut();
        match outcome {
            DeliveryOutcome::Delivered { at_ms } => conn.execute(
                "UPDATE webhook_outbox SET attempts = attempts + 1, delivered = $2, last_error = NULL WHERE event = $1",
                &[&event, at_ms],
            )?,
            DeliveryOutcome::Retry { next_ms, error } => conn.execute(
                "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt = $2, last_error = $3 WHERE event = $1",
                &[&event, next_ms, error],
            )?,
            DeliveryOutcome::GaveUp { at_ms, error } => conn.execute(
                "UPDATE webhook_outbox SET attempts = attempts + 1, failed = $2, last_error = $3 WHERE event = $1",
                &[&event, at_ms, error],
            )?,
        };
        Ok(())
    }

    fn outbox_counts(&self, subscription: &str) -> Result<OutboxCounts> {
        let r = self.conn.borrow_mut().query_one(
            "SELECT count(*) FILTER (WHERE delivered IS NULL AND failed IS NULL), count(delivered), count(failed)
             FROM webhook_outbox WHERE subscription = $1",
            &[&subscription],
        )?;
        Ok(OutboxCounts {
            pending: r.get::<_, i64>(0) as u64,
            delivered: r.get::<_, i64>(1) as u64,
            failed: r.get::<_, i64>(2) as u64,
        })
    }

    fn set_feed_validators(&mut self, url: &str, v: &FeedValidators) -> Result<()> {
        self.conn.get_mut().execute(
            "INSERT INTO feeds (url, etag, last_modified, fetched_at)
             VALUES ($1, $2, $3, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))
             ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3,
                 fetched_at = excluded.fetched_at",
            &[&url, &v.etag, &v.last_modified],
        )?;
        Ok(())
    }
}

/// An [`AlertEvent`] from the first nine columns of a row.
fn alert_event_row(r: &Row) -> AlertEvent {
    AlertEvent {
        id: r.get(0),
        subscription: r.get(1),
        kind: r.get(2),
        story: r.get::<_, Option<i64>>(3).map(|s| StoryId(s as u64)),
        report: r.get::<_, Option<String>>(4).map(ReportId),
        title: r.get(5),
        summary: r.get(6),
        created: r.get(7),
        payload: r.get(8),
    }
}
