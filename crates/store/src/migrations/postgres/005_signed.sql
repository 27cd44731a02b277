-- PostgreSQL schema 5 (SQLite schema 9): whether a report signs its reporting (a byline, a
-- dateline, an agency's credit or first-hand markers). Lineage takes a signed report for a
-- derivation of another only when it shares that report's wording. Reports stored before
-- schema 5 count as unsigned (derivable by rewording alone, as before) until re-ingested.
ALTER TABLE reports ADD COLUMN signed BOOLEAN NOT NULL DEFAULT false;
