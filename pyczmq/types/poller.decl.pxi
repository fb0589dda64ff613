cdef class Poller:
    cdef zpoller_t *_c_poller
    cdef dict _sockets          # <size_t> libzmq handle -> Socket
    cdef bint _waiting
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _forget(self, Socket sock) except -1
