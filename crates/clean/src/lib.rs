//! Raw report → clean report: the body as paragraphs (one per line), the title when the input
//! has one. Plain text gets hard-wrapped lines joined and, when no title is given, a headline
//! line that stands alone lifted into the title; HTML gets its article text. The news layer
//! drops boilerplate (ads, teasers, comment prompts), each drop recorded with its rule.

mod blocks;
pub mod credit;
pub mod dates;
mod furniture_dom;
mod headline;
mod html;
mod metadata;
pub mod news;
mod plain;
pub mod site;

use storyline_model::{DroppedText, Report};
use storyline_read::{RawBody, RawReport};

pub use html::html_to_text;
pub use metadata::{PageMeta, page_meta};
pub use plain::{normalize_plain, repeats_title, split_headline};

/// Most words of a page title that, when the article does not use its words, is taken for a
/// publication's name ("SuperSoccer", "Slammer for Rammer"): a longer title the article does
/// not echo is still most often its headline ("Devils on cloud nine after surprising start").
const SHORT_TITLE_WORDS: usize = 3;

/// Cleans a raw report into a [`Report`]. Never fails: a page with no body text gives an empty
/// body, which the caller reports.
///
/// A title the input gives (a JSON or feed field, the page's metadata) is the title, and the
/// body keeps its first line unless that line repeats the title (then it is a `title_repeat`
/// drop). Without one, a plain text's first line is lifted into the title only when it stands
/// alone as a headline ([`split_headline`]). Nothing else of the input's text is set aside
/// without a drop naming its rule.
pub fn clean_report(raw: RawReport) -> Report {
    let (meta, body, page_drops, is_text) = match raw.body {
        RawBody::Text(t) => (PageMeta::default(), t, Vec::new(), true),
        RawBody::Html(h) => {
            let page = html_to_text(&h);
            (page.meta, page.text, page.dropped, false)
        }
    };
    // A page's title may carry the site's name and section, or be only those: the article's
    // words pick the headline out of it. A title the input gives (JSON, feed) is its headline.
    // A page's text is laid out once: the headline is found in it and the body is it.
    let page_text = (!is_text).then(|| normalize_plain(&body));
    let page_title = match (&raw.title, &meta.title, &page_text) {
        (None, Some(t), Some(text)) => {
            let found = headline::headline_with(t, text, &meta.headings);
            // A title that is the publication's own name ("Winnipeg Free Press") is no
            // headline: as under a section's name, the article's opening lines are searched.
            let url_host = raw
                .url
                .as_deref()
                .or(meta.canonical_url.as_deref())
                .and_then(outlet_host);
            let names: Vec<&str> = [
                raw.source.as_deref(),
                meta.site.as_deref(),
                url_host.as_deref(),
                meta.title_domain.as_deref(),
                meta.link_domain.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            // A publication names itself in its copyright notice too ("Copyright 2006
            // Charleston Daily Mail"), and sets its headline in a styled element when no
            // heading holds it (`headline::titled_headline`). L3S `sel1` exact: tune 207 → 211,
            // report 208 → 212 (`eval extraction --set l3s`).
            // Styled title elements that are the publication's name ("Arizona Daily Star") or
            // hold the title found ("Updated: Jan. 11, 2008 <headline>") are not its headline.
            let titled: Vec<String> = meta
                .titled
                .iter()
                .filter(|h| {
                    !h.contains(found.as_str())
                        && !headline::is_site_name(h, &names)
                        && !headline::is_copyright_holder(h, &meta.copyright_names)
                })
                .cloned()
                .collect();
            if headline::is_site_name(&found, &names)
                || headline::is_copyright_holder(&found, &meta.copyright_names)
            {
                headline::headline_under_site_name(text, &meta.headings)
                    .or_else(|| headline::titled_headline(text, &titled))
                    .or(Some(found))
            } else if headline::is_site_label(&found)
                || headline::is_date_line(&found)
                || (found.split_whitespace().count() <= SHORT_TITLE_WORDS
                    && !headline::carried_by(&found, text))
            {
                headline::titled_headline(text, &titled).or(Some(found))
            } else {
                Some(found)
            }
        }
        // No title at all: a heading the article carries.
        (None, None, Some(text)) => headline::heading_headline(text, &meta.headings)
            .or_else(|| headline::titled_headline(text, &meta.titled)),
        _ => None,
    };
    // The title the page or the input states, to tell a headline cut from it from one found
    // in the body.
    let stated_title = raw.title.clone().or_else(|| meta.title.clone());
    let mut title_drops = Vec::new();
    let (title, body) = match raw.title.or(page_title) {
        Some(t) => (Some(t), page_text.unwrap_or_else(|| normalize_plain(&body))),
        // A plain text's headline is looked for in the text as it came (its blank lines and
        // wrap widths say whether a line stands alone); a page's text is one block per line,
        // where a first line stands alone only when it is short and not a sentence.
        None => {
            let text = page_text.unwrap_or(body);
            // A page's date line before its headline ("Last updated at 8:37 AM on 18/01/08")
            // stays in the body; the line after it may be the headline. So may the line after
            // a section's name ("World News"), which is no text of the article: a drop.
            match text.split_once('\n') {
                Some((date, rest)) if !is_text && headline::is_date_line(date) => {
                    let (headline, rest) = split_headline(rest);
                    (headline, normalize_plain(&format!("{date}\n{rest}")))
                }
                Some((label, rest)) if !is_text && headline::is_site_label(label) => {
                    title_drops.push(DroppedText {
                        rule: "section_label".into(),
                        text: label.to_string(),
                    });
                    let (headline, rest) = split_headline(rest);
                    (headline, normalize_plain(&rest))
                }
                _ => {
                    let (headline, rest) = split_headline(&text);
                    (headline, normalize_plain(&rest))
                }
            }
        }
    };
    let (title, title_fixes) = match title {
        Some(t) => {
            let (fixed, n) = repair_mojibake(&t);
            (Some(fixed.into_owned()), n)
        }
        None => (None, 0),
    };
    let (body, body_fixes) = match repair_mojibake(&body) {
        (std::borrow::Cow::Owned(fixed), n) => (fixed, n),
        (std::borrow::Cow::Borrowed(_), _) => (body, 0),
    };
    if title_fixes + body_fixes > 0 {
        title_drops.push(DroppedText {
            rule: "charset".into(),
            text: format!(
                "{} runs of UTF-8 saved as windows-1252 (\"â€™\" for \"’\") read back as UTF-8",
                title_fixes + body_fixes
            ),
        });
    }
    let body = match (&title, body.split_once('\n')) {
        (Some(t), Some((first, rest))) if repeats_title(first, t) => {
            title_drops.push(DroppedText {
                rule: "title_repeat".into(),
                text: first.to_string(),
            });
            rest.to_string()
        }
        _ => body,
    };
    // An error page ("404 : Page Not Found") has no article: its notice and navigation go. The
    // notice must be (in) the page's title: a line of the body picked as the headline under a
    // site's name ("Page Removed") leaves the page as the page is.
    let body = if !is_text
        && (stated_title
            .as_deref()
            .is_some_and(headline::is_error_title)
            || title.as_deref().is_some_and(|t| {
                headline::is_error_title(t) && stated_title.as_deref().is_none_or(|s| s.contains(t))
            })) {
        title_drops.push(DroppedText {
            rule: "error_page".into(),
            text: body,
        });
        String::new()
    } else {
        body
    };
    let paragraphs: Vec<String> = body.lines().map(String::from).collect();
    let (kept, dropped) = news::apply(
        paragraphs,
        &news::NewsContext {
            source: raw.source.as_deref(),
        },
    );
    let dropped: Vec<DroppedText> = raw
        .read_notes
        .into_iter()
        .chain(page_drops)
        .chain(title_drops)
        .chain(dropped)
        .collect();
    let headings = news::headings(&kept);
    let body = kept.join("\n");
    let url = raw.url.or(meta.canonical_url);
    // The date the input states, else the page's metadata, its URL, the article's own date
    // line, the date its markup shows ([`dates`]).
    let published = raw
        .published
        .or(meta.published)
        .or_else(|| url.as_deref().and_then(dates::date_in_url))
        .or_else(|| dates::date_in_drops(&dropped, meta.shown_date.as_deref()))
        .or(meta.shown_date);
    let source = raw
        .source
        .or(meta.site)
        .or_else(|| url.as_deref().and_then(outlet_host))
        .or(meta.title_domain)
        .or(meta.link_domain);
    Report {
        id: raw.id,
        url,
        title,
        source,
        published,
        updated: meta.updated,
        byline: raw.byline.or(meta.byline),
        language: meta.language,
        text: body,
        origin: raw.origin,
        extra_json: raw.extra_json,
        dropped,
        headings,
    }
}

/// The outlet a URL names when nothing else does: its host, without `www.`.
fn outlet_host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// Repairs mojibake already in the bytes: UTF-8 that was once read as windows-1252 and saved
/// again ("John Watersâ€™ Cry-Baby", "CafÃ©"). Each run of characters that windows-1252 holds
/// in its upper half is taken back to those bytes; when the bytes are UTF-8 with multi-byte
/// sequences, the run is what they spell. Real text almost never has such a run (a capital A
/// with a circumflex or tilde followed by a symbol or another accented capital) that is also
/// valid UTF-8. Returns the text and how many runs were repaired.
pub fn repair_mojibake(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let (text, spaces) = lone_nbsp_leads(text);
    match repair_runs(&text) {
        (std::borrow::Cow::Owned(fixed), n) => (fixed.into(), n + spaces),
        (std::borrow::Cow::Borrowed(_), n) => (text, n + spaces),
    }
}

/// A no-break space saved as windows-1252 reads "Â" and a no-break space; a page's text has
/// its whitespace collapsed, so what is left is an "Â" before a space or a line break
/// ("Published:Â Thursday, November 29, 2007", ",Â CanWest News Service", a line that is "Â"
/// alone: 20 of the L3S pages, most of the canada.com family). An "Â" after a letter (a
/// word's own) is kept. Returns the text and how many were removed.
fn lone_nbsp_leads(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    if !text.contains('\u{c2}') {
        return (text.into(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{c2}'
            && chars.peek().is_none_or(|n| n.is_whitespace())
            && prev.is_none_or(|p| !p.is_alphanumeric())
        {
            removed += 1;
            // "Published:Â Thursday": the no-break space it stood for is the space after it.
            // A line that was only the space goes with its line break.
            if prev.is_none_or(|p| p == '\n') && chars.peek() == Some(&'\n') {
                chars.next();
            }
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    if removed == 0 {
        (text.into(), 0)
    } else {
        (out.into(), removed)
    }
}

/// [`repair_mojibake`]'s runs of windows-1252 characters that spell UTF-8.
fn repair_runs(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    // A repairable run starts with a lead byte of a two- or three-byte UTF-8 sequence as
    // windows-1252 shows it (Â Ã … ï) followed by a continuation byte (0x80–0xBF: a Latin-1
    // symbol or one of windows-1252's punctuation marks). Accented text ("Café", "Zürich")
    // has no such pair, so most pages skip the repair's per-character encoding.
    let is_lead = |c: char| ('\u{c2}'..='\u{ef}').contains(&c) && c != '\u{d7}' && c != '\u{f7}';
    let is_continuation = |c: char| {
        ('\u{80}'..='\u{bf}').contains(&c)
            || matches!(
                c,
                '€' | '‚'
                    | 'ƒ'
                    | '„'
                    | '…'
                    | '†'
                    | '‡'
                    | 'ˆ'
                    | '‰'
                    | 'Š'
                    | '‹'
                    | 'Œ'
                    | 'Ž'
                    | '‘'
                    | '’'
                    | '“'
                    | '”'
                    | '•'
                    | '–'
                    | '—'
                    | '˜'
                    | '™'
                    | 'š'
                    | '›'
                    | 'œ'
                    | 'ž'
                    | 'Ÿ'
            )
    };
    let mut chars = text.chars().peekable();
    let mut has_pair = false;
    while let Some(c) = chars.next() {
        if is_lead(c) && chars.peek().is_some_and(|&n| is_continuation(n)) {
            has_pair = true;
            break;
        }
    }
    if !has_pair {
        return (text.into(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, repaired: &mut usize| {
        if run.is_empty() {
            return;
        }
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(run);
        match std::str::from_utf8(&bytes) {
            Ok(s) if !unmappable && s.chars().count() < run.chars().count() => {
                out.push_str(s);
                *repaired += 1;
            }
            _ => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        if !unmappable && bytes.len() == 1 && bytes[0] >= 0x80 {
            run.push(c);
        } else {
            flush(&mut run, &mut out, &mut repaired);
            out.push(c);
        }
    }
    flush(&mut run, &mut out, &mut repaired);
    if repaired == 0 {
        (text.into(), 0)
    } else {
        (out.into(), repaired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use storyline_model::ReportId;

    use crate::headline::title_words as words_of;

    /// A plain-text report: sentences of generated words, hard-wrapped at a width or one
    /// paragraph per line, an optional headline line, optional boilerplate lines the news layer
    /// drops, and an optional given title.
    fn report_text() -> impl Strategy<Value = (Option<String>, String)> {
        let word = prop::sample::select(vec![
            "the",
            "minister",
            "said",
            "Reuters",
            "exports",
            "rose",
            "Libya",
            "in",
            "March",
            "tonnes",
            "22,068",
            "U.S.",
            "officials",
            "court",
            "order",
            "migrants",
            "CNN",
        ]);
        let sentence = prop::collection::vec(word, 3..14).prop_map(|w| {
            let mut s = w.join(" ");
            s.push('.');
            s
        });
        let paragraph = prop::collection::vec(sentence, 1..4).prop_map(|s| s.join(" "));
        let boilerplate = prop::sample::select(vec![
            "Advertisement",
            "Share this article",
            "Sign up for our newsletter",
            "Read more: Exports rose in March",
        ]);
        (
            prop::option::of("[A-Z][a-z]{2,8}( [a-z]{2,8}){1,6}"),
            prop::option::of("[A-Z][a-z]{2,8}( [a-z]{2,8}){2,6}"),
            prop::collection::vec(
                prop::option::weighted(0.85, paragraph).prop_map(|p| p),
                1..6,
            ),
            prop::collection::vec(boilerplate, 0..3),
            prop::option::of(30usize..80),
            any::<bool>(),
        )
            .prop_map(|(title, headline, paragraphs, extra, wrap, blank)| {
                let mut lines: Vec<String> = Vec::new();
                if let Some(h) = headline {
                    lines.push(h);
                    if blank {
                        lines.push(String::new());
                    }
                }
                let mut extra = extra.into_iter();
                for p in paragraphs {
                    let p = p.unwrap_or_else(|| extra.next().unwrap_or("Advertisement").into());
                    match wrap {
                        Some(width) => {
                            let mut line = String::new();
                            for w in p.split(' ') {
                                if !line.is_empty() && line.len() + 1 + w.len() > width {
                                    lines.push(std::mem::take(&mut line));
                                }
                                if !line.is_empty() {
                                    line.push(' ');
                                }
                                line.push_str(w);
                            }
                            lines.push(line);
                        }
                        None => lines.push(p),
                    }
                    if blank {
                        lines.push(String::new());
                    }
                }
                (title, lines.join("\n"))
            })
    }

    fn page(html: &str, url: Option<&str>) -> Report {
        clean_report(RawReport {
            id: ReportId("p".into()),
            url: url.map(String::from),
            title: None,
            source: None,
            published: None,
            byline: None,
            body: RawBody::Html(html.into()),
            origin: "p.html".into(),
            extra_json: None,
            read_notes: Vec::new(),
        })
    }

    #[test]
    fn the_outlet_comes_from_the_page_else_its_host() {
        let article = "<article><p>The council voted on Tuesday to close the bridge for repairs after engineers found cracks in two of its supports, officials said.</p></article>";
        let named = page(
            &format!(
                "<html><head><meta property=\"og:site_name\" content=\"Dunmore Courier\"><title>Bridge shut</title></head><body>{article}</body></html>"
            ),
            None,
        );
        assert_eq!(named.source.as_deref(), Some("Dunmore Courier"));
        let by_host = page(
            &format!(
                "<html><head><title>Bridge shut</title><link rel=\"canonical\" href=\"https://www.courier.example/news/bridge\"></head><body>{article}</body></html>"
            ),
            None,
        );
        assert_eq!(by_host.source.as_deref(), Some("courier.example"));
        let given_url = page(
            &format!("<html><body>{article}</body></html>"),
            Some("http://news.example.org/a"),
        );
        assert_eq!(given_url.source.as_deref(), Some("news.example.org"));
    }

    #[test]
    fn a_section_s_name_over_an_untitled_page_s_headline_is_a_drop() {
        let article = "<p>Reports: Taiwan opposition surges to big lead in legislative elections</p>\
             <p>TAIPEI, Taiwan (AP) - Taiwan's main opposition Nationalist Party surged to a big lead in \
             early vote counting in the island's legislative elections on Saturday, a setback for the \
             president's party before the presidential vote in March, officials said.</p>\
             <p>The Nationalists won 61 of the first 70 seats counted, the election commission said, \
             and their leaders said the result showed that voters wanted better ties with China.</p>";
        let r = clean_report(RawReport {
            id: ReportId("t".into()),
            url: None,
            title: None,
            source: None,
            published: None,
            byline: None,
            body: RawBody::Html(format!(
                "<html><body><div><h2>World News</h2>{article}</div></body></html>"
            )),
            origin: "t.html".into(),
            extra_json: None,
            read_notes: Vec::new(),
        });
        assert_eq!(
            r.title.as_deref(),
            Some("Reports: Taiwan opposition surges to big lead in legislative elections")
        );
        assert!(r.text.starts_with("TAIPEI, Taiwan (AP)"), "{}", r.text);
        assert!(
            r.dropped
                .iter()
                .any(|d| d.rule == "section_label" && d.text == "World News"),
            "{:?}",
            r.dropped
        );
    }

    #[test]
    fn a_first_paragraph_repeating_the_given_title_is_a_drop_and_others_stay() {
        let with = |text: &str| {
            clean_report(RawReport {
                id: ReportId("t".into()),
                url: None,
                title: Some("Bridge shut after cracks found - Dunmore Courier".into()),
                source: None,
                published: None,
                byline: None,
                body: RawBody::Text(text.into()),
                origin: "t.jsonl:1".into(),
                extra_json: None,
                read_notes: Vec::new(),
            })
        };
        let r = with(
            "Bridge shut after cracks found\n\nThe council voted on Tuesday to close the bridge.",
        );
        assert_eq!(r.text, "The council voted on Tuesday to close the bridge.");
        assert!(
            r.dropped
                .iter()
                .any(|d| d.rule == "title_repeat" && d.text == "Bridge shut after cracks found")
        );
        // A first line that only starts like the title is the start of the body.
        let r =
            with("Bridge shut after cracks\nfound in its supports, the council said on Tuesday.");
        assert!(
            r.text
                .starts_with("Bridge shut after cracks found in its supports"),
            "{}",
            r.text
        );
        assert!(r.dropped.is_empty());
    }

    #[test]
    fn a_page_without_a_title_takes_its_heading_and_never_a_date_line() {
        let page = |html: &str| {
            clean_report(RawReport {
                id: ReportId("p".into()),
                url: None,
                title: None,
                source: None,
                published: None,
                byline: None,
                body: RawBody::Html(html.to_string()),
                origin: "p.html".into(),
                extra_json: None,
                read_notes: Vec::new(),
            })
        };
        let prose = "TORONTO (AP) - Raptors guard T.J. Ford was cleared to resume workouts \
                     on Wednesday after visiting a spine specialist in Cleveland, the team said. "
            .repeat(4);
        let with_heading = page(&format!(
            "<html><body><div><h2>Toronto guard T.J. Ford close to resuming workouts</h2>\
             <p>{prose}</p></div></body></html>"
        ));
        assert_eq!(
            with_heading.title.as_deref(),
            Some("Toronto guard T.J. Ford close to resuming workouts")
        );
        let dated = page(&format!(
            "<html><body><div><p>Last updated at 8:37 AM on 18/01/08</p>\
             <p>Raptors guard Ford cleared to resume workouts</p><p>{prose}</p></div></body></html>"
        ));
        assert_eq!(
            dated.title.as_deref(),
            Some("Raptors guard Ford cleared to resume workouts")
        );
    }

    #[test]
    fn a_page_without_a_stated_date_takes_its_urls_then_the_one_it_shows() {
        let page = |head: &str, url: Option<&str>| {
            clean_report(RawReport {
                id: ReportId("p".into()),
                url: url.map(str::to_string),
                title: None,
                source: None,
                published: None,
                byline: None,
                body: RawBody::Html(format!(
                    "<html><head>{head}<title>Floods close the road</title></head><body>\
                     <div class=\"search-date\">Monday, January 21, 2008</div><article>\
                     <h1>Floods close the road</h1><p class=\"dateline\">By Jo Bloggs, \
                     Jan. 14, 2008</p><p>{}</p></article></body></html>",
                    "The river rose over the bank and the council closed the road to traffic. "
                        .repeat(8)
                )),
                origin: "p.html".into(),
                extra_json: None,
                read_notes: Vec::new(),
            })
            .published
        };
        assert_eq!(page("", None).as_deref(), Some("2008-01-14"));
        assert_eq!(
            page("", Some("https://example.com/news/2008/01/15/floods")).as_deref(),
            Some("2008-01-15")
        );
        assert_eq!(
            page(
                r#"<meta property="article:published_time" content="January 16, 2008 10:00 EST">"#,
                Some("https://example.com/news/2008/01/15/floods")
            )
            .as_deref(),
            Some("2008-01-16")
        );
    }

    proptest! {
        /// Every word of an input body is in the stored title, body or drops.
        #[test]
        fn no_word_of_the_input_is_lost((title, text) in report_text()) {
            let report = clean_report(RawReport {
                id: ReportId("p".into()),
                url: None,
                title,
                source: Some("CNN".into()),
                published: None,
                byline: None,
                body: RawBody::Text(text.clone()),
                origin: "p.txt".into(),
                extra_json: None,
                read_notes: Vec::new(),
            });
            let mut kept: std::collections::HashSet<String> = words_of(&report.text).into_iter().collect();
            kept.extend(words_of(report.title.as_deref().unwrap_or("")));
            for d in &report.dropped {
                kept.extend(words_of(&d.text));
            }
            for w in words_of(&text) {
                prop_assert!(kept.contains(&w), "`{}` lost from {:?}: {:?}", w, text, report);
            }
        }
    }

    #[test]
    fn mojibake_in_the_bytes_is_repaired_and_real_accents_are_kept() {
        let (fixed, n) = repair_mojibake("John Watersâ€™ Cry-Baby in the CafÃ© Ã¨ Paris");
        assert_eq!(fixed, "John Waters’ Cry-Baby in the Café è Paris");
        assert_eq!(n, 3);
        for good in [
            "Café Noël, São Paulo, Zürich, «Ça va»",
            "plain ASCII",
            "Ø and Ã alone",
            "ÂNGELA and SÃO PAULO",
        ] {
            let (same, n) = repair_mojibake(good);
            assert_eq!((same.as_ref(), n), (good, 0));
        }
        // A no-break space whose second byte became a space when whitespace was collapsed.
        let (fixed, n) = repair_mojibake("Published:Â Thursday\nÂ\nJuliet O'Neill ,Â CanWest");
        assert_eq!(fixed, "Published: Thursday\nJuliet O'Neill , CanWest");
        assert_eq!(n, 3);
    }
}
