"""Registered spaCy components of the Expert Lens pipeline (imported for registration)."""

from analysis.components import sentences  # noqa: F401
