cdef class Context:
    cdef void *_c_ctx           # a libzmq context of its own (zmq.ctx_new), or NULL: CZMQ's
    cdef pid_t _pid             # process that made _c_ctx
    cdef bint _own_started      # _c_ctx has had a socket (its I/O threads are fixed)
    cdef int _linger            # socket defaults this scope applies; _UNSET = CZMQ's
    cdef int _sndhwm
    cdef int _rcvhwm
    cdef bint _destroyed
    cdef bint _lingers_forever  # a socket of _c_ctx was closed with linger -1
    cdef int _wake_read_fd      # readable once destroy() has run (wakes blocked calls)
    cdef int _wake_write_fd
    cdef pid_t _wake_pid        # process that made the pipe
    cdef object _sockets        # WeakSet of the open sockets made through this scope
    cdef object _actors         # WeakSet of the actors (Auth, ...) started with this scope
    cdef dict _own_thread_settings  # I/O thread settings given to _c_ctx (see _thread_settings)
    cdef int _live_sockets      # its open Sockets (types/counters.pxi)
    cdef object __weakref__

    cdef int _check_alive(self) except -1
    cdef void *_zmq_context(self) except NULL
    cdef int _terminate(self) except -1
    cdef void _forget_wake_pipe(self) noexcept
    cdef int _wake_fd(self) except -1
    cdef bint _started(self) noexcept
    cdef dict _thread_settings(self)
    cdef int _before_first_socket(self) except -1
    cdef int _check_own(self, str action) except -1

    # Public Cython API: libzmq's zmq_ctx_* calls on this context, checked
    # (pyczmq.zmq's ctx_get, ctx_set, ctx_term and ctx_shutdown).
    cdef int get_option_c(self, int option) except -1
    cdef int set_option_c(self, int option, object value) except -1
    cdef int term_c(self) except -1
    cdef int shutdown_c(self) except -1
