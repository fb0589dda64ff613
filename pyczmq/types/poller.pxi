# Poller: CZMQ's zpoller, waiting for the first of a set of sockets to have a
# message.  The zpoller keeps the set; wait() is zpoller_wait's semantics
# (first socket in the order added; expired/terminated) over pyczmq's one wait
# (_wait_items), so Context.destroy() from another thread and Ctrl-C end it as
# they end a socket's wait.  While it waits (GIL released) its sockets are
# reserved: other threads get EBUSY.


cdef class Poller:
    """CZMQ's zpoller: wait until one of its sockets has a message to read.

    ``Poller(sock_a, sock_b).wait(timeout)`` returns the first socket (in the
    order added) with input, the same object that was added, or None when the
    timeout (ms, -1: forever) expires.  Ctrl-C raises KeyboardInterrupt.
    """

    def __cinit__(self):
        self._c_poller = zpoller_new(NULL)
        _live[<int>LIVE_POLLERS] += self._c_poller != NULL
        self._sockets = {}

    def __init__(self, *sockets):
        for sock in sockets:
            self.add(sock)

    def __dealloc__(self):
        if self._c_poller != NULL:
            _live_down(LIVE_POLLERS)
            zpoller_destroy(&self._c_poller)

    cdef int _check(self) except -1:
        if self._c_poller == NULL:
            raise ClosedError("Poller was destroyed")
        if self._waiting:
            raise ZMQError(EBUSY, "Poller is waiting in another thread")
        return 0

    cdef int _forget(self, Socket sock) except -1:
        """`sock` is closing: stop watching it."""
        if self._c_poller != NULL and self._sockets.pop(<size_t>sock._c_handle, None) is not None:
            zpoller_remove(self._c_poller, sock._c_handle)
        return 0

    def add(self, Socket sock not None):
        """Watch `sock` for input too."""
        self._check()
        sock._check()
        if <size_t>sock._c_handle in self._sockets:
            return
        if zpoller_add(self._c_poller, sock._c_handle) != 0:
            _raise_last("add a socket to the poller")
        self._sockets[<size_t>sock._c_handle] = sock
        sock._watch(self)

    def remove(self, Socket sock not None):
        """Stop watching `sock` (nothing happens if it is not watched)."""
        self._check()
        if sock._c_handle != NULL:
            self._forget(sock)

    def wait(self, timeout=-1):
        """The first socket with a message within `timeout` ms (-1: forever), or
        None: then expired() or terminated() tells why (terminated: a watched
        socket's Context was destroyed, whose sockets are then closed)."""
        cdef long wait = timeout
        cdef Py_ssize_t count, index, reserved = 0
        cdef zmq_pollitem_t few[8 + WAIT_MAX_CONTEXTS + 1]
        cdef zmq_pollitem_t *items = few
        cdef WaitSet waits
        cdef int rc
        self._check()
        self._expired = self._terminated = False
        if zsys_interrupted and not self._nonstop:
            self._terminated = True         # CZMQ's interrupt flag, as zpoller_wait
            return None
        sockets = list(self._sockets.values())
        contexts = list(dict.fromkeys([(<Socket>sock).ctx for sock in sockets]))
        count = len(sockets)
        if count + len(contexts) + 1 > 8 + WAIT_MAX_CONTEXTS + 1:
            items = <zmq_pollitem_t *>PyMem_Malloc((count + len(contexts) + 1) * sizeof(zmq_pollitem_t))
            if items == NULL:
                raise MemoryError()
        try:
            for index in range(count):
                (<Socket>sockets[index])._reserve()
                reserved += 1
                items[index].socket = (<Socket>sockets[index])._c_handle
                items[index].fd = 0
                items[index].events = ZMQ_POLLIN
            self._waiting = True
            _waitset_begin(&waits, items, count, contexts)
            waits.czmq_interrupt = not self._nonstop
            try:
                with nogil:
                    rc = _wait_items(&waits, wait, True)
            finally:
                _waitset_end(&waits)
            if rc > 0:
                for index in range(count):
                    if items[index].revents & ZMQ_POLLIN:
                        return sockets[index]
            if rc == WAIT_WOKEN or rc == WAIT_INTERRUPTED:
                self._terminated = True
            else:
                self._expired = True
            return None
        finally:
            self._waiting = False
            for index in range(reserved):
                (<Socket>sockets[index])._release()
            if items != few:
                PyMem_Free(items)
            if self._terminated:
                for sock in sockets:
                    if (<Socket>sock).ctx._destroyed:
                        (<Socket>sock)._close("its Context was destroyed")

    def expired(self):
        """True if the last wait() ended because its timeout expired."""
        return self._c_poller != NULL and self._expired

    def terminated(self):
        """True if the last wait() ended because the context ended."""
        return self._c_poller != NULL and self._terminated

    def set_nonstop(self, nonstop):
        """Ignore CZMQ's interrupt flag (pyczmq never sets it)."""
        self._check()
        self._nonstop = bool(nonstop)
        zpoller_set_nonstop(self._c_poller, self._nonstop)

    @property
    def sockets(self):
        """The sockets watched, in the order added."""
        return list(self._sockets.values())

    def destroy(self):
        """Free the poller."""
        self._check()
        _live_down(LIVE_POLLERS)
        zpoller_destroy(&self._c_poller)
        self._sockets = {}

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc_info):
        if self._c_poller != NULL:
            self.destroy()

    def __repr__(self):
        if self._c_poller == NULL:
            return "<pyczmq.Poller destroyed at %#x>" % id(self)
        return "<pyczmq.Poller %d sockets at %#x>" % (len(self._sockets), id(self))
