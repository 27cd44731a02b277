//! Alerts: subscriptions to a story, a thread, an outlet or a query of words; the events made
//! for them from what the store holds; an Atom feed per subscription; and webhook deliveries
//! signed the Standard Webhooks way, retried with exponential backoff from the store's outbox.
//!
//! Events are made by catching up from each subscription's cursor (the last report sequence
//! number it has seen), so whichever process runs [`make_events`] — `ingest`, a worker, `serve`,
//! `alerts send` — and however often, each event is made once: its id comes from the
//! subscription, the kind and the subject, and the store keeps an id once, in the same
//! transaction that moves the cursor. A process killed meanwhile leaves the cursor where it
//! was, and the next run makes the same events again (kept once).
//!
//! Deliveries are at least once: a delivery is marked done only after the receiver answered
//! 2xx, so a sender killed between the two sends it again; the `webhook-id` header (the event's
//! id) is the receiver's key to drop the second copy.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use serde_json::json;
use storyline_model::{ReportId, StoryId};
use storyline_store::{AlertEvent, NewArrival, Store, StoreError, Subscription, SubscriptionKind};

#[cfg(feature = "webhooks")]
pub use crate::webhooks::{RetryPolicy, SendStats, attempt, send_due, sign, webhook_agent};

use crate::views::{ViewError, compare_view};

/// Arrivals read at a time while catching a subscription up.
const ARRIVALS_PAGE: usize = 2000;

/// Event kinds, as the feed and the webhook's `type` name them.
pub const REPORT_JOINED: &str = "report.joined";
pub const OUTLET_REPORTED: &str = "outlet.reported";
pub const STORY_MATCHED: &str = "story.matched";
pub const QUOTE_DRIFTED: &str = "quote.drifted";
pub const FIGURE_CONFLICTED: &str = "figure.conflicted";
pub const ALERT_TEST: &str = "alert.test";

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system gives random bytes");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new subscription, following from the store's current last report: `target` checked for
/// its kind (a story or thread that exists, words for a query).
pub fn new_subscription<S: Store>(
    store: &S,
    kind: SubscriptionKind,
    target: &str,
    webhook_url: Option<&str>,
) -> Result<Subscription, String> {
    let target = target.split_whitespace().collect::<Vec<_>>().join(" ");
    if target.is_empty() {
        return Err(format!("a {} subscription needs a target", kind.as_str()));
    }
    let target = match kind {
        SubscriptionKind::Story => {
            let sid = StoryId::parse(&target)
                .ok_or_else(|| format!("`{target}` is not a story id (S1, S2, …)"))?;
            if store.story(sid).map_err(|e| e.to_string())?.is_none() {
                return Err(format!("no story {sid}"));
            }
            sid.to_string()
        }
        SubscriptionKind::Thread => {
            let sid = crate::json::parse_thread_name(&target)
                .or_else(|| StoryId::parse(&target))
                .ok_or_else(|| format!("`{target}` is not a thread id (T1, …) or a story id"))?;
            let thread = store
                .thread_of(sid)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no thread or story {target}"))?;
            crate::json::thread_name(thread)
        }
        SubscriptionKind::Outlet | SubscriptionKind::Query => target,
    };
    if let Some(url) = webhook_url {
        let ok = url.starts_with("http://") || url.starts_with("https://");
        if !ok || url::Url::parse(url).is_err() {
            return Err(format!("webhook `{url}` is not an http(s) URL"));
        }
    }
    let mut key = [0u8; 24];
    getrandom::fill(&mut key).map_err(|e| format!("no random bytes for a secret: {e}"))?;
    let last = store.last_seq().map_err(|e| e.to_string())?;
    Ok(Subscription {
        id: format!("sub_{}", random_hex(12)),
        kind,
        target,
        webhook_url: webhook_url.map(str::to_string),
        secret: format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(key)
        ),
        created: now_rfc3339(),
        start_seq: last,
        cursor_seq: last,
    })
}

/// An event's id: the same subscription, kind and subject give the same id.
fn event_id(subscription: &str, kind: &str, subject: &str) -> String {
    let h = xxhash_rust::xxh3::xxh3_128(format!("{subscription}\0{kind}\0{subject}").as_bytes());
    format!("msg_{h:032x}")
}

struct EventDraft {
    kind: &'static str,
    subject: String,
    story: Option<StoryId>,
    report: Option<ReportId>,
    title: String,
    summary: String,
    data: serde_json::Value,
}

impl EventDraft {
    fn finish(self, sub: &Subscription, created: &str) -> AlertEvent {
        let id = event_id(&sub.id, self.kind, &self.subject);
        let mut data = self.data;
        data["subscription"] =
            json!({"id": sub.id, "kind": sub.kind.as_str(), "target": sub.target});
        data["title"] = json!(self.title);
        data["summary"] = json!(self.summary);
        let payload = json!({
            "type": self.kind,
            "timestamp": created,
            "data": data,
        })
        .to_string();
        AlertEvent {
            id,
            subscription: sub.id.clone(),
            kind: self.kind.to_string(),
            story: self.story,
            report: self.report,
            title: self.title,
            summary: self.summary,
            created: created.to_string(),
            payload,
        }
    }
}

/// Whether every word of `query` is in the text (case ignored; whole words).
fn matches_query(query: &str, title: &str, text: &str) -> bool {
    let words: BTreeSet<String> = storyline_text_words(&format!("{title}\n{text}"));
    query
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .all(|w| words.contains(&w))
}

fn storyline_text_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The events of one arrival for a subscription (before drift and conflicts, which are per
/// story).
fn arrival_events<S: Store>(
    store: &S,
    sub: &Subscription,
    a: &NewArrival,
) -> Result<Vec<EventDraft>, StoreError> {
    let joined = |what: String| EventDraft {
        kind: REPORT_JOINED,
        subject: a.id.0.clone(),
        story: Some(a.story),
        report: Some(a.id.clone()),
        title: format!("{what}: {}", a.display_title),
        summary: format!(
            "Report {} ({}) joined {} (thread {}).",
            a.id,
            a.outlet.as_deref().unwrap_or("unknown outlet"),
            a.story,
            crate::json::thread_name(a.thread)
        ),
        data: json!({
            "report": a.id.0,
            "story": a.story.to_string(),
            "thread": crate::json::thread_name(a.thread),
            "outlet": a.outlet,
            "report_title": a.display_title,
        }),
    };
    Ok(match sub.kind {
        SubscriptionKind::Story if a.story.to_string() == sub.target => {
            vec![joined(format!("New report in {}", a.story))]
        }
        SubscriptionKind::Thread if crate::json::thread_name(a.thread) == sub.target => {
            vec![joined(format!("New report in thread {}", sub.target))]
        }
        SubscriptionKind::Outlet
            if a.outlet
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(&sub.target)) =>
        {
            let mut e = joined(format!("{} reported", sub.target));
            e.kind = OUTLET_REPORTED;
            vec![e]
        }
        SubscriptionKind::Query if a.story_created_seq > sub.start_seq => {
            let Some((r, _, _)) = store.report(&a.id)? else {
                return Ok(Vec::new());
            };
            if !matches_query(&sub.target, r.title.as_deref().unwrap_or(""), &r.text) {
                return Ok(Vec::new());
            }
            vec![EventDraft {
                kind: STORY_MATCHED,
                subject: a.story.to_string(),
                story: Some(a.story),
                report: Some(a.id.clone()),
                title: format!("New story matching “{}”: {}", sub.target, a.display_title),
                summary: format!(
                    "Story {} matches “{}” (report {}, {}).",
                    a.story,
                    sub.target,
                    a.id,
                    a.outlet.as_deref().unwrap_or("unknown outlet")
                ),
                data: json!({
                    "story": a.story.to_string(),
                    "report": a.id.0,
                    "outlet": a.outlet,
                    "query": sub.target,
                    "report_title": a.display_title,
                }),
            }]
        }
        _ => Vec::new(),
    })
}

/// Quotes worded two ways and figures that disagree in a story, as events.
fn story_events<S: Store>(store: &S, sid: StoryId) -> Result<Vec<EventDraft>, ViewError> {
    let view = compare_view(store, sid)?;
    let mut out = Vec::new();
    for r in view.remarks.iter().filter(|r| r.drifted()) {
        let first = &r.variants[0];
        for v in r.variants.iter().filter(|v| v.drift) {
            let subject = format!(
                "{sid}\0{}\0{}",
                r.speaker.to_lowercase(),
                v.text.to_lowercase()
            );
            out.push(EventDraft {
                kind: QUOTE_DRIFTED,
                subject,
                story: Some(sid),
                report: v.reports.first().cloned(),
                title: format!("Quote worded two ways in {sid}: {}", r.speaker),
                summary: format!(
                    "{} is quoted “{}” ({}) and “{}” ({}).",
                    r.speaker,
                    first.text,
                    ids(&first.reports),
                    v.text,
                    ids(&v.reports)
                ),
                data: json!({
                    "story": sid.to_string(),
                    "speaker": r.speaker,
                    "first": {"text": first.text, "reports": first.reports.iter().map(|x| &x.0).collect::<Vec<_>>()},
                    "drifted": {"text": v.text, "reports": v.reports.iter().map(|x| &x.0).collect::<Vec<_>>()},
                }),
            });
        }
    }
    for slot in view.facts.slots.iter().filter(|s| s.conflict) {
        let values: BTreeMap<&str, Vec<&str>> =
            slot.values
                .iter()
                .fold(BTreeMap::new(), |mut m, (rid, _, text)| {
                    m.entry(text.as_str()).or_default().push(rid.0.as_str());
                    m
                });
        let subject = format!(
            "{sid}\0{}\0{}",
            slot.key,
            values.keys().copied().collect::<Vec<_>>().join("\0")
        );
        out.push(EventDraft {
            kind: FIGURE_CONFLICTED,
            subject,
            story: Some(sid),
            report: None,
            title: format!("Figures disagree in {sid}: {}", slot.label),
            summary: format!(
                "Reports of {sid} give {} for {}.",
                values
                    .iter()
                    .map(|(t, r)| format!("“{t}” ({})", r.join(", ")))
                    .collect::<Vec<_>>()
                    .join(" and "),
                slot.label
            ),
            data: json!({
                "story": sid.to_string(),
                "slot": slot.label,
                "values": values.iter().map(|(t, r)| json!({"text": t, "reports": r})).collect::<Vec<_>>(),
            }),
        });
    }
    Ok(out)
}

fn ids(r: &[ReportId]) -> String {
    r.iter()
        .map(|x| x.0.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Makes every subscription's events for the reports stored since its cursor, keeps them (each
/// once) and queues their webhook deliveries. Returns how many events were new.
pub fn make_events<S: Store>(store: &mut S) -> Result<usize, ViewError> {
    let subs = store.subscriptions()?;
    if subs.is_empty() {
        return Ok(0);
    }
    let last = store.last_seq()?;
    let mut new = 0;
    for sub in subs.iter().filter(|s| s.cursor_seq < last) {
        let mut cursor = sub.cursor_seq;
        loop {
            let arrivals = store.arrivals_after(cursor, ARRIVALS_PAGE)?;
            let Some(end) = arrivals.last().map(|a| a.seq) else {
                break;
            };
            let created = now_rfc3339();
            let mut drafts = Vec::new();
            let mut touched: BTreeSet<StoryId> = BTreeSet::new();
            for a in &arrivals {
                let found = arrival_events(store, sub, a)?;
                if !found.is_empty()
                    && matches!(sub.kind, SubscriptionKind::Story | SubscriptionKind::Thread)
                {
                    touched.insert(a.story);
                }
                drafts.extend(found);
            }
            for sid in touched {
                drafts.extend(story_events(store, sid)?);
            }
            let events: Vec<AlertEvent> = drafts
                .into_iter()
                .map(|d| d.finish(sub, &created))
                .collect();
            new += store.record_alerts(&sub.id, end, &events, now_ms())?;
            cursor = end;
        }
    }
    Ok(new)
}

/// A test event for a subscription (`alerts test`): delivered like any other.
pub fn test_event<S: Store>(store: &mut S, sub: &Subscription) -> Result<AlertEvent, StoreError> {
    let created = now_rfc3339();
    let e = EventDraft {
        kind: ALERT_TEST,
        subject: random_hex(8),
        story: None,
        report: None,
        title: format!("Test alert for {} {}", sub.kind.as_str(), sub.target),
        summary: "A test event: deliveries to this subscription work.".into(),
        data: json!({}),
    }
    .finish(sub, &created);
    store.record_alerts(&sub.id, sub.cursor_seq, std::slice::from_ref(&e), now_ms())?;
    Ok(e)
}

/// A subscription's Atom feed: its latest events, newest first. `base` is the server's address
/// (links in entries point at its pages).
pub fn atom_feed(sub: &Subscription, events: &[AlertEvent], base: &str) -> String {
    use atom_syndication::{Entry, Feed, Link, Person, Text};
    let parse = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|_| chrono::DateTime::UNIX_EPOCH.fixed_offset())
    };
    let link = |href: String, rel: &str| Link {
        href,
        rel: rel.to_string(),
        ..Default::default()
    };
    let base = base.trim_end_matches('/');
    let entries: Vec<Entry> = events
        .iter()
        .map(|e| {
            let page = match (&e.report, e.story) {
                (_, Some(s)) if e.kind != OUTLET_REPORTED => format!("{base}/stories/{s}"),
                (Some(r), _) => format!("{base}/reports/{}", crate::pages::enc(&r.0)),
                _ => format!("{base}/"),
            };
            Entry {
                id: format!("urn:storyline:event:{}", e.id),
                title: Text::plain(e.title.clone()),
                updated: parse(&e.created),
                published: Some(parse(&e.created)),
                summary: Some(Text::plain(e.summary.clone())),
                links: vec![link(page, "alternate")],
                categories: vec![atom_syndication::Category {
                    term: e.kind.clone(),
                    ..Default::default()
                }],
                ..Default::default()
            }
        })
        .collect();
    let updated = events
        .first()
        .map(|e| parse(&e.created))
        .unwrap_or_else(|| parse(&sub.created));
    let feed = Feed {
        id: format!("urn:storyline:subscription:{}", sub.id),
        title: Text::plain(format!(
            "Storyline alerts: {} {}",
            sub.kind.as_str(),
            sub.target
        )),
        updated,
        authors: vec![Person {
            name: "Storyline".into(),
            ..Default::default()
        }],
        links: vec![link(format!("{base}/feeds/{}", sub.id), "self")],
        entries,
        ..Default::default()
    };
    feed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_the_same_for_the_same_subject_only() {
        assert_eq!(
            event_id("s", REPORT_JOINED, "r1"),
            event_id("s", REPORT_JOINED, "r1")
        );
        assert_ne!(
            event_id("s", REPORT_JOINED, "r1"),
            event_id("s", REPORT_JOINED, "r2")
        );
        assert_ne!(
            event_id("s", REPORT_JOINED, "r1"),
            event_id("t", REPORT_JOINED, "r1")
        );
    }

    #[test]
    fn a_query_matches_whole_words_case_ignored() {
        assert!(matches_query(
            "Libya deport",
            "Plans",
            "The U.S. may DEPORT migrants to Libya."
        ));
        assert!(!matches_query(
            "Libya deport",
            "Plans",
            "Migrants deported to Libyan camps."
        ));
    }
}
