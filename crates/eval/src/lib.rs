//! Quality measurements on real data nobody here labelled: each harness reads a set from
//! `../shared/data` (or `--data DIR`), runs the same code the engine runs, and returns a table
//! a reader can paste into a note. Metrics live in [`metrics`].
//!
//! Architecture invariant: reads data in place, never writes to it; a missing set is an error
//! that names the path it needs.

pub mod derivation;
pub mod extraction;
pub mod lineage;
pub mod metrics;
pub mod passages;
pub mod quotes;
pub mod roles;
pub mod similarity;
pub mod speakers;
pub mod stories;

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
        /// Dev aid (L3S): list the tune half's pages whose title is not the `sel1` headline.
        #[arg(long, hide = true)]
        headlines: bool,
        /// Write each page's half, precision, recall and F1 to FILE (tab-separated), to compare
        /// two versions page by page.
        #[arg(long, value_name = "FILE")]
        scores: Option<PathBuf>,
        /// Score the texts in DIR (`DIR/<page>.txt`, a missing file an empty text) instead of
        /// cleaning the pages: another extractor's output scored by the same metrics
        /// (`benches/extraction-peer --dump DIR` writes trafilatura's as `DIR/<set>/`). The
        /// page-metadata checks printed after the tables (dates, sites, headlines) stay
        /// Storyline's own.
        #[arg(long, value_name = "DIR")]
        texts: Option<PathBuf>,
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
    /// Speakers of direct quotes in BBC and Reuters reports against a sample labelled by
    /// reading (`crates/eval/quotes-sample`): quote P/R and speaker P/R on its tune and report
    /// halves.
    Speakers {
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
        /// List every predicted quote whose speaker is not the labelled one, and every labelled
        /// quote not found.
        #[arg(long)]
        verbose: bool,
    },
    /// Wire copies (an outlet republishing an agency's story) against PolNeAR's credits.
    Roles {
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
        /// List every article called wrongly.
        #[arg(long)]
        verbose: bool,
    },
    /// Story placement and threads against the stories dev set (`crates/eval/stories`):
    /// pairwise P/R/F1, hard-pair precision and B-cubed, on its tune and report halves.
    Stories {
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
        /// List every wrongly split or merged labelled pair.
        #[arg(long)]
        verbose: bool,
        /// Dev aid: placement's join threshold instead of the default.
        #[arg(long, hide = true)]
        join: Option<f64>,
        /// Dev aid: placement's least shared keywords instead of the default.
        #[arg(long, hide = true)]
        hits: Option<usize>,
        /// Dev aid: the thread similarity instead of the default.
        #[arg(long, hide = true)]
        thread: Option<f64>,
        /// Dev aid: placement's `max_gap_days`.
        #[arg(long, hide = true)]
        gap: Option<i32>,
        /// Dev aid: placement's `near_days`.
        #[arg(long, hide = true)]
        near_days: Option<i32>,
        /// Dev aid: placement's `near_join_threshold`.
        #[arg(long, hide = true)]
        near_join: Option<f64>,
        /// Dev aid: placement's `near_min_join_hits`.
        #[arg(long, hide = true)]
        near_hits: Option<usize>,
        /// Dev aid: placement's `name_min_idf`.
        #[arg(long, hide = true)]
        names: Option<f64>,
        /// Dev aid: placement's `max_story_days`.
        #[arg(long, hide = true)]
        span: Option<i32>,
        /// Dev aid: placement's `name_shared_veto`.
        #[arg(long, hide = true)]
        name_veto: Option<bool>,
        /// Dev aid: placement's `name_max_similarity`.
        #[arg(long, hide = true)]
        name_max_sim: Option<f64>,
    },
    /// Lineage of report pairs labelled by reading (`crates/eval/lineage`): derivation edge or
    /// none, and direction, on its tune and report halves.
    Lineage {
        #[arg(long, default_value = DEFAULT_DATA, env = "STORYLINE_DATA")]
        data: PathBuf,
        /// List every pair decided wrongly.
        #[arg(long)]
        verbose: bool,
        /// Dev aid: lineage's `signed_min_wording` instead of the default.
        #[arg(long, hide = true)]
        signed_wording: Option<f64>,
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
        EvalSet::Lineage {
            data,
            verbose,
            signed_wording,
        } => lineage::run(data, *verbose, *signed_wording),
        EvalSet::Roles { data, verbose } => roles::run(data, *verbose),
        EvalSet::Stories {
            data,
            verbose,
            join,
            hits,
            thread,
            gap,
            near_days,
            near_join,
            near_hits,
            names,
            span,
            name_veto,
            name_max_sim,
        } => stories::run(
            data,
            &stories::Overrides {
                join_threshold: *join,
                min_join_hits: *hits,
                thread_similarity: *thread,
                max_gap_days: *gap,
                near_days: *near_days,
                near_join: *near_join,
                near_hits: *near_hits,
                name_min_idf: *names,
                max_story_days: *span,
                name_shared_veto: *name_veto,
                name_max_similarity: *name_max_sim,
            },
            *verbose,
        ),
        EvalSet::Speakers { data, verbose } => speakers::run(data, *verbose),
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
            headlines,
            scores,
            texts,
        } => {
            let run = extraction::Run {
                worst: *worst,
                dump: dump.as_deref(),
                rounds: *rounds,
                headlines: *headlines,
                scores: scores.as_deref(),
                texts: texts.as_deref(),
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
