//! The server's shared state: the one writer (the pipeline [`Engine`], behind a mutex), a pool
//! of read-only uses of the store, and the story threads as of the last change the server saw.
//! Blocking work (the store, analysis) runs on tokio's blocking threads, never on the reactor.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use storyline_model::StoryId;
use storyline_pipeline::{Engine, IngestSummary};
use storyline_store::{AnyStore, Store};

use crate::error::ApiError;
use crate::views::{self, BriefView, CompareView};

/// Stories whose computed views are kept; past it the cache starts over.
const CACHED_STORIES: usize = 256;

/// A story's computed views (brief and comparison), the costly part of its page.
pub struct StoryViews {
    pub brief: BriefView,
    pub compare: CompareView,
}

#[derive(Default)]
struct ViewCache {
    version: u64,
    stories: HashMap<StoryId, Arc<StoryViews>>,
    /// One lock per story being computed, so a burst of first requests computes it once
    /// instead of once per request (on two cores, sixteen at once made each sixteen times
    /// slower).
    computing: HashMap<StoryId, Arc<Mutex<()>>>,
}

/// Read connections kept for reuse; more may be open at once under load, the extras are closed.
const POOLED_READERS: usize = 8;

struct Writer {
    /// Its placement index is brought up to date with what other writers (an ingest, a worker,
    /// another replica) committed at the start of each batch, under the store's write lock.
    engine: Engine<AnyStore>,
}

pub struct AppState {
    db: PathBuf,
    token: Option<String>,
    writer: Mutex<Writer>,
    readers: Mutex<Vec<AnyStore>>,
    views: Mutex<ViewCache>,
}

impl AppState {
    pub fn new(
        db: PathBuf,
        engine: Engine<AnyStore>,
        token: Option<String>,
    ) -> Result<AppState, storyline_pipeline::PipelineError> {
        Ok(AppState {
            db,
            token,
            writer: Mutex::new(Writer { engine }),
            readers: Mutex::new(Vec::new()),
            views: Mutex::new(ViewCache::default()),
        })
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Runs `f` on a read connection, on a blocking thread.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&AnyStore, &AppState) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = me.take_reader()?;
            let out = f(&store, &me);
            me.give_back(store);
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("reader task failed: {e}")))?
    }

    /// A read connection inside a read transaction: the whole request sees one snapshot of
    /// the store, whatever an ingest commits meanwhile.
    fn take_reader(&self) -> Result<AnyStore, ApiError> {
        let pooled = self.readers.lock().map_err(poisoned)?.pop();
        let mut store = match pooled {
            Some(s) => s,
            None => AnyStore::open(&self.db)?,
        };
        store.begin_read()?;
        Ok(store)
    }

    /// Ends the request's read transaction (a snapshot held on would keep the WAL from being
    /// checkpointed) and keeps the connection for the next request.
    fn give_back(&self, mut store: AnyStore) {
        if store.rollback().is_err() {
            return;
        }
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < POOLED_READERS
        {
            pool.push(store);
        }
    }

    /// A story's brief and comparison, computed once per store version (its last ingest
    /// sequence number, read in the request's snapshot): they change only when reports are
    /// stored, and computing them (alignment of every pair, extraction) is most of a story
    /// page's cost. The version is the store's, so a report any other writer commits (an
    /// ingest, a worker, another `serve` replica on the same PostgreSQL database) invalidates
    /// the cache at the next request, with no signal between processes needed.
    pub fn story_views(&self, store: &AnyStore, sid: StoryId) -> Result<Arc<StoryViews>, ApiError> {
        let version = store.last_seq()?;
        let cached = |cache: &ViewCache| {
            (cache.version == version)
                .then(|| cache.stories.get(&sid).cloned())
                .flatten()
        };
        let gate = {
            let mut cache = self.views.lock().map_err(poisoned)?;
            if let Some(v) = cached(&cache) {
                return Ok(v);
            }
            cache.computing.entry(sid).or_default().clone()
        };
        let _computing = gate.lock().map_err(poisoned)?;
        if let Some(v) = cached(&*self.views.lock().map_err(poisoned)?) {
            return Ok(v);
        }
        let v = Arc::new(StoryViews {
            brief: views::brief_view(store, sid)?,
            compare: views::compare_view(store, sid)?,
        });
        let mut cache = self.views.lock().map_err(poisoned)?;
        if cache.version != version || cache.stories.len() >= CACHED_STORIES {
            cache.stories.clear();
            cache.version = version;
        }
        cache.stories.insert(sid, v.clone());
        cache.computing.remove(&sid);
        Ok(v)
    }

    /// Runs `f` on the writer's store (subscriptions, alert events, deliveries), one writer at a
    /// time, on a blocking thread.
    pub async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut AnyStore) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut writer = me.writer.lock().map_err(poisoned)?;
            f(writer.engine.store_mut())
        })
        .await
        .map_err(|e| ApiError::internal(format!("writer task failed: {e}")))?
    }

    /// Ingests JSON Lines through the engine, one request at a time.
    pub async fn ingest(self: &Arc<Self>, body: Vec<u8>) -> Result<IngestSummary, ApiError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut writer = me.writer.lock().map_err(poisoned)?;
            Ok(writer.engine.ingest_json_lines(&body, "request")?)
        })
        .await
        .map_err(|e| ApiError::internal(format!("ingest task failed: {e}")))?
    }
}

fn poisoned<T>(_: T) -> ApiError {
    ApiError::internal("a lock was poisoned by an earlier panic; restart the server")
}
