//! `scale-bench`: the steps of the scale bench that need Storyline's own code. `benches/run`
//! drives them (and `storyline ingest`, and datasketch) and prints the table.
//!
//! - `generate --size N --seed S --out DIR`: the corpus as JSON Lines shards, `truth.tsv`
//!   (derived id, source id, kind) and `held-out.jsonl` (reports that arrive after the corpus,
//!   for placement latency).
//! - `ceiling DIR`: read and tokenise only (Storyline's reader), the throughput ceiling.
//! - `neardup DIR`: the near-duplicate stage alone (shingle, MinHash, LSH insert and query).
//! - `place --db DB DIR`: placement latency of held-out reports one at a time, and index size.
//! - `score --db DB DIR`: lineage precision and recall, and the stories' pairwise and
//!   B-cubed scores, against `truth.tsv`.
//! - `stories DIR --join T...`: placement alone (no store, no lineage) with each join
//!   threshold, scored like `score` scores stories: for choosing placement settings.
//!
//! Each step prints one JSON object.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use rayon::prelude::*;
use serde_json::json;
use storyline_bench::generate::{Generator, bases};
use storyline_bench::stories::{families, score as story_scores};
use storyline_fingerprint::{
    BandIndex, FingerprintConfig, MinHasher, band_keys, jaccard, shingles,
};
use storyline_model::Report;
use storyline_pipeline::{Engine, EngineConfig, IngestSummary, StageTimes};
use storyline_read::{InputFile, InputFormat, RawBody, read_input};
use storyline_store::{SqliteStore, Store};
use storyline_stories::index::{PlacementConfig, StoryIndex};
use storyline_stories::{AnalyzedReport, analyze};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    step: Step,
}

#[derive(Subcommand)]
enum Step {
    Generate {
        #[arg(long)]
        size: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// The evaluation data folder (holding `corpora/` and `extraction/`).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Reports per JSON Lines shard.
        #[arg(long, default_value_t = 5000)]
        shard: usize,
        /// Reports generated after the corpus, for placement latency.
        #[arg(long, default_value_t = 1000)]
        held_out: usize,
    },
    Ceiling {
        dir: PathBuf,
    },
    Neardup {
        dir: PathBuf,
        /// Also time each part of the stage on one thread (tokenise, shingle, MinHash, band
        /// keys, index), to see where the time goes.
        #[arg(long)]
        parts: bool,
    },
    Place {
        #[arg(long)]
        db: PathBuf,
        dir: PathBuf,
    },
    Score {
        #[arg(long)]
        db: PathBuf,
        dir: PathBuf,
    },
    Stories {
        dir: PathBuf,
        /// Join thresholds to try, one index each, same reports in the same order.
        #[arg(long, num_args = 1.., default_values_t = [0.28])]
        join: Vec<f64>,
        #[arg(long, num_args = 1.., default_values_t = [0])]
        hits: Vec<usize>,
        /// Most candidates scored per placement (`PlacementConfig::max_candidates`) to try.
        #[arg(long, num_args = 1.., default_values_t = [256])]
        candidates: Vec<usize>,
        /// Only the first N reports of the corpus.
        #[arg(long)]
        limit: Option<usize>,
        /// Write each report's story under the first setting here (`id<TAB>story`).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn shards(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: no corpus here (run generate first)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("corpus-"))
        })
        .collect();
    out.sort();
    if out.is_empty() {
        bail!("{}: no corpus-*.jsonl shards", dir.display());
    }
    Ok(out)
}

fn report_json(r: &Report) -> String {
    json!({
        "id": r.id.0,
        "title": r.title,
        "text": r.text,
        "source": r.source,
        "published": r.published,
    })
    .to_string()
}

fn generate(
    size: usize,
    seed: u64,
    out: &Path,
    data: &Path,
    shard: usize,
    held_out: usize,
) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let started = Instant::now();
    let bases = bases(data)?;
    let n_bases = bases.len();
    let mut truth = BufWriter::new(std::fs::File::create(out.join("truth.tsv"))?);
    let mut file: Option<BufWriter<std::fs::File>> = None;
    let mut held = BufWriter::new(std::fs::File::create(out.join("held-out.jsonl"))?);
    let mut bytes = 0usize;
    for (i, g) in Generator::new(bases, size + held_out, seed).enumerate() {
        if let Some((src, kind)) = &g.source {
            writeln!(truth, "{}\t{src}\t{}", g.report.id.0, kind.as_str())?;
        }
        let line = report_json(&g.report);
        bytes += g.report.text.len();
        if i >= size {
            writeln!(held, "{line}")?;
            continue;
        }
        if i % shard == 0 {
            if let Some(mut f) = file.take() {
                f.flush()?;
            }
            let path = out.join(format!("corpus-{:05}.jsonl", i / shard));
            file = Some(BufWriter::new(std::fs::File::create(path)?));
        }
        writeln!(file.as_mut().expect("opened above"), "{line}")?;
    }
    if let Some(mut f) = file {
        f.flush()?;
    }
    truth.flush()?;
    held.flush()?;
    println!(
        "{}",
        json!({
            "step": "generate",
            "size": size,
            "held_out": held_out,
            "bases": n_bases,
            "text_bytes": bytes,
            "seconds": started.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}

fn read_shard(path: &Path) -> Vec<(String, String)> {
    let out = read_input(&InputFile::new(
        path.to_path_buf(),
        InputFormat::JsonLines,
        false,
    ));
    out.reports
        .into_iter()
        .map(|r| {
            let (RawBody::Text(t) | RawBody::Html(t)) = r.body;
            (r.id.0, t)
        })
        .collect()
}

fn ceiling(dir: &Path) -> Result<()> {
    let started = Instant::now();
    let files = shards(dir)?;
    let (reports, bytes, tokens) = files
        .par_iter()
        .map(|f| {
            let rs = read_shard(f);
            let bytes: usize = rs.iter().map(|(_, t)| t.len()).sum();
            let tokens: usize = rs
                .iter()
                .map(|(_, t)| storyline_text::word_tokens(t).len())
                .sum();
            (rs.len(), bytes, tokens)
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let s = started.elapsed().as_secs_f64();
    // What the pipeline does to a report before placement (read, clean, analyse: sentences,
    // stemmed terms, shingles, MinHash, markers) and nothing after it: how close to the
    // ceiling any full ingest could come while it analyses every report.
    let fp = FingerprintConfig::default();
    let hasher = MinHasher::new(fp.permutations);
    let started = Instant::now();
    let analysed: usize = files
        .iter()
        .map(|f| {
            read_input(&InputFile::new(f.clone(), InputFormat::JsonLines, false))
                .reports
                .into_par_iter()
                .map(|r| {
                    analyze(&storyline_clean::clean_report(r), &fp, &hasher)
                        .sentences
                        .len()
                })
                .count()
        })
        .sum();
    let a = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({
            "step": "ceiling",
            "reports": reports,
            "tokens": tokens,
            "seconds": s,
            "reports_per_s": reports as f64 / s,
            "mb_per_s": bytes as f64 / 1e6 / s,
            "analysis_seconds": a,
            "analysis_reports_per_s": analysed as f64 / a,
        })
    );
    Ok(())
}

/// Truth pairs (derived, source) whose word 5-gram shingle sets have Jaccard ≥ 0.5: the
/// near duplicates an LSH at threshold 0.5 should return.
fn load_truth(dir: &Path) -> Result<Vec<(String, String, String)>> {
    let f = std::fs::File::open(dir.join("truth.tsv"))?;
    let mut out = Vec::new();
    for line in std::io::BufReader::new(f).lines() {
        let line = line?;
        let mut parts = line.split('\t');
        if let (Some(a), Some(b), Some(k)) = (parts.next(), parts.next(), parts.next()) {
            out.push((a.to_string(), b.to_string(), k.to_string()));
        }
    }
    Ok(out)
}

/// The near-duplicate threshold of both sides (the datasketch setting).
const NEAR_DUP_JACCARD: f64 = 0.5;

fn neardup(dir: &Path, parts: bool) -> Result<()> {
    let cfg = FingerprintConfig::default();
    let hasher = MinHasher::new(cfg.permutations);
    let files = shards(dir)?;
    // Reading is not part of the stage: load first, then time shingle → index.
    let docs: Vec<(String, String)> = files.par_iter().flat_map(|f| read_shard(f)).collect();
    let bands = storyline_stories::index::PlacementConfig::default().lsh_bands;
    let started = Instant::now();
    let mut lsh = BandIndex::new();
    let mut hits: Vec<Vec<u32>> = Vec::with_capacity(docs.len());
    for chunk in docs.chunks(4096) {
        let keys: Vec<Vec<u64>> = chunk
            .par_iter()
            .map(|(_, t)| {
                let sh = storyline_text::with_word_tokens(t, |tokens| {
                    shingles(tokens, cfg.shingle_words)
                });
                band_keys(&hasher.signature(&sh), cfg.bands)
            })
            .collect();
        for keys in keys {
            let me = hits.len() as u32;
            let mut found: Vec<u32> = Vec::new();
            let keys = &keys[..keys.len().min(bands)];
            lsh.query(keys, &mut found);
            lsh.insert(me, keys);
            found.sort_unstable();
            found.dedup();
            hits.push(found);
        }
    }
    let s = started.elapsed().as_secs_f64();
    // The shingle sets are for scoring recall, not part of the stage (until 2026-11-24 the
    // timed loop kept all of them, ~240 MB at 100k): made again, untimed.
    let shingle_sets: Vec<Vec<u64>> = docs
        .par_iter()
        .map(|(_, t)| {
            storyline_text::with_word_tokens(t, |tokens| shingles(tokens, cfg.shingle_words))
        })
        .collect();
    let recall = near_dup_recall(dir, &docs, &hits, &shingle_sets)?;
    let parts = parts.then(|| neardup_parts(&docs, &hasher, cfg, bands));
    println!(
        "{}",
        json!({
            "step": "neardup",
            "reports": docs.len(),
            "seconds": s,
            "reports_per_s": docs.len() as f64 / s,
            "permutations": cfg.permutations,
            "bands": bands,
            "index_bytes_per_report": lsh.heap_bytes() as f64 / docs.len().max(1) as f64,
            "shingle_words": cfg.shingle_words,
            "near_dup_pairs": recall.0,
            "near_dup_recall": recall.1,
            "parts_seconds_one_thread": parts,
        })
    );
    Ok(())
}

/// Seconds of each part of the near-duplicate stage over the whole corpus, on one thread (shingling is
/// timed with tokenising, then tokenising alone is subtracted).
fn neardup_parts(
    docs: &[(String, String)],
    hasher: &MinHasher,
    cfg: FingerprintConfig,
    bands: usize,
) -> serde_json::Value {
    let t = Instant::now();
    let words: usize = docs
        .iter()
        .map(|(_, t)| storyline_text::with_word_tokens(t, |t| t.len()))
        .sum();
    let tokenise = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let sets: Vec<Vec<u64>> = docs
        .iter()
        .map(|(_, t)| storyline_text::with_word_tokens(t, |t| shingles(t, cfg.shingle_words)))
        .collect();
    let shingle = t.elapsed().as_secs_f64() - tokenise;
    let t = Instant::now();
    let sigs: Vec<Vec<u32>> = sets.iter().map(|s| hasher.signature(s)).collect();
    let minhash = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let keys: Vec<Vec<u64>> = sigs.iter().map(|s| band_keys(s, cfg.bands)).collect();
    let band = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut lsh = BandIndex::new();
    let mut found = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let k = &k[..k.len().min(bands)];
        found.clear();
        lsh.query(k, &mut found);
        lsh.insert(i as u32, k);
    }
    let index = t.elapsed().as_secs_f64();
    json!({
        "tokenise": tokenise,
        "shingle": shingle,
        "minhash": minhash,
        "band_keys": band,
        "index": index,
        "words": words,
    })
}

fn near_dup_recall(
    dir: &Path,
    docs: &[(String, String)],
    hits: &[Vec<u32>],
    shingle_sets: &[Vec<u64>],
) -> Result<(usize, f64)> {
    let pos: HashMap<&str, u32> = docs
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i as u32))
        .collect();
    let mut pairs = 0usize;
    let mut found = 0usize;
    for (derived, source, _) in load_truth(dir)? {
        let (Some(&d), Some(&s)) = (pos.get(derived.as_str()), pos.get(source.as_str())) else {
            continue;
        };
        if jaccard(&shingle_sets[d as usize], &shingle_sets[s as usize]) < NEAR_DUP_JACCARD {
            continue;
        }
        pairs += 1;
        if hits[d as usize].binary_search(&s).is_ok() {
            found += 1;
        }
    }
    Ok((pairs, found as f64 / pairs.max(1) as f64))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn place(db: &Path, dir: &Path) -> Result<()> {
    let opened = Instant::now();
    let mut engine = Engine::open(SqliteStore::open(db)?, EngineConfig::default())?;
    let reopen_s = opened.elapsed().as_secs_f64();
    let memory = engine.index_memory();
    let held = read_input(&InputFile::new(
        dir.join("held-out.jsonl"),
        InputFormat::JsonLines,
        false,
    ));
    // Each report in its own call: placed in its story and committed (`ms`), and, within the
    // same call and transaction, its story's lineage decided again (`lineage_ms`, from the
    // engine's stage times), reported apart: lineage grows with the story, placement should not.
    let mut ms = Vec::new();
    let mut with_lineage_ms = Vec::new();
    let mut lineage_ms = Vec::new();
    // Each placement's stage times, to tell what the slowest ones spent their time on.
    let mut stages: Vec<(f64, [f64; 7])> = Vec::new();
    for raw in held.reports {
        let report = storyline_clean::clean_report(raw);
        let before = engine.stage_times();
        let started = Instant::now();
        let mut summary = IngestSummary::default();
        engine.ingest_reports(vec![report], &mut summary)?;
        let total = started.elapsed().as_secs_f64() * 1e3;
        let after = engine.stage_times();
        let lineage = (after.lineage - before.lineage).as_secs_f64() * 1e3;
        ms.push(total - lineage);
        with_lineage_ms.push(total);
        lineage_ms.push(lineage);
        let mut by_stage = [0.0; 7];
        for (i, ((_, a), (_, b))) in after.rows().iter().zip(before.rows()).enumerate() {
            by_stage[i] = (a - b) * 1e3;
        }
        stages.push((total - lineage, by_stage));
    }
    stages.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest = &stages[..stages.len().div_ceil(100)];
    let slowest_stage_ms: serde_json::Map<String, serde_json::Value> = StageTimes::default()
        .rows()
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let mean = slowest.iter().map(|(_, s)| s[i]).sum::<f64>() / slowest.len() as f64;
            (name.to_string(), json!(mean))
        })
        .collect();
    for v in [&mut ms, &mut with_lineage_ms, &mut lineage_ms] {
        v.sort_by(f64::total_cmp);
    }
    let db_bytes = std::fs::metadata(db)?.len();
    let n = memory.reports.max(1);
    println!(
        "{}",
        json!({
            "step": "place",
            "stored": memory.reports,
            "placed": ms.len(),
            "placement_p50_ms": percentile(&ms, 0.5),
            "placement_p99_ms": percentile(&ms, 0.99),
            "with_lineage_p50_ms": percentile(&with_lineage_ms, 0.5),
            "with_lineage_p99_ms": percentile(&with_lineage_ms, 0.99),
            "lineage_p50_ms": percentile(&lineage_ms, 0.5),
            "lineage_p99_ms": percentile(&lineage_ms, 0.99),
            "slowest_1pct_stage_ms": slowest_stage_ms,
            "reopen_seconds": reopen_s,
            "index_bytes_per_report": memory.total as f64 / n as f64,
            "fingerprint_index_bytes_per_report": memory.fingerprints as f64 / n as f64,
            "disk_bytes_per_report": db_bytes as f64 / n as f64,
        })
    );
    Ok(())
}

fn score(db: &Path, dir: &Path) -> Result<()> {
    let truth = load_truth(dir)?;
    let parent: HashMap<&str, &str> = truth
        .iter()
        .map(|(d, s, _)| (d.as_str(), s.as_str()))
        .collect();
    let ancestor = |of: &str, candidate: &str| {
        let mut at = of;
        while let Some(&p) = parent.get(at) {
            if p == candidate {
                return true;
            }
            at = p;
        }
        false
    };
    // A store file or a PostgreSQL URL (`benches/pg-workers` scores worker runs so).
    let store = storyline_store::AnyStore::open(db)?;
    let stories = store.stories()?;
    let stored: HashSet<String> = stories
        .iter()
        .flat_map(|s| s.reports.iter().map(|r| r.id.0.clone()))
        .collect();
    let mut edges = 0usize;
    let mut right = 0usize;
    let mut derived_found: HashSet<String> = HashSet::new();
    for s in &stories {
        for e in &s.lineage {
            if e.kind.as_str() == "related" {
                continue;
            }
            edges += 1;
            if ancestor(&e.to.0, &e.from.0) {
                right += 1;
                derived_found.insert(e.to.0.clone());
            }
        }
    }
    let derived: Vec<&str> = truth
        .iter()
        .map(|(d, _, _)| d.as_str())
        .filter(|d| stored.contains(*d))
        .collect();
    let recall = derived
        .iter()
        .filter(|d| derived_found.contains(**d))
        .count() as f64
        / derived.len().max(1) as f64;
    let family = families(truth.iter().map(|(d, s, _)| (d.as_str(), s.as_str())));
    let grouping = story_scores(
        stories
            .iter()
            .flat_map(|s| s.reports.iter().map(move |r| (r.id.0.as_str(), s.id.0))),
        &family,
    );
    println!(
        "{}",
        json!({
            "step": "score",
            "stories": stories.len(),
            "families": grouping.families,
            "story_pairwise_precision": grouping.pairwise_precision,
            "story_pairwise_recall": grouping.pairwise_recall,
            "story_bcubed_precision": grouping.bcubed_precision,
            "story_bcubed_recall": grouping.bcubed_recall,
            "story_bcubed_f1": grouping.bcubed_f1,
            "derivation_edges": edges,
            "lineage_precision": right as f64 / edges.max(1) as f64,
            "lineage_recall": recall,
            "derived_reports": derived.len(),
        })
    );
    Ok(())
}

/// Placement alone, one index per setting (join threshold × least shared keywords × most
/// candidates), over the same analysed reports in corpus order; each grouping scored against
/// the generator's families, with the seconds its index spent placing.
fn stories(
    dir: &Path,
    joins: &[f64],
    hits: &[usize],
    candidates: &[usize],
    limit: Option<usize>,
    out: Option<&Path>,
) -> Result<()> {
    let truth = load_truth(dir)?;
    let family = families(truth.iter().map(|(d, s, _)| (d.as_str(), s.as_str())));
    let fp = FingerprintConfig::default();
    let hasher = MinHasher::new(fp.permutations);
    let settings: Vec<(f64, usize, usize)> = joins
        .iter()
        .flat_map(|&j| {
            hits.iter()
                .flat_map(move |&h| candidates.iter().map(move |&c| (j, h, c)))
        })
        .collect();
    let mut indexes: Vec<StoryIndex> = settings
        .iter()
        .map(|&(j, h, c)| {
            StoryIndex::new(PlacementConfig {
                join_threshold: j,
                min_join_hits: h,
                max_candidates: c,
                ..PlacementConfig::default()
            })
        })
        .collect();
    let mut assigned: Vec<Vec<(String, u64)>> = vec![Vec::new(); settings.len()];
    let mut placing = vec![Duration::ZERO; settings.len()];
    let started = Instant::now();
    let mut seen = 0usize;
    'shards: for shard in shards(dir)? {
        let raw = read_input(&InputFile::new(shard, InputFormat::JsonLines, false)).reports;
        let analysed: Vec<AnalyzedReport> = raw
            .into_par_iter()
            .map(|r| analyze(&storyline_clean::clean_report(r), &fp, &hasher))
            .collect();
        for a in analysed {
            if limit.is_some_and(|l| seen >= l) {
                break 'shards;
            }
            seen += 1;
            let words: usize = a.sentences.iter().map(|s| s.token_count).sum();
            if words < storyline_pipeline::MIN_BODY_WORDS {
                continue;
            }
            for ((index, out), took) in indexes.iter_mut().zip(&mut assigned).zip(&mut placing) {
                let start = Instant::now();
                let story = index.place(&a).story.0;
                *took += start.elapsed();
                out.push((a.id.0.clone(), story));
            }
        }
    }
    if let (Some(path), Some(first)) = (out, assigned.first()) {
        let mut w = BufWriter::new(std::fs::File::create(path)?);
        for (id, story) in first {
            writeln!(w, "{id}\t{story}")?;
        }
    }
    for (((j, h, c), out), took) in settings.iter().zip(&assigned).zip(&placing) {
        let g = story_scores(out.iter().map(|(id, s)| (id.as_str(), *s)), &family);
        println!(
            "{}",
            json!({
                "step": "stories",
                "join_threshold": j,
                "min_join_hits": h,
                "max_candidates": c,
                "placement_seconds": took.as_secs_f64(),
                "reports": g.reports,
                "stories": g.stories,
                "families": g.families,
                "pairwise_precision": g.pairwise_precision,
                "pairwise_recall": g.pairwise_recall,
                "bcubed_precision": g.bcubed_precision,
                "bcubed_recall": g.bcubed_recall,
                "bcubed_f1": g.bcubed_f1,
                "seconds": started.elapsed().as_secs_f64(),
            })
        );
    }
    Ok(())
}

fn main() -> Result<()> {
    match Args::parse().step {
        Step::Generate {
            size,
            seed,
            out,
            data,
            shard,
            held_out,
        } => generate(size, seed, &out, &data, shard, held_out),
        Step::Ceiling { dir } => ceiling(&dir),
        Step::Neardup { dir, parts } => neardup(&dir, parts),
        Step::Place { db, dir } => place(&db, &dir),
        Step::Score { db, dir } => score(&db, &dir),
        Step::Stories {
            dir,
            join,
            hits,
            candidates,
            limit,
            out,
        } => stories(&dir, &join, &hits, &candidates, limit, out.as_deref()),
    }
}
