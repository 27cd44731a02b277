//! A WARC file streams through the batch loop a few records at a time: every record is stored
//! whatever the batch size, in file order, and the stories are the same as with one batch.

use std::io::Write;

use storyline_pipeline::{BatchConfig, Engine, EngineConfig};
use storyline_store::{SqliteStore, Store};

const TOPICS: [&str; 5] = [
    "The ferry service between Orland and Dunmore resumed on Tuesday after two weeks of repairs, the operator said.",
    "The old stone bridge over the river Dun was closed on Monday after engineers found cracks in two pillars, the council said.",
    "The primary school in Orland reopened on Wednesday after volunteers cleared mud left by the floods, the head teacher said.",
    "The ferry service between Orland and Dunmore resumed on Tuesday after two weeks of repairs to the landing stage, the operator said.",
    "Council members voted seven to two on Monday to keep branch libraries open on Sundays, the mayor said.",
];

fn warc(dir: &std::path::Path) -> std::path::PathBuf {
    let mut bytes = Vec::new();
    for (i, text) in TOPICS.iter().enumerate() {
        let page = format!("<html><body><article><p>{text}</p></article></body></html>");
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}");
        let record = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/{i}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(record.as_bytes()).unwrap();
        bytes.extend(gz.finish().unwrap());
    }
    let path = dir.join("crawl.warc.gz");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn ingest(per_batch: usize) -> (Vec<(String, u64)>, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = warc(dir.path());
    let cfg = EngineConfig {
        batch: BatchConfig {
            warc_records_per_batch: per_batch,
            ..BatchConfig::default()
        },
        ..EngineConfig::default()
    };
    let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
    let mut engine = Engine::open(store, cfg).unwrap();
    let summary = engine.ingest_paths(&[path], &mut |_| {}).unwrap();
    assert_eq!(summary.failed, 0, "{:?}", summary.diagnostics);
    let placed = summary
        .landings
        .iter()
        .map(|l| (l.report.0.clone(), l.story.0))
        .collect();
    (placed, engine.store().counts().unwrap().1)
}

#[test]
fn batch_size_does_not_change_what_is_stored() {
    let (one_batch, stories) = ingest(1000);
    assert_eq!(one_batch.len(), 5);
    assert_eq!(stories, 4, "the two ferry reports are one story");
    assert_eq!(ingest(2), (one_batch.clone(), stories));
    assert_eq!(ingest(1), (one_batch, stories));
}
