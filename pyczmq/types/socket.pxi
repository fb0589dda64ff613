# Socket: a libzmq socket from CZMQ's process context.
#
# The handle comes from zsys_socket(), CZMQ's socket factory, rather than
# zsock_new(): zsock_new() asserts when libzmq cannot create a socket (too many
# sockets or open files) while zsys_socket() returns NULL, and every
# polymorphic CZMQ call (zframe_send, zstr_send, zsock_set_*, zpoller, zloop
# pollers, zcert_apply) accepts the raw handle.  CZMQ still counts the socket,
# so its atexit shutdown never blocks on it.
#
# Blocking: every send/recv first tries without blocking while holding the GIL
# (the fast path).  Only when it would block does _poll() release the GIL and
# wait in zmq_poll on the socket and on its Context's wake pipe, so Ctrl-C
# (EINTR) and Context.destroy() from another thread both end the wait.

import re as _re
import time as _time

# CZMQ's ephemeral-port syntax: tcp://host:* (first free), tcp://host:! (random
# start), optionally followed by [first-last]; the default range is 49152-65535.
_EPHEMERAL_ENDPOINT = _re.compile(r"^(tcp://.*):([*!])(?:\[(\d*)-(\d*)\])?$")
DYNFROM = 0xC000
DYNTO = 0xFFFF

# libzmq releases an endpoint asynchronously after unbind() or close(); bind()
# waits for one this process gave up in the last seconds instead of failing.
_recently_unbound = {}              # endpoint -> zclock_mono() ms when given up
cdef int64_t _UNBIND_GRACE = 2000

# Likewise libzmq frees a closed socket's slot (of its 1024) asynchronously.
cdef int64_t _last_close = -1000000
cdef int64_t _SLOT_GRACE = 1000

cdef void *_new_handle(Context ctx, int socket_type) noexcept:
    """A new libzmq socket in the Context's libzmq context, or NULL (errno set)."""
    if ctx._c_ctx == NULL:
        if zsys_init() == NULL:
            return NULL
        return zsys_socket(socket_type, NULL, 0)
    return zmq_socket(ctx._c_ctx, socket_type)


cdef _note_unbound(list binds, int64_t now):
    """Remember endpoints just given up, so that bind() waits for them."""
    for requested, resolved in binds or ():
        _recently_unbound[requested] = _recently_unbound[resolved] = now
    if len(_recently_unbound) > 256:
        for endpoint, when in list(_recently_unbound.items()):
            if now - when > _UNBIND_GRACE:
                del _recently_unbound[endpoint]


# The socket types each type can talk to (ZMTP, RFC 23).  libzmq refuses the
# other pairings in the tcp and ipc handshakes, but over inproc it connects
# them, and some abort the process: a ROUTER handed to a PAIR that already has
# its peer ("written (src/pipe.cpp:87)").  STREAM talks to raw tcp peers only;
# over inproc a multipart message from its peer aborts libzmq 4.3.4
# ("(_prefetched_msg.flags () & msg_t::more) == 0 (src/stream.cpp:240)").
_PEER_TYPES = {
    ZMQ_PAIR: (ZMQ_PAIR,), ZMQ_PUB: (ZMQ_SUB, ZMQ_XSUB), ZMQ_SUB: (ZMQ_PUB, ZMQ_XPUB),
    ZMQ_REQ: (ZMQ_REP, ZMQ_ROUTER), ZMQ_REP: (ZMQ_REQ, ZMQ_DEALER),
    ZMQ_DEALER: (ZMQ_REP, ZMQ_DEALER, ZMQ_ROUTER), ZMQ_ROUTER: (ZMQ_REQ, ZMQ_DEALER, ZMQ_ROUTER),
    ZMQ_PULL: (ZMQ_PUSH,), ZMQ_PUSH: (ZMQ_PULL,), ZMQ_XPUB: (ZMQ_SUB, ZMQ_XSUB),
    ZMQ_XSUB: (ZMQ_PUB, ZMQ_XPUB), ZMQ_STREAM: (),
}


cdef int _check_inproc_peers(Socket sock, str endpoint, bint binding) except -1:
    """Refuse an inproc bind or connect that would pair `sock` with a socket
    of this process libzmq can not serve it with (see _PEER_TYPES)."""
    if sock._type == ZMQ_STREAM:
        raise ZMQError(ENOCOMPATPROTO, "%s %r: a STREAM socket talks to raw tcp peers only "
                       "(over inproc libzmq 4.3.4 aborts on its peer's first multipart message)"
                       % ("bind to" if binding else "connect to", endpoint))
    peers = _PEER_TYPES[sock._type]
    for other in _open_sockets:
        if other is sock or (<Socket>other).ctx._c_ctx != sock.ctx._c_ctx:
            continue                        # not in the same libzmq context
        if binding:
            linked = endpoint in (<Socket>other)._connects
        else:
            linked = any(resolved == endpoint for _, resolved in (<Socket>other)._binds)
        if linked and (<Socket>other)._type not in peers:
            raise ZMQError(EINVAL, "%s %r: a %s socket can not talk to the %s socket %s there "
                           "(a %s talks to %s; over inproc libzmq does not refuse the pairing "
                           "and can abort the process)" % (
                               "bind to" if binding else "connect to", endpoint,
                               SOCKET_TYPE_NAMES[sock._type],
                               SOCKET_TYPE_NAMES[(<Socket>other)._type],
                               "connected" if binding else "bound",
                               SOCKET_TYPE_NAMES[sock._type],
                               " or ".join(SOCKET_TYPE_NAMES[kind] for kind in peers)))
    return 0


cdef inline bint _usable(Socket sock) noexcept:
    """The socket can be used now: the test _check() makes, inlined for the
    fast paths (no method call)."""
    return (sock._c_handle != NULL and not sock._busy and sock._pid == _process_pid
            and not sock.ctx._destroyed)


# The one fast path of every send and receive (see "one part" in Socket):
# inline functions of the socket, so that the fast path is one C call into
# libzmq.

cdef inline int _try_send(Socket self, zmq_msg_t *msg, const void *data, size_t size,
                          int flags) noexcept:
    """Send one part now if there is room (flags: ZMQ_SNDMORE): `msg`, or
    with `msg` NULL a copy of `size` bytes at `data`.  1 sent (`msg` is
    left empty), 0 no room, -1 failed (zmq_errno(); a receive-only
    socket, an actor's pipe, fails with ENOTSUP).  Raise the failure with
    _raise_send()."""
    cdef int err, rc
    if self._receive_only:
        return -1
    while True:
        if msg != NULL:
            rc = zmq_msg_send(msg, self._c_handle, (flags & ZMQ_SNDMORE) | ZMQ_DONTWAIT)
        else:
            rc = zmq_send(self._c_handle, data, size, (flags & ZMQ_SNDMORE) | ZMQ_DONTWAIT)
        if rc >= 0:
            self._sending_more = flags & ZMQ_SNDMORE
            return 1
        err = zmq_errno()
        if err == EAGAIN:
            return 0
        if err != EINTR:
            return -1

cdef inline int _try_recv(Socket self, zmq_msg_t *msg) noexcept:
    """Receive one part into the initialised `msg` if one is waiting: 1,
    else 0; -1 failed (zmq_errno())."""
    cdef int err
    while zmq_msg_recv(msg, self._c_handle, ZMQ_DONTWAIT) < 0:
        err = zmq_errno()
        if err == EAGAIN:
            return 0
        if err != EINTR:
            return -1
    return 1

cdef enum:
    _NOT_TRIED = -2     # (what _send_one/_recv_one tell their slow part of an unusable socket)

cdef inline int _send_one(Socket self, zmq_msg_t *msg, int flags) except -1:
    """Send `msg` as one part: at once if there is room (inline), else
    reserved while it waits.  `msg` is empty after a send; the caller closes
    it after a failure."""
    cdef int rc = _NOT_TRIED
    if _usable(self):
        rc = _try_send(self, msg, NULL, 0, flags)
        if rc > 0:
            return 0
    return self._send_one_waiting(msg, flags, rc)

cdef inline int _recv_one(Socket self, zmq_msg_t *msg, int flags) except -1:
    """Receive one part into `msg`: at once if one waits (inline), else
    reserved while it waits; 0 under ZMQ_DONTWAIT when nothing waits."""
    cdef int rc = _NOT_TRIED
    if _usable(self):
        rc = _try_recv(self, msg)
        if rc > 0:
            return 1
    return self._recv_one_waiting(msg, flags, rc)

cdef inline object _recv_bytes(Socket self, int flags):
    """One part as bytes; None under ZMQ_DONTWAIT when nothing waits."""
    cdef zmq_msg_t msg
    zmq_msg_init(&msg)
    try:
        if not _recv_one(self, &msg, flags):
            return None
        return _bytes_of(&msg)
    finally:
        zmq_msg_close(&msg)

cdef inline object _recv_text(Socket self, int flags):
    """One part as str (see Socket.recv); None as _recv_bytes()."""
    cdef zmq_msg_t msg
    zmq_msg_init(&msg)
    try:
        if not _recv_one(self, &msg, flags):
            return None
        return _decode(<const char *>zmq_msg_data(&msg), zmq_msg_size(&msg))
    finally:
        zmq_msg_close(&msg)

# Parts at least this big are copied with the GIL released (when the copy's
# source and destination can not change meanwhile).
cdef size_t _NOGIL_COPY = 65536

cdef int _SEND_FLAGS = ZMQ_SNDMORE | ZMQ_DONTWAIT
cdef int _FRAME_FLAGS = ZFRAME_MORE | ZFRAME_REUSE | ZFRAME_DONTWAIT


cdef bytes _endpoint_bytes(object endpoint):
    """An endpoint as NUL-free bytes."""
    if isinstance(endpoint, str):
        data = (<str>endpoint).encode("utf-8")
    elif isinstance(endpoint, bytes):
        data = endpoint
    else:
        raise TypeError("endpoint must be str or bytes, not %s" % type(endpoint).__name__)
    if b"\0" in data:
        raise ValueError("endpoint %r contains a NUL character" % (endpoint,))
    return data


cdef int _get_buffer(object data, Py_buffer *view) except -1:
    """Fill `view` with the bytes of a str (UTF-8, see encode_text), bytes or
    any C-contiguous buffer."""
    cdef const char *text
    cdef Py_ssize_t size
    if isinstance(data, str):
        try:
            text = PyUnicode_AsUTF8AndSize(data, &size)     # cached in the str: no copy
        except UnicodeEncodeError:
            data = encode_text(data)
            text, size = PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data)
        return PyBuffer_FillInfo(view, data, <void *>text, size, 1, PyBUF_SIMPLE)
    if not PyObject_CheckBuffer(data):
        raise TypeError("expected str, bytes or a buffer, not %s" % type(data).__name__)
    return PyObject_GetBuffer(data, view, PyBUF_ANY_CONTIGUOUS)


cdef inline void _copy(void *destination, const void *source, size_t size) noexcept:
    """memcpy, with the GIL released for big copies: the caller guarantees that
    neither side can change or go away meanwhile."""
    if size < _NOGIL_COPY:
        memcpy(destination, source, size)
    else:
        with nogil:
            memcpy(destination, source, size)


cdef bytes _bytes_of(zmq_msg_t *msg):
    """A message part's data as a new bytes object."""
    cdef size_t size = zmq_msg_size(msg)
    cdef bytes result
    if size < _NOGIL_COPY:
        return PyBytes_FromStringAndSize(<char *>zmq_msg_data(msg), size)
    result = PyBytes_FromStringAndSize(NULL, size)     # not shared with anyone yet
    _copy(PyBytes_AS_STRING(result), zmq_msg_data(msg), size)
    return result


cdef str _decode(const char *data, size_t size):
    # Lossless: bytes that are not UTF-8 come back as surrogates.
    return PyUnicode_DecodeUTF8(data, size, "surrogateescape")


cdef str decode_text(bytes data):
    """Received bytes as str, as Socket.recv() returns them."""
    return _decode(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))


cdef bytes encode_text(str text):
    """A str as the bytes it is sent as: UTF-8, and the surrogates that stand
    for received bytes that were not UTF-8 as those bytes again (so a str
    received goes out unchanged)."""
    return text.encode("utf-8", "surrogateescape")


# The collector must never take a Socket's Context from it while the socket
# is open: the Context's finalizer would then terminate an own libzmq context
# under the socket (zmq_ctx_term waits for it: gc.collect() never returns).
# So the collector breaks cycles elsewhere, and the Context goes last.
@cython.no_gc_clear
cdef class Socket(SocketOptions):
    """A ZeroMQ socket: one of the 12 classic types (PAIR, PUB, SUB, REQ, REP,
    DEALER, ROUTER, PULL, PUSH, XPUB, XSUB, STREAM), made through a Context.

    ``recv()`` returns str (pyczmq 0.1's string receive), ``recv_bytes()`` bytes;
    ``send()`` takes str, bytes or any buffer.  Frames and Messages have their
    own calls.  Every libzmq 4.3 socket option is a property (``sock.linger``,
    ``sock.subscribe = b""``) and has a ``set_<option>(value)`` method.
    Blocking calls release the GIL; Ctrl-C interrupts them.
    """

    def __cinit__(self):
        self._binds = []
        self._connects = []
        self._use_fd = -1

    def __init__(self, Context ctx, kind):
        cdef int socket_type = _socket_type(kind)
        cdef void *handle
        cdef int value
        global _context_started
        if self._c_handle != NULL or self._closed_reason is not None:
            raise RuntimeError("Socket.__init__ called twice")
        if ctx is None:
            ctx = _default_context()
        ctx._check_alive()
        ctx._before_first_socket()
        handle = _new_handle(ctx, socket_type)
        # libzmq frees a closed socket's slot asynchronously: at the limit,
        # give a socket closed a moment ago the time to free its slot.
        deadline = _last_close + _SLOT_GRACE
        while handle == NULL and zmq_errno() == EMFILE and zclock_mono() < deadline:
            _time.sleep(0.001)
            handle = _new_handle(ctx, socket_type)
        if handle == NULL:
            _raise_last("create a %s socket" % SOCKET_TYPE_NAMES[socket_type])
        if ctx._c_ctx == NULL:
            _context_started = True
        else:
            ctx._own_started = True
        self._zsys = ctx._c_ctx == NULL
        self._c_handle = handle
        self._type = socket_type
        self._pid = _process_pid
        self.ctx = ctx
        _live_socket_opened(self)
        for option, value in ((ZMQ_LINGER, ctx._linger), (ZMQ_SNDHWM, ctx._sndhwm),
                              (ZMQ_RCVHWM, ctx._rcvhwm)):
            if value != _UNSET:
                if zmq_setsockopt(handle, option, &value, sizeof(int)) != 0:
                    self._close("its options could not be set")
                    _raise_last("apply the Context's defaults")
        ctx._sockets.add(self)
        _open_sockets.add(self)

    def __dealloc__(self):
        global _last_close
        if self._c_handle != NULL and self._pid == _process_pid:
            self._close_handle()
            _last_close = zclock_mono()
            if self._binds and _recently_unbound is not None:   # None late in shutdown
                _note_unbound(self._binds, _last_close)

    def __del__(self):
        _warn_unclosed_socket(self)

    # -- state -------------------------------------------------------------

    cdef int _check(self) except -1:
        if not _usable(self):
            return self._raise_unusable()
        return 0

    cdef int _check_writable(self) except -1:
        """Raise unless the application may send on this socket and change its
        endpoints (not on an actor's pipe): for bind/connect and the proxy;
        every send checks in _try_send()."""
        if self._receive_only:
            return self._refuse_send()
        return 0

    cdef int _raise_unusable(self) except -1:
        if self._c_handle == NULL:
            raise ClosedError("Socket is closed (%s)" % self._closed_reason, ENOTSOCK)
        if self._pid != _process_pid:
            raise ClosedError("Socket belongs to process %d: a forked child must make its own"
                              % self._pid, ENOTSOCK)
        if self._busy:
            raise ZMQError(EBUSY, "Socket is in use by a blocking call in another thread "
                           "(a ZeroMQ socket must be used by one thread at a time)")
        # Its Context was destroyed while another thread was using it.
        self._close("its Context was destroyed")
        raise ClosedError("Socket is closed (its Context was destroyed)", ENOTSOCK)

    cdef void _close_handle(self) noexcept:
        """Close the libzmq handle (this process's own) and forget it."""
        global _czmq_lingers_forever
        cdef int linger = 0
        cdef size_t size = sizeof(int)
        if self._use_fd >= 0:               # a use_fd no bind adopted
            close(self._use_fd)
            self._use_fd = -1
        # Its unsent messages may keep the context's termination (destroy(),
        # the process's exit) waiting as long as its linger: remember forever.
        zmq_getsockopt(self._c_handle, ZMQ_LINGER, &linger, &size)
        if linger < 0:
            if self._zsys:
                _czmq_lingers_forever = True
            elif self.ctx is not None:
                self.ctx._lingers_forever = True
        if self._zsys:
            zsys_close(self._c_handle, NULL, 0)     # CZMQ counts its sockets
        else:
            zmq_close(self._c_handle)
        _live_socket_closed(self)
        self._c_handle = NULL

    cdef int _watch(self, object watcher) except -1:
        """A Loop or Poller now holds this socket: tell it before closing."""
        if self._watchers is None:
            self._watchers = _weakref.WeakSet()
        self._watchers.add(watcher)
        return 0

    cdef int _close(self, str reason) except -1:
        global _last_close
        if self._c_handle == NULL:
            return 0
        if self._watchers:
            for watcher in list(self._watchers):    # they must not poll a closed socket
                if isinstance(watcher, Loop):
                    (<Loop>watcher)._forget(self)
                else:
                    (<Poller>watcher)._forget(self)
            self._watchers = None
        self._closed_reason = reason
        if self._pid == _process_pid:
            self._close_handle()
            _last_close = zclock_mono()
            _note_unbound(self._binds, _last_close)
        self.ctx._sockets.discard(self)
        _open_sockets.discard(self)
        return 0

    cdef bint _close_at_exit(self) noexcept:
        """Close unless a blocking call holds the socket; True if now closed."""
        if self._c_handle == NULL or self._pid != _process_pid:
            return True
        if self._busy:
            return False
        self._close_handle()
        self._closed_reason = "the interpreter exited"
        return True

    def close(self, linger=None):
        """Close the socket (idempotent); `linger` (ms) overrides its linger first."""
        cdef int value
        if self._c_handle == NULL:
            return
        if self._busy:
            self._raise_unusable()
        if linger is not None and self._pid == _process_pid:
            _check_int_range("linger", linger, -1, 2**31 - 1)
            value = linger
            zmq_setsockopt(self._c_handle, ZMQ_LINGER, &value, sizeof(int))
        self._close("close() was called")

    @property
    def closed(self):
        """True once the socket is closed."""
        return self._c_handle == NULL

    @property
    def underlying(self):
        """Address of the libzmq socket handle, as an int (use with care)."""
        self._check()
        return <size_t>self._c_handle

    @property
    def sock(self):
        """The 2013 API's name of `underlying` (a cdata pointer then, an int now)."""
        return self.underlying

    def fileno(self):
        """libzmq's ZMQ_FD of the socket, for event loops (asyncio, selectors):
        it becomes readable when the socket's events (``sock.events``) may
        have changed -- edge-triggered, so read ``events`` after every wake-up
        and after every send or receive."""
        return self.fd

    def type(self):
        """The socket type, a ZMQ_* constant (e.g. ``pyczmq.zmq.PUSH``)."""
        self._check()
        return self._type

    def type_str(self):
        """The socket type as a name, e.g. "PUSH"."""
        self._check()
        return SOCKET_TYPE_NAMES[self._type]

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __repr__(self):
        parts = [SOCKET_TYPE_NAMES[self._type]]
        if self._c_handle == NULL:
            parts.append("closed")
        parts += ["bound %s" % resolved for _, resolved in self._binds]
        parts += ["connected %s" % endpoint for endpoint in self._connects]
        return "<pyczmq.Socket %s at %#x>" % (", ".join(parts), id(self))

    # -- endpoints -----------------------------------------------------------

    def bind(self, endpoint):
        """Bind to `endpoint` and return the TCP port (0 for other transports).

        ``tcp://host:*`` binds the first free port from 49152 up, ``tcp://host:!``
        a random one; ``*[first-last]`` or ``![first-last]`` sets the range.
        """
        cdef bytes address = _endpoint_bytes(endpoint)
        cdef int rc = -1, err = 0, use_fd = -1, retries = 0
        cdef size_t size = sizeof(int)
        self._check()
        self._check_writable()
        text = address.decode("utf-8")
        if text.startswith("inproc://"):
            _check_inproc_peers(self, text, True)
        if text.startswith(("tcp://", "ipc://")):
            # The descriptor may have been closed or reused since it was set.
            zmq_getsockopt(self._c_handle, ZMQ_USE_FD, &use_fd, &size)
            _check_use_fd(use_fd, text[:3])
        else:
            use_fd = -1                     # libzmq ignores it for other transports
        match = _EPHEMERAL_ENDPOINT.match(text)
        if match:
            host, operator, first, last = match.groups()
            first = int(first) if first else DYNFROM
            last = int(last) if last else DYNTO
            if not 0 < first <= last <= 65535:
                raise ValueError("bad port range in %r" % text)
            count = last - first + 1
            port = first + (_random.randrange(count) if operator == "!" else 0)
            err = EADDRINUSE
            for _ in range(count):
                candidate = ("%s:%d" % (host, port)).encode()
                rc = zmq_bind(self._c_handle, candidate)
                if rc == 0:
                    break
                err = self._bind_error(candidate)
                if err not in (EADDRINUSE, EACCES):
                    break
                port = first if port == last else port + 1
        else:
            while True:
                rc = zmq_bind(self._c_handle, address)
                if rc == 0:
                    break
                err = self._bind_error(address)
                if err == 0 and retries < 3:
                    retries += 1
                    continue                # free by now: try again
                unbound_at = _recently_unbound.get(text)
                if err != EADDRINUSE or unbound_at is None \
                        or zclock_mono() - unbound_at > _UNBIND_GRACE:
                    break
                _time.sleep(0.002)
        if rc != 0:
            _raise_zmq(err or EADDRINUSE, "bind to %r" % text)
        if use_fd != -1:
            # The listener adopted the descriptor (it will close it); a second
            # bind must not adopt it again.
            self._use_fd = -1
            use_fd = -1
            zmq_setsockopt(self._c_handle, ZMQ_USE_FD, &use_fd, sizeof(int))
        self._attached = True
        resolved = self._last_endpoint()
        self._binds.append((text, resolved))
        if resolved.startswith("tcp://"):
            return int(resolved.rsplit(":", 1)[1])
        return 0

    cdef int _bind_error(self, bytes address):
        """Why zmq_bind() just failed.  On a monitored socket libzmq sends the
        BIND_FAILED event before returning, which leaves EAGAIN in errno (no
        bind fails so): then a socket without a monitor tries the address to
        learn the reason (0 if it is free now)."""
        cdef int err = zmq_errno()
        cdef void *probe
        if err != EAGAIN:
            return err
        probe = zmq_socket(self.ctx._zmq_context(), ZMQ_PAIR)
        if probe == NULL:
            return err
        err = 0 if zmq_bind(probe, address) == 0 else zmq_errno()
        zmq_close(probe)
        return err

    def unbind(self, endpoint):
        """Stop listening on `endpoint` (as given to bind(), or as resolved)."""
        cdef bytes address = _endpoint_bytes(endpoint)
        self._check()
        self._check_writable()
        text = address.decode("utf-8")
        for entry in self._binds:
            if text in entry:
                text = entry[1]
                break
        if zmq_unbind(self._c_handle, text.encode("utf-8")) != 0:
            _raise_last("unbind from %r" % (endpoint,))
        _note_unbound([entry for entry in self._binds if entry[1] == text] or [(text, text)],
                      zclock_mono())
        self._binds = [entry for entry in self._binds if entry[1] != text]

    def connect(self, endpoint):
        """Connect to `endpoint` (e.g. ``tcp://127.0.0.1:5555``, ``inproc://name``)."""
        cdef bytes address = _endpoint_bytes(endpoint)
        self._check()
        self._check_writable()
        if _zauth_owner != NULL and self._zsys and address == b"inproc://zeromq.zap.01":
            raise ValueError("inproc://zeromq.zap.01 is the running Auth's ZAP endpoint: only "
                             "libzmq may send to it (zauth trusts every request to be valid)")
        text = address.decode("utf-8")
        if text.startswith("inproc://"):
            _check_inproc_peers(self, text, False)
        if zmq_connect(self._c_handle, address) != 0:
            _raise_last("connect to %r" % (endpoint,))
        self._attached = True
        self._connects.append(text)

    def disconnect(self, endpoint):
        """Disconnect from an endpoint given to connect()."""
        cdef bytes address = _endpoint_bytes(endpoint)
        self._check()
        self._check_writable()
        if zmq_disconnect(self._c_handle, address) != 0:
            _raise_last("disconnect from %r" % (endpoint,))
        text = address.decode("utf-8")
        if text in self._connects:
            self._connects.remove(text)

    cdef str _last_endpoint(self):
        # (an inproc name can be longer than any fixed buffer)
        return _get_option_bytes(self, SOCKET_OPTIONS["last_endpoint"])

    # -- the I/O gate --------------------------------------------------------------
    #
    # A call that may release the GIL or run Python code while it uses the
    # socket (a wait, a big copy, a multipart message, a nogil loop; a Loop,
    # Poller or proxy holding it) reserves the socket first.  Until it is
    # released, any other use -- another thread, a signal handler, a finalizer
    # -- gets EBUSY, and Context.destroy() leaves the socket to that call,
    # which it wakes.  Only _try_reserve() and _release() change the flag.
    # A call that completes at once (the fast path: check, one try without
    # waiting, done) runs no Python code in between and reserves nothing.

    cdef bint _try_reserve(self) noexcept:
        """Reserve the socket if it is usable now; False if not."""
        if not _usable(self):
            return False
        self._busy = True
        return True

    cdef int _reserve(self) except -1:
        """Reserve the socket, or raise why it can not be used now."""
        if not self._try_reserve():
            return self._raise_unusable()
        return 0

    cdef void _release(self) noexcept nogil:
        """End a reservation made by _reserve()."""
        self._busy = False

    cdef int _refuse_send(self) except -1:
        raise ZMQError(ENOTSUP, "this socket only receives")

    # -- waiting ---------------------------------------------------------------------

    cdef int _poll(self, short events, long timeout, bint interruptible) except -1:
        """Wait on the reserved socket, GIL released, until it has `events` (1)
        or `timeout` ms pass (0; -1 waits forever): _wait_items() with the
        Context's wake pipe, so Ctrl-C raises KeyboardInterrupt (when
        `interruptible`) and a destroyed Context closes the socket and raises
        ContextTerminated."""
        cdef zmq_pollitem_t items[3]
        cdef WaitSet waits
        cdef int rc
        items[0].socket = self._c_handle
        items[0].fd = 0
        items[0].events = events
        _waitset_begin(&waits, items, 1, (self.ctx,))
        try:
            with nogil:
                rc = _wait_items(&waits, timeout, interruptible)
        finally:
            _waitset_end(&waits)
        if rc == WAIT_WOKEN or self.ctx._destroyed:
            self._close("its Context was destroyed" if self.ctx._destroyed
                        else "its context was terminated")
            raise ContextTerminated(ETERM, "the socket's Context was destroyed"
                                    if self.ctx._destroyed else "the socket's context was terminated")
        return rc

    cdef int _wait(self, short events, bint interruptible) except -1:
        """_poll() for up to the socket's rcvtimeo (POLLIN) or sndtimeo (POLLOUT)."""
        cdef int timeout = -1
        cdef size_t size = sizeof(int)
        if zmq_getsockopt(self._c_handle, ZMQ_RCVTIMEO if events == ZMQ_POLLIN else ZMQ_SNDTIMEO,
                          &timeout, &size) != 0:
            _raise_last("read the socket's timeout")
        if timeout == 0:
            return 0
        return self._poll(events, timeout, interruptible)

    def poll(self, timeout=0):
        """True if a message can be received within `timeout` ms (-1: wait forever)."""
        cdef long wait = timeout
        self._reserve()
        try:
            return bool(self._poll(ZMQ_POLLIN, wait, True))
        finally:
            self._release()

    # -- one part: the fast path and the wait ----------------------------------------
    #
    # Every send and receive -- bytes, str, multipart, Frame, Message, zstr,
    # zero-copy, the raw zmq.send/msg_send -- moves a zmq_msg_t through
    # _try_send()/_try_recv(): one attempt that never waits.  Only when it
    # would block does _send_part()/_recv_part() wait (socket reserved).
    # The first part of a message may wait for room (or fail with Again under
    # DONTWAIT).  The rest of a message is sent as libzmq's blocking send does:
    # it never waits, and if the only peer went away mid-message libzmq drops
    # the remaining parts (EAGAIN here) -- polling for room then would hang.

    cdef int _raise_send(self) except -1:
        """Raise why _try_send() failed."""
        if self._receive_only:
            return self._refuse_send()
        return _raise_zmq(zmq_errno(), "send")

    cdef int _send_part(self, zmq_msg_t *msg, int flags) except -1:
        """Send `msg` as one part on the reserved socket (flags: ZMQ_SNDMORE |
        ZMQ_DONTWAIT), waiting for room if it is a first part.  The caller
        keeps `msg` (empty after a send) and closes it."""
        cdef int rc = _try_send(self, msg, NULL, 0, flags)
        if rc > 0:
            return 0
        if rc < 0:
            return self._raise_send()
        return self._send_when_room(msg, flags)

    cdef int _send_when_room(self, zmq_msg_t *msg, int flags) except -1:
        """_send_part() after a try found no room: a first part waits for room
        (up to sndtimeo) and is sent; a later part was dropped by libzmq, as
        its blocking send would (the only peer went away mid-message)."""
        cdef int rc
        cdef bint first = not self._sending_more
        while True:
            if not first:
                self._sending_more = flags & ZMQ_SNDMORE
                return 0
            if flags & ZMQ_DONTWAIT:
                raise Again(EAGAIN, "send: no room to send")
            if not self._wait(ZMQ_POLLOUT, True):
                raise Again(EAGAIN, "send: sndtimeo expired")
            rc = _try_send(self, msg, NULL, 0, flags)
            if rc > 0:
                return 0
            if rc < 0:
                return self._raise_send()

    cdef int _recv_part(self, zmq_msg_t *msg, int flags, bint interruptible) except -1:
        """Receive one part on the reserved socket into the initialised `msg`
        (the caller closes it).  Returns 0 instead of waiting when `flags` has
        ZMQ_DONTWAIT."""
        cdef int rc = _try_recv(self, msg)
        if rc > 0:
            return 1
        if rc < 0:
            return _raise_zmq(zmq_errno(), "recv")
        if flags & ZMQ_DONTWAIT:
            return 0
        return self._recv_when_ready(msg, interruptible)

    cdef int _recv_when_ready(self, zmq_msg_t *msg, bint interruptible) except -1:
        """_recv_part() after a try found nothing: wait (up to rcvtimeo) and receive."""
        cdef int rc
        while True:
            if not self._wait(ZMQ_POLLIN, interruptible):
                raise Again(EAGAIN, "recv: rcvtimeo expired")
            rc = _try_recv(self, msg)
            if rc > 0:
                return 1
            if rc < 0:
                return _raise_zmq(zmq_errno(), "recv")

    cdef int _send_one_waiting(self, zmq_msg_t *msg, int flags, int tried) except -1:
        """_send_one() after its inline part: `tried` is what its try returned
        (0 no room, -1 failed), or _NOT_TRIED when the socket was unusable.
        Raises, or reserves the socket while it waits."""
        if tried == _NOT_TRIED:
            return self._raise_unusable()
        if tried < 0:
            return self._raise_send()
        self._reserve()
        try:
            return self._send_when_room(msg, flags)
        finally:
            self._release()

    cdef int _recv_one_waiting(self, zmq_msg_t *msg, int flags, int tried) except -1:
        """_recv_one() after its inline part (`tried` as for _send_one_waiting):
        raises, returns 0 under ZMQ_DONTWAIT, or reserves the socket while it
        waits."""
        if tried == _NOT_TRIED:
            return self._raise_unusable()
        if tried < 0:
            return _raise_zmq(zmq_errno(), "recv")
        if flags & ZMQ_DONTWAIT:
            return 0
        self._reserve()
        try:
            return self._recv_when_ready(msg, True)
        finally:
            self._release()

    cdef int _fill_part(self, zmq_msg_t *msg, const void *data, size_t size) except -1:
        """Initialise `msg` with a copy of `size` bytes at `data` (which must
        not change meanwhile; big copies release the GIL)."""
        if zmq_msg_init_size(msg, size) != 0:
            zmq_msg_init(msg)
            raise MemoryError("no memory for a %d-byte message" % size)
        _copy(zmq_msg_data(msg), data, size)
        return 0

    cdef int _send_copy(self, const void *data, size_t size, int flags) except -1:
        """Send a copy of `size` bytes at `data` as one part on the reserved
        socket (flags: ZMQ_SNDMORE | ZMQ_DONTWAIT); `data` must not change
        until it returns."""
        cdef zmq_msg_t msg
        cdef int rc
        if size < _NOGIL_COPY:
            rc = _try_send(self, NULL, data, size, flags)
            if rc > 0:
                return 0
            if rc < 0:
                return self._raise_send()
        self._fill_part(&msg, data, size)       # (big: the GIL is released)
        try:
            if size < _NOGIL_COPY:
                self._send_when_room(&msg, flags)
            else:
                self._send_part(&msg, flags)
        finally:
            zmq_msg_close(&msg)
        return 0

    cdef int _send_data(self, const void *data, size_t size, int flags) except -1:
        """Send a copy of `size` bytes at `data` as one part (flags:
        ZMQ_SNDMORE | ZMQ_DONTWAIT); `data` must not change until it returns."""
        if not _usable(self):
            return self._raise_unusable()
        if size < _NOGIL_COPY and _try_send(self, NULL, data, size, flags) > 0:
            return 0                    # the fast path
        self._reserve()
        try:
            return self._send_copy(data, size, flags)
        finally:
            self._release()

    # -- Cython API: parts as C data -------------------------------------------------

    cdef int send_buffer(self, const void *data, size_t size, int flags) except -1:
        """Send `size` bytes at `data` as one part (flags: ZMQ_SNDMORE | ZMQ_DONTWAIT).
        `data` must stay unchanged until it returns."""
        return self._send_data(data, size, flags)

    cdef bytes recv_bytes_c(self, int flags):
        """Receive one part as bytes; None if `flags` has ZMQ_DONTWAIT and nothing waits."""
        return _recv_bytes(self, flags)

    cdef str recv_text_c(self, int flags):
        """Receive one part as str (UTF-8, other bytes as surrogates), decoded
        straight from the message; None as recv_bytes_c()."""
        return _recv_text(self, flags)

    cdef int send_zmq_msg_c(self, zmq_msg_t *msg, int flags) except -1:
        """Send a libzmq message as one part (flags: ZMQ_SNDMORE | ZMQ_DONTWAIT):
        `msg` is empty after the send; after a failure it is unchanged (the
        caller closes it either way)."""
        return _send_one(self, msg, flags)

    cdef int recv_zmq_msg_c(self, zmq_msg_t *msg, int flags) except -1:
        """Receive one part into the initialised libzmq message `msg`: 1, or 0
        if `flags` has ZMQ_DONTWAIT and nothing waits."""
        return _recv_one(self, msg, flags)

    # -- Cython API: loops without the GIL ---------------------------------------

    cdef int begin_nogil(self) except -1:
        """Reserve the socket for a loop that runs without the GIL (call it
        holding the GIL).  Until end_nogil(), any other use of the socket,
        from Python or another thread, gets EBUSY, so it can not be closed
        under the loop.  Context.destroy() can not interrupt such a loop: give
        it a timeout (rcvtimeo/sndtimeo) if it may block for long."""
        return self._reserve()

    cdef void end_nogil(self) noexcept nogil:
        """End the reservation made by begin_nogil()."""
        self._release()

    cdef int send_nogil(self, const void *data, size_t size, int flags) noexcept nogil:
        """zmq_send() of `size` bytes at `data` (flags: ZMQ_SNDMORE, ZMQ_DONTWAIT)
        without the GIL, inside begin_nogil()/end_nogil(): 0, or -1 with
        zmq_errno() set (EINTR after a signal: check signals with the GIL;
        ENOTSUP on a receive-only socket)."""
        if self._receive_only:
            errno = ENOTSUP
            return -1
        return 0 if zmq_send(self._c_handle, data, size, flags) >= 0 else -1

    cdef int recv_nogil(self, zmq_msg_t *msg, int flags) noexcept nogil:
        """zmq_msg_recv() into an initialised `msg` without the GIL, inside
        begin_nogil()/end_nogil(): the part's size, or -1 with zmq_errno() set;
        zmq_msg_more(msg) tells whether more parts follow."""
        return zmq_msg_recv(msg, self._c_handle, flags)

    # -- bytes and strings -----------------------------------------------------

    def send(self, data, int flags=0, copy=True, track=False):
        """Send str (as UTF-8), bytes or any buffer as one message part.
        `flags`: ``pyczmq.zmq.SNDMORE`` | ``pyczmq.zmq.DONTWAIT``.  With
        ``copy=False`` libzmq sends the buffer itself (kept alive until libzmq
        is done with it; it must not change meanwhile); ``track=True`` (with
        ``copy=False``) returns a Tracker that tells when that is."""
        cdef Py_ssize_t size
        # The fast path (small bytes, room to send): one C call into libzmq.
        # Everything else is _send_object(), out of line: fewer temporaries here.
        if PyBytes_CheckExact(data) and copy is True and track is False \
                and not flags & ~_SEND_FLAGS and _usable(self):
            size = PyBytes_GET_SIZE(data)
            if size < <Py_ssize_t>_NOGIL_COPY \
                    and _try_send(self, NULL, PyBytes_AS_STRING(data), size, flags) > 0:
                return None
        return _send_object(self, data, flags, copy, track)

    def recv_bytes(self, int flags=0):
        """Receive one message part as bytes (binary-safe).  With
        ``pyczmq.zmq.DONTWAIT`` raises Again when nothing is waiting."""
        if flags & ~ZMQ_DONTWAIT:
            raise ValueError("recv flags must be 0 or DONTWAIT, not %d" % flags)
        data = _recv_bytes(self, flags)
        if data is None:
            raise Again(EAGAIN, "recv: nothing to receive")
        return data

    def recv_bytes_nowait(self):
        """Like recv_bytes(), but return None at once when nothing is waiting."""
        return _recv_bytes(self, ZMQ_DONTWAIT)

    def recv(self):
        """Receive one message part as str (UTF-8; other bytes are kept as
        surrogates, so nothing is lost)."""
        return _recv_text(self, 0)

    def recv_nowait(self):
        """Like recv(), but return None at once when nothing is waiting."""
        return _recv_text(self, ZMQ_DONTWAIT)

    def send_multipart(self, parts, int flags=0, bint copy=True, bint track=False):
        """Send a sequence of str/bytes/buffers as one multipart message.
        Every part is checked before the first is sent.  ``copy=False`` and
        ``track=True`` as for send(): then every part is sent zero-copy and
        the Tracker tells when libzmq is done with all of them."""
        cdef Py_ssize_t count, index, prepared = 0
        cdef Py_buffer few[8]
        cdef Py_buffer *views = few
        cdef zmq_msg_t *msgs = NULL
        cdef object part
        cdef Tracker tracker = None
        if flags & ~_SEND_FLAGS:
            raise ValueError("send flags must be a combination of SNDMORE and DONTWAIT, not %d" % flags)
        if track and copy:
            raise ValueError("track=True needs copy=False (a copy is done with at once)")
        if not isinstance(parts, (list, tuple)):
            parts = list(parts)
        count = len(parts)
        if count == 0:
            raise ValueError("send_multipart needs at least one part")
        if not copy:
            return _send_multipart_zero_copy(self, parts, count, flags, track)
        if count > 8:
            views = <Py_buffer *>PyMem_Malloc(count * sizeof(Py_buffer))
            if views == NULL:
                raise MemoryError()
        try:
            for index in range(count):
                part = parts[index]
                if PyBytes_CheckExact(part):
                    PyBuffer_FillInfo(&views[index], part, PyBytes_AS_STRING(part),
                                      PyBytes_GET_SIZE(part), 1, PyBUF_SIMPLE)
                else:
                    _get_buffer(part, &views[index])
                prepared += 1
            # Reserved from the first part to the last: big copies release the
            # GIL, and nothing else may send in the middle of the message.
            self._reserve()
            try:
                for index in range(count - 1):
                    self._send_copy(views[index].buf, views[index].len, flags | ZMQ_SNDMORE)
                self._send_copy(views[count - 1].buf, views[count - 1].len, flags)
            finally:
                self._release()
        finally:
            for index in range(prepared):
                PyBuffer_Release(&views[index])
            if views != few:
                PyMem_Free(views)

    def recv_multipart(self, int flags=0):
        """Receive all parts of the next message as a list of bytes.  With
        ``DONTWAIT`` raises Again when nothing is waiting."""
        cdef zmq_msg_t msg
        cdef bint more = False      # True while the rest of a message waits
        if flags & ~ZMQ_DONTWAIT:
            raise ValueError("recv flags must be 0 or DONTWAIT, not %d" % flags)
        self._reserve()             # allocations below may run other Python code
        parts = []
        zmq_msg_init(&msg)
        try:
            if not self._recv_part(&msg, flags, True):
                raise Again(EAGAIN, "recv: nothing to receive")
            while True:
                more = zmq_msg_more(&msg)
                parts.append(_bytes_of(&msg))
                if not more:
                    return parts
                self._recv_part(&msg, 0, False)
        except BaseException:
            self._drop_rest(&msg, more)
            raise
        finally:
            self._release()
            zmq_msg_close(&msg)

    def recv_multipart_nowait(self):
        """Like recv_multipart(), but return None at once when nothing is waiting."""
        cdef zmq_msg_t msg
        cdef bint more = False
        cdef int rc
        if not _usable(self):
            return self._raise_unusable()
        zmq_msg_init(&msg)
        rc = _try_recv(self, &msg)
        if rc <= 0:
            zmq_msg_close(&msg)
            if rc < 0:
                return _raise_zmq(zmq_errno(), "recv")
            return None
        # The rest of the message is there (libzmq delivers messages whole).
        parts = []
        self._reserve()
        try:
            while True:
                more = zmq_msg_more(&msg)
                parts.append(_bytes_of(&msg))
                if not more:
                    return parts
                self._recv_part(&msg, 0, False)
        except BaseException:
            self._drop_rest(&msg, more)
            raise
        finally:
            self._release()
            zmq_msg_close(&msg)

    cdef void _drop_rest(self, zmq_msg_t *part, bint more) noexcept:
        """After an error mid-message: receive and drop the parts that follow
        (`more`: the last part received had MORE), so that they are never read
        as a new message."""
        while more and self._c_handle != NULL \
                and zmq_msg_recv(part, self._c_handle, ZMQ_DONTWAIT) >= 0:
            more = zmq_msg_more(part)

    # -- frames and messages -----------------------------------------------------
    #
    # Frames and messages travel through the same parts as bytes: Frame and
    # Message hand their data over (Frame._lend/_sent/_unlend,
    # Message._detach/_take_part/...) and take received parts in
    # (_frame_from_part, Message._append_part); this file moves only zmq_msg_ts.

    cdef int send_frame_c(self, Frame frame, int flags) except -1:
        """Send a Frame (flags: Frame.MORE | REUSE | DONTWAIT)."""
        cdef zmq_msg_t msg
        cdef int rc
        cdef bint reuse = flags & ZFRAME_REUSE
        cdef int zflags = (ZMQ_SNDMORE if flags & ZFRAME_MORE else 0) | \
                          (ZMQ_DONTWAIT if flags & ZFRAME_DONTWAIT else 0)
        if flags & ~_FRAME_FLAGS:
            raise ValueError("frame flags must be a combination of Frame.MORE, Frame.REUSE "
                             "and Frame.DONTWAIT, not %d" % flags)
        if not _usable(self):
            return self._raise_unusable()
        zmq_msg_init(&msg)
        frame._lend(&msg, reuse)
        rc = _try_send(self, &msg, NULL, 0, zflags)
        if rc > 0:                      # the fast path
            frame._sent(reuse)
            return 0
        try:
            self._send_one_waiting(&msg, zflags, rc)
        except BaseException:
            frame._unlend(&msg)
            zmq_msg_close(&msg)
            raise
        zmq_msg_close(&msg)
        frame._sent(reuse)
        return 0

    cdef Frame recv_frame_c(self, int flags):
        """Receive one part as a Frame; None if `flags` has ZMQ_DONTWAIT and nothing waits."""
        cdef zmq_msg_t msg
        zmq_msg_init(&msg)
        try:
            if not _recv_one(self, &msg, flags):
                return None
            return _frame_from_part(&msg)
        finally:
            zmq_msg_close(&msg)

    def send_frame(self, Frame frame not None, int flags=0):
        """Send a Frame.  Without ``Frame.REUSE`` the frame is consumed (its
        object can not be used again); `flags`: Frame.MORE | REUSE | DONTWAIT."""
        self.send_frame_c(frame, flags)

    def recv_frame(self):
        """Receive one message part as a Frame (``frame.more()`` tells if more follow)."""
        return self.recv_frame_c(0)

    def recv_frame_nowait(self):
        """Like recv_frame(), but return None at once when nothing is waiting."""
        return self.recv_frame_c(ZMQ_DONTWAIT)

    cdef int send_message_c(self, Message message) except -1:
        """Send all frames of a Message; on success it is consumed."""
        cdef zmsg_t *msg
        cdef zframe_t *frame
        cdef zmq_msg_t part
        cdef bint taken
        message._check()
        # The socket reserved and the message detached while sending: nothing
        # else can send mid-message or change the message meanwhile.
        self._reserve()
        msg = message._detach()
        try:
            while zmsg_size(msg) > 0:
                zmq_msg_init(&part)
                frame = message._take_part(msg, &part, &taken)
                try:
                    self._send_part(&part, ZMQ_SNDMORE if zmsg_size(msg) > 0 else 0)
                except BaseException:
                    message._untake_part(msg, frame, &part, taken)
                    zmq_msg_close(&part)
                    raise
                zmq_msg_close(&part)
                message._part_sent(frame)
        except BaseException:
            message._reattach(msg)
            raise
        finally:
            self._release()
        message._mark_sent(msg)
        return 0

    cdef Message recv_message_c(self, int flags):
        """Receive all parts of the next message as a Message; None if `flags`
        has ZMQ_DONTWAIT and nothing waits."""
        cdef zmq_msg_t part
        cdef Message result = None
        cdef bint more = False      # True while the rest of a message waits
        self._reserve()
        zmq_msg_init(&part)
        try:
            if not self._recv_part(&part, flags, True):
                return None
            result = _owned_message(zmsg_new())
            while True:
                more = zmq_msg_more(&part)
                result._append_part(&part)
                if not more:
                    break
                self._recv_part(&part, 0, False)
        except BaseException:
            self._drop_rest(&part, more)
            raise
        finally:
            self._release()
            zmq_msg_close(&part)
        return result

    def send_msg(self, Message msg not None):
        """Send a Message; on success it is consumed (its object can not be used again)."""
        self.send_message_c(msg)

    def recv_msg(self):
        """Receive all parts of the next message as a Message."""
        return self.recv_message_c(0)

    def recv_msg_nowait(self):
        """Like recv_msg(), but return None at once when nothing is waiting."""
        return self.recv_message_c(ZMQ_DONTWAIT)

    # -- options -------------------------------------------------------------------

    def __getattr__(self, name):
        # pyczmq 0.1's spelling of option setters: sock.set_subscribe(b"").
        if name.startswith("set_"):
            option = SOCKET_OPTIONS.get(name[4:])
            if option is not None and option.writable:
                return _functools.partial(option.__set__, self)
        option = SOCKET_OPTIONS.get(name)
        if option is not None and not option.readable:
            raise AttributeError("socket option %r can only be set" % name)
        raise AttributeError("'pyczmq.Socket' object has no attribute %r" % name)


cdef object _send_object(Socket sock, object data, int flags, object copy, object track):
    """Socket.send() but for its fast path."""
    cdef Py_buffer view
    if flags & ~_SEND_FLAGS:
        raise ValueError("send flags must be a combination of SNDMORE and DONTWAIT, not %d" % flags)
    if not copy:
        return _send_zero_copy(sock, data, flags, track)
    if track:
        raise ValueError("track=True needs copy=False (a copy is done with at once)")
    if PyBytes_CheckExact(data):
        sock._send_data(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data), flags)
        return None
    _get_buffer(data, &view)
    try:
        sock._send_data(view.buf, view.len, flags)
    finally:
        PyBuffer_Release(&view)
    return None


cdef Context _the_default_context = None


cdef Context _default_context():
    """The Context used by ``Socket(None, kind)``."""
    global _the_default_context
    if _the_default_context is None or _the_default_context._destroyed:
        _the_default_context = Context()
    return _the_default_context


# name -> SocketOption, for zsockopt and Socket.set_<name>(); `type` is read
# through Socket.type() on the object.
SOCKET_OPTIONS = {name: value for name, value in SocketOptions.__dict__.items()
                  if isinstance(value, SocketOption)}
SOCKET_OPTIONS["type"] = SocketOption("type", ZMQ_TYPE, OPT_INT, READ,
                                      "The socket type, a ZMQ_* constant.")
