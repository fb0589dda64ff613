#!/usr/bin/env bash
# The test command: set up (system packages, venv, build) and run the whole
# test suite with warnings as errors.  Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"
exec "$VENV_PYTHON" -m pytest -W error "$@" tests
