//! `storyline watch DIR`: ingests report files as they appear in a folder (and the ones already
//! there), printing where each report landed. File-system events (`notify`) wake the watcher; a
//! periodic rescan catches what events miss (network file systems, overflowed queues). A file is
//! ingested once it is complete: its size and modification time unchanged for
//! [`SETTLE`]. A file rewritten later is read again (its unchanged reports are duplicates).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;
use notify::{RecursiveMode, Watcher};
use storyline_pipeline::Engine;

/// How long a file's size and modification time must stay unchanged before it is read: writers
/// (crawlers, `cp`, `rsync`) write a file in one go, so half a second of quiet means it is
/// done, while a reader waits no longer than it must.
pub const SETTLE: Duration = Duration::from_millis(500);

/// How often the folder is rescanned without an event: a safety net for events a file system
/// does not deliver; rare enough to cost nothing on a large folder.
pub const RESCAN: Duration = Duration::from_secs(2);

/// The watcher's tick: how often it checks whether waiting files have settled.
const TICK: Duration = Duration::from_millis(100);

/// How `watch` runs.
pub struct WatchOptions {
    pub dir: PathBuf,
    /// Stop after this many files were ingested (`None`: watch until interrupted).
    pub exit_after: Option<usize>,
    pub json: bool,
}

type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

/// Runs `storyline watch`.
pub fn run(db: &Path, opts: WatchOptions) -> Result<ExitCode> {
    anyhow::ensure!(
        opts.dir.is_dir(),
        "{}: not a folder to watch",
        opts.dir.display()
    );
    let store = crate::open_store(db)?;
    let mut engine = Engine::open(store, crate::engine_config())?;
    let (tx, rx) = mpsc::channel();
    // Without file-system events (inotify limits, some network file systems) the periodic
    // rescan still finds every file, only later: a warning, not a failure.
    let watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .and_then(|mut w| w.watch(&opts.dir, RecursiveMode::Recursive).map(|()| w));
    match &watcher {
        Ok(_) => eprintln!("watching {}", opts.dir.display()),
        Err(e) => eprintln!(
            "warning: no file-system events for {} ({e}); rescanning every {} s",
            opts.dir.display(),
            RESCAN.as_secs()
        ),
    }

    let mut ingested: HashMap<PathBuf, Stamp> = HashMap::new();
    let mut waiting: HashMap<PathBuf, (Stamp, Instant)> = HashMap::new();
    let mut reported: HashSet<String> = HashSet::new();
    let mut files_done = 0usize;
    let mut failed = false;
    let mut last_scan: Option<Instant> = None;
    loop {
        let mut changed = false;
        match rx.recv_timeout(TICK) {
            Ok(_) => {
                changed = true;
                while rx.try_recv().is_ok() {}
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                if watcher.is_ok() {
                    anyhow::bail!("the folder watcher stopped");
                }
                std::thread::sleep(TICK);
            }
        }
        if changed || last_scan.is_none_or(|t| t.elapsed() >= RESCAN) || !waiting.is_empty() {
            last_scan = Some(Instant::now());
            let found = storyline_read::find_inputs(
                std::slice::from_ref(&opts.dir),
                storyline_read::IdScheme::Stem,
            );
            let (files, diags) = (found.files, found.diagnostics);
            // A watched folder with no report file yet is what `watch` waits on.
            let dir = opts.dir.display().to_string();
            for d in diags.into_iter().filter(|d| d.input != dir) {
                if reported.insert(d.to_string()) {
                    eprintln!("error: {d}");
                }
            }
            for f in files {
                let Some(now_stamp) = stamp(&f.path) else {
                    continue;
                };
                if ingested.get(&f.path) == Some(&now_stamp) {
                    continue;
                }
                match waiting.get(&f.path) {
                    Some((s, _)) if *s == now_stamp => {}
                    _ => {
                        waiting.insert(f.path.clone(), (now_stamp, Instant::now()));
                    }
                }
            }
        }
        let mut ready: Vec<PathBuf> = waiting
            .iter()
            .filter(|(_, (_, since))| since.elapsed() >= SETTLE)
            .map(|(p, _)| p.clone())
            .collect();
        if ready.is_empty() {
            continue;
        }
        ready.sort();
        if let Some(n) = opts.exit_after {
            ready.truncate(n - files_done);
        }
        for p in &ready {
            if let Some((s, _)) = waiting.remove(p) {
                ingested.insert(p.clone(), s);
            }
        }
        for p in &ready {
            let summary = engine.ingest_paths(std::slice::from_ref(p), &mut |_| {})?;
            crate::alerts::after_ingest(engine.store_mut());
            for d in &summary.diagnostics {
                eprintln!("error: {d}");
            }
            failed |= summary.failed > 0;
            for l in &summary.landings {
                crate::follow::print_landing(l, &p.display().to_string(), opts.json)?;
            }
        }
        files_done += ready.len();
        if opts.exit_after.is_some_and(|n| files_done >= n) {
            break;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
