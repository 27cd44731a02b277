"""Shared fixtures: the seeds (../shared/fixtures/seeds beside the repository), the CLI binary
when it was built, and a store of the seeds ingested from Python."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import storyline

REPO = Path(__file__).resolve().parents[3]
SEEDS = Path(os.environ.get("STORYLINE_SEEDS", REPO.parent / "shared" / "fixtures" / "seeds"))
CLI = Path(os.environ.get("STORYLINE_CLI", REPO / "target" / "release" / "storyline"))


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the seeds are missing: {SEEDS} (clone ../shared beside the repository)")
    return SEEDS


@pytest.fixture(scope="session")
def seeded(seeds, tmp_path_factory):
    """A store of the seeds, ingested from Python, and its ingest summary."""
    path = tmp_path_factory.mktemp("seeded") / "seeds.db"
    store = storyline.open(path)
    summary = store.ingest(seeds)
    yield store, summary
    store.close()


def cli_json(*args):
    """The CLI's `--format json` output, or None when the binary was not built."""
    if not CLI.is_file():
        return None
    out = subprocess.run([str(CLI), *args, "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)
