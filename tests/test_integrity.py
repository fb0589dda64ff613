"""Data integrity: every byte and every message arrives, in order."""

import contextlib
import hashlib
import os
import subprocess
import sys
import threading

import pytest

from pyczmq import Frame, Message

MESSAGES = 1_000_000


def _endpoint(transport, ipc_endpoint, inproc):
    return {"inproc": inproc, "ipc": ipc_endpoint, "tcp": "tcp://127.0.0.1:*"}[transport]


def _connected(ctx, transport, ipc_endpoint, inproc):
    pull = ctx.socket("PULL")
    pull.rcvtimeo = 10_000                  # a lost message fails, not hangs
    port = pull.bind(_endpoint(transport, ipc_endpoint, inproc))
    push = ctx.socket("PUSH")
    push.connect("tcp://127.0.0.1:%d" % port if transport == "tcp" else
                 _endpoint(transport, ipc_endpoint, inproc))
    return push, pull


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
def test_a_million_sequence_numbered_messages_arrive_in_order(ctx, transport, ipc_endpoint, inproc):
    push, pull = _connected(ctx, transport, ipc_endpoint, inproc)

    def send_all():
        send = push.send
        for number in range(MESSAGES):
            send(number.to_bytes(8, "little"))

    sender = threading.Thread(target=send_all)
    sender.start()
    recv = pull.recv_bytes
    from_bytes = int.from_bytes
    wrong = [number for number in range(MESSAGES) if from_bytes(recv(), "little") != number]
    sender.join()
    assert wrong == []
    assert pull.recv_nowait() is None


# The same across two processes over tcp: a pyczmq sender in a child, or a
# pyczmq receiver in a child that reports what it got.
CHILD = """
import sys
import pyczmq
role, endpoint, messages = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = pyczmq.Context()
if role == "sender":
    push = ctx.socket("PUSH")
    push.linger = 10_000
    push.connect(endpoint)
    send = push.send
    for number in range(messages):
        send(number.to_bytes(8, "little"))
else:
    pull = ctx.socket("PULL")
    pull.rcvtimeo = 10_000
    print(pull.bind("tcp://127.0.0.1:*"), flush=True)
    recv, from_bytes = pull.recv_bytes, int.from_bytes
    wrong = sum(from_bytes(recv(), "little") != number for number in range(messages))
    pull.rcvtimeo = 100
    print(wrong, pull.recv_nowait(), flush=True)
ctx.destroy()
"""


@contextlib.contextmanager
def _child(*argv):
    child = subprocess.Popen([sys.executable, "-c", CHILD, *map(str, argv)], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()


def test_a_million_sequence_numbered_messages_from_another_process_arrive_in_order(ctx):
    pull = ctx.socket("PULL")
    pull.rcvtimeo = 10_000
    port = pull.bind("tcp://127.0.0.1:*")
    with _child("sender", "tcp://127.0.0.1:%d" % port, MESSAGES) as sender:
        recv = pull.recv_bytes
        from_bytes = int.from_bytes
        wrong = [number for number in range(MESSAGES) if from_bytes(recv(), "little") != number]
        assert sender.wait(30) == 0 and sender.stderr.read() == ""
    assert wrong == []
    assert pull.recv_nowait() is None


def test_a_million_sequence_numbered_messages_to_another_process_arrive_in_order(ctx):
    with _child("receiver", None, MESSAGES) as receiver:
        push = ctx.socket("PUSH")
        push.connect("tcp://127.0.0.1:%d" % int(receiver.stdout.readline()))
        send = push.send
        for number in range(MESSAGES):
            send(number.to_bytes(8, "little"))
        out, err = receiver.communicate(timeout=60)
        assert receiver.returncode == 0 and err == "", err
    assert out == "0 None\n"               # none wrong, none more


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
def test_binary_and_empty_frames_arrive_exactly(ctx, transport, ipc_endpoint, inproc):
    push, pull = _connected(ctx, transport, ipc_endpoint, inproc)
    parts = [b"", b"\0", b"\0\0\0", bytes(range(256)) * 4, b"", os.urandom(100_000), b"\0end\0"]
    push.send_multipart(parts)
    assert pull.recv_multipart() == parts
    push.send_msg(Message(*parts))
    assert pull.recv_msg().tolist() == parts
    for part in parts:
        push.send_frame(Frame(part), Frame.MORE)
    push.send(b"")
    received = []
    while True:
        frame = pull.recv_frame()
        received.append(frame.bytes())
        if not frame.more():
            break
    assert received == parts + [b""]


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
def test_a_64_mib_frame_arrives_exactly(ctx, transport, ipc_endpoint, inproc):
    push, pull = _connected(ctx, transport, ipc_endpoint, inproc)
    payload = os.urandom(1 << 20) * 64
    digest = hashlib.sha256(payload).digest()
    push.send(payload)
    assert hashlib.sha256(pull.recv_bytes()).digest() == digest
    push.send_frame(Frame(payload))
    frame = pull.recv_frame()
    assert len(frame) == len(payload)
    assert hashlib.sha256(memoryview(frame)).digest() == digest
