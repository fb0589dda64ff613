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


# Context options libzmq reads only when the context starts its threads (at
# its first socket), and the scheduling policies a Linux thread can take.
_STARTUP_OPTIONS = {ZMQ_MAX_SOCKETS: "MAX_SOCKETS", ZMQ_THREAD_SCHED_POLICY: "THREAD_SCHED_POLICY",
                    ZMQ_THREAD_PRIORITY: "THREAD_PRIORITY",
                    ZMQ_THREAD_AFFINITY_CPU_ADD: "THREAD_AFFINITY_CPU_ADD",
                    ZMQ_THREAD_AFFINITY_CPU_REMOVE: "THREAD_AFFINITY_CPU_REMOVE",
                    ZMQ_THREAD_NAME_PREFIX: "THREAD_NAME_PREFIX"}
_SCHED_POLICIES = {0: "SCHED_OTHER", 1: "SCHED_FIFO", 2: "SCHED_RR", 3: "SCHED_BATCH",
                   5: "SCHED_IDLE"}
_THREAD_SETTING_CALLS = {PYCZMQ_STEP_GETSCHEDPARAM: "pthread_getschedparam",
                         PYCZMQ_STEP_SETSCHEDPARAM: "pthread_setschedparam",
                         PYCZMQ_STEP_NICE: "nice(-20)",
                         PYCZMQ_STEP_AFFINITY: "pthread_setaffinity_np",
                         PYCZMQ_STEP_THREAD: "pthread_create"}


cdef dict _default_thread_settings():
    """The I/O thread settings of a context nobody has changed (libzmq's defaults)."""
    return {"policy": -1, "priority": -1, "cpus": set()}


# Those of CZMQ's process-wide context (every Context() scope shares them).
cdef dict _czmq_thread_settings = _default_thread_settings()


cdef int _try_thread_settings(dict settings, str action) except -1:
    """Raise unless a new thread takes `settings` as libzmq 4.3.4 applies them
    to its I/O threads, where a failure aborts the process."""
    cdef int policy = settings["policy"], priority = settings["priority"]
    cdef int step = 0, err, count = 0
    cdef int cpus[PYCZMQ_MAX_CPUS]
    if policy == -1 and priority == -1 and not settings["cpus"]:
        return 0
    for cpu in sorted(settings["cpus"]):
        cpus[count] = cpu
        count += 1
    with nogil:
        err = pyczmq_try_thread_settings(policy, priority, cpus, count, &step)
    if err == 0:
        return 0
    described = "policy %s, priority %s, CPUs %s" % (
        _SCHED_POLICIES.get(policy, "unchanged"), "unset" if priority == -1 else priority,
        sorted(settings["cpus"]) or "any")
    hint = ""
    if policy in (1, 2) and not 1 <= priority <= 99:
        hint = ": SCHED_FIFO and SCHED_RR need a THREAD_PRIORITY from 1 to 99, set first"
    elif policy not in (1, 2) and priority > 0 and step == PYCZMQ_STEP_SETSCHEDPARAM:
        hint = ": this policy takes no THREAD_PRIORITY"
    elif err == EPERM:
        hint = ": the process lacks CAP_SYS_NICE (or a high enough RLIMIT_RTPRIO/RLIMIT_NICE)"
    raise ZMQError(err, "%s: libzmq's I/O threads can not take these settings (%s), and "
                   "libzmq 4.3.4 aborts the process when %s fails in them%s"
                   % (action, described, _THREAD_SETTING_CALLS.get(step, "a call"), hint))


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
        _contexts.add(self)

    def __init__(self, iothreads=None):
        # I/O threads belong to the process: leave them alone unless asked.
        if iothreads is not None:
            self.set_iothreads(iothreads)

    def __dealloc__(self):
        # Sockets keep their Context alive, so no call can still be waiting on the pipe.
        self._forget_wake_pipe()
        if self._c_ctx != NULL and self._pid == _process_pid:
            _live_down(LIVE_CONTEXTS)
            # Its sockets are closed (they hold a reference to it).  Termination
            # waits for the messages they left, as long as their linger says:
            # a finalizer must not wait forever, so then a thread waits.
            if not self._lingers_forever or pyczmq_term_in_background(self._c_ctx) != 0:
                with nogil:
                    while zmq_ctx_term(self._c_ctx) != 0 and zmq_errno() == EINTR:
                        pass
        self._c_ctx = NULL

    def __del__(self):
        _warn_unclosed_context(self)

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
        _live_down(LIVE_CONTEXTS)
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

    cdef bint _started(self) noexcept:
        """Its libzmq context has started its threads (has had a socket)."""
        return self._own_started if self._c_ctx != NULL else _context_started

    cdef dict _thread_settings(self):
        """The I/O thread settings given to its libzmq context."""
        if self._c_ctx == NULL:
            return _czmq_thread_settings
        if self._own_thread_settings is None:
            self._own_thread_settings = _default_thread_settings()
        return self._own_thread_settings

    cdef int _before_first_socket(self) except -1:
        """Called before a socket or actor is made in its libzmq context: the
        first one starts libzmq's I/O threads, which must be able to take the
        thread settings (the process's CPUs may have changed since they were set)."""
        if not self._started():
            _try_thread_settings(self._thread_settings(), "start the context's I/O threads")
        return 0

    cdef int _check_own(self, str action) except -1:
        """Raise unless it owns a libzmq context of its own, not yet terminated."""
        if self._c_ctx == NULL and self._destroyed:
            raise ContextTerminated(ETERM, "%s: the context was already terminated" % action)
        if self._c_ctx == NULL:
            raise ZMQError(EINVAL, "%s: CZMQ's shared context belongs to the process; "
                           "use Context.destroy() to end a scope of it" % action)
        return 0

    cdef int term_c(self) except -1:
        """zmq_ctx_term() of an own libzmq context (see pyczmq.zmq.ctx_term);
        ZMQError for a scope of CZMQ's shared one."""
        self._check_own("ctx_term")
        return self._terminate()

    cdef int shutdown_c(self) except -1:
        """zmq_ctx_shutdown() of an own libzmq context (see pyczmq.zmq.ctx_shutdown);
        ZMQError for a scope of CZMQ's shared one."""
        self._check_own("ctx_shutdown")
        if zmq_ctx_shutdown(self._c_ctx) != 0:
            raise ZMQError()
        return 0

    cdef int get_option_c(self, int option) except -1:
        """zmq_ctx_get() of its libzmq context (see pyczmq.zmq.ctx_get)."""
        self._check_alive()
        cdef int value = zmq_ctx_get(self._zmq_context(), option)
        if value < 0:
            raise ZMQError(None, "ctx_get(%d)" % option)
        return value

    cdef int set_option_c(self, int option, object value) except -1:
        """zmq_ctx_set(), refusing what libzmq 4.3.4 accepts but can not use
        (it aborts later, in its I/O threads): see pyczmq.zmq.ctx_set."""
        cdef void *context
        cdef dict settings
        cdef int number
        self._check_alive()
        if not isinstance(value, int):
            raise TypeError("a context option takes an int, not %s" % type(value).__name__)
        if option == ZMQ_IO_THREADS:
            return self.set_iothreads(value) or 0
        context = self._zmq_context()
        name = _STARTUP_OPTIONS.get(option)
        if name is not None and self._started():
            raise ZMQError(EINVAL, "ctx_set(%s): libzmq reads it only when the context starts "
                           "its threads, and they already run" % name)
        _check_int_range(name or "a context option's value", value, -2**31, 2**31 - 1)
        number = value
        settings = None
        if option == ZMQ_MAX_SOCKETS:
            # Above ZMQ_SOCKET_LIMIT libzmq's table of sockets overflows when the
            # context starts (std::length_error: an abort).
            _check_int_range("MAX_SOCKETS", value, 1, zmq_ctx_get(context, ZMQ_SOCKET_LIMIT))
        elif name is not None and option != ZMQ_THREAD_NAME_PREFIX:
            settings = dict(self._thread_settings(), cpus=set(self._thread_settings()["cpus"]))
            if option == ZMQ_THREAD_SCHED_POLICY:
                if value not in _SCHED_POLICIES:
                    raise ValueError("THREAD_SCHED_POLICY must be one of %s, not %d" % (
                        ", ".join("%d (%s)" % item for item in sorted(_SCHED_POLICIES.items())),
                        value))
                settings["policy"] = value
            elif option == ZMQ_THREAD_PRIORITY:
                _check_int_range("THREAD_PRIORITY", value, 0, 99)
                settings["priority"] = value
            elif option == ZMQ_THREAD_AFFINITY_CPU_ADD:
                allowed = _os.sched_getaffinity(0)
                if value not in allowed or value >= PYCZMQ_MAX_CPUS:
                    raise ValueError("THREAD_AFFINITY_CPU_ADD: CPU %d is not one this process "
                                     "may run on (%s)" % (value, sorted(allowed)))
                settings["cpus"].add(value)
            else:
                if value not in settings["cpus"]:
                    raise ZMQError(EINVAL, "THREAD_AFFINITY_CPU_REMOVE: CPU %d was not added"
                                   % value)
                settings["cpus"].discard(value)
            _try_thread_settings(settings, "ctx_set(%s, %d)" % (name, value))
        if zmq_ctx_set(context, option, number) != 0:
            _raise_last("ctx_set(%s, %d)" % (name or option, value))
        if settings is not None:
            self._thread_settings().update(settings)
        return 0

    def set_iothreads(self, iothreads):
        """Set the number of libzmq I/O threads (process-wide).  Only possible
        before the process creates its first socket."""
        _check_int_range("iothreads", iothreads, 0, 1024)
        cdef void *context = self._zmq_context()
        cdef int current = zmq_ctx_get(context, ZMQ_IO_THREADS)
        if iothreads == current:
            return
        if self._started():
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

    def destroyed_fileno(self):
        """A file descriptor that becomes readable once destroy() has run, from
        any thread (for event loops: pyczmq.asyncio wakes its waiting tasks
        with it).  The Context owns it: do not read from it or close it."""
        return self._wake_fd()

    def socket(self, kind):
        """A new Socket of `kind` (a constant such as ``pyczmq.zmq.PUSH`` or a name like "PUSH")."""
        return Socket(self, kind)

    def destroy(self, linger=None):
        """Close every socket of this context and end the scope.  Sockets that
        another thread is blocked on are closed by that thread, whose call
        raises ContextTerminated.  `linger` (ms), if given, replaces each open
        socket's own first.

        An own libzmq context (``zmq.ctx_new()``) is then terminated, which
        waits for the messages its sockets left unsent for as long as their
        linger says: 0 by default (no wait), -1 until a peer takes them
        (Ctrl-C interrupts the wait).  CZMQ's shared context lives on: its
        sockets send what they left in the background, and the process's exit
        waits for them as long as their linger says, except for a linger of -1
        (exit never waits forever)."""
        cdef int value
        if linger is not None:
            _check_int_range("linger", linger, -1, 2**31 - 1)
        if self._destroyed:
            return
        if linger is not None:
            value = linger
            for sock in list(self._sockets):
                if not (<Socket>sock)._busy and (<Socket>sock)._pid == _process_pid:
                    zmq_setsockopt((<Socket>sock)._c_handle, ZMQ_LINGER, &value, sizeof(int))
        self._destroyed = True
        for actor in list(self._actors):    # actors first: they may use the sockets' peers
            actor.destroy()
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
    _live_up(LIVE_CONTEXTS)
    # Its sockets get linger 0, as CZMQ's do, not libzmq's infinite default,
    # under which unsent messages make destroy() and exit wait forever
    # (ctx_set(BLOCKY, 1) asks for libzmq's default back).
    zmq_ctx_set(context._c_ctx, ZMQ_BLOCKY, 0)
    return context
