"""Pipeline speed: words per second of the whole per-article pipeline vs spaCy's blank tokenizer.

Both run in this process, one after the other, on the same texts (a synthetic corpus
made from the seeds, or a folder given with ``--corpus``); each is timed ``--repeat``
times with fresh objects (no tokenizer cache carried over) and the best run counts.
The pipeline side is what a build does per article: ``analysis.pipeline.process_article``
(cleaning, all components, record extraction).
Target: ratio >= 0.25.

    python -m benchmarks.bench_pipeline [--n 100] [--corpus DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGET_RATIO = 0.25


def timed(run: Callable[[], object]) -> float:
    """Seconds one call of ``run`` takes."""
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Print words/s of the tokenizer and of the pipeline, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="synthetic articles (default 100)")
    parser.add_argument("--corpus", type=Path, help="measure this corpus folder instead")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import spacy

    from analysis.corpus import read_corpus
    from analysis.nlp import build_nlp
    from analysis.pipeline import ArticleInput, process_article
    from benchmarks.make_corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or Path(tmp)
        if args.corpus is None:
            write_corpus(folder, n=args.n, seed=args.seed)
        articles, _ = read_corpus(folder)
    texts = [a.raw for a in articles]
    words = sum(1 for doc in spacy.blank("en").tokenizer.pipe(texts) for t in doc
                if not (t.is_punct or t.is_space))
    warm_up = ArticleInput(file="warm-up.txt", raw="Officials met on Monday.\n\nThey said it was useful.\n")
    t_tok = t_pipe = float("inf")
    for _ in range(args.repeat):  # fresh objects each time: no tokenizer cache carried over
        blank = spacy.blank("en")
        t_tok = min(t_tok, timed(lambda b=blank: list(b.tokenizer.pipe(texts))))
        nlp = build_nlp()
        process_article(nlp, warm_up)  # loads the lazily read rules
        t_pipe = min(t_pipe, timed(lambda n=nlp: [process_article(n, a) for a in articles]))
    ratio = t_tok / t_pipe
    print(f"{len(texts)} articles, {words:,} words, {sum(map(len, texts)):,} characters")
    print(f"blank tokenizer : {words / t_tok:>10,.0f} words/s ({t_tok:.2f} s)")
    print(f"pipeline        : {words / t_pipe:>10,.0f} words/s ({t_pipe:.2f} s)")
    verdict = "ok" if ratio >= TARGET_RATIO else "SLOW"
    print(f"ratio           : {ratio:.2f} (target >= {TARGET_RATIO}) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
