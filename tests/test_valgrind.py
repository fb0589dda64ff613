"""pyczmq under valgrind memcheck: the slice of scripts/valgrind.sh that the
suite runs.  Each program runs under scripts/valgrind/memcheck.py (the same
flags, suppressions and verdict as the script), which fails on any memory
error or definite leak that is not CPython's, glibc's or libzmq's own.

valgrind is installed by scripts/setup-env.sh when it runs as root; without
it these tests skip, except under CI (CI=true), where they fail."""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
MEMCHECK = os.path.join(os.path.dirname(HERE), "scripts", "valgrind", "memcheck.py")


@pytest.fixture(autouse=True)
def valgrind():
    if shutil.which("valgrind") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("valgrind is missing: scripts/setup-env.sh installs it when run as "
                        "root (CI must run these tests)", pytrace=False)
        pytest.skip("valgrind is not installed (apt-get install valgrind)")


def memcheck(logs, argv, prefix=(), env=None, timeout=600):
    """Run `python argv...` under memcheck.py; the CompletedProcess (text)."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    environment.update(env or {})
    return subprocess.run([*prefix, sys.executable, MEMCHECK, "--logs", str(logs), "--",
                           sys.executable, *argv], capture_output=True, text=True,
                          timeout=timeout, env=environment)


def assert_clean(result, last_line):
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert last_line in result.stdout, output
    assert "OK: no memory error and no definite leak of ours" in result.stdout, output
    assert "definitely lost: 0 bytes in 0 blocks" in result.stdout, output


def test_memcheck_fails_on_errors_and_leaks_of_ours(tmp_path):
    """The verdict is not always OK: an invalid read, a use of uninitialised
    memory (which is not CPython's zero-int report) and a definite leak all
    fail, each listed."""
    result = memcheck(tmp_path, ["-c", textwrap.dedent("""
        import ctypes
        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.free.argtypes = [ctypes.c_void_p]
        freed = libc.malloc(16)
        libc.free(freed)
        ctypes.string_at(freed, 8)                  # invalid read
        raw = ctypes.string_at(libc.malloc(16), 16)
        print(raw == bytes(16))                     # uninitialised
        libc.malloc(1000)                           # lost
        print("done")
        """)])
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "done" in result.stdout, output
    assert "Invalid read of size" in result.stdout, output
    assert "depends on uninitialised value" in result.stdout, output
    assert re.search(r"LEAK:\n +1,0\d\d bytes in \d blocks are definitely lost", result.stdout), output
    assert "FAIL: valgrind found memory errors or definite leaks of ours" in result.stdout


def test_every_type_in_use_has_no_memory_error_or_leak(tmp_path):
    """tests/valgrind_workload.py: every extension type made, used, handed
    over, failed, closed and collected, checking what it gets.  Among them
    the regression of option reads that fail (vmci_*): _get_option built
    the Python int from the C variable before checking that zmq_getsockopt
    had filled it, and valgrind saw uninitialised values."""
    result = memcheck(tmp_path, [os.path.join(HERE, "valgrind_workload.py"), "core"])
    assert_clean(result, "ok garbage")


def test_beacons_have_no_memory_error_or_leak(lab, tmp_path):
    """Two Beacons of one process on a host simulated with a network
    namespace (tests/netns.py): one publishes, the other receives."""
    host = lab.host()
    result = memcheck(tmp_path, [os.path.join(HERE, "valgrind_workload.py"), "beacon"],
                      prefix=["ip", "netns", "exec", host.namespace], env=host.environment())
    assert_clean(result, "ok beacon")
