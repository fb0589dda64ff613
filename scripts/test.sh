#!/usr/bin/env bash
# The test command: set up (system packages, venv, build) and run the test
# suite with warnings as errors.  Extra arguments go to pytest; without a
# path among them the whole suite runs (pyproject's testpaths), with one only
# what it names (`bash scripts/test.sh tests/test_loop.py -k timer`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"
exec "$VENV_PYTHON" -m pytest -W error "$@"
