//! Lineage is settled once per ingest run instead of after every batch: the stories must come
//! out the same either way, and a run that dies before settling leaves its marks for the next.

use std::path::{Path, PathBuf};

use storyline_pipeline::{Engine, EngineConfig, IngestSummary};
use storyline_store::{SqliteStore, Store, StoryRecord};
use storyline_stories::lineage::StoryLineage;

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/seeds")
}

fn ingest(db: &Path, cfg: EngineConfig) -> Vec<StoryRecord> {
    let mut engine = Engine::open(SqliteStore::open(db).unwrap(), cfg).unwrap();
    let summary: IngestSummary = engine.ingest_paths(&[seeds()], &mut |_| {}).unwrap();
    assert_eq!(summary.new, 5, "{:?}", summary.diagnostics);
    assert!(engine.store().lineage_pending().unwrap().is_empty());
    engine
        .store()
        .stories()
        .unwrap()
        .into_iter()
        .map(without_clock)
        .collect()
}

/// First seen is the clock's time of each batch: two runs differ in it (a second apart when
/// the clock ticks between them); everything else must be equal.
fn without_clock(mut story: StoryRecord) -> StoryRecord {
    for r in &mut story.reports {
        r.first_seen = None;
    }
    story
}

#[test]
fn lineage_settled_at_the_end_equals_lineage_after_every_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut every_batch = EngineConfig::default();
    every_batch.batch.reports_per_transaction = 1;
    every_batch.batch.lineage_settle_interval = std::time::Duration::ZERO;
    let a = ingest(&dir.path().join("a.db"), every_batch);
    let b = ingest(&dir.path().join("b.db"), EngineConfig::default());
    assert_eq!(a, b);
    // Not vacuous: the seeds have derivations.
    assert!(
        a.iter()
            .flat_map(|s| &s.lineage)
            .any(|e| e.kind.is_derivation())
    );
}

#[test]
fn marks_left_by_a_run_that_died_are_settled_by_the_next_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let before = ingest(&db, EngineConfig::default());
    let story = before
        .iter()
        .find(|s| s.lineage.iter().any(|e| e.kind.is_derivation()))
        .unwrap();
    // What a run killed between its batch and its settling leaves: changed lineage, a mark.
    let mut store = SqliteStore::open(&db).unwrap();
    store.begin().unwrap();
    store
        .replace_lineage(
            story.id,
            &StoryLineage {
                edges: Vec::new(),
                roles: Vec::new(),
            },
        )
        .unwrap();
    store.mark_lineage_pending(story.id).unwrap();
    store.commit().unwrap();
    assert!(store.story(story.id).unwrap().unwrap().lineage.is_empty());
    drop(store);

    // The next ingest (of reports already stored: nothing new) settles the story again.
    let after = ingest_again(&db);
    assert_eq!(
        after.story(story.id).unwrap().map(without_clock).as_ref(),
        Some(story)
    );
    assert!(after.lineage_pending().unwrap().is_empty());
}

fn ingest_again(db: &Path) -> SqliteStore {
    let mut engine = Engine::open(SqliteStore::open(db).unwrap(), EngineConfig::default()).unwrap();
    let summary = engine.ingest_paths(&[seeds()], &mut |_| {}).unwrap();
    assert_eq!(summary.duplicates, 5);
    engine.into_store()
}
