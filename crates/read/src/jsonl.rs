//! JSON Lines: one report per line with `id`, `url`, `title`, `text` or `html`, `published`,
//! `source`; unknown fields are kept in `extra_json`. A bad line is a diagnostic naming
//! `path:line`; the other lines are still read.

use serde_json::{Map, Value};
use storyline_model::{Diagnostic, ReportId};

use crate::{MAX_REPORT_BYTES, RawBody, RawReport, ReadOutcome};

pub(crate) fn read_jsonl(bytes: &[u8], origin: &str, stem: &str, out: &mut ReadOutcome) {
    let Some(text) = crate::decode_container(bytes, origin, out) else {
        return;
    };
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let at = format!("{origin}:{line_no}");
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, stem, line_no, &at) {
            Ok(r) => out.reports.push(r),
            Err(message) => out.diagnostics.push(Diagnostic { input: at, message }),
        }
    }
}

fn take_string(obj: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s).filter(|s| !s.trim().is_empty())),
        // Numeric ids are common in exports (`"id": 1234`); a number is never a body or a title.
        Some(Value::Number(n)) if key == "id" => Ok(Some(n.to_string())),
        Some(other) => Err(format!(
            "field `{key}` should be a string, found {}",
            kind(&other)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_line(line: &str, stem: &str, line_no: usize, at: &str) -> Result<RawReport, String> {
    // serde's message ends "at line 1 column N": the line is this JSON Lines line, already named
    // in the diagnostic's `path:line`, so only the column is said.
    let value: Value = serde_json::from_str(line).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(&*message, |i| &message[..i]);
        format!("malformed JSON at column {}: {message}", e.column())
    })?;
    let Value::Object(mut obj) = value else {
        return Err(format!(
            "expected a JSON object per line, found {}",
            kind(&value)
        ));
    };
    let blank_body = ["text", "html"].into_iter().find(|k| {
        obj.get(*k)
            .and_then(Value::as_str)
            .is_some_and(|v| v.trim().is_empty())
    });
    let id = take_string(&mut obj, "id")?;
    let url = take_string(&mut obj, "url")?;
    let title = take_string(&mut obj, "title")?;
    let published = take_string(&mut obj, "published")?;
    let source = take_string(&mut obj, "source")?;
    let text = take_string(&mut obj, "text")?;
    let html = take_string(&mut obj, "html")?;
    for (field, body) in [("text", &text), ("html", &html)] {
        if let Some(b) = body
            && b.len() as u64 > MAX_REPORT_BYTES
        {
            return Err(format!(
                "field `{field}` too large for one report: {} MiB (the limit is {} MiB)",
                b.len() >> 20,
                MAX_REPORT_BYTES >> 20
            ));
        }
    }
    let body = match (text, html) {
        (Some(t), _) => RawBody::Text(t),
        (None, Some(h)) => RawBody::Html(h),
        (None, None) => {
            return Err(match blank_body {
                Some(field) => format!("field `{field}` is empty: a report needs a body"),
                None => "no `text` or `html` field: a report needs a body".into(),
            });
        }
    };
    let id = id.unwrap_or_else(|| format!("{stem}-{line_no}"));
    Ok(RawReport {
        id: ReportId(id),
        url,
        title,
        source,
        published,
        byline: None,
        body,
        origin: at.to_string(),
        extra_json: (!obj.is_empty()).then(|| Value::Object(obj).to_string()),
        read_notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> ReadOutcome {
        let mut out = ReadOutcome::default();
        read_jsonl(s.as_bytes(), "feed.jsonl", "feed", &mut out);
        out
    }

    #[test]
    fn reads_fields_and_keeps_unknown_ones() {
        let out = read(
            r#"{"id":"a1","url":"https://x.test/a","title":"T","text":"Body.","published":"2025-05-07","source":"Reuters","lang":"en"}"#,
        );
        assert!(out.diagnostics.is_empty());
        let r = &out.reports[0];
        assert_eq!(r.id.0, "a1");
        assert_eq!(r.source.as_deref(), Some("Reuters"));
        assert_eq!(r.extra_json.as_deref(), Some(r#"{"lang":"en"}"#));
        assert_eq!(r.origin, "feed.jsonl:1");
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_is_read() {
        let out = read(
            "{\"id\":\"a\",\"text\":\"ok\"}\n{not json\n[1]\n{\"id\":\"b\"}\n\n{\"html\":\"<p>x</p>\"}\n",
        );
        assert_eq!(out.reports.len(), 2);
        assert_eq!(out.reports[1].id.0, "feed-6");
        let at: Vec<_> = out.diagnostics.iter().map(|d| d.input.as_str()).collect();
        assert_eq!(at, vec!["feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:4"]);
        assert!(out.diagnostics[0].message.starts_with("malformed JSON"));
        assert!(out.diagnostics[2].message.contains("needs a body"));
        let out = read(r#"{"id":"t","title":"Flash","text":"  "}"#);
        assert_eq!(
            out.diagnostics[0].message,
            "field `text` is empty: a report needs a body"
        );
    }
}
