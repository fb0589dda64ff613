#!/usr/bin/env bash
# Run pyczmq's core tests under valgrind memcheck; fail on any memory error
# or definite leak that is pyczmq's.
#
#   bash scripts/valgrind.sh                               # the core tests (below)
#   bash scripts/valgrind.sh tests/test_frame.py -k view   # any pytest arguments
#
# scripts/valgrind/memcheck.py runs valgrind (PYTHONMALLOC=malloc, the
# suppressions of scripts/valgrind/python.supp, each with the reason it is not
# ours), prints valgrind's summary lines of every process and each error of
# ours, and sets the exit code.  Child interpreters that tests start
# (run_python) run natively: what they test runs here in the suite;
# processes a test forks are traced.  Logs go to $VALGRIND_LOGS (default: a
# new folder in /tmp).  About 10 minutes on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"

if ! command -v valgrind >/dev/null 2>&1; then
    echo "pyczmq: valgrind is missing: apt-get install valgrind" >&2
    exit 2
fi

# One test file per extension type: Frame (test_frame), Message, Socket and
# Context (test_socket), the functional modules over them (test_functional),
# zmq.Msg, Pollitem and own libzmq contexts (test_zmq_raw), socket options,
# Cert and CertStore (test_cert), Loop and Ticket, Poller, and Auth with the
# actor base and its pipe (test_auth).  Beacon is left out: its tests run in
# network namespaces in child interpreters; tests/valgrind_workload.py
# starts and stops a Beacon under valgrind.
CORE=(tests/test_frame.py tests/test_message.py tests/test_socket.py tests/test_functional.py
      tests/test_zmq_raw.py tests/test_options.py tests/test_cert.py tests/test_loop.py
      tests/test_poller.py tests/test_auth.py)
if [ $# -eq 0 ]; then
    set -- "${CORE[@]}"
fi

exec "$VENV_PYTHON" scripts/valgrind/memcheck.py ${VALGRIND_LOGS:+--logs "$VALGRIND_LOGS"} -- \
    "$VENV_PYTHON" -m pytest -W error -q -p no:cacheprovider "$@"
