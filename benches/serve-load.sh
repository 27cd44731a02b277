#!/usr/bin/env bash
# Load run of `storyline serve` on loopback: the seeds in a temporary store, then wrk for a
# bounded time on the story page, the source-vs-copy page and API endpoints. A measurement for
# issue notes, not a CI test. Needs wrk (apt-get install -y wrk).
#   bash benches/serve-load.sh [SECONDS per URL, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
command -v wrk >/dev/null || { echo "error: wrk is missing: apt-get install -y wrk" >&2; exit 2; }
cargo build --release -q -p storyline-cli
bin=target/release/storyline
work="$(mktemp -d)"
"$bin" --db "$work/load.db" ingest ../shared/fixtures/seeds
"$bin" --db "$work/load.db" serve --addr 127.0.0.1:0 >"$work/serve.out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)"
for path in /stories/S2 "/stories/S2/compare?a=004_a7ee9d15eccb91ee&b=003_eecd8b1c6ee32f2a" \
  /api/stories/S2 /api/stories/S2/brief "/api/stories?limit=50"; do
  echo "== $path"
  wrk -t2 -c16 -d"${secs}s" --latency "$base$path" |
    grep -E '^\s+Latency |99%|Requests/sec|requests in|Non-2xx|Socket errors' || true
done
