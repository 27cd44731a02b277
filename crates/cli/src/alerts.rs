//! `storyline alerts`: subscriptions kept in the store (to a story, a thread, an outlet, or a
//! query of words), their events, and the webhook sender. The events and deliveries themselves
//! are `storyline_server::alerts`'s; this is the command line around them.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Subcommand;
use storyline_server::alerts::{self, RetryPolicy};
use storyline_store::{Store, Subscription, SubscriptionKind};

#[derive(Subcommand)]
pub enum AlertsCommand {
    /// Follow a story, a thread, an outlet or a query: its events go to its Atom feed
    /// (`/feeds/ID` on `storyline serve`) and, with `--webhook`, to that URL, signed.
    Add {
        /// A story: each report that joins it; its quotes worded two ways and figures that
        /// disagree.
        #[arg(long, group = "target")]
        story: Option<String>,
        /// A thread (T1, or any of its stories): each report joining any of its stories; quotes
        /// and figures as for a story.
        #[arg(long, group = "target")]
        thread: Option<String>,
        /// An outlet (as `storyline outlets` names it): each new report from it.
        #[arg(long, group = "target")]
        outlet: Option<String>,
        /// Words: each new story with a report containing all of them.
        #[arg(long, group = "target")]
        query: Option<String>,
        /// POST each event here (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
        /// `webhook-signature` headers, signed with the subscription's secret).
        #[arg(long)]
        webhook: Option<String>,
        /// Output: text for people, json for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// List the subscriptions, with their secrets and delivery counts.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Remove a subscription with its events and pending deliveries.
    Remove { id: String },
    /// Queue a test event for a subscription (delivered by the next `alerts send` or `serve`).
    Test { id: String },
    /// Make events for what was stored since the last time, and deliver the webhooks due,
    /// retrying failures with exponential backoff; runs until interrupted unless `--once`.
    Send {
        /// One round: make events, deliver what is due now, stop.
        #[arg(long)]
        once: bool,
        /// Seconds between rounds.
        #[arg(long, default_value_t = 2)]
        interval: u64,
        /// Milliseconds to wait after a first failed delivery (doubled after each further one).
        #[arg(long, default_value_t = RetryPolicy::default().first_delay.as_millis() as u64)]
        retry_first_ms: u64,
        /// Longest wait between two attempts, in seconds.
        #[arg(long, default_value_t = RetryPolicy::default().max_delay.as_secs())]
        retry_max_secs: u64,
        /// Attempts before a delivery is given up.
        #[arg(long, default_value_t = RetryPolicy::default().max_attempts)]
        max_attempts: u32,
        /// Stop when no delivery is pending (after at least one round).
        #[arg(long)]
        exit_when_done: bool,
    },
}

fn subscription_line(s: &Subscription, store: &impl Store) -> Result<String> {
    let c = store.outbox_counts(&s.id)?;
    Ok(format!(
        "{}  {} {}  feed /feeds/{}{}\n",
        s.id,
        s.kind.as_str(),
        s.target,
        s.id,
        match &s.webhook_url {
            Some(u) => format!(
                "  webhook {u} ({} delivered, {} pending, {} failed)",
                c.delivered, c.pending, c.failed
            ),
            None => String::new(),
        }
    ))
}

pub fn run(db: &Path, cmd: AlertsCommand) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    match cmd {
        AlertsCommand::Add {
            story,
            thread,
            outlet,
            query,
            webhook,
            format,
        } => {
            let (kind, target) = match (story, thread, outlet, query) {
                (Some(t), ..) => (SubscriptionKind::Story, t),
                (_, Some(t), ..) => (SubscriptionKind::Thread, t),
                (_, _, Some(t), _) => (SubscriptionKind::Outlet, t),
                (_, _, _, Some(t)) => (SubscriptionKind::Query, t),
                _ => anyhow::bail!(
                    "say what to follow: --story S1, --thread T1, --outlet NAME or --query WORDS"
                ),
            };
            let sub = alerts::new_subscription(&store, kind, &target, webhook.as_deref())
                .map_err(|e| anyhow::anyhow!(e))?;
            store.add_subscription(&sub)?;
            crate::print_as(
                format,
                || storyline_server::api_subscription_json(&sub, Default::default()),
                || {
                    format!(
                        "{}  {} {}\nfeed: /feeds/{} (on `storyline serve`)\nsecret: {}\n",
                        sub.id,
                        sub.kind.as_str(),
                        sub.target,
                        sub.id,
                        sub.secret
                    )
                },
            )?;
        }
        AlertsCommand::List { format } => {
            let subs = store.subscriptions()?;
            if format == crate::Format::Json {
                let mut out = Vec::new();
                for s in &subs {
                    out.push(storyline_server::api_subscription_json(
                        s,
                        store.outbox_counts(&s.id)?,
                    ));
                }
                crate::emit(&format!(
                    "{}\n",
                    serde_json::json!({ "subscriptions": out })
                ))?;
            } else if subs.is_empty() {
                crate::emit("no subscriptions: `storyline alerts add --story S1` makes one\n")?;
            } else {
                for s in &subs {
                    crate::emit(&subscription_line(s, &store)?)?;
                }
            }
        }
        AlertsCommand::Remove { id } => {
            anyhow::ensure!(
                store.remove_subscription(&id)?,
                "no subscription {id}; `storyline alerts list` lists them"
            );
            crate::emit(&format!("removed {id}\n"))?;
        }
        AlertsCommand::Test { id } => {
            let sub = store
                .subscriptions()?
                .into_iter()
                .find(|s| s.id == id)
                .with_context(|| {
                    format!("no subscription {id}; `storyline alerts list` lists them")
                })?;
            let e = alerts::test_event(&mut store, &sub)?;
            crate::emit(&format!(
                "{}: test event {} queued{}\n",
                sub.id,
                e.id,
                if sub.webhook_url.is_some() {
                    " (delivered by `storyline alerts send` or `serve`)"
                } else {
                    " in its feed (no webhook)"
                }
            ))?;
        }
        AlertsCommand::Send {
            once,
            interval,
            retry_first_ms,
            retry_max_secs,
            max_attempts,
            exit_when_done,
        } => {
            let policy = RetryPolicy {
                first_delay: Duration::from_millis(retry_first_ms.max(1)),
                max_delay: Duration::from_secs(retry_max_secs.max(1)),
                max_attempts: max_attempts.max(1),
                ..RetryPolicy::default()
            };
            let agent = alerts::webhook_agent(&policy);
            loop {
                let made = alerts::make_events(&mut store)?;
                let stats = alerts::send_due(&mut store, &agent, &policy)?;
                if made + (stats.delivered + stats.retrying + stats.gave_up) as usize > 0 {
                    eprintln!(
                        "alerts: {made} new events; {} delivered, {} to retry, {} given up",
                        stats.delivered, stats.retrying, stats.gave_up
                    );
                }
                if once || exit_when_done && store.next_delivery_due()?.is_none() {
                    break;
                }
                let wait = match store.next_delivery_due()? {
                    Some(due) => Duration::from_millis(
                        (due - alerts::now_ms()).clamp(10, interval as i64 * 1000) as u64,
                    ),
                    None => Duration::from_secs(interval),
                };
                std::thread::sleep(wait);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes alert events for what an ingest stored (nothing to do without subscriptions); a
/// failure is a warning: the reports are stored, and the next run catches the events up.
pub fn after_ingest(store: &mut impl Store) {
    if let Err(e) = alerts::make_events(store) {
        eprintln!("warning: alert events not made yet ({e}); `storyline alerts send` makes them");
    }
}
