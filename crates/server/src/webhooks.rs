//! Webhook deliveries of alert events (feature `webhooks`, on by default; the Python wheel
//! builds without it, and without the HTTP client and TLS it needs): Standard Webhooks
//! signatures, attempts, exponential backoff, rounds over the store's outbox.

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use storyline_store::{Delivery, DeliveryOutcome, Store, StoreError};

use crate::alerts::now_ms;

/// The Standard Webhooks signature of a delivery: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` under the secret's key (the base64 after `whsec_`).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|e| format!("the subscription's secret is not base64: {e}"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Ok(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// When to retry a failed delivery.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Wait after the first failure; doubled after each further one.
    pub first_delay: Duration,
    /// Longest wait between two attempts.
    pub max_delay: Duration,
    /// Attempts before a delivery is given up (kept in the outbox as failed).
    pub max_attempts: u32,
    /// Time a receiver has to answer.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    /// 5 s doubling to at most an hour, 15 attempts: about 10 hours of trying, as the
    /// Standard Webhooks guidance schedules retries (seconds, then minutes, then hours).
    fn default() -> Self {
        RetryPolicy {
            first_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(3600),
            max_attempts: 15,
            timeout: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failure (1 for the first).
    pub fn delay(&self, failures: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failures.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// What a round of deliveries did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendStats {
    pub delivered: u64,
    pub retrying: u64,
    pub gave_up: u64,
}

/// The agent deliveries are made with.
pub fn webhook_agent(policy: &RetryPolicy) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(policy.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!(
            "storyline/",
            env!("CARGO_PKG_VERSION"),
            " (webhooks)"
        ))
        .build()
        .into()
}

/// One delivery attempt: POST the event's payload, signed; the outcome to record.
pub fn attempt(agent: &ureq::Agent, d: &Delivery, policy: &RetryPolicy) -> DeliveryOutcome {
    let ts = chrono::Utc::now().timestamp();
    let result = sign(&d.secret, &d.event.id, ts, &d.event.payload).and_then(|sig| {
        agent
            .post(&d.webhook_url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.event.id)
            .header("webhook-timestamp", &ts.to_string())
            .header("webhook-signature", &sig)
            .send(d.event.payload.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|res| {
                let status = res.status().as_u16();
                if (200..300).contains(&status) {
                    Ok(())
                } else {
                    Err(format!("the receiver answered HTTP {status}"))
                }
            })
    });
    let failures = d.attempts + 1;
    match result {
        Ok(()) => DeliveryOutcome::Delivered { at_ms: now_ms() },
        Err(error) if failures >= policy.max_attempts => DeliveryOutcome::GaveUp {
            at_ms: now_ms(),
            error,
        },
        Err(error) => DeliveryOutcome::Retry {
            next_ms: now_ms() + policy.delay(failures).as_millis() as i64,
            error,
        },
    }
}

/// Delivers every delivery due now, recording each outcome as it comes.
pub fn send_due<S: Store>(
    store: &mut S,
    agent: &ureq::Agent,
    policy: &RetryPolicy,
) -> Result<SendStats, StoreError> {
    let mut stats = SendStats::default();
    loop {
        let due = store.due_deliveries(now_ms(), 64)?;
        if due.is_empty() {
            return Ok(stats);
        }
        for d in &due {
            let outcome = attempt(agent, d, policy);
            match outcome {
                DeliveryOutcome::Delivered { .. } => stats.delivered += 1,
                DeliveryOutcome::Retry { .. } => stats.retrying += 1,
                DeliveryOutcome::GaveUp { .. } => stats.gave_up += 1,
            }
            store.record_delivery(&d.event.id, &outcome)?;
        }
        // Retries are due later: what is due now was just tried.
        if stats.retrying + stats.gave_up > 0 && stats.delivered == 0 {
            return Ok(stats);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification (webhooks spec, "Signature
        // scheme"): this secret, id, timestamp and body sign to this value.
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn retries_back_off_exponentially_up_to_a_ceiling() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1), Duration::from_secs(5));
        assert_eq!(p.delay(2), Duration::from_secs(10));
        assert_eq!(p.delay(4), Duration::from_secs(40));
        assert_eq!(p.delay(20), Duration::from_secs(3600));
        assert_eq!(p.delay(99), Duration::from_secs(3600));
    }
}
