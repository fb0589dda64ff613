"""The functional layer: pyczmq.zctx, zsocket, zsockopt, zstr, zframe, zmsg and
zmq, checked against the 2013 API (pyczmq 0.1.1) over real sockets.

pyczmq 0.1's return conventions are kept here: zsocket.bind returns the port or
-1, connect/unbind/disconnect and the send functions return 0 or -1,
zframe.recv_nowait/zstr.recv_nowait return None when nothing waits, and
zmsg.load returns None when the file can not be loaded.
"""

import ctypes
import os
import re
import socket as pysocket
import time

import pytest

import pyczmq
import pyczmq.types
from pyczmq import zctx, zframe, zmq, zmsg, zsocket, zsockopt, zstr
from pyczmq import ClosedError, ZMQError

from conftest import clean_stdout, kept

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(pyczmq.__file__)))


# -- helpers -------------------------------------------------------------------



def free_tcp_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with pysocket.socket(pysocket.AF_INET, pysocket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def deliver(send, receiver, timeout=10.0):
    """Call send() until `receiver` has input: a PUB/SUB (or any) join is
    asynchronous, so the first messages may be dropped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        send()
        if zsocket.poll(receiver, 100):
            return
    pytest.fail("nothing arrived within %s s" % timeout)


def frames_of(msg):
    """The data of every frame of a Message, as bytes."""
    result = []
    frame = zmsg.first(msg)
    while frame is not None:
        result.append(bytes(zframe.data(frame)))
        frame = zmsg.next(msg)
    return result


def new_msg(*strings):
    """A new Message with one frame per string."""
    msg = zmsg.new()
    for string in strings:
        assert zmsg.addstr(msg, string) == 0
    return msg


def run_clean(code):
    """Run `code` in a fresh interpreter from the project root; return stdout."""
    return clean_stdout(code, cwd=PROJECT_ROOT)


@pytest.fixture
def pub_sub(ctx, inproc):
    """A PUB bound and a SUB subscribed to everything, joined: (pub, sub)."""
    pub = kept(zsocket.new(ctx, zmq.PUB))
    sub = kept(zsocket.new(ctx, zmq.SUB))
    zsockopt.set_subscribe(sub, "")
    assert zsocket.bind(pub, inproc) == 0
    assert zsocket.connect(sub, inproc) == 0
    deliver(lambda: zstr.send(pub, "sync"), sub)
    while zstr.recv_nowait(sub) is not None:
        pass
    return pub, sub


# -- zctx ----------------------------------------------------------------------


def test_zctx_new_and_destroy_closes_its_sockets(inproc):
    """destroy() closes every socket of the context; they then raise ClosedError."""
    ctx = zctx.new()
    try:
        assert isinstance(ctx, pyczmq.Context)
        a = kept(zsocket.new(ctx, zmq.PAIR))
        b = kept(zsocket.new(ctx, zmq.PAIR))
        assert zsocket.bind(a, inproc) == 0
        assert zsocket.connect(b, inproc) == 0
        assert zstr.send(a, "alive") == 0
        assert zstr.recv(b) == "alive"
    finally:
        zctx.destroy(ctx)
    for sock in (a, b):
        with pytest.raises(ClosedError):
            zstr.send(sock, "dead")
        with pytest.raises(ClosedError):
            zsocket.bind(sock, inproc + "-again")
    with pytest.raises(ClosedError):
        kept(zsocket.new(ctx, zmq.PAIR))


def test_zctx_destroy_leaves_other_contexts_alone(ctx, inproc):
    """Destroying one context does not touch the sockets of another."""
    other = zctx.new()
    doomed = kept(zsocket.new(other, zmq.PUSH))
    pull = kept(zsocket.new(ctx, zmq.PULL))
    push = kept(zsocket.new(ctx, zmq.PUSH))
    zsocket.bind(pull, inproc)
    zsocket.connect(push, inproc)
    zctx.destroy(other)
    with pytest.raises(ClosedError):
        zsocket.poll(doomed, 0)
    assert zstr.send(push, "still here") == 0
    assert zstr.recv(pull) == "still here"


def test_zctx_defaults_apply_to_new_sockets(ctx):
    """set_linger/set_sndhwm/set_rcvhwm apply to sockets made afterwards only."""
    before = kept(zsocket.new(ctx, zmq.DEALER))
    zctx.set_linger(ctx, 250)
    zctx.set_sndhwm(ctx, 17)
    zctx.set_rcvhwm(ctx, 23)
    after = kept(zsocket.new(ctx, zmq.DEALER))
    assert (zsockopt.linger(after), zsockopt.sndhwm(after), zsockopt.rcvhwm(after)) == (250, 17, 23)
    assert (zsockopt.linger(before), zsockopt.sndhwm(before), zsockopt.rcvhwm(before)) == (0, 1000, 1000)


def test_zctx_hwm_limits_queued_messages(ctx, inproc):
    """The context's HWMs really bound how much a PUSH can queue to a slow PULL."""
    zctx.set_sndhwm(ctx, 5)
    zctx.set_rcvhwm(ctx, 5)
    push = kept(zsocket.new(ctx, zmq.PUSH))
    pull = kept(zsocket.new(ctx, zmq.PULL))
    zsocket.bind(pull, inproc)
    zsocket.connect(push, inproc)
    queued = 0
    while queued < 1000 and zframe.send(zframe.new("x"), push, zframe.DONTWAIT) == 0:
        queued += 1
    assert 1 <= queued <= 20


@pytest.mark.parametrize("setter", [zctx.set_linger, zctx.set_sndhwm, zctx.set_rcvhwm,
                                    zctx.set_pipehwm, zctx.set_iothreads])
def test_zctx_setters_reject_bad_values(ctx, setter):
    """Bad values raise (TypeError/ValueError) instead of reaching CZMQ's asserts."""
    with pytest.raises(TypeError):
        setter(ctx, "10")
    with pytest.raises(ValueError):
        setter(ctx, -5)


def _czmq():
    library = ctypes.CDLL("libczmq.so.4")
    library.zsys_pipehwm.restype = ctypes.c_size_t
    library.zsys_init.restype = ctypes.c_void_p
    return library


def test_zctx_set_pipehwm():
    """set_pipehwm sets CZMQ's process-wide pipe HWM (read back from libczmq)."""
    czmq = _czmq()
    ctx = zctx.new()
    original = czmq.zsys_pipehwm()
    try:
        zctx.set_pipehwm(ctx, 500)
        assert czmq.zsys_pipehwm() == 500
        zctx.set_pipehwm(ctx, 2000)
        assert czmq.zsys_pipehwm() == 2000
    finally:
        zctx.set_pipehwm(ctx, original)
        zctx.destroy(ctx)
    assert czmq.zsys_pipehwm() == original


def test_zctx_underlying(ctx):
    """underlying is CZMQ's libzmq context: a non-zero int that libzmq accepts."""
    address = zctx.underlying(ctx)
    assert isinstance(address, int) and address != 0
    assert address == _czmq().zsys_init()
    libzmq = ctypes.CDLL("libzmq.so.5")
    libzmq.zmq_ctx_get.argtypes = [ctypes.c_void_p, ctypes.c_int]
    assert libzmq.zmq_ctx_get(address, zmq.IO_THREADS) >= 1
    assert zctx.underlying(zctx.new()) == address     # one context per process


IOTHREADS_PRELUDE = """
    import ctypes, os
    import pyczmq
    from pyczmq import zctx, zsocket, zmq

    libzmq = ctypes.CDLL("libzmq.so.5")
    libzmq.zmq_ctx_get.argtypes = [ctypes.c_void_p, ctypes.c_int]

    def io_threads(ctx):
        return libzmq.zmq_ctx_get(zctx.underlying(ctx), zmq.IO_THREADS)

    def threads():
        return len(os.listdir("/proc/self/task"))
"""


def test_zctx_set_iothreads_in_a_fresh_process():
    """Before any socket the I/O threads can change (2013 test); afterwards a
    change raises ZMQError while setting the current value is fine."""
    out = run_clean(IOTHREADS_PRELUDE + """
    ctx = zctx.new()
    zctx.set_iothreads(ctx, 2)
    assert io_threads(ctx) == 2
    zctx.set_iothreads(ctx, 1)
    assert io_threads(ctx) == 1
    zctx.set_iothreads(ctx, 2)
    before = threads()
    sock = zsocket.new(ctx, zmq.PAIR)
    assert threads() - before == 3, threads() - before   # 2 I/O threads + the reaper
    for wrong in (1, 3):
        try:
            zctx.set_iothreads(ctx, wrong)
        except pyczmq.ZMQError as error:
            assert "I/O thread" in str(error), error
        else:
            raise SystemExit("set_iothreads(%d) after a socket was accepted" % wrong)
    zctx.set_iothreads(ctx, 2)
    assert io_threads(ctx) == 2
    zctx.destroy(ctx)
    print("ok")
    """)
    assert out == "ok\n"


def test_zctx_new_keeps_the_iothreads_already_set():
    """A second zctx.new() before any socket keeps the I/O threads chosen."""
    out = run_clean(IOTHREADS_PRELUDE + """
    first = zctx.new()
    zctx.set_iothreads(first, 2)
    second = zctx.new()
    print(io_threads(first))
    """)
    assert out == "2\n"


def test_zctx_new_after_sockets_with_two_iothreads():
    """zctx.new() still works after sockets exist in a 2-I/O-thread process."""
    out = run_clean(IOTHREADS_PRELUDE + """
    first = zctx.new()
    zctx.set_iothreads(first, 2)
    sock = zsocket.new(first, zmq.PAIR)
    second = zctx.new()
    zctx.destroy(second)
    zctx.destroy(first)
    print("ok")
    """)
    assert out == "ok\n"


# -- zsocket -------------------------------------------------------------------


@pytest.mark.parametrize("kind", [zmq.PUSH, "PUSH", "push", b"PUSH"])
def test_zsocket_new_by_constant_or_name(ctx, kind):
    """new() takes a ZMQ constant or a socket type name."""
    sock = kept(zsocket.new(ctx, kind))
    assert isinstance(sock, pyczmq.Socket)
    assert zsocket.type_str(sock) == "PUSH"
    assert zsockopt.type(sock) == zmq.PUSH          # as libzmq sees it


@pytest.mark.parametrize("kind, error", [("PUSHY", ValueError), (99, ValueError),
                                         (-1, ValueError), (1.5, TypeError)])
def test_zsocket_new_rejects_unknown_types(ctx, kind, error):
    """An unknown type raises instead of tripping CZMQ's assert."""
    with pytest.raises(error):
        kept(zsocket.new(ctx, kind))


def test_zsocket_2013_selftest(ctx):
    """pyczmq 0.1's zsocket test: fixed-port bind, unbind, re-bind, connect,
    ephemeral port, poll, bad transport, frames with MORE."""
    service = free_tcp_port()
    writer = kept(zsocket.new(ctx, zmq.PUSH))
    reader = kept(zsocket.new(ctx, zmq.PULL))
    assert zsocket.type_str(writer) == "PUSH"
    assert zsocket.type_str(reader) == "PULL"
    assert zsocket.bind(writer, "tcp://*:%d" % service) == service
    assert zsocket.unbind(writer, "tcp://*:%d" % service) == 0
    assert zsocket.bind(writer, "tcp://*:%d" % service) == service
    assert zsocket.connect(reader, "tcp://localhost:%d" % service) == 0
    assert zstr.send(writer, "HELLO") == 0
    assert zstr.recv(reader) == "HELLO"

    port = zsocket.bind(writer, "tcp://*:*")
    assert zsocket.DYNFROM <= port <= zsocket.DYNTO
    assert zsocket.poll(writer, 100) is False
    assert zsocket.connect(reader, "txp://localhost:%d" % service) == -1

    assert zframe.send(zframe.new("ABC"), writer, zframe.MORE) == 0
    assert zframe.send(zframe.new("DEFG"), writer, 0) == 0
    frame = zframe.recv(reader)
    assert zframe.streq(frame, "ABC") and zframe.more(frame) == 1
    frame = zframe.recv(reader)
    assert zframe.streq(frame, "DEFG") and zframe.more(frame) == 0


def test_zsocket_bind_fixed_port_in_use_returns_minus_one(ctx):
    """A second bind of a port in use returns -1."""
    port = free_tcp_port()
    first = kept(zsocket.new(ctx, zmq.PULL))
    second = kept(zsocket.new(ctx, zmq.PULL))
    assert zsocket.bind(first, "tcp://127.0.0.1:%d" % port) == port
    assert zsocket.bind(second, "tcp://127.0.0.1:%d" % port) == -1


def _exchange_over_tcp(ctx, sender, port):
    receiver = kept(zsocket.new(ctx, zmq.PULL))
    assert zsocket.connect(receiver, "tcp://127.0.0.1:%d" % port) == 0
    assert zstr.send(sender, "over tcp") == 0
    assert zsocket.poll(receiver, 5000) is True
    assert zstr.recv(receiver) == "over tcp"


def test_zsocket_bind_ephemeral_port(ctx):
    """tcp://127.0.0.1:* returns a port in DYNFROM..DYNTO that peers can reach."""
    assert (zsocket.DYNFROM, zsocket.DYNTO) == (49152, 65535)
    push = kept(zsocket.new(ctx, zmq.PUSH))
    port = zsocket.bind(push, "tcp://127.0.0.1:*")
    assert 49152 <= port <= 65535
    assert zsocket.bind(push, "tcp://127.0.0.1:*") not in (port, -1)
    _exchange_over_tcp(ctx, push, port)


def test_zsocket_bind_port_range(ctx):
    """tcp://127.0.0.1:![50000-50010] returns a reachable port in that range."""
    push = kept(zsocket.new(ctx, zmq.PUSH))
    port = zsocket.bind(push, "tcp://127.0.0.1:![50000-50010]")
    assert 50000 <= port <= 50010
    _exchange_over_tcp(ctx, push, port)


def test_zsocket_bind_ipc_and_inproc(ctx, ipc_endpoint, inproc):
    """Non-TCP binds return 0 and carry messages; a bad endpoint returns -1."""
    for endpoint in (ipc_endpoint, inproc):
        pull = kept(zsocket.new(ctx, zmq.PULL))
        push = kept(zsocket.new(ctx, zmq.PUSH))
        assert zsocket.bind(pull, endpoint) == 0
        assert zsocket.connect(push, endpoint) == 0
        assert zstr.send(push, endpoint) == 0
        assert zsocket.poll(pull, 5000) is True
        assert zstr.recv(pull) == endpoint
    other = kept(zsocket.new(ctx, zmq.PULL))
    assert zsocket.bind(other, inproc) == -1                        # name in use
    assert zsocket.bind(other, "ipc:///nonexistent-folder/x") == -1
    assert zsocket.bind(other, "bogus") == -1


@pytest.mark.parametrize("endpoint", ["txp://127.0.0.1:5555", "tcp://", "nonsense"])
def test_zsocket_connect_invalid_endpoint(ctx, endpoint):
    """connect() returns -1 for an invalid endpoint."""
    assert zsocket.connect(kept(zsocket.new(ctx, zmq.PUSH)), endpoint) == -1


def test_zsocket_unbind(ctx, ipc_endpoint):
    """unbind returns 0 for a bound endpoint, -1 for one never (or no longer) bound."""
    sock = kept(zsocket.new(ctx, zmq.PULL))
    assert zsocket.unbind(sock, "tcp://127.0.0.1:%d" % free_tcp_port()) == -1
    assert zsocket.unbind(sock, ipc_endpoint) == -1
    assert zsocket.bind(sock, ipc_endpoint) == 0
    assert zsocket.unbind(sock, ipc_endpoint) == 0
    assert zsocket.unbind(sock, ipc_endpoint) == -1
    port = zsocket.bind(sock, "tcp://127.0.0.1:*")
    assert zsocket.unbind(sock, "tcp://127.0.0.1:%d" % port) == 0
    peer = kept(zsocket.new(ctx, zmq.PUSH))       # nothing listens there any more
    zsockopt.set_immediate(peer, 1)         # queue only to a completed connection
    zsockopt.set_sndtimeo(peer, 200)
    zsocket.connect(peer, "tcp://127.0.0.1:%d" % port)
    assert zstr.send(peer, "lost") == -1


def test_zsocket_disconnect(ctx, inproc):
    """disconnect returns 0 for a connected endpoint, -1 otherwise."""
    pull = kept(zsocket.new(ctx, zmq.PULL))
    push = kept(zsocket.new(ctx, zmq.PUSH))
    assert zsocket.disconnect(push, inproc) == -1
    zsocket.bind(pull, inproc)
    assert zsocket.connect(push, inproc) == 0
    assert zsocket.disconnect(push, inproc) == 0
    assert zsocket.disconnect(push, inproc) == -1
    assert zsocket.disconnect(push, "tcp://127.0.0.1:%d" % free_tcp_port()) == -1


def test_zsocket_poll(push_pull):
    """poll returns False after the timeout when nothing waits, True when input is ready."""
    push, pull = push_pull
    assert zsocket.poll(pull, 0) is False
    start = time.monotonic()
    assert zsocket.poll(pull, 200) is False
    assert time.monotonic() - start >= 0.15
    zstr.send(push, "wake")
    start = time.monotonic()
    assert zsocket.poll(pull, 5000) is True
    assert time.monotonic() - start < 4
    assert zsocket.poll(pull, 0) is True            # still there until received
    assert zstr.recv(pull) == "wake"
    assert zsocket.poll(pull, 0) is False


@pytest.mark.parametrize("name", pyczmq.SOCKET_TYPE_NAMES)
def test_zsocket_type_str(ctx, name):
    """type_str names every socket type."""
    assert zsocket.type_str(kept(zsocket.new(ctx, getattr(zmq, name)))) == name


def test_zsocket_destroy(ctx, inproc):
    """destroy() closes the socket: it is unusable and leaves its context."""
    sock = kept(zsocket.new(ctx, zmq.PULL))
    zsocket.bind(sock, inproc)
    assert sock in ctx.sockets
    zsocket.destroy(ctx, sock)
    assert sock not in ctx.sockets
    with pytest.raises(ClosedError):
        zstr.recv_nowait(sock)
    # libzmq closes asynchronously: the endpoint is released shortly after.
    again = kept(zsocket.new(ctx, zmq.PULL))
    deadline = time.monotonic() + 5
    while zsocket.bind(again, inproc) != 0:
        assert time.monotonic() < deadline, "the endpoint was never released"
        time.sleep(0.002)


CLOSED_SOCKET_CALLS = {
    "bind": lambda s: zsocket.bind(s, "inproc://closed-bind"),
    "unbind": lambda s: zsocket.unbind(s, "inproc://closed-bind"),
    "connect": lambda s: zsocket.connect(s, "inproc://closed-connect"),
    "disconnect": lambda s: zsocket.disconnect(s, "inproc://closed-connect"),
    "poll": lambda s: zsocket.poll(s, 0),
    "type_str": lambda s: zsocket.type_str(s),
    "destroy": lambda s: zsocket.destroy(s.ctx, s),
    "zsockopt.linger": lambda s: zsockopt.linger(s),
    "zsockopt.set_linger": lambda s: zsockopt.set_linger(s, 5),
    "zstr.send": lambda s: zstr.send(s, "x"),
    "zstr.sendm": lambda s: zstr.sendm(s, "x"),
    "zstr.sendx": lambda s: zstr.sendx(s, "x", "y"),
    "zstr.recv": lambda s: zstr.recv(s),
    "zstr.recv_nowait": lambda s: zstr.recv_nowait(s),
    "zstr.recvx": lambda s: zstr.recvx(s),
    "zframe.send": lambda s: zframe.send(zframe.new("x"), s, 0),
    "zframe.recv": lambda s: zframe.recv(s),
    "zframe.recv_nowait": lambda s: zframe.recv_nowait(s),
    "zmsg.send": lambda s: zmsg.send(new_msg("x"), s),
    "zmsg.recv": lambda s: zmsg.recv(s),
}


@pytest.mark.parametrize("call", [pytest.param(call, id=name)
                                  for name, call in CLOSED_SOCKET_CALLS.items() if name != "destroy"])
def test_closed_socket_raises_closed_error(ctx, call):
    """Every function given a destroyed socket raises ClosedError."""
    sock = kept(zsocket.new(ctx, zmq.DEALER))
    zsocket.destroy(ctx, sock)
    with pytest.raises(ClosedError):
        call(sock)


# -- zsockopt ------------------------------------------------------------------


def test_zsockopt_has_a_getter_and_setter_per_option():
    """Every readable option has zsockopt.<name>, every writable one set_<name>."""
    assert len(pyczmq.SOCKET_OPTIONS) >= 60
    for name, option in pyczmq.SOCKET_OPTIONS.items():
        assert hasattr(zsockopt, name) == bool(option.readable), name
        assert hasattr(zsockopt, "set_" + name) == bool(option.writable), name


@pytest.mark.parametrize("name, value", [
    ("linger", 1234), ("sndhwm", 7), ("rcvhwm", 9), ("rcvtimeo", 150), ("sndtimeo", 250),
    ("backlog", 12), ("reconnect_ivl", 333), ("maxmsgsize", 2**40), ("affinity", 3),
    ("routing_id", b"\x00id\xff"), ("zap_domain", "global"),
])
def test_zsockopt_round_trip(ctx, name, value):
    """set_<option> then <option> reads the value back from libzmq."""
    sock = kept(zsocket.new(ctx, zmq.DEALER))
    getattr(zsockopt, "set_" + name)(sock, value)
    assert getattr(zsockopt, name)(sock) == value


def test_zsockopt_subscribe_filters(ctx, inproc):
    """set_subscribe/set_unsubscribe (also reachable as zsocket.set_...) filter by prefix."""
    pub = kept(zsocket.new(ctx, zmq.PUB))
    sub = kept(zsocket.new(ctx, zmq.SUB))
    zsocket.set_subscribe(sub, "A")
    zsocket.bind(pub, inproc)
    zsocket.connect(sub, inproc)
    deliver(lambda: (zstr.send(pub, "B skipped"), zstr.send(pub, "A kept")), sub)
    while True:
        text = zstr.recv_nowait(sub)
        if text is None:
            break
        assert text == "A kept"
    zsockopt.set_unsubscribe(sub, "A")
    zsockopt.set_subscribe(sub, "C")
    deliver(lambda: (zstr.send(pub, "A dropped"), zstr.send(pub, "C kept")), sub)
    assert zstr.recv(sub) == "C kept"


def test_zsockopt_read_only_values(ctx):
    """last_endpoint and type come from libzmq."""
    sock = kept(zsocket.new(ctx, zmq.ROUTER))
    port = zsocket.bind(sock, "tcp://127.0.0.1:*")
    assert zsockopt.last_endpoint(sock) == "tcp://127.0.0.1:%d" % port
    assert zsockopt.type(sock) == zmq.ROUTER


def test_zsockopt_invalid_values_raise(ctx):
    """libzmq's EINVAL becomes ZMQError (never an abort)."""
    push = kept(zsocket.new(ctx, zmq.PUSH))
    with pytest.raises(ZMQError) as info:
        zsockopt.set_subscribe(push, "x")            # not a SUB socket
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(ZMQError):
        zsockopt.set_linger(push, -5)
    with pytest.raises(TypeError):
        zsockopt.set_linger(push, "5")


# -- zstr ----------------------------------------------------------------------


def test_zstr_2013_selftest(pair):
    """The 2013 test: ten strings, then sendx This..END; 15 strings before END."""
    output_s, input_s = pair
    for i in range(10):
        assert zstr.send(output_s, "this is string %d" % i) == 0
    assert zstr.sendx(output_s, "This", "is", "almost", "the", "very", "END") == 0
    count = 0
    while True:
        string = zstr.recv(input_s)
        if string == "END":
            break
        count += 1
    assert count == 15


@pytest.mark.parametrize("text", ["plain", "", "héllo wörld", "日本語 ✓ 🎉",
                                  "a\0b", "\0", "trailing\0", "x" * 100000])
def test_zstr_send_recv(pair, text):
    """send/recv carry any str unchanged, including non-ASCII and NUL characters."""
    a, b = pair
    assert zstr.send(a, text) == 0
    received = zstr.recv(b)
    assert isinstance(received, str)
    assert received == text


def test_zstr_recv_of_non_utf8_bytes_is_lossless(pair):
    """Bytes that are not UTF-8 come back as surrogates (nothing is lost)."""
    a, b = pair
    zframe.send(zframe.new(b"\xff\xfeok"), a, 0)
    text = zstr.recv(b)
    assert text.encode("utf-8", "surrogateescape") == b"\xff\xfeok"


def test_zstr_sendm_then_send_is_one_message(pair):
    """sendm parts are held back until send completes one multipart message."""
    a, b = pair
    assert zstr.sendm(a, "one") == 0
    assert zstr.sendm(a, "two") == 0
    assert zsocket.poll(b, 100) is False             # incomplete: not delivered
    assert zstr.send(a, "three") == 0
    msg = zmsg.recv(b)
    assert frames_of(msg) == [b"one", b"two", b"three"]


def test_zstr_sendx_recvx(pair):
    """sendx sends one multipart message; recvx returns all its parts as str."""
    a, b = pair
    assert zstr.sendx(a, "x", "é", "", "z\0z") == 0
    assert zstr.sendx(a, "single") == 0
    assert zstr.recvx(b) == ["x", "é", "", "z\0z"]
    assert zstr.recvx(b) == ["single"]
    zstr.sendx(a, "p", "q")
    frame = zframe.recv(b)
    assert zframe.more(frame) == 1 and zframe.streq(frame, "p")
    frame = zframe.recv(b)
    assert zframe.more(frame) == 0 and zframe.streq(frame, "q")


def test_zstr_recv_nowait(pair):
    """recv_nowait returns None when nothing waits, else the string."""
    a, b = pair
    assert zstr.recv_nowait(b) is None
    zstr.send(a, "ready")
    assert zsocket.poll(b, 5000)
    assert zstr.recv_nowait(b) == "ready"
    assert zstr.recv_nowait(b) is None


def test_zstr_failures_return_minus_one(ctx, inproc):
    """send/sendm/sendx return -1 when libzmq refuses (a REQ sending twice);
    recvx returns -1 when the message can not be read (a REQ receiving first)."""
    req = kept(zsocket.new(ctx, zmq.REQ))
    rep = kept(zsocket.new(ctx, zmq.REP))
    zsocket.bind(rep, inproc)
    zsocket.connect(req, inproc)
    assert zstr.recvx(req) == -1
    assert zstr.send(req, "question") == 0
    assert zstr.send(req, "again") == -1
    assert zstr.sendm(req, "again") == -1
    assert zstr.sendx(req, "again", "twice") == -1
    assert zstr.recv(rep) == "question"
    assert zstr.send(rep, "answer") == 0
    assert zstr.recv(req) == "answer"


def test_zstr_send_times_out_with_minus_one(ctx):
    """A PUSH with no peer and sndtimeo 0 can not send: -1, no blocking."""
    push = kept(zsocket.new(ctx, zmq.PUSH))
    zsockopt.set_sndtimeo(push, 0)
    assert zstr.send(push, "nobody") == -1
    assert zstr.sendx(push, "no", "body") == -1


# -- zframe --------------------------------------------------------------------


def test_zframe_2013_selftest(pair):
    """The CZMQ zframe selftest as ported in 2013."""
    output_s, input_s = pair

    for _ in range(5):                               # five frames with MORE
        assert zframe.send(zframe.new("Hello"), output_s, zframe.MORE) == 0

    frame = zframe.new("Hello")                      # one frame, five times
    for _ in range(5):
        assert zframe.send(frame, output_s, zframe.MORE + zframe.REUSE) == 0
    assert zframe.size(frame) == 5 and zframe.streq(frame, "Hello")

    copy = zframe.dup(frame)
    assert zframe.eq(frame, copy)
    zframe.reset(frame, "")
    assert not zframe.eq(frame, copy)
    assert zframe.size(copy) == 5
    zframe.destroy(frame)
    zframe.destroy(copy)

    frame = zframe.new_empty()
    assert zframe.size(frame) == 0
    zframe.destroy(frame)

    frame = zframe.new("NOT")
    zframe.reset(frame, "END")
    assert zframe.strhex(frame) == "454E44"
    assert zframe.data(frame)[:] == b"END"
    assert zframe.strdup(frame) == "END"
    assert zframe.send(frame, output_s, 0) == 0

    frame_nbr = 0
    while True:
        frame = zframe.recv(input_s)
        frame_nbr += 1
        if zframe.streq(frame, "END"):
            assert zframe.more(frame) == 0
            zframe.destroy(frame)
            break
        assert zframe.size(frame) == 5
        assert zframe.data(frame)[:] == b"Hello"
        assert zframe.more(frame) == 1
        zframe.set_more(frame, 0)
        assert zframe.more(frame) == 0
        zframe.destroy(frame)
    assert frame_nbr == 11
    assert zframe.recv_nowait(input_s) is None


@pytest.mark.parametrize("data, expected", [
    ("text", b"text"), ("é", "é".encode()), (b"\x00\xff", b"\x00\xff"),
    (bytearray(b"ba"), b"ba"), (memoryview(b"mv"), b"mv"), (None, b""), (b"", b""),
])
def test_zframe_new(data, expected):
    """new() copies str (UTF-8), bytes or any buffer; None gives an empty frame."""
    frame = zframe.new(data)
    assert isinstance(frame, pyczmq.Frame)
    assert zframe.size(frame) == len(expected)
    assert bytes(zframe.data(frame)) == expected


def test_zframe_data_is_a_writable_view():
    """data() is a memoryview into the frame: writing through it changes the frame."""
    frame = zframe.new("ding")
    view = zframe.data(frame)
    assert isinstance(view, memoryview) and not view.readonly
    view[1:2] = b"o"
    assert zframe.strdup(frame) == "dong"
    assert zframe.streq(frame, "dong")
    copy = zframe.dup(frame)
    view[0] = ord("s")
    assert zframe.strdup(frame) == "song"
    assert zframe.strdup(copy) == "dong"             # a dup is independent
    view.release()


def test_zframe_data_survives_send(pair):
    """A view taken before a send stays valid; the peer gets the data as sent."""
    a, b = pair
    frame = zframe.new("abc")
    view = zframe.data(frame)
    assert zframe.send(frame, a, 0) == 0
    view[0:1] = b"X"
    assert bytes(view) == b"Xbc"
    assert zstr.recv(b) == "abc"
    view.release()


def test_zframe_strhex_strdup_streq():
    """strhex is upper-case hex; strdup decodes; streq compares str or bytes."""
    assert zframe.strhex(zframe.new(b"\x00\x0a\xff")) == "000AFF"
    assert zframe.strhex(zframe.new_empty()) == ""
    assert zframe.strdup(zframe.new("héllo")) == "héllo"
    assert zframe.strdup(zframe.new("a\0b")) == "a\0b"
    frame = zframe.new("héllo")
    assert zframe.streq(frame, "héllo") and zframe.streq(frame, "héllo".encode())
    assert not zframe.streq(frame, "hello") and not zframe.streq(frame, "héllo!")


def test_zframe_eq():
    """eq compares size and data; a None other is never equal."""
    assert zframe.eq(zframe.new("abc"), zframe.new(b"abc"))
    assert not zframe.eq(zframe.new("abc"), zframe.new("abd"))
    assert not zframe.eq(zframe.new("abc"), zframe.new("abcd"))
    assert zframe.eq(zframe.new_empty(), zframe.new(""))
    assert zframe.eq(zframe.new("abc"), None) is False


def test_zframe_eq_none_first():
    """pyczmq 0.1: 'If either frame is NULL, equality is always false'."""
    assert zframe.eq(None, zframe.new("abc")) is False


def test_zframe_more_and_set_more(pair):
    """more() is set from the socket on receive and by set_more()."""
    a, b = pair
    frame = zframe.new("x")
    assert zframe.more(frame) == 0
    zframe.set_more(frame, 1)
    assert zframe.more(frame) == 1
    zframe.send(frame, a, 0)                         # set_more is not a send flag
    assert zframe.more(zframe.recv(b)) == 0
    zframe.send(zframe.new("first"), a, zframe.MORE)
    zframe.send(zframe.new("last"), a, 0)
    assert [zframe.more(zframe.recv(b)) for _ in range(2)] == [1, 0]


def test_zframe_reuse_keeps_the_frame(pair):
    """With REUSE a frame can be sent again and still be changed."""
    a, b = pair
    frame = zframe.new("same")
    for _ in range(3):
        assert zframe.send(frame, a, zframe.REUSE) == 0
    zframe.reset(frame, "changed")
    assert zframe.send(frame, a, 0) == 0
    assert [zstr.recv(b) for _ in range(4)] == ["same"] * 3 + ["changed"]


def test_zframe_send_failure_keeps_the_frame(ctx, inproc):
    """send returns -1 when it fails (DONTWAIT, PUSH without a peer) and the
    frame stays usable; sent later, it arrives intact."""
    push = kept(zsocket.new(ctx, zmq.PUSH))
    frame = zframe.new("pending")
    assert zframe.send(frame, push, zframe.DONTWAIT) == -1
    assert zframe.strdup(frame) == "pending"
    pull = kept(zsocket.new(ctx, zmq.PULL))
    zsocket.bind(pull, inproc)
    zsocket.connect(push, inproc)
    assert zframe.send(frame, push, 0) == 0
    assert zstr.recv(pull) == "pending"
    with pytest.raises(ClosedError):
        zframe.size(frame)


def test_zframe_recv_and_recv_nowait(pair):
    """recv blocks for a frame; recv_nowait returns None when nothing waits."""
    a, b = pair
    assert zframe.recv_nowait(b) is None
    zframe.send(zframe.new(b"\x00bin\xff"), a, 0)
    frame = zframe.recv(b)
    assert isinstance(frame, pyczmq.Frame)
    assert bytes(zframe.data(frame)) == b"\x00bin\xff"
    zframe.send(zframe.new("later"), a, 0)
    assert zsocket.poll(b, 5000)
    assert zframe.strdup(zframe.recv_nowait(b)) == "later"
    assert zframe.recv_nowait(b) is None


def test_zframe_send_rejects_bad_flags(pair):
    """Flags other than MORE/REUSE/DONTWAIT raise ValueError; the frame is kept."""
    a, _ = pair
    frame = zframe.new("x")
    with pytest.raises(ValueError):
        zframe.send(frame, a, 64)
    assert zframe.size(frame) == 1


SENT_FRAME_CALLS = {
    "data": lambda f, s: zframe.data(f),
    "size": lambda f, s: zframe.size(f),
    "dup": lambda f, s: zframe.dup(f),
    "eq": lambda f, s: zframe.eq(f, zframe.new("Hello")),
    "eq-other": lambda f, s: zframe.eq(zframe.new("Hello"), f),
    "more": lambda f, s: zframe.more(f),
    "set_more": lambda f, s: zframe.set_more(f, 1),
    "reset": lambda f, s: zframe.reset(f, "again"),
    "strdup": lambda f, s: zframe.strdup(f),
    "streq": lambda f, s: zframe.streq(f, "Hello"),
    "strhex": lambda f, s: zframe.strhex(f),
    "send": lambda f, s: zframe.send(f, s, 0),
    "send-reuse": lambda f, s: zframe.send(f, s, zframe.REUSE),
    "destroy": lambda f, s: zframe.destroy(f),
    "zmsg.append": lambda f, s: zmsg.append(zmsg.new(), f),
    "zmsg.push": lambda f, s: zmsg.push(zmsg.new(), f),
}


@pytest.mark.parametrize("call", SENT_FRAME_CALLS.values(), ids=SENT_FRAME_CALLS.keys())
def test_sent_frame_raises_closed_error(pair, call):
    """A frame sent without REUSE is gone: every later call raises ClosedError."""
    a, b = pair
    frame = zframe.new("Hello")
    assert zframe.send(frame, a, 0) == 0
    with pytest.raises(ClosedError):
        call(frame, a)
    assert zstr.recv(b) == "Hello"


@pytest.mark.parametrize("call", SENT_FRAME_CALLS.values(), ids=SENT_FRAME_CALLS.keys())
def test_destroyed_frame_raises_closed_error(pair, call):
    """A destroyed frame raises ClosedError in every call."""
    frame = zframe.new("Hello")
    zframe.destroy(frame)
    with pytest.raises(ClosedError):
        call(frame, pair[0])


# -- zmsg ----------------------------------------------------------------------


def test_zmsg_2013_selftest(pub_sub):
    """The 2013 test: push foo, push bar, append ding, dup+mutate to dong,
    send over PUB/SUB, receive bar foo ding dong."""
    pub, sub = pub_sub
    m = zmsg.new()
    foo = zframe.new("foo")
    assert zmsg.push(m, foo) == 0
    assert zmsg.first(m) == b"foo"
    assert zmsg.push(m, zframe.new("bar")) == 0
    assert zmsg.first(m) == b"bar"
    assert zmsg.last(m) == b"foo"
    assert zmsg.append(m, zframe.new("ding")) == 0

    d = zframe.dup(zmsg.last(m))
    assert zframe.data(d)[:] == b"ding"
    zframe.data(d)[1] = ord("o")
    assert zframe.data(d)[:] == b"dong"
    assert zframe.size(d) == 4
    assert zmsg.append(m, d) == 0

    assert zmsg.send(m, pub) == 0
    assert zsocket.poll(sub, 5000)
    n = zmsg.recv(sub)
    assert zmsg.size(n) == 4
    assert zframe.data(zmsg.next(n))[:] == b"bar"
    assert zframe.data(zmsg.next(n))[:] == b"foo"
    assert zframe.data(zmsg.next(n))[:] == b"ding"
    assert zframe.data(zmsg.next(n))[:] == b"dong"
    assert zmsg.next(n) is None
    zmsg.destroy(n)


def test_zmsg_append_and_push_take_the_frame():
    """A frame appended or pushed belongs to the message; its object is spent."""
    msg = zmsg.new()
    appended, pushed = zframe.new("tail"), zframe.new("head")
    assert zmsg.append(msg, appended) == 0
    assert zmsg.push(msg, pushed) == 0
    assert frames_of(msg) == [b"head", b"tail"]
    for frame in (appended, pushed):
        with pytest.raises(ClosedError):
            zframe.size(frame)


def test_zmsg_first_next_last():
    """first() resets the cursor, next() walks it, last() is the last frame."""
    empty = zmsg.new()
    assert zmsg.first(empty) is None and zmsg.last(empty) is None and zmsg.next(empty) is None
    msg = new_msg("a", "b", "c")
    assert zmsg.first(msg) == b"a"
    assert zmsg.next(msg) == b"b"
    assert zmsg.next(msg) == b"c"
    assert zmsg.next(msg) is None
    assert zmsg.first(msg) == b"a"
    assert zmsg.last(msg) == b"c"


def test_zmsg_addstr_pushstr_popstr():
    """addstr appends, pushstr prepends, popstr pops from the front; None when empty."""
    msg = zmsg.new()
    assert zmsg.addstr(msg, "middle") == 0
    assert zmsg.pushstr(msg, "front") == 0
    assert zmsg.addstr(msg, "énd\0") == 0
    assert zmsg.size(msg) == 3
    assert [zmsg.popstr(msg) for _ in range(3)] == ["front", "middle", "énd\0"]
    assert zmsg.popstr(msg) is None
    assert zmsg.size(msg) == 0


def test_zmsg_pop(pair):
    """pop hands the first frame to the caller (it can be sent); None when empty."""
    a, b = pair
    msg = new_msg("first", "second")
    frame = zmsg.pop(msg)
    assert isinstance(frame, pyczmq.Frame) and zframe.strdup(frame) == "first"
    assert zmsg.size(msg) == 1
    assert zframe.send(frame, a, 0) == 0
    assert zstr.recv(b) == "first"
    assert zframe.strdup(zmsg.pop(msg)) == "second"
    assert zmsg.pop(msg) is None


def test_zmsg_size_and_content_size():
    """size counts frames, content_size their bytes."""
    msg = zmsg.new()
    assert (zmsg.size(msg), zmsg.content_size(msg)) == (0, 0)
    zmsg.append(msg, zframe.new(b"\x00" * 10))
    zmsg.append(msg, zframe.new_empty())
    zmsg.addstr(msg, "é")                            # 2 bytes in UTF-8
    assert (zmsg.size(msg), zmsg.content_size(msg)) == (3, 12)


def test_zmsg_remove(pair):
    """remove takes a frame out of the message; the caller then owns it."""
    a, b = pair
    msg = new_msg("a", "b", "c")
    zmsg.first(msg)
    middle = zmsg.next(msg)
    zmsg.remove(msg, middle)
    assert frames_of(msg) == [b"a", b"c"]
    assert zframe.send(middle, a, 0) == 0
    assert zstr.recv(b) == "b"
    stranger = zmsg.first(new_msg("x"))
    zmsg.remove(msg, stranger)                       # not in msg: nothing happens
    assert frames_of(msg) == [b"a", b"c"]


def test_zmsg_wrap_unwrap():
    """wrap pushes a frame plus an empty delimiter; unwrap pops both."""
    msg = new_msg("body")
    zmsg.wrap(msg, zframe.new("address"))
    assert frames_of(msg) == [b"address", b"", b"body"]
    address = zmsg.unwrap(msg)
    assert zframe.strdup(address) == "address"
    assert frames_of(msg) == [b"body"]
    plain = new_msg("a", "b")
    assert zframe.strdup(zmsg.unwrap(plain)) == "a"  # no empty frame: only the first goes
    assert frames_of(plain) == [b"b"]
    assert zmsg.unwrap(zmsg.new()) is None


def test_zmsg_wrap_unwrap_with_router(ctx, inproc):
    """A ROUTER unwraps a REQ's envelope and wraps its reply in it."""
    router = kept(zsocket.new(ctx, zmq.ROUTER))
    req = kept(zsocket.new(ctx, zmq.REQ))
    zsocket.bind(router, inproc)
    zsocket.connect(req, inproc)
    zstr.send(req, "ping")
    request = zmsg.recv(router)
    assert zmsg.size(request) == 3                   # identity, delimiter, body
    identity = zmsg.unwrap(request)
    assert frames_of(request) == [b"ping"]
    reply = new_msg("pong")
    zmsg.wrap(reply, identity)
    assert zmsg.send(reply, router) == 0
    assert zstr.recv(req) == "pong"


def test_zmsg_wrap_failure_leaves_message_unchanged(pair):
    """A failed wrap does not change the message."""
    frame = zframe.new("address")
    zframe.send(frame, pair[0], 0)
    msg = new_msg("body")
    with pytest.raises(ClosedError):
        zmsg.wrap(msg, frame)
    assert frames_of(msg) == [b"body"]


def test_zmsg_dup(push_pull):
    """dup copies every frame: the copy arrives with the same frames, and the
    original stays usable and independent."""
    push, pull = push_pull
    original = new_msg("one", "", "three")
    zmsg.append(original, zframe.new(b"\x00\xff"))
    copy = zmsg.dup(original)
    assert isinstance(copy, pyczmq.Message) and copy is not original
    assert zmsg.first(copy) is not zmsg.first(original)
    assert zmsg.popstr(original) == "one"
    assert zmsg.send(copy, push) == 0
    assert frames_of(zmsg.recv(pull)) == [b"one", b"", b"three", b"\x00\xff"]
    assert zmsg.send(original, push) == 0
    assert frames_of(zmsg.recv(pull)) == [b"", b"three", b"\x00\xff"]


def test_zmsg_send_and_recv(push_pull):
    """send returns 0 and the multipart message arrives whole; recv returns a Message."""
    push, pull = push_pull
    msg = new_msg("a", "b")
    zmsg.append(msg, zframe.new_empty())
    assert zmsg.send(msg, push) == 0
    received = zmsg.recv(pull)
    assert isinstance(received, pyczmq.Message)
    assert frames_of(received) == [b"a", b"b", b""]
    assert zsocket.poll(pull, 0) is False


def test_zmsg_send_none_returns_zero(push_pull):
    """send(None, sock) does nothing and returns 0, as in pyczmq 0.1."""
    push, pull = push_pull
    assert zmsg.send(None, push) == 0
    assert zsocket.poll(pull, 50) is False


def test_zmsg_send_failure_keeps_the_message(ctx, inproc):
    """send returns -1 when nothing can take the message; the message is kept."""
    push = kept(zsocket.new(ctx, zmq.PUSH))
    zsockopt.set_sndtimeo(push, 0)
    msg = new_msg("kept", "whole")
    assert zmsg.send(msg, push) == -1
    assert frames_of(msg) == [b"kept", b"whole"]
    pull = kept(zsocket.new(ctx, zmq.PULL))
    zsocket.bind(pull, inproc)
    zsocket.connect(push, inproc)
    zsockopt.set_sndtimeo(push, 5000)
    assert zmsg.send(msg, push) == 0
    assert frames_of(zmsg.recv(pull)) == [b"kept", b"whole"]


def test_zmsg_save_load_round_trip(tmp_path):
    """save then load gives the same frames, empty and binary ones included."""
    parts = [b"", b"\x00\x01\xff\xfe binary", "text é".encode(), b"", b"x" * 70000]
    msg = zmsg.new()
    for part in parts:
        zmsg.append(msg, zframe.new(part))
    path = str(tmp_path / "message")
    assert zmsg.save(msg, path) == 0
    loaded = zmsg.load(None, path)
    assert isinstance(loaded, pyczmq.Message)
    assert frames_of(loaded) == parts
    assert frames_of(msg) == parts                   # save leaves the message as it was


def test_zmsg_load_appends_to_a_message(tmp_path):
    """load(msg, file) appends the saved frames to msg and returns msg."""
    path = str(tmp_path / "message")
    zmsg.save(new_msg("b", "c"), path)
    msg = new_msg("a")
    assert zmsg.load(msg, path) is msg
    assert frames_of(msg) == [b"a", b"b", b"c"]


def test_zmsg_save_empty_message_loads_empty(tmp_path):
    """A message with no frames round-trips to a message with no frames."""
    path = str(tmp_path / "empty")
    assert zmsg.save(zmsg.new(), path) == 0
    assert zmsg.size(zmsg.load(None, path)) == 0


def test_zmsg_save_to_unwritable_path_returns_minus_one(tmp_path):
    """save returns -1 when the file can not be written."""
    assert zmsg.save(new_msg("x"), str(tmp_path / "missing-folder" / "m")) == -1


@pytest.mark.parametrize("damage", ["missing", "folder", "cut-data", "cut-header", "huge-size"])
def test_zmsg_load_bad_file_returns_none(tmp_path, damage):
    """load returns None for a missing, truncated or corrupt file and leaves
    the message it was given unchanged."""
    good = str(tmp_path / "good")
    zmsg.save(new_msg("hello", "world"), good)
    with open(good, "rb") as source:
        content = source.read()
    path = str(tmp_path / "bad")
    if damage == "folder":
        os.mkdir(path)
    elif damage != "missing":
        data = {"cut-data": content[:-3], "cut-header": content[:3],
                "huge-size": b"\xff" * 8 + b"tiny"}[damage]
        with open(path, "wb") as out:
            out.write(data)
    assert zmsg.load(None, path) is None
    msg = new_msg("mine")
    assert zmsg.load(msg, path) is None
    assert frames_of(msg) == [b"mine"]


SENT_MESSAGE_CALLS = {
    "size": lambda m, p: zmsg.size(m),
    "content_size": lambda m, p: zmsg.content_size(m),
    "append": lambda m, p: zmsg.append(m, zframe.new("x")),
    "push": lambda m, p: zmsg.push(m, zframe.new("x")),
    "pop": lambda m, p: zmsg.pop(m),
    "addstr": lambda m, p: zmsg.addstr(m, "x"),
    "pushstr": lambda m, p: zmsg.pushstr(m, "x"),
    "popstr": lambda m, p: zmsg.popstr(m),
    "first": lambda m, p: zmsg.first(m),
    "next": lambda m, p: zmsg.next(m),
    "last": lambda m, p: zmsg.last(m),
    "remove": lambda m, p: zmsg.remove(m, zframe.new("x")),
    "dup": lambda m, p: zmsg.dup(m),
    "save": lambda m, p: zmsg.save(m, p),
    "load": lambda m, p: zmsg.load(m, p),
    "wrap": lambda m, p: zmsg.wrap(m, zframe.new("x")),
    "unwrap": lambda m, p: zmsg.unwrap(m),
    "destroy": lambda m, p: zmsg.destroy(m),
}


@pytest.mark.parametrize("call", SENT_MESSAGE_CALLS.values(), ids=SENT_MESSAGE_CALLS.keys())
def test_sent_message_raises_closed_error(push_pull, tmp_path, call):
    """A sent message is gone: every later call raises ClosedError."""
    push, pull = push_pull
    path = str(tmp_path / "m")
    zmsg.save(new_msg("saved"), path)
    msg = new_msg("gone")
    assert zmsg.send(msg, push) == 0
    with pytest.raises(ClosedError):
        call(msg, path)
    with pytest.raises(ClosedError):
        zmsg.send(msg, push)
    assert frames_of(zmsg.recv(pull)) == [b"gone"]


def test_destroyed_message_raises_closed_error(push_pull):
    """destroy frees the message; its borrowed frames go with it."""
    push, _ = push_pull
    msg = new_msg("a")
    borrowed = zmsg.first(msg)
    zmsg.destroy(msg)
    for call in (lambda: zmsg.size(msg), lambda: zmsg.send(msg, push),
                 lambda: zmsg.destroy(msg), lambda: zframe.size(borrowed)):
        with pytest.raises(ClosedError):
            call()


# -- zmq -----------------------------------------------------------------------


SOCKET_TYPES = [("PAIR", 0), ("PUB", 1), ("SUB", 2), ("REQ", 3), ("REP", 4), ("DEALER", 5),
                ("ROUTER", 6), ("PULL", 7), ("PUSH", 8), ("XPUB", 9), ("XSUB", 10),
                ("STREAM", 11)]


@pytest.mark.parametrize("name, value", SOCKET_TYPES)
def test_zmq_socket_types(ctx, name, value):
    """Socket type constants equal libzmq's, in zmq.types and at top level, and
    libzmq agrees on the type of a socket made with them."""
    assert getattr(zmq, name) == value
    assert zmq.types[name] == value
    assert getattr(pyczmq, name) == value
    assert zsockopt.type(kept(zsocket.new(ctx, value))) == value


def test_zmq_types_mapping():
    """zmq.types maps exactly the 12 socket type names."""
    assert zmq.types["PUSH"] == zmq.PUSH
    assert zmq.types == dict(SOCKET_TYPES)


@pytest.mark.parametrize("name, value", [
    ("SNDMORE", 2), ("DONTWAIT", 1), ("NOBLOCK", 1), ("MORE", 1),
    ("POLLIN", 1), ("POLLOUT", 2), ("POLLERR", 4), ("POLLPRI", 8),
    ("AFFINITY", 4), ("ROUTING_ID", 5), ("IDENTITY", 5), ("SUBSCRIBE", 6), ("UNSUBSCRIBE", 7),
    ("RCVMORE", 13), ("FD", 14), ("EVENTS", 15), ("TYPE", 16), ("LINGER", 17),
    ("SNDHWM", 23), ("RCVHWM", 24), ("RCVTIMEO", 27), ("SNDTIMEO", 28), ("LAST_ENDPOINT", 32),
    ("IMMEDIATE", 39), ("MECHANISM", 43), ("CURVE_SERVER", 47), ("ZAP_DOMAIN", 55),
    ("HEARTBEAT_IVL", 75),
    ("EVENT_CONNECTED", 1), ("EVENT_LISTENING", 8), ("EVENT_ACCEPTED", 32),
    ("EVENT_CLOSED", 128), ("EVENT_DISCONNECTED", 512), ("EVENT_MONITOR_STOPPED", 1024),
    ("EVENT_ALL", 0xFFFF), ("EVENT_HANDSHAKE_SUCCEEDED", 0x1000),
    ("NULL", 0), ("PLAIN", 1), ("CURVE", 2), ("GSSAPI", 3),
    ("IO_THREADS", 1), ("MAX_SOCKETS", 2),
    ("ETERM", 156384712 + 53), ("EFSM", 156384712 + 51),
])
def test_zmq_constants(name, value):
    """Flags, poll events, options, monitor events, mechanisms, errors."""
    assert getattr(zmq, name) == value


def test_zmq_constants_match_zmq_h():
    """Every constant shared with the installed zmq.h has the header's value."""
    with open("/usr/include/zmq.h") as header:
        text = header.read().split("#ifdef ZMQ_BUILD_DRAFT_API")[0]
    defines = dict(re.findall(r"^#define ZMQ_(\w+) (-?\d+|0x[0-9A-Fa-f]+)\s", text, re.M))
    shared = [name for name in dir(zmq) if name.isupper() and name in defines]
    assert len(shared) >= 100
    assert {name: getattr(zmq, name) for name in shared} == \
        {name: int(defines[name], 0) for name in shared}


def test_zmq_version_and_errors():
    """VERSION matches the running libzmq; libzmq names its own error numbers."""
    major, minor, patch = pyczmq.zmq_version()
    assert (zmq.VERSION_MAJOR, zmq.VERSION_MINOR) == (major, minor)
    assert zmq.VERSION == zmq.VERSION_MAJOR * 10000 + zmq.VERSION_MINOR * 100 + zmq.VERSION_PATCH
    assert ZMQError(zmq.ETERM).strerror.endswith("Context was terminated")
    assert ZMQError(zmq.EFSM).strerror.endswith("in current state")


# -- pyczmq 0.1's Context API -------------------------------------------------


def test_2013_types_pub_sub(inproc):
    """The 2013 test_types: ctx.socket('PUB'), set_subscribe(''), send, poll, recv."""
    assert pyczmq.types.Context is pyczmq.Context
    ctx = pyczmq.Context()
    try:
        pub = ctx.socket("PUB")
        sub = ctx.socket("SUB")
        sub.set_subscribe("")
        pub.bind(inproc)
        sub.connect(inproc)
        deadline = time.monotonic() + 10
        while True:
            pub.send("foo")
            if sub.poll(1000):
                break
            assert time.monotonic() < deadline, "nothing arrived"
        assert sub.recv() == "foo"
    finally:
        ctx.destroy()
