//! Bytes to text: size limits, gzip, BOMs, declared charsets, sniffed encodings, and refusing
//! binary data that merely has a text file's name.

use std::io::Read;
use std::path::Path;

use thiserror::Error;

/// Largest input (after decompression) read into memory. 256 MiB holds any real news page or
/// JSON Lines shard we have seen; larger inputs are refused with a clear message rather than
/// risking the machine's memory.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Largest single report (a page, a text file, one JSON line's body). The largest page among the
/// 1,427 real news pages of `../shared/data/extraction` is 1.5 MB; 32 MiB is twenty times that.
/// Cleaning a 200 MB page took 36 s and 3.3 GB here (measured on the bad-input catalog), so
/// bigger bodies are refused before they are read.
pub const MAX_REPORT_BYTES: u64 = 32 << 20;

#[derive(Debug, Error)]
pub enum DecodeError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file: nothing to read")]
    Empty,
    #[error("too large: more than {} MiB (after decompression)", .0 >> 20)]
    TooLarge(u64),
    #[error("broken gzip data: {0} (truncated or not gzip)")]
    Gzip(std::io::Error),
    #[error("binary data, not text ({0})")]
    Binary(&'static str),
}

/// Reads a file, decompressing gzip, refusing empty and oversized inputs.
pub fn read_file_bytes(path: &Path, gzipped: bool) -> Result<Vec<u8>, DecodeError> {
    read_file_bytes_limited(path, gzipped, MAX_INPUT_BYTES)
}

/// [`read_file_bytes`] with a size limit of the caller's: more than `limit` bytes (after
/// decompression) is refused, and an uncompressed file's size is checked before it is read.
pub fn read_file_bytes_limited(
    path: &Path,
    gzipped: bool,
    limit: u64,
) -> Result<Vec<u8>, DecodeError> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    if gzipped {
        let mut dec = flate2::read::MultiGzDecoder::new(file).take(limit + 1);
        dec.read_to_end(&mut bytes).map_err(DecodeError::Gzip)?;
    } else {
        if file.metadata()?.len() > limit {
            return Err(DecodeError::TooLarge(limit));
        }
        file.take(limit + 1).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > limit {
        return Err(DecodeError::TooLarge(limit));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    Ok(bytes)
}

/// Decodes bytes to text: a BOM wins; then, for HTML, a declared `charset`; then valid UTF-8;
/// then the encoding `chardetng` guesses. Data with NUL bytes or many control characters that
/// is not UTF-16 is refused as binary.
pub fn decode_text(bytes: &[u8], html: bool) -> Result<String, DecodeError> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return finish(text.into_owned());
    }
    if looks_like_utf16(bytes) {
        let enc = if bytes.iter().step_by(2).filter(|&&b| b == 0).count() > bytes.len() / 4 {
            encoding_rs::UTF_16BE
        } else {
            encoding_rs::UTF_16LE
        };
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return finish(text.into_owned());
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    // Real text has next to no control bytes; random and compressed data (images, archives,
    // PDF streams) has 28 in 256 (10.9%). Refusing above 5% sits between the two, so a text
    // with a few stray NULs (dropped below) is still read.
    if control * 20 > sample.len() {
        return Err(DecodeError::Binary(if nul > 0 {
            "NUL bytes"
        } else {
            "control characters"
        }));
    }
    if html && let Some(enc) = declared_charset(sample) {
        // A single-byte declaration over bytes that are valid UTF-8 with multi-byte sequences
        // (a template's Latin-1 or windows-1256 meta tag over a UTF-8 database): read as the
        // declaration says, every accented letter and dash would be mojibake ("Qatarâ€™s";
        // 27 of the 613 stored L3S pages). Random Latin-1 text is almost never valid UTF-8
        // with multi-byte sequences, so the bytes are the better witness.
        if enc.is_single_byte() && is_multibyte_utf8(bytes) {
            return finish(String::from_utf8_lossy(bytes).into_owned());
        }
        let (text, _, malformed) = enc.decode(bytes);
        // Pages that declare UTF-8 but are saved in a legacy encoding are common (a template's
        // meta tag over a Latin-1 database): invalid UTF-8 means the declaration is wrong, so
        // the guess below decides instead.
        if !(malformed && enc == encoding_rs::UTF_8) {
            return finish(text.into_owned());
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return finish(s.to_string());
    }
    let (text, _, _) = guess_encoding(bytes).decode(bytes);
    finish(text.into_owned())
}

/// The legacy encoding `chardetng` guesses for bytes that are not UTF-8. It decides on the
/// non-ASCII bytes and the letters next to them, so it is fed only the lines that hold a
/// non-ASCII byte: on the 136 of CleanEval's 801 pages that reach this guess, those lines are
/// 0.5 of their 6.2 MB, and chardetng read every byte (9.2% of cleaning's instructions on 100
/// of those pages). The guess is the same as from the whole page on every page of the AEB,
/// L3S and CleanEval sets that reaches it (`guesses_as_the_whole_page_does` below checks the
/// rule on mixed pages). A line break never falls inside a character of the encodings it
/// guesses (ISO-2022-JP is refused; UTF-16 is read before).
fn guess_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    for line in bytes
        .split_inclusive(|&b| b == b'\n')
        .filter(|line| !line.is_ascii())
    {
        det.feed(line, false);
    }
    det.feed(&[], true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

/// Decodes an HTML page fetched over HTTP: the `charset` of its `Content-Type` header wins
/// (unless a BOM says otherwise), as browsers do; without one, [`decode_text`]'s rules apply.
pub fn decode_http_html(bytes: &[u8], content_type: Option<&str>) -> Result<String, DecodeError> {
    let declared = http_charset(content_type);
    match declared {
        // As in `decode_text`: a single-byte label over multi-byte UTF-8 is the wrong label.
        Some(enc) if enc.is_single_byte() && is_multibyte_utf8(bytes) => {
            finish(String::from_utf8_lossy(bytes).into_owned())
        }
        Some(enc) if encoding_rs::Encoding::for_bom(bytes).is_none() => {
            finish(enc.decode_without_bom_handling(bytes).0.into_owned())
        }
        _ => decode_text(bytes, true),
    }
}

fn finish(mut text: String) -> Result<String, DecodeError> {
    if text.contains('\0') {
        text.retain(|c| c != '\0');
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(text)
}

/// Whether the bytes are valid UTF-8 and hold at least one multi-byte sequence (so they are not
/// plain ASCII, which every single-byte encoding reads the same).
pub fn is_multibyte_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Whether an HTML page declares a single-byte charset over bytes that are UTF-8 (see
/// [`decode_text`]): the reader says so beside the report.
pub fn utf8_under_single_byte_declaration(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let enc = declared_charset(sample)?;
    (enc.is_single_byte() && is_multibyte_utf8(bytes)).then(|| enc.name())
}

/// The note a report carries when [`utf8_under_single_byte_declaration`] holds.
pub(crate) fn charset_note(bytes: &[u8]) -> Option<storyline_model::DroppedText> {
    utf8_under_single_byte_declaration(bytes).map(|declared| storyline_model::DroppedText {
        rule: "charset".into(),
        text: format!("the page declares {declared} but its bytes are UTF-8: read as UTF-8"),
    })
}

/// The encoding a `Content-Type` header's `charset` names.
fn http_charset(content_type: Option<&str>) -> Option<&'static encoding_rs::Encoding> {
    content_type
        .into_iter()
        .flat_map(|ct| ct.split(';'))
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| v.trim().trim_matches('"'))
        })
        .next()
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
}

/// [`charset_note`] for a page fetched over HTTP, whose `Content-Type` charset comes first.
pub(crate) fn http_charset_note(
    bytes: &[u8],
    content_type: Option<&str>,
) -> Option<storyline_model::DroppedText> {
    match http_charset(content_type) {
        Some(enc) if enc.is_single_byte() && is_multibyte_utf8(bytes) => {
            Some(storyline_model::DroppedText {
                rule: "charset".into(),
                text: format!(
                    "the server declares {} but the page's bytes are UTF-8: read as UTF-8",
                    enc.name()
                ),
            })
        }
        Some(_) => None,
        None => charset_note(bytes),
    }
}

/// UTF-16 without BOM: ASCII-range text puts a NUL in every other byte.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return false;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let half = sample.len() / 2;
    (even * 10 > half * 8 && odd * 10 < half) || (odd * 10 > half * 8 && even * 10 < half)
}

/// The charset an HTML page declares in its first bytes (`<meta charset>` or http-equiv).
fn declared_charset(sample: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &sample[..sample.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let pos = lower.windows(8).position(|w| w == b"charset=")?;
    let rest = &lower[pos + 8..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_as_the_whole_page_does() {
        // Pages in three legacy encodings, their non-ASCII lines between long ASCII markup:
        // fed only those lines, chardetng guesses what it guesses from every byte.
        let filler =
            "<div class=\"nav\"><a href=\"/x\">Home</a> plain ascii text</div>\n".repeat(200);
        for (encoding, text) in [
            (
                encoding_rs::WINDOWS_1252,
                "Le d\u{e9}bat sur la r\u{e9}forme a dur\u{e9} trois heures.",
            ),
            (
                encoding_rs::WINDOWS_1251,
                "\u{41f}\u{440}\u{435}\u{437}\u{438}\u{434}\u{435}\u{43d}\u{442} \u{437}\u{430}\u{44f}\u{432}\u{438}\u{43b} \u{43e} \u{43f}\u{43b}\u{430}\u{43d}\u{430}\u{445} \u{43f}\u{440}\u{430}\u{432}\u{438}\u{442}\u{435}\u{43b}\u{44c}\u{441}\u{442}\u{432}\u{430}.",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "\u{653f}\u{5e9c}\u{306f}\u{65b0}\u{3057}\u{3044}\u{8a08}\u{753b}\u{3092}\u{767a}\u{8868}\u{3057}\u{305f}\u{3002}",
            ),
        ] {
            let page = format!(
                "<html><body>\n{filler}<p>{text}</p>\n{filler}<p>{text}</p>\n</body></html>"
            );
            let (bytes, _, unmappable) = encoding.encode(&page);
            assert!(!unmappable);
            let mut whole = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            whole.feed(&bytes, true);
            let expected = whole.guess(None, chardetng::Utf8Detection::Allow);
            assert_eq!(expected, encoding, "the whole page's guess");
            assert_eq!(guess_encoding(&bytes), expected);
            assert_eq!(decode_text(&bytes, false).unwrap(), page);
        }
    }

    #[test]
    fn latin1_is_sniffed() {
        let bytes = b"Caf\xe9 au lait, na\xefve r\xe9sum\xe9 of the d\xe9bat in M\xe9xico.";
        assert_eq!(
            decode_text(bytes, false).unwrap(),
            "Café au lait, naïve résumé of the débat in México."
        );
    }

    #[test]
    fn declared_charset_wins_for_html() {
        let mut page = b"<html><head><meta charset=\"windows-1252\"></head><body>".to_vec();
        page.extend_from_slice(b"\x93quoted\x94</body></html>");
        assert!(
            decode_text(&page, true)
                .unwrap()
                .contains("\u{201c}quoted\u{201d}")
        );
    }

    #[test]
    fn latin1_declared_as_utf8_is_sniffed() {
        let page = b"<html><head><meta charset=\"utf-8\"></head><body>Caf\xe9 in Saint-\xc9tienne, na\xefve r\xe9sum\xe9.</body></html>";
        let text = decode_text(page, true).unwrap();
        assert!(text.contains("Café in Saint-Étienne"), "{text}");
    }

    #[test]
    fn utf8_under_a_single_byte_declaration_is_read_as_utf8() {
        for declared in ["iso-8859-1", "windows-1256", "windows-1252"] {
            let page = format!(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={declared}\"><title>Gulf Times \u{2013} Qatar\u{2019}s exports</title></head><body><p>Caf\u{e9} d\u{e9}bat \u{2014} Qatar\u{2019}s</p></body></html>"
            );
            let text = decode_text(page.as_bytes(), true).unwrap();
            assert!(
                text.contains("Gulf Times \u{2013} Qatar\u{2019}s"),
                "{declared}: {text}"
            );
            assert!(!text.contains('\u{e2}'), "{declared}: mojibake in {text}");
            assert!(utf8_under_single_byte_declaration(page.as_bytes()).is_some());
        }
        // Bytes that are not UTF-8 are read as declared.
        let page = b"<meta charset=\"iso-8859-1\"><p>Caf\xe9</p>";
        assert!(decode_text(page, true).unwrap().contains("Caf\u{e9}"));
        assert!(utf8_under_single_byte_declaration(page).is_none());
    }

    #[test]
    fn utf8_under_a_single_byte_http_charset_is_read_as_utf8_and_noted() {
        let page = "<p>Qatar\u{2019}s exports \u{2013} up</p>".as_bytes();
        let ct = Some("text/html; charset=ISO-8859-1");
        assert_eq!(
            decode_http_html(page, ct).unwrap(),
            "<p>Qatar\u{2019}s exports \u{2013} up</p>"
        );
        let note = http_charset_note(page, ct).unwrap();
        assert_eq!(note.rule, "charset");
        assert!(note.text.contains("windows-1252"), "{}", note.text);
        assert!(http_charset_note(b"<p>plain</p>", ct).is_none());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.html");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(MAX_REPORT_BYTES + 1).unwrap();
        assert!(matches!(
            read_file_bytes_limited(&path, false, MAX_REPORT_BYTES),
            Err(DecodeError::TooLarge(MAX_REPORT_BYTES))
        ));
    }

    #[test]
    fn the_http_charset_wins_over_sniffing() {
        let page = b"<p>\xe9t\xe9 \x93quoted\x94</p>";
        assert_eq!(
            decode_http_html(page, Some("text/html; Charset=\"windows-1252\"")).unwrap(),
            "<p>\u{e9}t\u{e9} \u{201c}quoted\u{201d}</p>"
        );
        assert!(decode_http_html(b"<p>plain</p>", None).is_ok());
    }

    #[test]
    fn utf16_without_bom() {
        let bytes: Vec<u8> = "Plain words in UTF-16"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_text(&bytes, false).unwrap(), "Plain words in UTF-16");
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(matches!(
            decode_text(&bytes, false),
            Err(DecodeError::Binary(_))
        ));
    }
}
