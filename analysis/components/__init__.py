"""Registered spaCy components of the Expert Lens pipeline (imported for registration)."""

from analysis.components import (
    actors,  # noqa: F401
    claims,  # noqa: F401
    dates,  # noqa: F401
    people,  # noqa: F401
    relations,  # noqa: F401
    sentences,  # noqa: F401
    stances,  # noqa: F401
)
