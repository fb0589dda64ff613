"""Socket: creation, endpoints, send/recv of strings, bytes and multipart,
timeouts, polling and state errors."""

import errno
import socket as stdlib_socket

import gc

import pytest

import pyczmq
from pyczmq import Again, ClosedError, Context, Socket, ZMQError, zmq


@pytest.mark.parametrize("kind", range(12))
def test_every_socket_type_by_constant_and_name(ctx, kind):
    name = pyczmq.SOCKET_TYPE_NAMES[kind]
    for spelling in (kind, name, name.lower()):
        with ctx.socket(spelling) as sock:
            assert sock.type() == kind and sock.type_str() == name
            assert name in repr(sock)


@pytest.mark.parametrize("kind, error", [(12, ValueError), (-1, ValueError), ("PUSHY", ValueError),
                                         (1.5, TypeError), (None, TypeError)])
def test_unknown_socket_types_raise(ctx, kind, error):
    with pytest.raises(error):
        ctx.socket(kind)


def test_socket_constructor_and_default_context():
    with Context() as ctx:
        sock = Socket(ctx, zmq.PUSH)
        assert sock.ctx is ctx and sock in ctx.sockets
    assert sock.closed
    with Socket(None, "PAIR") as sock:
        assert isinstance(sock.ctx, Context)


def test_strings_bytes_and_buffers(pair):
    a, b = pair
    a.send("héllo wörld")
    assert b.recv() == "héllo wörld"
    a.send(b"\0binary\xff")
    assert b.recv_bytes() == b"\0binary\xff"
    a.send(bytearray(b"array"))
    a.send(memoryview(b"__view__")[2:-2])
    assert b.recv_bytes() == b"array" and b.recv_bytes() == b"view"
    a.send(b"\xff\xfe")                         # not UTF-8: kept as surrogates
    text = b.recv()
    assert text.encode("utf-8", "surrogateescape") == b"\xff\xfe"
    a.send("a\0b")
    assert b.recv() == "a\0b"
    with pytest.raises(TypeError):
        a.send(42)


def test_multipart(pair):
    a, b = pair
    a.send_multipart([b"a", "b", b"", bytearray(b"d")])
    assert b.recv_multipart() == [b"a", b"b", b"", b"d"]
    a.send(b"1", zmq.SNDMORE)
    a.send(b"2")
    assert b.recv_multipart() == [b"1", b"2"]
    a.send_multipart((part for part in [b"gen"]))
    assert b.recv_multipart() == [b"gen"]
    a.send_multipart([b"x"], zmq.SNDMORE)       # more follows
    a.send_multipart([b"y"])
    assert b.recv_multipart() == [b"x", b"y"]
    with pytest.raises(ValueError):
        a.send_multipart([])


def test_bad_parts_are_refused_before_anything_is_sent(pair):
    a, b = pair
    with pytest.raises(TypeError):
        a.send_multipart([b"ok", 3])
    assert b.recv_nowait() is None


def test_rcvmore_and_frames(pair):
    a, b = pair
    a.send_multipart([b"1", b"2"])
    first = b.recv_frame()
    assert first.more() == 1 and b.rcvmore == 1
    second = b.recv_frame()
    assert second.more() == 0 and b.rcvmore == 0


def test_flags_are_checked(pair):
    a, b = pair
    with pytest.raises(ValueError):
        a.send(b"x", 4)
    with pytest.raises(ValueError):
        b.recv_bytes(zmq.SNDMORE)
    with pytest.raises(ValueError):
        b.recv_multipart(8)


def test_nowait_variants_return_none_or_raise_again(pair):
    _, b = pair
    assert b.recv_nowait() is None
    assert b.recv_frame_nowait() is None
    assert b.recv_msg_nowait() is None
    with pytest.raises(Again):
        b.recv_bytes(zmq.DONTWAIT)
    with pytest.raises(Again):
        b.recv_multipart(zmq.DONTWAIT)


def test_dontwait_send_without_peer_raises_again(ctx):
    lonely = ctx.socket("PUSH")
    with pytest.raises(Again):
        lonely.send(b"x", zmq.DONTWAIT)
    with pytest.raises(Again):
        lonely.send_multipart([b"x", b"y"], zmq.DONTWAIT)


@pytest.mark.parametrize("receive", ["recv", "recv_bytes", "recv_multipart", "recv_frame", "recv_msg"])
def test_rcvtimeo_raises_again(pair, receive):
    _, b = pair
    b.rcvtimeo = 50
    with pytest.raises(Again):
        getattr(b, receive)()


def test_sndtimeo_raises_again(ctx):
    lonely = ctx.socket("PUSH")
    lonely.sndtimeo = 50
    with pytest.raises(Again):
        lonely.send(b"x")
    with pytest.raises(Again):
        lonely.send_frame(pyczmq.Frame(b"x"))
    with pytest.raises(Again):
        lonely.send_msg(pyczmq.Message(b"x"))


def test_poll(pair):
    a, b = pair
    assert b.poll(0) is False
    assert b.poll(20) is False
    a.send(b"x")
    assert b.poll(1000) is True
    assert b.recv_bytes() == b"x"


def test_bind_returns_ports(ctx):
    sock = ctx.socket("PULL")
    port = sock.bind("tcp://127.0.0.1:*")
    assert 0xC000 <= port <= 0xFFFF
    assert sock.last_endpoint == "tcp://127.0.0.1:%d" % port
    ranged = sock.bind("tcp://127.0.0.1:![50000-50100]")
    assert 50000 <= ranged <= 50100
    assert sock.bind("tcp://127.0.0.1:0") > 0
    assert sock.bind("inproc://no-port") == 0
    assert "bound tcp://127.0.0.1:%d" % port in repr(sock)


def _free_port():
    with stdlib_socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_fixed_port_rebinds_after_unbind(ctx):
    endpoint = "tcp://127.0.0.1:%d" % _free_port()
    server = ctx.socket("REP")
    port = server.bind(endpoint)
    assert endpoint.endswith(":%d" % port)
    server.unbind(endpoint)
    assert server.bind(endpoint) == port
    client = ctx.socket("REQ")
    client.connect(endpoint)
    client.send("ping")
    assert server.recv() == "ping"


def test_unbind_a_wildcard_endpoint(ctx):
    sock = ctx.socket("PULL")
    sock.bind("tcp://127.0.0.1:*")
    sock.unbind("tcp://127.0.0.1:*")            # the endpoint as given to bind()
    assert "bound" not in repr(sock)


@pytest.mark.parametrize("method, endpoint, errno", [
    ("connect", "txp://127.0.0.1:5555", zmq.EPROTONOSUPPORT),
    ("bind", "txp://127.0.0.1:5555", zmq.EPROTONOSUPPORT),
    ("connect", "tcp://", zmq.EINVAL),
    ("unbind", "tcp://127.0.0.1:1", errno.ENOENT),
    ("disconnect", "inproc://never", errno.ENOENT),
])
def test_endpoint_errors_name_the_endpoint(ctx, method, endpoint, errno):
    sock = ctx.socket("PUSH")
    with pytest.raises(ZMQError) as info:
        getattr(sock, method)(endpoint)
    assert info.value.errno == errno
    assert endpoint in str(info.value)


def test_endpoints_must_be_text_without_nul(ctx):
    sock = ctx.socket("PUSH")
    with pytest.raises(TypeError):
        sock.connect(5)
    with pytest.raises(ValueError):
        sock.connect("inproc://a\0b")


def test_bind_in_use_raises(ctx):
    first = ctx.socket("PULL")
    port = first.bind("tcp://127.0.0.1:*")
    with pytest.raises(ZMQError) as info:
        ctx.socket("PULL").bind("tcp://127.0.0.1:%d" % port)
    assert info.value.errno == zmq.EADDRINUSE


def test_disconnect(ctx, inproc):
    pull = ctx.socket("PULL")
    pull.bind(inproc)
    push = ctx.socket("PUSH")
    push.connect(inproc)
    assert "connected " + inproc in repr(push)
    push.disconnect(inproc)
    assert "connected" not in repr(push)


def test_closed_socket_raises_everywhere(ctx):
    sock = ctx.socket("PAIR")
    sock.close()
    sock.close()                                # idempotent
    assert sock.closed and "closed" in repr(sock)
    for use in (lambda: sock.send(b"x"), sock.recv, sock.recv_bytes, sock.recv_multipart,
                sock.recv_frame, sock.recv_msg, lambda: sock.bind("inproc://x"),
                lambda: sock.connect("inproc://x"), lambda: sock.poll(0), lambda: sock.linger,
                lambda: setattr(sock, "linger", 1), lambda: sock.underlying):
        with pytest.raises(ClosedError) as info:
            use()
        assert info.value.errno == zmq.ENOTSOCK and "closed" in str(info.value)


def test_close_with_linger(ctx):
    sock = ctx.socket("PUSH")
    sock.close(linger=0)
    assert sock.closed
    with pytest.raises(ValueError):
        ctx.socket("PUSH").close(linger=-7)


def test_underlying_handle(ctx):
    sock = ctx.socket("PAIR")
    assert isinstance(sock.underlying, int) and sock.underlying != 0


def test_init_twice_is_refused(ctx):
    sock = ctx.socket("PAIR")
    with pytest.raises(RuntimeError):
        sock.__init__(ctx, "PAIR")


def test_garbage_collected_sockets_are_closed(inproc):
    with pyczmq.Context() as plain:             # not the fixture's, which keeps its sockets
        sock = plain.socket("PULL")
        sock.bind(inproc)
        with pytest.warns(ResourceWarning, match="unclosed <pyczmq.Socket PULL, bound"):
            del sock
            gc.collect()
        gc.collect()                            # the warning's record held it (its source)
        other = plain.socket("PULL")
        other.bind(inproc)                      # the endpoint is free again


def test_request_reply_over_ipc(ctx, ipc_endpoint):
    server = ctx.socket("REP")
    server.bind(ipc_endpoint)
    client = ctx.socket("REQ")
    client.connect(ipc_endpoint)
    for number in range(10):
        client.send("request %d" % number)
        assert server.recv() == "request %d" % number
        server.send("reply %d" % number)
        assert client.recv() == "reply %d" % number


def test_wrong_state_raises_efsm(ctx, inproc):
    server = ctx.socket("REP")
    server.bind(inproc)
    with pytest.raises(ZMQError) as info:
        server.send(b"reply before request")
    assert info.value.errno == zmq.EFSM
