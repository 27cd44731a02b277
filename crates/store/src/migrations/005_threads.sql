-- Schema 5: a story's thread is stored with the story. A new story joins the thread of the
-- earlier story it develops (decided once, when its first report arrives) or opens its own;
-- `thread` is the thread's first story. The links of schema 4 were topic-level similarities
-- chained transitively (one thread of 13,312 stories on Reuters-21578 + BBC): they are not
-- carried over, so every story of an older store starts as its own thread.
ALTER TABLE stories ADD COLUMN thread INTEGER NOT NULL DEFAULT 0;
UPDATE stories SET thread = id;
CREATE INDEX stories_thread ON stories (thread, id);
DROP TABLE story_links;

-- Why each report joined its story (or opened it) and why the closest other candidate story was
-- refused, in words, as `show REPORT` prints them (a JSON array of strings).
ALTER TABLE reports ADD COLUMN placement_evidence TEXT NOT NULL DEFAULT '[]';
