# Process-wide state: CZMQ keeps one libzmq context per process, installs its
# own signal handler, registers an atexit hook of its own and resets itself in
# forked children.  This file keeps all of that compatible with Python.

import atexit as _atexit
import os as _os
import weakref as _weakref

# CZMQ's SIGINT/SIGTERM handler would silently swallow KeyboardInterrupt:
# switch it off before anything can call zsys_init().
zsys_handler_set(NULL)

cdef pid_t _process_pid = getpid()      # kept current by the at-fork hook
cdef bint _context_started = False      # a socket exists or existed in this process
cdef void *_zauth_owner = NULL          # the Auth whose zauth actor runs (CZMQ allows one)
cdef bint _czmq_lingers_forever = False # a CZMQ socket was closed with linger -1
_open_sockets = _weakref.WeakSet()      # every open Socket of this process
_contexts = _weakref.WeakSet()          # every Context (their wake pipes, at fork)
_running_actors = _weakref.WeakSet()    # every Actor (Auth, ...) of this process still running


cdef void *_zsys_context() except NULL:
    """CZMQ's process-wide libzmq context (created on first use)."""
    cdef void *context = zsys_init()
    if context == NULL:
        raise ZMQError(ENOMEM, "CZMQ could not create its libzmq context")
    return context


def _after_fork_in_child():
    # CZMQ's own at-fork handler has reset its state, including turning its
    # signal handling back on; the child starts with a fresh context.
    global _process_pid, _context_started, _zauth_owner, _czmq_thread_settings
    global _czmq_lingers_forever
    zsys_handler_set(NULL)
    _after_fork_wait()
    _live_after_fork()
    for context in list(_contexts):
        # Our copies of the parent's wake pipes: close them now, before their
        # numbers can be reused for the child's own files.
        (<Context>context)._forget_wake_pipe()
    _process_pid = getpid()
    _context_started = False
    _czmq_lingers_forever = False
    _czmq_thread_settings = _default_thread_settings()     # CZMQ's context is new
    _zauth_owner = NULL         # the parent's actor threads do not exist here
    _open_sockets.clear()       # the parent's sockets are not ours to close
    _running_actors.clear()


cdef extern from "<stdlib.h>" nogil:
    int atexit(void (*function)() noexcept nogil)

cdef void *_czmq_context_at_exit = NULL


cdef void _shut_down_czmq_context() noexcept nogil:
    # A C atexit handler: runs after Python has finalised (daemon threads can
    # no longer take the GIL) and before CZMQ's zsys_shutdown, registered
    # earlier.  zsys_shutdown closes every socket still open, also those a
    # blocked daemon thread or a running actor thread is using; an actor
    # thread then asserts on its closed pipe.  Shut down first, those calls
    # end with ETERM and the actors stop and close their own sockets.
    if _czmq_context_at_exit != NULL:
        zmq_ctx_shutdown(_czmq_context_at_exit)


def _close_all_at_exit():
    # zsys_shutdown() runs after Python has finalised and prints a
    # "dangling sockets" line if any socket is still open: close them first.
    # A socket a daemon thread is blocked on can not be closed now: CZMQ's
    # context is then shut down just before zsys_shutdown, and its
    # messages, only noise, are silenced.
    global _czmq_context_at_exit
    cdef bint all_closed = True, czmq_busy = False
    _live_note_exit()                       # finalizers from now on stay silent
    for actor in list(_running_actors):     # actors first: CZMQ counts their sockets too
        if not (<Actor>actor)._end_unless_busy():
            all_closed, czmq_busy = False, True
    for sock in list(_open_sockets):
        if not (<Socket>sock)._close_at_exit():
            all_closed = False
            czmq_busy |= (<Socket>sock)._zsys
    if czmq_busy and _czmq_context_at_exit == NULL:
        _czmq_context_at_exit = zsys_init()
        atexit(_shut_down_czmq_context)
    if _czmq_lingers_forever and all_closed:
        # zsys_shutdown would wait in zmq_ctx_term until a peer takes the
        # messages of a socket closed with linger -1: exit must not hang.
        # CZMQ skips the termination while it counts an open socket.
        all_closed = zsys_socket(ZMQ_PAIR, NULL, 0) == NULL
    if not all_closed:
        zsys_set_logstream(NULL)


# -- the signal wake pipe ----------------------------------------------------
#
_os.register_at_fork(after_in_child=_after_fork_in_child)
_atexit.register(_close_all_at_exit)


def czmq_version():
    """The version of the CZMQ library in use, as (major, minor, patch)."""
    cdef int major, minor, patch
    zsys_version(&major, &minor, &patch)
    return (major, minor, patch)


def libzmq_version():
    """The version of the libzmq library in use, as (major, minor, patch)."""
    cdef int major, minor, patch
    zmq_version(&major, &minor, &patch)
    return (major, minor, patch)
