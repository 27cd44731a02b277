//! What the store keeps for outlet profiles, coverage timelines and alerts: the rows they read
//! ([`CoverageReport`], [`CoverageEdge`], [`NewArrival`]) and the alert records they write
//! ([`Subscription`], [`AlertEvent`], [`Delivery`]). How events are made and delivered is the
//! server's (`storyline_server::alerts`); the store only keeps them, each once.

use storyline_model::{LineageKind, ReportId, Role, StoryId};

/// A report as outlet profiles read it.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageReport {
    pub id: ReportId,
    pub story: StoryId,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub first_seen: Option<String>,
    pub role: Role,
    /// The agency whose story it republishes under its credit, if any.
    pub wire: Option<String>,
}

/// A lineage edge as outlet profiles read it.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageEdge {
    pub from: ReportId,
    pub to: ReportId,
    pub kind: LineageKind,
    pub reuse: f64,
}

/// A report stored after an alert cursor, with what alerts match on.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArrival {
    pub seq: u64,
    pub id: ReportId,
    pub story: StoryId,
    pub thread: StoryId,
    /// The ingest sequence number of its story's first report.
    pub story_created_seq: u64,
    pub outlet: Option<String>,
    pub display_title: String,
}

/// What a subscription follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionKind {
    Story,
    Thread,
    Outlet,
    Query,
}

impl SubscriptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionKind::Story => "story",
            SubscriptionKind::Thread => "thread",
            SubscriptionKind::Outlet => "outlet",
            SubscriptionKind::Query => "query",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionKind> {
        Some(match s {
            "story" => SubscriptionKind::Story,
            "thread" => SubscriptionKind::Thread,
            "outlet" => SubscriptionKind::Outlet,
            "query" => SubscriptionKind::Query,
            _ => return None,
        })
    }
}

/// A subscription: what it follows, where its webhook goes (if anywhere), the secret its
/// deliveries are signed with, and how far its events have been made.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: String,
    pub kind: SubscriptionKind,
    /// A story id (`S12`), a thread id (`T3`), an outlet's name, or the query's words.
    pub target: String,
    pub webhook_url: Option<String>,
    /// `whsec_` and the base64 of the signing key (Standard Webhooks).
    pub secret: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub start_seq: u64,
    pub cursor_seq: u64,
}

/// An event of a subscription, as its feed and its webhook give it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertEvent {
    /// Made from the subscription, the kind and the subject: the same event made twice has the
    /// same id (the receiver's deduplication key, the `webhook-id` header).
    pub id: String,
    pub subscription: String,
    /// `report.joined`, `outlet.reported`, `story.matched`, `quote.drifted`, `figure.conflicted`.
    pub kind: String,
    pub story: Option<StoryId>,
    pub report: Option<ReportId>,
    pub title: String,
    pub summary: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// The webhook body (JSON), as signed and sent.
    pub payload: String,
}

/// A webhook delivery due: the event and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub event: AlertEvent,
    pub webhook_url: String,
    pub secret: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// How a delivery attempt went.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryOutcome {
    /// The receiver answered 2xx at this time (ms since the epoch).
    Delivered { at_ms: i64 },
    /// Failed; try again at `next_ms`.
    Retry { next_ms: i64, error: String },
    /// Failed for the last time.
    GaveUp { at_ms: i64, error: String },
}

/// A subscription's webhook deliveries by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}
