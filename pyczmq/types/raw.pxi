# The raw libzmq layer's types (pyczmq.zmq): Msg, a zmq_msg_t owned by Python;
# Pollitem, one entry of a poll set; and poll() and proxy(), which wait with
# the GIL released on any mix of sockets (and file descriptors).


cdef class Msg:
    """A libzmq message (zmq_msg_t) owned by Python: see pyczmq.zmq.msg_*.
    ``memoryview(msg)`` views its data (read-only when libzmq shares it)."""

    def __cinit__(self):
        zmq_msg_init(&self._c_msg)

    def __dealloc__(self):
        zmq_msg_close(&self._c_msg)

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
    """One entry of a poll set (the seed's ``pyczmq.zmq.pollitem``): a socket,
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
    KeyboardInterrupt; destroying the Context of a polled socket raises
    ContextTerminated."""
    cdef Py_ssize_t count = len(items), index, extra
    cdef zmq_pollitem_t *c_items
    cdef Pollitem item
    cdef Socket sock
    cdef int rc, err
    cdef long wait = timeout
    cdef int64_t deadline = zclock_mono() + wait if wait > 0 else 0
    items = list(items)
    sockets = []
    contexts = []
    for entry in items:
        if not isinstance(entry, Pollitem):
            raise TypeError("poll takes pollitems, not %s" % type(entry).__name__)
        item = <Pollitem>entry
        if item.socket is not None:
            sock = <Socket>item.socket
            sock._check()
            if sock not in sockets:
                sockets.append(sock)
                if sock.ctx not in contexts:
                    contexts.append(sock.ctx)
    extra = len(contexts)               # the contexts' wake pipes
    c_items = <zmq_pollitem_t *>PyMem_Malloc((count + extra) * sizeof(zmq_pollitem_t))
    if c_items == NULL:
        raise MemoryError()
    for sock in sockets:
        sock._busy = True
    try:
        for index in range(extra):
            c_items[count + index].socket = NULL
            c_items[count + index].fd = (<Context>contexts[index])._wake_fd()
            c_items[count + index].events = ZMQ_POLLIN
        while True:
            for index in range(count):
                item = <Pollitem>items[index]
                c_items[index].socket = (<Socket>item.socket)._c_handle if item.socket is not None else NULL
                c_items[index].fd = item.fd
                c_items[index].events = item.events
                c_items[index].revents = 0
            for index in range(extra):
                c_items[count + index].revents = 0
            with nogil:
                rc = zmq_poll(c_items, count + extra, wait)
            err = zmq_errno()
            for context in contexts:
                if (<Context>context)._destroyed:
                    for sock in sockets:
                        if sock.ctx is context:
                            sock._close("its Context was destroyed")
                    raise ContextTerminated(ETERM, "a polled socket's Context was destroyed")
            if rc >= 0:
                for index in range(count):
                    (<Pollitem>items[index]).revents = c_items[index].revents
                return rc
            if err != EINTR:
                return _raise_zmq(err, "poll")
            PyErr_CheckSignals()
            if wait > 0:
                wait = max(0, deadline - zclock_mono())
    finally:
        for sock in sockets:
            sock._busy = False
        PyMem_Free(c_items)


def proxy(Socket frontend not None, Socket backend not None, Socket capture=None):
    """zmq_proxy(), GIL released, until the sockets' context ends: zmq.ctx_term()
    or ctx_shutdown() of an own context, or Context.destroy() of CZMQ's."""
    cdef Socket control_in, control_out
    cdef void *capture_handle = NULL
    cdef int rc, err
    cdef Context ctx = frontend.ctx
    sockets = [frontend, backend] + ([capture] if capture is not None else [])
    for sock in sockets:
        (<Socket>sock)._check()
        (<Socket>sock)._check_writable()      # the proxy sends on all of them
        if (<Socket>sock).ctx is not ctx:
            raise ValueError("proxy sockets must belong to one Context")
    # A control socket stops the proxy when the Context is destroyed.
    endpoint = "inproc://pyczmq-proxy-%x" % id(frontend)
    control_in = Socket(ctx, ZMQ_PAIR)
    control_out = Socket(ctx, ZMQ_PAIR)
    control_in.bind(endpoint)
    control_out.connect(endpoint)
    ctx._proxies.append(control_out)
    # All busy: Context.destroy() from another thread must not close a socket
    # under zmq_proxy (it sends TERMINATE instead); this thread closes the
    # control pair when the proxy ends.
    for sock in sockets + [control_in, control_out]:
        (<Socket>sock)._busy = True
    try:
        while True:
            capture_handle = capture._c_handle if capture is not None else NULL
            with nogil:
                rc = zmq_proxy_steerable(frontend._c_handle, backend._c_handle, capture_handle,
                                         control_in._c_handle)
            err = zmq_errno()
            if rc == 0 or err == ETERM or ctx._destroyed:
                return None                 # terminated (by the control socket, or ETERM)
            if err != EINTR:
                return _raise_zmq(err, "proxy")
            PyErr_CheckSignals()
    finally:
        for sock in sockets + [control_in, control_out]:
            (<Socket>sock)._busy = False
        if control_out in ctx._proxies:
            ctx._proxies.remove(control_out)
        control_out._close("the proxy ended")
        control_in._close("the proxy ended")
