"""Loop (CZMQ's zloop reactor), Ticket and pyczmq 0.1's pyczmq.zloop functions.

Every loop in these tests has a way to stop (a handler returning -1), and
timers that must not fire during a test are long.  In-process tests use only
repeating timers (times=0) ended by hand: the last firing of a finite timer
crashes (see test_finite_timer_fires_its_times).  Probes that can crash run in
a child interpreter; the use-after-free probes run it with glibc's malloc
perturbation (PERTURB), which turns a read of freed memory into a crash or a
wrong result instead of a silent success.
"""

import errno
import gc
import os
import signal
import textwrap
import threading
import time
import traceback
import weakref

import pytest

import pyczmq
from pyczmq import ClosedError, Loop, Ticket, ZMQError, zloop
from pyczmq.zmq import DONTWAIT, POLLERR, POLLIN, POLLOUT, pollitem

from conftest import clean_stdout, signal_child

# Python objects on malloc, no tcache, freed memory filled with 0xa5 bytes.
PERTURB = {"PYTHONMALLOC": "malloc", "GLIBC_TUNABLES": "glibc.malloc.tcache_count=0",
           "MALLOC_PERTURB_": "165"}

LONG = 10000    # ms: a timer that must not fire before the test ends


def stop(loop, delay):
    """A timer that stops the loop after `delay` ms; returns its id."""
    return loop.timer(delay, 0, lambda *args: -1)


def stop_after_passes(loop, passes, delay=10):
    """A timer that stops the loop on its firing number `passes` + 1; returns its id.

    What CZMQ's zloop guarantees (zloop_start, v4.2.1): a timer never fires
    before its deadline and at most once per pass; each pass fires the due
    timers in the order they were registered, then the due tickets, then the
    ready readers and pollers.  So after a stall a plain stop timer can fire
    before a reader that was ready first; this one stops only when every
    reader or poller that was ready throughout has had `passes` turns."""
    fired = []

    def count(reactor, timer_id, arg):
        fired.append(timer_id)
        return -1 if len(fired) > passes else 0

    return loop.timer(delay, 0, count)


def noop(*args):
    return 0


@pytest.fixture
def loop():
    reactor = Loop()
    yield reactor
    reactor.destroy()


@pytest.fixture
def pipe():
    """A pipe (read end, write end), closed afterwards."""
    read_end, write_end = os.pipe()
    yield read_end, write_end
    for fd in (read_end, write_end):
        try:
            os.close(fd)
        except OSError:
            pass


@pytest.fixture
def pair2(ctx, inproc):
    """A second pair of connected PAIR sockets."""
    c, d = ctx.socket("PAIR"), ctx.socket("PAIR")
    c.bind(inproc + "-2")
    d.connect(inproc + "-2")
    return c, d


class Worker(threading.Thread):
    """A thread running `function`; join() returns its result or raises its error."""

    def __init__(self, function):
        super().__init__(daemon=True)
        self.function, self.result, self.error = function, None, None

    def run(self):
        try:
            self.result = self.function()
        except BaseException as error:     # handed to join()
            self.error = error

    def join(self, timeout=10):
        super().join(timeout)
        assert not self.is_alive(), "the thread did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def start_in_thread(loop):
    """Run loop.start() in a Worker; return once the loop waits (its sockets busy).
    No handler may be due: then "running" means waiting in zloop."""
    worker = Worker(loop.start)
    worker.start()
    deadline = time.monotonic() + 5
    while "running" not in repr(loop):
        assert worker.is_alive() and time.monotonic() < deadline, "the loop did not start"
        time.sleep(0.001)
    return worker


def run_child(code, env=None):
    """Run `code` in a child interpreter and require a clean exit; its stdout."""
    return clean_stdout(code, env=env)


# -- readers -------------------------------------------------------------------------


def test_reader_calls_handler_with_loop_socket_and_arg(loop, pair):
    """A reader's handler gets (loop, socket, arg); returning -1 makes start() return -1."""
    a, b = pair
    calls = []

    def on_message(reactor, sock, arg):
        calls.append((reactor, sock, arg, sock.recv_bytes()))
        return -1

    loop.reader(b, on_message, "arg")
    a.send(b"hello")
    assert loop.start() == -1
    assert calls == [(loop, b, "arg", b"hello")]


def test_handler_arg_defaults_to_none(loop, pair):
    a, b = pair
    args = []
    loop.reader(b, lambda reactor, sock, arg: args.append(arg) or -1)
    a.send(b"x")
    assert loop.start() == -1
    assert args == [None]


def test_reader_is_called_for_each_message(loop, pair):
    a, b = pair
    received = []

    def on_message(reactor, sock, arg):
        received.append(sock.recv_bytes())
        return -1 if len(received) == 3 else 0

    loop.reader(b, on_message)
    for data in (b"1", b"2", b"3"):
        a.send(data)
    assert loop.start() == -1
    assert received == [b"1", b"2", b"3"]


def test_reader_end_stops_calls(loop, pair):
    """After reader_end the handler is not called though a message waits."""
    a, b = pair
    calls = []
    loop.reader(b, lambda *args: calls.append(args))
    loop.reader_end(b)
    a.send(b"unread")
    stop(loop, 30)
    assert loop.start() == -1
    assert calls == []
    assert b.recv_bytes(DONTWAIT) == b"unread"      # it was there to be read


def test_reader_end_from_its_own_handler(loop, pair):
    """A reader may end itself: one call, the second message stays unread."""
    a, b = pair
    received = []

    def read_once(reactor, sock, arg):
        received.append(sock.recv_bytes())
        reactor.reader_end(sock)

    loop.reader(b, read_once)
    a.send(b"1")
    a.send(b"2")
    stop_after_passes(loop, 2)
    assert loop.start() == -1
    assert received == [b"1"]
    assert b.recv_bytes(DONTWAIT) == b"2"


def test_reader_set_tolerant_keeps_the_reader_working(loop, pair):
    """reader_set_tolerant leaves a registered reader working."""
    a, b = pair
    received = []
    loop.reader(b, lambda reactor, sock, arg: received.append(sock.recv_bytes()) or -1)
    loop.reader_set_tolerant(b)
    a.send(b"x")
    assert loop.start() == -1
    assert received == [b"x"]


# -- pollers -------------------------------------------------------------------------


def test_poller_on_a_socket_gets_the_pollitem(loop, pair):
    """A poller's handler gets the registered pollitem itself, revents set."""
    a, b = pair
    item = pollitem(socket=b, events=POLLIN)
    calls = []

    def on_ready(reactor, target, arg):
        calls.append((reactor, target, target.revents, arg, target.socket.recv_bytes()))
        return -1

    loop.poller(item, on_ready, 7)
    a.send(b"x")
    assert loop.start() == -1
    assert calls == [(loop, item, POLLIN, 7, b"x")]


def test_poller_on_a_pipe_fires_when_it_becomes_readable(loop, pipe):
    """A POLLIN poller on a pipe read end fires only once data is written."""
    read_end, write_end = pipe
    events = []

    def on_readable(reactor, item, arg):
        events.append(("readable", item.revents, os.read(read_end, 10)))
        return -1

    def write(reactor, timer_id, arg):
        events.append("written")
        os.write(write_end, b"x")
        reactor.timer_end(timer_id)

    loop.poller(pollitem(fd=read_end, events=POLLIN), on_readable)
    loop.timer(10, 0, write)
    assert loop.start() == -1
    assert events == ["written", ("readable", POLLIN, b"x")]


def test_poller_on_a_pipe_write_end_fires_for_pollout(loop, pipe):
    """Any event mask works on a plain fd: POLLOUT on a pipe write end."""
    read_end, write_end = pipe
    revents = []
    loop.poller(pollitem(fd=write_end, events=POLLOUT),
                lambda reactor, item, arg: revents.append(item.revents) or -1)
    assert loop.start() == -1
    assert revents == [POLLOUT]


def test_poller_end_stops_polling_the_fd(loop, pipe):
    """poller_end by an equal pollitem (same fd) stops the calls."""
    read_end, write_end = pipe
    calls = []
    loop.poller(pollitem(fd=read_end, events=POLLIN), lambda *args: calls.append(args))
    loop.poller_end(pollitem(fd=read_end, events=POLLIN))     # ended by fd
    os.write(write_end, b"x")
    stop(loop, 30)
    assert loop.start() == -1
    assert calls == []


def test_poller_end_from_its_own_handler(loop, pipe):
    """An always-ready poller that ends itself is called once."""
    read_end, write_end = pipe
    calls = []

    def once(reactor, item, arg):
        calls.append(item.revents)
        reactor.poller_end(item)

    loop.poller(pollitem(fd=write_end, events=POLLOUT), once)     # always ready
    stop_after_passes(loop, 2)
    assert loop.start() == -1
    assert calls == [POLLOUT]


@pytest.mark.parametrize("tolerant", [False, True])
def test_set_tolerant_keeps_polling_an_fd_in_error(loop, tolerant):
    """A pipe write end whose reader is gone polls as POLLERR: zloop drops it after one call unless
    set_tolerant."""
    read_end, write_end = os.pipe()
    os.close(read_end)                  # the write end now polls as an error
    item = pollitem(fd=write_end, events=POLLOUT)
    errors = []

    def on_error(reactor, target, arg):
        errors.append(bool(target.revents & POLLERR))
        return -1 if len(errors) == 3 else 0

    try:
        loop.poller(item, on_error)
        if tolerant:
            loop.set_tolerant(item)
        stop_after_passes(loop, 3)      # the tolerant handler stops it after its third call
        assert loop.start() == -1
    finally:
        os.close(write_end)
    # zloop gives a poller in error one call, then drops it unless tolerant.
    assert errors == ([True] * 3 if tolerant else [True])


def test_set_tolerant_of_a_closed_socket_raises(loop, pair):
    """A closed socket's item raises ClosedError (zloop would match its NULL
    socket by fd -1, that is every socket poller of the loop)."""
    a, b = pair
    item = pollitem(socket=b, events=POLLIN)
    b.close()
    with pytest.raises(pyczmq.ClosedError):
        loop.set_tolerant(item)
    with pytest.raises(pyczmq.ClosedError):
        loop.reader_set_tolerant(b)


def test_raw_libzmq_socket_polls_next_to_a_czmq_socket(loop, pair):
    """A socket of an own libzmq context (pyczmq.zmq.socket) works in Loop.poller beside a CZMQ
    one."""
    a, b = pair
    raw_context = pyczmq.zmq.ctx_new()
    raw_out = pyczmq.zmq.socket(raw_context, "PAIR")
    raw_in = pyczmq.zmq.socket(raw_context, "PAIR")
    try:
        raw_out.bind("inproc://loop-raw")
        raw_in.connect("inproc://loop-raw")
        received = []

        def on_ready(reactor, item, arg):
            received.append((arg, item.revents, item.socket.recv_bytes()))
            return -1 if len(received) == 2 else 0

        loop.poller(pollitem(socket=raw_in, events=POLLIN), on_ready, "raw")
        loop.poller(pollitem(socket=b, events=POLLIN), on_ready, "czmq")
        raw_out.send(b"r")
        a.send(b"c")
        assert loop.start() == -1
        assert sorted(received) == [("czmq", POLLIN, b"c"), ("raw", POLLIN, b"r")]
    finally:
        raw_out.close(0)
        raw_in.close(0)
        pyczmq.zmq.ctx_term(raw_context)


def test_poller_end_of_fd_zero_leaves_socket_readers_alone(loop, pair):
    """Ending pollers of fd 0 must not end socket readers."""
    a, b = pair
    calls = []
    loop.reader(b, lambda reactor, sock, arg: calls.append(sock.recv_bytes()) or -1)
    loop.poller_end(pollitem(fd=0, events=POLLIN))      # nothing polls fd 0
    stop_after_passes(loop, 1)
    a.send(b"message")
    assert loop.start() == -1
    assert calls == [b"message"]


# -- timers --------------------------------------------------------------------------


def test_timer_returns_its_id_and_passes_it_to_the_handler(loop):
    """timer() returns an int id, which the handler gets with its arg."""
    calls = []

    def record(reactor, timer_id, arg):
        calls.append((reactor, timer_id, arg))
        reactor.timer_end(timer_id)
        return -1 if len(calls) == 2 else 0

    first = loop.timer(0, 0, record, "first")
    second = loop.timer(5, 0, record, "second")
    assert isinstance(first, int) and isinstance(second, int) and first != second
    assert loop.start() == -1
    assert calls == [(loop, first, "first"), (loop, second, "second")]


def test_timer_with_zero_times_repeats_until_ended(loop):
    """times=0 repeats until timer_end (from its own handler here)."""
    ticks = []

    def tick(reactor, timer_id, arg):
        ticks.append(timer_id)
        if len(ticks) == 5:
            reactor.timer_end(timer_id)
            stop(reactor, 30)       # time for a sixth tick, if there were one

    loop.timer(1, 0, tick)
    assert loop.start() == -1
    assert len(ticks) == 5


def test_timers_fire_in_order_of_deadline(loop):
    """Three timers registered out of order fire by deadline, never early; timers overdue
    together (after a stall) fire in the order they were registered, as zloop does."""
    fired = []
    registered = [60, 20, 40]

    def record(reactor, timer_id, delay):
        fired.append((delay, (time.monotonic() - began) * 1000))
        reactor.timer_end(timer_id)
        return -1 if len(fired) == 3 else 0

    began = time.monotonic()
    for delay in registered:
        loop.timer(delay, 0, record, delay)
    assert loop.start() == -1
    assert sorted(delay for delay, _ in fired) == [20, 40, 60]
    for delay, at in fired:
        assert at >= delay - 1, fired                   # (zclock_mono counts whole ms)
    for earlier, (delay, at) in enumerate(fired):
        for later_delay, _ in fired[earlier + 1:]:
            if later_delay < delay:     # out of deadline order: overdue in the same pass
                assert registered.index(later_delay) > registered.index(delay), fired
                assert at >= later_delay - 1, fired
    if all(at < delay + 10 for delay, at in fired):     # no stall: deadline order
        assert [delay for delay, _ in fired] == [20, 40, 60]


def test_timer_end_from_a_handler_cancels_another_timer_and_its_own(loop):
    """A handler ends a pending timer and its own: neither fires again."""
    calls, later = [], []

    def cancel(reactor, timer_id, arg):
        calls.append("cancel")
        reactor.timer_end(later[0])
        reactor.timer_end(timer_id)

    # Registered first: after a stall that makes both due, zloop still calls it first.
    loop.timer(0, 0, cancel)
    later.append(loop.timer(50, 0, lambda *args: calls.append("later")))
    loop.timer(80, 0, lambda *args: calls.append("stop") or -1)
    assert loop.start() == -1
    assert calls == ["cancel", "stop"]


def test_timer_end_of_an_unknown_id_raises_value_error(loop):
    """timer_end of an unknown or already ended id raises ValueError."""
    with pytest.raises(ValueError):
        loop.timer_end(12345)
    timer_id = loop.timer(LONG, 0, noop)
    loop.timer_end(timer_id)
    with pytest.raises(ValueError):
        loop.timer_end(timer_id)


@pytest.mark.parametrize("times", [1, 3])
def test_finite_timer_fires_its_times(times):
    """A timer with times=N fires N times and the loop goes on."""
    # The stop timer fires once a pass, after the finite one (registered first) while that
    # is due: it stops on its firing N + 1, even if a stall made both due at once.
    output = run_child("""
        import pyczmq
        loop = pyczmq.Loop()
        fired, stops = [], []
        loop.timer(1, %d, lambda reactor, timer_id, arg: fired.append(timer_id))
        loop.timer(30, 0, lambda *args: -1 if stops.append(1) or len(stops) > %d else 0)
        print(loop.start(), len(fired))
    """ % (times, times))
    assert output == "-1 %d\n" % times


def test_timer_ended_before_start_never_fires():
    """A timer ended before start() never calls anything."""
    output = run_child("""
        import time, pyczmq
        loop = pyczmq.Loop()
        ended = loop.timer(10, 0, lambda *args: print("ended timer called"))
        loop.timer_end(ended)
        started = time.monotonic()
        def later(reactor, timer_id, arg):
            elapsed = (time.monotonic() - started) * 1000
            assert elapsed >= 190, "called after %.0f ms" % elapsed
            return -1
        loop.timer(200, 0, later)
        assert loop.start() == -1
    """, env=PERTURB)
    assert output == ""


def test_timer_end_of_a_timer_due_in_the_same_pass():
    """Ending a timer that is due later in the same pass: it is not called."""
    output = run_child("""
        import pyczmq
        loop = pyczmq.Loop()
        calls, ids = [], {}
        def first(reactor, timer_id, arg):
            calls.append("first")
            reactor.timer_end(ids["second"])
            reactor.timer_end(timer_id)
        ids["first"] = loop.timer(0, 0, first)
        ids["second"] = loop.timer(0, 0, lambda *args: calls.append("second"))
        loop.timer(20, 0, lambda *args: -1)
        print(loop.start(), calls)
    """, env=PERTURB)
    assert output == "-1 ['first']\n"


def test_timer_end_of_its_own_timer_after_a_restart():
    """On a restarted loop a handler ends its own timer and adds one that fires on time."""
    output = run_child("""
        import pyczmq
        loop = pyczmq.Loop()
        first_run = loop.timer(0, 0, lambda *args: -1)
        assert loop.start() == -1
        loop.timer_end(first_run)
        calls = []
        def replace(reactor, timer_id, arg):
            calls.append("replace")
            reactor.timer_end(timer_id)
            reactor.timer(100, 0, lambda *args: calls.append("new") or -1)
        loop.timer(1, 0, replace)
        loop.timer(5000, 0, lambda *args: calls.append("stop") or -1)     # if "new" never fires
        print(loop.start(), calls)
    """, env=PERTURB)
    assert output == "-1 ['replace', 'new']\n"


def test_set_max_timers_refuses_more_timers(loop):
    """A timer beyond set_max_timers raises ZMQError(EMFILE); 0 lifts the limit."""
    loop.set_max_timers(2)
    loop.timer(LONG, 0, noop)
    loop.timer(LONG, 0, noop)
    with pytest.raises(ZMQError) as info:
        loop.timer(LONG, 0, noop)
    assert info.value.errno == errno.EMFILE
    loop.set_max_timers(0)              # no limit
    loop.timer(LONG, 0, noop)


def test_ended_timer_frees_its_place_under_set_max_timers(loop):
    """An ended timer no longer counts against set_max_timers."""
    loop.set_max_timers(1)
    loop.timer_end(loop.timer(LONG, 0, noop))
    loop.timer(LONG, 0, noop)


# -- tickets -------------------------------------------------------------------------


def test_ticket_needs_a_ticket_delay(loop):
    """ticket() before set_ticket_delay, and a zero delay, raise ValueError."""
    with pytest.raises(ValueError):
        loop.ticket(noop)
    with pytest.raises(ValueError):
        loop.set_ticket_delay(0)


def test_ticket_fires_once_with_the_ticket_and_arg(loop):
    """A ticket fires once with (loop, ticket, arg) and is then dead."""
    loop.set_ticket_delay(5)
    calls = []

    def on_ticket(reactor, ticket, arg):
        calls.append((reactor, ticket, arg, ticket.alive))
        stop(reactor, 20)           # time for a second call, if there were one

    ticket = loop.ticket(on_ticket, "arg")
    assert isinstance(ticket, Ticket) and ticket.alive and ticket.loop is loop
    assert loop.start() == -1
    assert calls == [(loop, ticket, "arg", False)]
    assert not ticket.alive


def test_ticket_reset_restarts_its_delay(loop):
    """A reset at 30 ms moves a 60 ms ticket to 90 ms, after a 75 ms marker."""
    loop.set_ticket_delay(60)
    events = []
    ticket = loop.ticket(lambda reactor, t, arg: events.append("ticket") or stop(reactor, 0))

    def reset(reactor, timer_id, arg):
        events.append("reset")
        ticket.reset()              # due at 90 ms instead of 60
        reactor.timer_end(timer_id)

    def mark(reactor, timer_id, arg):   # once: after a stall a repeating timer
        events.append("marker")         # fires again every 75 ms from its deadline
        reactor.timer_end(timer_id)

    loop.timer(30, 0, reset)
    loop.timer(75, 0, mark)
    assert loop.start() == -1
    assert events == ["reset", "marker", "ticket"]


@pytest.mark.parametrize("how", ["loop.ticket_delete", "Ticket.delete"])
def test_deleted_ticket_does_not_fire(loop, how):
    """A deleted ticket is dead and never fires."""
    loop.set_ticket_delay(5)
    calls = []
    ticket = loop.ticket(lambda *args: calls.append(args))
    if how == "Ticket.delete":
        ticket.delete()
    else:
        loop.ticket_delete(ticket)
    assert not ticket.alive
    stop(loop, 30)
    assert loop.start() == -1
    assert calls == []


def test_fired_or_deleted_ticket_raises_closed_error(loop):
    """reset/delete of a fired or deleted ticket raise ClosedError."""
    loop.set_ticket_delay(1)
    fired = loop.ticket(lambda reactor, ticket, arg: stop(reactor, 0))
    deleted = loop.ticket(noop)
    deleted.delete()
    assert loop.start() == -1
    for ticket in (fired, deleted):
        for use in (ticket.reset, ticket.delete, lambda: loop.ticket_reset(ticket),
                    lambda: loop.ticket_delete(ticket)):
            with pytest.raises(ClosedError):
                use()


def test_ticket_of_another_loop_raises_value_error(loop):
    """A loop refuses another loop's ticket; destroying its loop kills it."""
    other = Loop()
    other.set_ticket_delay(LONG)
    ticket = other.ticket(noop)
    loop.set_ticket_delay(LONG)
    with pytest.raises(ValueError):
        loop.ticket_reset(ticket)
    with pytest.raises(ValueError):
        loop.ticket_delete(ticket)
    assert ticket.alive
    other.destroy()
    assert not ticket.alive


@pytest.mark.parametrize("ending", ["return -1", "raise KeyError('x')"])
def test_ticket_that_stops_the_loop_is_gone_on_the_next_start(ending):
    """A ticket that stopped the loop does not come back on the next start()."""
    output = run_child("""
        import gc, pyczmq
        loop = pyczmq.Loop()
        loop.set_ticket_delay(5)
        def on_ticket(reactor, ticket, arg):
            %s
        loop.ticket(on_ticket)
        try:
            loop.start()
        except KeyError:
            pass
        gc.collect()
        loop.timer(20, 0, lambda *args: -1)
        print(loop.start())
    """ % ending, env=PERTURB)
    assert output == "-1\n"


def test_ticket_due_when_a_timer_handler_raises():
    """A ticket skipped because the loop was stopping stays usable and fires later."""
    output = run_child("""
        import time, pyczmq
        loop = pyczmq.Loop()
        loop.set_ticket_delay(1)
        calls = []
        ticket = loop.ticket(lambda *args: calls.append("ticket"))
        def failing(reactor, timer_id, arg):
            raise KeyError("boom")
        failing_id = loop.timer(1, 0, failing)
        time.sleep(0.01)            # both overdue: one pass handles them
        try:
            loop.start()
        except KeyError:
            pass
        loop.timer_end(failing_id)
        if ticket.alive:            # still pending: reset must work and it must fire
            ticket.reset()
            loop.timer(50, 0, lambda *args: -1)
            loop.start()
        print(calls, ticket.alive)
    """)
    assert output == "['ticket'] False\n"


# -- running and stopping ----------------------------------------------------------


def test_loop_keeps_handlers_and_args_alive(loop, pair, pipe):
    """Handlers and args with no other reference survive gc.collect() and are called."""
    a, b = pair
    read_end, write_end = pipe
    calls, refs = [], []

    class Handler:
        def __init__(self, kind):
            self.kind = kind

        def __call__(self, reactor, target, arg):
            calls.append((self.kind, arg.value))
            if self.kind == "reader":
                target.recv_bytes()
                reactor.reader_end(target)
            elif self.kind == "poller":
                os.read(read_end, 10)
                reactor.poller_end(target)
            elif self.kind == "timer":
                reactor.timer_end(target)
            return -1 if len(calls) == 5 else 0

    class Arg:
        def __init__(self, value):
            self.value = value

    def handler(kind):
        made = Handler(kind)
        refs.append(weakref.ref(made))
        return made

    def arg(value):
        made = Arg(value)
        refs.append(weakref.ref(made))
        return made

    loop.reader(b, handler("reader"), arg(1))
    loop.poller(pollitem(fd=read_end, events=POLLIN), handler("poller"), arg(2))
    loop.timer(0, 0, handler("timer"), arg(3))
    loop.set_ticket_delay(1)
    loop.ticket(handler("ticket"), arg(4))
    loop.timer(2, 0, lambda reactor, timer_id, value: (
        calls.append(("lambda", value.value)), reactor.timer_end(timer_id),
        -1 if len(calls) == 5 else 0)[-1], Arg(5))
    gc.collect()
    assert all(ref() is not None for ref in refs)
    a.send(b"x")
    os.write(write_end, b"x")
    assert loop.start() == -1
    assert sorted(calls) == [("lambda", 5), ("poller", 2), ("reader", 1), ("ticket", 4),
                             ("timer", 3)]


@pytest.mark.parametrize("kind", ["reader", "poller", "timer", "ticket"])
def test_handler_exception_is_raised_by_start_with_its_traceback(loop, pair, pipe, kind):
    """A handler's exception stops the loop and start() raises it, traceback included."""
    a, b = pair

    def failing_handler(reactor, target, arg):
        raise LookupError("raised by the %s" % kind)

    if kind == "reader":
        loop.reader(b, failing_handler)
        a.send(b"x")
    elif kind == "poller":
        loop.poller(pollitem(fd=pipe[1], events=POLLOUT), failing_handler)
    elif kind == "timer":
        loop.timer(0, 0, failing_handler)
    else:
        loop.set_ticket_delay(1)
        ticket = loop.ticket(failing_handler)
    stop(loop, LONG)
    with pytest.raises(LookupError, match="raised by the %s" % kind) as info:
        loop.start()
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "failing_handler" in frames


def test_loop_runs_again_after_an_exception(loop):
    """After start() raised a handler's exception the loop runs again."""
    calls = []

    def fail_once(reactor, timer_id, arg):
        calls.append(timer_id)
        if len(calls) == 1:
            raise ValueError("first call")
        reactor.timer_end(timer_id)
        return -1

    loop.timer(0, 0, fail_once)
    with pytest.raises(ValueError, match="first call"):
        loop.start()
    assert loop.start() == -1
    assert len(calls) == 2


def test_handler_return_values_other_than_minus_one_continue(loop):
    """Only -1 (the int) stops the loop; None, 0, 1, 'x', -1.0 do not."""
    results = iter([None, 0, 1, "x", -1.0, -1])
    calls = []

    def answer(reactor, timer_id, arg):
        calls.append(timer_id)
        return next(results)

    loop.timer(0, 0, answer)
    assert loop.start() == -1
    assert len(calls) == 6


def test_handlers_register_and_cancel_from_callbacks(loop, pair, pipe):
    """A chain timer -> reader -> poller -> timer, each added and ended by callbacks."""
    a, b = pair
    read_end, write_end = pipe
    steps = []

    def on_start(reactor, timer_id, arg):
        steps.append("timer")
        reactor.timer_end(timer_id)
        reactor.reader(b, on_message)
        a.send(b"m")

    def on_message(reactor, sock, arg):
        steps.append(("reader", sock.recv_bytes()))
        reactor.reader_end(sock)
        reactor.poller(pollitem(fd=read_end, events=POLLIN), on_readable)
        os.write(write_end, b"p")

    def on_readable(reactor, item, arg):
        steps.append(("poller", os.read(read_end, 10)))
        reactor.poller_end(item)
        reactor.timer(0, 0, on_last)

    def on_last(reactor, timer_id, arg):
        steps.append("last timer")
        reactor.timer_end(timer_id)
        return -1

    loop.timer(0, 0, on_start)
    assert loop.start() == -1
    assert steps == ["timer", ("reader", b"m"), ("poller", b"p"), "last timer"]
    assert "0 items, 0 timers" in repr(loop)


def test_start_releases_the_gil_while_waiting(loop, pair):
    """Another thread runs Python code while the loop waits on a 5 s timer."""
    a, b = pair
    waiting = threading.Event()
    events = []
    loop.timer(0, 0, lambda reactor, timer_id, arg: reactor.timer_end(timer_id) or waiting.set())
    loop.reader(b, lambda reactor, sock, arg: events.append(sock.recv_bytes()) or -1)
    loop.timer(5000, 0, lambda *args: events.append("timed out") or -1)

    def other_thread():
        assert waiting.wait(5)
        total = sum(range(100000))      # pure Python: needs the GIL
        a.send(b"done")
        return total

    worker = Worker(other_thread)
    worker.start()
    assert loop.start() == -1
    assert worker.join() == sum(range(100000))
    assert events == [b"done"]


def test_start_returns_zero_when_its_context_ends(loop):
    """ctx_shutdown of a polled socket's own context makes start() return 0."""
    raw_context = pyczmq.zmq.ctx_new()
    sock = pyczmq.zmq.socket(raw_context, "PAIR")
    sock.bind("inproc://loop-term")
    loop.reader(sock, noop)
    stop(loop, LONG)
    worker = start_in_thread(loop)
    pyczmq.zmq.ctx_shutdown(raw_context)
    assert worker.join() == 0
    sock.close(0)
    pyczmq.zmq.ctx_term(raw_context)


def test_nested_start_from_a_handler_raises_runtime_error(loop):
    """start() from inside a handler raises RuntimeError (raised again by start())."""
    loop.timer(0, 0, lambda reactor, timer_id, arg: reactor.start())
    with pytest.raises(RuntimeError, match="already running"):
        loop.start()


def test_destroy_from_a_handler_is_refused_and_works_after_the_loop_stops(loop):
    """destroy() inside a callback raises RuntimeError; once stopped it works."""
    refusals = []

    def try_destroy(reactor, timer_id, arg):
        with pytest.raises(RuntimeError, match="can not be destroyed from inside"):
            reactor.destroy()
        refusals.append(timer_id)
        return -1

    loop.timer(0, 0, try_destroy)
    assert loop.start() == -1
    assert len(refusals) == 1
    loop.destroy()
    assert "destroyed" in repr(loop)
    with pytest.raises(ClosedError):
        loop.start()


def test_context_manager_destroys_the_loop():
    """`with Loop()` destroys it at the end; a destroyed loop can not be entered."""
    with Loop() as reactor:
        stop(reactor, 0)
        assert reactor.start() == -1
    assert "destroyed" in repr(reactor)
    with pytest.raises(ClosedError):
        reactor.timer(1, 0, noop)
    with pytest.raises(ClosedError):
        with reactor:
            pass


def test_set_nonstop_does_not_keep_a_stopping_loop_running(loop):
    """set_nonstop accepts a flag; a handler's -1 still stops the loop."""
    loop.set_nonstop(True)
    stop(loop, 0)
    assert loop.start() == -1
    loop.set_nonstop(False)


def test_set_nonstop_keeps_the_loop_running_when_czmq_is_interrupted():
    """CZMQ's interrupt flag (set by its own SIGINT handler, which pyczmq leaves off: here a
    Python handler does the same) ends zloop_start unless nonstop: with it the loop goes on."""
    code = textwrap.dedent("""
        import ctypes, signal, pyczmq
        interrupted = ctypes.c_int.in_dll(ctypes.CDLL("libczmq.so.4"), "zsys_interrupted")
        def like_czmq(*args):
            interrupted.value = 1
        signal.signal(signal.SIGINT, like_czmq)
        loop = pyczmq.Loop()
        loop.set_nonstop(True)
        ticks = []
        def tick(reactor, timer_id, arg):
            if not ticks:
                print("waiting", flush=True)
            ticks.append(interrupted.value)
            return -1 if ticks.count(1) == 3 else 0     # three passes with the flag set
        loop.timer(20, 0, tick)
        print("start", loop.start(), flush=True)
        interrupted.value = 0
    """)
    assert signal_child(code, signal.SIGINT, ready="waiting", timeout=10) == (0, "start -1\n", "")


@pytest.mark.parametrize("verbose", [False, True])
def test_set_verbose_traces_the_reactor(verbose):
    """set_verbose(True) makes CZMQ trace to stdout; False keeps it quiet."""
    output = run_child("""
        import pyczmq
        loop = pyczmq.Loop()
        loop.set_verbose(%s)
        loop.timer(0, 0, lambda *args: -1)
        print("rc", loop.start())
    """ % verbose)
    if verbose:
        assert "zloop: register timer" in output and "zloop: call timer handler" in output
    else:
        assert output == "rc -1\n"


# -- signals -------------------------------------------------------------------------


@pytest.mark.parametrize("nonstop", [False, True])
def test_ctrl_c_makes_start_raise_keyboard_interrupt(nonstop):
    """SIGINT while the loop waits: start() raises KeyboardInterrupt (nonstop or not); the loop
    runs again."""
    code = textwrap.dedent("""
        import pyczmq
        loop = pyczmq.Loop()
        loop.set_nonstop(%s)
        ctx = pyczmq.Context()
        sock = ctx.socket("PAIR")
        sock.bind("inproc://sigint")
        loop.reader(sock, lambda *args: -1)
        loop.timer(0, 0, lambda reactor, timer_id, arg:
                   reactor.timer_end(timer_id) or print("waiting", flush=True))
        loop.timer(20000, 0, lambda *args: -1)
        try:
            loop.start()
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
        loop.timer(0, 0, lambda *args: -1)
        print("again", loop.start())
    """ % nonstop)
    assert signal_child(code, signal.SIGINT, ready="waiting", timeout=10) == \
        (0, "KeyboardInterrupt\nagain -1\n", "")


def test_python_signal_handler_that_returns_does_not_stop_the_loop():
    """A SIGALRM handler that returns does not end the loop."""
    output = run_child("""
        import signal, pyczmq
        alarms = []
        signal.signal(signal.SIGALRM, lambda *args: alarms.append("alarm"))
        ctx = pyczmq.Context()
        sock = ctx.socket("PAIR")
        sock.bind("inproc://sigalrm")
        loop = pyczmq.Loop()
        loop.reader(sock, lambda *args: -1)
        def arm(reactor, timer_id, arg):
            reactor.timer_end(timer_id)
            signal.setitimer(signal.ITIMER_REAL, 0.02)
            reactor.timer(200, 0, lambda *args: print(alarms) or -1)
        loop.timer(0, 0, arm)
        print(loop.start())
    """)
    assert output == "['alarm']\n-1\n"


# -- threads -------------------------------------------------------------------------


def test_loop_methods_from_another_thread_raise_ebusy(pair, pipe):
    """While the loop runs in one thread, every method from another raises EBUSY."""
    a, b = pair
    loop = Loop()
    loop.reader(b, lambda reactor, sock, arg: sock.recv_bytes() and -1)
    item = pollitem(fd=pipe[0], events=POLLIN)
    loop.set_ticket_delay(LONG)
    ticket = loop.ticket(noop)
    timer_id = stop(loop, LONG)
    calls = {
        "reader": lambda: loop.reader(b, noop),
        "reader_end": lambda: loop.reader_end(b),
        "reader_set_tolerant": lambda: loop.reader_set_tolerant(b),
        "poller": lambda: loop.poller(item, noop),
        "poller_end": lambda: loop.poller_end(item),
        "set_tolerant": lambda: loop.set_tolerant(item),
        "timer": lambda: loop.timer(1, 0, noop),
        "timer_end": lambda: loop.timer_end(timer_id),
        "set_ticket_delay": lambda: loop.set_ticket_delay(5),
        "ticket": lambda: loop.ticket(noop),
        "ticket_reset": ticket.reset,
        "ticket_delete": lambda: loop.ticket_delete(ticket),
        "set_max_timers": lambda: loop.set_max_timers(5),
        "set_verbose": lambda: loop.set_verbose(False),
        "set_nonstop": lambda: loop.set_nonstop(False),
        "start": loop.start,
        "with": lambda: loop.__enter__(),
    }
    worker = start_in_thread(loop)
    try:
        for name, call in calls.items():
            with pytest.raises(ZMQError) as info:
                call()
            assert info.value.errno == errno.EBUSY, name
    finally:
        a.send(b"stop")
        assert worker.join() == -1
    assert ticket.alive
    loop.destroy()


def test_destroy_from_another_thread_raises_ebusy(pair):
    """destroy() from another thread raises EBUSY like the other methods."""
    a, b = pair
    loop = Loop()
    loop.reader(b, lambda reactor, sock, arg: sock.recv_bytes() and -1)
    worker = start_in_thread(loop)
    try:
        with pytest.raises(ZMQError) as info:
            loop.destroy()
        assert info.value.errno == errno.EBUSY
    finally:
        a.send(b"stop")
        worker.join()
        loop.destroy()


def test_registered_sockets_are_busy_for_other_threads_while_the_loop_waits(loop, pair, pair2):
    """Readers' and pollers' sockets raise EBUSY in other threads until the loop stops."""
    a, b = pair
    c, d = pair2
    loop.reader(b, lambda reactor, sock, arg: sock.recv_bytes() and -1)
    loop.poller(pollitem(socket=d, events=POLLIN), noop)
    worker = start_in_thread(loop)
    try:
        for use in (lambda: b.recv_bytes(DONTWAIT), lambda: b.send(b"x"), b.close,
                    lambda: d.recv_bytes(DONTWAIT)):
            with pytest.raises(ZMQError) as info:
                use()
            assert info.value.errno == errno.EBUSY
    finally:
        a.send(b"stop")
        assert worker.join() == -1
    b.send(b"free again")               # the stopped loop released them
    assert a.recv_bytes() == b"free again"
    assert not d.closed


def test_registered_sockets_are_usable_inside_handlers(loop, pair):
    """Handlers send and receive on the loop's own sockets (ping-pong)."""
    a, b = pair
    log = []

    def on_b(reactor, sock, arg):
        log.append(sock.recv_bytes())
        sock.send(b"pong")

    def on_a(reactor, sock, arg):
        log.append(sock.recv_bytes())
        if len(log) == 6:
            return -1
        sock.send(b"ping")

    loop.reader(a, on_a)
    loop.reader(b, on_b)
    a.send(b"ping")
    assert loop.start() == -1
    assert log == [b"ping", b"pong"] * 3


def test_socket_closed_by_a_handler_leaves_the_loop(loop, pair, pair2):
    """A handler closes its socket: the loop goes on with the others."""
    a, b = pair
    c, d = pair2
    received = []

    def close_after_one(reactor, sock, arg):
        received.append(sock.recv_bytes())
        sock.close()
        c.send(b"d")

    loop.reader(b, close_after_one)
    loop.reader(d, lambda reactor, sock, arg: received.append(sock.recv_bytes()) or -1)
    a.send(b"1")
    a.send(b"2")                        # never read: b is closed
    assert loop.start() == -1           # a closed socket in the poll set would raise
    assert received == [b"1", b"d"]
    assert b.closed and "1 items" in repr(loop)


def test_socket_closed_while_the_loop_is_stopped_leaves_the_loop(loop, pair, pair2):
    """Closing a stopped loop's socket removes its reader and poller."""
    a, b = pair
    c, d = pair2
    received = []
    loop.reader(b, lambda reactor, sock, arg: received.append(sock.recv_bytes()))
    loop.poller(pollitem(socket=b, events=POLLIN), noop)
    loop.reader(d, lambda reactor, sock, arg: received.append(sock.recv_bytes()) or -1)
    b.close()
    assert "1 items" in repr(loop)
    c.send(b"d")
    assert loop.start() == -1
    assert received == [b"d"]


# -- no leaks ------------------------------------------------------------------------


def test_dropped_loop_frees_its_handlers_and_args(pair, pipe):
    """Dropping a loop (even one in a cycle with its handler) frees all it held."""
    a, b = pair
    refs = []

    class Handler:
        def __call__(self, reactor, target, arg):
            return -1

    def tracked(made):
        refs.append(weakref.ref(made))
        return made

    loop = Loop()
    loop.reader(b, tracked(Handler()), tracked(Handler()))
    loop.poller(pollitem(fd=pipe[0], events=POLLIN), tracked(Handler()), tracked(Handler()))
    loop.timer(0, 0, tracked(Handler()), loop)          # a cycle through the loop
    loop.set_ticket_delay(LONG)
    loop.ticket(tracked(Handler()), tracked(Handler()))
    assert loop.start() == -1
    loop.timer(LONG, 0, tracked(Handler()), tracked(Handler()))
    loop_ref = weakref.ref(loop)
    del loop
    gc.collect()
    assert loop_ref() is None
    assert [ref() for ref in refs] == [None] * len(refs)


def test_loops_with_handlers_do_not_grow_the_process():
    """Many create/register/run/drop cycles do not grow the resident set."""
    run_child("""
        import gc, os, time, pyczmq
        from pyczmq import Loop
        from pyczmq.zmq import pollitem, POLLIN

        def rss():
            gc.collect()
            time.sleep(0.1)
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        ctx = pyczmq.Context()
        a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
        a.bind("inproc://loop-leaks")
        b.connect("inproc://loop-leaks")
        read_end, write_end = os.pipe()

        class Handler:
            def __call__(self, reactor, target, arg):
                return -1

        def step():
            loop = Loop()
            loop.reader(b, Handler(), [1])
            loop.poller(pollitem(fd=read_end, events=POLLIN), Handler(), [2])
            loop.timer(0, 0, lambda reactor, timer_id, arg: -1, loop)
            loop.timer(60000, 0, Handler(), [3])
            loop.set_ticket_delay(60000)
            loop.ticket(Handler(), loop)
            assert loop.start() == -1

        def run(times):
            for _ in range(times):
                step()

        run(50000)                              # warm up
        growth = []
        for batch in range(3):
            before = rss()
            run(50000)
            growth.append(rss() - before)
        print(growth)
        assert min(growth) < 500_000, "grew by %s bytes in batches of 50000 loops" % growth
    """)


# -- bad inputs ----------------------------------------------------------------------

PROBE_SETUP = """
import os, pyczmq
from pyczmq import Loop, ClosedError, ZMQError
from pyczmq.zmq import pollitem, POLLIN
ctx = pyczmq.Context()
a, b = ctx.socket('PAIR'), ctx.socket('PAIR')
a.bind('inproc://probe')
b.connect('inproc://probe')
loop = Loop()
def noop(*args):
    return 0
"""

# Each probe: the exception it must raise (None: none), and the code.
PROBES = {
    "non-callable reader handler": ("TypeError", "loop.reader(b, 42)"),
    "non-callable poller handler": ("TypeError",
                                    "loop.poller(pollitem(socket=b, events=POLLIN), 'x')"),
    "non-callable timer handler": ("TypeError", "loop.timer(10, 0, None)"),
    "non-callable ticket handler": ("TypeError",
                                    "loop.set_ticket_delay(10); loop.ticket(object())"),
    "reader of something not a socket": ("TypeError", "loop.reader(42, noop)"),
    "poller of something not a pollitem": ("TypeError", "loop.poller(b, noop)"),
    "negative timer delay": ("ValueError", "loop.timer(-1, 0, noop)"),
    "negative timer times": ("ValueError", "loop.timer(10, -1, noop)"),
    "timer delay beyond C range": ("ValueError", "loop.timer(2**40, 0, noop)"),
    "timer delay not an int": ("TypeError", "loop.timer(1.5, 0, noop)"),
    "timer ended twice": ("ValueError",
                          "t = loop.timer(10, 0, noop); loop.timer_end(t); loop.timer_end(t)"),
    "unknown timer id": ("ValueError", "loop.timer_end(12345)"),
    "timer beyond set_max_timers": ("ZMQError", "loop.set_max_timers(1); loop.timer(10, 0, noop); "
                                                "loop.timer(10, 0, noop)"),
    "negative max timers": ("ValueError", "loop.set_max_timers(-1)"),
    "ticket before set_ticket_delay": ("ValueError", "loop.ticket(noop)"),
    "zero ticket delay": ("ValueError", "loop.set_ticket_delay(0)"),
    "ticket reset after delete": ("ClosedError", """
        loop.set_ticket_delay(10); t = loop.ticket(noop); t.delete(); loop.ticket_reset(t)"""),
    "ticket deleted twice": ("ClosedError", "loop.set_ticket_delay(10); t = loop.ticket(noop); "
                                            "loop.ticket_delete(t); t.delete()"),
    "ticket reset after it fired": ("ClosedError", """
        loop.set_ticket_delay(1); t = loop.ticket(noop); loop.timer(20, 0, lambda *x: -1)
        assert loop.start() == -1
        t.reset()"""),
    "ticket of another loop": ("ValueError", """
        other = Loop(); other.set_ticket_delay(10); t = other.ticket(noop)
        loop.set_ticket_delay(10); loop.ticket_delete(t)"""),
    "poller_end of an fd never registered": (None, """
        r, w = os.pipe(); loop.poller_end(pollitem(fd=r, events=POLLIN))
        loop.timer(0, 0, lambda *x: -1); assert loop.start() == -1"""),
    "poller_end of a socket never registered": (None, """
        loop.poller_end(pollitem(socket=b, events=POLLIN))
        loop.timer(0, 0, lambda *x: -1); assert loop.start() == -1"""),
    "reader_end of a socket never registered": (None, """
        loop.reader_end(b); loop.timer(0, 0, lambda *x: -1); assert loop.start() == -1"""),
    "set_tolerant of an item never registered": (None, """
        loop.set_tolerant(pollitem(fd=5, events=POLLIN)); loop.reader_set_tolerant(b)"""),
    "reader of a closed socket": ("ClosedError", "b.close(); loop.reader(b, noop)"),
    "poller of a closed socket": ("ClosedError", """
        item = pollitem(socket=b, events=POLLIN); b.close(); loop.poller(item, noop)"""),
    "reader_set_tolerant of a closed socket": ("ClosedError",
                                               "b.close(); loop.reader_set_tolerant(b)"),
    "nested start from a handler": ("RuntimeError", """
        loop.timer(0, 0, lambda reactor, *x: reactor.start()); loop.start()"""),
    "destroy from a handler": ("RuntimeError", """
        loop.timer(0, 0, lambda reactor, *x: reactor.destroy()); loop.start()"""),
    "destroy twice": (None, "loop.destroy(); loop.destroy()"),
}

AFTER_DESTROY = {
    "reader": "loop.reader(b, noop)",
    "reader_end": "loop.reader_end(b)",
    "reader_set_tolerant": "loop.reader_set_tolerant(b)",
    "poller": "loop.poller(pollitem(socket=b, events=POLLIN), noop)",
    "poller_end": "loop.poller_end(pollitem(fd=5, events=POLLIN))",
    "set_tolerant": "loop.set_tolerant(pollitem(fd=5, events=POLLIN))",
    "timer": "loop.timer(1, 0, noop)",
    "timer_end": "loop.timer_end(timer_id)",
    "set_ticket_delay": "loop.set_ticket_delay(5)",
    "ticket": "loop.ticket(noop)",
    "ticket_reset": "loop.ticket_reset(ticket)",
    "ticket_delete": "loop.ticket_delete(ticket)",
    "Ticket.reset": "ticket.reset()",
    "set_max_timers": "loop.set_max_timers(3)",
    "set_verbose": "loop.set_verbose(True)",
    "set_nonstop": "loop.set_nonstop(True)",
    "start": "loop.start()",
    "with": "with loop: pass",
}
for _method, _call in AFTER_DESTROY.items():
    PROBES["%s after destroy" % _method] = ("ClosedError", """
        loop.reader(b, noop); timer_id = loop.timer(1000, 0, noop)
        loop.set_ticket_delay(1000); ticket = loop.ticket(noop)
        loop.destroy()
        %s""" % _call)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_bad_input_raises_instead_of_aborting(name):
    """Each bad input raises in a child interpreter, which exits cleanly."""
    expected, code = PROBES[name]
    body = "\n".join("    " + line.strip() for line in code.strip().splitlines())
    if expected is None:
        check = "if True:\n%s\nprint('survived')" % body
    else:
        check = ("try:\n%s\nexcept %s as error:\n    print('raised', type(error).__name__)\n"
                 "else:\n    print('did not raise')\nprint('survived')" % (body, expected))
    output = run_child(PROBE_SETUP + check)
    lines = output.split("\n")         # (CZMQ may log a line too)
    if expected is not None:
        assert "raised %s" % expected in lines, output
    assert "survived" in lines


# -- pyczmq.zloop --------------------------------------------------------------------

FUNCTIONS_2013 = ["new", "destroy", "poller", "poller_end", "set_tolerant", "set_verbose",
                  "start", "timer", "timer_end"]


def test_zloop_module_has_the_2013_functions_and_readers():
    """pyczmq.zloop has pyczmq 0.1's functions plus the reader ones."""
    for name in FUNCTIONS_2013 + ["reader", "reader_end", "reader_set_tolerant"]:
        assert callable(getattr(zloop, name)), name
        assert name in zloop.__all__


def test_zloop_functions_drive_a_loop(pair, pipe):
    """The functions behave as the methods: poller/reader/timer_end return 0, timer the id."""
    a, b = pair
    read_end, write_end = pipe
    loop = zloop.new()
    assert isinstance(loop, Loop)
    calls = []
    item = pollitem(fd=read_end, events=POLLIN)

    def on_readable(reactor, target, arg):
        calls.append(("poller", target is item, arg, os.read(read_end, 5)))
        zloop.poller_end(reactor, target)

    def on_message(reactor, sock, arg):
        calls.append(("reader", sock is b, arg, sock.recv_bytes()))
        zloop.reader_end(reactor, sock)

    timer_calls = []

    def on_timer(reactor, timer_id, arg):     # after a stall it may come first: it stops
        timer_calls.append((timer_id, arg))     # the loop once the other two had their turn
        return -1 if len(calls) == 2 or len(timer_calls) == 10 else 0

    assert zloop.reader(loop, b, on_message, 1) == 0
    zloop.reader_set_tolerant(loop, b)
    assert zloop.poller(loop, item, on_readable, 2) == 0
    zloop.set_tolerant(loop, item)
    zloop.set_verbose(loop, False)
    timer_id = zloop.timer(loop, 30, 0, on_timer, 3)
    assert isinstance(timer_id, int)
    a.send(b"m")
    os.write(write_end, b"p")
    assert zloop.start(loop) == -1
    assert sorted(calls, key=str) == [("poller", True, 2, b"p"), ("reader", True, 1, b"m")]
    assert timer_calls[0] == (timer_id, 3)
    assert zloop.timer_end(loop, timer_id) == 0
    with pytest.raises(ValueError):
        zloop.timer_end(loop, timer_id)
    zloop.destroy(loop)
    with pytest.raises(ClosedError):
        zloop.start(loop)


def test_zloop_timer_end_cancels_and_reader_end_stops(pair):
    """zloop.timer_end cancels and zloop.reader_end stops."""
    a, b = pair
    loop = zloop.new()
    first_run = zloop.timer(loop, 0, 0, lambda *args: -1)
    assert zloop.start(loop) == -1
    zloop.timer_end(loop, first_run)
    calls = []
    zloop.reader(loop, b, lambda *args: calls.append("reader"))
    zloop.reader_end(loop, b)
    ended = zloop.timer(loop, 10, 0, lambda *args: calls.append("ended"))
    assert zloop.timer_end(loop, ended) == 0
    zloop.timer(loop, 30, 0, lambda *args: -1)
    a.send(b"x")
    assert zloop.start(loop) == -1
    assert calls == []
    zloop.destroy(loop)
