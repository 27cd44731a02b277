"""Kept for old command lines: `python trafilatura_aeb.py DATA_DIR [ROUNDS]` is
`python trafilatura_peer.py aeb DATA_DIR [ROUNDS]` (see there); prints the same JSON object.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trafilatura_peer  # noqa: E402

if __name__ == "__main__":
    sys.argv[1:1] = ["aeb"]
    trafilatura_peer.main()
