"""A short program that uses every extension type of pyczmq once in each
way that matters for memory (made, used, handed over, failed, closed,
dropped to the collector), checking what it gets.  tests/test_valgrind.py
runs it under valgrind memcheck, where a full test file would take minutes.

    python tests/valgrind_workload.py [core|beacon]...

`core` (the default) needs nothing; `beacon` needs a network interface that
can broadcast: the test runs it in a network namespace (tests/netns.py).
Prints "ok <section>" after each section.
"""

import gc
import os
import sys
import tempfile
import threading

import pyczmq
from pyczmq import (Again, Auth, Beacon, Cert, CertStore, ClosedError, Context, Frame, Loop,
                    Message, Poller, ZMQError, zframe, zmq, zmsg, zstr)


def expect(error, call, *args):
    """call(*args) must raise `error`."""
    try:
        call(*args)
    except error:
        return
    raise AssertionError("%r%r did not raise %s" % (call, args, error.__name__))


def pair(ctx, endpoint, kinds=("PAIR", "PAIR")):
    a, b = ctx.socket(kinds[0]), ctx.socket(kinds[1])
    b.bind(endpoint)
    a.connect(endpoint)
    return a, b


def sockets_and_options():
    with Context() as ctx:
        ctx.set_linger(0)
        a, b = pair(ctx, "inproc://vg-options")
        assert a.sndhwm == 1000
        expect(ZMQError, setattr, a, "sndhwm", 10)     # (after connect: libzmq #4524)
        c = ctx.socket("PAIR")
        c.sndhwm = 10
        assert c.sndhwm == 10
        a.identity = b"me"
        assert a.identity == b"me"
        assert a.last_endpoint == "inproc://vg-options"
        # Reads that fail (libzmq has no VMCI) must not convert the unset value.
        for name in ("vmci_connect_timeout", "vmci_buffer_size"):   # int, uint64
            expect(ZMQError, getattr, a, name)
        expect(ZMQError, zmq.getsockopt, a, zmq.VMCI_CONNECT_TIMEOUT)
        expect(ZMQError, setattr, a, "sndhwm", -5)
        expect(TypeError, setattr, a, "identity", 5)
        assert not b.poll(0)
        port = ctx.socket("PULL").bind("tcp://127.0.0.1:*")
        push = ctx.socket("PUSH")
        push.connect("tcp://127.0.0.1:%d" % port)
        push.disconnect("tcp://127.0.0.1:%d" % port)
        ctx.socket("DEALER")                        # closed by the scope
        dropped = ctx.socket("ROUTER")
        del dropped                                 # closed by the collector
        closed = ctx.socket("REQ")
        closed.close()
        expect(ClosedError, closed.send, b"x")
        expect(ValueError, ctx.socket, "NOSUCHTYPE")
    print("ok sockets")


def bytes_text_multipart():
    with Context() as ctx:
        ctx.set_linger(0)
        a, b = pair(ctx, "inproc://vg-bytes")
        for data in (b"", b"x", b"y" * 300, bytes(range(256)) * 1024):
            a.send(data)
            assert b.recv_bytes() == data
        a.send("text é")
        assert b.recv() == "text é"
        buffer = bytearray(8)
        a.send(b"into")
        assert zmq.recv(b, buffer) == 4 and buffer[:4] == b"into"
        a.send_multipart([b"a", "b", memoryview(b"c" * 1000)])
        assert b.recv_multipart() == [b"a", b"b", b"c" * 1000]
        zstr.send(a, "zstr")
        assert zstr.recv(b) == "zstr"
        zstr.sendx(a, "x", "y", "z")
        assert zstr.recvx(b) == ["x", "y", "z"]
        assert zstr.recv_nowait(b) is None
        b.rcvtimeo = 0
        expect(Again, b.recv_bytes)
        expect(Again, b.recv_multipart)
    print("ok bytes")


def frames_and_messages():
    with Context() as ctx:
        ctx.set_linger(0)
        a, b = pair(ctx, "inproc://vg-frames")
        frame = Frame(b"payload")
        view = memoryview(frame)
        a.send_frame(frame, Frame.REUSE | Frame.MORE)
        a.send_frame(frame)
        expect(ClosedError, frame.bytes)
        assert bytes(view) == b"payload"
        view.release()
        first = b.recv_frame()
        assert first.more() == 1 and b.recv_frame().bytes() == b"payload"
        big = Frame(b"z" * 100000)
        copy = big.dup()
        copy.reset(b"reset")
        assert copy.strdup() == "reset" and copy.strhex() == "7265736574"
        assert big.size() == 100000 and big.eq(Frame(b"z" * 100000))
        with memoryview(big) as held:
            expect(BufferError, big.reset, b"no")
            assert held[0] == ord("z")
        zframe.send(zframe.new(b"f"), a, 0)
        assert zframe.recv(b).bytes() == b"f"

        msg = Message(b"envelope", b"", "body")
        msg.append(Frame(b"tail"))
        msg.push(b"head")
        msg.addstr("str")
        msg.pushstr("pre")
        borrowed = msg.first()
        assert borrowed.bytes() == b"pre" and msg.next().bytes() == b"head"
        assert msg.last().bytes() == b"str"
        assert msg.popstr() == "pre"
        popped = msg.pop()
        assert popped.bytes() == b"head"
        msg.wrap(Frame(b"address"))
        assert msg.unwrap().bytes() == b"address"
        duplicate = msg.dup()
        assert duplicate.tolist() == msg.tolist()
        removed = duplicate.first()
        duplicate.remove(removed)
        assert removed.bytes() == b"envelope"
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "msg")
            msg.save(path)
            assert Message().load(path).tolist() == msg.tolist()
            with open(path, "wb") as out:
                out.write(b"\x05ab")                        # corrupt
            expect(ValueError, Message().load, path)
        parts = msg.tolist()
        a.send_msg(msg)
        expect(ClosedError, msg.size)
        assert b.recv_msg().tolist() == parts
        functional = zmsg.new()
        zmsg.addstr(functional, "functional")
        zmsg.send(functional, a)
        assert zmsg.popstr(zmsg.recv(b)) == "functional"
        unsent = Message(b"never sent", Frame(b"x" * 5000))
        del unsent, duplicate, borrowed
    print("ok frames")


def raw_libzmq():
    own = zmq.ctx_new()
    a, b = zmq.socket(own, zmq.PAIR), zmq.socket(own, zmq.PAIR)
    zmq.setsockopt(a, zmq.LINGER, 0)
    zmq.setsockopt(b, zmq.LINGER, 0)
    zmq.bind(b, "inproc://vg-raw")
    zmq.connect(a, "inproc://vg-raw")
    msg = zmq.msg_init_data(None, b"raw message")
    assert zmq.msg_send(msg, a) == 11
    received = zmq.msg_init()
    assert zmq.msg_recv(received, b) == 11 and received.bytes() == b"raw message"
    copy = zmq.msg_init()
    zmq.msg_copy(copy, received)
    moved = zmq.msg_init_size(None, 3)
    zmq.msg_move(moved, copy)
    assert bytes(zmq.msg_data(moved)) == b"raw message"
    with memoryview(received) as view:
        expect(BufferError, zmq.msg_close, received)
        assert view[0] == ord("r")
    zmq.msg_close(received)
    zmq.send(a, b"zmq.send", 3)
    assert zmq.recv(b) == b"zmq"
    read_end, write_end = os.pipe()
    items = [zmq.pollitem(socket=b, events=zmq.POLLIN), zmq.pollitem(fd=read_end,
                                                                        events=zmq.POLLIN)]
    os.write(write_end, b"x")
    zmq.send(a, b"poll")
    assert zmq.poll(items, 1000) == 2
    os.close(read_end)
    os.close(write_end)
    zmq.recv(b)
    assert zmq.z85_decode(zmq.z85_encode(b"12345678")) == b"12345678"
    public, secret = zmq.curve_keypair()
    assert len(public) == 40 and len(secret) == 40
    monitor = zmq.socket(own, zmq.PAIR)
    zmq.setsockopt(monitor, zmq.LINGER, 0)
    zmq.socket_monitor(a, "inproc://vg-monitor", zmq.EVENT_ALL)
    zmq.connect(monitor, "inproc://vg-monitor")
    zmq.bind(a, "tcp://127.0.0.1:*")
    zmq.setsockopt(monitor, zmq.RCVTIMEO, 5000)
    events = [zmq.recv_monitor_event(monitor)[0]]
    while events[-1] != zmq.EVENT_LISTENING:        # (libzmq may report a CLOSED first)
        events.append(zmq.recv_monitor_event(monitor)[0])
    zmq.socket_monitor(a, None)
    for sock in (a, b, monitor):
        zmq.close(sock)
    zmq.ctx_term(own)
    expect(ClosedError, zmq.socket, own, zmq.PAIR)

    blocked = zmq.ctx_new()                         # a receive ended by ctx_term
    sock = zmq.socket(blocked, zmq.PULL)
    outcome = []

    def receive():
        try:
            zmq.recv(sock)
        except pyczmq.ContextTerminated:
            outcome.append("terminated")
        zmq.close(sock)

    thread = threading.Thread(target=receive)
    thread.start()
    zmq.ctx_term(blocked)
    thread.join()
    assert outcome == ["terminated"]
    print("ok raw")


def loops_and_pollers():
    with Context() as ctx, Loop() as loop:
        ctx.set_linger(0)
        a, b = pair(ctx, "inproc://vg-loop", ("PUSH", "PULL"))
        got, ticks = [], []

        def on_message(loop, sock, arg):
            got.append(sock.recv())
            return -1 if len(got) == 3 else 0

        def on_timer(loop, timer_id, arg):
            ticks.append(timer_id)
            a.send("tick")

        def on_ticket(loop, timer_id, arg):
            ticks.append("ticket")

        def on_fd(loop, item, arg):
            os.read(item.fd, 1)
            loop.poller_end(item)

        loop.reader(b, on_message)
        loop.timer(5, 3, on_timer)
        ended = loop.timer(5, 0, on_timer)
        loop.timer_end(ended)
        loop.set_ticket_delay(10)
        loop.ticket(on_ticket)
        loop.ticket(on_ticket).delete()
        read_end, write_end = os.pipe()
        loop.poller(zmq.pollitem(fd=read_end, events=zmq.POLLIN), on_fd)
        os.write(write_end, b"x")
        assert loop.start() == -1 and got == ["tick"] * 3
        loop.reader_end(b)
        os.close(read_end)
        os.close(write_end)

        def failing(loop, timer_id, arg):
            raise KeyError("from a handler")

        loop.timer(1, 1, failing)
        expect(KeyError, loop.start)

        poller = Poller(b)
        assert poller.wait(0) is None and poller.expired()
        a.send("x")
        assert poller.wait(1000) is b and b.recv() == "x"
        poller.remove(b)
        poller.destroy()
    print("ok loop")


def certificates_and_auth():
    with tempfile.TemporaryDirectory() as folder, Context() as ctx:
        ctx.set_linger(0)
        server_cert, client_cert = Cert(), Cert()
        client_cert.set_meta("name", "client")
        assert client_cert.meta("name") == "client" and client_cert.meta_keys() == ["name"]
        client_cert.save(os.path.join(folder, "client"))
        loaded = Cert.load(os.path.join(folder, "client_secret"))
        assert loaded.public_txt == client_cert.public_txt and loaded.has_secret
        client_cert.save_public(os.path.join(folder, "public-only"))
        public_only = Cert.load(os.path.join(folder, "public-only"))
        expect(ValueError, public_only.apply, ctx.socket("PAIR"))
        os.unlink(os.path.join(folder, "public-only"))
        again = Cert.new_from(client_cert.public_key, client_cert.secret_key)
        assert again.public_txt == client_cert.public_txt
        store = CertStore(folder)
        assert store.lookup(client_cert.public_txt) is not None
        memory = CertStore()
        memory.insert(Cert())
        assert len(memory.keys()) == 1
        memory.destroy()

        with Auth() as auth:
            auth.configure_curve("*", folder)
            server = ctx.socket("PULL")
            server_cert.apply(server)
            server.curve_server = 1
            port = server.bind("tcp://127.0.0.1:*")
            client = ctx.socket("PUSH")
            client_cert.apply(client)
            client.curve_serverkey = server_cert.public_txt
            client.connect("tcp://127.0.0.1:%d" % port)
            client.send(b"through curve")
            server.rcvtimeo = 10000
            assert server.recv_bytes() == b"through curve"
            auth.allow("127.0.0.1")
            auth.deny("10.0.0.1")
        store.destroy()
    print("ok auth")


def garbage():
    """Reference cycles through sockets, frames and loops, freed by the collector."""
    ctx = Context()
    for _ in range(3):
        sock = ctx.socket("PAIR")
        frame = Frame(b"cycle")
        holder = [sock, frame]
        holder.append(holder)
        loop = Loop()
        loop.timer(1, 1, lambda loop, timer_id, arg: holder)
        del sock, frame, holder, loop
        gc.collect()
    ctx.destroy()
    print("ok garbage")


def beacons():
    with Beacon(9999) as sender, Beacon(9999) as receiver:
        assert sender.hostname
        receiver.subscribe(b"vg")
        sender.publish(b"vg beacon", interval=50)
        found = receiver.recv(timeout=5000)
        assert found is not None and found[1] == b"vg beacon", found
        sender.silence()
        receiver.unsubscribe()
        expect(ValueError, sender.publish, b"x" * 256)
    dropped = Beacon(9999)
    dropped.publish(b"dropped")
    del dropped
    print("ok beacon")


SECTIONS = {
    "core": [sockets_and_options, bytes_text_multipart, frames_and_messages, raw_libzmq,
             loops_and_pollers, certificates_and_auth, garbage],
    "beacon": [beacons],
}


if __name__ == "__main__":
    for name in sys.argv[1:] or ["core"]:
        for section in SECTIONS[name]:
            section()
