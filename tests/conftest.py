"""Shared fixtures: the seed corpus, the gold file, a fake pipeline, the real one and the seeds dataset."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import schema

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "data"
GOLD = Path(__file__).resolve().parent / "fixtures" / "gold_seeds.yaml"


@pytest.fixture(scope="session")
def nlp():
    """The real pipeline (``build_nlp()``), built once per session; test modules may build their own."""
    from analysis.nlp import build_nlp

    return build_nlp()


# -- a fake pipeline: fast, deterministic, picklable (module level) -----------------------------

def fake_process(nlp: object, art: object) -> dict[str, list[dict]]:
    """Stand-in for analysis.pipeline.process_article: one article row and one row per paragraph."""
    aid = "art-" + hashlib.sha256(art.file.encode()).hexdigest()[:8]
    paras = [p for p in art.raw.split("\n\n") if p.strip()]
    article = {schema.ARTICLE_ID: aid, "file": art.file, "text": art.raw,
               "title": art.meta.get("title") or paras[0].strip()[:80],
               "published": art.meta.get("published", ""), "published_inferred": False,
               "notes": "; ".join(art.notes)}
    sents = [{schema.SENTENCE_ID: f"{aid}-{i}", schema.ARTICLE_ID: aid, "idx": i, schema.TEXT: p}
             for i, p in enumerate(paras)]
    return {schema.ARTICLES: [article], schema.SENTENCES: sents}


def fake_assemble(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Stand-in for analysis.dataset.assemble_frames: the pre-merge rows are the tables."""
    return {name: frame.reset_index(drop=True) for name, frame in frames.items() if len(frame)}


def no_nlp() -> None:
    """The fake pipeline needs no spaCy pipeline."""
    return None


FAKE = {"process": fake_process, "assemble": fake_assemble, "make_nlp": no_nlp}


@pytest.fixture
def fake_pipeline() -> dict:
    """Keyword arguments that make build_dataset use the fake pipeline."""
    return dict(FAKE)


@pytest.fixture
def write_corpus(tmp_path: Path):
    """Return a function that writes {name: text or bytes} into a fresh corpus folder."""
    def write(files: dict[str, str | bytes], *, folder: str = "corpus") -> Path:
        root = tmp_path / folder
        root.mkdir(exist_ok=True)
        for name, body in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(body, bytes):
                path.write_bytes(body)
            else:
                path.write_text(body, encoding="utf-8")
        return root
    return write


# -- the seeds dataset, built once per session ------------------------------------------------

def _fresh(data: Path) -> bool:
    """True when the committed dataset was built from the current seeds with the current pipeline."""
    from analysis.cache import fingerprint
    from analysis.corpus import read_corpus, text_hash

    try:
        manifest = json.loads((data / schema.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    articles, _ = read_corpus(SEEDS)
    return (all(manifest.get(k) == v for k, v in fingerprint().items())
            and manifest.get("corpus") == {a.file: text_hash(a.raw) for a in articles})


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of seeds/ with the real pipeline (no cache), once per session."""
    from analysis.build import build_dataset

    out = tmp_path_factory.mktemp("seeds-build") / "data"
    build_dataset(SEEDS, out, workers=1, use_cache=False)
    return out


@pytest.fixture(scope="session")
def seeds_dataset(request: pytest.FixtureRequest):
    """The seeds dataset: the committed data/ when it is fresh, else a fresh build."""
    from analysis.store import load_dataset

    path = DATA if _fresh(DATA) else request.getfixturevalue("seeds_build")
    return load_dataset(path)
