cdef class Poller:
    cdef zpoller_t *_c_poller
    cdef dict _sockets          # <size_t> libzmq handle -> Socket
    cdef bint _waiting
    cdef bint _expired          # the last wait() ended by its timeout
    cdef bint _terminated       # ... by a destroyed Context or CZMQ's interrupt flag
    cdef bint _nonstop
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _forget(self, Socket sock) except -1
