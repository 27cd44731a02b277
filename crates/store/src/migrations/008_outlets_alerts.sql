-- Schema 8: each report's outlet (its source, else its site, else the outlet its text names for
-- itself; `storyline_stories::outlet`) and when this store first saw it (RFC 3339, UTC), for
-- outlet profiles and coverage timelines; alert subscriptions, their events and the webhook
-- outbox. Reports stored before schema 8 take their source as outlet and have no first-seen
-- time until re-ingested.
ALTER TABLE reports ADD COLUMN outlet TEXT;
ALTER TABLE reports ADD COLUMN first_seen TEXT;
UPDATE reports SET outlet = trim(source) WHERE source IS NOT NULL AND trim(source) <> '';
CREATE INDEX reports_outlet ON reports (outlet) WHERE outlet IS NOT NULL;

-- What a user follows: a story, a thread, an outlet, or a query of words (new stories matching
-- it). `start_seq` is the last report sequence number when it was made (a query matches
-- stories opened after it); `cursor_seq` the last whose events were made for it.
CREATE TABLE subscriptions (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    target      TEXT NOT NULL,
    webhook_url TEXT,
    secret      TEXT NOT NULL,
    created     TEXT NOT NULL,
    start_seq   INTEGER NOT NULL,
    cursor_seq  INTEGER NOT NULL
);

-- Events, each with an id made from its subscription, kind and subject, so that making them
-- twice (a process killed before its cursor moved) stores each once.
CREATE TABLE alert_events (
    n            INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    subscription TEXT NOT NULL,
    kind         TEXT NOT NULL,
    story        INTEGER,
    report       TEXT,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    created      TEXT NOT NULL,
    payload      TEXT NOT NULL
);
CREATE INDEX alert_events_subscription ON alert_events (subscription, n);

-- Webhook deliveries still to make (or given up on): one row per event of a subscription with
-- a webhook, written with the event; times in milliseconds since the Unix epoch.
CREATE TABLE webhook_outbox (
    event        TEXT PRIMARY KEY,
    subscription TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    delivered    INTEGER,
    failed       INTEGER,
    last_error   TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt) WHERE delivered IS NULL AND failed IS NULL;
