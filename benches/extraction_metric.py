"""The metrics of `storyline eval extraction --set aeb|l3s|cleaneval`
(crates/eval/src/extraction.rs) in Python, so a peer extractor is scored exactly as Storyline is.

- Tokens: runs of characters that are Unicode Alphabetic or Numeric (Rust's
  `char::is_alphanumeric`) or `_`. Python's own `\\w` is narrower (no combining vowel signs),
  so the `regex` module's properties are used.
- AEB: the 181 pages of `ground-truth.json`, ids sorted; sets of word 4-gram shingles (a text of
  1-3 tokens is one shingle), per-page precision and recall (both empty: 1, 1; nothing shared:
  0, 0), macro averages, F1 from the averages.
- L3S-GN1: gold body = the text of the `x-nc-sel1` and `x-nc-sel2` spans (each text node goes
  to its innermost ancestor with an `x-nc-selN` class, as `l3s_classes` reads it with an HTML5
  parser; the gold page parsed here with html5lib, scripting on as html5ever's default), same
  shingle metric; leak = the share of `sel4`/`sel5` shingles (not in the body) that the
  extraction kept, over the pages that have any.
- CleanEval (final, pages with a gold file): gold without its `URL:` line and `<p>`, `<h>`,
  `<l>` marks; lowercased word tokens as multisets; per-page P/R, macro averages.
- Halves: a page is in the tune half when xxh3_64 of its id (UTF-8) is even, else in the
  report half (`half_of` in the Rust eval), for every set.

Used by `trafilatura_peer.py`; also a command that scores a folder of extracted texts:
    python extraction_metric.py SET DATA_DIR DIR [--rust-dump] [--scores FILE]
DIR holds `<id>.txt` per page (a missing file is an empty extraction); `--rust-dump` reads
Storyline's `eval extraction --dump` files (Debug of the Report) and scores their `text`
field, which reproduces Storyline's own figures (a check of this module).
"""
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

import html5lib
import regex
import xxhash

TOKEN = regex.compile(r"[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]+")
SETS = ("aeb", "l3s", "cleaneval")
# Rust's `char::is_whitespace` (Unicode White_Space), for `trim_start`.
RUST_WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + (
    "\u2028\u2029\u202f\u205f\u3000")
L3S_CLASS = re.compile(r"x-nc-sel(\+?[0-9]+)")
ASCII_WHITESPACE = re.compile(r"[ \t\n\x0c\r]+")


def tokens(text):
    return TOKEN.findall(text or "")


def shingles(text):
    t = tokens(text)
    if not t:
        return set()
    if len(t) < 4:
        return {" ".join(t)}
    return {" ".join(t[i:i + 4]) for i in range(len(t) - 3)}


def page_pr(pred, gold):
    """Precision and recall of predicted against gold shingle sets (`page_pr`)."""
    if not pred and not gold:
        return 1.0, 1.0
    tp = len(pred & gold)
    if tp == 0:
        return 0.0, 0.0
    return tp / len(pred), tp / len(gold)


def page_pr_bag(pred, gold):
    """CleanEval: lowercased word multisets (`page_pr_bag`)."""
    p = Counter(w.lower() for w in tokens(pred))
    g = Counter(w.lower() for w in tokens(gold))
    np_, ng = sum(p.values()), sum(g.values())
    if np_ == 0 and ng == 0:
        return 1.0, 1.0
    tp = sum((p & g).values())
    if tp == 0:
        return 0.0, 0.0
    return tp / np_, tp / ng


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def half_of(page_id):
    """0 = tune half, 1 = report half (`half_of`: xxh3_64 of the id, modulo 2)."""
    return xxhash.xxh3_64_intdigest(page_id.encode()) % 2


def cleaneval_gold(text):
    """`cleaneval_gold`: Rust's `lines()` (a trailing `\\r` dropped), lines whose start after
    whitespace is `URL:` dropped (a BOM before it is not whitespace: such a line stays), the
    block marks replaced by spaces."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        if line.lstrip(RUST_WHITESPACE).startswith("URL:"):
            continue
        out.append(line.replace("<p>", " ").replace("<h>", " ").replace("<l>", " "))
    return "\n".join(out)


def _l3s_class_of(element):
    """The N of the first `x-nc-selN` class (classes sorted and deduplicated, as scraper's
    `classes()` gives them) that parses as a u8, or None."""
    attr = element.get("class")
    if not attr:
        return None
    for c in sorted(set(t for t in ASCII_WHITESPACE.split(attr) if t)):
        if c.startswith("x-nc-sel"):
            m = L3S_CLASS.fullmatch(c)
            if m and int(m.group(1)) <= 255:
                return int(m.group(1))
    return None


def l3s_classes(html):
    """`l3s_classes`: text of an L3S gold page by the class of each text node's nearest
    ancestor with one, every text node followed by a space."""
    doc = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False, scripting=True)
    out = {}

    def add(cls, text):
        if cls is not None and text:
            out[cls] = out.get(cls, "") + text + " "

    # Depth first in document order. `el.text` is the text node before its first child (its
    # class: the element's own, else its nearest classed ancestor's); `child.tail` follows the
    # child inside `el`. A comment is an element here but never classed.
    # html5lib's etree builder returns the <html> element (`root_element` in scraper).
    html = doc if doc.tag == "html" else next((el for el in doc if el.tag == "html"), None)
    stack = [(html, None, "enter")] if html is not None else []
    while stack:
        el, inherited, what = stack.pop()
        if what == "tail":
            add(inherited, el.tail)
            continue
        own = _l3s_class_of(el) if isinstance(el.tag, str) else None
        cls = own if own is not None else inherited
        if isinstance(el.tag, str):
            add(cls, el.text)
        for child in reversed(list(el)):
            stack.append((child, cls, "tail"))
            stack.append((child, cls, "enter"))
    return out


def _decode_utf8(raw):
    """Storyline's `decode_text` for files that are valid UTF-8 without a BOM or a single-byte
    charset declaration (every L3S gold file): the text, NULs dropped, "" when blank."""
    text = raw.decode("utf-8", "replace").replace("\0", "")
    return text if text.strip() else ""


class Page:
    """One page of a set: its id, the HTML as stored (bytes), its gold."""

    def __init__(self, page_id, html, gold):
        self.id = page_id
        self.html = html
        self.gold = gold


def load(set_name, data):
    """The pages of a set in the Rust eval's order, with their gold."""
    data = Path(data) / "extraction"
    pages = []
    if set_name == "aeb":
        d = data / "scrapinghub-aeb"
        gold = json.loads((d / "ground-truth.json").read_text())
        for i in sorted(gold):
            body = gold[i].get("articleBody")
            html = gzip.open(d / "html" / f"{i}.html.gz").read()
            pages.append(Page(i, html, body if isinstance(body, str) else ""))
    elif set_name == "l3s":
        d = data / "l3s-gn1"
        for name in sorted(p.name for p in (d / "GoldStandard").iterdir() if p.name.endswith(".txt")):
            stem = name[: -len(".txt")]
            try:
                html = (d / "input" / f"{stem}.html").read_bytes()
            except OSError:
                continue
            classes = l3s_classes(_decode_utf8((d / "GoldStandard" / name).read_bytes()))
            pages.append(Page(stem, html, classes))
    elif set_name == "cleaneval":
        d = data / "cleaneval" / "cleaneval-final"
        names = [p.name for p in (d / "GoldStandard").iterdir() if p.name.endswith(".txt")]
        names.sort(key=lambda n: int(n[:-4]) if n[:-4].isascii() and n[:-4].isdigit() else 2**64)
        for name in names:
            stem = name[: -len(".txt")]
            try:
                html = (d / "input" / f"{stem}.html").read_bytes()
            except OSError:
                continue
            gold = (d / "GoldStandard" / name).read_bytes().decode("utf-8", "replace")
            pages.append(Page(stem, html, cleaneval_gold(gold)))
    else:
        raise SystemExit(f"unknown set {set_name!r}: one of {', '.join(SETS)}")
    return pages


def score(set_name, pages, texts):
    """The figures of one set for the extracted `texts` (one per page, in order): overall and per
    half P/R/F1, per-page rows, and the leak for L3S."""
    rows = []
    leak = [0, 0, 0]  # leaked shingles, related/comment shingles, pages that have any
    for page, text in zip(pages, texts):
        if set_name == "cleaneval":
            p, r = page_pr_bag(text, page.gold)
        elif set_name == "aeb":
            p, r = page_pr(shingles(text), shingles(page.gold))
        else:
            body = f"{page.gold.get(1, '')} {page.gold.get(2, '')}"
            body_sh = shingles(body)
            pred_sh = shingles(text)
            p, r = page_pr(pred_sh, body_sh)
            extra = set()
            for c in (4, 5):
                if c in page.gold:
                    extra |= shingles(page.gold[c])
            extra -= body_sh
            if extra:
                leak[0] += len(extra & pred_sh)
                leak[1] += len(extra)
                leak[2] += 1
        rows.append((page.id, half_of(page.id), p, r))

    def macro(part):
        n = max(len(part), 1)
        p = sum(x[2] for x in part) / n
        r = sum(x[3] for x in part) / n
        return {"precision": p, "recall": r, "f1": f1(p, r), "pages": len(part)}

    out = macro(rows)
    out["halves"] = {name: macro([x for x in rows if x[1] == h]) for h, name in enumerate(("tune", "report"))}
    if set_name == "l3s":
        out["leak"] = {"share": leak[0] / max(leak[1], 1), "leaked": leak[0], "shingles": leak[1],
                       "pages": leak[2]}
    out["rows"] = rows
    return out


def write_scores(path, rows):
    """Per-page scores in the layout of `eval extraction --scores FILE`."""
    with open(path, "w") as f:
        f.write("page\thalf\tprecision\trecall\tf1\n")
        for page_id, half, p, r in rows:
            f.write(f"{page_id}\t{('tune', 'report')[half]}\t{p:.4f}\t{r:.4f}\t{f1(p, r):.4f}\n")


_RUST_ESCAPE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def rust_debug_text(dump):
    """The `text` field of a Report printed with `{:#?}` (Rust's string Debug escapes)."""
    start = dump.index('\n    text: "') + len('\n    text: "')
    out, i = [], start
    while True:
        c = dump[i]
        if c == '"':
            return "".join(out)
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = dump[i + 1]
        if e == "u":
            end = dump.index("}", i)
            out.append(chr(int(dump[i + 3:end], 16)))
            i = end + 1
        else:
            out.append(_RUST_ESCAPE[e])
            i += 2


def read_texts(pages, folder, rust_dump=False):
    texts = []
    for page in pages:
        f = Path(folder) / f"{page.id}.txt"
        text = f.read_text(encoding="utf-8") if f.exists() else ""
        texts.append(rust_debug_text(text) if rust_dump and text else text)
    return texts


def main():
    args = sys.argv[1:]
    rust_dump = "--rust-dump" in args
    scores_file = None
    if "--scores" in args:
        scores_file = args[args.index("--scores") + 1]
        del args[args.index("--scores"):args.index("--scores") + 2]
    args = [a for a in args if a != "--rust-dump"]
    if len(args) != 3:
        raise SystemExit(__doc__)
    set_name, data, folder = args
    pages = load(set_name, data)
    result = score(set_name, pages, read_texts(pages, folder, rust_dump))
    if scores_file:
        write_scores(scores_file, result["rows"])
    del result["rows"]
    print(json.dumps({"set": set_name, **result}))


if __name__ == "__main__":
    main()
