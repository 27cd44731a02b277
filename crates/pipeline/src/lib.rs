//! The pipeline: wires the stages in order (read → clean → analyse → place → align → lineage →
//! store) and owns the batch loop. Reading, cleaning and analysis run in parallel (rayon);
//! placement and lineage run in input order, so the stories and edges are the same whatever the
//! thread count.
//!
//! Architecture invariant: glue only. No text heuristics live here; no SQL (that is the store).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_model::{Diagnostic, DroppedText, Report, ReportId, StoryId};
use storyline_read::{
    IdScheme, InputFile, InputFormat, RawReport, find_inputs, open_warc, read_input,
};
use storyline_store::{NewReport, PairRecord, Store, StoreError};
use storyline_stories::align::{AlignConfig, SentenceIndex, align, align_with};
pub use storyline_stories::index::ThreadConfig;
use storyline_stories::index::{Placement, PlacementConfig};
use storyline_stories::lineage::{
    LineageConfig, MemberFeatures, PairEvidence, ReuseSummary, StoryLineage, decide_lineage,
};
pub use storyline_stories::outlet::OutletNames;
use storyline_stories::{AnalyzedReport, StoryIndex, analyze};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Every setting of the pipeline, with measured defaults (see each field's type).
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    pub fingerprint: FingerprintConfig,
    pub placement: PlacementConfig,
    pub align: AlignConfig,
    pub lineage: LineageConfig,
    pub batch: BatchConfig,
    pub threads: ThreadConfig,
    /// Outlet names of hosts (`storyline_stories::outlet`): the built-in table, plus a user's.
    pub outlets: OutletNames,
}

#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// Reports per store transaction: small enough that a crash loses little work, large
    /// enough that commits do not dominate.
    pub reports_per_transaction: usize,
    /// Most same-story neighbours a new report is aligned with (the most similar first).
    pub lineage_neighbours: usize,
    /// Analysed reports kept in memory for alignment with later arrivals.
    pub cache_reports: usize,
    /// Earlier reports of one site that must carry a line for it to be the site's boilerplate.
    /// Provisional (no labelled set of same-site pages here: L3S has one or two pages per
    /// site): a standing footer recurs on every page, a sentence of reporting rarely five times.
    pub site_boilerplate_reports: u32,
    /// Longest line, in words, counted for site boilerplate: templates are short lines.
    pub site_line_max_words: usize,
    /// Most bytes of input files read ahead of placement at once. Large JSON Lines shards are
    /// read one or a few at a time instead of a whole folder at once: the scale bench's
    /// 1M-report corpus is 200 shards of 5,000 reports (about 4 MB each).
    pub read_ahead_bytes: u64,
    /// WARC records cleaned and stored per batch while a WARC file streams: enough for the
    /// parallel cleaner to keep the cores busy, few enough that a batch of pages (Common Crawl
    /// caps a record at 1 MiB) stays far below a small machine's memory. With 256, ingesting
    /// a WARC of the 621 L3S pages peaks at 75 MB, against 67 MB for the same pages as files
    /// (`benches/warc-bench`).
    pub warc_records_per_batch: usize,
    /// How long a running ingest may leave changed stories' lineage undecided. Lineage is a
    /// function of a story's members and pair alignments, so deciding it once at the end of an
    /// ingest gives the same edges as deciding it after every batch; but a story of 10,000
    /// reports costs about a second to decide, and deciding it after each of a million-report
    /// run's 500 batches was most of that run (scale bench, 1M: 572k reports in 45 min, the
    /// rate falling from 1,200 to 95 reports/s). Readers of a store that is being filled see
    /// lineage at most this old; every ingest call settles before it returns.
    pub lineage_settle_interval: std::time::Duration,
    /// A long run also waits this many times as long as its last settling took before settling
    /// again, so that settling stays under 1/(1+4) = 20% of the run's time however large its
    /// stories grow. With the 30 s interval alone, settling was 37% of a million-report ingest
    /// (1,137 of 3,068 s, `--timings`, scale bench 1M; its largest stories hold ~10,000
    /// reports).
    pub lineage_settle_spacing: f64,
    /// How report ids are made from file paths (`--ids`).
    pub ids: IdScheme,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            reports_per_transaction: 2000,
            lineage_neighbours: 8,
            cache_reports: 50_000,
            site_boilerplate_reports: 5,
            site_line_max_words: 30,
            read_ahead_bytes: 64 << 20,
            warc_records_per_batch: 256,
            lineage_settle_interval: std::time::Duration::from_secs(30),
            lineage_settle_spacing: 4.0,
            ids: IdScheme::Stem,
        }
    }
}

/// Fewest words a report's body must have. A page whose only text is a menu link ("Home") is
/// not a report; among the 19,043 Reuters-21578 items only the body "1010" has fewer than 3
/// words, and "New York Reuter" (3) is kept.
pub const MIN_BODY_WORDS: usize = 3;

/// A story's brief candidates and its reports in time order.
pub type BriefInput = (Vec<storyline_compare::Candidate>, Vec<ReportId>);

/// Progress events for a caller's progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The number of input files found.
    Inputs(u64),
    /// One more input file done.
    InputDone,
}

/// Where one new report landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Landing {
    pub report: ReportId,
    pub story: StoryId,
    pub new_story: bool,
    pub score: f64,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestSummary {
    pub read: u64,
    pub new: u64,
    pub duplicates: u64,
    pub failed: u64,
    pub diagnostics: Vec<Diagnostic>,
    pub landings: Vec<Landing>,
    /// What was deliberately not read, one line per kind (files of no report format, a
    /// folder's notes, Reuters flashes with no body): said, but not failures.
    pub skipped: Vec<String>,
}

/// Wall time of each ingest stage, summed over batches. Stages marked parallel use every core.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Reading and cleaning input files (parallel).
    pub read_clean: Duration,
    /// Content hashes and site boilerplate (sequential, reads the store).
    pub prepare: Duration,
    /// Sentences, terms, shingles, MinHash, markers (parallel).
    pub analyse: Duration,
    /// Placement in the index and the report's row (sequential).
    pub place: Duration,
    /// Sentence alignment with story neighbours (parallel).
    pub align: Duration,
    /// Storing pair alignments and committing the batch (sequential).
    pub store: Duration,
    /// Deciding the changed stories' lineage (sequential).
    pub lineage: Duration,
}

impl StageTimes {
    /// `(name, seconds)` for each stage, in pipeline order.
    pub fn rows(&self) -> [(&'static str, f64); 7] {
        [
            ("read+clean", self.read_clean.as_secs_f64()),
            ("prepare", self.prepare.as_secs_f64()),
            ("analyse", self.analyse.as_secs_f64()),
            ("place", self.place.as_secs_f64()),
            ("align", self.align.as_secs_f64()),
            ("store", self.store.as_secs_f64()),
            ("lineage", self.lineage.as_secs_f64()),
        ]
    }
}

/// Stories whose lineage is read, decided and written together when lineage is settled: the
/// store reads and writes a chunk in a few statements (on PostgreSQL, a round trip each), and
/// memory holds one chunk's members and pair summaries (no sentence links). 256 is not tuned:
/// chunked, settling BBC's 2,225 reports on PostgreSQL took 0.14 s instead of 2.2 s with a
/// statement per story; SQLite does the same work either way.
const SETTLE_CHUNK: usize = 256;

/// A report's content hash as read, and the one stored under its id before the batch (if any).
#[derive(Debug, Clone, Copy)]
struct ContentHashes {
    read: u64,
    stored: Option<u64>,
}

/// The engine: a store, its placement index, and the configuration.
pub struct Engine<S: Store> {
    store: S,
    index: StoryIndex,
    hasher: MinHasher,
    cfg: EngineConfig,
    cache: AnalysisCache,
    /// The highest ingest sequence number the index holds: reports another process stored
    /// after it are added at the start of the next batch.
    indexed_seq: u64,
    /// When lineage was last settled (see [`BatchConfig::lineage_settle_interval`]).
    last_settle: Instant,
    /// How long the last settling took.
    last_settle_took: Duration,
    /// Wall time per stage since the engine was opened.
    times: StageTimes,
}

/// The site a report belongs to: its URL's host, else its outlet.
fn site_of(r: &Report) -> Option<String> {
    if let Some(url) = &r.url {
        let rest = url.split_once("://").map(|(_, x)| x).unwrap_or(url);
        let host = rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        if !host.is_empty() {
            return Some(host);
        }
    }
    r.source.as_ref().map(|s| s.to_lowercase())
}

/// Whether the report's id is the one its canonical URL gives (feed items, WARC records).
fn named_by_url(r: &Report) -> bool {
    r.url
        .as_deref()
        .is_some_and(|u| storyline_read::url_report_id(u) == r.id)
}

fn content_hash(r: &Report) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(r.title.as_deref().unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(r.text.as_bytes());
    h.digest()
}

/// Longest display title made from a first sentence, in characters.
const DISPLAY_TITLE_CHARS: usize = 100;

/// The report's title, else its first sentence cut at a word boundary.
fn display_title(r: &Report, a: &AnalyzedReport) -> String {
    if let Some(t) = &r.title {
        return t.clone();
    }
    let Some(first) = a.sentences.first() else {
        return r.id.0.clone();
    };
    let sentence = &r.text[first.span.start..first.span.end];
    if sentence.chars().count() <= DISPLAY_TITLE_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(DISPLAY_TITLE_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

fn features(a: &AnalyzedReport, seq: u64) -> MemberFeatures {
    MemberFeatures {
        id: a.id.clone(),
        seq,
        published: a.published.clone(),
        markers: a.markers,
        content_tokens: a.distinct_content_tokens,
        title_normalized: a.title_normalized.clone(),
        wire: a.wire.clone(),
        signed: a.signed,
        outlet: None,
    }
}

impl<S: Store> Engine<S> {
    /// Opens the engine on a store, rebuilding the placement index from it.
    pub fn open(store: S, cfg: EngineConfig) -> Result<Engine<S>, PipelineError> {
        let hasher = MinHasher::new(cfg.fingerprint.permutations);
        let mut engine = Engine {
            index: StoryIndex::new(cfg.placement.clone()),
            store,
            hasher,
            cache: AnalysisCache::new(cfg.batch.cache_reports),
            cfg,
            indexed_seq: 0,
            last_settle: Instant::now(),
            last_settle_took: Duration::ZERO,
            times: StageTimes::default(),
        };
        engine.catch_up()?;
        Ok(engine)
    }

    /// Adds to the index every report stored since it was last brought up to date: on open,
    /// all of them; before a batch, what another writer of the same store committed meanwhile
    /// (the batch's write transaction is already open, so nothing more can arrive until it
    /// ends). Story numbers come from the index, so this also keeps two writers from handing
    /// out the same story number.
    fn catch_up(&mut self) -> Result<(), PipelineError> {
        let index = &mut self.index;
        let mut last = self.indexed_seq;
        self.store.index_rows(self.indexed_seq, &mut |row| {
            last = last.max(row.seq);
            index.restore(
                row.id,
                row.story,
                row.published.as_deref(),
                &row.term_counts,
                &row.lead_names,
                &row.band_keys,
            )
        })?;
        self.indexed_seq = last;
        Ok(())
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// Wall time spent in each ingest stage since the engine was opened.
    pub fn stage_times(&self) -> StageTimes {
        self.times
    }

    /// Heap held by the placement index (for the scale bench).
    pub fn index_memory(&self) -> storyline_stories::index::IndexMemory {
        self.index.memory()
    }

    /// The store, for writes outside the ingest (a followed feed's validators).
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    pub fn into_store(self) -> S {
        self.store
    }

    /// The thread a new story joins: the thread of the most similar other story among its
    /// first report's placement candidates, when that similarity reaches
    /// [`ThreadConfig::min_similarity`] and the thread has room
    /// ([`ThreadConfig::max_stories`]). Decided once, when the story opens, and stored.
    fn thread_for(&self, placement: &Placement) -> Result<Option<StoryId>, PipelineError> {
        let Some(other) = self.cfg.threads.develops(placement) else {
            return Ok(None);
        };
        let Some(thread) = self.store.thread_of(other)? else {
            return Ok(None);
        };
        let size = self.store.thread_stories(thread)?.len();
        Ok((size < self.cfg.threads.max_stories).then_some(thread))
    }

    /// The brief's candidate sentences of a story: every sentence of every report, with the
    /// reports that carry it (by sentence alignment between every pair of the story's reports)
    /// and the sentences it restates; and the story's reports in time order.
    pub fn brief_candidates(
        &mut self,
        story: StoryId,
    ) -> Result<Option<BriefInput>, PipelineError> {
        let store = &self.store;
        let cache = &mut self.cache;
        let (fp, hasher) = (&self.cfg.fingerprint, &self.hasher);
        brief_candidates_with(store, story, &self.cfg.align, &mut |id| {
            if let Some(a) = cache.get(id) {
                return Ok(Some(a.clone()));
            }
            let Some((report, _, _)) = store.report(id)? else {
                return Ok(None);
            };
            let a = Arc::new(analyze(&report, fp, hasher));
            cache.insert(id.clone(), a.clone());
            Ok(Some(a))
        })
    }

    /// Reads JSON Lines from memory (a request body) and ingests them like
    /// [`Engine::ingest_paths`] does a file: bad lines are diagnostics naming `origin:line`.
    pub fn ingest_json_lines(
        &mut self,
        bytes: &[u8],
        origin: &str,
    ) -> Result<IngestSummary, PipelineError> {
        let out = storyline_read::read_json_lines(bytes, origin, origin);
        let mut summary = IngestSummary {
            failed: out.diagnostics.len() as u64,
            diagnostics: out.diagnostics,
            ..Default::default()
        };
        let reports: Vec<Report> = out
            .reports
            .into_par_iter()
            .map(storyline_clean::clean_report)
            .collect();
        self.ingest_reports(reports, &mut summary)?;
        Ok(summary)
    }

    /// Reads, places and stores every report under `paths`, in input order. WARC files are
    /// streamed: their records are cleaned and stored
    /// [`BatchConfig::warc_records_per_batch`] at a time, so
    /// memory does not grow with the file.
    pub fn ingest_paths(
        &mut self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestSummary, PipelineError> {
        let found = find_inputs(paths, self.cfg.batch.ids);
        self.ingest_found(found, progress)
    }

    /// Ingests input files found already ([`find_inputs`], or a queued job's files with the
    /// ids they were given when enqueued), as [`Engine::ingest_paths`] does.
    pub fn ingest_found(
        &mut self,
        found: storyline_read::FoundInputs,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestSummary, PipelineError> {
        let mut summary = IngestSummary {
            failed: found.diagnostics.len() as u64,
            skipped: found.skipped_summary().into_iter().collect(),
            ..Default::default()
        };
        let files = found.files;
        summary.diagnostics = found.diagnostics;
        let mut skipped_items: Vec<Diagnostic> = Vec::new();
        progress(Progress::Inputs(files.len() as u64));
        let jobs = self.input_jobs(&files);
        // Reading, cleaning and analysing the next chunk (parallel, touching no state) runs on
        // a thread of its own while this one places and stores the chunk before it (placement
        // and the store are sequential: with one thread doing both, the second core idled for
        // about half of a 100k-report ingest, `--timings`). One chunk is read ahead at most.
        let fingerprint = self.cfg.fingerprint;
        let hasher = self.hasher.clone();
        std::thread::scope(|scope| -> Result<(), PipelineError> {
            let (ahead, chunks) = std::sync::mpsc::sync_channel::<ReadChunk>(1);
            let jobs_ref = &jobs;
            scope.spawn(move || {
                for job in jobs_ref {
                    if let InputJob::Files(files) = job
                        && ahead
                            .send(read_chunk(files, &fingerprint, &hasher))
                            .is_err()
                    {
                        // The placing side stopped (an error): nothing more to read.
                        return;
                    }
                }
            });
            for job in &jobs {
                match job {
                    InputJob::Files(_) => {
                        let chunk = chunks
                            .recv()
                            .expect("the reading thread sends one chunk per file job");
                        self.times.read_clean += chunk.read_clean;
                        self.times.analyse += chunk.analyse;
                        summary.failed += chunk.diagnostics.len() as u64;
                        summary.diagnostics.extend(chunk.diagnostics);
                        skipped_items.extend(chunk.skipped);
                        for _ in 0..chunk.inputs {
                            progress(Progress::InputDone);
                        }
                        self.place_analysed(chunk.reports, &mut summary, false)?;
                    }
                    InputJob::Warc(file) => {
                        self.ingest_warc(file, &mut summary)?;
                        progress(Progress::InputDone);
                    }
                }
            }
            Ok(())
        })?;
        summary
            .skipped
            .extend(skipped_items_summary(&skipped_items));
        self.settle_lineage()?;
        Ok(summary)
    }

    /// Splits the inputs into jobs: chunks of at most a batch's worth of files and at most
    /// [`BatchConfig::read_ahead_bytes`] of them on disk, so memory stays bounded on large
    /// folders; each WARC file a job of its own (streamed).
    fn input_jobs<'a>(&self, files: &'a [InputFile]) -> Vec<InputJob<'a>> {
        let chunk_len = self.cfg.batch.reports_per_transaction.max(1);
        let mut jobs = Vec::new();
        let mut pending: Vec<&InputFile> = Vec::new();
        let mut pending_bytes = 0u64;
        for file in files {
            if file.format == InputFormat::Warc {
                if !pending.is_empty() {
                    jobs.push(InputJob::Files(std::mem::take(&mut pending)));
                }
                pending_bytes = 0;
                jobs.push(InputJob::Warc(file));
                continue;
            }
            let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
            if !pending.is_empty() && pending_bytes + size > self.cfg.batch.read_ahead_bytes {
                jobs.push(InputJob::Files(std::mem::take(&mut pending)));
                pending_bytes = 0;
            }
            pending.push(file);
            pending_bytes += size;
            if pending.len() >= chunk_len {
                jobs.push(InputJob::Files(std::mem::take(&mut pending)));
                pending_bytes = 0;
            }
        }
        if !pending.is_empty() {
            jobs.push(InputJob::Files(pending));
        }
        jobs
    }

    /// Streams a WARC file's HTML records into the store, a batch at a time.
    fn ingest_warc(
        &mut self,
        file: &InputFile,
        summary: &mut IngestSummary,
    ) -> Result<(), PipelineError> {
        let records = match open_warc(&file.path, file.gzipped) {
            Ok(r) => match file.records {
                Some((first, end)) => r.records(first, end),
                None => r,
            },
            Err(d) => {
                summary.failed += 1;
                summary.diagnostics.push(d);
                return Ok(());
            }
        };
        let per_batch = self.cfg.batch.warc_records_per_batch.max(1);
        let mut batch = Vec::with_capacity(per_batch);
        for record in records {
            match record {
                Ok(raw) => batch.push(raw),
                Err(d) => {
                    summary.failed += 1;
                    summary.diagnostics.push(d);
                }
            }
            if batch.len() >= per_batch {
                self.place_raw(std::mem::take(&mut batch), summary, false)?;
            }
        }
        self.place_raw(batch, summary, false)
    }

    /// Cleans raw reports (in parallel) and places and stores them in order; settles the
    /// lineage of the stories they changed before returning.
    pub fn ingest_raw(
        &mut self,
        raw: Vec<RawReport>,
        summary: &mut IngestSummary,
    ) -> Result<(), PipelineError> {
        self.place_raw(raw, summary, true)
    }

    fn place_raw(
        &mut self,
        raw: Vec<RawReport>,
        summary: &mut IngestSummary,
        settle: bool,
    ) -> Result<(), PipelineError> {
        // No reports: `place_reports` settles (or not) and returns.
        let start = Instant::now();
        let reports: Vec<Report> = raw
            .into_par_iter()
            .map(storyline_clean::clean_report)
            .collect();
        self.times.read_clean += start.elapsed();
        self.place_reports(reports, summary, settle)
    }

    /// Whether a report with this id is stored.
    pub fn has_report(&self, id: &ReportId) -> Result<bool, PipelineError> {
        Ok(self.store.report_hash(id)?.is_some())
    }

    /// Places and stores already-read reports, in order, one transaction per batch; settles
    /// the lineage of the stories they changed before returning.
    pub fn ingest_reports(
        &mut self,
        reports: Vec<Report>,
        summary: &mut IngestSummary,
    ) -> Result<(), PipelineError> {
        self.place_reports(reports, summary, true)
    }

    /// Places and stores reports, one transaction per batch; lineage is settled when
    /// [`BatchConfig::lineage_settle_interval`] has passed, and with `settle` at the end, inside
    /// the last batch's transaction (one commit for a report posted alone).
    fn place_reports(
        &mut self,
        reports: Vec<Report>,
        summary: &mut IngestSummary,
        settle: bool,
    ) -> Result<(), PipelineError> {
        let reports = reports.into_iter().map(|r| (r, None)).collect();
        self.place_analysed(reports, summary, settle)
    }

    /// [`Engine::place_reports`] for reports that may come analysed already (read ahead): an
    /// analysis is used when the report's text is unchanged by [`Engine::prepare_batch`],
    /// redone otherwise.
    fn place_analysed(
        &mut self,
        reports: Vec<(Report, Option<AnalyzedReport>)>,
        summary: &mut IngestSummary,
        settle: bool,
    ) -> Result<(), PipelineError> {
        if reports.is_empty() {
            return if settle {
                self.settle_lineage()
            } else {
                Ok(())
            };
        }
        let per_batch = self.cfg.batch.reports_per_transaction.max(1);
        let batches = reports.len().div_ceil(per_batch);
        let mut reports = reports.into_iter();
        for i in 0..batches {
            let batch: Vec<(Report, Option<AnalyzedReport>)> =
                reports.by_ref().take(per_batch).collect();
            let last = i + 1 == batches;
            self.store.begin()?;
            if let Err(e) = self.catch_up() {
                self.store.rollback()?;
                return Err(e);
            }
            let start = Instant::now();
            let prepared = self.prepare_batch(batch);
            self.times.prepare += start.elapsed();
            let result = prepared.and_then(|batch| {
                let start = Instant::now();
                let (batch, analysed): (Vec<(Report, ContentHashes)>, Vec<AnalyzedReport>) = batch
                    .into_par_iter()
                    .map(|(r, hash, a)| {
                        let a =
                            a.unwrap_or_else(|| analyze(&r, &self.cfg.fingerprint, &self.hasher));
                        ((r, hash), a)
                    })
                    .unzip();
                self.times.analyse += start.elapsed();
                self.ingest_batch(&batch, analysed, summary)?;
                if (settle && last) || self.settle_due() {
                    let start = Instant::now();
                    self.settle_pending()?;
                    self.times.lineage += start.elapsed();
                }
                Ok(())
            });
            match result {
                Ok(()) => {
                    let start = Instant::now();
                    self.store.commit()?;
                    self.times.store += start.elapsed();
                }
                Err(e) => {
                    self.store.rollback()?;
                    // The in-memory index may hold reports that were rolled back: rebuild it.
                    self.index = StoryIndex::new(self.cfg.placement.clone());
                    self.indexed_seq = 0;
                    self.cache.clear();
                    self.catch_up()?;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Hashes each report's content as read and looks up the hash stored under its id (the
    /// batch holds the write lock: nothing else can store it before the batch does), then drops
    /// the lines its site repeats across reports, in input order (the counts of one report feed
    /// the next). An analysis made before is dropped when the report's text changed. The
    /// store is read and written once per batch for all of it (a round trip per report each
    /// way was 2.2 of a 20k-report PostgreSQL ingest's 11.7 s).
    fn prepare_batch(
        &mut self,
        batch: Vec<(Report, Option<AnalyzedReport>)>,
    ) -> Result<Vec<(Report, ContentHashes, Option<AnalyzedReport>)>, PipelineError> {
        let ids: Vec<&ReportId> = batch.iter().map(|(r, _)| &r.id).collect();
        let stored_hashes = self.store.report_hashes(&ids)?;
        // The short lines of each new report of a known site, then their counts so far.
        let max_words = self.cfg.batch.site_line_max_words;
        let lines: Vec<Option<SiteLines>> = batch
            .iter()
            .zip(&stored_hashes)
            .map(|((r, _), stored)| {
                if stored.is_some() {
                    None
                } else {
                    SiteLines::of(r, max_words)
                }
            })
            .collect();
        let mut keys: Vec<(&str, u64)> = lines
            .iter()
            .flatten()
            .flat_map(|l| l.distinct.iter().map(|h| (l.site.as_str(), *h)))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let stored_counts = self.store.site_line_counts(&keys)?;
        let mut counts: HashMap<(&str, u64), u32> =
            keys.iter().copied().zip(stored_counts).collect();
        let bar = self.cfg.batch.site_boilerplate_reports;
        let mut out = Vec::with_capacity(batch.len());
        let mut dropped_lines: Vec<HashSet<usize>> = Vec::with_capacity(batch.len());
        for l in &lines {
            let Some(l) = l else {
                dropped_lines.push(HashSet::new());
                continue;
            };
            let drop: HashSet<usize> = l
                .candidates
                .iter()
                .filter(|(_, h)| counts.get(&(l.site.as_str(), *h)).copied().unwrap_or(0) >= bar)
                .map(|(i, _)| *i)
                .collect();
            for h in &l.distinct {
                *counts.entry((l.site.as_str(), *h)).or_default() += 1;
            }
            dropped_lines.push(drop);
        }
        let added: Vec<(&str, u64, u32)> = {
            let mut added: HashMap<(&str, u64), u32> = HashMap::new();
            for l in lines.iter().flatten() {
                for h in &l.distinct {
                    *added.entry((l.site.as_str(), *h)).or_default() += 1;
                }
            }
            let mut added: Vec<(&str, u64, u32)> =
                added.into_iter().map(|((s, h), n)| (s, h, n)).collect();
            added.sort_unstable();
            added
        };
        self.store.add_site_lines(&added)?;
        for (((mut r, mut a), stored), drop) in
            batch.into_iter().zip(stored_hashes).zip(dropped_lines)
        {
            let hash = content_hash(&r);
            if drop_site_boilerplate(&mut r, &drop) {
                a = None;
            }
            out.push((r, ContentHashes { read: hash, stored }, a));
        }
        Ok(out)
    }

    fn ingest_batch(
        &mut self,
        batch: &[(Report, ContentHashes)],
        analysed: Vec<AnalyzedReport>,
        summary: &mut IngestSummary,
    ) -> Result<(), PipelineError> {
        let mut dirty: BTreeSet<StoryId> = BTreeSet::new();
        // What this batch stored, by id: with the hashes looked up before it began, the store
        // need not be asked again (a round trip per report on PostgreSQL).
        let mut stored_in_batch: HashMap<ReportId, u64> = HashMap::new();
        type Neighbours = Vec<(Arc<AnalyzedReport>, f64)>;
        let mut to_align: Vec<(StoryId, Arc<AnalyzedReport>, Neighbours)> = Vec::new();
        let start = Instant::now();
        let first_seen = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        for ((report, hashes), a) in batch.iter().zip(analysed) {
            let hash = hashes.read;
            summary.read += 1;
            let stored = hashes
                .stored
                .or_else(|| stored_in_batch.get(&report.id).copied());
            if let Some(stored) = stored {
                // An id made from a canonical URL names the article, not a version of it: a
                // later capture (an edited page, the same item in another feed) is the same
                // report, and the first version stored stays.
                if stored == hash || named_by_url(report) {
                    summary.duplicates += 1;
                } else {
                    summary.failed += 1;
                    // Two files of one name in different folders (BBC's `business/001.txt`
                    // and `tech/001.txt`) get the same stem id: say so, and the way out.
                    let earlier = self.store.report(&report.id)?.map(|(r, _, _)| r.origin);
                    let hint = match earlier {
                        Some(o)
                            if o != report.origin
                                && is_file_origin(&o)
                                && is_file_origin(&report.origin) =>
                        {
                            format!(
                                " from {o}: file names repeat in different folders; `--ids path` makes ids from the path under the folder (`business/001`)"
                            )
                        }
                        _ => String::new(),
                    };
                    summary.diagnostics.push(Diagnostic {
                        input: report.origin.clone(),
                        message: format!(
                            "report id `{}` is already stored with different content{hint}; skipped (give it another id to keep both)",
                            report.id
                        ),
                    });
                }
                continue;
            }
            let words: usize = a.sentences.iter().map(|s| s.token_count).sum();
            if words < MIN_BODY_WORDS {
                summary.failed += 1;
                summary.diagnostics.push(Diagnostic {
                    input: report.origin.clone(),
                    message: match words {
                        // The cleaner emptied an error page ("404 : Page Not Found").
                        0 if report.dropped.iter().any(|d| d.rule == "error_page") => format!(
                            "an error page, not an article (titled \"{}\")",
                            report.title.as_deref().unwrap_or_default()
                        ),
                        0 => "no body text found".into(),
                        n => format!(
                            "no body text found (only {n} word{}: a menu or a label, not a report)",
                            if n == 1 { "" } else { "s" }
                        ),
                    },
                });
                continue;
            }
            stored_in_batch.insert(report.id.clone(), hash);
            let placement = self.index.place(&a);
            let mut feats = features(&a, 0);
            let display_title = display_title(report, &a);
            let outlet = self.cfg.outlets.outlet(report).map(|(name, _)| name);
            feats.outlet = outlet.clone();
            // `place` put the report in the index: the index now holds up to its number.
            self.indexed_seq = self.store.insert_report(&NewReport {
                report,
                display_title: &display_title,
                content_hash: hash,
                story: placement.story,
                placement_score: placement.score,
                placement_evidence: &placement.evidence,
                features: &feats,
                marker_evidence: &a.marker_evidence,
                term_counts: &a.term_counts,
                lead_names: &a.lead_names,
                band_keys: &a.band_keys,
                outlet: outlet.as_deref(),
                first_seen: &first_seen,
            })?;
            let a = Arc::new(a);
            let mut others = Vec::new();
            for (other, similarity) in placement
                .neighbours
                .iter()
                .take(self.cfg.batch.lineage_neighbours)
            {
                if let Some(o) = self.analysed(other)? {
                    others.push((o, *similarity));
                }
            }
            self.cache.insert(a.id.clone(), a.clone());
            summary.new += 1;
            summary.landings.push(Landing {
                report: report.id.clone(),
                story: placement.story,
                new_story: placement.new_story,
                score: placement.score,
            });
            dirty.insert(placement.story);
            // Only a new story's first report decides its thread (`develops`).
            if let Some(thread) = self.thread_for(&placement)? {
                self.store.set_thread(placement.story, thread)?;
            }
            to_align.push((placement.story, a, others));
        }
        // Placement is sequential (each report sees the ones before it); aligning a new report
        // with its neighbours depends on nothing else, so the batch's pairs align on every
        // core, then are stored in input order.
        self.times.place += start.elapsed();
        let start = Instant::now();
        let cfg = &self.cfg.align;
        let pairs: Vec<Vec<PairRecord>> = to_align
            .par_iter()
            .map(|(story, a, others)| {
                let a_index = SentenceIndex::of(a);
                others
                    .iter()
                    .map(|(o, similarity)| {
                        let a_in_b = align(a, o, cfg);
                        let b_in_a = align_with(o, a, &a_index, cfg);
                        PairRecord {
                            story: *story,
                            evidence: PairEvidence {
                                a: a.id.clone(),
                                b: o.id.clone(),
                                a_in_b: ReuseSummary::from(&a_in_b),
                                b_in_a: ReuseSummary::from(&b_in_a),
                                similarity: *similarity,
                            },
                            a_in_b: a_in_b.matches,
                            b_in_a: b_in_a.matches,
                        }
                    })
                    .collect()
            })
            .collect();
        self.times.align += start.elapsed();
        let start = Instant::now();
        let pairs: Vec<PairRecord> = pairs.into_iter().flatten().collect();
        self.store.put_pairs(&pairs)?;
        self.store
            .mark_lineages_pending(&dirty.into_iter().collect::<Vec<_>>())?;
        self.times.store += start.elapsed();
        Ok(())
    }

    /// Decides again the lineage of every story marked out of date (by this engine's batches,
    /// another writer's, or a run that was killed), in one transaction.
    pub fn settle_lineage(&mut self) -> Result<(), PipelineError> {
        let start = Instant::now();
        self.store.begin()?;
        let result = self.settle_pending();
        let result = match result {
            Ok(()) => Ok(self.store.commit()?),
            Err(e) => {
                self.store.rollback()?;
                Err(e)
            }
        };
        self.times.lineage += start.elapsed();
        result
    }

    /// Whether a long run should settle lineage now: [`BatchConfig::lineage_settle_interval`]
    /// has passed, and so has [`BatchConfig::lineage_settle_spacing`] times the last settling.
    fn settle_due(&self) -> bool {
        let waited = self.last_settle.elapsed();
        waited >= self.cfg.batch.lineage_settle_interval
            && waited.as_secs_f64()
                >= self.cfg.batch.lineage_settle_spacing * self.last_settle_took.as_secs_f64()
    }

    /// Decides the marked stories' lineage inside the open transaction, [`SETTLE_CHUNK`]
    /// stories at a time.
    fn settle_pending(&mut self) -> Result<(), PipelineError> {
        let start = Instant::now();
        let pending = self.store.lineage_pending()?;
        for stories in pending.chunks(SETTLE_CHUNK) {
            let inputs = self.store.lineage_inputs(stories)?;
            let lineages: Vec<(StoryId, StoryLineage)> = stories
                .iter()
                .zip(&inputs)
                .map(|(story, i)| {
                    (
                        *story,
                        decide_lineage(&self.cfg.lineage, &i.members, &i.pairs),
                    )
                })
                .collect();
            self.store.settle_lineages(&lineages)?;
        }
        self.last_settle = Instant::now();
        self.last_settle_took = start.elapsed();
        Ok(())
    }

    /// The analysis of a stored report, from the cache or recomputed from its stored text.
    fn analysed(&mut self, id: &ReportId) -> Result<Option<Arc<AnalyzedReport>>, PipelineError> {
        if let Some(a) = self.cache.get(id) {
            return Ok(Some(a.clone()));
        }
        let Some((report, _, _)) = self.store.report(id)? else {
            return Ok(None);
        };
        let a = Arc::new(analyze(&report, &self.cfg.fingerprint, &self.hasher));
        self.cache.insert(id.clone(), a.clone());
        Ok(Some(a))
    }
}

/// A report's short lines (after its first), the candidates for its site's boilerplate: line
/// number and hash of each, and the distinct hashes.
struct SiteLines {
    site: String,
    candidates: Vec<(usize, u64)>,
    distinct: Vec<u64>,
}

impl SiteLines {
    /// `None` when the report has no site or no short line. The first paragraph is never a
    /// candidate: on a wire the recurring first lines are formulaic leads ("The following
    /// proposed securities offerings were filed recently…", "Qtr ended Jan 31"), and dropping
    /// them cut the opening of 207 of the 19,775 Reuters-21578 items stored with their outlet
    /// named; a page's template lines before the article are the HTML cleaner's and the news
    /// layer's to drop.
    fn of(r: &Report, max_words: usize) -> Option<SiteLines> {
        let site = site_of(r)?;
        let candidates: Vec<(usize, u64)> = r
            .text
            .lines()
            .enumerate()
            .skip(1)
            .filter(|(_, l)| l.split_whitespace().count() <= max_words)
            .map(|(i, l)| {
                (
                    i,
                    xxhash_rust::xxh3::xxh3_64(storyline_text::normalize_for_match(l).as_bytes()),
                )
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let mut distinct: Vec<u64> = candidates.iter().map(|(_, h)| *h).collect();
        distinct.sort_unstable();
        distinct.dedup();
        Some(SiteLines {
            site,
            candidates,
            distinct,
        })
    }
}

/// Lines that earlier reports of the same site carried again and again are the site's
/// boilerplate (a standing footer, a recurring promo): drops the lines `drop` names with rule
/// `site_boilerplate`, unless that would leave nothing. Whether it dropped anything.
fn drop_site_boilerplate(r: &mut Report, drop: &HashSet<usize>) -> bool {
    if drop.is_empty() || drop.len() == r.text.lines().count() {
        return false;
    }
    let mut kept = Vec::new();
    for (i, l) in r.text.lines().enumerate() {
        if drop.contains(&i) {
            r.dropped.push(DroppedText {
                rule: "site_boilerplate".into(),
                text: l.to_string(),
            });
        } else {
            kept.push(l);
        }
    }
    r.text = kept.join("\n");
    true
}

/// A unit of [`Engine::ingest_paths`]' work.
enum InputJob<'a> {
    /// Files read, cleaned and analysed together (ahead of placement).
    Files(Vec<&'a InputFile>),
    /// A WARC file, streamed.
    Warc(&'a InputFile),
}

/// A chunk of files read, cleaned and analysed, ready for placement.
struct ReadChunk {
    reports: Vec<(Report, Option<AnalyzedReport>)>,
    diagnostics: Vec<Diagnostic>,
    /// Items the readers left out on purpose (see [`IngestSummary::skipped`]).
    skipped: Vec<Diagnostic>,
    /// Input files it came from.
    inputs: usize,
    read_clean: Duration,
    analyse: Duration,
}

/// Reads, cleans and analyses a chunk of files (in parallel); touches no engine state, so it
/// runs ahead of placement.
fn read_chunk(
    files: &[&InputFile],
    fingerprint: &FingerprintConfig,
    hasher: &MinHasher,
) -> ReadChunk {
    let start = Instant::now();
    let outcomes: Vec<_> = files
        .par_iter()
        .map(|f| {
            let out = read_input(f);
            let reports: Vec<Report> = out
                .reports
                .into_iter()
                .map(storyline_clean::clean_report)
                .collect();
            (reports, out.diagnostics, out.skipped)
        })
        .collect();
    let mut reports = Vec::new();
    let mut diagnostics = Vec::new();
    let mut skipped = Vec::new();
    for (rs, ds, ss) in outcomes {
        diagnostics.extend(ds);
        reports.extend(rs);
        skipped.extend(ss);
    }
    let read_clean = start.elapsed();
    let start = Instant::now();
    let reports = reports
        .into_par_iter()
        .map(|r| {
            let a = analyze(&r, fingerprint, hasher);
            (r, Some(a))
        })
        .collect();
    ReadChunk {
        reports,
        diagnostics,
        skipped,
        inputs: files.len(),
        read_clean,
        analyse: start.elapsed(),
    }
}

/// Analysed reports kept for aligning later arrivals with them, the oldest dropped first when
/// full (emptying it all at once made every neighbour of the next reports be analysed again).
struct AnalysisCache {
    map: HashMap<ReportId, Arc<AnalyzedReport>>,
    order: std::collections::VecDeque<ReportId>,
    capacity: usize,
}

impl AnalysisCache {
    fn new(capacity: usize) -> AnalysisCache {
        AnalysisCache {
            map: HashMap::new(),
            order: std::collections::VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn get(&self, id: &ReportId) -> Option<&Arc<AnalyzedReport>> {
        self.map.get(id)
    }

    fn insert(&mut self, id: ReportId, a: Arc<AnalyzedReport>) {
        if self.map.insert(id.clone(), a).is_none() {
            self.order.push_back(id);
        }
        while self.map.len() > self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.map.remove(&old);
                }
                None => break,
            }
        }
    }

    fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }
}

/// Most reports a brief reads: the brief aligns every pair of them and searches every
/// sentence of each for the others' claims, 0.2 s for a story of 23 reports (Reuters-21578 +
/// BBC's largest), growing with the square; 50 keeps a story's page near a second.
pub const MAX_BRIEF_REPORTS: usize = 50;

/// Share of a sentence's content terms (sorted hashes) that another sentence holds.
fn term_coverage(claim: &[u64], other: &[u64]) -> f64 {
    if claim.is_empty() {
        return 0.0;
    }
    let shared = claim
        .iter()
        .filter(|h| other.binary_search(h).is_ok())
        .count();
    shared as f64 / claim.len() as f64
}

/// Where [`brief_candidates_with`] gets a report's analysis: a cache, or the store's text.
type AnalysedOf<'a> =
    dyn FnMut(&ReportId) -> Result<Option<Arc<AnalyzedReport>>, PipelineError> + 'a;

/// A story's brief candidates read from any store, each report analysed afresh: for readers that
/// do not hold the [`Engine`] (the web server's request handlers).
pub fn brief_candidates<S: Store>(
    store: &S,
    story: StoryId,
    cfg: &EngineConfig,
) -> Result<Option<BriefInput>, PipelineError> {
    let hasher = MinHasher::new(cfg.fingerprint.permutations);
    brief_candidates_with(store, story, &cfg.align, &mut |id| {
        Ok(store
            .report(id)?
            .map(|(r, _, _)| Arc::new(analyze(&r, &cfg.fingerprint, &hasher))))
    })
}

/// The brief's candidate sentences of a story: every sentence of every report, with the
/// reports that carry it (by sentence alignment between every pair of the story's reports)
/// and the sentences it restates; and the story's reports in time order. `analysed_of` gives a
/// report's analysis (from a cache, or recomputed from the store).
fn brief_candidates_with<S: Store>(
    store: &S,
    story: StoryId,
    align_cfg: &AlignConfig,
    analysed_of: &mut AnalysedOf<'_>,
) -> Result<Option<BriefInput>, PipelineError> {
    let Some(record) = store.story(story)? else {
        return Ok(None);
    };
    // Story time: publication order where known; without dates, originals before the
    // reports derived from them, then the order reports arrived in.
    let mut order: Vec<(Option<String>, bool, usize, ReportId)> = record
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r.published.clone(),
                r.role != storyline_model::Role::Original,
                i,
                r.id.clone(),
            )
        })
        .collect();
    order.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y).then(a.2.cmp(&b.2)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1).then(a.2.cmp(&b.2)),
    });
    let mut order: Vec<ReportId> = order.into_iter().map(|(_, _, _, id)| id).collect();
    if order.len() > MAX_BRIEF_REPORTS {
        // Every pair of reports is aligned and searched: a story of thousands would take
        // hours. Its originals, then the earliest of the rest, in story time.
        let originals: std::collections::HashSet<&ReportId> = record
            .reports
            .iter()
            .filter(|x| x.role == storyline_model::Role::Original)
            .map(|x| &x.id)
            .collect();
        let mut keep: Vec<ReportId> = order
            .iter()
            .filter(|id| originals.contains(id))
            .cloned()
            .collect();
        keep.truncate(MAX_BRIEF_REPORTS);
        for id in &order {
            if keep.len() >= MAX_BRIEF_REPORTS {
                break;
            }
            if !keep.contains(id) {
                keep.push(id.clone());
            }
        }
        order.retain(|id| keep.contains(id));
    }
    let mut analysed = Vec::new();
    for id in &order {
        if let (Some(a), Some((r, _, _))) = (analysed_of(id)?, store.report(id)?) {
            let original = record
                .reports
                .iter()
                .any(|x| &x.id == id && x.role == storyline_model::Role::Original);
            analysed.push((a, r, original));
        }
    }
    let mut cands: Vec<storyline_compare::Candidate> = Vec::new();
    let mut index: HashMap<(ReportId, usize), usize> = HashMap::new();
    for (a, r, original) in &analysed {
        for (i, sentence) in a.sentences.iter().enumerate() {
            index.insert((a.id.clone(), i), cands.len());
            cands.push(storyline_compare::Candidate {
                report: a.id.clone(),
                position: i,
                text: r.text[sentence.span.start..sentence.span.end].to_string(),
                carried_by: vec![a.id.clone()],
                support: Vec::new(),
                from_original: *original,
                restates: Vec::new(),
            });
        }
    }
    for (x, _, _) in &analysed {
        for (y, yr, _) in &analysed {
            if x.id == y.id {
                continue;
            }
            for m in align(x, y, align_cfg).matches {
                if let Some(&c) = index.get(&(x.id.clone(), m.derived)) {
                    let text = y
                        .sentences
                        .get(m.source)
                        .and_then(|s| yr.text.get(s.span.start..s.span.end))
                        .unwrap_or_default()
                        .to_string();
                    let cited = storyline_compare::cites(m.kind.as_str(), &cands[c].text, &text);
                    let support = storyline_compare::Support {
                        report: y.id.clone(),
                        position: m.source,
                        kind: m.kind.as_str(),
                        score: m.score,
                        cited,
                        text,
                    };
                    let cand = &mut cands[c];
                    // One support per report: its closest sentence.
                    match cand.support.iter_mut().find(|s| s.report == y.id) {
                        Some(s) if (s.cited, s.score) >= (support.cited, support.score) => {}
                        Some(s) => *s = support,
                        None => cand.support.push(support),
                    }
                    cand.restates.push((y.id.clone(), m.source));
                }
            }
        }
    }
    // A claim told in other words: each other report's sentence that holds the largest share
    // of the sentence's content terms, cited when that share clears the bar
    // ([`storyline_compare::carries_claim`]).
    for (x, _, _) in &analysed {
        for (i, xs) in x.sentences.iter().enumerate() {
            // Too few terms to be recognised reworded: no report's sentences need reading.
            if xs.terms.len() < storyline_compare::CLAIM_MIN_TERMS {
                continue;
            }
            let Some(&c) = index.get(&(x.id.clone(), i)) else {
                continue;
            };
            for (y, yr, _) in &analysed {
                if x.id == y.id || cands[c].support.iter().any(|s| s.report == y.id && s.cited) {
                    continue;
                }
                let Some((coverage, j)) = y
                    .sentences
                    .iter()
                    .enumerate()
                    .map(|(j, t)| (term_coverage(&xs.terms, &t.terms), j))
                    .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                else {
                    continue;
                };
                let sentence = |j: usize| {
                    y.sentences
                        .get(j)
                        .and_then(|s| yr.text.get(s.span.start..s.span.end))
                        .unwrap_or_default()
                };
                let text = sentence(j);
                let (kind, j, coverage, text) = if storyline_compare::carries_claim(
                    xs.terms.len(),
                    coverage,
                    &cands[c].text,
                    text,
                ) {
                    ("paraphrase", j, coverage, text)
                } else if let Some(j) = (0..y.sentences.len())
                    .find(|&j| storyline_compare::shares_quote(&cands[c].text, sentence(j)))
                {
                    // Another frame around the same speaker's words.
                    let coverage = term_coverage(&xs.terms, &y.sentences[j].terms);
                    ("quote", j, coverage, sentence(j))
                } else {
                    continue;
                };
                let support = storyline_compare::Support {
                    report: y.id.clone(),
                    position: j,
                    kind,
                    score: coverage,
                    cited: true,
                    text: text.to_string(),
                };
                let cand = &mut cands[c];
                match cand.support.iter_mut().find(|s| s.report == y.id) {
                    Some(s) => *s = support,
                    None => cand.support.push(support),
                }
            }
        }
    }
    for c in &mut cands {
        for s in &c.support {
            if s.cited && !c.carried_by.contains(&s.report) {
                c.carried_by.push(s.report.clone());
            }
        }
    }
    Ok(Some((cands, order)))
}

/// Who said what in a report's body (the extract stage, computed on demand).
pub use storyline_extract::{
    DateMention, Entity, EntityKind, Figure, attributions, dates, entities, figures, same_person,
};

/// Sentence indices as alignment and the brief count them, and the stored sentence links.
pub use storyline_stories::align::{MatchKind, SentenceMatch};
pub use storyline_stories::analyze::sentence_spans;
pub use storyline_text::paragraphs;

/// Remarks across reports: one quote worded several ways (the compare stage).
pub use storyline_compare::{
    BriefSentence, Candidate, DatedFact, DiffOp, EntityAcross, FigureComparison, QuoteInstance,
    Remark, ReportFigures, Support, Variant, brief, cites, compare_figures, entities_across,
    remarks, render as render_diff, unique_dated_facts, word_diff,
};

pub use storyline_extract::quoted_words;

/// The direct, attributed quotes of a report that are remarks (whole, or partial but more than
/// a few words), for grouping into remarks.
pub fn quote_instances(report: &Report) -> Vec<QuoteInstance> {
    storyline_extract::attributions(&report.text)
        .into_iter()
        .filter(|a| storyline_extract::is_remark(&report.text, a))
        .filter_map(|a| {
            let text = quoted_words(&report.text, &a).into_owned();
            let speaker = a.speaker?;
            Some(QuoteInstance {
                report: report.id.clone(),
                speaker,
                text,
            })
        })
        .collect()
}

/// A report's figures with their text, for comparing figures across a story.
pub fn report_figures(report: &Report) -> ReportFigures {
    let figures = storyline_extract::figures(&report.text);
    let texts = figures
        .iter()
        .map(|f| {
            report
                .text
                .get(f.span.0..f.span.1)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    ReportFigures {
        report: report.id.clone(),
        figures,
        texts,
    }
}

/// Sets the number of worker threads for reading and analysis (once per process).
pub fn set_threads(n: usize) -> Result<(), rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n.max(1))
        .build_global()
}

/// Whether a report's origin is a whole file (not `path:line`, `path#item-N`, a URL).
fn is_file_origin(origin: &str) -> bool {
    !origin.contains('#') && !origin.contains("://") && std::path::Path::new(origin).is_file()
}

/// One line per kind of item a reader skipped: `skipped 1,798 items: a title with no body (a
/// wire flash), first reut2-000.sgm#item-2`.
fn skipped_items_summary(items: &[Diagnostic]) -> Vec<String> {
    let mut kinds: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for d in items {
        kinds.entry(&d.message).or_insert((0, &d.input)).0 += 1;
    }
    kinds
        .into_iter()
        .map(|(why, (n, first))| {
            format!(
                "skipped {n} item{}: {why} (the first: {first})",
                if n == 1 { "" } else { "s" }
            )
        })
        .collect()
}

/// Reads and cleans the reports under `paths` without storing them (`storyline clean`).
pub fn clean_paths(paths: &[PathBuf], ids: IdScheme) -> (Vec<Report>, Vec<Diagnostic>) {
    let found = find_inputs(paths, ids);
    let (files, mut diags) = (found.files, found.diagnostics);
    let outcomes: Vec<_> = files.par_iter().map(read_input).collect();
    let mut reports = Vec::new();
    for out in outcomes {
        diags.extend(out.diagnostics);
        for r in out.reports.into_iter().map(storyline_clean::clean_report) {
            if r.text.trim().is_empty() {
                diags.push(Diagnostic {
                    input: r.origin.clone(),
                    message: "no body text found".into(),
                });
            }
            reports.push(r);
        }
    }
    (reports, diags)
}
