#!/usr/bin/env python3
"""Picks the documents of the quote-speaker sample (see GUIDE.md) and checks quotes.tsv.

    python3 select.py                  # print the chosen ids, corpus by corpus, with quote counts
    python3 select.py --spans          # also print each chosen document's quoted spans (for labelling)
    python3 select.py --check quotes.tsv

Rule: from BBC and Reuters-21578 separately, the documents whose body (title excluded) has at
least 2 quoted spans of at least 4 words and at most 1,200 words, ordered by
sha1(id).hexdigest() lowest first; documents are taken in that order until the corpus has given
at least 90 quoted spans. Deterministic; reads the corpora in place and writes nothing.
"""
import argparse, hashlib, os, re, sys

sys.dont_write_bytecode = True  # leave no __pycache__ in ../stories
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "stories"))
import candidates  # noqa: E402  (reuters(root), bbc(root) loaders)

DATA = os.path.join(HERE, "../../../../shared/data/corpora")
MIN_QUOTES_PER_DOC, MIN_WORDS, MAX_DOC_WORDS, TARGET = 2, 4, 1200, 90
OPENERS = "([{:-/\u2014\u2013"


def fix_bbc(text):
    """candidates.bbc reads latin-1; the BBC files are UTF-8 (all but one), so undo that."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def paragraphs(rid, body):
    if rid.startswith("reuters/"):
        # a Reuters paragraph starts on a line indented by spaces
        return [p for p in re.split(r"\n(?=[ \t])", body) if p.strip()]
    return [p for p in re.split(r"\n\s*\n", body) if p.strip()]


def norm_words(text):
    """Lower-case, drop every character that is not a letter, digit or space, split."""
    return "".join(c for c in text.lower() if c.isalnum() or c.isspace()).split()


def spans_in(par):
    """Quoted spans of one paragraph, as (start, end) character offsets of the inside.

    `''` counts as `"`, and so does a doubled `""` (a typo in a few Reuters items). A mark between two letters/digits is an apostrophe typed as `"` and is
    skipped. A mark that can only open (space before, a letter after) while a quote is already
    open means the open quote's paragraph was run into this one (common in the BBC files:
    `... changes. "Public sector ...`): the open span ends there and a new one starts. A quote
    still open at the paragraph's end ends there (continued quotes: one span per paragraph).
    """
    # keep offsets: the second char of a doubled mark becomes a filler
    par = par.replace("''", '"\u0000').replace('""', '"\u0000')
    out, start = [], None
    for i, ch in enumerate(par):
        if ch not in '"\u201c\u201d':
            continue
        prev = par[i - 1] if i > 0 else " "
        nxt = par[i + 1] if i + 1 < len(par) else " "
        if nxt == "\u0000":
            nxt = par[i + 2] if i + 2 < len(par) else " "
        if ch == '"' and prev.isalnum() and nxt.isalnum():
            continue
        can_open = ch != "\u201d" and not nxt.isspace() and (prev.isspace() or prev in OPENERS or ch == "\u201c")
        can_close = ch != "\u201c" and not prev.isspace()
        if start is None:
            if can_open:
                start = i + 1
        elif can_close:
            out.append((start, i))
            start = None
        elif can_open:
            out.append((start, i))
            start = i + 1
    if start is not None:
        out.append((start, len(par)))
    return out


def quotes(rid, body):
    """The quoted spans of at least MIN_WORDS words, in body order, as normalised word lists."""
    res = []
    for par in paragraphs(rid, body):
        for a, b in spans_in(par):
            words = norm_words(par[a:b].replace("\u0000", ""))
            if len(words) >= MIN_WORDS:
                res.append(words)
    return res


def documents():
    out = {"bbc": [], "reuters": []}
    for rid, _, title, body in candidates.bbc(os.path.join(DATA, "bbc")):
        out["bbc"].append((rid, fix_bbc(title), fix_bbc(body)))
    for rid, _, title, body in candidates.reuters(os.path.join(DATA, "reuters21578")):
        out["reuters"].append((rid, title, body))
    return out


def choose():
    chosen = {}
    for corpus, docs in documents().items():
        pool = []
        for rid, title, body in docs:
            if len(body.split()) > MAX_DOC_WORDS:
                continue
            q = quotes(rid, body)
            if len(q) >= MIN_QUOTES_PER_DOC:
                pool.append((hashlib.sha1(rid.encode()).hexdigest(), rid, title, body, q))
        pool.sort()
        total, picked = 0, []
        for _, rid, title, body, q in pool:
            if total >= TARGET:
                break
            picked.append((rid, title, body, q))
            total += len(q)
        chosen[corpus] = picked
    return chosen


def check(path):
    chosen = choose()
    docs = {rid: (body, q) for picked in chosen.values() for rid, _, body, q in picked}
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")]
    header, rows = rows[0], rows[1:]
    bad = 0
    if header != ["report", "n", "anchor", "speaker", "note"]:
        print("bad header:", header); bad += 1
    seen = {}
    for k, r in enumerate(rows, 2):
        if len(r) != 5:
            print(f"line {k}: {len(r)} fields"); bad += 1; continue
        rid, n, anchor, speaker, _ = r
        if rid not in docs:
            print(f"line {k}: {rid} is not a chosen document"); bad += 1; continue
        body, q = docs[rid]
        if not speaker.strip():
            print(f"line {k}: empty speaker"); bad += 1
        if anchor != " ".join(anchor.split()) or anchor != " ".join(norm_words(anchor)) or len(anchor.split()) != 4:
            print(f"line {k}: anchor not normalised: {anchor!r}"); bad += 1
        if " " + anchor + " " not in " " + " ".join(norm_words(body.replace("''", '"'))) + " ":
            print(f"line {k}: anchor not found in {rid}: {anchor!r}"); bad += 1
        seen.setdefault(rid, []).append((int(n), anchor))
    for rid, (body, q) in docs.items():
        got = seen.get(rid, [])
        if len(got) != len(q):
            print(f"{rid}: {len(q)} quoted spans, {len(got)} rows"); bad += 1
        want = [(i, " ".join(w[:4])) for i, w in enumerate(q, 1)]
        if got and len(got) == len(q) and got != want:
            for g, w in zip(got, want):
                if g != w:
                    print(f"{rid}: row {g} but span {w}"); bad += 1
    for corpus, picked in chosen.items():
        ids = {p[0] for p in picked}
        sp = [r[3] for r in rows if len(r) == 5 and r[0] in ids]
        print(f"{corpus}: {len(picked)} documents, {len(sp)} rows, "
              f"speaker '?' {sp.count('?')}, '-' {sp.count('-')}")
    print("OK" if not bad else f"{bad} problem(s)")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", metavar="TSV")
    ap.add_argument("--spans", action="store_true")
    args = ap.parse_args()
    if args.check:
        sys.exit(check(args.check))
    for corpus, picked in choose().items():
        print(f"# {corpus}: {len(picked)} documents, {sum(len(p[3]) for p in picked)} quoted spans")
        for rid, title, body, q in picked:
            print(f"{rid}\t{len(q)}")
            if args.spans:
                for i, w in enumerate(q, 1):
                    print(f"    {i}\t{' '.join(w[:4])}\t| {' '.join(w)[:100]}")


if __name__ == "__main__":
    main()
