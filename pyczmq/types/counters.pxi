# Live-object bookkeeping: debug counters of the C objects pyczmq owns, and
# the ResourceWarning for a Socket or Context collected while open.
#
# The counters are plain C integers, changed only with the GIL held, by one
# call at the place that creates or destroys the object (_live_up/_live_down,
# or the socket helpers below).  live_objects() reads them.
#
# What each counts (a create and a destroy are paired on every path):
#   contexts    libzmq contexts pyczmq made itself (zmq.ctx_new()), from
#               zmq_ctx_new until terminated (CZMQ's process-wide context,
#               made by zsys_init, is not counted)
#   sockets     libzmq sockets of Socket objects, from creation until closed
#               (an actor's pipe belongs to its actor; short-lived internal
#               probes are not counted; monitor forwarders are: "monitors")
#   actors      CZMQ actors (Auth, Beacon), from zactor_new until zactor_destroy
#   loops       zloops, from zloop_new until zloop_destroy
#   pollers     zpollers, from zpoller_new until zpoller_destroy
#   certstores  zcertstores of CertStore objects, until destroyed or handed over
#   msgs        zmq_msg_t of pyczmq.zmq.Msg objects (one per object)
#   frames, messages, certs
#               Frame, Message and Cert objects alive.  Their C object
#               (zframe, zmsg, zcert) moves between owners: a Frame appended
#               to a Message is then part of the zmsg, a sent one belongs to
#               libzmq, an inserted Cert's zcert to its CertStore; so these
#               count the Python objects that own or view one, from
#               allocation to deallocation (destroy() frees the C object at
#               once, the count drops when the object goes).
#
# Fork: a forked child inherits the counts.  The parent's contexts, sockets
# and actors are not the child's to close (pyczmq never closes them there), so
# the child's counts of those start at zero; the memory-only objects (frames,
# messages, certs, certstores, msgs, loops, pollers) are copies the child does
# free, so their counts carry over and the child's frees decrement them.

import warnings as _warnings

cdef enum LiveKind:
    LIVE_CONTEXTS
    LIVE_SOCKETS
    LIVE_ACTORS
    LIVE_LOOPS
    LIVE_POLLERS
    LIVE_CERTSTORES
    LIVE_MSGS
    LIVE_FRAMES
    LIVE_MESSAGES
    LIVE_CERTS
    LIVE_KINDS

cdef Py_ssize_t _live[<int>LIVE_KINDS]       # zeroed, as every C static

_LIVE_NAMES = ("contexts", "sockets", "actors", "loops", "pollers", "certstores", "msgs",
               "frames", "messages", "certs")

cdef bint _exiting = False      # the atexit hook has run: finalizers stay silent


cdef inline void _live_up(LiveKind kind) noexcept:
    _live[<int>kind] += 1


cdef inline void _live_down(LiveKind kind) noexcept:
    _live[<int>kind] -= 1


cdef inline void _live_socket_opened(Socket sock) noexcept:
    """A Socket's libzmq socket was made (its ctx is set)."""
    _live[<int>LIVE_SOCKETS] += 1
    sock.ctx._live_sockets += 1


cdef inline void _live_socket_closed(Socket sock) noexcept:
    """A Socket's libzmq socket is being closed (in its own process)."""
    _live[<int>LIVE_SOCKETS] -= 1
    if sock.ctx is not None:
        sock.ctx._live_sockets -= 1


cdef void _live_after_fork() noexcept:
    """In a forked child: the parent's contexts, sockets and actors are not ours."""
    _live[<int>LIVE_CONTEXTS] = 0
    _live[<int>LIVE_SOCKETS] = 0
    _live[<int>LIVE_ACTORS] = 0
    for context in list(_contexts):
        (<Context>context)._live_sockets = 0


def live_objects():
    """For debugging and leak tests: how many of each C object this process's
    pyczmq holds now, as a dict (contexts, sockets, actors, loops, pollers,
    certstores, msgs, frames, messages, certs, monitors, zero_copy).

    Counts change exactly where pyczmq creates and destroys the objects, so
    after a workload that frees everything they are back to their start
    values.  ``contexts`` counts libzmq contexts of ``zmq.ctx_new()``
    (not CZMQ's process-wide one), ``sockets`` open Sockets (not actor pipes),
    ``monitors`` running socket-monitor forwarders, ``zero_copy`` buffers of
    zero-copy sends libzmq still holds; ``frames``, ``messages``
    and ``certs`` count Frame, Message and Cert objects, whose C data moves
    between owners (into a Message, a CertStore, or libzmq when sent).  A
    forked child starts with no contexts, sockets or actors (its parent's are
    not its own) and inherits the other counts.  Not an API to build on: the
    keys may grow."""
    counts = {name: _live[index] for index, name in enumerate(_LIVE_NAMES)}
    from pyczmq.zmq import _live_monitors
    counts["monitors"] = _live_monitors()
    counts["zero_copy"] = zero_copy_in_flight()
    return counts


# -- ResourceWarning ----------------------------------------------------------------
#
# From __del__ (tp_finalize), where the object may still be referenced (a
# recorded warning keeps `source`, PEP 442 allows it), never from
# __dealloc__.  The socket is still closed by __dealloc__, when the last
# reference goes.  Under -W error the warning is an exception, which these
# noexcept functions report as unraisable (sys.unraisablehook: pytest fails
# the test).  Silent once the interpreter exits: the atexit hook closes what
# is open, and later finalizers must print nothing.

cdef inline bint _may_warn() noexcept:
    return not _exiting and _warnings is not None


cdef void _warn_unclosed_socket(Socket sock) noexcept:
    if sock._c_handle == NULL or sock._pid != _process_pid or not _may_warn():
        return
    if isinstance(sock, ActorPipe):         # its actor closes it
        return
    _warnings.warn("unclosed %r" % (sock,), ResourceWarning, stacklevel=2, source=sock)


cdef void _warn_unclosed_context(Context ctx) noexcept:
    if ctx._destroyed or not _may_warn():
        return
    own = ctx._c_ctx != NULL and ctx._pid == _process_pid
    if not own and ctx._live_sockets <= 0:
        return
    _warnings.warn("unclosed <pyczmq.Context %s%d open sockets at %#x>"
                   % ("own libzmq context, " if own else "", ctx._live_sockets, id(ctx)),
                   ResourceWarning, stacklevel=2, source=ctx)


cdef void _live_note_exit() noexcept:
    global _exiting
    _exiting = True
