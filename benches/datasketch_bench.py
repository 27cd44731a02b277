"""The near-duplicate peer of the scale bench: datasketch MinHashLSH on the generated corpus.

Same settings as Storyline's near-duplicate stage: 128 permutations, word 5-gram shingles,
threshold 0.5; every report is inserted and queried, in corpus order. Recall is over the
generator's (derived, source) pairs whose shingle sets have Jaccard >= 0.5, as for Storyline.
Prints one JSON object. Run by benches/run, which installs datasketch into a venv.
"""

import json
import re
import sys
import time
from collections import OrderedDict
from pathlib import Path

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+", re.UNICODE)
PERMUTATIONS = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.5
# Shingle sets kept for the recall check: the generator emits a variant at most a few hundred
# reports after its source, so a window of recent reports holds every source without keeping
# a million Python sets (about 12 GB) in memory.
WINDOW = 20000


def shingles(text):
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def main(corpus):
    docs = []
    for shard in sorted(corpus.glob("corpus-*.jsonl")):
        with shard.open(encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                docs.append((r["id"], r.get("text") or ""))
    truth = {}
    with (corpus / "truth.tsv").open() as f:
        for line in f:
            derived, source, _ = line.rstrip("\n").split("\t")
            truth[derived] = source
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    recent = OrderedDict()
    checks = []
    seconds = 0.0
    for key, text in docs:
        t0 = time.perf_counter()
        sh = shingles(text)
        m = MinHash(num_perm=PERMUTATIONS)
        m.update_batch(list(sh))
        found = lsh.query(m)
        lsh.insert(key, m)
        seconds += time.perf_counter() - t0
        # Recall bookkeeping (exact Jaccard against the true source), not timed.
        source = truth.get(key)
        if source is not None and source in recent:
            b = recent[source]
            if sh and b and len(sh & b) / len(sh | b) >= THRESHOLD:
                checks.append(source in found)
        recent[key] = sh
        if len(recent) > WINDOW:
            recent.popitem(last=False)
    pairs = len(checks)
    found = sum(checks)
    print(json.dumps({
        "step": "datasketch",
        "reports": len(docs),
        "seconds": seconds,
        "reports_per_s": len(docs) / seconds,
        "permutations": PERMUTATIONS,
        "threshold": THRESHOLD,
        "bands": lsh.b,
        "rows": lsh.r,
        "near_dup_pairs": pairs,
        "near_dup_recall": found / max(pairs, 1),
    }))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
