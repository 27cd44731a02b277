-- Schema 3: what `storyline follow` remembers of each feed between runs: the validators of its
-- last successful fetch, sent back for a conditional GET (an unchanged feed costs a 304).
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT NOT NULL
) WITHOUT ROWID;
