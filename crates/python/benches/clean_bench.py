"""Pages/s of `storyline.clean_many` against the CLI's `storyline clean DIR --format json` and
trafilatura's `extract`, on the same pages (the AEB set by default).

    python benches/clean_bench.py [PAGES_DIR] [CLI] [--rounds N]

Prints a Markdown table. Each figure is the median of N rounds (trafilatura: one round, it is
slow); pages are read and decompressed before timing, except in the row that says so.
"""

import argparse
import glob
import gzip
import os
import statistics
import subprocess
import time
from multiprocessing import Pool

import storyline

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def timed(f, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def trafilatura_extract(page):
    import trafilatura

    return trafilatura.extract(page)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="?", default=os.path.join(REPO, "..", "shared", "data", "extraction", "scrapinghub-aeb", "html"))
    ap.add_argument("cli", nargs="?", default=os.path.join(REPO, "target", "release", "storyline"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--skip-trafilatura", action="store_true")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.pages, "*.htm*")))
    pages = [read(f) for f in files]
    n = len(pages)
    storyline.clean_many(pages[:8])  # warm-up
    # The two sides alternate round by round, so load from other work on the machine falls
    # on both alike.
    runs = {
        "storyline.clean_many (bytes in memory)": lambda: storyline.clean_many(pages),
        "storyline.clean_many, reading the .gz files too": lambda: storyline.clean_many([read(f) for f in files]),
    }
    if os.path.isfile(args.cli):
        cli = lambda: subprocess.run([args.cli, "clean", args.pages, "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli()
        runs["CLI `storyline clean DIR --format json > /dev/null`"] = cli
    times = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            times[name].append(timed(run, 1))
    rows = [(name, statistics.median(t)) for name, t in times.items()]
    if not args.skip_trafilatura:
        import trafilatura

        trafilatura.extract(pages[0])
        rows.append(("trafilatura.extract, 1 process", timed(lambda: [trafilatura.extract(p) for p in pages], 1)))
        with Pool(os.cpu_count() or 1) as pool:
            pool.map(trafilatura_extract, pages[:4])
            rows.append((f"trafilatura.extract, {os.cpu_count()} processes", timed(lambda: pool.map(trafilatura_extract, pages), 1)))
    print(f"{n} pages from {args.pages}, {os.cpu_count()} cores, median of {args.rounds} rounds\n")
    print("| what | seconds | pages/s |\n|---|---:|---:|")
    for name, secs in rows:
        print(f"| {name} | {secs:.3f} | {n / secs:,.0f} |")


if __name__ == "__main__":
    main()
