//! Placement and lineage on small reports written for these tests.

use storyline_fingerprint::{FingerprintConfig, MinHasher};
use storyline_model::{LineageKind, Report, ReportId, Role};
use storyline_stories::align::{AlignConfig, align};
use storyline_stories::index::PlacementConfig;
use storyline_stories::lineage::{
    LineageConfig, PairEvidence, ReuseSummary, StoryLineage, decide_lineage, features_of,
};
use storyline_stories::{AnalyzedReport, StoryIndex, analyze};

fn report(id: &str, title: Option<&str>, published: Option<&str>, text: &str) -> AnalyzedReport {
    let fp = FingerprintConfig::default();
    let r = Report {
        id: ReportId(id.into()),
        url: None,
        title: title.map(String::from),
        source: None,
        published: published.map(String::from),
        updated: None,
        byline: None,
        language: None,
        text: text.into(),
        origin: id.into(),
        extra_json: None,
        dropped: Vec::new(),
        headings: Vec::new(),
    };
    analyze(&r, &fp, &MinHasher::new(fp.permutations))
}

const QUAKE: &str = "A magnitude 6.1 earthquake struck the mountain town of Varlo early on Sunday, damaging the old cathedral and cutting power to 20,000 homes. \
Rescue teams searched collapsed farm buildings north of Varlo through the night. \
The regional governor told the Varlo Herald that two people were missing. \
Seismologists at the national observatory said aftershocks were likely for several days.";

const QUAKE_REWRITE: &str = "An earthquake of magnitude 6.1 hit Varlo, a mountain town, on Sunday morning, cutting electricity to some 20,000 homes and damaging the old cathedral. \
Through the night rescue teams searched farm buildings that collapsed north of Varlo. \
Two people are missing, the regional governor said. \
More aftershocks are likely for several days, according to seismologists at the national observatory.";

const BUDGET: &str = "The city council of Orland approved a budget of 1.2 billion for next year on Monday after a long debate over library funding. \
Council members voted 7 to 2 to keep branch libraries open on Sundays. \
The mayor said the budget would not raise property taxes.";

const QUAKE_OTHER: &str = "Power returned to most homes in Varlo on Tuesday, two days after the earthquake, the utility said. \
Engineers said the cathedral's bell tower would have to be taken down. \
The two people missing since Sunday were found alive in a collapsed barn, the governor said.";

#[test]
fn unrelated_reports_open_new_stories_related_ones_join() {
    let mut index = StoryIndex::new(PlacementConfig::default());
    let a = index.place(&report("quake", None, None, QUAKE));
    let b = index.place(&report("budget", None, None, BUDGET));
    let c = index.place(&report("rewrite", None, None, QUAKE_REWRITE));
    assert!(a.new_story && b.new_story);
    assert_ne!(a.story, b.story);
    assert!(!c.new_story, "{c:?}");
    assert_eq!(c.story, a.story);
    assert_eq!(c.neighbours[0].0, ReportId("quake".into()));
    assert!(c.score >= PlacementConfig::default().join_threshold);
}

#[test]
fn candidates_come_only_from_the_index() {
    let mut index = StoryIndex::new(PlacementConfig::default());
    index.place(&report("quake", None, None, QUAKE));
    let b = index.place(&report("budget", None, None, BUDGET));
    assert_eq!(
        b.candidates, 0,
        "a report sharing no keyword and no band is never scored"
    );
}

#[test]
fn restored_index_places_like_the_original() {
    let cfg = PlacementConfig::default();
    let reports = [("quake", QUAKE), ("budget", BUDGET), ("later", QUAKE_OTHER)];
    let mut live = StoryIndex::new(cfg.clone());
    let mut restored = StoryIndex::new(cfg);
    for (id, text) in &reports[..2] {
        let a = report(id, None, None, text);
        let p = live.place(&a);
        restored.restore(
            a.id.clone(),
            p.story,
            a.published.as_deref(),
            &a.term_counts,
            &a.lead_names,
            &a.band_keys,
        );
    }
    let a = report("rewrite", None, None, QUAKE_REWRITE);
    assert_eq!(live.place(&a), restored.place(&a));
}

fn pair(a: &AnalyzedReport, b: &AnalyzedReport) -> PairEvidence {
    let cfg = AlignConfig::default();
    PairEvidence {
        a: a.id.clone(),
        b: b.id.clone(),
        a_in_b: ReuseSummary::from(&align(a, b, &cfg)),
        b_in_a: ReuseSummary::from(&align(b, a, &cfg)),
        similarity: 0.5,
    }
}

/// The lineage of a story of two reports, `first` stored first.
fn lineage_of(first: &AnalyzedReport, second: &AnalyzedReport) -> StoryLineage {
    decide_lineage(
        &LineageConfig::default(),
        &[features_of(first), features_of(second)],
        &[pair(first, second)],
    )
}

/// Asserts that no edge of a lineage is a derivation.
fn assert_only_related(l: &StoryLineage) {
    assert!(
        l.edges.iter().all(|e| e.kind == LineageKind::Related),
        "{:?}",
        l.edges
    );
}

#[test]
fn a_verbatim_copy_is_a_copy_of_the_earlier_report() {
    let orig = report("orig", None, Some("2025-05-01T08:00:00Z"), QUAKE);
    let copy = report(
        "copy",
        None,
        Some("2025-05-01T09:30:00Z"),
        &format!("{QUAKE}\nShare this article."),
    );
    let members = [features_of(&copy), features_of(&orig)];
    let l = decide_lineage(&LineageConfig::default(), &members, &[pair(&copy, &orig)]);
    assert_eq!(l.edges.len(), 1);
    let e = &l.edges[0];
    assert_eq!(
        (e.from.0.as_str(), e.to.0.as_str(), e.kind),
        ("orig", "copy", LineageKind::Copy)
    );
    assert!(e.reuse > 0.75 && e.verbatim > 0.75, "{e:?}");
    assert!(e.evidence.iter().any(|w| w.contains("published first")));
    let roles: Vec<_> = l
        .roles
        .iter()
        .map(|(id, r, _)| (id.0.as_str(), *r))
        .collect();
    assert_eq!(
        roles,
        vec![("copy", Role::Derived), ("orig", Role::Original)]
    );
}

#[test]
fn a_sentence_by_sentence_paraphrase_is_a_rewrite_of_the_first_hand_report() {
    let orig = report("orig", None, None, QUAKE);
    let rw = report("rw", None, None, QUAKE_REWRITE);
    let l = lineage_of(&rw, &orig);
    let e = &l.edges[0];
    assert_eq!(
        (e.from.0.as_str(), e.to.0.as_str(), e.kind),
        ("orig", "rw", LineageKind::Rewrite),
        "{e:?}"
    );
    assert!(e.evidence.iter().any(|w| w.contains("first-hand")), "{e:?}");
}

#[test]
fn a_report_that_signs_its_reporting_is_derived_only_through_shared_wording() {
    // The same rewording under a dateline: someone reported it, and it took none of the first
    // report's sentences whole, so it is the same event told independently.
    let orig = report("orig", None, None, QUAKE);
    let own = report(
        "own",
        None,
        None,
        &format!("VARLO, May 4 — {QUAKE_REWRITE}"),
    );
    assert!(own.signed);
    let l = lineage_of(&own, &orig);
    assert_only_related(&l);
    assert!(
        l.edges[0]
            .evidence
            .iter()
            .any(|w| w.contains("signs its own reporting")),
        "{:?}",
        l.edges
    );
    // A signed copy that keeps the wording is still derived.
    let copy = report("copy", None, None, &format!("VARLO, May 4 — {QUAKE}"));
    let l = lineage_of(&orig, &copy);
    assert!(
        l.edges.iter().any(|e| e.kind == LineageKind::Copy),
        "{:?}",
        l.edges
    );
}

#[test]
fn an_independent_follow_up_is_related_not_derived() {
    let orig = report("orig", None, None, QUAKE);
    let later = report("later", None, None, QUAKE_OTHER);
    let l = lineage_of(&orig, &later);
    assert_only_related(&l);
    assert!(l.roles.iter().all(|(_, r, _)| *r == Role::Original));
}

#[test]
fn a_follow_up_repeating_the_first_reports_paragraphs_shares_background_only() {
    // Tuesday's news on top, then Sunday's report's last three paragraphs word for word: 75%
    // of its sentences are the first report's, but not its news.
    let later = report(
        "later",
        None,
        None,
        &format!(
            "Power returned to most homes in Varlo on Tuesday, two days after the earthquake, the utility said.\n{}",
            QUAKE.split_once(". ").unwrap().1
        ),
    );
    let orig = report("orig", None, None, QUAKE);
    let l = lineage_of(&orig, &later);
    assert_only_related(&l);
    assert!(
        l.edges
            .iter()
            .any(|e| e.evidence.iter().any(|w| w.contains("shared background"))),
        "{:?}",
        l.edges
    );
    // The rewrite restates the first report's news and stays derived from it.
    let rewrite = report("rewrite", None, None, QUAKE_REWRITE);
    let l = lineage_of(&orig, &rewrite);
    assert!(
        l.edges.iter().any(|e| e.kind.is_derivation()),
        "{:?}",
        l.edges
    );
}

#[test]
fn a_report_relaying_others_without_a_source_in_the_story_is_secondhand() {
    let relay = report(
        "relay",
        None,
        None,
        "Media are reporting that an earthquake hit Varlo. The cathedral was reportedly damaged, according to local reports.",
    );
    let l = decide_lineage(&LineageConfig::default(), &[features_of(&relay)], &[]);
    assert_eq!(l.roles[0].1, Role::Secondhand);
}

#[test]
fn lineage_has_no_cycles_and_one_parent_per_report() {
    // Three identical texts with no dates and no markers: a chain or a star, never a cycle.
    let a = report("a", None, None, QUAKE);
    let b = report("b", None, None, QUAKE);
    let c = report("c", None, None, QUAKE);
    let members: Vec<_> = [&a, &b, &c]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut f = features_of(r);
            f.seq = i as u64;
            f
        })
        .collect();
    let l = decide_lineage(
        &LineageConfig::default(),
        &members,
        &[pair(&a, &b), pair(&b, &c), pair(&a, &c)],
    );
    let derived: Vec<_> = l.edges.iter().filter(|e| e.kind.is_derivation()).collect();
    assert_eq!(derived.len(), 2);
    assert!(
        derived.iter().all(|e| e.from.0 == "a"),
        "the first stored is the source of both: {derived:?}"
    );
}

const BOND: &str = "{CO} said it is raising 100 mln dlrs through an offering of subordinated notes due 1997 with a coupon of 9.5 pct and a price of par. \
The notes are non-callable for five years, and proceeds will repay bank debt. \
Lead manager Salomon Brothers Inc said the issue is rated A-3 by Moody's and A-minus by Standard and Poor's.";

/// An index whose idf has seen enough other reports for one report's own names to count as
/// distinctive (idf ≥ 4 needs a hundred documents or so).
fn index_with_background(cfg: PlacementConfig) -> StoryIndex {
    let mut idx = StoryIndex::new(cfg);
    for i in 0..200 {
        idx.add_background(&[(format!("filler{i}"), 1), ("market".into(), 1)]);
    }
    idx
}

#[test]
fn template_items_about_different_companies_stay_apart() {
    let olin = report(
        "olin",
        Some("Olin sells subordinated notes"),
        Some("1987-03-02T10:00:00Z"),
        &BOND.replace("{CO}", "Olin Corp"),
    );
    let edison = report(
        "edison",
        Some("Commonwealth Edison sells subordinated notes"),
        Some("1987-03-02T11:00:00Z"),
        &BOND.replace("{CO}", "Commonwealth Edison Co"),
    );
    let mut idx = index_with_background(PlacementConfig::default());
    let first = idx.place(&olin);
    let second = idx.place(&edison);
    assert!(
        second.new_story && second.story != first.story,
        "{second:?}"
    );
    assert!(
        second
            .evidence
            .iter()
            .any(|w| w.contains("different actors")),
        "{:?}",
        second.evidence
    );
    // The same two items join when the lead names are not consulted: the test is what keeps
    // them apart, not their wording.
    let mut off = index_with_background(PlacementConfig {
        name_min_idf: 0.0,
        ..PlacementConfig::default()
    });
    let first = off.place(&olin);
    assert_eq!(off.place(&edison).story, first.story);
}

#[test]
fn a_second_report_of_the_same_company_joins_despite_other_names() {
    let olin = report(
        "olin",
        Some("Olin sells subordinated notes"),
        Some("1987-03-02T10:00:00Z"),
        &BOND.replace("{CO}", "Olin Corp"),
    );
    // Names the first report never mentions (Goldman), but its lead's actor is the first's.
    let again = report(
        "again",
        Some("Olin prices notes with Goldman"),
        Some("1987-03-02T15:00:00Z"),
        &BOND.replace("{CO}", "Olin Corp, with co-manager Goldman Sachs,"),
    );
    let mut idx = index_with_background(PlacementConfig::default());
    let first = idx.place(&olin);
    assert_eq!(idx.place(&again).story, first.story);
}

#[test]
fn copies_under_different_menu_lines_join_whatever_names_the_menus_give() {
    // One story on two sites, each page's menu line left above it: the menus' names are
    // "names" in the leads that the other page never mentions. (A menu in title case, "Home
    // Sport Latest Weather", names no one at all: `title_case_lines_name_no_one`.)
    let a = report(
        "a",
        None,
        Some("2025-05-04T08:00:00Z"),
        &format!("Home news and Weather for Leeds\n{QUAKE}"),
    );
    let b = report(
        "b",
        None,
        Some("2025-05-04T09:00:00Z"),
        &format!("Email alerts from the Bristol Times\n{QUAKE}"),
    );
    let mut idx = index_with_background(PlacementConfig::default());
    let first = idx.place(&a);
    let second = idx.place(&b);
    assert_eq!(second.story, first.story, "{:?}", second.evidence);
    // The different-actors test alone would have kept them apart.
    let mut strict = index_with_background(PlacementConfig {
        name_max_similarity: f64::INFINITY,
        ..PlacementConfig::default()
    });
    let first = strict.place(&a);
    let second = strict.place(&b);
    assert_ne!(second.story, first.story, "{:?}", second.evidence);
}

#[test]
fn a_story_does_not_stretch_past_its_days() {
    let day = |d: u32| Some(format!("1987-03-{d:02}T10:00:00Z"));
    let mut idx = StoryIndex::new(PlacementConfig::default());
    let a = report("a", None, day(2).as_deref(), QUAKE);
    let b = report("b", None, day(3).as_deref(), QUAKE_REWRITE);
    let c = report("c", None, day(4).as_deref(), QUAKE_REWRITE);
    let s = idx.place(&a).story;
    assert_eq!(idx.place(&b).story, s);
    // A copy of `b` a day after it, but two after the story's first report: a new story.
    let p = idx.place(&c);
    assert!(p.new_story, "{p:?}");
    assert!(
        p.evidence.iter().any(|w| w.contains("stretch")),
        "{:?}",
        p.evidence
    );
}

#[test]
fn an_uncredited_page_printing_a_credited_wire_story_word_for_word_is_a_wire_copy() {
    let plain = report("portal", None, Some("2025-05-01T08:00:00Z"), QUAKE);
    let credited = report(
        "credited",
        None,
        Some("2025-05-01T09:30:00Z"),
        &format!("{QUAKE}\nCopyright Business Wire 2025"),
    );
    assert_eq!(credited.wire.as_deref(), Some("Business Wire"));
    let roles = |source_outlet: Option<&str>| {
        let mut source = features_of(&plain);
        source.outlet = source_outlet.map(String::from);
        let members = [source, features_of(&credited)];
        let l = decide_lineage(
            &LineageConfig::default(),
            &members,
            &[pair(&plain, &credited)],
        );
        assert_eq!(l.edges[0].kind, LineageKind::Copy, "{:?}", l.edges);
        l.roles
            .iter()
            .map(|(id, r, _)| (id.0.clone(), *r))
            .collect::<Vec<_>>()
    };
    // A finance portal's page, or a page of no known outlet: a copy of the agency's story like
    // the credited one.
    for outlet in [Some("finanznachrichten.de"), None] {
        assert_eq!(
            roles(outlet),
            [
                ("portal".to_string(), Role::Derived),
                ("credited".to_string(), Role::Derived)
            ]
        );
    }
    // The agency's own page is its original.
    assert_eq!(
        roles(Some("Business Wire"))[0],
        ("portal".to_string(), Role::Original)
    );
}

#[test]
fn two_agencies_stories_are_not_derived_and_an_agencys_own_page_comes_first() {
    let reuters = report("reuters-page", None, None, QUAKE);
    let afp = report(
        "afp-copy",
        None,
        None,
        &format!("VARLO (AFP) - {QUAKE_REWRITE}"),
    );
    assert_eq!(afp.wire.as_deref(), Some("AFP"));
    let with_outlet = |a: &AnalyzedReport, outlet: &str| {
        let mut m = features_of(a);
        m.outlet = Some(outlet.into());
        m
    };
    let members = [
        with_outlet(&reuters, "Reuters"),
        with_outlet(&afp, "indiatimes.com"),
    ];
    let l = decide_lineage(&LineageConfig::default(), &members, &[pair(&reuters, &afp)]);
    assert_only_related(&l);
    assert!(
        l.edges[0]
            .evidence
            .iter()
            .any(|w| w.contains("two agencies' stories")),
        "{:?}",
        l.edges
    );
    // The same rewording on a page that credits no one: the agency's own page is its source,
    // whichever was stored first.
    let page = report("portal-page", None, None, QUAKE_REWRITE);
    let members = [
        with_outlet(&page, "portal.example"),
        with_outlet(&reuters, "Reuters"),
    ];
    let l = decide_lineage(
        &LineageConfig::default(),
        &members,
        &[pair(&page, &reuters)],
    );
    let e = &l.edges[0];
    assert_eq!(
        (e.from.0.as_str(), e.to.0.as_str()),
        ("reuters-page", "portal-page"),
        "{e:?}"
    );
    assert!(
        e.evidence
            .iter()
            .any(|w| w.contains("an agency's own page (Reuters)")),
        "{e:?}"
    );
}
