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
