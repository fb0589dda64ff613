"""pyczmq.asyncio: sockets whose sends and receives are coroutines.

``pyczmq.asyncio.Context`` makes sockets with the methods of
``pyczmq.Socket``; ``send``, ``recv``, ``recv_bytes``, ``send_multipart``,
``recv_multipart``, ``send_frame``, ``recv_frame``, ``send_msg``,
``recv_msg`` and ``poll`` are awaitable.  A call that can complete at once
never touches the event loop (it tries with DONTWAIT first); only a call that
would block waits, in order of arrival, for libzmq's ZMQ_FD.

libzmq's ZMQ_FD is edge-triggered: it signals that the socket's events may
have changed, and only once.  So after every operation (and every wake-up)
the socket's ZMQ_EVENTS is read again and waiters are served while events
remain: no wake-up is missed however many operations happen in between.

A receive that is cancelled loses nothing: a message is taken off the socket
only for a waiter that is still waiting, and one that was taken for a task
cancelled before it ran is given to the next receive.  A multipart send is
all or nothing.  Closing the socket or destroying its Context wakes every
waiter with ClosedError or ContextTerminated.
"""

import asyncio as _asyncio
import collections as _collections

import pyczmq as _pyczmq
from pyczmq import zmq as _zmq

__all__ = ["Context", "Socket", "Poller", "Beacon", "Auth"]

_POLLIN = _zmq.POLLIN
_POLLOUT = _zmq.POLLOUT
_DONTWAIT = _zmq.DONTWAIT

# receive kinds: the method of pyczmq.Socket that takes one message without
# waiting (returns None when nothing waits, or raises Again).
_RECEIVERS = {
    "bytes": lambda sock: sock.recv_bytes_nowait(),
    "text": lambda sock: sock.recv_nowait(),
    "multipart": lambda sock: sock.recv_multipart_nowait(),
    "frame": lambda sock: sock.recv_frame_nowait(),
    "msg": lambda sock: sock.recv_msg_nowait(),
}


def _nowait(method, flags):
    try:
        return method(flags)
    except _pyczmq.Again:
        return None


class Socket:
    """An asyncio socket over a ``pyczmq.Socket`` (``.socket``): the blocking
    calls are coroutines; options, bind/connect and the rest are the
    socket's own."""

    def __init__(self, sock, loop=None, context=None):
        self.socket = sock
        self._loop = loop
        self._context = context                 # the pyczmq.asyncio.Context, if made by one
        self._readers = _collections.deque()    # pending receives: [future, kind, number]
        self._writers = _collections.deque()    # (future, send callable)
        self._returned = []                     # [number, kind, message] taken for cancelled tasks
        self._taken = 0                         # messages taken off the socket for waiters
        self._watching = False
        self._closed_error = None
        self._fd = sock.fileno()                # constant for the socket's life

    # -- plumbing -------------------------------------------------------------

    def _get_loop(self):
        loop = _asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError("an asyncio Socket is used by one event loop")
        return loop

    def _watch(self):
        if not self._watching and (self._readers or self._writers):
            if self._context is not None:
                self._context._watch_destroy(self._loop)
            self._loop.add_reader(self._fd, self._serve)
            self._watching = True

    def _unwatch(self):
        if self._watching:
            self._watching = False
            self._loop.remove_reader(self._fd)

    def _fail_all(self, error):
        """Wake every waiter with `error` (the socket closed, the Context ended)."""
        self._closed_error = error
        waiters = [entry[0] for entry in self._readers] + [future for future, _ in self._writers]
        self._readers.clear()
        self._writers.clear()
        for future in waiters:
            if not future.done():
                future.set_exception(error)
        self._watching = False

    def _serve(self):
        """ZMQ_FD is readable, or an operation happened: serve waiters while
        the socket's events allow, then watch again if some still wait."""
        try:
            while True:
                try:
                    events = self.socket.events
                except (_pyczmq.ClosedError, _pyczmq.ContextTerminated) as error:
                    self._unwatch()
                    self._fail_all(error)
                    return
                served = False
                if events & _POLLIN or self._returned:
                    served |= self._serve_reader()
                if events & _POLLOUT:
                    served |= self._serve_writer()
                if not served:
                    break
        finally:
            # Once watched, the descriptor stays registered until close():
            # adding and removing it for every wait costs two epoll_ctl calls
            # a round trip; a wake-up with nobody waiting only reads the events.
            if self._readers or self._writers:
                self._watch()

    def _serve_reader(self):
        while self._readers:
            entry = self._readers[0]
            future, kind = entry[0], entry[1]
            if future.done():               # cancelled: it takes nothing
                self._readers.popleft()
                continue
            if self._returned:              # taken earlier for a cancelled task: first
                message = True if kind == "poll" else self._take_returned(kind, entry)
            else:
                try:
                    message = _RECEIVERS[kind](self.socket)
                except BaseException as error:  # noqa: B036 (handed to the waiter)
                    self._readers.popleft()
                    future.set_exception(error)
                    return True
                if message is None:
                    return False
                self._taken += 1
                entry[2] = self._taken
            self._readers.popleft()
            future.set_result(message)
            return True
        return False

    def _give_back(self, entry):
        """The task of a served receive was cancelled before it ran: its
        message goes, in its place in the order taken, to the next receive."""
        future, kind, number = entry
        if kind == "poll" or future.cancelled() or future.exception() is not None:
            return
        index = len(self._returned)
        while index and self._returned[index - 1][0] > number:
            index -= 1
        self._returned.insert(index, [number, kind, future.result()])
        if self._readers:
            self._serve()

    def _take_returned(self, kind, entry):
        """The first message given back, as `kind` (a message taken whole and
        asked for by part is given part by part, as the socket would)."""
        number, taken_as, message = self._returned.pop(0)
        if entry is not None:
            entry[2] = number
        if taken_as == kind:
            return message
        if taken_as in _WHOLE:
            parts = message if taken_as == "multipart" else message.tolist()
        else:
            parts = [_as_bytes(taken_as, message)]
            if not self._returned and self.socket.rcvmore:
                # the last part taken off the socket: the rest of its message follows
                parts += self.socket.recv_multipart_nowait() or []
        if kind in _WHOLE:
            return parts if kind == "multipart" else _pyczmq.Message(*parts)
        if len(parts) > 1:
            self._returned.insert(0, [number, "multipart", parts[1:]])
        return _from_bytes(kind, parts[0])

    def _serve_writer(self):
        while self._writers:
            future, send = self._writers[0]
            if future.done():
                self._writers.popleft()
                continue
            try:
                result = send()
            except _pyczmq.Again:
                return False
            except BaseException as error:  # noqa: B036 (handed to the waiter)
                self._writers.popleft()
                future.set_exception(error)
                return True
            self._writers.popleft()
            future.set_result(result)
            return True
        return False

    def _forget(self, waiters, entry):
        """A waiter was cancelled (or timed out): drop it now, and stop
        watching the descriptor when nobody waits."""
        try:
            waiters.remove(entry)
        except ValueError:
            pass                            # served or dropped already

    def _after_operation(self):
        """ZMQ_FD's edge may have been consumed by an operation: look again soon."""
        if self._readers or self._writers:
            self._loop.call_soon(self._serve)

    # -- receiving --------------------------------------------------------------

    async def _recv(self, kind):
        loop = self._get_loop()
        if self._closed_error is not None and self.socket.closed:
            raise self._closed_error
        if not self._readers:
            if self._returned:
                return self._take_returned(kind, None)
            message = _RECEIVERS[kind](self.socket)     # the fast path: no event loop
            if message is not None:
                self._after_operation()
                return message
        future = loop.create_future()
        entry = [future, kind, 0]
        self._readers.append(entry)
        self._serve()
        try:
            return await future
        except _asyncio.CancelledError:
            self._forget(self._readers, entry)
            if future.done():
                self._give_back(entry)
            raise

    async def recv(self):
        """Receive one message part as str (see pyczmq.Socket.recv)."""
        return await self._recv("text")

    async def recv_bytes(self):
        """Receive one message part as bytes."""
        if not self._readers and not self._returned:
            message = self.socket.recv_bytes_nowait()   # the fast path, inline
            if message is not None:
                if self._writers:
                    self._loop.call_soon(self._serve)
                return message
        return await self._recv("bytes")

    async def recv_multipart(self):
        """Receive all parts of the next message as a list of bytes."""
        if not self._readers and not self._returned:
            message = self.socket.recv_multipart_nowait()   # the fast path, inline
            if message is not None:
                if self._writers:
                    self._loop.call_soon(self._serve)
                return message
        return await self._recv("multipart")

    async def recv_frame(self):
        """Receive one message part as a Frame."""
        return await self._recv("frame")

    async def recv_msg(self):
        """Receive all parts of the next message as a Message."""
        return await self._recv("msg")

    # -- sending -------------------------------------------------------------------

    async def _send(self, send):
        loop = self._get_loop()
        if not self._writers:
            try:
                result = send()             # the fast path
            except _pyczmq.Again:
                pass
            else:
                self._after_operation()
                return result
        future = loop.create_future()
        self._writers.append((future, send))
        self._serve()
        try:
            return await future
        except _asyncio.CancelledError:
            self._forget(self._writers, (future, send))
            raise

    async def send(self, data, flags=0, copy=True, track=False):
        """Send str, bytes or a buffer as one part (see pyczmq.Socket.send)."""
        if not self._writers:
            try:                            # the fast path, inline
                result = self.socket.send(data, flags | _DONTWAIT, copy, track)
            except _pyczmq.Again:
                pass
            else:
                if self._readers:
                    self._loop.call_soon(self._serve)
                return result
        return await self._send(lambda: self.socket.send(data, flags | _DONTWAIT, copy, track))

    async def send_multipart(self, parts, flags=0, copy=True, track=False):
        """Send a multipart message: all of its parts or, if cancelled first, none."""
        if not self._writers:
            try:                            # the fast path, inline: all parts or none
                result = self.socket.send_multipart(parts, flags | _DONTWAIT, copy, track)
            except _pyczmq.Again:
                pass
            else:
                if self._readers:
                    self._loop.call_soon(self._serve)
                return result
        parts = list(parts)
        return await self._send(
            lambda: self.socket.send_multipart(parts, flags | _DONTWAIT, copy, track))

    async def send_frame(self, frame, flags=0):
        """Send a Frame (see pyczmq.Socket.send_frame)."""
        return await self._send(
            lambda: self.socket.send_frame(frame, flags | _pyczmq.Frame.DONTWAIT))

    async def send_msg(self, msg):
        """Send a Message; it is consumed."""
        def send():
            if not self.socket.events & _POLLOUT:
                raise _pyczmq.Again(11, "no room")
            return self.socket.send_msg(msg)
        return await self._send(send)

    # -- waiting ---------------------------------------------------------------------

    async def poll(self, timeout=None):
        """True once a message can be received, False after `timeout` ms."""
        if self._returned or self.socket.events & _POLLIN:
            return True
        loop = self._get_loop()
        future = loop.create_future()
        entry = [future, "poll", 0]
        self._readers.append(entry)
        self._serve()
        try:
            if timeout is None or timeout < 0:
                return await future
            return await _asyncio.wait_for(_asyncio.shield(future), timeout / 1000)
        except _asyncio.TimeoutError:
            return False
        finally:
            if not future.done():
                future.cancel()
            self._forget(self._readers, entry)

    # -- the rest is the socket's ---------------------------------------------------

    def close(self, linger=None):
        """Close the socket; waiting tasks get ClosedError."""
        if self._watching:
            self._unwatch()
        self.socket.close(linger)
        self._fail_all(_pyczmq.ClosedError("Socket is closed (close() was called)"))
        if self._context is not None and self in self._context._sockets:
            self._context._sockets.remove(self)

    def __getattr__(self, name):
        return getattr(self.socket, name)

    def __setattr__(self, name, value):
        if name in ("socket",) or name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self.socket, name, value)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        self.close()

    def __repr__(self):
        return "<pyczmq.asyncio.Socket over %r>" % (self.socket,)


_RECEIVERS["poll"] = lambda sock: True
_WHOLE = ("multipart", "msg")


def _as_bytes(kind, part):
    if kind == "bytes":
        return part
    if kind == "text":
        return part.encode("utf-8", "surrogateescape")
    return part.bytes()                     # a Frame


def _from_bytes(kind, data):
    if kind == "bytes":
        return data
    if kind == "text":
        return data.decode("utf-8", "surrogateescape")
    return _pyczmq.Frame(data)


class Context:
    """A pyczmq.Context whose ``socket()`` makes asyncio Sockets.  Destroying
    it, from any thread, wakes every task waiting on its sockets with
    ContextTerminated."""

    def __init__(self, context=None):
        self.context = context if context is not None else _pyczmq.Context()
        self._sockets = []
        self._destroy_loop = None           # the event loop watching destroyed_fileno()

    def socket(self, kind):
        """A new asyncio Socket of `kind`."""
        sock = Socket(self.context.socket(kind), context=self)
        self._sockets.append(sock)
        return sock

    def _watch_destroy(self, loop):
        """Have `loop` notice a destroy() made in another thread (it closes
        the sockets, whose descriptors then never become readable)."""
        if self._destroy_loop is loop or self.context.destroyed:
            return
        self._unwatch_destroy()
        loop.add_reader(self.context.destroyed_fileno(), self._destroyed, loop)
        self._destroy_loop = loop

    def _unwatch_destroy(self):
        loop, self._destroy_loop = self._destroy_loop, None
        if loop is not None and not loop.is_closed():
            loop.remove_reader(self.context.destroyed_fileno())

    def _destroyed(self, loop):
        """destroy() ran (in another thread): wake this loop's waiting tasks."""
        self._unwatch_destroy()
        self._fail_sockets(loop)

    def _fail_sockets(self, loop):
        """Wake the tasks waiting on the sockets that `loop` serves (or no loop)."""
        error = _pyczmq.ContextTerminated(_zmq.ETERM, "the Context was destroyed")
        others = []
        for sock in self._sockets:
            if sock._loop is None or sock._loop is loop:
                sock._unwatch()
                sock._fail_all(error)
            else:
                others.append(sock)
        self._sockets = others              # their own loops wake them

    def destroy(self, linger=None):
        """Close every socket (waiting tasks get ContextTerminated), end the
        Context.  From another thread than the event loop's, the loop wakes
        its tasks itself."""
        try:
            running = _asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not None and running is self._destroy_loop:
            self._unwatch_destroy()
        self._fail_sockets(running)
        self.context.destroy(linger)

    def __getattr__(self, name):
        return getattr(self.context, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.destroy()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        self.destroy()


class Poller:
    """An awaitable ``pyczmq.Poller``: ``await poller.wait(timeout)`` returns
    the first asyncio Socket (in the order added) with a message to receive,
    or None when `timeout` ms (-1 or None: forever) pass first."""

    def __init__(self, *sockets):
        self._sockets = []
        for sock in sockets:
            self.add(sock)

    def add(self, sock):
        """Watch one more asyncio Socket for input."""
        if not isinstance(sock, Socket):
            raise TypeError("pyczmq.asyncio.Poller watches pyczmq.asyncio sockets, not %s"
                            % type(sock).__name__)
        if sock not in self._sockets:
            self._sockets.append(sock)

    def remove(self, sock):
        """Stop watching `sock`."""
        if sock in self._sockets:
            self._sockets.remove(sock)

    @property
    def sockets(self):
        """The sockets watched, in the order added."""
        return list(self._sockets)

    async def wait(self, timeout=-1):
        """The first socket with a message within `timeout` ms, or None."""
        for sock in self._sockets:
            if sock.socket.events & _POLLIN:
                return sock
        if not self._sockets:
            if timeout is not None and timeout >= 0:
                await _asyncio.sleep(timeout / 1000)
            return None
        polls = [_asyncio.ensure_future(sock.poll(-1)) for sock in self._sockets]
        try:
            done, _ = await _asyncio.wait(
                polls, timeout=None if timeout is None or timeout < 0 else timeout / 1000,
                return_when=_asyncio.FIRST_COMPLETED)
        finally:
            for poll in polls:
                poll.cancel()
            await _asyncio.gather(*polls, return_exceptions=True)
        for sock, poll in zip(self._sockets, polls):
            if poll in done and not poll.cancelled():
                poll.result()               # (raises ClosedError/ContextTerminated)
                return sock
        return None


class Beacon:
    """A ``pyczmq.Beacon`` whose ``recv(timeout)`` is awaitable: it waits on
    the beacon's pipe through the event loop.  Its other methods are the
    beacon's own (``publish``, ``subscribe``, ``silence``, ...)."""

    def __init__(self, port, interface=None):
        self.beacon = _pyczmq.Beacon(port, interface=interface)
        self._pipe = Socket(self.beacon.socket)

    async def recv(self, timeout=None):
        """The next beacon as (sender address, data), or None when `timeout`
        ms (None: forever) pass first."""
        try:
            if timeout is None:
                parts = await self._pipe.recv_multipart()
            else:
                parts = await _asyncio.wait_for(self._pipe.recv_multipart(), timeout / 1000)
        except _asyncio.TimeoutError:
            return None
        return parts[0].decode("ascii", "replace"), parts[1]

    def destroy(self):
        """Stop the beacon; a task waiting in recv() gets ClosedError."""
        self._pipe._unwatch()
        self._pipe._fail_all(_pyczmq.ClosedError("the Beacon was destroyed"))
        self.beacon.destroy()

    def __getattr__(self, name):
        return getattr(self.beacon, name)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        self.destroy()


class Auth:
    """A ``pyczmq.Auth`` whose commands are coroutines: each waits for the
    actor's acknowledgement in a worker thread, never in the event loop."""

    def __init__(self, ctx=None, **options):
        if isinstance(ctx, Context):
            ctx = ctx.context
        self.auth = _pyczmq.Auth(ctx, **options)

    async def _call(self, method, *args):
        loop = _asyncio.get_running_loop()
        return await loop.run_in_executor(None, lambda: method(*args))

    async def allow(self, *addresses):
        """Allow these IP addresses (see pyczmq.Auth.allow)."""
        return await self._call(self.auth.allow, *addresses)

    async def deny(self, *addresses):
        """Deny these IP addresses (see pyczmq.Auth.deny)."""
        return await self._call(self.auth.deny, *addresses)

    async def configure_plain(self, domain, filename):
        """PLAIN passwords for `domain` from `filename`."""
        return await self._call(self.auth.configure_plain, domain, filename)

    async def configure_curve(self, domain, location):
        """CURVE clients for `domain`: a certificate folder or pyczmq.CURVE_ALLOW_ANY."""
        return await self._call(self.auth.configure_curve, domain, location)

    async def set_verbose(self, verbose=True):
        """Log every decision."""
        return await self._call(self.auth.set_verbose, verbose)

    def destroy(self):
        """Stop the authenticator."""
        self.auth.destroy()

    def __getattr__(self, name):
        return getattr(self.auth, name)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        self.destroy()
