"""Beacon (CZMQ's zbeacon actor) between hosts simulated with network
namespaces (tests/netns.py).

Beacons broadcast on the local network, so no Beacon is ever made in the
test process: every one runs in a Python program inside a namespace, which
the test drives line by line (Peer).  Under CI these tests must run, not
skip (see netns.required()).
"""

import ast
import itertools
import queue
import signal
import subprocess
import textwrap
import threading
import time

import pytest

from pyczmq import ZMQError

PORTS = itertools.count(39001)      # a UDP port per test: nothing heard from an earlier one

PRELUDE = '''\
import gc, os, sys, threading, time
import pyczmq
from pyczmq import Beacon, ClosedError, ZMQError

def say(*words):
    print(*words, flush=True)

def wait_for(word):
    line = sys.stdin.readline().strip()
    if line != word:
        raise SystemExit("expected %r on stdin, got %r" % (word, line))

def drain(beacon, quiet_ms=400):
    """Drop received beacons until none came for quiet_ms."""
    while beacon.recv(timeout=quiet_ms) is not None:
        pass

def collect(beacon, seconds):
    """The beacons received within `seconds`."""
    end = time.monotonic() + seconds
    received = []
    while True:
        left = int((end - time.monotonic()) * 1000)
        if left <= 0:
            return received
        item = beacon.recv(timeout=left)
        if item is not None:
            received.append(item)

def raises(expected, call, *args, **kwargs):
    """`call` raises `expected`: its message; else the test program fails."""
    try:
        call(*args, **kwargs)
    except expected as error:
        return str(error)
    raise SystemExit("%s%r did not raise %s" % (getattr(call, "__name__", call), args,
                                                expected.__name__))
'''


class Peer:
    """A Python program running in a host: tell() writes a line to its stdin,
    expect() waits for a line it prints."""

    def __init__(self, host, code, env=None):
        self.host = host
        self.process = host.start(PRELUDE + textwrap.dedent(code), env=env,
                                  stdin=subprocess.PIPE)
        self.lines = queue.Queue()
        self.seen = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def fail(self, why):
        if self.process.poll() is None:
            self.process.kill()
        stderr = self.process.stderr.read()
        self.kill()
        pytest.fail("%s in %r\nit printed:\n%s\nstderr:\n%s" % (
            why, self.host, "\n".join(self.seen), stderr), pytrace=False)

    def expect(self, word, timeout=30):
        """The rest of the next line that starts with `word`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.fail("nothing said %r within %d s" % (word, timeout))
            if line is None:
                self.process.wait(timeout=30)
                self.fail("exit %s before saying %r" % (self.process.returncode, word))
            self.seen.append(line)
            if line == word or line.startswith(word + " "):
                return line[len(word) + 1:]

    def value(self, word, timeout=30):
        """The Python value printed (as its repr) after `word`."""
        return ast.literal_eval(self.expect(word, timeout))

    def tell(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def finish(self, timeout=30):
        """Wait for the program's end: exit 0, nothing on stderr."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail("still running after %d s" % timeout)
        self.reader.join(timeout=10)
        while True:
            line = self.lines.get_nowait() if not self.lines.empty() else None
            if line is None:
                break
            self.seen.append(line)
        stderr = self.process.stderr.read()
        self.kill()
        if self.process.returncode != 0 or stderr:
            pytest.fail("exit %d in %r\nit printed:\n%s\nstderr:\n%s" % (
                self.process.returncode, self.host, "\n".join(self.seen), stderr), pytrace=False)

    def stop(self):
        """Tell a program that waits for STOP to end, and finish()."""
        self.tell("STOP")
        self.finish()

    def kill(self):
        """End the program if it still runs, and close the pipes to it."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass        # stdin of a killed program: its pipe is broken


@pytest.fixture
def peers():
    """start(host, code, env=None) -> Peer; every Peer is killed after the test."""
    started = []

    def start(host, code, env=None):
        peer = Peer(host, code, env)
        started.append(peer)
        return peer

    yield start
    for peer in started:
        peer.kill()


def run_in(host, code, env=None, timeout=60):
    """Run a whole test program in `host`; it must exit 0 with a quiet stderr.
    Returns its stdout."""
    result = host.run(PRELUDE + textwrap.dedent(code), timeout=timeout, env=env)
    assert result.returncode == 0, "exit %d\nstdout:\n%s\nstderr:\n%s" % (
        result.returncode, result.stdout, result.stderr)
    assert result.stderr == "", result.stderr
    return result.stdout


def publisher(peers, host, port, data, interval=100, env=None, interface=None):
    """A Peer publishing `data`; it says HOST <hostname>, obeys SILENCE,
    PUBLISH, SLOW and STOP lines."""
    return peers(host, '''
        beacon = Beacon(%d, interface=%r)
        say("HOST", beacon.hostname)
        beacon.publish(%r, interval=%d)
        say("PUBLISHING")
        for line in sys.stdin:
            command = line.strip()
            if command == "SILENCE":
                beacon.silence()
            elif command == "PUBLISH":
                beacon.publish(%r)
            elif command == "SLOW":
                beacon.set_interval(1000)
            elif command == "STOP":
                break
            say("DONE", command)
        beacon.destroy()
    ''' % (port, interface, data, interval, data), env=env)


# -- between hosts ----------------------------------------------------------------------------

def test_a_beacon_reaches_the_other_hosts_with_the_senders_address(three_hosts, peers):
    sender_host, *receiver_hosts = three_hosts
    port = next(PORTS)
    receivers = [peers(host, '''
        beacon = Beacon(%d)
        say("HOST", beacon.hostname)
        beacon.subscribe()
        say("READY")
        say("GOT", repr(beacon.recv(timeout=10000)))
        beacon.destroy()
    ''' % port) for host in receiver_hosts]
    for host, receiver in zip(receiver_hosts, receivers):
        assert receiver.expect("HOST") == host.address      # hostname: the host's address
        receiver.expect("READY")
    sender = peers(sender_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        beacon.publish(b"service one", interval=100)
        # The broadcast comes back to this host too; CZMQ drops our own beacon.
        say("ECHO", repr(beacon.recv(timeout=1500)))
        beacon.destroy()
    ''' % port)
    for receiver in receivers:
        assert receiver.value("GOT") == (sender_host.address, b"service one")
        receiver.finish()
    assert sender.value("ECHO") is None
    sender.finish()


def test_a_subscription_prefix_filters(three_hosts, peers):
    alpha_host, beta_host, listener_host = three_hosts
    port = next(PORTS)
    alpha = publisher(peers, alpha_host, port, b"alpha/1")
    beta = publisher(peers, beta_host, port, b"beta/2")
    alpha.expect("PUBLISHING")
    beta.expect("PUBLISHING")
    listener = peers(listener_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()                  # everything: both are on the network
        say("ALL", repr(sorted(set(collect(beacon, 1.5)))))
        beacon.subscribe("alpha")           # replaces the filter
        drain(beacon, quiet_ms=0)
        time.sleep(0.3)                     # what the old filter let through
        drain(beacon, quiet_ms=0)
        say("ALPHA", repr(sorted(set(collect(beacon, 1.5)))))
        beacon.subscribe(memoryview(b"beta/"))
        drain(beacon, quiet_ms=0)
        time.sleep(0.3)
        drain(beacon, quiet_ms=0)
        say("BETA", repr(sorted(set(collect(beacon, 1.5)))))
        beacon.subscribe(b"gamma")
        time.sleep(0.3)
        drain(beacon, quiet_ms=0)
        say("GAMMA", repr(collect(beacon, 1.0)))
        beacon.destroy()
    ''' % port)
    alpha_beacon = (alpha_host.address, b"alpha/1")
    beta_beacon = (beta_host.address, b"beta/2")
    assert listener.value("ALL") == sorted([alpha_beacon, beta_beacon])
    assert listener.value("ALPHA") == [alpha_beacon]
    assert listener.value("BETA") == [beta_beacon]
    assert listener.value("GAMMA") == []
    listener.finish()
    for peer in (alpha, beta):
        peer.stop()


def test_silence_stops_delivery_and_publish_resumes_it(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    sender = publisher(peers, sender_host, port, b"on air")
    sender.expect("PUBLISHING")
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        say("FIRST", repr(beacon.recv(timeout=10000)))
        wait_for("SILENCED")
        drain(beacon)                       # beacons sent before silence()
        say("AFTER", repr(beacon.recv(timeout=1500)))
        wait_for("RESUMED")
        say("AGAIN", repr(beacon.recv(timeout=10000)))
        beacon.destroy()
    ''' % port)
    assert receiver.value("FIRST") == (sender_host.address, b"on air")
    sender.tell("SILENCE")
    sender.expect("DONE")
    receiver.tell("SILENCED")
    assert receiver.value("AFTER") is None
    sender.tell("PUBLISH")
    sender.expect("DONE")
    receiver.tell("RESUMED")
    assert receiver.value("AGAIN") == (sender_host.address, b"on air")
    receiver.finish()
    sender.stop()


def test_unsubscribe_stops_reception_and_subscribe_restarts_it(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    sender = publisher(peers, sender_host, port, b"still here", interval=50)
    sender.expect("PUBLISHING")
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d)
        say("BEFORE", repr(beacon.recv(timeout=1000)))      # nothing before subscribe()
        beacon.subscribe()
        say("FIRST", repr(beacon.recv(timeout=10000)))
        time.sleep(0.5)
        beacon.unsubscribe()
        # Received before unsubscribe(): still readable.
        say("QUEUED", beacon.recv(timeout=0) is not None)
        drain(beacon)
        say("AFTER", repr(beacon.recv(timeout=1500)))
        beacon.subscribe(b"still")
        say("AGAIN", repr(beacon.recv(timeout=10000)))
        beacon.destroy()
    ''' % port)
    assert receiver.value("BEFORE") is None
    assert receiver.value("FIRST") == (sender_host.address, b"still here")
    assert receiver.value("QUEUED") is True
    assert receiver.value("AFTER") is None
    assert receiver.value("AGAIN") == (sender_host.address, b"still here")
    receiver.finish()
    sender.stop()


def test_set_interval_changes_the_rate_of_the_beacon_being_published(three_hosts, peers):
    # Rates with wide margins: 50 ms gives ~40 beacons in 2 s, 1000 ms ~2.
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    sender = publisher(peers, sender_host, port, b"tick", interval=50)
    sender.expect("PUBLISHING")
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        beacon.recv(timeout=10000)
        say("FAST", len(collect(beacon, 2.0)))
        wait_for("SLOWED")
        time.sleep(0.3)
        drain(beacon, quiet_ms=0)
        say("SLOW", len(collect(beacon, 2.5)))
        beacon.destroy()
    ''' % port)
    assert receiver.value("FAST") >= 10
    sender.tell("SLOW")
    sender.expect("DONE")
    receiver.tell("SLOWED")
    assert 1 <= receiver.value("SLOW") <= 6
    receiver.finish()
    sender.stop()


def test_any_bytes_up_to_255_arrive_intact(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        say("READY")
        previous = None
        for _ in range(4):
            wait_for("NEXT")
            item = beacon.recv(timeout=10000)
            while item is not None and item[1] == previous:     # the one before
                item = beacon.recv(timeout=10000)
            previous = item and item[1]
            say("GOT", repr(item))
        beacon.destroy()
    ''' % port)
    receiver.expect("READY")
    sender = peers(sender_host, '''
        beacon = Beacon(%d)
        full = bytes(range(255))            # NUL and bytes that are not UTF-8
        for data in (full, bytearray(b"from a bytearray"), memoryview(b"xx-view-xx")[3:7],
                     "caf\\u00e9"):
            wait_for("PUBLISH")
            beacon.publish(data, interval=100)
            say("PUBLISHED")
        say("TOO_LONG", raises(ValueError, beacon.publish, bytes(256)))
        say("TOO_LONG_STR", raises(ValueError, beacon.publish, "\\u00e9" * 128))
        wait_for("STOP")
        beacon.destroy()
    ''' % port)
    expected = [bytes(range(255)), b"from a bytearray", b"view", "caf\u00e9".encode()]
    for data in expected:
        sender.tell("PUBLISH")
        sender.expect("PUBLISHED")
        receiver.tell("NEXT")
        assert receiver.value("GOT") == (sender_host.address, data)
    assert "256 bytes" in sender.expect("TOO_LONG")
    assert "256 bytes" in sender.expect("TOO_LONG_STR")
    sender.stop()
    receiver.finish()


def test_discover_then_connect_over_tcp(three_hosts, peers):
    # Two services announce where they listen; a client finds both by beacon
    # and talks to each over TCP at the sender's address.
    client_host, *service_hosts = three_hosts
    port = next(PORTS)
    services = [peers(host, '''
        with pyczmq.Context() as ctx, Beacon(%d) as beacon:
            server = ctx.socket("REP")
            tcp_port = server.bind("tcp://%%s:*" %% beacon.hostname)
            beacon.publish("echo-service %%d" %% tcp_port, interval=100)
            server.rcvtimeo = 15000
            request = server.recv()
            server.send("%%s answers %%s" %% (beacon.hostname, request))
        say("SERVED")
    ''' % port) for host in service_hosts]
    client = peers(client_host, '''
        found = {}
        with pyczmq.Context() as ctx, Beacon(%d) as beacon:
            beacon.subscribe(b"echo-service ")
            while len(found) < 2:
                sender, data = beacon.recv(timeout=10000)
                found[sender] = int(data.split()[1])
            for sender, tcp_port in sorted(found.items()):
                client = ctx.socket("REQ")
                client.rcvtimeo = 10000
                client.connect("tcp://%%s:%%d" %% (sender, tcp_port))
                client.send(b"ping")
                say("REPLY", repr(client.recv()))
    ''' % port)
    replies = sorted([client.value("REPLY"), client.value("REPLY")])
    assert replies == sorted("%s answers ping" % host.address for host in service_hosts)
    client.finish()
    for service in services:
        service.expect("SERVED")
        service.finish()


def test_the_socket_is_pollable_with_poller_and_loop_and_refuses_sends(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    sender = publisher(peers, sender_host, port, b"poll me")
    sender.expect("PUBLISHING")
    receiver = peers(receiver_host, '''
        from pyczmq import Loop, Poller, zbeacon, zmsg, zstr, zsocket
        import errno
        beacon = Beacon(%d)
        sock = beacon.socket
        say("SAME", sock is beacon.socket is zbeacon.socket(beacon))
        beacon.subscribe()
        poller = Poller(sock)
        say("POLLER", poller.wait(10000) is sock)
        say("FRAMES", repr(sock.recv_multipart()))          # (address, data) as two frames

        got = []
        def on_beacon(loop, ready, arg):
            got.append(zmsg.recv(ready).popstr())
            return -1                                        # ends the loop
        loop = Loop()
        loop.reader(sock, on_beacon)
        loop.start()
        say("LOOP", repr(got))
        loop.destroy()

        from pyczmq import Frame, Message, zframe, zmq
        for name, call in (("send", lambda: sock.send(b"SILENCE")),
                           ("send big", lambda: sock.send(b"SILENCE" * 20000)),
                           ("send zero-copy", lambda: sock.send(b"SILENCE" * 20000, copy=False)),
                           ("send_multipart", lambda: sock.send_multipart([b"SILENCE"])),
                           ("send_multipart zero-copy",
                            lambda: sock.send_multipart([b"SILENCE" * 20000], copy=False)),
                           ("send_frame", lambda: sock.send_frame(Frame(b"SILENCE"))),
                           ("send_msg", lambda: sock.send_msg(Message(b"SILENCE"))),
                           ("Message.send", lambda: Message(b"SILENCE").send(sock)),
                           ("zmq.send", lambda: zmq.send(sock, b"SILENCE")),
                           ("zmq.msg_send", lambda: zmq.msg_send(zmq.msg_init_size(None, 1), sock)),
                           ("bind", lambda: sock.bind("inproc://x")),
                           ("connect", lambda: sock.connect("inproc://x")),
                           ("close", sock.close)):
            try:
                call()
            except ZMQError as error:
                say("REFUSED", name, error.errno == errno.ENOTSUP)
        say("ZSTR", repr(zstr.send(sock, "SILENCE")))
        # Nothing reached the actor: still subscribed, still answering.
        drain(beacon, quiet_ms=0)
        say("STILL", repr(beacon.recv(timeout=10000)))
        say("REPR", repr(sock))
        beacon.destroy()
        say("CLOSED", raises(ClosedError, sock.recv))
    ''' % port)
    assert receiver.value("SAME") is True
    assert receiver.value("POLLER") is True
    assert receiver.value("FRAMES") == [sender_host.address.encode(), b"poll me"]
    assert receiver.value("LOOP") == [sender_host.address]
    for name in ("send", "send big", "send zero-copy", "send_multipart",
                 "send_multipart zero-copy", "send_frame", "send_msg", "Message.send",
                 "zmq.send", "zmq.msg_send", "bind", "connect", "close"):
        assert receiver.expect("REFUSED") == "%s True" % name
    assert receiver.value("ZSTR") == -1
    assert receiver.value("STILL") == (sender_host.address, b"poll me")
    assert "ActorPipe of a Beacon" in receiver.expect("REPR")
    assert "destroyed" in receiver.expect("CLOSED")
    receiver.finish()
    sender.stop()


def test_the_pipe_can_not_be_rewired_or_proxied(three_hosts):
    # zmq.proxy would forward one beacon's pipe into another's as commands
    # (zbeacon asserts on an unknown one); the base class's bind and friends,
    # which zsocket calls, are refused as well.
    out = run_in(three_hosts[0], '''
        import errno
        from pyczmq import Socket, zmq, zsocket
        first, second = Beacon(%d), Beacon(%d)
        calls = [lambda: zmq.proxy(first.socket, second.socket),
                 lambda: zmq.proxy(first.socket, first.socket),
                 lambda: Socket.bind(first.socket, "inproc://pipe-x"),
                 lambda: Socket.connect(first.socket, "inproc://pipe-x"),
                 lambda: Socket.unbind(first.socket, "inproc://pipe-x"),
                 lambda: Socket.disconnect(first.socket, "inproc://pipe-x")]
        for call in calls:
            try:
                call()
            except ZMQError as error:
                say("REFUSED", error.errno == errno.ENOTSUP)
        say("ZSOCKET", zsocket.bind(first.socket, "inproc://pipe-y"),
            zsocket.connect(first.socket, "inproc://pipe-y"))
        first.publish(b"still fine")
        first.destroy()
        second.destroy()
        say("OK")
    ''' % (next(PORTS), next(PORTS)))
    assert out.splitlines() == ["REFUSED True"] * 6 + ["ZSOCKET -1 -1", "OK"]


def test_every_zbeacon_function_of_the_2013_api(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    receiver = peers(receiver_host, '''
        from pyczmq import zbeacon, zmsg
        beacon = zbeacon.new(%d)
        zbeacon.subscribe(beacon, b"seed")
        say("READY", zbeacon.hostname(beacon))
        say("GOT", repr(zbeacon.recv(beacon, 10000)))
        message = zmsg.recv(zbeacon.socket(beacon))
        say("FRAMES", repr([message.popstr(), message.pop().bytes()]))
        zbeacon.unsubscribe(beacon)
        drain(beacon)
        say("AFTER", repr(zbeacon.recv(beacon, 1000)))
        zbeacon.destroy(beacon)
        say("DESTROYED", beacon.destroyed)
    ''' % port)
    assert receiver.expect("READY") == receiver_host.address
    sender = peers(sender_host, '''
        from pyczmq import zbeacon
        beacon = zbeacon.new(%d)
        zbeacon.noecho(beacon)
        zbeacon.set_interval(beacon, 100)
        zbeacon.publish(beacon, "seed data")
        say("HOST", zbeacon.hostname(beacon))
        wait_for("STOP")
        zbeacon.silence(beacon)
        zbeacon.destroy(beacon)
    ''' % port)
    assert sender.expect("HOST") == sender_host.address
    assert receiver.value("GOT") == (sender_host.address, b"seed data")
    assert receiver.value("FRAMES") == [sender_host.address, b"seed data"]
    assert receiver.value("AFTER") is None
    assert receiver.value("DESTROYED") is True
    receiver.finish()
    sender.stop()


def test_a_dropped_beacon_stops_broadcasting(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    sender = peers(sender_host, '''
        beacon = Beacon(%d)
        beacon.publish(b"first", interval=100)
        wait_for("DROP")
        del beacon                              # the last reference: stopped at once
        say("DROPPED")
        wait_for("NEXT")
        beacon = Beacon(%d)
        sock = beacon.socket                    # the pipe refers back to its Beacon
        beacon.publish(b"second", interval=100)
        wait_for("DROP")
        del beacon, sock
        gc.collect()
        say("DROPPED")
        wait_for("STOP")
    ''' % (port, port))
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        for _ in range(2):
            say("GOT", repr(beacon.recv(timeout=10000)))
            wait_for("DROPPED")
            drain(beacon)
            say("AFTER", repr(beacon.recv(timeout=1500)))
        beacon.destroy()
    ''' % port)
    for data in (b"first", b"second"):
        assert receiver.value("GOT") == (sender_host.address, data)
        sender.tell("DROP")
        sender.expect("DROPPED")
        receiver.tell("DROPPED")
        assert receiver.value("AFTER") is None
        if data == b"first":
            sender.tell("NEXT")
    receiver.finish()
    sender.stop()


# -- interfaces and CZMQ's settings -------------------------------------------------------------

def test_the_interface_can_be_chosen_by_name_address_index_or_environment(lab, peers):
    first, second = lab.network(), lab.network()
    router = lab.host(first, second)            # eth0 10.77.1.1, eth1 10.77.2.1
    on_first = lab.host(first)                  # 10.77.1.2
    on_second = lab.host(second)                # 10.77.2.3
    port = next(PORTS)
    listeners = {host: peers(host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        say("READY")
        for _ in range(4):
            wait_for("LISTEN")
            drain(beacon, quiet_ms=0)
            say("HEARD", repr(sorted(set(collect(beacon, 1.5)))))
        beacon.destroy()
    ''' % port) for host in (on_first, on_second)}
    for listener in listeners.values():
        listener.expect("READY")
    choices = [({"interface": "eth1"}, None, second),
               ({"interface": router.addresses[0]}, None, first),
               ({"interface": "1"}, None, second),
               ({}, {"ZSYS_INTERFACE": "eth0"}, first)]
    for arguments, env, network in choices:
        sender = peers(router, '''
            beacon = Beacon(%d, **%r)
            say("HOST", beacon.hostname)
            beacon.publish(b"router", interval=100)
            wait_for("STOP")
            beacon.destroy()
        ''' % (port, arguments), env=env)
        address = router.addresses[lab.networks.index(network)]
        assert sender.expect("HOST") == address, arguments or env
        for listener in listeners.values():
            listener.tell("LISTEN")
        for host, listener in listeners.items():
            heard = listener.value("HEARD")
            if host.addresses[0].startswith(network.subnet + "."):
                assert heard == [(address, b"router")], (arguments, env)
            else:
                assert heard == [], (arguments, env)
        sender.stop()
    for listener in listeners.values():
        listener.finish()


def test_the_interface_does_not_change_under_a_running_beacon(lab):
    network, other = lab.network(), lab.network()
    host = lab.host(network, other)
    out = run_in(host, '''
        first = Beacon(%d, interface="eth0")
        say(raises(ValueError, Beacon, %d, interface="eth1"))
        same = Beacon(%d, interface="eth0")         # the same interface is fine
        say(same.hostname)
        same.destroy()
        from pyczmq import zbeacon
        say(raises(ValueError, zbeacon.new, %d, "eth1"))
        first.destroy()
        second = Beacon(%d, interface="eth1")        # none running: may change
        say(second.hostname)
        second.destroy()
    ''' % ((next(PORTS),) * 5))
    lines = out.splitlines()
    assert "destroy them before choosing 'eth1'" in lines[0]
    assert lines[1] == host.addresses[0]
    assert "destroy them before choosing 'eth1'" in lines[2]
    assert lines[3] == host.addresses[1]


def test_no_interface_to_broadcast_on_raises_enodev(lab):
    loopback_only = lab.host(None)
    for arguments, env in (({}, None), ({"interface": "eth7"}, None), ({}, {"ZSYS_IPV6": "1"}),
                           ({}, {"ZSYS_INTERFACE": "9"})):
        out = run_in(loopback_only, '''
            import errno
            try:
                Beacon(%d, **%r)
            except ZMQError as error:
                say("RAISED", error.errno == errno.ENODEV, "no interface" in str(error))
            say("STILL", repr(pyczmq.Context().socket("PAIR")))     # the process is fine
        ''' % (next(PORTS), arguments), env=env)
        assert "RAISED True True" in out.splitlines(), (arguments, env, out)
        assert "STILL <pyczmq.Socket PAIR" in out, out


def test_ipv4_multicast_beacons_need_interface_star(lab, peers):
    # CZMQ 4.2.1 aborts on a named interface with ZSYS_IPV4_MCAST_ADDRESS (it
    # passes an index to IP_MULTICAST_IF); with "*" it works where the group
    # has a route.
    network = lab.network()
    sender_host, receiver_host, unrouted = (lab.host(network) for _ in range(3))
    for host in (sender_host, receiver_host):
        host.route("224.0.0.0/4", "dev", "eth0")
    env = {"ZSYS_IPV4_MCAST_ADDRESS": "239.192.77.1"}
    port = next(PORTS)
    out = run_in(unrouted, '''
        import errno
        say(raises(ValueError, Beacon, %d))
        say(raises(ValueError, Beacon, %d, interface="eth0"))
        try:
            Beacon(%d, interface="*")
        except ZMQError as error:
            say("NODEV", error.errno == errno.ENODEV, str(error))
    ''' % (port, port, port), env=env)
    lines = out.splitlines()
    assert 'work only with interface "*"' in lines[0]
    assert 'work only with interface "*"' in lines[1]
    assert lines[2].startswith("NODEV True") and "239.192.77.1" in lines[2]
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d, interface="*")
        say("HOST", beacon.hostname)
        beacon.subscribe()
        say("GOT", repr(beacon.recv(timeout=10000)))
        beacon.destroy()
    ''' % port, env=env)
    assert receiver.expect("HOST") == "*"
    sender = publisher(peers, sender_host, port, b"multicast", env=env, interface="*")
    assert receiver.value("GOT") == (sender_host.address, b"multicast")
    receiver.finish()
    sender.stop()


def test_ipv6_beacons_between_hosts(lab, peers):
    network = lab.network()
    sender_host, receiver_host = lab.host(network), lab.host(network)
    env = {"ZSYS_IPV6": "1"}
    port = next(PORTS)
    receiver = peers(receiver_host, '''
        deadline = time.monotonic() + 10            # link-local addresses: after DAD
        while True:
            try:
                beacon = Beacon(%d)
                break
            except ZMQError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        say("HOST", beacon.hostname)
        beacon.subscribe()
        say("GOT", repr(beacon.recv(timeout=15000)))
        beacon.destroy()
    ''' % port, env=env)
    receiver_address = receiver.expect("HOST")
    assert receiver_address.startswith("fe80::") and receiver_address.endswith("%eth0")
    sender = peers(sender_host, '''
        deadline = time.monotonic() + 10
        while True:
            try:
                beacon = Beacon(%d)
                break
            except ZMQError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        say("HOST", beacon.hostname)
        beacon.publish(b"over IPv6", interval=100)
        wait_for("STOP")
        beacon.destroy()
    ''' % port, env=env)
    sender_address = sender.expect("HOST")
    assert sender_address.startswith("fe80::") and sender_address != receiver_address
    assert receiver.value("GOT") == (sender_address, b"over IPv6")
    receiver.finish()
    sender.stop()


def test_settings_czmq_would_abort_on_raise_instead(three_hosts):
    host = three_hosts[0]
    cases = [({"ZSYS_IPV4_MCAST_ADDRESS": "not-an-address"}, ValueError, "not a numeric IPv4"),
             ({"ZSYS_IPV4_MCAST_ADDRESS": ""}, ValueError, "not a numeric IPv4"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV4_MCAST_ADDRESS": "239.1.1.1"}, ValueError,
              "can not do both"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV6_MCAST_ADDRESS": "ff02::zz"}, ValueError,
              "not a numeric IPv6"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV6_ADDRESS": "bogus", "ZSYS_INTERFACE": "eth0"},
              ValueError, "not a numeric IPv6"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV6_ADDRESS": "fe80::1%bogus", "ZSYS_INTERFACE": "eth0"},
              ValueError, "not a numeric IPv6"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV6_ADDRESS": "fe80::1", "ZSYS_INTERFACE": "bogus0"},
              ValueError, "'fe80::1%bogus0' is not a numeric IPv6"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV6_MCAST_ADDRESS": "ff02::1%bogus",
               "ZSYS_INTERFACE": "*"}, ValueError, "not a numeric IPv6"),
             ({"ZSYS_IPV6": "1", "ZSYS_IPV6_ADDRESS": "fe80::1", "ZSYS_INTERFACE": "eth0"},
              ZMQError, "no interface to broadcast on"),       # can not bind it: CZMQ says so
             ({"ZSYS_IPV6": "1", "ZSYS_INTERFACE": "*"}, None, None)]
    for env, error, text in cases:
        out = run_in(host, '''
            try:
                beacon = Beacon(%d)
            except (ValueError, ZMQError) as error:
                say("RAISED", type(error).__name__, error)
            else:
                say("MADE", beacon.hostname)
                beacon.destroy()
        ''' % next(PORTS), env=env)
        out = "".join(line for line in out.splitlines(True) if line.startswith(("RAISED", "MADE")))
        if error is None:
            assert out.strip() == "MADE *", (env, out)
        else:
            assert out.startswith("RAISED %s" % error.__name__) and text in out, (env, out)


def test_bad_arguments_raise_and_never_abort(three_hosts):
    out = run_in(three_hosts[0], '''
        from pyczmq import zbeacon
        for bad in (0, -1, 65536, 2**70):
            raises(ValueError, Beacon, bad)
        for bad in ("9999", 1.5, None):
            raises(TypeError, Beacon, bad)
        raises(TypeError, Beacon, %d, interface=b"eth0")
        raises(ValueError, Beacon, %d, interface="eth\\x000")
        raises(ValueError, Beacon, %d, interface="x" * 256)
        beacon = Beacon(%d)
        raises(ValueError, beacon.publish, b"x" * 256)
        raises(ValueError, beacon.subscribe, b"x" * 256)
        raises(TypeError, beacon.publish, 42)
        raises(TypeError, beacon.subscribe, None)
        for bad in (0, -5, 2**31):
            raises(ValueError, beacon.set_interval, bad)
            raises(ValueError, beacon.publish, b"ok", interval=bad)
        raises(ValueError, beacon.recv, timeout=-1)
        raises(TypeError, beacon.recv, timeout="1")
        raises(TypeError, zbeacon.publish, None, b"x")
        raises(TypeError, Beacon.__init__, beacon, %d)          # already initialised
        beacon.publish(b"fine")                                 # still working
        say("REPR", repr(beacon))
        beacon.destroy()
        beacon.destroy()                                        # twice is fine
        for call in (beacon.publish, beacon.subscribe):
            raises(ClosedError, call, b"x")
        for call in (beacon.silence, beacon.unsubscribe, beacon.noecho, beacon.recv,
                     beacon.set_verbose, lambda: beacon.set_interval(100),
                     lambda: beacon.hostname, lambda: beacon.socket,
                     lambda: beacon.__enter__()):
            raises(ClosedError, call)
        say("REPR", repr(beacon))
        say("OK")
    ''' % tuple(next(PORTS) for _ in range(5)))
    lines = out.splitlines()
    assert lines[0].startswith("REPR <pyczmq.Beacon UDP port")
    assert "publishing 4 bytes every 1000 ms, not subscribed" in lines[0]
    assert lines[1].startswith("REPR <pyczmq.Beacon destroyed")
    assert lines[2] == "OK"


def test_context_manager_and_repr(three_hosts):
    host = three_hosts[0]
    port = next(PORTS)
    out = run_in(host, '''
        with Beacon(%d) as beacon:
            say(repr(beacon))
            beacon.publish("abc", interval=250)
            beacon.subscribe("svc")
            say(repr(beacon))
            beacon.silence()
            beacon.unsubscribe()
            say(repr(beacon))
        say(beacon.destroyed, repr(beacon))
    ''' % port)
    lines = out.splitlines()
    where = "UDP port %d on %s" % (port, host.address)
    assert where + ", silent, not subscribed at 0x" in lines[0]
    assert where + ", publishing 3 bytes every 250 ms, subscribed to b'svc' at" in lines[1]
    assert where + ", silent, not subscribed at" in lines[2]
    assert lines[3].startswith("True <pyczmq.Beacon destroyed")


# -- threads, signals, exit, fork, leaks --------------------------------------------------------

def test_commands_from_another_thread_raise_ebusy_while_recv_waits(three_hosts):
    out = run_in(three_hosts[0], '''
        import errno
        beacon = Beacon(%d)
        beacon.subscribe()
        waiting = threading.Thread(target=lambda: say("WAITED", beacon.recv(timeout=2000)))
        waiting.start()
        time.sleep(0.5)
        for call in (lambda: beacon.publish(b"x"), beacon.silence, beacon.destroy,
                     lambda: beacon.recv(timeout=0)):
            try:
                call()
            except ZMQError as error:
                say("BUSY", error.errno == errno.EBUSY)
        waiting.join()
        beacon.publish(b"x")                # free again
        # Many threads commanding at once are serialised.
        def command(n):
            for i in range(50):
                beacon.publish(b"thread %%d %%d" %% (n, i), interval=1000)
                beacon.subscribe(b"p%%d" %% i)
        threads = [threading.Thread(target=command, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        beacon.destroy()
        say("DESTROYED", beacon.destroyed)
    ''' % next(PORTS))
    assert out.splitlines() == ["BUSY True"] * 4 + ["WAITED None", "DESTROYED True"]


def test_ctrl_c_interrupts_a_waiting_recv(three_hosts, peers):
    peer = peers(three_hosts[0], '''
        beacon = Beacon(%d)
        beacon.subscribe()
        say("WAITING")
        try:
            beacon.recv()
        except KeyboardInterrupt:
            say("INTERRUPTED")
        beacon.publish(b"still works")          # the actor thread was not hit
        beacon.destroy()
        say("DESTROYED")
    ''' % next(PORTS))
    peer.expect("WAITING")
    time.sleep(0.5)
    peer.process.send_signal(signal.SIGINT)
    peer.expect("INTERRUPTED", timeout=10)
    peer.expect("DESTROYED")
    peer.finish()


def test_the_process_exits_quietly_with_beacons_left_running(three_hosts):
    host = three_hosts[0]
    start = time.monotonic()
    run_in(host, '''
        kept = Beacon(%d)
        kept.publish(b"left running", interval=50)
        kept.subscribe()
        sock = kept.socket
        waiting = Beacon(%d)
        waiting.subscribe(b"nothing")
        threading.Thread(target=waiting.recv, daemon=True).start()      # blocked at exit
        time.sleep(0.3)
        say("EXITING")
    ''' % (next(PORTS), next(PORTS)))
    assert time.monotonic() - start < 20


def test_a_forked_child_leaves_the_parents_beacon_alone(three_hosts, peers):
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    receiver = peers(receiver_host, '''
        beacon = Beacon(%d)
        beacon.subscribe()
        say("READY")
        wait_for("FORKED")
        item = beacon.recv(timeout=10000)
        while item is not None and item[1] == b"before fork":
            item = beacon.recv(timeout=10000)
        say("GOT", repr(item))
        beacon.destroy()
    ''' % port)
    receiver.expect("READY")
    sender = peers(sender_host, '''
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)     # fork with threads
        beacon = Beacon(%d)
        beacon.publish(b"before fork", interval=100)
        pid = os.fork()
        if pid == 0:
            try:
                beacon.publish(b"from the child")
            except ClosedError as error:
                ok = "forked child" in str(error)
            else:
                ok = False
            beacon.destroy()                # only lets go of the parent's actor
            os._exit(0 if ok and beacon.destroyed else 1)
        _, status = os.waitpid(pid, 0)
        say("CHILD", os.waitstatus_to_exitcode(status))
        beacon.publish(b"after fork")
        say("PUBLISHED")
        wait_for("STOP")
        beacon.destroy()
    ''' % port)
    assert sender.value("CHILD") == 0
    sender.expect("PUBLISHED")
    receiver.tell("FORKED")
    assert receiver.value("GOT") == (sender_host.address, b"after fork")
    receiver.finish()
    sender.stop()


def test_beacons_do_not_leak_memory_threads_or_descriptors(three_hosts):
    out = run_in(three_hosts[0], '''
        def usage():
            with open("/proc/self/status") as status:
                fields = dict(line.split(":", 1) for line in status)
            return (int(fields["VmRSS"].split()[0]), int(fields["Threads"]),
                    len(os.listdir("/proc/self/fd")))
        port = %d
        def cycle(count):
            for i in range(count):
                beacon = Beacon(port)
                beacon.publish(b"x" * 200, interval=10)
                beacon.subscribe()
                beacon.socket
                beacon.recv(timeout=0)
                beacon.destroy()
                with Beacon(port) as dropped:
                    pass
                dropped = Beacon(port)
                dropped.publish(b"dropped")
                del dropped
        def settled(target=None):
            # libzmq's reaper thread frees closed sockets (and their eventfds)
            # a little later: wait until the counts stop moving (or, after,
            # are back to `target`: a leak over 300 cycles never is).
            gc.collect()
            last, deadline = usage(), time.monotonic() + 10
            while time.monotonic() < deadline:
                time.sleep(0.2)
                now = usage()
                if now[1:] == (target or last)[1:]:
                    return now
                last = now
            return last
        cycle(50)
        before = settled()
        cycle(300)
        after = settled(before)
        say(repr((before, after)))
    ''' % next(PORTS), timeout=180)
    before, after = ast.literal_eval(out.splitlines()[-1])
    (rss_before, threads_before, fds_before), (rss_after, threads_after, fds_after) = before, after
    assert fds_after == fds_before
    assert threads_after == threads_before
    assert rss_after - rss_before < 8 * 1024, (rss_before, rss_after)       # kB



# -- the namespaces themselves --------------------------------------------------------------------

def test_a_lab_is_removed_after_use_and_its_hosts_are_isolated(lab):
    import netns
    network = lab.network()
    host = lab.host(network)
    names = netns.ip("netns", "list").stdout
    assert host.namespace in names and network.namespace in names
    # The veth pair and the bridge exist only inside the lab's namespaces.
    inside = host.run("import socket; print(sorted(n for _, n in socket.if_nameindex()))")
    assert inside.stdout.strip() == "['eth0', 'lo']"
    assert "h1n1" in netns.ip("-n", network.namespace, "link", "show").stdout
    own_links = netns.ip("link", "show").stdout
    assert "h1n1" not in own_links and "br0" not in own_links
    lab.close()
    names = netns.ip("netns", "list").stdout
    assert lab.tag not in names


def test_without_namespaces_beacon_tests_skip_but_fail_under_ci(monkeypatch):
    import netns
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PYCZMQ_REQUIRE_NETNS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs root"):
        netns.unavailable("creating them needs root")
    for variable, value in (("CI", "true"), ("PYCZMQ_REQUIRE_NETNS", "1")):
        monkeypatch.setenv(variable, value)
        with pytest.raises(pytest.fail.Exception, match="CI must run the beacon tests"):
            netns.unavailable("creating them needs root")
        monkeypatch.delenv(variable)
