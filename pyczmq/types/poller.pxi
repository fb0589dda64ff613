# Poller: CZMQ's zpoller, waiting for the first of a set of sockets to have a
# message.  While wait() waits (GIL released) its sockets are busy, so other
# threads get EBUSY.  (zpoller can not watch a Context's wake pipe, so
# Context.destroy() from another thread does not end a wait; its timeout does.)


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
        None (then expired() or terminated() tells why)."""
        cdef void *ready
        cdef int wait = timeout, err
        cdef int64_t deadline = zclock_mono() + wait if wait > 0 else 0
        self._check()
        sockets = list(self._sockets.values())
        for sock in sockets:
            (<Socket>sock)._check()
        self._waiting = True
        for sock in sockets:
            (<Socket>sock)._busy = True
        try:
            while True:
                with nogil:
                    ready = zpoller_wait(self._c_poller, wait)
                err = zmq_errno()
                if ready != NULL:
                    return self._sockets.get(<size_t>ready)
                if zpoller_expired(self._c_poller) or not zpoller_terminated(self._c_poller):
                    return None
                if zsys_interrupted:
                    return None             # CZMQ's interrupt flag: zpoller ends at once again
                if err != EINTR:
                    return None             # terminated: the context ended
                PyErr_CheckSignals()        # Ctrl-C raises; other signals: wait on
                if wait > 0:
                    wait = max(0, deadline - zclock_mono())
        finally:
            self._waiting = False
            for sock in sockets:
                (<Socket>sock)._busy = False

    def expired(self):
        """True if the last wait() ended because its timeout expired."""
        return self._c_poller != NULL and zpoller_expired(self._c_poller)

    def terminated(self):
        """True if the last wait() ended because the context ended."""
        return self._c_poller != NULL and zpoller_terminated(self._c_poller)

    def set_nonstop(self, nonstop):
        """Ignore CZMQ's interrupt flag (pyczmq never sets it)."""
        self._check()
        zpoller_set_nonstop(self._c_poller, bool(nonstop))

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
