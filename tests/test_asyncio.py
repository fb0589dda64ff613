"""pyczmq.asyncio: awaitable sockets that never miss a wake-up (issue 12, first part)."""

import asyncio
import gc
import random
import threading

import pytest

import pyczmq
import pyczmq.asyncio as zaio
from test_beacon import PORTS, peers, publisher, run_in  # noqa: F401 (peers: a fixture)


@pytest.fixture(autouse=True)
def nothing_left_unretrieved(caplog):
    """asyncio logs (not warns) a future whose exception nobody retrieved and
    a task destroyed while pending, when they are collected: fail on those."""
    yield
    gc.collect()
    records = caplog.get_records("call") + caplog.records    # (records: the teardown's)
    bad = [record.getMessage() for record in records
           if record.name == "asyncio" and ("never retrieved" in record.getMessage()
                                             or "destroyed but it is pending" in record.getMessage())]
    assert bad == []


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_fileno_is_the_sockets_zmq_fd(ctx):
    sock = ctx.socket("PULL")
    assert sock.fileno() == sock.fd and sock.fileno() >= 0


def test_a_round_trip_of_every_kind():
    async def main():
        with zaio.Context() as ctx:
            a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
            a.bind("inproc://aio-kinds")
            b.connect("inproc://aio-kinds")
            receiving = asyncio.ensure_future(b.recv_bytes())
            await asyncio.sleep(0)
            await a.send(b"one")
            assert await receiving == b"one"
            await a.send("two")
            assert await b.recv() == "two"
            await a.send_multipart([b"x", b"y"])
            assert await b.recv_multipart() == [b"x", b"y"]
            await a.send_frame(pyczmq.Frame(b"f"))
            assert (await b.recv_frame()).bytes() == b"f"
            await a.send_msg(pyczmq.Message(b"m", b"n"))
            assert (await b.recv_msg()).tolist() == [b"m", b"n"]
            assert await b.poll(10) is False
            await a.send(b"p")
            assert await b.poll(1000) is True
            assert await b.recv_bytes() == b"p"
    run(main())


def test_four_producer_threads_into_one_awaiting_task():
    async def main():
        with zaio.Context() as ctx:
            pull = ctx.socket("PULL")
            pull.bind("inproc://aio-producers")

            def produce():
                push = ctx.context.socket("PUSH")
                push.connect("inproc://aio-producers")
                for number in range(50000):
                    push.send(b"%d" % number)
                push.close(linger=-1)           # (linger -1: nothing dropped in flight)

            threads = [threading.Thread(target=produce) for _ in range(4)]
            for thread in threads:
                thread.start()
            for _ in range(200000):
                await asyncio.wait_for(pull.recv_bytes(), 5)
            for thread in threads:
                thread.join()
            assert not pull.socket.poll(0)      # exactly 200,000
    run(main())


def test_cancelled_receives_lose_nothing():
    async def main():
        with zaio.Context() as ctx:
            pull, push = ctx.socket("PULL"), ctx.socket("PUSH")
            pull.bind("inproc://aio-cancel")
            push.connect("inproc://aio-cancel")
            sent, received = [], []
            rng = random.Random(7)
            for number in range(10000):
                task = asyncio.ensure_future(pull.recv_bytes())
                if rng.random() < 0.5:
                    push.socket.send(b"%d" % number)
                    sent.append(b"%d" % number)
                for _ in range(rng.randrange(3)):
                    await asyncio.sleep(0)
                task.cancel()
                try:
                    received.append(await task)
                except asyncio.CancelledError:
                    pass
            while True:
                try:
                    received.append(await asyncio.wait_for(pull.recv_bytes(), 0.2))
                except asyncio.TimeoutError:
                    break
            assert received == sent
    run(main())


def test_several_waiters_get_one_message_each_in_order():
    async def main():
        with zaio.Context() as ctx:
            pull, push = ctx.socket("PULL"), ctx.socket("PUSH")
            pull.bind("inproc://aio-waiters")
            push.connect("inproc://aio-waiters")
            tasks = [asyncio.ensure_future(pull.recv_bytes()) for _ in range(5)]
            await asyncio.sleep(0)
            for number in range(5):
                await push.send(b"%d" % number)
            assert await asyncio.gather(*tasks) == [b"0", b"1", b"2", b"3", b"4"]
    run(main())


def test_close_and_destroy_wake_every_waiter():
    async def main():
        ctx = zaio.Context()
        a, b = ctx.socket("PULL"), ctx.socket("PULL")
        a.bind("inproc://aio-close-a")
        b.bind("inproc://aio-close-b")
        on_a = [asyncio.ensure_future(a.recv_bytes()) for _ in range(3)]
        on_b = [asyncio.ensure_future(b.recv_multipart()) for _ in range(3)]
        await asyncio.sleep(0)
        a.close()
        for task in on_a:
            with pytest.raises(pyczmq.ClosedError):
                await task
        ctx.destroy()
        for task in on_b:
            with pytest.raises(pyczmq.ContextTerminated):
                await task
    run(main())


@pytest.mark.parametrize("loop_kind", ["asyncio", "uvloop"])
def test_destroy_from_another_thread_wakes_every_waiter(loop_kind):
    # The other thread's destroy() closes the sockets (their descriptors
    # never become readable): the loop learns it from destroyed_fileno().
    async def main():
        ctx = zaio.Context()
        pull, rep = ctx.socket("PULL"), ctx.socket("REP")
        pull.bind("inproc://aio-thread-destroy")
        rep.bind("tcp://127.0.0.1:*")
        waiting = [asyncio.ensure_future(pull.recv_bytes()) for _ in range(3)]
        waiting += [asyncio.ensure_future(rep.recv_multipart()), asyncio.ensure_future(rep.poll())]
        await asyncio.sleep(0.01)
        destroyer = threading.Thread(target=ctx.destroy)
        destroyer.start()
        for task in waiting:
            with pytest.raises(pyczmq.ContextTerminated):
                await asyncio.wait_for(task, 10)
        destroyer.join()
        # the loop goes on: a new Context's sockets work (no stale registration)
        with zaio.Context() as again:
            pull, push = again.socket("PULL"), again.socket("PUSH")
            pull.bind("inproc://aio-after-destroy")
            push.connect("inproc://aio-after-destroy")
            receiving = asyncio.ensure_future(pull.recv_bytes())
            await asyncio.sleep(0.01)
            await push.send(b"still here")
            assert await asyncio.wait_for(receiving, 10) == b"still here"
    if loop_kind == "uvloop":
        import uvloop                       # in the test extra: never skipped
        uvloop.run(asyncio.wait_for(main(), 60))
    else:
        run(main())


def test_router_dealer_with_replies_from_other_tasks():
    # pyzmq #1203's shape: requests come in while replies go out from other
    # tasks on the same socket; the edge-triggered FD must not stall either.
    async def main():
        with zaio.Context() as ctx:
            router, dealer = ctx.socket("ROUTER"), ctx.socket("DEALER")
            router.bind("inproc://aio-router")
            dealer.connect("inproc://aio-router")
            count = 5000

            async def reply(envelope):
                await asyncio.sleep(0)
                await router.send_multipart(envelope[:-1] + [b"re:" + envelope[-1]])

            async def serve():
                pending = []
                for _ in range(count):
                    envelope = await asyncio.wait_for(router.recv_multipart(), 5)
                    pending.append(asyncio.ensure_future(reply(envelope)))
                await asyncio.gather(*pending)

            async def ask():
                for number in range(count):
                    await dealer.send(b"%d" % number)

            async def collect():
                return [await asyncio.wait_for(dealer.recv_bytes(), 5) for _ in range(count)]

            answers = (await asyncio.gather(serve(), ask(), collect()))[2]
            assert sorted(answers) == sorted(b"re:%d" % number for number in range(count))
    run(main())


def test_a_cancelled_multipart_send_sends_all_parts_or_none():
    async def main():
        with zaio.Context() as ctx:
            push = ctx.socket("PUSH")
            push.sndhwm = 1
            push.bind("inproc://aio-mp-cancel")
            pull = ctx.socket("PULL")
            pull.rcvhwm = 1
            pull.connect("inproc://aio-mp-cancel")
            sent = 0
            for number in range(200):
                task = asyncio.ensure_future(push.send_multipart([b"%d" % number, b"a", b"b"]))
                await asyncio.sleep(0)
                task.cancel()
                try:
                    await task
                    sent += 1
                except asyncio.CancelledError:
                    pass
                if number % 3 == 0:
                    message = pull.socket.recv_multipart_nowait()
                    if message is not None:
                        assert message[1:] == [b"a", b"b"]
            received = 0
            while pull.socket.poll(100):
                message = pull.socket.recv_multipart()
                assert message[1:] == [b"a", b"b"]
                received += 1
            # every message sent arrived whole; the cancelled ones not at all
            assert received <= sent
    run(main())


def test_cancelled_polls_leave_nothing_behind():
    async def main():
        with zaio.Context() as ctx:
            pull = ctx.socket("PULL")
            pull.bind("inproc://aio-polls")
            for _ in range(100000):
                task = asyncio.ensure_future(pull.poll(-1))
                await asyncio.sleep(0)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            await asyncio.sleep(0)
            pull._serve()
            assert len(pull._readers) == 0
            assert len(asyncio.all_tasks()) <= 2     # this one and run()'s wait_for
            loop = asyncio.get_running_loop()
            if isinstance(loop, asyncio.BaseEventLoop):     # nothing scheduled or ready
                assert len(loop._ready) <= 1 and len(loop._scheduled) <= 1   # run()'s timeout
    run(main())


def test_works_on_uvloop():
    import uvloop                           # in the test extra: never skipped

    async def main():
        with zaio.Context() as ctx:
            pull, push = ctx.socket("PULL"), ctx.socket("PUSH")
            pull.bind("tcp://127.0.0.1:*")
            push.connect(pull.last_endpoint)

            async def send():
                for number in range(20000):
                    await push.send(b"%d" % number)

            async def receive():
                return [await asyncio.wait_for(pull.recv_bytes(), 5) for _ in range(20000)]

            got = (await asyncio.gather(send(), receive()))[1]
            assert got == [b"%d" % number for number in range(20000)]
    uvloop.run(main())


def test_ctrl_c_while_awaiting_raises_keyboard_interrupt():
    from conftest import signal_child
    import signal
    code, out, err = signal_child("""
        import asyncio, pyczmq.asyncio as zaio
        async def main():
            with zaio.Context() as ctx:
                pull = ctx.socket("PULL")
                pull.bind("inproc://ctrl-c")
                print("ready", flush=True)
                await pull.recv_bytes()
        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            print("interrupted")
    """, signal.SIGINT, settle=0.2)
    assert (code, out, err) == (0, "interrupted\n", "")


def test_an_awaitable_poller_returns_the_first_ready_socket():
    async def main():
        with zaio.Context() as ctx:
            a, b = ctx.socket("PULL"), ctx.socket("PULL")
            a.bind("inproc://aio-poller-a")
            b.bind("inproc://aio-poller-b")
            push = ctx.socket("PUSH")
            push.connect("inproc://aio-poller-b")
            poller = zaio.Poller(a, b)
            assert await poller.wait(20) is None
            waiting = asyncio.ensure_future(poller.wait(5000))
            await asyncio.sleep(0.01)
            await push.send(b"to b")
            assert await waiting is b
            assert await b.recv_bytes() == b"to b"
            assert not a._readers and not b._readers
    run(main())


def test_auth_commands_are_awaitable_and_take_effect():
    async def main():
        async with zaio.Context() as ctx:
            async with zaio.Auth(ctx) as auth:
                await auth.deny("127.0.0.1")
                server, client = ctx.socket("PULL"), ctx.socket("PUSH")
                server.zap_domain = "global"
                port = server.bind("tcp://127.0.0.1:*")
                client.connect("tcp://127.0.0.1:%d" % port)
                try:
                    client.socket.send(b"denied", pyczmq.zmq.DONTWAIT)
                except pyczmq.Again:
                    pass    # under load the I/O thread can finish the handshake and its
                            # denial first: the connection and its queue are gone
                assert await server.poll(300) is False
                await auth.allow("127.0.0.1")
                other = ctx.socket("PUSH")
                other.connect("tcp://127.0.0.1:%d" % port)
                await other.send(b"allowed")
                assert await asyncio.wait_for(server.recv_bytes(), 5) == b"allowed"
    run(main())


def test_beacon_recv_is_awaitable(three_hosts, peers):  # noqa: F811 (the fixture)
    sender_host, receiver_host, _ = three_hosts
    port = next(PORTS)
    sender = publisher(peers, sender_host, port, b"async me")
    sender.expect("PUBLISHING")
    out = run_in(receiver_host, '''
        import asyncio
        import pyczmq.asyncio as zaio

        async def main():
            async with zaio.Beacon(%d) as beacon:
                beacon.subscribe()
                ticks = 0

                async def tick():           # the loop keeps running while recv() waits
                    nonlocal ticks
                    while True:
                        ticks += 1
                        await asyncio.sleep(0.001)

                ticking = asyncio.ensure_future(tick())
                say("GOT", repr(await beacon.recv(timeout=10000)))
                say("TICKED", ticks > 0)
                ticking.cancel()
                beacon.unsubscribe()
                silent = zaio.Beacon(%d)
                say("NONE", repr(await silent.recv(timeout=50)))
                silent.destroy()

        asyncio.run(main())
    ''' % (port, port))
    sender.stop()
    lines = out.splitlines()
    assert lines[0] == "GOT (%r, b'async me')" % sender_host.address
    assert lines[1:] == ["TICKED True", "NONE None"]


def test_a_message_taken_for_a_cancelled_task_goes_to_the_next_waiter():
    # Served, then cancelled before it ran: the message must not be kept
    # aside while another task waits (that task would stall), and the
    # messages still arrive in order.
    async def main():
        with zaio.Context() as ctx:
            pull, push = ctx.socket("PULL"), ctx.socket("PUSH")
            pull.bind("inproc://aio-give-back")
            push.connect("inproc://aio-give-back")
            for kinds in (("bytes", "bytes"), ("multipart", "bytes"), ("bytes", "multipart"),
                          ("text", "frame"), ("msg", "multipart")):
                receive = {"bytes": pull.recv_bytes, "multipart": pull.recv_multipart,
                           "text": pull.recv, "frame": pull.recv_frame, "msg": pull.recv_msg}
                first = asyncio.ensure_future(receive[kinds[0]]())
                second = asyncio.ensure_future(receive[kinds[1]]())
                await asyncio.sleep(0)                  # both wait
                assert len(pull._readers) == 2
                sent = [b"one", b"1"] if kinds[0] in ("multipart", "msg") else [b"one"]
                push.socket.send_multipart(sent)
                pull._serve()                           # first is given the message...
                assert len(pull._readers) == 1 and pull._readers[0][0] is not first
                first.cancel()                          # ...and cancelled before it ran
                with pytest.raises(asyncio.CancelledError):
                    await first
                got = await asyncio.wait_for(second, 5)
                if kinds[1] == "frame":
                    assert got.bytes() == b"one"
                elif kinds[1] == "text":
                    assert got == "one"
                elif kinds[1] == "bytes":
                    assert got == b"one"
                else:
                    assert (got if kinds[1] == "multipart" else got.tolist()) == sent
                if kinds[1] not in ("multipart", "msg") and len(sent) > 1:
                    assert await asyncio.wait_for(pull.recv_bytes(), 5) == b"1"
                push.socket.send(b"two")
                assert await asyncio.wait_for(pull.recv_bytes(), 5) == b"two"
                assert not pull._returned and not pull._readers
    run(main())
