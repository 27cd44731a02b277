//! Bytes to raw reports. Finds input files (walking folders), decompresses gzip, decodes text
//! (BOMs, declared and sniffed encodings), and splits containers (JSON Lines, RSS/Atom feeds,
//! WARC files, streamed record by record) into one [`RawReport`] each. Canonical URLs give feed
//! items and WARC records their ids. No network: fetching is the caller's business (a feed
//! item's page is asked of a fetcher the caller passes). What the body means is the `clean` stage's business: this crate only says
//! whether it is plain text or HTML.
//!
//! Every problem is a [`Diagnostic`] naming the input (and line), never a panic and never an
//! abort of the batch: a caller gets every report that could be read plus the problems.

mod canonical;
mod decode;
pub mod feed;
mod jsonl;
mod opml;
mod sgml;
mod walk;
mod warc;

use std::path::Path;

use storyline_model::{Diagnostic, DroppedText, ReportId};

pub use canonical::{canonical_url, page_canonical, url_report_id};
pub use decode::{
    DecodeError, MAX_INPUT_BYTES, MAX_REPORT_BYTES, decode_http_html, decode_text, read_file_bytes,
    read_file_bytes_limited,
};
pub use opml::{FeedSubscription, parse_opml};
pub use walk::{FoundInputs, IdScheme, InputFile, InputFormat, find_inputs};
pub use warc::{MAX_WARC_RECORD_BYTES, WarcReports, open_warc};

/// A report's body as the input carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawBody {
    Text(String),
    Html(String),
}

/// A report as read, before cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawReport {
    pub id: ReportId,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    /// Author(s), when the input names them (a feed item's author).
    pub byline: Option<String>,
    pub body: RawBody,
    /// Path, or `path:line` for JSON Lines, `path#item-N` for feeds, `path#record-N` for WARC.
    pub origin: String,
    /// Input fields with no slot above, as a JSON object.
    pub extra_json: Option<String>,
    /// What reading changed or set aside, with a rule name (a page declaring one charset whose
    /// bytes are in another): cleaning lists them with the report's drops.
    pub read_notes: Vec<DroppedText>,
}

/// Everything one input file yielded.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub reports: Vec<RawReport>,
    pub diagnostics: Vec<Diagnostic>,
    /// Items read and deliberately left out, with why (a Reuters flash with a title and no
    /// body): not errors, but said, in a summary line.
    pub skipped: Vec<Diagnostic>,
}

/// Reads one input file into raw reports. A WARC file is read whole here (for `clean`); the
/// ingest streams it with [`open_warc`] instead.
pub fn read_input(file: &InputFile) -> ReadOutcome {
    let origin = file.path.display().to_string();
    let mut out = ReadOutcome::default();
    if file.format == InputFormat::Warc {
        match open_warc(&file.path, file.gzipped) {
            Ok(records) => {
                for r in records {
                    match r {
                        Ok(r) => out.reports.push(r),
                        Err(d) => out.diagnostics.push(d),
                    }
                }
            }
            Err(d) => out.diagnostics.push(d),
        }
        return out;
    }
    // A page or text file is one report: its own, smaller limit; containers hold many.
    let limit = match file.format {
        InputFormat::JsonLines | InputFormat::Feed | InputFormat::Warc | InputFormat::Sgml => {
            MAX_INPUT_BYTES
        }
        InputFormat::Text | InputFormat::Html => MAX_REPORT_BYTES,
    };
    let bytes = match read_file_bytes_limited(&file.path, file.gzipped, limit) {
        Ok(b) => b,
        Err(e) => {
            out.diagnostics.push(Diagnostic {
                input: origin,
                message: e.to_string(),
            });
            return out;
        }
    };
    match file.format {
        InputFormat::JsonLines => jsonl::read_jsonl(&bytes, &origin, &file.id, &mut out),
        InputFormat::Sgml => sgml::read_sgml(&bytes, &origin, &mut out),
        InputFormat::Feed => read_feed_file(&bytes, file, &origin, &mut out),
        InputFormat::Warc => unreachable!("WARC files are streamed above"),
        InputFormat::Text | InputFormat::Html => {
            match decode_text(&bytes, file.format == InputFormat::Html) {
                Ok(text) => {
                    let read_notes = if file.format == InputFormat::Html {
                        decode::charset_note(&bytes).into_iter().collect()
                    } else {
                        Vec::new()
                    };
                    let body = if file.format == InputFormat::Html {
                        RawBody::Html(text)
                    } else {
                        RawBody::Text(text)
                    };
                    out.reports.push(RawReport {
                        id: ReportId(file.id.clone()),
                        url: None,
                        title: None,
                        source: None,
                        published: None,
                        byline: None,
                        body,
                        origin,
                        extra_json: None,
                        read_notes,
                    });
                }
                Err(e) => out.diagnostics.push(Diagnostic {
                    input: origin,
                    message: e.to_string(),
                }),
            }
        }
    }
    out
}

/// A feed file's items; an item with only a summary reads its page when the link is a `file:`
/// URL or a path relative to the feed's folder.
fn read_feed_file(bytes: &[u8], file: &InputFile, origin: &str, out: &mut ReadOutcome) {
    let xml_ext = file
        .path
        .to_string_lossy()
        .to_lowercase()
        .trim_end_matches(".gz")
        .ends_with(".xml");
    if xml_ext && !feed::looks_like_feed(bytes) {
        out.diagnostics.push(Diagnostic {
            input: origin.to_string(),
            message: "not a feed: XML whose root is not <rss>, <feed> or <rdf:RDF>".into(),
        });
        return;
    }
    let parsed = match feed::parse_feed(bytes, origin, None) {
        Ok(p) => p,
        Err(d) => {
            out.diagnostics.push(d);
            return;
        }
    };
    out.diagnostics.extend(parsed.diagnostics);
    let dir = file
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for item in parsed.items {
        match feed::resolve_item(item, &mut |link| feed::local_page(&dir, link)) {
            Ok((report, problem)) => {
                if let Some(p) = problem {
                    out.diagnostics.push(Diagnostic {
                        input: report.origin.clone(),
                        message: format!("{p}; the item's summary is used"),
                    });
                }
                out.reports.push(report);
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
}

/// A container's bytes as text, or a diagnostic naming `origin` in `out`.
pub(crate) fn decode_container(
    bytes: &[u8],
    origin: &str,
    out: &mut ReadOutcome,
) -> Option<String> {
    match decode_text(bytes, false) {
        Ok(t) => Some(t),
        Err(e) => {
            out.diagnostics.push(Diagnostic {
                input: origin.to_string(),
                message: e.to_string(),
            });
            None
        }
    }
}

/// Reads JSON Lines already in memory (a request body): one report per line, `origin` naming
/// where it came from in diagnostics (`origin:line`); a line without `id` gets
/// `<stem>-<line number>`.
pub fn read_json_lines(bytes: &[u8], origin: &str, stem: &str) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    jsonl::read_jsonl(bytes, origin, stem, &mut out);
    out
}

/// The file name without its format extensions: `a/000_x.txt.gz` → `000_x`.
pub fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s = name.as_str();
    if let Some(x) = s.strip_suffix(".gz") {
        s = x;
    }
    match s.rfind('.') {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_format_extensions() {
        assert_eq!(
            stem(Path::new("a/000_2263e4eb673043e5.txt")),
            "000_2263e4eb673043e5"
        );
        assert_eq!(stem(Path::new("a/page.html.gz")), "page");
        assert_eq!(stem(Path::new(".hidden")), ".hidden");
    }
}
