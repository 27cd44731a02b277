//! The credit a page gives its article outside the article's text: a news agency's byline
//! title ("By SANDRA CHEREB, Associated Press Writer", "AP Sports Writer"), the agency's
//! copyright notice that republishers must print under its stories ("Copyright 2008 The
//! Associated Press. All rights reserved. This material may not be published…", "© 2008
//! Agence France Presse"), or a source line ("Article from: Agence France-Presse").
//!
//! Sites that republish an agency's story usually print the credit in a byline box or under
//! the story, where the cleaner does not keep it, and many (Yahoo, McClatchy and Gannett
//! papers in 2008) strip the agency from the dateline ("HOUSTON -"). Without the credit a wire
//! copy reads as the site's own reporting. The credit found is recorded as a drop of the rule
//! `agency_credit`; which agency it names is for lineage to read
//! (`storyline_stories::markers`).
//!
//! These are conventions of the agencies' own licence terms and bylines, the same on every site
//! that carries their stories; photo credits ("AP Photo/…") name a picture's source, not the
//! article's, and do not match.

use std::sync::LazyLock;

use regex::Regex;

/// Agency credits in markup. Whitespace in markup may be a tag or an entity (`&nbsp;`,
/// `<br>`), so the separators allow them.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    let sep = r"(?:\s|&nbsp;|<br\s*/?>)+";
    // The agencies whose copy the L3S roles sample's sites carry (`storyline eval roles`),
    // by the names their notices use; lineage maps a credit to its agency.
    let agency = r"(?:The |the )?(?:Associated Press|Agence France[- ]Presse|Thomson Reuters|Reuters|United Press International|Canadian Press|Press Association|PA Sport|Australian Associated Press|AAP|New Zealand Press Association|NZPA|Press Trust of India|Indo-Asian News Service|Deutsche Presse-Agentur|Sports Network|Xinhua)";
    Regex::new(&format!(
        concat!(
            // An agency staff title: "Associated Press Writer", "AP Sports Writer",
            // "AP White House Correspondent" (never "AP Photo").
            r"\b(?:Associated Press|AP)(?: [A-Z][a-z]+){{0,2}} (?:Writer|Correspondent)s?\b",
            // The agency's copyright notice: "Copyright 2008 The Associated Press",
            // "&copy; 2007 Agence France Presse", "© Thomson Reuters 2008".
            r"|(?:[Cc]opyright|COPYRIGHT|©|&copy;)(?:{sep}|&copy;|©|\(c\)|[\d,])*{agency}\b",
            // A source line: "Article from: Agence France-Presse".
            r"|\b(?:Article|Story) (?:from|by):?(?:{sep}|<[^>]{{0,80}}>)*{agency}\b",
            r"|\bBy{sep}{agency}\b",
        ),
        sep = sep,
        agency = agency,
    ))
    .expect("static credit pattern compiles")
});

/// Most characters of a credit kept for the record, tags and entities taken out.
const MAX_CREDIT_CHARS: usize = 120;

/// The first agency credit in a page's markup, as text (tags and `&nbsp;` made spaces).
pub fn credit_in_markup(html: &str) -> Option<String> {
    let m = CREDIT.find(html)?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in m
        .as_str()
        .replace("&nbsp;", " ")
        .replace("&copy;", "©")
        .chars()
    {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            _ => text.push(c),
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(text.chars().take(MAX_CREDIT_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_notices_and_source_lines_are_credits() {
        let found = |h: &str| credit_in_markup(h);
        assert_eq!(
            found("<h3>By SANDRA CHEREB<br />Associated Press Writer</h3>").as_deref(),
            Some("Associated Press Writer")
        );
        assert_eq!(
            found("<div class=x>By GREG BEACHAM</div><div>AP Sports Writer</div>").as_deref(),
            Some("AP Sports Writer")
        );
        assert_eq!(
            found("<p>Copyright 2008 The Associated Press. All rights reserved.</p>").as_deref(),
            Some("Copyright 2008 The Associated Press")
        );
        assert_eq!(
            found("<div>&copy; 2007 Agence France Presse. All rights reserved.</div>").as_deref(),
            Some("© 2007 Agence France Presse")
        );
        assert_eq!(
            found(r#"<div class="article-source"> Article from: Agence France-Presse</div>"#)
                .as_deref(),
            Some("Article from: Agence France-Presse")
        );
    }

    #[test]
    fn photo_credits_and_mentions_are_not() {
        assert_eq!(credit_in_markup("<p>(AP Photo/Jae C. Hong)</p>"), None);
        assert_eq!(
            credit_in_markup("<p>The minister told The Associated Press on Friday.</p>"),
            None
        );
        assert_eq!(
            credit_in_markup("<p>Copyright 2008 The Boston Globe</p>"),
            None
        );
    }
}
