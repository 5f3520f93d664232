#!/usr/bin/env bash
# Run the WHOLE Expert Lens test suite on a fresh Debian machine (as root, or a user with sudo):
# installs the test requirements and Debian's chromium when missing, then lint + every test
# (unit, AppTest and the browser tests that drive headless Chromium). Exits non-zero on failure.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/browser -x`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then
    if [[ -t 0 ]]; then sudo "$@"; else sudo -n "$@"; fi
  else
    echo "test.sh: need root or sudo to run: $*" >&2
    return 1
  fi
}

if ! command -v python3 >/dev/null 2>&1 && ! command -v python >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root apt-get install -y -qq python3 python3-venv python3-pip
fi

# Debian packages: the browser for the browser tests.
CHROMIUM="${EXPERT_LENS_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "test.sh: installing Debian's chromium for the browser tests" >&2
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium
fi

# Python: the active virtualenv, else ./.venv, else the system Python (a ./.venv when the
# system Python is Debian's externally managed one).
if [[ -n "${VIRTUAL_ENV:-}" ]]; then PY=python
elif [[ -x .venv/bin/python ]]; then PY=.venv/bin/python
else PY="$(command -v python3 || command -v python)"
fi
if [[ "$PY" != python && "$PY" != .venv/bin/python ]] && "$PY" -c \
    'import pathlib, sys, sysconfig; sys.exit(not (pathlib.Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").exists())'; then
  if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c "import ensurepip" 2>/dev/null; then
    as_root apt-get update -qq
    as_root apt-get install -y -qq python3-venv python3-pip
  fi
  echo "test.sh: system Python is externally managed; using ./.venv" >&2
  "$PY" -m venv .venv
  PY=.venv/bin/python
fi
"$PY" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Lint and tests both run (a lint error does not hide test results); either failing fails the run.
echo "test.sh: ruff check ." >&2
lint=0
"$PY" -m ruff check . || lint=$?
echo "test.sh: pytest (unit, AppTest and browser tests)" >&2
tests=0
"$PY" -m pytest -q "$@" || tests=$?
if [[ $lint -ne 0 || $tests -ne 0 ]]; then
  echo "test.sh: FAILED (ruff exit $lint, pytest exit $tests)" >&2
  exit 1
fi
echo "test.sh: all passed" >&2
