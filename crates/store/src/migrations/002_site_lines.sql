-- Schema 2: how many reports of each site carried each short line, for learning a site's
-- boilerplate across reports.
CREATE TABLE site_lines (
    site      TEXT NOT NULL,
    line_hash INTEGER NOT NULL,
    reports   INTEGER NOT NULL,
    PRIMARY KEY (site, line_hash)
) WITHOUT ROWID;
