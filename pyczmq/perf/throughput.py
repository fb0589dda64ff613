"""PUSH/PULL throughput of pyczmq over inproc, ipc and tcp loopback."""

import argparse
import os
import tempfile
import threading
import time

import pyczmq


def _receive(ctx, endpoint, count, ready, result):
    with ctx.socket("PULL") as pull:
        port = pull.bind(endpoint)
        result.append(pull.last_endpoint if port else endpoint)
        ready.set()
        pull.recv_bytes()                       # warm-up message
        start = time.perf_counter()
        recv = pull.recv_bytes
        for _ in range(count):
            recv()
        result.append(time.perf_counter() - start)


def measure(transport, size, count):
    """Messages per second for `count` messages of `size` bytes."""
    endpoint = {"inproc": "inproc://perf-throughput",
                "ipc": "ipc://%s/pyczmq-perf-%d" % (tempfile.gettempdir(), os.getpid()),
                "tcp": "tcp://127.0.0.1:*"}[transport]
    with pyczmq.Context() as ctx:
        ctx.set_sndhwm(100000)
        ctx.set_rcvhwm(100000)
        ready, result = threading.Event(), []
        receiver = threading.Thread(target=_receive, args=(ctx, endpoint, count, ready, result))
        receiver.start()
        ready.wait()
        with ctx.socket("PUSH") as push:
            push.connect(result.pop())
            payload = b"x" * size
            push.send(payload)                  # warm-up message
            send = push.send
            for _ in range(count):
                send(payload)
            receiver.join()
    return count / result[0]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m pyczmq.perf", description=__doc__)
    parser.add_argument("--count", type=int, default=200000, help="messages per run")
    parser.add_argument("--size", type=int, default=64, help="message size in bytes")
    args = parser.parse_args(argv)
    print("pyczmq %s, CZMQ %s, libzmq %s" % (pyczmq.__version__,
          ".".join(map(str, pyczmq.czmq_version())), ".".join(map(str, pyczmq.zmq_version()))))
    print("%-8s %8s %14s %10s" % ("PUSH/PULL", "size", "messages/s", "MB/s"))
    for transport in ("inproc", "ipc", "tcp"):
        rate = measure(transport, args.size, args.count)
        print("%-8s %8d %14.0f %10.1f" % (transport, args.size, rate, rate * args.size / 1e6))
