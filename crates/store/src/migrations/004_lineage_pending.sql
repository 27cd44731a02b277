-- Schema 4: stories whose lineage must be decided again. An ingest marks a story here in the
-- batch that changes it and decides its lineage once at the end of the run (or every
-- `lineage_settle_interval` during a long one) instead of after every batch; a run that was
-- killed leaves its marks for the next writer to settle.
CREATE TABLE lineage_pending (
    story INTEGER PRIMARY KEY REFERENCES stories(id)
) WITHOUT ROWID;
