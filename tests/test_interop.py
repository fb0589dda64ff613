"""pyczmq against real peers in other processes, over tcp and ipc: pyzmq (built
on the same system libzmq, see scripts/setup-env.sh), a C program over CZMQ
(tests/peers/czmq_peer.c, compiled here with gcc) and, for STREAM, a plain TCP
socket.

Every sensible pairing of socket types runs with pyczmq on either side, and
with either side binding: multipart messages, empty frames, a 10 MB frame,
identities, subscriptions, and CURVE with each side making its own keys.  The
peers are driven line by line (the protocol is described in czmq_peer.c);
every receive on either side has a timeout, so a lost message fails the test
instead of hanging it, and a peer that crashes fails it too.
"""

import json
import os
import selectors
import subprocess
import sys
import time

import pytest

import pyczmq
from pyczmq import Cert, zmq

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")
TIMEOUT_MS = 10_000             # every receive and send, on both sides
BIG = 10 * 1024 * 1024


# -- peers ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def czmq_peer_program(tmp_path_factory):
    """tests/peers/czmq_peer.c compiled against the system CZMQ."""
    folder = tmp_path_factory.mktemp("czmq-peer")
    program = str(folder / "czmq_peer")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libczmq", "libzmq"],
                           capture_output=True, text=True, check=True).stdout.split()
    build = subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-O1", "-o", program,
                            os.path.join(PEERS, "czmq_peer.c"), *flags],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    return program


class PeerError(Exception):
    """A command the peer answered with "err WHAT"."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what


class Peer:
    """A peer process, one command line in, one reply line out."""

    def __init__(self, argv, folder):
        self.folder = folder
        self.sent_files = 0
        self.process = subprocess.Popen(argv + [str(folder)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.pending = b""
        self.ended = False

    def _readline(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                raise AssertionError("the peer did not answer within %g s" % timeout)
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                self.process.wait(5)
                raise AssertionError("the peer ended (exit %s): %s" % (
                    self.process.returncode, self.process.stderr.read().decode()))
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode()

    def command(self, line, timeout=TIMEOUT_MS / 1000 + 20):
        """The reply to `line` after its "ok" (raises PeerError for "err")."""
        self.ended = line == "quit"
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        answer = self._readline(timeout)
        status, _, rest = answer.partition(" ")
        if status == "err":
            raise PeerError(rest)
        assert status == "ok", answer
        return rest

    def token(self, frame):
        if len(frame) <= 4096:
            return "x" + bytes(frame).hex()
        self.sent_files += 1
        path = self.folder / ("s%d" % self.sent_files)
        path.write_bytes(frame)
        return "@%s" % path

    @staticmethod
    def frame(token):
        if token.startswith("x"):
            return bytes.fromhex(token[1:])
        assert token.startswith("@"), token
        with open(token[1:], "rb") as file:
            data = file.read()
        os.unlink(token[1:])
        return data

    def close(self):
        """Quit; the peer must exit 0 with nothing on stderr."""
        try:
            if not self.ended:
                self.command("quit")
            self.process.wait(10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.selector.close()
            self.process.stdin.close()
            self.process.stdout.close()
            stderr = self.process.stderr.read().decode()
            self.process.stderr.close()
        assert self.process.returncode == 0 and stderr == "", (self.process.returncode, stderr)


@pytest.fixture
def peers(czmq_peer_program, tmp_path):
    """make(kind) starts a peer: "pyzmq", "czmq" or "raw"; all are closed
    (and checked) at the end of the test."""
    started = []

    def make(kind):
        folder = tmp_path / ("peer%d" % len(started))
        folder.mkdir()
        if kind == "czmq":
            argv = [czmq_peer_program]
        else:
            argv = [sys.executable, os.path.join(PEERS, "pyzmq_peer.py")]
        peer = Peer(argv, folder)
        started.append(peer)
        return peer

    yield make
    errors = []
    for peer in started:
        try:
            peer.close()
        except AssertionError as error:
            errors.append(str(error))
    assert not errors, errors


# -- the two kinds of side -------------------------------------------------------

class LocalSide:
    """A pyczmq socket in this process."""

    name = "pyczmq"

    def __init__(self, ctx, kind):
        self.sock = ctx.socket(kind)
        self.sock.rcvtimeo = self.sock.sndtimeo = TIMEOUT_MS
        self.sock.linger = 0

    def set(self, option, value):
        setattr(self.sock, option, value)

    def mechanism(self):
        return {zmq.NULL: "NULL", zmq.PLAIN: "PLAIN", zmq.CURVE: "CURVE"}[self.sock.mechanism]

    def bind(self, endpoint):
        self.sock.bind(endpoint)
        return self.sock.last_endpoint

    def connect(self, endpoint):
        self.sock.connect(endpoint)

    def send(self, frames):
        try:
            self.sock.send_multipart(frames)
        except pyczmq.ZMQError as error:
            raise PeerError({zmq.EAGAIN: "again", zmq.EHOSTUNREACH: "hostunreach"}.get(
                error.errno, str(error.errno))) from None

    def recv(self):
        return self.sock.recv_multipart()

    def recv_within(self, ms):
        """The next message, or None if none comes within `ms`."""
        return self.sock.recv_multipart() if self.sock.poll(ms) else None


class PeerSide:
    """A socket in a peer process."""

    def __init__(self, peer, kind, name):
        self.peer = peer
        self.name = name
        peer.command("socket " + kind)

    def set(self, option, value):
        if isinstance(value, int):
            value = str(value)
        elif not option.startswith("curve_"):
            value = self.peer.token(value)
        self.peer.command("opt %s %s" % (option, value))

    def mechanism(self):
        return self.peer.command("get mechanism")

    def bind(self, endpoint):
        return self.peer.command("bind " + endpoint)

    def connect(self, endpoint):
        self.peer.command("connect " + endpoint)

    def send(self, frames):
        self.peer.command("send " + " ".join(self.peer.token(frame) for frame in frames))

    def recv(self):
        reply = self.peer.command("recv")
        return [self.peer.frame(token) for token in reply.split(" ")]

    def recv_within(self, ms):
        self.set("rcvtimeo", ms)
        try:
            return self.recv()
        except PeerError as error:
            assert error.what == "again", error.what
            return None
        finally:
            self.set("rcvtimeo", TIMEOUT_MS)


# -- what each pairing exchanges ---------------------------------------------------

@pytest.fixture(scope="module")
def big():
    return os.urandom(BIG)


def messages(big):
    """Multipart, empty frames, every byte value, many parts, and `big` (a
    10 MB frame) unless it is None."""
    return [[b"hello"], [b""], [b"", b"between empty frames", b""], [bytes(range(256)), b"\0"],
            [b"%d" % number for number in range(100)]] + ([] if big is None else
                                                         [[b"big", big, b""]])


def one_way(sender, receiver, big):
    for message in messages(big):
        sender.send(message)
        assert receiver.recv() == message, (sender.name, receiver.name)


def reply_to(message):
    return [b"re:"] + message[::-1]


def exchange_pair(a, b, big):
    one_way(a, b, big)
    one_way(b, a, big)


def exchange_push_pull(push, pull, big):
    one_way(push, pull, big)


def wait_until(condition, what, seconds=TIMEOUT_MS / 1000):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.005)


def exchange_pub_sub(pub, sub, big):
    sub.set("subscribe", b"A")
    # A subscription takes a moment to reach the publisher: publish until one
    # arrives, then skip the ones that were still on their way.
    wait_until(lambda: pub.send([b"A-sync"]) or sub.recv_within(10) is not None,
               "the subscription")
    pub.send([b"B-not subscribed"])
    expected = [[b"A"] + message for message in messages(big)]
    for message in expected:
        pub.send(message)
    received = sub.recv()
    while received == [b"A-sync"]:
        received = sub.recv()
    assert [received] + [sub.recv() for _ in expected[1:]] == expected
    assert sub.recv_within(50) is None


def recv_calling(receiver, other):
    """The next message `receiver` gets while `other` is called meanwhile
    (and has nothing to receive).  libzmq runs a socket's pending commands only
    inside calls on it: a bound SUB or XSUB attaches a new connection (and sends
    it its subscriptions), and a STREAM closes a connection, only when called."""
    received = []

    def arrived():
        assert other.recv_within(0) is None
        received.append(receiver.recv_within(10))
        return received[-1] is not None
    wait_until(arrived, "a message for " + receiver.name)
    return received[-1]


def exchange_xpub_sub(xpub, sub, big):
    sub.set("subscribe", b"A")
    assert recv_calling(xpub, sub) == [b"\x01A"]        # now it is in place
    xpub.send([b"B-not subscribed"])
    for message in messages(big):
        xpub.send([b"A"] + message)
        assert sub.recv() == [b"A"] + message
    sub.set("unsubscribe", b"A")
    assert xpub.recv() == [b"\x00A"]
    xpub.send([b"A-after unsubscribe"])
    assert sub.recv_within(50) is None


def exchange_xpub_xsub(xpub, xsub, big):
    xsub.send([b"\x01A"])
    assert recv_calling(xpub, xsub) == [b"\x01A"]
    xpub.send([b"B-not subscribed"])
    for message in messages(big):
        xpub.send([b"A"] + message)
        assert xsub.recv() == [b"A"] + message
    xsub.send([b"\x00A"])
    assert xpub.recv() == [b"\x00A"]


def exchange_req_rep(req, rep, big):
    for message in messages(big):
        req.send(message)
        assert rep.recv() == message
        rep.send(reply_to(message))
        assert req.recv() == reply_to(message)


def prepare_routing_id(a, b):
    a.set("routing_id", b"first\0id")


def exchange_req_router(req, router, big):
    for message in messages(big):
        req.send(message)
        assert router.recv() == [b"first\0id", b""] + message
        router.send([b"first\0id", b""] + reply_to(message))
        assert req.recv() == reply_to(message)


def exchange_dealer_rep(dealer, rep, big):
    for message in messages(big):
        dealer.send([b""] + message)
        assert rep.recv() == message
        rep.send(reply_to(message))
        assert dealer.recv() == [b""] + reply_to(message)


def exchange_dealer_router(dealer, router, big):
    for message in messages(big):
        dealer.send(message)
        assert router.recv() == [b"first\0id"] + message
        router.send([b"first\0id"] + reply_to(message))
        assert dealer.recv() == reply_to(message)


def prepare_router_router(a, b):
    for side, name in ((a, b"router a"), (b, b"router b")):
        side.set("routing_id", name)
        side.set("router_mandatory", 1)


def send_when_routable(sender, frames):
    """A ROUTER knows its peer's routing id once their handshake is done."""
    def sent():
        try:
            sender.send(frames)
        except PeerError as error:
            assert error.what == "hostunreach", error.what
            return False
        return True
    wait_until(sent, "the peer's routing id")


def exchange_router_router(a, b, big):
    send_when_routable(a, [b"router b", b"hello"])
    assert b.recv() == [b"router a", b"hello"]
    send_when_routable(b, [b"router a", b"hello"])
    assert a.recv() == [b"router b", b"hello"]
    for sender, receiver, to, sender_id in ((a, b, b"router b", b"router a"),
                                            (b, a, b"router a", b"router b")):
        for message in messages(big):
            sender.send([to] + message)
            assert receiver.recv() == [sender_id] + message


def stream_read(side, routing_id, size):
    """`size` bytes from one STREAM connection, in as many parts as they come."""
    data = b""
    while len(data) < size:
        source, chunk = side.recv()
        assert source == routing_id and chunk
        data += chunk
    assert len(data) == size
    return data


def exchange_stream_stream(a, b, big):
    # Each end learns its connection's routing id from the connect notification.
    a_id, notice = a.recv()
    assert notice == b""
    b_id, notice = b.recv()
    assert notice == b""
    for sender, receiver, sender_sees, receiver_sees in ((a, b, a_id, b_id), (b, a, b_id, a_id)):
        # A peer hands over what it receives 8 KiB at a time, one command each:
        # it gets 1 MiB of the 10 MB (pyczmq all of it).
        large = big if isinstance(receiver, LocalSide) else big[:1 << 20]
        for data in (b"hello", b"\0" * 3, large):
            sender.send([sender_sees, data])
            assert stream_read(receiver, receiver_sees, len(data)) == data
    a.send([a_id, b""])                     # closes the connection ...
    assert recv_calling(b, a) == [b_id, b""]    # ... which b is told


PAIRINGS = {
    # name: (type of a, type of b, prepare(a, b) before bind/connect, exchange(a, b, big))
    "PAIR-PAIR": ("PAIR", "PAIR", None, exchange_pair),
    "PUSH-PULL": ("PUSH", "PULL", None, exchange_push_pull),
    "PUB-SUB": ("PUB", "SUB", None, exchange_pub_sub),
    "XPUB-SUB": ("XPUB", "SUB", None, exchange_xpub_sub),
    "XPUB-XSUB": ("XPUB", "XSUB", None, exchange_xpub_xsub),
    "REQ-REP": ("REQ", "REP", None, exchange_req_rep),
    "REQ-ROUTER": ("REQ", "ROUTER", prepare_routing_id, exchange_req_router),
    "DEALER-REP": ("DEALER", "REP", None, exchange_dealer_rep),
    "DEALER-ROUTER": ("DEALER", "ROUTER", prepare_routing_id, exchange_dealer_router),
    "DEALER-DEALER": ("DEALER", "DEALER", None, exchange_pair),
    "ROUTER-ROUTER": ("ROUTER", "ROUTER", prepare_router_router, exchange_router_router),
    "STREAM-STREAM": ("STREAM", "STREAM", None, exchange_stream_stream),
}
SYMMETRIC = {name for name, (a, b, _, _) in PAIRINGS.items() if a == b}


def endpoint(transport, tmp_path):
    if transport == "tcp":
        return "tcp://127.0.0.1:*"
    return "ipc://%s/endpoint" % tmp_path


def connect_sides(first, second, binder, transport, tmp_path):
    """`binder` (0 or 1) binds, the other connects to the endpoint it got."""
    sides = (first, second)
    where = sides[binder].bind(endpoint(transport, tmp_path))
    sides[1 - binder].connect(where)


def pairing_cases():
    for name in PAIRINGS:
        for pyczmq_is in ("a", "b"):
            if name in SYMMETRIC and pyczmq_is == "b":
                continue                # the same as pyczmq a, with the other binder
            for binder in ("a", "b"):
                yield pytest.param(name, pyczmq_is, binder,
                                   id="%s-pyczmq_%s-%s_binds" % (name, pyczmq_is, binder))


@pytest.mark.parametrize("peer_kind", ["pyzmq", "czmq"])
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("pairing, pyczmq_is, binder", list(pairing_cases()))
def test_pairing(ctx, peers, tmp_path, big, peer_kind, transport, pairing, pyczmq_is, binder):
    a_type, b_type, prepare, exchange = PAIRINGS[pairing]
    peer = peers(peer_kind)
    if pyczmq_is == "a":
        a, b = LocalSide(ctx, a_type), PeerSide(peer, b_type, peer_kind)
    else:
        a, b = PeerSide(peer, a_type, peer_kind), LocalSide(ctx, b_type)
    if prepare:
        prepare(a, b)
    connect_sides(a, b, "ab".index(binder), transport, tmp_path)
    # Which side binds makes no difference to a frame: 10 MB in one of the two.
    exchange(a, b, big if binder == "a" or pairing.startswith("STREAM") else None)


# -- STREAM and a plain TCP socket ----------------------------------------------------

@pytest.mark.parametrize("binder", ["stream", "tcp_socket"])
def test_stream_with_a_plain_tcp_socket(ctx, peers, big, binder):
    stream = LocalSide(ctx, "STREAM")
    raw = peers("raw")
    raw.command("socket RAW")
    if binder == "stream":
        raw.command("connect " + stream.bind("tcp://127.0.0.1:*"))
    else:
        stream.connect(raw.command("bind tcp://127.0.0.1:*"))
    connection, notice = stream.recv()          # a connection, from either side
    assert notice == b""
    request = b"GET / HTTP/1.0\r\n\r\n"
    raw.command("send " + raw.token(request))
    assert stream_read(stream, connection, len(request)) == request
    for data in (b"\0binary\xff", big):
        stream.send([connection, data])
        assert Peer.frame(raw.command("recvn %d" % len(data))) == data
        raw.command("send " + raw.token(data))
        assert stream_read(stream, connection, len(data)) == data
    if binder == "stream":
        stream.send([connection, b""])          # STREAM closes the connection
        wait_until(lambda: stream.recv_within(0) is None and raw.command("recveof 10") == "eof",
                   "the end of the TCP connection")
    else:
        raw.command("quit")                     # the TCP socket closes: STREAM is told
        assert stream.recv() == [connection, b""]


# -- CURVE, each side making its own keys ---------------------------------------------------

def pyczmq_keys(side, key_maker, server_key=None):
    """Give a pyczmq side its own CURVE keys, made by `key_maker`: its public key."""
    if key_maker == "Cert":
        cert = Cert()
        cert.apply(side.sock)
        public = cert.public_txt
    else:
        public, secret = zmq.curve_keypair()
        side.set("curve_publickey", public)
        side.set("curve_secretkey", secret)
    if server_key is None:
        side.set("curve_server", 1)
    else:
        side.set("curve_serverkey", server_key)
    return public


def curve_pair(ctx, peer, peer_kind, server, key_maker, transport, tmp_path):
    """A CURVE client (REQ) and server (REP), one of them pyczmq; the server binds."""
    if server == "pyczmq":
        rep = LocalSide(ctx, "REP")
        server_public = pyczmq_keys(rep, key_maker)
        req = PeerSide(peer, "REQ", peer_kind)
        peer.command("curve client " + server_public)
    else:
        rep = PeerSide(peer, "REP", peer_kind)
        server_public = peer.command("curve server")
        req = LocalSide(ctx, "REQ")
        pyczmq_keys(req, key_maker, server_public)
    return req, rep, server_public


@pytest.mark.parametrize("peer_kind", ["pyzmq", "czmq"])
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("key_maker", ["Cert", "curve_keypair"])
@pytest.mark.parametrize("server", ["pyczmq", "peer"])
def test_curve(ctx, peers, tmp_path, big, peer_kind, transport, key_maker, server):
    peer = peers(peer_kind)
    req, rep, _ = curve_pair(ctx, peer, peer_kind, server, key_maker, transport, tmp_path)
    connect_sides(req, rep, 1, transport, tmp_path)
    exchange_req_rep(req, rep, big)
    assert req.mechanism() == rep.mechanism() == "CURVE"


@pytest.mark.parametrize("peer_kind", ["pyzmq", "czmq"])
@pytest.mark.parametrize("server", ["pyczmq", "peer"])
def test_curve_client_with_a_wrong_server_key_gets_nothing_through(ctx, peers, tmp_path,
                                                                    peer_kind, server):
    peer = peers(peer_kind)
    wrong, _ = zmq.curve_keypair()
    if server == "pyczmq":
        rep = LocalSide(ctx, "REP")
        pyczmq_keys(rep, "Cert")
        req = PeerSide(peer, "REQ", peer_kind)
        peer.command("curve client " + wrong)
    else:
        rep = PeerSide(peer, "REP", peer_kind)
        peer.command("curve server")
        req = LocalSide(ctx, "REQ")
        pyczmq_keys(req, "curve_keypair", wrong)
    connect_sides(req, rep, 1, "tcp", tmp_path)
    req.send([b"secret"])               # queued: the handshake never completes
    assert rep.recv_within(300) is None


def test_curve_clients_known_by_a_certificate_czmq_saved_get_through_auth(ctx, peers, tmp_path):
    """pyczmq's Auth admits a C client whose certificate CZMQ saved in the
    folder, and nobody else."""
    from pyczmq import Auth
    keys = tmp_path / "keys"
    keys.mkdir()
    known, unknown = peers("czmq"), peers("czmq")
    with Auth(ctx) as auth:
        auth.configure_curve("*", str(keys))
        rep = LocalSide(ctx, "REP")
        server_public = pyczmq_keys(rep, "Cert")
        where = rep.bind("tcp://127.0.0.1:*")
        clients = []
        for peer, path in ((known, keys / "client.cert"), (unknown, tmp_path / "elsewhere")):
            side = PeerSide(peer, "REQ", "czmq")
            peer.command("curve client %s %s" % (server_public, path))
            side.connect(where)
            clients.append(side)
        known_client, unknown_client = clients
        unknown_client.send([b"let me in"])
        known_client.send([b"hello"])
        assert rep.recv() == [b"hello"]
        rep.send([b"welcome"])
        assert known_client.recv() == [b"welcome"]
        assert rep.recv_within(300) is None             # the unknown client: refused
        assert known_client.mechanism() == "CURVE"


# -- the pyzmq of the peers ------------------------------------------------------------

LOADED_LIBZMQ = """
import os
with open("/proc/self/maps") as maps:
    loaded = sorted({os.path.realpath(line.split()[-1]) for line in maps if "libzmq" in line})
"""


def test_the_pyzmq_peer_runs_on_the_system_libzmq_as_pyczmq_does(python=sys.executable):
    """pyzmq's wheels carry their own libzmq; scripts/setup-env.sh builds
    pyzmq from source on the system's instead: the same libzmq on both sides
    here, and a fair comparison in pyczmq.perf."""
    probe = subprocess.run([python, "-c", "import json, zmq\n" + LOADED_LIBZMQ +
                            "print(json.dumps([zmq.zmq_version(), loaded]))"],
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    version, libraries = json.loads(probe.stdout)
    namespace = {}
    exec(LOADED_LIBZMQ, namespace)
    assert libraries == namespace["loaded"], (
        "pyzmq does not use the system libzmq %s but %s: pip install --force-reinstall "
        "--no-binary pyzmq pyzmq" % (namespace["loaded"], libraries))
    assert version == "%d.%d.%d" % pyczmq.zmq_version()
