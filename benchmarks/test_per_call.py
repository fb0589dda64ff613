"""Per-call costs of pyczmq next to pyzmq (pytest-benchmark).

    python -m pytest benchmarks --benchmark-group-by=group --benchmark-columns=min,median,ops

Each round times a batch of BATCH calls of one operation, so the times shown
are per 1,000 calls (1 µs per round = 1 ns per call); whatever a round needs
first (messages to receive, frames to send) is made outside the clock.  Each
group holds one operation: pyczmq's object and functional paths (Frame,
zframe, zstr, Message) sit next to the plain bytes path they are compared
with, and pyzmq next to both.
"""

import pytest

from pyczmq import Frame, Message, zframe, zmsg, zstr

from conftest import PAYLOAD, zmq

BATCH = 1000
TEXT = PAYLOAD.decode()
pyzmq = pytest.mark.pyzmq


def _rounds(benchmark, setup, run):
    """Time `run` (BATCH calls) after `setup`, which is not timed."""
    benchmark.pedantic(run, setup=setup, rounds=300, warmup_rounds=20)


def _queue(sender, count=BATCH, parts=1):
    """A setup that queues `count` messages of `parts` parts on `sender`."""
    message = [PAYLOAD] * parts

    def setup():
        for _ in range(count):
            sender.send_multipart(message)
    return setup


def _nothing():
    pass


# -- send (PUB without subscribers: the binding and libzmq's entry, no queue) ----

@pytest.mark.benchmark(group="send")
def test_send_bytes_pyczmq(benchmark, czmq_pub):
    send = czmq_pub.send

    def run():
        for _ in range(BATCH):
            send(PAYLOAD)
    _rounds(benchmark, _nothing, run)


@pytest.mark.benchmark(group="send")
def test_send_frame_pyczmq(benchmark, czmq_pub):
    frames = []
    send = czmq_pub.send_frame

    def setup():
        frames[:] = [Frame(PAYLOAD) for _ in range(BATCH)]

    def run():
        for frame in frames:
            send(frame)
    _rounds(benchmark, setup, run)


@pytest.mark.benchmark(group="send")
def test_send_zframe_pyczmq(benchmark, czmq_pub):
    frames = []
    send = zframe.send

    def setup():
        frames[:] = [zframe.new(PAYLOAD) for _ in range(BATCH)]

    def run():
        for frame in frames:
            send(frame, czmq_pub, 0)
    _rounds(benchmark, setup, run)


@pytest.mark.benchmark(group="send")
def test_send_zstr_pyczmq(benchmark, czmq_pub):
    send = zstr.send

    def run():
        for _ in range(BATCH):
            send(czmq_pub, TEXT)
    _rounds(benchmark, _nothing, run)


@pyzmq
@pytest.mark.benchmark(group="send")
def test_send_bytes_pyzmq(benchmark, zmq_pub):
    send = zmq_pub.send

    def run():
        for _ in range(BATCH):
            send(PAYLOAD)
    _rounds(benchmark, _nothing, run)


# -- recv (BATCH messages queued before each round) -----------------------------------

@pytest.mark.benchmark(group="recv")
def test_recv_bytes_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = b.recv_bytes

    def run():
        for _ in range(BATCH):
            recv()
    _rounds(benchmark, _queue(a), run)


@pytest.mark.benchmark(group="recv")
def test_recv_frame_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = b.recv_frame

    def run():
        for _ in range(BATCH):
            recv()
    _rounds(benchmark, _queue(a), run)


@pytest.mark.benchmark(group="recv")
def test_recv_zframe_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = zframe.recv

    def run():
        for _ in range(BATCH):
            recv(b)
    _rounds(benchmark, _queue(a), run)


@pytest.mark.benchmark(group="recv")
def test_recv_zstr_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = zstr.recv

    def run():
        for _ in range(BATCH):
            recv(b)
    _rounds(benchmark, _queue(a), run)


@pyzmq
@pytest.mark.benchmark(group="recv")
def test_recv_bytes_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair
    recv = b.recv

    def run():
        for _ in range(BATCH):
            recv()
    _rounds(benchmark, _queue(a), run)


# -- multipart: two parts ------------------------------------------------------------

@pytest.mark.benchmark(group="send_multipart")
def test_send_multipart_pyczmq(benchmark, czmq_pub):
    send, message = czmq_pub.send_multipart, [PAYLOAD, PAYLOAD]

    def run():
        for _ in range(BATCH):
            send(message)
    _rounds(benchmark, _nothing, run)


@pytest.mark.benchmark(group="send_multipart")
def test_send_message_pyczmq(benchmark, czmq_pub):
    messages = []
    send = czmq_pub.send_msg

    def setup():
        messages[:] = [Message(PAYLOAD, PAYLOAD) for _ in range(BATCH)]

    def run():
        for message in messages:
            send(message)
    _rounds(benchmark, setup, run)


@pyzmq
@pytest.mark.benchmark(group="send_multipart")
def test_send_multipart_pyzmq(benchmark, zmq_pub):
    send, message = zmq_pub.send_multipart, [PAYLOAD, PAYLOAD]

    def run():
        for _ in range(BATCH):
            send(message)
    _rounds(benchmark, _nothing, run)


@pytest.mark.benchmark(group="recv_multipart")
def test_recv_multipart_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = b.recv_multipart

    def run():
        for _ in range(BATCH):
            recv()
    _rounds(benchmark, _queue(a, parts=2), run)


@pytest.mark.benchmark(group="recv_multipart")
def test_recv_message_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = b.recv_msg

    def run():
        for _ in range(BATCH):
            recv()
    _rounds(benchmark, _queue(a, parts=2), run)


@pytest.mark.benchmark(group="recv_multipart")
def test_recv_zmsg_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    recv = zmsg.recv

    def run():
        for _ in range(BATCH):
            recv(b)
    _rounds(benchmark, _queue(a, parts=2), run)


@pyzmq
@pytest.mark.benchmark(group="recv_multipart")
def test_recv_multipart_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair
    recv = b.recv_multipart

    def run():
        for _ in range(BATCH):
            recv()
    _rounds(benchmark, _queue(a, parts=2), run)


# -- objects without sockets ----------------------------------------------------------

@pytest.mark.benchmark(group="frame creation")
def test_frame_creation_pyczmq(benchmark):
    def run():
        for _ in range(BATCH):
            Frame(PAYLOAD)
    _rounds(benchmark, _nothing, run)


@pytest.mark.benchmark(group="frame creation")
def test_zframe_new_pyczmq(benchmark):
    new = zframe.new

    def run():
        for _ in range(BATCH):
            new(PAYLOAD)
    _rounds(benchmark, _nothing, run)


@pyzmq
@pytest.mark.benchmark(group="frame creation")
def test_frame_creation_pyzmq(benchmark):
    new = zmq.Frame

    def run():
        for _ in range(BATCH):
            new(PAYLOAD)
    _rounds(benchmark, _nothing, run)


@pytest.mark.benchmark(group="message append+pop")
def test_message_append_pop_pyczmq(benchmark):
    message = Message()
    append, pop = message.append, message.pop

    def run():
        for _ in range(BATCH):
            append(PAYLOAD)
            pop()
    _rounds(benchmark, _nothing, run)
