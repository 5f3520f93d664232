"""The command line: build mechanics (cache, workers, summary, exit status), export, evaluate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import build as build_mod
from analysis import schema
from analysis.build import BuildError, build_dataset
from analysis.cli import main
from analysis.store import load_dataset

from .conftest import FAKE, GOLD, ROOT, fake_assemble, fake_process, no_nlp

ARTICLES = {f"{i:03d}_a.txt": f"Article {i} headline\n\nParagraph one of article {i}.\n" for i in range(4)}


@pytest.fixture
def cli_fake(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the CLI build with the fake pipeline; return the list of files it parses."""
    parsed: list[str] = []

    def process(nlp: object, art: object) -> dict:
        parsed.append(art.file)
        return fake_process(nlp, art)

    monkeypatch.setattr(build_mod, "_defaults", lambda p, a, m: (process, fake_assemble, no_nlp))
    return parsed


def run(*args: str) -> int:
    return main([str(a) for a in args])


def test_cli_starts_without_heavy_imports() -> None:
    code = ("import sys, analysis.cli as c; c._parser(); "
            "print(sorted(m for m in ('spacy', 'pandas', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("argv", "status"), [
    ([], 2),
    (["--help"], 0),
    (["frobnicate"], 2),
    (["build", "--workers", "0"], 2),
    (["build", "--workers", "many"], 2),
    (["export", "--data", "x"], 2),                    # --to is required
    (["export", "--to", "x", "--format", "xlsx"], 2),
    (["evaluate", "--data", "x"], 2),                  # --gold is required
])
def test_usage_errors(argv: list[str], status: int, capsys: pytest.CaptureFixture) -> None:
    assert run(*argv) == status


def test_build_missing_corpus_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert run("build", "--corpus", tmp_path / "nope", "--out", tmp_path / "data") == 2
    assert "corpus folder" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(("out", "message"), [
    ("corpus", "would replace the corpus folder"),
    (".", "would replace the corpus folder"),
    ("notes", "holds other files and no dataset"),
    ("notes/todo.txt", "is a file"),
])
def test_build_refuses_an_output_folder_it_would_destroy(write_corpus, tmp_path, capsys, out, message) -> None:
    corpus = write_corpus(ARTICLES)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    assert run("build", "--corpus", corpus, "--out", tmp_path / out) == 2
    assert message in capsys.readouterr().err
    assert (tmp_path / "notes" / "todo.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in corpus.iterdir()) == sorted(ARTICLES)


def test_build_prints_a_one_line_summary(cli_fake, write_corpus, tmp_path, capsys) -> None:
    corpus = write_corpus(ARTICLES)
    assert run("build", "--corpus", corpus, "--out", tmp_path / "data") == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("built 4 articles, 0 people, 0 claims, 0 events, 0 relations in ")
    assert " s (4 parsed, 0 from cache, 0 skipped)" in out[0]
    assert len(load_dataset(tmp_path / "data")[schema.ARTICLES]) == 4


def test_build_manifest(cli_fake, write_corpus, tmp_path) -> None:
    corpus = write_corpus({**ARTICLES, "empty.txt": ""})
    assert run("build", "--corpus", corpus, "--out", tmp_path / "data") == 1
    manifest = json.loads((tmp_path / "data" / schema.MANIFEST).read_text())
    assert {"pipeline_version", "rules_hash", "code_hash", "schema_version"} <= set(manifest)
    assert sorted(manifest["corpus"]) == sorted(ARTICLES)
    assert all(len(h) == 64 for h in manifest["corpus"].values())
    assert manifest["skipped"] == {"empty.txt": "empty file"}


def test_rebuild_parses_only_what_changed(cli_fake, write_corpus, tmp_path) -> None:
    corpus, out = write_corpus(ARTICLES), tmp_path / "data"
    assert run("build", "--corpus", corpus, "--out", out) == 0
    assert len(cli_fake) == 4
    cli_fake.clear()
    assert run("build", "--corpus", corpus, "--out", out) == 0
    assert cli_fake == []
    (corpus / "002_a.txt").write_text("Changed headline\n\nNew text.\n", encoding="utf-8")
    assert run("build", "--corpus", corpus, "--out", out) == 0
    assert cli_fake == ["002_a.txt"]
    cli_fake.clear()
    assert run("build", "--corpus", corpus, "--out", out, "--no-cache") == 0
    assert len(cli_fake) == 4
    assert sorted(_cached_keys(out).values()) == [1, 1, 1, 1]   # old rows pruned, none twice


def test_dataset_folder_inside_the_corpus_is_not_read(write_corpus) -> None:
    corpus = write_corpus(ARTICLES)
    build_dataset(corpus, corpus / "data", **FAKE)
    report = build_dataset(corpus, corpus / "data", use_cache=False, **FAKE)
    assert (report.articles, report.problems) == (4, [])


def test_cache_key_covers_metadata_and_pipeline(write_corpus, tmp_path, monkeypatch) -> None:
    corpus, out = write_corpus(ARTICLES), tmp_path / "data"
    assert build_dataset(corpus, out, **FAKE).parsed == 4
    (corpus / "metadata.csv").write_text("file,title\n001_a.txt,A title\n", encoding="utf-8")
    assert build_dataset(corpus, out, **FAKE).parsed == 1
    monkeypatch.setattr("analysis.PIPELINE_VERSION", "test-version")
    assert build_dataset(corpus, out, **FAKE).parsed == 4


def _cached_keys(out: Path) -> dict[str, int]:
    """Article keys in the row cache of the dataset at ``out``, with how many segments hold each."""
    from collections import Counter

    segments = (out / ".cache" / "rows").glob("*/keys.json")
    return Counter(k for f in segments for k in json.loads(f.read_text(encoding="utf-8"))["keys"])


def test_corrupt_cache_segment_is_a_miss(write_corpus, tmp_path) -> None:
    corpus, out = write_corpus(ARTICLES), tmp_path / "data"
    build_dataset(corpus, out, **FAKE)
    (corpus / "new.txt").write_text("A new article.\n", encoding="utf-8")
    build_dataset(corpus, out, **FAKE)                                  # a second segment: new.txt
    newest = sorted((out / ".cache" / "rows").iterdir())[-1]
    (newest / "sentences.arrow").write_bytes(b"ARROW1 not arrow")
    (corpus / "newer.txt").write_text("A newer article.\n", encoding="utf-8")
    report = build_dataset(corpus, out, **FAKE)                         # new.txt is parsed again
    assert (report.parsed, report.cached) == (2, 4)
    (sorted((out / ".cache" / "rows").iterdir())[0] / "keys.json").write_text("{", encoding="utf-8")
    (corpus / "newest.txt").write_text("The newest article.\n", encoding="utf-8")
    report = build_dataset(corpus, out, **FAKE)                         # the first four too
    assert (report.parsed, report.cached) == (5, 2)
    assert sorted(_cached_keys(out).values()) == [1] * 7


def test_many_small_rebuilds_are_merged_into_few_segments(write_corpus, tmp_path) -> None:
    from analysis.cache import MAX_SEGMENTS

    corpus, out = write_corpus(ARTICLES), tmp_path / "data"
    first = build_dataset(corpus, out, **FAKE)
    for i in range(MAX_SEGMENTS + 2):
        (corpus / "001_a.txt").write_text(f"Version {i}\n\nParagraph {i}.\n", encoding="utf-8")
        assert build_dataset(corpus, out, **FAKE).parsed == 1
        assert len(list((out / ".cache" / "rows").iterdir())) <= MAX_SEGMENTS
        cached = _cached_keys(out)
        assert set(cached.values()) == {1} and first.articles <= len(cached) <= 2 * first.articles
    sentences = load_dataset(out)[schema.SENTENCES]
    assert f"Paragraph {MAX_SEGMENTS + 1}.\n" in set(sentences[schema.TEXT])


def test_rebuild_after_a_change_equals_a_build_from_scratch(write_corpus, tmp_path) -> None:
    corpus = write_corpus(ARTICLES)
    build_dataset(corpus, tmp_path / "inc", **FAKE)
    (corpus / "002_a.txt").write_text("Changed headline\n\nNew text.\n\nMore.\n", encoding="utf-8")
    (corpus / "000_a.txt").unlink()
    (corpus / "009_a.txt").write_text("Late headline\n\nLate text.\n", encoding="utf-8")
    assert build_dataset(corpus, tmp_path / "inc", **FAKE).parsed == 2
    build_dataset(corpus, tmp_path / "scratch", use_cache=False, **FAKE)
    for table in schema.TABLES:
        name = f"{table}{schema.TABLE_SUFFIX}"
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "scratch" / name).read_bytes(), name


def test_unchanged_inputs_leave_the_dataset_untouched(write_corpus, tmp_path) -> None:
    corpus, out = write_corpus(ARTICLES), tmp_path / "data"
    first = build_dataset(corpus, out, **FAKE)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = build_dataset(corpus, out, **FAKE)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert (again.articles, again.parsed, again.cached) == (first.articles, 0, 4)
    (corpus / "empty.txt").write_text("", encoding="utf-8")      # a new skipped file: manifest changes
    assert build_dataset(corpus, out, **FAKE).exit_code == 1
    assert "empty.txt" in (out / schema.MANIFEST).read_text(encoding="utf-8")


def test_rebuild_is_identical(write_corpus, tmp_path) -> None:
    corpus = write_corpus(ARTICLES)
    build_dataset(corpus, tmp_path / "one", **FAKE)
    build_dataset(corpus, tmp_path / "two", **FAKE)
    for name in [*(f"{t}{schema.TABLE_SUFFIX}" for t in schema.TABLES), schema.MANIFEST]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_worker_processes_give_the_same_dataset(write_corpus, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_CHARS", 0)
    corpus = write_corpus(ARTICLES)
    build_dataset(corpus, tmp_path / "serial", workers=1, **FAKE)
    report = build_dataset(corpus, tmp_path / "pool", workers=2, **FAKE)
    assert report.parsed == 4
    for table in schema.TABLES:
        name = f"{table}{schema.TABLE_SUFFIX}"
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes()


def test_progress_bar_on_long_runs(write_corpus, tmp_path) -> None:
    import io

    corpus = write_corpus({f"{i:03d}.txt": f"Text number {i}.\n" for i in range(25)})
    stream = io.StringIO()
    build_dataset(corpus, tmp_path / "data", progress=stream, **FAKE)
    lines = stream.getvalue().splitlines()
    assert 2 <= len(lines) <= 11
    assert lines[-1].startswith("parsing [#########################] 25/25 100%")
    stream = io.StringIO()
    build_dataset(write_corpus(ARTICLES, folder="small"), tmp_path / "small-data", progress=stream, **FAKE)
    assert stream.getvalue() == ""


def test_pipeline_error_names_the_file(write_corpus, tmp_path) -> None:
    def process(nlp: object, art: object) -> dict:
        if art.file == "002_a.txt":
            raise ValueError("boom")
        return fake_process(nlp, art)

    with pytest.raises(BuildError, match=r"002_a.txt: ValueError: boom \(at test_cli.py:\d+\)"):
        build_dataset(write_corpus(ARTICLES), tmp_path / "data", process=process,
                      assemble=fake_assemble, make_nlp=no_nlp)


def test_export_and_evaluate_commands(cli_fake, write_corpus, tmp_path, capsys) -> None:
    out = tmp_path / "data"
    assert run("build", "--corpus", write_corpus(ARTICLES), "--out", out) == 0
    assert run("export", "--data", out, "--to", tmp_path / "csv", "--format", "csv") == 0
    assert (tmp_path / "csv" / "articles.csv").is_file()
    assert run("export", "--data", tmp_path / "nothing", "--to", tmp_path / "csv2") == 2
    assert run("evaluate", "--data", out, "--gold", tmp_path / "no.yaml") == 2
    capsys.readouterr()
    assert run("evaluate", "--data", out, "--gold", GOLD) == 1     # the fake pipeline finds nobody
    report = capsys.readouterr().out
    assert "people precision" in report and "checks failed" in report


def _broken_nlp() -> None:
    raise OSError("model files missing")


@pytest.mark.parametrize("parallel", [False, True])
def test_pipeline_that_cannot_be_built_fails_the_build(write_corpus, tmp_path, monkeypatch, parallel) -> None:
    if parallel:
        monkeypatch.setattr(build_mod, "PARALLEL_MIN_CHARS", 0)
    with pytest.raises(BuildError, match="cannot build the spaCy pipeline: OSError: model files missing"):
        build_dataset(write_corpus(ARTICLES), tmp_path / "data", workers=2 if parallel else 1,
                      process=fake_process, assemble=fake_assemble, make_nlp=_broken_nlp)
    assert not (tmp_path / "data" / schema.MANIFEST).exists()
