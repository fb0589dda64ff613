"""Per-call costs of pyczmq next to pyzmq (pytest-benchmark).

    python -m pytest benchmarks --benchmark-group-by=group --benchmark-columns=median,ops

Each group measures one operation; pyczmq's object and functional paths
(Frame, zframe, zstr, Message) are grouped with the plain bytes path they are
compared with."""

import pytest

from pyczmq import Frame, Message, zframe, zmsg, zstr

from conftest import PAYLOAD, zmq

pyzmq = pytest.mark.pyzmq


# -- send: a PUB socket without subscribers ------------------------------------

@pytest.mark.benchmark(group="send")
def test_send_pyczmq(benchmark, czmq_pub):
    benchmark(czmq_pub.send, PAYLOAD)


@pyzmq
@pytest.mark.benchmark(group="send")
def test_send_pyzmq(benchmark, zmq_pub):
    benchmark(zmq_pub.send, PAYLOAD)


@pytest.mark.benchmark(group="send_multipart")
def test_send_multipart_pyczmq(benchmark, czmq_pub):
    benchmark(czmq_pub.send_multipart, [PAYLOAD, PAYLOAD])


@pyzmq
@pytest.mark.benchmark(group="send_multipart")
def test_send_multipart_pyzmq(benchmark, zmq_pub):
    benchmark(zmq_pub.send_multipart, [PAYLOAD, PAYLOAD])


# -- recv: one message queued before each round ---------------------------------

def _recv_rounds(benchmark, send, recv):
    benchmark.pedantic(recv, setup=send, rounds=20000, warmup_rounds=100)


@pytest.mark.benchmark(group="recv")
def test_recv_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    _recv_rounds(benchmark, lambda: a.send(PAYLOAD), b.recv_bytes)


@pyzmq
@pytest.mark.benchmark(group="recv")
def test_recv_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair
    _recv_rounds(benchmark, lambda: a.send(PAYLOAD), b.recv)


@pytest.mark.benchmark(group="recv_multipart")
def test_recv_multipart_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    _recv_rounds(benchmark, lambda: a.send_multipart([PAYLOAD, PAYLOAD]), b.recv_multipart)


@pyzmq
@pytest.mark.benchmark(group="recv_multipart")
def test_recv_multipart_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair
    _recv_rounds(benchmark, lambda: a.send_multipart([PAYLOAD, PAYLOAD]), b.recv_multipart)


# -- a send and a receive, the paths compared with the plain bytes path ------------

@pytest.mark.benchmark(group="send+recv")
def test_send_recv_bytes_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    send, recv = a.send, b.recv_bytes

    def round_trip():
        send(PAYLOAD)
        return recv()
    benchmark(round_trip)


@pytest.mark.benchmark(group="send+recv")
def test_send_recv_frame_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair
    send, recv = a.send_frame, b.recv_frame

    def round_trip():
        send(Frame(PAYLOAD))
        return recv()
    benchmark(round_trip)


@pytest.mark.benchmark(group="send+recv")
def test_send_recv_zframe_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair

    def round_trip():
        zframe.send(zframe.new(PAYLOAD), a, 0)
        return zframe.recv(b)
    benchmark(round_trip)


@pytest.mark.benchmark(group="send+recv")
def test_send_recv_zstr_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair

    def round_trip():
        zstr.send(a, "hello, world")
        return zstr.recv(b)
    benchmark(round_trip)


@pyzmq
@pytest.mark.benchmark(group="send+recv")
def test_send_recv_bytes_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair
    send, recv = a.send, b.recv

    def round_trip():
        send(PAYLOAD)
        return recv()
    benchmark(round_trip)


@pyzmq
@pytest.mark.benchmark(group="send+recv")
def test_send_recv_frame_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair

    def round_trip():
        a.send(zmq.Frame(PAYLOAD), copy=False)
        return b.recv(copy=False)
    benchmark(round_trip)


@pyzmq
@pytest.mark.benchmark(group="send+recv")
def test_send_recv_string_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair

    def round_trip():
        a.send_string("hello, world")
        return b.recv_string()
    benchmark(round_trip)


@pytest.mark.benchmark(group="send+recv multipart")
def test_send_recv_multipart_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair

    def round_trip():
        a.send_multipart([PAYLOAD, PAYLOAD])
        return b.recv_multipart()
    benchmark(round_trip)


@pytest.mark.benchmark(group="send+recv multipart")
def test_send_recv_message_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair

    def round_trip():
        a.send_msg(Message(PAYLOAD, PAYLOAD))
        return b.recv_msg()
    benchmark(round_trip)


@pytest.mark.benchmark(group="send+recv multipart")
def test_send_recv_zmsg_pyczmq(benchmark, czmq_pair):
    a, b = czmq_pair

    def round_trip():
        message = zmsg.new()
        zmsg.append(message, PAYLOAD)
        zmsg.append(message, PAYLOAD)
        zmsg.send(message, a)
        return zmsg.recv(b)
    benchmark(round_trip)


@pyzmq
@pytest.mark.benchmark(group="send+recv multipart")
def test_send_recv_multipart_pyzmq(benchmark, zmq_pair):
    a, b = zmq_pair

    def round_trip():
        a.send_multipart([PAYLOAD, PAYLOAD])
        return b.recv_multipart()
    benchmark(round_trip)


# -- objects without sockets ----------------------------------------------------

@pytest.mark.benchmark(group="frame creation")
def test_frame_creation_pyczmq(benchmark):
    benchmark(Frame, PAYLOAD)


@pyzmq
@pytest.mark.benchmark(group="frame creation")
def test_frame_creation_pyzmq(benchmark):
    benchmark(zmq.Frame, PAYLOAD)


@pytest.mark.benchmark(group="message append+pop")
def test_message_append_pop_pyczmq(benchmark):
    message = Message()
    append, pop = message.append, message.pop

    def append_pop():
        append(PAYLOAD)
        return pop()
    benchmark(append_pop)
