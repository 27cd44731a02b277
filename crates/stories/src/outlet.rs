//! Which outlet a report comes from, for outlet profiles and timelines: the report's `source`
//! (the input names it), else its site (the host of its URL, normalised, mapped to the outlet's
//! name when the outlet has several hosts), else the outlet the text names for itself, else
//! none (shown "unknown").
//!
//! The text names its outlet in two ways, each a convention of the trade rather than of one
//! outlet: an outlet line the cleaner dropped ("CNN", "By Jane Doe, CNN"), and the way an outlet
//! speaks of itself in its own reporting ("told Reuters", "Reuters could not determine",
//! "Reuters was first to report", "CNN reached out to …"). An agency's dateline credit
//! ("WASHINGTON (AP) —") is not one: on a page that names no outlet of its own it marks a copy
//! of the agency's story published by someone unnamed (a wire copy, derived from the agency, as
//! lineage has it), so calling the page the agency's would contradict its role. Only names on [`SELF_NAMING_OUTLETS`] are recognised in running text: an unknown
//! capitalised word before "could not confirm" is as likely a ministry as a newsroom.
//!
//! Architecture invariant: a pure function of the report and the host table; no IO but reading
//! a host table the caller names.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use storyline_model::Report;

/// The built-in host table: `host<TAB>outlet`, one per line, `#` comments. A host matches
/// itself and its subdomains (`bbc.co.uk` matches `news.bbc.co.uk`).
const BUILTIN_HOSTS: &str = include_str!("outlet_hosts.tsv");

/// Host prefixes that name a version of the same site, cut before lookup (the README lists
/// them): `www.`, `edition.` (CNN's editions), `amp.` (accelerated pages), `m.` and `mobile.`
/// (mobile sites).
const HOST_PREFIXES: &[&str] = &["www.", "edition.", "amp.", "m.", "mobile."];

/// Outlets recognised when a text speaks of itself, each with the names it goes by. The first
/// name is the outlet's, as profiles show it.
pub const SELF_NAMING_OUTLETS: &[&[&str]] = &[
    &["Reuters"],
    &["AP", "Associated Press", "The Associated Press"],
    &["AFP", "Agence France-Presse"],
    &["UPI", "United Press International"],
    &["CNN"],
    &["BBC", "BBC News"],
    &["NBC News"],
    &["CBS News"],
    &["ABC News"],
    &["Fox News"],
    &["NPR"],
    &["Bloomberg", "Bloomberg News"],
    &["Politico"],
    &["Axios"],
    &["Al Jazeera"],
    &["Sky News"],
    &["The New York Times", "New York Times"],
    &["The Washington Post", "Washington Post"],
    &["The Wall Street Journal", "Wall Street Journal"],
    &["The Guardian"],
    &["Financial Times"],
];

/// How an outlet speaks of itself: `N` stands for its name. Checks it made ("could not
/// verify"), scoops it claims ("was first to report"), documents it saw ("seen by Reuters"),
/// requests it sent ("CNN reached out to"): no other outlet writes these of it.
const SELF_SPEECH: &[&str] = &[
    r"\b(?:the )?N (?:could not|couldn't|was unable to|has been unable to|cannot|can't|was not able to|has not been able to) (?:immediately |independently )?(?:verify|confirm|determine|reach|establish)",
    r"\b(?:the )?N (?:was (?:the )?first to report|first reported|reported (?:earlier|first|exclusively))",
    r"\b(?:the )?N (?:has|had) (?:seen|reviewed|obtained|learned|contacted)",
    r"\b(?:seen|reviewed|obtained|contacted) by (?:the )?N\b",
    r"\b(?:the )?N (?:has |had )?reached out to\b",
];

/// Interviews an outlet gave ("told the BBC"): its own words when it is a broadcaster or a
/// paper, but other outlets write them of the news agencies all the time ("told the Associated
/// Press news agency", in 6 of 6 BBC News items checked by hand whose only sign of an outlet
/// was such an interview): these count for outlets that are not agencies, and only when the
/// text never speaks of the outlet as a third party ("the N news agency", "according to N").
const INTERVIEW: &[&str] = &[
    r"\b(?:told|telling|tells|speaking to|spoke to|said to) (?:the )?N\b",
    r"\bin an? (?:interview|statement|email|emailed statement) (?:with|to) (?:the )?N\b",
];

/// How a text speaks of an outlet that is not itself.
const THIRD_PARTY: &[&str] = &[
    r"\b(?:the )?N (?:news agency|newspaper|news service|network|reported|quoted|said)\b",
    r"\b(?i:according to|quoted by|cited by|reported by|told by) (?:the )?N\b",
];

/// An outlet's patterns with its names put in for `N`.
fn outlet_patterns(patterns: &[&str], names: &[&str]) -> Regex {
    let alt = names
        .iter()
        .map(|n| regex::escape(n.trim_start_matches("The ")))
        .collect::<Vec<_>>()
        .join("|");
    let joined = patterns
        .iter()
        .map(|p| p.replace('N', &format!("(?:{alt})")))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&joined).expect("static outlet pattern compiles")
}

/// Per outlet on [`SELF_NAMING_OUTLETS`]: its name, its self-speech, its interviews (none for
/// an agency) and the ways a text speaks of it as a third party.
struct OutletSpeech {
    name: &'static str,
    own: Regex,
    interview: Option<Regex>,
    third_party: Regex,
}

static SELF_SPEECH_RES: LazyLock<Vec<OutletSpeech>> = LazyLock::new(|| {
    SELF_NAMING_OUTLETS
        .iter()
        .map(|names| OutletSpeech {
            name: names[0],
            own: outlet_patterns(SELF_SPEECH, names),
            interview: (!crate::markers::is_agency_name(names[0]))
                .then(|| outlet_patterns(INTERVIEW, names)),
            third_party: outlet_patterns(THIRD_PARTY, names),
        })
        .collect()
});

/// Where a report's outlet name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutletFrom {
    Source,
    Site,
    Text,
}

/// Hosts to outlet names: the built-in table, plus any a user adds.
#[derive(Debug, Clone)]
pub struct OutletNames {
    hosts: HashMap<String, String>,
}

impl Default for OutletNames {
    fn default() -> Self {
        OutletNames::builtin()
    }
}

impl OutletNames {
    /// The built-in table (`crates/stories/src/outlet_hosts.tsv`).
    pub fn builtin() -> OutletNames {
        let mut names = OutletNames {
            hosts: HashMap::new(),
        };
        names
            .add_table(BUILTIN_HOSTS)
            .expect("the built-in host table parses");
        names
    }

    /// Adds (or overrides) hosts from a table in the built-in's format; an error names the
    /// line that is not `host<TAB>outlet`.
    pub fn add_table(&mut self, table: &str) -> Result<(), String> {
        for (i, line) in table.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((host, name)) = line.split_once('\t') else {
                return Err(format!(
                    "line {}: expected `host<TAB>outlet`, found {line:?}",
                    i + 1
                ));
            };
            let (host, name) = (normalize_host(host.trim()), name.trim());
            if host.is_empty() || name.is_empty() {
                return Err(format!("line {}: empty host or outlet", i + 1));
            }
            self.hosts.insert(host, name.to_string());
        }
        Ok(())
    }

    /// The outlet of a site: the table's name for the host or the nearest parent domain in
    /// it, else the host itself.
    pub fn of_host(&self, host: &str) -> String {
        let host = normalize_host(host);
        let mut h = host.as_str();
        loop {
            if let Some(n) = self.hosts.get(h) {
                return n.clone();
            }
            match h.split_once('.') {
                Some((_, rest)) if rest.contains('.') => h = rest,
                _ => return host,
            }
        }
    }

    /// The report's outlet and where the name came from; `None` when nothing names it.
    pub fn outlet(&self, r: &Report) -> Option<(String, OutletFrom)> {
        if let Some(s) = r
            .source
            .as_deref()
            .map(clean_name)
            .filter(|s| !s.is_empty())
        {
            let mapped = if s.contains('.') && !s.contains(' ') {
                self.of_host(&s)
            } else {
                s
            };
            return Some((mapped, OutletFrom::Source));
        }
        if let Some(host) = r.url.as_deref().and_then(url_host) {
            return Some((self.of_host(&host), OutletFrom::Site));
        }
        self_named(r).map(|n| (n, OutletFrom::Text))
    }
}

static BUILTIN: LazyLock<OutletNames> = LazyLock::new(OutletNames::builtin);

/// The outlet the report's input or page states (its `source`, a host-like one mapped through
/// the built-in host table: `upi.com` is `UPI`), else that of its URL; never one its text names.
pub fn stated_outlet(r: &Report) -> Option<String> {
    BUILTIN
        .outlet(r)
        .filter(|(_, from)| *from != OutletFrom::Text)
        .map(|(name, _)| name)
}

/// The outlet of a report's URL by the built-in host table (`apnews.com` is `AP`), if it has
/// an http(s) URL.
pub fn site_outlet(r: &Report) -> Option<String> {
    r.url
        .as_deref()
        .and_then(url_host)
        .map(|h| BUILTIN.of_host(&h))
}

/// Whitespace collapsed and trimmed.
fn clean_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A host lowercased, without a port, a trailing dot, or a prefix of [`HOST_PREFIXES`].
pub fn normalize_host(host: &str) -> String {
    let mut h = host.trim().trim_end_matches('.').to_lowercase();
    if let Some((name, _port)) = h.rsplit_once(':')
        && !name.contains(']')
    {
        h = name.to_string();
    }
    loop {
        match HOST_PREFIXES
            .iter()
            .find(|p| h.starts_with(**p) && h[p.len()..].contains('.'))
        {
            Some(p) => h = h[p.len()..].to_string(),
            None => return h,
        }
    }
}

/// The normalised host of an http(s) URL.
pub fn url_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = normalize_host(host);
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// The outlet a report's text names for itself: an outlet line the cleaner dropped, else the
/// outlet its running text speaks of as itself most often; never an agency it credits.
pub fn self_named(r: &Report) -> Option<String> {
    // An agency the body credits as its story's author (a dateline "(AP) —", Reuters'
    // "Reporting by …") is not the page's outlet: the page republishes the agency's story, a
    // wire copy whose publisher it does not name (lineage counts it as derived from the
    // agency). Its credit lines ("© AP", "(AP)") say the same.
    let credited = crate::markers::report_wire_credit(r).map(|(agency, _)| agency);
    let own = |name: &str| credited != Some(name);
    // An outlet line is often a byline or a time stamp ("DOUG FERGUSON", "40 minutes ago"):
    // only an outlet on the list, once the marks around it are cut ("- CNN", "By Jane Doe,
    // CNN"), names the page's outlet.
    for d in r.dropped.iter().filter(|d| d.rule == "outlet_line") {
        let line = d.text.trim();
        let name = line.rsplit([',', '|']).next().unwrap_or(line);
        let name = name.trim_matches(|c: char| !c.is_alphanumeric());
        let name = name.strip_prefix("By ").unwrap_or(name);
        // An agency on an outlet line is the credit of its story on someone else's page (an
        // "Associated Press" byline on globeandmail.com among the L3S pages), not the page's
        // outlet: only its own self-speech names an agency.
        if let Some(known) =
            known_outlet(name).filter(|k| own(k) && !crate::markers::is_agency_name(k))
        {
            return Some(known.to_string());
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for o in SELF_SPEECH_RES.iter().filter(|o| own(o.name)) {
        let mut n = o.own.find_iter(&r.text).count();
        if let Some(interview) = &o.interview
            && !o.third_party.is_match(&r.text)
        {
            n += interview.find_iter(&r.text).count();
        }
        if n > 0 && best.is_none_or(|(_, m)| n > m) {
            best = Some((o.name, n));
        }
    }
    best.map(|(n, _)| n.to_string())
}

/// The canonical name of an outlet on [`SELF_NAMING_OUTLETS`] that `name` is.
fn known_outlet(name: &str) -> Option<&'static str> {
    SELF_NAMING_OUTLETS
        .iter()
        .find(|names| {
            names.iter().any(|n| {
                n.eq_ignore_ascii_case(name) || n.eq_ignore_ascii_case(&format!("The {name}"))
            })
        })
        .map(|names| names[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_model::DroppedText;

    fn report(text: &str) -> Report {
        Report::from_text("r", text)
    }

    #[test]
    fn hosts_are_normalised_and_mapped_to_their_outlet() {
        let names = OutletNames::builtin();
        assert_eq!(
            url_host("https://edition.cnn.com/2025/05/07/x").as_deref(),
            Some("cnn.com")
        );
        assert_eq!(
            url_host("http://WWW.Example.org:8080/a").as_deref(),
            Some("example.org")
        );
        assert_eq!(url_host("file:///tmp/x.html"), None);
        assert_eq!(names.of_host("news.bbc.co.uk"), "BBC");
        assert_eq!(names.of_host("amp.theguardian.com"), "The Guardian");
        assert_eq!(names.of_host("example.org"), "example.org");
    }

    #[test]
    fn a_user_table_adds_hosts_and_names_its_bad_lines() {
        let mut names = OutletNames::builtin();
        names
            .add_table("# mine\nharbour-gazette.example\tHarbour Gazette\n")
            .unwrap();
        assert_eq!(
            names.of_host("www.harbour-gazette.example"),
            "Harbour Gazette"
        );
        let err = names
            .add_table("ok.example\tOK\nno tab here\n")
            .unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn source_then_site_then_text() {
        let names = OutletNames::builtin();
        let mut r = report("Reuters could not verify the plan.");
        r.url = Some("https://www.theguardian.com/world/x".into());
        r.source = Some("  Harbour   Gazette ".into());
        assert_eq!(
            names.outlet(&r),
            Some(("Harbour Gazette".into(), OutletFrom::Source))
        );
        r.source = None;
        assert_eq!(
            names.outlet(&r),
            Some(("The Guardian".into(), OutletFrom::Site))
        );
        r.url = None;
        assert_eq!(names.outlet(&r), Some(("Reuters".into(), OutletFrom::Text)));
        r.text = "The minister said the plan was set.".into();
        assert_eq!(names.outlet(&r), None);
    }

    #[test]
    fn the_text_names_its_outlet_by_outlet_line_or_self_speech() {
        let mut r = report("The talks went on.");
        r.dropped.push(DroppedText {
            rule: "outlet_line".into(),
            text: "By Jane Doe, CNN".into(),
        });
        assert_eq!(self_named(&r).as_deref(), Some("CNN"));

        for (line, want) in [
            ("- CNN", Some("CNN")),
            ("The Guardian", Some("The Guardian")),
            ("© AP", None),
            ("- REUTERS", None),
            ("DOUG FERGUSON", None),
            ("40 minutes ago", None),
        ] {
            let mut r = report("The talks went on.");
            r.dropped.push(DroppedText {
                rule: "outlet_line".into(),
                text: line.into(),
            });
            assert_eq!(self_named(&r).as_deref(), want, "{line}");
        }

        // A page crediting an agency is a copy of the agency's story: not the agency's page.
        let r = report("WASHINGTON (AP) — The Senate voted on Tuesday.");
        assert_eq!(self_named(&r), None);
        let mut r = report("WASHINGTON (AP) — The Senate voted. Officials told AP it would.");
        r.dropped.push(DroppedText {
            rule: "outlet_line".into(),
            text: "© AP".into(),
        });
        assert_eq!(self_named(&r), None);

        let r = report(
            "The order came after Reuters was first to report the plan. A relative told Reuters he was held. The BBC said nothing.",
        );
        assert_eq!(self_named(&r).as_deref(), Some("Reuters"));
        // An interview names a broadcaster, not an agency others quote; nor an outlet the text
        // speaks of as a third party.
        let r = report("Mr Smith told the BBC's Today programme the plan was set.");
        assert_eq!(self_named(&r).as_deref(), Some("BBC"));
        let r = report("The minister told the Associated Press news agency the plan was set.");
        assert_eq!(self_named(&r), None);
        let r = report("He told CNN on Sunday. According to CNN, the plan was set.");
        assert_eq!(self_named(&r), None);

        let r = report("CNN reached out to a representative for comment.");
        assert_eq!(self_named(&r).as_deref(), Some("CNN"));

        // Another outlet's reporting, cited, is not the text speaking of itself.
        let r = report("According to CNN, the talks failed. Reuters reported the same.");
        assert_eq!(self_named(&r), None);
        // A closing credit is a byline of the agency's story, not the page's outlet.
        let r = report("The talks failed.\n(Reporting by Jane Doe; Editing by John Roe)");
        assert_eq!(self_named(&r), None);
    }
}
