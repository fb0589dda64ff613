"""pyczmq.zmq, the raw libzmq layer: every function pyczmq 0.1 lists, buffers in
and out, Msg ownership, the GIL released by blocking calls, constants checked
against zmq.h, polling raw and CZMQ sockets and file descriptors together,
socket monitors, zmq.proxy devices, own contexts (ctx_new/ctx_term/
ctx_shutdown), Z85 and CURVE keys, and bad input that must raise instead of
reaching a libzmq assert (those probes run in their own interpreter)."""

import errno as errno_module
import io
import os
import re
import struct
import subprocess
import threading
import time

import pytest

import pyczmq
from pyczmq import zmq

from conftest import (assert_clean_run, clean_stdout, is_busy, kept, run_probes, run_python,
                      wait_until)

ZMQ_H = "/usr/include/zmq.h"
HELLO_BYTES = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])    # Z85 spec example
LARGE = 100         # bytes: above libzmq's 33-byte inline limit, so data is refcounted


# -- helpers ---------------------------------------------------------------------


@pytest.fixture
def own():
    """A Context owning its own libzmq context (zmq.ctx_new()), terminated afterwards."""
    context = zmq.ctx_new()
    yield context
    if not context.destroyed:
        for sock in context.sockets:
            sock.close(linger=0)
        zmq.ctx_term(context)


@pytest.fixture
def raw_pair(own, inproc):
    """Two connected PAIR sockets of an own context: (a, b)."""
    a = kept(zmq.socket(own, zmq.PAIR))
    b = kept(zmq.socket(own, zmq.PAIR))
    zmq.bind(a, inproc)
    zmq.connect(b, inproc)
    return a, b


def start(target, *args):
    """Run target(*args) in a daemon thread; returns (thread, outcome), where
    outcome gets "result" or "error" (so no exception escapes the thread)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target(*args)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def terminating(context):
    """True once zmq_ctx_term has begun on `context` (it makes no more sockets)."""
    try:
        zmq.close(kept(zmq.socket(context, zmq.PAIR)))
    except pyczmq.ContextTerminated:
        return True
    return False


def finish(thread, timeout=10):
    thread.join(timeout)
    assert not thread.is_alive(), "the thread did not end"


def clean_output(code, timeout=60):
    return clean_stdout(code, timeout=timeout)


def ends_within(code, seconds):
    """True if `code` ran to a clean end within `seconds` in its own interpreter."""
    try:
        result = run_python(code, timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    assert_clean_run(result)
    return True


# -- every function of pyczmq 0.1 ------------------------------------------------

FUNCTIONS_2013 = """
    ctx_new ctx_term ctx_shutdown ctx_get ctx_set socket close bind unbind connect
    disconnect send recv sendmsg recvmsg msg_init msg_init_size msg_init_data msg_send
    msg_recv msg_close msg_copy msg_move msg_data msg_size msg_more msg_get msg_set
    getsockopt setsockopt poll pollitem proxy socket_monitor errno strerror version
    z85_encode z85_decode z86_decode has curve_keypair
""".split()


@pytest.mark.parametrize("name", FUNCTIONS_2013)
def test_every_2013_function_exists(name):
    assert callable(getattr(zmq, name))


def test_z86_decode_is_the_2013_spelling_of_z85_decode():
    assert zmq.z86_decode("HelloWorld") == HELLO_BYTES


def test_version_matches_the_header():
    header = zmq_h_values()
    expected = (header["ZMQ_VERSION_MAJOR"], header["ZMQ_VERSION_MINOR"],
                header["ZMQ_VERSION_PATCH"])
    assert zmq.version() == expected
    assert (zmq.VERSION_MAJOR, zmq.VERSION_MINOR, zmq.VERSION_PATCH) == expected
    assert zmq.VERSION == expected[0] * 10000 + expected[1] * 100 + expected[2]


def test_strerror_knows_libzmqs_own_errors_and_the_systems():
    assert zmq.strerror(zmq.ETERM) == "Context was terminated"
    assert zmq.strerror(zmq.EFSM) == "Operation cannot be accomplished in current state"
    assert zmq.strerror(errno_module.EAGAIN) == os.strerror(errno_module.EAGAIN)


def test_errno_is_libzmqs_errno_after_a_failed_call(raw_pair):
    with pytest.raises(pyczmq.ZMQError) as info:
        zmq.msg_get(zmq.msg_init(), 99)
    assert info.value.errno == zmq.EINVAL == zmq.errno()
    with pytest.raises(pyczmq.ZMQError) as info:
        zmq.bind(raw_pair[0], "nosuch://x")
    assert info.value.errno == zmq.EPROTONOSUPPORT == zmq.errno()


def test_has_curve_and_not_nonsense():
    assert zmq.has("curve") is True
    assert zmq.has(b"curve") is True
    assert zmq.has("no-such-capability") is False


def test_has_rejects_non_text_and_nul():
    with pytest.raises(TypeError):
        zmq.has(5)
    with pytest.raises(ValueError):
        zmq.has("curve\0junk")


# -- contexts ----------------------------------------------------------------------


def test_ctx_new_owns_a_libzmq_context_of_its_own(own, ctx):
    assert isinstance(own, pyczmq.Context)
    assert own.underlying != ctx.underlying
    other = zmq.ctx_new()
    try:
        assert other.underlying != own.underlying
    finally:
        assert zmq.ctx_term(other) == 0
    assert other.destroyed


def test_ctx_get_and_ctx_set(own):
    assert zmq.ctx_get(own, zmq.IO_THREADS) == zmq.IO_THREADS_DFLT
    assert zmq.ctx_get(own, zmq.MAX_SOCKETS) == zmq.MAX_SOCKETS_DFLT
    assert zmq.ctx_get(own, zmq.MSG_T_SIZE) == 64
    assert zmq.ctx_set(own, zmq.IO_THREADS, 2) == 0        # before its first socket
    assert zmq.ctx_get(own, zmq.IO_THREADS) == 2
    assert zmq.ctx_set(own, zmq.MAX_SOCKETS, 100) == 0
    assert zmq.ctx_get(own, zmq.MAX_SOCKETS) == 100
    assert zmq.ctx_set(own, zmq.BLOCKY, 0) == 0
    assert zmq.ctx_get(own, zmq.BLOCKY) == 0
    kept(zmq.socket(own, zmq.PAIR))
    with pytest.raises(pyczmq.ZMQError) as info:
        zmq.ctx_set(own, zmq.IO_THREADS, 3)                 # fixed by now
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(pyczmq.ZMQError) as info:
        zmq.ctx_get(own, 9999)
    assert info.value.errno == zmq.EINVAL


def test_ctx_get_works_on_a_czmq_context(ctx):
    assert zmq.ctx_get(ctx, zmq.IO_THREADS) >= 1


@pytest.mark.parametrize("function", [zmq.ctx_term, zmq.ctx_shutdown])
def test_ctx_term_and_shutdown_refuse_a_czmq_context(ctx, function):
    sock = ctx.socket("PAIR")
    with pytest.raises(pyczmq.ZMQError) as info:
        function(ctx)
    assert info.value.errno == zmq.EINVAL
    assert not ctx.destroyed and not sock.closed


def test_ctx_term_returns_once_its_sockets_are_closed(own):
    sock = kept(zmq.socket(own, zmq.PAIR))
    thread, outcome = start(zmq.ctx_term, own)
    wait_until(lambda: terminating(own), what="ctx_term to begin")
    time.sleep(0.05)                    # time for a wrong return
    assert thread.is_alive(), "ctx_term returned with a socket still open"
    assert zmq.close(sock) == 0
    finish(thread)
    assert outcome == {"result": 0}
    assert own.destroyed
    with pytest.raises(pyczmq.ClosedError):
        kept(zmq.socket(own, zmq.PAIR))


def test_ctx_shutdown_ends_a_blocked_recv_with_context_terminated(own, inproc):
    sock = kept(zmq.socket(own, zmq.PULL))
    zmq.bind(sock, inproc)
    thread, outcome = start(zmq.recv, sock)
    wait_until(lambda: is_busy(sock), what="the receive to start")
    assert thread.is_alive()
    assert zmq.ctx_shutdown(own) == 0
    finish(thread)
    assert isinstance(outcome.get("error"), pyczmq.ContextTerminated), outcome
    assert outcome["error"].errno == zmq.ETERM
    assert sock.closed                     # closed by the thread that was waiting
    assert zmq.ctx_term(own) == 0


def test_ctx_term_ends_a_blocked_msg_recv_and_then_returns(own, inproc):
    sock = kept(zmq.socket(own, zmq.PULL))
    zmq.bind(sock, inproc)
    receiver, received = start(zmq.msg_recv, zmq.msg_init(), sock)
    wait_until(lambda: is_busy(sock), what="the receive to start")
    terminator, terminated = start(zmq.ctx_term, own)
    finish(receiver)
    finish(terminator)
    assert isinstance(received.get("error"), pyczmq.ContextTerminated), received
    assert terminated == {"result": 0}


def test_sockets_of_a_shut_down_context_raise_context_terminated(own, inproc):
    sock = kept(zmq.socket(own, zmq.PAIR))
    zmq.ctx_shutdown(own)
    with pytest.raises(pyczmq.ContextTerminated):
        kept(zmq.socket(own, zmq.PAIR))
    with pytest.raises(pyczmq.ContextTerminated):
        zmq.bind(sock, inproc)
    with pytest.raises(pyczmq.ContextTerminated):
        zmq.getsockopt(sock, zmq.LINGER)
    zmq.close(sock)
    assert zmq.ctx_term(own) == 0


def test_socket_monitor_on_a_shut_down_context_raises_context_terminated(own, inproc):
    sock = kept(zmq.socket(own, zmq.PAIR))
    zmq.ctx_shutdown(own)
    with pytest.raises(pyczmq.ContextTerminated):
        zmq.socket_monitor(sock, inproc)


# -- sockets, send and recv ------------------------------------------------------------


def test_socket_bind_connect_close_return_zero(own, inproc):
    a = kept(zmq.socket(own, zmq.PUSH))
    b = kept(zmq.socket(own, "PULL"))
    assert (a.type(), b.type()) == (zmq.PUSH, zmq.PULL)
    assert zmq.bind(a, inproc) == 0
    assert zmq.connect(b, inproc) == 0
    assert zmq.send(a, b"hello") == 5
    assert zmq.recv(b) == b"hello"
    assert zmq.close(a) == 0 and zmq.close(b) == 0
    assert zmq.close(a) == 0                    # closing twice is harmless
    assert zmq.types["PUSH"] == zmq.PUSH and zmq.types["STREAM"] == zmq.STREAM


def test_unbind_and_disconnect(own):
    server = kept(zmq.socket(own, zmq.PULL))
    client = kept(zmq.socket(own, zmq.PUSH))
    zmq.setsockopt(client, zmq.LINGER, 0)
    zmq.bind(server, "tcp://127.0.0.1:*")
    endpoint = zmq.getsockopt(server, zmq.LAST_ENDPOINT)
    assert zmq.connect(client, endpoint) == 0
    assert zmq.disconnect(client, endpoint) == 0
    with pytest.raises(pyczmq.ZMQError) as info:
        zmq.disconnect(client, endpoint)
    assert info.value.errno == errno_module.ENOENT
    assert zmq.unbind(server, endpoint) == 0
    with pytest.raises(pyczmq.ZMQError) as info:
        zmq.unbind(server, endpoint)
    assert info.value.errno == errno_module.ENOENT
    again = kept(zmq.socket(own, zmq.PULL))
    assert zmq.bind(again, endpoint) == 0       # the port was given up


@pytest.mark.parametrize("data", [b"bytes", bytearray(b"bytearray"),
                                  memoryview(b"--memoryview--")[2:-2], "text \u00e9"])
def test_send_takes_any_buffer_and_returns_the_size(raw_pair, data):
    a, b = raw_pair
    expected = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    assert zmq.send(a, data) == len(expected)
    assert zmq.recv(b) == expected


def test_send_with_len_sends_the_first_bytes(raw_pair):
    a, b = raw_pair
    assert zmq.send(a, b"abcdef", 3, 0) == 3              # pyczmq 0.1's (sock, buf, len, flags)
    assert zmq.send(a, bytearray(b"xyz"), 0) == 0
    assert zmq.recv(b) == b"abc"
    assert zmq.recv(b) == b""
    for bad in (7, -1):
        with pytest.raises(ValueError):
            zmq.send(a, b"abcdef", bad)


def test_send_sndmore_and_msg_more(raw_pair):
    a, b = raw_pair
    zmq.send(a, b"head", None, zmq.SNDMORE)
    zmq.send(a, b"tail")
    msg = zmq.msg_init()
    assert zmq.msg_recv(msg, b) == 4
    assert (zmq.msg_more(msg), zmq.msg_get(msg, zmq.MORE), zmq.getsockopt(b, zmq.RCVMORE)) == (1, 1, 1)
    assert zmq.msg_recv(msg, b) == 4
    assert (zmq.msg_more(msg), zmq.msg_get(msg, zmq.MORE), zmq.getsockopt(b, zmq.RCVMORE)) == (0, 0, 0)
    assert bytes(msg) == b"tail"


def test_recv_into_a_buffer_truncates_and_returns_the_full_size(raw_pair):
    a, b = raw_pair
    zmq.send(a, b"0123456789")
    buffer = bytearray(4)
    assert zmq.recv(b, buffer) == 10
    assert buffer == b"0123"
    zmq.send(a, b"abcdef")
    buffer = bytearray(b"........")
    assert zmq.recv(b, buffer, 2, 0) == 6                   # len below the buffer's size
    assert buffer == b"ab......"
    zmq.send(a, b"xyz")
    target = bytearray(b"[.....]")
    assert zmq.recv(b, memoryview(target)[1:-1]) == 3
    assert target == b"[xyz..]"
    zmq.send(a, b"big")
    buffer = bytearray(2)
    with pytest.raises(ValueError, match="len must be from 0 to 2 here, not 100"):
        zmq.recv(b, buffer, 100)                            # checked before receiving
    assert zmq.recv(b, buffer) == 3 and buffer == b"bi"


def test_recv_dontwait_raises_again(raw_pair):
    with pytest.raises(pyczmq.Again) as info:
        zmq.recv(raw_pair[1], None, None, zmq.DONTWAIT)
    assert info.value.errno == zmq.EAGAIN
    with pytest.raises(pyczmq.Again):
        zmq.recv(raw_pair[1], bytearray(5), None, zmq.DONTWAIT)


@pytest.mark.parametrize("buffer", [b"read-only", memoryview(bytearray(20))[::2]],
                         ids=["read-only", "non-contiguous"])
def test_recv_into_an_unusable_buffer_keeps_the_message(raw_pair, buffer):
    a, b = raw_pair
    zmq.send(a, b"precious")
    with pytest.raises(BufferError):
        zmq.recv(b, buffer)
    assert zmq.recv(b, None, None, zmq.DONTWAIT) == b"precious"


def test_recv_with_a_negative_len_raises():
    out = clean_output("""
        from pyczmq import zmq
        ctx = zmq.ctx_new()
        a, b = zmq.socket(ctx, zmq.PAIR), zmq.socket(ctx, zmq.PAIR)
        zmq.bind(a, "inproc://negative"); zmq.connect(b, "inproc://negative")
        zmq.send(a, b"x" * 100000)
        try:
            zmq.recv(b, bytearray(10), -1)
        except ValueError:
            print("ValueError")
        a.close(); b.close(); zmq.ctx_term(ctx)
    """)
    assert out == "ValueError\n"


@pytest.mark.parametrize("call", ["send", "msg_send", "sendmsg", "msg_recv"])
def test_undefined_flags_raise(raw_pair, call):
    a, b = raw_pair
    bad = 1 << 20
    zmq.send(a, b"queued")
    calls = {
        "send": lambda: zmq.send(a, b"x", None, bad),
        "msg_send": lambda: zmq.msg_send(zmq.msg_init_data(None, b"x"), a, bad),
        "sendmsg": lambda: zmq.sendmsg(a, zmq.msg_init_data(None, b"x"), bad),
        "msg_recv": lambda: zmq.msg_recv(zmq.msg_init(), b, bad),
    }
    with pytest.raises(ValueError):
        calls[call]()


def test_getsockopt_and_setsockopt(raw_pair, own):
    a, b = raw_pair
    assert zmq.setsockopt(a, zmq.LINGER, 250) == 0
    assert zmq.getsockopt(a, zmq.LINGER) == 250
    assert zmq.getsockopt(a, zmq.LINGER, None, None) == 250      # pyczmq 0.1's C arguments
    assert zmq.getsockopt(a, zmq.TYPE) == zmq.PAIR
    assert zmq.getsockopt(a, zmq.EVENTS) & zmq.POLLOUT
    dealer = kept(zmq.socket(own, zmq.DEALER))
    assert zmq.setsockopt(dealer, zmq.ROUTING_ID, b"identity", 2) == 0     # the first len bytes
    assert zmq.getsockopt(dealer, zmq.ROUTING_ID) == b"id"
    assert zmq.setsockopt(dealer, zmq.MAXMSGSIZE, 2**40) == 0             # an int64 option
    assert zmq.getsockopt(dealer, zmq.MAXMSGSIZE) == 2**40
    for option in (9999, zmq.SUBSCRIBE):            # unknown; write-only
        with pytest.raises(pyczmq.ZMQError) as info:
            zmq.getsockopt(a, option)
        assert info.value.errno == zmq.EINVAL
    for option in (9999, zmq.TYPE):                 # unknown; read-only
        with pytest.raises(pyczmq.ZMQError) as info:
            zmq.setsockopt(a, option, 1)
        assert info.value.errno == zmq.EINVAL


def test_setsockopt_len_with_text_and_negative_len(own):
    dealer = kept(zmq.socket(own, zmq.DEALER))
    zmq.setsockopt(dealer, zmq.ROUTING_ID, "abcdef", 3)
    assert zmq.getsockopt(dealer, zmq.ROUTING_ID) == b"abc"
    with pytest.raises(ValueError):
        zmq.setsockopt(dealer, zmq.ROUTING_ID, b"abcdef", -2)


# -- messages ------------------------------------------------------------------------


def test_msg_init_forms():
    msg = zmq.msg_init()
    assert type(msg).__name__ == "Msg" and zmq.msg_size(msg) == 0
    sized = zmq.msg_init_size(None, 10)
    assert zmq.msg_size(sized) == len(sized) == 10
    assert zmq.msg_init_size(sized, 3) == 0 and zmq.msg_size(sized) == 3
    assert zmq.msg_init(sized) == 0 and zmq.msg_size(sized) == 0
    for source in (b"payload", bytearray(b"payload"), memoryview(b"--payload")[2:]):
        assert zmq.msg_init_data(None, source).bytes() == b"payload"
    assert zmq.msg_init_data(msg, b"payload", 3) == 0
    assert bytes(zmq.msg_data(msg)) == b"pay" and msg.bytes() == b"pay"
    with pytest.raises(ValueError):
        zmq.msg_init_data(None, b"abc", 4)


def test_msg_refuses_arguments_instead_of_ignoring_them():
    assert zmq.msg_size(zmq.Msg()) == 0
    with pytest.raises(TypeError):
        zmq.Msg(b"raw message")     # was an empty message, silently
    with pytest.raises(TypeError):
        zmq.Msg(size=4)


def test_msg_class_is_exported():
    assert isinstance(zmq.msg_init(), zmq.Msg)
    assert isinstance(zmq.Msg(), zmq.Msg)


def test_msg_init_data_calls_the_free_function_with_data_and_hint():
    calls = []
    data = bytearray(b"copied")
    msg = zmq.msg_init_data(None, data, len(data), lambda *args: calls.append(args), "hint")
    assert calls == [(data, "hint")]
    data[:] = b"CHANGE"                         # the Msg holds a copy
    assert bytes(msg) == b"copied"


def test_msg_init_data_rejects_a_float_size():
    with pytest.raises(TypeError):
        zmq.msg_init_data(None, b"abc", 1.5)


def test_msg_send_and_msg_recv_return_sizes(raw_pair):
    a, b = raw_pair
    msg = zmq.msg_init_data(None, b"x" * LARGE)
    assert zmq.msg_send(msg, a) == LARGE
    assert zmq.msg_size(msg) == 0                           # sent: left empty
    assert zmq.sendmsg(a, zmq.msg_init_data(None, b"second")) == 6
    received = zmq.msg_init()
    assert zmq.msg_recv(received, b) == LARGE
    assert bytes(zmq.msg_data(received)) == b"x" * LARGE
    assert zmq.recvmsg(b, received, 0) == 6
    assert received.bytes() == b"second"
    with pytest.raises(pyczmq.Again) as info:
        zmq.msg_recv(received, b, zmq.DONTWAIT)
    assert info.value.errno == zmq.EAGAIN
    assert received.bytes() == b""          # libzmq empties it before it finds nothing


@pytest.mark.parametrize("size", [0, 5, LARGE])      # empty, inline and refcounted data
def test_msg_size_and_more_methods_follow_each_received_part(raw_pair, size):
    a, b = raw_pair
    msg = zmq.Msg()
    assert (msg.size(), msg.more()) == (0, 0)
    zmq.send(a, b"1" * size, flags=zmq.SNDMORE)
    zmq.send(a, b"22", flags=zmq.SNDMORE)
    zmq.send(a, b"333")
    seen = []
    for _ in range(3):
        zmq.msg_recv(msg, b)
        seen.append((msg.size(), msg.more(), msg.bytes()))
        assert (len(msg), zmq.msg_size(msg)) == (msg.size(),) * 2
        assert (zmq.msg_more(msg), zmq.msg_get(msg, zmq.MORE)) == (msg.more(),) * 2
    assert seen == [(size, 1, b"1" * size), (2, 1, b"22"), (3, 0, b"333")]
    assert zmq.msg_init_size(msg, 7) == 0 and (msg.size(), msg.more()) == (7, 0)
    zmq.msg_send(msg, a, zmq.SNDMORE)
    assert (msg.size(), msg.more()) == (0, 0)               # sent: left empty


def test_msg_send_dontwait_without_peers_raises_again_and_keeps_the_message(own):
    push = kept(zmq.socket(own, zmq.PUSH))
    msg = zmq.msg_init_data(None, b"kept")
    with pytest.raises(pyczmq.Again):
        zmq.msg_send(msg, push, zmq.DONTWAIT)
    assert msg.bytes() == b"kept"


def test_msg_data_is_writable_for_a_private_message(raw_pair):
    a, b = raw_pair
    msg = zmq.msg_init_size(None, LARGE)
    view = zmq.msg_data(msg)
    assert not view.readonly and len(view) == LARGE
    view[:] = b"w" * LARGE
    view.release()
    zmq.msg_send(msg, a)
    assert zmq.recv(b) == b"w" * LARGE


@pytest.mark.parametrize("size", [5, LARGE], ids=["inline", "refcounted"])
def test_msg_copy_gives_both_the_data(size):
    src = zmq.msg_init_data(None, b"c" * size)
    dest = zmq.msg_init_data(None, b"old")
    assert zmq.msg_copy(dest, src) == 0
    assert bytes(dest) == bytes(src) == b"c" * size
    assert zmq.msg_size(dest) == zmq.msg_size(src) == size


def test_msg_copy_shares_large_data_and_its_views_are_read_only():
    src = zmq.msg_init_data(None, b"s" * LARGE)
    assert zmq.msg_get(src, zmq.SHARED) == 0
    dest = zmq.msg_init()
    zmq.msg_copy(dest, src)
    assert zmq.msg_get(src, zmq.SHARED) == zmq.msg_get(dest, zmq.SHARED) == 1
    src_view, dest_view = zmq.msg_data(src), zmq.msg_data(dest)
    assert src_view.readonly and dest_view.readonly
    with pytest.raises(TypeError):
        src_view[0] = 0
    with pytest.raises((TypeError, BufferError)):       # a writable view is refused
        io.BytesIO(b"x").readinto(dest)
    with pytest.raises(BufferError):            # while views live
        zmq.msg_close(dest)
    dest_view.release()
    assert zmq.msg_close(dest) == 0             # the refused view left no trace
    assert bytes(src_view) == b"s" * LARGE


def test_msg_copy_of_small_data_stays_private_and_writable():
    src = zmq.msg_init_data(None, b"small")
    dest = zmq.msg_init()
    zmq.msg_copy(dest, src)
    view = zmq.msg_data(dest)
    assert not view.readonly
    view[0:1] = b"S"
    assert bytes(dest) == b"Small" and bytes(src) == b"small"


def test_a_writable_view_of_the_source_can_not_change_the_copy():
    src = zmq.msg_init_data(None, b"s" * LARGE)
    view = zmq.msg_data(src)
    dest = zmq.msg_init()
    try:
        zmq.msg_copy(dest, src)
    except BufferError:
        return                              # refusing the copy is fine too
    view[0:1] = b"X"
    assert bytes(dest) == b"s" * LARGE, "the write through the old view changed the copy"


def test_msg_move_empties_the_source():
    src = zmq.msg_init_data(None, b"m" * LARGE)
    dest = zmq.msg_init_data(None, b"old")
    assert zmq.msg_move(dest, src) == 0
    assert bytes(dest) == b"m" * LARGE
    assert zmq.msg_size(src) == 0
    assert zmq.msg_get(dest, zmq.SHARED) == 0 and not zmq.msg_data(dest).readonly


def test_msg_close_empties_and_the_msg_stays_usable(raw_pair):
    msg = zmq.msg_init_data(None, b"gone" * 50)
    assert zmq.msg_close(msg) == 0
    assert zmq.msg_size(msg) == 0 and bytes(zmq.msg_data(msg)) == b""
    assert zmq.msg_close(msg) == 0
    zmq.send(raw_pair[0], b"again")
    assert zmq.msg_recv(msg, raw_pair[1]) == 5


def test_msg_set_has_nothing_to_set_in_libzmq_4_3():
    msg = zmq.msg_init()
    for prop in (zmq.MORE, zmq.SHARED, 99):
        with pytest.raises(pyczmq.ZMQError) as info:
            zmq.msg_set(msg, prop, 1)
        assert info.value.errno == zmq.EINVAL


LIVE_VIEW_CALLS = {
    "msg_close": lambda msg, other, sock: zmq.msg_close(msg),
    "msg_init": lambda msg, other, sock: zmq.msg_init(msg),
    "msg_init_size": lambda msg, other, sock: zmq.msg_init_size(msg, 4),
    "msg_init_data": lambda msg, other, sock: zmq.msg_init_data(msg, b"new"),
    "msg_move into": lambda msg, other, sock: zmq.msg_move(msg, other),
    "msg_move from": lambda msg, other, sock: zmq.msg_move(other, msg),
    "msg_copy into": lambda msg, other, sock: zmq.msg_copy(msg, other),
    "msg_send": lambda msg, other, sock: zmq.msg_send(msg, sock),
    "msg_recv": lambda msg, other, sock: zmq.msg_recv(msg, sock, zmq.DONTWAIT),
}


@pytest.mark.parametrize("name", sorted(LIVE_VIEW_CALLS))
def test_a_msg_with_live_views_refuses_to_change(raw_pair, name):
    msg = zmq.msg_init_data(None, b"v" * LARGE)
    other = zmq.msg_init_data(None, b"other")
    view = zmq.msg_data(msg)
    second = memoryview(msg)
    with pytest.raises(BufferError):
        LIVE_VIEW_CALLS[name](msg, other, raw_pair[0])
    view.release()
    with pytest.raises(BufferError):        # one view still lives
        LIVE_VIEW_CALLS[name](msg, other, raw_pair[0])
    assert bytes(second) == b"v" * LARGE
    second.release()
    if name == "msg_recv":
        zmq.send(raw_pair[1], b"now")
    LIVE_VIEW_CALLS[name](msg, other, raw_pair[0])      # and now it may


# -- the GIL -------------------------------------------------------------------------

GIL_CASES = {
    "recv": ("a, b = pair()", "zmq.recv(b)", "zmq.send(a, b'wake')"),
    "recv into a buffer": ("a, b = pair()", "zmq.recv(b, bytearray(8))", "zmq.send(a, b'wake')"),
    "msg_recv": ("a, b = pair()", "zmq.msg_recv(zmq.msg_init(), b)", "zmq.send(a, b'wake')"),
    "poll": ("a, b = pair()", "zmq.poll([zmq.pollitem(b, events=zmq.POLLIN)], -1)",
             "zmq.send(a, b'wake')"),
    "proxy": ("a, b = zmq.socket(ctx, zmq.PULL), zmq.socket(ctx, zmq.PUSH)",
              "assert zmq.proxy(a, b) == -1; zmq.close(a); zmq.close(b)", "zmq.ctx_shutdown(ctx)"),
    "ctx_term": ("a = zmq.socket(ctx, zmq.PAIR)", "assert zmq.ctx_term(ctx) == 0", "zmq.close(a)"),
}


@pytest.mark.parametrize("name", sorted(GIL_CASES))
def test_blocking_calls_release_the_gil(name):
    """While one thread is blocked in the call, the main thread keeps running
    Python (with the GIL held, the child would hang and time out)."""
    setup, call, release = GIL_CASES[name]
    out = clean_output("""
        import threading, time
        from pyczmq import zmq
        ctx = zmq.ctx_new()
        def pair():
            x, y = zmq.socket(ctx, zmq.PAIR), zmq.socket(ctx, zmq.PAIR)
            zmq.bind(x, "inproc://gil"); zmq.connect(y, "inproc://gil")
            return x, y
        %s
        calling, finished = threading.Event(), threading.Event()
        def blocked():
            calling.set()
            %s
            finished.set()
        worker = threading.Thread(target=blocked)
        worker.start()
        assert calling.wait(10)
        ticks, end = 0, time.monotonic() + 0.3
        while time.monotonic() < end:
            ticks += 1
        assert not finished.is_set(), "the call did not block"
        %s
        worker.join(10)
        assert finished.is_set(), "the call did not end"
        for sock in ctx.sockets:
            sock.close()
        if not ctx.destroyed:
            zmq.ctx_term(ctx)
        print("progress" if ticks > 1000 else "stalled: %%d" %% ticks)
    """ % (setup, call, release), timeout=30)
    assert out == "progress\n"


# -- constants --------------------------------------------------------------------------


def zmq_h_sections():
    """The numeric #defines of zmq.h's stable API (the draft part left out),
    grouped by the header's own comment headings: {heading: {name: value}}."""
    with open(ZMQ_H) as header:
        text = header.read().split("#ifdef ZMQ_BUILD_DRAFT_API")[0]
    sections, values, heading = {}, {}, None
    for line in text.splitlines():
        line = line.strip()
        comment = re.fullmatch(r"/\*\s+(.*?)\s*\*/", line)
        if comment:
            heading = comment.group(1).rstrip(".")
            continue
        define = re.fullmatch(r"#define\s+(ZMQ_\w+|E[A-Z]+)\s+(.+)", line)
        if not define:
            continue
        name, expression = define.groups()
        expression = re.sub(r"\bZMQ_\w+\b", lambda m: str(values.get(m.group(), m.group())),
                            expression)
        if re.fullmatch(r"(?:0x[0-9a-fA-F]+|-?\d+|[()+| ])+", expression):
            values[name] = eval(expression)
            sections.setdefault(heading, {})[name] = values[name]
    return sections


def zmq_h_values():
    return {name: value for section in zmq_h_sections().values() for name, value in section.items()}


# category -> (headings of zmq.h, or a name prefix)
CONSTANT_CATEGORIES = {
    "socket types": ["Socket types", "Deprecated aliases"],
    "socket options": ["Socket options"],
    "message properties": ["Message options", "Deprecated Message options"],
    "send/recv flags": ["Send/recv options"],
    "security mechanisms": ["Security mechanisms", "GSSAPI principal name types"],
    "poll events": ["Deprecated I/O multiplexing. Prefer using zmq_poller API"],
    "context options": ["Context options", "Default for new contexts"],
    "libzmq error numbers": ["Native 0MQ error codes"],
    "monitor events": "ZMQ_EVENT_",
    "deprecated option aliases": ["Deprecated options and aliases"],
    "handshake protocol error values": "ZMQ_PROTOCOL_ERROR_",
}


def constants_of(category):
    where = CONSTANT_CATEGORIES[category]
    sections = zmq_h_sections()
    if isinstance(where, str):
        return {name: value for section in sections.values()
                for name, value in section.items() if name.startswith(where)}
    return {name: value for heading in where for name, value in sections[heading].items()}


@pytest.mark.parametrize("category", [
    name for name in CONSTANT_CATEGORIES])
def test_constants_have_libzmqs_values(category):
    expected = constants_of(category)
    assert len(expected) >= 2, "zmq.h parsing found no %s" % category
    wrong = {name: (value, getattr(zmq, name[4:] if name.startswith("ZMQ_") else name, None))
             for name, value in expected.items()
             if getattr(zmq, name[4:] if name.startswith("ZMQ_") else name, None) != value}
    assert wrong == {}


def test_the_header_parse_is_complete():
    assert len(constants_of("socket options")) >= 70
    assert len(constants_of("monitor events")) == 16
    assert constants_of("libzmq error numbers")["ETERM"] == 156384712 + 53
    assert zmq.EVENT_ALL == 0xFFFF and getattr(zmq, "NULL") == 0


def test_posix_error_numbers_are_the_systems():
    # zmq.h defines these only where the system does not.
    names = zmq_h_sections()["On Windows platform some of the standard POSIX errnos are not defined"]
    names = set(names) | {"EAGAIN", "EINTR", "EINVAL", "EFAULT", "ENOMEM", "ENODEV", "EMFILE"}
    assert {name: getattr(zmq, name) for name in names} == \
        {name: getattr(errno_module, name) for name in names}


# -- polling ------------------------------------------------------------------------------


@pytest.fixture
def pipe():
    read_end, write_end = os.pipe()
    yield read_end, write_end
    os.close(read_end)
    os.close(write_end)


def test_poll_raw_and_czmq_sockets_and_a_file_descriptor_together(raw_pair, pair, pipe):
    raw_out, raw_in = raw_pair
    czmq_out, czmq_in = pair
    read_end, write_end = pipe
    items = [zmq.pollitem(raw_in, events=zmq.POLLIN),
             zmq.pollitem(czmq_in, events=zmq.POLLIN),
             zmq.pollitem(fd=read_end, events=zmq.POLLIN)]
    assert zmq.poll(items, 0) == 0
    assert [item.revents for item in items] == [0, 0, 0]
    zmq.send(raw_out, b"raw")
    assert zmq.poll(items, 1000) == 1
    assert [item.revents for item in items] == [zmq.POLLIN, 0, 0]
    czmq_out.send(b"czmq")
    os.write(write_end, b"!")
    assert zmq.poll(items, 1000) == 3
    assert [item.revents for item in items] == [zmq.POLLIN] * 3
    zmq.recv(raw_in)
    assert zmq.recv(czmq_in) == b"czmq"
    os.read(read_end, 1)
    assert zmq.poll(items, 0) == 0
    assert [item.revents for item in items] == [0, 0, 0]


def test_poll_pollout_and_pollin_together(raw_pair):
    a, b = raw_pair
    item = zmq.pollitem(a, events=zmq.POLLIN | zmq.POLLOUT)
    assert zmq.poll([item], 0) == 1 and item.revents == zmq.POLLOUT
    zmq.send(b, b"in")
    assert zmq.poll([item], 0) == 1 and item.revents == zmq.POLLIN | zmq.POLLOUT


def test_poll_2013_form_polls_the_first_nitems(raw_pair, pair):
    zmq.send(raw_pair[0], b"x")
    pair[0].send(b"y")
    items = [zmq.pollitem(raw_pair[1], events=zmq.POLLIN),
             zmq.pollitem(pair[1], events=zmq.POLLIN)]
    assert zmq.poll(items, 1, 1000) == 1
    assert (items[0].revents, items[1].revents) == (zmq.POLLIN, 0)
    assert zmq.poll(items, 2, 1000) == 2
    assert items[1].revents == zmq.POLLIN


def test_poll_with_a_negative_nitems_raises(raw_pair):
    zmq.send(raw_pair[0], b"x")
    items = [zmq.pollitem(raw_pair[1], events=zmq.POLLIN),
             zmq.pollitem(raw_pair[0], events=zmq.POLLOUT)]
    with pytest.raises(ValueError, match="nitems must be from 0 to 2 here, not -1"):
        zmq.poll(items, -1, 0)


def test_poll_timeout_is_respected(raw_pair, pair):
    items = [zmq.pollitem(raw_pair[1], events=zmq.POLLIN), zmq.pollitem(pair[1], events=zmq.POLLIN)]
    began = time.monotonic()
    assert zmq.poll(items, 200) == 0
    assert 0.18 <= time.monotonic() - began < 2


def test_poll_wakes_when_a_message_arrives(raw_pair, pair):
    items = [zmq.pollitem(raw_pair[1], events=zmq.POLLIN), zmq.pollitem(pair[1], events=zmq.POLLIN)]
    timer = threading.Timer(0.1, pair[0].send, [b"late"])
    timer.start()
    began = time.monotonic()
    try:
        assert zmq.poll(items, -1) == 1
    finally:
        timer.join()
    assert time.monotonic() - began < 5
    assert (items[0].revents, items[1].revents) == (0, zmq.POLLIN)


def test_pollitem_fields():
    item = zmq.pollitem(fd=0)
    assert (item.socket, item.fd, item.events, item.revents) == (None, 0, 0, 0)
    ctx = zmq.ctx_new()
    try:
        sock = kept(zmq.socket(ctx, zmq.PAIR))
        item = zmq.pollitem(sock, 7, zmq.POLLIN, 0)
        assert (item.socket, item.fd, item.events) == (sock, 0, zmq.POLLIN)   # fd ignored
        item.events = zmq.POLLOUT
        assert item.events == zmq.POLLOUT
        zmq.close(sock)
        with pytest.raises(pyczmq.ClosedError):
            zmq.poll([item], 0)
    finally:
        zmq.ctx_term(ctx)


def test_poll_with_none_for_a_pollitem_raises_type_error():
    out = clean_output("""
        from pyczmq import zmq
        try:
            zmq.poll([None], 0)
        except TypeError:
            print("TypeError")
    """)
    assert out == "TypeError\n"


def test_poll_on_a_socket_of_a_destroyed_czmq_context_raises():
    ctx = pyczmq.Context()
    sock = ctx.socket("PAIR")
    item = zmq.pollitem(sock, events=zmq.POLLIN)
    ctx.destroy()
    with pytest.raises(pyczmq.ClosedError):
        zmq.poll([item], 0)


# -- socket monitors ---------------------------------------------------------------------


def events_until(monitor, wanted):
    """Monitor events (event, value, endpoint) up to the first `wanted` one."""
    zmq.setsockopt(monitor, zmq.RCVTIMEO, 5000)
    seen = []
    while not seen or seen[-1][0] != wanted:
        seen.append(zmq.recv_monitor_event(monitor))
    return seen


def test_socket_monitor_events_over_tcp(own, inproc):
    server = kept(zmq.socket(own, zmq.PULL))
    client = kept(zmq.socket(own, zmq.PUSH))
    assert zmq.socket_monitor(server, inproc + "-server", zmq.EVENT_ALL) == 0
    assert zmq.socket_monitor(client, inproc + "-client") == 0
    server_events = kept(zmq.socket(own, zmq.PAIR))
    client_events = kept(zmq.socket(own, zmq.PAIR))
    zmq.connect(server_events, inproc + "-server")
    zmq.connect(client_events, inproc + "-client")
    zmq.bind(server, "tcp://127.0.0.1:*")
    endpoint = zmq.getsockopt(server, zmq.LAST_ENDPOINT)
    assert endpoint.startswith("tcp://127.0.0.1:")
    event, fd, where = events_until(server_events, zmq.EVENT_LISTENING)[-1]
    assert where == endpoint and fd >= 0
    zmq.connect(client, endpoint)
    assert events_until(server_events, zmq.EVENT_ACCEPTED)[-1][2] == endpoint
    connected = events_until(client_events, zmq.EVENT_CONNECTED)
    assert {event for event, _, _ in connected} <= {zmq.EVENT_CONNECT_DELAYED, zmq.EVENT_CONNECTED}
    assert connected[-1][2] == endpoint
    assert events_until(client_events, zmq.EVENT_HANDSHAKE_SUCCEEDED)[-1] == \
        (zmq.EVENT_HANDSHAKE_SUCCEEDED, 0, endpoint)
    zmq.send(client, b"monitored")
    assert zmq.recv(server) == b"monitored"
    assert zmq.socket_monitor(server, None) == 0            # stop
    assert events_until(server_events, zmq.EVENT_MONITOR_STOPPED)[-1] == \
        (zmq.EVENT_MONITOR_STOPPED, 0, "")


def test_socket_monitor_of_a_czmq_socket_with_an_event_mask(ctx, inproc):
    server = ctx.socket("PULL")
    client = ctx.socket("PUSH")
    zmq.socket_monitor(server, inproc, zmq.EVENT_ACCEPTED)
    monitor = ctx.socket("PAIR")
    zmq.connect(monitor, inproc)
    zmq.bind(server, "tcp://127.0.0.1:*")
    endpoint = zmq.getsockopt(server, zmq.LAST_ENDPOINT)
    zmq.connect(client, endpoint)
    zmq.setsockopt(monitor, zmq.RCVTIMEO, 5000)
    event, fd, where = zmq.recv_monitor_event(monitor)      # LISTENING was masked out
    assert (event, where) == (zmq.EVENT_ACCEPTED, endpoint) and fd >= 0
    with pytest.raises(pyczmq.Again):
        zmq.recv_monitor_event(monitor, zmq.DONTWAIT)


def test_parse_monitor_event():
    frame = struct.pack("=HI", zmq.EVENT_CLOSED, 42)        # libzmq's layout, native order
    assert zmq.parse_monitor_event([frame, b"tcp://x:1"]) == (zmq.EVENT_CLOSED, 42, "tcp://x:1")
    assert zmq.parse_monitor_event((bytearray(frame), memoryview(b""))) == (zmq.EVENT_CLOSED, 42, "")
    for bad in ([b"short", b""], [frame], [frame, b"", b""]):
        with pytest.raises(ValueError):
            zmq.parse_monitor_event(bad)


def test_stopping_a_monitor_nobody_reads_does_not_freeze():
    # libzmq alone would wait forever to hand MONITOR_STOPPED to a missing reader.
    assert ends_within("""
        import pyczmq
        from pyczmq import zmq
        ctx = zmq.ctx_new()
        sock = zmq.socket(ctx, zmq.PAIR)
        zmq.socket_monitor(sock, "inproc://unread")
        zmq.socket_monitor(sock, "inproc://unread-again")     # a restart stops it too
        zmq.socket_monitor(sock, None)
        zmq.close(sock)
        zmq.ctx_term(ctx)
        shared = pyczmq.Context().socket(zmq.PAIR)             # CZMQ's context
        zmq.socket_monitor(shared, "inproc://unread-shared")
        zmq.socket_monitor(shared, None)
        print("stopped")
    """, 10)


def test_a_monitor_restarted_on_a_new_endpoint_tells_its_old_reader(own, inproc):
    sock = kept(zmq.socket(own, zmq.PAIR))
    zmq.socket_monitor(sock, inproc + "-old")
    reader = kept(zmq.socket(own, zmq.PAIR))
    zmq.connect(reader, inproc + "-old")
    zmq.socket_monitor(sock, inproc + "-new", zmq.EVENT_LISTENING)
    assert events_until(reader, zmq.EVENT_MONITOR_STOPPED)[-1] == (zmq.EVENT_MONITOR_STOPPED, 0, "")
    fresh = kept(zmq.socket(own, zmq.PAIR))
    zmq.connect(fresh, inproc + "-new")
    zmq.bind(sock, "tcp://127.0.0.1:*")
    assert events_until(fresh, zmq.EVENT_LISTENING)[-1][0] == zmq.EVENT_LISTENING
    assert zmq.socket_monitor(sock, None) == 0       # no MONITOR_STOPPED asked: nothing sent
    with pytest.raises(pyczmq.Again):
        zmq.recv(fresh, None, None, zmq.DONTWAIT)


# -- proxy ------------------------------------------------------------------------------

COUNT = 100000


def run_device(ctx, endpoint, stop):
    """PUSH -> PULL(frontend) -proxy- PUSH(backend) -> PULL: forward COUNT
    messages, then stop(ctx, sockets) must end the proxy thread cleanly."""
    frontend = kept(zmq.socket(ctx, zmq.PULL))
    backend = kept(zmq.socket(ctx, zmq.PUSH))
    zmq.bind(frontend, endpoint + "-front")
    zmq.bind(backend, endpoint + "-back")

    def device():
        try:
            return zmq.proxy(frontend, backend)
        finally:
            zmq.close(frontend)         # in the proxy's thread, as libzmq requires
            zmq.close(backend)

    proxy_thread, proxy_outcome = start(device)
    source = kept(zmq.socket(ctx, zmq.PUSH))
    sink = kept(zmq.socket(ctx, zmq.PULL))
    zmq.connect(source, endpoint + "-front")
    zmq.connect(sink, endpoint + "-back")

    def send_all():
        for n in range(COUNT):
            zmq.send(source, b"%d" % n)

    sender, sent = start(send_all)
    received = [zmq.recv(sink) for _ in range(COUNT)]
    finish(sender)
    assert sent == {"result": None}
    assert received == [b"%d" % n for n in range(COUNT)]
    assert proxy_thread.is_alive()
    stop(ctx, [source, sink])
    finish(proxy_thread)
    assert proxy_outcome == {"result": -1}
    assert frontend.closed and backend.closed


def stop_with_ctx_term(ctx, sockets):
    for sock in sockets:
        zmq.close(sock)
    assert zmq.ctx_term(ctx) == 0


def stop_with_ctx_shutdown(ctx, sockets):
    assert zmq.ctx_shutdown(ctx) == 0


def stop_with_destroy(ctx, sockets):
    ctx.destroy()
    assert all(sock.closed for sock in sockets)


@pytest.mark.parametrize("stop", [stop_with_ctx_term, stop_with_ctx_shutdown],
                         ids=["ctx_term", "ctx_shutdown"])
def test_proxy_device_in_an_own_context(own, inproc, stop):
    run_device(own, inproc, stop)


def test_proxy_device_in_a_czmq_context_ends_with_destroy(inproc):
    run_device(pyczmq.Context(), inproc, stop_with_destroy)


def test_proxy_copies_to_the_capture_socket(own, inproc):
    frontend, backend, capture = (kept(zmq.socket(own, kind)) for kind in (zmq.PULL, zmq.PUSH, zmq.PUSH))
    for sock, suffix in ((frontend, "-f"), (backend, "-b"), (capture, "-c")):
        zmq.bind(sock, inproc + suffix)

    def device():
        try:
            return zmq.proxy(frontend, backend, capture)
        finally:
            for sock in (frontend, backend, capture):
                zmq.close(sock)

    thread, outcome = start(device)
    source, sink, tap = (kept(zmq.socket(own, kind)) for kind in (zmq.PUSH, zmq.PULL, zmq.PULL))
    for sock, suffix in ((source, "-f"), (sink, "-b"), (tap, "-c")):
        zmq.connect(sock, inproc + suffix)
    zmq.send(source, b"seen twice")
    assert zmq.recv(sink) == b"seen twice"
    assert zmq.recv(tap) == b"seen twice"
    zmq.ctx_shutdown(own)
    finish(thread)
    assert outcome == {"result": -1}


def test_proxy_sockets_are_busy_for_other_threads(own):
    frontend, backend = kept(zmq.socket(own, zmq.PULL)), kept(zmq.socket(own, zmq.PUSH))

    def device():
        try:
            return zmq.proxy(frontend, backend)
        finally:
            zmq.close(frontend)
            zmq.close(backend)

    thread, outcome = start(device)
    wait_until(lambda: is_busy(frontend), what="the proxy to start")
    for attempt in (lambda: zmq.close(frontend), lambda: zmq.send(backend, b"x"),
                    lambda: zmq.proxy(frontend, backend), lambda: zmq.getsockopt(frontend, zmq.LINGER)):
        with pytest.raises(pyczmq.ZMQError) as info:
            attempt()
        assert info.value.errno == errno_module.EBUSY
    zmq.ctx_term(own)
    finish(thread)
    assert outcome == {"result": -1}


# -- Z85 and CURVE keys ------------------------------------------------------------------


def test_z85_spec_example():
    assert zmq.z85_encode(HELLO_BYTES) == "HelloWorld"
    assert zmq.z85_encode(bytearray(HELLO_BYTES)) == "HelloWorld"
    assert zmq.z85_encode(memoryview(HELLO_BYTES)) == "HelloWorld"
    assert zmq.z85_decode("HelloWorld") == HELLO_BYTES
    assert zmq.z85_decode(b"HelloWorld") == HELLO_BYTES
    assert zmq.z85_encode(b"") == ""


def test_z85_round_trip():
    data = os.urandom(64)
    text = zmq.z85_encode(data)
    assert len(text) == 80 and zmq.z85_decode(text) == data


@pytest.mark.parametrize("data", [b"abc", b"abcde", b"x"])
def test_z85_encode_needs_a_multiple_of_4_bytes(data):
    with pytest.raises(ValueError):
        zmq.z85_encode(data)


@pytest.mark.parametrize("text", ["Hell", "HelloWorl", "HelloWorld!"])
def test_z85_decode_needs_a_multiple_of_5_characters(text):
    with pytest.raises(ValueError):
        zmq.z85_decode(text)


def test_z85_of_nothing_round_trips():
    # libzmq's zmq_z85_decode refuses "", but z85_encode(b"") is "": decode answers b"".
    assert zmq.z85_encode(b"") == "" and zmq.z85_decode("") == b""


@pytest.mark.parametrize("text", ["Hello orld", "Hello~orld", "Hello,orld", "Hello\0orld", "#####"])
def test_z85_decode_refuses_invalid_text(text):
    with pytest.raises(ValueError):
        zmq.z85_decode(text)


def test_z85_decode_refuses_non_ascii_text():
    with pytest.raises(ValueError):
        zmq.z85_decode("Hello\u00e9orld")


def test_curve_keypair():
    public, secret = zmq.curve_keypair()
    assert isinstance(public, str) and isinstance(secret, str)
    assert len(public) == len(secret) == 40
    assert len(zmq.z85_decode(public)) == len(zmq.z85_decode(secret)) == 32
    assert zmq.curve_keypair() != (public, secret)


def test_curve_keypairs_secure_a_connection(own):
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server = kept(zmq.socket(own, zmq.PULL))
    client = kept(zmq.socket(own, zmq.PUSH))
    zmq.setsockopt(server, zmq.CURVE_SERVER, 1)
    zmq.setsockopt(server, zmq.CURVE_SECRETKEY, server_secret)
    zmq.setsockopt(client, zmq.CURVE_SERVERKEY, server_public)
    zmq.setsockopt(client, zmq.CURVE_PUBLICKEY, client_public)
    zmq.setsockopt(client, zmq.CURVE_SECRETKEY, zmq.z85_decode(client_secret))   # raw bytes too
    zmq.setsockopt(server, zmq.RCVTIMEO, 5000)
    zmq.bind(server, "tcp://127.0.0.1:*")
    zmq.connect(client, zmq.getsockopt(server, zmq.LAST_ENDPOINT))
    zmq.send(client, b"secret")
    assert zmq.recv(server) == b"secret"
    assert zmq.getsockopt(server, zmq.MECHANISM) == zmq.CURVE
    assert zmq.getsockopt(client, zmq.CURVE_PUBLICKEY) == client_public


# -- no assert reachable from Python ------------------------------------------------------

PROBE_SETUP = """
import io, os, pyczmq
from pyczmq import zmq
ctx = zmq.ctx_new()
czmq = pyczmq.Context()
a, b = zmq.socket(ctx, zmq.PAIR), zmq.socket(ctx, zmq.PAIR)
zmq.bind(a, "inproc://probe"); zmq.connect(b, "inproc://probe")
closed = zmq.socket(ctx, zmq.PAIR); zmq.close(closed)
msg = zmq.msg_init()
"""

PROBE_TEARDOWN = """
for sock in ctx.sockets:
    sock.close(linger=0)
zmq.ctx_term(ctx)
czmq.destroy()
"""

# group -> [(exception that must be raised, or None for "must not raise", code)]
PROBES = {
    "contexts": [
        ("TypeError", "zmq.ctx_term(None)"),
        ("TypeError", "zmq.ctx_shutdown('ctx')"),
        ("TypeError", "zmq.ctx_get(None, zmq.IO_THREADS)"),
        ("TypeError", "zmq.ctx_set(ctx, 'x', 1)"),
        ("zmq.ZMQError", "zmq.ctx_get(ctx, 9999)"),
        ("zmq.ZMQError", "zmq.ctx_get(ctx, -1)"),
        ("zmq.ZMQError", "zmq.ctx_set(ctx, 9999, 1)"),
        ("zmq.ZMQError", "zmq.ctx_set(ctx, zmq.MAX_SOCKETS, 0)"),
        ("zmq.ZMQError", "zmq.ctx_set(ctx, zmq.IO_THREADS, 4)"),
        ("ValueError", "zmq.ctx_set(ctx, zmq.IO_THREADS, -1)"),
        ("OverflowError", "zmq.ctx_set(ctx, zmq.MAX_SOCKETS, 2**40)"),
        ("zmq.ZMQError", "zmq.ctx_term(czmq)"),
        ("zmq.ZMQError", "zmq.ctx_shutdown(czmq)"),
        ("pyczmq.ClosedError", "c = zmq.ctx_new(); zmq.ctx_term(c); zmq.socket(c, zmq.PAIR)"),
        ("pyczmq.ClosedError", "c = zmq.ctx_new(); zmq.ctx_term(c); zmq.ctx_get(c, 1)"),
        ("pyczmq.ClosedError", "c = zmq.ctx_new(); zmq.ctx_term(c); zmq.ctx_set(c, 2, 9)"),
        ("zmq.ContextTerminated", "c = zmq.ctx_new(); zmq.ctx_term(c); zmq.ctx_term(c)"),
        ("zmq.ContextTerminated", "c = zmq.ctx_new(); zmq.ctx_term(c); zmq.ctx_shutdown(c)"),
        ("pyczmq.ContextTerminated", "c = zmq.ctx_new(); zmq.ctx_shutdown(c); zmq.socket(c, 0)"),
        (None, "c = zmq.ctx_new(); zmq.ctx_shutdown(c); zmq.ctx_shutdown(c); zmq.ctx_term(c)"),
        ("pyczmq.ClosedError", "c = pyczmq.Context(); c.destroy(); zmq.socket(c, zmq.PAIR)"),
    ],
    "sockets": [
        ("TypeError", "zmq.socket(None, zmq.PAIR)"),
        ("TypeError", "zmq.socket('ctx', zmq.PAIR)"),
        ("ValueError", "zmq.socket(ctx, 99)"),
        ("ValueError", "zmq.socket(ctx, -1)"),
        ("ValueError", "zmq.socket(ctx, 'NOPE')"),
        ("TypeError", "zmq.socket(ctx, 1.5)"),
        ("TypeError", "zmq.close(None)"),
        (None, "zmq.close(closed)"),
    ] + [(exception, "zmq.%s(%s)" % (function, arguments))
         for function in ("bind", "connect", "unbind", "disconnect")
         for exception, arguments in (
             ("TypeError", "a, 5"), ("TypeError", "a, None"), ("TypeError", "None, 'inproc://x'"),
             ("ValueError", "a, 'inproc://x\\0y'"), ("pyczmq.ClosedError", "closed, 'inproc://q'"),
             ("zmq.ZMQError", "a, 'bogus://x'"), ("zmq.ZMQError", "a, ''"),
             ("zmq.ZMQError", "a, 'tcp://'"), ("zmq.ZMQError", "a, 'tcp://256.1.1.1:x'"))],
    "send and recv": [
        ("pyczmq.ClosedError", "zmq.send(closed, b'x')"),
        ("TypeError", "zmq.send(None, b'x')"),
        ("TypeError", "zmq.send(a, 5)"),
        ("TypeError", "zmq.send(a, None)"),
        ("TypeError", "zmq.send(a, object())"),
        ("ValueError", "zmq.send(a, b'abc', 4)"),
        ("ValueError", "zmq.send(a, b'abc', -1)"),
        ("TypeError", "zmq.send(a, b'abc', 'x')"),
        ("OverflowError", "zmq.send(a, b'abc', None, 2**40)"),
        ("zmq.Again", "zmq.send(zmq.socket(ctx, zmq.PUSH), b'x', None, zmq.DONTWAIT)"),
        ("zmq.ZMQError", "zmq.send(zmq.socket(ctx, zmq.SUB), b'x')"),
        ("zmq.ZMQError", "zmq.send(zmq.socket(ctx, zmq.REP), b'x')"),
        ("pyczmq.ClosedError", "zmq.recv(closed)"),
        ("pyczmq.ClosedError", "zmq.recv(closed, bytearray(4))"),
        ("TypeError", "zmq.recv(None)"),
        ("ValueError", "zmq.recv(b, None, None, zmq.SNDMORE)"),
        ("ValueError", "zmq.recv(b, None, None, -1)"),
        ("zmq.Again", "zmq.recv(b, None, None, zmq.DONTWAIT)"),
        ("zmq.ZMQError", "zmq.recv(zmq.socket(ctx, zmq.PUB))"),
        ("zmq.ZMQError", "zmq.recv(zmq.socket(ctx, zmq.REQ))"),
        ("zmq.Again", "s = zmq.socket(ctx, zmq.PULL); zmq.setsockopt(s, zmq.RCVTIMEO, 10); zmq.recv(s)"),
        ("(TypeError, BufferError)", "zmq.send(a, b'kept'); zmq.recv(b, 5)"),
    ],
    "socket options": [
        ("zmq.ZMQError", "zmq.getsockopt(a, 9999)"),
        ("zmq.ZMQError", "zmq.getsockopt(a, -1)"),
        ("zmq.ZMQError", "zmq.getsockopt(a, zmq.SUBSCRIBE)"),
        ("pyczmq.ClosedError", "zmq.getsockopt(closed, zmq.LINGER)"),
        ("TypeError", "zmq.getsockopt(None, zmq.LINGER)"),
        ("TypeError", "zmq.getsockopt(a, 'linger')"),
        ("zmq.ZMQError", "zmq.setsockopt(a, 9999, 1)"),
        ("zmq.ZMQError", "zmq.setsockopt(a, zmq.TYPE, 1)"),
        ("TypeError", "zmq.setsockopt(a, zmq.LINGER, 'x')"),
        ("TypeError", "zmq.setsockopt(a, zmq.LINGER, None)"),
        ("OverflowError", "zmq.setsockopt(a, zmq.LINGER, 2**40)"),
        ("zmq.ZMQError", "zmq.setsockopt(a, zmq.LINGER, -5)"),
        ("zmq.ZMQError", "zmq.setsockopt(a, zmq.SUBSCRIBE, b'x')"),
        ("zmq.ZMQError", "zmq.setsockopt(a, zmq.ROUTING_ID, b'')"),
        ("pyczmq.ClosedError", "zmq.setsockopt(closed, zmq.LINGER, 0)"),
        ("ValueError", "zmq.setsockopt(a, zmq.CURVE_SERVERKEY, b'short')"),
        ("zmq.ZMQError", "zmq.setsockopt(a, zmq.CURVE_SERVERKEY, ' ' * 40)"),
        ("ValueError", "zmq.setsockopt(a, zmq.USE_FD, 0)"),
        ("ValueError", "zmq.setsockopt(a, zmq.BINDTODEVICE, 'eth\\0')"),
        ("TypeError", "zmq.setsockopt(a, zmq.ROUTING_ID, 5)"),
    ],
    "messages": [
        ("TypeError", "zmq.msg_send(None, a)"),
        ("TypeError", "zmq.msg_send(msg, None)"),
        ("TypeError", "zmq.msg_send(b'bytes', a)"),
        ("pyczmq.ClosedError", "zmq.msg_send(zmq.msg_init_data(None, b'x'), closed)"),
        ("pyczmq.ClosedError", "zmq.msg_recv(msg, closed)"),
        ("pyczmq.ClosedError", "zmq.sendmsg(closed, msg)"),
        ("pyczmq.ClosedError", "zmq.recvmsg(closed, msg)"),
        ("zmq.Again", "zmq.msg_recv(msg, b, zmq.DONTWAIT)"),
        ("zmq.ZMQError", "zmq.msg_get(msg, 99)"),
        ("zmq.ZMQError", "zmq.msg_get(msg, -1)"),
        ("zmq.ZMQError", "zmq.msg_get(msg, zmq.SRCFD)"),
        ("zmq.ZMQError", "zmq.msg_set(msg, zmq.MORE, 1)"),
        ("OverflowError", "zmq.msg_get(msg, 2**40)"),
        ("TypeError", "zmq.msg_size(None)"),
        ("TypeError", "zmq.msg_data(None)"),
        ("TypeError", "zmq.msg_more('x')"),
        ("TypeError", "zmq.msg_copy(msg, None)"),
        ("TypeError", "zmq.msg_move(None, msg)"),
        ("TypeError", "zmq.msg_close(None)"),
        ("TypeError", "zmq.msg_init('x')"),
        ("OverflowError", "zmq.msg_init_size(None, -1)"),
        ("OverflowError", "zmq.msg_init_size(None, 2**64)"),
        ("MemoryError", "zmq.msg_init_size(None, 2**64 - 1)"),
        ("MemoryError", "zmq.msg_init_size(None, 2**63)"),
        ("TypeError", "zmq.msg_init_size(None, 'x')"),
        ("ValueError", "zmq.msg_init_data(None, b'abc', 5)"),
        ("ValueError", "zmq.msg_init_data(None, b'abc', -1)"),
        ("TypeError", "zmq.msg_init_data(None, 5)"),
        ("TypeError", "zmq.msg_init_data(None, 'text')"),
        ("ZeroDivisionError", "zmq.msg_init_data(None, b'x', None, lambda d, h: 1 / 0)"),
    ],
    "message states": [
        (None, "m = zmq.msg_init(); assert zmq.msg_size(m) == 0 and bytes(zmq.msg_data(m)) == b''"),
        (None, "m = zmq.msg_init_data(None, b'x' * 100); zmq.msg_send(m, a); "
               "assert (zmq.msg_size(m), zmq.msg_more(m), zmq.msg_get(m, zmq.SHARED)) == (0, 0, 0); "
               "assert zmq.msg_send(m, a) == 0 and zmq.recv(b) == b'x' * 100 and zmq.recv(b) == b''"),
        (None, "s, d = zmq.msg_init_data(None, b'y' * 100), zmq.msg_init(); zmq.msg_move(d, s); "
               "zmq.msg_move(d, s); assert zmq.msg_size(d) == 0 == zmq.msg_size(s)"),
        (None, "s, d = zmq.msg_init(), zmq.msg_init(); zmq.msg_copy(d, s); zmq.msg_close(s); "
               "zmq.msg_close(s); assert zmq.msg_size(d) == 0"),
        (None, "s = zmq.msg_init_data(None, b'z' * 100); d = zmq.msg_init(); zmq.msg_copy(d, s); "
               "zmq.msg_close(s); assert bytes(d) == b'z' * 100; zmq.msg_copy(s, d); "
               "zmq.msg_copy(s, d); del d; assert bytes(s) == b'z' * 100"),
        (None, "m = zmq.msg_init_data(None, b'w' * 100); zmq.msg_move(m, m); zmq.msg_size(m)"),
        (None, "m = zmq.msg_init_data(None, b'v' * 100); v = memoryview(m); del m; "
               "assert bytes(v) == b'v' * 100; v.release()"),
        ("(TypeError, BufferError)", "m = zmq.msg_init_data(None, b'u' * 100); d = zmq.msg_init(); "
                                     "zmq.msg_copy(d, m); io.BytesIO(b'x').readinto(m)"),
        ("BufferError", "m = zmq.msg_init(); v = memoryview(m); zmq.msg_recv(m, b, zmq.DONTWAIT)"),
        (None, "m = zmq.msg_init_data(None, b'full'); zmq.send(a, b'new'); zmq.msg_recv(m, b); "
               "assert bytes(m) == b'new'"),
        (None, "m = zmq.msg_init_size(None, 10**6); zmq.msg_send(m, a); "
               "assert len(zmq.recv(b)) == 10**6"),
    ],
    "poll": [
        ("TypeError", "zmq.pollitem('not a socket')"),
        ("ValueError", "zmq.pollitem(None, -1)"),
        ("ValueError", "zmq.pollitem(None, 'x')"),
        ("OverflowError", "zmq.pollitem(None, 2**40)"),
        ("OverflowError", "zmq.pollitem(a, 0, 1 << 20)"),
        ("TypeError", "zmq.pollitem(a).events = 'x'"),
        ("AttributeError", "zmq.pollitem(a).socket = b"),
        ("pyczmq.ClosedError", "zmq.poll([zmq.pollitem(closed, events=zmq.POLLIN)], 0)"),
        ("pyczmq.ClosedError", "s = czmq.socket('PAIR'); i = zmq.pollitem(s, events=1); "
                               "s.close(); zmq.poll([i], 0)"),
        ("pyczmq.ClosedError", "c = pyczmq.Context(); s = c.socket('PAIR'); "
                               "i = zmq.pollitem(s, events=1); c.destroy(); zmq.poll([i], 100)"),
        ("pyczmq.ClosedError", "c = zmq.ctx_new(); s = zmq.socket(c, 0); i = zmq.pollitem(s, events=1); "
                               "zmq.close(s); zmq.ctx_term(c); zmq.poll([i], 0)"),
        ("TypeError", "zmq.poll([5], 0)"),
        ("TypeError", "zmq.poll(5, 0)"),
        ("TypeError", "zmq.poll([zmq.pollitem(a, events=1)], 'x')"),
        ("OverflowError", "zmq.poll([zmq.pollitem(a, events=1)], 2**70)"),
        ("TypeError", "zmq.poll([zmq.pollitem(a, events=1)], 'n', 0)"),
        (None, "i = zmq.pollitem(None, 100000, zmq.POLLIN); zmq.poll([i], 0); "
               "assert i.revents == zmq.POLLERR"),
        (None, "r, w = os.pipe(); os.close(r); os.close(w); i = zmq.pollitem(None, r, 1); "
               "zmq.poll([i], 0); assert i.revents == zmq.POLLERR"),
        (None, "assert zmq.poll([], 0) == 0 and zmq.poll([], 10) == 0"),
        (None, "assert zmq.poll([zmq.pollitem(a, events=0)], 10) == 0"),
        ("ValueError", "i = zmq.pollitem(a, events=zmq.POLLIN); zmq.poll([i, i], 5, 0)"),
    ],
    "proxy and monitor": [
        ("TypeError", "zmq.proxy(a, None)"),
        ("TypeError", "zmq.proxy(None, a)"),
        ("TypeError", "zmq.proxy(a, b, 'capture')"),
        ("pyczmq.ClosedError", "zmq.proxy(a, closed)"),
        ("pyczmq.ClosedError", "zmq.proxy(closed, a)"),
        ("pyczmq.ClosedError", "zmq.proxy(a, b, closed)"),
        ("pyczmq.ClosedError", "c = pyczmq.Context(); x, y = c.socket('PULL'), c.socket('PUSH'); "
                               "c.destroy(); zmq.proxy(x, y)"),
        ("ValueError", "zmq.proxy(a, czmq.socket('PAIR'))"),
        ("ValueError", "zmq.proxy(a, b, czmq.socket('PAIR'))"),
        ("zmq.ZMQError", "zmq.socket_monitor(a, 'tcp://127.0.0.1:1')"),
        ("zmq.ZMQError", "zmq.socket_monitor(a, 'bogus')"),
        ("zmq.ZMQError", "zmq.socket_monitor(a, '')"),
        ("zmq.ZMQError", "zmq.socket_monitor(a, 'inproc://events', 1 << 20)"),
        ("OverflowError", "zmq.socket_monitor(a, 'inproc://events', 2**40)"),
        ("pyczmq.ClosedError", "zmq.socket_monitor(closed, 'inproc://mon')"),
        ("TypeError", "zmq.socket_monitor(None, 'inproc://mon')"),
        ("TypeError", "zmq.socket_monitor(a, 'inproc://mon', 'all')"),
        ("ValueError", "zmq.parse_monitor_event([b'x'])"),
        ("ValueError", "zmq.parse_monitor_event([b'abc', b''])"),
        ("TypeError", "zmq.parse_monitor_event(None)"),
        ("TypeError", "zmq.recv_monitor_event(None)"),
        ("pyczmq.ClosedError", "zmq.recv_monitor_event(closed)"),
        ("zmq.Again", "zmq.recv_monitor_event(b, zmq.DONTWAIT)"),
        ("ValueError", "zmq.send(a, b'not an event'); zmq.recv_monitor_event(b)"),
        (None, "s = zmq.socket(ctx, zmq.PAIR); zmq.socket_monitor(s, 'inproc://m1'); zmq.close(s)"),
    ],
    "z85, keys, errors": [
        ("TypeError", "zmq.z85_encode(None)"),
        ("TypeError", "zmq.z85_encode('text')"),
        ("ValueError", "zmq.z85_encode(b'abc')"),
        ("ValueError", "zmq.z85_decode('abcd')"),
        ("ValueError", "zmq.z85_decode('abcd\\0')"),
        ("ValueError", "zmq.z85_decode('\\x7f' * 5)"),
        ("ValueError", "zmq.z85_decode('%%%%%')"),
        ("TypeError", "zmq.z85_decode(None)"),
        ("TypeError", "zmq.z86_decode(None)"),
        ("TypeError", "zmq.has(None)"),
        ("TypeError", "zmq.strerror('x')"),
        ("OverflowError", "zmq.strerror(2**40)"),
        (None, "assert zmq.strerror(-1) and zmq.strerror(10**6)"),
        ("TypeError", "zmq.curve_keypair(1)"),
        ("TypeError", "zmq.version(1)"),
        ("TypeError", "zmq.errno(1)"),
    ],
}


@pytest.mark.parametrize("group", sorted(PROBES))
def test_bad_input_raises_and_never_aborts(group):
    """Each probe raises its exception (or none) and the child exits cleanly."""
    result = run_probes(PROBE_SETUP, PROBES[group], PROBE_TEARDOWN)
    assert_clean_run(result)
    assert result.stdout == "survived\n"


def test_msg_copy_onto_itself_does_not_abort():
    out = clean_output("""
        from pyczmq import zmq
        m = zmq.msg_init_data(None, b"self")
        try:
            zmq.msg_copy(m, m)
        except Exception:
            pass
        print(zmq.msg_size(m) in (0, 4))
    """)
    assert out == "True\n"


PROXY_AND_DESTROY = '''
import threading
import pyczmq
from pyczmq import zmq
for i in range(%d):
    ctx = pyczmq.Context()
    endpoint = "inproc://proxy-%%d" %% i
    frontend, backend = zmq.socket(ctx, zmq.PULL), zmq.socket(ctx, zmq.PUSH)
    zmq.bind(frontend, endpoint + "-front")
    zmq.bind(backend, endpoint + "-back")
    def device():
        try:
            zmq.proxy(frontend, backend)
        finally:
            zmq.close(frontend)
            zmq.close(backend)
    thread = threading.Thread(target=device)
    thread.start()
    source, sink = zmq.socket(ctx, zmq.PUSH), zmq.socket(ctx, zmq.PULL)
    zmq.connect(source, endpoint + "-front")
    zmq.connect(sink, endpoint + "-back")
    zmq.send(source, b"x")
    assert zmq.recv(sink) == b"x"
    ctx.destroy()               # at once, from this thread, while the proxy runs
    thread.join(10)
    assert not thread.is_alive(), "the proxy did not end"
print("ok")
'''


def test_destroying_the_context_under_a_running_proxy_never_crashes():
    # Regression: destroy() closed the proxy's control socket under
    # zmq_proxy_steerable (libzmq then asserted or crashed, mostly under
    # load).  Several processes at once make the race likely.
    import sys
    processes = [subprocess.Popen([sys.executable, "-c", PROXY_AND_DESTROY % 1500],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    outcomes = [process.communicate(timeout=120) + (process.returncode,)
                for process in processes]
    assert outcomes == [("ok\n", "", 0)] * 3


def test_a_msg_being_received_into_is_left_alone_by_other_threads(pair):
    # The receive replaces the message's data with the GIL released: a view
    # or a read taken meanwhile would point at freed memory.
    a, b = pair
    msg = zmq.msg_init()
    received = []
    waiter = threading.Thread(target=lambda: received.append(zmq.msg_recv(msg, b)))
    waiter.start()
    wait_until(lambda: msg_is_busy(msg), what="the receive to start")
    with pytest.raises(BufferError):
        memoryview(msg)
    for call in (msg.bytes, lambda: zmq.msg_close(msg), lambda: zmq.msg_copy(zmq.msg_init(), msg),
                 lambda: zmq.msg_move(zmq.msg_init(), msg), lambda: zmq.msg_send(msg, a)):
        with pytest.raises(pyczmq.ZMQError) as raised:
            call()
        assert raised.value.errno == errno_module.EBUSY
    a.send(b"arrived")
    waiter.join(10)
    assert received == [7] and msg.bytes() == b"arrived" and bytes(memoryview(msg)) == b"arrived"


def msg_is_busy(msg):
    try:
        msg.bytes()
    except pyczmq.ZMQError:
        return True
    return False
