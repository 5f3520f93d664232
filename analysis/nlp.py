"""Build the Expert Lens spaCy pipeline: ``spacy.blank("en")`` plus our components."""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

import analysis.components  # noqa: F401  (registers the components)
from analysis.extensions import register_extensions

COMPONENTS: tuple[str, ...] = (
    "expert_lens_sentences",
    "expert_lens_actors",
    "expert_lens_dates",
    "expert_lens_people",
    "expert_lens_claims",
    "expert_lens_relations",
    "expert_lens_stances",
)
BASE_SETTING = "EXPERT_LENS_SPACY_MODEL"
# The rule-based pipeline is linear in the text, so long articles are fine (a 5 MB
# article is about 1M tokens); spaCy's default limit guards memory-hungry parsers.
MAX_LENGTH = 20_000_000


def build_nlp(*, base: str | None = None, components: tuple[str, ...] = COMPONENTS) -> Language:
    """Return the pipeline; ``base`` (or $EXPERT_LENS_SPACY_MODEL) names an optional trained model."""
    register_extensions()
    base = base or os.environ.get(BASE_SETTING) or None
    nlp = spacy.load(base, exclude=["parser", "senter"]) if base else spacy.blank("en")
    nlp.max_length = max(nlp.max_length, MAX_LENGTH)
    for name in components:
        if name in nlp.pipe_names:
            continue
        nlp.add_pipe(name)
    return nlp
