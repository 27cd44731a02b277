"""Joins the scale bench's step outputs (one JSON object per line) into the bench's one JSON
object (benches/run --json) or a Markdown table for a note."""

import json
import sys

size, steps_path, as_json = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
steps = {}
with open(steps_path) as f:
    for line in f:
        line = line.strip()
        if line.startswith("{"):
            obj = json.loads(line)
            steps[obj["step"]] = obj

get = lambda step, key: steps.get(step, {}).get(key)
ratio = lambda a, b: a / b if a and b else None
out = {
    "size": size,
    "storyline_reports_per_s": get("ingest", "reports_per_s"),
    "storyline_mb_per_s": get("ingest", "mb_per_s"),
    "ingest_seconds": get("ingest", "seconds"),
    "ceiling_reports_per_s": get("ceiling", "reports_per_s"),
    "ceiling_mb_per_s": get("ceiling", "mb_per_s"),
    "analysis_only_reports_per_s": get("ceiling", "analysis_reports_per_s"),
    "neardup_reports_per_s": get("neardup", "reports_per_s"),
    "neardup_recall": get("neardup", "near_dup_recall"),
    "datasketch_reports_per_s": get("datasketch", "reports_per_s"),
    "datasketch_recall": get("datasketch", "near_dup_recall"),
    "near_dup_pairs": get("neardup", "near_dup_pairs"),
    "placement_p50_ms": get("place", "placement_p50_ms"),
    "placement_p99_ms": get("place", "placement_p99_ms"),
    "with_lineage_p50_ms": get("place", "with_lineage_p50_ms"),
    "with_lineage_p99_ms": get("place", "with_lineage_p99_ms"),
    "reopen_seconds": get("place", "reopen_seconds"),
    "index_bytes_per_report": get("place", "index_bytes_per_report"),
    "fingerprint_index_bytes_per_report": get("place", "fingerprint_index_bytes_per_report"),
    "disk_bytes_per_report": get("place", "disk_bytes_per_report"),
    "peak_rss_bytes": get("ingest", "peak_rss_bytes"),
    "lineage_precision": get("score", "lineage_precision"),
    "lineage_recall": get("score", "lineage_recall"),
    "stories": get("score", "stories"),
    "families": get("score", "families"),
    "story_bcubed_precision": get("score", "story_bcubed_precision"),
    "story_bcubed_recall": get("score", "story_bcubed_recall"),
    "story_bcubed_f1": get("score", "story_bcubed_f1"),
    "story_pairwise_precision": get("score", "story_pairwise_precision"),
    "story_pairwise_recall": get("score", "story_pairwise_recall"),
}
out["ingest_stage_seconds"] = get("ingest", "stage_seconds")
out["ingest_vs_ceiling"] = ratio(out["storyline_reports_per_s"], out["ceiling_reports_per_s"])
out["analysis_only_vs_ceiling"] = ratio(out["analysis_only_reports_per_s"], out["ceiling_reports_per_s"])
out["neardup_vs_datasketch"] = ratio(out["neardup_reports_per_s"], out["datasketch_reports_per_s"])
if as_json:
    print(json.dumps(out))
else:
    fmt = lambda v: "–" if v is None else (f"{v:,.3f}" if isinstance(v, float) and abs(v) < 100 else f"{v:,.0f}")
    print(f"| measure ({size:,} reports) | value |")
    print("|---|---|")
    for k, v in out.items():
        if k == "ingest_stage_seconds":
            for stage, secs in (v or {}).items():
                print(f"| ingest stage {stage} (s) | {fmt(secs)} |")
        elif k != "size":
            print(f"| {k} | {fmt(v)} |")
