"""Shared fixtures: contexts that are always destroyed, connected socket pairs,
unique endpoints, and a runner for code that must run in its own process
(crash probes, signals, exit behaviour, fork)."""

import errno
import itertools
import os
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
import signal

# A shell that starts pytest as a background job (`cmd &` without job control)
# ignores SIGINT for it, and an ignored signal stays ignored across exec: the
# Ctrl-C tests' children would never see KeyboardInterrupt.  Python's own
# handler is reset to the default in a child, so Ctrl-C works there again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

import pyczmq

_counter = itertools.count()


class TestContext(pyczmq.Context):
    """A Context that keeps the sockets made through ctx.socket() until the
    test ends, when destroy() closes them (as pyzmq's test cases do): a
    socket a test leaves open is closed, not collected while open (which
    raises a ResourceWarning, an error under -W error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = []

    def socket(self, kind):
        sock = super().socket(kind)
        self.kept.append(sock)
        return sock


_kept = []


def kept(sock):
    """`sock`, closed when the test ends (for sockets made by Socket(ctx, kind),
    zsocket.new, zmq.socket, which the ctx fixture does not see): a socket
    left to the collector while open raises a ResourceWarning (an error
    under -W error)."""
    _kept.append(sock)
    return sock


@pytest.fixture(autouse=True)
def _close_kept_sockets():
    yield
    while _kept:
        _kept.pop().close()


@pytest.fixture
def ctx():
    context = TestContext()
    yield context
    context.destroy()
    context.kept.clear()


@pytest.fixture
def inproc():
    """A fresh inproc:// endpoint."""
    return "inproc://test-%d-%d" % (os.getpid(), next(_counter))


@pytest.fixture
def ipc_endpoint():
    """A fresh ipc:// endpoint in a temporary folder."""
    folder = tempfile.mkdtemp(prefix="pyczmq-")
    yield "ipc://%s/socket" % folder
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))
    os.rmdir(folder)


@pytest.fixture
def pair(ctx, inproc):
    """Two connected PAIR sockets over inproc: (a, b)."""
    a = ctx.socket("PAIR")
    b = ctx.socket("PAIR")
    a.bind(inproc)
    b.connect(inproc)
    return a, b


@pytest.fixture
def push_pull(ctx, inproc):
    """A PUSH socket connected to a PULL socket over inproc: (push, pull)."""
    pull = ctx.socket("PULL")
    push = ctx.socket("PUSH")
    pull.bind(inproc)
    push.connect(inproc)
    return push, pull


def wait_until(condition, timeout=10, what=None):
    """Call `condition()` every millisecond until it returns a true value,
    which is returned; fail the test (naming `what`) after `timeout` s.  For
    waiting on another thread's state instead of sleeping and hoping."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail("waited %s s in vain for %s" % (timeout, what or condition))
        time.sleep(0.001)


def is_busy(sock):
    """True while another thread's blocking call holds `sock` (pyczmq then
    refuses every other use of it with EBUSY)."""
    try:
        sock.rcvhwm
    except pyczmq.ZMQError as error:
        if error.errno == errno.EBUSY:
            return True
        raise
    return False


def run_python(code, timeout=60, env=None, **kwargs):
    """Run `code` in a fresh interpreter; returns the CompletedProcess.

    A crash (abort, segfault) shows as a negative returncode, so a test that
    checks ``returncode == 0`` fails instead of killing the test run."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    environment.update(env or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout, env=environment, **kwargs)


def clean_stdout(code, **kwargs):
    """run_python(code, **kwargs), which must exit 0 with nothing on stderr:
    its stdout."""
    result = run_python(code, **kwargs)
    assert_clean_run(result)
    return result.stdout


def signal_child(code, signum, *argv, ready="ready", settle=0.0, timeout=30):
    """Start `code` (dedented; `argv` after it) in a fresh interpreter, wait
    for its first line `ready`, let it settle into its call for `settle`
    seconds, send it `signum` and wait for its end, killing it if that takes
    over `timeout` s.  Returns (returncode, stdout after the ready line, stderr)."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *argv],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=environment)
    try:
        assert child.stdout.readline() == ready + "\n"
        time.sleep(settle)
        child.send_signal(signum)
        out, err = child.communicate(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return child.returncode, out, err


PROBE_LOOP = """
probes = %r
for expected, code in probes:
    try:
        exec(code)
    except Exception as error:
        named = eval(expected) if expected is not None else ()
        if type(error) not in (named if isinstance(named, tuple) else (named,)):
            print("FAIL %%s: raised %%s: %%s" %% (code, type(error).__name__, error))
    else:
        if expected is not None:
            print("FAIL %%s: did not raise %%s" %% (code, expected))
"""


def run_probes(setup, probes, teardown=""):
    """Run `setup`, then each probe, then `teardown` in a fresh interpreter.

    A probe is (exception name or None, code): code that raises anything
    else, or does not raise the exception, prints a FAIL line; the child
    prints "survived" at its end.  The class raised must be the one named, not
    a subclass: ClosedError (use after close) is both a ValueError and a
    ZMQError, and must not pass for either.  Returns the CompletedProcess."""
    return run_python(setup + PROBE_LOOP % (probes,) + teardown + "print('survived')\n")


def assert_clean_run(result):
    """The subprocess exited 0 and printed nothing on stderr."""
    assert result.returncode == 0, "exit %d\nstdout:\n%s\nstderr:\n%s" % (
        result.returncode, result.stdout, result.stderr)
    assert result.stderr == "", result.stderr


@pytest.fixture
def lab(request):
    """An empty Lab of network namespaces (tests/netns.py), removed after the test."""
    import netns
    laboratory = netns.make_lab(request.node.name[:8].strip("_") or "lab")
    yield laboratory
    laboratory.close()


@pytest.fixture(scope="module")
def three_hosts(request):
    """Three hosts on one network (10.77.1.1-3), for the whole module."""
    import netns
    laboratory = netns.make_lab("three")
    try:
        network = laboratory.network()
        hosts = [laboratory.host(network) for _ in range(3)]
    except BaseException:
        laboratory.close()
        raise
    yield hosts
    laboratory.close()
