//! Page metadata from the page itself: `<meta>` tags, Open Graph, JSON-LD (`NewsArticle` and
//! friends), `<link rel=canonical>`, `<html lang>`, `<time>`. Each field takes the first source
//! that has it, in the order publishers fill them most reliably: JSON-LD, then Open Graph and
//! article tags, then plain meta tags, then the markup.

use std::cell::RefCell;
use std::collections::HashMap;

use dom_query::{Document, Matcher, NodeRef};
use serde_json::Value;

use crate::headline::title_words as words;

/// What a page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    /// The date the page shows in its markup when its metadata states none
    /// ([`crate::dates::date_in_markup`]); the report's date only when its URL has none.
    pub shown_date: Option<String>,
    /// The site's host when the page's title names it ("CNN.com - …", "… | Mirror.co.uk"):
    /// where a page saved without its URL or `og:site_name` says whose it is.
    pub title_domain: Option<String>,
    /// The domain most of the page's links go to ([`crate::site::link_domain`]), looked for
    /// only when the page names its site in none of the ways above.
    pub link_domain: Option<String>,
    pub site: Option<String>,
    pub language: Option<String>,
    pub canonical_url: Option<String>,
    /// The page's `h1` and `h2` texts, in document order (where the headline is looked for
    /// when the title is only a label).
    pub headings: Vec<String>,
    /// Texts of elements whose id or class names a title or headline (`lblTitle`,
    /// `article-headline`), in document order: where a page that sets its headline in no
    /// heading has it, looked for when the title is a name or a label.
    pub titled: Vec<String>,
    /// Names its copyright notices give ([`crate::site::copyright_names`]), read only when its
    /// title is short enough to be a publication's name.
    pub copyright_names: Vec<String>,
}

fn clean(s: &str) -> Option<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// Element names any field below reads.
const READ: &[&str] = &[
    "html", "meta", "link", "title", "h1", "h2", "time", "script",
];

/// The page's elements that any field reads, in document order: one walk of the tree, where
/// running each of the 20 selectors over the whole tree took 6% of the cleaning instructions
/// on the AEB pages (callgrind).
struct Page<'a> {
    elements: Vec<NodeRef<'a>>,
}

thread_local! {
    /// Compiled selectors; `None` for one that does not parse (it selects nothing).
    static MATCHERS: RefCell<HashMap<&'static str, Option<Matcher>>> = RefCell::new(HashMap::new());
}

impl<'a> Page<'a> {
    fn new(doc: &'a Document) -> Self {
        let elements = doc
            .root()
            .descendants_it()
            // The parser lowercases HTML element names; reading the name in place (not a copy
            // per node) took a third off this walk on AEB (callgrind: page_meta 84M -> 72M).
            .filter(|n| {
                n.qual_name_ref()
                    .is_some_and(|name| READ.contains(&name.local.as_ref()))
            })
            .collect();
        Page { elements }
    }

    /// The elements `selector` picks, in document order.
    fn select(&self, selector: &'static str) -> Vec<NodeRef<'a>> {
        MATCHERS.with(|m| {
            let mut m = m.borrow_mut();
            let Some(matcher) = m
                .entry(selector)
                .or_insert_with(|| Matcher::new(selector).ok())
            else {
                return Vec::new();
            };
            self.elements
                .iter()
                .filter(|n| n.is_match(matcher))
                .cloned()
                .collect()
        })
    }
}

/// The first non-empty `attr` of the elements each selector picks, trying the selectors in
/// order.
fn first_attr(doc: &Page<'_>, selectors: &[&'static str], attr: &str) -> Option<String> {
    selectors.iter().find_map(|s| {
        doc.select(s)
            .iter()
            .find_map(|m| m.attr(attr).and_then(|v| clean(&v)))
    })
}

fn meta(doc: &Page<'_>, selectors: &[&'static str]) -> Option<String> {
    first_attr(doc, selectors, "content")
}

/// Text of the first element `selector` picks.
fn first_text(doc: &Page<'_>, selector: &'static str) -> Option<String> {
    doc.select(selector).first().and_then(|t| clean(&t.text()))
}

/// JSON-LD objects of the page, flattening `@graph` and arrays.
fn json_ld(doc: &Page<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select(r#"script[type="application/ld+json"]"#) {
        let text = script.text();
        let Ok(v) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(a) => stack.extend(a),
                Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                    }
                    out.push(Value::Object(o));
                }
                _ => {}
            }
        }
    }
    out
}

fn is_article(v: &Value) -> bool {
    let kinds: Vec<&str> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    kinds
        .iter()
        .any(|k| k.ends_with("Article") || *k == "BlogPosting" || *k == "Report" || *k == "WebPage")
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Object(o) => o.get("name").and_then(name_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

fn ld_field(articles: &[&Value], key: &str) -> Option<String> {
    articles.iter().find_map(|a| a.get(key).and_then(name_of))
}

/// A web host a text names ("ContraCostaTimes.com", "www.kansascity.com", "NEWS.com.au"),
/// lowercased, without `www.`.
fn domain_in(text: &str) -> Option<String> {
    static DOMAIN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)(?:^|[^\w.@/-])((?:[a-z0-9][a-z0-9-]*\.)+(?:com|net|org|info|biz|us|ca|ie|in|uk|au|nz|za|sg))(?:$|[^\w.@/-])",
        )
        .expect("the domain pattern is valid")
    });
    let host = DOMAIN.captures(text)?.get(1)?.as_str().to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    // A bare second-level suffix ("co.uk") names no site.
    (host.split('.').count() >= 2
        && !["co.uk", "com.au", "co.nz", "co.za", "com.sg"].contains(&host.as_str()))
    .then_some(host)
}

/// Reads the metadata of a parsed page.
pub fn page_meta(doc: &Document) -> PageMeta {
    let tree = doc;
    let page = Page::new(doc);
    let doc = &page;
    let ld = json_ld(doc);
    let articles: Vec<&Value> = {
        let mut a: Vec<&Value> = ld.iter().filter(|v| is_article(v)).collect();
        // Articles before generic web pages.
        a.sort_by_key(|v| v.get("@type").and_then(Value::as_str) == Some("WebPage"));
        a
    };
    let title = ld_field(&articles, "headline")
        .or_else(|| {
            meta(
                doc,
                &[
                    r#"meta[property="og:title"]"#,
                    r#"meta[name="twitter:title"]"#,
                ],
            )
        })
        .or_else(|| first_text(doc, "title"))
        // A title of labels only ("Africa - Reuters.com") gives way to a tag named for the
        // article's headline (an analytics tag, `DCSext.articleHeadline` on Reuters' pages of
        // 2008), written as words (some such tags hold the headline URL-encoded).
        .map(|t| {
            if crate::headline::is_label_title(&t) {
                doc.select(r#"meta[name*="headline" i]"#)
                    .iter()
                    .filter_map(|m| m.attr("content").and_then(|c| clean(&c)))
                    .find(|c| c.contains(' ') && !c.contains('+') && !c.contains('%'))
                    .unwrap_or(t)
            } else {
                t
            }
        })
        .or_else(|| first_text(doc, "h1"));
    let byline = ld_field(&articles, "author")
        .or_else(|| {
            meta(
                doc,
                &[
                    r#"meta[name="author"]"#,
                    r#"meta[property="article:author"]"#,
                    r#"meta[name="byl"]"#,
                ],
            )
        })
        .filter(|a| !a.starts_with("http"));
    let published = ld_field(&articles, "datePublished")
        .or_else(|| {
            meta(
                doc,
                &[
                    r#"meta[property="article:published_time"]"#,
                    r#"meta[name="pubdate"]"#,
                    r#"meta[name="publishdate"]"#,
                    r#"meta[name="date"]"#,
                    r#"meta[name="dc.date"]"#,
                    r#"meta[name="DC.date.issued"]"#,
                    r#"meta[itemprop="datePublished"]"#,
                ],
            )
        })
        .or_else(|| first_attr(doc, &["time[datetime]"], "datetime"))
        .and_then(|d| crate::dates::normalise(&d));
    let updated = ld_field(&articles, "dateModified").or_else(|| {
        meta(
            doc,
            &[
                r#"meta[property="article:modified_time"]"#,
                r#"meta[property="og:updated_time"]"#,
                r#"meta[itemprop="dateModified"]"#,
            ],
        )
    });
    let site = meta(
        doc,
        &[
            r#"meta[property="og:site_name"]"#,
            r#"meta[name="application-name"]"#,
        ],
    )
    .or_else(|| {
        articles
            .iter()
            .find_map(|a| a.get("publisher").and_then(name_of))
    });
    let language = doc
        .select("html[lang]")
        .first()
        .and_then(|h| h.attr("lang"))
        .and_then(|l| clean(&l))
        .or_else(|| {
            meta(
                doc,
                &[
                    r#"meta[http-equiv="content-language"]"#,
                    r#"meta[property="og:locale"]"#,
                ],
            )
        })
        .map(|l| l.replace('_', "-"));
    let canonical_url = first_attr(doc, &[r#"link[rel="canonical"]"#], "href")
        .or_else(|| meta(doc, &[r#"meta[property="og:url"]"#]));
    let h1s: Vec<String> = doc
        .select("h1")
        .iter()
        .filter_map(|h| clean(&h.text()))
        .collect();
    let title_domain = title.as_deref().and_then(domain_in);
    let title = title.map(|t| headline_of(&t, &h1s, site.as_deref()));
    let headings: Vec<String> = doc
        .select("h1, h2")
        .iter()
        .filter_map(|h| clean(&h.text()))
        .take(MAX_HEADINGS)
        .collect();
    // Pages that set the headline in a styled element instead of a heading name it so
    // (`<span id="lblTitle">`, `<div class="article-headline">`): read for a page whose title
    // may be only a name or a label (the headline is looked for only then).
    let mut titled = Vec::new();
    if title.as_deref().is_none_or(|t| {
        t.split_whitespace().count() <= TITLED_MAX_TITLE_WORDS
            || crate::headline::is_site_label(t)
            || crate::headline::is_date_line(t)
    }) {
        titled.extend(
            tree.select("[id*=title i], [class*=title i], [id*=headline i], [class*=headline i]")
                .iter()
                .filter(|e| {
                    // The attribute that names the title must not name a subtitle, a menu's,
                    // a section's… (`class="section-title"`); the other may (`<span
                    // id="ctl00_ContentArea_articleTitle" class="sections">`).
                    let headline_name = |name: Option<&str>| {
                        let name = name.unwrap_or("").to_lowercase();
                        (name.contains("title") || name.contains("headline"))
                            && ![
                                "sub", "menu", "nav", "site", "section", "logo", "widget", "box",
                            ]
                            .iter()
                            .any(|w| name.contains(w))
                    };
                    headline_name(e.attr("id").as_deref())
                        || headline_name(e.attr("class").as_deref())
                })
                .filter_map(|e| clean(&e.text()))
                .take(MAX_HEADINGS),
        );
    }
    PageMeta {
        title,
        byline,
        published,
        updated,
        shown_date: None,
        title_domain,
        link_domain: None,
        site,
        language,
        canonical_url,
        headings,
        titled,
        copyright_names: Vec::new(),
    }
}

/// Longest title part, in words, still taken for a site's name or section label ("CTV News,
/// Shows and Sports" has 5) when the headline is cut out of a page title.
const MAX_SITE_PART_WORDS: usize = 6;

/// Headings kept for the headline: the article's comes before the sidebars' and footers'.
const MAX_HEADINGS: usize = 12;

/// Longest page title under which styled title elements are read (besides a label or a date
/// line): the headline is looked for among them only under a publication's name (at most
/// four words, `headline::HOLDER_MAX_WORDS`) or a short title the article does not echo. The
/// selector walks the whole tree: at 8 words it cost CleanEval 8% of its pages/s
/// (`eval extraction --set cleaneval --rounds 5`, 238 → 217, interleaved runs).
const TITLED_MAX_TITLE_WORDS: usize = 4;

/// The article's headline from a page title that may carry the site's name and section
/// ("Chelsea hoping to sign Anelka - Soccer - Sport - Breaking News", "The Hindu : Business :
/// BSNL offers insurance cover"): an `<h1>` of two words or more that the title holds is the
/// headline as the page shows it; else, when the title splits at separators into one part of
/// three words or more and other parts no longer than a site or section name (at most
/// [`MAX_SITE_PART_WORDS`] words, each shorter than it, or the site's own name), that part.
/// Otherwise the title as it is.
fn headline_of(title: &str, h1s: &[String], site: Option<&str>) -> String {
    let t = words(title);
    for h in h1s {
        let w = words(h);
        if w.len() >= 2 && w.len() < t.len() && t.windows(w.len()).any(|win| win == w.as_slice()) {
            return h.clone();
        }
    }
    let site = site.map(words).unwrap_or_default();
    for sep in crate::headline::SEPARATORS {
        let parts: Vec<&str> = title
            .split(sep)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let Some(best) = parts.iter().max_by_key(|p| words(p).len()) else {
            continue;
        };
        let best_len = words(best).len();
        let others_are_labels = parts.iter().filter(|p| *p != best).all(|p| {
            let w = words(p);
            w == site || (w.len() <= MAX_SITE_PART_WORDS && w.len() < best_len)
        });
        if best_len >= 3 && others_are_labels {
            return best.to_string();
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_of_labels_gives_way_to_a_tag_named_for_the_headline() {
        let page = r#"<html><head><title>Africa - Reuters.com</title>
<meta name="DCSext.rHeadline" content="Sarkozy+defends+himself">
<meta name="DCSext.articleHeadline" content="Sarkozy defends himself against rights critics">
</head><body><p>x</p></body></html>"#;
        let m = page_meta(&Document::from(page));
        assert_eq!(
            m.title.as_deref(),
            Some("Sarkozy defends himself against rights critics")
        );
        // A title that is a headline keeps it.
        let page = page.replace("Africa - Reuters.com", "Sarkozy says critics are wrong");
        let m = page_meta(&Document::from(page.as_str()));
        assert_eq!(m.title.as_deref(), Some("Sarkozy says critics are wrong"));
    }

    #[test]
    fn a_styled_title_element_named_by_one_attribute_counts_whatever_the_other_says() {
        let page = r#"<html><body><span id="ctl00_ContentArea_articleTitle" class="sections">Startup reveals first Android apps</span>
<h3 class="section-title">Technology</h3><div class="subtitle">More news</div><p>x</p></body></html>"#;
        let m = page_meta(&Document::from(page));
        assert_eq!(
            m.titled,
            vec!["Startup reveals first Android apps".to_string()]
        );
    }

    #[test]
    fn json_ld_open_graph_and_markup() {
        let page = r#"<html lang="en-GB"><head>
<title>Floods close road | Courier</title>
<meta property="og:site_name" content="Dunmore Courier">
<meta property="article:modified_time" content="2025-05-07T09:00:00Z">
<link rel="canonical" href="https://courier.test/floods">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
 {"@type":"NewsArticle","headline":"Floods close Dunmore road","datePublished":"2025-05-06T10:00:00Z",
  "author":[{"@type":"Person","name":"Ellen Tate"},{"@type":"Person","name":"Sam Roe"}]}]}</script>
</head><body><p>x</p></body></html>"#;
        let m = page_meta(&Document::from(page));
        assert_eq!(m.title.as_deref(), Some("Floods close Dunmore road"));
        assert_eq!(m.byline.as_deref(), Some("Ellen Tate, Sam Roe"));
        assert_eq!(m.published.as_deref(), Some("2025-05-06T10:00:00Z"));
        assert_eq!(m.updated.as_deref(), Some("2025-05-07T09:00:00Z"));
        assert_eq!(m.site.as_deref(), Some("Dunmore Courier"));
        assert_eq!(m.language.as_deref(), Some("en-GB"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://courier.test/floods")
        );
    }

    #[test]
    fn a_title_names_the_site_s_host() {
        assert_eq!(
            domain_in("CNN.com - Bush warns Iran").as_deref(),
            Some("cnn.com")
        );
        assert_eq!(
            domain_in("Welcome to www.dailyrecord.com - Giants").as_deref(),
            Some("dailyrecord.com")
        );
        assert_eq!(
            domain_in("Fires | NEWS.com.au").as_deref(),
            Some("news.com.au")
        );
        assert_eq!(domain_in("Floods close Dunmore road"), None);
        assert_eq!(domain_in("Mail me at jo@example.com"), None);
        assert_eq!(domain_in("Version 2.0 released"), None);
    }

    #[test]
    fn plain_meta_tags_and_broken_json_ld() {
        let page = r#"<html><head><script type="application/ld+json">{broken</script>
<meta name="author" content="By Jo Bloggs"><meta name="pubdate" content="2009-01-02">
<meta property="og:locale" content="en_US"></head><body><time datetime="2010-01-01">x</time></body></html>"#;
        let m = page_meta(&Document::from(page));
        assert_eq!(m.byline.as_deref(), Some("By Jo Bloggs"));
        assert_eq!(m.published.as_deref(), Some("2009-01-02"));
        assert_eq!(m.language.as_deref(), Some("en-US"));
        assert_eq!(m.title, None);
    }
}
