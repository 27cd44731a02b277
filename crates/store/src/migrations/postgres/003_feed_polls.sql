-- PostgreSQL schema 3: when each followed feed is next due. Several `storyline follow`
-- processes on one database share their feeds: a follower polls a feed only when it moves the
-- feed's next poll forward itself (one statement, so two followers never both win), so each
-- feed is polled once per interval, by whichever follower asks first.
CREATE TABLE feed_polls (
    url          TEXT PRIMARY KEY,
    next_poll_at TIMESTAMPTZ NOT NULL,
    poller       TEXT
);
