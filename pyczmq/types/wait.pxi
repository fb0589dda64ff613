# The one wait of pyczmq.  Every call that must wait -- a socket's send or
# receive, zmq.poll, Poller.wait, the proxy -- ends in _wait_items(): zmq_poll
# with the GIL released on the caller's items plus the wake items that follow
# them, with EINTR, Python's signal handlers and the deadline handled here
# only.  The wake items are the wake pipes of the Contexts involved (readable
# once Context.destroy() has run, in any thread) and, in the main thread, the
# signal wake pipe.  Loop registers the same pipes with zloop.
#
# The signal wake pipe: a signal that arrives after Python's last check but
# before the poll begins would be seen only when the wait ends.  While a wait
# of the main thread is in progress, Python's C signal handler writes to this
# pipe (signal.set_wakeup_fd), which the wait polls too, so Ctrl-C is never
# lost.  A wakeup fd someone else set (asyncio's) is left alone.

cdef extern from "<fcntl.h>" nogil:
    int pipe2(int *fds, int flags)
    enum: O_NONBLOCK
    enum: O_CLOEXEC

import signal as _signal
import threading as _threading

cdef object _set_wakeup_fd = _signal.set_wakeup_fd

cdef int _wake_read = -1, _wake_write = -1
cdef pid_t _wake_pipe_pid = 0
cdef int _wake_users = 0                # nested waits using the pipe
cdef unsigned long _main_thread = _threading.main_thread().ident


cdef struct WaitSet:
    zmq_pollitem_t *items   # the caller's items, then the wake items
    int count               # the caller's items
    int total               # all items
    int signal_fd           # the signal wake pipe's read end (the last item), or -1
    bint czmq_interrupt     # end (WAIT_INTERRUPTED) once CZMQ's zsys_interrupted is set


cdef enum:
    WAIT_WOKEN = -1         # a watched Context was destroyed, or libzmq's context terminated
    WAIT_INTERRUPTED = -3   # CZMQ's interrupt flag is set (waits that honour it, as zpoller)
    WAIT_MAX_CONTEXTS = 4   # wake pipes a stack WaitSet holds (more: the caller allocates)


cdef int _signal_wake_begin() except -2:
    """Start routing signals to the wake pipe: its read end, or -1 when this
    thread can not (not the main thread, or another wakeup fd is set).  Pair
    each call that returns a descriptor with _signal_wake_end()."""
    global _wake_read, _wake_write, _wake_pipe_pid, _wake_users
    cdef int fds[2], previous
    if PyThread_get_thread_ident() != _main_thread:
        return -1
    if _wake_pipe_pid != _process_pid:
        if _wake_read >= 0:         # a forked child's copies of its parent's
            close(_wake_read)
            close(_wake_write)
            _wake_read = _wake_write = -1
        if pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0:
            return -1
        _wake_read, _wake_write = fds[0], fds[1]
        _wake_pipe_pid = _process_pid
        _wake_users = 0
    if _wake_users == 0:
        previous = _set_wakeup_fd(_wake_write, warn_on_full_buffer=False)
        if previous != -1:
            _set_wakeup_fd(previous)        # someone else's: theirs
            return -1
    _wake_users += 1
    return _wake_read


cdef void _signal_wake_end() noexcept:
    global _wake_users
    if _wake_pipe_pid != _process_pid:
        return                      # begun in the parent of this forked child
    _wake_users -= 1
    if _wake_users == 0:
        try:
            _set_wakeup_fd(-1)
        except BaseException:       # (only fails outside the main thread)
            pass
        _signal_wake_drain()


cdef void _signal_wake_drain() noexcept nogil:
    cdef char buffer[64]
    while _wake_read >= 0 and read(_wake_read, buffer, sizeof(buffer)) > 0:
        pass


cdef void _after_fork_wait() noexcept:
    global _main_thread
    _main_thread = PyThread_get_thread_ident()     # the forking thread is the child's main


cdef int _waitset_add_fd(WaitSet *waits, int fd) noexcept nogil:
    """Append a wake item for `fd` (POLLIN)."""
    waits.items[waits.total].socket = NULL
    waits.items[waits.total].fd = fd
    waits.items[waits.total].events = ZMQ_POLLIN
    waits.total += 1
    return 0


cdef int _waitset_begin(WaitSet *waits, zmq_pollitem_t *items, int count,
                        object contexts) except -1:
    """Lay out the wake items after the caller's `count` items: the wake pipe
    of each Context in `contexts` (an iterable without repeats), then the
    signal wake pipe.  `items` has room for them.  Pair with _waitset_end()."""
    waits.items = items
    waits.count = waits.total = count
    waits.signal_fd = -1
    waits.czmq_interrupt = False
    for context in contexts:
        _waitset_add_fd(waits, (<Context>context)._wake_fd())
    waits.signal_fd = _signal_wake_begin()
    if waits.signal_fd >= 0:
        _waitset_add_fd(waits, waits.signal_fd)
    return 0


cdef inline void _waitset_end(WaitSet *waits) noexcept:
    if waits.signal_fd >= 0:
        waits.signal_fd = -1
        _signal_wake_end()


cdef int _wait_items(WaitSet *waits, long timeout, bint interruptible) except -2 nogil:
    """Wait, GIL released, until one of the caller's items is ready (their
    revents set; returns how many), `timeout` ms pass (0; -1 waits forever),
    or a wake pipe of a Context becomes readable or libzmq's context
    terminates (WAIT_WOKEN).  Signals run Python's handlers (when
    `interruptible`; one that raises, e.g. Ctrl-C, raises from here) and the
    wait goes on for the time left."""
    cdef int rc, err, index, ready
    cdef bint signalled
    cdef int64_t deadline = zclock_mono() + timeout if timeout > 0 else 0
    while True:
        for index in range(waits.total):
            waits.items[index].revents = 0
        rc = zmq_poll(waits.items, waits.total, timeout)
        signalled = False
        if rc < 0:
            err = zmq_errno()
            if err == ETERM:
                return WAIT_WOKEN
            if err != EINTR:
                with gil:
                    _raise_zmq(err, "poll")
            signalled = True
        else:
            ready = rc
            for index in range(waits.count, waits.total):
                if waits.items[index].revents:
                    ready -= 1
                    if waits.items[index].fd != waits.signal_fd:
                        return WAIT_WOKEN
                    signalled = True
                    _signal_wake_drain()
            if ready > 0 or not signalled:
                return ready        # (a signal seen with ready items: Python checks it soon)
        if signalled and interruptible:
            with gil:
                PyErr_CheckSignals()
        if signalled and waits.czmq_interrupt and zsys_interrupted:
            return WAIT_INTERRUPTED
        if timeout > 0:
            timeout = deadline - zclock_mono()
            if timeout <= 0:
                return 0
