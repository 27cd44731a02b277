#!/usr/bin/env python3
"""Draws the candidate bundles of the stories dev set (see GUIDE.md) from ../shared/data.

A bundle is a seed report and up to seven reports near it in time, chosen by several kinds of
evidence so that pairs with little word overlap are in it too: the most similar by tf-idf
cosine, those sharing the most capitalised names with low cosine, and those sharing title
words. Each report is in at most one bundle, and a seed is refused when it is similar to a
report already bundled, so that two bundles rarely hold one event. Deterministic (fixed seed).

Writes, under --out (default /tmp/storyline-devset): bundles.tsv (bundle, report id) and one
text file per bundle with each report's id, date, title and opening, for the labellers to
read. Nothing here is committed but this script; the labels (ids and judgements) are.

Report ids match `storyline eval stories`: reuters/NEWID, bbc/<topic>/<NNN>, polnear/<stem>.
"""
import argparse, collections, datetime, html, math, os, random, re, sys

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
STOP = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my no nor not now of off on once only or other our ours out over own said
same she should so some such than that the their them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you
your mln dlrs pct says say year reuter reuters inc corp co ltd new one two three last first""".split())


def reuters(root):
    for name in sorted(os.listdir(root)):
        if not name.endswith(".sgm"):
            continue
        text = open(os.path.join(root, name), encoding="latin-1").read()
        for item in re.findall(r"<REUTERS(.*?)</REUTERS>", text, re.S):
            nid = re.search(r'NEWID="(\d+)"', item).group(1)
            body = re.search(r"<BODY>(.*?)</BODY>", item, re.S)
            if not body:
                continue
            title = re.search(r"<TITLE>(.*?)</TITLE>", item, re.S)
            date = re.search(r"<DATE>\s*(\S+)", item)
            when = datetime.datetime.strptime(date.group(1), "%d-%b-%Y").date() if date else None
            yield ("reuters/" + nid, when, html.unescape(title.group(1)) if title else "",
                   html.unescape(body.group(1)).replace(" REUTER", ""))


def bbc(root):
    for topic in sorted(os.listdir(root)):
        folder = os.path.join(root, topic)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            raw = open(os.path.join(folder, name), encoding="latin-1").read().strip().split("\n", 1)
            yield (f"bbc/{topic}/{name[:-4]}", None, raw[0], raw[1] if len(raw) > 1 else "")


def polnear(root):
    meta = {}
    for line in open(os.path.join(root, "metadata.tsv"), encoding="utf-8").read().splitlines()[1:]:
        f = line.split("\t")
        meta[f[1]] = (f[5], f[7])
    for part in ("train", "dev"):
        folder = os.path.join(root, part, "text")
        for name in sorted(os.listdir(folder)):
            stem = name[:-4]
            date, title = meta.get(stem, ("", ""))
            try:
                when = datetime.date.fromisoformat(date)
            except ValueError:
                when = None
            yield ("polnear/" + stem, when, title, open(os.path.join(folder, name), encoding="utf-8").read())


def names(text):
    """Capitalised words not at a sentence start: a rough stand-in for entities."""
    out = set()
    for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,})\b", text):
        w = m.group(1).lower()
        if w not in STOP:
            out.add(w)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../../shared/data"))
    ap.add_argument("--out", default="/tmp/storyline-devset")
    ap.add_argument("--bundles", type=int, default=72)
    ap.add_argument("--round", type=int, default=1,
                    help="2: event-rich bundles (a seed with at least three close neighbours "
                    "within two days), numbered after and disjoint from round 1's bundles.tsv")
    args = ap.parse_args()
    docs = list(reuters(os.path.join(args.data, "corpora/reuters21578")))
    docs += list(bbc(os.path.join(args.data, "corpora/bbc")))
    docs += list(polnear(os.path.join(args.data, "quotes/polnear")))
    docs = [d for d in docs if len(d[3].split()) >= 60]
    terms = []
    df = collections.Counter()
    for _, _, title, body in docs:
        c = collections.Counter(w.lower() for w in WORD.findall(title + " " + body) if w.lower() not in STOP)
        terms.append(c)
        df.update(c.keys())
    n = len(docs)
    vecs = []
    for c in terms:
        v = {t: (1 + math.log(k)) * math.log(n / df[t]) for t, k in c.items() if df[t] > 1}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    ents = [names(d[3][:3000]) for d in docs]
    tw = [{w.lower() for w in WORD.findall(d[2]) if w.lower() not in STOP} for d in docs]
    index = collections.defaultdict(list)
    for i, c in enumerate(terms):
        for t in c:
            if 1 < df[t] < 300:
                index[t].append(i)

    def cos(i, j):
        a, b = vecs[i], vecs[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(t, 0.0) for t, x in a.items())

    def near(i, j):
        di, dj = docs[i][1], docs[j][1]
        if docs[i][0].split("/")[0] != docs[j][0].split("/")[0]:
            return False
        if docs[i][0].startswith("bbc/"):
            return docs[i][0].split("/")[1] == docs[j][0].split("/")[1]
        return di and dj and abs((di - dj).days) <= 4

    rng = random.Random(18)
    order = list(range(n))
    rng.shuffle(order)
    # Reuters holds most running stories; keep the three corpora in proportion to what they offer.
    quota = {"reuters": args.bundles * 5 // 9, "bbc": args.bundles * 2 // 9, "polnear": args.bundles * 2 // 9}
    used, bundles = set(), []
    first = 1
    if args.round == 2:
        ids = {d[0]: i for i, d in enumerate(docs)}
        earlier = [l.split("\t") for l in open(os.path.join(args.out, "bundles.tsv")).read().splitlines()]
        used = {ids[r] for _, r in earlier if r in ids}
        first = len({b for b, _ in earlier}) + 1
        quota = {"reuters": args.bundles // 2, "bbc": args.bundles // 5, "polnear": args.bundles - args.bundles // 2 - args.bundles // 5}
    for s in order:
        corpus = docs[s][0].split("/")[0]
        if s in used or quota[corpus] == 0:
            continue
        cand = collections.Counter()
        for t in sorted(vecs[s], key=lambda t: -vecs[s][t])[:30]:
            for j in index.get(t, ()):
                cand[j] += 1
        cand = [j for j, _ in cand.most_common(400) if j != s and near(s, j)]
        if any(cos(s, u) > 0.25 for u in cand if u in used):
            continue
        cand = [j for j in cand if j not in used]
        if args.round == 2:
            close = [j for j in cand if (docs[s][1] is None or abs((docs[s][1] - docs[j][1]).days) <= 2)
                     and (cos(s, j) >= 0.25 or (len(ents[s] & ents[j]) >= 4 and cos(s, j) >= 0.12))]
            if len(close) < 3:
                continue
            by_cos = sorted(close, key=lambda j: -cos(s, j))
            by_ent = sorted(close, key=lambda j: (-len(ents[s] & ents[j]), cos(s, j)))
            members = [s]
            for a, b in zip(by_cos, by_ent):
                for j in (a, b):
                    if j not in members and len(members) < 8:
                        members.append(j)
            used.update(members)
            quota[corpus] -= 1
            bundles.append(members)
            if not any(quota.values()):
                break
            continue
        scored = [(cos(s, j), len(ents[s] & ents[j]), len(tw[s] & tw[j]), j) for j in cand]
        by_cos = [x[3] for x in sorted(scored, key=lambda x: -x[0])]
        by_ent = [x[3] for x in sorted(scored, key=lambda x: (-x[1], x[0])) if x[1] >= 2]
        by_title = [x[3] for x in sorted(scored, key=lambda x: (-x[2], -x[0])) if x[2] >= 1]
        picked = []
        for pool, k in ((by_cos, 3), (by_ent, 2), (by_title, 2)):
            for j in pool:
                if len([p for p in picked if p in pool]) >= k:
                    break
                if j not in picked:
                    picked.append(j)
        if len(picked) < 3 or cos(s, by_cos[0]) < 0.12:
            continue
        members = [s] + picked[:7]
        used.update(members)
        quota[corpus] -= 1
        bundles.append(members)
        if not any(quota.values()):
            break
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "bundles.tsv"), "a" if args.round == 2 else "w") as f:
        for b, members in enumerate(bundles, first):
            for i in members:
                f.write(f"b{b:03}\t{docs[i][0]}\n")
            with open(os.path.join(args.out, f"b{b:03}.txt"), "w") as g:
                for i in members:
                    rid, when, title, body = docs[i]
                    words = " ".join(body.split()[:260])
                    g.write(f"=== {rid}  date {when or 'unknown'}\nTITLE: {title.strip()}\n{words}\n\n")
    print(f"{len(bundles)} bundles, {sum(map(len, bundles))} reports -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
