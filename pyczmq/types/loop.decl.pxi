cdef enum HandlerKind:
    HANDLE_READER
    HANDLE_POLLER
    HANDLE_TIMER
    HANDLE_TICKET


cdef class _Handler:
    cdef object handler         # the Python callable
    cdef object arg
    cdef object target          # passed to the handler: a Socket, Pollitem, timer id or Ticket
    cdef Socket socket          # the socket polled (readers, socket pollers), or None
    cdef HandlerKind kind
    cdef size_t key             # what zloop gets as its arg (an integer, never a pointer)
    cdef zmq_pollitem_t item    # readers and pollers: the item zloop holds a copy of
    cdef int timer_id
    cdef size_t remaining       # timer firings left; 0: forever


cdef class Ticket:
    cdef void *_c_ticket        # zloop's ticket, valid while alive
    cdef _Handler _handler
    cdef readonly Loop loop
    """The Loop this ticket belongs to."""
    cdef bint _alive


cdef class Loop:
    cdef zloop_t *_c_loop
    cdef dict _registrations    # key -> _Handler, everything zloop may still call
    cdef list _items            # reader and poller registrations, in order
    cdef dict _timers           # timer id -> registration
    cdef size_t _next_key
    cdef size_t _max_timers     # 0: no limit (enforced here, not by zloop)
    cdef size_t _ticket_delay
    cdef object _error          # what a handler raised, re-raised by start()
    cdef bint _running
    cdef bint _has_run          # start() has returned once: zloop_timer_end frees at once
    cdef bint _nonstop          # set_nonstop(): zloop ignores CZMQ's interrupt flag
    cdef bint _woken            # start() was ended by a Context's wake pipe (destroy())
    cdef list _ended_timers     # timer ids to hand to zloop_timer_end once it stops
    cdef unsigned long _thread  # the thread running start()
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _call(self, size_t key, short revents) noexcept
    cdef int _on_signal(self) noexcept
    cdef void _sockets_busy(self, bint busy) noexcept
    cdef int _end_items(self, void *socket, int fd) except -1
    cdef int _forget(self, Socket sock) except -1
    cdef int _set_tolerant(self, Socket sock, int fd) except -1
    cdef _Handler _register(self, HandlerKind kind, handler, arg, target)
    cdef int _add_item(self, _Handler registration, Socket sock, int fd, short events) except -1
    cdef int _check_ticket(self, Ticket ticket) except -1
    cdef int _drop(self, _Handler handler) except -1
