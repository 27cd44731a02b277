-- Schema 6: the names a report's lead gives (stemmed terms of the capitalised words of its title
-- and first two sentences, one a line), which placement reads when the index is rebuilt: two
-- reports whose leads each name an actor the other never mentions are not joined. Reports
-- stored before schema 6 have none, and the test never refuses through them.
ALTER TABLE reports ADD COLUMN lead_names TEXT NOT NULL DEFAULT '';
