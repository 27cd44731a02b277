#!/usr/bin/env python3
"""Faithful input: does ingesting a corpus keep every report's opening?

Measures, for the Reuters-21578 and BBC corpora, how many input items are missing from a
Storyline store and how many stored reports lost the opening of their body (the first 8
word tokens of the input body no longer appear, contiguous, in the stored title + body), plus
stored bodies that begin mid-sentence. Python 3.11, stdlib only; the corpora are read in place.

    benches/faithful-input.py reuters-jsonl OUT.jsonl   # Reuters SGML -> JSON Lines for ingest
    storyline --db r.db ingest OUT.jsonl                # (or ingest the .sgm files directly)
    benches/faithful-input.py check-reuters r.db
    storyline --db b.db ingest ../shared/data/corpora/bbc
    benches/faithful-input.py check-bbc b.db

`--corpora DIR` (before the subcommand) overrides the corpus folder, by default
../shared/data/corpora beside the repository (or $STORYLINE_CORPORA).
Words are lowercase alphanumeric tokens, so punctuation, case and line wrapping are ignored.
"""

import argparse
import json
import os
import re
import sqlite3
import sys
from pathlib import Path

OPENING = 8  # word tokens of the input body that must survive
SHOW = 15  # words shown per example
DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora"

# ---------------------------------------------------------------- Reuters SGML parsing
ITEM = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
NEWID = re.compile(r'NEWID="(\d+)"')
ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);")
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def decode_entities(s: str) -> str:
    """Decodes the SGML entities Reuters uses (&lt; &amp; &#3; ...) and drops the \\x03 marks."""

    def one(m: re.Match) -> str:
        e = m.group(1)
        if e in NAMED:
            return NAMED[e]
        return chr(int(e[2:], 16) if e[1] in "xX" else int(e[1:]))

    return ENTITY.sub(one, s).replace("\x03", "")


def tag(block: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
    return decode_entities(m.group(1)) if m else None


def reuters_items(corpora: Path):
    """Yields dicts id/title/dateline/text/published for every <REUTERS> item, in file order."""
    files = sorted((corpora / "reuters21578").glob("reut2-*.sgm"))
    if not files:
        sys.exit(f"no reut2-*.sgm under {corpora / 'reuters21578'}")
    for path in files:
        raw = path.read_bytes().decode("latin-1")  # every byte maps; the files are ASCII-ish
        for m in ITEM.finditer(raw):
            attrs, block = m.groups()
            date = tag(block, "DATE")
            yield {
                "id": NEWID.search(attrs).group(1),
                "title": (tag(block, "TITLE") or "").strip(),
                "dateline": (tag(block, "DATELINE") or "").strip(),
                "text": tag(block, "BODY") or "",  # raw: hard-wrapped, as in the file
                "published": date.strip() if date else None,
            }


# ---------------------------------------------------------------- BBC parsing
def bbc_items(corpora: Path):
    """Yields dicts id (`topic/NNN`)/title/text/lead (first body paragraph) per BBC file."""
    root = corpora / "bbc"
    files = sorted(root.glob("*/*.txt"))
    if not files:
        sys.exit(f"no <topic>/NNN.txt under {root}")
    for path in files:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        title, _, body = text.partition("\n")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        yield {
            "id": path.relative_to(root).with_suffix("").as_posix(),
            "title": title.strip(),
            "dateline": "",
            "text": body,
            "lead": paragraphs[0] if paragraphs else "",
        }


# ---------------------------------------------------------------- comparison helpers
def tokens(s: str | None) -> list[str]:
    """Lowercase alphanumeric word tokens (Unicode letters and digits, no underscore)."""
    return re.findall(r"[^\W_]+", (s or "").lower())


def contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    first = needle[0]
    return any(hay[i] == first and hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def words(s: str | None, k: int = SHOW) -> str:
    """First k whitespace-separated words, for showing examples in a table cell."""
    return " ".join((s or "").split()[:k]).replace("|", "\\|")


def open_store(db: str):
    """Returns (connection, title column, body column) after checking the `reports` schema."""
    if not Path(db).is_file():
        sys.exit(f"no store at {db}")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cols = [r[1] for r in con.execute("PRAGMA table_info(reports)")]
    if not cols:
        sys.exit(f"{db} has no `reports` table")
    body = next((c for c in ("body", "text") if c in cols), None)
    title = next((c for c in ("title", "display_title") if c in cols), None)
    if body is None or "id" not in cols:
        sys.exit(f"`reports` lacks id/body columns: {cols}")
    print(f"store {db}: reports.id, title column `{title}`, body column `{body}`", file=sys.stderr)
    return con, title, body


def check(db: str, items, lead_key: str, name: str) -> None:
    """Shared check: `items` are input dicts; `lead_key` names the field whose opening must survive."""
    con, tcol, bcol = open_store(db)
    tsel = f"COALESCE({tcol}, '')" if tcol else "''"
    query = f"SELECT {tsel}, {bcol} FROM reports WHERE id = ?"
    total_stored = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    n = stored = lost = body_starts = any_starts = mid = inherited = 0
    missing, losses, mids = [], [], []
    for it in items:
        # The opening is the first line's words (at most OPENING): a short table row's second
        # line may go as boilerplate ("Pay April 15") without the opening being lost.
        first_line = next((l for l in it[lead_key].splitlines() if tokens(l)), "")
        opening = tokens(first_line)[:OPENING]
        if not opening:
            continue  # only items with a non-empty body count
        n += 1
        row = con.execute(query, (it["id"],)).fetchone()
        if row is None:
            missing.append(it["id"])
            continue
        stored += 1
        s_title, s_body = row
        tb, tt = tokens(s_body), tokens(s_title)
        k = len(opening)
        body_starts += tb[:k] == opening
        any_starts += tb[:k] == opening or (tt + tb)[:k] == opening
        if not contains_run(tt + tb, opening):
            lost += 1
            losses.append((it["id"], words(it[lead_key]), words(s_body)))
        # Begins mid-sentence: the stored body's first words stand in the input (dateline and
        # body, as the wire sent them) right after a word that does not end a sentence.
        source = " ".join((it.get("dateline", "") + " " + it[lead_key]).split())
        start = " ".join((s_body or "").split()[:6])
        at = source.find(start) if start else -1
        if at > 0 and not source[:at].rstrip().endswith(tuple(".!?:;\"')-")):
            mid += 1
            # Some inputs already begin that way (Reuters has lowercase openings): count them
            # apart and show only the others as examples.
            if tb[:k] == opening:
                inherited += 1
            else:
                mids.append((it["id"], words(it[lead_key]), words(s_body)))

    def pct(x: int) -> str:
        return f"{x} ({100 * x / stored:.2f} %)" if stored else str(x)

    print(f"\n## {name}: opening of the body after ingest (`{db}`, {total_stored} reports stored)\n")
    print("| items with body | stored | missing | opening lost | body starts with opening "
          "| body or title+body starts with it | begin mid-sentence | of which as in input |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {n} | {stored} | {len(missing)} | {pct(lost)} | {pct(body_starts)} "
          f"| {pct(any_starts)} | {pct(mid)} | {inherited} |")
    if missing:
        print(f"\nFirst missing ids: {', '.join(missing[:10])}")
        sample = [r[0] for r in con.execute("SELECT id FROM reports ORDER BY seq LIMIT 5")]
        print(f"(ids as stored look like: {', '.join(sample)}; a different id scheme shows as missing)")
    for label, rows in (("Opening lost", losses), ("Begins mid-sentence, unlike the input", mids)):
        if rows:
            print(f"\n{label} (first {min(10, len(rows))} of {len(rows)}):\n")
            print(f"| id | input, first {SHOW} words | stored body, first {SHOW} words |")
            print("|---|---|---|")
            for row in rows[:10]:
                print("| " + " | ".join(row) + " |")


# ---------------------------------------------------------------- subcommands
def reuters_jsonl(corpora: Path, out: str) -> None:
    total = written = with_body = title_only = 0
    with open(out, "w", encoding="utf-8") as f:
        for it in reuters_items(corpora):
            total += 1
            has_body = bool(it["text"].strip())
            if not it["title"] and not has_body:
                continue  # e.g. TYPE="UNPROC" items: neither TITLE nor BODY
            written += 1
            with_body += has_body
            title_only += not has_body
            rec = {"id": it["id"], "title": it["title"], "text": it["text"], "published": it["published"]}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{total} Reuters items read, {written} written to {out} "
          f"({with_body} with a body, {title_only} title only), {total - written} skipped (no title, no body)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path,
                    default=Path(os.environ.get("STORYLINE_CORPORA", DEFAULT_CORPORA)))
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("reuters-jsonl", help="convert Reuters SGML to JSON Lines").add_argument("out")
    sub.add_parser("check-reuters", help="check a store made from Reuters").add_argument("db")
    sub.add_parser("check-bbc", help="check a store made from BBC").add_argument("db")
    a = ap.parse_args()
    if a.cmd == "reuters-jsonl":
        reuters_jsonl(a.corpora, a.out)
    elif a.cmd == "check-reuters":
        check(a.db, reuters_items(a.corpora), "text", "Reuters-21578")
    else:
        check(a.db, bbc_items(a.corpora), "lead", "BBC")


if __name__ == "__main__":
    main()
