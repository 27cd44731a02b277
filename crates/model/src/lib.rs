//! Storyline's domain vocabulary: the nouns every stage speaks (reports, stories, sentences,
//! lineage edges, diagnostics). No IO, no SQL, no wire format: stages and the store depend on
//! this crate, never the other way round.

use std::fmt;

/// A report's id: the file stem for files, the `id` field for JSON Lines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportId(pub String);

impl fmt::Display for ReportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ReportId {
    fn from(s: &str) -> Self {
        ReportId(s.to_string())
    }
}

/// A story's id: the order in which the store created it, shown as `S1`, `S2`, …
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoryId(pub u64);

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.0)
    }
}

impl StoryId {
    /// Parses `S12` (or `s12`); plain numbers are not accepted so that report ids made of
    /// digits stay unambiguous.
    pub fn parse(s: &str) -> Option<StoryId> {
        let rest = s.strip_prefix('S').or_else(|| s.strip_prefix('s'))?;
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        rest.parse().ok().map(StoryId)
    }
}

/// One news report as read from its input, before any analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: ReportId,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The outlet, when the input names it (JSON `source`, feed channel, site name).
    pub source: Option<String>,
    /// Publication time as given by the input (RFC 3339 when it parsed as a date).
    pub published: Option<String>,
    /// Last update time, when the page gives one.
    pub updated: Option<String>,
    /// Author(s) as the page names them.
    pub byline: Option<String>,
    /// Language tag as the page declares it (`en`, `en-GB`).
    pub language: Option<String>,
    /// Body text: paragraphs separated by a blank line.
    pub text: String,
    /// Where the report came from: a path, `path:line` for JSON Lines.
    pub origin: String,
    /// Fields of the input this model has no slot for, kept verbatim as a JSON object.
    pub extra_json: Option<String>,
    /// Text the cleaner dropped from the body, each with the rule that dropped it.
    pub dropped: Vec<DroppedText>,
    /// Indices of the body's lines that are section headings, not sentences of reporting.
    pub headings: Vec<usize>,
}

impl Report {
    /// A report with only an id and a body (evaluation sets, benches, tests).
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Report {
        let id = id.into();
        Report {
            origin: id.clone(),
            id: ReportId(id),
            url: None,
            title: None,
            source: None,
            published: None,
            updated: None,
            byline: None,
            language: None,
            text: text.into(),
            extra_json: None,
            dropped: Vec::new(),
            headings: Vec::new(),
        }
    }
}

/// A piece of a page the cleaner dropped (an ad, a comment prompt, a teaser of another story),
/// kept so a reader can see why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedText {
    /// The rule's name, e.g. `affiliate_note`, `teaser`.
    pub rule: String,
    pub text: String,
}

/// A sentence of a report's body, as a byte span into `Report::text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
    /// Index of the paragraph the sentence belongs to.
    pub paragraph: usize,
}

/// How a derived report was made from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineageKind {
    /// Most sentences taken verbatim or nearly so.
    Copy,
    /// Paraphrased sentence by sentence.
    Rewrite,
    /// Much shorter and covering the source's main points.
    Summary,
    /// Same event, written independently.
    Related,
}

impl LineageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineageKind::Copy => "copy",
            LineageKind::Rewrite => "rewrite",
            LineageKind::Summary => "summary",
            LineageKind::Related => "related",
        }
    }

    pub fn parse(s: &str) -> Option<LineageKind> {
        Some(match s {
            "copy" => LineageKind::Copy,
            "rewrite" => LineageKind::Rewrite,
            "summary" => LineageKind::Summary,
            "related" => LineageKind::Related,
            _ => return None,
        })
    }

    /// Whether the edge means the target was made from the source.
    pub fn is_derivation(self) -> bool {
        !matches!(self, LineageKind::Related)
    }
}

/// A report's place in its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// First-hand reporting.
    Original,
    /// A copy, rewrite or summary of another report in the story.
    Derived,
    /// Relays other outlets' reporting whose source is not in the store.
    Secondhand,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Original => "original",
            Role::Derived => "derived",
            Role::Secondhand => "secondhand",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "original" => Role::Original,
            "derived" => Role::Derived,
            "secondhand" => Role::Secondhand,
            _ => return None,
        })
    }
}

/// A directed lineage edge: `to` was made from `from` (or, for `Related`, both tell the same
/// event and `from` is the better-sourced one).
#[derive(Debug, Clone, PartialEq)]
pub struct LineageEdge {
    pub from: ReportId,
    pub to: ReportId,
    pub kind: LineageKind,
    /// Share of `to`'s sentences found in `from` (verbatim, near verbatim or paraphrased).
    pub reuse: f64,
    /// Share of `to`'s wording (word 3-grams) found verbatim in `from`.
    pub verbatim: f64,
    /// Human-readable reasons that decided kind and direction.
    pub evidence: Vec<String>,
}

/// Who said what: a quote or a reported claim in a report, with its speaker and cue. Spans are
/// byte ranges into the report's body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// What was said (for a direct quote, inside the quotation marks).
    pub content: (usize, usize),
    /// In quotation marks (a direct quote) or reported (indirect).
    pub direct: bool,
    /// A few quoted words inside a reported sentence (`would "clearly" violate`): shown as a
    /// quote, but the sentence's reported claim is the attribution.
    pub partial: bool,
    /// The reporting verb or phrase ("said", "told reporters", "according to").
    pub cue: Option<(usize, usize)>,
    /// The speaker as mentioned where the attribution is made ("he", "Rubio", "sources").
    pub source: Option<(usize, usize)>,
    /// The speaker resolved within the report: the fullest name used ("Marco Rubio"), or the
    /// description the report gives an unnamed one ("a State Department spokesperson").
    pub speaker: Option<String>,
}

/// A problem found in one input: which input, where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path, or `path:line` for JSON Lines.
    pub input: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}
