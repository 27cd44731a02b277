-- PostgreSQL schema 1: the SQLite store's schema 7 in one step (reports, stories, pair
-- alignments, lineage, site lines, feeds, pending lineage, threads, lead names, wire credits).
-- Text columns and their encodings are the SQLite store's, so both backends read the same way.
-- No foreign keys: every write is the store's own, inside one transaction per batch, and
-- PostgreSQL checks a foreign key with a trigger per row (on a 20k-report ingest, the bulk
-- insert of pairs spent 1.8 s of its 3.1 s store stage in them); `storyline check` verifies
-- the references instead.
CREATE TABLE stories (
    id          BIGINT PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    created_seq BIGINT NOT NULL,
    updated_seq BIGINT NOT NULL,
    thread      BIGINT NOT NULL
);
CREATE INDEX stories_thread ON stories (thread, id);

CREATE TABLE reports (
    seq            BIGINT PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    url            TEXT,
    title          TEXT,
    display_title  TEXT NOT NULL,
    source         TEXT,
    published      TEXT,
    updated        TEXT,
    byline         TEXT,
    language       TEXT,
    body           TEXT NOT NULL,
    origin         TEXT NOT NULL,
    extra_json     TEXT,
    dropped        TEXT NOT NULL DEFAULT '[]',
    headings       TEXT NOT NULL DEFAULT '[]',
    content_hash   BIGINT NOT NULL,
    story          BIGINT NOT NULL,
    role           TEXT NOT NULL DEFAULT 'original',
    role_evidence  TEXT NOT NULL DEFAULT '[]',
    first_hand     BIGINT NOT NULL DEFAULT 0,
    relay          BIGINT NOT NULL DEFAULT 0,
    marker_evidence TEXT NOT NULL DEFAULT '[]',
    content_tokens BIGINT NOT NULL DEFAULT 0,
    title_norm     TEXT,
    terms          TEXT NOT NULL,
    bands          BYTEA NOT NULL,
    placement_score DOUBLE PRECISION NOT NULL DEFAULT 0,
    placement_evidence TEXT NOT NULL DEFAULT '[]',
    lead_names     TEXT NOT NULL DEFAULT '',
    wire           TEXT
) WITH (fillfactor = 80);  -- room on each page for the role update lineage makes (a HOT update)
CREATE INDEX reports_story ON reports (story, seq);
CREATE INDEX reports_url ON reports (url) WHERE url IS NOT NULL;
CREATE INDEX reports_source ON reports (source, story) WHERE source IS NOT NULL;

-- Alignment of an unordered pair of reports of one story, both ways.
CREATE TABLE pairs (
    story       BIGINT NOT NULL,
    a           TEXT NOT NULL,
    b           TEXT NOT NULL,
    similarity  DOUBLE PRECISION NOT NULL,
    a_in_b      TEXT NOT NULL,
    b_in_a      TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX pairs_story ON pairs (story);
CREATE INDEX pairs_b ON pairs (b);

CREATE TABLE lineage (
    story     BIGINT NOT NULL,
    from_id   TEXT NOT NULL,
    to_id     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    reuse     DOUBLE PRECISION NOT NULL,
    verbatim  DOUBLE PRECISION NOT NULL,
    evidence  TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX lineage_story ON lineage (story);

CREATE TABLE site_lines (
    site      TEXT NOT NULL,
    line_hash BIGINT NOT NULL,
    reports   INTEGER NOT NULL,
    PRIMARY KEY (site, line_hash)
);

CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT NOT NULL
);

CREATE TABLE lineage_pending (
    story BIGINT PRIMARY KEY
);
