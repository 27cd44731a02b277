#!/usr/bin/env python3
"""Lists the pairs labelled in pairs.tsv (see GUIDE.md), from ../stories/events.tsv and the
texts in /work/shared/data. Prints bundle, a, b, rule, longest shared run (words). Only ids go out.

(a) every pair of reports of one bundle with the same event key;
(b) pairs of one bundle, both bbc/ or reuters/, different event, same thread: first those whose
    texts share a run of >= 8 consecutive words (lowercased, punctuation dropped), longest run
    first; then the rest, one per bundle per round in bundle order (pairs in events.tsv order);
    at most 4 (b) pairs per bundle, 80 in all.
"""
import csv, glob, html, itertools, re, sys, collections

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
EV = "../stories/events.tsv"
N, CAP, RUN = 80, 4, 8


def texts_needed(ids):
    out = {}
    reut = {i.split("/")[1] for i in ids if i.startswith("reuters/")}
    for f in sorted(glob.glob(DATA + "/corpora/reuters21578/reut2-*.sgm")):
        for it in re.findall(r"<REUTERS(.*?)</REUTERS>", open(f, encoding="latin-1").read(), re.S):
            nid = re.search(r'NEWID="(\d+)"', it).group(1)
            if nid in reut:
                m = re.search(r"<BODY>(.*?)</BODY>", it, re.S)
                out["reuters/" + nid] = html.unescape(m.group(1)) if m else ""
    for i in ids:
        if i.startswith("bbc/"):
            t = open(DATA + "/corpora/bbc/" + i[4:] + ".txt", encoding="latin-1").read().strip()
            out[i] = t.split("\n", 1)[1] if "\n" in t else ""
    return out


def words(t):
    return re.findall(r"[A-Za-z0-9']+", t.lower())


def longest_run(a, b, n=RUN):
    wa, wb = words(a), words(b)
    gb = {tuple(wb[i:i + n]) for i in range(len(wb) - n + 1)}
    best = cur = 0
    cov = [False] * len(wa)
    for i in range(len(wa) - n + 1):
        if tuple(wa[i:i + n]) in gb:
            for j in range(i, i + n):
                cov[j] = True
    for c in cov:
        cur = cur + 1 if c else 0
        best = max(best, cur)
    return best


def main():
    rows = list(csv.DictReader(open(EV), delimiter="\t"))
    by = collections.defaultdict(list)
    for r in rows:
        by[r["bundle"]].append(r)
    a_pairs, b_cand = [], []
    for bun, rs in by.items():
        for x, y in itertools.combinations(rs, 2):
            if x["event"] == y["event"]:
                a_pairs.append((bun, x["report"], y["report"]))
            elif x["thread"] == y["thread"] and all(
                    r["report"].split("/")[0] in ("bbc", "reuters") for r in (x, y)):
                b_cand.append((bun, x["report"], y["report"]))
    tx = texts_needed({i for p in b_cand for i in p[1:]})
    runs = {p: longest_run(tx[p[1]], tx[p[2]]) for p in b_cand}
    chosen, per = [], collections.Counter()
    tier1 = sorted([p for p in b_cand if runs[p] >= RUN], key=lambda p: -runs[p])
    for p in tier1:
        if len(chosen) < N and per[p[0]] < CAP:
            chosen.append(p); per[p[0]] += 1
    rest = collections.OrderedDict()
    for p in b_cand:
        if p not in chosen and runs[p] < RUN:
            rest.setdefault(p[0], []).append(p)
    while len(chosen) < N and any(rest.values()):
        for bun in list(rest):
            if rest[bun] and per[bun] < CAP and len(chosen) < N:
                p = rest[bun].pop(0); chosen.append(p); per[bun] += 1
            elif per[bun] >= CAP:
                rest[bun] = []
    for p in a_pairs:
        print(*p, "a", "", sep="\t")
    for p in chosen:
        print(*p, "b", runs[p], sep="\t")


if __name__ == "__main__":
    main()
