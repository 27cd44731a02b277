-- Schema 4: stories whose lineage must be decided again. An ingest marks a story here in the
-- batch that changes it and decides its lineage once at the end of the run (or every
-- `lineage_settle_interval` during a long one) instead of after every batch; a run that was
-- killed leaves its marks for the next writer to settle.
CREATE TABLE lineage_pending (
    story INTEGER PRIMARY KEY REFERENCES stories(id)
) WITHOUT ROWID;

-- Stories of one developing topic: a pair is linked when a report, on arrival, was related at
-- the topic level to a report of the other story (`a` < `b`). Threads are the connected groups,
-- read without rebuilding the placement index.
CREATE TABLE story_links (
    a INTEGER NOT NULL REFERENCES stories(id),
    b INTEGER NOT NULL REFERENCES stories(id),
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
