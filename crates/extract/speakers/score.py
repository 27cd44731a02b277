#!/usr/bin/env python3
"""Speaker precision on the labelled BBC and Reuters-21578 sample (speakers.tsv, GUIDE.md).

    storyline --db rb.db ingest --ids path ../shared/data/corpora
    storyline --db rb.db quotes --format json > quotes.json
    python3 crates/extract/speakers/score.py quotes.json                  # speakers.tsv
    python3 crates/extract/speakers/score.py quotes.json speakers-2.tsv   # the second sample

An attribution is matched by report and content span; a predicted speaker is right when it
names the labelled speaker (the same last word, or one's words within the other's, titles and
articles ignored; a label with a parenthesis, "the company (Exxon)", names them either way). Halves by a hash of the report id: tune on `tune`, quote `report`.
"""
import csv, hashlib, json, re, sys
from pathlib import Path

STOP = set("the a an of mr mrs ms dr said but although and he she it they".split())


def words(s):
    return [w for w in re.sub(r"[^a-z0-9 ]", " ", s.lower()).split() if w not in STOP]


def same(pred, gold):
    if gold in ("none", "?") or not pred:
        return False
    # "the company (Exxon)", "Ms Khan (the Amnesty secretary-general)": either form names them.
    if "(" in gold:
        outer = re.sub(r"\([^)]*\)", " ", gold)
        inner = re.findall(r"\(([^)]*)\)", gold)
        return any(same(pred, g.strip()) for g in [outer, *inner] if g.strip())
    p, g = words(pred), words(gold)
    return bool(p and g) and (p[-1] == g[-1] or set(p) <= set(g) or set(g) <= set(p))


def main():
    name = sys.argv[2] if len(sys.argv) > 2 else "speakers.tsv"
    labels = list(csv.DictReader(open(Path(__file__).with_name(name)), delimiter="\t"))
    got = {(q["report"], q["start"], q["end"]): q.get("speaker") for q in json.load(open(sys.argv[1]))}
    halves = {"tune": [0, 0], "report": [0, 0]}
    for row in labels:
        sp = got.get((row["report"], int(row["start"]), int(row["end"])))
        if not sp:
            continue
        h = "tune" if int(hashlib.sha1(row["report"].encode()).hexdigest(), 16) % 2 == 0 else "report"
        halves[h][1] += 1
        halves[h][0] += same(sp, row["gold_speaker"])
    for h, (right, predicted) in halves.items():
        print(f"{h}: {right} of {predicted} speakers right, precision {right / max(1, predicted):.3f}")
    right = sum(v[0] for v in halves.values())
    predicted = sum(v[1] for v in halves.values())
    print(f"all: {right} of {predicted} ({len(labels)} labelled), precision {right / max(1, predicted):.3f}")


if __name__ == "__main__":
    main()
