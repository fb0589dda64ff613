"""One side of a benchmark run: ``python -m pyczmq.perf.worker IMPL MODE ...``.

The command line and output are those of the C reference, zmqperf.c:

    pull ENDPOINT COUNT SIZE PARTS   bind, print "ready ENDPOINT", receive a warm-up
                                     message, then time COUNT messages; print seconds
    push ENDPOINT COUNT SIZE PARTS   connect and send 1 + COUNT messages
    rep ENDPOINT COUNT SIZE          bind, print "ready ENDPOINT", echo 1 + COUNT requests
    req ENDPOINT COUNT SIZE          connect, one warm-up round trip, time COUNT; print seconds
    inproc-thr COUNT SIZE PARTS      PUSH/PULL between two threads of this process
    inproc-lat COUNT SIZE            REQ/REP between two threads
    per-call COUNT SIZE PARTS        one thread, an inproc PAIR: send COUNT messages,
                                     then receive them, in batches of 1,000; print
                                     the seconds of a send and of a receive (the
                                     median batch's, per call)
    aio-thr ENDPOINT COUNT SIZE PARTS  (asyncio IMPLs) PUSH/PULL as two tasks of one event
                                     loop; the receiver's seconds, from its warm-up message on
    aio-lat ENDPOINT COUNT SIZE      (asyncio IMPLs) REQ/REP as two tasks of one loop
    probe                            print "ok", or "n/a REASON" when IMPL can not
                                     run on this pyczmq (zero-copy before copy=)

IMPL is the code under test:
    pyczmq         Socket.send/recv_bytes, send_multipart/recv_multipart
    pyczmq-frames  the object paths: Frame (one part) or Message (several)
    pyczmq-zerocopy  send(data, copy=False)/send_multipart(parts, copy=False),
                   received with recv_frame (one part) or recv_msg (several);
                   REP echoes the received Frame with send(frame, copy=False)
    pyzmq          pyzmq's copying send/recv and send_multipart/recv_multipart
    pyczmq-asyncio pyczmq.asyncio: await send/recv_bytes, send_multipart/recv_multipart
    pyzmq-asyncio  zmq.asyncio: await send/recv, send_multipart/recv_multipart
    cython         loops without the GIL in examples/cython_throughput, a
                   downstream extension that cimports pyczmq (its folder is
                   given by PYCZMQ_PERF_CYTHON_PATH)
"""

import os
import statistics
import sys
import threading
import time

HWM = 100000            # as zmqperf.c: the same queues for every implementation
# A sender's linger, ms.  Not -1: CZMQ's shared context is terminated at exit
# only for sockets with a finite linger (pyczmq's exit never waits forever),
# and a sender may leave many megabytes queued when its loop ends.
LINGER = 600_000


class CopyingLoops:
    """The timed loops of a bytes API: send/recv copy the data.  RECV names
    the single-part receive method (looked up once, before the loop)."""

    RECV = "recv"

    def send(self, sock, count, size, parts):
        payload = b"\0" * size
        if parts == 1:
            send = sock.send
            for _ in range(count):
                send(payload)
        else:
            message, send = [payload] * parts, sock.send_multipart
            for _ in range(count):
                send(message)

    def receive(self, sock, count, parts):
        recv = getattr(sock, self.RECV) if parts == 1 else sock.recv_multipart
        for _ in range(count):
            recv()

    def echo(self, sock, count):
        send, recv = sock.send, getattr(sock, self.RECV)
        for _ in range(count):
            send(recv())

    def round_trips(self, sock, count, size):
        payload = b"\0" * size
        send, recv = sock.send, getattr(sock, self.RECV)
        for _ in range(count):
            send(payload)
            recv()


class Pyczmq(CopyingLoops):
    """pyczmq's bytes API."""

    RECV = "recv_bytes"

    def __init__(self):
        import pyczmq
        self.ctx = pyczmq.Context()
        self.ctx.set_sndhwm(HWM)
        self.ctx.set_rcvhwm(HWM)
        self.ctx.set_linger(LINGER)

    def socket(self, kind, endpoint, bind):
        sock = self.ctx.socket(kind)
        if bind:
            sock.bind(endpoint)
        else:
            sock.connect(endpoint)
        return sock

    def last_endpoint(self, sock):
        return sock.last_endpoint

    def close(self):
        self.ctx.destroy()


class PyczmqFrames(Pyczmq):
    """pyczmq's object API: a Frame per single-part message, a Message per multipart one."""

    def send(self, sock, count, size, parts):
        from pyczmq import Frame, Message
        payload = b"\0" * size
        if parts == 1:
            send = sock.send_frame
            for _ in range(count):
                send(Frame(payload))
        else:
            send = sock.send_msg
            for _ in range(count):
                send(Message(*[payload] * parts))

    def receive(self, sock, count, parts):
        recv = sock.recv_frame if parts == 1 else sock.recv_msg
        for _ in range(count):
            recv()

    def echo(self, sock, count):
        send, recv = sock.send_frame, sock.recv_frame
        for _ in range(count):
            send(recv())

    def round_trips(self, sock, count, size):
        from pyczmq import Frame
        payload = b"\0" * size
        send, recv = sock.send_frame, sock.recv_frame
        for _ in range(count):
            send(Frame(payload))
            recv()


class PyczmqZeroCopy(PyczmqFrames):
    """pyczmq's zero-copy sends: libzmq gets the buffer itself (no copy on
    either side: received parts stay in their libzmq messages, as Frames)."""

    def send(self, sock, count, size, parts):
        payload = b"\0" * size
        if parts == 1:
            send = sock.send
            for _ in range(count):
                send(payload, copy=False)
        else:
            message, send = [payload] * parts, sock.send_multipart
            for _ in range(count):
                send(message, copy=False)

    def echo(self, sock, count):
        send, recv = sock.send, sock.recv_frame
        for _ in range(count):
            send(recv(), copy=False)

    def round_trips(self, sock, count, size):
        payload = b"\0" * size
        send, recv = sock.send, sock.recv_frame
        for _ in range(count):
            send(payload, copy=False)
            recv()

    def missing(self):
        """Why this pyczmq can not send without copying (None: it can)."""
        a = self.socket("PAIR", "inproc://perf-probe", True)
        b = self.socket("PAIR", "inproc://perf-probe", False)
        try:
            a.send(b"probe", copy=False)
            a.send_multipart([b"probe", b"probe"], copy=False)
        except TypeError as error:           # before copy= was added
            return "this pyczmq has no zero-copy send (%s)" % error
        if bytes(b.recv_frame()) != b"probe" or len(b.recv_msg()) != 2:
            return "zero-copy send delivered something else"
        return None


class Cython(Pyczmq):
    """nogil loops of a downstream Cython extension over pyczmq sockets."""

    def __init__(self):
        super().__init__()
        sys.path.insert(0, os.environ["PYCZMQ_PERF_CYTHON_PATH"])
        import cython_throughput
        self.loops = cython_throughput

    def send(self, sock, count, size, parts):
        self.loops.send_messages(sock, count, size, parts)

    def receive(self, sock, count, parts):
        self.loops.receive_messages(sock, count)

    def echo(self, sock, count):
        self.loops.echo_messages(sock, count)

    def round_trips(self, sock, count, size):
        self.loops.round_trips(sock, count, size)


class Pyzmq(CopyingLoops):
    """pyzmq, copying send/recv as most of its users write it."""

    def __init__(self):
        import zmq
        self.zmq = zmq
        self.ctx = zmq.Context()

    def socket(self, kind, endpoint, bind):
        sock = self.ctx.socket(getattr(self.zmq, kind))
        sock.sndhwm = sock.rcvhwm = HWM
        sock.linger = -1
        if bind:
            sock.bind(endpoint)
        else:
            sock.connect(endpoint)
        return sock

    def last_endpoint(self, sock):
        return sock.last_endpoint.decode()

    def close(self):
        self.ctx.destroy()          # each socket's linger (-1): deliver everything


class AsyncioLoops:
    """The timed coroutines of an asyncio API (sender and receiver, or REQ and
    REP, as two tasks of one event loop); `socket` makes a socket of the API."""

    RECV = "recv"

    async def pipeline(self, endpoint, count, size, parts):
        import asyncio
        pull = self.socket("PULL", endpoint, True)
        push = self.socket("PUSH", self.last_endpoint(pull), False)
        payload = b"\0" * size
        message = [payload] * parts

        async def send():
            for _ in range(count + 1):
                if parts == 1:
                    await push.send(payload)
                else:
                    await push.send_multipart(message)

        async def receive():
            recv = getattr(pull, self.RECV) if parts == 1 else pull.recv_multipart
            await recv()                    # the warm-up message
            started = time.perf_counter()
            for _ in range(count):
                await recv()
            return time.perf_counter() - started

        return (await asyncio.gather(send(), receive()))[1]

    async def ping_pong(self, endpoint, count, size):
        import asyncio
        rep = self.socket("REP", endpoint, True)
        req = self.socket("REQ", self.last_endpoint(rep), False)
        payload = b"\0" * size
        recv_rep, recv_req = getattr(rep, self.RECV), getattr(req, self.RECV)

        async def echo():
            for _ in range(count + 1):
                await rep.send(await recv_rep())

        async def round_trips():
            await req.send(payload)
            await recv_req()
            started = time.perf_counter()
            for _ in range(count):
                await req.send(payload)
                await recv_req()
            return time.perf_counter() - started

        return (await asyncio.gather(echo(), round_trips()))[1]


class PyczmqAsyncio(AsyncioLoops, Pyczmq):
    """pyczmq.asyncio (sockets, endpoints and close as Pyczmq's)."""

    def __init__(self):
        import pyczmq.asyncio
        self.ctx = pyczmq.asyncio.Context()
        self.ctx.set_sndhwm(HWM)
        self.ctx.set_rcvhwm(HWM)


class PyzmqAsyncio(AsyncioLoops):
    """zmq.asyncio."""

    def __init__(self):
        import zmq
        import zmq.asyncio
        self.zmq = zmq
        self.ctx = zmq.asyncio.Context()

    def socket(self, kind, endpoint, bind):
        sock = self.ctx.socket(getattr(self.zmq, kind))
        sock.sndhwm = sock.rcvhwm = HWM
        sock.linger = 0
        if bind:
            sock.bind(endpoint)
        else:
            sock.connect(endpoint)
        return sock

    def last_endpoint(self, sock):
        return sock.last_endpoint.decode()

    def close(self):
        self.ctx.destroy(linger=0)


IMPLEMENTATIONS = {"pyczmq": Pyczmq, "pyczmq-asyncio": PyczmqAsyncio,
                   "pyzmq-asyncio": PyzmqAsyncio, "pyczmq-frames": PyczmqFrames,
                   "pyczmq-zerocopy": PyczmqZeroCopy, "cython": Cython, "pyzmq": Pyzmq}
BATCH = 1000            # per-call: messages queued, then received, per timed batch


def timed_receive(impl, sock, count, parts, announce=None):
    """Receive the warm-up message, then `count` timed ones: the seconds."""
    if announce:
        announce(impl.last_endpoint(sock))
    impl.receive(sock, 1, parts)
    start = time.perf_counter()
    impl.receive(sock, count, parts)
    return time.perf_counter() - start


def timed_round_trips(impl, sock, count, size):
    impl.round_trips(sock, 1, size)         # warm-up
    start = time.perf_counter()
    impl.round_trips(sock, count, size)
    return time.perf_counter() - start


def per_call(impl, count, size, parts):
    """The seconds of one send and of one receive, each the median over
    batches of BATCH calls, in one thread over an inproc PAIR: what one
    message costs the two Python threads of inproc-thr, which share the GIL."""
    a = impl.socket("PAIR", "inproc://perf-calls", True)
    b = impl.socket("PAIR", "inproc://perf-calls", False)
    clock = time.perf_counter
    impl.send(a, BATCH, size, parts)        # warm-up
    impl.receive(b, BATCH, parts)
    sends, receives = [], []
    for _ in range(max(1, count // BATCH)):
        start = clock()
        impl.send(a, BATCH, size, parts)
        middle = clock()
        impl.receive(b, BATCH, parts)
        receives.append(clock() - middle)
        sends.append(middle - start)
    return statistics.median(sends) / BATCH, statistics.median(receives) / BATCH


def _ready(endpoint):
    print("ready", endpoint, flush=True)


def main(argv):
    impl = IMPLEMENTATIONS[argv[0]]()
    mode, rest = argv[1], argv[2:]
    elapsed = None
    if mode == "pull":
        endpoint, count, size, parts = rest[0], int(rest[1]), int(rest[2]), int(rest[3])
        sock = impl.socket("PULL", endpoint, True)
        elapsed = timed_receive(impl, sock, count, parts, _ready)
    elif mode == "push":
        endpoint, count, size, parts = rest[0], int(rest[1]), int(rest[2]), int(rest[3])
        impl.send(impl.socket("PUSH", endpoint, False), count + 1, size, parts)
    elif mode == "rep":
        endpoint, count = rest[0], int(rest[1])
        sock = impl.socket("REP", endpoint, True)
        _ready(impl.last_endpoint(sock))
        impl.echo(sock, count + 1)
    elif mode == "req":
        endpoint, count, size = rest[0], int(rest[1]), int(rest[2])
        elapsed = timed_round_trips(impl, impl.socket("REQ", endpoint, False), count, size)
    elif mode == "inproc-thr":
        count, size, parts = int(rest[0]), int(rest[1]), int(rest[2])
        pull = impl.socket("PULL", "inproc://perf", True)
        push = impl.socket("PUSH", "inproc://perf", False)
        sender = threading.Thread(target=impl.send, args=(push, count + 1, size, parts))
        sender.start()
        elapsed = timed_receive(impl, pull, count, parts)
        sender.join()
    elif mode == "inproc-lat":
        count, size = int(rest[0]), int(rest[1])
        rep = impl.socket("REP", "inproc://perf", True)
        req = impl.socket("REQ", "inproc://perf", False)
        echo = threading.Thread(target=impl.echo, args=(rep, count + 1))
        echo.start()
        elapsed = timed_round_trips(impl, req, count, size)
        echo.join()
    elif mode in ("aio-thr", "aio-lat"):
        import asyncio

        async def timed():
            if mode == "aio-thr":
                return await impl.pipeline(rest[0], int(rest[1]), int(rest[2]), int(rest[3]))
            return await impl.ping_pong(rest[0], int(rest[1]), int(rest[2]))
        elapsed = asyncio.run(timed())
    elif mode == "per-call":
        count, size, parts = int(rest[0]), int(rest[1]), int(rest[2])
        print("%.12f %.12f" % per_call(impl, count, size, parts), flush=True)
    elif mode == "probe":
        reason = impl.missing() if hasattr(impl, "missing") else None
        print("n/a " + reason if reason else "ok", flush=True)
    else:
        raise SystemExit("pyczmq.perf.worker: unknown mode %r" % mode)
    if elapsed is not None:
        print("%.9f" % elapsed, flush=True)
    impl.close()


if __name__ == "__main__":
    main(sys.argv[1:])
