#!/usr/bin/env bash
# Start the Expert Lens dashboard on the committed dataset (data/).
#   bash scripts/start.sh                       # http://localhost:8501
#   bash scripts/start.sh --server.port 8600    # extra arguments go to `streamlit run`
# Installs the runtime requirements first when they are missing. Settings: see README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PIP_ROOT_USER_ACTION=ignore

# Use the active virtualenv, else ./.venv, else the system Python; on a system Python that
# refuses pip installs (Debian's "externally managed" Python) create ./.venv and use that.
if [[ -n "${VIRTUAL_ENV:-}" ]]; then PY=python
elif [[ -x .venv/bin/python ]]; then PY=.venv/bin/python
else PY="$(command -v python3 || command -v python)"
fi
if ! "$PY" -c "import streamlit, spacy, pandas, pyarrow, plotly, pyvis, networkx, yaml" 2>/dev/null; then
  if [[ "$PY" != python && "$PY" != .venv/bin/python ]] && "$PY" -c \
      'import pathlib, sys, sysconfig; sys.exit(not (pathlib.Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").exists())'; then
    echo "start.sh: system Python is externally managed; installing into ./.venv" >&2
    "$PY" -m venv .venv
    PY=.venv/bin/python
  fi
  echo "start.sh: installing runtime requirements (requirements.txt)" >&2
  "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi

DATA="${EXPERT_LENS_DATA:-data}"
if [[ ! -f "$DATA/manifest.json" ]]; then
  echo "start.sh: no dataset in $DATA/ yet; build it with: python -m analysis build --corpus seeds --out data" >&2
fi
exec "$PY" -m streamlit run app.py --browser.gatherUsageStats false "$@"
