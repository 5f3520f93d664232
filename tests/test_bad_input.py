"""Bad input: skipped files, odd encodings, unclosed quotes, huge articles, failed builds."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import build as build_mod
from analysis import schema
from analysis.build import BuildError, build_dataset
from analysis.cli import main
from analysis.store import load_dataset

from .conftest import FAKE, fake_assemble, fake_process, no_nlp

GOOD = "Officials met in the capital on Monday.\n\nThe talks were described as useful.\n"
OTHER = "A second article about something else.\n\nIt has two paragraphs.\n"


@pytest.fixture
def cli_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI build with the fake pipeline."""
    monkeypatch.setattr(build_mod, "_defaults", lambda p, a, m: (fake_process, fake_assemble, no_nlp))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a dataset folder (the cache aside) and the sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".cache" not in p.parts}


@pytest.mark.parametrize(("extra", "status", "message"), [
    ({}, 0, None),
    ({"b.txt": b""}, 1, "skipped: b.txt: empty file"),
    ({"b.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)}, 1, "skipped: b.txt: binary file"),
    ({"b.txt": GOOD}, 1, "skipped: b.txt: same text as a.txt"),
    ({"b.txt": GOOD.replace("\n", "\r\n").encode()}, 1, "skipped: b.txt: same text as a.txt"),
    ({"b.pdf": b"%PDF-1.4"}, 1, "skipped: b.pdf: not an article file (.pdf)"),
    ({"metadata.csv": "file,title,outlet,author,published,url\na.txt,T,O,A,Octember 5,\n"}, 0,
     "warning: metadata.csv: line 2: unparseable date 'Octember 5'"),
])
def test_skips_and_exit_status(cli_fake, write_corpus, tmp_path, capsys, extra, status, message) -> None:
    corpus = write_corpus({"a.txt": GOOD, "c.txt": OTHER, **extra})
    assert main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "data")]) == status
    err = capsys.readouterr().err.splitlines()
    assert err == ([message] if message else [])
    files = set(load_dataset(tmp_path / "data")[schema.ARTICLES]["file"])
    assert files == {"a.txt", "c.txt"}


def test_missing_corpus_exit_2(tmp_path, capsys) -> None:
    assert main(["build", "--corpus", str(tmp_path / "nowhere"), "--out", str(tmp_path / "d")]) == 2
    assert capsys.readouterr().err.strip() == f"error: corpus folder {tmp_path / 'nowhere'} does not exist"


def test_malformed_metadata_row_builds_its_article(cli_fake, write_corpus, tmp_path, capsys) -> None:
    corpus = write_corpus({"a.txt": GOOD, "c.txt": OTHER, "metadata.csv":
                           "file,title,outlet,author,published,url\n"
                           "c.txt,Other title,Outlet,,2024-11-05,\n"
                           "a.txt,Meeting, talks, and more,Wire\n"})
    assert main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "data")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "warning: metadata.csv: line 3: expected 6 fields, found 5",
        "warning: metadata.csv: line 3: unparseable date 'Wire'"]
    articles = load_dataset(tmp_path / "data")[schema.ARTICLES].set_index("file")
    assert articles.loc["a.txt", "title"] == "Meeting"
    assert articles.loc["c.txt", "title"] == "Other title"
    assert "metadata.csv line 3" in articles.loc["a.txt", "notes"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"Le caf\xe9 \x93Chez Paul\x94 a dit\x85 non.\n", "Le café “Chez Paul” a dit… non."),
    ("Le café “Chez Paul” a dit… non.\n".encode("cp1252"), "Le café “Chez Paul” a dit… non."),
    ("Caf\u00e9 in Latin-1, na\u00efve.\n".encode("latin-1"), "Café in Latin-1, naïve."),
])
def test_legacy_encodings_are_decoded_with_a_note(write_corpus, tmp_path, data, expected) -> None:
    build_dataset(write_corpus({"a.txt": data}), tmp_path / "data", **FAKE)
    row = load_dataset(tmp_path / "data")[schema.ARTICLES].iloc[0]
    assert expected in row["text"]
    assert "decoded as windows-1252" in row["notes"]


def _failing_process(nlp: object, art: object) -> dict:
    if art.file == "c.txt":
        raise RuntimeError("pipeline crashed")
    return fake_process(nlp, art)


def _failing_assemble(per_article: list) -> dict:
    raise KeyError("assemble crashed")


def _fail_on_third_parquet(monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = pd.DataFrame.to_parquet, []

    def to_parquet(self: pd.DataFrame, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)


def _unwritable_output(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def mkdtemp(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)


def _fail_on_swap(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def replace(src: object, dst: object) -> None:
        if Path(src).name.startswith(".data.tmp-") and Path(dst).name == "data":   # the new one in
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize(("sabotage", "message"), [
    (lambda mp: mp.setattr(build_mod, "_defaults", lambda p, a, m: (_failing_process, fake_assemble, no_nlp)),
     "the pipeline failed on c.txt: RuntimeError: pipeline crashed"),
    (lambda mp: mp.setattr(build_mod, "_defaults", lambda p, a, m: (fake_process, _failing_assemble, no_nlp)),
     "assembling the dataset failed: KeyError"),
    (_fail_on_third_parquet, "No space left on device"),
    (_unwritable_output, "Permission denied"),
    (_fail_on_swap, "Permission denied"),
])
def test_failed_build_leaves_previous_dataset_intact(cli_fake, write_corpus, tmp_path, capsys, monkeypatch,
                                                     sabotage, message) -> None:
    corpus, out = write_corpus({"a.txt": GOOD}), tmp_path / "data"
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 0
    before = snapshot(out)
    (corpus / "c.txt").write_text(OTHER, encoding="utf-8")
    (corpus / "a.txt").write_text(GOOD + "\nA new closing paragraph.\n", encoding="utf-8")
    sabotage(monkeypatch)
    capsys.readouterr()
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"error: build failed, {out} is unchanged: ") and message in err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "data"]   # no temporary folders left


def test_every_file_skipped_is_a_failed_build(write_corpus, tmp_path) -> None:
    with pytest.raises(BuildError, match="every file"):
        build_dataset(write_corpus({"a.txt": b"", "b.txt": b"\x00\x00"}), tmp_path / "data", **FAKE)
    assert not (tmp_path / "data").exists()


# -- with the real pipeline ------------------------------------------------------------------------

UNCLOSED = ('Analysts in Seoul were cautious. "This deployment changes the balance of the war, '
            'said one researcher at a university in Seoul on Monday.\n\n'
            'Another paragraph follows, and it is calm. The ministry said it would respond.\n')


def test_unclosed_quotation_mark_builds(write_corpus, tmp_path) -> None:
    report = build_dataset(write_corpus({"a.txt": UNCLOSED, "b.txt": GOOD}), tmp_path / "data", workers=1)
    assert (report.articles, report.exit_code) == (2, 0)
    sentences = load_dataset(tmp_path / "data")[schema.SENTENCES]
    assert sentences[schema.TEXT].str.contains("The ministry said it would respond").any()


def big_article(size: int) -> str:
    """A long article made of varied, quote-bearing paragraphs, about ``size`` characters."""
    paragraph = ('On Monday, {n} officials from the ministry met in Seoul. "We expect a strong response '
                 'from our partners," said Minister Kim Lee-{n}, adding that the talks were useful. '
                 'According to the report, {n} soldiers arrived in October 2024.\n\n')
    out, n, length = [], 0, 0
    while length < size:
        out.append(paragraph.format(n=n))
        length += len(out[-1])
        n += 1
    return "".join(out)


def test_five_megabyte_article_builds(write_corpus, tmp_path) -> None:
    corpus = write_corpus({"big.txt": big_article(5 * 2**20), "small.txt": GOOD})
    report = build_dataset(corpus, tmp_path / "data", workers=1, **FAKE)
    assert (report.articles, report.exit_code) == (2, 0)
    assert build_dataset(corpus, tmp_path / "data", workers=1, **FAKE).cached == 2


def scraped_with_inline_image(size: int) -> str:
    """A short article followed by a base64 image pasted inline, as scrapers leave them."""
    blob = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAA" * (size // 24)
    return UNCLOSED + GOOD + blob + "\n\nThe talks ended on Tuesday.\n"


def test_scraped_article_beyond_spacys_max_length_builds_with_the_real_pipeline(write_corpus, tmp_path) -> None:
    text = scraped_with_inline_image(3 * 2**19)         # 1.5 MB: over spaCy's default max_length
    assert len(text) > 1_000_000
    report = build_dataset(write_corpus({"big.txt": text}), tmp_path / "data", workers=1)
    assert report.articles == 1
    sentences = load_dataset(tmp_path / "data")[schema.SENTENCES]
    assert sentences[schema.TEXT].str.contains("The talks ended on Tuesday").any()


def test_a_readme_in_the_corpus_folder_is_ignored_without_failing_the_build(write_corpus, tmp_path) -> None:
    report = build_dataset(write_corpus({"a.txt": GOOD, "README.md": "# These articles\n\nNotes by Jane Roe."}),
                           tmp_path / "data", **FAKE)
    assert (report.articles, report.skipped, report.exit_code) == (1, [], 0)
    assert [str(p) for p in report.problems] == ["ignored: README.md: the folder's documentation, not an article"]
