"""Poller (CZMQ's zpoller) and pyczmq 0.1's pyczmq.zpoller."""

import threading
import time

import pytest

import pyczmq
from pyczmq import ClosedError, Poller, ZMQError, zpoller

from conftest import assert_clean_run, is_busy, run_python, wait_until


@pytest.fixture
def pairs(ctx):
    """Three connected PAIR pairs: [(sender, receiver), ...]."""
    result = []
    for number in range(3):
        a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
        a.bind("inproc://poller-%d-%d" % (id(ctx), number))
        b.connect("inproc://poller-%d-%d" % (id(ctx), number))
        result.append((a, b))
    return result


def test_wait_returns_the_socket_object_with_input(pairs):
    receivers = [b for _, b in pairs]
    poller = Poller(*receivers)
    assert poller.sockets == receivers
    pairs[1][0].send(b"to the second")
    ready = poller.wait(1000)
    assert ready is receivers[1]
    assert ready.recv_bytes() == b"to the second"
    assert not poller.expired() and not poller.terminated()


def test_wait_gives_the_first_added_socket_priority(pairs):
    receivers = [b for _, b in pairs]
    poller = Poller(*receivers)
    for a, _ in reversed(pairs):
        a.send(b"x")
    assert poller.wait(1000) is receivers[0]


def test_timeout_expires(pairs):
    poller = Poller(pairs[0][1])
    start = time.monotonic()
    assert poller.wait(50) is None
    assert time.monotonic() - start >= 0.045
    assert poller.expired() and not poller.terminated()
    assert poller.wait(0) is None


def test_add_and_remove(pairs):
    (a0, b0), (a1, b1), _ = pairs
    poller = Poller()
    poller.add(b0)
    poller.add(b0)                              # twice: once
    assert poller.sockets == [b0]
    a1.send(b"unwatched")
    assert poller.wait(20) is None
    poller.add(b1)
    assert poller.wait(1000) is b1
    poller.remove(b1)
    poller.remove(b1)                           # not watched: nothing happens
    assert poller.wait(20) is None and poller.sockets == [b0]


def test_a_closed_socket_leaves_the_poller(pairs):
    (a0, b0), (a1, b1), _ = pairs
    poller = Poller(b0, b1)
    b0.close()
    assert poller.sockets == [b1]
    a1.send(b"still works")
    assert poller.wait(1000) is b1


def test_other_threads_run_and_the_sockets_are_busy_while_it_waits(pairs):
    a, b = pairs[0]
    poller = Poller(b)
    results = []
    waiter = threading.Thread(target=lambda: results.append(poller.wait(5000)))
    waiter.start()
    wait_until(lambda: is_busy(b), what="the waiter to be in zpoller_wait")
    with pytest.raises(ZMQError) as info:
        b.recv_nowait()                         # polled by the other thread
    assert info.value.errno == 16
    with pytest.raises(ZMQError):
        poller.add(pairs[1][1])                 # the poller too is busy
    a.send(b"wake")
    waiter.join(5)
    assert results == [b] and b.recv_bytes() == b"wake"


def test_ctrl_c_interrupts_a_wait():
    result = run_python("""
        import os, signal, threading, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PULL")
        sock.bind("inproc://poller-ctrl-c")
        poller = pyczmq.Poller(sock)
        threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            poller.wait(-1)
        except KeyboardInterrupt:
            print("interrupted")
        sock.recv_nowait()                      # the socket is usable again
        ctx.destroy()
    """)
    assert_clean_run(result)
    assert result.stdout == "interrupted\n"


def test_a_signal_that_does_not_raise_keeps_waiting():
    result = run_python("""
        import signal, time, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PULL")
        sock.bind("inproc://poller-alarm")
        signal.signal(signal.SIGALRM, lambda *args: None)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        start = time.monotonic()
        print(pyczmq.Poller(sock).wait(300), time.monotonic() - start >= 0.25)
        ctx.destroy()
    """)
    assert_clean_run(result)
    assert result.stdout == "None True\n"


def test_set_nonstop_keeps_a_wait_going_when_czmq_is_interrupted():
    # CZMQ's interrupt flag (set by its own SIGINT handler, which pyczmq
    # leaves off: here a Python handler does the same, run at once by
    # raise_signal) ends zpoller_wait unless nonstop: with it the wait goes on
    # until a message comes.
    result = run_python("""
        import ctypes, signal, threading, time, pyczmq
        interrupted = ctypes.c_int.in_dll(ctypes.CDLL("libczmq.so.4"), "zsys_interrupted")
        ctx = pyczmq.Context()
        a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
        a.bind("inproc://nonstop")
        b.connect("inproc://nonstop")
        def like_czmq(*args):
            interrupted.value = 1
        signal.signal(signal.SIGINT, like_czmq)
        poller = pyczmq.Poller(b)
        poller.set_nonstop(True)
        signal.raise_signal(signal.SIGINT)
        threading.Timer(0.1, a.send, (b"later",)).start()
        began = time.monotonic()
        ready = poller.wait(-1)
        print(interrupted.value, ready is b, poller.terminated(), time.monotonic() - began > 0.05,
              b.recv_bytes())
        interrupted.value = 0
        ctx.destroy()
    """, timeout=20)
    assert_clean_run(result)
    assert result.stdout == "1 True False True b'later'\n"


def test_destroy_and_context_manager(pairs):
    with Poller(pairs[0][1]) as poller:
        pass
    with pytest.raises(ClosedError):
        poller.wait(0)
    with pytest.raises(ClosedError):
        poller.add(pairs[0][1])
    assert "destroyed" in repr(poller)


def test_bad_arguments(pairs):
    with pytest.raises(TypeError):
        Poller(object())
    with pytest.raises(TypeError):
        Poller().wait("soon")
    closed = pairs[2][1]
    closed.close()
    with pytest.raises(ClosedError):
        Poller(closed)


def test_the_2013_functions(pairs):
    (a, b), (c, d), _ = pairs
    poller = zpoller.new(b, d)
    assert zpoller.wait(poller, 10) is None and zpoller.expired(poller)
    assert not zpoller.terminated(poller)
    c.send(b"x")
    assert zpoller.wait(poller, 1000) is d
    assert zpoller.remove(poller, d) == 0 and zpoller.add(poller, d) == 0
    zpoller.set_nonstop(poller, True)
    zpoller.destroy(poller)
    with pytest.raises(ClosedError):
        zpoller.wait(poller, 0)
