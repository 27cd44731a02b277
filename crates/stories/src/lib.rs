//! Stories and lineage. [`analyze`] turns a report into what placement and alignment compare
//! (sentences, content terms, shingles, MinHash bands, sourcing markers). [`StoryIndex`] places
//! each new report in a story incrementally, taking candidates only from its indexes (LSH bands
//! for near duplicates, a keyword index for rewrites), never from an all-pairs pass.
//! [`align`] pairs the sentences of two reports; [`lineage`] decides, for a whole story, which
//! report derives from which, how, and each report's role.
//!
//! Architecture invariant: pure and deterministic. No IO; the same reports in the same order
//! give the same stories and edges, whatever the thread count of the caller.

pub mod align;
pub mod analyze;
pub mod index;
pub mod lineage;
pub mod markers;
pub mod outlet;

pub use align::{PairAlignment, SentenceMatch, align};
pub use analyze::{AnalyzedReport, analyze};
pub use index::{Placement, StoryIndex};
pub use lineage::{LineageConfig, PairEvidence, StoryLineage, decide_lineage};
