//! Word-level diff (longest common subsequence of lowercased words), for showing how a quote
//! drifted between reports.

use storyline_text::word_tokens;

/// One step of a diff, in the words of the second text where they are kept or inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffOp {
    Same(String),
    Removed(String),
    Added(String),
}

/// How `b` differs from `a`, word by word (case and punctuation ignored).
pub fn word_diff(a: &str, b: &str) -> Vec<DiffOp> {
    let wa = word_tokens(a);
    let wb = word_tokens(b);
    let (n, m) = (wa.len(), wb.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if wa[i] == wb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && wa[i] == wb[j] {
            out.push(DiffOp::Same(wb[j].clone()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions at a tie, so a replaced word reads "[-this-] {+that+}".
            out.push(DiffOp::Removed(wa[i].clone()));
            i += 1;
        } else {
            out.push(DiffOp::Added(wb[j].clone()));
            j += 1;
        }
    }
    out
}

/// A diff as text: `[-removed-]` and `{+added+}` around changed words.
pub fn render(diff: &[DiffOp]) -> String {
    diff.iter()
        .map(|d| match d {
            DiffOp::Same(w) => w.clone(),
            DiffOp::Removed(w) => format!("[-{w}-]"),
            DiffOp::Added(w) => format!("{{+{w}+}}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_added_and_removed() {
        let d = word_diff(
            "will you do this as a favor",
            "to your countries will you do that as a favor",
        );
        assert_eq!(
            render(&d),
            "{+to+} {+your+} {+countries+} will you do [-this-] {+that+} as a favor"
        );
    }
}
