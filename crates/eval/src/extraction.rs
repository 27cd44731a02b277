//! `eval extraction`: main-text extraction quality of the clean stage on real pages.
//!
//! - `--set aeb`: the Scrapinghub article extraction benchmark (181 pages with gold bodies).
//!   Metric as the benchmark computes it: word tokens (`\w+`), sets of 4-token shingles, per
//!   page precision and recall, macro averages, F1 from the averages. Both empty: P = R = 1;
//!   nothing shared: P = R = 0.
//! - `--set l3s`: L3S-GN1 (621 Google News pages, 2008). Gold body = the text of the `x-nc-sel1`
//!   (headline) and `x-nc-sel2` (full text) spans; also the share of related-content (`sel4`)
//!   and comment (`sel5`) shingles that leaked into the extracted body.
//!
//! Pages per second count only the cleaning call, one thread, pages already in memory.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use scraper::{ElementRef, Html, Node};
use storyline_model::ReportId;
use storyline_read::{RawBody, RawReport, decode_text};

use crate::EvalError;
use crate::passages::{self, Passages, Tally};

/// Word tokens as the benchmark's `\w+`.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Sets of 4-token shingles (a text shorter than 4 tokens is one shingle).
pub fn shingles(text: &str) -> HashSet<String> {
    let t = tokens(text);
    if t.is_empty() {
        return HashSet::new();
    }
    if t.len() < 4 {
        return [t.join(" ")].into_iter().collect();
    }
    t.windows(4).map(|w| w.join(" ")).collect()
}

/// Per-page precision and recall of predicted against gold shingles.
pub fn page_pr(pred: &HashSet<String>, gold: &HashSet<String>) -> (f64, f64) {
    if pred.is_empty() && gold.is_empty() {
        return (1.0, 1.0);
    }
    let tp = pred.intersection(gold).count();
    if tp == 0 {
        return (0.0, 0.0);
    }
    (tp as f64 / pred.len() as f64, tp as f64 / gold.len() as f64)
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// The clean stage on one HTML page: its body text.
pub fn extract(html: &str) -> String {
    clean_page(html).text
}

/// Every page's body text and the seconds the extraction took, one thread: the median of
/// `rounds` passes over all pages. The first page is cleaned once before the clock starts: the
/// cleaner's patterns and selectors are compiled on first use (3.6% of the instructions of a
/// run over the 181 AEB pages, callgrind), a cost a running ingest pays once, not per page.
/// The peer bench warms trafilatura the same way.
fn timed_extraction<'a>(
    pages: impl Iterator<Item = &'a str> + Clone,
    rounds: u32,
) -> (Vec<String>, f64) {
    if let Some(first) = pages.clone().next() {
        extract(first);
    }
    let mut times = Vec::new();
    let mut predicted = Vec::new();
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        predicted = pages.clone().map(extract).collect();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (predicted, times[times.len() / 2])
}

fn clean_page(html: &str) -> storyline_model::Report {
    let raw = RawReport {
        id: ReportId("page".into()),
        url: None,
        title: None,
        source: None,
        published: None,
        byline: None,
        body: RawBody::Html(html.to_string()),
        origin: String::new(),
        extra_json: None,
        read_notes: Vec::new(),
    };
    storyline_clean::clean_report(raw)
}

/// Writes each page's whole cleaned report to `dir/<id>.txt` (see `--dump`).
fn dump_reports<'a>(
    dir: &Path,
    pages: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), EvalError> {
    let bad = |e: std::io::Error| EvalError::Bad {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(bad)?;
    for (id, html) in pages {
        let report = clean_page(html);
        std::fs::write(dir.join(format!("{id}.txt")), format!("{report:#?}")).map_err(bad)?;
    }
    Ok(())
}

#[derive(Clone)]
struct PageScore {
    id: String,
    precision: f64,
    recall: f64,
    passages: passages::PageTally,
}

/// Which half a page belongs to: 0 = tune (choose settings on it), 1 = report (quote only). A
/// hash of the page's id, so a page stays in its half whatever else is added to the set.
pub fn half_of(id: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(id.as_bytes()) % 2) as usize
}

fn macro_pr(scores: &[&PageScore]) -> (f64, f64) {
    let n = scores.len().max(1) as f64;
    (
        scores.iter().map(|s| s.precision).sum::<f64>() / n,
        scores.iter().map(|s| s.recall).sum::<f64>() / n,
    )
}

/// The table of a set: all pages, then the tune and report halves ([`half_of`]); the worst
/// pages when asked. Writes every page's scores to `run.scores` when given.
fn summary(
    name: &str,
    scores: &[PageScore],
    seconds: f64,
    run: &Run<'_>,
) -> Result<String, EvalError> {
    let all: Vec<&PageScore> = scores.iter().collect();
    let (p, r) = macro_pr(&all);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| set | pages | precision | recall | F1 | pages/s |\n|---|---:|---:|---:|---:|---:|"
    );
    let _ = writeln!(
        s,
        "| {name} | {} | {p:.3} | {r:.3} | {:.3} | {} |",
        scores.len(),
        f1(p, r),
        if seconds.is_nan() {
            "–".to_string()
        } else {
            format!("{:.0}", scores.len() as f64 / seconds)
        }
    );
    for (half, label) in ["tune half", "report half"].iter().enumerate() {
        let part: Vec<&PageScore> = scores.iter().filter(|x| half_of(&x.id) == half).collect();
        let (p, r) = macro_pr(&part);
        let _ = writeln!(
            s,
            "| {name}, {label} | {} | {p:.3} | {r:.3} | {:.3} | – |",
            part.len(),
            f1(p, r)
        );
    }
    if run.worst > 0 {
        let mut by_f1 = all.clone();
        by_f1.sort_by(|a, b| f1(a.precision, a.recall).total_cmp(&f1(b.precision, b.recall)));
        let _ = writeln!(s, "\nworst pages:");
        for w in by_f1.iter().take(run.worst) {
            let _ = writeln!(
                s,
                "  {}  P {:.2} R {:.2}  ({})",
                w.id,
                w.precision,
                w.recall,
                if half_of(&w.id) == 0 {
                    "tune"
                } else {
                    "report"
                }
            );
        }
    }
    if let Some(path) = run.scores {
        let mut tsv = String::from(
            "page\thalf\tprecision\trecall\tf1\texpected_passages\tfound\tunexpected_passages\tleaked\n",
        );
        for x in scores {
            let t = x.passages;
            let _ = writeln!(
                tsv,
                "{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}\t{}\t{}",
                x.id,
                if half_of(&x.id) == 0 {
                    "tune"
                } else {
                    "report"
                },
                x.precision,
                x.recall,
                f1(x.precision, x.recall),
                t.expected,
                t.found,
                t.unexpected,
                t.leaked
            );
        }
        std::fs::write(path, tsv).map_err(|e| EvalError::Bad {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
    }
    Ok(s)
}

fn gunzip(path: &Path) -> Result<Vec<u8>, EvalError> {
    let file = std::fs::File::open(path).map_err(|_| EvalError::Missing {
        path: path.display().to_string(),
        what: "AEB page",
    })?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .map_err(|e| EvalError::Bad {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
    Ok(out)
}

/// How an extraction eval runs, besides its data.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// Also list the N pages with the lowest F1.
    pub worst: usize,
    /// Write each page's whole cleaned report here (`--dump`).
    pub dump: Option<&'a Path>,
    /// Timed passes over the pages; the median is reported.
    pub rounds: u32,
    /// L3S: list the tune half's pages whose title is not the `sel1` headline.
    pub headlines: bool,
    /// Write every page's half, precision, recall and F1 here, tab-separated (`--scores`).
    pub scores: Option<&'a Path>,
    /// Score the texts in this folder (`<page>.txt`) instead of cleaning the pages (`--texts`).
    pub texts: Option<&'a Path>,
}

/// Every page's text: read from `run.texts` when given (another extractor's; no time), else
/// cleaned ([`timed_extraction`]).
fn predictions<'a>(
    ids: impl Iterator<Item = &'a str>,
    pages: impl Iterator<Item = &'a str> + Clone,
    run: &Run<'_>,
) -> (Vec<String>, f64) {
    match run.texts {
        Some(dir) => (
            ids.map(|id| {
                std::fs::read(dir.join(format!("{id}.txt")))
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default()
            })
            .collect(),
            f64::NAN,
        ),
        None => timed_extraction(pages, run.rounds),
    }
}

pub fn run_aeb(data: &Path, run: &Run<'_>) -> Result<String, EvalError> {
    let dir = data.join("extraction/scrapinghub-aeb");
    let gold_path = dir.join("ground-truth.json");
    let gold_text = std::fs::read_to_string(&gold_path).map_err(|_| EvalError::Missing {
        path: gold_path.display().to_string(),
        what: "AEB ground-truth.json",
    })?;
    let gold: HashMap<String, serde_json::Value> =
        serde_json::from_str(&gold_text).map_err(|e| EvalError::Bad {
            path: gold_path.display().to_string(),
            message: e.to_string(),
        })?;
    let mut ids: Vec<&String> = gold.keys().collect();
    ids.sort();
    let mut pages = Vec::new();
    for id in &ids {
        let bytes = gunzip(&dir.join(format!("html/{id}.html.gz")))?;
        let html = decode_text(&bytes, true).unwrap_or_default();
        pages.push(html);
    }
    if let Some(dir) = run.dump {
        dump_reports(
            dir,
            ids.iter()
                .map(|s| s.as_str())
                .zip(pages.iter().map(String::as_str)),
        )?;
    }
    let (predicted, seconds) = predictions(
        ids.iter().map(|s| s.as_str()),
        pages.iter().map(String::as_str),
        run,
    );
    let mut passages = [Tally::default(); 2];
    let scores: Vec<PageScore> = ids
        .iter()
        .zip(&predicted)
        .map(|(id, pred)| {
            let g = gold[*id]
                .get("articleBody")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let tally =
                passages[half_of(id)].add(&Passages::new(g.lines(), std::iter::empty()), pred);
            let (precision, recall) = page_pr(&shingles(pred), &shingles(g));
            PageScore {
                id: (*id).clone(),
                precision,
                recall,
                passages: tally,
            }
        })
        .collect();
    Ok(format!(
        "eval extraction --set aeb ({})\n\n{}{}{}{}",
        dir.display(),
        summary("aeb", &scores, seconds, run)?,
        passages::table("aeb", &passages),
        dates_check(
            ids.iter()
                .map(|s| s.as_str())
                .zip(pages.iter().map(String::as_str))
        ),
        sites_check(ids.iter().zip(&pages).filter_map(|(id, html)| {
            let url = gold[*id].get("url").and_then(|v| v.as_str())?;
            Some((id.as_str(), html.as_str(), url))
        }))
    ))
}

/// How well a page's date is found when its metadata states none, checked on the pages whose
/// metadata does state one: with the metadata set aside, the day its URL carries, the day the
/// article's own date line states (the cleaned page's date and byline lines,
/// [`storyline_clean::dates::date_in_drops`]) and the day its markup shows
/// ([`storyline_clean::dates`]) against the stated day, by half: found, the same day, within a
/// day (a day stated in UTC is often the day before or after the one a page shows in its own
/// zone; placement's time gate counts whole days apart). The last finder is the order
/// `clean_report` reads them in.
fn dates_check<'a>(pages: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    use storyline_clean::dates;
    use storyline_stories::index::day_number;
    // [half][finder] = (found, same day, within a day); finders: URL, line, markup, all three.
    let mut counts = [[(0usize, 0usize, 0usize); 4]; 2];
    let mut stated = [0usize; 2];
    let mut undated = [0usize; 2];
    let mut shown = [0usize; 2];
    for (id, html) in pages {
        let half = half_of(id);
        let page = storyline_clean::html_to_text(html);
        let url = page
            .meta
            .canonical_url
            .as_deref()
            .and_then(dates::date_in_url);
        let markup = dates::date_in_markup(html);
        let report = clean_page(html);
        let line = dates::date_in_drops(&report.dropped, markup.as_deref());
        let all = url.clone().or(line.clone()).or(markup.clone());
        let Some(gold) = page.meta.published.as_deref().and_then(day_number) else {
            undated[half] += 1;
            shown[half] += usize::from(all.is_some());
            continue;
        };
        stated[half] += 1;
        for (k, found) in [url, line, markup, all].into_iter().enumerate() {
            if let Some(f) = found.as_deref().and_then(day_number) {
                let c = &mut counts[half][k];
                c.0 += 1;
                c.1 += usize::from(f == gold);
                c.2 += usize::from((f - gold).abs() <= 1);
            }
        }
    }
    let mut out = String::from(
        "\ndates: pages whose metadata states a day, and the day found without it (found / same \
         day / within a day)\n\n\
         | half | stated | URL | date line | markup | URL, else line, else markup | no stated day: found |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    for (h, name) in ["tune", "report"].iter().enumerate() {
        let c = counts[h].map(|(a, b, c)| format!("{a} / {b} / {c}"));
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} of {} |\n",
            stated[h], c[0], c[1], c[2], c[3], shown[h], undated[h]
        ));
    }
    out
}

/// How well a page's site is found from its links ([`storyline_clean::site::link_domain`],
/// the last `source` of a page that names its site nowhere), on the pages whose address is
/// known: by half, the pages, those given their own domain, another, none.
fn sites_check<'a>(pages: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> String {
    use storyline_clean::site::{link_domain, registered_domain};
    // [half] = (pages, own domain, another, none)
    let mut counts = [(0usize, 0usize, 0usize, 0usize); 2];
    for (id, html, url) in pages {
        let Some(host) = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(String::from))
        else {
            continue;
        };
        let c = &mut counts[half_of(id)];
        c.0 += 1;
        match link_domain(html) {
            Some(d) if d == registered_domain(&host) => c.1 += 1,
            Some(_) => c.2 += 1,
            None => c.3 += 1,
        }
    }
    let mut out = String::from(
        "\nsites: pages whose address is known, and the domain most of their links go to\n\n\
         | half | pages | own domain | another | none |\n|---|---:|---:|---:|---:|\n",
    );
    for (h, name) in ["tune", "report"].iter().enumerate() {
        let (n, own, other, none) = counts[h];
        out.push_str(&format!("| {name} | {n} | {own} | {other} | {none} |\n"));
    }
    out
}

/// Per-page precision and recall of predicted against gold word multisets (CleanEval's
/// metric): tokens lowercased, each counted as often as it occurs; empty pages as [`page_pr`].
pub fn page_pr_bag(pred: &str, gold: &str) -> (f64, f64) {
    let bag = |t: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for w in tokens(t) {
            *m.entry(w.to_lowercase()).or_default() += 1;
        }
        m
    };
    let (p, g) = (bag(pred), bag(gold));
    let (np, ng) = (p.values().sum::<usize>(), g.values().sum::<usize>());
    if np == 0 && ng == 0 {
        return (1.0, 1.0);
    }
    let tp: usize = p
        .iter()
        .map(|(w, n)| (*n).min(g.get(w).copied().unwrap_or(0)))
        .sum();
    if tp == 0 {
        return (0.0, 0.0);
    }
    (tp as f64 / np as f64, tp as f64 / ng as f64)
}

/// A CleanEval gold file's text: the `URL:` line and the `<p>`, `<h>`, `<l>` block marks gone.
fn cleaneval_gold(text: &str) -> String {
    text.lines()
        .filter(|l| {
            !l.trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with("URL:")
        })
        .map(|l| {
            l.trim_start_matches('\u{feff}')
                .replace("<p>", " ")
                .replace("<h>", " ")
                .replace("<l>", " ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `.txt` gold files of a set's gold folder (names only, unsorted).
fn gold_names(gold_dir: &Path, what: &'static str) -> Result<Vec<String>, EvalError> {
    Ok(std::fs::read_dir(gold_dir)
        .map_err(|_| EvalError::Missing {
            path: gold_dir.display().to_string(),
            what,
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect())
}

/// CleanEval (the 681 final pages with a gold file): web pages of every kind, 2007. Scored with
/// the data README's metric, on all pages and on two halves split by a hash of the page name
/// (tune on the first, report the second).
pub fn run_cleaneval(data: &Path, run: &Run<'_>) -> Result<String, EvalError> {
    let dir = data.join("extraction/cleaneval/cleaneval-final");
    let gold_dir = dir.join("GoldStandard");
    let mut names = gold_names(&gold_dir, "CleanEval GoldStandard")?;
    names.sort_by_key(|n| {
        n.trim_end_matches(".txt")
            .parse::<u64>()
            .unwrap_or(u64::MAX)
    });
    let mut pages = Vec::new();
    let mut golds = Vec::new();
    let mut gold_passages = Vec::new();
    // The page's address, from the gold's first line (`URL: …`).
    let mut urls: Vec<Option<String>> = Vec::new();
    for name in &names {
        let stem = name.trim_end_matches(".txt");
        let Ok(bytes) = std::fs::read(dir.join(format!("input/{stem}.html"))) else {
            continue;
        };
        let gold = std::fs::read(gold_dir.join(name)).unwrap_or_default();
        pages.push((
            stem.to_string(),
            decode_text(&bytes, true).unwrap_or_default(),
        ));
        let gold = String::from_utf8_lossy(&gold);
        urls.push(
            gold.lines()
                .next()
                .and_then(|l| l.trim_start_matches('\u{feff}').trim().strip_prefix("URL:"))
                .map(|u| u.trim().to_string()),
        );
        golds.push(cleaneval_gold(&gold));
        gold_passages.push(Passages::new(
            gold.lines()
                .filter(|l| {
                    !l.trim_start_matches('\u{feff}')
                        .trim_start()
                        .starts_with("URL:")
                })
                .collect::<Vec<_>>()
                .join(" ")
                .split("<p>")
                .flat_map(|p| p.split("<l>"))
                // A heading (`<h>`) is a title, not a passage of the text: cut at the next mark.
                .map(|p| p.split("<h>").next().unwrap_or(""))
                .map(str::to_string)
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
            std::iter::empty(),
        ));
    }
    if let Some(dir) = run.dump {
        dump_reports(dir, pages.iter().map(|(id, h)| (id.as_str(), h.as_str())))?;
    }
    let (predicted, seconds) = predictions(
        pages.iter().map(|(id, _)| id.as_str()),
        pages.iter().map(|(_, h)| h.as_str()),
        run,
    );
    let mut passages = [Tally::default(); 2];
    let scores: Vec<PageScore> = pages
        .iter()
        .zip(&predicted)
        .zip(&golds)
        .zip(&gold_passages)
        .map(|((((id, _), pred), gold), gold_passages)| {
            let tally = passages[half_of(id)].add(gold_passages, pred);
            let (precision, recall) = page_pr_bag(pred, gold);
            PageScore {
                id: id.clone(),
                precision,
                recall,
                passages: tally,
            }
        })
        .collect();
    Ok(format!(
        "eval extraction --set cleaneval ({})\n\n{}{}{}{}",
        dir.display(),
        summary("cleaneval", &scores, seconds, run)?,
        passages::table("cleaneval", &passages),
        dates_check(pages.iter().map(|(id, h)| (id.as_str(), h.as_str()))),
        sites_check(pages.iter().zip(&urls).filter_map(|((id, h), u)| Some((
            id.as_str(),
            h.as_str(),
            u.as_deref()?
        ))))
    ))
}

/// The L3S class (`x-nc-selN` → N) of a text node: that of its nearest classed ancestor.
pub fn l3s_class<'a>(mut ancestors: impl Iterator<Item = ElementRef<'a>>) -> Option<u8> {
    ancestors.find_map(|e| {
        e.value().classes().find_map(|c| {
            c.strip_prefix("x-nc-sel")
                .and_then(|n| n.parse::<u8>().ok())
        })
    })
}

/// Text of an L3S gold page by class: for each text node, the nearest `x-nc-selN` ancestor.
fn l3s_classes(html: &str) -> HashMap<u8, String> {
    let doc = Html::parse_document(html);
    let mut out: HashMap<u8, String> = HashMap::new();
    for node in doc.root_element().descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        if let Some(c) = l3s_class(node.ancestors().filter_map(ElementRef::wrap)) {
            let s = out.entry(c).or_default();
            s.push_str(t);
            s.push(' ');
        }
    }
    out
}

/// Elements whose text is a paragraph of its own, for [`l3s_paragraphs`].
const PARAGRAPH_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "table",
    "tr",
    "ul",
    "ol",
    "section",
    "article",
    "form",
    "body",
];

/// An L3S gold page's paragraphs (the text under one block element, in one class), split into
/// body (`sel2`) and labelled non-body (`sel0`, `sel4`, `sel5`); supplemental text
/// (`sel3`) and unlabelled text are neither.
fn l3s_paragraphs(html: &str) -> (Vec<String>, Vec<String>) {
    let doc = Html::parse_document(html);
    let (mut body, mut not_body) = (Vec::new(), Vec::new());
    let mut current: Option<(ElementRef<'_>, Option<bool>)> = None;
    let mut text = String::new();
    let mut flush = |key: Option<bool>, text: &mut String| match key {
        Some(true) => body.push(std::mem::take(text)),
        Some(false) => not_body.push(std::mem::take(text)),
        None => text.clear(),
    };
    for node in doc.root_element().descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        let ancestors = || node.ancestors().filter_map(ElementRef::wrap);
        let Some(block) = ancestors().find(|e| PARAGRAPH_TAGS.contains(&e.value().name())) else {
            continue;
        };
        let class = match l3s_class(ancestors()) {
            // The headline (`sel1`) is scored as the title, not as a passage of the body.
            Some(2) => Some(true),
            Some(0 | 4 | 5) => Some(false),
            _ => None,
        };
        let key = (block, class);
        if current != Some(key) {
            if let Some((_, c)) = current {
                flush(c, &mut text);
            }
            current = Some(key);
        }
        text.push_str(t);
        text.push(' ');
    }
    if let Some((_, c)) = current {
        flush(c, &mut text);
    }
    (body, not_body)
}

pub fn run_l3s(data: &Path, run: &Run<'_>) -> Result<String, EvalError> {
    let dir = data.join("extraction/l3s-gn1");
    let gold_dir = dir.join("GoldStandard");
    let mut names = gold_names(&gold_dir, "L3S-GN1 GoldStandard")?;
    names.sort();
    let mut pages = Vec::new();
    let mut golds = Vec::new();
    let mut gold_passages = Vec::new();
    for name in &names {
        let stem = name.trim_end_matches(".txt");
        let input = dir.join(format!("input/{stem}.html"));
        let Ok(bytes) = std::fs::read(&input) else {
            continue;
        };
        let gold_bytes = std::fs::read(gold_dir.join(name)).unwrap_or_default();
        let gold_html = decode_text(&gold_bytes, true).unwrap_or_default();
        pages.push((
            stem.to_string(),
            decode_text(&bytes, true).unwrap_or_default(),
        ));
        golds.push(l3s_classes(&gold_html));
        let (body, not_body) = l3s_paragraphs(&gold_html);
        gold_passages.push(Passages::new(
            body.iter().map(String::as_str),
            not_body.iter().map(String::as_str),
        ));
    }
    if let Some(dir) = run.dump {
        dump_reports(dir, pages.iter().map(|(id, h)| (id.as_str(), h.as_str())))?;
    }
    let (predicted, seconds) = predictions(
        pages.iter().map(|(id, _)| id.as_str()),
        pages.iter().map(|(_, h)| h.as_str()),
        run,
    );
    let mut scores = Vec::new();
    let (mut leaked, mut leak_total, mut leak_pages) = (0usize, 0usize, 0usize);
    let mut passages = [Tally::default(); 2];
    for ((((id, _), pred), gold), gold_passages) in
        pages.iter().zip(&predicted).zip(&golds).zip(&gold_passages)
    {
        let tally = passages[half_of(id)].add(gold_passages, pred);
        let body = format!(
            "{} {}",
            gold.get(&1).map(String::as_str).unwrap_or(""),
            gold.get(&2).map(String::as_str).unwrap_or("")
        );
        let pred_sh = shingles(pred);
        let (precision, recall) = page_pr(&pred_sh, &shingles(&body));
        scores.push(PageScore {
            id: id.clone(),
            precision,
            recall,
            passages: tally,
        });
        let body_sh = shingles(&body);
        let extra: HashSet<String> = [4u8, 5]
            .iter()
            .filter_map(|c| gold.get(c))
            .flat_map(|t| shingles(t))
            .filter(|s| !body_sh.contains(s))
            .collect();
        if !extra.is_empty() {
            leak_pages += 1;
            leak_total += extra.len();
            leaked += extra.iter().filter(|s| pred_sh.contains(*s)).count();
        }
    }
    let mut s = format!(
        "eval extraction --set l3s ({})\n\n{}{}",
        dir.display(),
        summary("l3s", &scores, seconds, run)?,
        passages::table("l3s", &passages)
    );
    // Headlines: the report's title against the page's `sel1` span, both normalised to their
    // lowercase word tokens; pages are split in two halves by a hash of their name, so a rule
    // chosen on one half is reported on the other.
    let mut hits = [(0usize, 0usize); 2];
    let mut misses = String::new();
    for ((id, html), gold) in pages.iter().zip(&golds) {
        let Some(headline) = gold
            .get(&1)
            .map(|h| tokens(h).join(" ").to_lowercase())
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        let half = half_of(id);
        let title = clean_page(html).title.unwrap_or_default();
        hits[half].1 += 1;
        let same = tokens(&title).join(" ").to_lowercase() == headline;
        hits[half].0 += usize::from(same);
        if run.headlines && half == 0 && !same {
            let _ = writeln!(misses, "  {id}\n    title: {title}\n    sel1:  {headline}");
        }
    }
    let _ = writeln!(
        s,
        "\nheadline = `sel1` (normalised words): tune half {} of {} ({:.1}%), report half {} of {} ({:.1}%)",
        hits[0].0,
        hits[0].1,
        100.0 * hits[0].0 as f64 / hits[0].1.max(1) as f64,
        hits[1].0,
        hits[1].1,
        100.0 * hits[1].0 as f64 / hits[1].1.max(1) as f64
    );
    if run.headlines {
        let _ = writeln!(s, "tune-half pages whose title is not `sel1`:\n{misses}");
    }
    let _ = writeln!(
        s,
        "\nrelated-content and comment text leaked into bodies: {:.1}% of their shingles ({} of {}, over {} pages that have any)",
        100.0 * leaked as f64 / leak_total.max(1) as f64,
        leaked,
        leak_total,
        leak_pages
    );
    s.push_str(&dates_check(
        pages.iter().map(|(id, h)| (id.as_str(), h.as_str())),
    ));
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaneval_scores_word_multisets_without_the_marks() {
        let gold = cleaneval_gold(
            "URL: http://x.test/\n<h> Title here\n<p> the cat and the dog\n<l> item",
        );
        assert!(!gold.contains("<p>") && !gold.contains("URL"));
        // "the" twice in the gold, three times predicted: two count.
        let (p, r) = page_pr_bag("Title here the the the cat", &gold);
        assert!((p - 5.0 / 6.0).abs() < 1e-9, "{p}");
        assert!((r - 5.0 / 8.0).abs() < 1e-9, "{r}");
        assert_eq!(page_pr_bag("", ""), (1.0, 1.0));
        assert_eq!(page_pr_bag("nothing shared", &gold), (0.0, 0.0));
    }

    #[test]
    fn shingle_metric_matches_the_benchmark_conventions() {
        let gold = shingles("one two three four five");
        assert_eq!(gold.len(), 2);
        assert_eq!(page_pr(&shingles("one two three four"), &gold), (1.0, 0.5));
        assert_eq!(page_pr(&HashSet::new(), &HashSet::new()), (1.0, 1.0));
        assert_eq!(page_pr(&HashSet::new(), &gold), (0.0, 0.0));
        assert_eq!(shingles("a b").len(), 1);
    }

    #[test]
    fn l3s_text_goes_to_its_innermost_class() {
        let html = r#"<body><div class="x-nc-sel0">Menu <span class="x-nc-sel2">Body text here</span></div><p class="x-nc-sel4">Related</p></body>"#;
        let c = l3s_classes(html);
        assert_eq!(c[&2].trim(), "Body text here");
        assert_eq!(c[&0].trim(), "Menu");
        assert_eq!(c[&4].trim(), "Related");
    }
}
