"""The cleaner from Python: one page, many pages in order, and the GIL released while it runs."""

import os
import threading
import time

import pytest

import storyline

PAGE = """<!doctype html><html><head><title>Bridge reopens after floods | Example News</title>
<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2025-05-07T09:30:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Bridge reopens after floods</h1>
<p>The river bridge reopened on Monday, six weeks after floods damaged its deck, the city said.</p>
<p>"We worked around the clock," Mayor Jane Roe told reporters at the reopening ceremony.</p>
<p>About 30,000 vehicles cross the bridge each day, according to the transport department.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def test_clean_a_page():
    out = storyline.clean(PAGE, url="https://example.test/bridge")
    assert out["title"] == "Bridge reopens after floods"
    assert "six weeks after floods" in out["text"]
    assert "Home" not in out["text"] and "Copyright" not in out["text"]
    assert out["url"] == "https://example.test/bridge"
    assert out["published"].startswith("2025-05-07")
    assert {"title", "byline", "published", "updated", "language", "text", "dropped", "headings"} <= set(out)


def test_clean_text_bytes_and_dicts():
    text = storyline.clean("Bridge reopens\n\nThe river bridge reopened on Monday after six weeks of repairs.")
    assert text["title"] == "Bridge reopens"
    assert storyline.clean(PAGE.encode("utf-8"))["title"] == "Bridge reopens after floods"
    # Told that it is text, a page is read as text.
    assert "<p>" in storyline.clean(PAGE, html=False)["text"]
    many = storyline.clean_many([PAGE, {"html": PAGE, "id": "p2"}, "Just a line of text here, nothing more."], threads=2)
    assert [m["id"] for m in many] == ["0", "p2", "2"]
    assert many[0]["text"] == many[1]["text"]


def test_bad_clean_input_raises():
    with pytest.raises(ValueError, match="input 1: expected str, bytes or a dict"):
        storyline.clean_many([PAGE, 42])
    with pytest.raises(ValueError, match="no `text` or `html` field"):
        storyline.clean_many([{"url": "https://x.test"}])
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        storyline.clean_many([PAGE], threads=0)


def _big_pages(n: int) -> list:
    """Pages that take the cleaner tens of milliseconds each: CPU-bound work to time."""
    para = "<p>The council voted on Tuesday to fund the new bridge, the mayor's office said in a statement.</p>"
    body = "".join(f"<div class='c{i}'>{para}<span>Related: item {i}</span></div>" for i in range(400))
    return [f"<html><head><title>Page {k}</title></head><body><article>{body}</article></body></html>" for k in range(n)]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores to run two threads at once")
def test_clean_releases_the_gil():
    pages = _big_pages(12)
    storyline.clean_many(pages[:2], threads=1)  # warm-up: page cache, allocator, code

    def work():
        storyline.clean_many(pages, threads=1)

    # Best of three: this machine's cores may be shared with other work.
    ratios = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        work()
        sequential = time.perf_counter() - start
        threads = [threading.Thread(target=work) for _ in range(2)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ratios.append((time.perf_counter() - start) / sequential)
        if ratios[-1] < 0.85:
            break
    # Two threads holding the GIL would take as long as one after the other (ratio ≈ 1);
    # released, they overlap on 2 cores (≈ 0.5–0.6 measured here). 0.85 leaves room for noise.
    assert min(ratios) < 0.85, ratios

