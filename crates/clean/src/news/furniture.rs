//! Page furniture printed into the article container: date and update lines, photo captions
//! and credits, copyright and address footers, gallery counters, and promo kickers. None of it
//! is reporting; all of it is short and shaped by templates, which is what these rules match.
//!
//! - **dateline**: "Updated Nov 19, 9:41 AM;Posted Nov 18, 8:19 PM", "PUBLISHED: 10:48, Tue,
//!   Nov 19, 2019", "By HNN Staff | November 18, 2019 at 2:26 PM", a date alone with its
//!   weekday or time ("Sunday January 13, 2008, 5:00 AM", "1/7/2008, 6:30 p.m. EST"), or after
//!   a credit of a few words ("Associated Press - January 2, 2008 7:33 AM ET": the credit is
//!   read from the drop, `stories::markers`).
//! - **caption**: "Protesters have worn masks (Image: GETTY)", "… outside a store. (AP
//!   Photo/Alan Diaz, File)", "…treatmentCredit: EPA", "Alex Wong | Getty Images".
//! - **copyright**: "© 2019 Capitol Hill Publishing Corp.", "All rights reserved."
//! - **non_text**: lines without a letter ("6", "|", "***").
//! - **disclaimer**: the site's legal notes under a story ("NEWS.com.au is not responsible for
//!   the content of external sites.", "… is expressly prohibited without the prior written
//!   consent of …", "Please read our Terms and Conditions … before using this site.", "The
//!   opinions expressed in this release … do not necessarily reflect …").
//! - **menu_line**: a navigation menu flattened into one line, three or more short items
//!   between bars and no sentence among them ("Print version | Email to a friend | Related
//!   articles", "News: ePaper | Front Page | National | …").
//! - **promo**: an all-capitals kicker ("RANDY ANDY", "DON'T MISS") followed by a headline
//!   without closing punctuation: a link to another story.

use std::sync::LazyLock;

use regex::Regex;

use super::{Body, NewsContext, at_most_words, ends_sentence, lines_matching};

/// Longest furniture line in words; captions run longest.
const MAX_WORDS: usize = 60;

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(&format!(
        r"(?i)^\W*(?:(?:first |last )?(?:published|updated|posted|modified)\b(?: on| at)?\W*(?:\d|{MONTH}|mon|tue|wed|thu|fri|sat|sun|yesterday|today|\d+ (?:minutes?|hours?|days?) ago)|by [^|]{{1,60}}\|\s*(?:{MONTH}|\d)|(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?(?:{MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTH},? \d{{4}})\b[^.]{{0,40}}$|\d{{1,2}}/\d{{1,2}}/\d{{4}},? \d{{1,2}}:\d\d\b(?:[^.]|\b[ap]\.m\.){{0,30}}$|[a-z][a-z0-9&'’.]*(?: [a-z0-9&'’.]+){{0,3}} [-–—|] (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?(?:{MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTH},? \d{{4}})\b[^.]{{0,40}}$)"
    ))
    .expect("static pattern")
});

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)(?:\((?:image|photo|picture|pic|video|credit|source)s?:[^)]*\)\s*$|\((?:ap|afp|reuters|getty|epa|pa)(?: photo| images)?(?:/[^)]*)?\)\s*$|\(photo (?:by|credit)[^)]*\)\s*$|(?-i:Credit):\s*[^.]{1,60}$|^\S[^.]{0,60}\|\s*(?:getty images|ap|reuters|afp|epa|shutterstock)\s*$|^(?:photo|image|picture|video)(?: credit)?:\s)")
        .expect("static pattern")
});

static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)(?:©|\(c\) \d{4}|^\W*copyright\b\W*(?:\d{4}|©|\(c\))|\ball rights reserved\b|\bthe contents of this site are\b)").expect("static pattern")
});

static DISCLAIMER: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)\b(?:(?:is|are) not responsible for the content|expressly prohibited|before using this site|(?:opinions|views) expressed (?:in|here|on|by)\b[^.]{0,100}\bdo(?:es)? not necessarily reflect)\b")
        .expect("static pattern")
});

/// Longest item of a flattened menu, in characters: menu items are a few words ("Email to a
/// friend", "Other States"), 40 characters holds the longest seen on L3S.
const MAX_MENU_ITEM_CHARS: usize = 40;

/// Fewest items between bars for a line to be a menu: "Print version | Email to a friend |
/// Related articles" has three; two items can be a headline and its outlet.
const MIN_MENU_ITEMS: usize = 3;

/// Longest date line, in words.
const MAX_DATELINE_WORDS: usize = 25;
/// Longest copyright or address footer, in words.
const MAX_FOOTER_WORDS: usize = 40;

pub(super) fn datelines(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines_matching(lines, &DATELINE, MAX_DATELINE_WORDS)
}

pub(super) fn captions(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    // Every branch of the pattern needs a `(`, `|` or `:`: looking for one first spares the
    // regex most lines.
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            lines.words(*i) <= MAX_WORDS && l.contains(['(', '|', ':']) && CAPTION.is_match(l)
        })
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn copyright(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines_matching(lines, &COPYRIGHT, MAX_FOOTER_WORDS)
}

pub(super) fn disclaimers(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines_matching(lines, &DISCLAIMER, MAX_FOOTER_WORDS)
}

/// Whether a line is a flattened menu (see the module comment).
fn is_menu(line: &str) -> bool {
    let items: Vec<&str> = line.split('|').collect();
    items.len() >= MIN_MENU_ITEMS
        && items
            .iter()
            .all(|i| i.chars().count() <= MAX_MENU_ITEM_CHARS && !i.contains('.'))
        && items.iter().filter(|i| !i.trim().is_empty()).count() >= MIN_MENU_ITEMS - 1
}

pub(super) fn menu_lines(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_menu(l))
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn non_text(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.chars().any(char::is_alphabetic))
        .map(|(i, _)| i)
        .collect()
}

/// Longest kicker, in words.
const MAX_KICKER_WORDS: usize = 6;
/// Promoted headline length bounds, in words: a headline, not a score line ("Viera d.
/// Rockledge 3-1") under an all-capitals results heading.
const PROMO_WORDS: std::ops::RangeInclusive<usize> = 5..=25;

fn is_kicker(line: &str) -> bool {
    // The word limit first: collecting the letters of every paragraph was 2% of the cleaning
    // instructions on AEB (callgrind).
    if !at_most_words(line, MAX_KICKER_WORDS) {
        return false;
    }
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.len() >= 3
        && letters.iter().all(|c| c.is_uppercase())
        && !ends_sentence(line)
}

pub(super) fn promos(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    // Not at the body's start: a promoted headline sits beside or after the article, and an
    // all-capitals line opening the body is the report's own (a wire item's fund or table
    // heading: "LORD ABBETT VALUE APPRECIATION FUND" / "Annual div 33 cts vs 23 cts prior"
    // opened 11 Reuters-21578 items the rule emptied of their lead).
    let mut i = 1;
    while i + 1 < lines.len() {
        let next = &lines[i + 1];
        if is_kicker(&lines[i])
            && !is_kicker(next)
            && PROMO_WORDS.contains(&lines.words(i + 1))
            && !ends_sentence(next)
        {
            out.extend([i, i + 1]);
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::news::rule_hits as hits;

    #[test]
    fn date_and_update_lines() {
        let text = "Updated Nov 19, 9:41 AM;Posted Nov 18, 8:19 PM\nPUBLISHED: 10:48, Tue, Nov 19, 2019\nBy HNN Staff | November 18, 2019 at 2:26 PM HST\nUpdated at 1:23 p.m.\nNov 18, 2019 @17:19 PM\nThe bill was updated in March to add two clauses, the clerk said.";
        assert_eq!(hits(datelines, text), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_date_alone_with_its_weekday_or_time_is_a_date_line() {
        let text = "Sunday January 13, 2008, 5:00 AM\nThu, January 10, 2008\nTue, 15 Jan 2008 14:50:06 GMT\n1/7/2008, 6:30 p.m. EST\nAssociated Press - January 2, 2008 7:33 AM ET\nOn Sunday January 13, 2008, the club said it had sacked its manager.\nSunday January 13, 2008 was the coldest day. Schools closed.\nThe club said on Sunday that the manager had left - January 13, 2008 was his last day.";
        assert_eq!(hits(datelines, text), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn captions_and_credits() {
        let text = "Protesters have worn masks to protect their identities (Image: GETTY )\nVicente Aguiar loads trims into his truck. (AP Photo/Alan Diaz, File)\nThe hospital where patients sought treatmentCredit: EPA\nAlex Wong | Getty Images\nPolice said the photo was taken on Monday.";
        assert_eq!(hits(captions, text), vec![0, 1, 2, 3]);
    }

    #[test]
    fn disclaimers_and_menus() {
        assert_eq!(
            hits(
                disclaimers,
                "The BBC is not responsible for the content of external internet sites\nRedistribution is expressly prohibited without the prior written consent of the agency.\nThe minister said the ministry was responsible for the contract.\nThe opinions expressed in this release are those of the organization issuing it, and do not necessarily reflect the opinions of the site.\nThe agency said the report does not necessarily reflect the views of its board."
            ),
            vec![0, 1, 3]
        );
        assert_eq!(
            hits(
                menu_lines,
                "Print version | Email to a friend | Related articles\nNews: ePaper | Front Page | National | Other States |\nStorm closes port | Daily Example\nShares rose 3% | bonds fell 1% | the dollar was flat, traders said. Gold rose."
            ),
            vec![0, 1]
        );
    }

    #[test]
    fn footers_counters_and_promos() {
        assert_eq!(
            hits(
                copyright,
                "The contents of this site are ©2019 Capitol Hill Publishing Corp.\nThe court ruled on copyright law on Monday and said the case would go ahead to a full trial next spring in the capital."
            ),
            vec![0]
        );
        assert_eq!(hits(non_text, "6\nSix people died.\n***"), vec![0, 2]);
        assert_eq!(
            hits(
                promos,
                "The court ruled on Monday that the flights could not leave.\nRANDY ANDY\nAndrew parties in unearthed pics despite claiming he avoids PDAs\nMEXICO TO LIBYA\nFamily members feared he could be deported."
            ),
            vec![1, 2]
        );
        // A body that opens with an all-capitals heading keeps it: a report's own heading.
        assert_eq!(
            hits(
                promos,
                "LORD ABBETT VALUE APPRECIATION FUND\nAnnual div 33 cts vs 23 cts prior\nPay April 6"
            ),
            Vec::<usize>::new()
        );
    }
}
