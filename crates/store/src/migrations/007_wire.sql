-- Schema 7: the news agency whose story a report republishes under its credit (a dateline
-- "(AP) —" or Reuters' "Reporting by …; Editing by …"), when its own outlet is not that agency.
-- Lineage calls such a report a wire copy, derived from the agency even when the agency's own
-- copy is not in the story. Reports stored before schema 7 have none until re-ingested.
ALTER TABLE reports ADD COLUMN wire TEXT;
