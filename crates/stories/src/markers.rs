//! Sourcing markers: phrases by which a report shows first-hand reporting ("told Reuters",
//! "CNN reached out to", "did not immediately respond to requests for comment") or relays other
//! outlets' reporting ("news outlets are reporting", "according to the reports", "reportedly").
//! They are journalism's own conventions, the same across outlets; the outlet names are a
//! lexicon of major news organisations plus generic nouns ("the newspaper", "the agency").

use std::sync::LazyLock;

use regex::Regex;

const OUTLETS: &str = r"(?:Reuters|the Associated Press|Associated Press|AP|AFP|Agence France-Presse|CNN|BBC|NBC(?: News)?|CBS(?: News)?|ABC(?: News)?|Fox News|MSNBC|NPR|Bloomberg(?: News)?|Politico|Axios|Al Jazeera|Sky News|Dow Jones|(?:[Tt]he )?New York Times|(?:[Tt]he )?Washington Post|(?:[Tt]he )?Wall Street Journal|(?:[Tt]he )?Financial Times|(?:[Tt]he )?Guardian|(?:[Tt]he )?Telegraph|(?:[Tt]he )?Times|(?:the|this) (?:newspaper|news agency|agency|outlet|publication|network|reporter|website)|(?:[Tt]he )?(?:[A-Z][\w.'-]+ ){1,3}(?:Herald|Times|Post|News|Journal|Gazette|Courier|Tribune|Chronicle|Telegraph|Observer|Independent|Star|Mail|Express|Standard|Review|Record|Press|Radio|Television|TV))";

static FIRST_HAND: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"\b(?:told|speaking to|spoke (?:to|with)|in an interview with) {OUTLETS}\b"),
        format!(r"\b{OUTLETS} (?:has |had )?(?:reached out|contacted|asked|could not|cannot|was unable to|has learned|learned|reviewed|obtained|has seen|was (?:the )?first to report|first reported)\b"),
        format!(r"\b(?:seen|reviewed|obtained|verified) by {OUTLETS}\b"),
        r"(?i)\b(?:did not|didn't|have not|haven't|has not|hasn't) (?:immediately )?(?:respond|reply)(?:ed)? to (?:a |an |multiple |several |repeated )?(?:requests?|emails?|calls?|messages?) for comment\b".to_string(),
        r"(?i)\brequests? for comment (?:from|by) (?:this|our) (?:newspaper|outlet|reporter)\b".to_string(),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("static marker pattern compiles"))
    .collect()
});

static RELAY: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)\b(?:news )?(?:outlets|media|reports|publications|news organi[sz]ations|newspapers) (?:are|were|have been|had been) reporting\b".to_string(),
        r"(?i)\baccording to (?:the |media |news |multiple |several |earlier |recent |published )*(?:reports|report|media)\b".to_string(),
        r"(?i)\b(?:the|these|those|such|media|news|earlier) reports? (?:indicate|indicated|suggest|suggested|say|said|claim|claimed)\b".to_string(),
        format!(r"\b(?i:earlier|previous|recent|media|news) (?i:reports?) (?:from|by|in) {OUTLETS}"),
        format!(r"\b(?:according to|as (?:first )?reported by|citing) {OUTLETS}\b"),
        r"(?i)\breportedly\b".to_string(),
        r"(?i)\b(?:is|was|were|are) (?:said|reported) to (?:be|have)\b".to_string(),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("static marker pattern compiles"))
    .collect()
});

/// How many first-hand and relay markers a text has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourcingMarkers {
    pub first_hand: u32,
    pub relay: u32,
}

/// Counts the sourcing markers of a body text, with the phrases found (for evidence).
pub fn sourcing_markers(text: &str) -> (SourcingMarkers, Vec<String>) {
    let mut found = Vec::new();
    let mut m = SourcingMarkers::default();
    for re in FIRST_HAND.iter() {
        for hit in re.find_iter(text) {
            m.first_hand += 1;
            found.push(format!("first-hand: \"{}\"", hit.as_str()));
        }
    }
    for re in RELAY.iter() {
        for hit in re.find_iter(text) {
            m.relay += 1;
            found.push(format!("relays: \"{}\"", hit.as_str()));
        }
    }
    (m, found)
}

/// News agencies and syndication services whose stories other outlets republish under their
/// credit, with the names their credits use (full names first). The agencies of the L3S
/// roles sample's wire copies (`storyline eval roles`) and the other national agencies of
/// their kind; press-release wires and a sports wire are syndicators of the same trade.
const AGENCIES: &[(&str, &[&str])] = &[
    ("AP", &["Associated Press", "AP"]),
    ("Reuters", &["Reuters"]),
    (
        "AFP",
        &["Agence France-Presse", "Agence France Presse", "AFP"],
    ),
    ("UPI", &["United Press International", "UPI"]),
    ("PA", &["Press Association", "PA Sport", "PA"]),
    ("CP", &["Canadian Press", "CP"]),
    ("AAP", &["Australian Associated Press", "AAP"]),
    ("NZPA", &["New Zealand Press Association", "NZPA"]),
    ("PTI", &["Press Trust of India", "PTI"]),
    ("IANS", &["Indo-Asian News Service", "IANS"]),
    ("dpa", &["Deutsche Presse-Agentur", "dpa", "DPA"]),
    ("Sapa", &["South African Press Association", "Sapa", "SAPA"]),
    ("Xinhua", &["Xinhua"]),
    ("Kyodo", &["Kyodo"]),
    ("Yonhap", &["Yonhap"]),
    ("ANSA", &["ANSA"]),
    ("ANI", &["Asian News International", "ANI"]),
    ("Sports Network", &["Sports Network", "SportsNetwork"]),
    ("Business Wire", &["Business Wire", "BUSINESS WIRE"]),
    ("PR Newswire", &["PR Newswire", "PRNewswire"]),
    ("WENN", &["World Entertainment News Network", "WENN"]),
    // Other agencies of the same trade, by what the trade knows of them (no page of the
    // sample's report half read for them): national agencies, financial and showbiz wires.
    ("EFE", &["Agencia EFE", "EFE"]),
    ("ITAR-TASS", &["ITAR-TASS", "TASS"]),
    ("RIA Novosti", &["RIA Novosti"]),
    ("Interfax", &["Interfax"]),
    ("Bernama", &["Bernama"]),
    ("Antara", &["Antara News Agency"]),
    ("Jiji", &["Jiji Press"]),
    ("Dow Jones", &["Dow Jones Newswires"]),
    ("Bloomberg", &["Bloomberg News"]),
    ("AFX", &["AFX News"]),
    ("BANG", &["Bang Showbiz", "BANG"]),
];

/// Short names that are other things too (a US state, a party, a name): a credit line
/// counts them only when the line is the name alone ("By CP") or in a dateline ("(CP) —").
const AMBIGUOUS: &[&str] = &["PA", "CP", "ANI", "ANSA", "DPA", "BANG", "TASS", "EFE"];

/// The agency a name stands for: a name of several words, or of one long word, in any case
/// ("THE CANADIAN PRESS", "- REUTERS" in a credit), an abbreviation as written.
fn agency_of(name: &str) -> Option<&'static str> {
    AGENCIES
        .iter()
        .find(|(_, names)| {
            names
                .iter()
                .any(|n| *n == name || any_case(n) && n.eq_ignore_ascii_case(name))
        })
        .map(|(a, _)| *a)
}

/// Whether a name is matched in any case: several words, or one word longer than an
/// abbreviation.
fn any_case(name: &str) -> bool {
    name.contains(' ') || name.len() > 4
}

/// Every agency name as a regex alternation, longest first; names of several words or one
/// long word match in any case.
fn agency_names() -> String {
    let mut names: Vec<&str> = AGENCIES
        .iter()
        .flat_map(|(_, n)| n.iter().copied())
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
        .iter()
        .map(|n| {
            if any_case(n) {
                format!("(?i:{})", regex::escape(n))
            } else {
                regex::escape(n)
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Bytes of a body's opening searched for an agency's dateline credit ("WASHINGTON (AP) —").
const DATELINE_BYTES: usize = 400;

/// Bytes of a body's end searched for an agency's closing credit ("… he said. - Sapa").
const CLOSING_BYTES: usize = 120;

static DATELINE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:\(\s*|--)(?:The )?({})\s*\)?(?:\s*[—–:_-]|--)",
        agency_names()
    ))
    .expect("static credit pattern compiles")
});

/// A closing credit: the body's last line is an agency's name ("AAP", "- NZPA", "(c)
/// Indo-Asian News Service", "Copyright Business Wire 2008"), or says who provided the story ("(This news article provided by
/// World Entertainment News Network)", "Brought to you by AAP", "Source: Press Association"),
/// or its last paragraph ends with a name after a dash ("… - Sapa").
static CLOSING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        concat!(
            r"(?:(?:^|\n)\W*(?:\(c\)\s*|©\s*|(?i:copyright\s*(?:\d{{4}}\s*)?|(?:this\s+)?(?:news\s+)?(?:article|story|report)\s+(?:was\s+|is\s+)?",
            r"(?:provided|distributed|supplied)\s+by|brought\s+to\s+you\s+by|source\s*:)\s*)?|\s[—–-]\s*)(?:The )?({})(?:\s+\d{{4}})?\W*$"
        ),
        agency_names()
    ))
    .expect("static credit pattern compiles")
});

/// Reuters' closing credit: "(Reporting by …; Editing by …)".
static REUTERS_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Reporting by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+)*;?[^()]{0,80}?Editing by")
        .expect("static credit pattern compiles")
});

/// `text` cut to at most `n` bytes at its start (`from_end` false) or end.
fn cut(text: &str, n: usize, from_end: bool) -> &str {
    if from_end {
        let mut at = text.len().saturating_sub(n);
        while !text.is_char_boundary(at) {
            at += 1;
        }
        &text[at..]
    } else {
        let mut at = n.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        &text[..at]
    }
}

/// The agency credited in a dateline in the opening of `text` ("WASHINGTON (AP) —").
pub fn dateline_credit(text: &str) -> Option<&'static str> {
    agency_of(
        DATELINE_CREDIT
            .captures(cut(text, DATELINE_BYTES, false))?
            .get(1)?
            .as_str(),
    )
}

/// The agency a body credits as its story's author, with the credit as found: an agency's
/// dateline credit in its opening ("HEMPSTEAD, N.Y., Sept. 26 (UPI) —", "LAS VEGAS--(BUSINESS
/// WIRE)--"), Reuters' closing "Reporting by …; Editing by …", or a closing credit (the last
/// line "AAP", a last paragraph ending "- Sapa"). A report from another outlet that carries
/// one republishes the agency's story (a wire copy). On PolNeAR's articles, whose metadata
/// credits each to a wire or to the outlet (`storyline eval roles`), the first two alone find
/// the wire copies at F1 0.97 on the tune half, with no own reporting taken for a copy.
pub fn wire_credit(text: &str) -> Option<(&'static str, String)> {
    if let Some(c) = DATELINE_CREDIT.captures(cut(text, DATELINE_BYTES, false)) {
        let agency = agency_of(c.get(1)?.as_str())?;
        return Some((agency, c.get(0)?.as_str().to_string()));
    }
    if let Some(m) = REUTERS_CREDIT.find(text) {
        return Some(("Reuters", m.as_str().to_string()));
    }
    if let Some(found) = opening_credit(text) {
        return Some(found);
    }
    let c = CLOSING_CREDIT.captures(cut(text.trim_end(), CLOSING_BYTES, true))?;
    let agency = agency_of(c.get(1)?.as_str())?;
    Some((agency, c.get(0)?.as_str().trim().to_string()))
}

/// Lines of a body's opening read for a credit line ([`opening_credit`]).
const OPENING_CREDIT_LINES: usize = 3;

/// Most words of an opening line read as a credit line: a byline with the time after it ("By
/// RAQUEL MARIA DILLON, For The Associated Press 2 hours, 23 minutes ago") is 12.
const OPENING_CREDIT_WORDS: usize = 14;

/// A byline without "By": a name of two to four capitalised words, a comma, and what follows
/// it (the agency, or "Associated Press Writer").
static UNLABELLED_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){1,3}, (.{2,60})$")
        .expect("static credit pattern compiles")
});

static CREDIT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:By\s|(?i:author|source|agency)\s*:)").expect("static credit pattern compiles")
});

/// A credit line among the first lines of a body, where pages that print the byline in the
/// article put it: a byline ("By RAQUEL MARIA DILLON, For The Associated Press"), a labelled
/// credit ("Author : DPA", "Source: Reuters"), or a line that is an agency's name alone ("Press
/// Trust of India" over the date line), a byline without "By" ("Derrik J. Lang, THE
/// ASSOCIATED PRESS": roles sample, tune half), read as [`credit_line_agency`] reads a page's
/// byline. Seen on unlabelled L3S-GN1 pages (not the roles sample) whose wire credit was missed.
fn opening_credit(text: &str) -> Option<(&'static str, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(OPENING_CREDIT_LINES)
        .filter(|l| l.split_whitespace().count() <= OPENING_CREDIT_WORDS)
        .find_map(|line| {
            let alone = agency_of(line.trim_matches(|c: char| !c.is_alphanumeric()));
            let credit = if let Some(rest) = (!CREDIT_LABEL.is_match(line))
                .then(|| UNLABELLED_BYLINE.captures(line))
                .flatten()
                .and_then(|c| c.get(1))
                .map(|m| m.as_str())
            {
                // "Derrik J. Lang, THE ASSOCIATED PRESS": a writer's name, then the agency
                // alone or its writer's title ("Associated Press Writer"), not a phrase that
                // names it ("a spokeswoman for the Associated Press").
                let named = rest
                    .trim_start_matches("The ")
                    .trim_start_matches("THE ")
                    .trim();
                credit_line_agency(rest).filter(|_| {
                    agency_of(named).is_some() || rest.to_lowercase().ends_with("writer")
                })
            } else if let Some(label) = CREDIT_LABEL.find(line) {
                // "Author : DPA" as "DPA" (an ambiguous short name counts alone); a byline
                // keeps its "By ", which the credit line reading cuts.
                let rest = line[label.end()..].trim();
                credit_line_agency(if label.as_str().starts_with("By") {
                    line
                } else {
                    rest.trim_start_matches(':').trim()
                })
            } else {
                alone
            }?;
            Some((credit, line.to_string()))
        })
}

/// Rules of the cleaner's drops that hold a page's credit lines: bylines and outlet lines,
/// date lines ("Associated Press - January 2, 2008 7:33 AM ET"), copyright notices, and the
/// agency credit it found in the page's markup.
const CREDIT_RULES: &[&str] = &[
    "agency_credit",
    "dateline",
    "outlet_line",
    "dom_byline",
    "dom_copyright",
    "copyright",
];

static CREDIT_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:{})\b", agency_names())).expect("static credit pattern compiles")
});

static COPYRIGHT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:©|\(c\)|copyright)\s*(?:\d{4}\s*)?").expect("static credit pattern compiles")
});

/// The one agency a credit line names as its story's author ("By JOHN DOE, Associated Press
/// Writer", "Copyright 2008 The Associated Press", "Article from: Agence France-Presse", "By
/// Damian Spellman, PA Sport"), or none: a line naming two agencies, an agency among others
/// ("Staff and agencies", "AP contributed to this report") or a picture's source ("AP
/// Photo/…") credits no one story.
pub fn credit_line_agency(line: &str) -> Option<&'static str> {
    let lower = line.to_lowercase();
    if [
        "contribut",
        "photo",
        "picture",
        "image",
        "video",
        "agencies",
        "wire services",
        "and other",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || line.contains(" and AP")
        || line.contains("REUTERS/")
    {
        return None;
    }
    // The name alone, past a "By " or a copyright sign and year ("© 2007 ANI" credits ANI).
    let name = line.trim().trim_start_matches("By ");
    let alone = COPYRIGHT_PREFIX
        .find(name)
        .map_or(name, |m| &name[m.end()..])
        .trim_matches(|c: char| !c.is_alphanumeric());
    let mut found: Option<&'static str> = None;
    for m in CREDIT_AGENCY.find_iter(line) {
        if AMBIGUOUS.contains(&m.as_str()) && alone != m.as_str() {
            continue;
        }
        let agency = agency_of(m.as_str())?;
        match found {
            Some(f) if f != agency => return None,
            _ => found = Some(agency),
        }
    }
    found
}

/// The agency a report credits as its story's author, with the credit as found: the body's
/// dateline or closing credit ([`wire_credit`]), else a credit line of the page the cleaner
/// set aside (its byline, an outlet line, a copyright notice, the agency credit of its
/// markup: [`credit_line_agency`]). Many sites that republish an agency's story print the
/// agency only in the byline box or the notice under the story.
pub fn report_wire_credit(r: &storyline_model::Report) -> Option<(&'static str, String)> {
    if let Some(found) = wire_credit(&r.text) {
        return Some(found);
    }
    r.byline
        .iter()
        .map(String::as_str)
        .chain(
            r.dropped
                .iter()
                .filter(|d| CREDIT_RULES.contains(&d.rule.as_str()))
                .map(|d| d.text.as_str()),
        )
        .find_map(|line| credit_line_agency(line).map(|a| (a, line.trim().to_string())))
}

/// Month names as datelines write them ("Jan", "Jan.", "January", "Sept.").
const MONTHS: &str = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?";

/// A dateline opening one of a body's first lines: a place in capitals, perhaps a date, perhaps
/// an agency in brackets, then a dash or a colon ("WASHINGTON —", "KATHMANDU:", "LONDON
/// (Reuters) -"); a place in mixed case only with a date or an agency ("New Delhi, Jan 13
/// (IANS):", "Dehradun (PTI):"); a date and an agency ("Jan. 11 (Bloomberg) --"); any of them
/// after a wire's name in brackets ("(PressMediaWire) NEW YORK, Jan. 7 --").
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let agency = r"\([^)\n]{1,30}\)";
    let end = r"\s*(?:[—–:]|--?)\s";
    Regex::new(&format!(
        concat!(
            r"(?m)^\s*(?:{agency}\s*)?(?:",
            r"[A-Z][A-Z.'’ -]{{1,30}}[A-Z.](?:,\s*[A-Za-z.' ]{{2,30}}?(?:\s\d{{1,2}})?)?\s*(?:{agency})?",
            r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}}(?:,\s*(?:{months}\s\d{{1,2}}|\d{{1,2}}\s{months})(?:\s*{agency})?|\s*{agency})",
            r"|{months}\s\d{{1,2}}\s*{agency}",
            r"){end}"
        ),
        agency = agency,
        months = MONTHS,
        end = end
    ))
    .expect("static dateline pattern compiles")
});

/// A place in mixed case and a dash opening a line of prose ("Johannesburg - The Bulls'
/// negotiations…"): a dateline when the line goes on for [`MIXED_DATELINE_MIN_WORDS`] words.
static MIXED_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}\s+(?:[—–]|--?)\s+[A-Z\x22“‘']")
        .expect("static dateline pattern compiles")
});

/// Words after a mixed-case dateline for its line to read as a story's opening, not a menu
/// item or a headline ("Home - News", "Mowbray - Delighted with display").
const MIXED_DATELINE_MIN_WORDS: usize = 10;

/// Words in capitals before a colon that label a text rather than place it ("BREAKING NEWS:",
/// "UPDATE:", "EDITOR'S NOTE:").
const LABELS: &[&str] = &[
    "BREAKING",
    "UPDATE",
    "UPDATED",
    "EXCLUSIVE",
    "WATCH",
    "VIDEO",
    "PHOTOS",
    "PHOTO",
    "EDITOR'S",
    "EDITORS",
    "CORRECTION",
    "NOTE",
    "LIVE",
    "OPINION",
    "ANALYSIS",
    "COMMENT",
    "EDITORIAL",
    "REVIEW",
    "FILE",
    "SOURCE",
    "WARNING",
    "ALERT",
    "URGENT",
    "FLASH",
    "NEWS",
];

/// Whether one of the first lines of `text` opens with a dateline ([`DATELINE`]), not a label.
fn has_dateline(text: &str) -> bool {
    let opening = cut(text, DATELINE_BYTES, false);
    DATELINE.find_iter(opening).any(|m| {
        let first = m
            .as_str()
            .trim_start()
            .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .next()
            .unwrap_or_default();
        !LABELS.contains(&first)
    }) || MIXED_DATELINE.find_iter(opening).any(|m| {
        let line = text[m.end()..].split('\n').next().unwrap_or_default();
        line.split_whitespace().count() >= MIXED_DATELINE_MIN_WORDS
    })
}

/// Whether a report signs its reporting: a byline (in its metadata or set aside by the
/// cleaner), a dateline (in its opening, or one the reader set aside, as Reuters-21578's),
/// an agency's credit, or first-hand markers. Someone wrote it; lineage then takes it for a
/// derivation of another report only when it took that report's wording
/// ([`crate::lineage::LineageConfig::signed_min_wording`]).
/// `credited`: whether [`report_wire_credit`] found an agency's credit.
pub fn signs_its_reporting(
    r: &storyline_model::Report,
    markers: &SourcingMarkers,
    credited: bool,
) -> bool {
    markers.first_hand > 0
        || r.byline.as_deref().is_some_and(|b| !b.trim().is_empty())
        || r.dropped.iter().any(|d| d.rule == "dom_byline")
        || r.extra_json
            .as_deref()
            .is_some_and(|x| x.contains("\"dateline\":"))
        || has_dateline(&r.text)
        || credited
}

/// Whether a name is one of the news agencies' (`AP`, `Reuters`, `AFP`, `UPI`, …).
pub fn is_agency_name(name: &str) -> bool {
    AGENCIES.iter().any(|(a, _)| *a == name)
}

/// The agency an outlet is, when it is one (`Reuters`, `The Associated Press`, `Xinhua`).
pub fn agency_of_outlet(outlet: &str) -> Option<&'static str> {
    AGENCIES
        .iter()
        .map(|(a, _)| *a)
        .find(|a| is_agency(outlet, a))
}

/// Whether an outlet's name is the agency's own (its own story is not a copy of itself).
pub fn is_agency(source: &str, agency: &str) -> bool {
    let source = source.to_lowercase();
    AGENCIES
        .iter()
        .filter(|(a, _)| *a == agency)
        .flat_map(|(_, names)| names.iter())
        .any(|n| {
            let n = n.to_lowercase();
            source == n || source.contains(&n) && n.len() > 3
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_credits_are_found_in_the_dateline_or_the_closing_line() {
        let (a, _) =
            wire_credit("HEMPSTEAD, N.Y., Sept. 26 (UPI) — Jill Stein was escorted out.").unwrap();
        assert_eq!(a, "UPI");
        let (a, _) = wire_credit("WASHINGTON (AP) — The Latest on the race.").unwrap();
        assert_eq!(a, "AP");
        // Indian agencies' datelines end with a colon.
        let (a, _) =
            wire_credit("New Delhi (PTI): Congress president Sonia Gandhi was admitted.").unwrap();
        assert_eq!(a, "PTI");
        let (a, _) = wire_credit(
            "The rules face a test in court.\n(Reporting by Valerie Volcovici; Editing by Will Dunham.)",
        )
        .unwrap();
        assert_eq!(a, "Reuters");
        // Quoting an agency is not republishing it.
        assert!(wire_credit("The minister told the Associated Press (AP) on Friday.").is_none());
        assert!(is_agency("Reuters", "Reuters"));
        assert!(is_agency("The Associated Press", "AP"));
        assert!(!is_agency("Breitbart", "AP"));
    }

    #[test]
    fn credit_lines_name_one_agency() {
        assert_eq!(
            credit_line_agency("By SANDRA CHEREB, Associated Press Writer"),
            Some("AP")
        );
        assert_eq!(
            credit_line_agency("Copyright 2008 The Associated Press"),
            Some("AP")
        );
        assert_eq!(
            credit_line_agency("Article from: Agence France-Presse"),
            Some("AFP")
        );
        assert_eq!(
            credit_line_agency("© 2007 Agence France Presse"),
            Some("AFP")
        );
        assert_eq!(credit_line_agency("By Jane Roe, Reuters"), Some("Reuters"));
        // A short agency name counts in a copyright notice naming it alone.
        assert_eq!(credit_line_agency("© 2007 ANI"), Some("ANI"));
        assert_eq!(credit_line_agency("© 2007 ANI Holdings and Partners"), None);
        assert_eq!(credit_line_agency("By Jane Roe, Staff Writer"), None);
        assert_eq!(credit_line_agency("(AP Photo/Jae C. Hong)"), None);
        assert_eq!(credit_line_agency("Staff and agencies"), None);
        assert_eq!(credit_line_agency("Material from Reuters and AFP"), None);
        assert_eq!(
            credit_line_agency("The Associated Press contributed to this report."),
            None
        );
    }

    #[test]
    fn a_page_credits_an_agency_in_its_byline_or_its_notice() {
        let mut r = storyline_model::Report::from_text("x", "HOUSTON - The shuttle may be late.");
        assert_eq!(report_wire_credit(&r), None);
        r.dropped.push(storyline_model::DroppedText {
            rule: "agency_credit".into(),
            text: "Copyright 2008 The Associated Press".into(),
        });
        assert_eq!(report_wire_credit(&r).map(|(a, _)| a), Some("AP"));
        // A caption's credit is not the article's.
        r.dropped[0].rule = "dom_caption".into();
        assert_eq!(report_wire_credit(&r), None);
    }

    #[test]
    fn other_agencies_and_closing_credits() {
        assert_eq!(
            credit_line_agency("By: Jim Macdonald, THE CANADIAN PRESS"),
            Some("CP")
        );
        assert_eq!(
            credit_line_agency("By Damian Spellman, PA Sport"),
            Some("PA")
        );
        assert_eq!(credit_line_agency("By CP"), Some("CP"));
        // A short name that is also something else counts only alone.
        assert_eq!(credit_line_agency("By Jane Roe, Pittsburgh, PA"), None);
        let closing = |t: &str| wire_credit(t).map(|(a, _)| a);
        assert_eq!(
            closing("The coach resigned on Monday, the club said. - Sapa"),
            Some("Sapa")
        );
        assert_eq!(closing("The fire spread overnight.\nAAP"), Some("AAP"));
        assert_eq!(
            closing("LAS VEGAS--(BUSINESS WIRE)--Magellan introduced nine models."),
            Some("Business Wire")
        );
        assert_eq!(closing("The minister spoke to AFP on Monday."), None);
        assert_eq!(
            closing(
                "It took $185 million.\n(This news article provided by World Entertainment News Network)"
            ),
            Some("WENN")
        );
        assert_eq!(
            closing("The fire spread overnight.\nBrought to you by AAP"),
            Some("AAP")
        );
    }

    #[test]
    fn credits_in_a_wires_own_spellings_and_in_the_opening_lines() {
        let credit = |t: &str| wire_credit(t).map(|(a, _)| a);
        // AP's old wire dash, spaces inside the parentheses.
        assert_eq!(
            credit("3:47 PM\nFairfield (AP) _ Investigators looking into a fire said."),
            Some("AP")
        );
        assert_eq!(
            credit("( Reuters )- A long-delayed upgrade will have to wait."),
            Some("Reuters")
        );
        // A copyright line naming the agency, with or without the year.
        assert_eq!(
            credit("Sales rose.\nCopyright Business Wire 2008"),
            Some("Business Wire")
        );
        assert_eq!(
            credit("Sales rose.\nCopyright Asian News International"),
            Some("ANI")
        );
        // Credit lines printed in the article's opening.
        assert_eq!(
            credit(
                "By RAQUEL MARIA DILLON, For The Associated Press 2 hours ago\nLOS ANGELES - A woman sued."
            ),
            Some("AP")
        );
        assert_eq!(
            credit("Author : DPA\nCategory : Sports\nMunich - Bayern expect Hitzfeld to leave."),
            Some("dpa")
        );
        // A byline without "By": the writer, then the agency or its writer's title.
        assert_eq!(
            credit("Derrik J. Lang, THE ASSOCIATED PRESS\nNothing gets in the way of fun."),
            Some("AP")
        );
        assert_eq!(
            credit("Jane Roe, Associated Press Writer\nThe council voted on Monday."),
            Some("AP")
        );
        assert_eq!(
            credit("Jane Roe, a spokeswoman for the Associated Press\nsaid the council voted."),
            None
        );
        assert_eq!(
            credit(
                "Press Trust of India\nMonday, January 14, 2008 (Mumbai):\nThe rupee ended better."
            ),
            Some("PTI")
        );
        // Not credits: an agency named in the story, a byline of the outlet's own writer, a
        // photo credit.
        assert_eq!(
            credit("By Jane Roe, Staff Writer\nReuters said on Monday that it would cut jobs."),
            None
        );
        assert_eq!(
            credit("By Kim Wendel\nAP Photo/John Doe\nThe fire spread."),
            None
        );
        assert_eq!(
            credit("The minister said so.\nCopyright 2008 by the author"),
            None
        );
    }

    fn counts(t: &str) -> (u32, u32) {
        let (m, _) = sourcing_markers(t);
        (m.first_hand, m.relay)
    }

    #[test]
    fn a_report_signs_its_reporting_by_byline_dateline_credit_or_first_hand_markers() {
        let signed = |text: &str, byline: Option<&str>| {
            let mut r = storyline_model::Report::from_text("r", text);
            r.byline = byline.map(String::from);
            let (m, _) = sourcing_markers(text);
            signs_its_reporting(&r, &m, report_wire_credit(&r).is_some())
        };
        let plain = "The council approved the budget on Monday. The mayor welcomed it.";
        assert!(!signed(plain, None));
        assert!(signed(plain, Some("Jane Doe")));
        assert!(signed(&format!("WASHINGTON — {plain}"), None));
        assert!(signed(&format!("NEW DELHI, Jan 14 - {plain}"), None));
        assert!(signed(&format!("LONDON (Reuters) - {plain}"), None));
        assert!(signed(&format!("KATHMANDU: {plain}"), None));
        assert!(signed(&format!("New Delhi, Jan 13 (IANS): {plain}"), None));
        assert!(signed(&format!("Dehradun (PTI): {plain}"), None));
        assert!(signed(&format!("Jan. 11 (Bloomberg) -- {plain}"), None));
        assert!(signed(
            &format!("(PressMediaWire) NEW YORK, Jan. 7 -- {plain}"),
            None
        ));
        assert!(signed(
            &format!("Today's Leader Post\nREGINA - {plain}"),
            None
        ));
        assert!(!signed(
            &format!("Last Update: 1/16 3:36 pm\n{plain}"),
            None
        ));
        assert!(!signed(
            &format!("Derby County (0) 0 Wigan Athletic (0) 1\n{plain}"),
            None
        ));
        assert!(!signed(
            &format!("IT'S more than a question. {plain}"),
            None
        ));
        assert!(signed(
            &format!("{plain} The mayor told Reuters he was pleased."),
            None
        ));
        // A heading in capitals is no dateline without its dash.
        assert!(!signed(&format!("BREAKING NEWS: {plain}"), None));
    }

    #[test]
    fn first_hand_reporting() {
        assert_eq!(
            counts("The minister told the Associated Press on Friday that talks failed."),
            (1, 0)
        );
        assert_eq!(
            counts("Bloomberg could not independently verify the claim."),
            (1, 0)
        );
        assert_eq!(
            counts("The ministry did not immediately respond to a request for comment."),
            (1, 0)
        );
        assert_eq!(
            counts("The memo, seen by the newspaper, lists three sites."),
            (1, 0)
        );
    }

    #[test]
    fn relayed_reporting() {
        assert_eq!(
            counts("Media are reporting that the summit was cancelled."),
            (0, 1)
        );
        assert_eq!(
            counts("The plan, according to published reports, was shelved."),
            (0, 1)
        );
        assert_eq!(
            counts("The minister reportedly resigned, as first reported by the Guardian."),
            (0, 2)
        );
    }

    #[test]
    fn anonymous_sourcing_is_neither() {
        assert_eq!(
            counts("Sources said the deal would cost more, according to three officials."),
            (0, 0)
        );
    }
}
