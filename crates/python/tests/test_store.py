"""The store from Python: the seeds give the CLI's stories and lineage, listings are frames with
the CLI's field names and sensible dtypes, bad input raises with the CLI's messages."""

import datetime as dt
import os
import subprocess
import threading
import time

import pandas as pd
import pytest

import storyline
from conftest import CLI, cli_json

# The seeds' stories as the CLI makes them (README, "Run it on the seeds"): members and edges.
SEED_STORIES = {
    "S1": ["000_2263e4eb673043e5", "001_e9418f4d7fb0e764"],
    "S2": ["002_e5aa7a1d09bb6136", "003_eecd8b1c6ee32f2a", "004_a7ee9d15eccb91ee"],
}
SEED_EDGES = {
    ("S1", "000_2263e4eb673043e5", "001_e9418f4d7fb0e764", "related"),
    ("S2", "004_a7ee9d15eccb91ee", "002_e5aa7a1d09bb6136", "summary"),
    ("S2", "004_a7ee9d15eccb91ee", "003_eecd8b1c6ee32f2a", "rewrite"),
}


def test_seeds_give_the_clis_stories_and_lineage(seeded, seeds, tmp_path):
    store, summary = seeded
    assert (summary["read"], summary["new"], summary["duplicates"], summary["failed"]) == (5, 5, 0, 0)
    assert [l["story"] for l in summary["landed"]] == ["S1", "S1", "S2", "S2", "S2"]
    stories = store.stories(as_="records")
    assert {s["id"]: sorted(r["id"] for r in s["reports"]) for s in stories} == SEED_STORIES
    edges = store.lineage(as_="records")
    assert {(e["story"], e["from"], e["to"], e["kind"]) for e in edges} == SEED_EDGES
    if CLI.is_file():
        db = str(tmp_path / "cli.db")
        cli_summary = cli_json("--db", db, "ingest", str(seeds))
        assert summary == cli_summary
        assert stories == cli_json("--db", db, "stories")
        assert store.reports(story="S2", as_="records") == [
            cli_json("--db", db, "show", r) for r in SEED_STORIES["S2"]
        ]
        assert store.quotes(as_="records") == cli_json("--db", db, "quotes")
        assert store.entities(story="S1", as_="records") == cli_json("--db", db, "entities", "--story", "S1")
        assert store.story("S2").brief() == cli_json("--db", db, "brief", "S2")
        assert store.story("S2").compare() == cli_json("--db", db, "compare", "S2")


def test_ingesting_again_stores_nothing(seeded, seeds):
    store, _ = seeded
    again = store.ingest([seeds])
    assert (again["read"], again["new"], again["duplicates"]) == (5, 0, 5)
    assert store.counts() == (5, 2)


def test_frames_have_the_clis_fields_and_dtypes(seeded):
    store, _ = seeded
    stories = store.stories()
    assert isinstance(stories, pd.DataFrame)
    assert list(stories.columns) == ["id", "title", "thread", "reports", "originals", "lineage"]
    # Text columns take pandas' own string dtype: object on pandas 2, `str` on pandas 3.
    assert pd.api.types.is_string_dtype(stories["id"]) and list(stories["id"]) == ["S1", "S2"]

    reports = store.reports()
    assert list(reports.columns[:4]) == ["id", "story", "title", "url"]
    assert len(reports) == 5
    assert str(reports["published"].dtype).startswith("datetime64")
    assert str(reports["updated"].dtype).startswith("datetime64")

    lineage = store.lineage(story="S2")
    assert list(lineage.columns) == ["story", "from", "to", "kind", "reuse", "verbatim", "evidence"]
    assert lineage["reuse"].dtype == "float64" and lineage["verbatim"].dtype == "float64"

    quotes = store.quotes()
    assert list(quotes.columns) == ["report", "story", "speaker", "mention", "cue", "text", "direct", "partial", "start", "end"]
    assert len(quotes) > 0
    assert quotes["start"].dtype == "int64" and quotes["end"].dtype == "int64"
    assert quotes["direct"].dtype == bool

    people = store.entities(story="S2", kind="person")
    assert len(people) > 0 and set(people["kind"]) == {"person"}
    assert {"report", "story", "name", "kind", "mentions"} <= set(people.columns)


def test_empty_listings_keep_their_columns(tmp_path):
    with storyline.open(tmp_path / "empty.db") as store:
        assert list(store.stories().columns) == ["id", "title", "thread", "reports", "originals", "lineage"]
        assert "text" in store.reports().columns
        assert list(store.lineage().columns)[:3] == ["story", "from", "to"]
        assert "speaker" in store.quotes().columns
        assert "mentions" in store.entities().columns
        assert list(store.iter_stories()) == []


def test_records_arrow_and_no_pandas(seeded, monkeypatch):
    store, _ = seeded
    table = store.lineage(as_="arrow")
    pa = pytest.importorskip("pyarrow")
    assert isinstance(table, pa.Table)
    assert table.column_names == ["story", "from", "to", "kind", "reuse", "verbatim", "evidence"]
    monkeypatch.setattr(storyline, "_pandas", lambda: None)
    rows = store.stories()
    assert isinstance(rows, list) and rows[0]["id"] == "S1"


def test_iterating_stories_in_batches(seeded):
    store, _ = seeded
    batches = list(store.iter_stories(batch=1))
    assert [list(b["id"]) for b in batches] == [["S1"], ["S2"]]
    assert pd.concat(batches, ignore_index=True).equals(store.stories())
    assert [len(b) for b in store.iter_stories(batch=10, as_="records")] == [2]
    with pytest.raises(ValueError, match="batch must be a positive int"):
        next(store.iter_stories(batch=0))
    # A batch stops once it holds max_reports reports (S1 has 2, S2 has 3).
    assert [list(b["id"]) for b in store.iter_stories(batch=10, max_reports=1)] == [["S1"], ["S2"]]
    assert [list(b["id"]) for b in store.iter_stories(batch=10, max_reports=3)] == [["S1", "S2"]]
    assert [len(b) for b in store.iter_stories(max_reports=None)] == [2]


def test_an_iteration_reads_one_snapshot(tmp_path, seeds):
    with storyline.open(tmp_path / "snap.db") as store:
        store.ingest(seeds)
        batches = store.iter_stories(batch=1, as_="records")
        first = next(batches)
        store.ingest([{"id": "late", "title": "Volcano erupts", "text": "A volcano erupted in the north on Friday, forcing thousands to leave their homes."}])
        assert [s["id"] for b in [first, *batches] for s in b] == ["S1", "S2"]
        assert len(store.stories()) == 3


def test_a_story(seeded):
    store, _ = seeded
    story = store.story("S2")
    assert story.id == "S2" and story.thread == "T2"
    assert sorted(story.reports["id"]) == SEED_STORIES["S2"]
    assert len(story.lineage) == 2
    brief = story.brief()
    assert brief["story"] == "S2" and 1 <= len(brief["sentences"]) <= 8
    assert set(story.compare()) >= {"story", "quotes", "figures", "unique", "missing", "entities", "unique_dated"}


def test_records_ingest(tmp_path):
    records = [
        {
            "id": "a1",
            "title": "Flood closes river bridge",
            "text": "The city closed the river bridge on Monday after floods. Officials said repairs would take weeks.",
            "url": "https://example.test/a1",
            "published": dt.datetime(2025, 5, 7, 9, 30, tzinfo=dt.timezone.utc),
            "source": "Example",
            "desk": "metro",
        },
        {"title": "A page", "html": "<html><body><article><p>Officials said the bridge would reopen in June after repairs to its deck.</p></article></body></html>"},
    ]
    calls = []
    with storyline.open(tmp_path / "r.db") as store:
        summary = store.ingest(records, progress=lambda done, total: calls.append((done, total)))
        assert (summary["read"], summary["new"], summary["failed"]) == (2, 2, 0)
        assert calls[-1] == (2, 2)
        reports = store.reports()
        assert sorted(reports["id"]) == ["a1", "record-2"]
        a1 = reports.set_index("id").loc["a1"]
        assert a1["published"] == pd.Timestamp("2025-05-07T09:30:00Z")
        assert a1["extra"] == {"desk": "metro"}
        assert store.ingest(pd.DataFrame(records[:1]))["duplicates"] == 1
        # A DataFrame's missing cells (NaN, NaT) are missing fields, as null is in JSON Lines.
        frame = pd.DataFrame(
            [
                {"id": "b1", "text": "Ferries will run every hour while the bridge is closed, the port said.", "published": pd.Timestamp("2025-05-08")},
                {"id": "b2", "html": "<p>Ferries will run every hour while the bridge is closed, the port authority said on Tuesday.</p>", "published": pd.NaT},
            ]
        )
        assert store.ingest(frame)["new"] == 2
        dates = store.reports().set_index("id")["published"]
        assert dates["b1"] == pd.Timestamp("2025-05-08T00:00:00Z") and pd.isna(dates["b2"])


def test_progress_for_paths(tmp_path, seeds):
    calls = []
    with storyline.open(tmp_path / "p.db") as store:
        store.ingest(str(seeds), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (5, 5)
    pytest.importorskip("tqdm")
    with storyline.open(tmp_path / "q.db") as store:
        assert store.ingest(str(seeds), progress=True)["new"] == 5


def test_bad_input_raises(tmp_path, seeds):
    store = storyline.open(tmp_path / "bad.db")
    with pytest.raises(FileNotFoundError, match="missing.txt: cannot read") as e:
        store.ingest(tmp_path / "missing.txt")
    assert isinstance(e.value, storyline.StorylineError)
    with pytest.raises(ValueError, match="record 2: no `text` or `html` field: a report needs a body"):
        store.ingest([{"id": "ok", "text": "A body of words here."}, {"id": "x", "title": "no body"}])
    assert store.counts() == (0, 0), "a bad record stores nothing"
    with pytest.raises(ValueError, match="record 1: field `title` should be a string, found a number"):
        store.ingest([{"title": 5, "text": "words words words"}])
    with pytest.raises(storyline.InvalidInputError, match="record 1: expected a dict"):
        store.ingest([["not", "a", "dict"], {"text": "x"}])
    with pytest.raises(ValueError, match="wrap one record in a list"):
        store.ingest({"text": "one record"})
    with pytest.raises(ValueError, match="`X9` is not a story id"):
        store.story("X9")
    with pytest.raises(LookupError, match="no story or report `S9`"):
        store.story("S9")
    with pytest.raises(ValueError, match="not an entity kind"):
        store.entities(kind="animal")
    store.close()
    with pytest.raises(ValueError, match="the store is closed"):
        store.stories()


def test_bad_store_paths_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder .*nowhere"):
        storyline.open(tmp_path / "nowhere" / "x.db")
    with pytest.raises(ValueError, match="is a folder"):
        storyline.open(tmp_path)
    with pytest.raises(storyline.StorylineError, match="cannot connect to PostgreSQL"):
        storyline.open("postgres://127.0.0.1:1/news")
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("these are not SQLite pages " * 100)
    with pytest.raises(storyline.StorylineError):
        storyline.open(not_a_store)


def test_default_store_is_storyline_db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    with storyline.open() as store:
        assert store.path == "storyline.db"
    assert (tmp_path / "storyline.db").is_file()


def test_readers_in_threads_while_ingesting(tmp_path, seeds):
    """Reads from other threads go on during an ingest (the GIL is released)."""
    store = storyline.open(tmp_path / "t.db")
    seen = []
    t = threading.Thread(target=lambda: seen.append(store.ingest(seeds)))
    t.start()
    while t.is_alive():
        store.counts()
    t.join()
    assert seen[0]["new"] == 5
    store.close()


@pytest.fixture
def postgres_url():
    """A PostgreSQL database of its own, dropped after the test, on $STORYLINE_TEST_POSTGRES
    (default the machine's server). Without a reachable server the test fails, naming it."""
    admin = os.environ.get("STORYLINE_TEST_POSTGRES", "postgres://127.0.0.1:5432/postgres")
    name = f"storyline_py_{os.getpid()}_{time.time_ns()}"
    made = subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.fail(f"PostgreSQL is needed for this test and cannot be used at {admin}: {made.stderr.strip()}")
    yield admin.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], capture_output=True)


def test_a_postgres_store_gives_the_same_stories_as_a_file(postgres_url, seeded, seeds):
    with storyline.open(postgres_url) as store:
        summary = store.ingest(seeds)
        assert summary["new"] == 5
        file_store, _ = seeded
        assert store.stories(as_="records") == file_store.stories(as_="records")
        assert store.lineage(as_="records") == file_store.lineage(as_="records")
    # Reading it again, from a new handle, sees what was stored.
    assert len(storyline.open(postgres_url).stories(as_="records")) == 2
