//! Facts in a report, one module per extractor: [`attributions`] — direct quotes and reported
//! claims with their cue and speaker, speakers resolved within the report; [`entities`] —
//! people, organisations and places with their mentions.
//!
//! Architecture invariant: pure functions of one report's text; no IO, no store. Rule- and
//! lexicon-based: no model hub is reachable, and every rule is measured by
//! `storyline eval quotes` on PolNeAR.

pub mod attributions;
pub mod entities;
pub mod figures;
mod names;

pub use attributions::{attributions, is_remark, quoted_words};
pub use entities::{Entity, EntityKind, entities, same_person};
pub use figures::{DateMention, Figure, dates, figures};
