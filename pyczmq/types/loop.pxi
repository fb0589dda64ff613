# Loop: CZMQ's reactor (zloop), driving Python handlers.
#
# zloop keeps what it was given as a handler's arg after pyczmq is done with
# it: an ended timer until the end of its pass, a ticket whose handler
# stopped the loop until the next one.  So zloop never gets a pointer: its
# arg is an integer key, which the trampolines look up in the registrations
# of the Loop running that zloop; a key no longer there is ignored.  Handlers
# run with the GIL re-taken inside zloop_start(), which runs with the GIL
# released.  An exception in a handler stops the loop and is raised again by
# start().  While start() waits, the loop's sockets are busy (other threads
# get EBUSY); while a handler runs they are free for it to use.  Readers are
# zloop pollers on the socket's libzmq handle (zloop_reader() needs a zsock_t).

_running_loops = {}     # zloop address -> the Loop whose start() runs it


cdef int _on_item(zloop_t *loop, zmq_pollitem_t *item, void *arg) noexcept with gil:
    owner = _running_loops.get(<size_t>loop)
    if owner is None:
        return 0
    if arg == NULL:                 # (key 0) the signal wake pipe
        return (<Loop>owner)._on_signal()
    if <size_t>arg == _CONTEXT_WAKE:    # a Context's wake pipe: destroy() ran
        (<Loop>owner)._woken = True
        return -1
    return (<Loop>owner)._call(<size_t>arg, item.revents)


cdef size_t _CONTEXT_WAKE = <size_t>-1     # the key of the Contexts' wake pipes


cdef int _on_timer(zloop_t *loop, int timer_id, void *arg) noexcept with gil:
    owner = _running_loops.get(<size_t>loop)
    return 0 if owner is None else (<Loop>owner)._call(<size_t>arg, 0)


cdef class _Handler:
    """One registration of a Loop (internal)."""


cdef class Ticket:
    """A ticket timer of a Loop (Loop.ticket): fires once, after the loop's
    ticket delay, unless reset (restarting the delay) or deleted first."""

    @property
    def alive(self):
        """True until it fires or is deleted."""
        return self._alive

    def reset(self):
        """Restart its delay."""
        self.loop.ticket_reset(self)

    def delete(self):
        """Cancel it."""
        self.loop.ticket_delete(self)

    def __repr__(self):
        return "<pyczmq.Ticket %s at %#x>" % ("alive" if self._alive else "ended", id(self))


cdef class Loop:
    """CZMQ's reactor (zloop): call Python handlers when sockets or file
    descriptors are ready and when timers expire.

    A handler is called as ``handler(loop, target, arg)`` -- the socket for a
    reader, the pollitem for a poller, the timer id for a timer, the Ticket
    for a ticket -- and stops the loop by returning -1.  An exception raised
    by a handler stops it too and is raised again by start().  Handlers may
    add and end readers, pollers and timers, their own included.
    """

    def __cinit__(self):
        self._c_loop = zloop_new()
        _live[<int>LIVE_LOOPS] += self._c_loop != NULL
        self._registrations = {}
        self._items = []
        self._timers = {}
        self._ended_timers = []

    def __dealloc__(self):
        if self._c_loop != NULL:
            _live_down(LIVE_LOOPS)
            zloop_destroy(&self._c_loop)

    cdef int _check(self) except -1:
        if self._c_loop == NULL:
            raise ClosedError("Loop was destroyed")
        if self._running and PyThread_get_thread_ident() != self._thread:
            raise ZMQError(EBUSY, "Loop is running in another thread (a zloop is used "
                           "by one thread at a time)")
        return 0

    cdef int _call(self, size_t key, short revents) noexcept:
        """zloop calls registration `key` (from inside zloop_start, GIL held):
        0, or -1 to stop."""
        cdef _Handler handler = self._registrations.get(key)
        cdef object result
        if handler is None:
            return 0                # ended while zloop still had it
        # First what zloop does with it after this call, whatever the call does.
        if handler.kind == HANDLE_TIMER:
            if handler.remaining == 1:
                self._drop(handler)
            elif handler.remaining:
                handler.remaining -= 1
        elif handler.kind == HANDLE_POLLER:
            (<Pollitem>handler.target).revents = revents
        if self._error is not None:
            # Stopping: an earlier handler raised.  A due ticket stays (zloop
            # keeps a ticket whose handler returns -1) and fires on the next run.
            return -1
        if handler.kind == HANDLE_TICKET:
            self._drop(handler)     # fires once: zloop frees it (or ignores it from now on)
        self._sockets_busy(False)
        try:
            result = handler.handler(self, handler.target, handler.arg)
        except BaseException as error:
            self._error = error
            return -1
        finally:
            if self._c_loop != NULL:
                self._sockets_busy(True)
        return -1 if isinstance(result, int) and result == -1 else 0

    cdef int _on_signal(self) noexcept:
        """A signal arrived (the wake pipe is readable): run Python's handlers;
        one that raises (Ctrl-C) stops the loop."""
        _signal_wake_drain()
        try:
            PyErr_CheckSignals()
        except BaseException as error:
            self._error = error
            return -1
        return 0

    cdef int _drop(self, _Handler handler) except -1:
        """Forget a registration: zloop calls to its key are ignored from now on."""
        self._registrations.pop(handler.key, None)
        if handler.kind == HANDLE_TIMER:
            self._timers.pop(handler.timer_id, None)
        elif handler.kind == HANDLE_TICKET:
            (<Ticket>handler.target)._alive = False
        return 0

    cdef void _sockets_busy(self, bint busy) noexcept:
        """Reserve (or release) the sockets polled: reserved while zloop waits,
        released while a handler runs (so that it can use them)."""
        cdef _Handler handler
        for handler in self._items:
            if handler.socket is not None:
                if busy:
                    handler.socket._try_reserve()
                else:
                    handler.socket._release()

    cdef int _end_items(self, void *socket, int fd) except -1:
        """zloop_poller_end for a socket (or fd): it ends every item on it."""
        cdef zmq_pollitem_t item
        cdef _Handler handler
        kept = []
        for handler in self._items:
            if (socket != NULL and handler.item.socket == socket) or \
                    (socket == NULL and handler.item.socket == NULL and handler.item.fd == fd):
                self._drop(handler)
            else:
                kept.append(handler)
        self._items = kept
        item.socket = socket
        item.fd = fd
        item.events = item.revents = 0
        zloop_poller_end(self._c_loop, &item)
        return 0

    cdef int _forget(self, Socket sock) except -1:
        """`sock` is closing: no item of this loop may poll it any more."""
        if self._c_loop != NULL and sock._c_handle != NULL:
            self._end_items(sock._c_handle, 0)
        return 0

    cdef _Handler _register(self, HandlerKind kind, handler, arg, target):
        cdef _Handler registration
        if not callable(handler):
            raise TypeError("a Loop handler must be callable, not %s" % type(handler).__name__)
        registration = _Handler.__new__(_Handler)
        registration.handler = handler
        registration.arg = arg
        registration.target = target
        registration.kind = kind
        self._next_key += 1
        registration.key = self._next_key
        return registration

    # -- sockets and file descriptors ------------------------------------------

    cdef int _add_item(self, _Handler registration, Socket sock, int fd, short events) except -1:
        registration.socket = sock
        registration.item.socket = sock._c_handle if sock is not None else NULL
        # (-1 for sockets: zloop ends fd items by fd, and must not match them)
        registration.item.fd = fd if sock is None else -1
        registration.item.events = events
        registration.item.revents = 0
        if zloop_poller(self._c_loop, &registration.item, _on_item, <void *>registration.key) != 0:
            return _raise_last("register with the loop")
        self._registrations[registration.key] = registration
        self._items.append(registration)
        if sock is not None:
            sock._watch(self)       # (made busy with the others after the handler)
        return 0

    def reader(self, Socket sock not None, handler, arg=None):
        """Call ``handler(loop, sock, arg)`` whenever `sock` has a message."""
        self._check()
        sock._check()
        self._add_item(self._register(HANDLE_READER, handler, arg, sock), sock, 0, ZMQ_POLLIN)

    cdef int _set_tolerant(self, Socket sock, int fd) except -1:
        """zloop_poller_set_tolerant() for a usable socket, or else for `fd`
        (zloop matches on the fd when the socket is NULL)."""
        cdef zmq_pollitem_t item
        self._check()
        if sock is not None:
            sock._check()
        item.socket = sock._c_handle if sock is not None else NULL
        item.fd = fd if sock is None else -1
        zloop_poller_set_tolerant(self._c_loop, &item)
        return 0

    def reader_end(self, Socket sock not None):
        """Stop calling the handlers of `sock` (its pollers too, as zloop does)."""
        self._check()
        self._forget(sock)

    def reader_set_tolerant(self, Socket sock not None):
        """Keep calling `sock`'s handlers after errors (zloop drops them otherwise)."""
        self._set_tolerant(sock, -1)

    def poller(self, Pollitem item not None, handler, arg=None):
        """Call ``handler(loop, item, arg)`` when the item's socket or file
        descriptor has its events (item.revents tells which)."""
        cdef Socket sock = item.socket
        self._check()
        if sock is not None:
            sock._check()
        self._add_item(self._register(HANDLE_POLLER, handler, arg, item), sock, item.fd, item.events)

    def poller_end(self, Pollitem item not None):
        """Stop polling the item's socket or file descriptor (every item on it)."""
        cdef Socket sock = item.socket
        self._check()
        if sock is None:
            self._end_items(NULL, item.fd)
        else:
            self._forget(sock)

    def set_tolerant(self, Pollitem item not None):
        """Keep polling the item's socket or fd after errors."""
        self._set_tolerant(item.socket, item.fd)

    # -- timers -------------------------------------------------------------------

    def timer(self, delay, times, handler, arg=None):
        """Call ``handler(loop, timer_id, arg)`` every `delay` ms, `times` times
        (0: forever); returns the timer id."""
        cdef _Handler registration
        cdef int timer_id
        self._check()
        _check_int_range("timer delay", delay, 0, 2**31 - 1)
        _check_int_range("timer times", times, 0, 2**31 - 1)
        registration = self._register(HANDLE_TIMER, handler, arg, None)
        if self._max_timers and <size_t>len(self._timers) >= self._max_timers:
            raise ZMQError(EMFILE, "the loop has its maximum of %d timers (set_max_timers)"
                           % self._max_timers)
        registration.remaining = times
        timer_id = zloop_timer(self._c_loop, delay, times, _on_timer, <void *>registration.key)
        if timer_id < 0:
            raise MemoryError("the loop could not add a timer")
        registration.timer_id = timer_id
        registration.target = timer_id
        self._registrations[registration.key] = registration
        self._timers[timer_id] = registration
        return timer_id

    def timer_end(self, int timer_id):
        """Cancel a timer (also one already due in this pass of the loop)."""
        cdef _Handler registration
        self._check()
        registration = self._timers.get(timer_id)
        if registration is None:
            raise ValueError("no timer %d in this loop" % timer_id)
        self._drop(registration)    # its firings are ignored from now on
        if self._running and self._has_run:
            # zloop removes the timer at once once it has run (not at the end of
            # the pass), which would free it under zloop's own iteration.
            self._ended_timers.append(timer_id)
        else:
            zloop_timer_end(self._c_loop, timer_id)

    def set_ticket_delay(self, msecs):
        """The delay (ms) of ticket timers, needed before the first ticket()."""
        self._check()
        _check_int_range("ticket delay", msecs, 1, 2**31 - 1)
        self._ticket_delay = msecs
        zloop_set_ticket_delay(self._c_loop, msecs)

    def ticket(self, handler, arg=None):
        """A ticket timer: calls ``handler(loop, ticket, arg)`` once, after the
        ticket delay, unless reset or deleted; cheap when there are thousands."""
        cdef Ticket ticket
        self._check()
        if self._ticket_delay == 0:
            raise ValueError("set_ticket_delay() first: tickets need a delay")
        ticket = Ticket.__new__(Ticket)
        ticket._handler = self._register(HANDLE_TICKET, handler, arg, ticket)
        ticket._c_ticket = zloop_ticket(self._c_loop, _on_timer, <void *>ticket._handler.key)
        if ticket._c_ticket == NULL:
            raise MemoryError()
        ticket.loop = self
        ticket._alive = True
        self._registrations[ticket._handler.key] = ticket._handler
        return ticket

    cdef int _check_ticket(self, Ticket ticket) except -1:
        self._check()
        if ticket.loop is not self:
            raise ValueError("that ticket belongs to another loop")
        if not ticket._alive:
            raise ClosedError("the ticket has fired or was deleted")
        return 0

    def ticket_reset(self, Ticket ticket not None):
        """Restart a ticket's delay."""
        self._check_ticket(ticket)
        zloop_ticket_reset(self._c_loop, ticket._c_ticket)

    def ticket_delete(self, Ticket ticket not None):
        """Cancel a ticket."""
        self._check_ticket(ticket)
        self._drop(ticket._handler)
        zloop_ticket_delete(self._c_loop, ticket._c_ticket)

    def set_max_timers(self, count):
        """Refuse more than `count` timers (0: no limit)."""
        self._check()
        _check_int_range("max timers", count, 0, 2**31 - 1)
        # Counted here: zloop counts ended timers until its next pass, and logs.
        self._max_timers = count

    # -- running --------------------------------------------------------------------

    def set_verbose(self, verbose):
        """Trace the reactor's activity (CZMQ logs to stdout)."""
        self._check()
        zloop_set_verbose(self._c_loop, bool(verbose))

    def set_nonstop(self, nonstop):
        """Keep running when CZMQ's interrupt flag is set (pyczmq does not set it:
        Ctrl-C raises KeyboardInterrupt from start())."""
        self._check()
        self._nonstop = bool(nonstop)
        zloop_set_nonstop(self._c_loop, self._nonstop)

    def start(self):
        """Run until a handler returns -1 (returns -1), or the context ends or
        CZMQ's interrupt flag is set (returns 0; not under set_nonstop); a
        handler's exception is raised from here, and Ctrl-C raises
        KeyboardInterrupt.  The GIL is released while it waits."""
        cdef int rc, err
        cdef _Handler handler
        cdef zmq_pollitem_t wake            # the signal wake pipe (see wait.pxi)
        cdef zmq_pollitem_t item
        self._check()
        if self._running:
            raise RuntimeError("the loop is already running")
        for handler in self._items:         # nobody else may be using them
            if handler.socket is not None:
                handler.socket._check()
        # The wake items of pyczmq's one wait (types/wait.pxi), as zloop pollers.
        contexts = {}
        for handler in self._items:
            if handler.socket is not None:
                contexts[handler.socket.ctx] = None
        wakes = []
        for context in contexts:
            item.socket = NULL
            item.events = ZMQ_POLLIN
            item.fd = (<Context>context)._wake_fd()
            if zloop_poller(self._c_loop, &item, _on_item, <void *>_CONTEXT_WAKE) != 0:
                for fd in wakes:
                    item.fd = fd
                    zloop_poller_end(self._c_loop, &item)
                return _raise_last("register with the loop")
            wakes.append(item.fd)
        wake.socket = NULL
        wake.events = ZMQ_POLLIN
        wake.fd = _signal_wake_begin()
        if wake.fd >= 0 and zloop_poller(self._c_loop, &wake, _on_item, NULL) != 0:
            _signal_wake_end()
            wake.fd = -1
            for fd in wakes:
                item.fd = fd
                zloop_poller_end(self._c_loop, &item)
            return _raise_last("register with the loop")
        self._woken = False
        self._running = True
        self._thread = PyThread_get_thread_ident()
        self._error = None
        _running_loops[<size_t>self._c_loop] = self
        self._sockets_busy(True)
        try:
            PyErr_CheckSignals()            # one that came before the pipe was in place
            while True:
                with nogil:
                    rc = zloop_start(self._c_loop)
                err = zmq_errno()
                if self._error is not None:
                    error, self._error = self._error, None
                    raise error
                if rc == -1 and self._woken:
                    return 0                # a Context ended, as zloop on ETERM
                if rc == -1:
                    return -1               # a handler asked to stop
                if rc > 0:
                    raise ZMQError(ENOMEM, "the loop could not build its poll set")
                if zsys_interrupted and not self._nonstop:
                    return 0                # CZMQ's interrupt flag: zloop ends at once again
                if err == EINTR:
                    PyErr_CheckSignals()    # Ctrl-C raises; other signals: carry on
                    continue
                if err == ETERM:
                    return 0
                return _raise_zmq(err, "loop")
        finally:
            if wake.fd >= 0:
                zloop_poller_end(self._c_loop, &wake)
                _signal_wake_end()
            for fd in wakes:
                item.socket = NULL
                item.fd = fd
                zloop_poller_end(self._c_loop, &item)
            self._running = False
            self._has_run = True
            _running_loops.pop(<size_t>self._c_loop, None)
            self._sockets_busy(False)
            for handler in list(self._items):       # destroy() left them to us
                if handler.socket is not None and handler.socket.ctx._destroyed:
                    handler.socket._close("its Context was destroyed")
            for timer_id in self._ended_timers:
                zloop_timer_end(self._c_loop, timer_id)
            self._ended_timers = []

    def destroy(self):
        """Free the loop and drop its handlers (not from inside one of them)."""
        if self._running:
            if PyThread_get_thread_ident() != self._thread:
                raise ZMQError(EBUSY, "Loop is running in another thread")
            raise RuntimeError("a loop can not be destroyed from inside one of its "
                               "handlers: return -1 to stop it, then destroy it")
        if self._c_loop != NULL:
            _live_down(LIVE_LOOPS)
            zloop_destroy(&self._c_loop)
        for handler in list(self._registrations.values()):
            self._drop(handler)
        self._items = []
        self._timers = {}

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc_info):
        self.destroy()

    def __repr__(self):
        if self._c_loop == NULL:
            return "<pyczmq.Loop destroyed at %#x>" % id(self)
        return "<pyczmq.Loop %d items, %d timers%s at %#x>" % (
            len(self._items), len(self._timers), ", running" if self._running else "", id(self))
