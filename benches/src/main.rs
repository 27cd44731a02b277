//! `ingest-bench`: ingest throughput and peak memory of the full pipeline (clean, analyse,
//! place, align, lineage, store in SQLite on disk) on the real corpora in
//! `../shared/data/corpora`, and the throughput of extraction (attributions and quotes,
//! entities, figures and dates: what `quotes`, `entities`, `compare` and the pages compute from
//! a stored report) on the same reports. Prints Markdown tables to paste into a note.
//!
//! `cargo run --release -p storyline-bench --bin ingest-bench [-- --data DIR --threads N]`

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::Parser;
use storyline_bench::{corpora, peak_rss};
use storyline_model::Report;
use storyline_pipeline::{Engine, EngineConfig, IngestSummary};
use storyline_store::{SqliteStore, Store};

#[derive(Parser)]
struct Args {
    /// The evaluation data folder (holding `corpora/`).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Only the first N reports of each corpus (0 = all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
}

struct Row {
    corpus: &'static str,
    reports: usize,
    bytes: usize,
    seconds: f64,
    stories: u64,
    db_bytes: u64,
}

struct Extraction {
    corpus: &'static str,
    reports: usize,
    seconds: f64,
    attributions: usize,
    entities: usize,
    figures: usize,
}

/// Extraction over every report (on every core, as the server's pages use it), timed.
fn extract(corpus: &'static str, reports: &[Report]) -> Extraction {
    use rayon::prelude::*;
    let start = Instant::now();
    let counts: Vec<(usize, usize, usize)> = reports
        .par_iter()
        .map(|r| {
            let text = &r.text;
            (
                storyline_extract::attributions(text).len(),
                storyline_extract::entities(text).len(),
                storyline_extract::figures(text).len() + storyline_extract::dates(text).len(),
            )
        })
        .collect();
    Extraction {
        corpus,
        reports: reports.len(),
        seconds: start.elapsed().as_secs_f64(),
        attributions: counts.iter().map(|c| c.0).sum(),
        entities: counts.iter().map(|c| c.1).sum(),
        figures: counts.iter().map(|c| c.2).sum(),
    }
}

fn run(corpus: &'static str, reports: Vec<Report>) -> Result<Row> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("bench.db");
    let bytes: usize = reports.iter().map(|r| r.text.len()).sum();
    let n = reports.len();
    let mut engine = Engine::open(SqliteStore::open(&db)?, EngineConfig::default())?;
    let start = Instant::now();
    let mut summary = IngestSummary::default();
    engine.ingest_reports(reports, &mut summary)?;
    let seconds = start.elapsed().as_secs_f64();
    let (_, stories) = engine.store().counts()?;
    drop(engine);
    let db_bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("bench.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    Ok(Row {
        corpus,
        reports: n,
        bytes,
        seconds,
        stories,
        db_bytes,
    })
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(t) = args.threads {
        storyline_pipeline::set_threads(t)?;
    }
    let mut reuters = corpora::reuters(&args.data.join("corpora/reuters21578"))?;
    let mut bbc = corpora::bbc(&args.data.join("corpora/bbc"))?;
    if args.limit > 0 {
        reuters.truncate(args.limit);
        bbc.truncate(args.limit);
    }
    let mut both = reuters.clone();
    both.extend(bbc.clone());
    let extraction = vec![
        extract("BBC", &bbc),
        extract("Reuters-21578", &reuters),
        extract("Reuters + BBC", &both),
    ];
    let rows = vec![
        run("BBC", bbc)?,
        run("Reuters-21578", reuters)?,
        run("Reuters + BBC", both)?,
    ];
    println!(
        "| corpus | reports | MB | seconds | reports/s | MB/s | stories | store bytes/report |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {:.1} | {:.2} | {:.0} | {:.2} | {} | {:.0} |",
            r.corpus,
            r.reports,
            r.bytes as f64 / 1e6,
            r.seconds,
            r.reports as f64 / r.seconds,
            r.bytes as f64 / 1e6 / r.seconds,
            r.stories,
            r.db_bytes as f64 / r.reports.max(1) as f64
        );
    }
    println!(
        "\n| extraction | reports | seconds | reports/s | attributions | entities | figures and dates |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for e in &extraction {
        println!(
            "| {} | {} | {:.2} | {:.0} | {} | {} | {} |",
            e.corpus,
            e.reports,
            e.seconds,
            e.reports as f64 / e.seconds,
            e.attributions,
            e.entities,
            e.figures
        );
    }
    println!(
        "\npeak RSS of the whole run: {:.0} MB; threads: {}",
        peak_rss().unwrap_or(0) as f64 / 1e6,
        args.threads
            .map(|t| t.to_string())
            .unwrap_or_else(|| "all cores".into())
    );
    Ok(())
}
