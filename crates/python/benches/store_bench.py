"""Reading a large store from Python: `Store.stories()` into one DataFrame, or
`Store.iter_stories(batch)` batch by batch, with wall time and the process's peak RSS.

    python benches/store_bench.py STORE.db frame
    python benches/store_bench.py STORE.db iter [BATCH]

Run each mode in its own process: peak RSS (ru_maxrss) only grows, so one process measures
one thing.
"""

import resource
import sys
import time

import storyline


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    path, mode = sys.argv[1], sys.argv[2]
    import pandas  # noqa: F401  (imported before the baseline: its own memory is not the store's)

    base = rss_mb()
    store = storyline.open(path)
    reports, stories = store.counts()
    start = time.perf_counter()
    if mode == "frame":
        df = store.stories()
        rows, batches = len(df), 1
        dtypes = ", ".join(f"{c}:{t}" for c, t in df.dtypes.items())
    else:
        batch = int(sys.argv[3]) if len(sys.argv) > 3 else storyline.DEFAULT_BATCH
        rows = batches = 0
        for df in store.iter_stories(batch=batch):
            rows += len(df)
            batches += 1
        dtypes = ""
    secs = time.perf_counter() - start
    print(
        f"| {path} | {reports} reports, {stories} stories | {mode} | {rows} rows in {batches} "
        f"frame(s) | {secs:.2f} s | peak RSS {rss_mb():.0f} MB (after import {base:.0f} MB) |"
    )
    if dtypes:
        print(dtypes)


if __name__ == "__main__":
    main()
