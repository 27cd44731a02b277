-- PostgreSQL schema 2: the work queue that `storyline enqueue` fills and `storyline worker`
-- processes. A job is a list of input files (with the report id each gets) ingested as one
-- unit. A worker claims a job with `FOR UPDATE SKIP LOCKED` and holds it by a lease it renews
-- while it works; a job whose lease ran out (its worker died) is claimable again. Ingest is
-- idempotent (a report's id is its key), so a job done twice stores nothing twice.
CREATE TABLE jobs (
    id          BIGSERIAL PRIMARY KEY,
    inputs      TEXT NOT NULL,          -- JSON array of {"path", "id"}
    state       TEXT NOT NULL DEFAULT 'pending',   -- pending | claimed | done | failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    worker      TEXT,
    lease_until TIMESTAMPTZ,
    enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    reports_new BIGINT NOT NULL DEFAULT 0,
    problems    BIGINT NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('pending', 'claimed');
