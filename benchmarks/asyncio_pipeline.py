"""PUSH/PULL as two tasks of one event loop: pyczmq.asyncio next to zmq.asyncio.

    python benchmarks/asyncio_pipeline.py [COUNT]

A first measurement for issue 12 (to move into ``python -m pyczmq.perf`` as
an asyncio column): 64 B single parts and 2-part messages, tcp (loopback)
and inproc, messages per second and the ratio.
"""

import asyncio
import sys
import time

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
PAYLOAD = b"x" * 64


async def _run(send, recv):
    started = time.perf_counter()
    await asyncio.gather(send(), recv())
    return COUNT / (time.perf_counter() - started)


async def pyczmq_pipeline(transport, parts):
    import pyczmq.asyncio
    async with pyczmq.asyncio.Context() as ctx:
        push, pull = ctx.socket("PUSH"), ctx.socket("PULL")
        pull.bind("inproc://bench" if transport == "inproc" else "tcp://127.0.0.1:*")
        push.connect(pull.last_endpoint)
        message = [PAYLOAD] * parts

        async def send():
            for _ in range(COUNT):
                if parts == 1:
                    await push.send(PAYLOAD)
                else:
                    await push.send_multipart(message)

        async def recv():
            for _ in range(COUNT):
                if parts == 1:
                    await pull.recv_bytes()
                else:
                    await pull.recv_multipart()

        return await _run(send, recv)


async def pyzmq_pipeline(transport, parts):
    import zmq
    import zmq.asyncio
    ctx = zmq.asyncio.Context()
    push, pull = ctx.socket(zmq.PUSH), ctx.socket(zmq.PULL)
    if transport == "inproc":
        pull.bind("inproc://bench")
        push.connect("inproc://bench")
    else:
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push.connect("tcp://127.0.0.1:%d" % port)
    message = [PAYLOAD] * parts

    async def send():
        for _ in range(COUNT):
            if parts == 1:
                await push.send(PAYLOAD)
            else:
                await push.send_multipart(message)

    async def recv():
        for _ in range(COUNT):
            if parts == 1:
                await pull.recv()
            else:
                await pull.recv_multipart()

    try:
        return await _run(send, recv)
    finally:
        push.close(0)
        pull.close(0)
        ctx.term()


def main():
    print("transport  parts  pyczmq.asyncio  zmq.asyncio  ratio")
    for transport in ("tcp", "inproc"):
        for parts in (1, 2):
            ours = asyncio.run(pyczmq_pipeline(transport, parts))
            theirs = asyncio.run(pyzmq_pipeline(transport, parts))
            print("%-9s  %5d  %14.0f  %11.0f  %4.1fx" % (transport, parts, ours, theirs,
                                                           ours / theirs))


if __name__ == "__main__":
    main()
