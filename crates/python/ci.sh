#!/usr/bin/env bash
# Builds the storyline-news wheel (maturin, release) and runs its pytest suite in a virtual
# environment: crates/python/.venv, or $STORYLINE_PY_VENV. Exits non-zero on any failure, with
# a line saying what failed. Needs CPython >= 3.10 with venv, a Rust toolchain, PyPI and
# crates.io (or their mirrors), and ../shared beside the repository (the seeds).
#
#   bash crates/python/ci.sh
#
# The tests compare with the CLI when target/release/storyline exists (STORYLINE_CLI names
# another binary); without it they check the seeds' known stories and edges.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${STORYLINE_PY_VENV:-$here/.venv}"
python="${PYTHON:-python3}"
step=""
fail() { echo "crates/python/ci.sh: error: $*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || echo "crates/python/ci.sh: FAILED at: $step (exit $rc)" >&2' EXIT

step="checking prerequisites"
command -v "$python" >/dev/null || fail "no $python on PATH: install CPython >= 3.10 (or set PYTHON)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || fail "CPython >= 3.10 needed, found $("$python" --version 2>&1)"
command -v cargo >/dev/null || fail "no cargo on PATH: install a Rust toolchain (rustup)"
[ -d "$repo/../shared/fixtures/seeds" ] \
    || fail "the seeds are missing: $repo/../shared/fixtures/seeds (clone shared beside the repository)"

step="creating the virtual environment $venv"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" || fail "cannot create $venv (Debian: apt-get install python3-venv)"
fi
py="$venv/bin/python"

step="installing maturin, pytest, pandas, pyarrow, tqdm from PyPI"
"$py" -m pip install --quiet --upgrade pip
"$py" -m pip install --quiet "maturin>=1.9,<2" pytest pandas pyarrow tqdm

# STORYLINE_PY_PROFILE names another Cargo profile of crates/python/Cargo.toml (CI: `ci`).
profile="${STORYLINE_PY_PROFILE:-release}"
step="building the wheel (maturin build --profile $profile)"
cd "$here"
rm -rf target/wheels
"$venv/bin/maturin" build --profile "$profile" --locked --interpreter "$py" --out target/wheels

step="installing the wheel"
wheels=(target/wheels/storyline_news-*.whl)
[ -f "${wheels[0]}" ] || fail "maturin made no wheel in $here/target/wheels"
"$py" -m pip install --quiet --force-reinstall --no-deps "${wheels[0]}"

step="running pytest"
# From tests/: the installed wheel is imported, not python/storyline (which has no native module).
cd "$here/tests"
"$py" -m pytest -q -p no:cacheprovider .
echo "crates/python/ci.sh: ok (wheel ${wheels[0]##*/})"
