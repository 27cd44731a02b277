//! `eval stories`: story placement and threads against the stories dev set
//! (`crates/eval/stories/events.tsv`, labelled by reading; see its `GUIDE.md`). Every report
//! of Reuters-21578, BBC and PolNeAR is read, cleaned, analysed and placed in time order, as an
//! ingest would (the corpora's other reports are the distractors); the labelled reports are
//! then scored: pairwise precision/recall/F1 of "same story" against "same event", precision on
//! the hard pairs (different events a bundle put side by side: near in time, similar words,
//! shared names), B-cubed, and the same for threads. Bundles are split in two halves by a hash
//! of their name: settings are chosen on `tune` and reported on `report`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_model::{ReportId, StoryId};
use storyline_read::{InputFile, InputFormat, read_input};
use storyline_stories::analyze;
use storyline_stories::index::{PlacementConfig, StoryIndex, ThreadConfig};

use crate::EvalError;

/// The labels: one line per report, `bundle report event thread note`.
pub const EVENTS: &str = include_str!("../stories/events.tsv");

/// Settings to try instead of the engine's defaults (dev aid for choosing them on `tune`).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub join_threshold: Option<f64>,
    pub min_join_hits: Option<usize>,
    pub thread_similarity: Option<f64>,
    pub max_gap_days: Option<i32>,
    pub near_days: Option<i32>,
    pub near_join: Option<f64>,
    pub near_hits: Option<usize>,
    pub name_min_idf: Option<f64>,
    pub max_story_days: Option<i32>,
    pub name_shared_veto: Option<bool>,
    pub name_max_similarity: Option<f64>,
}

struct Label {
    bundle: String,
    event: String,
    thread: String,
}

fn labels() -> HashMap<String, Label> {
    EVENTS
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 4).then(|| {
                (
                    f[1].to_string(),
                    Label {
                        bundle: f[0].to_string(),
                        event: f[2].to_string(),
                        thread: f[3].to_string(),
                    },
                )
            })
        })
        .collect()
}

/// Which half of the dev set a bundle is in: 0 tune, 1 report.
pub fn half(bundle: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(bundle.as_bytes()) % 2) as usize
}

fn files_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, EvalError> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|_| EvalError::Missing {
            path: dir.display().to_string(),
            what: "a corpus folder of the stories dev set",
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    Ok(v)
}

/// The raw reports of the three corpora with the dev set's ids, in the order an ingest would
/// meet them: each corpus by publication time (BBC has none: file order).
pub(crate) fn corpus(data: &Path) -> Result<Vec<storyline_read::RawReport>, EvalError> {
    let mut out = Vec::new();
    let reuters = data.join("corpora/reuters21578");
    let mut items = Vec::new();
    for path in files_in(&reuters, "sgm")? {
        let o = read_input(&InputFile::new(path, InputFormat::Sgml, false));
        items.extend(o.reports.into_iter().map(|mut r| {
            r.id = ReportId(format!("reuters/{}", r.id.0));
            r
        }));
    }
    items.sort_by(|a, b| a.published.cmp(&b.published));
    out.extend(items);
    let bbc = data.join("corpora/bbc");
    for section in ["business", "entertainment", "politics", "sport", "tech"] {
        for path in files_in(&bbc.join(section), "txt")? {
            let stem = storyline_read::stem(&path);
            let mut f = InputFile::new(path, InputFormat::Text, false);
            f.id = format!("bbc/{section}/{stem}");
            out.extend(read_input(&f).reports);
        }
    }
    let polnear = data.join("quotes/polnear");
    let meta = crate::read_text(&polnear.join("metadata.tsv"), "PolNeAR metadata.tsv")?;
    // Publication date and author: what the article's page states (PolNeAR's texts are
    // bodies alone).
    let meta: HashMap<&str, (&str, &str)> = meta
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() > 6).then(|| (f[1], (f[5], f[6])))
        })
        .collect();
    let mut items = Vec::new();
    for part in ["train", "dev"] {
        for path in files_in(&polnear.join(part).join("text"), "txt")? {
            let stem = storyline_read::stem(&path);
            let mut f = InputFile::new(path, InputFormat::Text, false);
            f.id = format!("polnear/{stem}");
            items.extend(read_input(&f).reports.into_iter().map(|mut r| {
                let (date, author) = meta.get(stem.as_str()).copied().unwrap_or_default();
                r.published = (date.len() == 10).then(|| format!("{date}T12:00:00Z"));
                r.byline = (!author.is_empty() && author != "None").then(|| author.to_string());
                r
            }));
        }
    }
    items.sort_by(|a, b| a.published.cmp(&b.published).then(a.id.0.cmp(&b.id.0)));
    out.extend(items);
    Ok(out)
}

/// Where each report landed: its story and its story's thread.
pub struct Assignment {
    pub story: HashMap<ReportId, StoryId>,
    pub thread: HashMap<StoryId, StoryId>,
    pub titles: HashMap<ReportId, String>,
    /// Placement order and the placement's evidence (why it joined or opened its story, and
    /// why its closest other story was refused), for `--verbose`.
    pub placed: HashMap<ReportId, (usize, Vec<String>)>,
}

/// Places every report of the corpora as an ingest would.
pub fn assign(data: &Path, o: &Overrides) -> Result<Assignment, EvalError> {
    let raws = corpus(data)?;
    let fp = FingerprintConfig::default();
    let hasher = MinHasher::new(fp.permutations);
    let analysed: Vec<_> = raws
        .into_par_iter()
        .map(|raw| {
            let report = storyline_clean::clean_report(raw);
            let title = report.title.clone().unwrap_or_default();
            (analyze(&report, &fp, &hasher), title)
        })
        .collect();
    let mut cfg = PlacementConfig::default();
    if let Some(j) = o.join_threshold {
        cfg.join_threshold = j;
    }
    if let Some(h) = o.min_join_hits {
        cfg.min_join_hits = h;
    }
    if let Some(x) = o.max_gap_days {
        cfg.max_gap_days = x;
    }
    if let Some(x) = o.near_days {
        cfg.near_days = x;
    }
    if let Some(x) = o.near_join {
        cfg.near_join_threshold = x;
    }
    if let Some(x) = o.near_hits {
        cfg.near_min_join_hits = x;
    }
    if let Some(x) = o.name_min_idf {
        cfg.name_min_idf = x;
    }
    if let Some(x) = o.max_story_days {
        cfg.max_story_days = x;
    }
    if let Some(x) = o.name_shared_veto {
        cfg.name_shared_veto = x;
    }
    if let Some(x) = o.name_max_similarity {
        cfg.name_max_similarity = x;
    }

    let mut tcfg = ThreadConfig::default();
    if let Some(t) = o.thread_similarity {
        tcfg.min_similarity = t;
    }
    let mut index = StoryIndex::new(cfg);
    let mut a = Assignment {
        story: HashMap::new(),
        thread: HashMap::new(),
        titles: HashMap::new(),
        placed: HashMap::new(),
    };
    let mut thread_size: HashMap<StoryId, usize> = HashMap::new();
    for (r, title) in analysed {
        // The engine refuses bodies under three words (`MIN_BODY_WORDS`).
        if r.content_tokens == 0 {
            continue;
        }
        let p = index.place(&r);
        if p.new_story {
            let thread = tcfg
                .develops(&p)
                .and_then(|other| a.thread.get(&other).copied())
                .filter(|t| thread_size.get(t).copied().unwrap_or(1) < tcfg.max_stories)
                .unwrap_or(p.story);
            *thread_size.entry(thread).or_insert(0) += 1;
            a.thread.insert(p.story, thread);
        }
        a.titles.insert(r.id.clone(), title);
        let order = a.placed.len();
        a.placed.insert(r.id.clone(), (order, p.evidence.clone()));
        a.story.insert(r.id, p.story);
    }
    Ok(a)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    hard: usize,
    hard_fp: usize,
}

fn prf(c: &Counts) -> (f64, f64, f64) {
    let p = if c.tp + c.fp == 0 {
        1.0
    } else {
        c.tp as f64 / (c.tp + c.fp) as f64
    };
    let r = if c.tp + c.fn_ == 0 {
        1.0
    } else {
        c.tp as f64 / (c.tp + c.fn_) as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// B-cubed precision and recall of `pred` against `gold` over the same items.
fn bcubed(items: &[(String, u64)]) -> (f64, f64) {
    let (mut p, mut r) = (0.0, 0.0);
    for (g, s) in items {
        let same_pred = items.iter().filter(|(_, s2)| s2 == s).count() as f64;
        let same_gold = items.iter().filter(|(g2, _)| g2 == g).count() as f64;
        let both = items.iter().filter(|(g2, s2)| g2 == g && s2 == s).count() as f64;
        p += both / same_pred;
        r += both / same_gold;
    }
    let n = items.len().max(1) as f64;
    (p / n, r / n)
}

pub fn run(data: &Path, o: &Overrides, verbose: bool) -> Result<String, EvalError> {
    let labels = labels();
    let a = assign(data, o)?;
    let mut ids: Vec<&String> = labels.keys().collect();
    ids.sort();
    let missing: Vec<&&String> = ids
        .iter()
        .filter(|id| !a.story.contains_key(&ReportId((**id).clone())))
        .collect();
    let story = |id: &str| a.story.get(&ReportId(id.to_string())).copied();
    let thread = |id: &str| story(id).map(|s| a.thread.get(&s).copied().unwrap_or(s));
    // [half][0 events, 1 threads]
    let mut counts = [[Counts::default(); 2]; 3];
    let mut wrong = Vec::new();
    for (i, x) in ids.iter().enumerate() {
        for y in &ids[i + 1..] {
            let (lx, ly) = (&labels[*x], &labels[*y]);
            let (Some(sx), Some(sy)) = (story(x), story(y)) else {
                continue;
            };
            let same_bundle = lx.bundle == ly.bundle;
            // Pairs of two halves are scored in neither half, but in the whole.
            let halves: &[usize] = match (half(&lx.bundle), half(&ly.bundle)) {
                (h, k) if h == k => &[h, 2][..],
                _ => &[2][..],
            };
            for (kind, gold, pred) in [
                (0, lx.event == ly.event && same_bundle, sx == sy),
                (
                    1,
                    lx.thread == ly.thread && same_bundle,
                    thread(x) == thread(y),
                ),
            ] {
                for &h in halves {
                    let c = &mut counts[h][kind];
                    match (gold, pred) {
                        (true, true) => c.tp += 1,
                        (false, true) => c.fp += 1,
                        (true, false) => c.fn_ += 1,
                        _ => {}
                    }
                    if same_bundle && !gold {
                        c.hard += 1;
                        c.hard_fp += pred as usize;
                    }
                }
                if kind == 0 && gold != pred && verbose {
                    let mut entry = format!(
                        "{} {}  {} {} | {} {}  [{} / {}]",
                        ["tune", "report"][half(&lx.bundle)],
                        if gold { "split" } else { "merged" },
                        x,
                        a.titles
                            .get(&ReportId((*x).clone()))
                            .map_or("", |t| t.as_str()),
                        y,
                        a.titles
                            .get(&ReportId((*y).clone()))
                            .map_or("", |t| t.as_str()),
                        lx.bundle,
                        ly.bundle
                    );
                    // Of a split pair, why the later report did not join the earlier's story.
                    if gold {
                        let later = [x, y]
                            .into_iter()
                            .filter_map(|id| a.placed.get(&ReportId((*id).clone())))
                            .max_by_key(|(order, _)| *order);
                        for line in later.map(|(_, e)| e.as_slice()).unwrap_or_default() {
                            entry.push_str(&format!("\n      {line}"));
                        }
                    }
                    wrong.push(entry);
                }
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "stories dev set: {} labelled reports in {} bundles ({} not placed), {} reports placed in all",
        ids.len(),
        ids.iter()
            .map(|i| &labels[*i].bundle)
            .collect::<HashSet<_>>()
            .len(),
        missing.len(),
        a.story.len()
    );
    let _ = writeln!(
        out,
        "\n| part | level | pairs gold | P | R | F1 | hard pairs | hard P | B-cubed P | R | F1 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (h, name) in [(0, "tune"), (1, "report"), (2, "all")] {
        for (kind, level) in [(0, "event"), (1, "thread")] {
            let c = &counts[h][kind];
            let (p, r, f) = prf(c);
            let hard_p = if c.hard == 0 {
                1.0
            } else {
                1.0 - c.hard_fp as f64 / c.hard as f64
            };
            let items: Vec<(String, u64)> = ids
                .iter()
                .filter(|id| h == 2 || half(&labels[**id].bundle) == h)
                .filter_map(|id| {
                    let l = &labels[*id];
                    let pred = if kind == 0 { story(id) } else { thread(id) }?;
                    Some((
                        if kind == 0 {
                            l.event.clone()
                        } else {
                            l.thread.clone()
                        },
                        pred.0,
                    ))
                })
                .collect();
            let (bp, br) = bcubed(&items);
            let bf = if bp + br == 0.0 {
                0.0
            } else {
                2.0 * bp * br / (bp + br)
            };
            let _ = writeln!(
                out,
                "| {name} | {level} | {} | {p:.3} | {r:.3} | {f:.3} | {} | {hard_p:.3} | {bp:.3} | {br:.3} | {bf:.3} |",
                c.tp + c.fn_,
                c.hard,
            );
        }
    }
    let _ = writeln!(
        out,
        "\nhard P: of the labelled pairs of different events side by side in a bundle, the share kept apart.\nTune on `tune`; quote `report`."
    );
    if verbose {
        wrong.sort();
        let _ = writeln!(out, "\nwrong event pairs ({}):", wrong.len());
        for w in wrong {
            let _ = writeln!(out, "  {w}");
        }
    }
    Ok(out)
}
