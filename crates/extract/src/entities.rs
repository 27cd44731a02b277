//! Entities: people, organisations and places named in a report, each with its mentions.
//!
//! No model hub is reachable and no registry package ships an English NER model (see the
//! extract issue note), so this is rule- and lexicon-based: runs of capitalised words are
//! candidates; a title before a name, a reporting verb after it, or a later bare surname makes
//! it a person; organisation words (Department, Army, Party…) and all-capital acronyms make an
//! organisation; a gazetteer of countries, US states and world capitals makes a place. Within a
//! report, "Trump", "President Donald Trump" and "the president" are one person; two people who
//! share a surname ("Khalifa Haftar", "Saddam Haftar") never are. Across reports,
//! [`same_person`] links spellings of one name (Haftar / Hifter) without merging first names.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::names::{CUES, TITLES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Organization,
    Place,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }
}

/// One entity of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The fullest form the report uses ("Donald Trump").
    pub name: String,
    pub kind: EntityKind,
    /// Byte spans of its mentions in the text, in order.
    pub mentions: Vec<(usize, usize)>,
}

const ORG_WORDS: &[&str] = &[
    "Department",
    "Ministry",
    "Army",
    "Party",
    "Court",
    "Agency",
    "Council",
    "Government",
    "University",
    "Inc",
    "Corp",
    "Company",
    "Committee",
    "Commission",
    "Office",
    "House",
    "Senate",
    "Congress",
    "Pentagon",
    "Bureau",
    "Service",
    "Police",
    "Times",
    "Post",
    "News",
    "Journal",
    "Reuters",
    "Association",
    "Union",
    "Bank",
    "Fund",
    "Institute",
    "Foundation",
    "Administration",
    "Campaign",
    "Network",
    "Group",
    "Organization",
    "Organisation",
    "Nations",
    "Forces",
    "Guard",
    "Navy",
    "Unity",
    "Security",
    "Coalition",
    "Center",
    "Centre",
    // Newspapers' and parties' names read as two-word person names ("Sunday Telegraph",
    // "Liberal Democrats" were people, and a pronoun's antecedent: `eval speakers` sample).
    "Telegraph",
    "Herald",
    "Tribune",
    "Gazette",
    "Chronicle",
    "Mirror",
    "Democrats",
    "Republicans",
    "Conservatives",
    "Tories",
    "Socialists",
    "Liberals",
    "Labour",
    "League",
    "Federation",
    "Club",
    "Board",
    "Authority",
    "Society",
    "Airlines",
    "Airways",
    "Industries",
    "Holdings",
];

const PLACES: &[&str] = &[
    "Afghanistan",
    "Albania",
    "Algeria",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Belgium",
    "Bolivia",
    "Bosnia",
    "Brazil",
    "Bulgaria",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Chad",
    "Chile",
    "China",
    "Colombia",
    "Congo",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Denmark",
    "Ecuador",
    "Egypt",
    "El Salvador",
    "Eritrea",
    "Estonia",
    "Ethiopia",
    "Finland",
    "France",
    "Georgia",
    "Germany",
    "Ghana",
    "Greece",
    "Guatemala",
    "Guinea",
    "Haiti",
    "Honduras",
    "Hungary",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kosovo",
    "Kuwait",
    "Laos",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "Mali",
    "Mexico",
    "Moldova",
    "Mongolia",
    "Morocco",
    "Mozambique",
    "Myanmar",
    "Nepal",
    "Netherlands",
    "New Zealand",
    "Nicaragua",
    "Niger",
    "Nigeria",
    "North Korea",
    "Norway",
    "Oman",
    "Pakistan",
    "Panama",
    "Paraguay",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Russia",
    "Rwanda",
    "Saudi Arabia",
    "Senegal",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Somalia",
    "South Africa",
    "South Korea",
    "South Sudan",
    "Spain",
    "Sri Lanka",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Tanzania",
    "Thailand",
    "Tunisia",
    "Turkey",
    "Uganda",
    "Ukraine",
    "United Arab Emirates",
    "United Kingdom",
    "United States",
    "Uruguay",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Yemen",
    "Zambia",
    "Zimbabwe",
    "America",
    "Europe",
    "Africa",
    "Asia",
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
    "London",
    "Paris",
    "Berlin",
    "Moscow",
    "Beijing",
    "Tokyo",
    "Tripoli",
    "Benghazi",
    "Kigali",
    "Cairo",
    "Baghdad",
    "Tehran",
    "Jerusalem",
    "Kyiv",
    "Kiev",
    "Brussels",
    "Geneva",
    "Rome",
    "Madrid",
    "Ottawa",
    "Toronto",
    "Chicago",
    "Los Angeles",
    "San Francisco",
    "Boston",
    "Miami",
    "Houston",
    "Dallas",
    "Atlanta",
    "Seattle",
    "Guantanamo Bay",
    "Yucatan",
    "Pearsall",
    "Beirut",
    "Damascus",
    "Kabul",
    "Islamabad",
    "Delhi",
    "New Delhi",
    "Mumbai",
    "Seoul",
    "US",
    "U.S.",
    "UK",
    "U.K.",
];

/// Titles that make the name after them a person's (not "U.S." or "Democratic").
const PERSON_TITLES: &[&str] = &[
    "President",
    "Secretary",
    "Sen.",
    "Senator",
    "Rep.",
    "Representative",
    "Gov.",
    "Governor",
    "Mayor",
    "Judge",
    "Justice",
    "Gen.",
    "General",
    "Col.",
    "Adm.",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Prof.",
    "Minister",
    "Chancellor",
    "King",
    "Queen",
    "Prince",
    "Pope",
    "Rev.",
    "Sgt.",
    "Lt.",
    "Capt.",
    "Commander",
    "Chairman",
    "Chairwoman",
    "Speaker",
    "Sheriff",
    "Officer",
    "Ambassador",
    "Leader",
];

/// Compass words that make a region of a place ("Eastern Libya") a place.
const REGION_WORDS: &[&str] = &[
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
];

/// Last words of the names of places that are not countries or cities.
const FEATURE_WORDS: &[&str] = &[
    "Ocean",
    "Sea",
    "River",
    "Island",
    "Islands",
    "Gulf",
    "Bay",
    "Lake",
    "Valley",
    "Mountains",
    "Street",
    "Road",
    "Square",
    "Park",
    "Stadium",
    "Airport",
    "Festival",
    "Hills",
    "Coast",
    "Peninsula",
    "Strait",
    "Canal",
    "Province",
    "State",
    "County",
    "City",
    "Town",
];

/// Whether a run of capitalised words names a place or an organisation, never a person: a
/// country or city of the gazetteer (alone, last, or after a region word: "West Germany"), a
/// place's feature ("Indian Ocean"), an institution's word ("European Union", "Fox News").
pub(crate) fn not_a_person(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    PLACES.contains(&name)
        || PLACES.contains(last)
        || FEATURE_WORDS.contains(last)
        || words.iter().any(|w| ORG_WORDS.contains(w))
        // "February", "Monday": a day or a month is no one (Reuters tables open with them).
        || words
            .iter()
            .all(|w| storyline_text::is_calendar_word(&w.to_lowercase()))
}

/// Adjectives of nationality end like this ("North African", "Libyan"): not entities by
/// themselves.
fn demonym(word: &str) -> bool {
    ["ian", "ean", "ese", "ish", "can", "ican", "ani", "ili"]
        .iter()
        .any(|s| word.ends_with(s))
        && word.len() > 4
}

static CAPITAL_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z][\w’'\x01-]*|U\x01S\x01)(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?|al-|bin[ \t]+|de[ \t]+|for[ \t]+)?(?:[A-Z][\w’'\x01-]*))*")
        .expect("static pattern")
});

/// Words that open a sentence or a clause in capitals without naming anything.
fn function_word(w: &str) -> bool {
    storyline_text::is_stopword(&w.to_lowercase())
        || matches!(
            w,
            "But"
                | "And"
                | "Yet"
                | "However"
                | "Meanwhile"
                | "Despite"
                | "After"
                | "Before"
                | "Though"
                | "Although"
                | "Just"
                | "As"
                | "Last"
                | "Earlier"
                | "Sources"
                | "Officials"
                | "Key"
                | "Legal"
                | "Specific"
        )
}

fn strip_possessive(s: &str) -> &str {
    s.trim_end_matches("’s").trim_end_matches("'s")
}

struct Mention {
    span: (usize, usize),
    text: String,
    titled_person: bool,
    speaker: bool,
}

/// The entities of a report's body.
pub fn entities(original: &str) -> Vec<Entity> {
    let masked = crate::attributions::mask_abbreviations(original);
    let text = masked.as_str();
    let mut mentions: Vec<Mention> = Vec::new();
    for m in CAPITAL_RUN.find_iter(text) {
        let words: Vec<&str> = m.as_str().split_whitespace().collect();
        // Leading titles and function words are not part of the name.
        let mut i: usize = 0;
        let mut titled = false;
        let organisation = words
            .iter()
            .any(|w| ORG_WORDS.contains(&strip_possessive(w)));
        while i < words.len() {
            let w = words[i].replace('\u{1}', ".");
            let title = TITLES.contains(&w.as_str()) && !organisation;
            // A kicker in capitals before a name ("ACTRESS Mischa Barton").
            let kicker = w.len() > 4
                && w.chars().all(|c| c.is_ascii_uppercase())
                && words[i + 1..]
                    .iter()
                    .any(|x| x.chars().skip(1).any(|c| c.is_lowercase()));
            if !(title || kicker || function_word(words[i])) {
                break;
            }
            titled |= PERSON_TITLES.contains(&w.as_str());
            i += 1;
        }
        // A title inside the run ("Libyan Gen. Saddam Haftar"): the name is what follows it.
        if !organisation
            && let Some(t) = words
                .iter()
                .rposition(|w| PERSON_TITLES.contains(&w.replace('\u{1}', ".").as_str()))
            && t + 1 < words.len()
            && t >= i
        {
            i = t + 1;
            titled = true;
        }
        // A heading in capitals ("MEXICO TO LIBYA") names nothing.
        let letters: Vec<char> = m.as_str().chars().filter(|c| c.is_alphabetic()).collect();
        if words.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
            continue;
        }
        // A lowercase "of" left at the start is not a name either.
        while i < words.len() && words[i].chars().next().is_some_and(char::is_lowercase) {
            i += 1;
        }
        if i >= words.len() {
            continue;
        }
        let first = words[i];
        let run_start = m.start() + m.as_str().find(first).unwrap_or(0);
        let run = text[run_start..m.end()]
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'');
        // "Khalifa Haftar's Libyan National Army" is two entities: split after a possessive.
        let mut part_start = 0;
        let mut parts: Vec<(usize, usize)> = Vec::new();
        for w in run.split(' ') {
            let w_start = run[part_start..]
                .find(w)
                .map(|x| part_start + x)
                .unwrap_or(part_start);
            let w_end = w_start + w.len();
            if w.ends_with("’s") || w.ends_with("'s") {
                parts.push((part_start, w_end));
                part_start = (w_end + 1).min(run.len());
            }
        }
        if part_start < run.len() {
            parts.push((part_start, run.len()));
        }
        for (pi, (ps, pe)) in parts.into_iter().enumerate() {
            let piece = strip_possessive(
                run[ps..pe]
                    .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\''),
            );
            let piece = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
            if piece.chars().count() < 2
                || piece.split_whitespace().count() > 6
                || function_word(piece)
            {
                continue;
            }
            let start = run_start + ps;
            let end = start + piece.len();
            let after = text[end..]
                .trim_start_matches(['’', '\'', 's'])
                .split_whitespace()
                .next()
                .unwrap_or("");
            let speaker = CUES.contains(&after.trim_end_matches(|c: char| !c.is_alphanumeric()));
            mentions.push(Mention {
                span: (start, end),
                text: piece.replace('\u{1}', "."),
                titled_person: titled && pi == 0,
                speaker,
            });
        }
    }
    group(original, mentions)
}

fn classify(name: &str, m: &[&Mention], surname_elsewhere: bool) -> Option<EntityKind> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if PLACES.contains(&name)
        || (words.len() == 2 && REGION_WORDS.contains(&words[0]) && PLACES.contains(&words[1]))
    {
        return Some(EntityKind::Place);
    }
    if words.last().is_some_and(|w| demonym(w)) && !m.iter().any(|x| x.titled_person) {
        return None;
    }
    if words.iter().any(|w| ORG_WORDS.contains(w))
        || (name.len() >= 2
            && name.len() <= 5
            && name.chars().all(|c| c.is_ascii_uppercase() || c == '.'))
    {
        return Some(EntityKind::Organization);
    }
    if m.iter().any(|x| x.titled_person)
        || (words.len() >= 2 && (m.iter().any(|x| x.speaker) || surname_elsewhere))
    {
        return Some(EntityKind::Person);
    }
    if words.len() >= 2
        && words.len() <= 3
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return Some(EntityKind::Person);
    }
    if m.iter().any(|x| x.speaker) && words.len() == 1 {
        return Some(EntityKind::Person);
    }
    None
}

/// Groups mentions into entities: full names first, then bare surnames attach to the last
/// full name ending in them (or stand alone), so "Khalifa Haftar" and "Saddam Haftar" stay two.
fn group(text: &str, mentions: Vec<Mention>) -> Vec<Entity> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        by_name.entry(m.text.clone()).or_default().push(i);
    }
    let surnames: HashMap<String, Vec<String>> = {
        let mut s: HashMap<String, Vec<String>> = HashMap::new();
        for name in by_name.keys() {
            let words: Vec<&str> = name.split_whitespace().collect();
            let place_like = PLACES.contains(&name.as_str())
                || PLACES.contains(&words[words.len() - 1])
                || REGION_WORDS.contains(&words[0]);
            if words.len() >= 2 && !place_like && !words.iter().any(|w| ORG_WORDS.contains(w)) {
                s.entry(words[words.len() - 1].to_string())
                    .or_default()
                    .push(name.clone());
            }
        }
        s
    };
    let mut entities: Vec<Entity> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<&String> = by_name.keys().collect();
    names.sort_by_key(|n| {
        (
            std::cmp::Reverse(n.split_whitespace().count()),
            by_name[*n][0],
        )
    });
    for name in names {
        let ms: Vec<&Mention> = by_name[name].iter().map(|&i| &mentions[i]).collect();
        let words: Vec<&str> = name.split_whitespace().collect();
        // A bare surname joins the full name it abbreviates, when exactly one full name fits,
        // or the last one mentioned before it.
        if words.len() == 1
            && let Some(fulls) = surnames.get(name)
        {
            for m in &ms {
                let target = fulls
                    .iter()
                    .filter(|f| index_of.contains_key(*f))
                    .filter(|f| {
                        mentions
                            .iter()
                            .any(|x| &x.text == *f && x.span.0 < m.span.0)
                    })
                    .max_by_key(|f| {
                        mentions
                            .iter()
                            .filter(|x| &x.text == *f && x.span.0 < m.span.0)
                            .map(|x| x.span.0)
                            .max()
                    })
                    .or_else(|| {
                        if fulls.len() == 1 {
                            fulls.first()
                        } else {
                            None
                        }
                    });
                if let Some(t) = target.and_then(|t| index_of.get(t)) {
                    entities[*t].mentions.push(m.span);
                }
            }
            continue;
        }
        let surname_elsewhere = words.len() >= 2 && by_name.contains_key(words[words.len() - 1]);
        let Some(kind) = classify(name, &ms, surname_elsewhere) else {
            continue;
        };
        index_of.insert(name.clone(), entities.len());
        entities.push(Entity {
            name: name.clone(),
            kind,
            mentions: ms.iter().map(|m| m.span).collect(),
        });
    }
    // "the president" refers to the person introduced as President.
    for (title, lower) in [
        ("President", "the president"),
        ("Secretary", "the secretary"),
        ("Judge", "the judge"),
    ] {
        let titled = entities.iter().position(|e| {
            e.kind == EntityKind::Person
                && e.mentions
                    .iter()
                    .any(|&(s, _)| text[..s].trim_end().ends_with(title))
        });
        if let Some(t) = titled {
            let mut from = 0;
            let lower_text = text.to_lowercase();
            while let Some(i) = lower_text[from..].find(lower) {
                let s = from + i;
                entities[t].mentions.push((s, s + lower.len()));
                from = s + lower.len();
            }
        }
    }
    merge_aliases(&mut entities);
    for e in &mut entities {
        e.mentions.sort_unstable();
        e.mentions.dedup();
    }
    entities.sort_by_key(|e| e.mentions[0]);
    entities
}

/// Words that qualify an institution by its country ("U.S. State Department").
const COUNTRY_QUALIFIERS: &[&str] = &["U.S.", "US", "U.K.", "UK", "British", "American"];

/// One report's names of one organisation, made one entity under its fullest name: an acronym
/// and its expansion ("DHS", "Department of Homeland Security"; "GNU", "Government of
/// National Unity"), and a name with and without its country ("State Department", "U.S.
/// State Department").
fn merge_aliases(entities: &mut Vec<Entity>) {
    let initials = |name: &str| -> String {
        name.split_whitespace()
            .filter(|w| !matches!(*w, "of" | "the" | "for" | "and" | "on" | "de"))
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_uppercase())
            .collect()
    };
    let acronym =
        |name: &str| (2..=6).contains(&name.len()) && name.chars().all(|c| c.is_ascii_uppercase());
    let mut i = 0;
    while i < entities.len() {
        let name = entities[i].name.clone();
        let first_at = entities[i].mentions.first().map_or(0, |m| m.0);
        let target = entities
            .iter()
            .enumerate()
            .position(|(j, e)| {
                j != i
                    && ((acronym(&name)
                        && e.name.split_whitespace().count() >= 2
                        && initials(&e.name) == name)
                        || COUNTRY_QUALIFIERS.iter().any(|q| {
                            e.name.strip_prefix(q).is_some_and(|rest| {
                                rest.trim_start() == name && rest.starts_with(' ')
                            })
                        })
                        // "Homeland Security" for the "Department of Homeland Security".
                        || name.contains(' ')
                            && e.kind == EntityKind::Organization
                            && e.name.ends_with(&format!(" of {name}")))
            })
            .or_else(|| {
                // "The Department in its travel advisory…": an institution's head word alone
                // stands for the last organisation named with it before.
                (ORG_WORDS.contains(&name.as_str()))
                    .then(|| {
                        entities
                            .iter()
                            .enumerate()
                            .filter(|(j, e)| {
                                *j != i
                                    && e.kind == EntityKind::Organization
                                    && e.name.split_whitespace().any(|w| w == name)
                            })
                            .filter_map(|(j, e)| {
                                let before = e
                                    .mentions
                                    .iter()
                                    .filter(|m| m.0 < first_at)
                                    .map(|m| m.0)
                                    .max()?;
                                Some((before, j))
                            })
                            .max()
                            .map(|(_, j)| j)
                    })
                    .flatten()
            });
        match target {
            Some(t) => {
                let gone = entities.remove(i);
                let t = if t > i { t - 1 } else { t };
                entities[t].mentions.extend(gone.mentions);
                if entities[t].kind != EntityKind::Place {
                    entities[t].kind = EntityKind::Organization;
                }
            }
            None => i += 1,
        }
    }
}

/// Whether two names from different reports name the same person: the same given names and
/// a surname spelled within a small edit distance (transliterations: Haftar / Hifter,
/// Gaddafi / Qaddafi), or the same surname when one side gives no first name. Different first
/// names are different people ("Khalifa Haftar", "Saddam Haftar").
pub fn same_person(a: &str, b: &str) -> bool {
    let wa: Vec<String> = a.split_whitespace().map(|w| w.to_lowercase()).collect();
    let wb: Vec<String> = b.split_whitespace().map(|w| w.to_lowercase()).collect();
    let (Some(la), Some(lb)) = (wa.last(), wb.last()) else {
        return false;
    };
    let similar_surname = la == lb
        || (la.len() >= 4
            && lb.len() >= 4
            && la.chars().next() == lb.chars().next()
            && edit_distance(la, lb) <= MAX_SPELLING_EDITS);
    if !similar_surname {
        return false;
    }
    match (wa.len(), wb.len()) {
        (1, _) | (_, 1) => true,
        _ => wa[0] == wb[0],
    }
}

/// Most letter edits between two spellings of one transliterated surname: Haftar/Hifter is 2.
const MAX_SPELLING_EDITS: usize = 2;

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, EntityKind, usize)> {
        entities(text)
            .into_iter()
            .map(|e| (e.name, e.kind, e.mentions.len()))
            .collect()
    }

    #[test]
    fn an_acronym_and_a_country_prefix_are_aliases_of_one_organisation() {
        let t = "The Department of Homeland Security said on Monday that flights would resume. \
                 DHS did not say when. The U.S. State Department declined to comment, and a State \
                 Department spokesperson said talks go on.";
        let got = entities(t);
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert!(
            names.contains(&"Department of Homeland Security"),
            "{names:?}"
        );
        assert!(!names.contains(&"DHS"), "{names:?}");
        assert!(!names.contains(&"State Department"), "{names:?}");
        let dhs = got
            .iter()
            .find(|e| e.name == "Department of Homeland Security")
            .unwrap();
        assert_eq!(dhs.mentions.len(), 2, "{dhs:?}");
        // The "of" part alone, and the head word alone after the full name, are the same.
        let t = "The Department of Homeland Security would not comment. Homeland Security has \
                 said little. The U.S. State Department criticized the prisons. The Department \
                 in its travel advisory warns citizens.";
        let names: Vec<String> = entities(t).into_iter().map(|e| e.name).collect();
        assert!(
            !names.contains(&"Homeland Security".to_string()),
            "{names:?}"
        );
        assert!(!names.contains(&"Department".to_string()), "{names:?}");
        let state = entities(t)
            .into_iter()
            .find(|e| e.name == "U.S. State Department")
            .unwrap();
        assert_eq!(state.mentions.len(), 2, "{state:?}");
        let got = entities("ACTRESS Mischa Barton was arrested on Thursday, police said.");
        assert_eq!(got[0].name, "Mischa Barton", "{got:?}");
    }

    #[test]
    fn one_person_many_mentions() {
        let t = "President Donald Trump spoke on Monday. Trump said he would go. The president left for Texas.";
        let got = names(t);
        assert!(
            got.contains(&("Donald Trump".into(), EntityKind::Person, 3)),
            "{got:?}"
        );
        assert!(
            got.contains(&("Texas".into(), EntityKind::Place, 1)),
            "{got:?}"
        );
    }

    #[test]
    fn people_sharing_a_surname_stay_apart() {
        let t = "Khalifa Haftar's Libyan National Army controls the east. His son Saddam Haftar visited Washington. Saddam Haftar met officials.";
        let got = names(t);
        assert!(
            got.iter()
                .any(|g| g.0 == "Khalifa Haftar" && g.1 == EntityKind::Person),
            "{got:?}"
        );
        assert!(
            got.iter().any(|g| g.0 == "Saddam Haftar" && g.2 == 2),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "Libyan National Army" && g.1 == EntityKind::Organization),
            "{got:?}"
        );
    }

    #[test]
    fn spellings_link_first_names_do_not() {
        assert!(same_person("Khalifa Haftar", "Khalifa Hifter"));
        assert!(same_person("Haftar", "Khalifa Hifter"));
        assert!(!same_person("Khalifa Haftar", "Saddam Haftar"));
        assert!(!same_person("Marco Rubio", "Marco Polo"));
    }

    #[test]
    fn newspapers_and_parties_are_organisations() {
        let text = "The Sunday Telegraph reported the cuts. The Liberal Democrats accused the \
                    chancellor of complacency, and Vincent Cable said so twice.";
        let got = entities(text);
        let kind = |n: &str| got.iter().find(|e| e.name == n).map(|e| e.kind);
        assert_eq!(
            kind("Sunday Telegraph"),
            Some(EntityKind::Organization),
            "{got:?}"
        );
        assert_eq!(
            kind("Liberal Democrats"),
            Some(EntityKind::Organization),
            "{got:?}"
        );
        assert_eq!(kind("Vincent Cable"), Some(EntityKind::Person), "{got:?}");
    }
}
