//! Paragraphs and sentences. Sentence boundaries come from `sentencex` (Wikimedia's rule-based
//! splitter, which knows abbreviations such as U.S., Gen. and initials); paragraphs are ours:
//! every non-empty line is a paragraph, since readers normalise bodies to one paragraph a line.

use storyline_model::SentenceSpan;

/// Byte spans of the non-empty lines of `text`, trimmed.
pub fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start_trim = line.len() - line.trim_start().len();
        let body = line.trim();
        if !body.is_empty() {
            let s = offset + start_trim;
            out.push((s, s + body.len()));
        }
        offset += line.len();
    }
    out
}

/// Sentences of `text`, paragraph by paragraph, as trimmed byte spans. A sentence never crosses
/// a paragraph boundary.
pub fn sentences(text: &str) -> Vec<SentenceSpan> {
    let mut out = Vec::new();
    for (p, (ps, pe)) in paragraphs(text).into_iter().enumerate() {
        let para = &text[ps..pe];
        let mut pos = 0;
        for piece in sentencex::segment("en", para) {
            // `segment` returns consecutive slices of `para`: a slice's place is its pointer's
            // offset (searching for each piece was 2% of the scale bench's analysis,
            // callgrind). Anything else is found from the last end, so that repeated
            // sentences map to their own occurrence.
            // A slice lying inside `para`'s bytes is that very text: no comparison needed.
            let offset = (piece.as_ptr() as usize).wrapping_sub(para.as_ptr() as usize);
            let inside = offset
                .checked_add(piece.len())
                .is_some_and(|end| end <= para.len());
            let start = if offset >= pos && inside {
                offset
            } else {
                let Some(rel) = para[pos..].find(piece) else {
                    continue;
                };
                pos + rel
            };
            let end = start + piece.len();
            pos = end;
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            out.push(SentenceSpan {
                start: ps + start + lead,
                end: ps + start + lead + trimmed.len(),
                paragraph: p,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "The U.S. military could fly them. Gen. Saddam Haftar met Dr. Smith in the U.N. offices on Monday. It ended.";
        assert_eq!(
            split(text),
            vec![
                "The U.S. military could fly them.",
                "Gen. Saddam Haftar met Dr. Smith in the U.N. offices on Monday.",
                "It ended."
            ]
        );
    }

    #[test]
    fn initials_do_not_end_sentences() {
        let text = "George W. Bush spoke. J. R. R. Tolkien wrote.";
        assert_eq!(
            split(text),
            vec!["George W. Bush spoke.", "J. R. R. Tolkien wrote."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        let text = "\"I don't know. You'll have to ask,\" Trump told reporters. Then he left.";
        let got = split(text);
        assert_eq!(got.last(), Some(&"Then he left."));
        assert!(got.iter().any(|s| s.contains("Trump told reporters.")));
    }

    #[test]
    fn sentences_do_not_cross_paragraphs() {
        let text = "MEXICO TO LIBYA\nFamily members feared the worst. They said so.\n\nEnd";
        assert_eq!(
            split(text),
            vec![
                "MEXICO TO LIBYA",
                "Family members feared the worst.",
                "They said so.",
                "End"
            ]
        );
        let spans = sentences(text);
        assert_eq!(
            spans.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
            vec![0, 1, 1, 2]
        );
    }

    #[test]
    fn repeated_sentences_get_their_own_spans() {
        let text = "Same words. Same words.";
        let spans = sentences(text);
        assert_eq!(spans.len(), 2);
        assert_ne!(spans[0].start, spans[1].start);
    }
}
