//! Two engines writing one embedded store, as two `storyline` processes would: each batch sees
//! what the other committed before it, so reports of one event share a story and no story
//! number is handed out twice.

use storyline_model::Report;
use storyline_pipeline::{Engine, EngineConfig, IngestSummary};
use storyline_store::{SqliteStore, Store};

const FLOOD: &str = "Flooding closed the coastal highway near Dunmore on Tuesday, the regional \
transport agency said. Engineers found the embankment had collapsed in two places after three \
days of heavy rain. Repairs would take at least two weeks, agency spokeswoman Maria Keane told \
reporters, and drivers should use the inland road through Carrow.";

const ELECTION: &str = "Voters in the northern province elect a new assembly on Sunday after a \
campaign dominated by the price of electricity. The governing coalition trails the opposition \
alliance by four points in the latest poll, which surveyed 1,200 adults last week. Turnout was \
61 percent at the last election.";

fn engine(path: &std::path::Path) -> Engine<SqliteStore> {
    Engine::open(SqliteStore::open(path).unwrap(), EngineConfig::default()).unwrap()
}

fn ingest(e: &mut Engine<SqliteStore>, reports: Vec<Report>) -> IngestSummary {
    let mut summary = IngestSummary::default();
    e.ingest_reports(reports, &mut summary).unwrap();
    assert_eq!(summary.failed, 0, "{:?}", summary.diagnostics);
    summary
}

#[test]
fn a_second_writer_sees_what_the_first_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("two.db");
    // Both open before either writes: each starts with an empty index.
    let mut a = engine(&db);
    let mut b = engine(&db);

    let first = ingest(&mut a, vec![Report::from_text("flood-wire", FLOOD)]);
    assert!(first.landings[0].new_story);
    let flood_story = first.landings[0].story;

    // B's copy of A's report joins A's story, and B's unrelated report gets a new number.
    let copy = format!("{FLOOD} Police closed the junction at Carrow bridge.");
    let second = ingest(
        &mut b,
        vec![
            Report::from_text("flood-copy", copy),
            Report::from_text("vote", ELECTION),
        ],
    );
    assert_eq!(second.landings[0].story, flood_story);
    assert!(!second.landings[0].new_story);
    assert!(second.landings[1].new_story);
    assert_ne!(second.landings[1].story, flood_story);

    // And A, writing again, sees B's story in turn.
    let third = ingest(
        &mut a,
        vec![Report::from_text(
            "vote-2",
            format!("{ELECTION} Polls open at 7 a.m."),
        )],
    );
    assert_eq!(third.landings[0].story, second.landings[1].story);

    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    assert_eq!(store.counts().unwrap(), (4, 2));
}
