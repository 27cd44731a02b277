//! The work queue of a PostgreSQL store: `storyline enqueue` adds jobs (lists of input files),
//! `storyline worker` processes claim them one at a time.
//!
//! A claim is one statement (`FOR UPDATE SKIP LOCKED`, so two workers never wait on or take
//! the same job) that also sets a lease; the worker renews the lease from a connection of its
//! own while it ingests, and marks the job done at the end. A worker that dies stops renewing:
//! when its lease runs out the job is claimable again, and ingest being idempotent (a report's
//! id is its key), what the dead worker had committed is counted as duplicates, not stored
//! twice. A job that has been claimed [`MAX_ATTEMPTS`] times without finishing is failed
//! instead of claimed again, so one input that kills workers cannot stop the queue.

use std::time::Duration;

use postgres::{Client, NoTls};
use serde::{Deserialize, Serialize};

use crate::postgres::pg_message;
use crate::{Result, StoreError};

/// Claims of one job before it is failed: a job whose workers keep dying (an input that
/// crashes or exhausts the machine) is set aside after this many tries. Each try keeps what it
/// committed, so a job killed for other reasons still moves on; 5 failed a job in
/// `benches/pg-kill` (20 kills of 4 workers over 20 jobs of 5,000 reports: one job was hit 5
/// times), 10 leaves room for that while a poison input still stops.
pub const MAX_ATTEMPTS: i32 = 10;

/// One input of a job: a file and the report id it gets (its stem, or its path under the
/// folder that was enqueued, decided when it was enqueued), or a feed URL; for a WARC file,
/// possibly a range of its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedInput {
    pub path: String,
    pub id: String,
    /// For a WARC file, the records of it this job reads (`[first, end)`, numbered from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<[u64; 2]>,
}

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub inputs: Vec<QueuedInput>,
    /// How many times it has been claimed, this claim included.
    pub attempts: i32,
}

/// Jobs by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    pub pending: u64,
    /// Claimed, with a lease still running.
    pub claimed: u64,
    /// Claimed, but the lease ran out: the worker died; another will take it.
    pub expired: u64,
    pub done: u64,
    pub failed: u64,
    /// Reports stored by finished jobs.
    pub reports_new: u64,
}

/// A connection to a PostgreSQL store's queue (its own connection, apart from the store's).
pub struct Queue {
    client: Client,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Queue {
    /// Connects to the queue of the store at `url`; the store must exist (open it with
    /// [`crate::PgStore::open`] first, which applies the migrations that make the queue).
    pub fn connect(url: &str) -> Result<Queue> {
        let client = Client::connect(url, NoTls).map_err(|e| StoreError::Incompatible {
            path: crate::postgres::display_url(url),
            message: format!("cannot connect to PostgreSQL: {}", pg_message(&e)),
        })?;
        Ok(Queue { client })
    }

    /// Adds jobs, each a list of inputs, in order; returns their ids.
    pub fn enqueue(&mut self, jobs: &[Vec<QueuedInput>]) -> Result<Vec<i64>> {
        let mut tx = self.client.transaction()?;
        let stmt = tx.prepare("INSERT INTO jobs (inputs) VALUES ($1) RETURNING id")?;
        let mut ids = Vec::with_capacity(jobs.len());
        for job in jobs {
            let inputs = serde_json::to_string(job).expect("paths and ids serialise");
            ids.push(tx.query_one(&stmt, &[&inputs])?.get(0));
        }
        // Idle workers wait on this channel instead of polling (delivered at commit).
        tx.batch_execute("NOTIFY storyline_jobs")?;
        tx.commit()?;
        Ok(ids)
    }

    /// Claims the oldest job that is pending or whose lease ran out, for `lease`. Jobs claimed
    /// [`MAX_ATTEMPTS`] times already are failed on the way.
    pub fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<Job>> {
        self.client.execute(
            "UPDATE jobs SET state = 'failed', finished_at = now(), lease_until = NULL,
                 error = 'its workers stopped before finishing it ' || attempts || ' times'
             WHERE state = 'claimed' AND lease_until < now() AND attempts >= $1",
            &[&MAX_ATTEMPTS],
        )?;
        let row = self.client.query_opt(
            "WITH next AS (
                 SELECT id FROM jobs
                 WHERE state = 'pending' OR (state = 'claimed' AND lease_until < now())
                 ORDER BY id
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED)
             UPDATE jobs j SET state = 'claimed', worker = $1, attempts = j.attempts + 1,
                 lease_until = now() + $2 * interval '1 millisecond'
             FROM next WHERE j.id = next.id
             RETURNING j.id, j.inputs, j.attempts",
            &[&worker, &millis(lease)],
        )?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.get(0);
        let inputs: Vec<QueuedInput> = serde_json::from_str(row.get(1))
            .map_err(|e| StoreError::Corrupt(format!("job {id}: inputs: {e}")))?;
        Ok(Some(Job {
            id,
            inputs,
            attempts: row.get(2),
        }))
    }

    /// Extends a claimed job's lease; `false` when the job is no longer this worker's (its
    /// lease ran out and another worker took it).
    pub fn renew(&mut self, job: i64, worker: &str, lease: Duration) -> Result<bool> {
        let n = self.client.execute(
            "UPDATE jobs SET lease_until = now() + $3 * interval '1 millisecond'
             WHERE id = $1 AND worker = $2 AND state = 'claimed'",
            &[&job, &worker, &millis(lease)],
        )?;
        Ok(n == 1)
    }

    /// Marks a claimed job done (or failed, with the error); `false` when it was no longer
    /// this worker's.
    pub fn finish(
        &mut self,
        job: i64,
        worker: &str,
        reports_new: u64,
        problems: u64,
        error: Option<&str>,
    ) -> Result<bool> {
        let state = if error.is_some() { "failed" } else { "done" };
        let n = self.client.execute(
            "UPDATE jobs SET state = $3, finished_at = now(), lease_until = NULL,
                 reports_new = $4, problems = $5, error = $6
             WHERE id = $1 AND worker = $2 AND state = 'claimed'",
            &[
                &job,
                &worker,
                &state,
                &(reports_new as i64),
                &(problems as i64),
                &error,
            ],
        )?;
        Ok(n == 1)
    }

    /// Waits up to `timeout` for `storyline enqueue` to add jobs (a `NOTIFY` on
    /// `storyline_jobs`); returns early when one arrives.
    pub fn wait_for_jobs(&mut self, timeout: Duration) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        self.client.batch_execute("LISTEN storyline_jobs")?;
        let mut notes = self.client.notifications();
        let _ = notes.timeout_iter(timeout).next()?;
        // Drain what else arrived, so the next wait does not return at once for old news.
        let mut pending = notes.iter();
        while pending.next()?.is_some() {}
        Ok(())
    }

    /// Jobs by state, now.
    pub fn counts(&mut self) -> Result<QueueCounts> {
        let row = self.client.query_one(
            "SELECT count(*) FILTER (WHERE state = 'pending'),
                    count(*) FILTER (WHERE state = 'claimed' AND lease_until >= now()),
                    count(*) FILTER (WHERE state = 'claimed' AND lease_until < now()),
                    count(*) FILTER (WHERE state = 'done'),
                    count(*) FILTER (WHERE state = 'failed'),
                    coalesce(sum(reports_new), 0)::bigint
             FROM jobs",
            &[],
        )?;
        let n = |i: usize| row.get::<_, i64>(i) as u64;
        Ok(QueueCounts {
            pending: n(0),
            claimed: n(1),
            expired: n(2),
            done: n(3),
            failed: n(4),
            reports_new: n(5),
        })
    }

    /// The failed jobs' ids and errors, oldest first.
    pub fn failures(&mut self) -> Result<Vec<(i64, String)>> {
        Ok(self
            .client
            .query(
                "SELECT id, coalesce(error, '') FROM jobs WHERE state = 'failed' ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }
}
