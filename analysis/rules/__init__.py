"""Rule files (data) the pipeline components read: actors, cues, codebook, ..."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent
# libyaml's loader when the platform has it: several times faster on the actor dictionary
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str) -> Any:
    """Load a YAML rule file shipped in ``analysis/rules/`` (cached)."""
    with open(RULES_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=YAML_LOADER)  # a safe loader (C or pure Python)
