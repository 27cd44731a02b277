//! Quality measurements on real data nobody here labelled: each harness reads a set from
//! `../shared/data` (or `--data DIR`), runs the same code the engine runs, and returns a table
//! a reader can paste into a note. Metrics live in [`metrics`].
//!
//! Architecture invariant: reads data in place, never writes to it; a missing set is an error
//! that names the path it needs.

pub mod derivation;
pub mod extraction;
pub mod metrics;
pub mod quotes;
pub mod similarity;

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum EvalError {
    #[error("{path}: evaluation data not found ({what}); pass --data DIR pointing at shared/data")]
    Missing { path: String, what: &'static str },
    #[error("{path}: {message}")]
    Bad { path: String, message: String },
}

/// Default location of the evaluation data, relative to the repository root.
pub const DEFAULT_DATA: &str = "../shared/data";

#[derive(Debug, Clone, clap::Subcommand)]
pub enum EvalSet {
    /// Spearman of placement similarity against human ratings (Lee corpus).
    Similarity {
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
    },
    /// Main-text extraction P/R/F1 on real pages (`--set aeb`, `l3s` or `cleaneval`).
    Extraction {
        #[arg(long, value_enum, default_value = "aeb")]
        set: ExtractionSet,
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
        /// Also list the N pages with the lowest F1.
        #[arg(long, default_value_t = 0)]
        worst: usize,
        /// Dev aid: write each page's whole cleaned report (text, metadata, drops) to
        /// `DIR/<page>.txt`, made outside the timed loop, so a speed change can be checked to
        /// leave every page byte-identical (`diff -r before/ after/`).
        #[arg(long, hide = true)]
        dump: Option<PathBuf>,
        /// Time the extraction over all pages N times and report the median pages/s (a
        /// single pass over the 181 AEB pages takes a fifth of a second: one pass is noisy).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        rounds: u32,
    },
    /// Quotes, speakers and attributions on PolNeAR (`--split dev` for figures, `train` for tuning).
    Quotes {
        #[arg(long, default_value = "dev")]
        split: String,
        /// Print each predicted direct quote with its speaker and the gold source.
        #[arg(long)]
        verbose: bool,
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
    },
    /// Cut / light / heavy / non from lineage kind and reuse (Clough–Stevenson corpus).
    Derivation {
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
        /// Print each answer's features and prediction.
        #[arg(long)]
        verbose: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExtractionSet {
    /// Scrapinghub article extraction benchmark (181 pages).
    Aeb,
    /// L3S-GN1 Google News pages (621 pages) with related-content and comment leak.
    L3s,
    /// CleanEval final pages with a gold file (681 pages of every kind, 2007), word multisets.
    Cleaneval,
}

/// Runs one evaluation and returns its printable report.
pub fn run(set: &EvalSet) -> Result<String, EvalError> {
    match set {
        EvalSet::Similarity { data } => similarity::run(data),
        EvalSet::Derivation { data, verbose } => derivation::run(data, *verbose),
        EvalSet::Quotes {
            split,
            data,
            verbose,
        } => quotes::run(data, split, *verbose),
        EvalSet::Extraction {
            set,
            data,
            worst,
            dump,
            rounds,
        } => {
            let run = extraction::Run {
                worst: *worst,
                dump: dump.as_deref(),
                rounds: *rounds,
            };
            match set {
                ExtractionSet::Aeb => extraction::run_aeb(data, &run),
                ExtractionSet::L3s => extraction::run_l3s(data, &run),
                ExtractionSet::Cleaneval => extraction::run_cleaneval(data, &run),
            }
        }
    }
}

pub(crate) fn read_text(path: &std::path::Path, what: &'static str) -> Result<String, EvalError> {
    let bytes = std::fs::read(path).map_err(|_| EvalError::Missing {
        path: path.display().to_string(),
        what,
    })?;
    storyline_read::decode_text(&bytes, false).map_err(|e| EvalError::Bad {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}
