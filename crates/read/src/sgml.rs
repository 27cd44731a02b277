//! Reuters-21578 SGML (`.sgm`), the field's standard newswire corpus: one report per
//! `<REUTERS>` element, `NEWID` as its id, `TITLE` as its title, `BODY` (or, in `TYPE="UNPROC"`
//! items, the bare `TEXT`) as its body, `DATE` as its publication date; `DATELINE`, the topic,
//! place, people, organisation and exchange tags and `OLDID` are kept in `extra_json`.
//!
//! The files are SGML, not XML: bodies hold bare `<` (`<Pacific Eastern Corp>`, the corpus's
//! company markers) and control characters as numeric references (`&#3;`), so a small scanner
//! that knows the corpus's handful of elements reads them, not an XML parser. Items with a title
//! and no body (`TYPE="BRIEF"` flashes) are listed as skipped, not as errors.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};
use storyline_model::{Diagnostic, ReportId};

use crate::{RawBody, RawReport, ReadOutcome};

/// Tags whose `<D>` lists are kept in `extra_json` under their lowercase names.
const LIST_TAGS: [&str; 5] = ["TOPICS", "PLACES", "PEOPLE", "ORGS", "EXCHANGES"];

pub(crate) fn read_sgml(bytes: &[u8], origin: &str, out: &mut ReadOutcome) {
    let Some(text) = crate::decode_container(bytes, origin, out) else {
        return;
    };
    let mut rest = text.as_str();
    let mut n = 0usize;
    while let Some(start) = rest.find("<REUTERS") {
        n += 1;
        let at = format!("{origin}#item-{n}");
        let item = &rest[start..];
        let Some(end) = item.find("</REUTERS>") else {
            out.diagnostics.push(Diagnostic {
                input: at,
                message: "truncated: a <REUTERS> item without its </REUTERS> end tag".into(),
            });
            return;
        };
        match read_item(&item[..end], &at) {
            Ok(Some(r)) => out.reports.push(r),
            Ok(None) => out.skipped.push(Diagnostic {
                input: at,
                message: "a title with no body (a wire flash)".into(),
            }),
            Err(message) => out.diagnostics.push(Diagnostic { input: at, message }),
        }
        rest = &item[end + "</REUTERS>".len()..];
    }
    if n == 0 {
        out.diagnostics.push(Diagnostic {
            input: origin.to_string(),
            message: "no <REUTERS> item: not a Reuters-21578 SGML file".into(),
        });
    }
}

/// One `<REUTERS …>…` item (without its end tag): `Ok(None)` when it has no body.
fn read_item(item: &str, at: &str) -> Result<Option<RawReport>, String> {
    let open_end = item.find('>').ok_or("broken <REUTERS> start tag")?;
    let open = &item[..open_end];
    let id = attribute(open, "NEWID").ok_or("a <REUTERS> item without a NEWID attribute")?;
    let inner = &item[open_end + 1..];
    let title = element(inner, "TITLE")
        .map(unescape)
        .filter(|t| !t.is_empty());
    // `TYPE="UNPROC"` items carry their text straight inside <TEXT>; a flash (`TYPE="BRIEF"`)
    // has only its <TITLE> there (and a placeholder line outside any <BODY>).
    let Some(body) = element(inner, "BODY")
        .or_else(|| element(inner, "TEXT").filter(|t| !t.contains("<TITLE")))
        .map(unescape)
    else {
        return Ok(None);
    };
    // The corpus's markup is loose: a table's header row can sit between </TITLE> and
    // <DATELINE> (30 items), and a <DATELINE> can hold more than the dateline ("RIO DE JANEIRO,
    // Feb 26 - Brazil's \"Cruzado\" anti-", "Federal Express Corp - "): that text is the
    // report's, so it goes to the body, and only a real dateline is set aside (in `extra`).
    let lead = element(inner, "TEXT")
        .and_then(|t| {
            let after_title = t.find("</TITLE>").map_or(0, |i| i + "</TITLE>".len());
            let end = [t.find("<DATELINE"), t.find("<BODY")]
                .into_iter()
                .flatten()
                .min()?;
            (end >= after_title).then(|| &t[after_title..end])
        })
        .map(|t| unescape(&strip_element(t, "AUTHOR")))
        .filter(|t| !t.trim().is_empty());
    let (dateline, dateline_rest) = match element(inner, "DATELINE").map(unescape) {
        Some(d) => split_dateline(&d),
        None => (None, String::new()),
    };
    let mut text = String::new();
    if let Some(lead) = lead {
        text.push_str(lead.trim_start_matches(['\n', '\r']).trim_end());
        text.push('\n');
    }
    text.push_str(&dateline_rest);
    text.push_str(&body);
    let body = text;
    if body.trim().is_empty() {
        return Ok(None);
    }
    let mut extra = Map::new();
    if let Some(old) = attribute(open, "OLDID") {
        extra.insert("oldid".into(), old.into());
    }
    if let Some(d) = dateline {
        extra.insert("dateline".into(), d.into());
    }
    for tag in LIST_TAGS {
        let values: Vec<Value> = element(inner, tag)
            .map(|list| {
                list.split("<D>")
                    .filter_map(|d| d.split("</D>").next())
                    .map(|d| unescape(d).trim().to_string())
                    .filter(|d| !d.is_empty())
                    .map(Value::from)
                    .collect()
            })
            .unwrap_or_default();
        if !values.is_empty() {
            extra.insert(tag.to_lowercase(), Value::Array(values));
        }
    }
    Ok(Some(RawReport {
        id: ReportId(id.to_string()),
        url: None,
        title,
        source: Some("Reuters".into()),
        published: element(inner, "DATE").map(|d| wire_date(unescape(d).trim())),
        byline: element(inner, "AUTHOR").map(|a| {
            let a = unescape(a);
            let a = a.trim();
            a.strip_prefix("By ").unwrap_or(a).trim().to_string()
        }),
        body: RawBody::Text(body),
        origin: at.to_string(),
        extra_json: (!extra.is_empty()).then(|| Value::Object(extra).to_string()),
        read_notes: Vec::new(),
    }))
}

/// A wire dateline: the place, a comma, a month and a day, and a dash ("SALVADOR, Feb 26 -",
/// "PORTLAND, Ore., Feb 26 -", "MONTREAL, Feb 26-").
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([^\n]{1,80}?,\s*[A-Za-z]{3,9}\.?\s*\d{1,2}\s*-)[ \t]*\n?")
        .expect("static pattern")
});

/// A <DATELINE>'s content split into the dateline (without its dash) and whatever follows it
/// in the element, which is the start of the body. Content that is no dateline is all body.
fn split_dateline(content: &str) -> (Option<String>, String) {
    match DATELINE.captures(content) {
        Some(c) => {
            let dateline = c[1].trim_end_matches('-').trim().to_string();
            let rest = content[c.get(0).map_or(0, |m| m.end())..].trim_start_matches([' ', '\t']);
            (Some(dateline), rest.to_string())
        }
        None => (None, content.to_string()),
    }
}

/// The text with every `<TAG>…</TAG>` element removed.
fn strip_element(s: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(&open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(&close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `26-FEB-1987 15:01:01.79` → `1987-02-26T15:01:01.79Z`: the corpus's dates as RFC 3339, so
/// that they order as times (lineage compares publication dates; `7-MAR-1987` sorts after
/// `10-MAR-1987` as text). The corpus gives no zone; the items were filed in GMT. A date that
/// does not read so is kept as it is.
fn wire_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let parse = || -> Option<String> {
        let (day_part, time) = date.split_once(' ')?;
        let mut dmy = day_part.split('-');
        let day: u32 = dmy.next()?.parse().ok()?;
        let month = dmy.next()?.to_ascii_uppercase();
        let month = MONTHS.iter().position(|m| *m == month)? + 1;
        let year: u32 = dmy.next()?.parse().ok()?;
        let time = time.trim();
        let valid_time = time.len() >= 8
            && time
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        (dmy.next().is_none() && (1..=31).contains(&day) && valid_time)
            .then(|| format!("{year:04}-{month:02}-{day:02}T{time}Z"))
    };
    parse().unwrap_or_else(|| date.to_string())
}

/// The value of `NAME="…"` in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The text between `<TAG…>` and `</TAG>`, the first such element.
fn element<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let mut from = 0;
    // `<TEXT` must not match `<TEXTS`: the name ends at `>` or a space.
    let start = loop {
        let i = from + s[from..].find(&open)?;
        let after = i + open.len();
        match s[after..].chars().next() {
            Some('>') | Some(' ') => break after,
            _ => from = after,
        }
    };
    let content = start + s[start..].find('>')? + 1;
    let end = content + s[content..].find(&format!("</{tag}>"))?;
    Some(&s[content..end])
}

/// Character references and the three named entities the corpus uses; control characters
/// (the wire's `&#2;` `&#3;` framing) dropped, line breaks and tabs kept.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let semi = tail.find(';').filter(|&j| j <= 8);
        let decoded = semi.and_then(|j| {
            let name = &tail[1..j];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                _ => name
                    .strip_prefix('#')
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(char::from_u32),
            }?;
            Some((c, j + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !c.is_control() || matches!(c, '\n' | '\t'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEMS: &str = r#"<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>cocoa</D></TOPICS>
<PLACES><D>el-salvador</D><D>usa</D></PLACES>
<PEOPLE></PEOPLE>
<UNKNOWN>&#5;&#5;&#5;C T</UNKNOWN>
<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in
the Bahia cocoa zone, said &lt;Comissaria Smith>.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" OLDID="5545" NEWID="2">
<DATE>26-FEB-1987 15:02:20.00</DATE>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>STANDARD OIL &lt;SRD> TO FORM FINANCIAL UNIT
</TITLE>
</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" OLDID="5546" NEWID="3">
<DATE>26-FEB-1987 15:03:20.00</DATE>
<TEXT TYPE="UNPROC">&#2;
Wheat prices rose on Thursday, traders said.
</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" OLDID="5547" NEWID="4">
<TEXT><BODY>Cut off"#;

    #[test]
    fn reads_items_with_their_fields() {
        let mut out = ReadOutcome::default();
        read_sgml(ITEMS.as_bytes(), "reut2-000.sgm", &mut out);
        let r = &out.reports[0];
        assert_eq!(r.id.0, "1");
        assert_eq!(r.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(r.published.as_deref(), Some("1987-02-26T15:01:01.79Z"));
        assert_eq!(
            wire_date("7-MAR-1987 23:23:22.50"),
            "1987-03-07T23:23:22.50Z"
        );
        assert_eq!(wire_date("sometime in March"), "sometime in March");
        assert_eq!(r.origin, "reut2-000.sgm#item-1");
        let RawBody::Text(body) = &r.body else {
            panic!("plain text body")
        };
        assert_eq!(
            body,
            "Showers continued throughout the week in\nthe Bahia cocoa zone, said <Comissaria Smith>.\n Reuter\n"
        );
        let extra: Value = serde_json::from_str(r.extra_json.as_deref().unwrap()).unwrap();
        assert_eq!(extra["dateline"], "SALVADOR, Feb 26");
        assert_eq!(extra["topics"], serde_json::json!(["cocoa"]));
        assert_eq!(extra["places"], serde_json::json!(["el-salvador", "usa"]));
        assert!(extra.get("people").is_none());
    }

    #[test]
    fn flashes_are_skipped_unprocessed_text_is_read_and_truncation_named() {
        let mut out = ReadOutcome::default();
        read_sgml(ITEMS.as_bytes(), "reut2-000.sgm", &mut out);
        assert_eq!(out.reports.len(), 2);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].input, "reut2-000.sgm#item-2");
        assert_eq!(out.reports[1].id.0, "3");
        assert!(
            matches!(&out.reports[1].body, RawBody::Text(t) if t.trim() == "Wheat prices rose on Thursday, traders said.")
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].input, "reut2-000.sgm#item-4");
        assert!(out.diagnostics[0].message.contains("truncated"));
    }

    #[test]
    fn text_outside_body_that_is_the_report_s_stays_in_it() {
        let item = r#"<REUTERS NEWID="9"><TEXT>&#2;
<TITLE>LONDON LIFFE D.MARK CLOSE</TITLE>
 MTH     LAST   HIGH
<DATELINE> Jun      ---    ---     </DATELINE><BODY>5507
 Sep      ---    4885
&#3;</BODY></TEXT></REUTERS>
<REUTERS NEWID="10"><TEXT><TITLE>BRAZIL</TITLE><AUTHOR>    By Jane Roe, Reuters</AUTHOR>
<DATELINE>    RIO DE JANEIRO, Feb 26 - Brazil's "Cruzado" anti- </DATELINE><BODY>inflation plan is under strain.
</BODY></TEXT></REUTERS>"#;
        let mut out = ReadOutcome::default();
        read_sgml(item.as_bytes(), "x.sgm", &mut out);
        let body = |i: usize| match &out.reports[i].body {
            RawBody::Text(t) => t.clone(),
            RawBody::Html(_) => unreachable!(),
        };
        assert_eq!(
            body(0),
            " MTH     LAST   HIGH\n Jun      ---    ---     5507\n Sep      ---    4885\n"
        );
        assert!(out.reports[0].extra_json.is_none());
        assert_eq!(
            body(1),
            "Brazil's \"Cruzado\" anti- inflation plan is under strain.\n"
        );
        assert_eq!(out.reports[1].byline.as_deref(), Some("Jane Roe, Reuters"));
        let extra: Value =
            serde_json::from_str(out.reports[1].extra_json.as_deref().unwrap()).unwrap();
        assert_eq!(extra["dateline"], "RIO DE JANEIRO, Feb 26");
    }

    #[test]
    fn a_file_without_items_is_named() {
        let mut out = ReadOutcome::default();
        read_sgml(b"<html>not reuters</html>", "x.sgm", &mut out);
        assert!(out.reports.is_empty());
        assert!(out.diagnostics[0].message.contains("no <REUTERS> item"));
    }
}
