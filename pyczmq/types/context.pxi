# Context: a scope over CZMQ's one process-wide libzmq context.

SOCKET_TYPE_NAMES = ("PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER",
                     "PULL", "PUSH", "XPUB", "XSUB", "STREAM")


cdef int _socket_type(object kind) except -1:
    """The ZMQ_* socket type for a constant (``pyczmq.zmq.PUSH``) or a name ("PUSH")."""
    if isinstance(kind, (str, bytes)):
        name = kind.decode("ascii", "replace") if isinstance(kind, bytes) else kind
        try:
            return SOCKET_TYPE_NAMES.index(name.upper())
        except ValueError:
            pass
        raise ValueError("unknown socket type %r: expected one of %s"
                         % (kind, ", ".join(SOCKET_TYPE_NAMES)))
    if not isinstance(kind, int):
        raise TypeError("socket type must be a ZMQ_* constant or a name like 'PUSH', not %s"
                        % type(kind).__name__)
    if not 0 <= kind < len(SOCKET_TYPE_NAMES):
        raise ValueError("unknown socket type %d: expected 0 (PAIR) to 11 (STREAM)" % kind)
    return kind


cdef enum:
    _UNSET = -2     # a Context default left to CZMQ


cdef int _check_int_range(str what, object value, long low, long high) except -1:
    if not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    if not low <= value <= high:
        raise ValueError("%s must be between %d and %d, not %d" % (what, low, high, value))
    return 0


cdef class Context:
    """A scope over CZMQ's process-wide ZeroMQ context.

    CZMQ 4 keeps one libzmq context per process.  A Context tracks the sockets
    made through it, gives each new socket its linger and high-water-mark
    defaults, and closes them all on ``destroy()`` or at the end of a ``with``
    block.  A call blocked on one of its sockets in another thread then raises
    ContextTerminated.  (``pyczmq.zmq.ctx_new()`` makes a Context that owns a
    libzmq context of its own, terminated by ``zmq.ctx_term()`` or destroy().)
    """

    def __cinit__(self):
        self._linger = _UNSET
        self._sndhwm = _UNSET
        self._rcvhwm = _UNSET
        self._wake_read_fd = -1
        self._wake_write_fd = -1
        self._wake_pid = 0
        self._sockets = _weakref.WeakSet()
        self._actors = _weakref.WeakSet()
        self._proxies = []
        _contexts.add(self)

    def __init__(self, iothreads=None):
        # I/O threads belong to the process: leave them alone unless asked.
        if iothreads is not None:
            self.set_iothreads(iothreads)

    def __dealloc__(self):
        # Sockets keep their Context alive, so no call can still be waiting on the pipe.
        self._forget_wake_pipe()
        if self._c_ctx != NULL and self._pid == _process_pid:
            # Its sockets are gone (they hold a reference to it); a linger
            # they were given may still make this wait.
            with nogil:
                while zmq_ctx_term(self._c_ctx) != 0 and zmq_errno() == EINTR:
                    pass
        self._c_ctx = NULL

    cdef int _check_alive(self) except -1:
        if self._destroyed:
            raise ClosedError("Context was destroyed", ENOTSOCK)
        if self._c_ctx != NULL and self._pid != _process_pid:
            raise ClosedError("Context belongs to process %d: a forked child must make its own"
                              % self._pid, ENOTSOCK)
        return 0

    cdef void *_zmq_context(self) except NULL:
        """The libzmq context sockets of this scope are made in."""
        return self._c_ctx if self._c_ctx != NULL else _zsys_context()

    cdef int _terminate(self) except -1:
        """zmq_ctx_term() of an own libzmq context, GIL released: waits until
        every socket in it is closed (as libzmq does)."""
        cdef void *context = self._c_ctx
        cdef int rc
        if context == NULL or self._pid != _process_pid:
            return 0
        while True:
            with nogil:
                rc = zmq_ctx_term(context)
            if rc == 0:
                break
            if zmq_errno() != EINTR:
                return _raise_last("terminate the context")
            PyErr_CheckSignals()
        self._c_ctx = NULL
        self._destroyed = True
        return 0

    cdef void _forget_wake_pipe(self) noexcept:
        """Close the wake pipe if this process made it (in a forked child the
        numbers are the parent's and may since have been reused)."""
        if self._wake_read_fd >= 0 and self._wake_pid == _process_pid:
            close(self._wake_read_fd)
            close(self._wake_write_fd)
        self._wake_read_fd = self._wake_write_fd = -1

    cdef int _wake_fd(self) except -1:
        """A file descriptor that becomes readable when destroy() runs.  Made
        on first use with libc's pipe(), which (unlike os.pipe) keeps the GIL."""
        cdef int fds[2]
        if self._wake_read_fd < 0 or self._wake_pid != _process_pid:
            self._forget_wake_pipe()
            if pipe(fds) != 0:
                raise OSError(errno, "can not create the Context's wake pipe")
            fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            self._wake_read_fd, self._wake_write_fd = fds[0], fds[1]
            self._wake_pid = _process_pid
            if self._destroyed:
                write(self._wake_write_fd, b"x", 1)
        return self._wake_read_fd

    def set_iothreads(self, iothreads):
        """Set the number of libzmq I/O threads (process-wide).  Only possible
        before the process creates its first socket."""
        _check_int_range("iothreads", iothreads, 0, 1024)
        cdef void *context = self._zmq_context()
        cdef int current = zmq_ctx_get(context, ZMQ_IO_THREADS)
        if iothreads == current:
            return
        if self._own_started if self._c_ctx != NULL else _context_started:
            raise ZMQError(EINVAL, "set_iothreads(%d): the process already has sockets, "
                           "so its %d I/O thread(s) are fixed" % (iothreads, current))
        # Not zsys_set_io_threads(): it asserts if any CZMQ socket exists, and
        # sockets made outside pyczmq (cimport users) are invisible to us.
        if zmq_ctx_set(context, ZMQ_IO_THREADS, iothreads) != 0:
            _raise_last("set_iothreads(%d)" % iothreads)

    @property
    def iothreads(self):
        """Number of libzmq I/O threads (of the process, or of an own context)."""
        return zmq_ctx_get(self._zmq_context(), ZMQ_IO_THREADS)

    def set_linger(self, msecs):
        """Linger (ms) for sockets made from now on; -1 waits forever, 0 (CZMQ's
        default) discards unsent messages on close."""
        _check_int_range("linger", msecs, -1, 2**31 - 1)
        self._linger = msecs

    def set_sndhwm(self, hwm):
        """Send high-water mark for sockets made from now on (0: unlimited)."""
        _check_int_range("sndhwm", hwm, 0, 2**31 - 1)
        self._sndhwm = hwm

    def set_rcvhwm(self, hwm):
        """Receive high-water mark for sockets made from now on (0: unlimited)."""
        _check_int_range("rcvhwm", hwm, 0, 2**31 - 1)
        self._rcvhwm = hwm

    def set_pipehwm(self, hwm):
        """High-water mark of the pipes CZMQ makes for actors (process-wide)."""
        _check_int_range("pipehwm", hwm, 0, 2**31 - 1)
        zsys_set_pipehwm(hwm)

    @property
    def linger(self):
        """The linger (ms) this scope gives new sockets (CZMQ's default: 0)."""
        return 0 if self._linger == _UNSET else self._linger

    @property
    def underlying(self):
        """Address of the libzmq context (CZMQ's, or its own), as an int (use with care)."""
        self._check_alive()
        return <size_t>self._zmq_context()

    @property
    def sockets(self):
        """The open sockets made through this context."""
        return [sock for sock in self._sockets if not (<Socket>sock).closed]

    @property
    def destroyed(self):
        """True once destroy() has run."""
        return self._destroyed

    def socket(self, kind):
        """A new Socket of `kind` (a constant such as ``pyczmq.zmq.PUSH`` or a name like "PUSH")."""
        return Socket(self, kind)

    def destroy(self):
        """Close every socket of this context and end the scope.  Sockets that
        another thread is blocked on are closed by that thread, whose call
        raises ContextTerminated."""
        if self._destroyed:
            return
        self._destroyed = True
        for actor in list(self._actors):    # actors first: they may use the sockets' peers
            actor.destroy()
        for control in self._proxies:       # stop proxies running on its sockets
            zmq_send((<Socket>control)._c_handle, b"TERMINATE", 9, ZMQ_DONTWAIT)
        for sock in list(self._sockets):
            if not (<Socket>sock)._busy:
                (<Socket>sock)._close("its Context was destroyed")
        if self._wake_pid == _process_pid and self._wake_write_fd >= 0:
            write(self._wake_write_fd, b"x", 1)
        if self._c_ctx != NULL and self._pid == _process_pid:
            # Calls blocked on its sockets get ETERM and close them; then it ends.
            zmq_ctx_shutdown(self._c_ctx)
            if not any((<Socket>sock)._busy for sock in self._sockets):
                self._terminate()

    def __enter__(self):
        self._check_alive()
        return self

    def __exit__(self, *exc_info):
        self.destroy()

    def __repr__(self):
        state = "destroyed" if self._destroyed else "%d sockets" % len(self.sockets)
        own = "own libzmq context, " if self._c_ctx != NULL else ""
        return "<pyczmq.Context %s%s at %#x>" % (own, state, id(self))


cdef Context new_own_context():
    """A Context owning a libzmq context of its own (zmq_ctx_new)."""
    cdef Context context = Context.__new__(Context)
    context._c_ctx = zmq_ctx_new()
    if context._c_ctx == NULL:
        _raise_last("create a libzmq context")
    context._pid = _process_pid
    return context
