"""Peer run for the extraction bench: trafilatura (Python) on the Scrapinghub AEB pages, scored
with the same metric as `storyline eval extraction --set aeb` (word tokens `\\w+`, sets of
4-token shingles, per-page precision and recall, macro averages, F1 from the averages).

Usage: python trafilatura_aeb.py DATA_DIR [ROUNDS]  -> prints one JSON object. The pages are
extracted ROUNDS times (default 1) and the median pass is reported, as `storyline eval
extraction --rounds N` does.
Installed by benches/extraction-peer into a venv; never a runtime dependency of Storyline.
"""
import gzip
import json
import re
import sys
import time
from pathlib import Path

import trafilatura

TOKEN = re.compile(r"\w+")


def shingles(text):
    t = TOKEN.findall(text or "")
    if not t:
        return set()
    if len(t) < 4:
        return {" ".join(t)}
    return {" ".join(t[i:i + 4]) for i in range(len(t) - 3)}


def page_pr(pred, gold):
    if not pred and not gold:
        return 1.0, 1.0
    tp = len(pred & gold)
    if tp == 0:
        return 0.0, 0.0
    return tp / len(pred), tp / len(gold)


def main():
    data = Path(sys.argv[1]) / "extraction" / "scrapinghub-aeb"
    gold = json.loads((data / "ground-truth.json").read_text())
    ids = sorted(gold)
    pages = [gzip.open(data / "html" / f"{i}.html.gz").read().decode("utf-8", "replace") for i in ids]
    # One page extracted before the clock starts, as Storyline's eval does: lazy imports and
    # first-use setup are paid once, not per page.
    if pages:
        trafilatura.extract(pages[0])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    times = []
    for _ in range(max(rounds, 1)):
        start = time.perf_counter()
        out = [trafilatura.extract(p) or "" for p in pages]
        times.append(time.perf_counter() - start)
    seconds = sorted(times)[len(times) // 2]
    prs = [page_pr(shingles(o), shingles(gold[i].get("articleBody", ""))) for i, o in zip(ids, out)]
    p = sum(x for x, _ in prs) / len(prs)
    r = sum(y for _, y in prs) / len(prs)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(json.dumps({"tool": "trafilatura", "version": trafilatura.__version__, "pages": len(ids),
                      "precision": p, "recall": r, "f1": f1, "pages_per_s": len(ids) / seconds}))


if __name__ == "__main__":
    main()
