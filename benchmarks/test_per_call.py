"""Per-call costs of pyczmq next to pyzmq (pytest-benchmark).

    python -m pytest benchmarks --benchmark-columns=min,median,ops

One benchmark per operation (send, recv, ...), parametrized over the ways to
do it: "BINDING-STYLE", e.g. test_send[pyczmq-bytes] next to
test_send[pyzmq-bytes], in one group per operation, so each table compares
pyczmq's paths (bytes, Frame, zframe, zstr, Message, zmsg) with pyzmq's.
Each round times a batch of BATCH calls, so the times shown are per 1,000
calls (1 µs per round = 1 ns per call); whatever a round needs first
(messages to receive, frames to send) is made outside the clock.  The
sockets are PAIR over inproc (send: a PUB without subscribers, so nothing
queues): the bindings' own costs, not a network's.
"""

import pytest

from pyczmq import Frame, Message, zframe, zmsg, zstr

from conftest import PAYLOAD, zmq

BATCH = 1000
TEXT = PAYLOAD.decode()


def ways(*names):
    """Parametrize `way` over "BINDING-STYLE" names; pyzmq's are marked pyzmq
    (skipped without it)."""
    return pytest.mark.parametrize("way", [
        pytest.param(name, marks=[pytest.mark.pyzmq] if name.startswith("pyzmq-") else [])
        for name in names])


def sockets(request, way, kind):
    """The `kind` fixture ("pub" or "pair") of the way's binding."""
    binding = way.split("-")[0]
    return request.getfixturevalue({"pyczmq": "czmq_", "pyzmq": "zmq_"}[binding] + kind)


def _rounds(benchmark, setup, run):
    """Time `run` (BATCH calls) after `setup`, which is not timed."""
    benchmark.pedantic(run, setup=setup, rounds=300, warmup_rounds=20)


def _nothing():
    pass


def _queue(sender, parts=1):
    """A setup that queues BATCH messages of `parts` parts on `sender`."""
    message = [PAYLOAD] * parts

    def setup():
        for _ in range(BATCH):
            sender.send_multipart(message)
    return setup


def _calls(call, *args):
    """A run of BATCH calls of call(*args); each arity its own loop, so no
    way pays for unpacking arguments it does not have."""
    if len(args) == 0:
        def run():
            for _ in range(BATCH):
                call()
    elif len(args) == 1:
        arg, = args

        def run():
            for _ in range(BATCH):
                call(arg)
    else:
        first, second = args

        def run():
            for _ in range(BATCH):
                call(first, second)
    return run


def _made(make):
    """(setup, items): setup fills items with BATCH make(PAYLOAD), outside the clock."""
    items = []

    def setup():
        items[:] = [make(PAYLOAD) for _ in range(BATCH)]
    return setup, items


# -- send (PUB without subscribers: the binding and libzmq's entry, no queue) ----

@pytest.mark.benchmark(group="send")
@ways("pyczmq-bytes", "pyzmq-bytes", "pyczmq-frame", "pyzmq-frame", "pyczmq-zframe",
      "pyczmq-zstr")
def test_send(benchmark, request, way):
    sock = sockets(request, way, "pub")
    if way.endswith("-bytes"):
        setup, run = _nothing, _calls(sock.send, PAYLOAD)
    elif way == "pyczmq-zstr":
        setup, run = _nothing, _calls(zstr.send, sock, TEXT)
    elif way == "pyczmq-frame":
        setup, frames = _made(Frame)
        send = sock.send_frame

        def run():
            for frame in frames:
                send(frame)
    elif way == "pyczmq-zframe":
        setup, frames = _made(zframe.new)
        send = zframe.send

        def run():
            for frame in frames:
                send(frame, sock, 0)
    else:                                   # pyzmq-frame: zero-copy send of a zmq.Frame
        setup, frames = _made(zmq.Frame)
        send = sock.send

        def run():
            for frame in frames:
                send(frame, copy=False)
    _rounds(benchmark, setup, run)


# -- recv (BATCH messages queued before each round) -----------------------------------

@pytest.mark.benchmark(group="recv")
@ways("pyczmq-bytes", "pyzmq-bytes", "pyczmq-frame", "pyzmq-frame", "pyczmq-zframe",
      "pyczmq-zstr")
def test_recv(benchmark, request, way):
    a, b = sockets(request, way, "pair")
    if way == "pyczmq-bytes":
        run = _calls(b.recv_bytes)
    elif way == "pyzmq-bytes":
        run = _calls(b.recv)
    elif way == "pyczmq-frame":
        run = _calls(b.recv_frame)
    elif way == "pyzmq-frame":              # zero-copy receive: a zmq.Frame
        recv = b.recv

        def run():
            for _ in range(BATCH):
                recv(copy=False)
    elif way == "pyczmq-zframe":
        run = _calls(zframe.recv, b)
    else:
        run = _calls(zstr.recv, b)
    _rounds(benchmark, _queue(a), run)


# -- multipart: two parts ------------------------------------------------------------

@pytest.mark.benchmark(group="send_multipart")
@ways("pyczmq-multipart", "pyzmq-multipart", "pyczmq-message")
def test_send_multipart(benchmark, request, way):
    sock = sockets(request, way, "pub")
    if way.endswith("-multipart"):
        setup, run = _nothing, _calls(sock.send_multipart, [PAYLOAD, PAYLOAD])
    else:
        setup, messages = _made(lambda payload: Message(payload, payload))
        send = sock.send_msg

        def run():
            for message in messages:
                send(message)
    _rounds(benchmark, setup, run)


@pytest.mark.benchmark(group="recv_multipart")
@ways("pyczmq-multipart", "pyzmq-multipart", "pyczmq-message", "pyczmq-zmsg")
def test_recv_multipart(benchmark, request, way):
    a, b = sockets(request, way, "pair")
    if way.endswith("-multipart"):
        run = _calls(b.recv_multipart)
    elif way == "pyczmq-message":
        run = _calls(b.recv_msg)
    else:
        run = _calls(zmsg.recv, b)
    _rounds(benchmark, _queue(a, parts=2), run)


# -- objects without sockets ----------------------------------------------------------

@pytest.mark.benchmark(group="frame creation")
@ways("pyczmq-frame", "pyzmq-frame", "pyczmq-zframe")
def test_frame_creation(benchmark, way):
    make = {"pyczmq-frame": Frame, "pyczmq-zframe": zframe.new,
            "pyzmq-frame": zmq and zmq.Frame}[way]
    _rounds(benchmark, _nothing, _calls(make, PAYLOAD))


@pytest.mark.benchmark(group="message append+pop")
@ways("pyczmq-message")
def test_message_append_pop(benchmark, way):
    message = Message()
    append, pop = message.append, message.pop

    def run():
        for _ in range(BATCH):
            append(PAYLOAD)
            pop()
    _rounds(benchmark, _nothing, run)
