#!/usr/bin/env bash
# The soak (tests/soak.py): 1,000,000 messages of mixed sizes (0 B to 1 MiB)
# through bytes, Frame, Message, multipart, zstr and zmq.Msg over inproc, ipc
# and tcp, then 10,000 sockets and 1,000 contexts (own libzmq contexts and
# CZMQ scopes) opened and closed.  Fails when resident memory grew by 1 MiB
# or more after the warm-up, or a file descriptor or thread was left.  Prints
# the figures: RSS at warm-up and at the end, descriptors, messages/s.
# Extra arguments go to tests/soak.py (--messages N --sockets N --contexts N).
# About 20 s on an idle 2-core machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$ROOT"
exec "$VENV_PYTHON" tests/soak.py "$@"
