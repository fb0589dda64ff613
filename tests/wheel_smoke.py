"""The installed wheel's smoke test, run by tests/test_wheel.py in a fresh
venv (where the system's libczmq and libzmq may be hidden): a Context, a tcp
and an inproc round trip, a CURVE handshake checked by Auth.  With the
argument ``pyzmq``, a pyzmq peer (its own libzmq) exchanges messages with
pyczmq over tcp.  Prints the libzmq/libczmq files the process mapped, one
``mapped <path>`` line each, then ``ok``."""

import sys
import tempfile

import pyczmq
from pyczmq import Auth, Cert, Context, Poller


def round_trips(ctx):
    pull, push = ctx.socket("PULL"), ctx.socket("PUSH")
    port = pull.bind("tcp://127.0.0.1:*")
    push.connect("tcp://127.0.0.1:%d" % port)
    push.send("over tcp")
    assert pull.recv() == "over tcp"
    a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
    a.bind("inproc://wheel-smoke")
    b.connect("inproc://wheel-smoke")
    a.send_multipart([b"in", b"proc"])
    assert b.recv_multipart() == [b"in", b"proc"]


def curve(ctx):
    server_cert, client_cert = Cert(), Cert()
    with tempfile.TemporaryDirectory() as keys, Auth(ctx) as auth:
        client_cert.save_public(keys + "/client.key")
        auth.configure_curve("*", keys)
        server = ctx.socket("REP")
        server_cert.apply(server)
        server.curve_server = 1
        port = server.bind("tcp://127.0.0.1:*")
        client = ctx.socket("REQ")
        client_cert.apply(client)
        client.curve_serverkey = server_cert.public_txt
        client.connect("tcp://127.0.0.1:%d" % port)
        client.send("ping")
        assert server.recv() == "ping"
        server.send("pong")
        assert client.recv() == "pong"
        stranger = ctx.socket("REQ")
        Cert().apply(stranger)
        stranger.curve_serverkey = server_cert.public_txt
        stranger.connect("tcp://127.0.0.1:%d" % port)
        stranger.send("let me in")
        assert Poller(server).wait(300) is None          # refused by Auth


def with_pyzmq(ctx):
    import zmq
    zctx = zmq.Context()
    try:
        theirs = zctx.socket(zmq.PAIR)
        theirs.linger = 0
        ours = ctx.socket("PAIR")
        port = ours.bind("tcp://127.0.0.1:*")
        theirs.connect("tcp://127.0.0.1:%d" % port)
        theirs.send_multipart([b"from", b"pyzmq %s" % zmq.zmq_version().encode()])
        assert ours.recv_multipart()[0] == b"from"
        ours.send_multipart([b"from", b"pyczmq"])
        assert theirs.recv_multipart() == [b"from", b"pyczmq"]
        print("pyzmq libzmq %s, pyczmq libzmq %s" % (zmq.zmq_version(), pyczmq.zmq_version()))
        theirs.close()
    finally:
        zctx.term()


def main():
    with Context() as ctx:
        round_trips(ctx)
        curve(ctx)
        if "pyzmq" in sys.argv[1:]:
            with_pyzmq(ctx)
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps
                        if "libzmq" in line or "libczmq" in line})
    for path in paths:
        print("mapped", path)
    print("ok")


if __name__ == "__main__":
    main()
