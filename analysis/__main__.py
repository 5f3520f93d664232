"""``python -m analysis``: the Expert Lens command line (build, export, evaluate)."""

import sys

from analysis.cli import main

if __name__ == "__main__":
    sys.exit(main())
