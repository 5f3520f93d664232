"""Build speed and memory: a 1,000-article corpus from scratch, then with one article changed.

Runs ``python -m analysis build`` as a child process (interpreter start-up and imports
included, as a user would run it) and reports for each step the wall time, the CPU
seconds of the build and its workers (what an idle machine would need: wall time is
noisy on a shared 2-core machine), the peak resident memory of the largest single
process (``getrusage`` of the children) and the peak of the whole process tree (build
plus its workers, sampled from /proc every 0.1 s). The one-article rebuild is timed on
``--changes`` different articles.
Targets: from scratch < 120 s on 2 cores, peak memory < 1.5 GB, one-article rebuild < 5 s.

    python -m benchmarks.bench_build [--n 1000] [--workers 2] [--corpus DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_build(corpus: Path, out: Path, *, workers: int, extra: tuple[str, ...] = ()) -> dict:
    """Run one build; return seconds, exit status, peak tree RSS and the summary line."""
    cmd = [sys.executable, "-m", "analysis", "build", "--corpus", str(corpus), "--out", str(out),
           "--workers", str(workers), *extra]
    peak = [0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "status": proc.returncode, "tree_peak": peak[0],
            "summary": stdout.strip().splitlines()[-1:] or [stderr.strip()[-300:]]}


def main(argv: list[str] | None = None) -> int:
    """Build from scratch, rebuild unchanged, rebuild with one article changed; print figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="use this corpus folder (it is modified)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and dataset in this folder")
    parser.add_argument("--changes", type=int, default=3, help="one-article rebuilds to time (default 3)")
    args = parser.parse_args(argv)

    from benchmarks.make_corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        corpus = args.corpus or base / "corpus"
        if args.corpus is None:
            write_corpus(corpus, n=args.n, seed=args.seed)
        out = base / "data"
        n = sum(1 for p in corpus.iterdir() if p.suffix == ".txt")
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.glob("*.txt"))
        print(f"corpus: {n} articles, {words:,} words; workers: {args.workers}; cpus: {os.cpu_count()}")
        steps = [("from scratch", ("--no-cache",)), ("nothing changed", ())]
        steps += [(f"one article changed ({i + 1}/{args.changes})", ()) for i in range(args.changes)]
        changed_times = []
        files = sorted(corpus.glob("*.txt"))
        for label, extra in steps:
            if label.startswith("one article changed"):
                changed = files[(n // 2 + 37 * len(changed_times)) % len(files)]
                text = changed.read_text(encoding="utf-8")
                changed.write_text(text + "\nA sentence added for the benchmark.\n", encoding="utf-8")
            r = run_build(corpus, out, workers=args.workers, extra=extra)
            if label.startswith("one article changed"):
                changed_times.append(r["seconds"])
            print(f"{label:<28} {r['seconds']:7.1f} s wall {r['cpu']:6.1f} s CPU  exit {r['status']}  "
                  f"peak tree RSS {r['tree_peak'] / 2**20:7.0f} MB  | {r['summary'][0]}", flush=True)
        if changed_times:
            print(f"one article changed, median of {len(changed_times)}: {statistics.median(changed_times):.1f} s wall "
                  f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the largest single child process: {child:.0f} MB (this script: {own:.0f} MB)")
        print("targets: from scratch < 120 s, peak memory < 1536 MB, one-article rebuild < 5 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
