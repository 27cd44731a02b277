//! The `storyline` binary: flags, output formats, progress bars and exit codes. Glue only:
//! everything it shows comes from the pipeline, the store, the server's views and the eval
//! crate; `serve` hands the store to the server crate.

mod alerts;
mod follow;
mod output;
mod watch;
mod work;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use storyline_model::{ReportId, StoryId};
use storyline_pipeline::{BatchConfig, Engine, EngineConfig, Progress};
use storyline_store::{AnyStore, Store};

/// mimalloc instead of the system allocator: the ingest allocates many small vectors per
/// sentence and report, and glibc's malloc and free were 17% of a million-report ingest's
/// samples (perf, scale bench 1M at 277k reports stored).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "storyline",
    version,
    about = "Group news reports into stories and trace who copied whom"
)]
struct Cli {
    /// The store file (SQLite): `ingest`, `follow`, `watch` and `serve` create it if missing;
    /// the commands that only read refuse a store that does not exist.
    #[arg(
        long,
        global = true,
        default_value = "storyline.db",
        env = "STORYLINE_DB"
    )]
    db: PathBuf,
    /// A table of outlet hosts (`host<TAB>outlet` lines) added to the built-in one, for
    /// outlets that publish under several hosts: reports are given their outlet as they are
    /// stored (`ingest`, `follow`, `watch`, `worker`).
    #[arg(long, global = true, env = "STORYLINE_OUTLETS", value_name = "FILE")]
    outlets: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// The outlet names `--outlets` made, set once at start.
static OUTLET_NAMES: std::sync::OnceLock<storyline_pipeline::OutletNames> =
    std::sync::OnceLock::new();

/// The engine's settings: the defaults, with the outlet table `--outlets` made.
pub(crate) fn engine_config() -> EngineConfig {
    let mut cfg = EngineConfig::default();
    if let Some(names) = OUTLET_NAMES.get() {
        cfg.outlets = names.clone();
    }
    cfg
}

fn load_outlets(path: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the outlet table {}", path.display()))?;
    let mut names = storyline_pipeline::OutletNames::builtin();
    names
        .add_table(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let _ = OUTLET_NAMES.set(names);
    Ok(())
}

/// How a listing prints.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Lines for people.
    Text,
    /// JSON for programs (field names are stable; see the README).
    Json,
}

/// How a document (comparison, brief) prints.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    /// Markdown, readable as it is.
    Md,
    /// The same Markdown: `text`, as every listing takes.
    Text,
    /// JSON for programs.
    Json,
}

/// How files' report ids are made.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Ids {
    /// The file name without extensions: `bbc/tech/001.txt` → `001`.
    Stem,
    /// The path under the folder given: `bbc/tech/001.txt` → `tech/001` (for corpora whose
    /// file names repeat across folders).
    Path,
}

impl From<Ids> for storyline_read::IdScheme {
    fn from(ids: Ids) -> Self {
        match ids {
            Ids::Stem => storyline_read::IdScheme::Stem,
            Ids::Path => storyline_read::IdScheme::Path,
        }
    }
}

/// The days an outlet profile counts.
#[derive(clap::Args)]
struct DateRangeArgs {
    /// First day counted (YYYY-MM-DD; reports timed by publication, else first seen).
    #[arg(long)]
    since: Option<String>,
    /// Last day counted (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
}

impl DateRangeArgs {
    fn range(&self) -> Result<storyline_coverage::DateRange> {
        storyline_server::date_range(self.since.as_deref(), self.until.as_deref())
            .map_err(|e| anyhow::anyhow!(e))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read reports from files and folders (.txt, .html, .jsonl, .rss, .atom, .xml feeds, .warc,
    /// Reuters-21578 .sgm, optionally .gz), place them in stories and trace their lineage.
    Ingest {
        /// Files and folders (walked recursively) to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Report ids of files: their stem, or their path under the folder given.
        #[arg(long, value_enum, default_value = "stem")]
        ids: Ids,
        /// Worker threads for reading and analysis (default: all cores). Results do not depend
        /// on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Reports per store transaction: a crash or kill loses at most the batch in progress.
        #[arg(long, default_value_t = BatchConfig::default().reports_per_transaction as u64, value_parser = clap::value_parser!(u64).range(1..))]
        batch_size: u64,
        /// Print the wall time of each stage (read+clean, prepare, analyse, place, align,
        /// store, lineage) to stderr at the end.
        #[arg(long)]
        timings: bool,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Poll feeds (URLs, OPML lists of feeds, local feed files) and ingest new items as they
    /// appear, printing where each landed.
    Follow {
        /// Feed URLs, OPML files, or feed files.
        #[arg(required = true)]
        sources: Vec<String>,
        /// Seconds between polls.
        #[arg(long, default_value_t = follow::DEFAULT_INTERVAL_SECS)]
        interval: u64,
        /// Stop after this many polls (default: poll until interrupted).
        #[arg(long, conflicts_with = "once")]
        polls: Option<u64>,
        /// Poll once and stop (same as `--polls 1`).
        #[arg(long)]
        once: bool,
        /// Seconds a request may take.
        #[arg(long, default_value_t = follow::DEFAULT_TIMEOUT_SECS)]
        timeout: u64,
        /// Retries of a request that failed with a 5xx, 429, timeout or network error.
        #[arg(long, default_value_t = follow::DEFAULT_RETRIES)]
        retries: u32,
        /// Milliseconds between two requests to the same host.
        #[arg(long, default_value_t = follow::DEFAULT_HOST_DELAY_MS)]
        host_delay: u64,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Ingest report files as they appear in a folder (and those already in it), printing where
    /// each landed.
    Watch {
        /// The folder to watch.
        dir: PathBuf,
        /// Stop after this many files were ingested (default: watch until interrupted).
        #[arg(long)]
        exit_after: Option<usize>,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List the stories.
    Stories {
        /// At most this many stories (default: all), in creation order from `--offset`: a
        /// store of a million reports lists hundreds of thousands of stories.
        #[arg(long)]
        limit: Option<usize>,
        /// Stories to skip first (with or without `--limit`).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List the threads (developing stories: two stories or more, each a follow-up of an
    /// earlier one), or one thread's stories.
    Threads {
        /// A thread (T1, T2, …) or any of its stories (S1, S2, …): list its stories.
        thread: Option<String>,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Show a story (S1, S2, …) or a report (its id).
    Show {
        /// A story id (S1, S2, …) or a report id.
        target: String,
        /// For a report: also print the text the cleaner dropped, with the rule for each.
        #[arg(long)]
        dropped: bool,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Who said what: direct quotes and reported claims with their speakers.
    Quotes {
        /// A speaker's remarks across the store (or the story), each with the ways reports
        /// worded it; drift shown as a word diff.
        #[arg(long)]
        speaker: Option<String>,
        /// Only this story's reports.
        #[arg(long)]
        story: Option<String>,
        /// Only this report.
        #[arg(long)]
        report: Option<String>,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// People, organisations and places named in reports, with their mentions.
    Entities {
        /// Only this story's reports.
        #[arg(long)]
        story: Option<String>,
        /// Only this report.
        #[arg(long)]
        report: Option<String>,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print the cleaned text of pages and text files without storing them.
    Clean {
        /// Files and folders (walked recursively) to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Report ids of files: their stem, or their path under the folder given.
        #[arg(long, value_enum, default_value = "stem")]
        ids: Ids,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Compare a story's reports: quotes worded differently (drift), figures that conflict,
    /// figures only one report carries, figures a report leaves out.
    Compare {
        /// The story (S1, S2, …).
        story: String,
        /// Output: Markdown (md, or text) for people, json for programs.
        #[arg(long, value_enum, default_value = "md")]
        format: DocFormat,
    },
    /// A brief of a story: 4 to 8 sentences, each citing the reports that carry it; then what
    /// each report adds and the open conflicts.
    Brief {
        /// The story (S1, S2, …).
        story: String,
        /// Output: Markdown (md, or text) for people, json for programs.
        #[arg(long, value_enum, default_value = "md")]
        format: DocFormat,
    },
    /// Add input files to the work queue of a PostgreSQL store, in jobs that `storyline worker`
    /// processes claim (on this machine or others that see the same paths).
    Enqueue {
        /// Files and folders (walked recursively) to queue.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Report ids of files: their stem, or their path under the folder given.
        #[arg(long, value_enum, default_value = "stem")]
        ids: Ids,
        /// Files per job: a killed worker's job is redone whole by another.
        #[arg(long, default_value_t = work::DEFAULT_JOB_FILES as u64, value_parser = clap::value_parser!(u64).range(1..))]
        job_size: u64,
        /// WARC records per job: a large archive is shared out in ranges of its records.
        #[arg(long, default_value_t = work::DEFAULT_WARC_RECORDS, value_parser = clap::value_parser!(u64).range(1..))]
        warc_records: u64,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Process jobs from the work queue of a PostgreSQL store, one at a time, until stopped
    /// (run several, on one machine or many: placement is serialised by the database).
    Worker {
        /// This worker's name in the queue (default: host name and process id).
        #[arg(long)]
        name: Option<String>,
        /// Seconds a claimed job stays this worker's without a renewal; renewed every third
        /// of it while the worker works. A killed worker's job returns to the queue after it.
        #[arg(long, default_value_t = work::DEFAULT_LEASE_SECS, value_parser = clap::value_parser!(u64).range(1..))]
        lease: u64,
        /// Stop when the queue has nothing left (no job pending, none held by another worker).
        #[arg(long)]
        exit_when_empty: bool,
        /// Stop after this many jobs.
        #[arg(long)]
        max_jobs: Option<u64>,
        /// Worker threads for reading and analysis (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Reports per store transaction (each holds the placement lock while it is written).
        #[arg(long, default_value_t = BatchConfig::default().reports_per_transaction as u64, value_parser = clap::value_parser!(u64).range(1..))]
        batch_size: u64,
        /// Output: text for people, json (a line per job) for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Alerts: follow a story, a thread, an outlet or a query; events by Atom feed and signed
    /// webhooks.
    Alerts {
        #[command(subcommand)]
        command: alerts::AlertsCommand,
    },
    /// Outlet profiles: per outlet, its reports' shares of original, derived and secondhand
    /// reporting, whom it takes from most, and its median lag behind its sources.
    Outlets {
        #[command(flatten)]
        range: DateRangeArgs,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// One outlet's profile: its roles, whom it takes from and who takes from it, its lag and
    /// its weeks.
    Outlet {
        /// The outlet's name as `storyline outlets` lists it (case is ignored).
        name: String,
        #[command(flatten)]
        range: DateRangeArgs,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Verify the store: schema version, integrity (SQLite), references between tables, and
    /// on PostgreSQL the work queue.
    Check,
    /// Serve the JSON API and the web pages over the store.
    Serve {
        /// Address to listen on; loopback unless told otherwise (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8710")]
        addr: std::net::SocketAddr,
        /// Bearer token that `POST /api/reports` requires; without one, ingestion over HTTP is
        /// refused. Prefer the environment variable: a flag shows in the process list.
        #[arg(long, env = "STORYLINE_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Measure quality on the evaluation data in ../shared/data.
    Eval {
        #[command(subcommand)]
        set: storyline_eval::EvalSet,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn open_store(path: &std::path::Path) -> Result<AnyStore> {
    if path.is_dir() {
        anyhow::bail!(
            "the store {} is a folder: --db names a store file (e.g. {}/storyline.db)",
            storyline_store::display_db(path),
            storyline_store::display_db(path)
        );
    }
    AnyStore::open(path).map_err(|e| match e {
        // Already names the file (or database) and what is wrong with it.
        storyline_store::StoreError::Incompatible { .. } => anyhow::anyhow!("{e}"),
        other => anyhow::anyhow!(
            "cannot open the store {}: {other}",
            storyline_store::display_db(path)
        ),
    })
}

/// The store for a command that only reads: one snapshot for the whole command, so what it
/// prints is consistent while an ingest writes. A store that does not exist is an error (a
/// typo in `--db` must not leave an empty store behind).
fn open_reader(path: &std::path::Path) -> Result<AnyStore> {
    if path.is_dir() {
        return open_store(path);
    }
    let opened = AnyStore::open_existing(path).map_err(|e| match e {
        storyline_store::StoreError::Incompatible { .. } => anyhow::anyhow!("{e}"),
        other => anyhow::anyhow!(
            "cannot open the store {}: {other}",
            storyline_store::display_db(path)
        ),
    })?;
    let Some(mut store) = opened else {
        anyhow::bail!(
            "no store at {}: `storyline --db {} ingest PATH` makes one (or check --db / STORYLINE_DB)",
            storyline_store::display_db(path),
            storyline_store::display_db(path)
        );
    };
    store.begin_read().with_context(|| {
        format!(
            "cannot read the store {}",
            storyline_store::display_db(path)
        )
    })?;
    Ok(store)
}

fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(path) = &cli.outlets {
        load_outlets(path)?;
    }
    match cli.command {
        Command::Ingest {
            paths,
            ids,
            threads,
            batch_size,
            timings,
            format,
        } => {
            if let Some(n) = threads {
                rayon_threads(n)?;
            }
            let store = open_store(&cli.db)?;
            let mut cfg = engine_config();
            cfg.batch.reports_per_transaction = batch_size as usize;
            cfg.batch.ids = ids.into();
            let mut engine = Engine::open(store, cfg)?;
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} reading {pos}/{len} inputs {wide_bar} {eta}",
                )
                .expect("static template"),
            );
            let started = std::time::Instant::now();
            let summary = engine.ingest_paths(&paths, &mut |p| match p {
                Progress::Inputs(n) => bar.set_length(n),
                Progress::InputDone => bar.inc(1),
            })?;
            bar.finish_and_clear();
            alerts::after_ingest(engine.store_mut());
            for d in &summary.diagnostics {
                eprintln!("error: {d}");
            }
            for line in &summary.skipped {
                eprintln!("note: {line}");
            }
            if timings {
                // Files are read, cleaned and analysed ahead, beside placement: those rows
                // overlap the others, and the shares of the wall time can add up to more.
                let wall = started.elapsed().as_secs_f64();
                eprintln!("| stage | seconds | share of wall time |\n|---|---:|---:|");
                for (name, secs) in engine.stage_times().rows() {
                    eprintln!(
                        "| {name} | {secs:.2} | {:.0}% |",
                        100.0 * secs / wall.max(1e-9)
                    );
                }
                eprintln!("| wall | {wall:.2} | 100% |");
            }
            print_as(
                format,
                || output::ingest_json(&summary),
                || {
                    format!(
                        "{} read, {} new, {}, {} failed\n",
                        output::counted(summary.read, "report"),
                        summary.new,
                        output::counted(summary.duplicates, "duplicate"),
                        summary.failed
                    )
                },
            )?;
            Ok(if summary.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Follow {
            sources,
            interval,
            polls,
            once,
            timeout,
            retries,
            host_delay,
            format,
        } => follow::run(
            &cli.db,
            follow::FollowOptions {
                sources,
                interval: std::time::Duration::from_secs(interval),
                polls: if once { Some(1) } else { polls },
                timeout: std::time::Duration::from_secs(timeout),
                retries,
                host_delay: std::time::Duration::from_millis(host_delay),
                json: format == Format::Json,
            },
        ),
        Command::Watch {
            dir,
            exit_after,
            format,
        } => watch::run(
            &cli.db,
            watch::WatchOptions {
                dir,
                exit_after,
                json: format == Format::Json,
            },
        ),
        Command::Stories {
            limit,
            offset,
            format,
        } => {
            let store = open_reader(&cli.db)?;
            let mut list = Listing::new(format);
            let mut seen = 0usize;
            let mut after = StoryId(0);
            'pages: loop {
                let page = store.stories_after(after, LIST_PAGE)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for s in page {
                    seen += 1;
                    if seen <= offset {
                        continue;
                    }
                    if limit.is_some_and(|l| seen > offset.saturating_add(l)) {
                        break 'pages;
                    }
                    list.item(|| output::story_json(&s, None), || output::story_line(&s))?;
                }
            }
            list.finish("no stories yet: `storyline ingest PATH` adds reports\n")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Threads { thread, format } => {
            let store = open_reader(&cli.db)?;
            let mut list = Listing::new(format);
            match thread {
                None => {
                    let mut after = StoryId(0);
                    loop {
                        let page = store.threads_after(after, 0, LIST_PAGE)?;
                        let Some(last) = page.last() else { break };
                        after = last.id;
                        for t in &page {
                            list.item(|| output::thread_json(t), || output::thread_line(t))?;
                        }
                    }
                    list.finish("no threads yet: a thread is two stories or more, one developing the other\n")?;
                }
                Some(name) => {
                    let sid = output::parse_thread_name(&name)
                        .or_else(|| StoryId::parse(&name))
                        .ok_or_else(|| {
                            anyhow::anyhow!(
                                "`{name}` is not a thread id (T1, T2, …) or a story id (S1, S2, …)"
                            )
                        })?;
                    let thread = store
                        .thread_of(sid)?
                        .filter(|t| !name.starts_with('T') || *t == sid)
                        .ok_or_else(|| {
                            anyhow::anyhow!(
                                "no thread or story `{name}` in {}; `storyline threads` lists them",
                                storyline_store::display_db(&cli.db)
                            )
                        })?;
                    for id in store.thread_stories(thread)? {
                        if let Some(s) = store.story(id)? {
                            list.item(|| output::story_json(&s, None), || output::story_line(&s))?;
                        }
                    }
                    list.finish("")?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show {
            target,
            dropped,
            format,
        } => {
            let store = &open_reader(&cli.db)?;
            if let Some(sid) = StoryId::parse(&target)
                && let Some(story) = store.story(sid)?
            {
                let others = store.thread_stories(story.thread)?;
                let timeline = storyline_coverage::timeline(std::slice::from_ref(&story));
                print_as(
                    format,
                    || output::story_page_json(&story, &others),
                    || output::story_text(&story, &others) + &output::timeline_text(&timeline),
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            let id = ReportId(target.clone());
            let Some((report, story, _)) = store.report(&id)? else {
                anyhow::bail!(
                    "no story or report `{target}` in {}; `storyline stories` lists them",
                    storyline_store::display_db(&cli.db)
                );
            };
            let story = store
                .story(story)?
                .context("report's story is missing: run `storyline check`")?;
            print_as(
                format,
                || output::report_json(&report, &story),
                || output::report_text(&report, &story, dropped),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Quotes {
            speaker: Some(name),
            story,
            report,
            format,
        } => {
            let store = open_reader(&cli.db)?;
            let found = selected_reports(&store, &cli.db, story.as_deref(), report.as_deref())?;
            let found = storyline_server::views::remarks_by(&found, &name);
            print_as(
                format,
                || output::remarks_json(&found),
                || output::remarks_text(&found),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Quotes {
            speaker: None,
            story,
            report,
            format,
        } => {
            let store = open_reader(&cli.db)?;
            let found = storyline_server::views::with_attributions(selected_reports(
                &store,
                &cli.db,
                story.as_deref(),
                report.as_deref(),
            )?);
            print_as(
                format,
                || output::quotes_json(&found),
                || output::quotes_text(&found),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities {
            story,
            report,
            format,
        } => {
            let store = open_reader(&cli.db)?;
            let found = storyline_server::views::with_facts(selected_reports(
                &store,
                &cli.db,
                story.as_deref(),
                report.as_deref(),
            )?);
            print_as(
                format,
                || output::entities_json(&found),
                || output::entities_text(&found),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Clean { paths, ids, format } => {
            let (reports, diagnostics) = storyline_pipeline::clean_paths(&paths, ids.into());
            for d in &diagnostics {
                eprintln!("error: {d}");
            }
            print_as(
                format,
                || output::cleaned_json(&reports),
                || output::cleaned_text(&reports),
            )?;
            Ok(if diagnostics.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Compare { story, format } => {
            let store = open_reader(&cli.db)?;
            let sid = story_arg(&story)?;
            let v = storyline_server::views::compare_view(&store, sid)
                .map_err(|e| view_error(e, &cli.db))?;
            match format {
                DocFormat::Json => emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&output::compare_json(
                        &story, &v.remarks, &v.facts, &v.across
                    ))?
                ))?,
                DocFormat::Md | DocFormat::Text => {
                    emit(&output::compare_md(&story, &v.remarks, &v.facts, &v.across))?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Brief { story, format } => {
            let sid = story_arg(&story)?;
            let store = open_reader(&cli.db)?;
            let v = storyline_server::views::brief_view(&store, sid)
                .map_err(|e| view_error(e, &cli.db))?;
            match format {
                DocFormat::Json => emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&output::brief_json(
                        &v.record,
                        &v.sentences,
                        &v.adds,
                        &v.facts
                    ))?
                ))?,
                DocFormat::Md | DocFormat::Text => emit(&output::brief_md(
                    &v.record,
                    &v.sentences,
                    &v.adds,
                    &v.facts,
                ))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, token } => {
            if !addr.ip().is_loopback() {
                eprintln!("warning: listening on {addr}, reachable from other machines");
            }
            let cfg = storyline_server::ServerConfig {
                db: cli.db.clone(),
                addr,
                token,
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let db = storyline_store::display_db(&cli.db).to_string();
            runtime.block_on(storyline_server::serve(
                cfg,
                |bound| {
                    // The first stdout line names the address, for scripts that ask for port 0.
                    let _ = emit(&format!("listening on http://{bound} (store {db})\n"));
                },
                shutdown_signal(),
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Enqueue {
            paths,
            ids,
            job_size,
            warc_records,
            format,
        } => work::enqueue(
            &cli.db,
            work::EnqueueOptions {
                paths,
                ids: ids.into(),
                job_files: job_size as usize,
                warc_records,
                json: format == Format::Json,
            },
        ),
        Command::Worker {
            name,
            lease,
            exit_when_empty,
            max_jobs,
            threads,
            batch_size,
            format,
        } => {
            if let Some(n) = threads {
                rayon_threads(n)?;
            }
            work::worker(
                &cli.db,
                work::WorkerOptions {
                    name,
                    lease: std::time::Duration::from_secs(lease),
                    exit_when_empty,
                    max_jobs,
                    batch_size: batch_size as usize,
                    json: format == Format::Json,
                },
            )
        }
        Command::Alerts { command } => alerts::run(&cli.db, command),
        Command::Outlets { range, format } => {
            let range = range.range()?;
            let store = open_reader(&cli.db)?;
            let rows = storyline_server::views::outlet_profiles(&store, range)?;
            if format == Format::Json {
                emit(&format!(
                    "{}\n",
                    serde_json::json!({
                        "outlets": rows.iter().map(|p| output::outlet_json(p, false)).collect::<Vec<_>>()
                    })
                ))?;
            } else if rows.is_empty() {
                emit("no reports in that range\n")?;
            } else {
                emit(&output::outlet_header())?;
                for p in &rows {
                    emit(&output::outlet_line(p))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Outlet {
            name,
            range,
            format,
        } => {
            let range = range.range()?;
            let store = open_reader(&cli.db)?;
            let Some(p) = storyline_server::views::outlet_profile(&store, &name, range)? else {
                anyhow::bail!("no outlet `{name}` in the store; `storyline outlets` lists them");
            };
            print_as(
                format,
                || output::outlet_json(&p, true),
                || output::outlet_text(&p),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let store = open_reader(&cli.db)?;
            let problems = store.check()?;
            if let Some(url) = cli.db.to_str().filter(|_| store.postgres().is_some()) {
                let mut queue = storyline_store::queue::Queue::connect(url)?;
                let q = queue.counts()?;
                emit(&format!(
                    "queue: {} pending, {} claimed, {} whose worker stopped (claimable again), {} done, {} failed\n",
                    q.pending, q.claimed, q.expired, q.done, q.failed
                ))?;
                for (job, error) in queue.failures()? {
                    eprintln!("warning: job {job} failed: {error}");
                }
            }
            let (reports, stories) = store.counts()?;
            if problems.is_empty() {
                emit(&format!(
                    "ok: {} (schema {}, {reports} reports, {stories} stories, integrity and references clean)\n",
                    storyline_store::display_db(&cli.db),
                    match store {
                        AnyStore::Sqlite(_) => storyline_store::SCHEMA_VERSION,
                        AnyStore::Postgres(_) => storyline_store::PG_SCHEMA_VERSION,
                    }
                ))?;
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &problems {
                    eprintln!("error: {}: {p}", storyline_store::display_db(&cli.db));
                }
                Ok(ExitCode::from(1))
            }
        }
        Command::Eval { set } => {
            let report = storyline_eval::run(&set)?;
            emit(&format!("{report}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The reports a listing covers: one report, one story's, or all, in story order.
fn selected_reports(
    store: &AnyStore,
    db: &std::path::Path,
    story: Option<&str>,
    report: Option<&str>,
) -> Result<Vec<(storyline_model::Report, StoryId)>> {
    use storyline_server::views;
    let found = match (story, report) {
        (_, Some(r)) => views::reports_by_id(store, [ReportId(r.to_string())]),
        (Some(s), None) => views::story_reports(store, story_arg(s)?),
        (None, None) => views::all_reports(store),
    };
    found.map_err(|e| view_error(e, db))
}

fn story_arg(s: &str) -> Result<StoryId> {
    StoryId::parse(s).with_context(|| format!("`{s}` is not a story id (S1, S2, …)"))
}

/// A view's error, with what to do about a missing story or report.
fn view_error(e: storyline_server::views::ViewError, db: &std::path::Path) -> anyhow::Error {
    use storyline_server::views::ViewError;
    match e {
        ViewError::NoStory(s) => anyhow::anyhow!("no story {s}; `storyline stories` lists them"),
        ViewError::NoReport(r) => {
            anyhow::anyhow!("no report `{r}` in {}", storyline_store::display_db(db))
        }
        other => other.into(),
    }
}

/// Resolves on Ctrl-C or SIGTERM, for a graceful stop of `serve`.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Writes to standard output; a closed pipe (`storyline stories | head`) ends quietly.
/// Prints a command's result: pretty JSON for programs, text for people.
fn print_as(
    format: Format,
    json: impl FnOnce() -> serde_json::Value,
    text: impl FnOnce() -> String,
) -> Result<()> {
    match format {
        Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&json())?)),
        Format::Text => emit(&text()),
    }
}

/// Stories read per query by the listings: their memory is one page, whatever the store's size.
const LIST_PAGE: usize = 512;

/// A listing printed as it is read: a JSON array written one item at a time, or text lines.
struct Listing {
    format: Format,
    items: usize,
}

impl Listing {
    fn new(format: Format) -> Listing {
        Listing { format, items: 0 }
    }

    fn item(
        &mut self,
        json: impl FnOnce() -> serde_json::Value,
        text: impl FnOnce() -> String,
    ) -> Result<()> {
        let out = match self.format {
            Format::Json => format!(
                "{}{}",
                if self.items == 0 { "[\n" } else { ",\n" },
                serde_json::to_string_pretty(&json())?
            ),
            Format::Text => text(),
        };
        self.items += 1;
        emit(&out)
    }

    /// Closes the listing; `empty` is what text says when there was nothing.
    fn finish(self, empty: &str) -> Result<()> {
        match (self.format, self.items) {
            (Format::Json, 0) => emit("[]\n"),
            (Format::Json, _) => emit("\n]\n"),
            (Format::Text, 0) => emit(empty),
            (Format::Text, _) => Ok(()),
        }
    }
}

fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

fn rayon_threads(n: usize) -> Result<()> {
    storyline_pipeline::set_threads(n).context("cannot set the thread count")
}
