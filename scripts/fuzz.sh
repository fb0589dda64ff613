#!/usr/bin/env bash
# The search for crashes, hangs and lost messages, at scale:
#
# 1. fuzz/stateful.py: a Hypothesis state machine calls the public API as a
#    user would (contexts, every socket type on inproc/ipc/tcp, sends and
#    receives in every spelling, frames, messages, zmq.Msg, loops, pollers,
#    monitors, proxies, certificates, the collector), each example in a child
#    interpreter, checking every message against its model.
# 2. fuzz/parsers.py: every parser of outside bytes (Message.load, certificate
#    files and folders, Auth's files, Z85, monitor events), coverage-guided by
#    atheris, checked against CZMQ's own C code.
#
#   bash scripts/fuzz.sh                    # 100,000 steps, 100,000 inputs per parser
#   FUZZ_STEPS=5000 FUZZ_RUNS=1000 bash scripts/fuzz.sh
#
# Findings (standalone reproducers) go to $FUZZ_OUT (default: a new folder in
# /tmp); the exit status is 1 if anything was found.  At the default sizes
# about 20 minutes for the state machine (80-120 steps/s) and 7 for the
# parsers on a 2-core machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"

OUT=${FUZZ_OUT:-$(mktemp -d /tmp/pyczmq-fuzz.XXXXXX)}
SEED=${FUZZ_SEED:-$(( ((RANDOM << 15) | RANDOM) + 1 ))}
echo "pyczmq: findings go to $OUT"
status=0
"$VENV_PYTHON" fuzz/stateful.py --steps "${FUZZ_STEPS:-100000}" --seed "$SEED" \
    --out "$OUT/stateful" || status=1
"$VENV_PYTHON" fuzz/parsers.py --runs "${FUZZ_RUNS:-100000}" --seed "$SEED" \
    --out "$OUT/parsers" || status=1
exit $status
