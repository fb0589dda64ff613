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


cdef class Actor:
    """Base of the types that run a CZMQ actor (Auth, Beacon).  Not made
    directly.  ``destroy()`` (or the end of a ``with`` block, of the Context
    given, or of the process) stops the actor thread."""

    def __cinit__(self):
        self._lock = PyThread_allocate_lock()
        if self._lock == NULL:
            raise MemoryError()

    def __dealloc__(self):
        self._end()
        if self._lock != NULL:
            PyThread_free_lock(self._lock)

    cdef int _start(self, zactor_fn *task, void *args, Context ctx) except -1:
        """Start the actor thread.  The GIL stays held: no other Python thread
        can take the sockets the caller made room for."""
        cdef sigset_t saved
        _block_signals(&saved)
        self._c_actor = zactor_new(task, args)
        _restore_signals(&saved)
        if self._c_actor == NULL:
            raise MemoryError("CZMQ could not start the actor")
        self._pid = _process_pid
        self._ctx = ctx
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

    cdef int _command(self, list parts, bint wait_signal) except -1:
        """Send one command (a list of bytes frames) and, if asked, wait for
        the actor's acknowledgement (zsock_signal)."""
        cdef zmsg_t *msg
        cdef sigset_t saved
        cdef int rc = 0, err = 0
        self._check()           # first: a lock copied by fork may be held forever
        with nogil:
            PyThread_acquire_lock(self._lock, WAIT_LOCK)
        try:
            self._check()
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
                if rc == 0 and wait_signal:
                    rc = zsock_wait(self._c_actor)
                err = zmq_errno()
                _restore_signals(&saved)
            if msg != NULL:
                zmsg_destroy(&msg)
            if rc < 0:
                _raise_zmq(err, "%s command %s" % (type(self).__name__, parts[0].decode()))
        finally:
            PyThread_release_lock(self._lock)
        PyErr_CheckSignals()
        return rc

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
        with nogil:
            _block_signals(&saved)
            zactor_destroy(&actor)
            _restore_signals(&saved)
        if _zauth_owner == <void *>self:
            _zauth_owner = NULL         # zauth has unbound the ZAP endpoint

    def destroy(self):
        """Stop the actor and wait for its thread to end."""
        if self._c_actor != NULL and self._pid != _process_pid:
            self._c_actor = NULL    # the parent's: a forked child only lets go of it
            return
        with nogil:
            PyThread_acquire_lock(self._lock, WAIT_LOCK)
        try:
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
