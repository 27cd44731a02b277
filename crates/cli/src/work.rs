//! `storyline enqueue` and `storyline worker`: ingest shared out over several processes (on one
//! machine or many) through the work queue of a PostgreSQL store (`storyline_store::queue`).
//! `enqueue` finds the input files, gives each its report id, and adds them as jobs of
//! `--job-size` files; each `worker` claims a job at a time, ingests it with its own engine
//! (placement serialised across workers by the store's lock), and marks it done.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;
use storyline_pipeline::{Engine, IngestSummary, Progress};
use storyline_read::{FoundInputs, IdScheme, InputFile, InputFormat, find_inputs};
use storyline_store::AnyStore;
use storyline_store::queue::{Job, Queue, QueuedInput};

/// Files per job when `--job-size` is not given. Not tuned: a job is redone whole when its
/// worker dies, so smaller jobs lose less; a claim is two statements, so 500 files (BBC's 2,225
/// in 5 jobs, 1.2 s each with one worker) spend next to nothing on claims.
pub const DEFAULT_JOB_FILES: usize = 500;
/// WARC records per job when `--warc-records` is not given. Not tuned: a crawl writes about
/// three records a page (request, response, metadata), so 3,000 is about a thousand pages, the
/// size of two default file jobs.
pub const DEFAULT_WARC_RECORDS: u64 = 3000;
/// Seconds a claim lasts unless renewed; the worker renews it every third of this (one
/// statement). A dead worker's job waits at most this long for another worker; `benches/pg-kill`
/// runs with 5 s.
pub const DEFAULT_LEASE_SECS: u64 = 60;

/// The URL `--db` names, or an error saying the queue needs PostgreSQL.
fn queue_url(db: &Path, command: &str) -> Result<String> {
    match db.to_str() {
        Some(url) if AnyStore::names_postgres(db) => Ok(url.to_string()),
        _ => anyhow::bail!(
            "`storyline {command}` works on a PostgreSQL store (--db postgres://…): the queue lives in the database that several workers share; on a store file, `storyline ingest` does the same work in one process"
        ),
    }
}

pub struct EnqueueOptions {
    pub paths: Vec<PathBuf>,
    pub ids: IdScheme,
    pub job_files: usize,
    pub warc_records: u64,
    pub json: bool,
}

pub fn enqueue(db: &Path, opts: EnqueueOptions) -> Result<ExitCode> {
    let url = queue_url(db, "enqueue")?;
    // Workers may run elsewhere or in another folder: paths are stored absolute.
    let paths: Vec<PathBuf> = opts
        .paths
        .iter()
        .map(|p| {
            if is_feed_url(p) {
                p.clone()
            } else {
                std::path::absolute(p).unwrap_or_else(|_| p.clone())
            }
        })
        .collect();
    // Feed URLs are jobs of their own (one poll each); everything else is a path.
    let (urls, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| is_feed_url(p));
    let found = find_inputs(&paths, opts.ids);
    for d in &found.diagnostics {
        eprintln!("error: {d}");
    }
    if let Some(line) = found.skipped_summary() {
        eprintln!("note: {line}");
    }
    let mut jobs = jobs_of(
        &found.files,
        opts.job_files.max(1),
        opts.warc_records.max(1),
    );
    jobs.extend(urls.iter().map(|u| {
        vec![QueuedInput {
            path: u.to_string_lossy().into_owned(),
            id: String::new(),
            records: None,
        }]
    }));
    // Opening the store applies its migrations, which make the queue.
    drop(crate::open_store(db)?);
    let mut queue = Queue::connect(&url)?;
    let ids = queue.enqueue(&jobs)?;
    let files: usize = jobs.iter().map(Vec::len).sum::<usize>() - urls.len();
    if opts.json {
        crate::emit(&format!(
            "{}\n",
            json!({"jobs": ids.len(), "files": files, "first_job": ids.first(), "last_job": ids.last(), "failed": found.diagnostics.len()})
        ))?;
    } else {
        crate::emit(&format!(
            "enqueued {} ({}){}\n",
            crate::output::counted(ids.len() as u64, "job"),
            crate::output::counted(files as u64, "file"),
            match (ids.first(), ids.last()) {
                (Some(a), Some(b)) if a != b => format!(", jobs {a}–{b}"),
                (Some(a), _) => format!(", job {a}"),
                _ => String::new(),
            }
        ))?;
    }
    Ok(if found.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Whether an input is a feed to poll (an `http(s)` URL) rather than a path.
fn is_feed_url(p: &Path) -> bool {
    p.to_str()
        .is_some_and(|s| url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
}

/// The files in jobs of at most `per_job`, in order; a WARC file (streamed, often large) is
/// split into jobs of `warc_records` records each (counted here, headers only), or is one job
/// when it cannot be counted (the worker then names its problem).
fn jobs_of(files: &[InputFile], per_job: usize, warc_records: u64) -> Vec<Vec<QueuedInput>> {
    let mut jobs: Vec<Vec<QueuedInput>> = Vec::new();
    let mut current: Vec<QueuedInput> = Vec::new();
    for f in files {
        let input = QueuedInput {
            path: f.path.to_string_lossy().into_owned(),
            id: f.id.clone(),
            records: None,
        };
        if f.format == InputFormat::Warc {
            let total = storyline_read::open_warc(&f.path, f.gzipped)
                .ok()
                .map(|w| w.count_records().0)
                .unwrap_or(0);
            if total <= warc_records {
                jobs.push(vec![input]);
                continue;
            }
            let mut first = 1;
            while first <= total {
                let end = (first + warc_records).min(total + 1);
                jobs.push(vec![QueuedInput {
                    records: Some([first, end]),
                    ..input.clone()
                }]);
                first = end;
            }
            continue;
        }
        current.push(input);
        if current.len() == per_job {
            jobs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        jobs.push(current);
    }
    jobs
}

pub struct WorkerOptions {
    pub name: Option<String>,
    pub lease: Duration,
    /// Stop when no job is left to do (none pending, none held by another worker).
    pub exit_when_empty: bool,
    /// Stop after this many jobs.
    pub max_jobs: Option<u64>,
    pub batch_size: usize,
    pub json: bool,
}

/// Renews a job's lease from a connection of its own while the worker ingests it.
struct Heartbeat {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    lost: Arc<AtomicBool>,
}

impl Heartbeat {
    fn start(url: &str, job: i64, worker: &str, lease: Duration) -> Result<Heartbeat> {
        let mut queue = Queue::connect(url)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        let worker = worker.to_string();
        let every = lease / 3;
        let thread = std::thread::Builder::new()
            .name("storyline-lease".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    match queue.renew(job, &worker, lease) {
                        Ok(true) => {}
                        Ok(false) => {
                            flag.store(true, Ordering::Relaxed);
                            return;
                        }
                        // The database is unreachable for a moment: try again next beat; if it
                        // stays so past the lease, another worker redoes the job.
                        Err(_) => {}
                    }
                }
            })
            .context("cannot start the lease thread")?;
        Ok(Heartbeat {
            stop: Some(stop),
            thread: Some(thread),
            lost,
        })
    }

    /// Stops renewing; whether the lease was lost meanwhile.
    fn stop(mut self) -> bool {
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.lost.load(Ordering::Relaxed)
    }
}

fn default_worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    format!("{host}-{}", std::process::id())
}

/// The job's files as inputs; files whose names no longer say a format are diagnostics.
fn job_inputs(job: &Job) -> FoundInputs {
    let mut found = FoundInputs::default();
    for input in &job.inputs {
        match InputFile::with_id(PathBuf::from(&input.path), input.id.clone()) {
            Some(mut f) => {
                f.records = input.records.map(|[first, end]| (first, end));
                found.files.push(f);
            }
            None => found.diagnostics.push(storyline_model::Diagnostic {
                input: input.path.clone(),
                message: "unknown input format".into(),
            }),
        }
    }
    found
}

/// A feed job: each feed polled once, its new items ingested (as `follow --once` would).
fn poll_feeds(
    engine: &mut Engine<AnyStore>,
    feeds: &[&str],
) -> std::result::Result<IngestSummary, anyhow::Error> {
    let mut summary = IngestSummary::default();
    for feed in feeds {
        let (failed, landings) = crate::follow::poll_once(engine, feed)?;
        summary.failed += u64::from(failed);
        summary.new += landings.len() as u64;
        summary.read += landings.len() as u64;
    }
    Ok(summary)
}

pub fn worker(db: &Path, opts: WorkerOptions) -> Result<ExitCode> {
    let url = queue_url(db, "worker")?;
    let name = opts.name.clone().unwrap_or_else(default_worker_name);
    let mut cfg = crate::engine_config();
    cfg.batch.reports_per_transaction = opts.batch_size.max(1);
    let opened = Instant::now();
    let mut engine = Engine::open(crate::open_store(db)?, cfg)?;
    let mut queue = Queue::connect(&url)?;
    if !opts.json {
        eprintln!(
            "worker {name}: placement index loaded in {:.1} s; waiting for jobs",
            opened.elapsed().as_secs_f64()
        );
    }
    let mut done = 0u64;
    let mut any_failed = false;
    loop {
        if opts.max_jobs.is_some_and(|m| done >= m) {
            break;
        }
        let Some(job) = queue.claim(&name, opts.lease)? else {
            let counts = queue.counts()?;
            if opts.exit_when_empty
                && counts.pending == 0
                && counts.claimed == 0
                && counts.expired == 0
            {
                break;
            }
            // A job held by a worker that died comes back when its lease runs out: wake at
            // least that often, and at once when one is enqueued.
            queue.wait_for_jobs(opts.lease.min(Duration::from_secs(5)))?;
            continue;
        };
        let started = Instant::now();
        let heartbeat = Heartbeat::start(&url, job.id, &name, opts.lease)?;
        let feeds: Vec<&str> = job
            .inputs
            .iter()
            .map(|i| i.path.as_str())
            .filter(|p| is_feed_url(Path::new(p)))
            .collect();
        let result = if feeds.is_empty() {
            engine
                .ingest_found(job_inputs(&job), &mut |_: Progress| {})
                .map_err(anyhow::Error::from)
        } else {
            poll_feeds(&mut engine, &feeds)
        };
        if result.is_ok() {
            crate::alerts::after_ingest(engine.store_mut());
        }
        let lost = heartbeat.stop();
        let secs = started.elapsed().as_secs_f64();
        match result {
            Ok(summary) => {
                for d in &summary.diagnostics {
                    eprintln!("error: job {}: {d}", job.id);
                }
                let kept = queue.finish(job.id, &name, summary.new, summary.failed, None)?;
                done += 1;
                if opts.json {
                    crate::emit(&format!(
                        "{}\n",
                        json!({"job": job.id, "attempt": job.attempts, "files": job.inputs.len(),
                               "read": summary.read, "new": summary.new, "duplicates": summary.duplicates,
                               "failed": summary.failed, "seconds": secs, "lease_lost": lost || !kept})
                    ))?;
                } else {
                    crate::emit(&format!(
                        "job {} ({}{}): {} new, {}, {} failed in {secs:.1} s{}\n",
                        job.id,
                        crate::output::counted(job.inputs.len() as u64, "file"),
                        if job.attempts > 1 {
                            format!(", attempt {}", job.attempts)
                        } else {
                            String::new()
                        },
                        summary.new,
                        crate::output::counted(summary.duplicates, "duplicate"),
                        summary.failed,
                        if lost || !kept {
                            " (its lease ran out meanwhile: another worker may have redone it; nothing is stored twice)"
                        } else {
                            ""
                        }
                    ))?;
                }
            }
            Err(e) => {
                // The batch in progress was rolled back; the job is failed with the reason so
                // that it is not retried forever (`storyline enqueue` it again once fixed).
                any_failed = true;
                let message = format!("{e:#}");
                eprintln!("error: job {}: {message}", job.id);
                queue.finish(job.id, &name, 0, 0, Some(&message))?;
            }
        }
    }
    // The serial part of a shared ingest: the time this worker's batches held the placement
    // lock (and waited for it), against its wall time.
    if let Some(pg) = engine.store().postgres() {
        let lock = pg.lock_times();
        eprintln!(
            "worker {name}: {} in {:.1} s; {} batches held the placement lock {:.1} s and waited {:.1} s for it",
            crate::output::counted(done, "job"),
            opened.elapsed().as_secs_f64(),
            lock.batches,
            lock.held.as_secs_f64(),
            lock.waited.as_secs_f64()
        );
    }
    let stages: Vec<String> = engine
        .stage_times()
        .rows()
        .iter()
        .map(|(stage, secs)| format!("{stage} {secs:.1}"))
        .collect();
    eprintln!("worker {name}: stage seconds: {}", stages.join(", "));
    Ok(if any_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
