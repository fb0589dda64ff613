"""No leaks: repeating each kind of operation many times does not grow the
process.  A leak of a zframe, a zmsg or a socket per iteration (tens to
hundreds of bytes of C memory, invisible to tracemalloc) shows up in the
resident set size.  Allocators (Python's, glibc's per-thread arenas under
libzmq's threads) grow for a while before they plateau, and libzmq frees
closed sockets in its own time, so the test warms up first and then measures
three batches: a leak grows every batch, noise only some.  Each workload runs
in its own interpreter.  (A deliberate leak of one zframe per iteration grows
each batch by about 25 MB.)"""

import os

import pytest

from conftest import assert_clean_run, run_python

PROLOGUE = """
import sys
sys.path.insert(0, %r)
import footprint, pyczmq
from pyczmq import Frame, Message

def rss():
    return footprint.settled()[0]   # once libzmq's reaper has freed closed sockets
""" % os.path.dirname(os.path.abspath(__file__)) + """

ctx = pyczmq.Context()
a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
a.bind("inproc://leaks")
b.connect("inproc://leaks")

def run(times):
    for _ in range(times):
        step()

"""

WORKLOADS = {
    "bytes send/recv": "def step():\n    a.send(b'x' * 100); b.recv_bytes()",
    "multipart": "def step():\n    a.send_multipart([b'x' * 100, b'y']); b.recv_multipart()",
    "frames": "def step():\n    a.send_frame(Frame(b'x' * 100)); b.recv_frame()",
    "reused frame": "f = Frame(b'x' * 100)\ndef step():\n    a.send_frame(f, Frame.REUSE); b.recv_frame()",
    "messages": "def step():\n    a.send_msg(Message(b'x' * 100, b'y')); b.recv_msg().tolist()",
    "borrowed frames and views": (
        "def step():\n    m = Message(b'x' * 100, b'y')\n    v = memoryview(m.first())\n"
        "    a.send_msg(m); b.recv_msg(); v.release()"),
    "frames never sent": "def step():\n    Frame(b'x' * 100); Message(b'x', Frame(b'y')).pop()",
    "popstr and unwrap": (
        "def step():\n    m = Message(b'addr', b'', b'body' * 25)\n    m.unwrap(); m.popstr()"),
    "sockets": "def step():\n    ctx.socket('PUSH').close()",
    "garbage-collected sockets": "def step():\n    ctx.socket('DEALER')",
    "contexts": "def step():\n    c = pyczmq.Context(); c.socket('PAIR'); c.destroy()",
    "option reads": "def step():\n    a.last_endpoint; a.identity; a.rcvhwm",
    "errors": (
        "def step():\n    try:\n        b.recv_bytes(pyczmq.zmq.DONTWAIT)\n"
        "    except pyczmq.Again:\n        pass"),
}


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_no_growth(name):
    result = run_python(PROLOGUE + WORKLOADS[name] + """
run(100000)                                 # warm up: caches, free lists, arenas
growth = []
for batch in range(3):
    before = rss()
    run(50000)
    growth.append(rss() - before)
print(growth)
assert min(growth) < 500_000, "grew by %s bytes in batches of 50000 iterations" % growth
""", timeout=300)
    assert_clean_run(result)
