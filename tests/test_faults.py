"""Faults: a peer process SIGKILLed mid-stream, a server that dies under a
client (the ZeroMQ guide's lazy pirate), a receiver that stops reading while
the sender has a high-water mark.

The peers are pyczmq scripts in other processes.  The side that must survive
runs in a child interpreter of its own where it could crash (so a crash fails
one test), and every wait has a timeout (so a hang fails it too)."""

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import pyczmq
from pyczmq import Again, zmq

from conftest import clean_stdout

TRANSPORTS = ["tcp", "ipc"]


def endpoint(transport, tmp_path):
    # A random port: the tests bind one again after its process is killed,
    # which a busier port (49152, the first of "*") makes likelier to fail.
    return "tcp://127.0.0.1:!" if transport == "tcp" else "ipc://%s/endpoint" % tmp_path


class Child:
    """A pyczmq script in another process; kill()ed at the latest on exit."""

    def __init__(self, code, *argv):
        self.process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), *map(str, argv)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.pending = b""

    def readline(self, timeout=30):
        """The next line the child prints; fails after `timeout` s or at its end."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            assert left > 0 and self.selector.select(left), "no line within %g s" % timeout
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                self.process.wait(10)
                raise AssertionError("the child ended (exit %s) with stderr:\n%s" % (
                    self.process.returncode, self.process.stderr.read().decode()))
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode()

    def signal(self, signum):
        self.process.send_signal(signum)

    def wait(self, timeout=30):
        """Its exit code, once it has ended (it must, within `timeout` s)."""
        return self.process.wait(timeout)

    def finish(self, timeout=30):
        """Its exit, which must be clean: (the rest of its stdout, its stderr)."""
        out, err = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0 and not err, (self.process.returncode, err.decode())
        return (self.pending + out).decode(), err.decode()

    def stop(self):
        """Kill it: the lines it printed that were not read."""
        self.process.kill()
        out, _ = self.process.communicate()
        self.selector.close()
        return (self.pending + out).decode().splitlines()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.process.poll() is None:
            self.process.kill()
        if not self.process.stdout.closed:
            self.process.communicate()
            self.selector.close()


# A child started by a child ends when its parent does (even SIGKILLed by a timeout).
# And binds as a restarted server does: the port may still be held a moment
# (a connection to the killed process not yet reset, another test's client).
DIE_WITH_PARENT = """
import ctypes, os, signal, time
import pyczmq
ctypes.CDLL(None).prctl(1, signal.SIGKILL)      # PR_SET_PDEATHSIG
if os.getppid() == 1:
    os._exit(1)


def bind(sock, endpoint, patience=5.0):
    deadline = time.monotonic() + patience
    while True:
        try:
            return sock.bind(endpoint)
        except pyczmq.ZMQError as error:
            if error.errno != 98 or time.monotonic() > deadline:     # EADDRINUSE
                raise
            time.sleep(0.05)
"""


# -- a peer SIGKILLed mid-stream -------------------------------------------------

# The victim: a PUSH that sends sequence numbers (every 100th message 256 KiB, so
# that a kill lands in the middle of a frame now and then) or a PULL that
# receives them; it binds or connects, prints its endpoint, then runs until it
# is killed or has sent `count`.
VICTIM = """
import sys
import pyczmq
""" + DIE_WITH_PARENT + """
role, where, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = pyczmq.Context()
sock = ctx.socket("PUSH" if role == "sender" else "PULL")
if where.startswith("bind:"):
    bind(sock, where[5:])
    print(sock.last_endpoint, flush=True)
else:
    sock.connect(where)
    print(where, flush=True)
if role == "sender":
    sock.linger = 10000             # a finite stream is delivered before exit
    first = int(sys.argv[4])
    for number in range(first, first + count if count >= 0 else 2**62):
        sock.send(number.to_bytes(8, "little") * (32768 if number % 100 == 99 else 1))
else:
    while True:
        sock.recv_bytes()
ctx.destroy()
"""

# The survivor: the other end of the victim.  It streams, SIGKILLs the victim
# mid-stream, checks that it neither crashed nor hung, and goes on with a new
# victim.  Run in its own interpreter.
SURVIVOR = """
import atexit, json, signal, subprocess, sys, time
import pyczmq
from pyczmq import Again

children = []
atexit.register(lambda: [child.kill() for child in children if child.poll() is None])

VICTIM, role, endpoint, survivor_binds, DIE_WITH_PARENT = sys.argv[1:]
survivor_binds = survivor_binds == "1"
ctx = pyczmq.Context()


def victim(role, count, first=0, where=None):
    where = where or (endpoint if survivor_binds else "bind:" + endpoint)
    child = subprocess.Popen([sys.executable, "-c", VICTIM, role, where, str(count), str(first)],
                             stdout=subprocess.PIPE, text=True)
    children.append(child)
    return child, child.stdout.readline().strip()


def message(number):
    return number.to_bytes(8, "little") * (32768 if number % 100 == 99 else 1)


report = {}
if role == "receiver":                  # the survivor receives, the victim sends
    sock = ctx.socket("PULL")
    sock.rcvtimeo = 10000
    if survivor_binds:
        sock.bind(endpoint)
        endpoint = sock.last_endpoint
    child, bound = victim("sender", -1)
    if not survivor_binds:
        sock.connect(bound)
    received = 0
    while received < 20000:             # mid-stream ...
        assert sock.recv_bytes() == message(received)
        received += 1
    child.send_signal(signal.SIGKILL)   # ... the sender dies
    child.wait()
    # A new sender: all of its stream arrives in order, fair-queued with what
    # may still be arriving from the first (whole messages, in order).
    child, _ = victim("sender", 5000, 10**6, None if survivor_binds else "bind:" + bound)
    number = 10**6
    while number < 10**6 + 5000:
        data = sock.recv_bytes()
        if int.from_bytes(data[:8], "little") < 10**6:
            assert data == message(received), (received, data[:8])
            received += 1
        else:
            assert data == message(number), (number, data[:8])
            number += 1
    assert child.wait(10) == 0
    # What the dead sender's connection still held (its socket buffers, read
    # as the pipe makes room) may come after the new stream's end: the first
    # stream, continued in order.  Nothing else may come.
    sock.rcvtimeo = 100
    while True:
        try:
            data = sock.recv_bytes()
        except Again:
            break
        assert int.from_bytes(data[:8], "little") < 10**6 and data == message(received), \
            ("an extra message", received, data[:16])
        received += 1
    report["before"], report["after"] = received, number - 10**6
else:                                   # the survivor sends, the victim receives
    sock = ctx.socket("PUSH")
    sock.sndtimeo = 10000
    if survivor_binds:
        sock.bind(endpoint)
        endpoint = sock.last_endpoint
    child, bound = victim("receiver", -1)
    if not survivor_binds:
        sock.connect(bound)
    for number in range(20000):
        sock.send(message(number))
    child.send_signal(signal.SIGKILL)   # the receiver dies mid-stream
    child.wait()
    sock.sndtimeo = 300
    number, started = 20000, time.monotonic()
    try:                                # sending goes on until the queue is full, then
        while True:                     # Again: no crash, no hang
            sock.send(message(number))
            number += 1
            assert time.monotonic() - started < 20, "sends after the kill never stopped"
    except Again:
        pass
    report["queued after the kill"] = number - 20000
    # A new receiver gets an unbroken run of the stream, up to its end.
    check = subprocess.Popen([sys.executable, "-c", DIE_WITH_PARENT + '''
import sys, pyczmq
ctx = pyczmq.Context()
sock = ctx.socket("PULL")
sock.rcvtimeo = 10000
where, last = sys.argv[1], int(sys.argv[2])
if where.startswith("bind:"):
    bind(sock, where[5:])
else:
    sock.connect(where)
print("ready", flush=True)
numbers = []
while not numbers or numbers[-1] != last:
    data = sock.recv_bytes()
    number = int.from_bytes(data[:8], "little")
    assert data == number.to_bytes(8, "little") * (32768 if number % 100 == 99 else 1)
    numbers.append(number)
assert numbers == list(range(numbers[0], last + 1)), "not one unbroken run"
print(numbers[0], len(numbers), flush=True)
''', endpoint if survivor_binds else "bind:" + bound, str(number + 4999)],
        stdout=subprocess.PIPE, text=True)
    children.append(check)
    assert check.stdout.readline() == "ready\\n"
    sock.sndtimeo = 10000
    for number in range(number, number + 5000):
        sock.send(message(number))
    first, count = map(int, check.stdout.readline().split())
    assert check.wait(10) == 0
    report["new receiver's first"] = first - 20000
    report["new receiver got"] = count
ctx.destroy()
print(json.dumps(report))
"""


@pytest.mark.parametrize("survivor_binds", [True, False], ids=["survivor_binds", "victim_binds"])
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("killed", ["sender", "receiver"])
def test_a_peer_killed_mid_stream(tmp_path, killed, transport, survivor_binds):
    survivor = "receiver" if killed == "sender" else "sender"
    report = json.loads(run_survivor(survivor, endpoint(transport, tmp_path), survivor_binds))
    if killed == "sender":
        assert report["before"] >= 20000 and report["after"] == 5000
    else:
        # What the dead receiver's connection held is lost (PUSH has no
        # acknowledgements); the new receiver got an unbroken run to the end,
        # from what was still queued on the sender's side.
        assert report["new receiver's first"] <= report["queued after the kill"]
        assert report["new receiver got"] >= 5000


def run_survivor(role, where, survivor_binds):
    return clean_stdout("import sys; sys.argv[1:] = %r\n%s" % (
        [VICTIM, role, where, "1" if survivor_binds else "0", DIE_WITH_PARENT], SURVIVOR),
        timeout=120)


# -- lazy pirate: a client that survives its server -----------------------------------

# The ZeroMQ guide's lpclient: a REQ with rcvtimeo; when no reply comes in
# time it closes the socket (linger 0: drop the request), opens a new one and
# sends the request again, at most `retries` times per request.
LAZY_PIRATE_CLIENT = """
import json, sys
import pyczmq
from pyczmq import Again

endpoint, requests, timeout, retries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ctx = pyczmq.Context()


def connect():
    client = ctx.socket("REQ")
    client.rcvtimeo = timeout
    client.connect(endpoint)
    return client


client, replies, retried, abandoned = connect(), [], 0, None
for sequence in range(1, requests + 1):
    request = str(sequence)
    client.send(request)
    for attempt in range(retries + 1):
        try:
            reply = client.recv()
        except Again:           # no reply: the REQ is stuck waiting for one
            client.close(linger=0)
            if attempt == retries:
                abandoned = sequence
                break
            retried += 1
            client = connect()
            client.send(request)
            continue
        assert reply == request, (reply, request)
        replies.append(int(reply))
        break
    if abandoned:
        break
print(json.dumps({"replies": replies, "retried": retried, "abandoned": abandoned}), flush=True)
ctx.destroy()
"""

# The guide's lpserver, made deterministic: a REP that echoes requests, but
# answers the `slow`-th one after `delay` ms (later than the client waits) and
# kills itself on receiving the `crash`-th one (0: never).
LAZY_PIRATE_SERVER = DIE_WITH_PARENT + """
import sys
endpoint, crash, slow, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ctx = pyczmq.Context()
server = ctx.socket("REP")
bind(server, endpoint)
print(server.last_endpoint, flush=True)
cycles = 0
while True:
    request = server.recv()
    cycles += 1
    print(request, flush=True)
    if cycles == crash:
        os.kill(os.getpid(), signal.SIGKILL)
    if cycles == slow:
        time.sleep(delay / 1000)
    server.send(request)
"""


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_lazy_pirate_client_survives_its_server(tmp_path, transport):
    timeout = 250                                       # ms, the client's wait for a reply
    lives = [(3, 0), (4, 2), (0, 0)]                    # (crash at, slow at) per server start
    requests = 12
    with Child(LAZY_PIRATE_SERVER, endpoint(transport, tmp_path), 3, 0, 0) as server:
        where = server.readline()
        with Child(LAZY_PIRATE_CLIENT, where, requests, timeout, 40) as client:
            seen = []                                   # requests each server received
            for life, (crash, slow) in enumerate(lives):
                if life:
                    time.sleep(0.3)                     # the server comes back later
                    server = Child(LAZY_PIRATE_SERVER, where, crash, slow, 3 * timeout)
                    assert server.readline() == where
                with server:
                    if crash:
                        received = [int(server.readline()) for _ in range(crash)]
                        assert server.wait() == -signal.SIGKILL
                    else:               # the last one serves till the client is done
                        report = json.loads(client.readline())
                        client.finish()
                        received = [int(line) for line in server.stop()]
                    seen.append(received)
    # Every request got its own reply, in order; each crash and the slow reply
    # made the client retry at least once.
    assert report["replies"] == list(range(1, requests + 1))
    assert report["abandoned"] is None
    assert report["retried"] >= 3
    # The servers saw every request, some more than once (a retry; a REP
    # fair-queues the requests of a closed socket with those of its successor,
    # so the exact order varies), and a crash cut each of the first two lives.
    assert [len(life) for life in seen[:2]] == [3, 4]
    assert set(seen[0] + seen[1] + seen[2]) == set(range(1, requests + 1))
    assert seen[0][0] == 1 and requests in seen[2]


def test_lazy_pirate_client_gives_up_on_a_server_that_does_not_come_back(tmp_path):
    with Child(LAZY_PIRATE_SERVER, endpoint("ipc", tmp_path), 2, 0, 0) as server:
        where = server.readline()
        with Child(LAZY_PIRATE_CLIENT, where, 5, 500, 3) as client:
            assert [server.readline(), server.readline()] == ["1", "2"]
            assert server.wait() == -signal.SIGKILL
            started = time.monotonic()
            report = json.loads(client.readline())
            client.finish()
    assert report == {"replies": [1], "retried": 3, "abandoned": 2}
    assert time.monotonic() - started < 10


# -- a high-water mark: the sender waits, it never drops -----------------------------------

HWM = 10
SIZE = 1024                                     # bytes per message
BUFFER = 4096                                   # the kernel's socket buffers (SO_SNDBUF/RCVBUF)

# Receives sequence-numbered messages until b"end", then reports how many came
# and whether they were 0, 1, 2, ... in order.
HWM_RECEIVER = DIE_WITH_PARENT + """
import json, sys
where = sys.argv[1]
ctx = pyczmq.Context()
pull = ctx.socket("PULL")
pull.rcvhwm, pull.rcvbuf, pull.rcvtimeo = %d, %d, 20000
if where.startswith("bind:"):
    bind(pull, where[5:])
    print(pull.last_endpoint, flush=True)
else:
    pull.connect(where)
    print("ready", flush=True)
count, in_order = 0, True
while True:
    data = pull.recv_bytes()
    if data == b"end":
        break
    in_order = in_order and int.from_bytes(data[:8], "little") == count
    count += 1
print(json.dumps({"count": count, "in order": in_order}), flush=True)
""" % (HWM, BUFFER)


def hwm_sender(ctx, where):
    push = ctx.socket("PUSH")
    push.sndhwm, push.sndbuf, push.linger = HWM, BUFFER, 0
    push.connect(where)
    return push


def message(number):
    return number.to_bytes(8, "little") + bytes(SIZE - 8)


def send_until_full(push, first, how):
    """Send from `first` on until the sender is full: the next number (the one
    refused).  `how`: DONTWAIT, or sndtimeo (then each refusal takes that long)."""
    number = first
    while True:
        try:
            if how == "dontwait":
                push.send(message(number), zmq.DONTWAIT)
            else:
                push.send(message(number))
        except Again:
            return number
        number += 1
        assert number - first < 100_000, "the high-water mark never stopped the sender"


def receiver_report(receiver, push, sent):
    """Let the receiver finish: all the `sent` messages must arrive, in order."""
    push.sndtimeo = 10_000
    push.send(b"end")
    report = json.loads(receiver.readline())
    receiver.finish()
    assert report == {"count": sent, "in order": True}


@pytest.mark.parametrize("how", ["dontwait", "sndtimeo"])
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_sender_at_its_high_water_mark_waits_for_a_stopped_receiver(ctx, tmp_path, transport,
                                                                    how):
    with Child(HWM_RECEIVER, "bind:" + endpoint(transport, tmp_path)) as receiver:
        push = hwm_sender(ctx, receiver.readline())
        push.sndtimeo = 10_000
        for number in range(500):                       # the receiver reads along ...
            push.send(message(number))
        receiver.signal(signal.SIGSTOP)                 # ... until it stops
        try:
            push.sndtimeo = 50
            number, refusals = 500, 0
            while refusals < 5:         # refused again and again (each after sndtimeo)
                started = time.monotonic()
                full_at = send_until_full(push, number, how)
                if how == "sndtimeo":
                    assert time.monotonic() - started >= 0.045
                refusals = refusals + 1 if full_at == number else 1
                number = full_at
                # What fills up is the high-water marks, the socket buffers and
                # libzmq's batches (their room in messages depends on how the
                # I/O threads batched them: 100 seen under load): far less than the
                # default marks of 1000 each side would hold.
                assert number - 500 < 500
        finally:
            receiver.signal(signal.SIGCONT)
        # The receiver reads again: the sender goes on, and everything arrives.
        push.sndtimeo = 10_000
        for number in range(number, number + 2000):
            push.send(message(number))
        receiver_report(receiver, push, number + 1)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_blocking_sender_at_its_high_water_mark_waits_for_a_stopped_receiver(ctx, tmp_path,
                                                                            transport):
    with Child(HWM_RECEIVER, "bind:" + endpoint(transport, tmp_path)) as receiver:
        push = hwm_sender(ctx, receiver.readline())
        receiver.signal(signal.SIGSTOP)
        progress, errors = [0], []

        def send_all():
            try:
                for number in range(5000):
                    push.send(message(number))          # no timeout: it waits
                    progress[0] = number + 1
            except BaseException as error:
                errors.append(error)

        sender = threading.Thread(target=send_all)
        try:
            sender.start()
            wait_for(lambda: progress[0] > 0, "the first send")
            # Blocked: no progress while the receiver is stopped.
            stalled = progress[0]
            while True:
                time.sleep(0.2)
                if progress[0] == stalled:
                    break
                stalled = progress[0]
            assert sender.is_alive() and stalled < 1000
        finally:
            receiver.signal(signal.SIGCONT)
        sender.join(30)
        assert not sender.is_alive() and errors == [] and progress[0] == 5000
        receiver_report(receiver, push, 5000)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_sender_whose_receiver_is_not_there_yet_queues_to_its_high_water_mark(ctx, tmp_path,
                                                                              transport):
    where = endpoint(transport, tmp_path)
    placeholder = None
    if transport == "tcp":
        # A port nobody listens on, for now: bound but not listening, so that
        # no other process binds it (nor takes it for a connection) meanwhile.
        placeholder = socket.socket()
        placeholder.bind(("127.0.0.1", 0))
        where = "tcp://127.0.0.1:%d" % placeholder.getsockname()[1]
    push = hwm_sender(ctx, where)
    push.sndtimeo = 100
    queued = send_until_full(push, 0, "sndtimeo")
    assert 0 < queued <= 2 * HWM
    if placeholder is not None:
        placeholder.close()
    with Child(HWM_RECEIVER, "bind:" + where) as receiver:
        assert receiver.readline() == where
        for number in range(queued, queued + 2000):
            push.sndtimeo = 10_000
            push.send(message(number))
        receiver_report(receiver, push, queued + 2000)


def wait_for(condition, what, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.001)
