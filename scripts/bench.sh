#!/usr/bin/env bash
# The main job: set up (system packages, venv, build) and print the throughput
# table of `python -m pyczmq.perf`.  Extra arguments go to pyczmq.perf.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"
exec "$VENV_PYTHON" -m pyczmq.perf "$@"
