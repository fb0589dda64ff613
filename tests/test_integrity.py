"""Data integrity: every byte and every message arrives, in order."""

import hashlib
import os
import threading

import pytest

from pyczmq import Frame, Message

MESSAGES = 1_000_000


def _endpoint(transport, ipc_endpoint, inproc):
    return {"inproc": inproc, "ipc": ipc_endpoint, "tcp": "tcp://127.0.0.1:*"}[transport]


def _connected(ctx, transport, ipc_endpoint, inproc):
    pull = ctx.socket("PULL")
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
