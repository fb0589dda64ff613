# Actor: the base of the types that run a CZMQ actor (Auth, Beacon): a C
# thread with a PAIR pipe to it, driven by string commands.
#
# Signals are blocked in the thread that starts an actor and around every
# exchange on its pipe.  The actor thread inherits the blocked mask, so a
# Ctrl-C never lands in it (a signal there ends CZMQ's zpoller_wait and with
# it the actor), and CZMQ's handshakes (zactor_new, zsock_wait) are never cut
# short by EINTR, which would leave an acknowledgement in the pipe for the
# next command to mistake for its own.  A pending Ctrl-C is raised right after.

cdef extern from "<signal.h>" nogil:
    int pthread_sigmask(int how, const sigset_t *new_mask, sigset_t *old_mask)

cdef inline void _block_signals(sigset_t *saved) noexcept nogil:
    cdef sigset_t blocked
    sigfillset(&blocked)
    sigdelset(&blocked, SIGSEGV)       # faults can not wait
    sigdelset(&blocked, SIGBUS)
    sigdelset(&blocked, SIGFPE)
    sigdelset(&blocked, SIGILL)
    sigdelset(&blocked, SIGABRT)
    pthread_sigmask(SIG_BLOCK, &blocked, saved)


cdef inline void _restore_signals(sigset_t *saved) noexcept nogil:
    pthread_sigmask(SIG_SETMASK, saved, NULL)


cdef enum ActorReply:
    REPLY_NONE          # the command has no answer
    REPLY_SIGNAL        # the actor acknowledges with zsock_signal
    REPLY_STRING        # the actor answers with one string frame


cdef int _refuse_pipe_send(Socket pipe) except -1:
    raise ZMQError(ENOTSUP, "the pipe of a %s only receives: command the actor through its "
                            "methods" % (type((<ActorPipe>pipe)._owner).__name__
                                         if (<ActorPipe>pipe)._owner is not None else "CZMQ actor"))


cdef Context _the_pipes_context = None


cdef Context _pipes_context():
    """A Context of our own for actor pipes (no user code destroys it)."""
    global _the_pipes_context
    if _the_pipes_context is None or _the_pipes_context._destroyed:
        _the_pipes_context = Context()
    return _the_pipes_context


cdef int _check_room_for_sockets(int count, str what) except -1:
    """Raise unless `count` more sockets can be made in CZMQ's context (CZMQ
    asserts when an actor can not make its pipe or its own sockets)."""
    cdef void *handles[4]
    cdef int index, made = 0, err = 0
    if count > 4:
        raise ValueError("_check_room_for_sockets: at most 4")
    for index in range(count):
        handles[index] = zsys_socket(ZMQ_PAIR, NULL, 0)
        if handles[index] == NULL:
            err = zmq_errno()
            break
        made += 1
    for index in range(made):
        zsys_close(handles[index], NULL, 0)
    if made < count:
        raise ZMQError(err, "%s: no room for the %d sockets it needs" % (what, count))
    return 0


cdef class ActorPipe(Socket):
    """The application's end of a CZMQ actor's pipe (``Beacon.socket``): a PAIR
    socket to receive from and to poll (Poller, Loop).  The actor owns it:
    it can not be sent to (the actor would take anything as a command),
    closed, bound or connected."""

    def __init__(self, *args, **kwargs):
        raise TypeError("ActorPipe is made by its actor")

    cdef void _close_handle(self) noexcept:
        self._c_handle = NULL           # zactor_destroy() closes it

    cdef int _refuse_send(self) except -1:
        return _refuse_pipe_send(self)

    def close(self, linger=None):
        """Refused: destroy the actor instead."""
        if self._c_handle != NULL:
            raise ZMQError(ENOTSUP, "the pipe belongs to its actor: destroy() the actor instead")

    def __repr__(self):
        owner = type(self._owner).__name__ if self._owner is not None else "actor"
        state = "closed" if self._c_handle == NULL else "open"
        return "<pyczmq.ActorPipe of a %s, %s at %#x>" % (owner, state, id(self))


cdef class Actor:
    """Base of the types that run a CZMQ actor (Auth, Beacon).  Not made
    directly.  ``destroy()`` (or the end of a ``with`` block, of the Context
    given, or of the process) stops the actor thread."""

    def __cinit__(self):
        self._lock = PyThread_allocate_lock()
        if self._lock == NULL:
            raise MemoryError()

    def __dealloc__(self):
        if self._pipe is not None:
            self._pipe._c_handle = NULL
        self._end()
        if self._lock != NULL:
            PyThread_free_lock(self._lock)

    cdef int _start(self, zactor_fn *task, void *args, Context ctx) except -1:
        """Start the actor thread.  The GIL stays held: no other Python thread
        can take the sockets the caller made room for."""
        cdef sigset_t saved
        cdef ActorPipe pipe
        global _context_started
        if not _context_started:        # its pipe is the process's first CZMQ socket
            _try_thread_settings(_czmq_thread_settings, "start the context's I/O threads")
        _block_signals(&saved)
        self._c_actor = zactor_new(task, args)
        _restore_signals(&saved)
        if self._c_actor == NULL:
            raise MemoryError("CZMQ could not start the actor")
        _live_up(LIVE_ACTORS)
        _context_started = True
        self._pid = _process_pid
        self._ctx = ctx
        pipe = ActorPipe.__new__(ActorPipe)
        pipe._c_handle = zsock_resolve(self._c_actor)
        pipe._type = ZMQ_PAIR
        pipe._pid = _process_pid
        pipe._zsys = True
        pipe._receive_only = True
        pipe.ctx = _pipes_context()
        self._pipe = pipe
        _running_actors.add(self)
        if ctx is not None:
            ctx._actors.add(self)
        PyErr_CheckSignals()
        return 0

    cdef int _check(self) except -1:
        if self._c_actor == NULL:
            raise ClosedError("%s was destroyed" % type(self).__name__)
        if self._pid != _process_pid:
            raise ClosedError("%s belongs to process %d: a forked child must make its own"
                              % (type(self).__name__, self._pid))
        return 0

    cdef object _command(self, list parts, int reply):
        """Send one command (a list of bytes frames) and wait for its answer:
        none, the actor's acknowledgement (zsock_signal) or a string (returned
        as bytes).  The pipe is busy meanwhile."""
        cdef zmsg_t *msg
        cdef char *text = NULL
        cdef sigset_t saved
        cdef int rc = 0, err = 0
        self._check()           # first: a lock copied by fork may be held forever
        with nogil:
            PyThread_acquire_lock(self._lock, WAIT_LOCK)
        try:
            self._check()
            self._pipe._reserve()   # EBUSY while another thread receives or polls on it
            try:
                msg = zmsg_new()
                if msg == NULL:
                    raise MemoryError()
                for part in parts:
                    if zmsg_addmem(msg, PyBytes_AS_STRING(part), PyBytes_GET_SIZE(part)) != 0:
                        zmsg_destroy(&msg)
                        raise MemoryError()
                with nogil:
                    _block_signals(&saved)
                    rc = zmsg_send(&msg, self._c_actor)
                    if rc == 0 and reply == REPLY_SIGNAL:
                        rc = zsock_wait(self._c_actor)
                    elif rc == 0 and reply == REPLY_STRING:
                        text = zstr_recv(self._c_actor)
                        rc = 0 if text != NULL else -1
                    err = zmq_errno()
                    _restore_signals(&saved)
            finally:
                self._pipe._release()
            if msg != NULL:
                zmsg_destroy(&msg)
            if rc < 0:
                _raise_zmq(err, "%s command %s" % (type(self).__name__, parts[0].decode()))
            if text != NULL:
                try:
                    answer = <bytes>text
                finally:
                    zstr_free(&text)
            else:
                answer = None
        finally:
            PyThread_release_lock(self._lock)
        PyErr_CheckSignals()
        return answer

    cdef void _end(self) noexcept:
        """Stop the actor thread and wait for it (in its own process only).
        Also runs from __dealloc__: touches no Python object."""
        global _zauth_owner
        cdef zactor_t *actor = self._c_actor
        cdef sigset_t saved
        if actor == NULL:
            return
        self._c_actor = NULL
        if self._pid != _process_pid:
            return
        _live_down(LIVE_ACTORS)
        with nogil:
            _block_signals(&saved)
            zactor_destroy(&actor)
            _restore_signals(&saved)
        if _zauth_owner == <void *>self:
            _zauth_owner = NULL         # zauth has unbound the ZAP endpoint

    cdef bint _end_unless_busy(self) noexcept:
        """Stop the actor unless a call waits on its pipe (at exit); True if
        it is stopped."""
        if self._c_actor == NULL or self._pid != _process_pid:
            return True
        if self._pipe is not None and self._pipe._busy:
            return False
        if self._pipe is not None:
            self._pipe._close("its actor was destroyed")
        self._end()
        return True

    def destroy(self):
        """Stop the actor and wait for its thread to end.  Raises EBUSY while
        another thread receives or polls on its socket."""
        if self._c_actor != NULL and self._pid != _process_pid:
            self._c_actor = NULL    # the parent's: a forked child only lets go of it
            return
        with nogil:
            PyThread_acquire_lock(self._lock, WAIT_LOCK)
        try:
            if self._c_actor != NULL and self._pipe is not None and self._pipe._busy:
                self._pipe._raise_unusable()
            if self._pipe is not None:
                self._pipe._close("its %s was destroyed" % type(self).__name__)
            self._end()
            _running_actors.discard(self)
        finally:
            PyThread_release_lock(self._lock)
        PyErr_CheckSignals()

    @property
    def destroyed(self):
        """True once the actor was stopped."""
        return self._c_actor == NULL

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc_info):
        self.destroy()
