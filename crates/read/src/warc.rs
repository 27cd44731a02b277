//! WARC files (`.warc`, `.warc.gz` with one gzip member per record, as Common Crawl News writes
//! them), read as a stream: one record in memory at a time, so memory does not grow with the
//! file. Every `response` record whose HTTP payload is HTML is a report, with its target URI and
//! capture date; `warcinfo`, `request`, `metadata` and `revisit` records are skipped, as are
//! responses that are not 2xx (redirects, errors: no article in them). A response that is not
//! HTML is a diagnostic naming the record.
//!
//! Why not the `warc` crate: 0.4 reads gzip through `libflate`, reports a truncated file as a
//! bare parse error without the record, and leaves the HTTP message inside the record to the
//! caller anyway; this reader is one screen of code over `flate2`'s `MultiGzDecoder`, which the
//! crate already uses for `.gz` inputs.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use storyline_model::Diagnostic;

use crate::canonical::{canonical_url, page_canonical, url_report_id};
use crate::{RawBody, RawReport};

/// Largest record body kept in memory. Common Crawl truncates payloads at 1 MiB (News at
/// 1 MiB too); 32 MiB leaves room for other crawlers' captures while bounding memory. Larger
/// records are skipped (streamed past, not read) with a diagnostic.
pub const MAX_WARC_RECORD_BYTES: u64 = 32 << 20;

/// Longest header line accepted: WARC and HTTP header lines are short; a longer "line" means
/// the stream is not WARC (or is corrupt) and reading it whole would only waste memory.
const MAX_HEADER_LINE_BYTES: u64 = 64 << 10;

/// Most header lines in one WARC or HTTP header block, for the same reason.
const MAX_HEADER_LINES: usize = 512;

/// Largest decompressed HTML payload (a `Content-Encoding: gzip` capture): the same bound as a
/// record, so a compression bomb cannot blow up memory.
const MAX_PAYLOAD_BYTES: u64 = MAX_WARC_RECORD_BYTES;

/// Streams the reports of one WARC file. Yields `Ok` per HTML response record and `Err` per bad
/// record; after a fatal problem (truncated file, broken gzip, not WARC) it yields that problem
/// and ends.
pub struct WarcReports {
    input: Box<dyn BufRead + Send>,
    origin: String,
    record: u64,
    done: bool,
    /// Bytes of WARC (decompressed) consumed so far.
    pub bytes_read: u64,
    /// Only records `first..end` (numbered from 1 in file order) are read as reports; the
    /// others are passed over unparsed, and reading stops at `end`.
    range: (u64, u64),
}

/// Opens a WARC file for streaming (`gzipped` for `.warc.gz`).
pub fn open_warc(path: &Path, gzipped: bool) -> Result<WarcReports, Diagnostic> {
    let origin = path.display().to_string();
    let file = File::open(path).map_err(|e| Diagnostic {
        input: origin.clone(),
        message: format!("cannot read: {e}"),
    })?;
    if file.metadata().map(|m| m.len() == 0).unwrap_or(false) {
        return Err(Diagnostic {
            input: origin,
            message: crate::DecodeError::Empty.to_string(),
        });
    }
    let input: Box<dyn BufRead + Send> = if gzipped {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        ))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    Ok(WarcReports::new(input, origin))
}

struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum Step {
    Report(Box<RawReport>),
    Skip,
    Problem(String),
    Fatal(String),
    End,
}

impl WarcReports {
    /// Streams WARC records from any reader (already decompressed or a `MultiGzDecoder`).
    pub fn new(input: Box<dyn BufRead + Send>, origin: String) -> WarcReports {
        WarcReports {
            input,
            origin,
            record: 0,
            done: false,
            bytes_read: 0,
            range: (1, u64::MAX),
        }
    }

    /// Reads only records `first..end` (numbered from 1 in file order, every record type
    /// counted): a range of a large archive, for one job of a shared queue. Records before it
    /// are passed over without being decoded; reading stops at `end`.
    pub fn records(mut self, first: u64, end: u64) -> WarcReports {
        self.range = (first, end);
        self
    }

    /// How many records the archive holds, reading headers only; with the problem that ended
    /// the count early, if one did (a truncated or broken file).
    pub fn count_records(mut self) -> (u64, Option<Diagnostic>) {
        self.range = (u64::MAX, u64::MAX);
        let mut problem = None;
        for item in self.by_ref() {
            if let Err(d) = item {
                problem = Some(d);
            }
        }
        let ended_early = problem
            .as_ref()
            .is_some_and(|d| d.message.ends_with("the rest of the file is not read"));
        (self.record, problem.filter(|_| ended_early))
    }

    fn at(&self) -> String {
        format!("{}#record-{}", self.origin, self.record)
    }

    /// One line, without its line end; `None` at the end of the input.
    fn line(&mut self) -> Result<Option<String>, String> {
        let mut buf = Vec::new();
        let n = (&mut self.input)
            .take(MAX_HEADER_LINE_BYTES)
            .read_until(b'\n', &mut buf)
            .map_err(io_reason)?;
        self.bytes_read += n as u64;
        if n == 0 {
            return Ok(None);
        }
        if !buf.ends_with(b"\n") && n as u64 >= MAX_HEADER_LINE_BYTES {
            return Err("header line too long: not a WARC record".into());
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
    }

    fn step(&mut self) -> Step {
        // Records are separated by blank lines.
        let first = loop {
            match self.line() {
                Ok(None) => return Step::End,
                Ok(Some(l)) if l.trim().is_empty() => continue,
                Ok(Some(l)) => break l,
                Err(e) => {
                    self.record += 1;
                    return Step::Fatal(e);
                }
            }
        };
        self.record += 1;
        if !first.starts_with("WARC/") {
            return Step::Fatal(format!(
                "not a WARC record: expected a `WARC/1.x` line, found `{}`",
                first.chars().take(40).collect::<String>()
            ));
        }
        let mut header = Header { fields: Vec::new() };
        loop {
            match self.line() {
                Ok(Some(l)) if l.is_empty() => break,
                Ok(Some(l)) => {
                    if header.fields.len() >= MAX_HEADER_LINES {
                        return Step::Fatal("too many header lines: not a WARC record".into());
                    }
                    if let Some((k, v)) = l.split_once(':') {
                        header
                            .fields
                            .push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
                Ok(None) => {
                    return Step::Fatal("truncated: the file ends inside a record header".into());
                }
                Err(e) => return Step::Fatal(e),
            }
        }
        let Some(len) = header
            .get("Content-Length")
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return Step::Fatal("record has no valid Content-Length".into());
        };
        let kind = header.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let (first, end) = self.range;
        if self.record >= end {
            return Step::End;
        }
        let outside = self.record < first;
        if kind != "response" || len > MAX_WARC_RECORD_BYTES || outside {
            let skipped = std::io::copy(&mut (&mut self.input).take(len), &mut std::io::sink());
            match skipped {
                Ok(n) if n == len => {
                    self.bytes_read += n;
                    if kind == "response" && !outside {
                        return Step::Problem(format!(
                            "record larger than {} MiB; skipped",
                            MAX_WARC_RECORD_BYTES >> 20
                        ));
                    }
                    return Step::Skip;
                }
                Ok(_) => return Step::Fatal("truncated: the file ends inside a record".into()),
                Err(e) => return Step::Fatal(io_reason(e)),
            }
        }
        // Grown as bytes arrive: a lying Content-Length must not reserve memory up front.
        let mut body = Vec::with_capacity(len.min(1 << 16) as usize);
        match (&mut self.input).take(len).read_to_end(&mut body) {
            Ok(n) if n as u64 == len => self.bytes_read += len,
            Ok(_) => return Step::Fatal("truncated: the file ends inside a record".into()),
            Err(e) => return Step::Fatal(io_reason(e)),
        }
        let uri = header
            .get("WARC-Target-URI")
            .unwrap_or("")
            .trim_matches(['<', '>'])
            .to_string();
        let date = header.get("WARC-Date").map(str::to_string);
        match response_report(&body, &uri, date, self.at()) {
            Ok(Some(r)) => Step::Report(Box::new(r)),
            Ok(None) => Step::Skip,
            Err(e) => Step::Problem(e),
        }
    }
}

fn io_reason(e: std::io::Error) -> String {
    format!("broken or truncated data: {e}")
}

impl Iterator for WarcReports {
    type Item = Result<RawReport, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.step() {
                Step::Report(r) => return Some(Ok(*r)),
                Step::Skip => continue,
                Step::End => self.done = true,
                Step::Problem(message) => {
                    return Some(Err(Diagnostic {
                        input: self.at(),
                        message,
                    }));
                }
                Step::Fatal(message) => {
                    self.done = true;
                    return Some(Err(Diagnostic {
                        input: self.at(),
                        message: format!("{message}; the rest of the file is not read"),
                    }));
                }
            }
        }
        None
    }
}

/// The report in an HTTP response record: `Ok(None)` for a non-2xx status, `Err` for a payload
/// that is not HTML or cannot be decoded.
fn response_report(
    body: &[u8],
    uri: &str,
    date: Option<String>,
    at: String,
) -> Result<Option<RawReport>, String> {
    let split = body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            body.windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })
        .ok_or("HTTP response without a header end")?;
    let head = String::from_utf8_lossy(&body[..split.0]);
    let payload = &body[split.1..];
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: `{status_line}`"))?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let content_type = get("content-type").unwrap_or("").to_ascii_lowercase();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !matches!(mime, "text/html" | "application/xhtml+xml") {
        return Err(format!(
            "not HTML ({}); skipped",
            if mime.is_empty() {
                "no Content-Type"
            } else {
                mime
            }
        ));
    }
    let mut payload = payload.to_vec();
    if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        payload = dechunk(&payload).ok_or("broken chunked transfer encoding")?;
    }
    match get("content-encoding")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("gzip") | Some("x-gzip") => {
            payload = inflate(flate2::read::MultiGzDecoder::new(&payload[..]))?;
        }
        Some("deflate") => payload = inflate(flate2::read::ZlibDecoder::new(&payload[..]))?,
        _ => {}
    }
    let html = crate::decode_http_html(&payload, get("content-type")).map_err(|e| e.to_string())?;
    let read_notes = crate::decode::http_charset_note(&payload, get("content-type"))
        .into_iter()
        .collect();
    if html.trim().is_empty() {
        return Err("empty HTML payload".into());
    }
    let canonical = page_canonical(&html, Some(uri)).or_else(|| canonical_url(uri));
    let Some(canonical) = canonical else {
        return Err(format!("record has no usable target URI (`{uri}`)"));
    };
    let mut extra = serde_json::Map::new();
    extra.insert("warc_target_uri".into(), uri.into());
    if let Some(d) = &date {
        extra.insert("warc_date".into(), d.as_str().into());
    }
    Ok(Some(RawReport {
        id: url_report_id(&canonical),
        url: Some(canonical),
        title: None,
        source: None,
        // The capture date is not the publication date: the page's own date wins in cleaning;
        // the capture date is kept in `extra` as `warc_date`.
        published: None,
        byline: None,
        body: RawBody::Html(html),
        origin: at,
        extra_json: Some(serde_json::Value::Object(extra).to_string()),
        read_notes,
    }))
}

fn inflate(r: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(MAX_PAYLOAD_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("broken compressed payload: {e}"))?;
    if out.len() as u64 > MAX_PAYLOAD_BYTES {
        return Err("payload too large after decompression".into());
    }
    Ok(out)
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data.strip_prefix(b"\r\n").unwrap_or(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-05-06T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(ct: &str, body: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n\r\n{body}").into_bytes()
    }

    fn read(bytes: Vec<u8>) -> Vec<Result<RawReport, Diagnostic>> {
        WarcReports::new(Box::new(std::io::Cursor::new(bytes)), "t.warc".into()).collect()
    }

    #[test]
    fn a_range_of_records_reads_only_those_and_count_reads_headers() {
        let mut w = record("warcinfo", "", b"software: test\r\n");
        for n in 1..=4 {
            w.extend(record(
                "response",
                &format!("https://a.example/{n}"),
                &http("text/html", &format!("<p>Page {n}.</p>")),
            ));
        }
        let open = |w: &Vec<u8>| {
            WarcReports::new(Box::new(std::io::Cursor::new(w.clone())), "t.warc".into())
        };
        assert_eq!(open(&w).count_records(), (5, None));
        // Records 3 and 4 (the warcinfo record is number 1).
        let urls: Vec<String> = open(&w)
            .records(3, 5)
            .map(|r| r.unwrap().url.unwrap())
            .collect();
        assert_eq!(urls, ["https://a.example/2", "https://a.example/3"]);
        // A range past the end reads nothing; a cut file's count says where it broke.
        assert_eq!(open(&w).records(9, 12).count(), 0);
        let cut = w[..w.len() - 20].to_vec();
        let (n, problem) = open(&cut).count_records();
        assert_eq!(n, 5);
        assert!(problem.unwrap().message.contains("truncated"));
    }

    #[test]
    fn html_responses_are_reports_and_the_rest_is_skipped_or_named() {
        let mut w = record("warcinfo", "", b"software: test\r\n");
        w.extend(record(
            "request",
            "https://a.example/1",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ));
        w.extend(record(
            "response",
            "https://a.example/1?utm_source=x",
            &http("text/html; charset=utf-8", "<p>First page.</p>"),
        ));
        w.extend(record(
            "response",
            "https://a.example/logo.png",
            &http("image/png", "PNG"),
        ));
        w.extend(record(
            "response",
            "https://a.example/2",
            b"HTTP/1.1 301 Moved\r\nLocation: /3\r\n\r\n",
        ));
        w.extend(record(
            "response",
            "https://a.example/amp/1",
            &http(
                "text/html",
                r#"<link rel="canonical" href="https://a.example/1"><p>Same.</p>"#,
            ),
        ));
        let out = read(w);
        assert_eq!(out.len(), 3, "{out:#?}");
        let first = out[0].as_ref().unwrap();
        assert_eq!(first.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(first.origin, "t.warc#record-3");
        assert!(
            first
                .extra_json
                .as_ref()
                .unwrap()
                .contains("2025-05-06T10:00:00Z")
        );
        let png = out[1].as_ref().unwrap_err();
        assert_eq!(png.input, "t.warc#record-4");
        assert!(png.message.contains("not HTML (image/png)"));
        assert_eq!(
            out[2].as_ref().unwrap().id,
            first.id,
            "rel=canonical followed"
        );
    }

    #[test]
    fn a_truncated_record_is_named_after_the_good_ones() {
        let mut w = record(
            "response",
            "https://a.example/1",
            &http("text/html", "<p>One.</p>"),
        );
        let second = record(
            "response",
            "https://a.example/2",
            &http("text/html", "<p>Two.</p>"),
        );
        w.extend_from_slice(&second[..second.len() - 12]);
        let out = read(w);
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok());
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.input, "t.warc#record-2");
        assert!(e.message.contains("truncated"), "{}", e.message);
        let out = read(b"<html>not a warc</html>".to_vec());
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .message
                .contains("not a WARC record")
        );
    }

    /// Regression (found by the `read_warc` fuzz target): a record claiming a huge
    /// Content-Length made the reader reserve that much memory before reading a byte.
    #[test]
    fn a_record_claiming_a_huge_length_is_refused_not_allocated() {
        for claimed in [
            "1099511627776",
            "18446744073709551615",
            "99999999999999999999",
        ] {
            let w = format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/x\r\nContent-Length: {claimed}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>short</p>"
            );
            let out = read(w.into_bytes());
            assert_eq!(out.len(), 1, "{claimed}");
            let e = out[0].as_ref().unwrap_err();
            assert!(e.input.ends_with("#record-1"), "{}", e.input);
        }
    }

    #[test]
    fn chunked_and_gzipped_payloads_are_decoded() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>Zipped page.</p>").unwrap();
        let zipped = gz.finish().unwrap();
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        block.extend(format!("{:x}\r\n", zipped.len()).as_bytes());
        block.extend(&zipped);
        block.extend(b"\r\n0\r\n\r\n");
        let out = read(record("response", "https://a.example/z", &block));
        let r = out[0].as_ref().unwrap();
        assert!(matches!(&r.body, RawBody::Html(h) if h.contains("Zipped page")));
    }
}
