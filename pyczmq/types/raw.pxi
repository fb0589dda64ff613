# The raw libzmq layer's types (pyczmq.zmq): Msg, a zmq_msg_t owned by Python;
# Pollitem, one entry of a poll set; and poll() and proxy(), which wait with
# the GIL released on any mix of sockets (and file descriptors).


cdef class Msg:
    """A libzmq message (zmq_msg_t) owned by Python: see pyczmq.zmq.msg_*.
    ``memoryview(msg)`` views its data (read-only when libzmq shares it)."""

    def __cinit__(self):
        zmq_msg_init(&self._c_msg)
        _live_up(LIVE_MSGS)

    def __init__(self):
        """An empty message (zmq_msg_init); zmq.msg_init_size/msg_init_data give
        it data.  (Declared so that arguments raise TypeError: __cinit__(self)
        alone would ignore them.)"""

    def __dealloc__(self):
        zmq_msg_close(&self._c_msg)
        _live_down(LIVE_MSGS)

    cdef int _check_idle(self) except -1:
        """Raise EBUSY while a send or receive in another thread uses it: the
        data may be replaced under any reader."""
        if self._busy:
            raise ZMQError(EBUSY, "the message is being sent or received in another thread")
        return 0

    cdef int _check_unexported(self, str action) except -1:
        self._check_idle()
        if self._exports:
            raise BufferError("can not %s a message while memoryviews of it exist" % action)
        return 0

    cdef int init_c(self, size_t size, const void *data) except -1:
        """Drop its data, then hold `size` bytes: a copy of `data`, unless NULL
        (zmq_msg_close + zmq_msg_init_size).  Refused while another thread uses
        it or memoryviews of it exist; MemoryError (left empty) without memory."""
        self._check_unexported("initialise")
        zmq_msg_close(&self._c_msg)
        if zmq_msg_init_size(&self._c_msg, size) != 0:
            zmq_msg_init(&self._c_msg)
            raise MemoryError("no memory for a %d-byte message" % size)
        if data != NULL and size:
            memcpy(zmq_msg_data(&self._c_msg), data, size)
        return 0

    cdef int copy_c(self, Msg src) except -1:
        """Share `src`'s data (zmq_msg_copy; copying itself does nothing)."""
        if src is self:
            return 0                    # (libzmq would close it before copying it)
        self._check_unexported("copy into")
        src._check_idle()
        if src._exports and zmq_msg_get(&src._c_msg, ZMQ_SHARED) != 1:
            raise BufferError("can not share a message's data while writable memoryviews "
                              "of it exist")
        if zmq_msg_copy(&self._c_msg, &src._c_msg) != 0:
            raise ZMQError(None, "msg_copy")
        return 0

    cdef int move_c(self, Msg src) except -1:
        """Take `src`'s data, leaving it empty (zmq_msg_move; moving itself does
        nothing)."""
        if src is self:
            return 0                    # (libzmq would close it first: its data lost)
        self._check_unexported("move into")
        src._check_unexported("move")
        if zmq_msg_move(&self._c_msg, &src._c_msg) != 0:
            raise ZMQError(None, "msg_move")
        return 0

    cdef size_t send_c(self, Socket sock, int flags) except? 0:
        """Send the message through `sock` (flags: ZMQ_SNDMORE | ZMQ_DONTWAIT);
        it is left empty.  Returns the size sent."""
        cdef size_t size = zmq_msg_size(&self._c_msg)
        self._check_unexported("send")
        self._busy = True
        try:
            sock.send_zmq_msg_c(&self._c_msg, flags)
        finally:
            self._busy = False
        return size

    cdef int recv_c(self, Socket sock, int flags) except -1:
        """Receive one part from `sock` into the message: 1, or 0 under
        ZMQ_DONTWAIT when nothing waits."""
        self._check_unexported("receive into")
        self._busy = True
        try:
            return sock.recv_zmq_msg_c(&self._c_msg, flags)
        finally:
            self._busy = False

    cdef size_t size_c(self) noexcept:
        return zmq_msg_size(&self._c_msg)

    cdef int more_c(self) noexcept:
        return zmq_msg_more(&self._c_msg)

    cdef int get_c(self, int property) except -1:
        """A message property (zmq_msg_get): MORE, SRCFD or SHARED."""
        cdef int value = zmq_msg_get(&self._c_msg, property)
        if value < 0:
            raise ZMQError(None, "msg_get(%d)" % property)
        return value

    cdef int set_c(self, int property, int value) except -1:
        """Set a message property (zmq_msg_set; libzmq 4.3 has none to set)."""
        if zmq_msg_set(&self._c_msg, property, value) != 0:
            raise ZMQError(None, "msg_set(%d)" % property)
        return 0

    def size(self):
        """Number of bytes of data."""
        return zmq_msg_size(&self._c_msg)

    def __len__(self):
        return zmq_msg_size(&self._c_msg)

    def more(self):
        """1 if more parts followed this one when it was received."""
        return zmq_msg_more(&self._c_msg)

    def bytes(self):
        """A copy of the data."""
        self._check_idle()
        return PyBytes_FromStringAndSize(<char *>zmq_msg_data(&self._c_msg),
                                         zmq_msg_size(&self._c_msg))

    def __repr__(self):
        return "<pyczmq.zmq.Msg %d bytes at %#x>" % (zmq_msg_size(&self._c_msg), id(self))

    def __getbuffer__(self, Py_buffer *buffer, int flags):
        if self._busy:
            raise BufferError("can not view a message that another thread sends or receives")
        PyBuffer_FillInfo(buffer, self, zmq_msg_data(&self._c_msg), zmq_msg_size(&self._c_msg),
                          zmq_msg_get(&self._c_msg, ZMQ_SHARED) == 1, flags)
        self._exports += 1

    def __releasebuffer__(self, Py_buffer *buffer):
        self._exports -= 1


cdef class Pollitem:
    """One entry of a poll set (pyczmq 0.1's ``pyczmq.zmq.pollitem``): a socket,
    or a file descriptor when `socket` is None, the `events` to wait for
    (POLLIN, POLLOUT, POLLERR) and the `revents` poll() found."""

    def __init__(self, socket=None, fd=None, events=0, revents=0):
        if socket is not None and not isinstance(socket, Socket):
            raise TypeError("pollitem socket must be a pyczmq Socket, not %s"
                            % type(socket).__name__)
        if socket is None and (not isinstance(fd, int) or fd < 0):
            raise ValueError("a pollitem needs a socket or a file descriptor >= 0, not %r"
                             % (fd,))
        self.socket = socket
        self.fd = fd if socket is None else 0
        self.events = events
        self.revents = revents

    def __repr__(self):
        target = repr(self.socket) if self.socket is not None else "fd %d" % self.fd
        return "<pyczmq.zmq.pollitem %s events=%d revents=%d>" % (target, self.events, self.revents)


def poll_items(items, timeout=-1):
    """zmq_poll on Pollitems, GIL released: the number with events (revents
    set on each).  `timeout` in ms, -1 waits forever.  Ctrl-C raises
    KeyboardInterrupt; destroying the Context of a polled socket closes that
    Context's polled sockets and raises ContextTerminated."""
    cdef Py_ssize_t count, index, reserved = 0
    cdef zmq_pollitem_t *c_items
    cdef Pollitem item
    cdef WaitSet waits
    cdef int rc
    cdef long wait = timeout
    items = list(items)
    count = len(items)
    sockets = []
    for entry in items:
        if not isinstance(entry, Pollitem):
            raise TypeError("poll takes pollitems, not %s" % type(entry).__name__)
        if (<Pollitem>entry).socket is not None and (<Pollitem>entry).socket not in sockets:
            sockets.append((<Pollitem>entry).socket)
    contexts = list(dict.fromkeys([(<Socket>sock).ctx for sock in sockets]))
    c_items = <zmq_pollitem_t *>PyMem_Malloc((count + len(contexts) + 1) * sizeof(zmq_pollitem_t))
    if c_items == NULL:
        raise MemoryError()
    try:
        for sock in sockets:
            (<Socket>sock)._reserve()
            reserved += 1
        for index in range(count):
            item = <Pollitem>items[index]
            c_items[index].socket = (<Socket>item.socket)._c_handle if item.socket is not None else NULL
            c_items[index].fd = item.fd
            c_items[index].events = item.events
        _waitset_begin(&waits, c_items, count, contexts)
        try:
            with nogil:
                rc = _wait_items(&waits, wait, True)
        finally:
            _waitset_end(&waits)
        if rc == WAIT_WOKEN:
            for sock in sockets:
                if (<Socket>sock).ctx._destroyed:
                    (<Socket>sock)._close("its Context was destroyed")
            raise ContextTerminated(ETERM, "a polled socket's Context was destroyed")
        for index in range(count):
            (<Pollitem>items[index]).revents = c_items[index].revents
        return rc
    finally:
        for index in range(reserved):
            (<Socket>sockets[index])._release()
        PyMem_Free(c_items)


# -- proxy ------------------------------------------------------------------------
#
# pyczmq forwards itself rather than calling zmq_proxy_steerable: libzmq reads
# the proxy's control socket only between messages, so a proxy blocked
# sending one (a full ROUTER peer under router_mandatory, a STREAM peer) never
# ended.  Here every wait also watches the Context's wake pipe, and runs
# without the GIL; the GIL is taken only to check signals and to raise.

cdef enum:
    _PROXY_BURST = 1000         # messages forwarded from one side before polling again
    _PROXY_MAX_BACKOFF = 100    # ms between retries when POLLOUT promised room it had not


cdef int _proxy_wait(void *sock, short events, int wake_fd, int signal_fd,
                     long timeout) except -2 nogil:
    """Wait for `events` on `sock` (or, with sock NULL, for `timeout` ms) or the
    wake pipe: 1 ready, 0 timed out, -1 woken (destroyed) or terminated."""
    cdef zmq_pollitem_t items[3]
    cdef WaitSet waits
    waits.items = items
    waits.count = waits.total = 0
    waits.signal_fd = signal_fd
    waits.czmq_interrupt = False
    if sock != NULL:
        items[0].socket = sock
        items[0].fd = 0
        items[0].events = events
        waits.count = waits.total = 1
    _waitset_add_fd(&waits, wake_fd)
    if signal_fd >= 0:
        _waitset_add_fd(&waits, signal_fd)
    return _wait_items(&waits, timeout, True)


cdef int _proxy_send(void *sock, zmq_msg_t *part, bint more, bint first,
                     int wake_fd, int signal_fd) except -2 nogil:
    """Send one part, waiting (first parts only) for room or the wake pipe:
    0 sent, -1 woken or terminated.  Like libzmq's blocking send, a later part
    never waits: EAGAIN then means libzmq dropped the rest of the message."""
    cdef long backoff = -1      # -1: wait for POLLOUT; else ms to sleep first
    cdef int err, ready
    while True:
        if zmq_msg_send(part, sock, (ZMQ_SNDMORE if more else 0) | ZMQ_DONTWAIT) >= 0:
            return 0
        err = zmq_errno()
        if err == EINTR:
            continue
        if err == ETERM:
            return -1
        if err != EAGAIN:
            with gil:
                _raise_zmq(err, "proxy: send")
        if not first:
            return 0
        if backoff < 0:
            ready = _proxy_wait(sock, ZMQ_POLLOUT, wake_fd, signal_fd, -1)
            if ready > 0:
                backoff = 1     # if the send fails again, the room was another peer's
        else:
            ready = _proxy_wait(NULL, 0, wake_fd, signal_fd, backoff)
            backoff = min(backoff * 2, _PROXY_MAX_BACKOFF)
        if ready < 0:
            return -1


cdef int _proxy_forward(void *source, void *target, void *capture, int wake_fd,
                        int signal_fd) except -2 nogil:
    """Forward up to _PROXY_BURST whole messages waiting on `source` to `target`
    (a copy of each part to `capture`): 0, or -1 woken or terminated.  A
    message being forwarded then is dropped, all of it."""
    cdef zmq_msg_t part, copy
    cdef int count, err, status = 0
    cdef bint more = False, first
    zmq_msg_init(&part)
    try:
        for count in range(_PROXY_BURST):
            if zmq_msg_recv(&part, source, ZMQ_DONTWAIT) < 0:
                err = zmq_errno()
                if err == EAGAIN:
                    return 0
                if err == ETERM:
                    return -1
                if err == EINTR:
                    continue
                with gil:
                    _raise_zmq(err, "proxy: recv")
            first = True
            while True:
                more = zmq_msg_more(&part)
                if capture != NULL:
                    zmq_msg_init(&copy)
                    zmq_msg_copy(&copy, &part)
                    try:
                        status = _proxy_send(capture, &copy, more, first, wake_fd, signal_fd)
                    finally:
                        zmq_msg_close(&copy)
                    if status < 0:
                        return -1
                status = _proxy_send(target, &part, more, first, wake_fd, signal_fd)
                if status < 0 or not more:
                    break
                first = False
                if zmq_msg_recv(&part, source, ZMQ_DONTWAIT) < 0:
                    more = False        # (the rest of a message is there: ETERM)
                    return -1
            if status < 0:
                return -1
            more = False
        return 0
    finally:
        # Never leave the rest of a message behind to be read as a new one.
        while more and zmq_msg_recv(&part, source, ZMQ_DONTWAIT) >= 0:
            more = zmq_msg_more(&part)
        zmq_msg_close(&part)


cdef int _proxy_run(void *frontend, void *backend, void *capture, int wake_fd,
                    int signal_fd) except -2 nogil:
    """Forward between the two sockets until the wake pipe (destroy) or ETERM: -1."""
    cdef zmq_pollitem_t items[4]
    cdef WaitSet waits
    cdef int rc
    items[0].socket = frontend
    items[1].socket = backend
    items[0].events = items[1].events = ZMQ_POLLIN
    waits.items = items
    waits.count = waits.total = 2
    waits.signal_fd = signal_fd
    waits.czmq_interrupt = False
    _waitset_add_fd(&waits, wake_fd)
    if signal_fd >= 0:
        _waitset_add_fd(&waits, signal_fd)
    while True:
        rc = _wait_items(&waits, -1, True)
        if rc < 0:
            return -1
        if items[0].revents and _proxy_forward(frontend, backend, capture, wake_fd, signal_fd) < 0:
            return -1
        if items[1].revents and _proxy_forward(backend, frontend, capture, wake_fd, signal_fd) < 0:
            return -1


def proxy(Socket frontend not None, Socket backend not None, Socket capture=None):
    """Forward messages between two sockets (zmq_proxy), each part also sent to
    `capture`, GIL released, until the sockets' Context is destroyed (or an own
    libzmq context terminated); then it closes them and returns None.  A
    message being forwarded then is dropped whole; Ctrl-C raises
    KeyboardInterrupt.  A send error other than no room (EHOSTUNREACH from a
    ROUTER with router_mandatory) raises ZMQError, as zmq_proxy fails."""
    cdef void *capture_handle = NULL
    cdef int wake_fd, signal_fd
    cdef Context ctx = frontend.ctx
    sockets = [frontend, backend] + ([capture] if capture is not None else [])
    for sock in sockets:
        (<Socket>sock)._check()
        (<Socket>sock)._check_writable()      # the proxy sends on all of them
        if (<Socket>sock).ctx is not ctx:
            raise ValueError("proxy sockets must belong to one Context")
    if frontend is backend:
        raise ValueError("a proxy needs two different sockets")
    if capture is not None:
        capture_handle = capture._c_handle
    wake_fd = ctx._wake_fd()
    # All reserved: other threads get EBUSY, and Context.destroy() leaves
    # them to this thread, which it wakes.
    reserved = []
    try:
        for sock in sockets:
            (<Socket>sock)._reserve()
            reserved.append(sock)
        signal_fd = _signal_wake_begin()
        try:
            with nogil:
                _proxy_run(frontend._c_handle, backend._c_handle, capture_handle, wake_fd,
                           signal_fd)
        finally:
            if signal_fd >= 0:
                _signal_wake_end()
    finally:
        for sock in reserved:
            (<Socket>sock)._release()
    for sock in sockets:
        (<Socket>sock)._close("the proxy's context ended")
    return None
