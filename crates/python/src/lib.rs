//! `storyline._storyline`, the native half of the Python package: a store handle that ingests
//! through the pipeline `Engine` and reads through the store, and the cleaner. Every row it
//! returns is built by `storyline_server::json`, the functions behind the CLI's `--format json`,
//! so a DataFrame's columns are the CLI's field names. The pure-Python half
//! (`python/storyline/__init__.py`) turns those rows into DataFrames or Arrow tables.
//!
//! Architecture invariant: glue only, like the CLI: no text heuristics, no SQL. Rust work runs
//! with the GIL released (`Python::detach`); Python objects are built only after it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PyString};
use rayon::prelude::*;
use serde_json::Value;
use storyline_model::{LineageEdge, LineageKind, Report, ReportId, Role, StoryId};
use storyline_pipeline::{Engine, EngineConfig, IngestSummary, Progress};
use storyline_read::{RawBody, RawReport};
use storyline_server::json;
use storyline_server::views::{self, ViewError};
use storyline_store::{AnyStore, ReportSummary, Store, StoryRecord};

/// The CLI's allocator: cleaning and ingest allocate many small vectors, and mimalloc is what
/// makes the CLI's figures (see `crates/cli/src/main.rs`); the module matches them with it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Records read and validated before they are cleaned and stored together: the pipeline's own
/// batch (`BatchConfig::reports_per_transaction`), so memory per call is one batch of raw
/// reports beyond the caller's own iterable.
const RECORDS_PER_CALL: usize = 2000;

// ---------------------------------------------------------------------------------------------
// Errors: the classes live in `storyline/_errors.py` (so they can subclass both
// `StorylineError` and the natural built-in); Rust raises them by name.

#[derive(Clone, Copy)]
enum Kind {
    /// The store or the pipeline failed (ours, or the file's).
    Storyline,
    /// A path or a store file that does not exist (`FileNotFoundError`).
    NoFile,
    /// Bad input from the caller (`ValueError`).
    Invalid,
    /// A story or report the store does not hold (`LookupError`).
    NotFound,
}

/// An error to raise once the GIL is held again.
struct Failure {
    kind: Kind,
    message: String,
}

impl Failure {
    fn new(kind: Kind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        let name = match f.kind {
            Kind::Storyline => "StorylineError",
            Kind::NoFile => "StoreNotFoundError",
            Kind::Invalid => "InvalidInputError",
            Kind::NotFound => "NotFoundError",
        };
        Python::attach(|py| {
            let class = py.import("storyline._errors").and_then(|m| m.getattr(name));
            match class.and_then(|c| c.call1((f.message.clone(),))) {
                Ok(exc) => PyErr::from_value(exc),
                Err(_) => PyRuntimeError::new_err(f.message),
            }
        })
    }
}

impl From<storyline_store::StoreError> for Failure {
    fn from(e: storyline_store::StoreError) -> Failure {
        Failure::new(Kind::Storyline, e.to_string())
    }
}

impl From<storyline_pipeline::PipelineError> for Failure {
    fn from(e: storyline_pipeline::PipelineError) -> Failure {
        Failure::new(Kind::Storyline, e.to_string())
    }
}

/// A view's error with the CLI's words (`view_error` in crates/cli/src/main.rs).
fn view_failure(e: ViewError, db: &Path) -> Failure {
    match e {
        ViewError::NoStory(s) => Failure::new(
            Kind::NotFound,
            format!("no story {s}; `storyline stories` lists them"),
        ),
        ViewError::NoReport(r) => Failure::new(
            Kind::NotFound,
            format!("no report `{r}` in {}", db.display()),
        ),
        other => Failure::new(Kind::Storyline, other.to_string()),
    }
}

fn story_arg(s: &str) -> Result<StoryId, Failure> {
    StoryId::parse(s).ok_or_else(|| {
        Failure::new(
            Kind::Invalid,
            format!("`{s}` is not a story id (S1, S2, …)"),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// JSON values to Python objects.

fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    ToPy::new(py).value(v)
}

/// Field names a conversion keeps as Python strings, hashed once: rows repeat a few dozen
/// names hundreds of thousands of times (100,992 report summaries and 84,042 edges in the
/// 100k scale store's stories), and a fresh key string per dict entry is created and hashed
/// again each time.
const KEY_CACHE: usize = 64;

/// Converts JSON values to Python objects, reusing the key strings.
struct ToPy<'py> {
    py: Python<'py>,
    keys: Vec<(String, Bound<'py, PyString>)>,
}

impl<'py> ToPy<'py> {
    fn new(py: Python<'py>) -> ToPy<'py> {
        ToPy {
            py,
            keys: Vec::new(),
        }
    }

    fn key(&mut self, k: &str) -> PyResult<Bound<'py, PyString>> {
        if let Some((_, s)) = self.keys.iter().find(|(name, _)| name == k) {
            return Ok(s.clone());
        }
        let s = PyString::new(self.py, k);
        if self.keys.len() < KEY_CACHE {
            // Computes and caches the string's hash, so every dict insert reuses it.
            s.hash()?;
            self.keys.push((k.to_string(), s.clone()));
        }
        Ok(s)
    }

    fn value(&mut self, v: &Value) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        Ok(match v {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    i.into_pyobject(py)?.into_any()
                } else if let Some(u) = n.as_u64() {
                    u.into_pyobject(py)?.into_any()
                } else {
                    PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
                }
            }
            Value::String(s) => PyString::new(py, s).into_any(),
            Value::Array(items) => self.list(items)?.into_any(),
            Value::Object(map) => {
                let dict = PyDict::new(py);
                for (k, x) in map {
                    dict.set_item(self.key(k)?, self.value(x)?)?;
                }
                dict.into_any()
            }
        })
    }

    fn list(&mut self, items: &[Value]) -> PyResult<Bound<'py, PyList>> {
        let objects = items
            .iter()
            .map(|x| self.value(x))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(self.py, objects)
    }
}

/// Python values (a record's fields) to JSON, as `json.dumps` would with `default=str`: dates
/// and other objects become their string (`isoformat()` when they have one).
fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_string()));
    }
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, x) in d.iter() {
            map.insert(k.str()?.to_str()?.to_string(), from_py(&x)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|x| from_py(&x))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if obj.hasattr("isoformat")? {
        // pandas' NaT (a missing date in a DataFrame) is not equal to itself: no date.
        if obj.ne(obj)? {
            return Ok(Value::Null);
        }
        return Ok(Value::String(
            obj.call_method0("isoformat")?.str()?.to_str()?.to_string(),
        ));
    }
    Ok(Value::String(obj.str()?.to_str()?.to_string()))
}

fn rows_to_py<'py>(py: Python<'py>, rows: &[Value]) -> PyResult<Bound<'py, PyList>> {
    ToPy::new(py).list(rows)
}

/// Runs `f` on a pool of `threads` workers (the global pool when `None`).
fn on_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T, Failure> {
    match threads {
        None => Ok(f()),
        Some(0) => Err(Failure::new(Kind::Invalid, "threads must be 1 or more")),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(|pool| pool.install(f))
            .map_err(|e| Failure::new(Kind::Storyline, format!("cannot start {n} threads: {e}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Cleaning.

/// A page when its first non-blank character opens a tag; plain text otherwise.
fn looks_like_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

/// One input to clean, read from Python: a `str`, `bytes` (decoded as the CLI decodes a file:
/// BOM, declared charset, detection) or a dict with `text`/`html`, `url`, `title`, `id`.
fn raw_input(
    obj: &Bound<'_, PyAny>,
    index: usize,
    url: Option<String>,
    html: Option<bool>,
) -> PyResult<RawReport> {
    let mut id = None;
    let mut title = None;
    let mut url = url;
    let mut html = html;
    let content: Bound<'_, PyAny>;
    if let Ok(d) = obj.cast::<PyDict>() {
        let get = |k: &str| -> PyResult<Option<String>> {
            match d.get_item(k)? {
                Some(v) if !v.is_none() => Ok(Some(v.str()?.to_str()?.to_string())),
                _ => Ok(None),
            }
        };
        id = get("id")?;
        title = get("title")?;
        url = get("url")?.or(url);
        content = match (d.get_item("text")?, d.get_item("html")?) {
            (Some(t), _) if !t.is_none() => {
                html = Some(false);
                t
            }
            (_, Some(h)) if !h.is_none() => {
                html = Some(true);
                h
            }
            _ => {
                return Err(Failure::new(
                    Kind::Invalid,
                    format!("input {index}: no `text` or `html` field: a report needs a body"),
                )
                .into());
            }
        };
    } else {
        content = obj.clone();
    }
    let (body, is_html) = if let Ok(s) = content.cast::<PyString>() {
        let s = s.to_str()?.to_string();
        let is_html = html.unwrap_or_else(|| looks_like_html(s.as_bytes()));
        (s, is_html)
    } else if let Ok(b) = content.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        let is_html = html.unwrap_or_else(|| looks_like_html(bytes));
        let text = storyline_read::decode_text(bytes, is_html)
            .map_err(|e| Failure::new(Kind::Invalid, format!("input {index}: {e}")))?;
        (text, is_html)
    } else {
        return Err(Failure::new(
            Kind::Invalid,
            format!(
                "input {index}: expected str, bytes or a dict with `text` or `html`, found {}",
                content.get_type().name()?
            ),
        )
        .into());
    };
    let id = id.unwrap_or_else(|| index.to_string());
    Ok(RawReport {
        id: ReportId(id.clone()),
        url,
        title,
        source: None,
        published: None,
        byline: None,
        body: if is_html {
            RawBody::Html(body)
        } else {
            RawBody::Text(body)
        },
        origin: id,
        extra_json: None,
        read_notes: Vec::new(),
    })
}

/// Cleans one page or text: title, byline, dates, site, language, text, headings and what was
/// dropped with the rule for each (`storyline clean --format json`, one report).
#[pyfunction]
#[pyo3(signature = (html_or_text, url=None, html=None))]
fn clean<'py>(
    py: Python<'py>,
    html_or_text: &Bound<'py, PyAny>,
    url: Option<String>,
    html: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let raw = raw_input(html_or_text, 0, url, html)?;
    let out = py.detach(|| {
        let report = storyline_clean::clean_report(raw);
        json::cleaned_json(std::slice::from_ref(&report))
    });
    match out {
        Value::Array(mut v) if v.len() == 1 => to_py(py, &v.remove(0)),
        _ => Err(PyRuntimeError::new_err("cleaned_json gave no object")),
    }
}

/// Cleans many pages in parallel (rayon, the GIL released); results in input order.
#[pyfunction]
#[pyo3(signature = (inputs, threads=None))]
fn clean_many<'py>(
    py: Python<'py>,
    inputs: &Bound<'py, PyAny>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    let mut raws = Vec::new();
    for (i, item) in inputs.try_iter()?.enumerate() {
        raws.push(raw_input(&item?, i, None, None)?);
    }
    let rows = py.detach(|| {
        on_threads(threads, || {
            raws.into_par_iter()
                .map(|raw| {
                    let report = storyline_clean::clean_report(raw);
                    match json::cleaned_json(std::slice::from_ref(&report)) {
                        Value::Array(mut v) => v.pop().unwrap_or(Value::Null),
                        other => other,
                    }
                })
                .collect::<Vec<Value>>()
        })
    })?;
    rows_to_py(py, &rows)
}

// ---------------------------------------------------------------------------------------------
// The store.

/// Opens the store file for reading, inside one read transaction: every read of one call sees
/// one snapshot, whatever an ingest commits meanwhile (as the CLI's `open_reader`).
fn open_reader(path: &Path) -> Result<AnyStore, Failure> {
    if AnyStore::names_postgres(path) {
        let mut store = AnyStore::open_existing(path)
            .map_err(|e| open_failure(path, e))?
            .ok_or_else(|| {
                Failure::new(
                    Kind::NoFile,
                    format!(
                        "no store at {}: the database holds no Storyline store",
                        path.display()
                    ),
                )
            })?;
        store.begin_read().map_err(|e| {
            Failure::new(
                Kind::Storyline,
                format!("cannot read the store {}: {e}", path.display()),
            )
        })?;
        return Ok(store);
    }
    if !path.exists() {
        return Err(Failure::new(
            Kind::NoFile,
            format!(
                "no store at {}: `storyline.open({:?}).ingest(PATH)` makes one",
                path.display(),
                path.display().to_string()
            ),
        ));
    }
    let mut store = open_store(path)?;
    store.begin_read().map_err(|e| {
        Failure::new(
            Kind::Storyline,
            format!("cannot read the store {}: {e}", path.display()),
        )
    })?;
    Ok(store)
}

/// A store that would not open, with the CLI's messages.
fn open_failure(path: &Path, e: storyline_store::StoreError) -> Failure {
    match e {
        storyline_store::StoreError::Incompatible { .. } => {
            Failure::new(Kind::Storyline, e.to_string())
        }
        other => Failure::new(
            Kind::Storyline,
            format!("cannot open the store {}: {other}", path.display()),
        ),
    }
}

/// Opens (creating if missing) the store file or PostgreSQL database, with the CLI's messages
/// (`open_store`).
fn open_store(path: &Path) -> Result<AnyStore, Failure> {
    if AnyStore::names_postgres(path) {
        return AnyStore::open(path).map_err(|e| open_failure(path, e));
    }
    if path.is_dir() {
        return Err(Failure::new(
            Kind::Invalid,
            format!(
                "the store {} is a folder: open() names a store file (e.g. {}/storyline.db)",
                path.display(),
                path.display()
            ),
        ));
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = parent
        && !dir.is_dir()
    {
        return Err(Failure::new(
            Kind::NoFile,
            format!(
                "cannot open the store {}: no folder {} (make it first)",
                path.display(),
                dir.display()
            ),
        ));
    }
    AnyStore::open(path).map_err(|e| open_failure(path, e))
}

/// The store handle behind `storyline.Store`.
#[pyclass(module = "storyline._storyline")]
struct NativeStore {
    path: PathBuf,
    /// The writer, opened on the first ingest (opening rebuilds the placement index from the
    /// store, which a read-only session never needs).
    engine: Mutex<Option<Engine<AnyStore>>>,
    closed: std::sync::atomic::AtomicBool,
}

impl NativeStore {
    fn check_open(&self) -> Result<(), Failure> {
        if self.closed.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(Failure::new(Kind::Invalid, "the store is closed"));
        }
        Ok(())
    }

    fn reader(&self) -> Result<AnyStore, Failure> {
        self.check_open()?;
        open_reader(&self.path)
    }

    /// Runs `f` on the writer, opening it if needed; the GIL is released meanwhile.
    fn with_engine<T: Send>(
        &self,
        py: Python<'_>,
        threads: Option<usize>,
        f: impl FnOnce(&mut Engine<AnyStore>) -> Result<T, Failure> + Send,
    ) -> Result<T, Failure> {
        self.check_open()?;
        py.detach(|| {
            let mut guard = self
                .engine
                .lock()
                .map_err(|_| Failure::new(Kind::Storyline, "an earlier ingest panicked"))?;
            if guard.is_none() {
                let store = open_store(&self.path)?;
                *guard = Some(Engine::open(store, EngineConfig::default())?);
            }
            let engine = guard.as_mut().expect("opened above");
            on_threads(threads, || f(engine))?
        })
    }

    /// The reports a listing covers: one story's, or every story's (paged), in story order.
    fn selected(
        &self,
        store: &AnyStore,
        story: Option<&str>,
    ) -> Result<Vec<(Report, StoryId)>, Failure> {
        match story {
            Some(s) => {
                views::story_reports(store, story_arg(s)?).map_err(|e| view_failure(e, &self.path))
            }
            None => {
                let mut out = Vec::new();
                for_each_story(store, |s| {
                    let ids = s.reports.into_iter().map(|r| r.id);
                    out.extend(
                        views::reports_by_id(store, ids)
                            .map_err(|e| view_failure(e, &self.path))?,
                    );
                    Ok(())
                })?;
                Ok(out)
            }
        }
    }
}

/// Story ids read per query when a call walks the whole store (the CLI's `LIST_PAGE`).
const STORY_PAGE: usize = 512;

fn for_each_story(
    store: &AnyStore,
    mut f: impl FnMut(StoryRecord) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut after = StoryId(0);
    loop {
        let page = store.stories_after(after, STORY_PAGE)?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.id;
        for s in page {
            f(s)?;
        }
    }
}

/// Calls `f` with the story named (an error naming the store when there is none) or, without a
/// name, with every story of the store, page by page.
fn one_or_every_story(
    store: &AnyStore,
    db: &Path,
    story: Option<&str>,
    mut f: impl FnMut(StoryRecord) -> Result<(), Failure>,
) -> Result<(), Failure> {
    match story {
        Some(name) => {
            let sid = story_arg(name)?;
            let s = store
                .story(sid)?
                .ok_or_else(|| view_failure(ViewError::NoStory(sid.to_string()), db))?;
            f(s)
        }
        None => for_each_story(store, f),
    }
}

/// Calls a Python progress callback `(done, total)` from Rust work running without the GIL.
struct ProgressCall<'a> {
    callback: Option<&'a Py<PyAny>>,
    done: u64,
    total: u64,
    error: Option<PyErr>,
}

impl ProgressCall<'_> {
    fn tell(&mut self) {
        let Some(cb) = self.callback else { return };
        if self.error.is_some() {
            return;
        }
        let (done, total) = (self.done, self.total);
        if let Err(e) = Python::attach(|py| cb.call1(py, (done, total)).map(drop)) {
            self.error = Some(e);
        }
    }
}

fn summary_dict<'py>(py: Python<'py>, s: &IngestSummary) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &json::ingest_json(s))
}

#[pymethods]
impl NativeStore {
    #[new]
    fn new(path: PathBuf) -> PyResult<NativeStore> {
        // Creates the file (and its schema) now, so a bad path fails at open, not at first use.
        drop(open_store(&path)?);
        Ok(NativeStore {
            path,
            engine: Mutex::new(None),
            closed: std::sync::atomic::AtomicBool::new(false),
        })
    }

    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    #[getter]
    fn closed(&self) -> bool {
        self.closed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Closes the writer (its connection and checkpointer); reads open their own connection.
    fn close(&self, py: Python<'_>) {
        self.closed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        py.detach(|| {
            if let Ok(mut g) = self.engine.lock() {
                g.take();
            }
        });
    }

    /// Ingests files and folders (what `storyline ingest PATH...` reads).
    #[pyo3(signature = (paths, threads=None, progress=None))]
    fn ingest_paths<'py>(
        &self,
        py: Python<'py>,
        paths: Vec<PathBuf>,
        threads: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        for p in &paths {
            if let Err(e) = std::fs::metadata(p) {
                let kind = if e.kind() == std::io::ErrorKind::NotFound {
                    Kind::NoFile
                } else {
                    Kind::Invalid
                };
                return Err(
                    Failure::new(kind, format!("{}: cannot read: {e}", p.display())).into(),
                );
            }
        }
        let mut call = ProgressCall {
            callback: progress.as_ref(),
            done: 0,
            total: 0,
            error: None,
        };
        let call_ref = &mut call;
        let summary = self.with_engine(py, threads, move |engine| {
            Ok(engine.ingest_paths(&paths, &mut |p| {
                match p {
                    Progress::Inputs(n) => call_ref.total = n,
                    Progress::InputDone => call_ref.done += 1,
                }
                call_ref.tell();
            })?)
        })?;
        if let Some(e) = call.error {
            return Err(e);
        }
        summary_dict(py, &summary)
    }

    /// Ingests records (dicts with `id`, `title`, `text` or `html`, `url`, `published`,
    /// `source`; other keys kept under `extra`), read as JSON Lines lines are. Every record is
    /// checked before any is stored: a bad one raises, naming it.
    #[pyo3(signature = (records, threads=None, progress=None))]
    fn ingest_records<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut raws = Vec::new();
        for (i, item) in records.try_iter()?.enumerate() {
            let n = i + 1;
            let item = item?;
            let Ok(dict) = item.cast::<PyDict>() else {
                return Err(Failure::new(
                    Kind::Invalid,
                    format!(
                        "record {n}: expected a dict with `id`, `title`, `text` or `html`, `url`, `published`, `source`; found {}",
                        item.get_type().name()?
                    ),
                )
                .into());
            };
            let mut value = from_py(dict.as_any())?;
            // A record without an id is named as a JSON Lines line without one: `record-N`.
            if let Value::Object(map) = &mut value
                && !map.get("id").is_some_and(|v| {
                    v.as_str().is_some_and(|s| !s.trim().is_empty()) || v.is_number()
                })
            {
                map.insert("id".into(), Value::String(format!("record-{n}")));
            }
            let line = value.to_string();
            let out = storyline_read::read_json_lines(line.as_bytes(), "record", "record");
            if let Some(d) = out.diagnostics.first() {
                return Err(
                    Failure::new(Kind::Invalid, format!("record {n}: {}", d.message)).into(),
                );
            }
            for mut r in out.reports {
                r.origin = format!("record {n}");
                raws.push(r);
            }
        }
        let mut call = ProgressCall {
            callback: progress.as_ref(),
            done: 0,
            total: raws.len() as u64,
            error: None,
        };
        let call_ref = &mut call;
        let summary = self.with_engine(py, threads, move |engine| {
            let mut summary = IngestSummary::default();
            let mut raws = raws.into_iter().peekable();
            while raws.peek().is_some() {
                let chunk: Vec<RawReport> = raws.by_ref().take(RECORDS_PER_CALL).collect();
                let n = chunk.len() as u64;
                engine.ingest_raw(chunk, &mut summary)?;
                call_ref.done += n;
                call_ref.tell();
            }
            Ok(summary)
        })?;
        if let Some(e) = call.error {
            return Err(e);
        }
        summary_dict(py, &summary)
    }

    /// `(reports, stories)` stored.
    fn counts(&self, py: Python<'_>) -> PyResult<(u64, u64)> {
        Ok(py.detach(|| -> Result<_, Failure> { Ok(self.reader()?.counts()?) })?)
    }

    /// A cursor over the stories in creation order, inside one read transaction: every page
    /// it reads comes from the same snapshot, and the store is opened once for all of them.
    fn story_cursor(&self, py: Python<'_>) -> PyResult<StoryCursor> {
        let store = py.detach(|| self.reader())?;
        Ok(StoryCursor {
            state: Mutex::new((store, StoryId(0))),
        })
    }

    /// One story as `storyline show S2 --format json` prints it.
    fn story<'py>(&self, py: Python<'py>, story: &str) -> PyResult<Bound<'py, PyAny>> {
        let v = py.detach(|| -> Result<_, Failure> {
            let sid = story_arg(story)?;
            let store = self.reader()?;
            let s = store.story(sid)?.ok_or_else(|| {
                Failure::new(
                    Kind::NotFound,
                    format!(
                        "no story or report `{story}` in {}; `storyline stories` lists them",
                        self.path.display()
                    ),
                )
            })?;
            let others = store.thread_stories(s.thread)?;
            Ok(json::story_json(&s, Some(&others)))
        })?;
        to_py(py, &v)
    }

    /// Reports as `storyline show REPORT --format json` prints each: one story's or all.
    #[pyo3(signature = (story=None))]
    fn reports<'py>(&self, py: Python<'py>, story: Option<&str>) -> PyResult<Bound<'py, PyList>> {
        let rows = py.detach(|| -> Result<_, Failure> {
            let store = self.reader()?;
            let mut rows = Vec::new();
            let add = |s: StoryRecord| -> Result<(), Failure> {
                for r in &s.reports {
                    if let Some((report, _, _)) = store.report(&r.id)? {
                        rows.push(json::report_json(&report, &s));
                    }
                }
                Ok(())
            };
            one_or_every_story(&store, &self.path, story, add)?;
            Ok(rows)
        })?;
        rows_to_py(py, &rows)
    }

    /// Lineage edges (`edge_json`), each with its `story` first: one story's or all.
    #[pyo3(signature = (story=None))]
    fn lineage<'py>(&self, py: Python<'py>, story: Option<&str>) -> PyResult<Bound<'py, PyList>> {
        let rows = py.detach(|| -> Result<_, Failure> {
            let store = self.reader()?;
            let mut rows = Vec::new();
            let add = |s: StoryRecord| -> Result<(), Failure> {
                for e in &s.lineage {
                    rows.push(with_story(&s.id, json::edge_json(e)));
                }
                Ok(())
            };
            one_or_every_story(&store, &self.path, story, add)?;
            Ok(rows)
        })?;
        rows_to_py(py, &rows)
    }

    /// `storyline quotes [--story S] [--speaker NAME] --format json`.
    #[pyo3(signature = (story=None, speaker=None))]
    fn quotes<'py>(
        &self,
        py: Python<'py>,
        story: Option<&str>,
        speaker: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let v = py.detach(|| -> Result<_, Failure> {
            let store = self.reader()?;
            let found = self.selected(&store, story)?;
            Ok(match speaker {
                Some(name) => json::remarks_json(&views::remarks_by(&found, name)),
                None => json::quotes_json(&views::with_attributions(found)),
            })
        })?;
        to_py(py, &v)
    }

    /// `storyline entities [--story S] --format json`, optionally one kind only.
    #[pyo3(signature = (story=None, kind=None))]
    fn entities<'py>(
        &self,
        py: Python<'py>,
        story: Option<&str>,
        kind: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const KINDS: [&str; 5] = ["person", "organization", "place", "figure", "date"];
        if let Some(k) = kind
            && !KINDS.contains(&k)
        {
            return Err(Failure::new(
                Kind::Invalid,
                format!("`{k}` is not an entity kind: person, organization, place, figure or date"),
            )
            .into());
        }
        let v = py.detach(|| -> Result<_, Failure> {
            let store = self.reader()?;
            let found = self.selected(&store, story)?;
            let mut v = json::entities_json(&views::with_facts(found));
            if let (Some(k), Value::Array(items)) = (kind, &mut v) {
                items.retain(|x| x["kind"] == k);
            }
            Ok(v)
        })?;
        to_py(py, &v)
    }

    /// `storyline brief S --format json`.
    fn brief<'py>(&self, py: Python<'py>, story: &str) -> PyResult<Bound<'py, PyAny>> {
        let v = py.detach(|| -> Result<_, Failure> {
            let sid = story_arg(story)?;
            let store = self.reader()?;
            let v = views::brief_view(&store, sid).map_err(|e| view_failure(e, &self.path))?;
            Ok(json::brief_json(&v.record, &v.sentences, &v.adds, &v.facts))
        })?;
        to_py(py, &v)
    }

    /// `storyline compare S --format json`.
    fn compare<'py>(&self, py: Python<'py>, story: &str) -> PyResult<Bound<'py, PyAny>> {
        let v = py.detach(|| -> Result<_, Failure> {
            let sid = story_arg(story)?;
            let store = self.reader()?;
            let v = views::compare_view(&store, sid).map_err(|e| view_failure(e, &self.path))?;
            Ok(json::compare_json(story, &v.remarks, &v.facts, &v.across))
        })?;
        to_py(py, &v)
    }
}

/// Pages through a store's stories (see `NativeStore::story_cursor`).
#[pyclass(module = "storyline._storyline", frozen)]
struct StoryCursor {
    /// The reader (in its read transaction) and the last story number read.
    state: Mutex<(AnyStore, StoryId)>,
}

#[pymethods]
impl StoryCursor {
    /// Reads the next stories, as `storyline stories --format json` lists them, without the
    /// GIL: at most `limit` stories, and no more once they hold `max_reports` reports (a
    /// story larger than that comes alone), so a page's memory is bounded whatever the
    /// stories' sizes. A [`StoryPage`] whose rows become Python objects when taken (empty
    /// when no story is left).
    #[pyo3(signature = (limit, max_reports=None))]
    fn next_page(
        &self,
        py: Python<'_>,
        limit: usize,
        max_reports: Option<usize>,
    ) -> PyResult<StoryPage> {
        let max_reports = max_reports.unwrap_or(usize::MAX);
        let rows = py.detach(|| -> Result<_, Failure> {
            let mut state = self.state.lock().map_err(|_| {
                Failure::new(Kind::Storyline, "a story cursor was poisoned by a panic")
            })?;
            let (store, after) = &mut *state;
            let page = store.stories_after(*after, limit)?;
            let mut rows = Vec::with_capacity(page.len());
            let mut reports = 0usize;
            for s in page {
                if reports >= max_reports {
                    break;
                }
                reports += s.reports.len();
                rows.push(json::story_json(&s, None));
                *after = s.id;
            }
            Ok(rows)
        })?;
        Ok(StoryPage {
            rows: Mutex::new(rows),
        })
    }
}

/// A page of stories read from the store, held in Rust until [`StoryPage::take_rows`].
#[pyclass(module = "storyline._storyline", frozen)]
struct StoryPage {
    rows: Mutex<Vec<Value>>,
}

#[pymethods]
impl StoryPage {
    fn __len__(&self) -> usize {
        self.rows.lock().map_or(0, |r| r.len())
    }

    /// The rows as Python dicts; the page is empty afterwards (its memory freed).
    fn take_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rows = std::mem::take(
            &mut *self
                .rows
                .lock()
                .map_err(|_| PyRuntimeError::new_err("a story page was poisoned by a panic"))?,
        );
        rows_to_py(py, &rows)
    }
}

/// A row with `story` as its first field.
fn with_story(sid: &StoryId, row: Value) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("story".into(), Value::String(sid.to_string()));
    if let Value::Object(fields) = row {
        map.extend(fields);
    }
    Value::Object(map)
}

/// The fields of each listing's rows, for an empty listing's DataFrame columns: built by the
/// same JSON functions from a sample, so they cannot drift from the CLI's.
#[pyfunction]
fn columns(listing: &str) -> PyResult<Vec<String>> {
    let id = ReportId("r".into());
    let edge = LineageEdge {
        from: id.clone(),
        to: id.clone(),
        kind: LineageKind::Copy,
        reuse: 0.0,
        verbatim: 0.0,
        evidence: Vec::new(),
    };
    let story = StoryRecord {
        id: StoryId(1),
        title: String::new(),
        thread: StoryId(1),
        reports: vec![ReportSummary {
            id: id.clone(),
            title: None,
            display_title: String::new(),
            source: None,
            url: None,
            published: None,
            role: Role::Original,
            role_evidence: Vec::new(),
            placement_score: 0.0,
            placement_evidence: Vec::new(),
            outlet: None,
            first_seen: None,
        }],
        lineage: vec![edge.clone()],
    };
    // A sentence with a quote, a person, a figure and a date, for the extractors' rows.
    let sample = Report::from_text(
        "r",
        "\"We will rebuild the bridge,\" Mayor Jane Roe said on Monday, after 300 people marched.",
    );
    let v = match listing {
        "stories" => json::story_json(&story, None),
        "reports" => json::report_json(&sample, &story),
        "lineage" => with_story(&story.id, json::edge_json(&edge)),
        "quotes" => first_row(json::quotes_json(&views::with_attributions(vec![(
            sample,
            StoryId(1),
        )]))),
        "remarks" => first_row(json::remarks_json(&views::remarks_by(
            &[(sample, StoryId(1))],
            "Jane Roe",
        ))),
        "entities" => {
            // The union of every kind's fields, in first-seen order.
            let mut map = serde_json::Map::new();
            if let Value::Array(rows) =
                json::entities_json(&views::with_facts(vec![(sample, StoryId(1))]))
            {
                for r in rows {
                    if let Value::Object(fields) = r {
                        for (k, _) in fields {
                            map.entry(k).or_insert(Value::Null);
                        }
                    }
                }
            }
            Value::Object(map)
        }
        other => {
            return Err(Failure::new(Kind::Invalid, format!("no listing `{other}`")).into());
        }
    };
    Ok(match v {
        Value::Object(m) => m.keys().cloned().collect(),
        _ => Vec::new(),
    })
}

fn first_row(v: Value) -> Value {
    match v {
        Value::Array(mut rows) if !rows.is_empty() => rows.swap_remove(0),
        _ => Value::Object(serde_json::Map::new()),
    }
}

#[pymodule]
fn _storyline(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeStore>()?;
    m.add_class::<StoryPage>()?;
    m.add_class::<StoryCursor>()?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(clean_many, m)?)?;
    m.add_function(wrap_pyfunction!(columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
