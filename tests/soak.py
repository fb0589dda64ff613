"""The soak: many messages, sockets and contexts through one process, which
must end as big as it was after its warm-up, with no descriptor or thread
left behind.

    python tests/soak.py [--messages 1000000] [--sockets 10000] [--contexts 1000]

1. Messages of mixed sizes (0 B to 1 MiB, mostly small: the SIZES pattern)
   through every path: bytes (send/recv_bytes), Frame, Message, multipart,
   zstr and zmq.Msg, in turn, over PAIR sockets on inproc, ipc and tcp.
   Batches of BATCH are sent, then received and checked byte for byte.
2. Sockets of every type opened and closed in CZMQ's context: bound (inproc,
   tcp, ipc), connected, with options set, closed by close(), by `with`, by
   their Context scope or dropped to the collector.
3. Contexts: own libzmq contexts (zmq.ctx_new, ended by ctx_term, `with` or
   dropped) and CZMQ Context() scopes, each with connected sockets that
   exchange a message.

A warm-up runs a little of each phase (allocators and caches grow before
they plateau); resident memory, descriptors and threads are read
(footprint.settled) after it and at the end.  glibc gives libzmq's I/O
thread a malloc arena of its own; received messages are allocated there and
freed by the Python thread, and that arena's resident pages creep up by
0.5-1.2 MiB over the first few hundred thousand messages (rare peaks of
in-flight 1 MiB messages spread its chunks), then stay: 25.9 MiB after
100,000, 400,000 or 1,600,000 messages alike.  That is no leak, but it is
the size of the limit, so the soak asks glibc for one arena
(mallopt(M_ARENA_MAX, 1), as MALLOC_ARENA_MAX=1 would) before any thread
starts, where the same runs end within 0.06 MiB of the warm-up;
--glibc-arenas keeps glibc's default.  Prints the figures and one
last line `RESULT {...}` (a dict literal); exits 1 when memory grew by
LIMIT or more, or a descriptor or thread was left.
"""

import argparse
import ctypes
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import footprint                                    # noqa: E402
import pyczmq                                       # noqa: E402
from pyczmq import Context, Frame, Message, zmq, zstr   # noqa: E402

LIMIT = 1 << 20                 # bytes of growth allowed after the warm-up
BATCH = 50                      # messages sent before they are received
MIB = 1 << 20
SOCKET_TYPES = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH",
                "XPUB", "XSUB", "STREAM"]


def size_pattern(seed=10, length=9973):
    """The sizes of the messages, in a fixed order that repeats (so the
    warm-up meets every size): 10 % empty, 75 % up to 256 B, 12 % up to
    16 KiB, 2.8 % up to 256 KiB, 0.2 % exactly 1 MiB."""
    rng = random.Random(seed)
    sizes = []
    for _ in range(length):
        roll = rng.random()
        if roll < 0.10:
            sizes.append(0)
        elif roll < 0.85:
            sizes.append(rng.randint(1, 256))
        elif roll < 0.97:
            sizes.append(rng.randint(257, 16 << 10))
        elif roll < 0.998:
            sizes.append(rng.randint((16 << 10) + 1, 256 << 10))
        else:
            sizes.append(MIB)
    return sizes


SIZES = size_pattern()
BLOB = random.Random(11).randbytes(MIB)              # the bytes every message is cut from
TEXT = "".join(chr(32 + b % 95) for b in BLOB)       # and the text of zstr's
HEAD = b"\x01head"


# -- phase 1: messages ----------------------------------------------------------------------------

def send_bytes(a, n):
    a.send(memoryview(BLOB)[:n])


def recv_bytes(b, n):
    return b.recv_bytes() == BLOB[:n]


def send_frame(a, n):
    a.send_frame(Frame(memoryview(BLOB)[:n]))


def recv_frame(b, n):
    frame = b.recv_frame()
    with memoryview(frame) as view:
        return view.nbytes == n and view.tobytes() == BLOB[:n] and not frame.more()


def send_message(a, n):
    a.send_msg(Message(HEAD, memoryview(BLOB)[:n]))


def recv_message(b, n):
    return b.recv_msg().tolist() == [HEAD, BLOB[:n]]


def send_multipart(a, n):
    a.send_multipart([HEAD, b"", memoryview(BLOB)[:n]])


def recv_multipart(b, n):
    return b.recv_multipart() == [HEAD, b"", BLOB[:n]]


def send_zstr(a, n):
    zstr.send(a, TEXT[:n])


def recv_zstr(b, n):
    return zstr.recv(b) == TEXT[:n]


def send_msg(a, n):
    zmq.msg_send(zmq.msg_init_data(None, memoryview(BLOB)[:n]), a)


def recv_msg(b, n):
    msg = zmq.msg_init()
    return zmq.msg_recv(msg, b) == n and msg.bytes() == BLOB[:n]


PATHS = [(send_bytes, recv_bytes), (send_frame, recv_frame), (send_message, recv_message),
         (send_multipart, recv_multipart), (send_zstr, recv_zstr), (send_msg, recv_msg)]


class Pairs:
    """PAIR sockets connected over inproc, ipc and tcp."""

    def __init__(self):
        self.ctx = Context()
        self.folder = tempfile.mkdtemp(prefix="pyczmq-soak-")
        self.pairs = []
        for endpoint in ("inproc://soak", "ipc://%s/soak" % self.folder, "tcp://127.0.0.1:*"):
            a, b = self.ctx.socket("PAIR"), self.ctx.socket("PAIR")
            port = b.bind(endpoint)
            a.connect(endpoint.replace("*", str(port)))
            self.pairs.append((a, b))

    def close(self):
        self.ctx.destroy()
        shutil.rmtree(self.folder)


KEPT = []                       # what --self-check leaks on purpose


def messages(pairs, count, start=0, keep=0):
    """Send and check `count` messages (the start-th of the pattern first);
    returns the bytes of data carried.  keep=N keeps a received 1 KiB frame
    per N messages (a leak, for the self-check)."""
    carried = 0
    index = start
    end = start + count
    batch_number = 0
    while index < end:
        a, b = pairs.pairs[batch_number % len(pairs.pairs)]
        batch_number += 1
        batch = range(index, min(index + BATCH, end))
        for i in batch:
            PATHS[i % len(PATHS)][0](a, SIZES[i % len(SIZES)])
        for i in batch:
            n = SIZES[i % len(SIZES)]
            if not PATHS[i % len(PATHS)][1](b, n):
                raise AssertionError("message %d (%s, %d B) arrived changed"
                                     % (i, PATHS[i % len(PATHS)][1].__name__, n))
            carried += n
        for i in batch:
            if keep and i % keep == 0:
                a.send(memoryview(BLOB)[:1024])
                KEPT.append(b.recv_frame())
        index = batch.stop
    return carried


# -- phase 2: sockets -----------------------------------------------------------------------------

def sockets(count, folder, keep=0):
    """Open and close `count` sockets of CZMQ's context in every way
    (keep=N leaves every N-th open, for the self-check)."""
    scope = Context()
    listener = scope.socket("ROUTER")
    port = listener.bind("tcp://127.0.0.1:*")
    for i in range(count):
        kind = SOCKET_TYPES[i % len(SOCKET_TYPES)]
        way = (i // len(SOCKET_TYPES)) % 6
        if keep and i % keep == 0:
            KEPT.append(Context().socket("PAIR"))
        if way == 5:                                # a scope of its own, destroyed
            with Context() as inner:
                inner.set_linger(0)
                inner.socket(kind).connect("tcp://127.0.0.1:%d" % port)
            continue
        sock = scope.socket(kind)
        sock.linger = 0
        if way == 0 and kind != "STREAM":           # (STREAM over inproc: libzmq asserts)
            sock.bind("inproc://soak-socket-%d" % i)
        elif way == 1:
            sock.connect("tcp://127.0.0.1:%d" % port)
        elif way in (0, 2):
            sock.bind("tcp://127.0.0.1:*")
        elif way == 3:
            sock.sndhwm = 10                        # (before bind: libzmq #4524)
            sock.rcvhwm = 10
            sock.bind("ipc://%s/s%d" % (folder, i))
        if way == 4:
            sock.last_endpoint
            del sock                                # to the collector
        elif i % 2:
            with sock:
                pass
        else:
            sock.close()
        if i % 500 == 499:
            scope.destroy()                         # what is still open, closed by the scope
            scope = Context()
            listener = scope.socket("ROUTER")
            port = listener.bind("tcp://127.0.0.1:*")
    scope.destroy()


# -- phase 3: contexts ----------------------------------------------------------------------------

def exchange(a, b, endpoint, data):
    b.bind(endpoint)
    a.connect(endpoint)
    a.send(data)
    return b.recv_bytes() == data


def contexts(count):
    """Make and end `count` contexts, own and CZMQ scopes, each in use."""
    for i in range(count):
        endpoint = "inproc://soak-context-%d" % i
        data = BLOB[:SIZES[i % len(SIZES)]]
        way = i % 5
        if way == 0:                                # own context, ctx_term
            own = zmq.ctx_new()
            a, b = zmq.socket(own, zmq.PAIR), zmq.socket(own, zmq.PAIR)
            ok = exchange(a, b, endpoint, data)
            zmq.close(a)
            zmq.close(b)
            zmq.ctx_term(own)
        elif way == 1:                              # own context as a scope
            with zmq.ctx_new() as own:
                own.set_linger(0)
                ok = exchange(own.socket("PUSH"), own.socket("PULL"), endpoint, data)
        elif way == 2:                              # own context dropped, its sockets closed
            own = zmq.ctx_new()
            a, b = zmq.socket(own, zmq.DEALER), zmq.socket(own, zmq.ROUTER)
            b.bind(endpoint)
            a.connect(endpoint)
            a.send(data)
            ok = b.recv_multipart()[1] == data
            a.close()
            b.close()
            del own, a, b
        elif way == 3:                              # CZMQ scope, destroy()
            scope = Context()
            ok = exchange(scope.socket("PAIR"), scope.socket("PAIR"), endpoint, data)
            scope.destroy()
        else:                                       # CZMQ scope, `with`
            with Context() as scope:
                ok = exchange(scope.socket("PUSH"), scope.socket("PULL"), endpoint, data)
        if not ok:
            raise AssertionError("context %d: the message arrived changed" % i)


def one_malloc_arena():
    """All threads allocate from glibc's main arena (before any thread starts)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return                                      # not glibc
    M_ARENA_MAX = -8
    mallopt(M_ARENA_MAX, 1)


# -- the run --------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--contexts", type=int, default=1_000)
    parser.add_argument("--warmup", type=float, default=1.0,
                        help="warm-up rounds: 2 size patterns (20,000 messages), 2,000 sockets, "
                             "400 contexts each")
    parser.add_argument("--self-check", action="store_true",
                        help="leak on purpose after the warm-up (a 1 KiB frame per 10 "
                             "messages, an open socket per 100 sockets): the soak must fail")
    parser.add_argument("--glibc-arenas", action="store_true",
                        help="keep glibc's malloc arena per thread (default: one arena)")
    args = parser.parse_args(argv)
    if not args.glibc_arenas:
        one_malloc_arena()

    start = footprint.settled()
    folder = tempfile.mkdtemp(prefix="pyczmq-soak-")
    pairs = Pairs()
    warm_messages = int(2 * len(SIZES) * args.warmup)
    messages(pairs, warm_messages)
    sockets(int(2000 * args.warmup), folder)
    contexts(int(400 * args.warmup))
    warm = footprint.settled()

    began = time.perf_counter()
    carried = messages(pairs, args.messages, start=warm_messages,
                       keep=10 if args.self_check else 0)
    message_time = time.perf_counter() - began
    after_messages = footprint.settled()
    began = time.perf_counter()
    sockets(args.sockets, folder, keep=100 if args.self_check else 0)
    socket_time = time.perf_counter() - began
    after_sockets = footprint.settled()
    began = time.perf_counter()
    contexts(args.contexts)
    context_time = time.perf_counter() - began
    end = footprint.settled(target=warm, timeout=2 if args.self_check else 10)
    pairs.close()
    shutil.rmtree(folder)           # libzmq 4.3 leaves the files of closed ipc listeners
    closed = footprint.settled()

    def mib(value):
        return "%.2f MiB" % (value / MIB)

    rate = args.messages / message_time if message_time else 0.0
    print("messages: %d (%.2f GB of data, %d bytes to 1 MiB) in %.1f s: %.0f messages/s"
          % (args.messages, carried / 1e9, min(SIZES), message_time, rate))
    print("sockets:  %d opened and closed in %.1f s" % (args.sockets, socket_time))
    print("contexts: %d made and ended in %.1f s" % (args.contexts, context_time))
    print("RSS: at start %s, at warm-up %s, after messages %s, after sockets %s, at end %s: "
          "growth after warm-up %+.3f MiB (limit %s)"
          % (mib(start[0]), mib(warm[0]), mib(after_messages[0]), mib(after_sockets[0]),
             mib(end[0]), (end[0] - warm[0]) / MIB, mib(LIMIT)))
    print("fds: at start %d, at warm-up %d, at end %d, all closed %d"
          % (start[1], warm[1], end[1], closed[1]))
    print("threads: at start %d, at warm-up %d, at end %d; malloc arenas: %s"
          % (start[2], warm[2], end[2], "glibc's default" if args.glibc_arenas else "one"))
    result = dict(messages=args.messages, rate=round(rate), sockets=args.sockets,
                  contexts=args.contexts, rss_warm=warm[0], rss_end=end[0],
                  growth=end[0] - warm[0], fds_start=start[1], fds_warm=warm[1],
                  fds_end=end[1], fds_closed=closed[1], threads_warm=warm[2],
                  threads_end=end[2], seconds=round(message_time + socket_time + context_time, 1))
    print("RESULT %r" % (result,))
    problems = []
    if end[0] - warm[0] >= LIMIT:
        problems.append("resident memory grew by %s after the warm-up" % mib(end[0] - warm[0]))
    if end[1] != warm[1]:
        problems.append("%d file descriptors left open" % (end[1] - warm[1]))
    if end[2] != warm[2]:
        problems.append("%d threads left running" % (end[2] - warm[2]))
    for problem in problems:
        print("FAIL: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
