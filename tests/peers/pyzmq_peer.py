"""A ZeroMQ peer over pyzmq, driven line by line on stdin by tests/test_interop.py:
the protocol of tests/peers/czmq_peer.c (read its header), plus a socket type
RAW, a plain TCP socket for STREAM's peers:

    socket RAW          bind tcp://127.0.0.1:* listens, connect connects; the
                        first send or recv after a bind accepts one connection
    send FRAME...       sends the frames' bytes back to back
    recvn N             -> ok FRAME: exactly N bytes | err eof | err again
    recveof [MS]        -> ok eof once the other end has closed | ok open if it has
                        not within MS (default 10 s) | err data

usage: python pyzmq_peer.py OUTDIR
"""

import os
import socket
import sys

import zmq

TIMEOUT = 10.0                  # seconds, as the C peer's rcvtimeo and sndtimeo


def reply(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def frame_from_token(token):
    if token.startswith("x"):
        return bytes.fromhex(token[1:])
    if token.startswith("@"):
        with open(token[1:], "rb") as file:
            return file.read()
    raise ValueError("bad frame token %r" % token)


class Tokens:
    def __init__(self, outdir):
        self.outdir = outdir
        self.files = 0

    def __call__(self, frame):
        if len(frame) <= 4096:
            return "x" + frame.hex()
        self.files += 1
        path = os.path.join(self.outdir, "r%d" % self.files)
        with open(path, "wb") as file:
            file.write(frame)
        return "@" + path


class Raw:
    """A plain TCP socket with the peer's commands."""

    def __init__(self):
        self.listener = self.conn = None

    def bind(self, endpoint):
        host, port = endpoint[len("tcp://"):].rsplit(":", 1)
        self.listener = socket.create_server((host, 0 if port == "*" else int(port)))
        return "tcp://%s:%d" % self.listener.getsockname()[:2]

    def connect(self, endpoint):
        host, port = endpoint[len("tcp://"):].rsplit(":", 1)
        self.conn = socket.create_connection((host, int(port)), timeout=TIMEOUT)

    def connection(self):
        if self.conn is None:
            self.listener.settimeout(TIMEOUT)
            self.conn, _ = self.listener.accept()
        self.conn.settimeout(TIMEOUT)
        return self.conn

    def send(self, frames):
        self.connection().sendall(b"".join(frames))

    def recvn(self, size):
        conn, data = self.connection(), bytearray()
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def recveof(self, timeout):
        conn = self.connection()
        conn.settimeout(timeout)
        try:
            return conn.recv(1) == b""
        except (socket.timeout, TimeoutError):
            return None

    def close(self):
        for sock in (self.conn, self.listener):
            if sock is not None:
                sock.close()


def main(outdir):
    token = Tokens(outdir)
    context = zmq.Context()
    sock = None
    for line in sys.stdin:
        command, _, rest = line.rstrip("\n").partition(" ")
        try:
            if command == "socket":
                if rest == "RAW":
                    sock = Raw()
                else:
                    sock = context.socket(getattr(zmq, rest))
                    sock.rcvtimeo = sock.sndtimeo = int(TIMEOUT * 1000)
                    sock.linger = 0
                reply("ok")
            elif command == "quit":
                if sock is not None:
                    sock.close()
                reply("ok")
                break
            elif command == "bind":
                if isinstance(sock, Raw):
                    reply("ok " + sock.bind(rest))
                else:
                    sock.bind(rest)
                    reply("ok " + sock.last_endpoint.decode())
            elif command == "connect":
                sock.connect(rest)
                reply("ok")
            elif command == "send":
                frames = [frame_from_token(t) for t in rest.split(" ")]
                if isinstance(sock, Raw):
                    sock.send(frames)
                else:
                    sock.send_multipart(frames, copy=len(frames[-1]) < 65536)
                reply("ok")
            elif command == "recv":
                frames = sock.recv_multipart()
                reply(" ".join(["ok"] + [token(frame) for frame in frames]))
            elif command == "recvn":
                reply("ok " + token(sock.recvn(int(rest))))
            elif command == "recveof":
                closed = sock.recveof(int(rest) / 1000 if rest else TIMEOUT)
                reply("err data" if closed is False else "ok eof" if closed else "ok open")
            elif command == "opt":
                name, _, value = rest.partition(" ")
                option = getattr(zmq, name.upper())
                if name.startswith("curve_") and name != "curve_server":
                    sock.setsockopt(option, value.encode("ascii"))
                elif value[:1] in ("x", "@"):
                    sock.setsockopt(option, frame_from_token(value))
                else:
                    sock.setsockopt(option, int(value))
                reply("ok")
            elif command == "get" and rest == "mechanism":
                reply("ok " + {zmq.NULL: "NULL", zmq.PLAIN: "PLAIN",
                               zmq.CURVE: "CURVE"}[sock.mechanism])
            elif command == "curve":
                role, _, server_key = rest.partition(" ")
                public, secret = zmq.curve_keypair()
                sock.curve_publickey, sock.curve_secretkey = public, secret
                if role == "server":
                    sock.curve_server = 1
                else:
                    sock.curve_serverkey = server_key.encode("ascii")
                reply("ok " + public.decode("ascii"))
            else:
                reply("err unknown command")
        except zmq.Again:
            reply("err again")
        except zmq.ZMQError as error:
            reply("err hostunreach" if error.errno == zmq.EHOSTUNREACH else "err %d" % error.errno)
        except (socket.timeout, TimeoutError):
            reply("err again")
        except EOFError:
            reply("err eof")
    context.destroy(linger=0)


if __name__ == "__main__":
    main(sys.argv[1])
