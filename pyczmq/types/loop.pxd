cdef enum HandlerKind:
    HANDLE_READER
    HANDLE_POLLER
    HANDLE_TIMER
    HANDLE_TICKET


cdef class _Handler:
    cdef object handler         # the Python callable
    cdef object arg
    cdef object target          # passed to the handler: a Socket, Pollitem, timer id or Ticket
    cdef HandlerKind kind
    cdef zmq_pollitem_t item    # readers and pollers: the item zloop holds a copy of
    cdef int timer_id
    cdef size_t remaining       # timer firings left; 0: forever
    cdef bint active
    cdef void *loop             # the Loop that holds this registration (borrowed)


cdef class Ticket:
    cdef void *_c_ticket        # zloop's ticket, valid while alive
    cdef _Handler _handler
    cdef readonly Loop loop
    cdef bint _alive


cdef class Loop:
    cdef zloop_t *_c_loop
    cdef list _items            # active reader and poller registrations
    cdef dict _timers           # timer id -> registration
    cdef set _tickets           # live Tickets
    cdef object _error          # what a handler raised, re-raised by start()
    cdef bint _running
    cdef unsigned long _thread  # the thread running start()
    cdef size_t _ticket_delay
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _call(self, _Handler handler, short revents) noexcept
    cdef void _sockets_busy(self, bint busy) noexcept
    cdef int _end_items(self, void *socket, int fd) except -1
    cdef int _forget(self, Socket sock) except -1
    cdef _Handler _register(self, HandlerKind kind, handler, arg, target)
    cdef int _add_item(self, _Handler registration, Socket sock, int fd, short events) except -1
    cdef int _check_ticket(self, Ticket ticket) except -1
