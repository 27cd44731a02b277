//! How rows encode what the model holds, shared by both backends: pair summaries and their
//! sentence links as JSON, term counts as lines, band keys as little-endian bytes, lists of
//! strings as JSON arrays. One encoding, so a store moved between backends reads the same.

use serde_json::{Value, json};
use storyline_model::DroppedText;
use storyline_stories::align::{MatchKind, SentenceMatch};
use storyline_stories::lineage::ReuseSummary;

use crate::{Result, StoreError};

/// A pair summary as stored: fields in the order `json!` wrote them before (sorted keys), so
/// rows stay byte-identical to older stores' while skipping the `Value` tree (building it was
/// 3.6% of a 60k ingest's samples, `perf`, issue "scale" note).
#[derive(serde::Serialize)]
struct SummaryRow {
    derived_sentences: usize,
    doc_containment: f64,
    matches: Vec<(usize, usize, &'static str, f64)>,
    pasted: f64,
    phrase_containment: f64,
    reuse: f64,
    source_coverage: f64,
    verbatim: f64,
    wording: f64,
    // Written only when known, so rows of summaries without it keep their old form.
    #[serde(skip_serializing_if = "Option::is_none")]
    lead_found: Option<bool>,
}

pub(crate) fn summary_json(s: &ReuseSummary, matches: &[SentenceMatch]) -> String {
    let row = SummaryRow {
        derived_sentences: s.derived_sentences,
        doc_containment: s.doc_containment,
        matches: matches
            .iter()
            .map(|m| (m.derived, m.source, m.kind.as_str(), m.score))
            .collect(),
        pasted: s.pasted,
        phrase_containment: s.phrase_containment,
        reuse: s.reuse,
        source_coverage: s.source_coverage,
        verbatim: s.verbatim,
        wording: s.wording,
        lead_found: s.lead_found,
    };
    serde_json::to_string(&row).expect("a summary of numbers and fixed strings serialises")
}

/// The numbers of a stored pair summary; its sentence links (`matches`) are skipped unread.
#[derive(serde::Deserialize)]
struct StoredSummary {
    #[serde(default)]
    reuse: f64,
    #[serde(default)]
    verbatim: f64,
    #[serde(default)]
    wording: f64,
    #[serde(default)]
    source_coverage: f64,
    #[serde(default)]
    doc_containment: f64,
    #[serde(default)]
    phrase_containment: f64,
    #[serde(default)]
    pasted: f64,
    #[serde(default)]
    derived_sentences: usize,
    #[serde(default)]
    lead_found: Option<bool>,
}

pub(crate) fn parse_summary(text: &str) -> Result<ReuseSummary> {
    let v: StoredSummary = serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("pair summary: {e}")))?;
    Ok(ReuseSummary {
        reuse: v.reuse,
        verbatim: v.verbatim,
        wording: v.wording,
        source_coverage: v.source_coverage,
        doc_containment: v.doc_containment,
        phrase_containment: v.phrase_containment,
        pasted: v.pasted,
        derived_sentences: v.derived_sentences,
        lead_found: v.lead_found,
    })
}

/// Sentence links stored with a pair, for views that show reuse.
pub fn parse_matches(text: &str) -> Vec<SentenceMatch> {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    v.get("matches")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| {
                    let kind = match m.get(2)?.as_str()? {
                        "verbatim" => MatchKind::Verbatim,
                        "near_verbatim" => MatchKind::NearVerbatim,
                        _ => MatchKind::Paraphrase,
                    };
                    Some(SentenceMatch {
                        derived: m.get(0)?.as_u64()? as usize,
                        source: m.get(1)?.as_u64()? as usize,
                        kind,
                        score: m.get(3)?.as_f64()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A `LIKE … ESCAPE '\\'` pattern that finds `query` anywhere, its `%`, `_` and `\\` literal.
pub(crate) fn like_pattern(query: &str) -> String {
    let mut pattern = String::from("%");
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(crate) fn encode_terms(terms: &[(String, u32)]) -> String {
    let mut s = String::with_capacity(terms.len() * 10);
    for (t, c) in terms {
        s.push_str(t);
        s.push('\t');
        s.push_str(&c.to_string());
        s.push('\n');
    }
    s
}

pub(crate) fn decode_terms(s: &str) -> Vec<(String, u32)> {
    s.lines()
        .filter_map(|l| {
            let (t, c) = l.split_once('\t')?;
            Some((t.to_string(), c.parse().ok()?))
        })
        .collect()
}

pub(crate) fn encode_bands(bands: &[u64]) -> Vec<u8> {
    bands.iter().flat_map(|b| b.to_le_bytes()).collect()
}

pub(crate) fn decode_bands(b: &[u8]) -> Vec<u64> {
    b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("chunks of 8")))
        .collect()
}

pub(crate) fn dropped_json(v: &[DroppedText]) -> String {
    Value::Array(
        v.iter()
            .map(|d| json!({"rule": d.rule, "text": d.text}))
            .collect(),
    )
    .to_string()
}

pub(crate) fn parse_dropped(s: &str) -> Vec<DroppedText> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(s) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|d| {
            Some(DroppedText {
                rule: d.get("rule")?.as_str()?.to_string(),
                text: d.get("text")?.as_str()?.to_string(),
            })
        })
        .collect()
}

/// A lineage edge as stored: kind, reuse, verbatim and evidence (JSON).
pub(crate) type StoredEdge = (String, f64, f64, String);

/// Whether a decided edge is the one stored (bit for bit), so rewriting it can be skipped.
pub(crate) fn edge_unchanged(
    stored: Option<StoredEdge>,
    e: &storyline_model::LineageEdge,
    evidence: &str,
) -> bool {
    stored.is_some_and(|(kind, reuse, verbatim, ev)| {
        kind == e.kind.as_str()
            && reuse.to_bits() == e.reuse.to_bits()
            && verbatim.to_bits() == e.verbatim.to_bits()
            && ev == evidence
    })
}

/// Whether a decided role (with its evidence as JSON) is the one stored for the report.
pub(crate) fn role_unchanged(
    stored: Option<&(String, String)>,
    role: storyline_model::Role,
    evidence: &str,
) -> bool {
    stored.is_some_and(|(r, w)| r == role.as_str() && w == evidence)
}

pub(crate) fn strings_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_strings(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored form is the one `json!` wrote before `SummaryRow`: byte for byte, so old and
    /// new rows compare equal and nothing needs migrating.
    #[test]
    fn summary_rows_keep_the_stored_json_form() {
        let s = ReuseSummary {
            reuse: 0.1 + 0.2,
            verbatim: 1.0,
            wording: 0.0,
            source_coverage: 2.0 / 3.0,
            doc_containment: 0.875,
            phrase_containment: 0.5,
            pasted: 1e-9,
            derived_sentences: 7,
            lead_found: None,
        };
        let matches = vec![
            SentenceMatch {
                derived: 0,
                source: 3,
                kind: MatchKind::Verbatim,
                score: 1.0,
            },
            SentenceMatch {
                derived: 2,
                source: 1,
                kind: MatchKind::Paraphrase,
                score: 0.123456789,
            },
        ];
        let before = json!({
            "reuse": s.reuse,
            "verbatim": s.verbatim,
            "wording": s.wording,
            "source_coverage": s.source_coverage,
            "doc_containment": s.doc_containment,
            "phrase_containment": s.phrase_containment,
            "pasted": s.pasted,
            "derived_sentences": s.derived_sentences,
            "matches": matches.iter().map(|m| json!([m.derived, m.source, m.kind.as_str(), m.score])).collect::<Vec<_>>(),
        })
        .to_string();
        assert_eq!(summary_json(&s, &matches), before);
        assert_eq!(
            summary_json(&s, &[]),
            before.replace(
                r#"[[0,3,"verbatim",1.0],[2,1,"paraphrase",0.123456789]]"#,
                "[]"
            )
        );
        let back = parse_summary(&before).unwrap();
        assert_eq!(back.derived_sentences, 7);
        assert_eq!(parse_matches(&summary_json(&s, &matches)), matches);
    }
}
