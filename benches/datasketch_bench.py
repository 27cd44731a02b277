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
from pathlib import Path

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+", re.UNICODE)
PERMUTATIONS = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.5


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
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    hits = {}
    sets = {}
    for key, text in docs:
        sh = shingles(text)
        m = MinHash(num_perm=PERMUTATIONS)
        m.update_batch(list(sh))
        hits[key] = set(lsh.query(m))
        lsh.insert(key, m)
        sets[key] = sh
    seconds = time.perf_counter() - started
    pairs = found = 0
    with (corpus / "truth.tsv").open() as f:
        for line in f:
            derived, source, _ = line.rstrip("\n").split("\t")
            if derived not in sets or source not in sets:
                continue
            a, b = sets[derived], sets[source]
            if not a or not b or len(a & b) / len(a | b) < THRESHOLD:
                continue
            pairs += 1
            found += source in hits[derived]
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
