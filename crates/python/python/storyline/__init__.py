"""Storyline from Python: news reports into stories, lineage, quotes and entities.

Storyline groups reports of the same event into stories as they arrive and traces their
lineage (which report is the original, which ones copy, rewrite or summarise it). This package
drives the same Rust pipeline and SQLite store as the ``storyline`` command line: a store made
here is a store the CLI reads, and back.

Example::

    import storyline

    with storyline.open("news.db") as store:
        store.ingest("../shared/fixtures/seeds")      # files, folders, or dicts
        store.stories()                               # one row per story (a DataFrame)
        store.lineage(story="S2")                     # who copied whom
        store.quotes(story="S2")                      # who said what
        story = store.story("S2")
        story.brief()                                 # the cited brief, as a dict

    storyline.clean("<html>…</html>")                 # one page's text and metadata
    storyline.clean_many(pages, threads=2)            # many pages in parallel

Listings return a ``pandas.DataFrame`` when pandas is installed (a list of dicts otherwise;
``as_="records"`` always gives the list, ``as_="arrow"`` a ``pyarrow.Table``). Their columns
are the field names of the CLI's ``--format json`` (the README's contract). Rust work runs with
the GIL released, so other Python threads go on meanwhile.

Errors are :class:`StorylineError` subclasses, each also the natural built-in exception
(``FileNotFoundError``, ``ValueError``, ``LookupError``), with the CLI's messages.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any, Callable, Optional, Union

from . import _storyline as _native
from ._errors import InvalidInputError, NotFoundError, StoreNotFoundError, StorylineError

__version__: str = _native.__version__

__all__ = [
    "open",
    "Store",
    "Story",
    "clean",
    "clean_many",
    "StorylineError",
    "StoreNotFoundError",
    "InvalidInputError",
    "NotFoundError",
    "StorylineWarning",
    "DEFAULT_DB",
]

#: The store file used when ``open()`` is given none: ``$STORYLINE_DB``, else
#: ``storyline.db`` in the working folder, as the CLI.
DEFAULT_DB = "storyline.db"

#: Stories per DataFrame that ``Store.iter_stories`` yields by default.
DEFAULT_BATCH = 10_000

#: Most reports a batch of ``Store.iter_stories`` holds (a larger story comes alone): story
#: sizes vary too much for a story count alone to bound memory (the 1M scale store has 19,511
#: stories, ~51 reports each on average; batches of 10,000 of them peaked at 3.4 GB). Rows cost
#: about 9 KB of memory per report, Rust and Python together (peak RSS over the 100k and 1M
#: scale stores, ``benches/store_bench.py``), so 20,000 reports keep a batch near 200 MB.
DEFAULT_BATCH_REPORTS = 20_000

#: Stories per read when ``Store.stories()`` builds one frame: the Rust rows of one page wait
#: in memory for their conversion, so smaller pages peak lower; on the 100k scale store
#: (``benches/store_bench.py``) pages of 2,000 were read and converted in 1.7–1.8 s against
#: 1.95 s for one read of everything.
_FRAME_PAGE = 2_000

#: The date fields of the JSON contract, turned into ``datetime64[ns, UTC]`` columns.
_DATE_COLUMNS = ("published", "updated")


class StorylineWarning(UserWarning):
    """Some inputs of an ingest failed (the rest were stored); the summary lists them."""


def open(path: Union[str, "os.PathLike[str]", None] = None) -> "Store":  # noqa: A001
    """Opens the store at ``path`` (a SQLite file), creating it if missing, or the PostgreSQL
    database a ``postgres://`` URL names (which must exist; its schema is made if missing).

    ``None`` means ``$STORYLINE_DB`` or ``storyline.db``, as the CLI's ``--db``. A path in a
    folder that does not exist raises ``StoreNotFoundError``. Use it as a context manager::

        with storyline.open("news.db") as store:
            ...
    """
    if path is None:
        path = os.environ.get("STORYLINE_DB") or DEFAULT_DB
    return Store(path)


def clean(
    html_or_text: Union[str, bytes], url: Optional[str] = None, *, html: Optional[bool] = None
) -> dict:
    """Cleans one page or text without storing it, as ``storyline clean --format json`` does.

    ``html_or_text`` is a ``str`` or ``bytes`` (decoded as the CLI decodes a file: BOM,
    declared charset, detection). It is read as HTML when its first non-blank character is
    ``<`` (``html=True``/``False`` says so instead). Returns a dict: ``id``, ``origin``,
    ``title``, ``url``, ``canonical_url``, ``source``, ``site``, ``published``, ``updated``,
    ``byline``, ``language``, ``text`` (one paragraph per line), ``headings`` and ``dropped``
    (each ``{rule, text}``).
    """
    return _native.clean(html_or_text, url, html)


def clean_many(inputs: Iterable[Union[str, bytes, Mapping[str, Any]]], threads: Optional[int] = None) -> list:
    """Cleans many pages in parallel (all cores, or ``threads``), the GIL released.

    Each input is a ``str``, ``bytes``, or a dict with ``text`` or ``html`` and optionally
    ``url``, ``title``, ``id``. Returns one dict per input, in input order, as :func:`clean`.
    """
    return _native.clean_many(inputs, threads)


# ---------------------------------------------------------------------------------------------
# Rows to frames.


def _pandas():
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _frame(rows: list, listing: str, as_: Optional[str]):
    """Rows (dicts) as asked: a DataFrame, the list itself, or an Arrow table."""
    if as_ not in (None, "pandas", "records", "arrow"):
        raise InvalidInputError(f"as_ must be 'pandas', 'records' or 'arrow', not {as_!r}")
    if as_ == "records":
        return rows
    pd = _pandas()
    if as_ == "arrow":
        try:
            import pyarrow
        except ImportError as e:
            raise ImportError("as_='arrow' needs pyarrow: pip install pyarrow") from e
        if pd is None:
            return pyarrow.Table.from_pylist(rows)
        return pyarrow.Table.from_pandas(_dataframe(pd, rows, listing), preserve_index=False)
    if pd is None:
        if as_ == "pandas":
            raise ImportError("as_='pandas' needs pandas: pip install pandas")
        return rows
    return _dataframe(pd, rows, listing)


def _columns(rows: list, listing: str) -> list:
    if not rows:
        return _native.columns(listing)
    seen: dict = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def _dataframe(pd, rows: list, listing: str):
    df = pd.DataFrame.from_records(rows, columns=_columns(rows, listing))
    for name in df.columns:
        col = df[name]
        if name in _DATE_COLUMNS:
            df[name] = _dates(pd, col)
            continue
        values = col.dropna()
        if len(values) == 0:
            if len(col) == 0:
                # An empty listing's columns: text unless the contract says otherwise.
                df[name] = col.astype(object)
            continue
        kinds = {type(v) for v in values}
        if kinds == {bool}:
            df[name] = col.astype("bool" if len(values) == len(col) else "boolean")
        elif kinds == {int}:
            df[name] = col.astype("int64" if len(values) == len(col) else "Int64")
        elif kinds <= {int, float}:
            df[name] = col.astype("float64")
    return df


def _dates(pd, col):
    """Publication dates as UTC datetimes; a date that does not parse becomes ``NaT``."""
    try:
        return pd.to_datetime(col, utc=True, errors="coerce", format="ISO8601")
    except (TypeError, ValueError):  # pandas < 2 has no format="ISO8601"
        return pd.to_datetime(col, utc=True, errors="coerce")


# ---------------------------------------------------------------------------------------------
# The store.


def _progress_callback(progress) -> tuple:
    """A ``(done, total)`` callable and a closer, from ``progress`` (a callable, True, None)."""
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            warnings.warn("progress=True needs tqdm (pip install tqdm); no progress shown", stacklevel=3)
            return None, lambda: None
        bar = tqdm(total=0, unit="input")

        def tell(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
                bar.refresh()
            bar.update(done - bar.n)

        return tell, bar.close
    if not callable(progress):
        raise InvalidInputError("progress must be a callable taking (done, total), True or None")
    return progress, lambda: None


def _is_path(x) -> bool:
    return isinstance(x, (str, os.PathLike))


class Store:
    """A Storyline store (one SQLite file). Made by :func:`storyline.open`.

    Reading methods each see one snapshot of the store, so an ingest running in another
    process or thread never shows half a batch. Listings return DataFrames (see the module's
    help) with the CLI's JSON field names as columns.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"]):
        self._native = _native.NativeStore(os.fspath(path))

    # -- lifetime ------------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The store file."""
        return self._native.path

    @property
    def closed(self) -> bool:
        return self._native.closed

    def close(self) -> None:
        """Closes the store; later calls raise ``InvalidInputError``."""
        self._native.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return f"<storyline.Store {self.path!r} (closed)>"
        reports, stories = self._native.counts()
        return f"<storyline.Store {self.path!r}: {reports} reports, {stories} stories>"

    def counts(self) -> tuple:
        """``(reports, stories)`` stored."""
        return self._native.counts()

    def __len__(self) -> int:
        """The number of stories."""
        return self._native.counts()[1]

    # -- writing -------------------------------------------------------------------------------

    def ingest(
        self,
        paths_or_records,
        threads: Optional[int] = None,
        progress: Union[Callable[[int, int], Any], bool, None] = None,
    ) -> dict:
        """Reads reports, places each in a story and updates lineage; returns the summary.

        ``paths_or_records`` is a path, a list of paths (files and folders: what
        ``storyline ingest`` reads), or an iterable of dicts (or a DataFrame) with ``id``,
        ``title``, ``text`` or ``html``, ``url``, ``published``, ``source`` (other keys are
        kept under ``extra``), read as JSON Lines lines are. Records are all checked before any
        is stored: one without a body raises ``InvalidInputError`` naming it. A path that does
        not exist raises ``StoreNotFoundError`` (a ``FileNotFoundError``).

        ``threads`` sets the worker threads (results do not depend on it). ``progress`` is a
        callable taking ``(done, total)`` (inputs for paths, records for records), or ``True``
        for a tqdm bar.

        The summary is ``storyline ingest --format json``'s: ``read``, ``new``,
        ``duplicates``, ``failed``, ``errors`` (``{input, message}``), ``skipped`` and
        ``landed`` (``{report, story, new_story, score}``). Inputs that failed are also told
        as one :class:`StorylineWarning`.
        """
        tell, close = _progress_callback(progress)
        try:
            summary = self._ingest(paths_or_records, threads, tell)
        finally:
            close()
        if summary["errors"]:
            first = summary["errors"][0]
            more = len(summary["errors"]) - 1
            warnings.warn(
                f"{first['input']}: {first['message']}"
                + (f" (and {more} more inputs failed; see the summary's `errors`)" if more else ""),
                StorylineWarning,
                stacklevel=2,
            )
        return summary

    def _ingest(self, what, threads, tell) -> dict:
        if _is_path(what):
            return self._native.ingest_paths([os.fspath(what)], threads, tell)
        if isinstance(what, (bytes, Mapping)):
            raise InvalidInputError(
                "ingest takes a path, a list of paths or an iterable of dicts; "
                f"found {type(what).__name__} (wrap one record in a list)"
            )
        if hasattr(what, "to_dict") and hasattr(what, "columns"):  # a DataFrame of records
            what = what.to_dict("records")
        if isinstance(what, (list, tuple)) and what and all(_is_path(p) for p in what):
            return self._native.ingest_paths([os.fspath(p) for p in what], threads, tell)
        items = iter(what)
        try:
            first = next(items)
        except StopIteration:
            return self._native.ingest_records([], threads, tell)
        if _is_path(first):
            rest = list(items)
            if not all(_is_path(p) for p in rest):
                raise InvalidInputError("ingest takes paths or records, not both in one call")
            return self._native.ingest_paths([os.fspath(p) for p in [first, *rest]], threads, tell)
        return self._native.ingest_records(chain([first], items), threads, tell)

    # -- reading -------------------------------------------------------------------------------

    def stories(self, as_: Optional[str] = None):
        """Every story, one row each, as ``storyline stories --format json``: ``id``,
        ``title``, ``thread``, ``reports`` (each ``{id, title, role, evidence, source, url,
        published}``), ``originals``, ``lineage`` (each edge as in :meth:`lineage`).

        The whole store in one frame, read from one snapshot; :meth:`iter_stories` pages
        through a large one.
        """
        rows: list = []
        for page in self._pages(_FRAME_PAGE):
            rows.extend(page)
        return _frame(rows, "stories", as_)

    def iter_stories(
        self,
        batch: int = DEFAULT_BATCH,
        as_: Optional[str] = None,
        max_reports: Optional[int] = DEFAULT_BATCH_REPORTS,
    ) -> Iterator:
        """The stories as :meth:`stories` gives them, in creation order, a batch at a time: at
        most ``batch`` stories, fewer once they hold ``max_reports`` reports (a story larger
        than that comes alone; ``None`` for no cap). Memory is one batch, whatever the store's
        size. The whole iteration reads one snapshot of the store: an ingest meanwhile shows
        in the next call, not halfway through."""
        for name, value in (("batch", batch), ("max_reports", max_reports)):
            if value is None and name == "max_reports":
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidInputError(f"{name} must be a positive int, not {value!r}")
        for page in self._pages(batch, max_reports):
            yield _frame(page, "stories", as_)

    def _pages(self, size: int, max_reports: Optional[int] = None) -> Iterator[list]:
        """Pages of story rows, all from one snapshot of the store: each page is read in Rust
        without the GIL, then turned into Python objects. (Reading the next page on a worker
        thread meanwhile was slower on a busy 2-core machine: 2.0–2.2 s against 1.7–1.8 s for
        the 100k scale store's rows, ``benches/store_bench.py``; so pages are read one after
        the other.)"""
        cursor = self._native.story_cursor()
        while True:
            page = cursor.next_page(size, max_reports)
            if len(page) == 0:
                return
            yield page.take_rows()

    def story(self, story: str) -> "Story":
        """The story ``story`` (``"S2"``); ``NotFoundError`` when the store has none."""
        return Story(self, self._native.story(story))

    def reports(self, story: Optional[str] = None, as_: Optional[str] = None):
        """Reports, one row each, as ``storyline show REPORT --format json``: ``id``,
        ``story``, ``title``, ``url``, ``source``, ``published``, ``updated``, ``byline``,
        ``language``, ``origin``, ``role``, ``evidence``, ``placement``, ``lineage``,
        ``extra``, ``dropped``, ``text``. One story's, or the whole store's."""
        return _frame(self._native.reports(story), "reports", as_)

    def lineage(self, story: Optional[str] = None, as_: Optional[str] = None):
        """Lineage edges, one row each: ``story``, then the CLI's edge fields ``from``,
        ``to``, ``kind`` (copy, rewrite, summary, related), ``reuse``, ``verbatim``,
        ``evidence``. One story's, or the whole store's."""
        return _frame(self._native.lineage(story), "lineage", as_)

    def quotes(self, story: Optional[str] = None, speaker: Optional[str] = None, as_: Optional[str] = None):
        """Who said what, as ``storyline quotes --format json``: ``report``, ``story``,
        ``speaker``, ``mention``, ``cue``, ``text``, ``direct``, ``partial``, ``start``,
        ``end``. With ``speaker``, that speaker's remarks across the reports instead:
        ``speaker``, ``drift``, ``variants`` (``{text, reports, drift, diff}``)."""
        rows = self._native.quotes(story, speaker)
        return _frame(rows, "remarks" if speaker is not None else "quotes", as_)

    def entities(self, story: Optional[str] = None, kind: Optional[str] = None, as_: Optional[str] = None):
        """People, organisations, places, figures and dates, as ``storyline entities --format
        json``: ``report``, ``story``, ``name``, ``kind``, ``mentions`` (``{text, start,
        end}``), and for figures ``number``, ``value``, ``counts``, for dates ``relative``.
        ``kind`` keeps one kind (person, organization, place, figure, date)."""
        return _frame(self._native.entities(story, kind), "entities", as_)


class Story:
    """One story of a store: its reports, lineage, brief and comparison."""

    def __init__(self, store: Store, record: dict):
        self._store = store
        self._record = record

    @property
    def id(self) -> str:
        """The story's id (``S2``)."""
        return self._record["id"]

    @property
    def title(self) -> str:
        return self._record["title"]

    @property
    def thread(self) -> str:
        """The story's thread (``T`` and its first story's number)."""
        return self._record["thread"]

    @property
    def originals(self) -> list:
        return list(self._record["originals"])

    @property
    def reports(self):
        """The story's reports as :meth:`Store.reports` gives them."""
        return self._store.reports(story=self.id)

    @property
    def lineage(self):
        """The story's lineage edges as :meth:`Store.lineage` gives them."""
        return self._store.lineage(story=self.id)

    def quotes(self, speaker: Optional[str] = None, as_: Optional[str] = None):
        return self._store.quotes(story=self.id, speaker=speaker, as_=as_)

    def entities(self, kind: Optional[str] = None, as_: Optional[str] = None):
        return self._store.entities(story=self.id, kind=kind, as_=as_)

    def brief(self) -> dict:
        """The cited brief, as ``storyline brief S --format json``: ``story``, ``title``,
        ``sentences`` (each with ``cites`` and ``support``), ``adds``, ``conflicts``."""
        return self._store._native.brief(self.id)

    def compare(self) -> dict:
        """The comparison, as ``storyline compare S --format json``: ``story``, ``quotes``
        (remarks with drift), ``figures``, ``unique``, ``missing``, ``entities``,
        ``unique_dated``."""
        return self._store._native.compare(self.id)

    def to_dict(self) -> dict:
        """The story as ``storyline show S --format json`` prints it."""
        return dict(self._record)

    def __repr__(self) -> str:
        n = len(self._record["reports"])
        return f"<storyline.Story {self.id}: {n} report{'s' if n != 1 else ''}, {self.title!r}>"

