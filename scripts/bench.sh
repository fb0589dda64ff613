#!/usr/bin/env bash
# The main job: set up (system packages, venv, build, and pyzmq, Cython and
# matplotlib for the side-by-side columns) and print the throughput table of
# `python -m pyczmq.perf`.  Extra arguments go to pyczmq.perf, e.g. --quick,
# --json FILE, --plot FILE.png.
set -euo pipefail
PYCZMQ_EXTRAS=test,bench
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"
exec "$VENV_PYTHON" -m pyczmq.perf "$@"
