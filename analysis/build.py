"""Build the dataset from a corpus folder: read, parse (incrementally, in parallel), assemble, write.

Per-article rows come from the columnar cache (:mod:`analysis.cache`) when the article and
the pipeline are unchanged; the others are parsed in this process or, for larger jobs, in
worker processes that each build the spaCy pipeline once (spawn-safe). Cached and new rows
are put in corpus order and assembled into the dataset tables in one go, the same way
whether one article changed or all of them. When nothing at all changed (same inputs, same
fingerprint, same skipped files) the dataset is left as it is. A pipeline error aborts the
build and the previous dataset stays as it was (:func:`analysis.store.write_dataset` is
atomic); an output folder that holds the corpus or other files is refused.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from analysis import schema
from analysis.cache import CACHE_DIR, FLUSH_EVERY, RowStore, article_key, fingerprint
from analysis.corpus import IGNORED, SKIPPED, WARNING, Problem, read_corpus, text_hash

Records = dict[str, list[dict]]
PARALLEL_MIN_CHARS = 400_000
"""Below this much text to parse, worker start-up costs more than it saves: parse in-process."""

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3


class BuildError(Exception):
    """The build failed; nothing was written and the previous dataset is intact."""


class OutputError(Exception):
    """The output folder cannot hold a dataset (a usage error): it would overwrite other files."""


def check_output(corpus: Path, out: Path) -> None:
    """Refuse an output folder that is, or holds, the corpus, or an existing folder of other files."""
    corpus, out = Path(corpus).resolve(), Path(out).resolve()
    if corpus == out or corpus.is_relative_to(out):
        raise OutputError(f"the dataset folder {out} would replace the corpus folder {corpus}")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a dataset folder")
    if out.is_dir() and not (out / schema.MANIFEST).is_file() and any(
            p.name != CACHE_DIR for p in out.iterdir()):
        raise OutputError(f"{out} holds other files and no dataset; the build replaces the whole "
                          "folder, so choose a new or empty one")


@dataclass
class BuildReport:
    """What a build did: counts, timings and the problems met."""

    out: Path
    articles: int = 0
    people: int = 0
    claims: int = 0
    events: int = 0
    relations: int = 0
    parsed: int = 0
    cached: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped(self) -> list[Problem]:
        """Files that were not built."""
        return [p for p in self.problems if p.severity == SKIPPED]

    @property
    def exit_code(self) -> int:
        """0 when every file was built, 1 when some were skipped."""
        return EXIT_SKIPPED if self.skipped else EXIT_OK

    def finish(self, counts: dict[str, int], *, started: float) -> BuildReport:
        """Fill in the dataset's counts and the seconds since ``started``; return self."""
        for name in ("articles", "people", "claims", "events", "relations"):
            setattr(self, name, int(counts.get(name, 0)))
        self.seconds = time.perf_counter() - started
        return self

    def summary(self) -> str:
        """One line: articles, people, claims, events, relations, seconds."""
        return (f"built {self.articles} articles, {self.people} people, {self.claims} claims, "
                f"{self.events} events, {self.relations} relations in {self.seconds:.1f} s "
                f"({self.parsed} parsed, {self.cached} from cache, {len(self.skipped)} skipped)")


class Progress:
    """A plain-text progress bar on a stream; silent when disabled."""

    def __init__(self, total: int, *, stream: TextIO | None, label: str = "parsing") -> None:
        self.total, self.stream, self.label = total, stream, label
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.done, self.start, self.shown = 0, time.perf_counter(), -1

    def step(self, n: int = 1) -> None:
        """Advance by ``n`` and redraw (every item on a TTY, every 10 % otherwise)."""
        self.done += n
        if self.stream is None or not self.total:
            return
        pct = self.done * 100 // self.total
        if not self.tty and (pct // 10 == self.shown // 10 and self.done < self.total):
            return
        self.shown = pct
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        bar = "#" * (pct // 4) + "." * (25 - pct // 4)
        line = f"{self.label} [{bar}] {self.done}/{self.total} {pct:3d}% eta {eta:4.0f}s"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


# -- workers -------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(make_nlp: Callable[[], Any], process: Callable[..., Records]) -> None:
    """Build the pipeline once per worker process (a failure is reported by every task)."""
    _WORKER.clear()
    _WORKER["process"] = process
    try:
        _WORKER["nlp"] = make_nlp()
    except Exception as exc:  # a raising pool initializer would be restarted forever
        _WORKER["error"] = f"cannot build the spaCy pipeline: {describe(exc)}"


def _work(item: tuple[str, Any]) -> tuple[str, str, Records | None, str]:
    """Parse one article in a worker: (key, file, records or None, error message)."""
    key, art = item
    if "error" in _WORKER:
        return key, art.file, None, _WORKER["error"]
    try:
        return key, art.file, _WORKER["process"](_WORKER["nlp"], art), ""
    except Exception as exc:  # reported by the parent with the file name
        return key, art.file, None, describe(exc)


def describe(exc: BaseException) -> str:
    """Return ``Type: message (at file:line)`` for an exception, naming where it was raised."""
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    at = f" (at {Path(where[0].filename).name}:{where[0].lineno})" if where else ""
    return f"{type(exc).__name__}: {exc}{at}"


def _parse(todo: list[tuple[str, Any]], *, workers: int, make_nlp: Callable[[], Any],
           process: Callable[..., Records]) -> Iterator[tuple[str, str, Records | None, str]]:
    """Yield (key, file, records, error) for every article in ``todo``, in any order."""
    if not todo:
        return
    chars = sum(len(art.raw) for _, art in todo)
    if workers <= 1 or len(todo) < 2 or chars < PARALLEL_MIN_CHARS:
        _init_worker(make_nlp, process)
        try:
            yield from map(_work, todo)
        finally:
            _WORKER.clear()
        return
    workers = min(workers, len(todo))
    ctx = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(make_nlp, process)) as pool:
            futures = [pool.submit(_work, item) for item in todo]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()
    except BrokenProcessPool as exc:
        raise BuildError(f"a worker process died ({exc}); try --workers 1") from exc


def default_workers() -> int:
    """Return min(2, number of CPUs this process may use)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(2, cpus))


def _defaults(process: Callable[..., Records] | None, assemble: Callable[..., dict] | None,
              make_nlp: Callable[[], Any] | None) -> tuple[Callable, Callable, Callable]:
    if process is None:
        from analysis.pipeline import process_article as process
    if assemble is None:
        from analysis.dataset import assemble_frames as assemble
    if make_nlp is None:
        from analysis.nlp import build_nlp as make_nlp
    return process, assemble, make_nlp


def _counts(tables: dict[str, Any]) -> dict[str, int]:
    """The summary counts of a dataset: articles, people, claims, events (distinct), relations."""
    events = tables.get(schema.EVENTS, ())
    n_events = (int(events[schema.EVENT_ID].nunique()) if schema.EVENT_ID in getattr(events, "columns", ())
                else len(events))
    return {"articles": len(tables.get(schema.ARTICLES, ())), "people": len(tables.get(schema.PEOPLE, ())),
            "claims": len(tables.get(schema.CLAIMS, ())), "events": n_events,
            "relations": len(tables.get(schema.RELATIONS, ()))}


def _up_to_date(out: Path, manifest: dict) -> dict[str, int] | None:
    """The counts of the dataset at ``out`` when it was built from exactly these inputs, else None."""
    from analysis.store import DatasetError, read_manifest

    try:
        built = read_manifest(out)
    except DatasetError:
        return None
    same = all(built.get(k) == v for k, v in manifest.items())
    complete = all((out / f"{name}{schema.TABLE_SUFFIX}").is_file() for name in schema.TABLES)
    counts = built.get("counts")
    return counts if same and complete and isinstance(counts, dict) else None


def _parse_into(store: RowStore, todo: list[tuple[str, Any]], *, workers: int, make_nlp: Callable[[], Any],
                process: Callable[..., Records], progress: TextIO | None) -> dict[str, list]:
    """Parse the articles in ``todo``, storing their rows in segments; return the new rows by table."""
    from analysis.rows import records_to_tables

    show = progress if progress is not None and (len(todo) > 20 or progress.isatty()) else None
    bar = Progress(len(todo), stream=show)
    parts: dict[str, list] = {}
    pending: dict[str, Records] = {}

    def flush() -> None:
        tables = records_to_tables(pending)
        store.add(tables, list(pending))
        for name, table in tables.items():
            parts.setdefault(name, []).append(table)
        pending.clear()

    for key, file, recs, error in _parse(todo, workers=workers, make_nlp=make_nlp, process=process):
        if recs is None:
            if pending:
                flush()  # keep the work done so far for the next build
            raise BuildError(f"the pipeline failed on {file}: {error}")
        pending[key] = recs
        bar.step()
        if len(pending) >= FLUSH_EVERY:
            flush()
    if pending:
        flush()
    return parts


def build_dataset(corpus: Path, out: Path, *, workers: int | None = None, use_cache: bool = True,
                  process: Callable[..., Records] | None = None,
                  assemble: Callable[[dict[str, Any]], dict] | None = None,
                  make_nlp: Callable[[], Any] | None = None,
                  progress: TextIO | None = None) -> BuildReport:
    """Build the dataset of ``corpus`` into ``out``; raise CorpusError, OutputError or BuildError.

    ``assemble`` receives the pre-merge rows as pandas frames by table, in corpus order.
    """
    from analysis.rows import to_frames
    from analysis.store import write_dataset

    t0 = time.perf_counter()
    out = Path(out)
    check_output(corpus, out)
    articles, problems = read_corpus(Path(corpus), ignore=(out,))
    report = BuildReport(out=out, problems=problems)
    if not articles:
        raise BuildError(f"nothing to build: every file in {corpus} was skipped")
    process, assemble, make_nlp = _defaults(process, assemble, make_nlp)
    prints = fingerprint()
    keys = [article_key(file=a.file, raw=a.raw, meta=a.meta, notes=a.notes, prints=prints)
            for a in articles]
    manifest = {
        **prints,
        "inputs_hash": hashlib.sha256("\n".join(keys).encode("ascii")).hexdigest(),
        "corpus": {a.file: text_hash(a.raw) for a in articles},
        "skipped": {p.file: p.reason for p in problems if p.severity == SKIPPED},
        "warnings": [f"{p.file}: {p.reason}" for p in problems if p.severity == WARNING],
        "ignored": [f"{p.file}: {p.reason}" for p in problems if p.severity == IGNORED],
    }
    if use_cache and (counts := _up_to_date(out, manifest)) is not None:
        report.cached = len(keys)
        return report.finish(counts, started=t0)
    store = RowStore(out / CACHE_DIR, read=use_cache)
    parts, found = store.load(keys)
    todo = [(key, art) for key, art in zip(keys, articles, strict=True) if key not in found]
    report.cached, report.parsed = len(found), len(todo)
    nworkers = default_workers() if workers is None else max(1, workers)
    new = _parse_into(store, todo, workers=nworkers, make_nlp=make_nlp, process=process, progress=progress)
    for name, tables in new.items():
        parts.setdefault(name, []).extend(tables)
    try:
        tables = assemble(to_frames(parts, keys))
    except Exception as exc:
        raise BuildError(f"assembling the dataset failed: {describe(exc)}") from exc
    manifest["counts"] = counts = _counts(tables)
    try:
        write_dataset(tables, out, manifest=manifest)
    except Exception as exc:  # OSError, pyarrow's errors, DatasetError from the validation
        raise BuildError(f"cannot write the dataset to {out}: {describe(exc)}") from exc
    store.prune(set(keys))
    return report.finish(counts, started=t0)
