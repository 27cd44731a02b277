//! Loaders for the bench corpora in `../shared/data/corpora`: Reuters-21578 (SGML, one
//! `<REUTERS>` element per wire item) and BBC News (`<topic>/NNN.txt`, first line the title).

use std::path::Path;

use anyhow::{Context, Result};
use storyline_model::{Report, ReportId};

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&#3;", "")
}

/// `26-FEB-1987 15:01:01.79` → `1987-02-26T15:01:01Z`.
fn reuters_date(s: &str) -> Option<String> {
    let s = s.trim();
    let (date, time) = s.split_once(' ')?;
    let mut parts = date.split('-');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let month = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ]
    .iter()
    .position(|x| x.eq_ignore_ascii_case(m))?
        + 1;
    let hms = time.split('.').next()?;
    Some(format!(
        "{y}-{month:02}-{:02}T{hms}Z",
        d.parse::<u32>().ok()?
    ))
}

/// Reuters paragraphs are indented by spaces and hard-wrapped: one paragraph per line.
fn reuters_body(body: &str) -> String {
    let body = unescape(body);
    let body = body.trim_end().trim_end_matches("Reuter").trim_end();
    body.split("\n ")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn reuters(dir: &Path) -> Result<Vec<Report>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: Reuters-21578 not found", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sgm"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f)?;
        let text = storyline_read::decode_text(&bytes, false)
            .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        for item in text.split("<REUTERS").skip(1) {
            let Some(body) = between(item, "<BODY>", "</BODY>") else {
                continue;
            };
            let id = between(item, "NEWID=\"", "\"").unwrap_or("0");
            out.push(Report {
                id: ReportId(format!("reuters-{id}")),
                url: None,
                title: between(item, "<TITLE>", "</TITLE>").map(unescape),
                source: Some("Reuters".into()),
                published: between(item, "<DATE>", "</DATE>").and_then(reuters_date),
                updated: None,
                byline: None,
                language: None,
                text: reuters_body(body),
                origin: format!("{}#{id}", f.display()),
                extra_json: None,
                dropped: Vec::new(),
                headings: Vec::new(),
            });
        }
    }
    Ok(out)
}

pub fn bbc(dir: &Path) -> Result<Vec<Report>> {
    let mut out = Vec::new();
    let mut topics: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: BBC corpus not found", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    topics.sort();
    for t in topics {
        let topic = t
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&t)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f)?;
            let Ok(text) = storyline_read::decode_text(&bytes, false) else {
                continue;
            };
            let (title, body) = text.split_once('\n').unwrap_or(("", &text));
            let stem = f.file_stem().unwrap_or_default().to_string_lossy();
            out.push(Report {
                id: ReportId(format!("bbc-{topic}-{stem}")),
                url: None,
                title: Some(title.trim().to_string()).filter(|t| !t.is_empty()),
                source: Some("BBC".into()),
                published: None,
                updated: None,
                byline: None,
                language: None,
                text: body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
                origin: f.display().to_string(),
                extra_json: None,
                dropped: Vec::new(),
                headings: Vec::new(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuters_dates_and_bodies() {
        assert_eq!(
            reuters_date("26-FEB-1987 15:01:01.79").as_deref(),
            Some("1987-02-26T15:01:01Z")
        );
        assert_eq!(
            reuters_body(
                "Showers continued\nthroughout the week.\n    The dry period &lt;ends&gt;.\n Reuter\n&#3;"
            ),
            "Showers continued throughout the week.\nThe dry period <ends>."
        );
    }
}

/// Block elements whose end starts a new paragraph in an L3S gold text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "tr",
    "blockquote",
    "pre",
    "article",
    "section",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
];

/// An L3S-GN1 gold page (the page's HTML with spans classed `x-nc-selN`) as a report: the
/// `sel1` (headline) text is the title, the `sel2` (full text) text is the body, paragraphs
/// split at block elements. `None` when the page has no full-text span.
pub fn l3s_gold(id: &str, html: &str) -> Option<Report> {
    use scraper::{ElementRef, Html, Node};
    let doc = Html::parse_document(html);
    let (mut title, mut body) = (String::new(), String::new());
    for edge in doc.root_element().traverse() {
        let ego_tree::iter::Edge::Open(node) = edge else {
            if let ego_tree::iter::Edge::Close(node) = edge
                && let Some(e) = ElementRef::wrap(node)
                && BLOCKS.contains(&e.value().name())
                && !body.ends_with('\n')
                && !body.is_empty()
            {
                body.push('\n');
            }
            continue;
        };
        let Node::Text(t) = node.value() else {
            continue;
        };
        let class =
            storyline_eval::extraction::l3s_class(node.ancestors().filter_map(ElementRef::wrap));
        let out = match class {
            Some(1) => &mut title,
            Some(2) => &mut body,
            _ => continue,
        };
        let text = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        out.push_str(&text);
    }
    let body: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if body.is_empty() {
        return None;
    }
    let mut r = Report::from_text(id, body.join("\n\n"));
    let title = title.trim();
    if !title.is_empty() {
        r.title = Some(title.to_string());
    }
    Some(r)
}

#[cfg(test)]
mod l3s_tests {
    use super::*;

    #[test]
    fn l3s_gold_keeps_headline_and_full_text_only() {
        let html = r#"<html><head><style>.x-nc-sel1 { color: red }</style></head><body>
            <div class="x-nc-sel0">Menu Home</div>
            <h1 class="x-nc-sel1">Floods close the  bridge</h1>
            <div class="x-nc-sel2"><p>The river rose overnight.</p><p>Police closed it at dawn.</p></div>
            <div class="x-nc-sel4">Related: another story</div>
            <div class="x-nc-sel5">Great article!</div></body></html>"#;
        let r = l3s_gold("l3s-x", html).expect("has a body");
        assert_eq!(r.title.as_deref(), Some("Floods close the bridge"));
        assert_eq!(
            r.text,
            "The river rose overnight.\n\nPolice closed it at dawn."
        );
        assert!(l3s_gold("l3s-y", "<p class=\"x-nc-sel0\">only furniture</p>").is_none());
    }
}
