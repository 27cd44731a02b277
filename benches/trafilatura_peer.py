"""Peer run for the extraction bench: trafilatura (Python) on one extraction set, scored with the
metrics of `storyline eval extraction --set SET` (extraction_metric.py, checked against the
Rust eval's own figures).

Usage: python trafilatura_peer.py SET DATA_DIR [ROUNDS] [--dump DIR] [--scores FILE]
  SET: aeb, l3s or cleaneval. Prints one JSON object: tool, version, set, pages, precision,
  recall, f1, halves {tune, report} (each precision, recall, f1, pages), leak (l3s only),
  pages_per_s, seconds.
  --dump DIR: each page's extracted text to DIR/<id>.txt (an empty file when trafilatura
  returned nothing). --scores FILE: each page's half, P, R, F1, as `eval extraction --scores`.

`trafilatura.extract` with its default settings, one thread. Each page's bytes are decoded by
trafilatura's own `decode_file` (what `extract` does with bytes) before the clock starts, as
Storyline's eval times the cleaning of pages already decoded; one page is extracted before the
clock starts (lazy imports and first-use setup are paid once, not per page); then all pages
ROUNDS times (default 1), the median pass reported, as `eval extraction --rounds N` does.
Installed by benches/extraction-peer into a venv; never a runtime dependency of Storyline.
"""
import json
import logging
import sys
import time
from pathlib import Path

import trafilatura
from trafilatura.utils import decode_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import extraction_metric  # noqa: E402


def option(args, name):
    if name not in args:
        return None
    i = args.index(name)
    value = args[i + 1]
    del args[i:i + 2]
    return value


def main():
    args = sys.argv[1:]
    dump = option(args, "--dump")
    scores_file = option(args, "--scores")
    if len(args) not in (2, 3) or args[0] not in extraction_metric.SETS:
        raise SystemExit(__doc__)
    set_name, data = args[0], args[1]
    rounds = max(int(args[2]), 1) if len(args) > 2 else 1
    # Its warnings (encoding guesses, empty pages) would only clutter the bench's output.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    pages = extraction_metric.load(set_name, data)
    html = [decode_file(p.html) for p in pages]
    if html:
        trafilatura.extract(html[0])
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        out = [trafilatura.extract(h) or "" for h in html]
        times.append(time.perf_counter() - start)
    seconds = sorted(times)[len(times) // 2]

    if dump:
        Path(dump).mkdir(parents=True, exist_ok=True)
        for page, text in zip(pages, out):
            (Path(dump) / f"{page.id}.txt").write_text(text, encoding="utf-8")
    result = extraction_metric.score(set_name, pages, out)
    if scores_file:
        extraction_metric.write_scores(scores_file, result["rows"])
    del result["rows"]
    print(json.dumps({"tool": "trafilatura", "version": trafilatura.__version__, "set": set_name,
                      **result, "pages_per_s": len(pages) / seconds, "seconds": seconds}))


if __name__ == "__main__":
    main()
