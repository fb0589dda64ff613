# Written by setup.py at build time: where the build found CZMQ and libzmq.
INCLUDE_DIRS: list[str]
LIBRARY_DIRS: list[str]
