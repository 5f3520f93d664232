"""The app's server against Streamlit's own, over kept-alive connections as a browser uses them.

Serves ``app.py`` (the ``st.App`` of ui/serve.py) and, as the baseline, a
one-line Streamlit script with ``streamlit run`` as shipped, both from this
process's machine. Measured on each:

- one small answer: the median time of ``/_stcore/health`` asked 50 times over
  one kept-alive connection (a browser keeps its connections open);
- a cold page's files: Streamlit's bundle as its index.html names it, plus the
  charts' plotly.js, fetched over six kept-alive connections (Chromium's limit
  per server), the median of five rounds.

Streamlit 1.67 binds its listening socket itself, without TCP_NODELAY, so on a
kept-alive connection each small answer waits for the client's delayed ACK
(~40 ms on Linux); ui/serve.py turns Nagle's algorithm off. The figures are
printed with the ratio app / baseline.

    python benchmarks/bench_serve.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_ui import BLANK_APP  # noqa: E402
from tests.browser import DATA, StreamlitServer  # noqa: E402

CONNECTIONS = 6
"""Chromium opens at most six connections to one server."""


def bundle_paths(port: int) -> list[str]:
    """The files a browser fetches first: those the page's HTML names, and the charts' plotly.js."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/")
    page = conn.getresponse().read().decode()
    conn.close()
    return [f"/{path}" for path in re.findall(r'(?:src|href)="\./(static/[^"]+)"', page)] + [
        "/app/static/plotly-expert-lens.min.js"]


def small_answer_ms(port: int, *, n: int = 50) -> float:
    """Median milliseconds of ``/_stcore/health`` over one kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(n + 1):
        start = time.perf_counter()
        conn.request("GET", "/_stcore/health")
        conn.getresponse().read()
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return statistics.median(times[1:])


def fetch_all_ms(port: int, paths: list[str]) -> float:
    """Milliseconds to fetch ``paths`` over :data:`CONNECTIONS` kept-alive connections (all must answer 200)."""
    def fetch(share: list[str]) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        size = 0
        for path in share:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            size += len(response.read())
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        conn.close()
        return size

    shares = [paths[k::CONNECTIONS] for k in range(CONNECTIONS)]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CONNECTIONS) as pool:
        list(pool.map(fetch, shares))
    return (time.perf_counter() - start) * 1000


def measure(server: StreamlitServer, *, rounds: int) -> dict[str, float]:
    """Both figures for one running server."""
    paths = bundle_paths(server.port)
    fetch_all_ms(server.port, paths)   # the first round reads the files from disk
    return {"files": len(paths), "small_answer_ms": small_answer_ms(server.port),
            "cold_page_files_ms": statistics.median(fetch_all_ms(server.port, paths) for _ in range(rounds))}


def main() -> None:
    """Measure the baseline and the app, print the figures and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank_app.py"
        blank.write_text(BLANK_APP, encoding="utf-8")
        (Path(tmp) / "static").symlink_to(ROOT / "static")   # the same app/static/ for both
        with StreamlitServer(DATA, log=Path(tmp) / "blank.log", script=blank) as server:
            base = measure(server, rounds=args.rounds)
        with StreamlitServer(DATA, log=Path(tmp) / "app.log") as server:
            app = measure(server, rounds=args.rounds)
    print(f"files of a cold page: {app['files']} (baseline {base['files']})")
    for key, label in (("small_answer_ms", "one small answer, kept-alive connection"),
                       ("cold_page_files_ms", f"a cold page's files over {CONNECTIONS} connections")):
        print(f"  {label:48s} app {app[key]:7.1f} ms   Streamlit as shipped {base[key]:7.1f} ms"
              f"   ratio {app[key] / base[key]:.2f}")


if __name__ == "__main__":
    main()
