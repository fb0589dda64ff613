#!/usr/bin/env bash
# Prepare this machine for pyczmq and build it: the system packages it needs
# (installed with apt-get when missing and run as root, otherwise a clear
# message), a virtualenv in .venv and an editable build with the test tools.
# Sourced by scripts/test.sh, scripts/bench.sh (and scripts/wheel.sh, for the
# system packages only); sets $VENV_PYTHON.
# $PYCZMQ_EXTRAS names the optional dependencies to install (default: test).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists 'libczmq >= 4.2' 2>/dev/null; then missing+=(libczmq-dev); fi
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    missing+=(python3 python3-venv python3-dev)
else
    "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
    "$PYTHON" -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
        || missing+=(python3-dev)
fi

# valgrind, for tests/test_valgrind.py: installed when we can (root, as in CI);
# elsewhere those tests skip without it, so it is not required.
if ! command -v valgrind >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing+=(valgrind)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "pyczmq: installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "pyczmq: missing system packages: ${missing[*]}" >&2
        echo "pyczmq: install them first, e.g. 'sudo apt-get install ${missing[*]}'" >&2
        exit 1
    fi
fi

# PYCZMQ_SYSTEM_ONLY=1 (scripts/wheel.sh): the system packages only, no .venv.
if [ "${PYCZMQ_SYSTEM_ONLY:-0}" = 1 ]; then
    return 0
fi

VENV="$ROOT/.venv"
if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    "$PYTHON" -m venv --clear "$VENV"       # missing, or made without pip: (re)made
fi
VENV_PYTHON="$VENV/bin/python"
# pyzmq (test and bench extras: an interop peer, pyczmq.perf's comparison) is
# built from source on the system libzmq that pyczmq uses, as pyzmq's wheels
# bundle their own (~25 s once; pip's cache keeps the built wheel).
PIP_NO_BINARY=pyzmq "$VENV_PYTHON" -m pip install -q --disable-pip-version-check \
    -e "$ROOT[${PYCZMQ_EXTRAS:-test}]"
if [ -r /proc/self/maps ] && "$VENV_PYTHON" -c 'import zmq' 2>/dev/null \
    && ! "$VENV_PYTHON" -c 'import sys, zmq
sys.exit(any("libzmq" in line and "-packages/" in line for line in open("/proc/self/maps")))'
then                                            # a wheel installed before
    echo "pyczmq: rebuilding pyzmq from source on the system libzmq"
    "$VENV_PYTHON" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
        --no-binary pyzmq pyzmq
fi
export VENV_PYTHON
