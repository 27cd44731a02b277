//! `eval quotes`: attributions on PolNeAR (political news, 2015–16, BRAT standoff annotations
//! of Source, Cue and Content spans tied by `E` relations).
//!
//! A gold attribution is found when a predicted one's content covers at least half of the gold
//! content's word tokens; a prediction is correct when it finds some gold attribution. The
//! speaker is right when the predicted speaker mention overlaps the gold Source span, or the
//! resolved speaker names the same person (same last name as the name in the gold Source).
//! Reported separately for direct quotes (gold Content enclosed in quotation marks, straight,
//! curly, or two apostrophes as in the New York Times' text) and for all
//! attributions. Articles annotated twice count once (first annotation file by name).
//! Predictions counted: every quote and reported claim except partial quotes (their sentence's
//! reported claim is the attribution); a quote with no speaker found counts, with a wrong
//! speaker. (Counting only attributions with a speaker would give, on dev, direct-quote
//! P/R/F1 0.799/0.739/0.767 and speaker F1 0.742: the unattributed quotes are the main loss.)

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;

use storyline_model::Attribution;

use crate::{EvalError, read_text};

#[derive(Debug, Clone, Default)]
struct Gold {
    content: (usize, usize),
    source: Option<(usize, usize)>,
    direct: bool,
}

fn span(field: &str) -> Option<(usize, usize)> {
    // "Content 12 40" or discontinuous "Content 12 20;25 40": the hull.
    let mut parts = field.split_whitespace();
    parts.next()?;
    let rest: String = parts.collect::<Vec<_>>().join(" ");
    let mut lo = usize::MAX;
    let mut hi = 0;
    for seg in rest.split(';') {
        let mut n = seg
            .split_whitespace()
            .filter_map(|x| x.parse::<usize>().ok());
        let (a, b) = (n.next()?, n.next()?);
        lo = lo.min(a);
        hi = hi.max(b);
    }
    (lo < hi).then_some((lo, hi))
}

/// BRAT offsets count characters; our spans are bytes.
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// Content in quotation marks: a double quotation mark, or two apostrophes, which some papers'
/// text (the New York Times' in PolNeAR) uses for one (`''We will win,'' Mr. Roe said.`).
fn enclosed_in_quotes(text: &str, (s, e): (usize, usize)) -> bool {
    let inner = text[s..e].trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '?' | '!')
    });
    let before: String = {
        let mut b: Vec<char> = text[..s].chars().rev().take(3).collect();
        b.reverse();
        b.into_iter().collect()
    };
    let after: String = text[e..].chars().take(4).collect();
    let starts = inner.starts_with(is_quote_mark)
        || inner.starts_with("''")
        || before.chars().rev().take(2).any(is_quote_mark)
        || before.contains("''");
    let ends = inner.ends_with(is_quote_mark)
        || inner.ends_with("''")
        || after.chars().take(3).any(is_quote_mark)
        || after.contains("''");
    starts && ends
}

fn parse_ann(ann: &str, text: &str) -> Vec<Gold> {
    let map = char_to_byte(text);
    let to_bytes = |(a, b): (usize, usize)| (map[a.min(map.len() - 1)], map[b.min(map.len() - 1)]);
    let mut spans: HashMap<&str, (String, (usize, usize))> = HashMap::new();
    let mut relations = Vec::new();
    for line in ann.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        match (cols.first(), cols.get(1)) {
            (Some(id), Some(field)) if id.starts_with('T') => {
                if let Some(sp) = span(field) {
                    let kind = field.split_whitespace().next().unwrap_or("").to_string();
                    spans.insert(id, (kind, to_bytes(sp)));
                }
            }
            (Some(id), Some(field)) if id.starts_with('E') => relations.push(*field),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for rel in relations {
        let mut g = Gold::default();
        let mut has_content = false;
        for part in rel.split_whitespace() {
            let Some((role, id)) = part.split_once(':') else {
                continue;
            };
            let Some((_, sp)) = spans.get(id) else {
                continue;
            };
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match role {
                "Content" => {
                    g.content = if has_content {
                        (g.content.0.min(sp.0), g.content.1.max(sp.1))
                    } else {
                        *sp
                    };
                    has_content = true;
                }
                "Source" => g.source = Some(*sp),
                _ => {}
            }
        }
        if has_content {
            g.direct = enclosed_in_quotes(text, g.content);
            out.push(g);
        }
    }
    out
}

/// Word token byte ranges of a span.
fn tokens(text: &str, (s, e): (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[s..e].char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((s + st, s + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((s + st, e));
    }
    out
}

fn covers(text: &str, gold: (usize, usize), pred: (usize, usize)) -> bool {
    let t = tokens(text, gold);
    if t.is_empty() {
        return false;
    }
    let inside = t
        .iter()
        .filter(|(a, b)| *a >= pred.0 && *b <= pred.1)
        .count();
    inside * 2 >= t.len()
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn last_name(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    words.last().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches("s")
            .to_lowercase()
    })
}

fn speaker_right(text: &str, g: &Gold, p: &Attribution) -> bool {
    let Some(gs) = g.source else { return false };
    if p.source.is_some_and(|ps| overlaps(ps, gs)) {
        return true;
    }
    match (
        last_name(&text[gs.0..gs.1]),
        p.speaker.as_deref().and_then(last_name),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[derive(Default)]
struct Counts {
    gold: usize,
    predicted: usize,
    found: usize,
    correct_predictions: usize,
    speaker_right: usize,
}

impl Counts {
    fn row(&self, name: &str) -> String {
        let p = ratio(self.correct_predictions, self.predicted);
        let r = ratio(self.found, self.gold);
        let sp = ratio(self.speaker_right, self.predicted);
        let sr = ratio(self.speaker_right, self.gold);
        format!(
            "| {name} | {} | {} | {p:.3} | {r:.3} | {:.3} | {sp:.3} | {sr:.3} | {:.3} |",
            self.gold,
            self.predicted,
            f1(p, r),
            f1(sp, sr)
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn score(text: &str, gold: &[Gold], pred: &[Attribution], direct_only: bool, c: &mut Counts) {
    let gold: Vec<&Gold> = gold.iter().filter(|g| !direct_only || g.direct).collect();
    // Partial quotes are part of their sentence's reported claim, which is predicted on its own.
    // Quotes with no speaker found count as predictions (their speaker is simply wrong).
    let pred: Vec<&Attribution> = pred
        .iter()
        .filter(|p| !p.partial && (!direct_only || p.direct))
        .collect();
    c.gold += gold.len();
    c.predicted += pred.len();
    for g in &gold {
        if pred.iter().any(|p| covers(text, g.content, p.content)) {
            c.found += 1;
        }
    }
    for p in &pred {
        let matched: Vec<&&Gold> = gold
            .iter()
            .filter(|g| covers(text, g.content, p.content))
            .collect();
        if !matched.is_empty() {
            c.correct_predictions += 1;
            if matched.iter().any(|g| speaker_right(text, g, p)) {
                c.speaker_right += 1;
            }
        }
    }
}

/// `--verbose`: each predicted direct quote with its verdict against the gold direct quotes
/// (`ok`, `WRONG-SPEAKER`, `INDIRECT` when it only finds an attribution whose content runs past
/// the quotation marks, `SHORT` when it overlaps a gold direct quote but covers less than half
/// of it, `NO-GOLD`), then each gold direct quote no prediction finds (`MISSED`), with the
/// text around them.
fn verbose_detail(
    detail: &mut String,
    name: &str,
    text: &str,
    gold: &[Gold],
    pred: &[Attribution],
) {
    let clip = |(a, b): (usize, usize), n: usize| -> String {
        text[a..b]
            .chars()
            .take(n)
            .collect::<String>()
            .replace('\n', " / ")
    };
    let context = |(a, b): (usize, usize)| -> String {
        let lo = text[..a].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
        let hi = text[b..]
            .char_indices()
            .nth(80)
            .map_or(text.len(), |(i, _)| b + i);
        format!("{}[[{}]]{}", &text[lo..a], &text[a..b], &text[b..hi]).replace('\n', " / ")
    };
    for p in pred.iter().filter(|p| p.direct && !p.partial) {
        let direct_gold: Vec<&Gold> = gold
            .iter()
            .filter(|g| g.direct && covers(text, g.content, p.content))
            .collect();
        let verdict = if direct_gold.iter().any(|g| speaker_right(text, g, p)) {
            "ok"
        } else if !direct_gold.is_empty() {
            "WRONG-SPEAKER"
        } else if gold.iter().any(|g| covers(text, g.content, p.content)) {
            "INDIRECT"
        } else if gold
            .iter()
            .any(|g| g.direct && overlaps(g.content, p.content))
        {
            "SHORT"
        } else {
            "NO-GOLD"
        };
        let g = direct_gold
            .first()
            .copied()
            .or_else(|| gold.iter().find(|g| overlaps(g.content, p.content)));
        let mention = p.source.map(|(a, b)| &text[a..b]).unwrap_or("-");
        let gold_src = g
            .and_then(|g| g.source)
            .map(|(a, b)| &text[a..b])
            .unwrap_or("-");
        let _ = writeln!(
            detail,
            "{verdict:<13} {name} mention {mention:?} speaker {:?} gold {gold_src:?}\n    pred: {}",
            p.speaker.as_deref().unwrap_or("-"),
            context(p.content)
        );
        if verdict != "ok"
            && verdict != "WRONG-SPEAKER"
            && let Some(g) = g
        {
            let before = (g.content.0, p.content.0.max(g.content.0));
            let after = (p.content.1.min(g.content.1), g.content.1);
            let _ = writeln!(
                detail,
                "    gold{}: {}\n    gold-before {:?} gold-after {:?}",
                if g.direct { "(direct)" } else { "" },
                clip(g.content, 300),
                clip(before, 80),
                clip(after, 80)
            );
        }
    }
    for g in gold.iter().filter(|g| g.direct) {
        if pred
            .iter()
            .any(|p| p.direct && !p.partial && covers(text, g.content, p.content))
        {
            continue;
        }
        let near: Vec<String> = pred
            .iter()
            .filter(|p| overlaps(p.content, g.content))
            .map(|p| {
                format!(
                    "{}{} {:?} by {:?}",
                    if p.direct { "direct" } else { "claim" },
                    if p.partial { "/partial" } else { "" },
                    clip(p.content, 40),
                    p.speaker.as_deref().unwrap_or("-")
                )
            })
            .collect();
        let gold_src = g.source.map(|(a, b)| &text[a..b]).unwrap_or("-");
        let _ = writeln!(
            detail,
            "MISSED        {name} gold {gold_src:?} near {near:?}\n    gold: {}",
            context(g.content)
        );
    }
}

pub fn run(data: &Path, split: &str, verbose: bool) -> Result<String, EvalError> {
    let mut detail = String::new();
    let dir = data.join("quotes/polnear").join(split);
    let ann_dir = dir.join("attributions");
    let mut by_text: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    let entries = std::fs::read_dir(&ann_dir).map_err(|_| EvalError::Missing {
        path: ann_dir.display().to_string(),
        what: "PolNeAR attributions",
    })?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".ann") else {
            continue;
        };
        let Some((text_name, _annotator)) = stem.rsplit_once('_') else {
            continue;
        };
        let slot = by_text
            .entry(text_name.to_string())
            .or_insert_with(|| e.path());
        if e.path() < *slot {
            *slot = e.path();
        }
    }
    let (mut direct, mut all) = (Counts::default(), Counts::default());
    let start = std::time::Instant::now();
    let mut articles = 0;
    for (text_name, ann_path) in &by_text {
        let text = read_text(&dir.join(format!("text/{text_name}.txt")), "PolNeAR text")?;
        // An empty annotation file is an article without attributions.
        let ann = if std::fs::metadata(ann_path)
            .map(|m| m.len() == 0)
            .unwrap_or(false)
        {
            String::new()
        } else {
            read_text(ann_path, "PolNeAR annotation")?
        };
        let gold = parse_ann(&ann, &text);
        let pred = storyline_extract::attributions(&text);
        if verbose {
            verbose_detail(&mut detail, text_name, &text, &gold, &pred);
        }
        score(&text, &gold, &pred, true, &mut direct);
        score(&text, &gold, &pred, false, &mut all);
        articles += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "eval quotes: PolNeAR {split} ({}), {articles} articles, {:.0} articles/s\n",
        dir.display(),
        articles as f64 / seconds
    );
    let _ = writeln!(
        s,
        "| attributions | gold | predicted | P | R | F1 | speaker P | speaker R | speaker F1 |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(s, "{}", direct.row("direct quotes"));
    let _ = writeln!(s, "{}", all.row("all"));
    s.push_str(&detail);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_spans_and_relations() {
        let text = "The Post reports that “it was late.” Sources said.";
        let ann = "T1\tSource 0 8\tThe Post\nT2\tCue 9 16\treports\nT3\tContent 17 36\tthat “it was late.”\nE1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n";
        let g = parse_ann(ann, text);
        assert_eq!(g.len(), 1);
        assert_eq!(
            &text[g[0].source.unwrap().0..g[0].source.unwrap().1],
            "The Post"
        );
        assert!(
            !g[0].direct,
            "a that-clause with a partial quote is not a direct quote"
        );
    }

    #[test]
    fn two_apostrophes_are_a_quotation_mark() {
        let text = "''We will win,'' Mr. Roe said.";
        assert!(enclosed_in_quotes(text, (2, 14)));
        assert!(!enclosed_in_quotes("We will win, Mr. Roe said.", (0, 11)));
    }

    #[test]
    fn half_the_tokens_is_a_match() {
        let text = "one two three four";
        assert!(covers(text, (0, 18), (0, 8)));
        assert!(!covers(text, (0, 18), (0, 3)));
    }
}
