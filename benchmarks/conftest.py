"""Fixtures for the per-call benchmarks: connected socket pairs of pyczmq and,
when it is installed, pyzmq, over inproc (so the numbers are the bindings'
own costs, not a network's)."""

import itertools

import pytest

import pyczmq

try:
    import zmq
except ImportError:                     # pyzmq is optional: its benchmarks are left out
    zmq = None

PAYLOAD = b"x" * 64
_names = itertools.count()


def pytest_configure(config):
    config.addinivalue_line("markers", "pyzmq: a benchmark of pyzmq (skipped without it)")


def pytest_collection_modifyitems(config, items):
    if zmq is None:
        skip = pytest.mark.skip(reason="pyzmq is not installed: pip install pyzmq")
        for item in items:
            if "pyzmq" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def czmq_ctx():
    ctx = pyczmq.Context()
    ctx.set_sndhwm(0)
    ctx.set_rcvhwm(0)
    yield ctx
    ctx.destroy()


@pytest.fixture(scope="module")
def zmq_ctx():
    if zmq is None:
        pytest.skip("pyzmq is not installed")
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture
def czmq_pair(czmq_ctx):
    """(sender, receiver): PAIR sockets over inproc."""
    endpoint = "inproc://bench-%d" % next(_names)
    a, b = czmq_ctx.socket("PAIR"), czmq_ctx.socket("PAIR")
    a.bind(endpoint)
    b.connect(endpoint)
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def zmq_pair(zmq_ctx):
    endpoint = "inproc://bench-%d" % next(_names)
    a, b = zmq_ctx.socket(zmq.PAIR), zmq_ctx.socket(zmq.PAIR)
    for sock in (a, b):
        sock.sndhwm = sock.rcvhwm = 0
    a.bind(endpoint)
    b.connect(endpoint)
    yield a, b
    a.close(linger=0)
    b.close(linger=0)


@pytest.fixture
def czmq_pub(czmq_ctx):
    """A PUB socket with no subscriber: a send costs the binding and libzmq's
    entry, nothing is queued."""
    sock = czmq_ctx.socket("PUB")
    sock.bind("inproc://bench-pub-%d" % next(_names))
    yield sock
    sock.close()


@pytest.fixture
def zmq_pub(zmq_ctx):
    sock = zmq_ctx.socket(zmq.PUB)
    sock.bind("inproc://bench-pub-%d" % next(_names))
    yield sock
    sock.close(linger=0)
