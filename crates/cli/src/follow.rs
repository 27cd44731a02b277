//! `storyline follow`: polls feeds (URLs, or the feeds of OPML lists) at an interval and ingests
//! their new items as they appear, printing where each landed. The network lives here, in the
//! binary, not in the pure crates: conditional GET (ETag / Last-Modified remembered per feed in
//! the store, so they outlive the run), one request at a time per host with a polite delay, timeouts, retries with
//! exponential backoff on 5xx, 429 and network errors, and a redirect limit so a redirect loop
//! is a clear error instead of a hang. An item with only a summary has its page fetched and
//! cleaned instead (over HTTP, or from a `file:` URL).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use storyline_model::ReportId;
use storyline_pipeline::{Engine, IngestSummary, Landing};
use storyline_read::feed::{PageFetch, parse_feed, resolve_item};
use storyline_read::{RawReport, parse_opml};
use storyline_store::{AnyStore, FeedValidators, Store};
use ureq::ResponseExt;

/// Seconds between polls by default: 15 minutes. News feeds refresh every few minutes to an
/// hour; feed readers and the RSS `ttl` convention settle on 15–60 minutes, and conditional GET
/// makes an unchanged feed cost one short 304 exchange.
pub const DEFAULT_INTERVAL_SECS: u64 = 900;

/// Seconds one request (connect, headers and body) may take by default. A healthy feed or page
/// answers within a second or two; 30 s tolerates a slow server without letting a dead one
/// stall the poll.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Retries of a request that failed for a transient reason (5xx, 429, timeout, connection
/// error) by default: three, so a server gets 1 + 2 + 4 = 7 seconds to recover.
pub const DEFAULT_RETRIES: u32 = 3;

/// The wait before the first retry; each further retry waits twice as long (exponential
/// backoff), so a struggling server is not hammered.
pub const BACKOFF_BASE: Duration = Duration::from_secs(1);

/// Milliseconds between two requests to one host by default: one request a second, the
/// crawl delay most sites' robots.txt ask of polite crawlers.
pub const DEFAULT_HOST_DELAY_MS: u64 = 1000;

/// Redirects followed before giving up. Feeds move (http → https, old host → new) once or
/// twice; more than five is a loop or a misconfiguration, reported as such.
pub const MAX_REDIRECTS: u32 = 5;

/// Largest feed or page body read. Big feeds with full content are a few MiB; 16 MiB bounds
/// memory against a server that streams without end.
pub const MAX_BODY_BYTES: u64 = 16 << 20;

/// How `follow` runs.
pub struct FollowOptions {
    pub sources: Vec<String>,
    pub interval: Duration,
    /// Stop after this many polls (`None`: poll until interrupted).
    pub polls: Option<u64>,
    pub timeout: Duration,
    pub retries: u32,
    pub host_delay: Duration,
    pub json: bool,
}

enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
        url: String,
        content_type: Option<String>,
    },
}

/// HTTP with the manners a feed reader owes a server.
struct Fetcher {
    agent: ureq::Agent,
    retries: u32,
    host_delay: Duration,
    last_request: HashMap<String, Instant>,
    validators: HashMap<String, FeedValidators>,
}

impl Fetcher {
    fn new(opts: &FollowOptions) -> Fetcher {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .max_redirects(MAX_REDIRECTS)
            .http_status_as_error(false)
            .user_agent(concat!(
                "storyline/",
                env!("CARGO_PKG_VERSION"),
                " (feed follower)"
            ))
            .build()
            .into();
        Fetcher {
            agent,
            retries: opts.retries,
            host_delay: opts.host_delay,
            last_request: HashMap::new(),
            validators: HashMap::new(),
        }
    }

    /// Waits until the host's delay since its last request has passed.
    fn wait_for_host(&mut self, url: &str) {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        if let Some(last) = self.last_request.get(&host) {
            let since = last.elapsed();
            if since < self.host_delay {
                std::thread::sleep(self.host_delay - since);
            }
        }
        self.last_request.insert(host, Instant::now());
    }

    /// Fetches a URL; `conditional` sends the validators remembered for it.
    fn get(&mut self, url: &str, conditional: bool) -> Result<Fetched, String> {
        if let Ok(u) = url::Url::parse(url)
            && u.scheme() == "file"
        {
            let path = u
                .to_file_path()
                .map_err(|()| "not a local path".to_string())?;
            let gz = path.extension().is_some_and(|e| e == "gz");
            let bytes = storyline_read::read_file_bytes(&path, gz).map_err(|e| e.to_string())?;
            return Ok(Fetched::Body {
                bytes,
                url: url.to_string(),
                content_type: None,
            });
        }
        let mut last_error = String::new();
        for attempt in 0..=self.retries {
            if attempt > 0 {
                std::thread::sleep(BACKOFF_BASE * 2u32.saturating_pow(attempt - 1));
            }
            self.wait_for_host(url);
            let mut request = self.agent.get(url);
            if conditional && let Some(v) = self.validators.get(url) {
                if let Some(etag) = &v.etag {
                    request = request.header("If-None-Match", etag);
                }
                if let Some(lm) = &v.last_modified {
                    request = request.header("If-Modified-Since", lm);
                }
            }
            match request.call() {
                Ok(mut response) => {
                    let status = response.status();
                    if status.as_u16() == 304 {
                        return Ok(Fetched::NotModified);
                    }
                    if status.is_success() {
                        let header = |name: &str| {
                            response
                                .headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_string)
                        };
                        let validators = FeedValidators {
                            etag: header("etag"),
                            last_modified: header("last-modified"),
                        };
                        let final_url = response.get_uri().to_string();
                        let content_type = header("content-type");
                        match response
                            .body_mut()
                            .with_config()
                            .limit(MAX_BODY_BYTES)
                            .read_to_vec()
                        {
                            Ok(bytes) => {
                                self.validators.insert(url.to_string(), validators);
                                return Ok(Fetched::Body {
                                    bytes,
                                    url: final_url,
                                    content_type,
                                });
                            }
                            Err(e) => {
                                last_error = reason(&e);
                                if !transient(&e) {
                                    break;
                                }
                                continue;
                            }
                        }
                    }
                    last_error = format!(
                        "HTTP {} {}",
                        status.as_u16(),
                        status.canonical_reason().unwrap_or("")
                    )
                    .trim_end()
                    .to_string();
                    if !(status.is_server_error() || status.as_u16() == 429) {
                        return Err(last_error);
                    }
                }
                Err(e) => {
                    last_error = reason(&e);
                    if !transient(&e) {
                        return Err(last_error);
                    }
                }
            }
        }
        Err(format!(
            "{last_error} (after {} attempts)",
            self.retries as u64 + 1
        ))
    }
}

fn transient(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Timeout(_) | ureq::Error::Io(_) | ureq::Error::ConnectionFailed
    )
}

fn reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::TooManyRedirects => {
            format!("redirect loop: more than {MAX_REDIRECTS} redirects; giving up")
        }
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("body larger than {} MiB", MAX_BODY_BYTES >> 20)
        }
        other => other.to_string(),
    }
}

/// The feed URLs the sources name: URLs as given, OPML files' subscriptions, and local feed
/// files as `file:` URLs.
fn feed_urls(sources: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for source in sources {
        if let Ok(u) = url::Url::parse(source)
            && matches!(u.scheme(), "http" | "https" | "file")
        {
            out.push(source.clone());
            continue;
        }
        let path = Path::new(source);
        let bytes = std::fs::read(path)
            .with_context(|| format!("{source}: not a URL and not a readable file"))?;
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
        if head.contains("<opml") {
            let subs = parse_opml(&bytes).map_err(|e| anyhow::anyhow!("{source}: {e}"))?;
            if subs.is_empty() {
                anyhow::bail!("{source}: the OPML list names no feed (no outline with xmlUrl)");
            }
            out.extend(subs.into_iter().map(|s| s.url));
        } else {
            let abs = path.canonicalize()?;
            let url = url::Url::from_file_path(&abs)
                .map_err(|()| anyhow::anyhow!("{source}: cannot make a file URL"))?;
            out.push(url.to_string());
        }
    }
    out.dedup();
    Ok(out)
}

/// Prints where a report landed: `ID -> S3 (new story)`, or a JSON line.
pub fn print_landing(l: &Landing, from: &str, json: bool) -> Result<()> {
    let line = if json {
        serde_json::json!({
            "report": l.report.0,
            "story": l.story.to_string(),
            "new_story": l.new_story,
            "score": (l.score * 1000.0).round() / 1000.0,
            "from": from,
        })
        .to_string()
    } else if l.new_story {
        format!("{} -> {} (new story)", l.report, l.story)
    } else {
        format!("{} -> {} (joined, score {:.3})", l.report, l.story, l.score)
    };
    crate::emit(&format!("{line}\n"))
}

/// Runs `storyline follow`.
pub fn run(db: &Path, opts: FollowOptions) -> Result<ExitCode> {
    let feeds = feed_urls(&opts.sources)?;
    let store = crate::open_store(db)?;
    let mut engine = Engine::open(store, crate::engine_config())?;
    let mut fetcher = Fetcher::new(&opts);
    // Items handled in this run, by the id the feed gives them: a summary item's page is not
    // fetched again on every poll.
    let mut known: HashSet<ReportId> = HashSet::new();
    let mut failed = false;
    let mut poll = 0u64;
    let me = format!("follow-{}", std::process::id());
    loop {
        poll += 1;
        for feed in &feeds {
            // On a PostgreSQL store several followers share the feeds: each feed is polled
            // once per interval, by whichever follower comes first.
            if !engine
                .store_mut()
                .claim_feed_poll(feed, opts.interval, &me)?
            {
                eprintln!("note: {feed}: polled by another follower this interval");
                continue;
            }
            let (bad, landings) = poll_feed(&mut engine, &mut fetcher, &mut known, feed)?;
            failed |= bad;
            for l in &landings {
                print_landing(l, feed, opts.json)?;
            }
        }
        if opts.polls.is_some_and(|n| poll >= n) {
            break;
        }
        std::thread::sleep(opts.interval);
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Polls a feed once for a queued job (`storyline worker`): its new items ingested, with the
/// default manners of `follow` (timeout, retries, conditional GET). Whether something failed,
/// and where the new reports landed.
pub fn poll_once(engine: &mut Engine<AnyStore>, feed: &str) -> Result<(bool, Vec<Landing>)> {
    let opts = FollowOptions {
        sources: Vec::new(),
        interval: Duration::from_secs(DEFAULT_INTERVAL_SECS),
        polls: Some(1),
        timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
        retries: DEFAULT_RETRIES,
        host_delay: Duration::from_millis(DEFAULT_HOST_DELAY_MS),
        json: false,
    };
    poll_feed(engine, &mut Fetcher::new(&opts), &mut HashSet::new(), feed)
}

/// One poll of one feed; returns whether something failed, and where new reports landed.
fn poll_feed(
    engine: &mut Engine<AnyStore>,
    fetcher: &mut Fetcher,
    known: &mut HashSet<ReportId>,
    feed: &str,
) -> Result<(bool, Vec<Landing>)> {
    if !fetcher.validators.contains_key(feed)
        && let Some(v) = engine.store().feed_validators(feed)?
    {
        fetcher.validators.insert(feed.to_string(), v);
    }
    let (bytes, final_url) = match fetcher.get(feed, true) {
        Ok(Fetched::NotModified) => {
            eprintln!("note: {feed}: not modified");
            return Ok((false, Vec::new()));
        }
        Ok(Fetched::Body { bytes, url, .. }) => (bytes, url),
        Err(e) => {
            eprintln!("error: {feed}: {e}");
            return Ok((true, Vec::new()));
        }
    };
    let parsed = match parse_feed(&bytes, feed, Some(&final_url)) {
        Ok(p) => p,
        Err(d) => {
            eprintln!("error: {d}");
            return Ok((true, Vec::new()));
        }
    };
    let mut failed = !parsed.diagnostics.is_empty();
    for d in &parsed.diagnostics {
        eprintln!("error: {d}");
    }
    let mut batch: Vec<RawReport> = Vec::new();
    for item in parsed.items {
        let item_id = item.report.id.clone();
        if known.contains(&item_id) || engine.has_report(&item_id)? {
            continue;
        }
        known.insert(item_id);
        let mut fetch_page = |link: &str| -> PageFetch {
            match url::Url::parse(link) {
                Ok(u) if matches!(u.scheme(), "http" | "https" | "file") => {
                    Some(fetcher.get(link, false).and_then(|f| {
                        match f {
                            Fetched::Body {
                                bytes,
                                content_type,
                                ..
                            } => storyline_read::decode_http_html(&bytes, content_type.as_deref())
                                .map_err(|e| e.to_string()),
                            Fetched::NotModified => Err("not modified, and no copy kept".into()),
                        }
                    }))
                }
                _ => None,
            }
        };
        match resolve_item(item, &mut fetch_page) {
            Ok((report, problem)) => {
                if let Some(p) = problem {
                    eprintln!(
                        "warning: {}: {p}; the item's summary is used",
                        report.origin
                    );
                }
                if engine.has_report(&report.id)? || batch.iter().any(|r| r.id == report.id) {
                    continue;
                }
                batch.push(report);
            }
            Err(d) => {
                eprintln!("error: {d}");
                failed = true;
            }
        }
    }
    let mut summary = IngestSummary::default();
    engine.ingest_raw(batch, &mut summary)?;
    crate::alerts::after_ingest(engine.store_mut());
    for d in &summary.diagnostics {
        eprintln!("error: {d}");
    }
    failed |= summary.failed > 0;
    // Remembered only once the items are stored: a run that died before would otherwise get a
    // 304 next time and never see them.
    if let Some(v) = fetcher.validators.get(feed) {
        engine.store_mut().set_feed_validators(feed, v)?;
    }
    Ok((failed, summary.landings))
}
