"""Socket options against real sockets: the option table, reading every
readable option, round trips, the effect of write-only options, errors,
pyczmq.zsockopt, crash safety and the Context's defaults."""

import atexit
import ctypes
import ctypes.util
import errno
import os
import socket as pysocket
import textwrap

import pytest

import pyczmq
import pyczmq.zmq as Z
from pyczmq import SOCKET_OPTIONS, SOCKET_TYPE_NAMES, ClosedError, ZMQError, zsocket, zsockopt
from conftest import assert_clean_run, run_probes, run_python

# The OptionType enum of pyczmq/types/options.pxi.
OPT_INT, OPT_INT64, OPT_UINT64, OPT_BYTES, OPT_TEXT, OPT_CURVE_KEY = range(6)
PYTHON_TYPE = {OPT_INT: int, OPT_INT64: int, OPT_UINT64: int,
               OPT_BYTES: bytes, OPT_TEXT: str, OPT_CURVE_KEY: str}

WAIT = 2000         # ms to wait for something that must happen
NEGATIVE_WAIT = 300  # ms to wait for something that must not happen

# A copy of shared/reference/czmq-4.2.1-socket-options-compiled.txt.
REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                         "czmq-4.2.1-socket-options-compiled.txt")
with open(REFERENCE) as _file:
    REFERENCE_NAMES = [line.strip() for line in _file if line.strip()]

# What this libzmq was built with, asked of the library the binding links.
_libzmq = ctypes.CDLL(ctypes.util.find_library("zmq") or "libzmq.so.5")


def _has(capability):
    return bool(_libzmq.zmq_has(capability.encode()))


# Options libzmq refuses on every socket type (EINVAL), read and write.
NOT_COMPILED = set()
if not _has("vmci"):
    NOT_COMPILED |= {name for name in SOCKET_OPTIONS if name.startswith("vmci_")}
if not _has("gssapi"):
    NOT_COMPILED |= {name for name in SOCKET_OPTIONS if name.startswith("gssapi_")}
# libzmq 4.3.4 has no getsockopt for it (CZMQ has a getter that always fails).
NO_GETTER = {"tcp_accept_filter"}
# Options pyczmq refuses to set to anything but empty: libzmq aborts on them
# (see test_socks_proxy_is_refused).
REFUSED = {"socks_proxy"}

# Options libzmq accepts only on some socket types (the others: EINVAL).
_ROUTERS = {"ROUTER", "REP"}        # REP is a ROUTER inside libzmq
_XPUBS = {"XPUB", "PUB"}            # PUB is an XPUB inside libzmq
ONLY_ON = {
    "subscribe": {"SUB"}, "unsubscribe": {"SUB"},
    "req_correlate": {"REQ"}, "req_relaxed": {"REQ"},
    "probe_router": {"REQ", "REP", "DEALER", "ROUTER"},
    "stream_notify": {"STREAM"},
    "connect_rid": _ROUTERS | {"STREAM"}, "connect_routing_id": _ROUTERS | {"STREAM"},
    "router_handover": _ROUTERS, "router_mandatory": _ROUTERS, "router_raw": _ROUTERS,
    "xpub_manual": _XPUBS, "xpub_nodrop": _XPUBS, "xpub_verbose": _XPUBS,
    "xpub_verboser": _XPUBS, "xpub_welcome_msg": _XPUBS,
}
PREFERRED_TYPE = {"subscribe": "SUB", "unsubscribe": "SUB", "req_correlate": "REQ",
                  "req_relaxed": "REQ", "probe_router": "DEALER", "stream_notify": "STREAM"}


def kind_for(name):
    """A socket type on which libzmq accepts option `name`."""
    if name in PREFERRED_TYPE:
        return PREFERRED_TYPE[name]
    if name.startswith(("router_", "connect_r")):
        return "ROUTER"
    if name.startswith("xpub_"):
        return "XPUB"
    return "DEALER"


# Z85 (ZeroMQ RFC 32), to check the curve keys independently of libzmq.
Z85_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def z85_encode(data):
    text = []
    for start in range(0, len(data), 4):
        value = int.from_bytes(data[start:start + 4], "big")
        chunk = []
        for _ in range(5):
            value, digit = divmod(value, 85)
            chunk.append(Z85_CHARS[digit])
        text.extend(reversed(chunk))
    return "".join(text)


def z85_decode(text):
    data = b""
    for start in range(0, len(text), 5):
        value = 0
        for char in text[start:start + 5]:
            value = value * 85 + Z85_CHARS.index(char)
        data += value.to_bytes(4, "big")
    return data


# The key pairs of the zmq_curve(7) manual.
CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"

# A valid, non-default value for every writable option.
# use_fd must name a listening socket (anything else aborts libzmq, so pyczmq refuses it).
_LISTENER = pysocket.socket()
_LISTENER.bind(("127.0.0.1", 0))
_LISTENER.listen()
atexit.register(_LISTENER.close)

VALUES = {
    "affinity": 3, "backlog": 7, "bindtodevice": "lo", "conflate": 1,
    "connect_rid": b"peer", "connect_routing_id": b"peer", "connect_timeout": 250,
    "curve_publickey": CLIENT_PUBLIC, "curve_secretkey": CLIENT_SECRET,
    "curve_server": 1, "curve_serverkey": SERVER_PUBLIC, "delay_attach_on_connect": 1,
    "gssapi_plaintext": 1, "gssapi_principal": "alice@EXAMPLE.ORG",
    "gssapi_principal_nametype": 1, "gssapi_server": 1,
    "gssapi_service_principal": "zmq/host@EXAMPLE.ORG", "gssapi_service_principal_nametype": 2,
    "handshake_ivl": 1234, "heartbeat_ivl": 500, "heartbeat_timeout": 700,
    "heartbeat_ttl": 1200, "identity": b"\xffid\x00", "routing_id": b"rid",
    "immediate": 1, "invert_matching": 1, "ipv4only": 0, "ipv6": 1, "linger": 123,
    "maxmsgsize": 2**33, "multicast_hops": 5, "multicast_maxtpdu": 9000,
    "plain_password": "pw", "plain_server": 1, "plain_username": "user",
    "probe_router": 1, "rate": 250, "rcvbuf": 65536, "rcvhwm": 17, "rcvtimeo": 42,
    "reconnect_ivl": 321, "reconnect_ivl_max": 4321, "recovery_ivl": 2345,
    "req_correlate": 1, "req_relaxed": 1, "router_handover": 1, "router_mandatory": 1,
    "router_raw": 1, "sndbuf": 32768, "sndhwm": 19, "sndtimeo": 43,
    "socks_proxy": "proxy.example:1080", "stream_notify": 0, "subscribe": b"t",
    "tcp_accept_filter": "127.0.0.1", "tcp_keepalive": 1, "tcp_keepalive_cnt": 5,
    "tcp_keepalive_idle": 60, "tcp_keepalive_intvl": 10, "tcp_maxrt": 5000, "tos": 40,
    "unsubscribe": b"t", "use_fd": _LISTENER.fileno(), "vmci_buffer_max_size": 8192,
    "vmci_buffer_min_size": 128, "vmci_buffer_size": 4096, "vmci_connect_timeout": 100,
    "xpub_manual": 1, "xpub_nodrop": 1, "xpub_verbose": 1, "xpub_verboser": 1,
    "xpub_welcome_msg": b"hello", "zap_domain": "global",
}

READABLE = sorted(name for name, option in SOCKET_OPTIONS.items() if option.readable)
WRITABLE = sorted(name for name, option in SOCKET_OPTIONS.items() if option.writable)
READ_ONLY = sorted(set(READABLE) - set(WRITABLE))
WRITE_ONLY = sorted(set(WRITABLE) - set(READABLE))
# use_fd reads back as the duplicate libzmq is given (see test_use_fd).
ROUND_TRIP = sorted((set(READABLE) & set(WRITABLE)) - NO_GETTER - {"use_fd"})
TEXT = sorted(name for name in WRITABLE if SOCKET_OPTIONS[name].type == OPT_TEXT)
CURVE_KEYS = sorted(name for name in WRITABLE if SOCKET_OPTIONS[name].type == OPT_CURVE_KEY)


def get(sock, name):
    """Read option `name` the way a user does (`type` is a method on Socket)."""
    return SOCKET_OPTIONS[name].__get__(sock, pyczmq.Socket) if name == "type" else getattr(sock, name)


def recv_parts(sock, timeout=WAIT):
    assert sock.poll(timeout), "nothing received within %d ms" % timeout
    return sock.recv_multipart()


def recv_until(sock, last):
    """Messages received up to and including `last`, without the *-sync probes."""
    received = []
    while True:
        [data] = recv_parts(sock)
        if not data.endswith(b"-sync"):
            received.append(data)
        if data == last:
            return received


def wait_subscribed(pub, sub, topic):
    """Publish probes until `sub` receives one: its subscriptions so far are applied."""
    for _ in range(WAIT // 10):
        pub.send(topic + b"-sync")
        if sub.poll(10):
            return
    raise AssertionError("subscription %r never reached the publisher" % topic)


# -- 1. the table, and reading every readable option ----------------------------------


def test_table_covers_the_czmq_reference():
    """Every option CZMQ 4.2.1 compiles is in SOCKET_OPTIONS, named and numbered as libzmq."""
    assert set(REFERENCE_NAMES) <= set(SOCKET_OPTIONS)
    for name, option in SOCKET_OPTIONS.items():
        assert isinstance(option, pyczmq.SocketOption)
        assert option.name == name
        assert option.option == getattr(Z, name.upper()), name
        assert option.readable or option.writable
        assert option.__doc__
        assert repr(option) == "<pyczmq.SocketOption %s>" % name


def test_table_types_match_libzmq():
    """The value type of the options whose type matters to Python."""
    types = {name: option.type for name, option in SOCKET_OPTIONS.items()}
    assert types["identity"] == types["routing_id"] == OPT_BYTES
    assert types["subscribe"] == types["xpub_welcome_msg"] == OPT_BYTES
    for name in ("last_endpoint", "zap_domain", "plain_username", "socks_proxy"):
        assert types[name] == OPT_TEXT
    assert set(CURVE_KEYS) == {"curve_publickey", "curve_secretkey", "curve_serverkey"}
    assert types["affinity"] == OPT_UINT64 and types["maxmsgsize"] == OPT_INT64
    assert types["linger"] == types["events"] == types["fd"] == OPT_INT


def test_options_are_properties_of_socket():
    """Each option but `type` is a class attribute of Socket; `type` is the method."""
    for name, option in SOCKET_OPTIONS.items():
        if name != "type":
            assert getattr(pyczmq.Socket, name) is option
    assert callable(pyczmq.Socket.type)
    assert not SOCKET_OPTIONS["type"].writable


@pytest.mark.parametrize("name", READABLE)
def test_read_on_every_socket_type(ctx, name):
    """Readable options return the Python type of the table on all 12 socket types;
    those libzmq refuses everywhere raise ZMQError EINVAL."""
    option = SOCKET_OPTIONS[name]
    for index, kind in enumerate(SOCKET_TYPE_NAMES):
        sock = ctx.socket(kind)
        if name in NOT_COMPILED or name in NO_GETTER:
            with pytest.raises(ZMQError) as info:
                get(sock, name)
            assert info.value.errno == errno.EINVAL
            assert name in str(info.value)
        else:
            value = get(sock, name)
            assert type(value) is PYTHON_TYPE[option.type], (kind, value)
            if option.type == OPT_CURVE_KEY:
                assert value == "0" * 40        # Z85 of the all-zero default key
            if name == "type":
                assert value == index == sock.type()
        sock.close()


@pytest.mark.parametrize("name", sorted(NOT_COMPILED))
def test_options_not_compiled_in_refuse_writes(ctx, name):
    """Options of a transport or mechanism libzmq lacks: EINVAL on every socket type."""
    for kind in SOCKET_TYPE_NAMES:
        sock = ctx.socket(kind)
        with pytest.raises(ZMQError) as info:
            setattr(sock, name, VALUES[name])
        assert info.value.errno == errno.EINVAL
        sock.linger = 5         # the socket is still usable
        assert sock.linger == 5


def test_default_values(ctx):
    """A few defaults, as libzmq 4.3.4 and CZMQ set them."""
    sock = ctx.socket("DEALER")
    assert sock.linger == 0                 # CZMQ's default, not libzmq's -1
    assert sock.sndhwm == sock.rcvhwm == 1000
    assert sock.identity == b""
    assert sock.last_endpoint == ""
    assert sock.mechanism == Z.NULL
    assert sock.ipv4only == 1 and sock.ipv6 == 0
    assert sock.heartbeat_timeout == -1
    assert sock.maxmsgsize == -1


# -- 2. round trips and the effect of write-only options ------------------------------


def test_every_writable_option_has_a_test_value():
    assert set(VALUES) == set(WRITABLE)


@pytest.mark.parametrize("name", [n for n in ROUND_TRIP if n not in NOT_COMPILED | REFUSED])
def test_round_trip(ctx, name):
    """Set a valid non-default value and read it back."""
    sock = ctx.socket(kind_for(name))
    value = VALUES[name]
    assert get(sock, name) != value
    setattr(sock, name, value)
    assert get(sock, name) == value


@pytest.mark.parametrize("name", CURVE_KEYS)
@pytest.mark.parametrize("form", ["raw bytes", "raw bytearray", "z85 str", "z85 bytes"])
def test_curve_key_forms(ctx, name, form):
    """A curve key is 32 raw bytes or its 40-character Z85 text; it reads back as Z85."""
    assert z85_encode(bytes.fromhex("864FD26FB559F75B")) == "HelloWorld"   # the RFC's example
    text = SERVER_SECRET
    raw = z85_decode(text)
    assert len(raw) == 32 and z85_encode(raw) == text
    value = {"raw bytes": raw, "raw bytearray": bytearray(raw),
             "z85 str": text, "z85 bytes": text.encode()}[form]
    sock = ctx.socket("DEALER")
    setattr(sock, name, value)
    assert getattr(sock, name) == text
    assert sock.mechanism == Z.CURVE


@pytest.mark.parametrize("name, alias", [("identity", "routing_id"),
                                         ("ipv6", "ipv4only"),
                                         ("delay_attach_on_connect", "immediate")])
def test_aliases(ctx, name, alias):
    """Aliased options share one setting (ipv4only is the inverse of ipv6)."""
    sock = ctx.socket("DEALER")
    setattr(sock, name, VALUES[name])
    expected = {"ipv4only": 0, "immediate": 1}.get(alias, VALUES[name])
    assert getattr(sock, alias) == expected


def test_wide_integer_options(ctx):
    """uint64 and int64 options keep values beyond 32 bits."""
    sock = ctx.socket("DEALER")
    sock.affinity = 2**64 - 1
    assert sock.affinity == 2**64 - 1
    sock.maxmsgsize = 2**63 - 1
    assert sock.maxmsgsize == 2**63 - 1


def test_subscribe_and_unsubscribe_filter_messages(ctx, inproc):
    pub = ctx.socket("PUB")
    sub = ctx.socket("SUB")
    pub.bind(inproc)
    sub.connect(inproc)
    sub.subscribe = b"a"
    wait_subscribed(pub, sub, b"a")
    for data in (b"a1", b"b1", b"a2", b"a-end"):
        pub.send(data)
    assert recv_until(sub, b"a-end") == [b"a1", b"a2", b"a-end"]
    sub.unsubscribe = b"a"
    sub.subscribe = b"c"
    wait_subscribed(pub, sub, b"c")     # applied after the unsubscription, in order
    for data in (b"a3", b"c1", b"b2", b"c-end"):
        pub.send(data)
    assert recv_until(sub, b"c-end") == [b"c1", b"c-end"]


def test_subscribe_to_everything_with_set_subscribe(ctx, inproc):
    """pyczmq 0.1's spelling sock.set_subscribe(b"")."""
    pub = ctx.socket("PUB")
    sub = ctx.socket("SUB")
    pub.bind(inproc)
    sub.connect(inproc)
    sub.set_subscribe(b"")
    wait_subscribed(pub, sub, b"x")
    pub.send(b"anything-end")
    assert recv_until(sub, b"anything-end") == [b"anything-end"]


def test_invert_matching(ctx, inproc):
    """With invert_matching on PUB and SUB, only non-matching messages arrive."""
    pub = ctx.socket("PUB")
    sub = ctx.socket("SUB")
    pub.invert_matching = sub.invert_matching = 1
    pub.bind(inproc)
    sub.subscribe = b"a"
    sub.connect(inproc)
    wait_subscribed(pub, sub, b"b")
    for data in (b"a1", b"b1", b"a2", b"b-end"):
        pub.send(data)
    assert recv_until(sub, b"b-end") == [b"b1", b"b-end"]


@pytest.mark.parametrize("mandatory", [0, 1])
def test_router_mandatory(ctx, inproc, mandatory):
    """Sending to an unknown routing id: dropped silently, or EHOSTUNREACH."""
    router = ctx.socket("ROUTER")
    router.router_mandatory = mandatory
    router.bind(inproc)
    dealer = ctx.socket("DEALER")
    dealer.identity = b"known"
    dealer.connect(inproc)
    dealer.send(b"hi")
    assert recv_parts(router) == [b"known", b"hi"]
    if mandatory:
        with pytest.raises(ZMQError) as info:
            router.send_multipart([b"nobody", b"lost"])
        assert info.value.errno == errno.EHOSTUNREACH
    else:
        router.send_multipart([b"nobody", b"lost"])
    router.send_multipart([b"known", b"reply"])    # still works
    assert recv_parts(dealer) == [b"reply"]


@pytest.mark.parametrize("relaxed", [0, 1])
def test_req_relaxed(ctx, inproc, relaxed):
    """A REQ may send again before the reply only with req_relaxed."""
    router = ctx.socket("ROUTER")
    router.bind(inproc)
    req = ctx.socket("REQ")
    req.req_relaxed = relaxed
    req.connect(inproc)
    req.send(b"one")
    if relaxed:
        req.send(b"two")
        assert recv_parts(router)[1:] == [b"", b"one"]
        assert recv_parts(router)[1:] == [b"", b"two"]
    else:
        with pytest.raises(ZMQError) as info:
            req.send(b"two")
        assert info.value.errno == Z.EFSM
        assert recv_parts(router)[1:] == [b"", b"one"]


def test_req_correlate(ctx, inproc):
    """With req_correlate a request carries a 4-byte id, and the reply must echo it."""
    router = ctx.socket("ROUTER")
    router.bind(inproc)
    req = ctx.socket("REQ")
    req.req_relaxed = 1
    req.req_correlate = 1
    req.connect(inproc)
    req.send(b"one")
    peer, request_id, empty, body = recv_parts(router)
    assert (len(request_id), empty, body) == (4, b"", b"one")
    router.send_multipart([peer, request_id, b"", b"answer"])
    assert recv_parts(req) == [b"answer"]


@pytest.mark.parametrize("conflating", ["PULL", "PUSH"])
def test_conflate_keeps_only_the_last_message(ctx, inproc, conflating):
    """conflate, set on the connecting socket of an inproc pair."""
    other = ctx.socket("PUSH" if conflating == "PULL" else "PULL")
    sock = ctx.socket(conflating)
    sock.conflate = 1
    other.bind(inproc)
    sock.connect(inproc)
    push, pull = (other, sock) if conflating == "PULL" else (sock, other)
    for number in range(5):
        push.send(b"%d" % number)
    assert recv_parts(pull) == [b"4"]
    assert pull.recv_nowait() is None


def test_conflate_on_the_bound_side_of_inproc_is_ignored(ctx, inproc):
    """libzmq 4.3.4: an inproc pipe takes conflate from the connecting socket only."""
    pull = ctx.socket("PULL")
    pull.conflate = 1
    pull.bind(inproc)
    push = ctx.socket("PUSH")
    push.connect(inproc)
    for number in range(3):
        push.send(b"%d" % number)
    assert [recv_parts(pull) for _ in range(3)] == [[b"0"], [b"1"], [b"2"]]


def test_xpub_welcome_msg(ctx, inproc):
    """A new subscriber first receives the welcome message."""
    xpub = ctx.socket("XPUB")
    xpub.xpub_welcome_msg = b"welcome"
    xpub.bind(inproc)
    sub = ctx.socket("SUB")
    sub.subscribe = b""
    sub.connect(inproc)
    assert recv_parts(xpub) == [b"\x01"]
    assert recv_parts(sub) == [b"welcome"]


def _subscriber(ctx, endpoint, *topics):
    sub = ctx.socket("SUB")
    for topic in topics:
        sub.subscribe = topic
    sub.connect(endpoint)
    return sub


def _subscriptions_until(xpub, last):
    received = []
    while not received or received[-1] != last:
        received += recv_parts(xpub)
    return received


@pytest.mark.parametrize("verbose", [0, 1])
def test_xpub_verbose(ctx, inproc, verbose):
    """xpub_verbose passes on a duplicate subscription."""
    xpub = ctx.socket("XPUB")
    xpub.xpub_verbose = verbose
    xpub.bind(inproc)
    first = _subscriber(ctx, inproc, b"t")
    assert recv_parts(xpub) == [b"\x01t"]
    second = _subscriber(ctx, inproc, b"t", b"u")
    expected = [b"\x01t", b"\x01u"] if verbose else [b"\x01u"]
    assert _subscriptions_until(xpub, b"\x01u") == expected
    assert not first.closed and not second.closed   # alive until here


@pytest.mark.parametrize("name", ["xpub_verbose", "xpub_verboser"])
def test_xpub_verboser(ctx, inproc, name):
    """xpub_verboser (not xpub_verbose) also passes on the unsubscription of a
    topic another subscriber still wants."""
    xpub = ctx.socket("XPUB")
    setattr(xpub, name, 1)
    xpub.bind(inproc)
    first = _subscriber(ctx, inproc, b"t")
    assert recv_parts(xpub) == [b"\x01t"]
    second = _subscriber(ctx, inproc, b"t")
    assert recv_parts(xpub) == [b"\x01t"]
    first.unsubscribe = b"t"
    first.subscribe = b"z"
    expected = [b"\x00t", b"\x01z"] if name == "xpub_verboser" else [b"\x01z"]
    assert _subscriptions_until(xpub, b"\x01z") == expected
    assert not second.closed        # alive until here


def test_xpub_manual(ctx, inproc):
    """With xpub_manual the application applies subscriptions (subscribe on the XPUB)."""
    xpub = ctx.socket("XPUB")
    with pytest.raises(ZMQError) as info:
        xpub.subscribe = b"t"           # only valid in manual mode
    assert info.value.errno == errno.EINVAL
    xpub.xpub_manual = 1
    xpub.bind(inproc)
    sub = _subscriber(ctx, inproc, b"t")
    assert recv_parts(xpub) == [b"\x01t"]
    xpub.send(b"t1")                    # not applied yet: dropped
    xpub.subscribe = b"t"
    xpub.send(b"t2")
    assert recv_parts(sub) == [b"t2"]


@pytest.mark.parametrize("nodrop", [0, 1])
def test_xpub_nodrop(ctx, inproc, nodrop):
    """At the high-water mark an XPUB drops silently, or raises Again with xpub_nodrop."""
    xpub = ctx.socket("XPUB")
    xpub.sndhwm = 1
    xpub.xpub_nodrop = nodrop
    xpub.bind(inproc)
    sub = ctx.socket("SUB")
    sub.rcvhwm = 1
    sub.subscribe = b""
    sub.connect(inproc)
    assert recv_parts(xpub) == [b"\x01"]

    def flood():
        for _ in range(10000):
            xpub.send(b"m", pyczmq.DONTWAIT)

    if nodrop:
        with pytest.raises(pyczmq.Again):
            flood()
    else:
        flood()


def test_probe_router(ctx, inproc):
    """A DEALER with probe_router greets the ROUTER with an empty message."""
    router = ctx.socket("ROUTER")
    router.bind(inproc)
    dealer = ctx.socket("DEALER")
    dealer.identity = b"D"
    dealer.probe_router = 1
    dealer.connect(inproc)
    assert recv_parts(router) == [b"D", b""]


@pytest.mark.parametrize("name", ["identity", "routing_id"])
def test_identity_is_seen_by_the_router(ctx, inproc, name):
    router = ctx.socket("ROUTER")
    router.bind(inproc)
    dealer = ctx.socket("DEALER")
    setattr(dealer, name, b"me\x00")
    dealer.connect(inproc)
    dealer.send(b"hi")
    assert recv_parts(router) == [b"me\x00", b"hi"]


def test_router_handover(ctx, inproc):
    """A second peer with a known routing id takes the connection over."""
    router = ctx.socket("ROUTER")
    router.router_handover = 1
    router.bind(inproc)
    first = ctx.socket("DEALER")
    first.identity = b"X"
    first.connect(inproc)
    first.send(b"1")
    assert recv_parts(router) == [b"X", b"1"]
    second = ctx.socket("DEALER")
    second.identity = b"X"
    second.connect(inproc)
    second.send(b"2")
    assert recv_parts(router) == [b"X", b"2"]
    router.send_multipart([b"X", b"to-second"])
    assert recv_parts(second) == [b"to-second"]
    assert first.recv_nowait() is None


@pytest.mark.parametrize("name", ["connect_rid", "connect_routing_id"])
def test_connect_routing_id(ctx, inproc, name):
    """A ROUTER names the peer of its next connect()."""
    dealer = ctx.socket("DEALER")
    dealer.bind(inproc)
    router = ctx.socket("ROUTER")
    router.router_mandatory = 1
    setattr(router, name, b"peer")
    router.connect(inproc)
    router.send_multipart([b"peer", b"hello"])
    assert recv_parts(dealer) == [b"hello"]


@pytest.mark.parametrize("notify", [1, 0])
def test_stream_notify(ctx, notify):
    """A STREAM socket announces a new connection with an empty message unless told not to."""
    stream = ctx.socket("STREAM")
    stream.stream_notify = notify
    port = stream.bind("tcp://127.0.0.1:*")
    with pysocket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(b"data")
        peer, data = recv_parts(stream)
        assert data == (b"" if notify else b"data")


def test_router_raw(ctx):
    """A ROUTER with router_raw speaks raw TCP (deprecated; STREAM's ancestor)."""
    router = ctx.socket("ROUTER")
    router.router_raw = 1
    port = router.bind("tcp://127.0.0.1:*")
    with pysocket.create_connection(("127.0.0.1", port)) as client:
        client.settimeout(WAIT / 1000)
        client.sendall(b"hello")
        peer, data = recv_parts(router)
        if data == b"":                 # the connect notification
            peer, data = recv_parts(router)
        assert data == b"hello"
        router.send_multipart([peer, b"raw reply"])
        assert client.recv(100) == b"raw reply"


@pytest.mark.parametrize("client_key", ["right", "wrong"])
def test_curve_handshake(ctx, client_key):
    """The CURVE options secure a TCP connection: a client with the wrong server key gets nothing through."""
    server = ctx.socket("PULL")
    server.curve_server = 1
    server.curve_secretkey = SERVER_SECRET
    port = server.bind("tcp://127.0.0.1:*")
    client = ctx.socket("PUSH")
    client.curve_serverkey = SERVER_PUBLIC if client_key == "right" else CLIENT_PUBLIC
    client.curve_publickey = z85_decode(CLIENT_PUBLIC)
    client.curve_secretkey = CLIENT_SECRET.encode()
    client.connect("tcp://127.0.0.1:%d" % port)
    client.send(b"secret")
    assert server.mechanism == client.mechanism == Z.CURVE
    assert (server.curve_server, client.curve_server) == (1, 0)
    if client_key == "right":
        assert recv_parts(server) == [b"secret"]
    else:
        assert not server.poll(NEGATIVE_WAIT)


def test_plain_credentials_and_zap_domain_reach_the_zap_handler(ctx):
    """plain_username, plain_password and zap_domain, as a ZAP handler (RFC 27) sees them."""
    handler = ctx.socket("REP")
    handler.bind("inproc://zeromq.zap.01")
    try:
        server = ctx.socket("PULL")
        server.plain_server = 1
        server.zap_domain = "domain"
        port = server.bind("tcp://127.0.0.1:*")
        client = ctx.socket("PUSH")
        client.plain_username = "alice"
        client.plain_password = "secret"
        client.connect("tcp://127.0.0.1:%d" % port)
        client.send(b"hi")
        request = recv_parts(handler)
        assert request[0] == b"1.0"
        assert request[2:3] + request[5:] == [b"domain", b"PLAIN", b"alice", b"secret"]
        handler.send_multipart([b"1.0", request[1], b"200", b"OK", b"alice", b""])
        assert recv_parts(server) == [b"hi"]
        assert server.mechanism == client.mechanism == Z.PLAIN
    finally:
        handler.close()


def test_security_options_set_the_mechanism(ctx):
    settings = [("plain_server", 1, Z.PLAIN), ("plain_username", "u", Z.PLAIN),
                ("curve_server", 1, Z.CURVE), ("curve_serverkey", SERVER_PUBLIC, Z.CURVE)]
    if "gssapi_server" not in NOT_COMPILED:
        settings.append(("gssapi_server", 1, Z.GSSAPI))
    for name, value, mechanism in settings:
        sock = ctx.socket("DEALER")
        assert sock.mechanism == Z.NULL
        setattr(sock, name, value)
        assert sock.mechanism == mechanism, name


@pytest.mark.parametrize("allowed", ["10.1.2.3", "127.0.0.1"])
def test_tcp_accept_filter(ctx, allowed):
    """A listener with tcp_accept_filter accepts only the addresses listed."""
    pull = ctx.socket("PULL")
    pull.tcp_accept_filter = allowed
    port = pull.bind("tcp://127.0.0.1:*")
    push = ctx.socket("PUSH")
    push.connect("tcp://127.0.0.1:%d" % port)
    push.send(b"x")
    if allowed == "127.0.0.1":
        assert recv_parts(pull) == [b"x"]
    else:
        assert not pull.poll(NEGATIVE_WAIT)


def test_use_fd(ctx):
    """bind() listens on a socket made beforehand, given by use_fd."""
    listener = pysocket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    pull = ctx.socket("PULL")
    pull.use_fd = listener.fileno()
    # libzmq is given a duplicate (it closes what it adopts): the same socket.
    duplicate = pull.use_fd
    assert duplicate != listener.fileno()
    assert os.fstat(duplicate).st_ino == os.fstat(listener.fileno()).st_ino
    pull.bind("tcp://127.0.0.1:%d" % port)
    assert pull.use_fd == -1                    # adopted: a second bind makes its own
    push = ctx.socket("PUSH")
    push.connect("tcp://127.0.0.1:%d" % port)
    push.send(b"via fd")
    assert recv_parts(pull) == [b"via fd"]
    pull.close()
    listener.getsockname()                      # the caller's descriptor is still open
    listener.close()


def test_timeouts(ctx, inproc):
    """rcvtimeo and sndtimeo end a blocking call with Again."""
    pull = ctx.socket("PULL")
    pull.rcvtimeo = 10
    with pytest.raises(pyczmq.Again):
        pull.recv_bytes()
    push = ctx.socket("PUSH")       # no peer: a send would block
    push.sndtimeo = 10
    with pytest.raises(pyczmq.Again):
        push.send(b"x")


def test_read_only_options_report_the_socket_state(ctx, pair):
    """last_endpoint, events, rcvmore, fd, thread_safe and type describe the socket."""
    a, b = pair
    sock = ctx.socket("PULL")
    port = sock.bind("tcp://127.0.0.1:*")
    assert sock.last_endpoint == "tcp://127.0.0.1:%d" % port
    assert (b.events & Z.POLLIN) == 0
    a.send_multipart([b"first", b"second"])
    assert b.poll(WAIT)
    assert b.events & Z.POLLIN
    assert a.events & Z.POLLOUT
    assert b.recv_bytes() == b"first" and b.rcvmore == 1
    assert b.recv_bytes() == b"second" and b.rcvmore == 0
    os.fstat(b.fd)          # a real descriptor
    assert b.fd != a.fd
    assert a.thread_safe == 0
    assert zsockopt.type(a) == Z.PAIR


# -- 3. errors --------------------------------------------------------------------------


@pytest.mark.parametrize("name", WRITE_ONLY)
def test_reading_a_write_only_option_raises_attribute_error(ctx, name):
    sock = ctx.socket(kind_for(name))
    with pytest.raises(AttributeError):
        getattr(sock, name)
    with pytest.raises(AttributeError, match="can only be set"):
        SOCKET_OPTIONS[name].__get__(sock, pyczmq.Socket)
    assert not hasattr(zsockopt, name)


@pytest.mark.parametrize("name", READ_ONLY)
def test_writing_a_read_only_option_raises_attribute_error(ctx, name):
    sock = ctx.socket("DEALER")
    before = get(sock, name)
    with pytest.raises(AttributeError, match="can only be read"):
        SOCKET_OPTIONS[name].__set__(sock, 1)
    if name != "type":
        with pytest.raises(AttributeError):
            setattr(sock, name, 1)
    with pytest.raises(AttributeError):
        getattr(sock, "set_" + name)
    assert not hasattr(zsockopt, "set_" + name)
    assert get(sock, name) == before


def _wrong_types(name):
    if SOCKET_OPTIONS[name].type in (OPT_INT, OPT_INT64, OPT_UINT64):
        return ["1", b"1", 1.0, None, [1]]
    return [1, 1.5, None, ["a"], object()]


@pytest.mark.parametrize("name", WRITABLE)
def test_wrong_python_type_raises_type_error(ctx, name):
    sock = ctx.socket(kind_for(name))
    readable = name in ROUND_TRIP and name not in NOT_COMPILED
    before = get(sock, name) if readable else None
    for value in _wrong_types(name):
        with pytest.raises(TypeError):
            setattr(sock, name, value)
        with pytest.raises(TypeError):
            getattr(zsockopt, "set_" + name)(sock, value)
    if readable:
        assert get(sock, name) == before


@pytest.mark.parametrize("name", [n for n in WRITABLE if n not in NOT_COMPILED | REFUSED])
def test_option_on_the_wrong_socket_type(ctx, name):
    """Each option works on the socket types libzmq allows and raises EINVAL on the others."""
    for kind in SOCKET_TYPE_NAMES:
        sock = ctx.socket(kind)
        if kind in ONLY_ON.get(name, SOCKET_TYPE_NAMES):
            setattr(sock, name, VALUES[name])
        else:
            with pytest.raises(ZMQError) as info:
                setattr(sock, name, VALUES[name])
            assert info.value.errno == errno.EINVAL
            assert name in str(info.value) and "on a %s socket" % kind in str(info.value)
        # (a STREAM talks to tcp peers only)
        sock.bind("tcp://127.0.0.1:*" if kind == "STREAM"
                  else "inproc://wrong-type-%s-%s-%d" % (name, kind, os.getpid()))
        sock.close()


REJECTED = [    # (option, socket type, value) libzmq 4.3.4 refuses with EINVAL
    ("linger", "DEALER", -5), ("linger", "DEALER", -2),
    ("sndhwm", "DEALER", -1), ("rcvhwm", "DEALER", -1),
    ("rcvtimeo", "DEALER", -2), ("sndtimeo", "DEALER", -2),
    ("rate", "DEALER", 0), ("multicast_hops", "DEALER", 0), ("multicast_maxtpdu", "DEALER", 0),
    ("reconnect_ivl", "DEALER", -2), ("reconnect_ivl_max", "DEALER", -1),
    ("backlog", "DEALER", -1), ("tos", "DEALER", -1),
    ("immediate", "DEALER", 2), ("ipv6", "DEALER", 2), ("curve_server", "DEALER", 2),
    ("plain_server", "DEALER", -1), ("conflate", "PULL", 2), ("tcp_keepalive", "DEALER", 2),
    ("heartbeat_timeout", "DEALER", -1),    # although -1 is its default
    ("heartbeat_ttl", "DEALER", 6553600),   # at most 65535 deciseconds
    ("connect_timeout", "DEALER", -1), ("tcp_maxrt", "DEALER", -1),
    ("stream_notify", "STREAM", 2), ("router_mandatory", "ROUTER", -1),
    ("identity", "DEALER", b""), ("identity", "DEALER", b"x" * 256),
    ("routing_id", "DEALER", b""),
    ("zap_domain", "DEALER", "d" * 256), ("plain_username", "DEALER", "u" * 256),
    ("bindtodevice", "DEALER", "x" * 17),
    ("tcp_accept_filter", "DEALER", "not-an-address"), ("tcp_accept_filter", "DEALER", "::1"),
    ("curve_publickey", "DEALER", "~" * 40),    # not Z85
    ("curve_secretkey", "DEALER", "#" * 40),    # Z85 that overflows 32 bits
]
if "gssapi_principal" not in NOT_COMPILED:
    REJECTED += [("gssapi_principal", "DEALER", ""), ("gssapi_principal_nametype", "DEALER", 3)]


@pytest.mark.parametrize("name, kind, value", REJECTED,
                         ids=["%s=%.12r" % (name, value) for name, _, value in REJECTED])
def test_value_rejected_by_libzmq_raises_einval(ctx, inproc, name, kind, value):
    sock = ctx.socket(kind)
    readable = name in ROUND_TRIP
    before = get(sock, name) if readable else None
    with pytest.raises(ZMQError) as info:
        setattr(sock, name, value)
    assert info.value.errno == errno.EINVAL
    if readable:
        assert get(sock, name) == before
    setattr(sock, name, VALUES[name])       # still usable
    if readable:
        assert get(sock, name) == VALUES[name]
    sock.bind("tcp://127.0.0.1:*" if kind == "STREAM" else inproc)


@pytest.mark.parametrize("name", CURVE_KEYS)
def test_curve_key_of_wrong_length_raises_value_error(ctx, name):
    sock = ctx.socket("DEALER")
    for value in (b"", b"k" * 31, b"k" * 33, "k" * 39, SERVER_PUBLIC + "\0", b"k" * 41):
        with pytest.raises(ValueError, match="32-byte key") as info:
            setattr(sock, name, value)
        assert not isinstance(info.value, ZMQError)
    assert getattr(sock, name) == "0" * 40
    assert sock.mechanism == Z.NULL


@pytest.mark.parametrize("name", TEXT)
def test_text_with_nul_raises_value_error(ctx, name):
    sock = ctx.socket("DEALER")
    for value in ("a\0b", b"a\0", "\0"):
        with pytest.raises(ValueError, match="NUL") as info:
            setattr(sock, name, value)
        assert not isinstance(info.value, ZMQError)


def test_binary_options_accept_nul(ctx):
    """Bytes options are binary: NUL bytes are kept, not refused or stripped."""
    sock = ctx.socket("SUB")
    sock.subscribe = b"a\0b"
    sock.unsubscribe = b"a\0b"
    sock.identity = b"\0\0x\0"
    assert sock.identity == b"\0\0x\0"


OVERFLOWS = [("linger", 2**31), ("linger", -2**31 - 1), ("sndhwm", 2**64),
             ("maxmsgsize", 2**63), ("maxmsgsize", -2**63 - 1),
             ("affinity", -1), ("affinity", 2**64)]


@pytest.mark.parametrize("name, value", OVERFLOWS)
def test_integer_out_of_c_range_raises_overflow_error(ctx, name, value):
    sock = ctx.socket("DEALER")
    before = getattr(sock, name)
    with pytest.raises(OverflowError):
        setattr(sock, name, value)
    assert getattr(sock, name) == before


def test_socket_still_works_after_rejected_values(pair):
    a, b = pair
    for name, value, error in [("linger", -5, ZMQError), ("identity", b"", ZMQError),
                               ("subscribe", b"x", ZMQError), ("linger", 2**40, OverflowError),
                               ("linger", "5", TypeError), ("curve_publickey", b"k" * 31, ValueError),
                               ("zap_domain", "a\0", ValueError), ("vmci_buffer_size", -1, OverflowError)]:
        with pytest.raises(error):
            setattr(a, name, value)
    a.send(b"still")
    assert recv_parts(b) == [b"still"]
    b.send(b"working")
    assert recv_parts(a) == [b"working"]


@pytest.mark.parametrize("name", sorted(SOCKET_OPTIONS))
def test_option_on_a_closed_socket_raises_closed_error(ctx, name):
    sock = ctx.socket(kind_for(name))
    sock.close()
    option = SOCKET_OPTIONS[name]
    calls = []
    if option.readable:
        calls += [lambda: get(sock, name), lambda: getattr(zsockopt, name)(sock)]
    if option.writable:
        calls += [lambda: setattr(sock, name, VALUES[name]),
                  lambda: getattr(sock, "set_" + name)(VALUES[name]),
                  lambda: getattr(zsockopt, "set_" + name)(sock, VALUES[name])]
    for call in calls:
        with pytest.raises(ClosedError) as info:
            call()
        assert info.value.errno == errno.ENOTSOCK


def test_option_after_context_destroy_raises_closed_error():
    ctx = pyczmq.Context()
    sock = ctx.socket("SUB")
    ctx.destroy()
    with pytest.raises(ClosedError):
        sock.linger
    with pytest.raises(ClosedError):
        sock.subscribe = b""


def test_option_on_a_non_socket_raises_type_error():
    with pytest.raises(TypeError):
        SOCKET_OPTIONS["linger"].__get__(object(), pyczmq.Socket)
    with pytest.raises(TypeError):
        zsockopt.set_linger("not a socket", 5)
    with pytest.raises(TypeError):
        zsockopt.linger(None)


# -- 4. zsockopt and the set_<name> spellings --------------------------------------------


def test_zsockopt_has_a_function_per_option():
    expected = set(READABLE) | {"set_" + name for name in WRITABLE}
    assert set(zsockopt.__all__) == expected
    assert zsockopt.__all__ == sorted(zsockopt.__all__)
    for name in expected:
        assert callable(getattr(zsockopt, name)), name
        assert getattr(zsockopt, name).__name__ == name
    assert not hasattr(zsockopt, "subscribe")
    assert not hasattr(zsockopt, "set_events")


@pytest.mark.parametrize("name", [n for n in READABLE if n not in NOT_COMPILED | NO_GETTER])
def test_zsockopt_getter_matches_the_property(ctx, name):
    for kind in ("DEALER", "SUB", "ROUTER"):
        sock = ctx.socket(kind)
        assert getattr(zsockopt, name)(sock) == get(sock, name)


@pytest.mark.parametrize("spelling", ["zsockopt", "set_method", "zsocket"])
@pytest.mark.parametrize("name", [n for n in WRITABLE if n not in NOT_COMPILED | REFUSED])
def test_setter_spellings_behave_like_the_property(ctx, name, spelling):
    """zsockopt.set_<name>(sock, v), sock.set_<name>(v) and zsocket.set_<name>(sock, v)."""
    def set_option(sock, value):
        if spelling == "zsockopt":
            getattr(zsockopt, "set_" + name)(sock, value)
        elif spelling == "set_method":
            getattr(sock, "set_" + name)(value)
        else:
            getattr(zsocket, "set_" + name)(sock, value)

    sock = ctx.socket(kind_for(name))
    set_option(sock, VALUES[name])
    if name in ROUND_TRIP:
        assert get(sock, name) == VALUES[name]
    elif name == "use_fd":
        assert os.fstat(get(sock, name)).st_ino == os.fstat(VALUES[name]).st_ino
    with pytest.raises(TypeError):
        set_option(sock, object())
    wrong_kind = "PAIR" if name in ONLY_ON else None
    if wrong_kind:
        with pytest.raises(ZMQError) as info:
            set_option(ctx.socket(wrong_kind), VALUES[name])
        assert info.value.errno == errno.EINVAL


def test_zsocket_set_subscribe_filters(ctx, inproc):
    """zsocket forwards the option functions: zsocket.set_subscribe(sock, b"")."""
    pub = ctx.socket("PUB")
    sub = ctx.socket("SUB")
    pub.bind(inproc)
    sub.connect(inproc)
    zsocket.set_subscribe(sub, b"")
    wait_subscribed(pub, sub, b"z")
    assert zsocket.linger(sub) == 0
    pub.send(b"z-end")
    assert recv_until(sub, b"z-end") == [b"z-end"]


def test_unknown_names_raise_attribute_error(ctx):
    sock = ctx.socket("SUB")
    for name in ("set_nonsense", "set_", "set_events", "set_type", "nonsense"):
        with pytest.raises(AttributeError):
            getattr(sock, name)
    for module in (zsockopt, zsocket):
        with pytest.raises(AttributeError):
            module.set_nonsense


# -- 5. never an abort -----------------------------------------------------------------

BAD_VALUES_CODE = """
    import pyczmq
    from pyczmq import SOCKET_OPTIONS, SOCKET_TYPE_NAMES, Socket
    BAD = {
        0: [-2**31, -5, -2, -1, 0, 2, 2**31 - 1, 2**31, "1", None, 1.5],   # int
        1: [-2**63, -5, 0, 2**63, "1", None],                              # int64
        2: [0, 1, -1, 2**64, "1", None],                                   # uint64
        3: [b"", b"x" * 256, b"\\0", "", "\\udcff", 5, None],              # bytes
        4: ["", "x" * 300, "x" * 5000, "a\\0b", b"\\xff", "::1", 5, None], # text
        5: [b"", b"k" * 31, b"k" * 40, "~" * 40, "#" * 40, 5, None],       # curve key
    }
    ctx = pyczmq.Context()
    tried = 0
    for kind in SOCKET_TYPE_NAMES:
        for option in SOCKET_OPTIONS.values():
            sock = ctx.socket(kind)
            for value in (BAD[option.type] if option.writable else [1]):
                tried += 1
                try:
                    option.__set__(sock, value)
                except Exception:
                    pass
                try:
                    option.__get__(sock, Socket)
                except Exception:
                    pass
            sock.close()
            try:
                option.__set__(sock, 1)
            except Exception:
                pass
    ctx.destroy()
    print("tried", tried)
"""


def _child_env():
    root = os.path.dirname(os.path.dirname(os.path.abspath(pyczmq.__file__)))
    return {"PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}


def test_bad_values_never_abort():
    """Every option, every socket type, many bad values: exceptions, never an abort."""
    result = run_python(BAD_VALUES_CODE, env=_child_env())
    assert "Assertion" not in result.stderr
    assert_clean_run(result)
    assert int(result.stdout.split()[-1]) > 5000


def test_czmq_setter_would_abort():
    """The hazard the binding avoids: CZMQ's own zsock_set_subscribe on a PUSH asserts."""
    result = run_python("""
        import ctypes, ctypes.util, pyczmq
        czmq = ctypes.CDLL(ctypes.util.find_library("czmq") or "libczmq.so.4")
        sock = pyczmq.Context().socket("PUSH")
        czmq.zsock_set_subscribe(ctypes.c_void_p(sock.underlying), b"x")
        print("survived")
    """, env=_child_env())
    assert result.returncode < 0 and "Assertion" in result.stderr
    assert "survived" not in result.stdout


# -- 6. Context defaults -------------------------------------------------------------------


def test_context_defaults_apply_to_sockets_made_afterwards(ctx):
    before = ctx.socket("PUSH")
    ctx.set_linger(250)
    ctx.set_sndhwm(11)
    ctx.set_rcvhwm(12)
    assert ctx.linger == 250
    for sock in (ctx.socket("PULL"), zsocket.new(ctx, "PAIR"), pyczmq.Socket(ctx, "SUB")):
        assert (sock.linger, sock.sndhwm, sock.rcvhwm) == (250, 11, 12)
        sock.linger = 5                 # a socket may still override
        assert sock.linger == 5
        sock.close()
    assert (before.linger, before.sndhwm, before.rcvhwm) == (0, 1000, 1000)
    with pyczmq.Context() as other:     # another scope keeps CZMQ's defaults
        sock = other.socket("PUSH")
        assert (sock.linger, sock.sndhwm, sock.rcvhwm) == (0, 1000, 1000)


def test_context_default_boundaries(ctx):
    ctx.set_linger(-1)
    ctx.set_sndhwm(0)
    ctx.set_rcvhwm(0)
    sock = ctx.socket("DEALER")
    assert (sock.linger, sock.sndhwm, sock.rcvhwm) == (-1, 0, 0)
    sock.close(linger=0)


@pytest.mark.parametrize("setter, value, error", [
    ("set_linger", -3, ValueError), ("set_linger", -2, ValueError),
    ("set_linger", 2**31, ValueError), ("set_sndhwm", -1, ValueError),
    ("set_rcvhwm", -1, ValueError), ("set_linger", "10", TypeError),
    ("set_sndhwm", 1.5, TypeError), ("set_rcvhwm", None, TypeError),
])
def test_context_default_bad_values(ctx, setter, value, error):
    ctx.set_linger(7)
    ctx.set_sndhwm(8)
    ctx.set_rcvhwm(9)
    with pytest.raises(error):
        getattr(ctx, setter)(value)
    sock = ctx.socket("DEALER")         # the previous defaults stay
    assert (sock.linger, sock.sndhwm, sock.rcvhwm) == (7, 8, 9)


# -- regressions: bugs found and fixed ---------------------------------------------------


def test_long_text_option_reads_back(ctx):
    """A text option longer than the first buffer tried (an inproc name has no limit);
    bind() reads it too (it raised after binding)."""
    sock = ctx.socket("PAIR")
    endpoint = "inproc://" + "p" * 5000
    assert sock.bind(endpoint) == 0
    assert sock.last_endpoint == endpoint
    assert endpoint in repr(sock)


def test_socks_proxy_is_refused():
    """libzmq aborts when a socket is closed after a connection through its SOCKS proxy
    failed (socks_connecter_t::error keeps a removed poll handle): every way of setting a
    proxy raises ENOTSUP, naming the defect; an empty value is accepted, and a socket whose
    proxy was refused connects and closes quietly."""
    result = run_probes(textwrap.dedent("""
        import errno, socket, time
        import pyczmq
        from pyczmq import zmq, zsockopt
        ctx = pyczmq.Context()
        listener = socket.socket()          # a proxy that answers nonsense: libzmq's error path
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        proxy = "127.0.0.1:%d" % listener.getsockname()[1]
        sock = ctx.socket("DEALER")
        def refused(set_it):
            try:
                set_it()
            except pyczmq.ZMQError as error:
                assert error.errno == errno.ENOTSUP and "socks_connecter" in str(error), error
                raise
    """), [
        ("pyczmq.ZMQError", "refused(lambda: setattr(sock, 'socks_proxy', proxy))"),
        ("pyczmq.ZMQError", "refused(lambda: sock.set_socks_proxy(proxy.encode()))"),
        ("pyczmq.ZMQError", "refused(lambda: zsockopt.set_socks_proxy(sock, proxy))"),
        ("pyczmq.ZMQError", "refused(lambda: zmq.setsockopt(sock, zmq.SOCKS_PROXY, proxy))"),
        (None, "sock.socks_proxy = ''; assert sock.socks_proxy == ''"),
        (None, "sock.connect('tcp://%s' % proxy); time.sleep(0.3); sock.close()"),
    ])
    assert_clean_run(result)
    assert result.stdout == "survived\n"


def test_non_utf8_text_round_trips(ctx):
    sock = ctx.socket("DEALER")
    sock.zap_domain = b"\xff"
    value = sock.zap_domain
    assert value == "\udcff"
    sock.zap_domain = value
    assert sock.zap_domain == value


@pytest.mark.parametrize("name", ["plain_username", "plain_password"])
def test_empty_plain_credentials_return_to_the_null_mechanism(ctx, name):
    """libzmq treats (NULL, 0) for a PLAIN credential as 'back to NULL security'."""
    sock = ctx.socket("DEALER")
    setattr(sock, name, VALUES[name])
    assert sock.mechanism == Z.PLAIN
    setattr(sock, name, "")
    assert sock.mechanism == Z.NULL


@pytest.mark.parametrize("name", ["socks_proxy", "bindtodevice"])
def test_empty_text_resets_the_option(ctx, name):
    """An empty text reaches libzmq as (NULL, 0), the only way it clears one."""
    sock = ctx.socket("DEALER")
    if name not in REFUSED:
        setattr(sock, name, VALUES[name])
    setattr(sock, name, "")
    assert getattr(sock, name) == ""


def test_zap_domain_can_not_be_cleared(ctx):
    """libzmq 4.3.4 refuses an empty zap_domain in every form: EINVAL."""
    sock = ctx.socket("DEALER")
    sock.zap_domain = "global"
    with pytest.raises(ZMQError) as info:
        sock.zap_domain = ""
    assert info.value.errno == errno.EINVAL and sock.zap_domain == "global"


def test_empty_tcp_accept_filter_clears_the_filter(ctx):
    assert '"" clears' in SOCKET_OPTIONS["tcp_accept_filter"].__doc__
    pull = ctx.socket("PULL")
    pull.tcp_accept_filter = "10.1.2.3"
    pull.tcp_accept_filter = ""
    port = pull.bind("tcp://127.0.0.1:*")
    push = ctx.socket("PUSH")
    push.connect("tcp://127.0.0.1:%d" % port)
    push.send(b"x")
    assert recv_parts(pull) == [b"x"]


def test_deleting_an_option_raises_attribute_error(ctx):
    sock = ctx.socket("DEALER")
    with pytest.raises(AttributeError):
        del sock.linger


def test_reading_a_write_only_option_says_it_can_only_be_set(ctx):
    sock = ctx.socket("SUB")
    with pytest.raises(AttributeError, match="can only be set"):
        sock.subscribe
