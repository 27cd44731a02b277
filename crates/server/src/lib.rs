//! `storyline serve`: the JSON API and the web pages over one store. Reads open their own SQLite
//! connections (from a small pool) and run on blocking threads, so they go on while an ingest
//! writes (the store is in WAL mode); writes go through the one pipeline [`Engine`], behind a
//! mutex, so there is a single writer. Every response carries the security headers
//! ([`security`]): pages render untrusted article text escaped, and the content security policy
//! allows only this server's own script and stylesheet.
//!
//! Architecture invariant: glue only. It assembles views from the store and the pipeline and
//! renders them; it owns the JSON on the wire ([`json`]), which the CLI prints too.

pub mod alerts;
mod api;
mod charts;
mod error;
mod graph;
pub mod json;
mod openapi;
mod pages;
mod security;
mod state;
pub mod views;
#[cfg(feature = "webhooks")]
mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use storyline_pipeline::Engine;
use storyline_store::AnyStore;
use thiserror::Error;

pub use api::subscription_json as api_subscription_json;
pub use pages::date_range;
pub use state::AppState;

/// What `storyline serve` was told.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// The bearer token `POST /api/reports` requires; without one, ingestion over HTTP is off.
    pub token: Option<String>,
}

#[derive(Debug, Error)]
pub enum ServerError {
    #[error("cannot open the store {path}: {source}")]
    Store {
        path: String,
        source: storyline_pipeline::PipelineError,
    },
    #[error("cannot open the store: {0}")]
    Open(#[from] storyline_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Bytes a `POST /api/reports` body may have: a large JSON Lines batch, not a whole corpus.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The router: pages, API, OpenAPI description, static files, security headers.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(pages::story_list))
        .route("/stories/{id}", get(pages::story_page))
        .route("/stories/{id}/compare", get(pages::compare_page))
        .route("/reports/{id}", get(pages::report_page))
        .route("/threads/{id}", get(pages::thread_page))
        .route("/outlets", get(pages::outlets_page))
        .route("/outlets/{name}", get(pages::outlet_page))
        .route("/reports", post(api::post_reports))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/static/app.js", get(pages::script))
        .route("/openapi.json", get(openapi::document))
        .route("/api/stories", get(api::stories))
        .route("/api/threads", get(api::threads))
        .route("/api/threads/{id}", get(api::thread))
        .route("/api/threads/{id}/timeline", get(api::thread_timeline))
        .route("/api/outlets", get(api::outlets))
        .route("/api/outlets/{name}", get(api::outlet))
        .route("/api/stories/{id}/timeline", get(api::story_timeline))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/stories/{id}/lineage", get(api::lineage))
        .route("/api/stories/{id}/brief", get(api::brief))
        .route("/api/stories/{id}/compare", get(api::compare))
        .route("/api/stories/{id}/quotes", get(api::story_quotes))
        .route("/api/stories/{id}/entities", get(api::story_entities))
        .route("/api/reports", post(api::post_reports))
        .route("/api/alerts", get(api::alerts).post(api::add_alert))
        .route("/api/alerts/{id}", axum::routing::delete(api::remove_alert))
        .route("/api/alerts/{id}/test", post(api::test_alert))
        .route("/feeds/{id}", get(api::feed))
        .route("/api/reports/{id}", get(api::report))
        .route("/api/reports/{id}/quotes", get(api::report_quotes))
        .route("/api/reports/{id}/entities", get(api::report_entities))
        .route("/api/pairs/{a}/{b}", get(api::pair))
        .fallback(error::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(security::headers))
        .with_state(state)
}

/// Opens the store (creating it if needed), binds `cfg.addr` and serves until `shutdown`
/// resolves. Returns the bound address through `bound` first (useful with port 0).
pub async fn serve(
    cfg: ServerConfig,
    bound: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    // Opening and closing the store block (PostgreSQL's client runs a small runtime of its
    // own, which may not be started or dropped on the server's reactor threads).
    let addr = cfg.addr;
    let db = cfg.db.clone();
    let state = tokio::task::spawn_blocking(move || open_state(&cfg))
        .await
        .map_err(|e| ServerError::Io(std::io::Error::other(e)))??;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    bound(listener.local_addr()?);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(feature = "webhooks")]
    let sender = {
        let (db, stop) = (db.clone(), stop.clone());
        Some(std::thread::spawn(move || alert_thread(db, stop)))
    };
    // Without webhook deliveries, events are made when a feed is read.
    #[cfg(not(feature = "webhooks"))]
    let sender: Option<std::thread::JoinHandle<()>> = {
        let _ = db;
        None
    };
    let served = axum::serve(listener, router(state.clone()))
        .with_graceful_shutdown(shutdown)
        .await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(sender) = sender {
        let _ = tokio::task::spawn_blocking(move || sender.join()).await;
    }
    let _ = tokio::task::spawn_blocking(move || drop(state)).await;
    served?;
    Ok(())
}

#[cfg(feature = "webhooks")]
/// Time between two rounds of the server's alert thread (events made, due webhooks sent).
const ALERT_ROUND: std::time::Duration = std::time::Duration::from_secs(2);

#[cfg(feature = "webhooks")]
/// The server's alert thread: on a store connection of its own (a slow receiver never holds up
/// ingestion), makes alert events for what was stored since the last round (by this server, a
/// worker, an ingest) and delivers the webhooks due, until `stop` is set.
fn alert_thread(db: PathBuf, stop: Arc<std::sync::atomic::AtomicBool>) {
    use std::sync::atomic::Ordering;
    let policy = alerts::RetryPolicy::default();
    let agent = alerts::webhook_agent(&policy);
    let mut store = None;
    while !stop.load(Ordering::Relaxed) {
        if store.is_none() {
            match AnyStore::open(&db) {
                Ok(s) => store = Some(s),
                Err(e) => eprintln!("alerts: cannot open the store: {e}"),
            }
        }
        if let Some(s) = store.as_mut() {
            let round = alerts::make_events(s)
                .map_err(|e| e.to_string())
                .and_then(|_| alerts::send_due(s, &agent, &policy).map_err(|e| e.to_string()));
            if let Err(e) = round {
                eprintln!("alerts: {e}");
                store = None;
            }
        }
        let started = std::time::Instant::now();
        while started.elapsed() < ALERT_ROUND && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// The shared state for `cfg`: the writer engine on the store and the reader pool.
pub fn open_state(cfg: &ServerConfig) -> Result<Arc<AppState>, ServerError> {
    let store = AnyStore::open(&cfg.db)?;
    let failed = |source| ServerError::Store {
        path: storyline_store::display_db(&cfg.db),
        source,
    };
    let engine = Engine::open(store, Default::default()).map_err(failed)?;
    let state = AppState::new(cfg.db.clone(), engine, cfg.token.clone()).map_err(failed)?;
    Ok(Arc::new(state))
}
