"""Texts for the tests that hold the pipeline's speed shortcuts to the plain code (test_*_paths.py)."""

from __future__ import annotations

import random

MIXED_TEXT = ("Russia's war: Moscow said on Monday that North Korea sent troops. “It is done,” he added.\n\n"
              "X.said so; the analyst noted—as Mr. Cha points out—that Seoul (said-so) essays 2024-05 ٣٤ "
              "sayings. U.S.-said, according to him. Foreign Minister Dr. Ana Lee, 12th May 1999 and May2024.")
"""Speech verbs inside other words, abbreviations, dashes, non-ASCII digits, glued dates."""


def random_words(rng: random.Random, parts: list[str], n: int) -> list[str]:
    """``n`` words of 0 to 14 random ``parts`` each: the odd strings the shortcuts must also get right."""
    return ["".join(rng.choice(parts) for _ in range(rng.randint(0, 14))) for _ in range(n)]
