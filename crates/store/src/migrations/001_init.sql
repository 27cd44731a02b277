-- Schema 1: reports, stories, pair alignments, lineage edges.
CREATE TABLE stories (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    created_seq INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL
);

CREATE TABLE reports (
    seq            INTEGER PRIMARY KEY,
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
    content_hash   INTEGER NOT NULL,
    story          INTEGER NOT NULL REFERENCES stories(id),
    role           TEXT NOT NULL DEFAULT 'original',
    role_evidence  TEXT NOT NULL DEFAULT '[]',
    first_hand     INTEGER NOT NULL DEFAULT 0,
    relay          INTEGER NOT NULL DEFAULT 0,
    marker_evidence TEXT NOT NULL DEFAULT '[]',
    content_tokens INTEGER NOT NULL DEFAULT 0,
    title_norm     TEXT,
    terms          TEXT NOT NULL,
    bands          BLOB NOT NULL,
    placement_score REAL NOT NULL DEFAULT 0
);
CREATE INDEX reports_story ON reports(story);
CREATE INDEX reports_url ON reports(url) WHERE url IS NOT NULL;

-- Alignment of an unordered pair of reports of one story, both ways.
CREATE TABLE pairs (
    story       INTEGER NOT NULL REFERENCES stories(id),
    a           TEXT NOT NULL REFERENCES reports(id),
    b           TEXT NOT NULL REFERENCES reports(id),
    similarity  REAL NOT NULL,
    a_in_b      TEXT NOT NULL,
    b_in_a      TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX pairs_story ON pairs(story);

CREATE TABLE lineage (
    story     INTEGER NOT NULL REFERENCES stories(id),
    from_id   TEXT NOT NULL REFERENCES reports(id),
    to_id     TEXT NOT NULL REFERENCES reports(id),
    kind      TEXT NOT NULL,
    reuse     REAL NOT NULL,
    verbatim  REAL NOT NULL,
    evidence  TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX lineage_story ON lineage(story);
