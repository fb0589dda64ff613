"""No leaks: repeating each kind of operation many times leaves nothing behind.

Two measures, each workload in its own interpreter:

- pyczmq's debug counters (pyczmq.live_objects(): sockets, contexts, frames,
  messages, certs, monitors, ...) must be back at their start values after
  the loop, exactly: a socket not closed, a Frame or Message kept alive by a
  missing decref or a stray reference is caught after any number of
  iterations, with no noise.
- The resident set size, for the memory the counters can not see: the C data
  that moves between owners (a zframe's or zmsg's bytes handed to libzmq on
  send, taken from it on receive, the pool of empty zframes), strings CZMQ
  mallocs for the caller (option reads), error paths.  A leak of tens to
  hundreds of bytes per iteration (invisible to tracemalloc) shows up there.
  Allocators (Python's, glibc's per-thread arenas under libzmq's threads)
  grow for a while before they plateau, and libzmq frees closed sockets in
  its own time, so the check warms up first and then measures three
  batches: a leak grows every batch, noise only some.  (A deliberate leak of
  one zframe per iteration grows each batch by about 25 MB.)

The RSS check is kept only for the workloads that move data or C strings.
Those that make and close sockets, contexts, monitors, loops, pollers or
certificates allocate per iteration only the objects the counters count
(and CZMQ's registration of a socket, made and dropped by the same two
calls that change the counter), so for them the counters alone decide, in
far fewer iterations.
"""

import os

import pytest

from conftest import assert_clean_run, run_python

PROLOGUE = """
import gc, sys
sys.path.insert(0, %r)
import footprint, pyczmq
from pyczmq import Frame, Message, zmq

def rss():
    return footprint.settled()[0]   # once libzmq's reaper has freed closed sockets

def live():
    gc.collect()                    # borrowed frames and their message form cycles
    return pyczmq.live_objects()
""" % os.path.dirname(os.path.abspath(__file__)) + """

ctx = pyczmq.Context()
a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
a.bind("inproc://leaks")
b.connect("inproc://leaks")

def run(times):
    for _ in range(times):
        step()

"""

# Moving data and C strings: the counters, and the resident set size.
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
    "raw messages": (
        "def step():\n    m = zmq.msg_init_size(None, 100)\n    zmq.msg_send(m, a)\n"
        "    zmq.msg_recv(zmq.msg_init(), b)"),
    "option reads": "def step():\n    a.last_endpoint; a.identity; a.rcvhwm",
    "zero-copy sends": (
        "def step():\n    t = a.send(bytearray(70000), copy=False, track=True)\n"
        "    b.recv_frame(); a.send_multipart([b'x' * 70000, b'y'], copy=False)\n"
        "    b.recv_multipart(); Frame(b'z' * 70000, copy=False); t.wait()"),
    "errors": (
        "def step():\n    try:\n        b.recv_bytes(pyczmq.zmq.DONTWAIT)\n"
        "    except pyczmq.Again:\n        pass"),
}

# Making and destroying counted objects: the counters alone, (iterations, code).
COUNTED_WORKLOADS = {
    "sockets": (20000, "def step():\n    ctx.socket('PUSH').close()"),
    "garbage-collected sockets": (
        20000, "import warnings\nwarnings.simplefilter('ignore', ResourceWarning)\n"
               "def step():\n    ctx.socket('DEALER')"),
    "contexts": (20000, "def step():\n    c = pyczmq.Context(); c.socket('PAIR'); c.destroy()"),
    "own contexts": (300, "def step():\n    c = zmq.ctx_new(); c.socket('PAIR'); c.destroy()"),
    "monitors": (
        300, "def step():\n    s = ctx.socket('PAIR')\n"
             "    zmq.socket_monitor(s, 'inproc://leaks-monitor'); zmq.socket_monitor(s, None)\n"
             "    s.close()"),
    "loops and pollers": (
        20000, "def step():\n    pyczmq.Loop().destroy(); pyczmq.Poller(a).destroy(); pyczmq.Loop()"),
    "certs and stores": (
        2000, "def step():\n    s = pyczmq.CertStore(); s.insert(pyczmq.Cert())\n"
              "    pyczmq.Cert().dup(); s.destroy()"),
}


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_no_growth(name):
    result = run_python(PROLOGUE + WORKLOADS[name] + """
start = live()
run(100000)                                 # warm up: caches, free lists, arenas
growth = []
for batch in range(3):
    before = rss()
    run(50000)
    growth.append(rss() - before)
print(growth)
assert live() == start, "live objects %s, at the start %s" % (live(), start)
assert min(growth) < 500_000, "grew by %s bytes in batches of 50000 iterations" % growth
""", timeout=300)
    assert_clean_run(result)


@pytest.mark.parametrize("name", sorted(COUNTED_WORKLOADS))
def test_counted_objects_all_go(name):
    times, workload = COUNTED_WORKLOADS[name]
    result = run_python(PROLOGUE + workload + """
start = live()
run(%d)
for _ in range(500):                        # monitor forwarders end in their own threads
    if live() == start:
        break
    import time; time.sleep(0.01)
assert live() == start, "live objects %%s, at the start %%s" %% (live(), start)
""" % times, timeout=300)
    assert_clean_run(result)


def test_the_counters_see_a_leak():
    # The same check on a workload that keeps what it makes fails.
    result = run_python(PROLOGUE + """
kept = []
def step():
    kept.append((Frame(b'x'), ctx.socket('PUSH')))
start = live()
run(10)
after = live()
print(after["frames"] - start["frames"], after["sockets"] - start["sockets"])
for _, sock in kept:
    sock.close()
""")
    assert_clean_run(result)
    assert result.stdout.split() == ["10", "10"]
