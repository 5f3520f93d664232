"""Generate a synthetic corpus of N articles from the seeds' own sentences.

Each article draws sentences from the seed articles at random (shuffled into
paragraphs under a headline), then varies them consistently within the article:
capitalised name pairs are swapped for generated names (and their surnames alone
with them), states for other states (name, demonym and capital together, from the
actor dictionary), years are shifted and days of the month redrawn. Deterministic
for a given ``--seed``. A ``metadata.csv`` gives a title and date for two thirds
of the articles; the rest leave the date to the pipeline.

    python -m benchmarks.make_corpus --n 1000 --out /tmp/corpus1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ACTORS = ROOT / "analysis" / "rules" / "actors.yaml"

FIRST = ("Anna", "Boris", "Chen", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kira",
         "Lukas", "Maya", "Nikolai", "Olga", "Pavel", "Rosa", "Sung", "Tomas", "Uma", "Viktor",
         "Wen", "Yara", "Zoran", "Amir", "Beatriz", "Daniel", "Emma", "Felix", "Hana")
LAST = ("Petrov", "Lindqvist", "Okafor", "Moreau", "Tanaka", "Novak", "Haddad", "Kowalski",
        "Brennan", "Sato", "Ivanova", "Castillo", "Weber", "Nakamura", "Oyelaran", "Fischer",
        "Horvath", "Karimi", "Lehmann", "Mendes", "Quist", "Rahman", "Silva", "Varga", "Yilmaz",
        "Park", "Jensen", "Dubois", "Rossi", "Eriksen")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
NOT_NAMES = frozenset((*MONTHS, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                       "Sunday", "The", "This", "That", "These", "In", "On", "At", "If", "It", "But",
                       "And", "As", "For", "However", "According", "Interviewer", "Photo", "Copy"))
_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’)]))\s+(?=[“\"A-Z0-9])")
_PAIR = re.compile(r"\b([A-Z][a-z]+(?:-[a-z]+)?) ([A-Z][a-z]+(?:-[a-z]+)?)\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")


def seed_sentences(seeds: Path = SEEDS) -> list[str]:
    """Every sentence of the seed articles (four words or more), in file order."""
    out: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            para = " ".join(para.split())
            out.extend(s for s in _SENT_SPLIT.split(para) if len(s.split()) >= 4)
    return out


def states(path: Path = ACTORS) -> list[tuple[str, str, str]]:
    """(name, demonym, capital) of every state in the actor dictionary that has all three."""
    actors = yaml.safe_load(path.read_text(encoding="utf-8"))["actors"]
    return [(a["name"], a["demonyms"][0], a["capitals"][0]) for a in actors
            if a.get("type") == "state" and a.get("demonyms") and a.get("capitals")]


def _actor_words(table: list[tuple[str, str, str]]) -> frozenset[str]:
    return frozenset(w for row in table for s in row for w in s.split())


def _swap_states(text: str, rng: random.Random, table: list[tuple[str, str, str]]) -> str:
    """Replace up to three states named in ``text`` by other states, consistently."""
    present = [row for row in table if row[0] in text]
    mapping: dict[str, str] = {}
    for row in rng.sample(present, min(3, len(present))):
        other = rng.choice(table)
        for old, new in zip(row, other, strict=True):
            mapping[old] = new
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
                         + r")\b")
    return pattern.sub(lambda m: mapping[m[1]], text)


def _swap_names(text: str, rng: random.Random, skip: frozenset[str]) -> str:
    """Replace capitalised name pairs (and their surnames alone) by generated names."""
    mapping: dict[str, str] = {}
    for first, last in _PAIR.findall(text):
        if first in skip or last in skip or first in NOT_NAMES or last in NOT_NAMES:
            continue
        if f"{first} {last}" not in mapping:
            new_first, new_last = rng.choice(FIRST), rng.choice(LAST)
            mapping[f"{first} {last}"] = f"{new_first} {new_last}"
            mapping.setdefault(last, new_last)
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
                         + r")\b")
    return pattern.sub(lambda m: mapping[m[1]], text)


def _shift_dates(text: str, rng: random.Random, years: int) -> str:
    text = _YEAR.sub(lambda m: str(int(m[1]) + years), text)
    return _DAY.sub(lambda m: f"{m[1]} {rng.randint(1, 28)}", text)


def make_article(i: int, *, seed: int, pool: list[str],
                 table: list[tuple[str, str, str]]) -> tuple[str, str, str]:
    """Return (file name, text, headline) of synthetic article ``i``."""
    rng = random.Random(f"{seed}:{i}")
    picked = rng.sample(pool, min(len(pool), rng.randint(40, 90)))
    paras, at = [], 0
    while at < len(picked):
        n = rng.randint(1, 4)
        paras.append(" ".join(picked[at:at + n]))
        at += n
    short = [s for s in pool if len(s.split()) <= 14] or pool
    headline = rng.choice(short).rstrip(".")
    text = headline + "\n\n" + "\n\n".join(paras) + "\n"
    text = _swap_states(text, rng, table)
    text = _swap_names(text, rng, _actor_words(table))
    text = _shift_dates(text, rng, rng.randint(-2, 2))
    return f"{i:04d}_synthetic.txt", text, text.split("\n", 1)[0]


def write_corpus(out: Path, *, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` synthetic articles and a metadata.csv into ``out``; return the article paths."""
    out.mkdir(parents=True, exist_ok=True)
    pool, table = seed_sentences(), states()
    rng = random.Random(seed)
    paths, rows = [], []
    for i in range(n):
        name, text, headline = make_article(i, seed=seed, pool=pool, table=table)
        (out / name).write_text(text, encoding="utf-8")
        paths.append(out / name)
        if i % 3:
            published = f"{rng.randint(2022, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            rows.append([name, headline, "Synthetic Wire", "", published, ""])
    with open(out / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "title", "outlet", "author", "published", "url"])
        writer.writerows(rows)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: --n N --out DIR [--seed S]."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, n=args.n, seed=args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"wrote {len(paths)} articles ({words:,} words) and metadata.csv to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
