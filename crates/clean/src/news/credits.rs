//! Credits and contact lines under a story: who else worked on it and how to reach the author.
//! They name people, not events, and templates print them after the last paragraph.
//!
//! - **contributor_line**: "Associated Press writers Alan Fram and Zeke Miller contributed to
//!   this report.", "Contributing: Kristine Phillips".
//! - **author_contact**: "Write to Al Root at allen.root@dowjones.com", "Reach the reporters on
//!   Twitter at http://twitter.com/…", "… Follow him on Twitter @handle."
//!
//! Wire "(Reporting by …; Editing by …)" lines are left alone: the L3S gold keeps them in the
//! body on 10 of its pages, the AEB gold on one (dropping them measured AEB +0.0003 precision,
//! L3S -0.0012 recall).

use std::sync::LazyLock;

use regex::Regex;

use super::{Body, NewsContext, lines_matching};

/// Longest credit line, in words: the AEB list of AP contributors runs 24 words.
const MAX_CREDIT_WORDS: usize = 40;

/// Longest contact line, in words: contact details often close a short author bio ("Mike
/// Wall's book … is out now. Follow him on Twitter @michaeldwall."), 50 words on AEB.
const MAX_CONTACT_WORDS: usize = 60;

static CONTRIBUTOR: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)(?:\bcontributed (?:to )?(?:this|the) (?:report|story|article)\W*$|^\W*contributing:)")
        .expect("static pattern")
});

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)(?:\bfollow (?:him|her|me|them|us) (?:on|at) (?:twitter|facebook|instagram)\b|^\W*(?:follow|email|e-mail|write to|reach|contact) .{0,80}?(?:@\w|twitter\.com))")
        .expect("static pattern")
});

pub(super) fn contributor_lines(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines_matching(lines, &CONTRIBUTOR, MAX_CREDIT_WORDS)
}

pub(super) fn author_contacts(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines_matching(lines, &CONTACT, MAX_CONTACT_WORDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::news::rule_hits as hits;

    #[test]
    fn contributors() {
        let text = "The port reopened on Friday, officials said.\nAssociated Press writers Ann Lee and Bo Chen contributed to this report.\nContributing: Kristine Phillips\nSeveral agencies contributed to the report's findings, the minister said.";
        assert_eq!(hits(contributor_lines, text), vec![1, 2]);
    }

    #[test]
    fn contacts_but_not_reporting_about_email() {
        let text = "Write to Ann Lee at ann.lee@example.com\nReach the reporters on Twitter at http://twitter.com/annlee\nAnn's book is out now. Follow her on Twitter @annlee.\nThe minister said he would email the union on Monday.";
        assert_eq!(hits(author_contacts, text), vec![0, 1, 2]);
    }
}
