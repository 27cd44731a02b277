//! Prompts and notes that are not reporting.
//!
//! - **affiliate_note**: "If you buy something through a link in this article, we may earn
//!   commission." Commerce disclosures appended to articles; they carry no news and would make
//!   every page of a site look alike.
//! - **share_prompt**: "Subscribe to our newsletter", "Follow us on X", "Share this article",
//!   "Download our app", "Advertisement". Calls to action, short lines only (a sentence that
//!   merely mentions subscribers is reporting).
//! - **cookie_notice**: "We use cookies to improve your experience…", "Wir verwenden Cookies…".
//! - **call_to_action**: a paragraph that ends by asking the reader to sign up or subscribe
//!   ("There's plenty more where that came from. Sign up for … to get the free daily
//!   newsletter."), invites them to the site's forums or community ("Join our Space Forums to
//!   keep talking space…"), opens "If you enjoyed this article, …", or asks them to have
//!   their say ("Have your say on the latest news in our Forums"). Longer than a
//!   share prompt, so matched by how it ends or opens, not by its first words alone.

use std::sync::LazyLock;

use regex::Regex;

use super::{Body, NewsContext, lines_matching};

/// Longest line a prompt rule drops: real prompts are short; a long line that matches is a
/// sentence of reporting that happens to contain the words.
const MAX_PROMPT_WORDS: usize = 40;

static AFFILIATE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)\b(?:if you (?:buy|purchase|click|shop)\b.*\b(?:link|links)\b|we (?:may )?(?:earn|receive|get) (?:a )?(?:small )?(?:commission|share of (?:the )?(?:sales?|revenue)|affiliate)|affiliate (?:links?|commissions?|partners?|advertising programs?)|(?:this|the) (?:post|article|page|story) (?:may )?contains? (?:affiliate|sponsored) links?|paid partnership|sponsored content)\b")
        .expect("static pattern")
});

static SHARE: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)^\W*(?:subscribe\b|sign up (?:for|to)\b|get (?:our|the) (?:free )?(?:newsletter|app)\b|follow (?:us|\w+) on\b|follow us\b|share (?:this|on|via)\b|click here\b|download (?:our|the) app\b|advertisement\W*$|ad\W*$|sponsored\W*$|support (?:our|independent) journalism\b|already a subscriber\b|newsletter sign[- ]?up\b|sign in to\b|log in to\b|skip to (?:main )?content\b|print this\b|email this\b|continue reading\b|see more\b|don'?t miss\b|have a tip\b|get the latest\b|want more stories\b|this slideshow requires\b|advert\W*$|tell us what you think\b|\[button\b|.*\bby clicking here\W*$|.*\bclick here\b.*|anzeige\W*$|werbung\W*$|artikel teilen\b|jetzt (?:abonnieren|teilen)\b|newsletter abonnieren\b|lesen sie (?:auch|mehr)\b|weiterlesen\W*$|mehr zum thema\W*$)")
        .expect("static pattern")
});

static COOKIES: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)\b(?:we use cookies|uses cookies|use of cookies|cookie (?:policy|settings|preferences|consent)|accept (?:all )?cookies|(?:verwenden|nutzen|verwendet|nutzt) cookies|cookies (?:akzeptieren|zulassen)|cookie-(?:einstellungen|richtlinie|hinweis)|einsatz von cookies)\b")
        .expect("static pattern")
});

static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    super::pattern(r"(?i)(?:(?:^|[.!?]\s+)(?:sign up|subscribe)\b[^.!?]*[.!?]?\s*$|^\W*join (?:our|the) [^.]{0,40}\b(?:forums?|community|newsletter|mailing list|discussion|conversation)\b|^\W*if you (?:enjoyed|liked|like|enjoy) (?:this|our|reading)\b|^\W*(?:to )?have your say (?:on|about) (?:this|the|any|our)\b)")
        .expect("static pattern")
});

/// Longest call to action, in words: the longest on AEB (a newsletter pitch) has 29, the
/// forum invitation 30.
const MAX_CALL_WORDS: usize = 50;

fn matching(lines: &Body, re: &Regex) -> Vec<usize> {
    lines_matching(lines, re, MAX_PROMPT_WORDS)
}

pub(super) fn affiliate_notes(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    matching(lines, &AFFILIATE)
}

pub(super) fn share_prompts(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    matching(lines, &SHARE)
}

pub(super) fn calls_to_action(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    lines_matching(lines, &CALL_TO_ACTION, MAX_CALL_WORDS)
}

/// Longest cookie notice when it names cookies twice or more ("Rogers Media uses cookies for
/// personalization… you agree to our use of cookies.", 45 words, seen on an AEB page once the
/// article's opening was looked for above Readability's text); a longer paragraph naming them
/// once is reporting about cookies.
const MAX_COOKIE_NOTICE_WORDS: usize = 70;

pub(super) fn cookie_notices(lines: &Body, _: &NewsContext<'_>) -> Vec<usize> {
    let mut out = matching(lines, &COOKIES);
    out.extend((0..lines.len()).filter(|&i| {
        lines.words(i) > MAX_PROMPT_WORDS
            && lines.words(i) <= MAX_COOKIE_NOTICE_WORDS
            && COOKIES.find_iter(&lines[i]).nth(1).is_some()
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::news::rule_hits as hits;

    #[test]
    fn affiliate_disclosures() {
        assert_eq!(
            hits(
                affiliate_notes,
                "Prices rose 3% in May.\nIf you buy something through a link in this article, we may earn commission."
            ),
            vec![1]
        );
        assert_eq!(
            hits(affiliate_notes, "This post contains affiliate links."),
            vec![0]
        );
        assert!(
            hits(
                affiliate_notes,
                "The agency will earn money from the sale of the bonds, officials said."
            )
            .is_empty()
        );
    }

    #[test]
    fn calls_to_action_but_not_reporting_about_them() {
        assert_eq!(
            hits(
                share_prompts,
                "Subscribe to our newsletter\nFollow us on X\nAdvertisement\nShare this article"
            ),
            vec![0, 1, 2, 3]
        );
        assert!(
            hits(
                share_prompts,
                "Subscribers to the service rose by 2 million in the quarter, the company said."
            )
            .is_empty()
        );
    }

    #[test]
    fn calls_to_action_by_their_end_or_opening() {
        assert_eq!(
            hits(
                calls_to_action,
                "There's plenty more where that came from. Sign up for The Daily today to get the free newsletter.\nJoin our forums to keep talking about the story!\nIf you enjoyed this article, we have a proposition for you.\nYou can also subscribe to this newsletter here, the company said on Monday.\nUnion members will join the strike on Monday."
            ),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn german_prompts_and_cookie_notices() {
        assert_eq!(
            hits(
                share_prompts,
                "Anzeige\nArtikel teilen\nLesen Sie auch: Streik bei der Bahn\nDie Anzeige ging am Montag bei der Polizei ein."
            ),
            vec![0, 1, 2]
        );
        assert_eq!(
            hits(
                cookie_notices,
                "Wir verwenden Cookies, um Ihnen ein optimales Webseiten-Erlebnis zu bieten.\nDie Bäckerei verkauft Kekse."
            ),
            vec![0]
        );
    }

    #[test]
    fn have_your_say_invitations() {
        assert_eq!(
            hits(
                calls_to_action,
                "Have your say on the latest news and sport in our Forums\nTo have your say on this or any other issue visit www.example.co.uk/blogs\nVoters will have their say on the plan in May."
            ),
            vec![0, 1]
        );
    }

    #[test]
    fn a_long_cookie_notice_names_cookies_twice() {
        let notice = "Rogers Media uses cookies for personalization, to customize its online advertisements, and for other purposes. Learn more or change your cookie preferences. Rogers Media supports the Digital Advertising Alliance principles. By continuing to use our service, you agree to our use of cookies.";
        assert_eq!(hits(cookie_notices, notice), vec![0]);
        let reporting = "The regulator said on Monday that the company uses cookies to follow readers across sites without asking them first, and that it would fine the firm unless the practice stopped within a month, the third such ruling against a publisher this year, after complaints from readers who said they had never been asked.";
        assert!(hits(cookie_notices, reporting).is_empty());
    }

    #[test]
    fn cookie_banners() {
        assert_eq!(
            hits(
                cookie_notices,
                "We use cookies to give you the best experience. Accept all cookies"
            ),
            vec![0]
        );
    }
}
