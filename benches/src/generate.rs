//! The bench corpus generator: real reports (Reuters-21578, BBC News, the L3S pages' gold text)
//! expanded to any size by derived variants whose lineage is known. Each variant is a verbatim
//! copy with boilerplate added, a partial copy, a sentence-level rewrite (adjacent sentences
//! swapped, some dropped, one inserted from another report, words substituted) or a lead-only
//! summary, of the original or of an earlier variant of it. Ids record the source
//! (`g000123-rewrite-of-g000045`); the same seed gives the same corpus, byte for byte.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

use anyhow::{Context, Result};
use storyline_model::Report;

/// How a variant was made from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantKind {
    Copy,
    Partial,
    Rewrite,
    Summary,
}

impl VariantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VariantKind::Copy => "copy",
            VariantKind::Partial => "partial",
            VariantKind::Rewrite => "rewrite",
            VariantKind::Summary => "summary",
        }
    }
}

/// One generated report and, for a variant, where it came from.
pub struct Generated {
    pub report: Report,
    /// (source report id, how it was derived).
    pub source: Option<(String, VariantKind)>,
    /// Index of the base report this one descends from.
    pub base: usize,
}

/// A deterministic random stream (splitmix64): the corpus must not change with a crate version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Lines outlets wrap copied reports in; written for this generator, generic on purpose.
const BOILERPLATE: &[&str] = &[
    "Advertisement",
    "Subscribe to our newsletter for the day's top stories.",
    "Share this article: Facebook, Twitter, Email",
    "Sign up for breaking news alerts.",
    "Comments are closed for this article.",
    "All rights reserved.",
    "Follow us on social media for more updates.",
    "This article was produced by our news desk.",
];

/// Word swaps for rewrites: common newswire words and a plain alternative.
const SUBSTITUTIONS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("says", "states"),
    ("told", "informed"),
    ("announced", "unveiled"),
    ("company", "firm"),
    ("government", "administration"),
    ("increase", "rise"),
    ("decrease", "fall"),
    ("big", "large"),
    ("expected", "anticipated"),
    ("about", "around"),
    ("percent", "pct"),
    ("shares", "stock"),
    ("officials", "authorities"),
    ("began", "started"),
    ("help", "assist"),
    ("buy", "purchase"),
    ("show", "indicate"),
    ("also", "additionally"),
    ("but", "however"),
];

/// Loads the base reports: Reuters-21578 items with a body, BBC News, L3S gold pages' headline and
/// full text, in that order (each corpus sorted by file name).
pub fn bases(data: &Path) -> Result<Vec<Report>> {
    let mut out = crate::corpora::reuters(&data.join("corpora/reuters21578"))?;
    out.extend(crate::corpora::bbc(&data.join("corpora/bbc"))?);
    let gold = data.join("extraction/l3s-gn1/GoldStandard");
    let mut files: Vec<_> = std::fs::read_dir(&gold)
        .with_context(|| format!("{}: L3S gold texts not found", gold.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f)?;
        let Ok(html) = storyline_read::decode_text(&bytes, false) else {
            continue;
        };
        let stem = f.file_stem().unwrap_or_default().to_string_lossy();
        // The gold file is the page's HTML with its spans classed: the base is its headline
        // and full text (until 2026-11-24 the raw HTML was taken as text, and the 621 pages,
        // alike in their markup, ran together into one story).
        if let Some(r) = crate::corpora::l3s_gold(&format!("l3s-{stem}"), &html) {
            out.push(r);
        }
    }
    // Bases need a few sentences to derive from.
    out.retain(|r| sentences(&r.text).len() >= 3);
    Ok(out)
}

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (a, b) in storyline_text::paragraphs(text) {
        let para = &text[a..b];
        for s in storyline_text::sentences(para) {
            let t = para[s.start..s.end].trim();
            if !t.is_empty() {
                out.push(t.to_string());
            }
        }
    }
    out
}

fn substitute(sentence: &str, rng: &mut Rng, rate: f64) -> String {
    sentence
        .split(' ')
        .map(|w| {
            let core = w.trim_end_matches([',', '.', ';', ':']);
            let tail = &w[core.len()..];
            match SUBSTITUTIONS.iter().find(|(a, _)| *a == core) {
                Some((_, b)) if rng.chance(rate) => format!("{b}{tail}"),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The generator: walks the bases, emitting each as an original followed, a little later, by
/// its variants, so that stories interleave as they would in a feed.
pub struct Generator {
    bases: Vec<Report>,
    rng: Rng,
    size: usize,
    emitted: usize,
    next_base: usize,
    /// Mean variants per original, chosen so that `size` reports use the bases evenly.
    mean_variants: f64,
    /// Variants still to emit, by due position.
    pending: VecDeque<Pending>,
    /// Per base with variants pending: the reports of its family emitted so far, which later
    /// variants may derive from, and how many variants are still due.
    families: HashMap<usize, Family>,
    /// Each base's first original, by base index.
    first_use: Vec<String>,
}

#[derive(Default)]
struct Family {
    members: Vec<Member>,
    due: usize,
}

#[derive(Clone)]
struct Member {
    id: String,
    text: String,
    title: Option<String>,
}

struct Pending {
    due: usize,
    base: usize,
    kind: VariantKind,
}

/// How far after its original a variant arrives, at most (reports in between).
const MAX_DELAY: usize = 200;

/// Share of variants made from an earlier variant rather than the original (chains such as a
/// summary of a rewrite).
const CHAINED: f64 = 0.3;

impl Generator {
    pub fn new(bases: Vec<Report>, size: usize, seed: u64) -> Generator {
        let n = bases.len().max(1);
        // At least 1.5 variants per original on average, so every size has lineage to score.
        let mean_variants = (size as f64 / n as f64 - 1.0).max(1.5);
        Generator {
            bases,
            rng: Rng::new(seed),
            size,
            emitted: 0,
            next_base: 0,
            mean_variants,
            pending: VecDeque::new(),
            families: HashMap::new(),
            first_use: Vec::new(),
        }
    }

    fn published(&self) -> String {
        // One report every 30 seconds from 2020-01-01: sources always precede their variants.
        let t = self.emitted as u64 * 30;
        let (days, rem) = (t / 86_400, t % 86_400);
        let (y, m, d) = civil_from_days(18_262 + days as i64);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }

    fn finish(&mut self, id: String, text: String, title: Option<String>) -> Report {
        let mut report = Report::from_text(id, text);
        report.title = title;
        report.source = Some(format!("outlet-{:02}", self.rng.below(50)));
        report.published = Some(self.published());
        report
    }

    fn original(&mut self) -> Generated {
        let b = self.next_base % self.bases.len();
        let round = self.next_base / self.bases.len();
        self.next_base += 1;
        let base = &self.bases[b];
        let id = format!("g{:07}-orig-{}", self.emitted, base.id.0);
        // A base used again (a corpus larger than the bases allow) is an exact copy of its
        // first use, and says so.
        let first = if round == 0 {
            self.first_use.push(id.clone());
            None
        } else {
            Some((self.first_use[b].clone(), VariantKind::Copy))
        };
        let (text, title) = (base.text.clone(), base.title.clone());
        let count = self.rng.below((2.0 * self.mean_variants) as usize + 1);
        for _ in 0..count {
            let kind = match self.rng.below(100) {
                0..25 => VariantKind::Copy,
                25..50 => VariantKind::Partial,
                50..80 => VariantKind::Rewrite,
                _ => VariantKind::Summary,
            };
            let due = self.emitted + 1 + self.rng.below(MAX_DELAY);
            let at = self.pending.partition_point(|p| p.due <= due);
            self.pending.insert(at, Pending { due, base: b, kind });
        }
        if count > 0 {
            let family = self.families.entry(b).or_default();
            family.due += count;
            family.members.push(Member {
                id: id.clone(),
                text: text.clone(),
                title: title.clone(),
            });
        }
        Generated {
            report: self.finish(id, text, title),
            source: first,
            base: b,
        }
    }

    fn variant(&mut self, p: Pending) -> Generated {
        let family = self
            .families
            .get(&p.base)
            .expect("a pending variant has a family");
        let pick = if family.members.len() > 1 && self.rng.chance(CHAINED) {
            1 + self.rng.below(family.members.len() - 1)
        } else {
            0
        };
        let mut src = family.members[pick].clone();
        // Variants are made from the article, not from the lines a copy wrapped it in.
        src.text = src
            .text
            .lines()
            .filter(|l| !BOILERPLATE.contains(l))
            .collect::<Vec<_>>()
            .join("\n");
        let sents = sentences(&src.text);
        let n = sents.len();
        let (text, title) = match p.kind {
            VariantKind::Copy => {
                let mut lines = Vec::new();
                for _ in 0..1 + self.rng.below(2) {
                    lines.push(BOILERPLATE[self.rng.below(BOILERPLATE.len())].to_string());
                }
                lines.push(src.text.clone());
                for _ in 0..1 + self.rng.below(3) {
                    lines.push(BOILERPLATE[self.rng.below(BOILERPLATE.len())].to_string());
                }
                (lines.join("\n"), src.title.clone())
            }
            VariantKind::Partial => {
                // A contiguous 50–80% of the sentences, from the start or from inside.
                let keep = (n * (50 + self.rng.below(31)) / 100).max(2).min(n);
                let from = self.rng.below(n - keep + 1);
                (sents[from..from + keep].join(" "), src.title.clone())
            }
            VariantKind::Rewrite => {
                let mut out: Vec<String> = Vec::with_capacity(n + 1);
                for s in &sents {
                    if n > 3 && self.rng.chance(0.15) {
                        continue;
                    }
                    out.push(substitute(s, &mut self.rng, 0.7));
                }
                for i in 1..out.len() {
                    if self.rng.chance(0.2) {
                        out.swap(i - 1, i);
                    }
                }
                let other = &self.bases[self.rng.below(self.bases.len())];
                if let Some(extra) = sentences(&other.text).into_iter().next() {
                    let at = self.rng.below(out.len() + 1);
                    out.insert(at, extra);
                }
                let title = src
                    .title
                    .as_deref()
                    .map(|t| substitute(t, &mut self.rng, 1.0));
                (out.join(" "), title)
            }
            VariantKind::Summary => {
                let keep = (2 + self.rng.below(2)).min(n);
                (sents[..keep].join(" "), src.title.clone())
            }
        };
        let id = format!(
            "g{:07}-{}-of-{}",
            self.emitted,
            p.kind.as_str(),
            short(&src.id)
        );
        let family = self.families.get_mut(&p.base).expect("checked above");
        family.due -= 1;
        if family.due == 0 {
            self.families.remove(&p.base);
        } else {
            family.members.push(Member {
                id: id.clone(),
                text: text.clone(),
                title: title.clone(),
            });
        }
        Generated {
            report: self.finish(id, text, title),
            source: Some((src.id, p.kind)),
            base: p.base,
        }
    }
}

/// The generator's own number of a report id (`g0000123-…` → `g0000123`), to keep ids short.
fn short(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

impl Iterator for Generator {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        if self.emitted >= self.size || self.bases.is_empty() {
            return None;
        }
        let out = match self.pending.front() {
            Some(p) if p.due <= self.emitted => {
                let p = self.pending.pop_front().expect("just seen");
                self.variant(p)
            }
            _ => self.original(),
        };
        self.emitted += 1;
        Some(out)
    }
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases() -> Vec<Report> {
        (0..20)
            .map(|i| {
                Report::from_text(
                    format!("base-{i}"),
                    format!(
                        "The council of town {i} said on Monday it would raise the budget. \
                         Officials said the plan was expected to help schools. \
                         The company building the school said work began in May. \
                         Residents of town {i} told reporters they had waited for years."
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus_and_sources_come_first() {
        let a: Vec<_> = Generator::new(bases(), 300, 7).collect();
        let b: Vec<_> = Generator::new(bases(), 300, 7).collect();
        let c: Vec<_> = Generator::new(bases(), 300, 8).collect();
        assert_eq!(a.len(), 300);
        let texts = |g: &[Generated]| g.iter().map(|x| x.report.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&a), texts(&b));
        assert_ne!(texts(&a), texts(&c));
        let mut seen = std::collections::HashSet::new();
        let mut kinds = std::collections::HashSet::new();
        for g in &a {
            if let Some((src, kind)) = &g.source {
                assert!(
                    seen.contains(src),
                    "{} before its source {src}",
                    g.report.id
                );
                // A base used a second time is an original that copies its first use.
                assert!(
                    g.report.id.0.contains(kind.as_str()) || g.report.id.0.contains("-orig-"),
                    "{}",
                    g.report.id
                );
                kinds.insert(kind.as_str());
            }
            seen.insert(g.report.id.0.clone());
        }
        assert_eq!(kinds.len(), 4, "every kind of variant is made: {kinds:?}");
    }

    #[test]
    fn rewrites_substitute_words_and_summaries_keep_the_lead() {
        let all: Vec<_> = Generator::new(bases(), 400, 1).collect();
        let (mut rewrites, mut substituted) = (0, 0);
        let text_of = |id: &str| {
            all.iter()
                .find(|g| g.report.id.0 == id)
                .map(|g| g.report.text.clone())
                .unwrap()
        };
        for g in &all {
            match &g.source {
                Some((src, VariantKind::Summary)) => {
                    let first = sentences(&g.report.text)[0].clone();
                    assert!(text_of(src).contains(&first), "{}", g.report.id);
                }
                Some((src, VariantKind::Rewrite)) => {
                    rewrites += 1;
                    assert_ne!(g.report.text, text_of(src));
                    if g.report.text.contains("stated") || g.report.text.contains("started") {
                        substituted += 1;
                    }
                }
                _ => {}
            }
        }
        assert!(
            rewrites > 10 && substituted * 10 > rewrites * 9,
            "{substituted} of {rewrites}"
        );
    }
}
