"""The socket core (issue 11): one I/O gate, one wait, one fast path.

Every wait -- a socket's, zmq.poll's, Poller.wait's, the proxy's, Loop's --
is woken by Context.destroy() from another thread and by Ctrl-C the same
way; an actor's pipe refuses every send path through the one check; and
zero-copy sends hand libzmq the buffer itself."""

import errno
import gc
import signal
import threading
import time

import pytest

import pyczmq
from pyczmq import Frame, Message, zmq, zstr
from conftest import clean_stdout, is_busy, signal_child, wait_until


# -- every wait is woken by Context.destroy() -------------------------------------

def _own_or_shared(kind):
    return pyczmq.zmq.ctx_new() if kind == "own" else pyczmq.Context()


def _destroy_while(wait, ctx, sockets):
    """Run `wait()` in a thread, destroy `ctx` once the sockets are held by it,
    and return what the wait returned or raised."""
    outcome = []

    def run():
        try:
            outcome.append(("returned", wait()))
        except BaseException as error:          # noqa: B036 (reported below)
            outcome.append(("raised", error))

    thread = threading.Thread(target=run)
    thread.start()
    wait_until(lambda: all(is_busy(sock) for sock in sockets), what="the wait to begin")
    ctx.destroy()
    thread.join(10)
    assert not thread.is_alive(), "destroy() did not end the wait"
    return outcome[0]


@pytest.mark.parametrize("kind", ["own", "shared"])
def test_destroy_ends_a_poller_wait(kind):
    ctx = _own_or_shared(kind)
    a, b = ctx.socket("PULL"), ctx.socket("PULL")
    a.bind("inproc://core-poller-a-" + kind)
    b.bind("inproc://core-poller-b-" + kind)
    poller = pyczmq.Poller(a, b)
    how, value = _destroy_while(lambda: poller.wait(-1), ctx, [a, b])
    assert (how, value) == ("returned", None)
    assert poller.terminated() and not poller.expired()
    assert a.closed and b.closed
    assert poller.sockets == []


def test_a_poller_wait_that_times_out_has_expired(ctx):
    sock = ctx.socket("PULL")
    sock.bind("inproc://core-poller-expired")
    poller = pyczmq.Poller(sock)
    assert poller.wait(10) is None
    assert poller.expired() and not poller.terminated()
    push = ctx.socket("PUSH")
    push.connect("inproc://core-poller-expired")
    push.send(b"x")
    assert poller.wait(1000) is sock
    assert not poller.expired() and not poller.terminated()


@pytest.mark.parametrize("kind", ["own", "shared"])
def test_destroy_ends_a_loop(kind):
    ctx = _own_or_shared(kind)
    sock = ctx.socket("PULL")
    sock.bind("inproc://core-loop-" + kind)
    loop = pyczmq.Loop()
    loop.reader(sock, lambda *args: 0)
    how, value = _destroy_while(loop.start, ctx, [sock])
    assert (how, value) == ("returned", 0)
    assert sock.closed
    loop.destroy()


@pytest.mark.parametrize("kind", ["own", "shared"])
def test_destroy_ends_zmq_poll(kind):
    ctx = _own_or_shared(kind)
    sock = ctx.socket("PULL")
    sock.bind("inproc://core-poll-" + kind)
    items = [zmq.pollitem(socket=sock, events=zmq.POLLIN)]
    how, value = _destroy_while(lambda: zmq.poll(items, -1), ctx, [sock])
    assert how == "raised" and isinstance(value, pyczmq.ContextTerminated)
    assert sock.closed


@pytest.mark.parametrize("call", ["recv", "poll", "recv_multipart", "recv_msg", "send"])
def test_destroy_ends_a_socket_wait(call):
    ctx = pyczmq.Context()
    sock = ctx.socket("PUSH" if call == "send" else "PULL")
    if call == "send":
        sock.sndhwm = 1
    sock.bind("inproc://core-socket-" + call)
    if call == "send":
        peer = ctx.socket("PULL")
        peer.rcvhwm = 1
        peer.connect("inproc://core-socket-send")
        for _ in range(10):                 # fill what the pipe holds
            try:
                sock.send(b"x", zmq.DONTWAIT)
            except pyczmq.Again:
                break
        wait = lambda: sock.send(b"x")
    else:
        wait = {"recv": sock.recv, "poll": lambda: sock.poll(-1),
                "recv_multipart": sock.recv_multipart, "recv_msg": sock.recv_msg}[call]
    how, value = _destroy_while(wait, ctx, [sock])
    assert how == "raised" and isinstance(value, pyczmq.ContextTerminated), value
    assert sock.closed


def test_ctrl_c_ends_a_poller_wait():
    code, out, err = signal_child("""
        import pyczmq
        sock = pyczmq.Context().socket("PULL")
        sock.bind("inproc://ctrl-c-poller")
        poller = pyczmq.Poller(sock)
        print("ready", flush=True)
        try:
            poller.wait(-1)
        except KeyboardInterrupt:
            print("interrupted", not pyczmq.Socket.closed.__get__(sock))
    """, signal.SIGINT, settle=0.2)
    assert (code, out, err) == (0, "interrupted True\n", "")


def test_a_signal_just_before_the_poll_is_not_lost():
    # SIGINT raised by the C signal handler while Python code runs between
    # the fast path and the poll: the signal wake pipe makes the poll return.
    out = clean_stdout("""
        import signal, threading, pyczmq
        sock = pyczmq.Context().socket("PULL")
        sock.bind("inproc://early-signal")
        signal.signal(signal.SIGALRM, signal.default_int_handler)
        caught = 0
        for round in range(50):
            signal.setitimer(signal.ITIMER_REAL, 0.0005 * (round % 5 + 1))
            try:
                sock.poll(5000)
            except KeyboardInterrupt:
                caught += 1
        print(caught)
    """, timeout=120)
    assert out == "50\n"


# -- the gate ---------------------------------------------------------------------

def test_a_reserved_socket_refuses_every_other_use(ctx):
    sock = ctx.socket("PULL")
    sock.bind("inproc://core-reserved")
    ended = []

    def poll():
        try:
            sock.poll(5000)
        except pyczmq.ContextTerminated:
            ended.append(True)

    thread = threading.Thread(target=poll)
    thread.start()
    wait_until(lambda: is_busy(sock), what="the poll to begin")
    for use in (lambda: sock.recv_bytes(zmq.DONTWAIT), lambda: sock.close(),
                lambda: sock.recv_frame_nowait(), lambda: sock.recv_msg_nowait(),
                lambda: zstr.recv_nowait(sock), lambda: sock.poll(0)):
        with pytest.raises(pyczmq.ZMQError) as raised:
            use()
        assert raised.value.errno == errno.EBUSY
    ctx.destroy()
    thread.join(10)
    assert ended == [True]


def test_a_frame_whose_send_fails_is_whole_again(ctx):
    sock = ctx.socket("PUSH")           # no peer: no room
    frame = Frame(b"kept")
    with pytest.raises(pyczmq.Again):
        sock.send_frame(frame, Frame.DONTWAIT)
    assert frame.owned and frame.bytes() == b"kept"
    message = Message(b"a", b"b")
    with pytest.raises(pyczmq.Again):
        sock.sndtimeo = 0
        sock.send_msg(message)
    assert message.tolist() == [b"a", b"b"]


# -- zero-copy sends ----------------------------------------------------------------

def test_zero_copy_send_delivers_the_buffer_and_lets_go_of_it(pair):
    a, b = pair
    data = bytearray(b"z" * 200000)
    tracker = a.send(data, copy=False, track=True)
    assert isinstance(tracker, pyczmq.Tracker)
    with pytest.raises(BufferError):        # exported while libzmq holds it
        data.extend(b"more")
    frame = b.recv_frame()
    assert bytes(frame) == bytes(data)
    assert not tracker.done                 # the received frame still holds it
    del frame
    assert tracker.wait(5000) and tracker.done
    wait_until(lambda: pyczmq.zero_copy_in_flight() == 0, what="the release")
    data.extend(b"more")                    # released: resizable again
    assert "done" in repr(tracker)


def test_zero_copy_keeps_the_object_alive(pair):
    a, b = pair
    a.send(bytes(range(256)) * 1000, copy=False)
    gc.collect()
    assert b.recv_bytes() == bytes(range(256)) * 1000


def test_zero_copy_multipart_and_small_parts(pair):
    a, b = pair
    big = b"B" * 100000
    tracker = a.send_multipart([b"small", big, "text"], copy=False, track=True)
    assert b.recv_multipart() == [b"small", big, b"text"]
    assert tracker.wait(5000)
    assert a.send(b"tiny", copy=False, track=True).done     # small parts are copied
    assert b.recv_bytes() == b"tiny"
    assert a.send_multipart([b"x"], copy=False) is None


def test_track_needs_copy_false(pair):
    a, _ = pair
    with pytest.raises(ValueError):
        a.send(b"x", track=True)
    with pytest.raises(ValueError):
        a.send_multipart([b"x"], track=True)


def test_a_tracker_wait_times_out_while_libzmq_holds_the_buffer(ctx):
    sock = ctx.socket("PUSH")
    sock.connect("tcp://127.0.0.1:1")       # never connects: the part stays queued
    tracker = sock.send(b"q" * 100000, copy=False, track=True)
    started = time.monotonic()
    assert tracker.wait(50) is False
    assert time.monotonic() - started < 5
    sock.close()
    assert tracker.wait(5000)


def test_a_failed_zero_copy_send_releases_the_buffer(ctx):
    sock = ctx.socket("PUSH")
    data = bytearray(100000)
    with pytest.raises(pyczmq.Again):
        sock.send(data, zmq.DONTWAIT, copy=False)
    wait_until(lambda: pyczmq.zero_copy_in_flight() == 0, what="the release")
    wait_until(lambda: _resizable(data), what="the buffer's release")


def _resizable(data):
    try:
        data.append(0)
    except BufferError:
        return False
    data.pop()
    return True


def test_a_128_mib_zero_copy_send_does_not_copy():
    out = clean_stdout("""
        import pyczmq
        def peak():
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
        ctx = pyczmq.Context()
        a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
        a.bind("inproc://big"); b.connect("inproc://big")
        data = bytearray(128 * 1024 * 1024)
        before = peak()
        tracker = a.send(data, copy=False, track=True)
        frame = b.recv_frame()
        zero_copy = peak() - before
        del frame
        assert tracker.wait(10000)
        a.send(data)
        frame = b.recv_frame()
        copied = peak() - before
        print(zero_copy < 16, copied > 100)
    """, timeout=120)
    assert out == "True True\n"


def test_a_zero_copy_frame_holds_the_buffer_until_libzmq_lets_go(pair):
    a, b = pair
    data = bytearray(b"f" * 100000)
    frame = Frame(data, copy=False)
    with pytest.raises(BufferError):
        data.append(0)                      # held by the frame
    view = memoryview(frame)
    assert view.readonly and view.nbytes == len(data)
    view.release()
    assert Frame(b"small", copy=False).bytes() == b"small"      # copied
    a.send_frame(frame)
    received = b.recv_frame()
    assert received.bytes() == bytes(data)
    del received
    wait_until(lambda: _resizable(data), what="the buffer's release")


def test_an_unsent_zero_copy_frame_releases_the_buffer():
    data = bytearray(100000)
    frame = Frame(data, copy=False)
    del frame
    wait_until(lambda: _resizable(data), what="the buffer's release")
